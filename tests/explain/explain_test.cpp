// tests/explain/explain_test.cpp -- explanations agree with what `allocate` does, name the
// reason of each kind of failure, and stay within what the allocator recorded.
#include "explain/explain.hpp"

#include <catch2/catch.hpp>

#include "alloc/schedule.hpp"
#include "render/explain.hpp"
#include "test_util.hpp"

namespace dra::explain {
namespace {

using testing::cluster_of;
using testing::slurp_file;

k8s::Cluster fixture() {
  return cluster_of(slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/explain.yaml"));
}

Explanation of_claim(const k8s::Cluster& c, const std::string& name, const Options& o = {}) {
  Target t;
  t.kind = Target::Kind::Claim;
  t.namespace_ = "team";
  t.name = name;
  Result r = explain(c, t, o);
  REQUIRE(r.error.empty());
  return r.explanation;
}

}  // namespace

TEST_CASE("explain: every pending claim's state agrees with allocate", "[explain]") {
  const k8s::Cluster c = fixture();
  const alloc::Schedule s = alloc::schedule(c, {});
  for (const alloc::Placement& p : s.placed)
    for (const k8s::ResourceClaim* claim : p.claims) {
      const Explanation e = of_claim(c, claim->metadata.name);
      REQUIRE(e.claims.size() == 1);
      CHECK(e.claims[0].state == ClaimExplanation::State::AllocatedNow);
      CHECK(e.claims[0].node == p.node);
      REQUIRE(e.claims[0].choices.size() == p.results.front().devices.results.size());
      for (size_t i = 0; i < e.claims[0].choices.size(); ++i) {
        const auto& r = p.results.front().devices.results[i];
        CHECK(e.claims[0].choices[i].device == r.driver + "/" + r.pool + "/" + r.device);
      }
    }
  for (const alloc::Failure& f : s.failed) {
    if (f.pod) continue;
    const Explanation e = of_claim(c, f.claims.front()->metadata.name);
    REQUIRE(e.claims.size() == 1);
    CHECK(e.claims[0].state ==
          (f.error ? ClaimExplanation::State::Error : ClaimExplanation::State::Pending));
    CHECK_FALSE(e.claims[0].reason.empty());
  }
  CHECK(s.failed.size() > 10);  // the fixture's failure kinds
}

TEST_CASE("explain: each kind of failure names its reason", "[explain]") {
  const k8s::Cluster c = fixture();
  struct Case {
    const char* claim;
    const char* reason;  // part of the decisive reason, or the error kind
  };
  const Case cases[] = {
      {"no-class", "missing class"},
      {"class-excludes", "the selectors of class empty.example.com exclude every one"},
      {"selector-excludes", "request selector #0 of gpu excludes every one"},
      {"too-many", "no node has 3 of them: at most 2 on one node (node-a)"},
      {"same-clique", "matchAttribute gpu.example.com/clique"},
      {"distinct-models", "distinctAttribute gpu.example.com/model"},
      {"tainted", "tainted, and request fpga does not tolerate it"},
      {"half", "shared counters used up"},
      {"share-4gi", "capacity used up"},
      {"nic", "which is incomplete"},
      {"cel-error", "CEL runtime error"},
      {"all-acc", "All on an incomplete pool"},
      {"fallback", "no subrequest of request gpu fits"},
  };
  for (const Case& k : cases) {
    INFO(k.claim);
    const Explanation e = of_claim(c, k.claim);
    REQUIRE(e.claims.size() == 1);
    const ClaimExplanation& ce = e.claims[0];
    CHECK_THAT(ce.error_kind + " " + ce.reason, Catch::Contains(k.reason));
  }
  // The closest nodes as a matchAttribute constraint counts them.
  const Explanation clique = of_claim(c, "same-clique");
  REQUIRE(clique.claims[0].requests.size() == 1);
  REQUIRE_FALSE(clique.claims[0].requests[0].nearest.empty());
  CHECK(clique.claims[0].requests[0].nearest[0].candidates == 1);
  CHECK(clique.claims[0].requests[0].nearest[0].note == "with gpu.example.com/clique x");
  Options on_a;
  on_a.node = "node-a";
  const Explanation all = of_claim(c, "all-acc", on_a);
  CHECK_THAT(all.claims[0].reason, Catch::Contains("allocationMode All"));
}

TEST_CASE("explain: a selector's sub-expression values, on a device it ruled out", "[explain]") {
  const Explanation e = of_claim(fixture(), "selector-excludes");
  REQUIRE(e.claims[0].requests.size() == 1);
  const RequestExplanation& r = e.claims[0].requests[0];
  REQUIRE(r.selectors.size() == 1);
  CHECK(r.selectors[0].ruled_out == 4);
  CHECK(r.selectors[0].device == "gpu.example.com/node-a/gpu-0");
  bool memory = false;
  for (const auto& [expr, value] : r.selectors[0].values)
    memory = memory || (expr == R"(device.capacity["gpu.example.com"].memory)" &&
                        value == R"(quantity("40Gi"))");
  CHECK(memory);
  // The funnel narrows in order and ends where the allocator found nothing.
  size_t last = SIZE_MAX;
  for (const Step& s : r.funnel) {
    CHECK(s.devices <= last);
    last = s.devices;
  }
  CHECK(last == 0);
}

TEST_CASE("explain: suggestions: did-you-mean for classes and attributes, a guard", "[explain]") {
  const k8s::Cluster c = fixture();
  auto has = [](const ClaimExplanation& ce, const std::string& part) {
    for (const std::string& s : ce.suggestions)
      if (s.find(part) != std::string::npos) return true;
    return false;
  };
  CHECK(has(of_claim(c, "no-class").claims[0], "did you mean gpu.example.com?"));
  CHECK(has(of_claim(c, "model-typo").claims[0], "did you mean gpu.example.com/model?"));
  CHECK(
      has(of_claim(c, "cel-error").claims[0], R"(has(device.attributes["gpu.example.com"].ecc))"));
  CHECK(has(of_claim(c, "too-many").claims[0], "with count 2 it could fit there"));
}

TEST_CASE("explain: an allocated claim: why its devices, and what changed", "[explain]") {
  const k8s::Cluster c = fixture();
  const Explanation held = of_claim(c, "held");
  REQUIRE(held.claims.size() == 1);
  CHECK(held.claims[0].state == ClaimExplanation::State::Allocated);
  CHECK(held.claims[0].node == "node-b");
  REQUIRE(held.claims[0].choices.size() == 1);
  CHECK(held.claims[0].choices[0].earlier == 1);  // gpu-0 is free and comes first now
  // node-a has two free GPUs: the claim would fit there too.
  CHECK(held.claims[0].other_nodes_total == 1);
  CHECK(held.claims[0].other_nodes == std::vector<std::string>{"node-a"});
  const Explanation mig = of_claim(c, "held-mig");
  REQUIRE(mig.claims[0].choices.size() == 1);
  CHECK(mig.claims[0].choices[0].earlier == 0);
  CHECK(mig.claims[0].choices[0].skipped == 0);
}

TEST_CASE("explain: a Pod no node may take names its own constraint", "[explain]") {
  Target t;
  t.kind = Target::Kind::Pod;
  t.namespace_ = "team";
  t.name = "on-mars";
  const Result r = explain(fixture(), t, {});
  REQUIRE(r.error.empty());
  CHECK(r.explanation.eligible == 0);
  REQUIRE(r.explanation.claims.size() == 1);
  CHECK(r.explanation.claims[0].error_kind == "pod node constraints");
  CHECK_THAT(r.explanation.claims[0].reason, Catch::Contains("zone=mars"));
}

}  // namespace dra::explain

namespace dra::explain {

TEST_CASE("explain: two threads give the explanation one gives", "[explain]") {
  // Two nodes split one each; the fixture has a pool every node sees (its devices met on
  // both halves) and claims of every outcome. Then a device only the second node may use
  // (per-device node selection): the first half sees it ruled out by node, the second
  // free, and the merged facts must keep the furthest stage, as one collector would.
  const std::string extra = R"(
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: link.example.com}
spec:
  selectors:
  - cel: {expression: 'device.driver == "link.example.com"'}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: links}
spec:
  driver: link.example.com
  perDeviceNodeSelection: true
  pool: {name: links, generation: 1, resourceSliceCount: 1}
  devices:
  - {name: link-b, nodeName: node-b}
  - {name: link-a, nodeName: node-a}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: link-b-only, namespace: team}
spec:
  devices:
    requests:
    - name: link
      exactly: {deviceClassName: link.example.com, count: 2}
)";
  const k8s::Cluster c = cluster_of(
      slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/explain.yaml") + extra);
  Options one, two;
  one.threads = 1;
  two.threads = 2;
  render::TextStyle style;
  style.width = 200;
  size_t compared = 0;
  for (const k8s::ResourceClaim& claim : c.resource_claims) {
    INFO(claim.metadata.name);
    Target t;
    t.namespace_ = claim.metadata.namespace_;
    t.name = claim.metadata.name;
    const Result a = explain(c, t, one);
    const Result b = explain(c, t, two);
    CHECK(a.error == b.error);
    CHECK(render::explain_text(a.explanation, style) == render::explain_text(b.explanation, style));
    ++compared;
  }
  CHECK(compared > 20);
  // The merged funnel counts the link devices once each, both free on some node (each is
  // ruled out by node on the other half).
  Target t;
  t.namespace_ = "team";
  t.name = "link-b-only";
  const Result r = explain(c, t, two);
  REQUIRE(r.explanation.claims.size() == 1);
  REQUIRE(r.explanation.claims[0].requests.size() == 1);
  const auto& funnel = r.explanation.claims[0].requests[0].funnel;
  REQUIRE(funnel.size() >= 3);
  CHECK(funnel[2].what == "in class link.example.com");
  CHECK(funnel[2].devices == 2);
  CHECK(funnel.back().what == "free");
  CHECK(funnel.back().devices == 2);
}

}  // namespace dra::explain

namespace dra::explain {

TEST_CASE("explain: two threads where every pool is on one node: what one thread gives",
          "[explain]") {
  // Where every slice names one node, the nodes are shared out in chunks between the
  // threads and the facts read back in node order (not merged one by one): the funnel, the
  // nearest nodes and the example devices must be what one thread gives. Forty nodes of two
  // GPUs each, one of them in use; claims that fit, that a selector rules out, and that no
  // node can hold.
  std::string yaml = R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu}
spec:
  selectors:
  - cel: {expression: 'device.driver == "gpu.example.com"'}
)";
  constexpr int kNodes = 40;
  for (int n = 0; n < kNodes; ++n) {
    const std::string node = "node-" + std::to_string(n);
    yaml +=
        "---\napiVersion: v1\nkind: Node\nmetadata: {name: " + node +
        "}\n---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + node +
        "-gpus}\nspec:\n  driver: gpu.example.com\n  nodeName: " + node +
        "\n  pool: {name: " + node + ", generation: 1, resourceSliceCount: 1}\n  devices:\n";
    for (int g = 0; g < 2; ++g)
      yaml += "  - name: gpu-" + std::to_string(g) +
              "\n    attributes: {model: {string: " + (n % 2 ? "b" : "a") +
              "}, index: {int: " + std::to_string(g) + "}}\n";
  }
  auto claim = [](const std::string& name, int count, const std::string& selector) {
    return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
           ", namespace: team}\nspec:\n  devices:\n    requests:\n    - name: gpus\n"
           "      exactly:\n        deviceClassName: gpu\n        count: " +
           std::to_string(count) + "\n" +
           (selector.empty() ? ""
                             : "        selectors: [{cel: {expression: '" + selector + "'}}]\n");
  };
  yaml += claim("held", 1, "") +
          "status:\n  allocation:\n    devices:\n      results: [{request: gpus, driver: "
          "gpu.example.com, pool: node-3, device: gpu-0}]\n";
  yaml += claim("two", 2, "");
  yaml += claim("model-b", 2, R"(device.attributes["gpu.example.com"].model == "b")");
  yaml += claim("model-c", 1, R"(device.attributes["gpu.example.com"].model == "c")");
  yaml += claim("three", 3, "");
  const k8s::Cluster c = cluster_of(yaml);
  Options one;
  one.threads = 1;
  render::TextStyle style;
  style.width = 200;
  // Chunks of one node and of three (the last shorter) dealt to the threads in turn, so
  // that both try nodes whatever the timing; and chunks taken as the threads go (with 40
  // nodes, one chunk of 64: one thread finds none left).
  for (const size_t chunk : {size_t{1}, size_t{3}, size_t{0}}) {
    Options two;
    two.threads = 2;
    two.chunk = chunk;
    for (const char* name : {"two", "model-b", "model-c", "three"}) {
      INFO(name << ", chunks of " << chunk);
      Target t;
      t.namespace_ = "team";
      t.name = name;
      const Result a = explain(c, t, one);
      const Result b = explain(c, t, two);
      REQUIRE(a.error.empty());
      CHECK(render::explain_text(a.explanation, style) ==
            render::explain_text(b.explanation, style));
      REQUIRE(b.explanation.claims.size() == 1);
      REQUIRE_FALSE(b.explanation.claims[0].requests.empty());
      const auto& funnel = b.explanation.claims[0].requests[0].funnel;
      REQUIRE(funnel.size() >= 3);
      CHECK(funnel[1].devices == 2 * kNodes);  // every node's devices, whoever tried them
    }
  }
}

}  // namespace dra::explain
