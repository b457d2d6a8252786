// src/alloc/controllers.hpp -- what Kubernetes controllers do to a cluster's objects before
// the scheduler sees them, done here so that `allocate`, `fit` and `explain` start from the
// state the scheduler would: the resourceclaim controller's claims from templates.
//
// Upstream: kubernetes/kubernetes pkg/controller/resourceclaim/controller.go (handleClaim,
// findPodResourceClaim) and staging/src/k8s.io/dynamic-resource-allocation/resourceclaim
// (Name, IsForPod). Names the API server would generate get a deterministic suffix instead
// of a random one (generated_name below).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"
#include "util/diag.hpp"

namespace dra::alloc {

// The annotation the resourceclaim controller puts on a claim made from a template: the
// name of the Pod's spec.resourceClaims entry it is for.
inline constexpr std::string_view kPodClaimNameAnnotation = "resource.kubernetes.io/pod-claim-name";

// `base` (a generateName, ending in "-" or not) plus five characters from the alphabet of
// the API server's name generator (bcdfghjklmnpqrstvwxz2456789), chosen from a hash of
// `seed` and `base` so the same input always gives the same name; `taken` says whether a
// name is in use, and the next candidate is tried while it is. As the API server does, a
// base longer than 58 characters is cut to 58 first.
std::string generated_name(std::string_view base, std::string_view seed,
                           const std::function<bool(const std::string&)>& taken);

// The generateName the resourceclaim controller gives the claim for entry `claim_name` of
// Pod `pod_name`: "<pod>-<claim>-", or when that is longer than 57 characters both parts
// cut in proportion to their lengths and joined by "-" (no trailing "-").
std::string template_claim_base(std::string_view pod_name, std::string_view claim_name);

// The Pod's controller owner reference's uid on `meta`, or "" when it has none. Only
// references with controller: true count (metav1.GetControllerOf).
std::string controller_uid(const k8s::ObjectMeta& meta);

// ownerReferences naming `pod` as controller (apiVersion v1, kind Pod, name, uid,
// controller: true; no blockOwnerDeletion since Kubernetes 1.35), for claims made for it.
k8s::Value pod_controller_references(const k8s::Pod& pod);

// Sets <section>.<key> ("status", "resourceClaimStatuses") in the written form of `pod`
// (what -o yaml and dumps print); the model's fields are the caller's to keep in step.
void set_pod_field(k8s::Pod& pod, std::string_view section, std::string_view key, k8s::Value value);

// One claim the controller made (or found) for a Pod's template entry.
struct TemplateClaim {
  const k8s::Pod* pod = nullptr;
  std::string entry;      // the Pod's spec.resourceClaims[].name
  std::string template_;  // its resourceClaimTemplateName
  const k8s::ResourceClaim* claim = nullptr;
  bool created = false;  // false: an existing claim owned by the Pod was found
};

// Runs the resourceclaim controller over every Pod that is not being deleted and not done:
// each spec.resourceClaims entry with a resourceClaimTemplateName and no claim yet gets one.
// An existing claim controlled by the Pod (same uid) and annotated with the entry's name is
// used if there is one; else a claim is made from the template in the Pod's namespace (spec
// copied unchanged, the template's labels and annotations, the pod-claim-name annotation,
// the Pod as controller owner) and appended to cluster.resource_claims. Either way the Pod's
// status.resourceClaimStatuses gets the entry (model and written form, sorted by name).
// An entry whose status names a claim that is missing gets a new claim, as upstream
// recreates it. An entry whose template does not exist is left as it is (schedule() reports
// it). Returns what was done, in Pod order.
std::vector<TemplateClaim> create_template_claims(k8s::Cluster& cluster);

// The Pods the controllers of `from`'s workloads would make, added to from.pods:
// - Deployment: one ReplicaSet "<deployment>-<hash of the template>" with `replicas` Pods
//   (default 1), labelled pod-template-hash;
// - ReplicaSet: `replicas` Pods named "<replicaset>-<suffix>";
// - Job: min(parallelism, completions) Pods (parallelism alone when completions is unset;
//   both default to 1; none when suspended), "<job>-<suffix>", or "<job>-<index>-<suffix>"
//   with completionMode Indexed (indexes 0..n-1, annotated and labelled), with the job-name
//   and controller-uid labels;
// - StatefulSet: `replicas` Pods "<statefulset>-<ordinal>" from spec.ordinals.start, all of
//   them (the steady state; OrderedReady makes them one after another).
// Each Pod gets the template's labels, annotations and spec, the workload's namespace (else
// "default"), its controller as owner, a uid, and `created_at` as creationTimestamp (so they
// come after the Pods already in the cluster). Suffixes and uids are derived from the
// names, so a run is repeatable. More than `max_pods` Pods for one workload is an error.
void expand_workloads(k8s::Cluster& from, std::string_view created_at, util::Diagnostics& diags,
                      int64_t max_pods = 100000);

// The scheduler's view of the devices (the ResourceSlice tracker's applyPatches): each
// DeviceTaintRule's taint appended, rule by rule in input order, to every device its
// selector matches by driver, pool and device name, marked with the rule's name (never
// written back). A rule without a deviceSelector taints every device, as upstream's patching
// does although the API documents that it selects none (docs/upstream-quirks.md). Taints of
// an earlier call are replaced.
void apply_device_taint_rules(k8s::Cluster& cluster);

// What the device taint eviction controller does to one claim's Pods: a NoExecute taint on
// an allocated device that the result's own tolerations (those with effect NoExecute; an
// empty effect does not count) do not tolerate forever. `after` is the delay: 0 now, else
// the smallest tolerationSeconds of the tolerations that match.
struct Eviction {
  std::string pod;     // "namespace/name"; empty: an allocated claim no Pod uses
  std::string claim;   // "namespace/name"
  std::string device;  // "driver/pool/device"
  std::string taint;   // "key=value:NoExecute", with the rule's name if it came from one
  int64_t after = 0;   // seconds
};

// Runs the device taint eviction controller once with every delay over: each scheduled Pod
// whose claims (by name; from a template or for extended resources when the Pod owns them)
// are reserved for it and hold a device so tainted is evicted. Then does what follows as the
// control plane would, so that schedule() can place the Pods again: the Pod is unbound
// (standing in for the replacement its controller makes); claims made for it (template,
// extended resources) are deleted, to be made again; a shared claim drops the Pod from
// status.reservedFor and is deallocated when no Pod is left. Returns the evictions, each
// Pod's claims in order.
std::vector<Eviction> evict_for_device_taints(k8s::Cluster& cluster);

}  // namespace dra::alloc
