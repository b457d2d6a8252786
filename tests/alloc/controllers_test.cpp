// tests/alloc/controllers_test.cpp -- the resourceclaim controller's claims from templates,
// with the facts of upstream's TestSyncHandler (pkg/controller/resourceclaim) and TestName
// (dynamic-resource-allocation/resourceclaim) as cases, and the generated names.
#include "alloc/controllers.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>

#include "alloc/schedule.hpp"
#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "test_util.hpp"

namespace dra::alloc {
namespace {

using testing::cluster_of;

// Upstream's fixtures: Pod test-pod (uid uidpod1) in my-namespace, entry acme-resource from
// template my-template.
const std::string kPod = R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1}
spec:
  containers: [{name: c, image: x}]
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
)";
const std::string kTemplate = R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: my-template, namespace: my-namespace}
spec:
  spec: {}
)";
// A claim the controller made earlier: owned by the Pod, annotated for the entry.
const std::string kOwnedClaim = R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: test-pod-acme-resource-x2k9p
  namespace: my-namespace
  annotations: {resource.kubernetes.io/pod-claim-name: acme-resource}
  ownerReferences: [{apiVersion: v1, kind: Pod, name: test-pod, uid: uidpod1, controller: true}]
spec: {}
)";

std::string status_of(const k8s::Pod& pod) {
  std::string s;
  for (const auto& st : pod.resource_claim_statuses)
    s += st.name + "=" + st.resource_claim_name.value_or("<nil>") + ";";
  return s;
}

}  // namespace

TEST_CASE("controllers: a claim from the template, as the resourceclaim controller makes it",
          "[alloc]") {
  k8s::Cluster c = cluster_of(kPod + kTemplate);
  const auto done = create_template_claims(c);
  REQUIRE(done.size() == 1);
  CHECK(done[0].created);
  CHECK(done[0].entry == "acme-resource");
  CHECK(done[0].template_ == "my-template");
  REQUIRE(c.resource_claims.size() == 1);
  const k8s::ResourceClaim& claim = c.resource_claims.front();
  CHECK(done[0].claim == &claim);
  CHECK(claim.metadata.generate_name == "test-pod-acme-resource-");
  CHECK_THAT(claim.metadata.name,
             Catch::Matches("test-pod-acme-resource-[bcdfghjklmnpqrstvwxz2456789]{5}"));
  CHECK(claim.metadata.namespace_ == "my-namespace");
  CHECK(claim.metadata.labels.empty());
  CHECK(controller_uid(claim.metadata) == "uidpod1");
  // The whole object as written: upstream's templatedTestClaim, with our name.
  CHECK(k8s::to_yaml(k8s::encode(claim)) ==
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata:\n  name: " +
            claim.metadata.name +
            "\n  generateName: test-pod-acme-resource-\n  namespace: my-namespace\n  annotations:\n"
            "    resource.kubernetes.io/pod-claim-name: acme-resource\n  ownerReferences:\n"
            "  - apiVersion: v1\n    kind: Pod\n    name: test-pod\n    uid: uidpod1\n"
            "    controller: true\nspec:\n  devices: {}\n");
  // The Pod's status names it, in the model and as written.
  const k8s::Pod& pod = c.pods.front();
  CHECK(status_of(pod) == "acme-resource=" + claim.metadata.name + ";");
  CHECK_THAT(k8s::to_yaml(k8s::encode(pod)),
             Catch::EndsWith("status:\n  resourceClaimStatuses:\n  - name: acme-resource\n"
                             "    resourceClaimName: " +
                             claim.metadata.name + "\n"));
  // A second run finds it and does nothing ("nop").
  CHECK(create_template_claims(c).empty());
  CHECK(c.resource_claims.size() == 1);
}

TEST_CASE("controllers: upstream's sync cases", "[alloc]") {
  SECTION("nop: the status names an existing claim the Pod owns") {
    k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1}
spec:
  containers: [{name: c, image: x}]
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
status:
  resourceClaimStatuses: [{name: acme-resource, resourceClaimName: test-pod-acme-resource-x2k9p}]
)" + kTemplate + kOwnedClaim);
    CHECK(create_template_claims(c).empty());
    CHECK(c.resource_claims.size() == 1);
    CHECK(status_of(c.pods.front()) == "acme-resource=test-pod-acme-resource-x2k9p;");
  }
  SECTION("recreate: the claim the status names is gone") {
    k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1}
spec:
  containers: [{name: c, image: x}]
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
status:
  resourceClaimStatuses: [{name: acme-resource, resourceClaimName: test-pod-acme-resource-gone1}]
)" + kTemplate);
    const auto done = create_template_claims(c);
    REQUIRE(done.size() == 1);
    CHECK(done[0].created);
    REQUIRE(c.resource_claims.size() == 1);
    CHECK(status_of(c.pods.front()) ==
          "acme-resource=" + c.resource_claims.front().metadata.name + ";");
  }
  SECTION("missing-template: nothing is made; the schedule says why") {
    k8s::Cluster c = cluster_of(kPod);
    CHECK(create_template_claims(c).empty());
    CHECK(c.resource_claims.empty());
    CHECK(c.pods.front().resource_claim_statuses.empty());
    const Schedule s = schedule(c, {});
    REQUIRE(s.failed.size() == 1);
    CHECK(s.failed[0].reason ==
          "resource claim template \"my-template\" not found in namespace my-namespace: the "
          "resourceclaim controller cannot create claim acme-resource");
  }
  SECTION("find-existing-claim-by-label: the Pod's claim is found without the template") {
    k8s::Cluster c = cluster_of(kPod + kOwnedClaim);
    const auto done = create_template_claims(c);
    REQUIRE(done.size() == 1);
    CHECK_FALSE(done[0].created);
    CHECK(c.resource_claims.size() == 1);
    CHECK(status_of(c.pods.front()) == "acme-resource=test-pod-acme-resource-x2k9p;");
  }
  SECTION("pod-deleted and done Pods are left alone") {
    k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1, deletionTimestamp: "2026-01-01T00:00:00Z"}
spec:
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
---
apiVersion: v1
kind: Pod
metadata: {name: done-pod, namespace: my-namespace, uid: uidpod2}
spec:
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
status: {phase: Succeeded}
)" + kTemplate);
    CHECK(create_template_claims(c).empty());
    CHECK(c.resource_claims.empty());
  }
  SECTION("create-with-other-claim: a claim of that name in another namespace is no match") {
    k8s::Cluster c = cluster_of(kPod + kTemplate + R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: test-pod-acme-resource, namespace: not-my-namespace}
spec: {}
)");
    CHECK(create_template_claims(c).size() == 1);
    CHECK(c.resource_claims.size() == 2);
  }
  SECTION("wrong-claim-owner: a claim the Pod does not control is not used") {
    k8s::Cluster c = cluster_of(kPod + R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: test-pod-acme-resource
  namespace: my-namespace
  annotations: {resource.kubernetes.io/pod-claim-name: acme-resource}
spec: {}
)");
    CHECK(create_template_claims(c).empty());  // and there is no template to make one
    CHECK(c.pods.front().resource_claim_statuses.empty());
  }
  SECTION("a status naming a claim another Pod owns gets a new claim (IsForPod fails)") {
    k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1}
spec:
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
status:
  resourceClaimStatuses: [{name: acme-resource, resourceClaimName: other}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: other
  namespace: my-namespace
  ownerReferences: [{apiVersion: v1, kind: Pod, name: x, uid: someone-else, controller: true}]
spec: {}
)" + kTemplate);
    CHECK(create_template_claims(c).size() == 1);
    CHECK(c.resource_claims.size() == 2);
    CHECK(c.pods.front().resource_claim_statuses.front().resource_claim_name !=
          std::optional<std::string>("other"));
  }
  SECTION("an entry the status marks as not needed (no resourceClaimName) is skipped") {
    k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: test-pod, namespace: my-namespace, uid: uidpod1}
spec:
  resourceClaims: [{name: acme-resource, resourceClaimTemplateName: my-template}]
status:
  resourceClaimStatuses: [{name: acme-resource}]
)" + kTemplate);
    CHECK(create_template_claims(c).empty());
    CHECK(schedule(c, {}).failed.empty());  // nothing to wait for
  }
}

TEST_CASE("controllers: the template's spec, labels and annotations are copied", "[alloc]") {
  k8s::Cluster c = cluster_of(R"(
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns, uid: u1}
spec:
  resourceClaims:
  - {name: b-claim, resourceClaimTemplateName: t}
  - {name: a-claim, resourceClaimTemplateName: t}
  - {name: shared, resourceClaimName: by-name}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: ns, labels: {not: copied}}
spec:
  metadata:
    labels: {app: trainer}
    annotations: {note: kept, resource.kubernetes.io/pod-claim-name: overwritten}
  spec:
    devices:
      requests:
      - name: gpu
        exactly: {deviceClassName: gpu.example.com, count: 2}
      constraints: [{requests: [gpu], matchAttribute: gpu.example.com/numa}]
      config:
      - requests: [gpu]
        opaque: {driver: gpu.example.com, parameters: {sharing: time-slicing}}
)");
  const auto done = create_template_claims(c);
  REQUIRE(done.size() == 2);
  REQUIRE(c.resource_claims.size() == 2);
  const k8s::ResourceClaimTemplate& t = c.resource_claim_templates.front();
  for (const k8s::ResourceClaim& claim : c.resource_claims) {
    CHECK(claim.spec == t.spec.spec);
    CHECK(claim.metadata.labels == k8s::StringMap{{"app", "trainer"}});
  }
  CHECK(c.resource_claims[0].metadata.annotations ==
        k8s::StringMap{{"note", "kept"}, {"resource.kubernetes.io/pod-claim-name", "b-claim"}});
  // Statuses sorted by entry name, as upstream applies them; the claim by name gets none.
  CHECK(status_of(c.pods.front()) == "a-claim=" + c.resource_claims[1].metadata.name +
                                         ";b-claim=" + c.resource_claims[0].metadata.name + ";");
}

TEST_CASE("controllers: generateName and generated names", "[alloc]") {
  CHECK(template_claim_base("test-pod", "acme-resource") == "test-pod-acme-resource-");
  // 40 + 30 characters: 72 with the hyphens, over 57; cut to 40*57/72 = 31 and 30*57/72 = 23.
  const std::string pod(40, 'p'), claim(30, 'c');
  CHECK(template_claim_base(pod, claim) == std::string(31, 'p') + "-" + std::string(23, 'c'));
  // Exactly 57 characters is kept, trailing hyphen and all.
  const std::string pod55(27, 'p'), claim28(28, 'c');
  CHECK(template_claim_base(pod55, claim28) == pod55 + "-" + claim28 + "-");
  CHECK(template_claim_base(pod55, claim28 + "c").size() < 57);

  const std::string a = generated_name("web-", "ns/web", nullptr);
  CHECK(a == generated_name("web-", "ns/web", nullptr));  // deterministic
  CHECK_THAT(a, Catch::Matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"));
  CHECK(generated_name("web-", "ns/other", nullptr) != a);
  // A name in use is skipped for the next candidate.
  const std::string b =
      generated_name("web-", "ns/web", [&](const std::string& n) { return n == a; });
  CHECK(b != a);
  CHECK_THAT(b, Catch::Matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"));
  // The API server's limit: a base is cut to 58 characters before the suffix.
  CHECK(generated_name(std::string(70, 'x'), "s", nullptr).size() == 63);
}

}  // namespace dra::alloc

namespace dra::alloc {
namespace {

// The Pods `yaml`'s workloads make: "name [generateName] labels; ..." per Pod.
k8s::Cluster expanded(const std::string& yaml, util::Diagnostics* diags = nullptr) {
  k8s::Cluster c = cluster_of(yaml);
  util::Diagnostics local;
  expand_workloads(c, "2026-05-01T00:00:00Z", diags ? *diags : local, 10);
  if (!diags) {
    INFO(local.to_string());
    REQUIRE_FALSE(local.has_errors());
  }
  return c;
}
std::vector<std::string> pod_names(const k8s::Cluster& c) {
  std::vector<std::string> out;
  for (const auto& p : c.pods) out.push_back(p.metadata.namespace_ + "/" + p.metadata.name);
  return out;
}

}  // namespace

TEST_CASE("controllers: Jobs make min(parallelism, completions) Pods", "[alloc]") {
  auto job = [](const std::string& spec) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: ml, uid: job-uid}\n"
           "spec:\n" +
           spec + "  template:\n    spec:\n      containers: [{name: c, image: x}]\n";
  };
  CHECK(expanded(job("")).pods.size() == 1);                    // both default to 1
  CHECK(expanded(job("  parallelism: 3\n")).pods.size() == 3);  // work queue
  CHECK(expanded(job("  completions: 5\n")).pods.size() == 1);  // parallelism 1
  CHECK(expanded(job("  completions: 2\n  parallelism: 4\n")).pods.size() == 2);
  CHECK(expanded(job("  completions: 5\n  parallelism: 4\n")).pods.size() == 4);
  CHECK(expanded(job("  parallelism: 4\n  suspend: true\n")).pods.empty());

  const k8s::Cluster c = expanded(job("  parallelism: 2\n"));
  const k8s::Pod& p = c.pods.front();
  CHECK(p.metadata.generate_name == "train-");
  CHECK_THAT(p.metadata.name, Catch::Matches("train-[bcdfghjklmnpqrstvwxz2456789]{5}"));
  CHECK(p.metadata.namespace_ == "ml");
  CHECK(p.metadata.creation_timestamp == "2026-05-01T00:00:00Z");
  CHECK(p.metadata.labels == k8s::StringMap{{"batch.kubernetes.io/controller-uid", "job-uid"},
                                            {"batch.kubernetes.io/job-name", "train"},
                                            {"controller-uid", "job-uid"},
                                            {"job-name", "train"}});
  CHECK_FALSE(p.metadata.uid.empty());
  CHECK(p.metadata.uid != c.pods[1].metadata.uid);
  CHECK(controller_uid(p.metadata) == "job-uid");
  // The same input makes the same Pods.
  CHECK(pod_names(expanded(job("  parallelism: 2\n"))) == pod_names(c));

  // Indexed: indexes 0..n-1 in the name, an annotation, a label and the hostname.
  const k8s::Cluster ix =
      expanded(job("  completionMode: Indexed\n  completions: 3\n  parallelism: 2\n"));
  REQUIRE(ix.pods.size() == 2);
  CHECK(ix.pods[1].metadata.generate_name == "train-1-");
  CHECK_THAT(ix.pods[1].metadata.name, Catch::StartsWith("train-1-"));
  CHECK(*k8s::lookup(ix.pods[1].metadata.annotations, "batch.kubernetes.io/job-completion-index") ==
        "1");
  CHECK(*k8s::lookup(ix.pods[1].metadata.labels, "batch.kubernetes.io/job-completion-index") ==
        "1");
  CHECK_THAT(k8s::to_yaml(k8s::encode(ix.pods[1])), Catch::Contains("hostname: train-1\n"));
}

TEST_CASE("controllers: Deployments, ReplicaSets and StatefulSets make their Pods", "[alloc]") {
  const k8s::Cluster c = expanded(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: web}, annotations: {note: kept}}
    spec:
      containers: [{name: c, image: x, resources: {limits: {example.com/gpu: 1}}}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: cache}
spec:
  template:
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 2
  ordinals: {start: 5}
  template:
    spec: {containers: [{name: c, image: x}]}
)");
  REQUIRE(c.pods.size() == 5);
  // Deployment -> ReplicaSet web-<hash> -> Pods web-<hash>-<suffix>.
  const k8s::Pod& web = c.pods[0];
  const std::string* hash = k8s::lookup(web.metadata.labels, "pod-template-hash");
  REQUIRE(hash);
  CHECK_THAT(*hash, Catch::Matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}"));
  CHECK(web.metadata.generate_name == "web-" + *hash + "-");
  CHECK(*k8s::lookup(web.metadata.labels, "app") == "web");
  CHECK(web.metadata.annotations == k8s::StringMap{{"note", "kept"}});
  CHECK(web.containers.size() == 1);  // the template's spec
  CHECK(extended_requests(web) == std::vector<std::string>{"example.com/gpu"});
  CHECK_THAT(k8s::to_yaml(k8s::encode(web)),
             Catch::Contains("kind: ReplicaSet\n    name: web-" + *hash));
  // A ReplicaSet defaults to one replica; no namespace is "default".
  CHECK(c.pods[2].metadata.namespace_ == "default");
  CHECK_THAT(c.pods[2].metadata.name, Catch::StartsWith("cache-"));
  // StatefulSet: fixed names from the first ordinal.
  CHECK(pod_names(c)[3] == "shop/db-5");
  CHECK(pod_names(c)[4] == "shop/db-6");
  CHECK(*k8s::lookup(c.pods[4].metadata.labels, "apps.kubernetes.io/pod-index") == "6");
  CHECK(*k8s::lookup(c.pods[4].metadata.labels, "statefulset.kubernetes.io/pod-name") == "db-6");
}

TEST_CASE("controllers: each Pod of a workload gets its own claim from the template", "[alloc]") {
  k8s::Cluster c = expanded(R"(
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ns}
spec:
  replicas: 3
  template:
    spec:
      containers: [{name: c, image: x}]
      resourceClaims: [{name: gpu, resourceClaimTemplateName: t}, {name: shared, resourceClaimName: s}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: ns}
spec: {spec: {}}
)");
  CHECK(create_template_claims(c).size() == 3);
  std::set<std::string> names;
  for (const auto& claim : c.resource_claims) names.insert(claim.metadata.name);
  CHECK(names.size() == 3);
  CHECK_THAT(c.resource_claims[2].metadata.name, Catch::StartsWith("db-2-gpu-"));
}

TEST_CASE("controllers: a workload with too many Pods is an error at its position", "[alloc]") {
  util::Diagnostics diags;
  const k8s::Cluster c = expanded(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: huge, namespace: ns}
spec:
  replicas: 11
  template: {spec: {containers: [{name: c, image: x}]}}
)",
                                  &diags);
  CHECK(c.pods.empty());
  CHECK(diags.to_string() ==
        "in.yaml:4:11: error: Deployment ns/huge would make 11 Pods, more than the 10 "
        "kubectl-dra expands\n");
}

}  // namespace dra::alloc

namespace dra::alloc {
namespace {

// Upstream's fixtures of the eviction controller's tests: slice on node worker with device
// instance (its taints given), claim my-claim allocated to it (its result's tolerations
// given), reserved for Pod my-pod (uid given), which uses it by name and runs on worker.
std::string evict_fixture(const std::string& taints, const std::string& tolerations,
                          const std::string& pod_extra = "nodeName: worker",
                          const std::string& reserved_uid = "pod-uid") {
  return R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: slice}
spec:
  driver: some-driver
  nodeName: worker
  pool: {name: worker, generation: 1, resourceSliceCount: 1}
  devices: [{name: instance, taints: )" +
         taints + R"(}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: my-claim, namespace: default}
spec:
  devices:
    requests: [{name: req-1, exactly: {deviceClassName: c}}]
status:
  allocation:
    devices:
      results: [{request: req-1, driver: some-driver, pool: worker, device: instance, tolerations: )" +
         tolerations + R"(}]
  reservedFor: [{resource: pods, name: my-pod, uid: )" +
         reserved_uid + R"(}]
---
apiVersion: v1
kind: Pod
metadata: {name: my-pod, namespace: default, uid: pod-uid}
spec:
  )" + pod_extra +
         R"(
  resourceClaims: [{name: c, resourceClaimName: my-claim}]
)";
}

constexpr const char* kNoExecute =
    "[{key: example.com/taint, value: something, effect: NoExecute}]";

// "pod claim after" per eviction.
std::string evictions(k8s::Cluster& c) {
  apply_device_taint_rules(c);
  std::string s;
  for (const Eviction& e : evict_for_device_taints(c))
    s += fmt::format("{} {} {}; ", e.pod.empty() ? "-" : e.pod, e.claim, e.after);
  return s;
}

}  // namespace

TEST_CASE("controllers: DeviceTaintRules taint the devices they select", "[alloc]") {
  k8s::Cluster c = cluster_of(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: a}
spec:
  driver: d1
  nodeName: n1
  pool: {name: p1, generation: 1, resourceSliceCount: 1}
  devices: [{name: dev-x, taints: [{key: own, effect: NoSchedule}]}, {name: dev-y}]
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: b}
spec:
  driver: d2
  nodeName: n2
  pool: {name: p2, generation: 1, resourceSliceCount: 1}
  devices: [{name: dev-x}]
---
apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata: {name: by-device}
spec:
  deviceSelector: {driver: d1, pool: p1, device: dev-y}
  taint: {key: one, effect: NoExecute}
---
apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata: {name: by-driver}
spec:
  deviceSelector: {driver: d2}
  taint: {key: two, value: v, effect: None}
---
apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata: {name: everything}
spec:
  taint: {key: three, effect: NoSchedule}
)");
  auto taints = [&](size_t slice, size_t device) {
    std::string s;
    for (const auto& t : c.resource_slices[slice].spec.devices[device].taints)
      s += t.key + (t.rule.empty() ? "" : "@" + t.rule) + " ";
    return s;
  };
  for (int round = 0; round < 2; ++round) {  // a second call gives the same view
    apply_device_taint_rules(c);
    CHECK(taints(0, 0) == "own three@everything ");
    CHECK(taints(0, 1) == "one@by-device three@everything ");
    // Upstream's patching taints every device for a rule without a selector (a quirk).
    CHECK(taints(1, 0) == "two@by-driver three@everything ");
  }
  // The rules gone, the next call takes their taints off again.
  c.device_taint_rules.erase(c.device_taint_rules.begin() + 1, c.device_taint_rules.end());
  apply_device_taint_rules(c);
  CHECK(taints(0, 0) == "own ");
  CHECK(taints(0, 1) == "one@by-device ");
  CHECK(taints(1, 0) == "");
  c.device_taint_rules.clear();
  apply_device_taint_rules(c);
  CHECK(taints(0, 1) == "");
  // Written back, a slice has only its own taints.
  CHECK_THAT(
      k8s::to_yaml(k8s::encode(c.resource_slices[0])),
      Catch::Contains("taints:\n    - key: own\n      effect: NoSchedule\n  - name: dev-y\n"));
}

TEST_CASE("controllers: the eviction controller's cases", "[alloc]") {
  auto run = [](const std::string& yaml) {
    k8s::Cluster c = cluster_of(yaml);
    return evictions(c);
  };
  CHECK(run(evict_fixture("[]", "[]")) == "");  // untainted-claim
  CHECK(run(evict_fixture(kNoExecute, "[]")) == "default/my-pod default/my-claim 0; ");
  // evict-pod-later: a matching toleration with seconds delays it.
  CHECK(run(evict_fixture(kNoExecute,
                          "[{key: example.com/taint, operator: Equal, value: "
                          "something, effect: NoExecute, tolerationSeconds: 3600}]")) ==
        "default/my-pod default/my-claim 3600; ");
  // evict-pod-later-many: the smallest of the matching tolerations.
  CHECK(run(evict_fixture(kNoExecute,
                          "[{key: example.com/taint-other, operator: Exists, effect: NoExecute, "
                          "tolerationSeconds: 20}, {operator: Exists, effect: NoExecute, "
                          "tolerationSeconds: 60}, {operator: Exists, effect: NoExecute, "
                          "tolerationSeconds: 30}]")) == "default/my-pod default/my-claim 30; ");
  // evict-pod-toleration-mismatch.
  CHECK(run(evict_fixture(kNoExecute,
                          "[{key: example.com/taint-other, operator: Exists, effect: "
                          "NoExecute, tolerationSeconds: 60}]")) ==
        "default/my-pod default/my-claim 0; ");
  // no-evict-pod-toleration-forever(-many).
  CHECK(run(evict_fixture(kNoExecute, "[{operator: Exists, effect: NoExecute}]")) == "");
  CHECK(run(evict_fixture(kNoExecute,
                          "[{operator: Exists, effect: NoExecute, tolerationSeconds: "
                          "60}, {operator: Exists, effect: NoExecute}]")) == "");
  // A toleration without an effect allows allocation but does not prevent eviction.
  CHECK(run(evict_fixture(kNoExecute, "[{operator: Exists}]")) ==
        "default/my-pod default/my-claim 0; ");
  // evict-pod-partial-toleration: the second taint is not tolerated.
  CHECK(run(evict_fixture("[{key: key1, effect: NoExecute}, {key: key2, effect: NoExecute}]",
                          "[{key: key1, operator: Exists, effect: NoExecute}]")) ==
        "default/my-pod default/my-claim 0; ");
  // ignore-none-effect, NoSchedule, unknown effects.
  CHECK(run(evict_fixture("[{key: k, effect: None}, {key: k2, effect: NoSchedule}, {key: k3, "
                          "effect: unknown-effect}]",
                          "[]")) == "");
  // no-evict-pod-not-scheduled: the claim is reported, no Pod is evicted.
  CHECK(run(evict_fixture(kNoExecute, "[]", "nodeName: \"\"")) == "");
  // no-evict-wrong-pod: reserved for another uid.
  CHECK(run(evict_fixture(kNoExecute, "[]", "nodeName: worker", "other-uid")) == "");
  // evict-pod-rule: the taint comes from a DeviceTaintRule.
  CHECK(run(evict_fixture("[]", "[]") + R"(
---
apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata: {name: rule-evict}
spec:
  deviceSelector: {driver: some-driver}
  taint: {key: example.com/taint, value: something, effect: NoExecute}
)") == "default/my-pod default/my-claim 0; ");
}

TEST_CASE("controllers: after an eviction the Pod's claims are freed or made again", "[alloc]") {
  k8s::Cluster c = cluster_of(evict_fixture(kNoExecute, "[]") + R"(
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: made-for-it
  namespace: default
  ownerReferences: [{apiVersion: v1, kind: Pod, name: t-pod, uid: t-uid, controller: true}]
spec:
  devices:
    requests: [{name: req-1, exactly: {deviceClassName: c}}]
status:
  allocation:
    devices:
      results: [{request: req-1, driver: some-driver, pool: worker, device: instance}]
  reservedFor: [{resource: pods, name: t-pod, uid: t-uid}]
---
apiVersion: v1
kind: Pod
metadata: {name: t-pod, namespace: default, uid: t-uid}
spec:
  nodeName: worker
  resourceClaims: [{name: gpu, resourceClaimTemplateName: t}]
status:
  resourceClaimStatuses: [{name: gpu, resourceClaimName: made-for-it}]
)");
  CHECK(evictions(c) == "default/my-pod default/my-claim 0; default/t-pod default/made-for-it 0; ");
  // The shared claim is free again; the claim made for t-pod is gone, as is its status.
  REQUIRE(c.resource_claims.size() == 1);
  CHECK_FALSE(c.resource_claims[0].status.allocation);
  CHECK(c.resource_claims[0].status.reserved_for.empty());
  for (const k8s::Pod& p : c.pods) CHECK(p.node_name.empty());
  CHECK(c.pods[1].resource_claim_statuses.empty());
  CHECK_THAT(k8s::to_yaml(k8s::encode(c.pods[1])),
             !Catch::Contains("nodeName") && !Catch::Contains("resourceClaimStatuses"));
}

}  // namespace dra::alloc
