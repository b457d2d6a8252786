// tests/alloc/schedule_test.cpp -- the Pod-by-Pod policy of `allocate`: which nodes a Pod may
// use, the order of Pods, lone claims, state carried from one placement to the next, the
// what-if edits and fit.
#include "alloc/schedule.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

namespace dra::alloc {
namespace {

using testing::cluster_of;
using testing::slurp_file;

k8s::Cluster small() {
  return cluster_of(slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/alloc.yaml"));
}

}  // namespace

TEST_CASE("schedule: a Pod's constraints rule nodes out", "[alloc]") {
  const k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {zone: east, size: "8"}}
spec:
  taints: [{key: gpu, value: "yes", effect: NoSchedule}, {key: soft, effect: PreferNoSchedule}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: default}
spec: {}
---
apiVersion: v1
kind: Pod
metadata: {name: tolerant, namespace: default}
spec:
  tolerations: [{key: gpu, operator: Exists}]
  nodeSelector: {zone: east}
---
apiVersion: v1
kind: Pod
metadata: {name: everything, namespace: default}
spec:
  tolerations: [{operator: Exists}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: size, operator: Gt, values: ["4"]}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: west, namespace: default}
spec:
  tolerations: [{operator: Exists}]
  nodeSelector: {zone: west}
---
apiVersion: v1
kind: Pod
metadata: {name: bound, namespace: default}
spec:
  tolerations: [{operator: Exists}]
  nodeName: n2
)");
  const k8s::NodeObject& n1 = c.nodes.front();
  std::string why;
  auto pod = [&](const std::string& name) -> const k8s::Pod& {
    for (const auto& p : c.pods)
      if (p.metadata.name == name) return p;
    FAIL(name);
    return c.pods.front();
  };
  CHECK_FALSE(pod_fits_node(pod("plain"), n1, &why));
  CHECK(why == "untolerated taint gpu=yes:NoSchedule");
  CHECK(pod_fits_node(pod("tolerant"), n1, &why));
  CHECK(pod_fits_node(pod("everything"), n1, &why));
  CHECK_FALSE(pod_fits_node(pod("west"), n1, &why));
  CHECK(why == "node selector zone=west does not match");
  CHECK_FALSE(pod_fits_node(pod("bound"), n1, &why));
  CHECK(why == "the Pod is bound to node n2");
}

TEST_CASE("schedule: groups placed in order, each placement in use for the next", "[alloc]") {
  const k8s::Cluster c = small();
  const Schedule s = schedule(c, {});
  REQUIRE(s.placed.size() == 3);
  CHECK(s.placed[0].pod->metadata.name == "inference");
  CHECK(s.placed[0].node == "node-a");  // nodeSelector zone=east
  CHECK(s.placed[1].pod->metadata.name == "training");
  CHECK(s.placed[1].node == "node-b");  // 80Gi, tolerates node-b's taint
  // The lone claim comes after the Pods and finds gpu-0 of node-a taken by inference.
  CHECK(s.placed[2].pod == nullptr);
  CHECK(s.placed[2].claims.front()->metadata.name == "lone");
  CHECK(s.placed[2].results.front().devices.results.front().device == "gpu-1");
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].pod->metadata.name == "greedy");
  CHECK_FALSE(s.failed[0].error);

  // The allocated claim, as the scheduler leaves it.
  const k8s::ResourceClaim claim = allocated_claim(s.placed[0], 0);
  REQUIRE(claim.status.allocation);
  REQUIRE(claim.status.reserved_for.size() == 1);
  CHECK(claim.status.reserved_for[0].resource == "pods");
  CHECK(claim.status.reserved_for[0].name == "inference");
}

TEST_CASE("schedule: a claim a Pod uses is never also a group of its own", "[alloc]") {
  // An allocated claim listed before the Pod's pending one: positions in the list of claims
  // must still line up (a regression: the Pod's claim was placed twice, the second time as
  // if no Pod used it).
  const k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {zone: east}}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu}
spec:
  selectors: [{cel: {expression: 'device.driver == "d"'}}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  nodeName: n1
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices: [{name: a}, {name: b}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: held, namespace: default}
spec:
  devices:
    requests: [{name: r, exactly: {deviceClassName: gpu}}]
status:
  allocation:
    devices:
      results: [{request: r, driver: d, pool: p, device: a}]
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere, namespace: default}
spec:
  nodeSelector: {zone: west}
  resourceClaims: [{name: gpu, resourceClaimName: mine}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: mine, namespace: default}
spec:
  devices:
    requests: [{name: r, exactly: {deviceClassName: gpu}}]
)");
  const Schedule s = schedule(c, {});
  CHECK(s.placed.empty());
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].pod != nullptr);
}

TEST_CASE("schedule: --node, --pod and --claim narrow what is placed", "[alloc]") {
  const k8s::Cluster c = small();
  ScheduleOptions o;
  o.pods = {"ml/training"};
  Schedule s = schedule(c, o);
  REQUIRE(s.placed.size() == 1);
  CHECK(s.failed.empty());
  o = {};
  o.claims = {"ml/lone"};
  s = schedule(c, o);
  REQUIRE(s.placed.size() == 1);
  CHECK(s.placed[0].results[0].devices.results[0].device == "gpu-0");  // nothing else placed
  o = {};
  o.node = "node-b";
  s = schedule(c, o);
  for (const auto& p : s.placed) CHECK(p.node == "node-b");
}

TEST_CASE("schedule: Pods by creationTimestamp when every Pod has one", "[alloc]") {
  std::string yaml = R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: c}
spec: {}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  nodeName: node-0
  pool: {name: node-0, generation: 1, resourceSliceCount: 1}
  devices: [{name: only}]
)";
  for (const char* p : {"late", "early"}) {
    yaml +=
        std::string("---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: ") +
        p +
        ", namespace: default}\nspec: {devices: {requests: [{name: r, exactly: {deviceClassName: "
        "c}}]}}\n";
    yaml += std::string("---\napiVersion: v1\nkind: Pod\nmetadata: {name: ") + p +
            ", namespace: default, creationTimestamp: '" +
            (std::string(p) == "late" ? "2026-01-02T00:00:00Z" : "2026-01-01T00:00:00Z") +
            "'}\nspec: {resourceClaims: [{name: x, resourceClaimName: " + p + "}]}\n";
  }
  const k8s::Cluster c = cluster_of(yaml);
  // No Node objects: the node comes from the slice.
  const NodeList nodes(c);
  REQUIRE(nodes.size() == 1);
  CHECK(nodes[0].metadata.name == "node-0");
  CHECK(nodes.find("node-0") == &nodes[0]);
  CHECK(nodes.find("node-1") == nullptr);
  const Schedule s = schedule(c, {});
  REQUIRE(s.placed.size() == 1);
  CHECK(s.placed[0].pod->metadata.name == "early");
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].pod->metadata.name == "late");
}

TEST_CASE("schedule: an allocator error is reported, not retried elsewhere", "[alloc]") {
  const k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Node
metadata: {name: node-0}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: orphan, namespace: default}
spec: {devices: {requests: [{name: r, exactly: {deviceClassName: missing}}]}}
)");
  const Schedule s = schedule(c, {});
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].error);
  CHECK_THAT(s.failed[0].reason, Catch::Contains("could not retrieve device class missing"));
}

TEST_CASE("schedule: what-if clones and removes nodes; fit counts copies", "[alloc]") {
  k8s::Cluster c = small();
  REQUIRE(clone_node(c, "node-a", 2));
  CHECK(c.nodes.size() == 4);
  CHECK(c.resource_slices.back().metadata.name == "node-a-gpu-clone-2");
  CHECK(c.resource_slices.back().spec.pool.name == "node-a-clone-2");
  CHECK(*c.resource_slices.back().spec.node_name == "node-a-clone-2");
  CHECK_FALSE(clone_node(c, "nowhere", 1));
  REQUIRE(remove_node(c, "node-b"));
  CHECK_FALSE(remove_node(c, "node-b"));
  for (const auto& s : c.resource_slices) CHECK(s.spec.node_name.value_or("") != "node-b");

  const k8s::Cluster one = small();
  const k8s::ResourceClaim& claim = one.resource_claims.front();  // one-gpu
  const Fit f = fit(one, claim.spec, "ml", {}, 100);
  CHECK(f.total == 4);
  REQUIRE(f.per_node.size() == 2);
  CHECK(f.per_node[0] == std::make_pair(std::string("node-a"), 2));
  const Fit capped = fit(one, claim.spec, "ml", {}, 3);
  CHECK(capped.total == 3);
  CHECK(capped.capped);
}

}  // namespace dra::alloc

namespace dra::alloc {
namespace {

// A DeviceClass `cls` selecting everything and node-0 with one slice of driver d holding
// `devices` (YAML list items, indented two spaces).
std::string one_node(const std::string& cls, const std::string& devices) {
  return "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: " + cls +
         "}\nspec: {}\n---\n" + R"(apiVersion: v1
kind: Node
metadata: {name: node-0}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  nodeName: node-0
  pool: {name: node-0, generation: 1, resourceSliceCount: 1}
  devices:
)" + devices;
}

}  // namespace

TEST_CASE("schedule: shares of a device add up across Pods; admin access holds nothing",
          "[alloc]") {
  std::string yaml = one_node("nic", R"(  - name: shared
    allowMultipleAllocations: true
    capacity: {bandwidth: {value: "10"}}
  - name: exclusive
)") + R"(---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: admin, namespace: default}
spec:
  devices:
    requests:
    - name: r
      exactly:
        deviceClassName: nic
        adminAccess: true
        selectors: [{cel: {expression: 'device.attributes["d"].?x.orValue(0) == 0 && !device.allowMultipleAllocations'}}]
status:
  allocation:
    devices:
      results: [{request: r, driver: d, pool: node-0, device: exclusive, adminAccess: true}]
)";
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    yaml +=
        "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: share-" + n +
        ", namespace: default}\nspec:\n  devices:\n    requests:\n    - name: r\n      exactly:\n"
        "        deviceClassName: nic\n        selectors: [{cel: {expression: "
        "'device.allowMultipleAllocations'}}]\n        capacity: {requests: {bandwidth: \"4\"}}\n";
  }
  yaml += R"(---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: plain, namespace: default}
spec:
  devices:
    requests:
    - name: r
      exactly:
        deviceClassName: nic
        selectors: [{cel: {expression: '!device.allowMultipleAllocations'}}]
)";
  const k8s::Cluster c = cluster_of(yaml);
  const Schedule s = schedule(c, {});
  // Two shares of 4 fit in 10; the third would make 12. The admin-access result does not
  // hold `exclusive`, so `plain` gets it.
  REQUIRE(s.placed.size() == 3);
  CHECK(s.placed[0].claims[0]->metadata.name == "share-1");
  CHECK(s.placed[1].claims[0]->metadata.name == "share-2");
  for (int i = 0; i < 2; ++i) {
    const auto& r = s.placed[i].results[0].devices.results[0];
    CHECK(r.device == "shared");
    CHECK(r.share_id.has_value());
    REQUIRE(r.consumed_capacity.size() == 1);
    CHECK(r.consumed_capacity[0].second.to_string() == "4");
  }
  CHECK(s.placed[2].claims[0]->metadata.name == "plain");
  CHECK(s.placed[2].results[0].devices.results[0].device == "exclusive");
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].claims[0]->metadata.name == "share-3");
}

TEST_CASE("schedule: a prioritized list falls back per Pod as devices run out", "[alloc]") {
  std::string yaml = one_node("gpu", R"(  - {name: big, attributes: {size: {int: 80}}}
  - {name: small-0, attributes: {size: {int: 40}}}
  - {name: small-1, attributes: {size: {int: 40}}}
)");
  for (int i = 1; i <= 3; ++i)
    yaml += "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c" +
            std::to_string(i) +
            ", namespace: default}\nspec:\n  devices:\n    requests:\n    - name: gpu\n"
            "      firstAvailable:\n"
            "      - {name: big, deviceClassName: gpu, selectors: [{cel: {expression: "
            "'device.attributes[\"d\"].size == 80'}}]}\n"
            "      - {name: two-small, deviceClassName: gpu, count: 2, selectors: [{cel: "
            "{expression: 'device.attributes[\"d\"].size == 40'}}]}\n";
  const k8s::Cluster c = cluster_of(yaml);  // the schedule points into it
  const Schedule s = schedule(c, {});
  // c1 gets the big device; c2 falls back to the two small ones; nothing is left for c3.
  REQUIRE(s.placed.size() == 2);
  CHECK(s.placed[0].results[0].devices.results[0].request == "gpu/big");
  REQUIRE(s.placed[1].results[0].devices.results.size() == 2);
  CHECK(s.placed[1].results[0].devices.results[0].request == "gpu/two-small");
  CHECK(s.placed[1].results[0].devices.results[1].device == "small-1");
  REQUIRE(s.failed.size() == 1);
  CHECK(s.failed[0].claims[0]->metadata.name == "c3");
}

}  // namespace dra::alloc

namespace dra::alloc {

TEST_CASE("schedule: a failure is reused only for claims with equal specs", "[alloc]") {
  // node-a's only device is tainted; node-b has two clean ones. "plain" fails on node-a and
  // goes to node-b; "tolerant" differs only in a toleration, so node-a must be tried for it
  // again (and fits there), while "plain-again", equal to "plain", skips node-a.
  std::string yaml =
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n";
  yaml +=
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: a}\n"
      "spec: {driver: d, nodeName: node-a, pool: {name: a, generation: 1, "
      "resourceSliceCount: 1}, devices: [{name: gpu-0, taints: [{key: bad, effect: "
      "NoSchedule}]}]}\n";
  yaml +=
      "---\napiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: b}\n"
      "spec: {driver: d, nodeName: node-b, pool: {name: b, generation: 1, "
      "resourceSliceCount: 1}, devices: [{name: gpu-0}, {name: gpu-1}]}\n";
  for (const char* name : {"plain", "tolerant", "plain-again"}) {
    const bool tolerant = std::string(name) == "tolerant";
    yaml += std::string("---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n") +
            "metadata: {name: " + name + ", namespace: default}\n" +
            "spec: {devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu" +
            (tolerant ? ", tolerations: [{key: bad, operator: Exists}]" : "") + "}}]}}\n";
  }
  const k8s::Cluster c = cluster_of(yaml);
  const Schedule s = schedule(c, {});
  REQUIRE(s.placed.size() == 3);
  CHECK(s.placed[0].node == "node-b");
  CHECK(s.placed[1].claims[0]->metadata.name == "tolerant");
  CHECK(s.placed[1].node == "node-a");
  CHECK(s.placed[2].node == "node-b");
  CHECK(s.placed[2].results[0].devices.results[0].device == "gpu-1");
}

}  // namespace dra::alloc

namespace dra::alloc {

TEST_CASE("schedule: fit_pods counts copies of a Pod, its template claims made for each",
          "[alloc]") {
  k8s::Cluster c = testing::cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  nodeName: n1
  pool: {name: n1, generation: 1, resourceSliceCount: 1}
  devices: [{name: g0}, {name: g1}, {name: g2}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: two, namespace: ns}
spec:
  spec:
    devices:
      requests: [{name: r, exactly: {deviceClassName: gpu, count: 2}}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: one, namespace: ns}
spec:
  spec:
    devices:
      requests: [{name: r, exactly: {deviceClassName: gpu}}]
---
# Pending, and not placed by fit: it would take a device otherwise.
apiVersion: v1
kind: Pod
metadata: {name: waiting, namespace: ns, uid: w}
spec:
  resourceClaims: [{name: r, resourceClaimTemplateName: two}]
)");
  k8s::RawJson pod{
      R"({"spec":{"containers":[{"name":"c"}],"resourceClaims":[{"name":"g","resourceClaimTemplateName":"one"}]}})"};
  const Fit f = fit_pods(c, pod, "copy", "ns", {}, 100);
  CHECK(f.total == 3);
  CHECK(f.per_node == std::vector<std::pair<std::string, int>>{{"n1", 3}});
  CHECK_FALSE(f.capped);
  CHECK(f.next == "cannot allocate on any of 1 node");
  const Fit capped = fit_pods(c, pod, "copy", "ns", {}, 2);
  CHECK(capped.total == 2);
  CHECK(capped.capped);
  k8s::RawJson two{
      R"({"spec":{"resourceClaims":[{"name":"g","resourceClaimTemplateName":"two"}]}})"};
  CHECK(fit_pods(c, two, "copy", "ns", {}, 100).total == 1);
  k8s::RawJson missing{
      R"({"spec":{"resourceClaims":[{"name":"g","resourceClaimTemplateName":"nope"}]}})"};
  const Fit none = fit_pods(c, missing, "copy", "ns", {}, 100);
  CHECK(none.total == 0);
  CHECK_THAT(none.next, Catch::Contains("resource claim template \"nope\" not found"));
}

}  // namespace dra::alloc

namespace dra::alloc {

TEST_CASE("schedule: on a large cluster too, the dump's allocations hold their devices",
          "[alloc]") {
  // From 2048 claims and slices the allocator (with the state the allocations hold) is built
  // on a second thread while the nodes and groups are read: the placements must not change.
  auto cluster = [](int fillers) {
    std::string yaml = one_node("gpu", "  - name: d-0\n  - name: d-1\n  - name: d-2\n");
    auto allocated = [](const std::string& name, const std::string& driver,
                        const std::string& device) {
      return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
             ", namespace: default}\nspec:\n  devices:\n    requests:\n    - name: r\n"
             "      exactly: {deviceClassName: gpu}\nstatus:\n  allocation:\n    devices:\n"
             "      results: [{request: r, driver: " +
             driver + ", pool: " + (driver == "d" ? "node-0" : "elsewhere") +
             ", device: " + device + "}]\n";
    };
    yaml += allocated("held", "d", "d-0");
    for (int i = 0; i < fillers; ++i)  // devices of another driver, in no slice here
      yaml += allocated("filler-" + std::to_string(i), "f", "f-" + std::to_string(i));
    for (int i = 1; i <= 3; ++i)
      yaml += "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: p" +
              std::to_string(i) +
              ", namespace: default}\nspec:\n  devices:\n    requests:\n    - name: r\n"
              "      exactly: {deviceClassName: gpu}\n";
    return cluster_of(yaml);
  };
  for (const int fillers : {0, 2100}) {
    INFO(fillers << " filler claims");
    const k8s::Cluster c = cluster(fillers);
    CHECK((c.resource_claims.size() + c.resource_slices.size() >= 2048) == (fillers > 0));
    const Schedule s = schedule(c, {});
    REQUIRE(s.placed.size() == 2);  // d-0 is held: p1 and p2 take d-1 and d-2
    CHECK(s.placed[0].claims[0]->metadata.name == "p1");
    CHECK(s.placed[0].results[0].devices.results[0].device == "d-1");
    CHECK(s.placed[1].results[0].devices.results[0].device == "d-2");
    REQUIRE(s.failed.size() == 1);
    CHECK(s.failed[0].claims[0]->metadata.name == "p3");
  }
}

}  // namespace dra::alloc
