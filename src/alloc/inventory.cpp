// src/alloc/inventory.cpp -- pools and current allocations (see inventory.hpp).
#include "alloc/inventory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dra::alloc {

Reach reach_of(const DeviceRef& d) {
  const k8s::ResourceSliceSpec& s = d.slice->spec;
  auto from = [](const std::optional<std::string>& name, const std::optional<bool>& all,
                 const auto& sel) -> std::optional<Reach> {
    if (name && !name->empty()) return Reach{Reach::Kind::Node, *name, nullptr};
    if (all.value_or(false)) return Reach{Reach::Kind::AllNodes, {}, nullptr};
    if (sel) return Reach{Reach::Kind::Selector, {}, &*sel};
    return std::nullopt;
  };
  // Slice-level fields win even when perDeviceNodeSelection is also set (allocator spec §5.1).
  if (auto r = from(s.node_name, s.all_nodes, s.node_selector)) return *r;
  if (s.per_device_node_selection.value_or(false))
    if (auto r = from(d.device->node_name, d.device->all_nodes, d.device->node_selector)) return *r;
  return {};
}

const std::vector<Holder>* Inventory::holders_of(const DeviceRef& d) const {
  auto it = holders.find({std::string(d.driver()), std::string(d.pool()), std::string(d.name())});
  return it == holders.end() ? nullptr : &it->second;
}

const Pool* Inventory::find_pool(std::string_view driver, std::string_view name) const {
  for (const Pool& p : pools)
    if (p.driver == driver && p.name == name) return &p;
  return nullptr;
}

namespace {

void check_pool(Pool& p) {
  // The checks of upstream's buildPool: duplicate device names, duplicate counter sets,
  // consumption of unknown counter sets or counters.
  std::set<std::string_view> names;
  for (const DeviceRef& d : p.devices)
    if (!names.insert(d.name()).second) {
      p.invalid_reason = fmt::format("duplicate device name {}", d.name());
      return;
    }
  std::set<std::string_view> sets;
  for (const k8s::CounterSet* cs : p.counter_sets)
    if (!sets.insert(cs->name).second) {
      p.invalid_reason = fmt::format("duplicate counter set name {}", cs->name);
      return;
    }
  for (const DeviceRef& d : p.devices) {
    for (const k8s::DeviceCounterConsumption& c : d.device->consumes_counters) {
      auto cs = std::find_if(p.counter_sets.begin(), p.counter_sets.end(),
                             [&](const k8s::CounterSet* s) { return s->name == c.counter_set; });
      if (cs == p.counter_sets.end()) {
        p.invalid_reason = fmt::format("counter set {} not found", c.counter_set);
        return;
      }
      for (const auto& [counter, _] : c.counters) {
        const auto& have = (*cs)->counters;
        if (std::none_of(have.begin(), have.end(),
                         [&counter = counter](const auto& h) { return h.first == counter; })) {
          p.invalid_reason =
              fmt::format("counter {} not found in counter set {}", counter, c.counter_set);
          return;
        }
      }
    }
  }
}

}  // namespace

Inventory build_inventory(const k8s::Cluster& cluster) {
  Inventory inv;
  // Group slices by (driver, pool); keep the highest generation (GatherPools).
  std::map<std::pair<std::string, std::string>, Pool> pools;
  for (const k8s::ResourceSlice& slice : cluster.resource_slices) {
    const auto& spec = slice.spec;
    Pool& p = pools[{spec.driver, spec.pool.name}];
    if (p.slices.empty() && p.stale_slices == 0) {
      p.driver = spec.driver;
      p.name = spec.pool.name;
      p.generation = spec.pool.generation;
    }
    if (spec.pool.generation < p.generation) {
      ++p.stale_slices;
      continue;
    }
    if (spec.pool.generation > p.generation) {
      p.stale_slices += p.slices.size();
      p.slices.clear();
      p.generation = spec.pool.generation;
    }
    p.slices.push_back(&slice);
  }
  for (auto& [_, p] : pools) {
    if (p.slices.empty()) continue;
    p.resource_slice_count = p.slices.front()->spec.pool.resource_slice_count;
    // Slices by name, ties in input order (allocator spec §11, ordering detail).
    std::stable_sort(p.slices.begin(), p.slices.end(), [](const auto* a, const auto* b) {
      return a->metadata.name < b->metadata.name;
    });
    for (const k8s::ResourceSlice* s : p.slices) {
      for (const k8s::CounterSet& cs : s->spec.shared_counters) p.counter_sets.push_back(&cs);
      // A slice with shared counters is a counter-set slice: its devices are ignored.
      if (!s->spec.shared_counters.empty()) continue;
      for (const k8s::Device& d : s->spec.devices) p.devices.push_back({s, &d});
    }
    check_pool(p);
    inv.pools.push_back(std::move(p));
  }
  for (const k8s::ResourceClaim& claim : cluster.resource_claims) {
    if (!claim.status.allocation) continue;
    for (const auto& r : claim.status.allocation->devices.results)
      inv.holders[{r.driver, r.pool, r.device}].push_back({&claim, &r});
  }
  return inv;
}

std::vector<CounterUse> counter_use(const Pool& pool, const Inventory& inv) {
  std::vector<CounterUse> use;
  for (const k8s::CounterSet* cs : pool.counter_sets)
    for (const auto& [name, counter] : cs->counters)
      use.push_back({cs->name, name, counter.value, k8s::Quantity()});
  for (const DeviceRef& d : pool.devices) {
    const auto* h = inv.holders_of(d);
    if (!h || std::all_of(h->begin(), h->end(), [](const Holder& x) { return x.admin_access(); }))
      continue;
    for (const auto& c : d.device->consumes_counters)
      for (const auto& [name, counter] : c.counters)
        for (CounterUse& u : use)
          if (u.counter_set == c.counter_set && u.counter == name && !u.used.add(counter.value))
            u.used = u.total;  // beyond any representable sum: treat as fully used
  }
  return use;
}

bool counters_fit(const DeviceRef& d, const std::vector<CounterUse>& use) {
  for (const auto& c : d.device->consumes_counters)
    for (const auto& [name, counter] : c.counters)
      for (const CounterUse& u : use)
        if (u.counter_set == c.counter_set && u.counter == name) {
          k8s::Quantity want = u.used;
          if (!want.add(counter.value) || u.total < want) return false;
        }
  return true;
}

}  // namespace dra::alloc
