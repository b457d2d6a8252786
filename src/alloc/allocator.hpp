// src/alloc/allocator.hpp -- the DRA allocator: for a set of ResourceClaims and one node,
// the devices kube-scheduler's structured allocator would pick, or why it picks none.
//
// A port of the behaviour of kubernetes/dynamic-resource-allocation structured/internal/
// experimental (the variant that supports every feature; spec/allocator.md), written fresh:
// pools gathered per node, a depth-first first-fit search over claims, requests and devices
// in upstream's exact order with its backtracking, and results (devices, config, node
// selector) assembled as upstream assembles them. Upstream's quirks are kept and listed in
// docs/upstream-quirks.md.
//
// One allocator, instrumented: an Observer sees every decision (explain uses it); with none
// attached the search pays one predictable branch per decision.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "k8s/model.hpp"
#include "selectors/cache.hpp"
#include "util/string_map.hpp"

namespace dra::alloc {

// Upstream's feature switches (structured/internal/types.go Features). All on by default:
// the experimental variant with every DRA feature, as the conformance fixtures run it.
struct Features {
  bool admin_access = true;
  bool prioritized_list = true;
  bool partitionable_devices = true;
  bool device_taints = true;
  bool device_binding_and_status = true;
  bool consumable_capacity = true;
  bool list_type_attributes = true;
};

// Capacity amounts by capacity name (consumed capacity, aggregated capacity).
using CapacityAmounts = std::vector<std::pair<std::string, k8s::Quantity>>;

// What already-allocated claims hold (upstream's schedulerapi.AllocatedState, as the
// scheduler gathers it from every claim with status.allocation): results with admin access
// hold nothing; results with a share ID are shares of a device, adding up their consumed
// capacity; every other result holds its device exclusively. By pool ("driver/pool"), then
// device name.
struct AllocatedState {
  enum : uint8_t { kExclusive = 1, kShared = 2, kCapacity = 4 };
  struct Held {
    uint8_t flags = 0;         // k*: held exclusively; at least one share; capacity consumed
    CapacityAmounts capacity;  // the shares' consumed capacity, summed (kCapacity)
  };
  util::StringMap<util::StringMap<Held>> pools;

  // Adds the results of one allocation, as GatherAllocatedState would see them.
  void add(const k8s::AllocationResult& allocation, const Features& features = {});
  // What is held of one device; nullptr: nothing.
  const Held* find(std::string_view driver, std::string_view pool, std::string_view device) const;
  // Upstream's IsDeviceAllocated: held exclusively, shared, or with capacity consumed.
  bool is_allocated(std::string_view driver, std::string_view pool, std::string_view device) const {
    return find(driver, pool, device) != nullptr;
  }
};

// The attribute a claim constraint (matchAttribute, distinctAttribute) reads of a device of
// `driver`: `qualified` is "domain/name"; a device's own-driver attributes match bare too.
const k8s::DeviceAttribute* constraint_attribute(const k8s::Device& d, std::string_view driver,
                                                 std::string_view qualified);

// The allocated state of every allocated claim of the cluster.
AllocatedState allocated_state(const k8s::Cluster& cluster, const Features& features = {});

// Why a device was not taken for a request (for explain).
enum class Rejection {
  InUse,              // allocated to another claim, or earlier in this search
  InUseSameClaim,     // admin access: already picked for this claim
  BindingConditions,  // has binding conditions, feature off
  ClassSelector,      // a selector of the request's class is false
  RequestSelector,    // a selector of the request is false
  NodeMismatch,       // per-device node selection excludes the node
  Capacity,           // not enough consumable capacity left, or the request breaks a policy
  Counters,           // the shared counters it consumes are used up
  PartitionableOff,   // consumes counters, feature off
  Taint,              // a NoSchedule/NoExecute taint the request does not tolerate
  Constraint,         // a claim constraint (matchAttribute, distinctAttribute) fails
};
std::string_view to_string(Rejection r);

// Where the search is: claim, request and subrequest (-1: none) indices into the claims.
struct RequestRef {
  int claim = 0;
  int request = 0;
  int subrequest = -1;
};

// A view of one gathered pool, as the search sees it.
struct PoolInfo {
  std::string_view driver, pool;  // views of the cluster's slices: valid while it is
  bool incomplete = false;
  bool invalid = false;
  std::string invalid_reason;
  size_t devices = 0;  // devices in slices that target the node
};

// For explain: every check of the search applied to one device for one request, each on its
// own (for a device outside the request's class, only the selectors). The search stops at a
// device's first failing check and at the first solution; these facts do neither. They come from
// the search's own predicates, on the allocated state before the search (nothing tentatively taken
// yet).
struct DeviceFacts {
  const k8s::ResourceSlice* slice = nullptr;
  const k8s::Device* device = nullptr;
  size_t pool = 0;             // index into NodeFacts::pools
  uint32_t index = 0;          // the device's number in the Allocator (the same on every node)
  int class_selector = -1;     // the class's first false selector (in order); -1: none
  int request_selector = -1;   // the request's first false selector, the class's all true
  int taint = -1;              // the first NoSchedule/NoExecute taint not tolerated
  bool error = false;          // the selectors end in a CEL runtime error on this device
                               // (the search reports its text: Outcome::error)
  bool class_error = false;    // ... in a selector of the class
  bool node_mismatch = false;  // per-device node selection excludes the node
  bool binding_off = false;    // has binding conditions, that feature off
  bool in_use = false;         // allocated to another claim (admin access: never)
  bool counters = false;       // the shared counters it consumes are used up
  bool capacity = false;       // not enough consumable capacity left for the request
  // The selectors (class and request), node and binding checks pass.
  bool selected() const {
    return class_selector < 0 && request_selector < 0 && !error && !node_mismatch && !binding_off;
  }
  // Every check passes: the search may take it (constraints aside).
  bool candidate() const { return selected() && taint < 0 && !in_use && !counters && !capacity; }
};

// The facts of one request (or subrequest) on one node, over the devices of the node's
// usable pools (neither incomplete nor invalid) in search order.
struct RequestFacts {
  RequestRef ref;
  std::string name;  // "request" or "request/subrequest"
  const k8s::DeviceClass* device_class = nullptr;
  bool all = false;   // allocationMode All
  int64_t count = 0;  // devices needed: the count, or for All what validation counted
  size_t request_selectors = 0;
  const std::vector<k8s::DeviceSelector>* selectors = nullptr;  // the request's
  std::vector<DeviceFacts> devices;
};

struct NodeFacts {
  std::vector<PoolInfo> pools;
  std::vector<RequestFacts> requests;  // claim by claim, request by request, subrequests
};

// Receives the allocator's decisions. Every method has an empty default.
class Observer {
 public:
  virtual ~Observer() = default;
  // When true, allocate() computes NodeFacts (costly) once the requests validate, and
  // passes them to facts() before the search starts.
  virtual bool wants_facts() const { return false; }
  // When false, a successful allocate() returns Allocated with no results (the observer has
  // seen the devices taken; building the API's results is not needed).
  virtual bool wants_results() const { return true; }
  // When false, the pools gathered for a node this allocator has not seen are not kept for
  // later calls (a caller that tries each node once saves keeping them).
  virtual bool keep_pools() const { return true; }
  // When false, the observer does not listen to rejected(), taken() and released() (it reads
  // the facts and the outcome): the search then walks only the devices the selectors accept,
  // as it does with no observer, and may report fewer events.
  virtual bool wants_events() const { return true; }
  // The facts are the allocator's, valid during the call only: copy what is kept.
  virtual void facts(const NodeFacts&) {}
  // A candidate device for a request was not taken; `detail` says more (the selector
  // index, the constraint index, the taint key) where there is more.
  virtual void rejected(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device&, Rejection,
                        int /*detail*/) {}
  // A device was tentatively taken for a request.
  virtual void taken(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device&) {}
  // A tentatively taken device was given back while backtracking.
  virtual void released(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device&) {}
};

struct Options {
  Features features;
  // The most steps (upstream's allocateOne invocations) one Allocate may take; past it the
  // search ends with an error instead of running on. Upstream bounds time (the scheduler's
  // filterTimeout, 10 s) instead.
  uint64_t max_steps = 20'000'000;
  Observer* observer = nullptr;
  // Share IDs of shared results: random UUIDs upstream. When set, "share-1", "share-2", ...
  // instead (for reproducible output in tests).
  bool deterministic_share_ids = false;
};

// The outcome of one Allocate call.
struct Outcome {
  enum class Kind {
    Allocated,     // results has one AllocationResult per claim, in claim order
    NotAllocated,  // no solution on this node; not an error (upstream: nil, nil)
    FailedOnNode,  // no solution and an invalid pool was seen: this node only
    Error,         // bad input or a limit: the scheduler gives up on the pod
  };
  Kind kind = Kind::NotAllocated;
  std::string error;  // upstream's message for FailedOnNode and Error
  std::vector<k8s::AllocationResult> results;
  uint64_t steps = 0;  // allocateOne invocations (upstream's Stats)
};

// The cluster as the allocator sees it: device classes, slices (device taints already in
// them), and the allocated state. Reusable for many Allocate calls; not thread-safe (the
// CEL caches and the counter cache are shared between calls).
class Allocator {
 public:
  // Precondition: the cluster objects outlive the allocator.
  Allocator(const k8s::Cluster& cluster, AllocatedState state, Options options = {});
  Allocator(std::vector<const k8s::DeviceClass*> classes,
            std::vector<const k8s::ResourceSlice*> slices, AllocatedState state,
            Options options = {});
  // An allocator over the same cluster and the same allocated state as `origin`, both
  // shared (not copied), with caches of its own: for trying nodes on another thread while
  // `origin` tries others. Neither may commit() while the other is in use.
  struct Fork {};
  Allocator(const Allocator& origin, Fork);
  ~Allocator();
  Allocator(const Allocator&) = delete;
  Allocator& operator=(const Allocator&) = delete;

  // Allocates `claims` together on `node`. Claims are pending (no status.allocation).
  // A node is known by its name: its labels must not change between calls.
  Outcome allocate(const k8s::NodeObject& node,
                   const std::vector<const k8s::ResourceClaim*>& claims);
  // The same with `observer` watching this call instead of Options::observer.
  Outcome allocate(const k8s::NodeObject& node,
                   const std::vector<const k8s::ResourceClaim*>& claims, Observer* observer);

  // Records an allocation made by a successful allocate(), so later calls see its devices
  // and capacity in use (what the scheduler's in-flight claims do).
  void commit(const std::vector<k8s::AllocationResult>& results);

  // A shortcut that needs no search. On a node where every device the node can see is
  // allocated exclusively (and the pools are valid: no duplicate names, no counters),
  // claims that need a free device cannot be allocated: allocate() would say NotAllocated
  // after checking each device. Exact where both answer true; either may say false when it
  // cannot tell cheaply (the node sees devices of slices not local to one node, say).
  //
  // Whether `claims` validate and every request (and subrequest) asks for an exact count
  // of at least one device without admin access, within the search budget.
  bool need_free_device(const std::vector<const k8s::ResourceClaim*>& claims);
  // Whether every device `node` can see is allocated exclusively. The first call reads
  // every slice once; commit() keeps it up to date.
  bool all_in_use(std::string_view node);

  const AllocatedState& state() const { return *state_; }
  const Options& options() const { return options_; }
  selectors::MatchCache& matches() { return matches_; }
  selectors::ProgramCache& programs() { return programs_; }
  // How many times a device's projection key (what a selector reads of it) was worked out:
  // once per device and list of paths, however many selectors read those paths.
  uint64_t projection_keys() const;
  // Room, from the start, for `slices` slices holding `devices` devices met by the calls to
  // come (a sweep over many nodes): the allocator's per-device tables then grow in place,
  // not by copies into fresh memory. Only a hint: they grow past it as needed.
  void reserve(size_t slices, size_t devices);

  // A selector's compiled program and its verdict slot (internal to the search).
  struct CompiledSlot {
    const selectors::Compiled* compiled = nullptr;
    uint32_t slot = 0;
  };

 private:
  friend struct Search;
  const k8s::DeviceClass* find_class(std::string_view name) const;
  // need_free_device(): the steps a search takes to find nothing on an all_in_use() node.
  std::optional<uint64_t> free_device_steps(const std::vector<const k8s::ResourceClaim*>& claims);
  const CompiledSlot& compiled(const k8s::CELDeviceSelector& selector);

  // What the allocator reads of the cluster, fixed once built: shared with forks.
  struct Inputs {
    std::vector<const k8s::DeviceClass*> classes;
    std::vector<const k8s::ResourceSlice*> all_slices;
    // Slices by the node they name (keys view the slices' own strings).
    std::unordered_map<std::string_view, std::vector<const k8s::ResourceSlice*>> slices_on_node;
    std::vector<const k8s::ResourceSlice*> slices_shared;
  };
  std::shared_ptr<const Inputs> in_;
  std::shared_ptr<AllocatedState> state_;  // shared with forks
  Options options_;
  selectors::ProgramCache programs_;
  selectors::MatchCache matches_;
  std::unordered_map<const k8s::CELDeviceSelector*, CompiledSlot> compiled_;
  std::unordered_map<const selectors::Compiled*, uint32_t> slots_;
  // Every device of a gathered pool, by a dense index: its ID, what the allocated state
  // says of it, and each selector program's verdict on it. The search works on indices,
  // never on ID strings.
  struct DeviceTable;
  std::unique_ptr<DeviceTable> devices_;
  // Available counters per pool ("driver/pool"): the counter sets less what allocated
  // devices consume. Cleared by commit().
  struct CounterCache;
  std::unique_ptr<CounterCache> counters_;
  // Gathered pools per node name (they do not change with allocations).
  struct PoolCache;
  std::unique_ptr<PoolCache> pools_;
  // all_in_use(): devices and devices in use per node, once asked.
  struct Occupancy;
  std::unique_ptr<Occupancy> occupancy_;
  uint64_t next_share_ = 0;
  // What an observer that wants facts is shown, refilled node after node: its vectors and
  // strings keep their buffers.
  NodeFacts facts_;
};

}  // namespace dra::alloc
