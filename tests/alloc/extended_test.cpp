// tests/alloc/extended_test.cpp -- DRA-backed extended resources, with the facts of
// upstream's tests as cases: the scheduler plugin's TestPlugin (DRAExtendedResource cases),
// Test_createRequestsAndMappings_{requests,mappings}, the extended resource cache's tests and
// NodeResourcesFit's TestEnoughRequests.
#include "alloc/extended.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "alloc/schedule.hpp"
#include "test_util.hpp"

namespace dra::alloc {
namespace {

using testing::cluster_of;

// "name class xN" per request, in order.
std::string requests_of(const k8s::ResourceClaimSpec& spec) {
  std::string s;
  for (const auto& r : spec.devices.requests)
    s += fmt::format("{} {} x{}; ", r.name, r.exactly->device_class_name, r.exactly->count);
  return s;
}
std::string mappings_of(const std::vector<ExtendedMapping>& ms) {
  std::string s;
  for (const auto& m : ms) s += fmt::format("({}, {}, {}) ", m.container, m.resource, m.request);
  return s;
}
std::string results_of(const k8s::AllocationResult& a) {
  std::string s;
  for (const auto& r : a.devices.results) s += r.request + "=" + r.device + " ";
  return s;
}

// Upstream's test fixtures: classes, nodes and slices of TestPlugin.
const std::string kFixtures = R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: my-resource-class}
spec: {extendedResourceName: example.com/gpu}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: my-resource-class2}
spec: {extendedResourceName: example.com/gpu2}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: worker-slice}
spec:
  driver: some-driver
  nodeName: worker
  pool: {name: worker, generation: 1, resourceSliceCount: 1}
  devices: [{name: instance-1}, {name: instance-2}, {name: instance-3}, {name: instance-4}]
)";

std::string node(const std::string& allocatable) {
  return "---\napiVersion: v1\nkind: Node\nmetadata: {name: worker}\nstatus: {allocatable: {" +
         allocatable + "}}\n";
}
std::string pod(const std::string& containers) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: my-pod, namespace: default, uid: "
         "\"1234\"}\nspec:\n  containers:\n" +
         containers;
}

}  // namespace

TEST_CASE("extended: resource names the scheduler may hand to DRA", "[alloc]") {
  CHECK(is_extended_resource_name("example.com/gpu"));
  CHECK(is_extended_resource_name("extended.resource.dra.io/something"));
  CHECK_FALSE(is_extended_resource_name("cpu"));
  CHECK_FALSE(is_extended_resource_name("kubernetes.io/gpu"));
  CHECK_FALSE(is_extended_resource_name("deviceclass.resource.kubernetes.io/gpu"));
  CHECK_FALSE(is_extended_resource_name("requests.example.com/gpu"));
  CHECK_FALSE(is_extended_resource_name("Example.com/gpu"));    // the prefix is a DNS name
  CHECK_FALSE(is_extended_resource_name("example.com/gpu/a"));  // one '/' at most
  CHECK_FALSE(is_extended_resource_name("example.com/-gpu"));   // alphanumeric at both ends
  CHECK(is_extended_resource_name("example.com/" + std::string(63, 'g')));
  CHECK_FALSE(is_extended_resource_name("example.com/" + std::string(64, 'g')));
  CHECK(is_dra_extended_resource_name("deviceclass.resource.kubernetes.io/gpu"));
  CHECK_FALSE(is_dra_extended_resource_name("memory"));
}

TEST_CASE("extended: which class serves a name (the extended resource cache's tests)", "[alloc]") {
  const std::string classes = R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu-class, creationTimestamp: "2026-01-02T00:00:00Z"}
spec: {extendedResourceName: example.com/gpu}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: fpga-class, creationTimestamp: "2026-01-02T00:00:00Z"}
spec: {}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu-class-3, creationTimestamp: "2026-01-01T00:00:00Z"}
spec: {extendedResourceName: example.com/gpu}
)";
  auto name = [](const ExtendedResourceClasses& c, std::string_view r) -> std::string {
    const k8s::DeviceClass* d = c.find(r);
    return d ? d->metadata.name : "<nil>";
  };
  {
    // An older class with the same name does not replace the newer one.
    const k8s::Cluster c = cluster_of(classes);
    const ExtendedResourceClasses m(c);
    CHECK(name(m, "example.com/gpu") == "gpu-class");
    CHECK(name(m, "deviceclass.resource.kubernetes.io/fpga-class") == "fpga-class");
    CHECK(name(m, "deviceclass.resource.kubernetes.io/gpu-class") == "gpu-class");
    CHECK(name(m, "deviceclass.resource.kubernetes.io/nope") == "<nil>");
    CHECK(name(m, "example.com/other") == "<nil>");
  }
  const std::string newer = R"(
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu-class-4, creationTimestamp: "2026-01-02T01:00:00Z"}
spec: {extendedResourceName: example.com/gpu}
)";
  {
    const k8s::Cluster c = cluster_of(classes + newer);
    CHECK(name(ExtendedResourceClasses(c), "example.com/gpu") == "gpu-class-4");
  }
  {
    // Created at the same time: the smaller name wins.
    const k8s::Cluster c = cluster_of(classes + newer + R"(
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu-class-0, creationTimestamp: "2026-01-02T01:00:00Z"}
spec: {extendedResourceName: example.com/gpu}
)");
    const ExtendedResourceClasses m(c);
    CHECK(name(m, "example.com/gpu") == "gpu-class-0");
    std::vector<std::string> order;
    for (const auto* d : m.candidates("example.com/gpu")) order.push_back(d->metadata.name);
    CHECK(order ==
          std::vector<std::string>{"gpu-class-0", "gpu-class-4", "gpu-class", "gpu-class-3"});
  }
}

TEST_CASE("extended: the claim's requests and mappings (createRequestsAndMappings)", "[alloc]") {
  const k8s::Cluster c = cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: class}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: class1}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: classInit}
)");
  const k8s::DeviceClass* cls = &c.device_classes[0];
  const k8s::DeviceClass* cls1 = &c.device_classes[1];
  const k8s::DeviceClass* init = &c.device_classes[2];
  auto claim_for = [&](const std::string& containers,
                       std::vector<std::pair<std::string, const k8s::DeviceClass*>> to_dra) {
    const k8s::Cluster p = cluster_of(pod(containers));
    return extended_claim(p.pods.front(), to_dra);
  };
  SECTION("pod1: one container, two resources") {
    const std::string con0 =
        "  - {name: con0, resources: {requests: {example.com/gpu: 1, example.com/gpu1: 2}}}\n";
    CHECK(requests_of(claim_for(con0, {{"example.com/gpu", cls}}).spec) ==
          "container-0-request-0 class x1; ");
    const ExtendedClaim e = claim_for(con0, {{"example.com/gpu", cls}, {"example.com/gpu1", cls1}});
    CHECK(requests_of(e.spec) ==
          "container-0-request-0 class x1; container-0-request-1 class1 x2; ");
    CHECK(mappings_of(e.mappings) ==
          "(con0, example.com/gpu, container-0-request-0) (con0, example.com/gpu1, "
          "container-0-request-1) ");
  }
  SECTION("pod2: two containers") {
    const ExtendedClaim e = claim_for(
        "  - {name: con0, resources: {requests: {example.com/gpu: 1}}}\n"
        "  - {name: con1, resources: {requests: {example.com/gpu1: 2}}}\n",
        {{"example.com/gpu", cls}, {"example.com/gpu1", cls1}});
    CHECK(requests_of(e.spec) ==
          "container-0-request-0 class x1; container-1-request-0 class1 x2; ");
    CHECK(mappings_of(e.mappings) ==
          "(con0, example.com/gpu, container-0-request-0) (con1, example.com/gpu1, "
          "container-1-request-0) ");
  }
  SECTION("podInit: an init container comes first in the index") {
    const ExtendedClaim e = claim_for(
        "  - {name: con0, resources: {requests: {example.com/gpu: 1}}}\n"
        "  initContainers:\n"
        "  - {name: init-con0, resources: {requests: {example.com/gpuinit: 2}}}\n",
        {{"example.com/gpu", cls}, {"example.com/gpuinit", init}});
    CHECK(requests_of(e.spec) ==
          "container-0-request-0 classInit x2; container-1-request-0 class x1; ");
    CHECK(mappings_of(e.mappings) ==
          "(con0, example.com/gpu, container-1-request-0) (init-con0, example.com/gpuinit, "
          "container-0-request-0) ");
  }
  SECTION("podInit2: init containers share the largest request") {
    const ExtendedClaim e = claim_for(
        "  - {name: con0, resources: {requests: {example.com/gpu: 1}}}\n"
        "  initContainers:\n"
        "  - {name: init-con0, resources: {requests: {example.com/gpuinit: 1}}}\n"
        "  - {name: init-con1, resources: {requests: {example.com/gpuinit: 2}}}\n",
        {{"example.com/gpu", cls}, {"example.com/gpuinit", init}});
    CHECK(requests_of(e.spec) ==
          "container-1-request-0 classInit x2; container-2-request-0 class x1; ");
    CHECK_THAT(mappings_of(e.mappings),
               Catch::Contains("(init-con0, example.com/gpuinit, container-1-request-0)") &&
                   Catch::Contains("(init-con1, example.com/gpuinit, container-1-request-0)"));
  }
  SECTION("podInit3: an init container reuses a later sidecar's devices") {
    const ExtendedClaim e = claim_for(
        "  - {name: con0, resources: {requests: {example.com/gpu: 1}}}\n"
        "  initContainers:\n"
        "  - {name: init-con0, resources: {requests: {example.com/gpuinit: 1}}}\n"
        "  - {name: sidecar-con1, restartPolicy: Always, resources: {requests: "
        "{example.com/gpuinit: 1}}}\n"
        "  - {name: init-con2, resources: {requests: {example.com/gpuinit: 2}}}\n",
        {{"example.com/gpu", cls}, {"example.com/gpuinit", init}});
    CHECK(requests_of(e.spec) ==
          "container-1-request-0 classInit x1; container-2-request-0 classInit x2; "
          "container-3-request-0 class x1; ");
    CHECK_THAT(mappings_of(e.mappings),
               Catch::Contains("(init-con0, example.com/gpuinit, container-1-request-0)") &&
                   Catch::Contains("(sidecar-con1, example.com/gpuinit, container-1-request-0)") &&
                   Catch::Contains("(init-con2, example.com/gpuinit, container-2-request-0)") &&
                   Catch::Contains("(con0, example.com/gpu, container-3-request-0)"));
  }
  SECTION("an explicit and an implicit name of one class stay apart; names sort first") {
    const ExtendedClaim e = claim_for(
        "  - {name: con0, resources: {requests: {example.com/gpu: 1}}}\n"
        "  initContainers:\n"
        "  - {name: init-con0, resources: {requests: {example.com/gpuinit: 1, "
        "deviceclass.resource.kubernetes.io/classInit: 2}}}\n",
        {{"deviceclass.resource.kubernetes.io/classInit", init},
         {"example.com/gpu", cls},
         {"example.com/gpuinit", init}});
    CHECK(requests_of(e.spec) ==
          "container-0-request-0 classInit x2; container-0-request-1 classInit x1; "
          "container-1-request-0 class x1; ");
  }
  SECTION("requests sort by name as text: container-10 before container-2") {
    std::string containers;
    for (int i = 0; i < 11; ++i)
      containers +=
          fmt::format("  - {{name: c{}, resources: {{requests: {{example.com/gpu: 1}}}}}}\n", i);
    const ExtendedClaim e = claim_for(containers, {{"example.com/gpu", cls}});
    REQUIRE(e.spec.devices.requests.size() == 11);
    CHECK(e.spec.devices.requests[1].name == "container-1-request-0");
    CHECK(e.spec.devices.requests[2].name == "container-10-request-0");
  }
}

TEST_CASE("extended: what the scheduler counts for a Pod (PodRequests)", "[alloc]") {
  const k8s::Cluster c = cluster_of(pod(R"(  - {name: a, resources: {limits: {example.com/gpu: 2}}}
  - {name: b, resources: {requests: {example.com/gpu: 1}, limits: {example.com/gpu: 1}}}
  initContainers:
  - {name: side, restartPolicy: Always, resources: {requests: {example.com/gpu: 1}}}
  - {name: big-init, resources: {requests: {example.com/gpu: 5}}}
  - {name: half, resources: {requests: {example.com/gpu: 500m}}}
)"));
  // Long-lived: 2 + 1 + 1 (sidecar) = 4; the init container after the sidecar needs 5 + 1.
  CHECK(pod_request(c.pods.front(), "example.com/gpu") == 6);
  CHECK(pod_request(c.pods.front(), "example.com/other") == 0);
  CHECK(extended_requests(c.pods.front()) == std::vector<std::string>{"example.com/gpu"});
}

TEST_CASE("extended: upstream's scheduler cases, through the schedule", "[alloc]") {
  ScheduleOptions opts;
  SECTION("extended-resource-name-with-node-resource: the device plugin serves it") {
    const k8s::Cluster c =
        cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: my-resource-class}
spec: {extendedResourceName: example.com/gpu}
)" + node("example.com/gpu: 1") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    CHECK(s.placed[0].claims.empty());  // no claim is made
    CHECK(s.placed[0].extended == nullptr);
  }
  SECTION("extended-resource-one-device-plugin-one-dra") {
    const k8s::Cluster c = cluster_of(
        kFixtures + node("example.com/gpu: 1") +
        pod("  - {name: c, resources: {requests: {example.com/gpu: 1, example.com/gpu2: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    REQUIRE(s.placed[0].extended);
    CHECK(requests_of(s.placed[0].extended->spec) ==
          "container-0-request-1 my-resource-class2 x1; ");
    CHECK(results_of(s.placed[0].results.back()) == "container-0-request-1=instance-1 ");
  }
  SECTION("extended-resource-name-with-zero-allocatable: DRA serves it") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("example.com/gpu: \"0\"") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    REQUIRE(s.placed[0].extended);
    CHECK(requests_of(s.placed[0].extended->spec) ==
          "container-0-request-0 my-resource-class x1; ");
  }
  SECTION("non-DRA-extended-resource-name: a class without the name does not serve it") {
    const k8s::Cluster c =
        cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: my-resource-class}
)" + node("example.com/gpu: \"0\"") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    CHECK(s.placed.empty());  // not the DRA plugin's Pod: nothing to allocate
    CHECK(s.failed.empty());
  }
  SECTION("extended-resource-name-no-resource: no devices, not placed") {
    const k8s::Cluster c = cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: my-resource-class}
spec: {extendedResourceName: example.com/gpu}
)" + node("cpu: \"8\"") + pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.failed.size() == 1);
    CHECK(s.failed[0].reason == "cannot allocate on any of 1 node");
  }
  SECTION("extended-resource-name-with-resources: the claim as the scheduler creates it") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("cpu: \"8\"") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    const k8s::ResourceClaim* claim = s.placed[0].extended;
    REQUIRE(claim);
    CHECK(claim->metadata.generate_name == "my-pod-extended-resources-");
    CHECK_THAT(claim->metadata.name,
               Catch::Matches("my-pod-extended-resources-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    CHECK(claim->metadata.namespace_ == "default");
    CHECK(claim->metadata.annotations ==
          k8s::StringMap{{"resource.kubernetes.io/extended-resource-claim", "true"}});
    CHECK(is_extended_claim_of(*claim, c.pods.front()));
    CHECK(results_of(s.placed[0].results.back()) == "container-0-request-0=instance-1 ");
    CHECK(mappings_of(s.placed[0].mappings) == "(c, example.com/gpu, container-0-request-0) ");
  }
  SECTION("implicit-extended-resource-name-with-resources") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("cpu: \"8\"") +
                   pod("  - {name: c, resources: {requests: "
                       "{deviceclass.resource.kubernetes.io/my-resource-class: 1, "
                       "example.com/gpu: 2}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    REQUIRE(s.placed[0].extended);
    CHECK(
        requests_of(s.placed[0].extended->spec) ==
        "container-0-request-0 my-resource-class x1; container-0-request-1 my-resource-class x2; ");
    CHECK(results_of(s.placed[0].results.back()) ==
          "container-0-request-0=instance-1 container-0-request-1=instance-2 "
          "container-0-request-1=instance-3 ");
  }
  SECTION("implicit-extended-resource-name-two-containers-with-resources") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("cpu: \"8\"") +
                   pod("  - {name: c0, resources: {requests: "
                       "{deviceclass.resource.kubernetes.io/my-resource-class: 1}}}\n"
                       "  - {name: c1, resources: {requests: {example.com/gpu: 2}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    CHECK(
        requests_of(s.placed[0].extended->spec) ==
        "container-0-request-0 my-resource-class x1; container-1-request-0 my-resource-class x2; ");
  }
  SECTION("extended-resource-name-with-resources-has-claim: an unallocated claim is stale") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("cpu: \"8\"") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n") + R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: my-pod-extended-resources-0
  namespace: default
  annotations: {resource.kubernetes.io/extended-resource-claim: "true"}
  ownerReferences: [{apiVersion: v1, kind: Pod, name: my-pod, uid: "1234", controller: true}]
spec:
  devices:
    requests: [{name: container-0-request-0, exactly: {deviceClassName: my-resource-class}}]
)");
    const Schedule s = schedule(c, opts);
    REQUIRE(s.failed.size() == 1);
    CHECK_THAT(s.failed[0].reason, Catch::StartsWith("cannot schedule extended resource claim "
                                                     "default/my-pod-extended-resources-0"));
  }
  SECTION("only the Pod's own claim counts: namespace, annotation and controller uid") {
    // A stale claim (unallocated) fails the Pod, so each claim below would show if it counted.
    auto extended_claim = [](const std::string& name, const std::string& ns,
                             const std::string& annotation, const std::string& uid) {
      return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata:\n  name: " +
             name + "\n  namespace: " + ns +
             "\n  annotations: {resource.kubernetes.io/extended-resource-claim: \"" + annotation +
             "\"}\n  ownerReferences: [{apiVersion: v1, kind: Pod, name: my-pod, uid: \"" + uid +
             "\", controller: true}]\nspec:\n  devices:\n    requests: [{name: r, exactly: "
             "{deviceClassName: my-resource-class}}]\n";
    };
    const std::string base = kFixtures + node("cpu: \"8\"") +
                             pod("  - {name: c, resources: {requests: {example.com/gpu: 1}}}\n");
    const k8s::Cluster others =
        cluster_of(base + extended_claim("elsewhere", "other", "true", "1234") +
                   extended_claim("not-made", "default", "false", "1234") +
                   extended_claim("someone-else", "default", "true", "9999"));
    const Schedule s = schedule(others, opts);
    // None of them is the Pod's: the scheduler makes one, and each of the three is a claim no
    // Pod references (placed after the Pods).
    REQUIRE(s.placed.size() == 4);
    CHECK(s.placed[0].pod);
    CHECK(s.placed[0].extended);
    CHECK(s.failed.empty());
    // Two of the Pod's own: the first in the dump's order is the one that counts.
    const k8s::Cluster two = cluster_of(base + extended_claim("first", "default", "true", "1234") +
                                        extended_claim("second", "default", "true", "1234"));
    const Schedule t = schedule(two, opts);
    REQUIRE(t.failed.size() == 1);
    CHECK_THAT(t.failed[0].reason, Catch::Contains("claim default/first: it exists"));
  }
  SECTION("an allocated claim made earlier binds the Pod to its node; nothing new is made") {
    const k8s::Cluster c = cluster_of(kFixtures + node("cpu: \"8\"") + R"(
---
apiVersion: v1
kind: Pod
metadata: {name: my-pod, namespace: default, uid: "1234"}
spec:
  containers: [{name: c, resources: {requests: {example.com/gpu: 1}}}]
  resourceClaims: [{name: other, resourceClaimName: other}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: other, namespace: default}
spec:
  devices:
    requests: [{name: r, exactly: {deviceClassName: my-resource-class}}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: my-pod-extended-resources-0
  namespace: default
  annotations: {resource.kubernetes.io/extended-resource-claim: "true"}
  ownerReferences: [{apiVersion: v1, kind: Pod, name: my-pod, uid: "1234", controller: true}]
spec:
  devices:
    requests: [{name: container-0-request-0, exactly: {deviceClassName: my-resource-class}}]
status:
  allocation:
    devices:
      results: [{request: container-0-request-0, driver: some-driver, pool: worker, device: instance-1}]
)");
    const Schedule s = schedule(c, opts);
    REQUIRE(s.placed.size() == 1);
    CHECK(s.placed[0].extended == nullptr);
    CHECK(results_of(s.placed[0].results.front()) == "r=instance-2 ");  // instance-1 is in use
  }
  SECTION("TestEnoughRequests: a name no class and no node serves rules the node out") {
    const k8s::Cluster c = cluster_of(
        kFixtures + node("example.com/aaa: 5") +
        pod("  - {name: c, resources: {requests: {example.com/gpu: 1, example.com/bbb: 1}}}\n"));
    const Schedule s = schedule(c, opts);
    REQUIRE(s.failed.size() == 1);
    CHECK_THAT(s.failed[0].reason, Catch::Contains("Insufficient example.com/bbb"));
  }
  SECTION("the device plugin's count: Pods bound to the node use it up") {
    const k8s::Cluster c =
        cluster_of(kFixtures + node("example.com/gpu: 2") +
                   pod("  - {name: c, resources: {requests: {example.com/gpu: 2}}}\n") + R"(
---
apiVersion: v1
kind: Pod
metadata: {name: running, namespace: default}
spec:
  nodeName: worker
  containers: [{name: c, resources: {limits: {example.com/gpu: 1}}}]
)");
    const Schedule s = schedule(c, opts);
    REQUIRE(s.failed.size() == 1);
    CHECK_THAT(s.failed[0].reason,
               Catch::Contains("Insufficient example.com/gpu (the node's device plugin has 2, 1 "
                               "in use, the Pod needs 2)"));
  }
}

}  // namespace dra::alloc
