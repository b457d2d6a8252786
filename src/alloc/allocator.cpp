// src/alloc/allocator.cpp -- the DRA allocator (see allocator.hpp).
// Section numbers (§) refer to spec/allocator.md; names in comments to upstream's
// structured/internal/experimental package, whose behaviour this reproduces.
#include "alloc/allocator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <span>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <variant>

#include "alloc/node_match.hpp"
#include "selectors/projection.hpp"
#include "util/hash.hpp"
#include "util/pointer_map.hpp"

namespace dra::alloc {

// ---- allocated state ----------------------------------------------------------------------

namespace {

// The boxed value or nullptr.
template <typename T>
const T* ptr(const util::Box<T>& b) {
  return b ? &*b : nullptr;
}

std::string device_id(std::string_view driver, std::string_view pool, std::string_view device) {
  std::string id;
  id.reserve(driver.size() + pool.size() + device.size() + 2);
  id.append(driver).append("/").append(pool).append("/").append(device);
  return id;
}

void add_amounts(CapacityAmounts& into, const CapacityAmounts& more) {
  for (const auto& [name, q] : more) {
    auto it = std::find_if(into.begin(), into.end(),
                           [&name = name](const auto& e) { return e.first == name; });
    if (it == into.end()) {
      into.emplace_back(name, q);
    } else if (!it->second.add(q)) {
      it->second = q;  // beyond kMaxDigits: keep the larger part rather than wrap
    }
  }
}

void sub_amounts(CapacityAmounts& from, const CapacityAmounts& less) {
  for (const auto& [name, q] : less) {
    auto it = std::find_if(from.begin(), from.end(),
                           [&name = name](const auto& e) { return e.first == name; });
    if (it != from.end()) (void)it->second.sub(q);
  }
}

const k8s::Quantity* amount(const CapacityAmounts& a, std::string_view name) {
  for (const auto& [n, q] : a)
    if (n == name) return &q;
  return nullptr;
}

}  // namespace

void AllocatedState::add(const k8s::AllocationResult& allocation, const Features& features) {
  for (const k8s::DeviceRequestAllocationResult& r : allocation.devices.results) {
    if (r.admin_access.value_or(false)) continue;  // holds nothing
    Held& held = *pools.try_emplace(r.driver, r.pool).first->try_emplace(r.device).first;
    if (features.consumable_capacity && r.share_id) {
      held.flags |= kShared;
      if (!r.consumed_capacity.empty()) {
        held.flags |= kCapacity;
        add_amounts(held.capacity, r.consumed_capacity);
      }
      continue;
    }
    held.flags |= kExclusive;
  }
}

const AllocatedState::Held* AllocatedState::find(std::string_view driver, std::string_view pool,
                                                 std::string_view device) const {
  const util::StringMap<Held>* devices = pools.find(driver, pool);
  return devices ? devices->find(device) : nullptr;
}

AllocatedState allocated_state(const k8s::Cluster& cluster, const Features& features) {
  AllocatedState s;
  for (const k8s::ResourceClaim& claim : cluster.resource_claims)
    if (claim.status.allocation) s.add(*claim.status.allocation, features);
  return s;
}

std::string_view to_string(Rejection r) {
  switch (r) {
    case Rejection::InUse:
      return "in use";
    case Rejection::InUseSameClaim:
      return "already taken by this claim";
    case Rejection::BindingConditions:
      return "has binding conditions";
    case Rejection::ClassSelector:
      return "class selector is false";
    case Rejection::RequestSelector:
      return "request selector is false";
    case Rejection::NodeMismatch:
      return "not available on this node";
    case Rejection::Capacity:
      return "not enough capacity";
    case Rejection::Counters:
      return "shared counters exhausted";
    case Rejection::PartitionableOff:
      return "consumes counters (partitionable devices off)";
    case Rejection::Taint:
      return "taint not tolerated";
    case Rejection::Constraint:
      return "claim constraint not satisfied";
  }
  return "?";
}

// ---- the allocator object -----------------------------------------------------------------

// Counter sets with their counters, as values.
using CounterValues = std::vector<std::pair<util::Atom, k8s::Quantity>>;
using CounterSets = std::vector<std::pair<util::Atom, CounterValues>>;

struct Allocator::CounterCache {
  std::map<std::string, CounterSets> available;  // by "driver/pool"
};

struct Allocator::DeviceTable {
  enum : uint8_t {
    kExclusive = AllocatedState::kExclusive,
    kShared = AllocatedState::kShared,
    kCapacity = AllocatedState::kCapacity
  };
  enum : uint8_t { kUnknown = 0, kTrue = 1, kFalse = 2, kError = 3 };
  // Devices are numbered slice by slice, the first time a gathered pool holds the slice:
  // a slice's devices have consecutive indices from first[slice].
  util::PointerMap<k8s::ResourceSlice, uint32_t> first;
  std::vector<const k8s::ResourceSlice*> slice_of;  // by index
  std::vector<uint8_t> held;                        // what the allocated state says: k* flags
  std::vector<std::vector<uint8_t>> verdicts;       // [program slot][device]: kUnknown, ...
  // CEL `device` values of the devices evaluated one by one (most share a projection's
  // verdict and never need theirs): by device number; null: not built yet.
  std::unordered_map<uint32_t, selectors::Value> values;
  // Devices numbered by what a list of paths reads of them (projection.hpp): devices with
  // the same number read alike. Programs that read the same paths (`type == 'gpu'` and
  // `type == 'mig'`) share one list, so a device's key is worked out once for all of them.
  static constexpr uint32_t kNoProjection = std::numeric_limits<uint32_t>::max();
  struct Projections {
    std::vector<selectors::DevicePath> paths;
    std::unordered_map<std::string, uint32_t> numbers;  // by key
    std::vector<uint32_t> of_device;                    // by device; kNoProjection: not yet
  };
  std::vector<Projections> projections;
  // Verdicts shared by devices that agree on what a program reads, per program slot: by
  // projection number of the program's path list; no list for a program that is not
  // projectable.
  struct Shared {
    std::optional<size_t> projections;
    std::vector<uint8_t> by_projection;
  };
  std::vector<Shared> shared;
  size_t projections_of(std::vector<selectors::DevicePath> paths) {
    for (size_t i = 0; i < projections.size(); ++i)
      if (projections[i].paths == paths) return i;
    projections.push_back({std::move(paths), {}, {}});
    return projections.size() - 1;
  }
  std::vector<uint8_t> convertible;  // 0: not known yet, kTrue, kFalse
  std::string key;                   // scratch
  uint64_t keys = 0;                 // projection keys worked out
  // The numbered slices of each pool ("driver/pool"): a device ID names a device in every
  // slice of its pool.
  struct PoolDevices {
    std::string_view driver, name;  // its key: views of a slice's names
    std::vector<const k8s::ResourceSlice*> slices;
    uint64_t changes = 0;  // what was computed from the flags before a change is stale
  };
  // The pools, at fixed addresses (the search keeps pointers), found through 16-byte slots
  // (open addressing, at most half full): the key lives in the pool.
  std::deque<PoolDevices> pools;
  struct PoolSlot {
    uint64_t hash = 0;  // 0: empty
    PoolDevices* pool = nullptr;
  };
  std::vector<PoolSlot> pool_slots;
  const AllocatedState& state;

  static uint64_t pool_hash(std::string_view driver, std::string_view name) {
    const uint64_t h = (util::hash_bytes(driver) * 0x9E3779B97F4A7C15ULL) ^ util::hash_bytes(name);
    return h ? h : 1;
  }
  // The slot of the pool, or the empty slot where it would go.
  PoolSlot& pool_slot(std::string_view driver, std::string_view name, uint64_t h) {
    const size_t mask = pool_slots.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      PoolSlot& slot = pool_slots[i];
      if (!slot.hash || (slot.hash == h && slot.pool->driver == driver && slot.pool->name == name))
        return slot;
    }
  }
  void reserve_pools(size_t n) {
    size_t capacity = 16;
    while (capacity < 2 * n) capacity <<= 1;
    if (capacity <= pool_slots.size()) return;
    std::vector<PoolSlot> old(capacity);
    old.swap(pool_slots);
    for (const PoolSlot& slot : old)
      if (slot.hash) pool_slot(slot.pool->driver, slot.pool->name, slot.hash) = slot;
  }
  PoolDevices* find_pool(std::string_view driver, std::string_view name) {
    if (pool_slots.empty()) return nullptr;
    return pool_slot(driver, name, pool_hash(driver, name)).pool;
  }
  // `driver` and `name` must be the slices' own strings (kept as the pool's key).
  PoolDevices& pool(std::string_view driver, std::string_view name) {
    if (2 * (pools.size() + 1) > pool_slots.size()) reserve_pools(pools.size() + 1);
    const uint64_t h = pool_hash(driver, name);
    PoolSlot& slot = pool_slot(driver, name, h);
    if (!slot.hash) slot = {h, &pools.emplace_back(PoolDevices{driver, name, {}, 0})};
    return *slot.pool;
  }

  explicit DeviceTable(const AllocatedState& s) : state(s) {}

  // Room for `slices` slices of `devices` devices in all (Allocator::reserve).
  size_t room = 0;  // devices: what each per-device vector reserves on its first growth
  void reserve(size_t slices, size_t devices) {
    first.reserve(slices);
    reserve_pools(slices);
    held.reserve(devices);
    slice_of.reserve(devices);
    room = devices;
  }
  // Grows a per-device vector to every numbered device, the new ones set to `fill`.
  template <typename T>
  void cover(std::vector<T>& v, T fill) {
    if (v.size() >= held.size()) return;
    if (v.capacity() < room) v.reserve(room);
    v.resize(held.size(), fill);
  }

  // `known`: the slice's pool, when the caller has it at hand.
  uint32_t base(const k8s::ResourceSlice* s, PoolDevices* known = nullptr) {
    auto [at, fresh] = first.try_emplace(s, static_cast<uint32_t>(held.size()));
    if (!fresh) return *at;
    (known ? *known : pool(s->spec.driver, s->spec.pool.name)).slices.push_back(s);
    const util::StringMap<AllocatedState::Held>* in_pool =
        state.pools.find(s->spec.driver, s->spec.pool.name);
    for (const k8s::Device& d : s->spec.devices) {
      const AllocatedState::Held* h = in_pool ? in_pool->find(d.name) : nullptr;
      held.push_back(h ? h->flags : 0);
      slice_of.push_back(s);
    }
    return *at;
  }
  const k8s::Device& device(uint32_t i) const {
    return slice_of[i]->spec.devices[i - first.at(slice_of[i])];
  }
  std::string id(uint32_t i) const {
    const k8s::ResourceSlice& s = *slice_of[i];
    return device_id(s.spec.driver, s.spec.pool.name, device(i).name);
  }
  // What the allocated state holds of device i.
  const AllocatedState::Held* held_of(uint32_t i) const {
    const k8s::ResourceSlice& s = *slice_of[i];
    return state.find(s.spec.driver, s.spec.pool.name, device(i).name);
  }
  // After the allocated state changed for a device: its flags again, in every numbered slice.
  void update(const std::string& driver, const std::string& pool, const std::string& name) {
    // A pool no search has gathered here has nothing numbered, and nothing computed.
    PoolDevices* known = find_pool(driver, pool);
    if (!known) return;
    const AllocatedState::Held* h = state.find(driver, pool, name);
    const uint8_t f = h ? h->flags : 0;
    PoolDevices& pd = *known;
    ++pd.changes;
    for (const k8s::ResourceSlice* s : pd.slices) {
      const auto& devices = s->spec.devices;
      for (size_t i = 0; i < devices.size(); ++i)
        if (devices[i].name == name) held[first.at(s) + i] = f;
    }
  }
  selectors::Value& value(uint32_t device) { return values[device]; }
  uint8_t& verdict(uint32_t slot, uint32_t device) {
    std::vector<uint8_t>& v = verdicts[slot];
    if (v.size() <= device) cover(v, uint8_t{kUnknown});
    return v[device];
  }
};

Allocator::Allocator(const k8s::Cluster& cluster, AllocatedState state, Options options)
    : Allocator(
          [&] {
            std::vector<const k8s::DeviceClass*> v;
            for (const auto& c : cluster.device_classes) v.push_back(&c);
            return v;
          }(),
          [&] {
            std::vector<const k8s::ResourceSlice*> v;
            for (const auto& s : cluster.resource_slices) v.push_back(&s);
            return v;
          }(),
          std::move(state), options) {}

Allocator::Allocator(std::vector<const k8s::DeviceClass*> classes,
                     std::vector<const k8s::ResourceSlice*> slices, AllocatedState state,
                     Options options)
    : state_(std::make_shared<AllocatedState>(std::move(state))),
      options_(options),
      devices_(std::make_unique<DeviceTable>(*state_)),
      counters_(std::make_unique<CounterCache>()),
      pools_(std::make_unique<PoolCache>()) {
  auto in = std::make_shared<Inputs>();
  in->classes = std::move(classes);
  in->all_slices = std::move(slices);
  in->slices_on_node.reserve(in->all_slices.size());
  for (const k8s::ResourceSlice* s : in->all_slices) {
    if (!s->spec.node_name || s->spec.node_name->empty()) {
      in->slices_shared.push_back(s);
    } else {
      in->slices_on_node[*s->spec.node_name].push_back(s);
    }
  }
  in_ = std::move(in);
}

Allocator::Allocator(const Allocator& origin, Fork)
    : in_(origin.in_),
      state_(origin.state_),
      options_(origin.options_),
      devices_(std::make_unique<DeviceTable>(*state_)),
      counters_(std::make_unique<CounterCache>()),
      pools_(std::make_unique<PoolCache>()),
      next_share_(origin.next_share_) {}

Allocator::~Allocator() = default;

const Allocator::CompiledSlot& Allocator::compiled(const k8s::CELDeviceSelector& selector) {
  // Compiled once per expression (ProgramCache), looked up once per selector object; one
  // verdict slot per distinct program.
  CompiledSlot& cs = compiled_[&selector];
  if (!cs.compiled) {
    cs.compiled = &programs_.get(selector.expression);
    auto [it, fresh] = slots_.try_emplace(cs.compiled, static_cast<uint32_t>(slots_.size()));
    if (fresh) {
      devices_->verdicts.emplace_back();
      DeviceTable::Shared& sh = devices_->shared.emplace_back();
      if (cs.compiled->ok())
        if (auto paths = selectors::device_paths(cs.compiled->program->ast()))
          sh.projections = devices_->projections_of(std::move(*paths));
    }
    cs.slot = it->second;
  }
  return cs;
}

uint64_t Allocator::projection_keys() const { return devices_->keys; }

void Allocator::reserve(size_t slices, size_t devices) { devices_->reserve(slices, devices); }

const k8s::DeviceClass* Allocator::find_class(std::string_view name) const {
  for (const k8s::DeviceClass* c : in_->classes)
    if (c->metadata.name == name) return c;
  return nullptr;
}

// ---- all_in_use: devices in use per node ---------------------------------------------------

struct Allocator::Occupancy {
  // Views of the slices' strings.
  struct PoolKey {
    std::string_view driver, pool;
    bool operator==(const PoolKey&) const = default;
  };
  struct PoolKeyHash {
    size_t operator()(const PoolKey& k) const {
      const size_t h = std::hash<std::string_view>{}(k.driver);
      return h ^
             (std::hash<std::string_view>{}(k.pool) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    }
  };
  struct Node;
  struct Pool {
    Node* node = nullptr;   // the node every slice of the pool names; null: several
    bool counters = false;  // some slice has shared counters
  };
  struct Node {
    std::string_view name;
    uint32_t devices = 0;  // in the slices that name the node, every generation
    // At least the devices of those slices allocated exclusively: counted from the
    // allocated state, which may also name devices no slice has (check() counts exactly).
    uint32_t in_use = 0;
    // Pools valid whatever their devices hold: each pool's slices name only this node and
    // have no shared counters, and no slice selects nodes any other way.
    bool plain = true;
    bool full = false;  // checked: every device held exclusively, and the pools are valid
  };
  // Some slice does not name one node (node selector, all nodes, per-device selection):
  // all_in_use() is false everywhere.
  bool off = false;
  std::unordered_map<std::string_view, Node> nodes;  // by name
  std::unordered_map<PoolKey, Pool, PoolKeyHash> pools;

  explicit Occupancy(const Allocator& a) {
    if (!a.in_->slices_shared.empty()) {
      off = true;
      return;
    }
    // From the slices alone (their devices are not read here: there are many).
    nodes.reserve(a.in_->slices_on_node.size());
    pools.reserve(a.in_->all_slices.size());
    for (const k8s::ResourceSlice* s : a.in_->all_slices) {
      Node& n = nodes[*s->spec.node_name];
      n.name = *s->spec.node_name;
      n.devices += static_cast<uint32_t>(s->spec.devices.size());
      if (s->spec.node_selector || s->spec.all_nodes || s->spec.per_device_node_selection)
        n.plain = false;
      auto [it, fresh] = pools.try_emplace(PoolKey{s->spec.driver, s->spec.pool.name});
      Pool& p = it->second;
      if (fresh) p.node = &n;
      if (p.node != &n) p.node = nullptr;
      p.counters = p.counters || !s->spec.shared_counters.empty();
    }
    for (const k8s::ResourceSlice* s : a.in_->all_slices) {
      Pool& p = pools.at(PoolKey{s->spec.driver, s->spec.pool.name});
      if (!p.node || p.counters) nodes.at(*s->spec.node_name).plain = false;
    }
    // Devices held exclusively, per pool, from the allocated state.
    a.state_->pools.for_each(
        [&](std::string_view id, const util::StringMap<AllocatedState::Held>& held) {
          const size_t slash = id.find('/');  // driver names have none
          auto it = pools.find(PoolKey{id.substr(0, slash), id.substr(slash + 1)});
          if (it == pools.end() || !it->second.node || it->second.counters) return;
          uint32_t n = 0;
          held.for_each([&](std::string_view, const AllocatedState::Held& h) {
            n += (h.flags & AllocatedState::kExclusive) != 0;
          });
          it->second.node->in_use += n;
        });
    for (auto& [name, n] : nodes) check(a, n);
  }

  // Whether every device of the node's slices is held exclusively, each name once per pool
  // and no device consuming counters (its pool would be invalid: the search says so).
  static void check(const Allocator& a, Node& n) {
    n.full = false;
    if (!n.plain || n.in_use < n.devices) return;
    uint32_t held = 0;
    std::vector<std::tuple<std::string_view, std::string_view, std::string_view>> ids;
    ids.reserve(n.devices);
    for (const k8s::ResourceSlice* s : a.in_->slices_on_node.at(n.name)) {
      const auto* in_pool = a.state_->pools.find(s->spec.driver, s->spec.pool.name);
      for (const k8s::Device& d : s->spec.devices) {
        if (!d.consumes_counters.empty()) {
          n.plain = false;
          return;
        }
        const AllocatedState::Held* h = in_pool ? in_pool->find(d.name) : nullptr;
        if (!h || !(h->flags & AllocatedState::kExclusive)) continue;
        ++held;
        ids.emplace_back(s->spec.driver, s->spec.pool.name, d.name);
      }
    }
    n.in_use = held;  // exact from here on
    if (held < n.devices) return;
    std::sort(ids.begin(), ids.end());
    n.full = std::adjacent_find(ids.begin(), ids.end()) == ids.end();
  }

  // A device of pool (driver, pool) became held exclusively.
  void taken(const Allocator& a, std::string_view driver, std::string_view pool) {
    auto it = pools.find(PoolKey{driver, pool});
    if (it == pools.end() || !it->second.node) return;
    Node& n = *it->second.node;
    ++n.in_use;
    check(a, n);
  }
};

void Allocator::commit(const std::vector<k8s::AllocationResult>& results) {
  auto exclusive = [&](const k8s::DeviceRequestAllocationResult& d) {
    const AllocatedState::Held* h = state_->find(d.driver, d.pool, d.device);
    return h && (h->flags & AllocatedState::kExclusive);
  };
  std::vector<const k8s::DeviceRequestAllocationResult*> newly;  // now held exclusively
  for (const k8s::AllocationResult& r : results) {
    if (occupancy_) {
      newly.clear();
      for (const k8s::DeviceRequestAllocationResult& d : r.devices.results)
        if (!exclusive(d)) newly.push_back(&d);
    }
    state_->add(r, options_.features);
    for (const k8s::DeviceRequestAllocationResult& d : r.devices.results)
      devices_->update(d.driver, d.pool, d.device);
    for (const k8s::DeviceRequestAllocationResult* d : newly)
      if (exclusive(*d)) occupancy_->taken(*this, d->driver, d->pool);
  }
  counters_->available.clear();
}

bool Allocator::all_in_use(std::string_view node) {
  if (!occupancy_) occupancy_ = std::make_unique<Occupancy>(*this);
  if (occupancy_->off) return false;
  auto it = occupancy_->nodes.find(node);
  return it == occupancy_->nodes.end() || it->second.full;  // no slice names it: no devices
}

// ---- pools (§5, GatherPools) ------------------------------------------------------------

namespace {

struct Pool {
  // Views of the texts of the pool's slices, which outlive the Allocator and so its pools.
  std::string_view driver, name;
  std::string key() const { return fmt::format("{}/{}", driver, name); }
  bool incomplete = false;
  bool invalid = false;
  std::string invalid_reason;
  std::vector<const k8s::ResourceSlice*> device_slices;  // targeting the node, by name
  std::vector<const k8s::ResourceSlice*> not_targeting;  // other device slices of the pool
  std::vector<const k8s::CounterSet*> counter_sets;
  // The Allocator's index of the first device of each of device_slices and not_targeting.
  std::vector<uint32_t> device_base, not_targeting_base;
  // Where each of device_slices starts in the node's numbering of its devices (all pools
  // in order): the key of per-call memos.
  std::vector<uint32_t> local_offset;
  // The shared counters as whole numbers, when every counter and every consumption in the
  // pool is one (the usual case; see CounterLayout).
  struct CounterLayout;
  std::shared_ptr<CounterLayout> counters;
  const uint64_t* changes = nullptr;  // DeviceTable::PoolDevices::changes of the pool
  // As constructed, keeping the lists' memory (pools not kept are rebuilt for every node
  // in the same storage: PoolScratch). Every member above is reset here.
  void reset() {
    driver = name = {};
    incomplete = invalid = false;
    invalid_reason.clear();
    for (auto* list : {&device_slices, &not_targeting}) list->clear();
    counter_sets.clear();
    for (auto* list : {&device_base, &not_targeting_base, &local_offset}) list->clear();
    counters.reset();
    changes = nullptr;
  }
};

// Counters by slot (counter sets in order, their counters in order), with what each device
// consumes, as exact integers. The search checks counters on every candidate that consumes
// any; with whole numbers that is integer arithmetic on arrays, not decimal arithmetic on
// name-keyed lists. Results are the same: the amounts are exact.
__extension__ typedef __int128 Amount;
struct Pool::CounterLayout {
  std::vector<Amount> capacity;  // by slot
  // What each device consumes, (slot, amount) pairs: the devices of device_slices and then
  // of not_targeting, in order; device i's pairs are uses[begin[i], begin[i + 1]).
  // (Each amount is a whole number of at most 18 digits; sums are taken as Amount.)
  using Use = std::pair<uint32_t, int64_t>;
  std::vector<Use> uses;
  std::vector<uint32_t> begin;
  std::span<const Use> of(size_t device) const {
    return {uses.data() + begin[device], uses.data() + begin[device + 1]};
  }
  std::vector<Amount> available;  // capacity less what allocated devices use
  // DeviceTable::PoolDevices::changes when available was computed.
  uint64_t available_at = std::numeric_limits<uint64_t>::max();
};

struct PoolError {
  std::string message;
};

bool has_shared_counters(const k8s::ResourceSlice& s) { return !s.spec.shared_counters.empty(); }

bool has_binding_conditions(const Pool& p) {
  for (const k8s::ResourceSlice* s : p.device_slices)
    for (const k8s::Device& d : s->spec.devices)
      if (!d.binding_conditions.empty()) return true;
  return false;
}

// Names seen so far (device names of a pool): open addressing in one array, for a check
// that runs once per pool and node and sees a hundred devices on a MIG node.
class NameSet {
 public:
  // Up to kInline / 2 names (a node's pool of GPUs or NICs) need no allocation.
  explicit NameSet(size_t expected) {
    size_t capacity = kInline;
    while (capacity < 2 * expected) capacity <<= 1;
    if (capacity > kInline) {
      heap_.resize(capacity);
      slots_ = heap_.data();
    }
    mask_ = capacity - 1;
  }
  NameSet(const NameSet&) = delete;
  NameSet& operator=(const NameSet&) = delete;
  // False when `name` was there already. The set must not fill up (`expected` bounds it).
  bool insert(std::string_view name) {
    const size_t h = util::hash_bytes(name);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (!slot.used) {
        slot = {h, name, true};
        return true;
      }
      if (slot.hash == h && slot.name == name) return false;
    }
  }

 private:
  struct Slot {
    size_t hash = 0;
    std::string_view name;
    bool used = false;
  };
  static constexpr size_t kInline = 32;
  std::array<Slot, kInline> inline_{};
  std::vector<Slot> heap_;
  Slot* slots_ = inline_.data();
  size_t mask_ = kInline - 1;
};

// buildPool: splits the slices, then checks device names and counter references.
// Fills `p`, reset (Pool::reset); sorts `slices`.
void build_pool(std::string_view driver, std::string_view name,
                std::vector<const k8s::ResourceSlice*>& slices, const Features& features,
                const std::vector<const k8s::ResourceSlice*>* all_for_pool, Pool& p) {
  p.driver = driver;
  p.name = name;
  if (slices.size() > 1)
    std::stable_sort(slices.begin(), slices.end(), [](const auto* a, const auto* b) {
      return a->metadata.name < b->metadata.name;
    });
  std::vector<const k8s::ResourceSlice*> counter_slices;
  for (const k8s::ResourceSlice* s : slices) {
    if (features.partitionable_devices && has_shared_counters(*s)) {
      counter_slices.push_back(s);
    } else {
      p.device_slices.push_back(s);
    }
  }
  if (all_for_pool && slices.size() < all_for_pool->size()) {
    std::set<std::string_view> targeting;
    for (const k8s::ResourceSlice* s : slices) targeting.insert(s->metadata.name);
    for (const k8s::ResourceSlice* s : *all_for_pool) {
      if (targeting.count(s->metadata.name)) continue;
      if (features.partitionable_devices && has_shared_counters(*s)) {
        counter_slices.push_back(s);
      } else {
        p.not_targeting.push_back(s);
      }
    }
  }
  auto invalid = [&](std::string reason) {
    p.reset();
    p.driver = driver;
    p.name = name;
    p.invalid = true;
    p.invalid_reason = std::move(reason);
  };
  size_t device_count = 0;
  for (const k8s::ResourceSlice* s : p.device_slices) device_count += s->spec.devices.size();
  NameSet names(device_count);
  for (const k8s::ResourceSlice* s : p.device_slices)
    for (const k8s::Device& d : s->spec.devices)
      if (!names.insert(d.name)) return invalid("duplicate device name " + d.name);
  if (!features.partitionable_devices) {
    p.not_targeting.clear();
    return;
  }
  if (counter_slices.empty()) {
    // No counter sets: only a device that names one makes the pool invalid.
    for (const auto* list : {&p.device_slices, &p.not_targeting})
      for (const k8s::ResourceSlice* s : *list)
        for (const k8s::Device& d : s->spec.devices)
          if (!d.consumes_counters.empty())
            return invalid(fmt::format("counter set {} not found",
                                       d.consumes_counters.front().counter_set.view()));
    return;
  }
  for (const k8s::ResourceSlice* s : counter_slices) {
    for (const k8s::CounterSet& cs : s->spec.shared_counters) {
      for (const k8s::CounterSet* have : p.counter_sets)
        if (have->name == cs.name)
          return invalid(fmt::format("duplicate counter set name {}", cs.name.view()));
      p.counter_sets.push_back(&cs);
    }
  }
  // Every consumption must name a counter set and counters it has. The same pass lays the
  // counters out as whole numbers, when they are (Pool::CounterLayout). Names are interned
  // (k8s::CounterMap): each compare is one of pointers.
  // Devices name the counters they consume mostly in the order the sets list them, so the
  // lookups start where the last one matched.
  struct Set {
    const k8s::CounterSet* set = nullptr;
    uint32_t first = 0;  // slot of its first counter
    size_t cursor = 0;   // where the next counter lookup starts
    std::optional<uint32_t> find(util::Atom counter) {
      const auto& counters = set->counters;
      const size_t size = counters.size();
      size_t i = cursor < size ? cursor : 0;
      for (size_t n = 0; n < size; ++n, ++i) {
        if (i == size) i = 0;
        if (counters[i].first == counter) {  // unique (the loader refuses repeats)
          cursor = i + 1;
          return static_cast<uint32_t>(i);
        }
      }
      return std::nullopt;
    }
  };
  // By name: a pool has a few counter sets (one per GPU), looked up along the list.
  std::vector<Set> sets;
  sets.reserve(p.counter_sets.size());
  auto layout = std::make_shared<Pool::CounterLayout>();
  bool whole = true;
  for (const k8s::CounterSet* cs : p.counter_sets) {
    sets.push_back({cs, static_cast<uint32_t>(layout->capacity.size())});
    for (const auto& [counter, value] : cs->counters) {
      const std::optional<int64_t> v = value.whole();
      whole = whole && v;
      layout->capacity.push_back(v.value_or(0));
    }
  }
  Set* last = nullptr;
  size_t consumers = 0;
  for (const k8s::ResourceSlice* s : p.not_targeting) consumers += s->spec.devices.size();
  layout->begin.reserve(device_count + consumers + 1);
  layout->uses.reserve(4 * (device_count + consumers));
  auto check_consumption = [&](const std::vector<const k8s::ResourceSlice*>& list) -> std::string {
    for (const k8s::ResourceSlice* s : list)
      for (const k8s::Device& d : s->spec.devices) {
        layout->begin.push_back(static_cast<uint32_t>(layout->uses.size()));
        for (const k8s::DeviceCounterConsumption& c : d.consumes_counters) {
          if (!last || last->set->name != c.counter_set) {
            auto found = std::find_if(sets.begin(), sets.end(),
                                      [&](const Set& x) { return x.set->name == c.counter_set; });
            if (found == sets.end())
              return fmt::format("counter set {} not found", c.counter_set.view());
            last = &*found;
          }
          Set& set = *last;
          for (const auto& [counter, amount] : c.counters) {
            const std::optional<uint32_t> at = set.find(counter);
            if (!at)
              return fmt::format("counter {} not found in counter set {}", counter.view(),
                                 set.set->name.view());
            const std::optional<int64_t> v = amount.whole();
            whole = whole && v;
            if (v) layout->uses.emplace_back(set.first + *at, *v);
          }
        }
      }
    return {};
  };
  if (std::string e = check_consumption(p.device_slices); !e.empty()) return invalid(std::move(e));
  if (std::string e = check_consumption(p.not_targeting); !e.empty()) return invalid(std::move(e));
  layout->begin.push_back(static_cast<uint32_t>(layout->uses.size()));
  if (whole && !p.counter_sets.empty()) p.counters = std::move(layout);
}

std::string selector_text(const k8s::NodeSelector& s) {
  std::string out = "{";
  for (const auto& t : s.node_selector_terms) {
    out += "[";
    for (const auto& r : t.match_expressions)
      out += fmt::format("{} {} {}", r.key, r.operator_, fmt::join(r.values, ","));
    for (const auto& r : t.match_fields)
      out += fmt::format("{} {} {}", r.key, r.operator_, fmt::join(r.values, ","));
    out += "]";
  }
  return out + "}";
}

// What gather_pools() works in, kept from node to node by the Allocator so that its lists
// keep their memory: the slices found per pool, and the order they are built in.
struct PoolScratch {
  struct Gathered {
    std::string_view driver, name;  // of the slices
    std::vector<const k8s::ResourceSlice*> slices;
  };
  std::vector<Gathered> pools;  // the first `used` are this node's
  size_t used = 0;
  std::vector<uint32_t> order;
  std::vector<Pool> spare;  // pools not kept (Observer::keep_pools), rebuilt in place
};

// GatherPools for `node` (§5): the pools of the slices that target it, newest generation
// only, completeness judged over all slices; sorted by driver and name, pools with binding
// conditions last. Fills `result`, reusing the pools it holds (Pool::reset).
std::optional<PoolError> gather_pools(std::span<const k8s::ResourceSlice* const> on_node,
                                      std::span<const k8s::ResourceSlice* const> shared,
                                      const k8s::NodeObject& node, const Features& features,
                                      const std::vector<const k8s::ResourceSlice*>& all,
                                      PoolScratch& scratch, std::vector<Pool>& result) {
  using Gathered = PoolScratch::Gathered;
  auto& pools = scratch.pools;
  size_t& used = scratch.used;
  used = 0;
  // Pools by (driver, name): a look along `pools` while a node has few (the usual two or
  // three), an index beyond.
  std::map<std::pair<std::string_view, std::string_view>, size_t> index;
  constexpr size_t kScan = 16;
  auto find = [&](std::string_view driver, std::string_view name) -> Gathered* {
    if (used <= kScan) {
      for (size_t i = 0; i < used; ++i)
        if (pools[i].name == name && pools[i].driver == driver) return &pools[i];
      return nullptr;
    }
    if (index.empty())
      for (size_t i = 0; i < used; ++i)
        index.emplace(std::make_pair(pools[i].driver, pools[i].name), i);
    auto it = index.find({driver, name});
    return it == index.end() ? nullptr : &pools[it->second];
  };
  const size_t gathered = on_node.size() + shared.size();
  for (size_t at = 0; at < gathered; ++at) {
    const k8s::ResourceSlice* s = at < on_node.size() ? on_node[at] : shared[at - on_node.size()];
    const auto& spec = s->spec;
    if (!features.partitionable_devices &&
        (spec.per_device_node_selection.has_value() || has_shared_counters(*s)))
      continue;
    bool relevant = false;
    const bool named = !spec.node_name.value_or("").empty();
    if (named || spec.all_nodes.value_or(false) || spec.node_selector) {
      auto m = node_matches(node, spec.node_name, spec.all_nodes,
                            spec.node_selector ? &*spec.node_selector : nullptr);
      if (!m)
        return PoolError{fmt::format(
            "failed to perform node selection for slice {}: failed to parse node selector {}: {}",
            s->metadata.name, spec.node_selector ? selector_text(*spec.node_selector) : "",
            m.error())};
      relevant = *m;
    } else if (spec.per_device_node_selection.value_or(false)) {
      for (const k8s::Device& d : spec.devices) {
        auto m = node_matches(node, d.node_name, d.all_nodes, ptr(d.node_selector));
        if (!m)
          return PoolError{fmt::format(
              "failed to perform node selection for device {} in slice {}: failed to parse node "
              "selector {}: {}",
              d.name, s->metadata.name, d.node_selector ? selector_text(*d.node_selector) : "",
              m.error())};
        if (*m) {
          relevant = true;
          break;
        }
      }
    } else {
      continue;  // an unknown future way of selecting nodes
    }
    if (!relevant) continue;
    // addSlice: only the newest generation seen so far is kept.
    Gathered* found = find(spec.driver, spec.pool.name);
    if (!found) {
      if (used == pools.size()) pools.emplace_back();
      Gathered& g = pools[used++];
      g.driver = spec.driver;
      g.name = spec.pool.name;
      g.slices.assign(1, s);
      if (!index.empty())
        index.emplace(
            std::make_pair(std::string_view(spec.driver), std::string_view(spec.pool.name)),
            used - 1);
      continue;
    }
    Gathered& g = *found;
    const int64_t have = g.slices.front()->spec.pool.generation;
    if (spec.pool.generation < have) continue;
    if (spec.pool.generation > have) {
      g.slices.assign(1, s);
      continue;
    }
    g.slices.push_back(s);
  }

  // Built in order of driver and name (the pools are few), in place.
  std::vector<uint32_t>& order = scratch.order;
  order.resize(used);
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(pools[a].driver, pools[a].name) < std::tie(pools[b].driver, pools[b].name);
  });
  size_t built = 0;
  auto next = [&]() -> Pool& {
    if (built == result.size()) result.emplace_back();
    Pool& p = result[built++];
    p.reset();
    return p;
  };
  for (const uint32_t at : order) {
    Gathered& g = pools[at];
    const k8s::ResourceSlice& first = *g.slices.front();
    const int64_t count = first.spec.pool.resource_slice_count;
    if (static_cast<int64_t>(g.slices.size()) == count) {
      build_pool(g.driver, g.name, g.slices, features, nullptr, next());
    } else {
      // checkSlicesInPool over every slice: a newer generation elsewhere makes this one
      // obsolete; otherwise the pool is complete if all its slices exist somewhere.
      const int64_t generation = first.spec.pool.generation;
      std::vector<const k8s::ResourceSlice*> all_for_pool;
      bool obsolete = false;
      for (const k8s::ResourceSlice* s : all) {
        if (s->spec.driver != g.driver || s->spec.pool.name != g.name) continue;
        if (s->spec.pool.generation == generation) {
          all_for_pool.push_back(s);
        } else if (s->spec.pool.generation > generation) {
          obsolete = true;
          break;
        }
      }
      if (obsolete) continue;
      if (static_cast<int64_t>(all_for_pool.size()) != count) {
        Pool& q = next();
        q.driver = g.driver;
        q.name = g.name;
        q.incomplete = true;
        continue;
      }
      build_pool(g.driver, g.name, g.slices, features, &all_for_pool, next());
    }
  }
  result.resize(built);
  // Pools with binding conditions last, each group in order.
  if (std::any_of(result.begin(), result.end(), has_binding_conditions))
    std::stable_partition(result.begin(), result.end(),
                          [](const Pool& p) { return !has_binding_conditions(p); });
  return std::nullopt;
}

}  // namespace

namespace {

// isSelectable's verdicts for one node and one list of programs (the selectors of a class
// and of a request), by the device's place on the node; kept across calls.
struct SelectableMemo {
  std::vector<uint8_t> by_local;  // 0 unknown, else RequestData::kYes or kNo
  struct Entry {
    uint32_t local, pool, slice, device;
  };
  // The devices of usable pools (neither incomplete nor invalid) the selectors accept, in
  // search order, decided a slice at a time as searches reach them: those of the slices
  // before slice `next_slice` of pool `next_pool`.
  std::vector<Entry> accepted;
  size_t next_pool = 0, next_slice = 0;
  bool complete = false;  // every slice is decided
  // The selectors fail with an error on some device of the next slice: from there on the
  // search walks every device, to meet the error in order.
  bool failed = false;
};

}  // namespace

struct Allocator::PoolCache {
  std::unordered_map<std::string, std::variant<std::vector<Pool>, PoolError>> by_node;
  PoolScratch scratch;  // gather_pools()'s, and the pools of a node when none are kept
  // isSelectable memos (RequestData::shared_selectable) per node's pools and per programs
  // of the class and the request (their slots, in order).
  std::unordered_map<const std::vector<Pool>*, std::unordered_map<std::string, SelectableMemo>>
      selectable;
};

namespace {

// ---- requests ------------------------------------------------------------------------------

// A request or a subrequest (upstream's requestAccessor).
struct RequestView {
  const std::string* name = nullptr;
  const std::string* class_name = nullptr;
  const std::string* mode = nullptr;
  int64_t count = 0;
  std::optional<bool> admin;
  const std::vector<k8s::DeviceSelector>* selectors = nullptr;
  const std::vector<k8s::DeviceToleration>* tolerations = nullptr;
  const k8s::CapacityRequirements* capacity = nullptr;
  bool admin_access() const { return admin.value_or(false); }

  static RequestView of(const k8s::ExactDeviceRequest& r, const std::string& name) {
    return {&name,
            &r.device_class_name,
            &r.allocation_mode,
            r.count,
            r.admin_access,
            &r.selectors,
            &r.tolerations,
            r.capacity ? &*r.capacity : nullptr};
  }
  static RequestView of(const k8s::DeviceSubRequest& r) {
    return {&r.name,
            &r.device_class_name,
            &r.allocation_mode,
            r.count,
            std::nullopt,
            &r.selectors,
            &r.tolerations,
            r.capacity ? &*r.capacity : nullptr};
  }
};

// A device with where it is.
struct Candidate {
  size_t pool = 0;
  const k8s::ResourceSlice* slice = nullptr;
  const k8s::Device* device = nullptr;
  uint32_t index = 0;  // in the Allocator's DeviceTable
  uint32_t local = 0;  // in the node's devices (Pool::local_offset)
};

struct RequestData {
  RequestView request;
  const std::string* parent = nullptr;  // the request's name, for a subrequest
  const k8s::DeviceClass* cls = nullptr;
  int num_devices = 0;
  int selected_subrequest = 0;
  std::vector<Candidate> all_devices;  // allocation mode All
  // The compiled selectors of the class and of the request (Search::selectors_match).
  std::vector<const Allocator::CompiledSlot*> class_slots, request_slots;
  // isSelectable's memo for this request, by Candidate::local: 0 unknown, else kYes/kNo.
  // What it says depends only on the node and the selectors' programs, so the Allocator
  // keeps it across calls (PoolCache::selectable); a search an observer watches keeps its
  // own, so that every call reports its rejections. A search whose observer does not listen
  // (Observer::wants_events), on pools not kept, has its own memo with the accepted list.
  SelectableMemo* shared_selectable = nullptr;
  std::vector<uint8_t> own_selectable;
  std::unique_ptr<SelectableMemo> own_memo;  // unique_ptr: shared_selectable may point to it
  enum : uint8_t { kYes = 1, kNo = 2 };
  // "request" or "parent/subrequest", into `out` (its buffer kept).
  void full_name(std::string& out) const {
    out.assign(parent ? *parent : *request.name);
    if (parent) out.append("/").append(*request.name);
  }
  std::string full_name() const {
    std::string out;
    full_name(out);
    return out;
  }
};

std::string claim_name(const k8s::ResourceClaim& c) {
  return c.metadata.namespace_.empty() ? c.metadata.name
                                       : c.metadata.namespace_ + "/" + c.metadata.name;
}

struct Fatal {
  std::string message;
  bool in_class = false;  // a selector of the request's class failed (for explain)
};

// ---- attributes and constraints (§10) -------------------------------------------------

const k8s::DeviceAttribute* lookup_attribute(const k8s::Device& d, std::string_view driver,
                                             std::string_view qualified) {
  for (const auto& [n, a] : d.attributes)
    if (n.view() == qualified) return &a;
  const size_t slash = qualified.find('/');
  if (slash == std::string_view::npos || qualified.substr(0, slash) != driver) return nullptr;
  const std::string_view bare = qualified.substr(slash + 1);
  for (const auto& [n, a] : d.attributes)
    if (n.view() == bare) return &a;
  return nullptr;
}

using T = k8s::DeviceAttribute::Type;

// An attribute as a set of values of one kind (attributeAsSet); kind None for an empty or
// unknown attribute. Versions and strings are both text, kept apart by kind.
struct ValueSet {
  enum class Kind { None, Int, Bool, String, Version } kind = Kind::None;
  std::set<int64_t> ints;
  std::set<std::string> texts;  // strings, versions, or "0"/"1" for bools
  bool intersects(const ValueSet& o) const {
    if (kind == Kind::None || kind != o.kind) return false;
    if (kind == Kind::Int) {
      for (int64_t v : ints)
        if (o.ints.count(v)) return true;
      return false;
    }
    for (const std::string& v : texts)
      if (o.texts.count(v)) return true;
    return false;
  }
  void intersect(const ValueSet& o) {
    if (kind == Kind::None || kind != o.kind) return;
    std::erase_if(ints, [&](int64_t v) { return !o.ints.count(v); });
    std::erase_if(texts, [&](const std::string& v) { return !o.texts.count(v); });
  }
};

ValueSet as_set(const k8s::DeviceAttribute& a) {
  ValueSet s;
  using K = ValueSet::Kind;
  switch (a.type) {
    case T::Ints:
      if (a.ints().empty()) return s;
      s.kind = K::Int;
      s.ints.insert(a.ints().begin(), a.ints().end());
      return s;
    case T::Bools:
      if (a.bools().empty()) return s;
      s.kind = K::Bool;
      for (bool b : a.bools()) s.texts.insert(b ? "1" : "0");
      return s;
    case T::Strings:
    case T::Versions:
      if (a.strings().empty()) return s;
      s.kind = a.type == T::Strings ? K::String : K::Version;
      s.texts.insert(a.strings().begin(), a.strings().end());
      return s;
    case T::Int:
      s.kind = K::Int;
      s.ints.insert(a.int_value());
      return s;
    case T::Bool:
      s.kind = K::Bool;
      s.texts.insert(a.bool_value() ? "1" : "0");
      return s;
    case T::String:
    case T::Version:
      s.kind = a.type == T::String ? K::String : K::Version;
      s.texts.insert(std::string(a.string_value()));
      return s;
    case T::None:
      return s;
  }
  return s;
}

// Scalar equality of two attributes as upstream compares them without list support: by the
// kind of `a`; list attributes and empty ones never match.
bool scalar_equal(const k8s::DeviceAttribute& a, const k8s::DeviceAttribute& b) {
  switch (a.type) {
    case T::String:
    case T::Version:
      return b.type == a.type && a.string_value() == b.string_value();
    case T::Int:
    case T::Bool:
      return b.type == a.type && a.int_value() == b.int_value();
    default:
      return false;
  }
}

bool scalar_known(const k8s::DeviceAttribute& a) {
  return a.type == T::String || a.type == T::Version || a.type == T::Int || a.type == T::Bool;
}

struct Constraint {
  bool distinct = false;
  std::vector<std::string> requests;  // empty: all
  std::string attribute;
  bool lists = true;  // ListTypeAttributes
  // matchAttribute
  const k8s::DeviceAttribute* first = nullptr;
  ValueSet intersection;
  int num_devices = 0;
  // distinctAttribute: by request name (QUIRK: one entry per request, §19.4)
  std::vector<std::pair<std::string, const k8s::DeviceAttribute*>> seen;

  bool applies(const std::string& request, const std::string* sub) const {
    if (requests.empty()) return true;
    auto has = [&](std::string_view n) {
      return std::find(requests.begin(), requests.end(), n) != requests.end();
    };
    if (has(request)) return true;
    return sub && has(request + "/" + *sub);
  }

  bool add(const std::string& request, const std::string* sub, const k8s::Device& d,
           std::string_view driver) {
    if (!applies(request, sub)) return true;
    const k8s::DeviceAttribute* a = lookup_attribute(d, driver, attribute);
    if (!a) return false;
    return distinct ? add_distinct(request, *a) : add_match(*a);
  }

  void remove(const std::string& request, const std::string* sub) {
    if (!applies(request, sub)) return;
    if (distinct) {
      std::erase_if(seen, [&](const auto& e) { return e.first == request; });
    }
    // matchAttribute: the intersection is not widened again (QUIRK §19.4).
    --num_devices;
  }

  bool add_match(const k8s::DeviceAttribute& a) {
    if (num_devices == 0) {
      if (lists) {
        intersection = as_set(a);
        if (intersection.kind == ValueSet::Kind::None) return false;
      } else {
        first = &a;
      }
      num_devices = 1;
      return true;
    }
    if (lists) {
      const ValueSet s = as_set(a);
      if (s.kind == ValueSet::Kind::None || !intersection.intersects(s)) return false;
      intersection.intersect(s);
    } else {
      if (!scalar_known(a) || !scalar_equal(a, *first)) return false;
    }
    ++num_devices;
    return true;
  }

  bool add_distinct(const std::string& request, const k8s::DeviceAttribute& a) {
    auto put = [&] {
      auto it =
          std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == request; });
      if (it == seen.end()) {
        seen.emplace_back(request, &a);
      } else {
        it->second = &a;
      }
    };
    if (num_devices == 0) {
      put();
      num_devices = 1;
      return true;
    }
    if (lists) {
      const ValueSet s = as_set(a);
      if (s.kind == ValueSet::Kind::None) return false;
      for (const auto& [_, other] : seen) {
        const ValueSet o = as_set(*other);
        if (o.kind == ValueSet::Kind::None) continue;
        if (s.intersects(o)) return false;
      }
    } else {
      if (!scalar_known(a)) return false;
      for (const auto& [_, other] : seen)
        if (scalar_equal(a, *other)) return false;
    }
    put();
    ++num_devices;
    return true;
  }
};

// ---- consumable capacity (§12) --------------------------------------------------------

const k8s::Quantity* requested(const k8s::CapacityRequirements* req, std::string_view name) {
  if (!req) return nullptr;
  for (const auto& [n, q] : req->requests)
    if (n == name) return &q;
  return nullptr;
}

// calculateConsumedCapacity.
k8s::Quantity consumed_amount(const k8s::Quantity* want, const k8s::DeviceCapacity& cap) {
  const k8s::CapacityRequestPolicy* policy = ptr(cap.request_policy);
  if (!want) {
    if (policy && policy->default_) return *policy->default_;
    return cap.value;
  }
  if (!policy) return *want;
  if (policy->valid_range && policy->valid_range->min) {
    const auto& range = *policy->valid_range;
    if (*want < *range.min) return *range.min;
    if (!range.step) return *want;
    const int64_t w = want->value(), step = range.step->value(), min = range.min->value();
    const int64_t added = w - min;
    int64_t n = step != 0 ? added / step : 0;
    if (step != 0 && added % step != 0) ++n;
    return k8s::Quantity::from_int(min + step * n, k8s::Quantity::Format::BinarySI);
  }
  if (!policy->valid_values.empty()) {
    for (const k8s::Quantity& v : policy->valid_values)
      if (*want <= v) return v;
  }
  return *want;
}

// violatesPolicy.
bool violates_policy(const k8s::Quantity& q, const k8s::CapacityRequestPolicy* policy) {
  if (!policy) return false;
  if (policy->default_ && q.identical(*policy->default_)) return false;
  if (policy->valid_range) {
    const auto& range = *policy->valid_range;
    if (range.max && q > *range.max) return true;
    if (range.step) {
      const int64_t step = range.step->value();
      const int64_t min = range.min ? range.min->value() : 0;
      if (step != 0 && (q.value() - min) % step != 0) return true;
    }
    return false;
  }
  if (!policy->valid_values.empty()) {
    for (const k8s::Quantity& v : policy->valid_values)
      if (q == v) return false;
    return true;
  }
  return false;
}

// CmpRequestOverCapacity: nullopt when the request names a capacity the device lacks.
std::optional<bool> capacity_fits(const CapacityAmounts& in_use,
                                  const k8s::CapacityRequirements* req, const k8s::Device& d,
                                  const CapacityAmounts* allocating) {
  // Nothing requested and nothing in use: each capacity is consumed whole, which fits,
  // unless a request policy has a say.
  if (!req && in_use.empty() && !allocating &&
      std::none_of(d.capacity.begin(), d.capacity.end(),
                   [](const auto& c) { return static_cast<bool>(c.second.request_policy); }))
    return true;
  if (req) {
    for (const auto& [n, _] : req->requests) {
      const bool known = std::any_of(d.capacity.begin(), d.capacity.end(),
                                     [&n = n](const auto& c) { return c.first.view() == n; });
      if (!known) return std::nullopt;
    }
  }
  for (const auto& [name, cap] : d.capacity) {
    const k8s::Quantity consumed = consumed_amount(requested(req, name.view()), cap);
    if (violates_policy(consumed, ptr(cap.request_policy))) return false;
    k8s::Quantity total = consumed;
    if (const k8s::Quantity* used = amount(in_use, name.view())) {
      total = *used;
      if (!total.add(consumed)) return false;
    }
    if (allocating)
      if (const k8s::Quantity* more = amount(*allocating, name.view()))
        if (!total.add(*more)) return false;
    if (total > cap.value) return false;
  }
  return true;
}

CapacityAmounts consumed_capacity(const k8s::CapacityRequirements* req, const k8s::Device& d) {
  CapacityAmounts out;
  for (const auto& [name, cap] : d.capacity)
    out.emplace_back(std::string(name.view()), consumed_amount(requested(req, name.view()), cap));
  return out;
}

// ---- taints (§13) ---------------------------------------------------------------------------

bool tolerates(const k8s::DeviceToleration& t, const k8s::DeviceTaint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.operator_.empty() || t.operator_ == "Equal") return t.value == taint.value;
  return t.operator_ == "Exists";
}

// The index of the first NoSchedule/NoExecute taint no toleration covers, or -1.
int untolerated_taint(const k8s::Device& d, const std::vector<k8s::DeviceToleration>& tolerations) {
  for (size_t i = 0; i < d.taints.size(); ++i) {
    const k8s::DeviceTaint& taint = d.taints[i];
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    const bool ok = std::any_of(tolerations.begin(), tolerations.end(),
                                [&](const auto& t) { return tolerates(t, taint); });
    if (!ok) return static_cast<int>(i);
  }
  return -1;
}

// ---- node selector of a result (§16.3) --------------------------------------------------------

bool same_requirement(const k8s::NodeSelectorRequirement& a,
                      const k8s::NodeSelectorRequirement& b) {
  if (a.key != b.key || a.operator_ != b.operator_) return false;
  const std::set<std::string> x(a.values.begin(), a.values.end());
  const std::set<std::string> y(b.values.begin(), b.values.end());
  return x == y;
}

void add_requirements(const std::vector<k8s::NodeSelectorRequirement>& from,
                      std::vector<k8s::NodeSelectorRequirement>& to) {
  for (const auto& r : from) {
    const bool have =
        std::any_of(to.begin(), to.end(), [&](const auto& e) { return same_requirement(e, r); });
    if (!have) {
      k8s::NodeSelectorRequirement copy;
      copy.key = r.key;
      copy.operator_ = r.operator_;
      copy.values = r.values;
      to.push_back(std::move(copy));
    }
  }
}

}  // namespace

// ---- the search ---------------------------------------------------------------------------------

struct DeviceResult {
  std::string request;  // request or subrequest name
  const std::string* parent = nullptr;
  const Candidate* candidate = nullptr;  // points into stable storage (see Search::taken_)
  std::optional<std::string> share_id;
  CapacityAmounts consumed;
  bool admin_access = false;
};

struct Search {
  Search(Allocator& alloc, const Features& f, Observer* o, const k8s::NodeObject& n,
         const std::vector<const k8s::ResourceClaim*>& c)
      : a(alloc), features(f), obs(o), node(n), claims(c) {}

  Allocator& a;
  const Features& features;
  Observer* obs;
  // Someone listens to rejections (an observer that wants events): every device is visited
  // and each refusal reported.
  bool events() const { return obs && obs->wants_events(); }
  const k8s::NodeObject& node;
  const std::vector<const k8s::ResourceClaim*>& claims;
  const std::vector<Pool>* pool_list = nullptr;  // the node's pools, cached by the Allocator
  bool pools_kept = true;  // pool_list is kept by the Allocator (memos may refer to it)
  const std::vector<Pool>& pools() const { return *pool_list; }
  // data[claim][request][subrequest or 0]
  std::vector<std::vector<std::vector<RequestData>>> data;
  std::vector<std::vector<Constraint>> constraints;
  std::vector<std::vector<DeviceResult>> results;
  // Devices picked in this search (by index), with the claims they were picked for.
  std::vector<std::pair<uint32_t, int>> allocating;
  // Capacity picked in this search, per device index.
  std::map<uint32_t, CapacityAmounts> allocating_capacity;
  // Counters consumed in this search, per pool key (decimal) or per pool index (whole
  // numbers, Pool::CounterLayout).
  std::map<std::string, CounterSets> consumed_counters;
  struct Consumed {
    std::vector<Amount> used;  // by slot
    size_t over = 0;           // slots where used exceeds what is available
  };
  std::vector<Consumed> consumed_slots;
  uint32_t node_devices = 0;         // devices in the node's pools (for the memos)
  std::deque<Candidate> candidates;  // stable storage for results
  uint64_t steps = 0;

  enum class Step { Done, NotDone, MaxSizeExceeded };

  static RequestRef ref(int c, int r, int s) { return {c, r, s}; }

  // Device `di` of slice `si` of pool `p`.
  Candidate candidate(size_t p, size_t si, size_t di) const {
    const Pool& pool = pools()[p];
    const k8s::ResourceSlice* s = pool.device_slices[si];
    const auto index = static_cast<uint32_t>(pool.device_base[si] + di);
    const auto local = static_cast<uint32_t>(pool.local_offset[si] + di);
    return {p, s, &s->spec.devices[di], index, local};
  }

  bool in_use(uint32_t device) const {
    if (a.devices_->held[device] & Allocator::DeviceTable::kExclusive) return true;
    return std::any_of(allocating.begin(), allocating.end(),
                       [&](const auto& e) { return e.first == device; });
  }
  bool allocating_for_claim(uint32_t device, int claim) const {
    return std::any_of(allocating.begin(), allocating.end(),
                       [&](const auto& e) { return e.first == device && e.second == claim; });
  }
  bool capacity_in_use(uint32_t device) const {
    return (a.devices_->held[device] & Allocator::DeviceTable::kCapacity) ||
           allocating_capacity.count(device);
  }

  // ---- selectors (isSelectable, selectorsMatch)

  void compile_slots(const std::vector<k8s::DeviceSelector>& selectors,
                     std::vector<const Allocator::CompiledSlot*>& slots) {
    if (slots.size() == selectors.size()) return;
    slots.clear();
    for (const k8s::DeviceSelector& sel : selectors) slots.push_back(&a.compiled(*sel.cel));
  }

  // The programs decided before a program of a chain (the class's selectors, then the
  // request's, each in order): a device one of them rules out never reaches the program, so
  // its verdict there is not needed.
  struct Before {
    std::span<const Allocator::CompiledSlot* const> earlier;  // a whole list before
    std::span<const Allocator::CompiledSlot* const> list;     // the program's list, up to it
  };
  bool ruled_out_before(const Before& before, uint32_t index) const {
    const auto& verdicts = a.devices_->verdicts;
    for (const auto span : {before.earlier, before.list})
      for (const Allocator::CompiledSlot* cs : span) {
        const std::vector<uint8_t>& v = verdicts[cs->slot];
        if (index < v.size() && v[index] == Allocator::DeviceTable::kFalse) return true;
      }
    return false;
  }

  // Whether the selectors are all true for the device; Fatal on CEL errors.
  // `slots` caches the selectors' compiled programs for this request; `earlier`, the
  // programs of the chain before them (the class's, for the request's selectors).
  std::variant<bool, Fatal> selectors_match(
      int claim, const k8s::DeviceClass* cls, const std::vector<k8s::DeviceSelector>& selectors,
      std::vector<const Allocator::CompiledSlot*>& slots, const Candidate& c, int* failed,
      std::span<const Allocator::CompiledSlot* const> earlier = {}) {
    compile_slots(selectors, slots);
    for (size_t i = 0; i < selectors.size(); ++i) {
      const std::string& expr = selectors[i].cel->expression;
      const Allocator::CompiledSlot& cs = *slots[i];
      auto who = [&] {
        return cls ? "class " + cls->metadata.name : "claim " + claim_name(*claims[claim]);
      };
      if (!cs.compiled->ok())
        return Fatal{fmt::format("{}: selector #{}: CEL compile error: compilation failed: {}",
                                 who(), i, selectors::format_issues(expr, cs.compiled->issues))};
      // Each (program, device) pair is decided once per Allocator (a byte per pair), and
      // devices that agree on what the program reads share one evaluation.
      using D = Allocator::DeviceTable;
      if (a.devices_->verdict(cs.slot, c.index) == D::kUnknown) {
        // May grow the verdict table.
        const uint8_t shared = shared_verdict(cs, c, {earlier, {slots.data(), i}});
        a.devices_->verdict(cs.slot, c.index) = shared;
      }
      uint8_t& verdict = a.devices_->verdict(cs.slot, c.index);
      if (verdict == D::kUnknown || verdict == D::kError) {
        const selectors::Match m = selectors::to_match(evaluate(cs, c));
        verdict = !m.error.empty() ? D::kError : m.matches ? D::kTrue : D::kFalse;
        if (!m.error.empty())
          return Fatal{fmt::format("{}: selector #{} on device {}: CEL runtime error: {}", who(), i,
                                   a.devices_->id(c.index),
                                   selectors::enhance_runtime_error(m.error))};
      }
      if (verdict == D::kFalse) {
        *failed = static_cast<int>(i);
        return false;
      }
    }
    return true;
  }

  // The program on the device's `device` value (built once per device).
  selectors::Value evaluate(const Allocator::CompiledSlot& cs, const Candidate& c) {
    selectors::Value& dv = a.devices_->value(c.index);
    if (dv.kind() == selectors::ValueKind::Null)
      dv = a.matches_.make_device(*c.device, c.slice->spec.driver);
    return a.matches_.evaluate_on(*cs.compiled->program, dv);
  }

  // The verdict of the program on any device that reads the same as this one; kUnknown
  // when the program or the device does not allow sharing.
  uint8_t shared_verdict(const Allocator::CompiledSlot& cs, const Candidate& c,
                         const Before& before) {
    using D = Allocator::DeviceTable;
    D& t = *a.devices_;
    if (!t.shared[cs.slot].projections) return D::kUnknown;
    if (t.convertible.size() <= c.index) t.cover(t.convertible, uint8_t{D::kUnknown});
    uint8_t& conv = t.convertible[c.index];
    if (conv == D::kUnknown) conv = a.matches_.convertible(*c.device) ? D::kTrue : D::kFalse;
    if (conv == D::kFalse) return D::kUnknown;
    const auto base = c.index - static_cast<uint32_t>(c.device - c.slice->spec.devices.data());
    fill_slice(cs, c.pool, c.slice, base, before);
    return t.verdicts[cs.slot][c.index];
  }

  // Decides the program for every device of the slice (numbered from `base`) that shares
  // its verdict, in one pass over the slice's devices (they lie together in memory), rather
  // than one device at a time as the search reaches them. Devices that cannot share stay
  // kUnknown, and so do those a program `before` it rules out (no selector chain reaches
  // this program for them: on a MIG node the class of whole GPUs leaves one device in
  // nineteen to a request's selectors).
  void fill_slice(const Allocator::CompiledSlot& cs, size_t pool, const k8s::ResourceSlice* slice,
                  uint32_t base, const Before& before) {
    using D = Allocator::DeviceTable;
    D& t = *a.devices_;
    D::Shared& sh = t.shared[cs.slot];
    if (!sh.projections) return;
    D::Projections& pr = t.projections[*sh.projections];
    const auto& devices = slice->spec.devices;
    std::vector<uint8_t>& verdicts = t.verdicts[cs.slot];
    t.cover(verdicts, uint8_t{D::kUnknown});
    t.cover(t.convertible, uint8_t{D::kUnknown});
    t.cover(pr.of_device, D::kNoProjection);
    std::optional<selectors::Projector> projector;
    uint32_t previous = D::kNoProjection;
    for (size_t i = 0; i < devices.size(); ++i) {
      const uint32_t index = base + static_cast<uint32_t>(i);
      if (verdicts[index] != D::kUnknown || ruled_out_before(before, index)) continue;
      uint32_t& number = pr.of_device[index];
      if (number == D::kNoProjection) {  // only convertible devices get a number
        uint8_t& cv = t.convertible[index];
        if (cv == D::kUnknown) cv = a.matches_.convertible(devices[i]) ? D::kTrue : D::kFalse;
        if (cv == D::kFalse) continue;
        if (!projector) projector.emplace(pr.paths, slice->spec.driver);
        ++t.keys;
        // Neighbours often read alike (the GPUs of a node, the partitions of one profile):
        // the number of the device read before, with no key made.
        if (projector->read(devices[i]) && previous != D::kNoProjection) {
          number = previous;
        } else {
          t.key.clear();
          projector->key(t.key);
          number =
              pr.numbers.try_emplace(t.key, static_cast<uint32_t>(pr.numbers.size())).first->second;
          previous = number;  // the number of the device read last
        }
      }
      if (sh.by_projection.size() <= number)
        sh.by_projection.resize(pr.numbers.size(), D::kUnknown);
      uint8_t& verdict = sh.by_projection[number];
      if (verdict == D::kUnknown) {
        const Candidate other{pool, slice, &devices[i], index, 0};
        const selectors::Match m = selectors::to_match(evaluate(cs, other));
        verdict = !m.error.empty() ? D::kError : m.matches ? D::kTrue : D::kFalse;
      }
      verdicts[index] = verdict;
    }
  }

  // Decides the request's programs (its class's, then its own) for the devices of a slice
  // that reach each (fill_slice). The slots must be compiled.
  void fill_selectors(const RequestData& rd, size_t pool, const k8s::ResourceSlice* slice,
                      uint32_t base) {
    const std::span<const Allocator::CompiledSlot* const> class_slots = rd.class_slots;
    for (size_t i = 0; i < class_slots.size(); ++i)
      if (class_slots[i]->compiled->ok())
        fill_slice(*class_slots[i], pool, slice, base, {{}, class_slots.first(i)});
    const std::span<const Allocator::CompiledSlot* const> request_slots = rd.request_slots;
    for (size_t i = 0; i < request_slots.size(); ++i)
      if (request_slots[i]->compiled->ok())
        fill_slice(*request_slots[i], pool, slice, base, {class_slots, request_slots.first(i)});
  }

  // isSelectable's answer read off the programs' verdicts alone, as selectors_match would
  // reach it (class selectors, then the request's, each in order, stopping at the first
  // false): RequestData::kYes or kNo, or 0 when a verdict on the way is not known or an
  // error (selectable() then decides, and reports).
  uint8_t selectable_from_verdicts(const RequestData& rd, uint32_t index) const {
    const int at = first_false_verdict(rd, index);
    return at == kVerdictUnknown ? 0 : at == kVerdictsTrue ? RequestData::kYes : RequestData::kNo;
  }

  // Where the chain of the request's programs (the class's, then its own, in order) first
  // has a false verdict for the device: its position along the chain; kVerdictsTrue when
  // every verdict is true; kVerdictUnknown when one on the way is not known or an error.
  static constexpr int kVerdictsTrue = -1, kVerdictUnknown = -2;
  int first_false_verdict(const RequestData& rd, uint32_t index) const {
    using D = Allocator::DeviceTable;
    const D& t = *a.devices_;
    int at = 0;
    for (const auto* slots : {&rd.class_slots, &rd.request_slots})
      for (const Allocator::CompiledSlot* cs : *slots) {
        const std::vector<uint8_t>& v = t.verdicts[cs->slot];
        const uint8_t verdict = index < v.size() ? v[index] : uint8_t{D::kUnknown};
        if (verdict == D::kFalse) return at;
        if (verdict != D::kTrue) return kVerdictUnknown;
        ++at;
      }
    return kVerdictsTrue;
  }

  std::vector<uint8_t>& selectable_memo(RequestData& rd) {
    if (rd.shared_selectable) return rd.shared_selectable->by_local;
    if (!events() && !pools_kept) {  // this search's own, with the accepted list
      rd.own_memo = std::make_unique<SelectableMemo>();
      rd.own_memo->by_local.resize(node_devices);
      rd.shared_selectable = rd.own_memo.get();
      return rd.own_memo->by_local;
    }
    if (events()) {  // every call reports its rejections: a memo of this search only
      if (rd.own_selectable.empty()) rd.own_selectable.resize(node_devices);
      return rd.own_selectable;
    }
    std::string key;
    auto add = [&](const std::vector<const Allocator::CompiledSlot*>& slots) {
      for (const Allocator::CompiledSlot* cs : slots) key += std::to_string(cs->slot) + ",";
    };
    if (rd.cls) compile_slots(rd.cls->spec.selectors, rd.class_slots);
    compile_slots(*rd.request.selectors, rd.request_slots);
    add(rd.class_slots);
    key += '|';
    add(rd.request_slots);
    SelectableMemo& memo = a.pools_->selectable[pool_list][key];
    if (memo.by_local.empty()) memo.by_local.resize(node_devices);
    rd.shared_selectable = &memo;
    return memo.by_local;
  }

  // The request's list of the devices its selectors accept on this node, in search order,
  // less those allocated exclusively when a slice was decided (they stay so: commits only
  // add); nullptr when the search must walk every device: an observer wants every
  // rejection, the request has admin access (allocated devices are candidates), or binding
  // conditions are off (checked per call).
  SelectableMemo* accepted_devices(RequestData& rd) {
    if (events() || rd.request.admin_access() || !features.device_binding_and_status)
      return nullptr;
    (void)selectable_memo(rd);
    return rd.shared_selectable;
  }

  // Decides the next slice of `m`: each program for the whole slice first, then each
  // device's answer read off the verdicts, with selectable() where they cannot decide.
  void decide_next_slice(SelectableMemo& m, int claim, int request, int sub, RequestData& rd) {
    for (; m.next_pool < pools().size(); ++m.next_pool, m.next_slice = 0) {
      const Pool& pool = pools()[m.next_pool];
      if (pool.incomplete || pool.invalid || m.next_slice >= pool.device_slices.size()) continue;
      const size_t p = m.next_pool, si = m.next_slice;
      const k8s::ResourceSlice* slice = pool.device_slices[si];
      const bool per_device = slice->spec.per_device_node_selection.value_or(false);
      if (!per_device) fill_selectors(rd, p, slice, pool.device_base[si]);
      const size_t before = m.accepted.size();
      for (size_t di = 0; di < slice->spec.devices.size(); ++di) {
        const Candidate c = candidate(p, si, di);
        if (a.devices_->held[c.index] & Allocator::DeviceTable::kExclusive) continue;
        uint8_t& memo = m.by_local[c.local];
        if (!memo && !per_device) memo = selectable_from_verdicts(rd, c.index);
        bool yes = memo == RequestData::kYes;
        if (!memo) {
          auto sel = selectable(claim, request, sub, rd, c);
          if (std::holds_alternative<Fatal>(sel)) {
            m.accepted.resize(before);
            m.failed = true;
            return;
          }
          yes = std::get<bool>(sel);
        }
        if (yes)
          m.accepted.push_back({c.local, static_cast<uint32_t>(p), static_cast<uint32_t>(si),
                                static_cast<uint32_t>(di)});
      }
      ++m.next_slice;
      return;
    }
    m.complete = true;
  }

  // isSelectable, memoised per node, programs and device (selectable_memo).
  std::variant<bool, Fatal> selectable(int claim, int request, int sub, RequestData& rd,
                                       const Candidate& c) {
    const RequestRef r = ref(claim, request, sub);
    if (!features.device_binding_and_status && !c.device->binding_conditions.empty()) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::BindingConditions, -1);
      return false;
    }
    uint8_t& memo = selectable_memo(rd)[c.local];
    if (memo) return memo == RequestData::kYes;
    int failed = -1;
    if (rd.cls) {
      auto m = selectors_match(claim, rd.cls, rd.cls->spec.selectors, rd.class_slots, c, &failed);
      if (auto* f = std::get_if<Fatal>(&m)) {
        f->in_class = true;
        return *f;
      }
      if (!std::get<bool>(m)) {
        if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::ClassSelector, failed);
        return memo = RequestData::kNo, false;
      }
    }
    auto m = selectors_match(claim, nullptr, *rd.request.selectors, rd.request_slots, c, &failed,
                             rd.class_slots);
    if (auto* f = std::get_if<Fatal>(&m)) return *f;
    if (!std::get<bool>(m)) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::RequestSelector, failed);
      return memo = RequestData::kNo, false;
    }
    if (c.slice->spec.per_device_node_selection.value_or(false)) {
      auto nm = node_matches(node, c.device->node_name, c.device->all_nodes,
                             ptr(c.device->node_selector));
      if (!nm) return Fatal{nm.error()};
      if (!*nm) {
        if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::NodeMismatch, -1);
        return memo = RequestData::kNo, false;
      }
    }
    return memo = RequestData::kYes, true;
  }

  std::optional<bool> capacity_ok(const RequestView& req, const Candidate& c) {
    static const CapacityAmounts kNone;
    const CapacityAmounts* used = &kNone;
    if (a.devices_->held[c.index] & Allocator::DeviceTable::kCapacity)
      used = &a.devices_->held_of(c.index)->capacity;
    auto al = allocating_capacity.find(c.index);
    return capacity_fits(*used, req.capacity, *c.device,
                         al == allocating_capacity.end() ? nullptr : &al->second);
  }

  // ---- validation (validateDeviceRequest)

  // `request` and `sub` (-1: none) say which request is validated (for the match memo).
  std::variant<RequestData, Fatal> validate(int claim, int request, int sub, const RequestView& req,
                                            const std::string* parent) {
    const k8s::ResourceClaim& cl = *claims[claim];
    RequestData rd;
    rd.request = req;
    rd.parent = parent;
    for (size_t i = 0; i < req.selectors->size(); ++i)
      if (!(*req.selectors)[i].cel)
        return Fatal{
            fmt::format("claim {}, request {}, selector #{}: CEL expression empty "
                        "(unsupported selector type?)",
                        claim_name(cl), *req.name, i)};
    if (!features.admin_access && req.admin.has_value())
      return Fatal{fmt::format(
          "claim {}, request {}: admin access is requested, but the feature is disabled",
          claim_name(cl), *req.name)};
    if (req.class_name->empty())
      return Fatal{
          fmt::format("claim {}, request {}: missing device class name (unsupported request type?)",
                      claim_name(cl), *req.name)};
    rd.cls = a.find_class(*req.class_name);
    if (!rd.cls)
      return Fatal{fmt::format(
          "claim {}, request {}: could not retrieve device class {}: deviceclass.resource.k8s.io "
          "\"{}\" not found",
          claim_name(cl), *req.name, *req.class_name, *req.class_name)};
    if (*req.mode == "ExactCount") {
      if (req.count > std::numeric_limits<int>::max())
        return Fatal{fmt::format("claim {}, request {}: exact count {} is too large",
                                 claim_name(cl), *req.name, req.count)};
      rd.num_devices = static_cast<int>(req.count);
      return rd;
    }
    if (*req.mode != "All")
      return Fatal{fmt::format("claim {}, request {}: unsupported count mode {}", claim_name(cl),
                               *req.name, *req.mode)};
    compile_slots(rd.cls->spec.selectors, rd.class_slots);
    compile_slots(*rd.request.selectors, rd.request_slots);
    for (size_t p = 0; p < pools().size(); ++p) {
      const Pool& pool = pools()[p];
      if (pool.incomplete)
        return Fatal{fmt::format(
            "claim {}, request {}: asks for all devices, but resource pool {} is currently being "
            "updated",
            claim_name(cl), *req.name, pool.key())};
      if (pool.invalid)
        return Fatal{fmt::format(
            "claim {}, request {}: asks for all devices, but resource pool {} is currently invalid",
            claim_name(cl), *req.name, pool.key())};
      for (size_t si = 0; si < pool.device_slices.size(); ++si) {
        const k8s::ResourceSlice* s = pool.device_slices[si];
        // Without an observer (it wants each rejection reported), the answers are read off
        // the programs' verdicts, decided for the whole slice; selectable() decides where
        // they cannot (errors, devices without a shared verdict, per-device nodes).
        const bool from_verdicts = !events() && features.device_binding_and_status &&
                                   !s->spec.per_device_node_selection.value_or(false);
        if (from_verdicts) fill_selectors(rd, p, s, pool.device_base[si]);
        for (size_t di = 0; di < s->spec.devices.size(); ++di) {
          const Candidate c = candidate(p, si, di);
          const uint8_t known = from_verdicts ? selectable_from_verdicts(rd, c.index) : 0;
          if (known == RequestData::kNo) continue;
          if (!known) {
            auto sel = selectable(claim, request, sub, rd, c);
            if (auto* f = std::get_if<Fatal>(&sel)) return *f;
            if (!std::get<bool>(sel)) continue;
          }
          if (features.consumable_capacity) {
            auto fits = capacity_ok(req, c);
            if (!fits || !*fits) continue;
          }
          rd.all_devices.push_back(c);
        }
      }
    }
    rd.num_devices = static_cast<int>(rd.all_devices.size());
    return rd;
  }

  // ---- counters (checkAvailableCounters)

  const CounterSets& available_counters(const Pool& pool) {
    auto it = a.counters_->available.find(pool.key());
    if (it != a.counters_->available.end()) return it->second;
    CounterSets avail;
    for (const k8s::CounterSet* cs : pool.counter_sets) {
      CounterValues v;
      for (const auto& [name, counter] : cs->counters) v.emplace_back(name, counter.value);
      avail.emplace_back(cs->name, std::move(v));
    }
    for (const auto& [list, base] : {std::pair(&pool.device_slices, &pool.device_base),
                                     std::pair(&pool.not_targeting, &pool.not_targeting_base)})
      for (size_t si = 0; si < list->size(); ++si)
        for (size_t di = 0; di < (*list)[si]->spec.devices.size(); ++di) {
          const k8s::Device& d = (*list)[si]->spec.devices[di];
          if (!a.devices_->held[(*base)[si] + di]) continue;  // IsDeviceAllocated
          for (const k8s::DeviceCounterConsumption& c : d.consumes_counters)
            for (auto& [set, values] : avail) {
              if (set != c.counter_set) continue;
              for (const auto& [name, counter] : c.counters)
                for (auto& [n, q] : values)
                  if (n == name) (void)q.sub(counter.value);  // may go negative: none left
            }
        }
    return a.counters_->available[pool.key()] = std::move(avail);
  }

  static void change(CounterSets& sets, const k8s::Device& d, bool add) {
    for (const k8s::DeviceCounterConsumption& c : d.consumes_counters) {
      auto set = std::find_if(sets.begin(), sets.end(),
                              [&](const auto& e) { return e.first == c.counter_set; });
      if (set == sets.end()) {
        sets.emplace_back(c.counter_set, CounterValues{});
        set = sets.end() - 1;
      }
      for (const auto& [name, counter] : c.counters) {
        auto v = std::find_if(set->second.begin(), set->second.end(),
                              [&name = name](const auto& e) { return e.first == name; });
        if (v == set->second.end()) {
          set->second.emplace_back(name, add ? counter.value : -counter.value);
        } else {
          (void)(add ? v->second.add(counter.value) : v->second.sub(counter.value));
        }
      }
    }
  }

  const std::vector<Amount>& available_slots(const Pool& pool) {
    Pool::CounterLayout& l = *pool.counters;
    const uint64_t changes = *pool.changes;
    if (l.available_at == changes) return l.available;
    l.available = l.capacity;
    size_t flat = 0;
    for (const auto& [slices, base] : {std::pair(&pool.device_slices, &pool.device_base),
                                       std::pair(&pool.not_targeting, &pool.not_targeting_base)})
      for (size_t si = 0; si < slices->size(); ++si)
        for (size_t di = 0; di < (*slices)[si]->spec.devices.size(); ++di, ++flat)
          if (a.devices_->held[(*base)[si] + di])  // IsDeviceAllocated
            for (const auto& [slot, amount] : l.of(flat)) l.available[slot] -= amount;
    l.available_at = changes;
    return l.available;
  }

  std::span<const Pool::CounterLayout::Use> uses(const Candidate& c) const {
    const Pool& pool = pools()[c.pool];
    return pool.counters->of(c.local - pool.local_offset.front());
  }

  // This search's consumption in the candidate's pool; `avail` is the pool's availability.
  Consumed& consumed(const Candidate& c, const std::vector<Amount>& avail) {
    if (consumed_slots.size() < pools().size()) consumed_slots.resize(pools().size());
    Consumed& k = consumed_slots[c.pool];
    if (k.used.empty()) {
      k.used.assign(avail.size(), 0);
      k.over = static_cast<size_t>(
          std::count_if(avail.begin(), avail.end(), [](Amount v) { return v < 0; }));
    }
    return k;
  }

  // Adds (sign 1) or removes (-1) the candidate's consumption, keeping Consumed::over.
  void consume(const Candidate& c, const std::vector<Amount>& avail, Consumed& k, int sign) {
    for (const auto& [slot, amount] : uses(c)) {
      const bool was_over = k.used[slot] > avail[slot];
      k.used[slot] += static_cast<Amount>(sign) * amount;
      const bool is_over = k.used[slot] > avail[slot];
      k.over = k.over + is_over - was_over;
    }
  }

  // checkAvailableCounters: every counter of the pool within what is available, with this
  // device's consumption added (kept when it fits).
  bool check_counters(const Candidate& c) {
    const Pool& pool = pools()[c.pool];
    if (pool.counters) {
      const std::vector<Amount>& avail = available_slots(pool);
      Consumed& k = consumed(c, avail);
      consume(c, avail, k, 1);
      if (k.over == 0) return true;
      consume(c, avail, k, -1);
      return false;
    }
    const CounterSets& avail = available_counters(pool);
    CounterSets& used = consumed_counters[pool.key()];
    change(used, *c.device, true);
    for (const auto& [set, values] : avail) {
      auto u = std::find_if(used.begin(), used.end(),
                            [&set = set](const auto& e) { return e.first == set; });
      for (const auto& [name, q] : values) {
        k8s::Quantity consumed;
        if (u != used.end())
          for (const auto& [n, v] : u->second)
            if (n == name) consumed = v;
        if (q < consumed) {
          change(used, *c.device, false);
          return false;
        }
      }
    }
    return true;
  }

  void release_counters(const Candidate& c) {
    if (const Pool& pool = pools()[c.pool]; pool.counters) {
      const std::vector<Amount>& avail = available_slots(pool);
      consume(c, avail, consumed(c, avail), -1);
      return;
    }
    change(consumed_counters[pools()[c.pool].key()], *c.device, false);
  }

  // ---- allocateDevice

  struct Undo {
    int claim;
    std::string base, sub;  // request names for constraints
    bool has_sub = false;
    const Candidate* c = nullptr;
    bool multiple = false;
    size_t previous_results = 0;
  };

  // nullopt: not allocated; Fatal: error; else the undo record.
  std::variant<std::monostate, Undo, Fatal> allocate_device(int claim, int request, int sub,
                                                            const Candidate& c, bool must) {
    const RequestData& rd = data[claim][request][sub < 0 ? 0 : sub];
    const RequestView& req = rd.request;
    const RequestRef r = ref(claim, request, sub);
    const bool multiple =
        features.consumable_capacity && c.device->allow_multiple_allocations.value_or(false);
    if (!multiple && req.admin_access() && allocating_for_claim(c.index, claim)) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::InUseSameClaim, -1);
      return std::monostate{};
    }
    if (!req.admin_access() && in_use(c.index)) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::InUse, -1);
      return std::monostate{};
    }
    if (!features.partitionable_devices && !c.device->consumes_counters.empty()) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::PartitionableOff, -1);
      return std::monostate{};
    }
    const bool skip_counters = multiple && capacity_in_use(c.index);
    if (!skip_counters && !c.device->consumes_counters.empty() && !check_counters(c)) {
      if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::Counters, -1);
      return std::monostate{};
    }
    // From here on, a refusal leaves the counters consumed (QUIRK §19.1).
    Undo u;
    u.claim = claim;
    u.has_sub = rd.parent != nullptr;
    u.base = rd.parent ? *rd.parent : *req.name;
    if (rd.parent) u.sub = *req.name;
    if (features.device_taints) {
      if (int t = untolerated_taint(*c.device, *req.tolerations); t >= 0) {
        if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::Taint, t);
        return std::monostate{};
      }
    }
    std::vector<Constraint>& cons = constraints[claim];
    for (size_t i = 0; i < cons.size(); ++i) {
      if (!cons[i].add(u.base, u.has_sub ? &u.sub : nullptr, *c.device, c.slice->spec.driver)) {
        if (must)
          return Fatal{fmt::format(
              "claim {}, request {}: cannot add device {} because a claim constraint would not be "
              "satisfied",
              claim_name(*claims[claim]), *req.name, a.devices_->id(c.index))};
        for (size_t e = 0; e < i; ++e) cons[e].remove(u.base, u.has_sub ? &u.sub : nullptr);
        if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::Constraint, static_cast<int>(i));
        return std::monostate{};
      }
    }
    if (!multiple) allocating.emplace_back(c.index, claim);
    CapacityAmounts consumed;
    std::optional<std::string> share;
    if (features.consumable_capacity) {
      auto fits = capacity_ok(req, c);
      // QUIRK (§19.2): constraints stay added and the device stays marked allocating.
      if (!fits || !*fits) {
        if (obs) obs->rejected(r, *c.slice, *c.device, Rejection::Capacity, -1);
        return std::monostate{};
      }
      if (multiple) {
        consumed = consumed_capacity(req.capacity, *c.device);
        share = new_share_id();
        add_amounts(allocating_capacity[c.index], consumed);
      }
    }
    candidates.push_back(c);
    u.c = &candidates.back();
    u.multiple = multiple;
    u.previous_results = results[claim].size();
    DeviceResult res;
    res.request = *req.name;
    res.parent = rd.parent;
    res.candidate = u.c;
    res.share_id = std::move(share);
    res.admin_access = req.admin_access();
    res.consumed = std::move(consumed);
    results[claim].push_back(std::move(res));
    if (obs) obs->taken(r, *c.slice, *c.device);
    return u;
  }

  void deallocate(const Undo& u, int request, int sub) {
    const Candidate& c = *u.c;
    for (Constraint& con : constraints[u.claim]) con.remove(u.base, u.has_sub ? &u.sub : nullptr);
    auto mine = std::find(allocating.begin(), allocating.end(), std::make_pair(c.index, u.claim));
    if (mine != allocating.end()) allocating.erase(mine);
    if (u.multiple) {
      const CapacityAmounts& consumed = results[u.claim][u.previous_results].consumed;
      if (!consumed.empty()) {
        auto it = allocating_capacity.find(c.index);
        if (it != allocating_capacity.end()) {
          sub_amounts(it->second, consumed);
          // Remove the entry once nothing is left, as upstream's collection does.
          const bool empty = std::all_of(it->second.begin(), it->second.end(),
                                         [](const auto& e) { return e.second.is_zero(); });
          if (empty) allocating_capacity.erase(it);
        }
      }
    } else if (features.partitionable_devices && !c.device->consumes_counters.empty()) {
      release_counters(c);
    }
    results[u.claim].resize(u.previous_results);
    if (obs) obs->released(ref(u.claim, request, sub), *c.slice, *c.device);
  }

  std::string new_share_id() {
    if (a.options_.deterministic_share_ids) return fmt::format("share-{}", ++a.next_share_);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const uint64_t hi = rng(), lo = rng();
    return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                       hi & 0xfff, 0x8000 | (lo >> 48 & 0x3fff), lo & 0xffffffffffffULL);
  }

  // ---- allocateOne

  struct Location {
    size_t pool = 0, slice = 0, device = 0;
  };

  // The place on the node of the first device at or after `l` in search order.
  uint32_t local_of(const Location& l) const {
    for (size_t p = l.pool; p < pools().size(); ++p) {
      const Pool& pool = pools()[p];
      const size_t si = p == l.pool ? l.slice : 0;
      if (si < pool.local_offset.size())
        return pool.local_offset[si] + static_cast<uint32_t>(p == l.pool ? l.device : 0);
    }
    return node_devices;
  }

  std::variant<Step, Fatal> allocate_one(int claim, int request, int sub, int device,
                                         bool in_subrequest, Location start) {
    ++steps;
    if (steps > a.options_.max_steps)
      return Fatal{fmt::format(
          "search budget exhausted after {} steps; the claims and devices allow too many "
          "combinations (raise --max-steps, or narrow the claims with selectors or constraints)",
          a.options_.max_steps)};
    if (claim >= static_cast<int>(claims.size())) return Step::Done;
    const k8s::ResourceClaim& cl = *claims[claim];
    if (request >= static_cast<int>(cl.spec.devices.requests.size())) {
      auto r = allocate_one(claim + 1, 0, -1, 0, false, {});
      if (auto* s = std::get_if<Step>(&r); s && *s == Step::MaxSizeExceeded) return Step::NotDone;
      return r;
    }
    auto& subs = data[claim][request];
    const bool has_subs = subs.front().parent != nullptr;
    if (!in_subrequest && has_subs) {
      bool all_exceeded = true;
      for (int s = 0; s < static_cast<int>(subs.size()); ++s) {
        auto r = allocate_one(claim, request, s, device, true, {});
        if (auto* st = std::get_if<Step>(&r); st && *st == Step::MaxSizeExceeded) continue;
        all_exceeded = false;
        if (std::holds_alternative<Fatal>(r)) return r;
        if (std::get<Step>(r) == Step::Done) {
          subs.front().selected_subrequest = s;
          return Step::Done;
        }
      }
      return all_exceeded ? Step::MaxSizeExceeded : Step::NotDone;
    }
    RequestData& rd = subs[sub < 0 ? 0 : sub];
    const RequestView& req = rd.request;
    const bool all = *req.mode == "All";
    if (all && rd.all_devices.empty()) return Step::NotDone;
    if (device >= rd.num_devices) return allocate_one(claim, request + 1, -1, 0, false, {});
    const size_t after = results[claim].size() + static_cast<size_t>(rd.num_devices - device);
    if (after > kMaxResults) return Step::MaxSizeExceeded;

    if (all) {
      const Candidate& c = rd.all_devices[static_cast<size_t>(device)];
      auto taken = allocate_device(claim, request, sub, c, true);
      if (auto* f = std::get_if<Fatal>(&taken)) return *f;
      if (std::holds_alternative<std::monostate>(taken)) return Step::NotDone;
      const Undo u = std::get<Undo>(taken);
      auto r = allocate_one(claim, request, sub, device + 1, in_subrequest, {});
      if (std::holds_alternative<Fatal>(r) || std::get<Step>(r) != Step::Done) {
        deallocate(u, request, sub);
        return r;
      }
      return r;
    }

    // One candidate device: nullopt to go on with the next one, else what to return.
    // `selectable_known`: the memo already says the selectors accept it.
    auto visit = [&](size_t p, size_t si, size_t di,
                     bool selectable_known) -> std::optional<std::variant<Step, Fatal>> {
      const k8s::ResourceSlice* s = pools()[p].device_slices[si];
      const k8s::Device& d = s->spec.devices[di];
      const Candidate c = candidate(p, si, di);
      const RequestRef r = ref(claim, request, sub);
      if (req.admin_access() && allocating_for_claim(c.index, claim)) {
        if (obs) obs->rejected(r, *s, d, Rejection::InUseSameClaim, -1);
        return std::nullopt;
      }
      if (!req.admin_access() && in_use(c.index)) {
        if (obs) obs->rejected(r, *s, d, Rejection::InUse, -1);
        return std::nullopt;
      }
      if (!selectable_known) {
        auto sel = selectable(claim, request, sub, rd, c);
        if (auto* f = std::get_if<Fatal>(&sel)) return *f;
        if (!std::get<bool>(sel)) return std::nullopt;
      }
      if (features.consumable_capacity) {
        auto fits = capacity_ok(req, c);
        if (!fits || !*fits) {
          if (obs) obs->rejected(r, *s, d, Rejection::Capacity, -1);
          return std::nullopt;
        }
      }
      auto taken = allocate_device(claim, request, sub, c, false);
      if (auto* f = std::get_if<Fatal>(&taken)) return *f;
      if (std::holds_alternative<std::monostate>(taken)) return std::nullopt;
      const Undo u = std::get<Undo>(taken);
      auto next = allocate_one(claim, request, sub, device + 1, in_subrequest, {p, si, di + 1});
      if (auto* st = std::get_if<Step>(&next); st && *st == Step::Done) return Step::Done;
      deallocate(u, request, sub);
      if (!std::holds_alternative<Step>(next) || std::get<Step>(next) != Step::NotDone) return next;
      return std::nullopt;
    };

    // Only the devices the selectors accept, when the memo knows them all: what the walk
    // below would do, without stepping over every device the selectors reject.
    if (SelectableMemo* m = accepted_devices(rd)) {
      // Deeper levels of the search may extend the same list: positions, not iterators.
      const uint32_t from = local_of(start);
      size_t i = static_cast<size_t>(
          std::lower_bound(m->accepted.begin(), m->accepted.end(), from,
                           [](const auto& e, uint32_t v) { return e.local < v; }) -
          m->accepted.begin());
      for (;;) {
        if (i < m->accepted.size()) {
          const SelectableMemo::Entry e = m->accepted[i++];
          if (auto r = visit(e.pool, e.slice, e.device, true)) return *r;
          continue;
        }
        if (m->complete) return Step::NotDone;
        if (m->failed) break;
        decide_next_slice(*m, claim, request, sub, rd);
        while (i < m->accepted.size() && m->accepted[i].local < from) ++i;
      }
      // An error ahead: every device from the slice that has it (or from `start`, if later).
      const Location undecided{m->next_pool, m->next_slice, 0};
      if (std::tie(undecided.pool, undecided.slice, undecided.device) >
          std::tie(start.pool, start.slice, start.device))
        start = undecided;
    }

    for (size_t p = start.pool; p < pools().size(); ++p) {
      const Pool& pool = pools()[p];
      if (pool.incomplete || pool.invalid) continue;
      const size_t slice_start = p == start.pool ? start.slice : 0;
      for (size_t si = slice_start; si < pool.device_slices.size(); ++si) {
        const size_t device_start = p == start.pool && si == start.slice ? start.device : 0;
        for (size_t di = device_start; di < pool.device_slices[si]->spec.devices.size(); ++di)
          if (auto r = visit(p, si, di, false)) return *r;
      }
    }
    return Step::NotDone;
  }

  static constexpr size_t kMaxResults = 32;  // resourceapi.AllocationResultsMaxSize

  // Validation of every request, the claim limit and the constraints (§6), in upstream's
  // order: fills data, constraints and results, or says what is wrong first.
  std::optional<Fatal> validate_claims() {
    data.resize(claims.size());
    constraints.resize(claims.size());
    results.resize(claims.size());
    for (size_t ci = 0; ci < claims.size(); ++ci) {
      const k8s::ResourceClaim& cl = *claims[ci];
      const int claim = static_cast<int>(ci);
      int64_t min_devices = 0;
      auto& requests = cl.spec.devices.requests;
      data[ci].resize(requests.size());
      for (size_t ri = 0; ri < requests.size(); ++ri) {
        const k8s::DeviceRequest& req = requests[ri];
        const bool has_subs = !req.first_available.empty();
        if (!features.prioritized_list && has_subs)
          return Fatal{
              fmt::format("claim {}, request {}: has subrequests, but the DRAPrioritizedList "
                          "feature is disabled",
                          claim_name(cl), req.name)};
        if (!features.consumable_capacity) {
          if (req.exactly && req.exactly->capacity)
            return Fatal{
                fmt::format("claim {}, request {}: has capacity requests, but the "
                            "DRAConsumableCapacity feature is disabled",
                            claim_name(cl), req.name)};
          for (const auto& sub : req.first_available)
            if (sub.capacity)
              return Fatal{
                  fmt::format("claim {}, subrequest {}: has capacity requests, but the "
                              "DRAConsumableCapacity feature is disabled",
                              claim_name(cl), sub.name)};
        }
        const int request = static_cast<int>(ri);
        if (has_subs) {
          int64_t min_request = std::numeric_limits<int64_t>::max();
          for (size_t si = 0; si < req.first_available.size(); ++si) {
            auto rd = validate(claim, request, static_cast<int>(si),
                               RequestView::of(req.first_available[si]), &req.name);
            if (auto* e = std::get_if<Fatal>(&rd)) return *e;
            min_request = std::min<int64_t>(min_request, std::get<RequestData>(rd).num_devices);
            data[ci][ri].push_back(std::move(std::get<RequestData>(rd)));
          }
          min_devices += min_request;
        } else {
          static const k8s::ExactDeviceRequest kNone{};
          // A request with neither exactly nor firstAvailable: upstream dereferences an
          // empty Exactly and reports the missing class (§17).
          auto rd =
              validate(claim, request, -1,
                       RequestView::of(req.exactly ? *req.exactly : kNone, req.name), nullptr);
          if (auto* e = std::get_if<Fatal>(&rd)) return *e;
          min_devices += std::get<RequestData>(rd).num_devices;
          data[ci][ri].push_back(std::move(std::get<RequestData>(rd)));
        }
      }
      if (min_devices > static_cast<int64_t>(kMaxResults))
        return Fatal{
            fmt::format("claim {}: number of requested devices {} exceeds the claim limit "
                        "of {}",
                        claim_name(cl), min_devices, kMaxResults)};
      for (size_t i = 0; i < cl.spec.devices.constraints.size(); ++i) {
        const k8s::DeviceConstraint& dc = cl.spec.devices.constraints[i];
        Constraint c;
        c.requests = dc.requests;
        c.lists = features.list_type_attributes;
        if (dc.match_attribute) {
          c.attribute = *dc.match_attribute;
        } else if (dc.distinct_attribute) {
          c.distinct = true;
          c.attribute = *dc.distinct_attribute;
        } else {
          return Fatal{fmt::format(
              "claim {}, constraint #{}: empty constraint (unsupported constraint type?)",
              claim_name(cl), i)};
        }
        constraints[ci].push_back(std::move(c));
      }
    }
    return std::nullopt;
  }

  // ---- for explain

  void pool_infos(std::vector<PoolInfo>& info) const {
    info.clear();
    for (const Pool& p : pools()) {
      size_t n = 0;
      for (const auto* sl : p.device_slices) n += sl->spec.devices.size();
      info.push_back({p.driver, p.name, p.incomplete, p.invalid, p.invalid_reason, n});
    }
  }

  // Every check on every device of the usable pools, per request and subrequest, through
  // the search's own predicates (selectable() reports which check refused to an observer:
  // one that keeps the last report stands in for the caller's meanwhile).
  // Fills the Allocator's NodeFacts (buffers kept from node to node) and returns it.
  const NodeFacts& facts() {
    struct Last : Observer {
      Rejection why = Rejection::InUse;
      int detail = -1;
      bool seen = false;
      void rejected(const RequestRef&, const k8s::ResourceSlice&, const k8s::Device&, Rejection r,
                    int d) override {
        why = r;
        detail = d;
        seen = true;
      }
    } last;
    Observer* const watching = obs;
    obs = &last;
    NodeFacts& out = a.facts_;
    pool_infos(out.pools);
    size_t used = 0;  // of out.requests
    for (size_t ci = 0; ci < data.size(); ++ci)
      for (size_t ri = 0; ri < data[ci].size(); ++ri)
        for (size_t si = 0; si < data[ci][ri].size(); ++si) {
          RequestData& rd = data[ci][ri][si];
          const int claim = static_cast<int>(ci), request = static_cast<int>(ri);
          const int sub = rd.parent ? static_cast<int>(si) : -1;
          // Every device decided afresh, each refusal reported to `last`: not from a memo
          // that validation (or an earlier search on kept pools) may have filled.
          SelectableMemo* const memo = rd.shared_selectable;
          rd.shared_selectable = nullptr;
          rd.own_selectable.clear();
          if (used == out.requests.size()) out.requests.emplace_back();
          RequestFacts& rf = out.requests[used++];
          rf.devices.clear();
          rf.ref = ref(claim, request, sub);
          rd.full_name(rf.name);
          rf.device_class = rd.cls;
          rf.all = *rd.request.mode == "All";
          rf.count = rd.num_devices;
          rf.request_selectors = rd.request.selectors->size();
          rf.selectors = rd.request.selectors;
          rf.devices.reserve(node_devices);
          compile_slots(rd.cls->spec.selectors, rd.class_slots);
          compile_slots(*rd.request.selectors, rd.request_slots);
          for (size_t p = 0; p < pools().size(); ++p) {
            const Pool& pool = pools()[p];
            if (pool.incomplete || pool.invalid) continue;
            for (size_t sl = 0; sl < pool.device_slices.size(); ++sl) {
              // The selectors' verdicts decided for the whole slice at once, as the search
              // does (decide_next_slice); selectable() where they cannot say.
              const k8s::ResourceSlice* slice = pool.device_slices[sl];
              const bool from_verdicts = features.device_binding_and_status &&
                                         !slice->spec.per_device_node_selection.value_or(false);
              if (from_verdicts) fill_selectors(rd, p, slice, pool.device_base[sl]);
              for (size_t di = 0; di < slice->spec.devices.size(); ++di)
                device_facts(claim, request, sub, rd, candidate(p, sl, di), last, from_verdicts,
                             rf.devices.emplace_back());
            }
          }
          rd.own_selectable.clear();  // the search reports its own rejections
          rd.shared_selectable = memo;
        }
    out.requests.resize(used);
    obs = watching;
    return out;
  }

  // The first false selector of the class (in order), else of the request, read off the
  // programs' verdicts as selectors_match reaches them; false when a verdict on the way is
  // not known or an error (selectable() then decides, and says which).
  bool first_false_from_verdicts(const RequestData& rd, uint32_t index, int* in_class,
                                 int* in_request) const {
    const int at = first_false_verdict(rd, index);
    if (at == kVerdictUnknown) return false;
    const int classes = static_cast<int>(rd.class_slots.size());
    if (at >= classes) {
      *in_request = at - classes;
    } else if (at >= 0) {
      *in_class = at;
    }
    return true;
  }

  // Fills `f`, a DeviceFacts as constructed.
  template <typename Last>
  void device_facts(int claim, int request, int sub, RequestData& rd, const Candidate& c,
                    Last& last, bool from_verdicts, DeviceFacts& f) {
    f.pool = c.pool;
    f.index = c.index;
    f.slice = c.slice;
    f.device = c.device;
    if (!from_verdicts ||
        !first_false_from_verdicts(rd, c.index, &f.class_selector, &f.request_selector))
      selectable_facts(claim, request, sub, rd, c, last, f);
    // A device outside the class: the other checks say nothing more about it.
    if (f.class_selector < 0 && !f.class_error) other_facts(rd, c, f);
  }

  // The selectors' and node checks' facts through selectable(), which reports to `last`.
  template <typename Last>
  void selectable_facts(int claim, int request, int sub, RequestData& rd, const Candidate& c,
                        Last& last, DeviceFacts& f) {
    last.seen = false;
    auto sel = selectable(claim, request, sub, rd, c);
    if (auto* e = std::get_if<Fatal>(&sel)) {
      f.error = true;
      f.class_error = e->in_class;
    } else if (!std::get<bool>(sel) && last.seen) {
      switch (last.why) {
        case Rejection::ClassSelector:
          f.class_selector = last.detail;
          break;
        case Rejection::RequestSelector:
          f.request_selector = last.detail;
          break;
        case Rejection::NodeMismatch:
          f.node_mismatch = true;
          break;
        default:
          f.binding_off = true;
          break;
      }
    }
  }

  // Use, taints, counters and capacity.
  void other_facts(const RequestData& rd, const Candidate& c, DeviceFacts& f) {
    const RequestView& req = rd.request;
    if (!req.admin_access()) f.in_use = in_use(c.index);
    if (features.device_taints) f.taint = untolerated_taint(*c.device, *req.tolerations);
    const bool multiple =
        features.consumable_capacity && c.device->allow_multiple_allocations.value_or(false);
    if (!c.device->consumes_counters.empty()) {
      if (!features.partitionable_devices) {
        f.counters = true;
      } else if (!(multiple && capacity_in_use(c.index))) {
        if (check_counters(c)) {
          release_counters(c);
        } else {
          f.counters = true;
        }
      }
    }
    if (features.consumable_capacity) {
      const auto fits = capacity_ok(req, c);
      f.capacity = !fits || !*fits;
    }
  }
};

}  // namespace dra::alloc

namespace dra::alloc {

namespace {

// The results of one claim in the API's shape (§16).
k8s::AllocationResult build_result(const Search& s, int claim, const Features& features) {
  const k8s::ResourceClaim& cl = *s.claims[claim];
  k8s::AllocationResult out;
  for (const DeviceResult& r : s.results[claim]) {
    const Candidate& c = *r.candidate;
    k8s::DeviceRequestAllocationResult res;
    res.request = r.parent ? *r.parent + "/" + r.request : r.request;
    res.driver = c.slice->spec.driver;
    res.pool = c.slice->spec.pool.name;
    res.device = c.device->name;
    if (r.admin_access) res.admin_access = true;
    // lookupRequest: the tolerations of the (sub)request that produced the result.
    for (const k8s::DeviceRequest& req : cl.spec.devices.requests) {
      if (req.name != (r.parent ? *r.parent : r.request)) continue;
      if (!r.parent) {
        if (req.exactly) res.tolerations = req.exactly->tolerations;
      } else {
        for (const k8s::DeviceSubRequest& sub : req.first_available)
          if (sub.name == r.request) res.tolerations = sub.tolerations;
      }
      break;
    }
    if (features.device_binding_and_status) {
      res.binding_conditions.assign(c.device->binding_conditions.begin(),
                                    c.device->binding_conditions.end());
      res.binding_failure_conditions.assign(c.device->binding_failure_conditions.begin(),
                                            c.device->binding_failure_conditions.end());
    }
    res.share_id = r.share_id;
    res.consumed_capacity = r.consumed;
    std::sort(res.consumed_capacity.begin(), res.consumed_capacity.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    out.devices.results.push_back(std::move(res));
  }

  // Configuration: class configs once per class, at the first request using it; then the
  // claim's configs that apply to a request or to the chosen subrequest.
  const auto& requests = cl.spec.devices.requests;
  auto chosen = [&](size_t i) -> const RequestData& {
    const auto& subs = s.data[claim][i];
    return subs.front().parent ? subs[static_cast<size_t>(subs.front().selected_subrequest)]
                               : subs.front();
  };
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> class_ranges;
  auto& config = out.devices.config;
  for (size_t i = 0; i < requests.size(); ++i) {
    const RequestData& rd = chosen(i);
    if (!rd.cls) continue;
    auto range = std::find_if(class_ranges.begin(), class_ranges.end(),
                              [&](const auto& e) { return e.first == rd.cls->metadata.name; });
    if (range != class_ranges.end()) {
      for (size_t k = range->second.first; k < range->second.second; ++k)
        config[k].requests.push_back(rd.full_name());
      continue;
    }
    const size_t start = config.size();
    for (const k8s::DeviceClassConfiguration& cc : rd.cls->spec.config) {
      k8s::DeviceAllocationConfiguration c;
      c.source = "FromClass";
      c.requests = {rd.full_name()};
      c.config = cc.config;
      config.push_back(std::move(c));
    }
    class_ranges.push_back({rd.cls->metadata.name, {start, config.size()}});
  }
  auto selected_name = [&](size_t i) -> std::optional<std::string> {
    const RequestData& rd = chosen(i);
    if (!rd.parent) return std::nullopt;
    return rd.full_name();
  };
  auto contains = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  for (const k8s::DeviceClaimConfiguration& cc : cl.spec.devices.config) {
    bool applies = cc.requests.empty();
    for (size_t i = 0; !applies && i < requests.size(); ++i) {
      if (contains(cc.requests, requests[i].name))
        applies = true;
      else if (auto sub = selected_name(i); sub && contains(cc.requests, *sub))
        applies = true;
    }
    if (!applies) continue;
    k8s::DeviceAllocationConfiguration c;
    c.source = "FromClaim";
    c.requests = cc.requests;
    c.config = cc.config;
    config.push_back(std::move(c));
  }
  for (k8s::DeviceAllocationConfiguration& c : config) {
    if (c.requests.empty()) continue;
    bool all = true;
    for (size_t i = 0; all && i < requests.size(); ++i) {
      if (contains(c.requests, requests[i].name)) continue;
      if (auto sub = selected_name(i); sub && contains(c.requests, *sub)) continue;
      all = false;
    }
    if (all) c.requests.clear();
  }
  return out;
}

// createNodeSelector: nullopt result with an error message in `error`.
// With `build` false, only whether it can be made: `error`, and nullopt.
std::optional<k8s::NodeSelector> node_selector(const Search& s, int claim, std::string* error,
                                               bool build = true) {
  k8s::NodeSelectorTerm term;
  for (const DeviceResult& r : s.results[claim]) {
    const Candidate& c = *r.candidate;
    const auto& spec = c.slice->spec;
    const bool per_device = spec.per_device_node_selection.value_or(false);
    const std::optional<std::string>& name = per_device ? c.device->node_name : spec.node_name;
    const k8s::NodeSelector* sel = per_device
                                       ? ptr(c.device->node_selector)
                                       : (spec.node_selector ? &*spec.node_selector : nullptr);
    if (name.has_value() || c.device->binds_to_node.value_or(false)) {
      if (!build) return std::nullopt;
      k8s::NodeSelector ns;
      k8s::NodeSelectorTerm t;
      k8s::NodeSelectorRequirement req;
      req.key = "metadata.name";
      req.operator_ = "In";
      req.values = {s.node.metadata.name};
      t.match_fields.push_back(std::move(req));
      ns.node_selector_terms.push_back(std::move(t));
      return ns;
    }
    if (!sel) continue;
    if (sel->node_selector_terms.size() == 1) {
      if (!build) continue;
      add_requirements(sel->node_selector_terms[0].match_fields, term.match_fields);
      add_requirements(sel->node_selector_terms[0].match_expressions, term.match_expressions);
    } else if (sel->node_selector_terms.size() > 1) {
      *error = fmt::format("unsupported ResourceSlice.NodeSelector with {} terms",
                           sel->node_selector_terms.size());
      return std::nullopt;
    }
  }
  if (!build || (term.match_fields.empty() && term.match_expressions.empty())) return std::nullopt;
  k8s::NodeSelector ns;
  ns.node_selector_terms.push_back(std::move(term));
  return ns;
}

Outcome fatal(std::string message, uint64_t steps = 0) {
  Outcome o;
  o.kind = Outcome::Kind::Error;
  o.error = std::move(message);
  o.steps = steps;
  return o;
}

}  // namespace

Outcome Allocator::allocate(const k8s::NodeObject& node,
                            const std::vector<const k8s::ResourceClaim*>& claims) {
  return allocate(node, claims, options_.observer);
}

Outcome Allocator::allocate(const k8s::NodeObject& node,
                            const std::vector<const k8s::ResourceClaim*>& claims,
                            Observer* observer) {
  if (!observer && all_in_use(node.metadata.name))
    if (const std::optional<uint64_t> steps = free_device_steps(claims)) {
      Outcome o;  // what the search finds: the first request has no device to take
      o.steps = *steps;
      return o;
    }
  const Features& f = options_.features;
  Search s(*this, f, observer, node, claims);
  // Pools depend on the node and the slices only, not on what is allocated: gathered once
  // per node name, unless the observer keeps none (then rebuilt in the same storage).
  if (!pools_->by_node.empty())  // (explain keeps none: no hash of the name then)
    if (auto cached = pools_->by_node.find(node.metadata.name); cached != pools_->by_node.end()) {
      if (auto* e = std::get_if<PoolError>(&cached->second))
        return fatal("gather pool information: " + e->message);
      s.pool_list = &std::get<std::vector<Pool>>(cached->second);
    }
  if (!s.pool_list) {
    std::span<const k8s::ResourceSlice* const> on_node;
    if (auto it = in_->slices_on_node.find(node.metadata.name); it != in_->slices_on_node.end())
      on_node = it->second;
    const bool keep = !observer || observer->keep_pools();
    std::vector<Pool> kept;
    std::vector<Pool>& pools = keep ? kept : pools_->scratch.spare;
    std::optional<PoolError> error =
        gather_pools(on_node, in_->slices_shared, node, f, in_->all_slices, pools_->scratch, pools);
    if (!error) {
      // Every device gets its index once; slices shared between nodes keep theirs.
      uint32_t local = 0;
      for (Pool& p : pools) {
        DeviceTable::PoolDevices& pd = devices_->pool(p.driver, p.name);
        p.changes = &pd.changes;
        p.device_base.reserve(p.device_slices.size());
        for (const k8s::ResourceSlice* sl : p.device_slices)
          p.device_base.push_back(devices_->base(sl, &pd));
        p.not_targeting_base.reserve(p.not_targeting.size());
        for (const k8s::ResourceSlice* sl : p.not_targeting)
          p.not_targeting_base.push_back(devices_->base(sl, &pd));
        p.local_offset.reserve(p.device_slices.size());
        for (const k8s::ResourceSlice* sl : p.device_slices) {
          p.local_offset.push_back(local);
          local += static_cast<uint32_t>(sl->spec.devices.size());
        }
      }
    }
    if (keep) {
      using Gathered = std::variant<std::vector<Pool>, PoolError>;
      pools_->by_node.emplace(node.metadata.name,
                              error ? Gathered(std::move(*error)) : Gathered(std::move(kept)));
      const Gathered& g = pools_->by_node.find(node.metadata.name)->second;
      if (auto* e = std::get_if<PoolError>(&g))
        return fatal("gather pool information: " + e->message);
      s.pool_list = &std::get<std::vector<Pool>>(g);
    } else {
      if (error) return fatal("gather pool information: " + error->message);
      s.pool_list = &pools;
      s.pools_kept = false;
    }
  }
  for (const Pool& p : s.pools())
    for (const k8s::ResourceSlice* sl : p.device_slices)
      s.node_devices += static_cast<uint32_t>(sl->spec.devices.size());

  if (auto e = s.validate_claims()) return fatal(e->message);

  if (s.obs && s.obs->wants_facts()) s.obs->facts(s.facts());
  auto done = s.allocate_one(0, 0, -1, 0, false, {});
  if (auto* e = std::get_if<Fatal>(&done)) return fatal(e->message, s.steps);
  Outcome o;
  o.steps = s.steps;
  if (std::get<Search::Step>(done) != Search::Step::Done) {
    const bool invalid =
        std::any_of(s.pools().begin(), s.pools().end(), [](const Pool& p) { return p.invalid; });
    if (invalid) {
      o.kind = Outcome::Kind::FailedOnNode;
      o.error = "invalid resource pools were encountered";
    }
    return o;
  }
  // Without results wanted, the node selectors are still made: they may fail.
  const bool results = !observer || observer->wants_results();
  for (size_t ci = 0; ci < claims.size(); ++ci) {
    std::string error;
    auto selector = node_selector(s, static_cast<int>(ci), &error, results);
    if (!error.empty())
      return fatal(
          fmt::format("create NodeSelector for claim {}: {}", claims[ci]->metadata.name, error),
          s.steps);
    if (!results) continue;
    k8s::AllocationResult r = build_result(s, static_cast<int>(ci), f);
    r.node_selector = std::move(selector);
    o.results.push_back(std::move(r));
  }
  o.kind = Outcome::Kind::Allocated;
  return o;
}

const k8s::DeviceAttribute* constraint_attribute(const k8s::Device& d, std::string_view driver,
                                                 std::string_view qualified) {
  return lookup_attribute(d, driver, qualified);
}

bool Allocator::need_free_device(const std::vector<const k8s::ResourceClaim*>& claims) {
  return free_device_steps(claims).has_value();
}

std::optional<uint64_t> Allocator::free_device_steps(
    const std::vector<const k8s::ResourceClaim*>& claims) {
  // Exact counts only (All counts the node's devices), no admin access (it takes devices
  // in use), at least one device each.
  size_t leading_empty = 0;  // claims without requests before the first request
  size_t first_subs = 0;     // subrequests of the first request
  bool any = false;
  auto exact = [](const std::string& mode, int64_t count) {
    return mode == "ExactCount" && count >= 1;
  };
  for (const k8s::ResourceClaim* c : claims) {
    for (const k8s::DeviceRequest& r : c->spec.devices.requests) {
      if (r.first_available.empty()) {
        if (!r.exactly || r.exactly->admin_access.value_or(false) ||
            !exact(r.exactly->allocation_mode, r.exactly->count))
          return std::nullopt;
      }
      for (const k8s::DeviceSubRequest& sub : r.first_available)
        if (!exact(sub.allocation_mode, sub.count)) return std::nullopt;
      if (!any) first_subs = r.first_available.size();
      any = true;
    }
    if (!any) ++leading_empty;
  }
  if (!any) return std::nullopt;  // nothing to allocate: that always succeeds
  // The same validation as a search, so that an error is still reported as one.
  static const k8s::NodeObject kNoNode;
  static const std::vector<Pool> kNoPools;
  Search s(*this, options_.features, nullptr, kNoNode, claims);
  s.pool_list = &kNoPools;
  if (s.validate_claims()) return std::nullopt;
  // allocateOne once per claim up to the first request, then once per subrequest.
  const uint64_t steps = leading_empty + 1 + first_subs;
  if (steps > options_.max_steps) return std::nullopt;
  return steps;
}

}  // namespace dra::alloc
