// src/alloc/schedule.hpp -- allocating every pending ResourceClaim of a cluster as the
// scheduler would, Pod by Pod: the policy behind `kubectl dra allocate`.
//
// Policy (README "allocate"): a Pod's pending claims are allocated together on one node; a
// pending claim no Pod references is a group of its own, after the Pods. Pods go in input
// order, or by creationTimestamp when every Pod has one. Nodes are tried in ascending name
// order and the first node where the whole group fits wins (kube-scheduler scores nodes
// instead; its choice can differ when several fit). A Pod's nodeName, nodeSelector,
// required node affinity and its tolerations of the node's NoSchedule/NoExecute taints
// restrict the nodes, and so do the node selectors of its claims that are already
// allocated. Each placement updates the allocated state before the next group.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alloc/allocator.hpp"
#include "alloc/extended.hpp"
#include "k8s/model.hpp"

namespace dra::alloc {

class NodeList;

// The claims schedule() allocates together: a Pod's pending claims (with those already
// allocated, whose node selectors restrict the nodes), or one claim no Pod references.
struct Group {
  const k8s::Pod* pod = nullptr;
  std::vector<const k8s::ResourceClaim*> pending;
  std::vector<const k8s::ResourceClaim*> allocated;
  std::string missing;  // a claim the Pod names that does not exist
  // The extended resources an unscheduled Pod asks for (sorted), when a DeviceClass serves
  // one of them: per node each goes to DRA (in a claim made for the Pod, see extended.hpp)
  // or to the node's device plugin.
  std::vector<std::string> extended;
  // For ScheduleOptions::before_group: the claim made for those extended resources on a node
  // without a device plugin for any of them (all to DRA), and its requests' containers.
  const k8s::ResourceClaim* extended_claim = nullptr;
  std::vector<ExtendedMapping> extended_mappings;
};

struct ScheduleOptions {
  Options allocator;
  std::string node;                    // only this node (--node); empty: every node
  std::vector<std::string> pods;       // only these Pods, "namespace/name" (--pod)
  std::vector<std::string> claims;     // only groups with these claims, "namespace/name"
  bool stop_at_first_failure = false;  // end the run with the first group not placed
  // For explain: called with each wanted group before schedule() places it, with the
  // allocator in the state the earlier groups left; returning false ends the run there.
  std::function<bool(const Group&, Allocator&, const NodeList&)> before_group;
};

// One group allocated on a node.
struct Placement {
  const k8s::Pod* pod = nullptr;  // nullptr: a claim no Pod references
  std::string node;
  // The group's pending claims, then the claim made for its extended resources, if any.
  std::vector<const k8s::ResourceClaim*> claims;
  std::vector<k8s::AllocationResult> results;    // one per claim
  const k8s::ResourceClaim* extended = nullptr;  // the claim made for extended resources
  std::vector<ExtendedMapping> mappings;         // its requests' containers
};

// One group that could not be placed.
struct Failure {
  const k8s::Pod* pod = nullptr;
  std::vector<const k8s::ResourceClaim*> claims;
  std::string reason;  // one line
  bool error = false;  // an allocator error (bad input, limits), not just "does not fit"
};

struct Schedule {
  std::vector<Placement> placed;
  std::vector<Failure> failed;
  size_t nodes = 0;  // candidate nodes in the cluster
  // Claims the run made (for extended resources): placements point into it.
  std::unique_ptr<std::deque<k8s::ResourceClaim>> made =
      std::make_unique<std::deque<k8s::ResourceClaim>>();
};

// The nodes of the cluster, sorted by name: its Node objects or, when it has none, one bare
// Node per node name its ResourceSlices mention (no labels, no taints). A view: the Node
// objects stay in the cluster, which must outlive the list.
class NodeList {
 public:
  explicit NodeList(const k8s::Cluster& cluster);
  size_t size() const { return sorted_.size(); }
  bool empty() const { return sorted_.empty(); }
  const k8s::NodeObject& operator[](size_t i) const { return *sorted_[i]; }
  const k8s::NodeObject* find(std::string_view name) const;

 private:
  std::vector<std::unique_ptr<k8s::NodeObject>> bare_;
  std::vector<const k8s::NodeObject*> sorted_;
};

// Whether `pod` may run on `node` as far as nodeName, nodeSelector, required node affinity
// and taints go; when not, `why` says which.
bool pod_fits_node(const k8s::Pod& pod, const k8s::NodeObject& node, std::string* why);

// Whether schedule() tries the group on `node`: the Pod fits it, and the node selectors of
// the Pod's allocated claims select it. When not, `why` says which.
bool group_may_use_node(const Group& g, const k8s::NodeObject& node, std::string* why);

Schedule schedule(const k8s::Cluster& cluster, const ScheduleOptions& options);

// "namespace/name" of an object.
std::string qualified_name(const k8s::ObjectMeta& m);

}  // namespace dra::alloc

namespace dra::alloc {

// Claim `i` of a placement as the scheduler leaves it: status.allocation set and the Pod in
// status.reservedFor.
k8s::ResourceClaim allocated_claim(const Placement& p, size_t i);

}  // namespace dra::alloc

namespace dra::alloc {

// ---- what-if edits of a loaded cluster (`allocate --clone-node/--without-node`)

// Adds `copies` copies of node `name`: the Node (renamed "<name>-clone-<i>"), and the
// ResourceSlices local to it (slice "<slice>-clone-<i>", nodeName and per-device nodeName
// moved, a pool named after the node renamed likewise, otherwise "<pool>-clone-<i>").
// Returns false when the cluster has neither a Node nor a slice of that name.
bool clone_node(k8s::Cluster& cluster, const std::string& name, int copies);

// Removes node `name`: its Node and the ResourceSlices local to it (devices of other slices
// that name it individually too). Claims allocated there stay as they are. Returns false
// when nothing had that name.
bool remove_node(k8s::Cluster& cluster, const std::string& name);

// ---- `kubectl dra fit`

struct Fit {
  std::vector<std::pair<std::string, int>> per_node;  // nodes with at least one copy
  int total = 0;
  bool capped = false;  // stopped at the limit, more may fit
  std::string error;    // an allocator error (the claim itself is wrong)
  std::string next;     // fit_pods: why the next copy does not fit
};

// How many more copies of a claim with `spec` (in `namespace_`) fit into the cluster as it
// is, placed first-fit in node order like `allocate`, up to `limit`.
Fit fit(const k8s::Cluster& cluster, const k8s::ResourceClaimSpec& spec,
        const std::string& namespace_, const Options& options, int limit);

// How many more copies of a Pod fit, each placed as `allocate` places Pods (its claims from
// templates made for each copy, its extended resources served by DRA or device plugins),
// up to `limit`; copies stop at the first that does not fit. `pod_template` is a Pod
// template as JSON ({metadata: {labels, annotations}, spec}); copies are named
// "<name>-<suffix>" in `namespace_`. Pods already pending in the cluster are not placed.
Fit fit_pods(k8s::Cluster cluster, const k8s::RawJson& pod_template, const std::string& name,
             const std::string& namespace_, const Options& options, int limit);

}  // namespace dra::alloc
