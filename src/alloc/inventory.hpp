// src/alloc/inventory.hpp -- what the cluster has and what is in use: resource pools
// gathered from ResourceSlices as upstream's allocator gathers them, and which devices,
// counters and capacity existing allocations hold. `get` shows it; the allocator starts
// from it. Pure functions over a loaded Cluster; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"

namespace dra::alloc {

// A device as published: which slice and pool it belongs to.
struct DeviceRef {
  const k8s::ResourceSlice* slice = nullptr;
  const k8s::Device* device = nullptr;
  std::string_view driver() const { return slice->spec.driver; }
  std::string_view pool() const { return slice->spec.pool.name; }
  std::string_view name() const { return device->name; }
};

// Where a device can be used (spec/dra-api.md §4.2: slice or per-device node selection).
struct Reach {
  enum class Kind { Node, Selector, AllNodes, Unknown } kind = Kind::Unknown;
  std::string node;                             // Kind::Node
  const k8s::NodeSelector* selector = nullptr;  // Kind::Selector
};
Reach reach_of(const DeviceRef& d);

// A pool: the slices of the highest generation seen for (driver, pool name), as upstream's
// GatherPools (structured/internal/*/pools_*.go).
struct Pool {
  std::string driver;
  std::string name;
  int64_t generation = 0;
  int64_t resource_slice_count = 0;               // as the newest slices say
  std::vector<const k8s::ResourceSlice*> slices;  // current generation, input order
  size_t stale_slices = 0;                        // slices of older generations, ignored
  bool incomplete() const { return static_cast<int64_t>(slices.size()) != resource_slice_count; }
  std::string invalid_reason;  // duplicate device or counter set, unknown counter
  bool invalid() const { return !invalid_reason.empty(); }
  std::vector<DeviceRef> devices;  // in slice order, then device order
  std::vector<const k8s::CounterSet*> counter_sets;
};

// One allocation of a device by a claim (status.allocation.devices.results entry).
struct Holder {
  const k8s::ResourceClaim* claim = nullptr;
  const k8s::DeviceRequestAllocationResult* result = nullptr;
  bool admin_access() const { return result->admin_access.value_or(false); }
};

struct DeviceKey {
  std::string driver, pool, device;
  friend auto operator<=>(const DeviceKey&, const DeviceKey&) = default;
};

struct Inventory {
  std::vector<Pool> pools;  // sorted by driver, then pool name
  // Allocations per device; several for shared (allowMultipleAllocations) or admin access.
  std::map<DeviceKey, std::vector<Holder>> holders;
  const std::vector<Holder>* holders_of(const DeviceRef& d) const;
  const Pool* find_pool(std::string_view driver, std::string_view name) const;
};

// Gathers pools and current allocations. Never fails: problems (incomplete or invalid
// pools, allocations of devices that no slice publishes) are recorded for callers to show.
Inventory build_inventory(const k8s::Cluster& cluster);

// Counters left in one pool: per counter set, per counter, the set's value minus what
// devices allocated in non-admin mode consume (upstream counts each allocated device once).
struct CounterUse {
  util::Atom counter_set, counter;
  k8s::Quantity total, used;
};
std::vector<CounterUse> counter_use(const Pool& pool, const Inventory& inv);

// Whether a free device could still be allocated as far as shared counters go.
bool counters_fit(const DeviceRef& d, const std::vector<CounterUse>& use);

}  // namespace dra::alloc
