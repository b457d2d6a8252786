// src/explain/explain.cpp -- explanations from the allocator's facts and outcomes.
#include "explain/explain.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "alloc/controllers.hpp"
#include "alloc/extended.hpp"
#include "alloc/node_match.hpp"
#include "alloc/schedule.hpp"
#include "selectors/cache.hpp"
#include "selectors/program.hpp"
#include "selectors/projection.hpp"
#include "util/pointer_map.hpp"
#include "util/strings.hpp"

namespace dra::explain {
namespace {

using alloc::DeviceFacts;
using alloc::NodeFacts;
using alloc::Outcome;
using alloc::RequestFacts;

std::string device_name(const k8s::ResourceSlice& s, const k8s::Device& d) {
  return fmt::format("{}/{}/{}", s.spec.driver, s.spec.pool.name, d.name);
}

std::string count_of(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// What kind of error an allocator message names (its texts are upstream's, allocator.cpp).
std::string error_kind(const std::string& message) {
  auto has = [&](std::string_view s) { return message.find(s) != std::string::npos; };
  if (has("CEL runtime error")) return "CEL runtime error";
  if (has("CEL compile error")) return "CEL compile error";
  if (has("deviceclass.resource.k8s.io") && has("not found")) return "missing class";
  if (has("asks for all devices") && has("being updated")) return "All on an incomplete pool";
  if (has("asks for all devices") && has("invalid")) return "All on an invalid pool";
  if (has("search budget exhausted")) return "search budget exhausted";
  return "allocator error";
}

// ---- the facts of one group of claims, gathered node by node ---------------------------

// The checks a device passes, in the funnel's order, as one number: 0 reachable; 1 in the
// class; 1 + i + 1 after request selector i; then on the node, tolerated, free.
struct Stages {
  int selectors = 0;  // the request's selectors
  int after_selector(int i) const { return 2 + i; }
  int on_node() const { return 2 + selectors; }
  int tolerated() const { return 3 + selectors; }
  int free() const { return 4 + selectors; }
  int of(const DeviceFacts& f) const {
    if (f.error) return f.class_error ? 0 : 1;
    if (f.class_selector >= 0) return 0;
    if (f.request_selector >= 0) return 1 + f.request_selector;
    if (f.node_mismatch || f.binding_off) return on_node() - 1;
    if (f.taint >= 0) return on_node();
    if (f.in_use || f.counters || f.capacity) return tolerated();
    return free();
  }
};

struct Device {
  const k8s::ResourceSlice* slice = nullptr;
  const k8s::Device* device = nullptr;
};

struct PerNode {
  std::string_view node;
  uint32_t begin = 0, end = 0;  // its candidates (every check passes) in RequestAcc::candidates
  size_t selected = 0;          // devices the selectors and the node check pass
  size_t count() const { return end - begin; }
};

// A device at the furthest stage any node got it to, with the facts from there: DeviceFacts
// without the error's text, small, as there is one per device and request. The device's
// number in the cluster (Context::where) is at the same position in Collector::keys().
struct Seen {
  int16_t stage = -1;  // -1: the request has not met the device
  int16_t class_selector = -1, request_selector = -1, taint = -1;
  uint8_t error = 0;  // 1: in a class selector, 2: in a request selector
  bool node_mismatch : 1 = false, binding_off : 1 = false, in_use : 1 = false, counters : 1 = false,
                       capacity : 1 = false;
  Seen() = default;
  Seen(const DeviceFacts& f, int at)
      : stage(static_cast<int16_t>(at)),
        class_selector(static_cast<int16_t>(f.class_selector)),
        request_selector(static_cast<int16_t>(f.request_selector)),
        taint(static_cast<int16_t>(f.taint)),
        error(!f.error        ? 0
              : f.class_error ? 1
                              : 2),
        node_mismatch(f.node_mismatch),
        binding_off(f.binding_off),
        in_use(f.in_use),
        counters(f.counters),
        capacity(f.capacity) {}
};
static_assert(sizeof(Seen) == 10, "one per device and request: keep it small");

// One request (or subrequest) over every node tried.
struct RequestAcc {
  RequestFacts meta;  // of the first node, without its devices
  Stages stages;
  // Each device once, in the order first met (by any request: a device the request has not
  // seen has stage -1 and default facts; in practice every request sees every device).
  // With several collectors, the order is Collector::for_each_seen's.
  std::vector<Seen> seen;
  std::vector<PerNode> per_node;
  std::vector<uint32_t> candidates;  // device numbers (Context::where)
  std::span<const uint32_t> on(size_t node) const {
    const PerNode& pn = per_node[node];
    return {candidates.data() + pn.begin, pn.count()};
  }
};

class Collector : public alloc::Observer {
 public:
  bool wants_facts() const override { return true; }
  // Only the first placement keeps its devices (sweep()); each node is tried once.
  bool wants_results() const override { return !placed; }
  bool keep_pools() const override { return false; }
  bool wants_events() const override { return false; }  // the facts say it all
  void facts(const NodeFacts& f) override {
    for (const alloc::PoolInfo& p : f.pools)
      if ((p.incomplete || p.invalid) &&
          seen_pools_.insert(fmt::format("{}/{}", p.driver, p.pool)).second)
        unusable.push_back(p);
    if (requests.empty()) {
      keys_.reserve(room);
      for (const RequestFacts& rf : f.requests) {
        RequestAcc a;
        a.meta = rf;
        a.meta.devices.clear();
        a.stages.selectors = static_cast<int>(rf.request_selectors);
        // Sized once for the devices this collector's nodes are likely to meet: growing
        // touches fresh memory twice (costly on these machines).
        a.seen.reserve(room);
        a.per_node.reserve(node_room);
        requests.push_back(std::move(a));
      }
    }
    for (size_t i = 0; i < f.requests.size() && i < requests.size(); ++i) {
      RequestAcc& a = requests[i];
      PerNode pn;
      pn.node = node;
      pn.begin = static_cast<uint32_t>(a.candidates.size());
      for (const DeviceFacts& df : f.requests[i].devices) {
        const int stage = a.stages.of(df);
        const size_t at = position(df);
        Seen& sn = a.seen[at];
        if (stage > sn.stage) sn = Seen(df, stage);
        if (stage >= a.stages.on_node()) ++pn.selected;
        if (df.candidate()) a.candidates.push_back(keys_[at]);
      }
      pn.end = static_cast<uint32_t>(a.candidates.size());
      a.per_node.push_back(pn);
    }
    if (keep_all) all = f;
  }

  // Adds what `later` collected on the nodes after this one's: the same as one collector
  // that saw all of them in order. For pools seen from many nodes (a device met by both is
  // merged); where every slice names one node, sweep() uses interleave(). Once, on a
  // collector that has merged nothing.
  void absorb(Collector&& later) {
    for (alloc::PoolInfo& p : later.unusable)
      if (seen_pools_.insert(fmt::format("{}/{}", p.driver, p.pool)).second)
        unusable.push_back(std::move(p));
    // No facts() after this: positions by the allocator's numbers are not needed any more.
    slot_.clear();
    if (requests.empty()) {
      requests = std::move(later.requests);
      keys_ = std::move(later.keys_);
      return;
    }
    for (RequestAcc& a : requests) a.seen.reserve(keys_.size() + later.keys_.size());
    keys_.reserve(keys_.size() + later.keys_.size());
    std::vector<int32_t> by_key(devices, -1);  // position by device number
    for (size_t p = 0; p < keys_.size(); ++p) by_key[keys_[p]] = static_cast<int32_t>(p);
    for (size_t p = 0; p < later.keys_.size(); ++p) {
      int32_t& at = by_key[later.keys_[p]];
      if (at < 0) at = add(later.keys_[p]);
      for (size_t i = 0; i < requests.size() && i < later.requests.size(); ++i) {
        const Seen& sn = later.requests[i].seen[p];
        Seen& mine = requests[i].seen[static_cast<size_t>(at)];
        if (sn.stage > mine.stage) mine = sn;
      }
    }
    append_nodes(later);
  }

  std::string_view node;  // the node of the next allocate() call (a view of its name)
  // Where each slice's devices start in the cluster's numbering of devices (slice by
  // slice, in input order): a device's number, the same for every allocator.
  const util::PointerMap<k8s::ResourceSlice, uint32_t>* bases = nullptr;
  size_t devices = 0;    // in the cluster: the most a request can see
  size_t expected = 0;   // of them, how many the nodes tried are likely to meet
  size_t room = 0;       // how many `seen` has room for from the start
  size_t node_room = 0;  // how many nodes `per_node` has room for from the start
  bool keep_all = false;
  bool placed = false;  // a node took the claims: later placements need no results
  NodeFacts all;        // with keep_all: the last node's facts, whole
  std::vector<RequestAcc> requests;
  std::vector<alloc::PoolInfo> unusable;  // incomplete or invalid pools, each once
  // By position in every request's `seen`: the device's number.
  const std::vector<uint32_t>& keys() const { return keys_; }
  // f(seen, device number) for each device request `a` (one of `requests`) met, in the
  // order first met: ours, or the runs of ours and of the collectors taken over.
  template <typename F>
  void for_each_seen(const RequestAcc& a, F&& f) const {
    if (runs_.empty()) {
      for (size_t p = 0; p < a.seen.size(); ++p) f(a.seen[p], keys_[p]);
      return;
    }
    const auto i = static_cast<size_t>(&a - requests.data());
    for (const Run& r : runs_) {
      const std::vector<Seen>& seen = r.from->requests[i].seen;
      for (size_t p = r.begin; p < r.end; ++p) f(seen[p], r.from->keys_[p]);
    }
  }

  // The nodes were tried in chunks, taken in turn by this collector and by `later` (each
  // chunk's nodes in order, each collector's chunks in order; no slice seen from two
  // nodes): puts the facts in node order, as one collector trying every node would have.
  // `chunks` says which chunk each stretch of the collectors' facts came from. Once, on a
  // collector that has merged nothing.
  struct Chunk {
    size_t index = 0;                       // in node order
    bool later = false;                     // tried by `later`
    size_t seen_begin = 0, seen_end = 0;    // positions the chunk added
    size_t nodes_begin = 0, nodes_end = 0;  // its entries in each request's per_node
    size_t tried_begin = 0, tried_end = 0;  // its nodes in the trying collector's list
  };
  void interleave(Collector&& later, std::vector<Chunk> chunks) {
    for (alloc::PoolInfo& p : later.unusable)
      if (seen_pools_.insert(fmt::format("{}/{}", p.driver, p.pool)).second)
        unusable.push_back(std::move(p));
    slot_.clear();
    const bool none_of_ours = requests.empty();
    if (none_of_ours) {  // every chunk with facts was the other's: theirs become ours
      requests = std::move(later.requests);
      keys_ = std::move(later.keys_);
      later.requests.clear();
      later.keys_.clear();
    }
    std::sort(chunks.begin(), chunks.end(),
              [](const Chunk& x, const Chunk& y) { return x.index < y.index; });
    Collector* theirs = later.requests.empty() ? nullptr : &take(std::move(later));
    auto owner = [&](const Chunk& c) -> Collector* {
      return c.later == none_of_ours ? this : theirs;
    };
    for (size_t i = 0; i < requests.size(); ++i) {
      RequestAcc& a = requests[i];
      const size_t shift = a.candidates.size();  // where theirs go, after ours
      std::vector<PerNode> merged;
      merged.reserve(a.per_node.size() + (theirs ? theirs->requests[i].per_node.size() : 0));
      for (const Chunk& c : chunks) {
        const Collector* from = owner(c);
        if (!from || c.nodes_begin == c.nodes_end) continue;
        for (size_t n = c.nodes_begin; n < c.nodes_end; ++n) {
          PerNode pn = from->requests[i].per_node[n];
          if (from != this) {
            pn.begin += static_cast<uint32_t>(shift);
            pn.end += static_cast<uint32_t>(shift);
          }
          merged.push_back(pn);
        }
      }
      if (theirs) {
        const std::vector<uint32_t>& more = theirs->requests[i].candidates;
        a.candidates.insert(a.candidates.end(), more.begin(), more.end());
      }
      a.per_node = std::move(merged);
    }
    runs_.clear();
    for (const Chunk& c : chunks) {
      Collector* from = owner(c);
      if (!from || c.seen_begin == c.seen_end) continue;
      const auto begin = static_cast<uint32_t>(c.seen_begin),
                 end = static_cast<uint32_t>(c.seen_end);
      if (!runs_.empty() && runs_.back().from == from && runs_.back().end == begin) {
        runs_.back().end = end;
      } else {
        runs_.push_back({from, begin, end});
      }
    }
  }

 private:
  // The device's position in every request's `seen`, found by the allocator's number for
  // it (DeviceFacts::index: the same on every node, and dense), which a collector, fed by
  // one allocator, can index by. A device met for the first time is added to all.
  size_t position(const DeviceFacts& df) {
    if (slot_.size() <= df.index)
      slot_.resize(std::max({size_t{df.index} + 1, expected, 2 * slot_.size()}), -1);
    int32_t& at = slot_[df.index];
    if (at < 0) {
      const k8s::ResourceSlice& s = *df.slice;
      if (&s != base_of_) {  // a slice's devices come one after the other
        base_of_ = &s;
        base_ = bases->at(&s);
      }
      at = add(base_ + static_cast<uint32_t>(df.device - s.spec.devices.data()));
    }
    return static_cast<size_t>(at);
  }
  // Keeps `later` (its facts are read in place) and returns where it is kept.
  Collector& take(Collector&& later) {
    taken_.push_back(std::make_unique<Collector>(std::move(later)));
    return *taken_.back();
  }
  // The nodes `later` tried, after ours.
  void append_nodes(Collector& later) {
    for (size_t i = 0; i < requests.size() && i < later.requests.size(); ++i) {
      RequestAcc& a = requests[i];
      RequestAcc& b = later.requests[i];
      const auto shift = static_cast<uint32_t>(a.candidates.size());
      for (PerNode pn : b.per_node) {
        pn.begin += shift;
        pn.end += shift;
        a.per_node.push_back(pn);
      }
      a.candidates.insert(a.candidates.end(), b.candidates.begin(), b.candidates.end());
    }
  }
  // Adds device number `key` at the end of every request's `seen`: its position.
  int32_t add(uint32_t key) {
    keys_.push_back(key);
    for (RequestAcc& a : requests) a.seen.emplace_back();
    return static_cast<int32_t>(keys_.size() - 1);
  }
  const k8s::ResourceSlice* base_of_ = nullptr;  // the slice whose devices start at base_
  uint32_t base_ = 0;
  std::vector<int32_t> slot_;   // by the allocator's device number: position in `seen`, or -1
  std::vector<uint32_t> keys_;  // by position: the device's number in the cluster
  // The order of the devices when other collectors' facts were taken over (for_each_seen):
  // runs of positions, each of this collector or of one in taken_.
  struct Run {
    const Collector* from = nullptr;
    uint32_t begin = 0, end = 0;
  };
  std::vector<Run> runs_;
  std::vector<std::unique_ptr<Collector>> taken_;
  std::set<std::string> seen_pools_;
};

// The group's outcome on each node tried.
struct Tried {
  const k8s::NodeObject* node = nullptr;
  Outcome outcome;
};

// ---- building the explanation ----------------------------------------------------------

struct Context {
  const k8s::Cluster& cluster;
  selectors::MatchCache cel;                             // device values for traces
  size_t published = 0;                                  // devices in the cluster's slices
  util::PointerMap<k8s::ResourceSlice, uint32_t> bases;  // Collector::bases
  // The slices in input order and where their devices' numbers start (Collector::bases).
  std::vector<const k8s::ResourceSlice*> slices;
  std::vector<uint32_t> starts;
  bool slices_on_one_node = true;  // every slice names one node (none is seen from many)
  // Device number `key`.
  Device where(uint32_t key) const {
    const size_t i =
        static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), key) - starts.begin()) -
        1;
    return {slices[i], &slices[i]->spec.devices[key - starts[i]]};
  }
};

// "domain/name" of every attribute (capacity) the devices publish, qualified by driver.
template <typename Member>
std::vector<std::string> published_names(const std::vector<Device>& devices, Member member) {
  std::set<std::string> names;
  for (const Device& d : devices)
    for (const auto& [name, _] : d.device->*member) {
      const std::string_view n = name;
      names.insert(n.find('/') == std::string_view::npos
                       ? d.slice->spec.driver + "/" + std::string(n)
                       : std::string(n));
    }
  return {names.begin(), names.end()};
}

// Suggestions for names a selector reads that none of `devices` publishes.
void name_suggestions(const std::string& owner, const std::string& expression,
                      const std::vector<Device>& devices, std::vector<std::string>& out) {
  if (devices.empty()) return;
  const selectors::Compiled c = selectors::compile(expression);
  if (!c.ok()) return;
  const auto paths = selectors::device_paths(c.program->ast());
  if (!paths) return;
  const auto attributes = published_names(devices, &k8s::Device::attributes);
  const auto capacities = published_names(devices, &k8s::Device::capacity);
  for (const selectors::DevicePath& p : *paths) {
    const bool attribute = p.kind == selectors::DevicePath::Kind::Attribute;
    if (!attribute && p.kind != selectors::DevicePath::Kind::Capacity) continue;
    const std::string name = p.domain + "/" + p.name;
    const auto& known = attribute ? attributes : capacities;
    if (std::binary_search(known.begin(), known.end(), name)) continue;
    std::string line = fmt::format("{}: no device it considers publishes {} {}", owner,
                                   attribute ? "attribute" : "capacity", name);
    const std::string close = util::did_you_mean(name, known);
    if (!close.empty()) line += fmt::format("; did you mean {}?", close);
    out.push_back(std::move(line));
  }
}

// The decisive reason for one request from its funnel, and what would help.
struct Verdict {
  bool fits = true;  // some node has enough candidates
  std::string reason;
  bool pools_matter =
      false;  // too few devices reachable or in the class: unusable pools may be why
};

size_t in_unusable_pools(Context& ctx, const k8s::DeviceClass* cls,
                         const std::vector<alloc::PoolInfo>& pools, std::string* which);

RequestExplanation explain_request(Context& ctx, const RequestAcc& a, const Collector& collector,
                                   size_t eligible, const std::vector<alloc::PoolInfo>& unusable,
                                   std::vector<std::string>& suggestions, Verdict& verdict) {
  RequestExplanation re;
  const RequestFacts& m = a.meta;
  auto each_seen = [&](auto&& f) { collector.for_each_seen(a, f); };
  re.name = m.name;
  re.device_class = m.device_class ? m.device_class->metadata.name : "";
  if (m.device_class)
    for (const k8s::DeviceSelector& s : m.device_class->spec.selectors)
      re.class_selectors.push_back(s.cel ? s.cel->expression : "");
  if (m.selectors)
    for (const k8s::DeviceSelector& s : *m.selectors)
      re.request_selectors.push_back(s.cel ? s.cel->expression : "");
  re.mode = m.all ? "All" : "ExactCount";
  re.needed = m.count;

  // The funnel: devices at or beyond each stage.
  std::vector<size_t> at(static_cast<size_t>(a.stages.free()) + 1, 0);
  size_t in_use = 0, counters = 0, capacity = 0, errors = 0, request_errors = 0;
  const Seen* tainted = nullptr;
  uint32_t tainted_key = 0;
  each_seen([&](const Seen& f, uint32_t key) {
    const int stage = f.stage;
    for (int s = 0; s <= stage; ++s) ++at[static_cast<size_t>(s)];
    if (f.error) ++(f.error == 1 ? errors : request_errors);
    if (stage == a.stages.tolerated()) {
      in_use += f.in_use;
      counters += f.counters && !f.in_use;
      capacity += f.capacity && !f.in_use && !f.counters;
    }
    if (stage == a.stages.on_node() && !tainted) {
      tainted = &f;
      tainted_key = key;
    }
  });
  re.funnel.push_back({"published in the cluster", ctx.published, ""});
  re.funnel.push_back(
      {fmt::format("reachable from {}", count_of(eligible, "eligible node", "eligible nodes")),
       at[0], ""});
  re.funnel.push_back({fmt::format("in class {}", re.device_class), at[1],
                       errors ? count_of(errors, "CEL runtime error", "CEL runtime errors") : ""});
  for (int i = 0; i < a.stages.selectors; ++i)
    re.funnel.push_back({fmt::format("request selector #{}", i),
                         at[static_cast<size_t>(a.stages.after_selector(i))],
                         i == 0 && request_errors
                             ? count_of(request_errors, "CEL runtime error", "CEL runtime errors")
                             : ""});
  const size_t on_node = at[static_cast<size_t>(a.stages.on_node())];
  if (on_node != at[static_cast<size_t>(a.stages.on_node()) - 1])
    re.funnel.push_back({"available on the node", on_node, ""});
  const size_t tolerated = at[static_cast<size_t>(a.stages.tolerated())];
  re.funnel.push_back({"not tainted, or tolerated", tolerated, ""});
  const size_t free = at[static_cast<size_t>(a.stages.free())];
  std::vector<std::string> why_not_free;
  if (in_use) why_not_free.push_back(fmt::format("{} allocated", in_use));
  if (counters) why_not_free.push_back(fmt::format("{} shared counters used up", counters));
  if (capacity) why_not_free.push_back(fmt::format("{} capacity used up", capacity));
  re.funnel.push_back({"free", free, fmt::format("{}", fmt::join(why_not_free, ", "))});

  // The nodes with the most candidates, best first, ties in the order tried: the first
  // three of a stable sort, which is all that is shown (a sweep tries thousands).
  constexpr size_t kNearest = 3;
  std::vector<const PerNode*> nodes;
  for (const PerNode& pn : a.per_node) {
    const auto at = std::find_if(nodes.begin(), nodes.end(),
                                 [&](const PerNode* x) { return pn.count() > x->count(); });
    if (at == nodes.end() && nodes.size() == kNearest) continue;
    nodes.insert(at, &pn);
    if (nodes.size() > kNearest) nodes.pop_back();
  }
  re.best = nodes.empty() ? 0 : nodes.front()->count();
  for (const PerNode* pn : nodes) {
    if (pn->count() == 0) break;
    NodeCount nc{std::string(pn->node), pn->count(), ""};
    if (m.all)
      nc.note = fmt::format("{} of the {} matching devices usable", nc.candidates, pn->selected);
    re.nearest.push_back(std::move(nc));
  }

  // Selectors that ruled devices out, each shown on the first device it ruled out.
  auto miss = [&](const std::string& owner, int index, const std::string& expression,
                  auto ruled_out) {
    SelectorMiss sm;
    sm.owner = owner;
    sm.index = index;
    sm.expression = expression;
    std::optional<uint32_t> example;
    each_seen([&](const Seen& sn, uint32_t key) {
      if (ruled_out(sn)) {
        ++sm.ruled_out;
        if (!example) example = key;
      }
    });
    if (!example) return;
    const Device ex = ctx.where(*example);
    sm.device = device_name(*ex.slice, *ex.device);
    const selectors::Compiled c = selectors::compile(expression);
    if (c.ok()) {
      selectors::Activation act;
      act.bind("device", ctx.cel.make_device(*ex.device, ex.slice->spec.driver));
      sm.values = selectors::trace_values(*c.program, act);
    }
    re.selectors.push_back(std::move(sm));
  };
  auto class_misses = [&] {
    for (size_t i = 0; i < re.class_selectors.size(); ++i)
      miss("class " + re.device_class, static_cast<int>(i), re.class_selectors[i],
           [&](const Seen& f) { return !f.error && f.class_selector == static_cast<int>(i); });
  };
  auto request_miss = [&](int i) {
    miss("request " + re.name, i, re.request_selectors[static_cast<size_t>(i)],
         [&](const Seen& f) { return !f.error && f.request_selector == i; });
  };

  // The verdict: the first stage that leaves fewer devices than needed.
  const size_t needed = static_cast<size_t>(std::max<int64_t>(m.count, m.all ? 0 : 1));
  // The devices that got at least to `stage` (built only for suggestions: they are many).
  auto devices_from = [&](int stage) {
    std::vector<Device> out;
    each_seen([&](const Seen& sn, uint32_t key) {
      if (sn.stage >= stage) out.push_back(ctx.where(key));
    });
    return out;
  };
  if (m.all) {
    bool some = false;
    for (const PerNode& pn : a.per_node) some = some || pn.count() >= pn.selected;
    verdict.fits = some;
    if (!some) {
      const PerNode* best = nullptr;
      for (const PerNode& pn : a.per_node)
        if (!best || pn.selected - pn.count() < best->selected - best->count()) best = &pn;
      verdict.reason = fmt::format(
          "request {} asks for all matching devices (allocationMode All), and on every node some "
          "of them are not usable{}",
          re.name,
          best ? fmt::format(
                     " (closest: {}, {} of {} usable{})", best->node, best->count(), best->selected,
                     why_not_free.empty() ? ""
                                          : "; " + fmt::format("{}", fmt::join(why_not_free, ", ")))
               : "");
    }
    return re;
  }
  verdict.fits = re.best >= needed;
  if (verdict.fits) {
    re.nearest.clear();  // it fits: nothing came close, something made it
    return re;
  }
  if (at[0] < needed) {
    verdict.pools_matter = true;
    verdict.reason = at[0] == 0
                         ? fmt::format("no device is reachable from the {}",
                                       count_of(eligible, "eligible node", "eligible nodes"))
                         : fmt::format("only {} reachable from the eligible nodes, {} needed",
                                       count_of(at[0], "device is", "devices are"), needed);
  } else if (std::string which;
             at[1] < needed && in_unusable_pools(ctx, m.device_class, unusable, &which)) {
    verdict.pools_matter = true;
    verdict.reason =
        fmt::format("{} of class {} {} reachable; the devices the class matches are in {}",
                    at[1] == 0 ? std::string("no device")
                               : fmt::format("only {}", count_of(at[1], "device", "devices")),
                    re.device_class, at[1] > 1 ? "are" : "is", which);
  } else if (at[1] < needed) {
    verdict.pools_matter = true;
    class_misses();
    verdict.reason =
        errors && at[1] == 0
            ? fmt::format("the selectors of class {} end in a CEL runtime error", re.device_class)
        : at[1] == 0
            ? fmt::format("the selectors of class {} exclude every one of the {} reachable devices",
                          re.device_class, at[0])
            : fmt::format(
                  "the selectors of class {} admit only {} of the {} reachable devices, {} needed",
                  re.device_class, at[1], at[0], needed);
    const std::vector<Device> reachable = devices_from(0);
    for (const std::string& e : re.class_selectors)
      name_suggestions("class " + re.device_class, e, reachable, suggestions);
    if (re.class_selectors.empty())
      name_suggestions("class " + re.device_class, "", reachable, suggestions);
  } else {
    int failing = -1;
    for (int i = 0; i < a.stages.selectors; ++i)
      if (at[static_cast<size_t>(a.stages.after_selector(i))] < needed) {
        failing = i;
        break;
      }
    if (failing >= 0) {
      request_miss(failing);
      const size_t before = at[static_cast<size_t>(a.stages.after_selector(failing)) - 1];
      const size_t after = at[static_cast<size_t>(a.stages.after_selector(failing))];
      verdict.reason = fmt::format(
          "request selector #{} of {} {} of the {} devices of class {}{}", failing, re.name,
          after == 0 ? "excludes every one" : fmt::format("leaves only {}", after), before,
          re.device_class, after == 0 ? "" : fmt::format(", {} needed", needed));
      const std::vector<Device> in_class = devices_from(1);
      for (const std::string& e : re.request_selectors)
        name_suggestions("request " + re.name, e, in_class, suggestions);
      if (failing == a.stages.selectors - 1) {
        size_t would = 0;
        each_seen([&](const Seen& f, uint32_t) {
          if (f.request_selector == failing && !f.error && !f.node_mismatch && !f.binding_off &&
              f.taint < 0 && !f.in_use && !f.counters && !f.capacity)
            ++would;
        });
        if (would)
          suggestions.push_back(fmt::format("without request selector #{} of {}, {} would qualify",
                                            failing, re.name,
                                            count_of(would, "free device", "free devices")));
      }
    } else if (on_node < needed) {
      verdict.reason = fmt::format(
          "per-device node selection or binding conditions leave {} of the selected devices",
          on_node);
    } else if (tolerated < needed) {
      std::string taint;
      if (tainted && tainted->taint >= 0) {
        const k8s::Device& td = *ctx.where(tainted_key).device;
        const k8s::DeviceTaint& t = td.taints[static_cast<size_t>(tainted->taint)];
        taint = fmt::format(" ({}{}{}:{} on {})", t.key, t.value.empty() ? "" : "=", t.value,
                            t.effect, td.name);
      }
      verdict.reason = fmt::format(
          "{} of the selected devices {} tainted, and request {} does not "
          "tolerate it{}",
          on_node - tolerated, on_node - tolerated == 1 ? "is" : "are", re.name, taint);
      suggestions.push_back(fmt::format(
          "add a toleration to request {} if its workload may use tainted devices", re.name));
    } else if (free < needed) {
      verdict.reason = free == 0
                           ? fmt::format("none of the {} selected and tolerated {} free ({})",
                                         tolerated, tolerated == 1 ? "device is" : "devices is",
                                         fmt::join(why_not_free, ", "))
                           : fmt::format(
                                 "only {} of the {} selected and tolerated devices {} free, {} "
                                 "needed ({})",
                                 free, tolerated, free == 1 ? "is" : "are", needed,
                                 fmt::join(why_not_free, ", "));
    } else {
      verdict.reason = fmt::format(
          "{} devices are free across the nodes, but no node has {} of them: at most {} on one "
          "node{}",
          free, needed, re.best,
          nodes.empty() ? std::string() : fmt::format(" ({})", nodes.front()->node));
    }
  }
  if (re.best > 0 && re.best < needed && !m.all)
    suggestions.push_back(
        fmt::format("{} has {} of the {} devices request {} needs: with count {} "
                    "it could fit there",
                    nodes.front()->node, re.best, needed, re.name, re.best));
  return re;
}

// The values a constraint's attribute takes among a node's candidates, over the requests
// (and subrequests) of the claim the constraint covers.
struct ConstraintValues {
  std::string attribute;
  std::map<std::string, size_t> values;
  size_t missing = 0, needed = 0;
  bool covers(const RequestAcc& a, const k8s::DeviceConstraint& dc) const {
    const std::string base = a.meta.name.substr(0, a.meta.name.find('/'));
    return dc.requests.empty() ||
           std::find(dc.requests.begin(), dc.requests.end(), base) != dc.requests.end() ||
           std::find(dc.requests.begin(), dc.requests.end(), a.meta.name) != dc.requests.end();
  }
  size_t largest() const {
    size_t n = 0;
    for (const auto& [v, k] : values) n = std::max(n, k);
    return n;
  }
};

ConstraintValues constraint_values(const Context& ctx, const k8s::DeviceConstraint& dc, int claim,
                                   const std::vector<RequestAcc>& requests, size_t node_index) {
  ConstraintValues cv;
  cv.attribute = dc.match_attribute      ? *dc.match_attribute
                 : dc.distinct_attribute ? *dc.distinct_attribute
                                         : "";
  if (cv.attribute.empty()) return cv;
  for (const RequestAcc& a : requests) {
    if (a.meta.ref.claim != claim || !cv.covers(a, dc) || node_index >= a.per_node.size()) continue;
    cv.needed += static_cast<size_t>(std::max<int64_t>(a.meta.count, 0));
    for (const uint32_t key : a.on(node_index)) {
      const Device d = ctx.where(key);
      const k8s::DeviceAttribute* v =
          alloc::constraint_attribute(*d.device, d.slice->spec.driver, cv.attribute);
      if (v) {
        ++cv.values[k8s::to_text(*v)];
      } else {
        ++cv.missing;
      }
    }
  }
  return cv;
}

// Why a matchAttribute or distinctAttribute constraint cannot be met, on a node.
std::string constraint_reason(const k8s::DeviceConstraint& dc, const ConstraintValues& cv,
                              const std::string& node) {
  if (cv.attribute.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [v, n] : cv.values) parts.push_back(fmt::format("{} ({})", v, n));
  if (cv.missing) parts.push_back(fmt::format("no value ({})", cv.missing));
  const std::string split =
      parts.empty() ? "no candidates" : fmt::format("{}", fmt::join(parts, ", "));
  if (dc.match_attribute)
    return fmt::format(
        "matchAttribute {}: no value is shared by the {} devices needed; on {} the "
        "candidates have {}",
        cv.attribute, cv.needed, node, split);
  return fmt::format(
      "distinctAttribute {}: the {} devices needed must all differ; on {} the "
      "candidates have {}",
      cv.attribute, cv.needed, node, split);
}

// A has() guard for the key a "no such key" CEL error names, written for the selector of
// the cluster that reads that key.
std::string guard_hint(const std::string& message, const k8s::Cluster& cluster) {
  const std::string generic =
      "guard the selector against devices without what it reads: "
      "has(device.attributes[\"DOMAIN\"].NAME) && ..., or \"NAME\" in "
      "device.attributes[\"DOMAIN\"]";
  const size_t at = message.find("no such key: ");
  if (at == std::string::npos) return generic;
  std::string key = message.substr(at + 13);
  key = key.substr(0, key.find_first_of(". ,"));
  std::vector<std::string> expressions;
  for (const k8s::DeviceClass& dc : cluster.device_classes)
    for (const auto& sel : dc.spec.selectors)
      if (sel.cel) expressions.push_back(sel.cel->expression);
  for (const k8s::ResourceClaim& c : cluster.resource_claims)
    for (const auto& r : c.spec.devices.requests) {
      if (r.exactly)
        for (const auto& sel : r.exactly->selectors)
          if (sel.cel) expressions.push_back(sel.cel->expression);
      for (const auto& sub : r.first_available)
        for (const auto& sel : sub.selectors)
          if (sel.cel) expressions.push_back(sel.cel->expression);
    }
  for (const std::string& e : expressions) {
    if (e.find(key) == std::string::npos) continue;
    const selectors::Compiled c = selectors::compile(e);
    if (!c.ok()) continue;
    const auto paths = selectors::device_paths(c.program->ast());
    if (!paths) continue;
    for (const selectors::DevicePath& p : *paths) {
      if (p.name != key) continue;
      const char* map = p.kind == selectors::DevicePath::Kind::Capacity ? "capacity" : "attributes";
      return fmt::format(
          "not every device has {} {}/{}: guard the selector with "
          "has(device.{}[\"{}\"].{}) && ..., or \"{}\" in device.{}[\"{}\"] && ...",
          map == std::string("capacity") ? "capacity" : "attribute", p.domain, p.name, map,
          p.domain, p.name, p.name, map, p.domain);
    }
  }
  return generic;
}

// Devices of the incomplete or invalid pools that the class's selectors accept (the CEL
// evaluator's answer; the allocator never looks at such pools' devices).
size_t in_unusable_pools(Context& ctx, const k8s::DeviceClass* cls,
                         const std::vector<alloc::PoolInfo>& pools, std::string* which) {
  if (!cls) return 0;
  std::vector<std::shared_ptr<const selectors::Program>> programs;
  for (const auto& sel : cls->spec.selectors) {
    if (!sel.cel) return 0;
    const selectors::Compiled c = selectors::compile(sel.cel->expression);
    if (!c.ok()) return 0;
    programs.push_back(c.program);
  }
  size_t n = 0;
  for (const alloc::PoolInfo& p : pools)
    for (const k8s::ResourceSlice& s : ctx.cluster.resource_slices) {
      if (s.spec.driver != p.driver || s.spec.pool.name != p.pool) continue;
      for (const k8s::Device& d : s.spec.devices) {
        bool all = true;
        for (const auto& prog : programs) {
          const selectors::Value& v = ctx.cel.evaluate(*prog, d, s.spec.driver);
          all = all && !v.is_error() && v.kind() == selectors::ValueKind::Bool && v.bool_value();
        }
        if (all && n++ == 0)
          *which =
              fmt::format("pool {} of driver {}, which is {}", p.pool, p.driver,
                          p.invalid ? "invalid (" + p.invalid_reason + ")"
                                    : "incomplete (the driver is still publishing its slices)");
      }
    }
  return n;
}

// Why the search took each device of a result, from the node's facts.
void explain_choices(const NodeFacts& facts, const k8s::AllocationResult& result, int claim,
                     ClaimExplanation& ce) {
  // Devices of the result: not alternatives to each other.
  auto taken = [&](const DeviceFacts& f) {
    for (const auto& r : result.devices.results)
      if (f.slice->spec.driver == r.driver && f.slice->spec.pool.name == r.pool &&
          f.device->name == r.device)
        return true;
    return false;
  };
  for (const k8s::DeviceRequestAllocationResult& r : result.devices.results) {
    Choice ch;
    ch.request = r.request;
    ch.device = fmt::format("{}/{}/{}", r.driver, r.pool, r.device);
    for (const RequestFacts& rf : facts.requests) {
      if (rf.ref.claim != claim || rf.name != r.request) continue;
      std::map<std::string, size_t> skipped;
      bool found = false;
      for (const DeviceFacts& f : rf.devices) {
        const bool chosen = f.slice->spec.driver == r.driver && f.slice->spec.pool.name == r.pool &&
                            f.device->name == r.device;
        if (chosen) {
          found = true;
          continue;
        }
        const bool in_class = f.class_selector < 0 && !f.class_error;
        if (!found && !f.candidate() && in_class) {
          ++ch.skipped;
          const std::string why = f.error                   ? "CEL error"
                                  : f.request_selector >= 0 ? "request selector false"
                                  : f.node_mismatch         ? "not on this node"
                                  : f.binding_off           ? "binding conditions"
                                  : f.taint >= 0            ? "tainted"
                                  : f.in_use                ? "allocated"
                                  : f.counters              ? "shared counters used up"
                                                            : "capacity used up";
          ++skipped[why];
        } else if (f.candidate() && !taken(f)) {
          ++ch.alternatives;
          if (!found) ++ch.earlier;
        }
      }
      ch.reachable = found;
      std::vector<std::string> parts;
      for (const auto& [why, n] : skipped) parts.push_back(fmt::format("{} {}", n, why));
      ch.skipped_detail = fmt::format("{}", fmt::join(parts, ", "));
      break;
    }
    ce.choices.push_back(std::move(ch));
  }
}

}  // namespace

// Tries the claims on each node in turn (on two threads for many nodes: the second half of
// the nodes with an allocator of its own in the same state, its facts added after the
// first half's), collecting the facts. Only the first placement keeps its devices.
std::vector<Tried> sweep(Context& ctx, alloc::Allocator& allocator,
                         const std::vector<const k8s::ResourceClaim*>& claims,
                         const std::vector<const k8s::NodeObject*>& nodes, const Options& options,
                         Collector& collector) {
  // Sizes the collector and the allocator for `share` of the nodes.
  auto prepare = [&](alloc::Allocator& a, Collector& c, size_t share, size_t node_room) {
    c.devices = ctx.published;
    // Node-local devices dominate: the nodes' share of the cluster's nodes meets about that
    // share of its devices (more would be met by growing).
    const size_t of = std::max({ctx.cluster.nodes.size(), nodes.size(), size_t{1}});
    c.expected = ctx.published * share / of;
    // The first collector takes the others' devices over whole at the end, or copies them
    // where they may overlap (then growing).
    c.room = c.expected;
    c.node_room = node_room;
    a.reserve(ctx.slices.size() * share / of, c.expected);
    c.bases = &ctx.bases;
  };
  // Tries node i, keeping the devices of this collector's first placement only.
  auto try_node = [&](alloc::Allocator& a, Collector& c, size_t i, std::vector<Tried>& tried) {
    c.node = nodes[i]->metadata.name;  // the node outlives the collector
    tried.push_back({nodes[i], a.allocate(*nodes[i], claims, &c)});
    if (tried.back().outcome.kind == Outcome::Kind::Allocated) {
      if (c.placed) tried.back().outcome.results = {};
      c.placed = true;
    }
  };
  auto run = [&](alloc::Allocator& a, Collector& c, size_t from, size_t to) {
    prepare(a, c, to - from, from == 0 ? nodes.size() : to - from);
    std::vector<Tried> tried;
    tried.reserve(c.node_room);  // the first half's takes in the second's
    for (size_t i = from; i < to; ++i) try_node(a, c, i, tried);
    return tried;
  };
  // Only the first placement in node order keeps its devices.
  auto first_placement_only = [](std::vector<Tried>& tried) {
    bool placed = false;
    for (Tried& x : tried)
      if (x.outcome.kind == Outcome::Kind::Allocated) {
        if (placed) x.outcome.results = {};
        placed = true;
      }
  };
  const unsigned threads = options.threads > 0 ? options.threads
                           : nodes.size() >= 1024
                               ? std::max(1u, std::min(2u, std::thread::hardware_concurrency()))
                               : 1;
  if (threads < 2 || nodes.size() < 2) return run(allocator, collector, 0, nodes.size());
  Collector later;
  // The second thread's allocator shares the cluster and the state with the first's; it is
  // dropped where it worked, so that the thread that may finish first frees its caches.
  auto second = std::make_unique<alloc::Allocator>(allocator, alloc::Allocator::Fork{});
  auto on_two_threads = [&](auto&& work) {
    std::thread t;
    try {
      t = std::thread([&] { work(true); });
    } catch (const std::system_error&) {
      // No thread to be had: the same work, one part after the other.
    }
    work(false);
    if (t.joinable()) {
      t.join();
    } else {
      work(true);
    }
  };
  if (ctx.slices_on_one_node) {
    // Every slice names one node, so no device is met on two: the nodes are shared out in
    // chunks as the threads go (a thread slowed down takes fewer), and the facts put back in
    // node order after (Collector::interleave).
    const bool dealt = options.chunk > 0;  // in turn (Options::chunk), or as the threads go
    const size_t kChunk = dealt ? options.chunk : 64;
    const size_t chunks = (nodes.size() + kChunk - 1) / kChunk;
    std::atomic<size_t> next{0};
    std::vector<Tried> tried_by[2];
    std::vector<Collector::Chunk> log[2];
    on_two_threads([&](bool is_later) {
      alloc::Allocator& a = is_later ? *second : allocator;
      Collector& c = is_later ? later : collector;
      std::vector<Tried>& tried = tried_by[is_later];
      prepare(a, c, nodes.size() / 2, nodes.size() / 2);
      tried.reserve(nodes.size() / 2);
      size_t dealt_next = is_later ? 1 : 0;
      auto take = [&] {
        if (!dealt) return next.fetch_add(1);
        const size_t k = dealt_next;
        dealt_next += 2;
        return k;
      };
      for (size_t k; (k = take()) < chunks;) {
        Collector::Chunk ch;
        ch.index = k;
        ch.later = is_later;
        auto nodes_so_far = [&] { return c.requests.empty() ? 0 : c.requests[0].per_node.size(); };
        ch.seen_begin = c.keys().size();
        ch.nodes_begin = nodes_so_far();
        ch.tried_begin = tried.size();
        for (size_t i = k * kChunk; i < std::min(nodes.size(), (k + 1) * kChunk); ++i)
          try_node(a, c, i, tried);
        ch.seen_end = c.keys().size();
        ch.nodes_end = nodes_so_far();
        ch.tried_end = tried.size();
        log[is_later].push_back(ch);
      }
      if (is_later) second.reset();
    });
    std::vector<Collector::Chunk> all = std::move(log[0]);
    all.insert(all.end(), log[1].begin(), log[1].end());
    std::sort(all.begin(), all.end(),
              [](const auto& x, const auto& y) { return x.index < y.index; });
    std::vector<Tried> tried;
    tried.reserve(nodes.size());
    for (const Collector::Chunk& ch : all)
      for (size_t i = ch.tried_begin; i < ch.tried_end; ++i)
        tried.push_back(std::move(tried_by[ch.later][i]));
    first_placement_only(tried);
    collector.interleave(std::move(later), std::move(all));
    return tried;
  }
  // Some slice may be seen from many nodes: two fixed halves, the second's facts merged
  // into the first's (Collector::absorb).
  const size_t half = nodes.size() / 2;
  std::vector<Tried> tried, tried_later;
  on_two_threads([&](bool is_later) {
    if (is_later) {
      tried_later = run(*second, later, half, nodes.size());
      second.reset();
    } else {
      tried = run(allocator, collector, 0, half);
    }
  });
  for (Tried& x : tried_later) tried.push_back(std::move(x));
  first_placement_only(tried);
  collector.absorb(std::move(later));
  return tried;
}

namespace {

// Who made `c` for `pod`, if the control plane did (ClaimExplanation::made_for).
std::string made_for(const k8s::ResourceClaim& c, const k8s::Pod& pod) {
  if (alloc::is_extended_claim_of(c, pod))
    return "the Pod's extended resources (made by the scheduler)";
  const std::string* entry = k8s::lookup(c.metadata.annotations, alloc::kPodClaimNameAnnotation);
  if (!entry || alloc::controller_uid(c.metadata) != pod.metadata.uid) return "";
  for (const k8s::PodResourceClaim& prc : pod.resource_claims)
    if (prc.name == *entry && prc.resource_claim_template_name)
      return fmt::format(
          "the Pod's claim {}, from ResourceClaimTemplate {} (made by the resourceclaim "
          "controller)",
          *entry, *prc.resource_claim_template_name);
  return "";
}

// "example.com/gpu: 2 (container server) -> class gpu.example.com via extendedResourceName".
std::string extended_text(const std::string& request,
                          const std::vector<alloc::ExtendedMapping>& mappings,
                          const alloc::ExtendedResourceClasses& classes) {
  std::string resource;
  std::vector<std::string> containers;
  for (const alloc::ExtendedMapping& m : mappings)
    if (m.request == request) {
      resource = m.resource;
      containers.push_back(m.container);
    }
  if (resource.empty()) return "";
  const k8s::DeviceClass* cls = classes.find(resource);
  std::string out =
      fmt::format("{} for container{} {} -> class {}", resource, containers.size() == 1 ? "" : "s",
                  fmt::join(containers, ", "), cls ? cls->metadata.name : "?");
  if (resource.starts_with(alloc::kDeviceClassResourcePrefix)) return out + " (its implicit name)";
  out += " via extendedResourceName";
  const auto all = classes.candidates(resource);
  if (all.size() > 1) {
    std::vector<std::string> others;
    for (size_t i = 1; i < all.size(); ++i) others.push_back(all[i]->metadata.name);
    out += fmt::format(" (the newest of the classes that declare it; also {})",
                       fmt::join(others, ", "));
  }
  return out;
}

}  // namespace

Result explain(const k8s::Cluster& cluster, const Target& target, const Options& options) {
  Result out;
  Explanation& ex = out.explanation;
  Context ctx{cluster, {}, 0, {}, {}, {}};
  ctx.bases.reserve(cluster.resource_slices.size());
  for (const k8s::ResourceSlice& s : cluster.resource_slices) {
    ctx.bases.try_emplace(&s, static_cast<uint32_t>(ctx.published));
    if (s.spec.node_name.value_or("").empty()) ctx.slices_on_one_node = false;
    if (!s.spec.devices.empty()) {
      ctx.slices.push_back(&s);
      ctx.starts.push_back(static_cast<uint32_t>(ctx.published));
    }
    ctx.published += s.spec.devices.size();
  }

  // The target: a Pod, or a claim (and the Pod that uses it, if one does).
  const k8s::Pod* pod = nullptr;
  const k8s::ResourceClaim* claim = nullptr;
  if (target.kind == Target::Kind::Pod) {
    for (const k8s::Pod& p : cluster.pods)
      if (p.metadata.namespace_ == target.namespace_ && p.metadata.name == target.name) pod = &p;
    if (!pod) {
      out.error = fmt::format("pod {}/{} not found", target.namespace_, target.name);
      return out;
    }
    ex.subject = "pod " + alloc::qualified_name(pod->metadata);
  } else {
    for (const k8s::ResourceClaim& c : cluster.resource_claims)
      if (c.metadata.namespace_ == target.namespace_ && c.metadata.name == target.name) claim = &c;
    if (!claim) {
      out.error = fmt::format("resourceclaim {}/{} not found", target.namespace_, target.name);
      return out;
    }
    ex.subject = "claim " + alloc::qualified_name(claim->metadata);
  }

  // Run the schedule up to the group of the target, and try that group on every node.
  alloc::ScheduleOptions so;
  so.allocator.features = options.features;
  so.allocator.max_steps = options.max_steps;
  bool found = false;
  const alloc::ExtendedResourceClasses extended_classes(cluster);
  alloc::ExtendedRouter router(cluster, extended_classes);
  so.before_group = [&](const alloc::Group& g, alloc::Allocator& allocator,
                        const alloc::NodeList& nodes) {
    ex.nodes = options.node.empty() ? nodes.size() : 1;
    const bool mine = pod ? g.pod == pod
                          : std::find(g.pending.begin(), g.pending.end(), claim) != g.pending.end();
    if (!mine) return true;
    found = true;
    if (g.pod) ex.pod = alloc::qualified_name(g.pod->metadata);
    // The claims tried: the pending ones and the claim made for extended resources.
    std::vector<const k8s::ResourceClaim*> claims = g.pending;
    if (g.extended_claim) claims.push_back(g.extended_claim);
    for (const k8s::ResourceClaim* c : claims) {
      ClaimExplanation ce;
      ce.name = alloc::qualified_name(c->metadata);
      if (g.pod) ce.made_for = made_for(*c, *g.pod);
      ex.claims.push_back(std::move(ce));
    }
    if (!g.missing.empty()) {
      if (ex.claims.empty()) {  // the claim the Pod waits for is not there at all
        ClaimExplanation ce;
        ce.name = "<not created>";
        ex.claims.push_back(std::move(ce));
      }
      for (ClaimExplanation& ce : ex.claims) {
        ce.state = ClaimExplanation::State::Error;
        ce.error_kind = "missing claim";
        ce.reason = g.missing;
      }
      return false;
    }
    std::map<std::string, size_t> excluded;
    std::vector<const k8s::NodeObject*> eligible;
    for (size_t i = 0; i < nodes.size(); ++i) {
      const k8s::NodeObject& node = nodes[i];
      if (!options.node.empty() && node.metadata.name != options.node) continue;
      std::string why;
      if (!alloc::group_may_use_node(g, node, &why)) {
        ++excluded[why];
        continue;
      }
      if (g.extended_claim) {
        // Extended resources: where a device plugin serves one, the claim would differ.
        const alloc::ExtendedRouter::Route r = router.route(*g.pod, g.extended, node);
        if (!r.why.empty()) {
          ++excluded[r.why];
          continue;
        }
        if (!r.to_plugin.empty()) {
          ++excluded[fmt::format("{} is the node's device plugin's there (node allocatable)",
                                 r.to_plugin.front().first)];
          continue;
        }
      }
      eligible.push_back(&node);
    }
    Collector collector;
    std::vector<Tried> tried = sweep(ctx, allocator, claims, eligible, options, collector);
    ex.eligible = tried.size();
    for (const auto& [why, n] : excluded) ex.excluded.emplace_back(why, n);
    std::sort(ex.excluded.begin(), ex.excluded.end(),
              [](const auto& x, const auto& y) { return x.second > y.second; });

    const Tried* placed = nullptr;
    const Tried* error = nullptr;
    std::vector<std::string> fits;
    for (const Tried& t : tried) {
      if (t.outcome.kind == Outcome::Kind::Allocated) {
        if (!placed) placed = &t;
        fits.push_back(t.node->metadata.name);
      }
      if (t.outcome.kind == Outcome::Kind::Error && !error) error = &t;
    }
    for (size_t ci = 0; ci < ex.claims.size(); ++ci) {
      ClaimExplanation& ce = ex.claims[ci];
      const int claim_index = static_cast<int>(ci);
      if (error && (!placed || error < placed)) {
        ce.state = ClaimExplanation::State::Error;
        ce.error_kind = error_kind(error->outcome.error);
        ce.reason = error->outcome.error;
        if (ce.error_kind == "missing class") {
          std::vector<std::string> classes;
          for (const k8s::DeviceClass& dc : cluster.device_classes)
            classes.push_back(dc.metadata.name);
          for (const k8s::DeviceRequest& r : claims[ci]->spec.devices.requests) {
            std::vector<std::string> wanted;
            if (r.exactly) wanted.push_back(r.exactly->device_class_name);
            for (const auto& s : r.first_available) wanted.push_back(s.device_class_name);
            for (const std::string& w : wanted) {
              if (std::find(classes.begin(), classes.end(), w) != classes.end()) continue;
              std::string line = fmt::format("device class {} does not exist", w);
              const std::string close = util::did_you_mean(w, classes);
              if (!close.empty()) line += fmt::format("; did you mean {}?", close);
              ce.suggestions.push_back(std::move(line));
            }
          }
          ce.suggestions.push_back(
              classes.empty()
                  ? "the cluster has no device classes"
                  : fmt::format("device classes in the cluster: {}", fmt::join(classes, ", ")));
        }
        if (ce.error_kind == "CEL runtime error")
          ce.suggestions.push_back(guard_hint(ce.reason, cluster));
        if (ce.error_kind == "search budget exhausted")
          ce.suggestions.push_back(
              "raise the budget with --max-steps, or narrow the requests (selectors, "
              "constraints) so fewer combinations are tried");
        // What the facts say of the requests, where there are facts (validation passed).
        std::vector<std::string> ignored;
        for (const RequestAcc& a : collector.requests)
          if (a.meta.ref.claim == claim_index) {
            Verdict v;
            ce.requests.push_back(
                explain_request(ctx, a, collector, tried.size(), collector.unusable, ignored, v));
          }
        continue;
      }
      if (tried.empty()) {
        ce.reason =
            ex.excluded.empty()
                ? (options.node.empty() ? "the cluster has no nodes"
                                        : fmt::format("node {} not found", options.node))
                : fmt::format("no node is eligible for the Pod: {} ({})", ex.excluded.front().first,
                              count_of(ex.excluded.front().second, "node", "nodes"));
        ce.error_kind = ex.excluded.empty() ? "" : "pod node constraints";
        continue;
      }
      // Requests of this claim: each on its own, then constraints and the group together.
      std::map<int, bool> pool_flags;
      std::map<int, std::vector<const RequestAcc*>> by_request;
      for (const RequestAcc& a : collector.requests)
        if (a.meta.ref.claim == claim_index) by_request[a.meta.ref.request].push_back(&a);
      for (const auto& [ri, accs] : by_request) {
        std::vector<Verdict> verdicts;
        for (const RequestAcc* a : accs) {
          Verdict v;
          ce.requests.push_back(explain_request(ctx, *a, collector, tried.size(),
                                                collector.unusable, ce.suggestions, v));
          pool_flags[ri] = pool_flags[ri] || v.pools_matter;
          verdicts.push_back(std::move(v));
        }
        if (!ce.reason.empty() || placed) continue;
        const bool any_fits =
            std::any_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return v.fits; });
        if (any_fits) continue;
        if (accs.size() == 1) {
          ce.reason = verdicts.front().reason;
        } else {
          size_t best = 0;
          for (size_t i = 1; i < accs.size(); ++i)
            if (ce.requests[ce.requests.size() - accs.size() + i].best * 1.0 /
                    std::max<int64_t>(accs[i]->meta.count, 1) >
                ce.requests[ce.requests.size() - accs.size() + best].best * 1.0 /
                    std::max<int64_t>(accs[best]->meta.count, 1))
              best = i;
          ce.reason =
              fmt::format("no subrequest of request {} fits; the closest is {}: {}",
                          accs.front()->meta.name.substr(0, accs.front()->meta.name.find('/')),
                          accs[best]->meta.name, verdicts[best].reason);
        }
      }
      bool pools_matter = false;
      for (const auto& [ri2, v] : pool_flags) pools_matter = pools_matter || v;
      for (const alloc::PoolInfo& p :
           pools_matter ? collector.unusable : std::vector<alloc::PoolInfo>{})
        ce.suggestions.push_back(
            p.invalid ? fmt::format("pool {} of driver {} is invalid ({}): its devices are not "
                                    "allocated until the driver fixes it",
                                    p.pool, p.driver, p.invalid_reason)
                      : fmt::format("pool {} of driver {} is incomplete (the driver is still "
                                    "publishing its slices): its devices are not allocated until "
                                    "it is complete",
                                    p.pool, p.driver));
      if (placed) {
        ce.state = ClaimExplanation::State::AllocatedNow;
        ce.node = placed->node->metadata.name;
        ce.reason = fmt::format(
            "allocate places it on {}, the first node in name order where the {} fit{}", ce.node,
            claims.size() == 1 ? "claim's requests" : "Pod's claims",
            fits.size() > 1 ? fmt::format(" ({} more would fit too)", fits.size() - 1) : "");
        for (const std::string& n : fits)
          if (n != ce.node && ce.other_nodes.size() < 5) ce.other_nodes.push_back(n);
        ce.other_nodes_total = fits.size() - 1;
        continue;
      }
      if (!ce.reason.empty()) continue;
      // Every request finds enough devices on some node: constraints, or the requests and
      // claims together.
      const auto& constraints = claims[ci]->spec.devices.constraints;
      size_t best_node = 0, best_total = 0;
      for (size_t ni = 0; ni < tried.size(); ++ni) {
        size_t total = 0;
        for (const RequestAcc& a : collector.requests)
          if (a.meta.ref.claim == claim_index && ni < a.per_node.size())
            total += a.per_node[ni].count();
        if (total > best_total) best_total = total, best_node = ni;
      }
      for (const k8s::DeviceConstraint& dc : constraints) {
        ce.reason = constraint_reason(
            dc, constraint_values(ctx, dc, claim_index, collector.requests, best_node),
            tried[best_node].node->metadata.name);
        if (ce.reason.empty()) continue;
        // The closest nodes, as the constraint counts: the most candidates that share one
        // value (matchAttribute), or that all differ (distinctAttribute).
        std::vector<NodeCount> closest;
        for (size_t ni = 0; ni < tried.size(); ++ni) {
          const ConstraintValues cv =
              constraint_values(ctx, dc, claim_index, collector.requests, ni);
          NodeCount nc{tried[ni].node->metadata.name, 0, ""};
          if (dc.match_attribute) {
            nc.candidates = cv.largest();
            for (const auto& [v, k] : cv.values)
              if (k == nc.candidates) {
                nc.note = fmt::format("with {} {}", cv.attribute, v);
                break;
              }
          } else {
            nc.candidates = cv.values.size();
            nc.note = fmt::format("with distinct {}", cv.attribute);
          }
          if (nc.candidates) closest.push_back(std::move(nc));
        }
        std::stable_sort(
            closest.begin(), closest.end(),
            [](const NodeCount& x, const NodeCount& y) { return x.candidates > y.candidates; });
        if (closest.size() > 3) closest.resize(3);
        for (RequestExplanation& re : ce.requests) {
          const std::string base = re.name.substr(0, re.name.find('/'));
          if (dc.requests.empty() ||
              std::find(dc.requests.begin(), dc.requests.end(), base) != dc.requests.end() ||
              std::find(dc.requests.begin(), dc.requests.end(), re.name) != dc.requests.end())
            re.nearest = closest;
        }
        break;
      }
      if (!ce.reason.empty()) continue;
      const std::string node_error = [&] {
        for (const Tried& t : tried)
          if (t.outcome.kind == Outcome::Kind::FailedOnNode)
            return t.node->metadata.name + ": " + t.outcome.error;
        return std::string();
      }();
      ce.reason = !node_error.empty() ? node_error
                  : claims.size() > 1
                      ? "each request finds enough devices on some node, but no node has enough "
                        "for all of the Pod's claims at once"
                      : "each request finds enough devices on some node, but no node has enough "
                        "for all of the claim's requests at once";
    }
    // The claim made for extended resources: each request as the Pod asked for it.
    for (size_t ci = 0; ci < ex.claims.size() && ci < claims.size(); ++ci) {
      if (claims[ci] != g.extended_claim) continue;
      for (RequestExplanation& re : ex.claims[ci].requests)
        re.extended = extended_text(re.name, g.extended_mappings, extended_classes);
    }
    // Why the devices of a group placed in this run were chosen: the facts of that node.
    if (placed) {
      Collector whole;
      whole.bases = &ctx.bases;
      whole.keep_all = true;
      whole.node = placed->node->metadata.name;
      (void)allocator.allocate(*placed->node, claims, &whole);
      for (size_t ci = 0; ci < ex.claims.size(); ++ci)
        if (ci < placed->outcome.results.size())
          explain_choices(whole.all, placed->outcome.results[ci], static_cast<int>(ci),
                          ex.claims[ci]);
    }
    return false;
  };
  const alloc::Schedule before = alloc::schedule(cluster, so);
  ex.placed_before = before.placed.size();
  if (!found) ex.nodes = ex.placed_before = 0;  // nothing pending: no nodes were tried

  // Claims allocated in the dump: the target, or the Pod's other claims.
  std::vector<const k8s::ResourceClaim*> allocated;
  if (claim && claim->status.allocation) allocated.push_back(claim);
  if (pod)
    for (const k8s::PodResourceClaim& prc : pod->resource_claims) {
      const std::string* name = prc.resource_claim_name ? &*prc.resource_claim_name : nullptr;
      for (const k8s::PodResourceClaimStatus& st : pod->resource_claim_statuses)
        if (!name && st.name == prc.name && st.resource_claim_name) name = &*st.resource_claim_name;
      if (!name) continue;
      for (const k8s::ResourceClaim& c : cluster.resource_claims)
        if (c.metadata.namespace_ == pod->metadata.namespace_ && c.metadata.name == *name &&
            c.status.allocation)
          allocated.push_back(&c);
    }
  // The claim the scheduler made for the Pod's extended resources.
  if (pod && pod->extended_resource_claim_name)
    for (const k8s::ResourceClaim& c : cluster.resource_claims)
      if (c.metadata.namespace_ == pod->metadata.namespace_ &&
          c.metadata.name == *pod->extended_resource_claim_name && c.status.allocation)
        allocated.push_back(&c);
  std::optional<alloc::NodeList> nodes_of_allocated;
  if (!allocated.empty()) nodes_of_allocated.emplace(cluster);
  for (const k8s::ResourceClaim* c : allocated) {
    const alloc::NodeList& all_nodes = *nodes_of_allocated;
    ClaimExplanation ce;
    ce.name = alloc::qualified_name(c->metadata);
    if (pod) ce.made_for = made_for(*c, *pod);
    ce.state = ClaimExplanation::State::Allocated;
    // The node it is allocated for: the first that its node selector selects.
    // Without a node selector (devices every node reaches): the node of the first result's
    // slice, if it names one, else the first node.
    const k8s::NodeObject* node = nullptr;
    if (!c->status.allocation->node_selector) {
      for (const auto& r : c->status.allocation->devices.results)
        for (const k8s::ResourceSlice& s : cluster.resource_slices)
          if (!node && s.spec.driver == r.driver && s.spec.pool.name == r.pool && s.spec.node_name)
            node = all_nodes.find(*s.spec.node_name);
      if (!node && !all_nodes.empty()) node = &all_nodes[0];
    }
    for (size_t i = 0; i < all_nodes.size() && !node; ++i) {
      const auto& ns = c->status.allocation->node_selector;
      auto m = alloc::node_selector_matches(*ns, all_nodes[i].metadata.name,
                                            all_nodes[i].metadata.labels);
      if (m && *m) node = &all_nodes[i];
    }
    ce.node = node ? node->metadata.name : "";
    ce.reason = node ? fmt::format("allocated in the cluster state given, for node {}", ce.node)
                     : "allocated in the cluster state given, for a node not in it";
    if (node) {
      // The same claim, pending, against the state without its own allocation: the facts
      // of its node say why these devices (or that others would now be chosen).
      alloc::AllocatedState state;
      for (const k8s::ResourceClaim& other : cluster.resource_claims)
        if (&other != c && other.status.allocation)
          state.add(*other.status.allocation, options.features);
      alloc::Options ao;
      ao.features = options.features;
      ao.max_steps = options.max_steps;
      alloc::Allocator a(cluster, std::move(state), ao);
      k8s::ResourceClaim pending = *c;
      pending.status.allocation.reset();
      Collector whole;
      whole.bases = &ctx.bases;
      whole.keep_all = true;
      whole.node = node->metadata.name;
      const Outcome o = a.allocate(*node, {&pending}, &whole);
      explain_choices(whole.all, *c->status.allocation, 0, ce);
      if (o.kind == Outcome::Kind::Allocated && !o.results.empty()) {
        std::vector<std::string> now, then;
        for (const auto& r : o.results.front().devices.results)
          now.push_back(r.driver + "/" + r.pool + "/" + r.device);
        for (const auto& r : c->status.allocation->devices.results)
          then.push_back(r.driver + "/" + r.pool + "/" + r.device);
        if (now != then)
          ce.suggestions.push_back(fmt::format(
              "on this state the allocator would now choose {} (the cluster changed since, or "
              "another allocator chose)",
              fmt::join(now, ", ")));
      }
      // The other nodes where it would fit on this state (--node: that one only).
      for (size_t i = 0; i < all_nodes.size(); ++i) {
        const k8s::NodeObject& other = all_nodes[i];
        if (&other == node || (!options.node.empty() && other.metadata.name != options.node))
          continue;
        if (a.allocate(other, {&pending}).kind != Outcome::Kind::Allocated) continue;
        if (ce.other_nodes.size() < 5) ce.other_nodes.push_back(other.metadata.name);
        ++ce.other_nodes_total;
      }
    }
    ex.claims.push_back(std::move(ce));
  }
  if (!found && allocated.empty()) {
    if (pod && pod->resource_claims.empty()) {
      out.error =
          fmt::format("pod {} has no resource claims", alloc::qualified_name(pod->metadata));
    } else if (claim) {
      out.error = fmt::format("claim {} is neither pending nor allocated in a way allocate sees",
                              alloc::qualified_name(claim->metadata));
    } else {
      out.error = fmt::format("pod {}: its claims are not in the cluster state given",
                              alloc::qualified_name(pod->metadata));
    }
  }
  return out;
}

}  // namespace dra::explain
