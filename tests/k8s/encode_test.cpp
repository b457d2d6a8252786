// tests/k8s/encode_test.cpp -- writing objects back: byte-for-byte round trips per kind and
// version (YAML and JSON), and the v1beta1 <-> v1 conversion of spec/dra-api.md §7.
#include "k8s/encode.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "k8s/emit.hpp"
#include "k8s/load.hpp"

namespace dra::k8s {
namespace {

// The objects as written: no defaulting unless asked for.
LoadOptions options(bool defaults = false) {
  LoadOptions opts;
  opts.apply_defaults = defaults;
  return opts;
}

Cluster load_yaml(const std::string& text, bool defaults = false) {
  Cluster cluster;
  util::Diagnostics diags;
  load_text(text, "in.yaml", cluster, diags, options(defaults));
  INFO(diags.to_string());
  CHECK(diags.empty());
  return cluster;
}

// Every object of `cluster` (inputs here hold one kind each), as `version`.
std::vector<Value> encode_all(const Cluster& cluster, std::optional<ApiVersion> version = {}) {
  std::vector<Value> out;
  for (const auto& o : cluster.device_classes) out.push_back(encode(o, version));
  for (const auto& o : cluster.resource_slices) out.push_back(encode(o, version));
  for (const auto& o : cluster.resource_claims) out.push_back(encode(o, version));
  for (const auto& o : cluster.resource_claim_templates) out.push_back(encode(o, version));
  for (const auto& o : cluster.device_taint_rules) {
    util::Result<Value> v = encode(o, version);
    REQUIRE(v.ok());
    out.push_back(*v);
  }
  for (const auto& o : cluster.nodes) out.push_back(encode(o));
  for (const auto& o : cluster.pods) out.push_back(encode(o));
  return out;
}

std::string rewrite_yaml(const std::string& text, std::optional<ApiVersion> version = {}) {
  return to_yaml_documents(encode_all(load_yaml(text), version));
}

// ---- inputs, written as kubectl's YAML printer writes (so a round trip is byte-equal) -------

const std::string kClassV1 = R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  annotations:
    example.com/note: "yes"
  creationTimestamp: "2025-01-02T03:04:05Z"
  generation: 1
  managedFields:
  - apiVersion: resource.k8s.io/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:spec:
        f:selectors: {}
    manager: kubectl-create
    operation: Update
    time: "2025-01-02T03:04:05Z"
  name: gpu.example.com
  resourceVersion: "123"
  uid: 0b9a6c1e-1111-2222-3333-444455556666
spec:
  selectors:
  - cel:
      expression: device.driver == "gpu.example.com"
  - cel:
      expression: |-
        device.attributes["gpu.example.com"].model == "A100" &&
        device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0
  config:
  - opaque:
      driver: gpu.example.com
      parameters:
        apiVersion: gpu.example.com/v1
        kind: GpuConfig
        sharing:
          strategy: TimeSlicing
  futureField:
    nested: true
  extendedResourceName: example.com/gpu
futureTopLevel: 1
)";

const std::string kClassV1beta2 = R"(apiVersion: resource.k8s.io/v1beta2
kind: DeviceClass
metadata:
  name: nic.example.com
spec:
  selectors:
  - cel:
      expression: device.driver == "nic.example.com"
      futureCelField: x
)";

const std::string kSliceV1 = R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: node-1-gpu.example.com-abcde
spec:
  driver: gpu.example.com
  pool:
    name: node-1
    generation: 2
    resourceSliceCount: 1
    futurePoolField: x
  nodeName: node-1
  devices:
  - name: gpu-0
    attributes:
      model:
        string: A100
      driverVersion:
        version: 1.2.3
      cores:
        int: 108
      mig:
        bool: true
      gpu.example.com/ids:
        ints:
        - 1
        - 2
      flags:
        bools:
        - true
        - false
      tags:
        strings:
        - a
        - "yes"
      compat:
        versions:
        - 1.0.0
    capacity:
      memory:
        value: 40Gi
        requestPolicy:
          default: 10Gi
          validRange:
            min: 1Gi
            max: 40Gi
            step: 1Gi
        futureCapacityField: x
      slots:
        value: "4"
    consumesCounters:
    - counterSet: gpu-0-counters
      counters:
        memory:
          value: 40Gi
    taints:
    - key: example.com/unhealthy
      value: "true"
      effect: NoSchedule
      timeAdded: "2025-01-02T03:04:05Z"
    allowMultipleAllocations: true
    futureDeviceField:
      deep:
      - 1
  - name: gpu-1
  sharedCounters:
  - name: gpu-0-counters
    counters:
      memory:
        value: 40Gi
  futureField: on-spec
)";

const std::string kSliceV1beta1 = R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: pool-a
spec:
  driver: gpu.example.com
  pool:
    name: pool-a
    generation: 1
    resourceSliceCount: 1
  allNodes: true
  devices:
  - name: gpu-0
    basic:
      attributes:
        model:
          string: A100
      capacity:
        memory:
          value: 40Gi
      futureBasicField: 1
    futureDeviceField: 2
  - name: gpu-1
    basic: {}
  - name: gpu-2
    basic:
      nodeName: node-1
      taints:
      - key: example.com/unhealthy
        effect: NoExecute
---
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: pool-b
spec:
  driver: gpu.example.com
  pool:
    name: pool-b
    generation: 1
    resourceSliceCount: 1
  nodeName: ""
  allNodes: false
  perDeviceNodeSelection: true
  devices:
  - basic:
      allNodes: true
    name: gpu-0
)";

const std::string kClaimV1 = R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: claim-1
  namespace: default
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        selectors:
        - cel:
            expression: device.attributes["gpu.example.com"].model == "A100"
        allocationMode: ExactCount
        count: 2
        adminAccess: false
        tolerations:
        - key: example.com/unhealthy
          operator: Exists
          effect: NoSchedule
          tolerationSeconds: 300
        capacity:
          requests:
            memory: 10Gi
        futureExactField: x
    - name: nic
      firstAvailable:
      - name: fast
        deviceClassName: nic.example.com
        allocationMode: All
      - name: slow
        deviceClassName: nic.example.com
        count: 1
      futureRequestField: "y"
    - name: explicit-null
      exactly: null
      firstAvailable:
      - name: any
        deviceClassName: nic.example.com
    constraints:
    - requests:
      - gpu
      - nic/fast
      matchAttribute: resource.kubernetes.io/pcieRoot
    config:
    - requests:
      - gpu
      opaque:
        driver: gpu.example.com
        parameters:
          mode: shared
          replicas: 2
status:
  allocation:
    devices:
      results:
      - request: gpu
        driver: gpu.example.com
        pool: node-1
        device: gpu-0
        shareID: 4f6c2b6e-5d1a-4c3e-9f2a-1b2c3d4e5f60
        consumedCapacity:
          memory: 10Gi
        skipNodeOperations:
        - NodePrepareResources
      config:
      - source: FromClaim
        requests:
        - gpu
        opaque:
          driver: gpu.example.com
          parameters:
            mode: shared
    nodeSelector:
      nodeSelectorTerms:
      - matchFields:
        - key: metadata.name
          operator: In
          values:
          - node-1
    allocationTimestamp: "2025-01-02T03:04:05Z"
  reservedFor:
  - resource: pods
    name: pod-1
    uid: 6a1d0d5e-0000-0000-0000-000000000001
  devices:
  - driver: gpu.example.com
    pool: node-1
    device: gpu-0
    conditions:
    - type: Ready
      status: "True"
      reason: Configured
      message: ok
      lastTransitionTime: "2025-01-02T03:04:05Z"
)";

const std::string kClaimV1beta1 = R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata:
  name: claim-b
  namespace: default
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.example.com
      selectors:
      - cel:
          expression: device.driver == "gpu.example.com"
      allocationMode: ExactCount
      count: 1
      futureRequestField: x
    - name: nic
      firstAvailable:
      - name: fast
        deviceClassName: nic.example.com
)";

const std::string kTemplateV1beta2 = R"(apiVersion: resource.k8s.io/v1beta2
kind: ResourceClaimTemplate
metadata:
  name: tmpl
  namespace: default
spec:
  metadata:
    labels:
      app: demo
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: gpu.example.com
      futureDevicesField: []
)";

const std::string kTaintRuleV1 = R"(apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata:
  name: drain-gpu-0
spec:
  deviceSelector:
    driver: gpu.example.com
    pool: node-1
    device: gpu-0
  taint:
    key: example.com/maintenance
    value: planned
    effect: NoExecute
    timeAdded: "2025-01-02T03:04:05Z"
status:
  conditions:
  - type: EvictionInProgress
    status: "False"
    reason: Completed
    lastTransitionTime: "2025-01-02T03:04:05Z"
)";

const std::string kNodeAndPod = R"(apiVersion: v1
kind: Node
metadata:
  labels:
    kubernetes.io/hostname: node-1
  name: node-1
spec:
  taints:
  - effect: NoSchedule
    key: example.com/dedicated
    value: gpu
status:
  capacity:
    cpu: "8"
---
apiVersion: v1
kind: Pod
metadata:
  name: pod-1
  namespace: default
spec:
  containers:
  - image: registry.example.com/app:1.0
    name: app
    resources:
      claims:
      - name: gpu
  resourceClaims:
  - name: gpu
    resourceClaimName: claim-1
status:
  phase: Pending
)";

TEST_CASE("encode: YAML round trips are byte-for-byte in the version read", "[k8s]") {
  const std::pair<const char*, const std::string*> cases[] = {
      {"DeviceClass v1", &kClassV1},
      {"DeviceClass v1beta2", &kClassV1beta2},
      {"ResourceSlice v1", &kSliceV1},
      {"ResourceSlice v1beta1", &kSliceV1beta1},
      {"ResourceClaim v1", &kClaimV1},
      {"ResourceClaim v1beta1", &kClaimV1beta1},
      {"ResourceClaimTemplate v1beta2", &kTemplateV1beta2},
      {"DeviceTaintRule v1", &kTaintRuleV1},
      {"Node and Pod", &kNodeAndPod},
  };
  for (const auto& [name, text] : cases) {
    INFO(name);
    CHECK(rewrite_yaml(*text) == *text);
  }
}

TEST_CASE("encode: JSON round trip as kubectl get -o json prints", "[k8s]") {
  const std::string json = R"({
    "apiVersion": "resource.k8s.io/v1",
    "kind": "ResourceClaim",
    "metadata": {
        "creationTimestamp": "2025-01-02T03:04:05Z",
        "name": "claim-1",
        "namespace": "default",
        "resourceVersion": "42",
        "uid": "6a1d0d5e-0000-0000-0000-000000000002"
    },
    "spec": {
        "devices": {
            "requests": [
                {
                    "exactly": {
                        "allocationMode": "ExactCount",
                        "count": 1,
                        "deviceClassName": "gpu.example.com",
                        "selectors": [
                            {
                                "cel": {
                                    "expression": "device.attributes[\"gpu.example.com\"].memory \u003e= 8"
                                }
                            }
                        ]
                    },
                    "name": "gpu"
                }
            ]
        }
    },
    "status": {}
}
)";
  Cluster cluster;
  util::Diagnostics diags;
  load_text(json, "in.json", cluster, diags, options());
  INFO(diags.to_string());
  REQUIRE(cluster.resource_claims.size() == 1);
  CHECK(to_json(encode(cluster.resource_claims[0])) == json);
}

TEST_CASE("encode: fields the input lacked follow in canonical order", "[k8s]") {
  // Defaulting adds allocationMode and count to `exactly` and operator to a toleration.
  const Cluster cluster = load_yaml(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
spec:
  devices:
    requests:
    - exactly:
        tolerations:
        - key: k
        deviceClassName: gpu.example.com
      name: gpu
)",
                                    /*defaults=*/true);
  REQUIRE(cluster.resource_claims.size() == 1);
  CHECK(to_yaml(encode(cluster.resource_claims[0])) == R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
spec:
  devices:
    requests:
    - exactly:
        tolerations:
        - key: k
          operator: Equal
        deviceClassName: gpu.example.com
        allocationMode: ExactCount
        count: 1
      name: gpu
)");
}

TEST_CASE("encode: objects the tool made are written in canonical v1", "[k8s]") {
  DeviceClass cls;
  cls.metadata.name = "gpu.example.com";
  CHECK(to_yaml(encode(cls)) == R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: gpu.example.com
spec: {}
)");

  ResourceClaim claim;
  claim.metadata.name = "c";
  claim.metadata.namespace_ = "default";
  DeviceRequest& r = claim.spec.devices.requests.emplace_back();
  r.name = "gpu";
  r.exactly.emplace().device_class_name = "gpu.example.com";
  r.exactly->count = 1;
  claim.has_status = true;
  AllocationResult& a = claim.status.allocation.emplace();
  DeviceRequestAllocationResult& res = a.devices.results.emplace_back();
  res.request = "gpu";
  res.driver = "gpu.example.com";
  res.pool = "node-1";
  res.device = "gpu-0";
  CHECK(to_yaml(encode(claim)) == R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
  namespace: default
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 1
status:
  allocation:
    devices:
      results:
      - request: gpu
        driver: gpu.example.com
        pool: node-1
        device: gpu-0
)");

  ResourceClaim empty;
  empty.metadata.name = "e";
  CHECK(to_yaml(encode(empty, ApiVersion::V1beta1)) == R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata:
  name: e
spec:
  devices: {}
)");

  // core/v1 objects without `raw`.
  NodeObject node;
  node.metadata.name = "node-1";
  CHECK(to_yaml(encode(node)) == "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n");
}

TEST_CASE("encode: v1beta1 to v1 (spec/dra-api.md §7.3)", "[k8s]") {
  // Flat request -> `exactly`; `basic` lifted; nodeName "" and allNodes false are unset.
  const std::pair<const char*, std::pair<std::string, std::string>> cases[] = {
      {"claim", {kClaimV1beta1, R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: claim-b
  namespace: default
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        selectors:
        - cel:
            expression: device.driver == "gpu.example.com"
        allocationMode: ExactCount
        count: 1
      futureRequestField: x
    - name: nic
      firstAvailable:
      - name: fast
        deviceClassName: nic.example.com
)"}},
      {"slice",
       {R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  nodeName: ""
  allNodes: false
  devices:
  - name: gpu-0
    basic:
      attributes:
        model:
          string: A100
      futureBasicField: x
    futureDeviceField: "y"
  - name: gpu-1
)",
        R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  devices:
  - name: gpu-0
    attributes:
      model:
        string: A100
    futureDeviceField: "y"
    futureBasicField: x
  - name: gpu-1
)"}},
      {"slice with allNodes and nodeName set",
       {R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  nodeName: node-1
  allNodes: true
)",
        R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  nodeName: node-1
  allNodes: true
)"}},
  };
  for (const auto& [name, texts] : cases) {
    INFO(name);
    CHECK(rewrite_yaml(texts.first, ApiVersion::V1) == texts.second);
  }
}

TEST_CASE("encode: v1 to v1beta1 (spec/dra-api.md §7.3)", "[k8s]") {
  // `exactly` flattened; device fields wrapped in `basic` (always written); nodeName "" and
  // allNodes false, which v1beta1 cannot say, left out.
  const std::pair<const char*, std::pair<std::string, std::string>> cases[] = {
      {"claim",
       {R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        adminAccess: true
        futureExactField: x
      futureRequestField: "y"
    - name: nic
      firstAvailable:
      - name: fast
        deviceClassName: nic.example.com
)",
        R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata:
  name: c
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.example.com
      count: 2
      adminAccess: true
      futureRequestField: "y"
      futureExactField: x
    - name: nic
      firstAvailable:
      - name: fast
        deviceClassName: nic.example.com
)"}},
      {"slice",
       {R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  nodeName: ""
  allNodes: false
  devices:
  - attributes:
      model:
        string: A100
    name: gpu-0
    futureDeviceField: x
  - name: gpu-1
)",
        R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  devices:
  - name: gpu-0
    basic:
      attributes:
        model:
          string: A100
      futureDeviceField: x
  - name: gpu-1
    basic: {}
)"}},
  };
  for (const auto& [name, texts] : cases) {
    INFO(name);
    CHECK(rewrite_yaml(texts.first, ApiVersion::V1beta1) == texts.second);
  }
}

TEST_CASE("encode: v1beta1 -> v1 -> v1beta1 is lossless for valid objects", "[k8s]") {
  const std::string slice = R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: pool-a
spec:
  driver: gpu.example.com
  pool:
    name: pool-a
    generation: 1
    resourceSliceCount: 1
  devices:
  - name: gpu-0
    basic:
      attributes:
        model:
          string: A100
      capacity:
        memory:
          value: 40Gi
      nodeName: node-1
  - name: gpu-1
    basic:
      allNodes: true
      taints:
      - key: example.com/unhealthy
        effect: NoExecute
  - name: gpu-2
    basic: {}
  perDeviceNodeSelection: true
)";
  for (const std::string* text : {&kClaimV1beta1, &slice}) {
    const std::string v1 = rewrite_yaml(*text, ApiVersion::V1);
    CHECK(v1.find("basic") == std::string::npos);
    CHECK(rewrite_yaml(v1, ApiVersion::V1beta1) == *text);
  }
}

TEST_CASE("encode: a v1beta1 device keeps unknown fields inside and outside basic", "[k8s]") {
  // As if the decoder recorded basic's unknown fields in device.origin.fields too (one
  // nullptr entry per extra of either kind, basic's just before the "basic" entry).
  ResourceSlice slice;
  slice.source.version = ApiVersion::V1beta1;
  slice.metadata.name = "s";
  Device& d = slice.spec.devices.emplace_back();
  d.name = "gpu-0";
  d.attributes.emplace_back(util::Atom("model"), DeviceAttribute::of_string("A100"));
  d.origin.fields = {{nullptr, {}},      {"name", {}},  {nullptr, {}},
                     {"attributes", {}}, {"basic", {}}, {nullptr, {}}};
  d.origin.extras = {{"before", Value::of(int64_t{1})}, {"after", Value::of(int64_t{2})}};
  d.basic_extras = {{"inside", Value::of(int64_t{3})}};
  slice.spec.driver = "gpu.example.com";
  slice.spec.pool = {.name = "p", .generation = 1, .resource_slice_count = 1, .origin = {}};
  slice.spec.origin.fields = {{"driver", {}}, {"pool", {}}, {"devices", {}}};
  slice.origin.fields = {{"metadata", {}}, {"spec", {}}};
  CHECK(to_yaml(encode(slice)) == R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata:
  name: s
spec:
  driver: gpu.example.com
  pool:
    name: p
    generation: 1
    resourceSliceCount: 1
  devices:
  - before: 1
    name: gpu-0
    basic:
      inside: 3
      attributes:
        model:
          string: A100
    after: 2
)");
}

TEST_CASE("encode: v1 and v1beta2 differ only in apiVersion", "[k8s]") {
  std::string v1 = kTaintRuleV1;
  std::string v1beta2 = v1;
  v1beta2.replace(v1beta2.find("resource.k8s.io/v1"), 18, "resource.k8s.io/v1beta2");
  CHECK(rewrite_yaml(v1, ApiVersion::V1beta2) == v1beta2);
  CHECK(rewrite_yaml(v1beta2, ApiVersion::V1) == v1);
}

TEST_CASE("encode: v1beta1 has no DeviceTaintRule", "[k8s]") {
  const Cluster cluster = load_yaml(kTaintRuleV1);
  REQUIRE(cluster.device_taint_rules.size() == 1);
  util::Result<Value> v = encode(cluster.device_taint_rules[0], ApiVersion::V1beta1);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error() ==
        "cannot write DeviceTaintRule drain-gpu-0 as resource.k8s.io/v1beta1: that version has "
        "no DeviceTaintRule; use resource.k8s.io/v1 or resource.k8s.io/v1beta2");
  CHECK(encode(cluster.device_taint_rules[0], ApiVersion::V1beta2).ok());
}

}  // namespace
}  // namespace dra::k8s
