// src/k8s/model.hpp -- the DRA object model: resource.k8s.io kinds in their v1 shape, plus
// the core/v1 parts of Node and Pod that allocation needs.
//
// Field names are the API's in snake_case (deviceClassName -> device_class_name). Objects
// read as v1beta1 or v1beta2 are converted to this shape as the API server converts them
// (spec/dra-api.md §7); k8s/encode.hpp writes any of the three versions back.
//
// Nothing is lost: every struct that maps a JSON object keeps the fields it does not model
// in `origin.extras`, in input order, and remembers where it and each of its fields came from
// (`origin.pos`, `origin.at("count")`). The model is plain data, read-only after loading.
// A claim's spec and its parts compare by content (==): where they were read is ignored.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "k8s/node.hpp"
#include "k8s/quantity.hpp"
#include "k8s/value.hpp"
#include "util/atom.hpp"
#include "util/box.hpp"
#include "util/thin_vec.hpp"

namespace dra::k8s {

// Where a field's value was in its file. `field` is the JSON name (static storage), or
// nullptr for a field the model does not know: the next entry of Origin::extras.
struct FieldPos {
  const char* field;
  Pos pos;
};

// Provenance of one JSON object of the input. Empty for objects the tool made itself.
struct Origin {
  Pos pos;                               // the object itself
  util::ThinVec<FieldPos> fields;        // every key as it appeared, known or not, in input order
  Extras extras;                         // fields the model does not know, in input order
  Pos at(std::string_view field) const;  // a field's value position, else the object's
  // Content, not provenance: objects read from different places are equal when what they
  // say is, unknown fields included.
  friend bool operator==(const Origin& a, const Origin& b) { return a.extras == b.extras; }
};

// Ordered string map (labels, annotations, node selectors): small, input order kept.
using StringMap = std::vector<std::pair<std::string, std::string>>;
const std::string* lookup(const StringMap& m, std::string_view key);

// ---- core/v1 and meta/v1 pieces --------------------------------------------------------

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;  // "namespace"
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::string creation_timestamp;
  std::string deletion_timestamp;
  StringMap labels;
  StringMap annotations;
  Origin origin;  // extras hold ownerReferences, finalizers, managedFields, ...
};

struct NodeSelectorRequirement {
  std::string key;
  std::string operator_;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
  std::vector<std::string> values;
  Origin origin;
};

struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;
  Origin origin;
};

struct NodeSelector {
  std::vector<NodeSelectorTerm> node_selector_terms;
  Origin origin;
};

struct Taint {  // core/v1 node taint
  std::string key;
  std::string value;
  std::string effect;
  std::string time_added;
  Origin origin;
};

struct Toleration {  // core/v1 pod toleration
  std::string key;
  std::string operator_;
  std::string value;
  std::string effect;
  std::optional<int64_t> toleration_seconds;
  Origin origin;
};

// ---- resource.k8s.io: shared pieces ------------------------------------------------------

struct CELDeviceSelector {
  std::string expression;
  ScalarStyle style = ScalarStyle::Plain;  // how the expression was written (for positions)
  Origin origin;                           // origin.at("expression") is its first character
  friend bool operator==(const CELDeviceSelector&, const CELDeviceSelector&) = default;
};

struct DeviceSelector {
  std::optional<CELDeviceSelector> cel;
  Origin origin;
  friend bool operator==(const DeviceSelector&, const DeviceSelector&) = default;
};

struct OpaqueDeviceConfiguration {
  std::string driver;
  Value parameters;  // arbitrary JSON object, kept as written
  Origin origin;
  friend bool operator==(const OpaqueDeviceConfiguration&,
                         const OpaqueDeviceConfiguration&) = default;
};

struct DeviceConfiguration {
  std::optional<OpaqueDeviceConfiguration> opaque;
  friend bool operator==(const DeviceConfiguration&, const DeviceConfiguration&) = default;
};

struct DeviceTaint {
  std::string key;
  std::string value;
  std::string effect;  // None, NoSchedule, NoExecute (unknown effects behave like None)
  std::string time_added;
  Origin origin;
  // Set on a taint a DeviceTaintRule adds to a device (alloc::apply_device_taint_rules):
  // the rule's name. Such taints are the scheduler's view, never written back.
  std::string rule;
};

struct DeviceToleration {
  std::string key;
  std::string operator_;  // Equal (default), Exists
  std::string value;
  std::string effect;
  std::optional<int64_t> toleration_seconds;
  Origin origin;
  friend bool operator==(const DeviceToleration&, const DeviceToleration&) = default;
};

// ---- DeviceClass -----------------------------------------------------------------------

struct DeviceClassConfiguration {
  DeviceConfiguration config;  // inline
  Origin origin;
};

struct DeviceClassSpec {
  std::vector<DeviceSelector> selectors;
  std::vector<DeviceClassConfiguration> config;
  std::optional<std::string> extended_resource_name;
  Origin origin;
};

// ---- ResourceSlice -----------------------------------------------------------------------

// One attribute value; exactly one member is set in valid input. Compact, because a large
// cluster has millions: strings are interned Atoms, lists live on the heap.
struct DeviceAttribute {
  enum class Type : uint8_t { None, Int, Bool, String, Version, Ints, Bools, Strings, Versions };
  struct Lists {
    std::vector<int64_t> ints;
    std::vector<bool> bools;
    std::vector<std::string> strings;  // strings or versions
    friend bool operator==(const Lists&, const Lists&) = default;
  };

  Type type = Type::None;
  Pos pos;                 // position of the attribute's name
  util::Box<Lists> lists;  // Ints, Bools, Strings, Versions

  static DeviceAttribute of_int(int64_t v);
  static DeviceAttribute of_bool(bool v);
  static DeviceAttribute of_string(std::string_view v);
  static DeviceAttribute of_version(std::string_view v);
  static DeviceAttribute of_ints(std::vector<int64_t> v);
  static DeviceAttribute of_bools(std::vector<bool> v);
  static DeviceAttribute of_strings(std::vector<std::string> v);
  static DeviceAttribute of_versions(std::vector<std::string> v);

  // Preconditions: the matching type.
  int64_t int_value() const { return scalar_.number; }
  bool bool_value() const { return scalar_.number != 0; }
  util::Atom text() const { return util::Atom::from_handle(scalar_.text); }  // String, Version
  std::string_view string_value() const { return text().view(); }
  const std::vector<int64_t>& ints() const { return lists->ints; }
  const std::vector<bool>& bools() const { return lists->bools; }
  const std::vector<std::string>& strings() const { return lists->strings; }  // or versions

  friend bool operator==(const DeviceAttribute& a, const DeviceAttribute& b);

 private:
  // Int and Bool (0 or 1) in number, String and Version in text: a union, because a large
  // cluster has millions of attributes.
  union Scalar {
    int64_t number;
    const void* text;  // an Atom's handle
  } scalar_{0};
};

// The attribute's value as kubectl-dra prints it: 42, true, H100, 1.2.3, [a,b].
std::string to_text(const DeviceAttribute& a);

struct CapacityRequestPolicyRange {
  std::optional<Quantity> min, max, step;
  Origin origin;
};

struct CapacityRequestPolicy {
  std::optional<Quantity> default_;  // "default"
  std::vector<Quantity> valid_values;
  std::optional<CapacityRequestPolicyRange> valid_range;
  Origin origin;
};

struct DeviceCapacity {
  Quantity value;
  util::Box<CapacityRequestPolicy> request_policy;  // boxed: rare, and large
  Pos pos;                                          // position of the capacity's name
  Extras extras;
};

struct Counter {
  // value.whole(). The decoder notes it (note_whole) while the value is at hand: the
  // allocator reads every counter of a node's devices, and then needs only these first
  // bytes of each entry. A counter made otherwise works it out from value.
  std::optional<std::int64_t> whole() const {
    return noted_ == Noted::No      ? value.whole()
           : noted_ == Noted::Whole ? std::optional<std::int64_t>(whole_)
                                    : std::nullopt;
  }
  void note_whole() {
    const std::optional<std::int64_t> w = value.whole();
    whole_ = w.value_or(0);
    noted_ = w ? Noted::Whole : Noted::NotWhole;
  }

 private:
  std::int64_t whole_ = 0;
  enum class Noted : uint8_t { No, Whole, NotWhole } noted_ = Noted::No;

 public:
  Quantity value;  // change it only before note_whole()
  Pos pos;
  Extras extras;
};
// Names interned, as the allocator compares them on every device of a node: input order.
using CounterMap = std::vector<std::pair<util::Atom, Counter>>;

struct CounterSet {
  util::Atom name;
  CounterMap counters;
  Origin origin;
};

struct DeviceCounterConsumption {
  util::Atom counter_set;
  CounterMap counters;
  Origin origin;
};

struct NodeAllocatableResource {
  Value mapping;  // alpha (DRANodeAllocatableResources): kept as written
  Value overhead;
};

struct Device {
  std::string name;
  // Qualified names as written ("model" or "gpu.example.com/model"), input order.
  util::ThinVec<std::pair<util::Atom, DeviceAttribute>> attributes;
  util::ThinVec<std::pair<util::Atom, DeviceCapacity>> capacity;
  util::ThinVec<DeviceCounterConsumption> consumes_counters;
  std::optional<std::string> node_name;
  util::Box<NodeSelector> node_selector;  // boxed: rare, and large
  std::optional<bool> all_nodes;
  // Whether CEL can build the device's `device` value (cel_value_buildable): worked out by
  // the decoder while the device's attributes are at hand; Unchecked for devices made
  // otherwise.
  enum class CelValue : uint8_t { Unchecked, Buildable, Unbuildable };
  CelValue cel_value = CelValue::Unchecked;
  util::ThinVec<DeviceTaint> taints;
  std::optional<bool> binds_to_node;
  util::ThinVec<std::string> binding_conditions;
  util::ThinVec<std::string> binding_failure_conditions;
  std::optional<bool> allow_multiple_allocations;
  util::ThinVec<std::pair<std::string, NodeAllocatableResource>> node_allocatable_resources;
  Origin origin;
  Extras basic_extras;  // v1beta1: unknown fields inside `basic`
  // Loaded for lint only (LoadOptions::for_lint): the further values of attributes written
  // with several (the first stays in `attributes`), so that lint checks each as the API
  // server does.
  util::Box<std::vector<std::pair<util::Atom, DeviceAttribute>>> lint_extra_values;

  const DeviceAttribute* attribute(std::string_view qualified, std::string_view driver) const;
  const DeviceCapacity* capacity_of(std::string_view qualified, std::string_view driver) const;
};

// Version texts found valid, by interned handle (util::Atom): the devices of one kind
// repeat theirs, so most checks need no parse.
struct VersionMemo {
  std::array<const void*, 8> recent{};
  size_t next = 0;
};

// Whether CEL can build the device's `device` value: every attribute has a value, and every
// version (and version list entry) parses as CEL's semver does. A device that fails gets an
// error from every selector instead of a value.
bool cel_value_buildable(const Device& device, VersionMemo& memo);

struct ResourcePool {
  std::string name;
  int64_t generation = 0;
  int64_t resource_slice_count = 0;
  Origin origin;
};

struct ResourceSliceSpec {
  std::string driver;
  ResourcePool pool;
  std::optional<std::string> node_name;
  std::optional<NodeSelector> node_selector;
  std::optional<bool> all_nodes;
  std::optional<bool> per_device_node_selection;
  std::vector<Device> devices;
  std::vector<CounterSet> shared_counters;
  std::optional<std::string> partition_type_attribute;
  std::vector<std::string> skip_node_operations;
  Origin origin;
};

// ---- ResourceClaim ---------------------------------------------------------------------

struct CapacityRequirements {
  std::vector<std::pair<std::string, Quantity>> requests;
  Origin origin;
  friend bool operator==(const CapacityRequirements&, const CapacityRequirements&) = default;
};

struct ExactDeviceRequest {
  std::string device_class_name;
  std::vector<DeviceSelector> selectors;
  std::string allocation_mode;  // ExactCount (default) or All
  int64_t count = 0;
  std::optional<bool> admin_access;
  std::vector<DeviceToleration> tolerations;
  std::optional<CapacityRequirements> capacity;
  Origin origin;
  friend bool operator==(const ExactDeviceRequest&, const ExactDeviceRequest&) = default;
};

struct DeviceSubRequest {
  std::string name;
  std::string device_class_name;
  std::vector<DeviceSelector> selectors;
  std::string allocation_mode;
  int64_t count = 0;
  std::vector<DeviceToleration> tolerations;
  std::optional<CapacityRequirements> capacity;
  Origin origin;
  friend bool operator==(const DeviceSubRequest&, const DeviceSubRequest&) = default;
};

struct DeviceRequest {
  std::string name;
  std::optional<ExactDeviceRequest> exactly;
  std::vector<DeviceSubRequest> first_available;
  Origin origin;
  friend bool operator==(const DeviceRequest&, const DeviceRequest&) = default;
};

struct DeviceConstraint {
  std::vector<std::string> requests;
  std::optional<std::string> match_attribute;
  std::optional<std::string> distinct_attribute;
  Origin origin;
  friend bool operator==(const DeviceConstraint&, const DeviceConstraint&) = default;
};

struct DeviceClaimConfiguration {
  std::vector<std::string> requests;
  DeviceConfiguration config;  // inline
  Origin origin;
  friend bool operator==(const DeviceClaimConfiguration&,
                         const DeviceClaimConfiguration&) = default;
};

struct DeviceClaim {
  std::vector<DeviceRequest> requests;
  std::vector<DeviceConstraint> constraints;
  std::vector<DeviceClaimConfiguration> config;
  Origin origin;
  friend bool operator==(const DeviceClaim&, const DeviceClaim&) = default;
};

struct ResourceClaimSpec {
  DeviceClaim devices;
  Origin origin;
  friend bool operator==(const ResourceClaimSpec&, const ResourceClaimSpec&) = default;
};

struct DeviceRequestAllocationResult {
  std::string request;
  std::string driver;
  std::string pool;
  std::string device;
  std::optional<bool> admin_access;
  std::vector<DeviceToleration> tolerations;
  std::vector<std::string> binding_conditions;
  std::vector<std::string> binding_failure_conditions;
  std::optional<std::string> share_id;
  std::vector<std::pair<std::string, Quantity>> consumed_capacity;
  Origin origin;
};

struct DeviceAllocationConfiguration {
  std::string source;  // FromClass, FromClaim
  std::vector<std::string> requests;
  DeviceConfiguration config;  // inline
  Origin origin;
};

struct DeviceAllocationResult {
  std::vector<DeviceRequestAllocationResult> results;
  std::vector<DeviceAllocationConfiguration> config;
  Origin origin;
};

struct AllocationResult {
  DeviceAllocationResult devices;
  std::optional<NodeSelector> node_selector;
  std::string allocation_timestamp;
  Origin origin;
};

struct ResourceClaimConsumerReference {
  std::string api_group;
  std::string resource;
  std::string name;
  std::string uid;
  Origin origin;
};

struct ResourceClaimStatus {
  std::optional<AllocationResult> allocation;
  std::vector<ResourceClaimConsumerReference> reserved_for;
  Value devices;  // AllocatedDeviceStatus list, kept as written (not used for allocation)
  Origin origin;
};

// ---- DeviceTaintRule -------------------------------------------------------------------

struct DeviceTaintSelector {
  std::optional<std::string> driver;
  std::optional<std::string> pool;
  std::optional<std::string> device;
  Origin origin;
};

struct DeviceTaintRuleSpec {
  std::optional<DeviceTaintSelector> device_selector;
  DeviceTaint taint;
  Origin origin;
};

// ---- top-level objects -----------------------------------------------------------------

// The resource.k8s.io versions the tool reads and writes.
enum class ApiVersion : uint8_t { V1, V1beta2, V1beta1 };
inline constexpr std::string_view kGroup = "resource.k8s.io";
// "resource.k8s.io/v1beta1" -> V1beta1; nullopt for other groups and versions.
std::optional<ApiVersion> parse_api_version(std::string_view api_version);
std::string_view to_string(ApiVersion v);  // "resource.k8s.io/v1"

// Where a top-level object was read from and in which version.
struct Source {
  uint32_t file = 0;                    // index into Cluster::files
  std::string api_version;              // as read, e.g. "resource.k8s.io/v1beta1"
  ApiVersion version = ApiVersion::V1;  // for resource.k8s.io kinds
  uint32_t document = 0;                // YAML document / JSON value index in the file
  bool list_item = false;
};

struct DeviceClass {
  ObjectMeta metadata;
  DeviceClassSpec spec;
  Source source;
  Origin origin;  // top-level extras (e.g. status)
};

struct ResourceSlice {
  ObjectMeta metadata;
  ResourceSliceSpec spec;
  Source source;
  Origin origin;
};

struct ResourceClaim {
  ObjectMeta metadata;
  ResourceClaimSpec spec;
  ResourceClaimStatus status;
  bool has_status = false;
  Source source;
  Origin origin;
};

struct ResourceClaimTemplateSpec {
  ObjectMeta metadata;  // only labels and annotations are allowed
  ResourceClaimSpec spec;
  Origin origin;
};

struct ResourceClaimTemplate {
  ObjectMeta metadata;
  ResourceClaimTemplateSpec spec;
  Source source;
  Origin origin;
};

struct DeviceTaintRule {
  ObjectMeta metadata;
  DeviceTaintRuleSpec spec;
  Value status;
  Source source;
  Origin origin;
};

// core/v1 objects are kept whole as written (`raw`, written back as is) and the parts DRA
// needs are read out of them.
// Resource names and amounts (a container's requests, a node's allocatable), input order.
using ResourceList = std::vector<std::pair<std::string, Quantity>>;
const Quantity* lookup(const ResourceList& m, std::string_view name);

struct NodeObject {  // core/v1 Node
  ObjectMeta metadata;
  std::vector<Taint> taints;  // spec.taints
  ResourceList allocatable;   // status.allocatable
  RawJson raw;
  Source source;
};

struct NamespaceObject {  // core/v1 Namespace: its labels decide admin access
  ObjectMeta metadata;
  RawJson raw;
  Source source;
};

struct PodResourceClaim {
  std::string name;
  std::optional<std::string> resource_claim_name;
  std::optional<std::string> resource_claim_template_name;
  Origin origin;
};

struct PodResourceClaimStatus {
  std::string name;
  std::optional<std::string> resource_claim_name;
  Origin origin;
};

struct ContainerClaim {  // containers[].resources.claims[]
  std::string container;
  std::string name;
  std::string request;
  std::string path;  // "spec.containers[0].resources.claims[1]" (initContainers likewise)
  Pos pos;           // of its name
};

// A container of a Pod, as the scheduler counts its resources.
struct Container {
  std::string name;
  bool init = false;     // in spec.initContainers
  bool sidecar = false;  // an init container with restartPolicy Always
  // resources.requests, with each limit that has no request added as the request (the API
  // server's defaulting of Pods).
  ResourceList requests;
};

struct Pod {
  ObjectMeta metadata;
  std::string node_name;
  StringMap node_selector;
  std::optional<NodeSelector> required_node_affinity;  // requiredDuringScheduling...
  std::vector<Toleration> tolerations;
  std::vector<PodResourceClaim> resource_claims;
  std::vector<ContainerClaim> container_claims;
  // spec.initContainers, then spec.containers: the scheduler's container index.
  std::vector<Container> containers;
  std::vector<PodResourceClaimStatus> resource_claim_statuses;
  // status.extendedResourceClaimStatus.resourceClaimName: the claim the scheduler made for
  // the Pod's DRA-backed extended resources.
  std::optional<std::string> extended_resource_claim_name;
  std::string phase;
  RawJson raw;
  Source source;
};

// A workload object that makes Pods (apps/v1 Deployment, ReplicaSet, StatefulSet; batch/v1
// Job): what decides how many Pods and their names, and the Pod template as read.
struct Workload {
  std::string kind;  // Deployment, ReplicaSet, StatefulSet or Job
  ObjectMeta metadata;
  std::optional<int64_t> replicas;                  // Deployment, ReplicaSet, StatefulSet
  std::optional<int64_t> parallelism, completions;  // Job
  std::string completion_mode;                      // Job: NonIndexed (default) or Indexed
  std::optional<bool> suspend;                      // Job
  std::optional<int64_t> ordinals_start;            // StatefulSet spec.ordinals.start
  RawJson pod_template;                             // spec.template
  Source source;
};

// Every object the tool read, in input order per kind, and the files they came from.
// Deques: growing them never copies (or moves) what is there, so pointers to objects stay
// valid while loading and the peak memory of a large dump is not doubled by a reallocation.
struct Cluster {
  std::vector<std::string> files;  // as the user named them ("-" for stdin)
  std::deque<DeviceClass> device_classes;
  std::deque<ResourceSlice> resource_slices;
  std::deque<ResourceClaim> resource_claims;
  std::deque<ResourceClaimTemplate> resource_claim_templates;
  std::deque<DeviceTaintRule> device_taint_rules;
  std::deque<NodeObject> nodes;
  std::deque<Pod> pods;
  std::deque<NamespaceObject> namespaces;
  std::deque<Workload> workloads;  // read, but only `allocate --with` turns them into Pods
  size_t skipped_objects = 0;      // kinds that do not matter to DRA
  // Some device carries a taint a DeviceTaintRule added (alloc::apply_device_taint_rules):
  // a later call takes those off first. Nothing read from a file or a server carries one.
  bool rule_taints = false;
  // Read from a live cluster: the namespace of the kubeconfig context (or -n), which bare
  // names are in, as kubectl takes them. Empty for files.
  std::string default_namespace;
};

}  // namespace dra::k8s
