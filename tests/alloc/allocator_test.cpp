// tests/alloc/allocator_test.cpp -- behaviour of the allocator beyond upstream's table: the
// observer that explain uses, the search budget, one evaluation per (selector, device),
// upstream quirks we keep, and the counter bookkeeping fix we take from later upstream.
#include "alloc/allocator.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "k8s/load.hpp"
#include "test_util.hpp"

namespace dra::alloc {
namespace {

using testing::cluster_of;

const k8s::NodeObject& node_of(const k8s::Cluster& c) {
  REQUIRE(!c.nodes.empty());
  return c.nodes.front();
}

std::vector<const k8s::ResourceClaim*> pending(const k8s::Cluster& c) {
  std::vector<const k8s::ResourceClaim*> out;
  for (const auto& claim : c.resource_claims)
    if (!claim.status.allocation) out.push_back(&claim);
  return out;
}

// Class "gpu" with one selector, and the node node-1.
std::string class_and_node(const std::string& expression) {
  return "\napiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec:\n"
         "  selectors:\n  - cel: {expression: '" +
         expression + "'}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n";
}

const std::string kClass = class_and_node(R"(device.driver == "d")");

std::string claim(const std::string& name, int count, const std::string& extra = "") {
  return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n  devices:\n    requests:\n    - name: r\n      exactly:\n"
         "        deviceClassName: gpu\n        count: " +
         std::to_string(count) + "\n" + extra;
}

std::string slice(const std::string& devices, const std::string& driver = "d",
                  const std::string& pool = "p", const std::string& extra = "") {
  return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + driver +
         "-" + pool + "}\nspec:\n  driver: " + driver +
         "\n  nodeName: node-1\n  pool: {name: " + pool +
         ", generation: 1, resourceSliceCount: 1}\n" + extra + "  devices:\n" + devices;
}

struct Recorder : Observer {
  std::vector<std::string> events;
  void rejected(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device& d, Rejection r,
                int detail) override {
    events.push_back(d.name + " " + std::string(to_string(r)) + " " + std::to_string(detail));
  }
  void taken(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device& d) override {
    events.push_back(d.name + " taken");
  }
  void released(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device& d) override {
    events.push_back(d.name + " released");
  }
};

// Allocates `claims` on the cluster's node with `rec` observing.
Outcome observed(const k8s::Cluster& c, const std::vector<const k8s::ResourceClaim*>& claims,
                 Recorder& rec) {
  Options o;
  o.observer = &rec;
  Allocator a(c, allocated_state(c), o);
  return a.allocate(node_of(c), claims);
}

}  // namespace

TEST_CASE("alloc: the observer sees each decision", "[alloc]") {
  const k8s::Cluster c = cluster_of(std::string(kClass) +
                                    slice("  - name: a\n    taints: [{key: k, value: v, effect: "
                                          "NoSchedule}]\n  - name: b\n  - name: c\n") +
                                    claim("two", 2));
  Recorder rec;
  const Outcome out = observed(c, pending(c), rec);
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  // a: its first taint (index 0) is not tolerated; b and c are taken.
  CHECK(rec.events == std::vector<std::string>{"a taint not tolerated 0", "b taken", "c taken"});
}

TEST_CASE("alloc: backtracking is reported as released devices", "[alloc]") {
  // Claim one takes a; claim two needs two devices with the same x: b and c.
  const k8s::Cluster c = cluster_of(
      std::string(kClass) +
      slice("  - name: a\n    attributes: {x: {int: 1}}\n"
            "  - name: b\n    attributes: {x: {int: 2}}\n"
            "  - name: c\n    attributes: {x: {int: 2}}\n") +
      claim("one", 1) + claim("two", 2, "    constraints:\n    - matchAttribute: d/x\n"));
  Recorder rec;
  const Outcome out = observed(c, pending(c), rec);
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  CHECK(out.results[0].devices.results[0].device == "a");
  CHECK(out.results[1].devices.results[0].device == "b");
  CHECK(out.results[1].devices.results[1].device == "c");

  // Swap the order of the claims: two takes b and c (a's x differs), one then takes a.
  Recorder rec2;
  const Outcome out2 = observed(c, {pending(c)[1], pending(c)[0]}, rec2);
  REQUIRE(out2.kind == Outcome::Kind::Allocated);
  // two: a is taken, no second device shares its x, so a is released; then b and c.
  REQUIRE(out2.results[0].devices.results.size() == 2);
  CHECK(out2.results[0].devices.results[0].device == "b");
  CHECK(out2.results[0].devices.results[1].device == "c");
  CHECK(out2.results[1].devices.results[0].device == "a");
  CHECK(std::find(rec2.events.begin(), rec2.events.end(), "a released") != rec2.events.end());
  CHECK(std::find(rec2.events.begin(), rec2.events.end(), "b claim constraint not satisfied 0") !=
        rec2.events.end());
}

TEST_CASE("alloc: a search that exceeds its budget ends with an error", "[alloc]") {
  // 12 devices; a claim for 5 of them plus one device no selector accepts: every one of
  // the 792 combinations of five is tried before the search gives up.
  std::string devices;
  for (int i = 0; i < 12; ++i) devices += "  - name: g" + std::to_string(i) + "\n";
  const k8s::Cluster c = cluster_of(
      std::string(kClass) + slice(devices) +
      claim("six", 5,
            "    - name: none\n      exactly:\n        deviceClassName: gpu\n        selectors: "
            "[{cel: {expression: 'device.attributes[\"d\"].?x.orValue(0) == 99'}}]\n"));
  Options o;
  o.max_steps = 1000;
  Allocator a(c, allocated_state(c), o);
  const Outcome out = a.allocate(node_of(c), pending(c));
  CHECK(out.kind == Outcome::Kind::Error);
  CHECK_THAT(out.error, Catch::Contains("search budget exhausted after 1000 steps"));
  CHECK(out.results.empty());
  // With the default budget the same search completes: no solution, not an error.
  Allocator b(c, allocated_state(c));
  CHECK(b.allocate(node_of(c), pending(c)).kind == Outcome::Kind::NotAllocated);
}

TEST_CASE("alloc: each (selector, device) pair is evaluated once per run", "[alloc]") {
  std::string devices;
  for (int i = 0; i < 8; ++i) devices += "  - name: g" + std::to_string(i) + "\n";
  std::string claims;
  for (int i = 0; i < 6; ++i) claims += claim("c" + std::to_string(i), 1);
  const k8s::Cluster c = cluster_of(std::string(kClass) + slice(devices) + claims);
  Allocator a(c, allocated_state(c));
  // Six separate calls, as six Pods: each considers devices the class selector has seen.
  for (const k8s::ResourceClaim* claim : pending(c)) {
    const Outcome out = a.allocate(node_of(c), {claim});
    REQUIRE(out.kind == Outcome::Kind::Allocated);
    a.commit(out.results);
  }
  // One selector that reads only device.driver, eight devices of one driver: the devices
  // agree on all it reads, so one evaluation decides for all of them.
  CHECK(a.matches().evaluations() == 1);
  CHECK(a.programs().compilations() == 1);
}

TEST_CASE("alloc: devices share a selector's verdict only when they agree on what it reads",
          "[alloc]") {
  // Eight devices, model a or b by parity, each with its own serial. The request's
  // selector reads the model: two evaluations. A selector that reads the attribute map as a
  // whole (size()) could depend on anything: eight evaluations.
  std::string devices;
  for (int i = 0; i < 8; ++i)
    devices += "  - name: g" + std::to_string(i) +
               "\n    attributes:\n      model: {string: " + (i % 2 ? "b" : "a") +
               "}\n      serial: {int: " + std::to_string(i) + "}\n";
  auto with_selector = [&](const std::string& expr) {
    return cluster_of(std::string(kClass) + slice(devices) +
                      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
                      "metadata: {name: c, namespace: default}\nspec:\n  devices:\n"
                      "    requests:\n    - name: r\n      exactly:\n"
                      "        deviceClassName: gpu\n        allocationMode: All\n"
                      "        selectors: [{cel: {expression: '" +
                      expr + "'}}]\n");
  };
  {
    const k8s::Cluster c = with_selector(R"(device.attributes["d"].model == "b")");
    Allocator a(c, allocated_state(c));
    const Outcome out = a.allocate(node_of(c), pending(c));
    REQUIRE(out.kind == Outcome::Kind::Allocated);
    CHECK(out.results[0].devices.results.size() == 4);  // g1, g3, g5, g7
    CHECK(a.matches().evaluations() == 1 + 2);          // class selector + one per model
  }
  {
    const k8s::Cluster c = with_selector(R"(device.attributes["d"].size() == 2)");
    Allocator a(c, allocated_state(c));
    const Outcome out = a.allocate(node_of(c), pending(c));
    REQUIRE(out.kind == Outcome::Kind::Allocated);
    CHECK(out.results[0].devices.results.size() == 8);
    CHECK(a.matches().evaluations() == 1 + 8);
  }
}

TEST_CASE("alloc: selectors that read the same paths share each device's key, not verdicts",
          "[alloc]") {
  // Two requests whose selectors read the same attribute but want different values: each
  // gets its own devices (verdicts are per selector), while a device's key is worked out
  // once for both (the list of paths is shared).
  std::string devices;
  for (int i = 0; i < 8; ++i)
    devices += "  - name: g" + std::to_string(i) +
               "\n    attributes:\n      model: {string: " + (i % 2 ? "b" : "a") +
               "}\n      serial: {int: " + std::to_string(i) + "}\n";
  auto request = [](const std::string& name, const std::string& model) {
    return "    - name: " + name +
           "\n      exactly:\n        deviceClassName: gpu\n        allocationMode: All\n"
           "        selectors: [{cel: {expression: 'device.attributes[\"d\"].model == \"" +
           model + "\"'}}]\n";
  };
  const k8s::Cluster c = cluster_of(std::string(kClass) + slice(devices) +
                                    "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
                                    "metadata: {name: c, namespace: default}\nspec:\n  devices:\n"
                                    "    requests:\n" +
                                    request("ra", "a") + request("rb", "b"));
  Allocator a(c, allocated_state(c));
  const Outcome out = a.allocate(node_of(c), pending(c));
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  std::vector<std::string> got;
  for (const auto& r : out.results[0].devices.results) got.push_back(r.request + "=" + r.device);
  CHECK(got == std::vector<std::string>{"ra=g0", "ra=g2", "ra=g4", "ra=g6", "rb=g1", "rb=g3",
                                        "rb=g5", "rb=g7"});
  CHECK(a.matches().evaluations() == 1 + 2 + 2);  // the class once; each model per selector
  // Keys: eight for the class selector's paths (device.driver) and eight for the model,
  // shared by both request selectors (sixteen if each selector had its own).
  CHECK(a.projection_keys() == 8 + 8);
}

TEST_CASE("alloc: a request's selectors are decided only for devices its class admits", "[alloc]") {
  // A MIG-like slice: two whole GPUs, each followed by six partitions. The class admits the
  // whole GPUs only; the request's selector (on memory) is then needed for those two, not
  // for the twelve partitions the class has ruled out.
  std::string devices;
  for (int g = 0; g < 2; ++g) {
    devices += "  - name: gpu-" + std::to_string(g) +
               "\n    attributes: {type: {string: gpu}}\n    capacity: {memory: {value: 80Gi}}\n";
    for (int m = 0; m < 6; ++m)
      devices += "  - name: gpu-" + std::to_string(g) + "-mig-" + std::to_string(m) +
                 "\n    attributes: {type: {string: mig}}\n    capacity: {memory: {value: 10Gi}}\n";
  }
  const std::string gpu_class = class_and_node(R"(device.attributes["d"].type == "gpu")");
  const k8s::Cluster c =
      cluster_of(gpu_class + slice(devices) +
                 claim("c", 2,
                       "        selectors: [{cel: {expression: "
                       "'device.capacity[\"d\"].memory.compareTo(quantity(\"40Gi\")) >= 0'}}]\n"));
  Allocator a(c, allocated_state(c));
  const Outcome out = a.allocate(node_of(c), pending(c));
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  std::vector<std::string> got;
  for (const auto& r : out.results[0].devices.results) got.push_back(r.device);
  CHECK(got == std::vector<std::string>{"gpu-0", "gpu-1"});
  // Fourteen keys for the class's paths, two for the request's (twenty-eight if the
  // request's selector were decided for every device of the slice).
  CHECK(a.projection_keys() == 14 + 2);
}

TEST_CASE("alloc: a node with many pools: newest generation each, searched in name order",
          "[alloc]") {
  // Twenty pools on one node, listed in reverse order (pools are looked up by a scan while
  // a node has few, through an index beyond sixteen); pool p03 comes in generations 1 and
  // 2, the newer listed after the index has taken over. An All request gets one device of
  // each pool, the newest generation's, in pool order.
  std::string slices;
  for (int i = 19; i >= 0; --i) {
    const std::string n = (i < 10 ? "p0" : "p") + std::to_string(i);
    slices += slice("  - name: d-" + n + "\n", "d", n);
  }
  slices +=
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: d-p03-new}\n"
      "spec:\n  driver: d\n  nodeName: node-1\n  pool: {name: p03, generation: 2, "
      "resourceSliceCount: 1}\n  devices:\n  - name: d-p03-new\n";
  const k8s::Cluster c =
      cluster_of(kClass + slices +
                 "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: "
                 "all, namespace: default}\nspec: {devices: {requests: [{name: r, exactly: "
                 "{deviceClassName: gpu, allocationMode: All}}]}}\n");
  Allocator a(c, allocated_state(c));
  const Outcome out = a.allocate(node_of(c), pending(c));
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  std::vector<std::string> got;
  for (const auto& r : out.results[0].devices.results) got.push_back(r.pool + "/" + r.device);
  std::vector<std::string> want;
  for (int i = 0; i < 20; ++i) {
    const std::string n = (i < 10 ? "p0" : "p") + std::to_string(i);
    want.push_back(n + "/d-" + n + (i == 3 ? "-new" : ""));
  }
  CHECK(got == want);
}

TEST_CASE("alloc: a CEL error on a device is met only when the search reaches it", "[alloc]") {
  // Pool p1 holds a (n = 1), pool p2 holds b (no n: the request's selector fails on it).
  // Upstream walks devices in order and evaluates a device's selectors when it gets there:
  // the first claim takes a without meeting b; the second, with a in use, meets the error.
  const std::string selector =
      R"(        selectors: [{cel: {expression: 'device.attributes["d"].n == 1'}}]
)";
  const k8s::Cluster c = cluster_of(
      std::string(kClass) + slice("  - name: a\n    attributes: {n: {int: 1}}\n", "d", "p1") +
      slice("  - name: b\n", "d", "p2") + claim("first", 1, selector) +
      claim("second", 1, selector));
  Allocator a(c, allocated_state(c));
  const auto claims = pending(c);
  const Outcome x = a.allocate(node_of(c), {claims[0]});
  REQUIRE(x.kind == Outcome::Kind::Allocated);
  CHECK(x.results[0].devices.results[0].device == "a");
  // The class selector once (both devices read alike), the request's on a only: b's slice
  // is not decided before a search needs it.
  CHECK(a.matches().evaluations() == 2);
  a.commit(x.results);
  const Outcome y = a.allocate(node_of(c), {claims[1]});
  CHECK(y.kind == Outcome::Kind::Error);
  CHECK_THAT(y.error, Catch::Contains("CEL runtime error") && Catch::Contains("device d/p2/b"));
}

TEST_CASE("alloc: commit makes devices of earlier allocations unavailable", "[alloc]") {
  const k8s::Cluster c = cluster_of(std::string(kClass) + slice("  - name: a\n  - name: b\n") +
                                    claim("first", 1) + claim("second", 1) + claim("third", 1));
  Allocator a(c, allocated_state(c));
  const auto claims = pending(c);
  Outcome x = a.allocate(node_of(c), {claims[0]});
  REQUIRE(x.kind == Outcome::Kind::Allocated);
  a.commit(x.results);
  Outcome y = a.allocate(node_of(c), {claims[1]});
  REQUIRE(y.kind == Outcome::Kind::Allocated);
  CHECK(y.results[0].devices.results[0].device == "b");
  a.commit(y.results);
  CHECK(a.allocate(node_of(c), {claims[2]}).kind == Outcome::Kind::NotAllocated);
}

TEST_CASE("alloc: QUIRK counters stay consumed by a device refused for its taint", "[alloc]") {
  // Upstream (spec/allocator.md §19.1): the counters of `a` are charged before its taint is
  // checked and not given back, so `b`, which alone fits, is refused too.
  const std::string counters =
      "  sharedCounters:\n  - name: mem\n    counters: {memory: {value: 8Gi}}\n";
  const std::string consume =
      "    consumesCounters: [{counterSet: mem, counters: {memory: {value: 8Gi}}}]\n";
  const k8s::Cluster c = cluster_of(
      std::string(kClass) +
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n"
      "  driver: d\n  nodeName: node-1\n  pool: {name: p, generation: 1, resourceSliceCount: 2}\n" +
      counters +
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: t}\nspec:\n"
      "  driver: d\n  nodeName: node-1\n  pool: {name: p, generation: 1, resourceSliceCount: 2}\n"
      "  devices:\n  - name: a\n    taints: [{key: k, effect: NoSchedule}]\n" +
      consume + "  - name: b\n" + consume + claim("one", 1));
  Allocator a(c, allocated_state(c));
  CHECK(a.allocate(node_of(c), pending(c)).kind == Outcome::Kind::NotAllocated);
}

TEST_CASE("alloc: counters are kept per driver and pool, not per pool name", "[alloc]") {
  // Two drivers publish a pool named after the node, each with a counter set of room for
  // one device. Upstream at our pin mixed them up (kubernetes#140434, fixed later); we
  // follow the fix: one device of each driver fits.
  // Each pool has two slices (counters, devices): resourceSliceCount 2.
  auto pool2 = [](const std::string& driver) {
    const std::string head =
        "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nspec:\n  driver: " + driver +
        "\n  nodeName: node-1\n  pool: {name: node-1, generation: 1, "
        "resourceSliceCount: 2}\n";
    return head +
           "  sharedCounters:\n  - name: set\n    counters: {c: {value: '1'}}\nmetadata: {name: " +
           driver + "-counters}\n" + head +
           "  devices:\n  - name: dev\n    consumesCounters: [{counterSet: set, counters: {c: "
           "{value: '1'}}}]\nmetadata: {name: " +
           driver + "-devices}\n";
  };
  const std::string classes =
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: any}\nspec: {}\n"
      "---\napiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n";
  const std::string two_requests =
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: both, "
      "namespace: default}\nspec:\n  devices:\n    requests:\n"
      "    - name: a\n      exactly:\n        deviceClassName: any\n        selectors: [{cel: "
      "{expression: 'device.driver == \"a\"'}}]\n"
      "    - name: b\n      exactly:\n        deviceClassName: any\n        selectors: [{cel: "
      "{expression: 'device.driver == \"b\"'}}]\n";
  const k8s::Cluster c = cluster_of(classes + pool2("a") + pool2("b") + two_requests);
  Allocator a(c, allocated_state(c));
  const Outcome out = a.allocate(node_of(c), pending(c));
  REQUIRE(out.kind == Outcome::Kind::Allocated);
  CHECK(out.results[0].devices.results.size() == 2);
}

TEST_CASE("alloc: shared counters decide alike as whole numbers and as decimals", "[alloc]") {
  // Two devices consuming 1 each from one counter. Whole amounts take the allocator's
  // integer path; an amount with a fraction (1500m) takes the decimal one. Both must allow
  // exactly as many devices as fit.
  auto cluster = [](const std::string& total, int count) {
    return cluster_of(std::string(kClass) + R"(---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: counters}
spec:
  driver: d
  nodeName: node-1
  pool: {name: p, generation: 1, resourceSliceCount: 2}
  sharedCounters:
  - name: cs
    counters: {mem: {value: ")" +
                      total + R"("}}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: devices}
spec:
  driver: d
  nodeName: node-1
  pool: {name: p, generation: 1, resourceSliceCount: 2}
  devices:
  - name: g0
    consumesCounters: [{counterSet: cs, counters: {mem: {value: "1"}}}]
  - name: g1
    consumesCounters: [{counterSet: cs, counters: {mem: {value: "1"}}}]
)" + claim("c", count));
  };
  struct Row {
    std::string total;
    int count;
    bool fits;
  };
  for (const Row& r :
       {Row{"2", 2, true}, Row{"1", 2, false}, Row{"1", 1, true}, Row{"2500m", 2, true},
        Row{"1500m", 2, false}, Row{"1500m", 1, true}, Row{"500m", 1, false}}) {
    CAPTURE(r.total, r.count);
    const k8s::Cluster c = cluster(r.total, r.count);
    Allocator a(c, allocated_state(c));
    const Outcome out = a.allocate(node_of(c), pending(c));
    CHECK(out.error == "");
    CHECK((out.kind == Outcome::Kind::Allocated) == r.fits);
  }
}

}  // namespace dra::alloc

namespace dra::alloc {
namespace {

// A claim holding device `device` of pool d/p (allocated in the dump).
std::string holding(const std::string& name, const std::string& device) {
  return claim(name, 1) +
         "status:\n  allocation:\n    devices:\n      results: [{request: r, driver: d, pool: p, "
         "device: " +
         device + "}]\n";
}

// The same call through the search itself: an observer turns the shortcut off.
Outcome searched(const k8s::Cluster& c, const std::vector<const k8s::ResourceClaim*>& claims,
                 const AllocatedState& state, uint64_t max_steps = 20'000'000) {
  Observer watch;
  Options o;
  o.observer = &watch;
  o.max_steps = max_steps;
  Allocator a(c, state, o);
  return a.allocate(node_of(c), claims);
}

}  // namespace

TEST_CASE("alloc: a node with every device in use fails claims without a search, as one would",
          "[alloc]") {
  const std::string subs =
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: either, "
      "namespace: default}\nspec:\n  devices:\n    requests:\n    - name: r\n      "
      "firstAvailable:\n      - {name: u, deviceClassName: gpu, count: 2}\n      - {name: v, "
      "deviceClassName: gpu}\n";
  const k8s::Cluster c = cluster_of(
      std::string(kClass) + slice("  - name: a\n  - name: b\n") + claim("first", 1) +
      claim("second", 1) + claim("third", 1) + subs +
      claim("admin", 1, "        adminAccess: true\n") +
      claim("all", 1, "        allocationMode: All\n") +
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: lost, "
      "namespace: default}\nspec: {devices: {requests: [{name: r, exactly: {deviceClassName: "
      "nope}}]}}\n");
  const auto claims = pending(c);
  auto named = [&](const std::string& n) {
    for (const auto* cl : claims)
      if (cl->metadata.name == n) return cl;
    FAIL("no claim " << n);
    return claims[0];
  };
  Allocator a(c, allocated_state(c));
  CHECK_FALSE(a.all_in_use("node-1"));
  for (const char* n : {"first", "second"}) {
    Outcome o = a.allocate(node_of(c), {named(n)});
    REQUIRE(o.kind == Outcome::Kind::Allocated);
    a.commit(o.results);
  }
  CHECK(a.all_in_use("node-1"));          // kept up to date by commit
  CHECK(a.all_in_use("node-elsewhere"));  // no slice names it: it sees no device

  // Exact counts without admin access: no device to take, the same answer and step count as
  // the search (allocateOne once, then once per subrequest).
  for (const char* n : {"third", "either"}) {
    INFO(n);
    CHECK(a.need_free_device({named(n)}));
    const Outcome fast = a.allocate(node_of(c), {named(n)});
    const Outcome slow = searched(c, {named(n)}, a.state());
    CHECK(fast.kind == Outcome::Kind::NotAllocated);
    CHECK(slow.kind == fast.kind);
    CHECK(slow.steps == fast.steps);
  }
  CHECK(a.allocate(node_of(c), {named("either")}).steps == 3);
  // The search budget still ends the search first when it is that small.
  const Outcome budget = searched(c, {named("either")}, a.state(), 2);
  CHECK(budget.kind == Outcome::Kind::Error);
  Options tight;
  tight.max_steps = 2;
  Allocator t(c, a.state(), tight);
  CHECK_FALSE(t.need_free_device({named("either")}));
  CHECK(t.allocate(node_of(c), {named("either")}).error == budget.error);

  // Admin access takes devices in use, All counts the node's devices, a missing class is
  // an error: none of them is for the shortcut.
  CHECK_FALSE(a.need_free_device({named("admin")}));
  CHECK(a.allocate(node_of(c), {named("admin")}).kind == Outcome::Kind::Allocated);
  CHECK_FALSE(a.need_free_device({named("all")}));
  CHECK_FALSE(a.need_free_device({named("lost")}));
  CHECK(a.allocate(node_of(c), {named("lost")}).kind == Outcome::Kind::Error);
  CHECK_FALSE(a.need_free_device({}));
}

TEST_CASE("alloc: an observer that does not listen to events gets the same facts and outcome",
          "[alloc]") {
  // explain's collector reads facts only (wants_events false, pools not kept): the search
  // then walks only the devices the selectors accept, as with no observer, and refusals by
  // the selectors are not reported; outcome and facts are those of a listening observer.
  const k8s::Cluster c = cluster_of(
      class_and_node(R"(device.attributes["d"].type == "gpu")") +
      slice("  - name: nic-0\n    attributes: {type: {string: nic}}\n"
            "  - name: gpu-0\n    attributes: {type: {string: gpu}}\n"
            "  - name: nic-1\n    attributes: {type: {string: nic}}\n"
            "  - name: gpu-1\n    attributes: {type: {string: gpu}}\n") +
      holding("held", "gpu-0") + claim("one", 1) +
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: all, namespace: "
      "default}\nspec:\n  devices:\n    requests:\n    - name: r\n      exactly:\n"
      "        deviceClassName: gpu\n        allocationMode: All\n");
  struct Watch : Recorder {
    bool listens = true;
    std::vector<std::string> facts_seen;
    bool wants_facts() const override { return true; }
    bool keep_pools() const override { return false; }
    bool wants_events() const override { return listens; }
    void facts(const NodeFacts& f) override {
      for (const RequestFacts& rf : f.requests)
        for (const DeviceFacts& d : rf.devices)
          facts_seen.push_back(rf.name + " " + d.device->name + " class " +
                               std::to_string(d.class_selector) + (d.in_use ? " in use" : ""));
    }
  };
  for (const char* which : {"one", "all"}) {
    INFO(which);
    const k8s::ResourceClaim* claim = nullptr;
    for (const auto& rc : c.resource_claims)
      if (rc.metadata.name == which) claim = &rc;
    REQUIRE(claim);
    Watch listening, deaf;
    deaf.listens = false;
    Allocator a1(c, allocated_state(c)), a2(c, allocated_state(c)), a3(c, allocated_state(c));
    const Outcome with_events = a1.allocate(node_of(c), {claim}, &listening);
    const Outcome without = a2.allocate(node_of(c), {claim}, &deaf);
    const Outcome plain = a3.allocate(node_of(c), {claim});
    CHECK(without.kind == with_events.kind);
    CHECK(without.kind == plain.kind);
    auto devices = [](const Outcome& o) {
      std::vector<std::string> out;
      for (const k8s::AllocationResult& r : o.results)
        for (const auto& d : r.devices.results) out.push_back(d.request + " " + d.device);
      return out;
    };
    CHECK(devices(without) == devices(plain));
    CHECK(devices(without) == devices(with_events));
    CHECK(deaf.facts_seen == listening.facts_seen);
    CHECK_FALSE(listening.facts_seen.empty());
    // The listening observer hears the selectors refuse the NICs; the deaf one is spared.
    auto refused = [](const Recorder& r) {
      return std::count_if(r.events.begin(), r.events.end(), [](const std::string& e) {
        return e.find("class selector") != std::string::npos;
      });
    };
    CHECK(refused(listening) > 0);
    CHECK(refused(deaf) == 0);
  }
}

TEST_CASE("alloc: a device name twice in a pool makes it invalid, small pool or large", "[alloc]") {
  // The names are checked in one set per pool: held inline up to 16 devices, on the heap
  // beyond. A repeat found in either, first or last, in one slice or across two; the pool's
  // reason (what explain shows) names the device.
  struct Pools : Observer {
    std::vector<PoolInfo> pools;
    bool wants_facts() const override { return true; }
    void facts(const NodeFacts& f) override { pools = f.pools; }
  };
  auto reason = [](const k8s::Cluster& c) {
    Pools seen;
    Allocator a(c, allocated_state(c));
    const Outcome o = a.allocate(node_of(c), pending(c), &seen);
    if (o.kind == Outcome::Kind::Allocated) return std::string("allocated");
    CHECK(o.kind == Outcome::Kind::FailedOnNode);
    CHECK(o.error == "invalid resource pools were encountered");  // upstream's words
    return seen.pools.size() == 1 && seen.pools[0].invalid ? seen.pools[0].invalid_reason
                                                           : std::string("?");
  };
  auto devices = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += "  - name: dev-" + std::to_string(i) + "\n";
    return out;
  };
  for (const int n : {2, 15, 16, 17, 40, 300}) {
    INFO(n << " devices");
    CHECK(reason(cluster_of(std::string(kClass) + slice(devices(n)) + claim("c", 1))) ==
          "allocated");
    for (const std::string& repeat : {std::string("dev-0"), "dev-" + std::to_string(n - 1)})
      CHECK(reason(cluster_of(std::string(kClass) +
                              slice(devices(n) + "  - name: " + repeat + "\n") + claim("c", 1))) ==
            "duplicate device name " + repeat);
  }
  // Across two slices of one pool.
  auto pool_slice = [](const std::string& name, const std::string& devices) {
    return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + name +
           "}\nspec:\n  driver: d\n  nodeName: node-1\n  pool: {name: p, generation: 1, "
           "resourceSliceCount: 2}\n  devices:\n" +
           devices;
  };
  CHECK(reason(cluster_of(std::string(kClass) + pool_slice("s1", devices(20)) +
                          pool_slice("s2", "  - name: other\n  - name: dev-19\n") +
                          claim("c", 1))) == "duplicate device name dev-19");
}

TEST_CASE("alloc: all_in_use says no where the search would say more than 'no'", "[alloc]") {
  SECTION("a device name twice makes the pool invalid: FailedOnNode") {
    const k8s::Cluster c = cluster_of(std::string(kClass) + slice("  - name: a\n  - name: a\n") +
                                      holding("held", "a") + claim("want", 1));
    Allocator a(c, allocated_state(c));
    CHECK_FALSE(a.all_in_use("node-1"));
    CHECK(a.allocate(node_of(c), pending(c)).kind == Outcome::Kind::FailedOnNode);
  }
  SECTION("a pool with counters can be invalid in ways a count does not see") {
    const k8s::Cluster c = cluster_of(
        std::string(kClass) +
        slice("  - name: a\n    consumesCounters: [{counterSet: nope, counters: {m: {value: "
              "1}}}]\n") +
        holding("held", "a") + claim("want", 1));
    Allocator a(c, allocated_state(c));
    CHECK_FALSE(a.all_in_use("node-1"));
    CHECK(a.allocate(node_of(c), pending(c)).kind == Outcome::Kind::FailedOnNode);
  }
  SECTION("slices that do not name one node turn it off everywhere") {
    const k8s::Cluster c = cluster_of(
        std::string(kClass) + slice("  - name: a\n") + holding("held", "a") +
        "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: net}\nspec:\n"
        "  driver: d\n  allNodes: true\n  pool: {name: net, generation: 1, resourceSliceCount: "
        "1}\n  devices: [{name: nic}]\n");
    Allocator a(c, allocated_state(c));
    CHECK_FALSE(a.all_in_use("node-1"));
    CHECK_FALSE(a.all_in_use("node-elsewhere"));
  }
  SECTION("every device held, each once: yes") {
    const k8s::Cluster c = cluster_of(std::string(kClass) + slice("  - name: a\n  - name: b\n") +
                                      holding("ha", "a") + holding("hb", "b") + claim("want", 1));
    Allocator a(c, allocated_state(c));
    CHECK(a.all_in_use("node-1"));
    CHECK(a.allocate(node_of(c), pending(c)).kind == Outcome::Kind::NotAllocated);
  }
}

}  // namespace dra::alloc
