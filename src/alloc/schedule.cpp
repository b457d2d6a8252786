// src/alloc/schedule.cpp -- the per-Pod allocation loop (see schedule.hpp).
#include "alloc/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "alloc/controllers.hpp"
#include "alloc/node_match.hpp"
#include "k8s/load.hpp"
#include "util/beside.hpp"
#include "util/hash.hpp"

namespace dra::alloc {

std::string qualified_name(const k8s::ObjectMeta& m) {
  return m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name;
}

NodeList::NodeList(const k8s::Cluster& cluster) {
  if (!cluster.nodes.empty()) {
    sorted_.reserve(cluster.nodes.size());
    for (const k8s::NodeObject& n : cluster.nodes) sorted_.push_back(&n);
  } else {
    std::set<std::string_view> names;
    for (const k8s::ResourceSlice& s : cluster.resource_slices) {
      if (s.spec.node_name && !s.spec.node_name->empty()) names.insert(*s.spec.node_name);
      for (const k8s::Device& d : s.spec.devices)
        if (d.node_name && !d.node_name->empty()) names.insert(*d.node_name);
    }
    for (std::string_view n : names) {
      auto node = std::make_unique<k8s::NodeObject>();
      node->metadata.name = n;
      sorted_.push_back(node.get());
      bare_.push_back(std::move(node));
    }
  }
  auto by_name = [](const auto* a, const auto* b) { return a->metadata.name < b->metadata.name; };
  if (!std::is_sorted(sorted_.begin(), sorted_.end(), by_name))  // dumps list them sorted
    std::stable_sort(sorted_.begin(), sorted_.end(), by_name);
}

const k8s::NodeObject* NodeList::find(std::string_view name) const {
  auto it =
      std::lower_bound(sorted_.begin(), sorted_.end(), name,
                       [](const auto* n, std::string_view v) { return n->metadata.name < v; });
  return it != sorted_.end() && (*it)->metadata.name == name ? *it : nullptr;
}

namespace {

// core/v1 toleration semantics (Toleration.ToleratesTaint).
bool tolerates(const k8s::Toleration& t, const k8s::Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (t.operator_ == "Exists") return t.key.empty() || t.key == taint.key;
  if (t.key != taint.key) return false;
  return (t.operator_.empty() || t.operator_ == "Equal") && t.value == taint.value;
}

}  // namespace

bool pod_fits_node(const k8s::Pod& pod, const k8s::NodeObject& node, std::string* why) {
  if (!pod.node_name.empty() && pod.node_name != node.metadata.name) {
    *why = "the Pod is bound to node " + pod.node_name;
    return false;
  }
  for (const auto& [key, value] : pod.node_selector) {
    const std::string* have = k8s::lookup(node.metadata.labels, key);
    if (!have || *have != value) {
      *why = fmt::format("node selector {}={} does not match", key, value);
      return false;
    }
  }
  if (pod.required_node_affinity) {
    auto m = node_selector_matches(*pod.required_node_affinity, node.metadata.name,
                                   node.metadata.labels);
    if (!m || !*m) {
      *why = m ? "required node affinity does not match" : "node affinity: " + m.error();
      return false;
    }
  }
  for (const k8s::Taint& taint : node.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    const bool ok = std::any_of(pod.tolerations.begin(), pod.tolerations.end(),
                                [&](const auto& t) { return tolerates(t, taint); });
    if (!ok) {
      *why = fmt::format("untolerated taint {}={}:{}", taint.key, taint.value, taint.effect);
      return false;
    }
  }
  return true;
}

namespace {

// Two names as one key ("namespace/name", "driver/pool"), viewing strings that outlive it.
struct NamePair {
  std::string_view first, second;
  bool operator==(const NamePair&) const = default;
};
struct NamePairHash {
  size_t operator()(const NamePair& k) const {
    const size_t h = std::hash<std::string_view>{}(k.first);
    return h ^
           (std::hash<std::string_view>{}(k.second) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};

// Claims by namespace and name (the first of a name wins, as a cluster has only one), with
// their position in the cluster's list. Built and searched for every Pod of a cluster, so
// kept small: a slot is 8 bytes (a tag of the hash and the claim's position), and keys are
// compared against the claims themselves only when the tags agree.
class ClaimIndex {
 public:
  explicit ClaimIndex(const k8s::Cluster& cluster) {
    claims_.reserve(cluster.resource_claims.size());
    for (const k8s::ResourceClaim& claim : cluster.resource_claims) claims_.push_back(&claim);
    size_t capacity = 16;
    while (capacity < 2 * claims_.size()) capacity <<= 1;
    slots_.assign(capacity, Slot{});
    const size_t mask = capacity - 1;
    for (size_t i = 0; i < claims_.size(); ++i) {
      const k8s::ObjectMeta& m = claims_[i]->metadata;
      const uint64_t h = hash(m.namespace_, m.name);
      for (size_t at = h & mask;; at = (at + 1) & mask) {
        Slot& slot = slots_[at];
        if (slot.position == 0) {
          slot = Slot{tag(h), static_cast<uint32_t>(i + 1)};
          break;
        }
        if (slot.tag == tag(h) && same(slot, m.namespace_, m.name)) break;  // first wins
      }
    }
  }
  struct Entry {
    const k8s::ResourceClaim* claim = nullptr;
    size_t position = 0;
  };
  std::optional<Entry> find(std::string_view ns, std::string_view name) const {
    const uint64_t h = hash(ns, name);
    const size_t mask = slots_.size() - 1;
    for (size_t at = h & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.position == 0) return std::nullopt;
      if (slot.tag == tag(h) && same(slot, ns, name))
        return Entry{claims_[slot.position - 1], slot.position - 1};
    }
  }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t position = 0;  // in the cluster's list, plus one; 0: empty
  };
  static uint64_t hash(std::string_view ns, std::string_view name) {
    util::StreamHash h;
    h.add(ns);
    h.add("/");
    h.add(name);
    return h.done();
  }
  static uint32_t tag(uint64_t h) { return static_cast<uint32_t>(h >> 32); }
  bool same(const Slot& slot, std::string_view ns, std::string_view name) const {
    const k8s::ObjectMeta& m = claims_[slot.position - 1]->metadata;
    return m.name == name && m.namespace_ == ns;
  }
  std::vector<const k8s::ResourceClaim*> claims_;
  std::vector<Slot> slots_;
};

// The claim a Pod's entry refers to: by name, or the one generated from a template as the
// Pod's status records it (resourceclaim.Name). `not_needed`: the status says no claim was
// needed (an entry without a resourceClaimName).
std::optional<ClaimIndex::Entry> pod_claim(const ClaimIndex& index, const k8s::Pod& pod,
                                           const k8s::PodResourceClaim& prc, bool& not_needed) {
  not_needed = false;
  if (prc.resource_claim_name) return index.find(pod.metadata.namespace_, *prc.resource_claim_name);
  for (const k8s::PodResourceClaimStatus& st : pod.resource_claim_statuses)
    if (st.name == prc.name) {
      if (!st.resource_claim_name) {
        not_needed = true;
        return std::nullopt;
      }
      return index.find(pod.metadata.namespace_, *st.resource_claim_name);
    }
  return std::nullopt;
}

// Why a Pod's entry has no claim, in upstream's words where it has them.
std::string missing_claim(const k8s::Cluster& cluster, const k8s::Pod& pod,
                          const k8s::PodResourceClaim& prc) {
  const std::string& ns = pod.metadata.namespace_;
  if (prc.resource_claim_name)
    return fmt::format("could not find ResourceClaim \"{}/{}\"", ns, *prc.resource_claim_name);
  if (!prc.resource_claim_template_name)
    return fmt::format(
        "pod \"{}/{}\", spec.resourceClaim \"{}\": none of the supported fields "
        "are set",
        ns, pod.metadata.name, prc.name);
  for (const k8s::PodResourceClaimStatus& st : pod.resource_claim_statuses)
    if (st.name == prc.name && st.resource_claim_name)
      return fmt::format("could not find ResourceClaim \"{}/{}\" (claim {} from template {})", ns,
                         *st.resource_claim_name, prc.name, *prc.resource_claim_template_name);
  const bool has_template = std::any_of(
      cluster.resource_claim_templates.begin(), cluster.resource_claim_templates.end(),
      [&](const auto& t) {
        return t.metadata.namespace_ == ns && t.metadata.name == *prc.resource_claim_template_name;
      });
  if (!has_template)
    return fmt::format(
        "resource claim template \"{}\" not found in namespace {}: the "
        "resourceclaim controller cannot create claim {}",
        *prc.resource_claim_template_name, ns, prc.name);
  return fmt::format("pod \"{}/{}\": ResourceClaim not created yet (claim {} from template {})", ns,
                     pod.metadata.name, prc.name, *prc.resource_claim_template_name);
}

// The groups in schedule order, one at a time (a run that stops early, as explain's does,
// reads only the Pods up to there): each Pod with pending claims, in order, then each
// pending claim no Pod references.
class Groups {
 public:
  Groups(const k8s::Cluster& cluster, const ExtendedResourceClasses& classes)
      : cluster_(cluster),
        classes_(classes),
        index_(cluster),
        referenced_(cluster.resource_claims.size()) {
    for (size_t i = 0; i < cluster.resource_claims.size(); ++i) {
      const k8s::ResourceClaim& c = cluster.resource_claims[i];
      if (k8s::lookup(c.metadata.annotations, kExtendedResourceClaimAnnotation))
        extended_claims_[extended_key(c.metadata.namespace_, controller_uid(c.metadata))].push_back(
            i);
    }
    pods_.reserve(cluster.pods.size());
    for (const k8s::Pod& p : cluster.pods)
      if (p.phase != "Succeeded" && p.phase != "Failed") pods_.push_back(&p);
    const bool timestamps = std::all_of(pods_.begin(), pods_.end(), [](const k8s::Pod* p) {
      return !p->metadata.creation_timestamp.empty();
    });
    auto earlier = [](const k8s::Pod* a, const k8s::Pod* b) {
      return a->metadata.creation_timestamp < b->metadata.creation_timestamp;
    };
    if (timestamps && !std::is_sorted(pods_.begin(), pods_.end(), earlier))
      std::stable_sort(pods_.begin(), pods_.end(), earlier);
  }

  bool has_claim(std::string_view ns, std::string_view name) const {
    return index_.find(ns, name).has_value();
  }

  // The next group; false when there are no more.
  bool next(Group& g) {
    while (pod_ < pods_.size()) {
      const k8s::Pod* pod = pods_[pod_++];
      g = Group{};
      for (const k8s::PodResourceClaim& prc : pod->resource_claims) {
        bool not_needed = false;
        const std::optional<ClaimIndex::Entry> entry = pod_claim(index_, *pod, prc, not_needed);
        if (not_needed) continue;
        if (!entry) {
          if (g.missing.empty()) g.missing = missing_claim(cluster_, *pod, prc);
          continue;
        }
        referenced_[entry->position] = true;  // counted for every claim, allocated or not
        const k8s::ResourceClaim* claim = entry->claim;
        (claim->status.allocation ? g.allocated : g.pending).push_back(claim);
      }
      if (pod->node_name.empty()) extended(*pod, g);
      // A Pod that waits for a claim is pending too, unless it runs already.
      if (g.pending.empty() && g.extended.empty() && (g.missing.empty() || !pod->node_name.empty()))
        continue;
      g.pod = pod;
      return true;
    }
    // Every Pod is read: the claims none of them references.
    const auto& claims = cluster_.resource_claims;
    while (claim_ < claims.size()) {
      const size_t i = claim_++;
      if (claims[i].status.allocation || referenced_[i]) continue;
      g = Group{};
      g.pending.push_back(&claims[i]);
      return true;
    }
    return false;
  }

 private:
  // The Pod's extended resources, when a class serves one of them and the scheduler has not
  // made its claim yet (a claim it made and allocated counts as the Pod's allocated claim).
  void extended(const k8s::Pod& pod, Group& g) {
    std::vector<std::string> names = extended_requests(pod);
    if (std::none_of(names.begin(), names.end(),
                     [&](const std::string& n) { return classes_.find(n) != nullptr; }))
      return;
    const auto of_pod =
        extended_claims_.find(extended_key(pod.metadata.namespace_, pod.metadata.uid));
    if (of_pod != extended_claims_.end())
      for (size_t i : of_pod->second) {
        const k8s::ResourceClaim& c = cluster_.resource_claims[i];
        if (!is_extended_claim_of(c, pod)) continue;
        referenced_[i] = true;
        if (c.status.allocation) {
          g.allocated.push_back(&c);
        } else if (g.missing.empty()) {
          g.missing = fmt::format(
              "cannot schedule extended resource claim {}/{}: it exists "
              "unallocated; the scheduler deletes it and tries again",
              c.metadata.namespace_, c.metadata.name);
        }
        return;
      }
    g.extended = std::move(names);
  }

  const k8s::Cluster& cluster_;
  const ExtendedResourceClasses& classes_;
  // Where a claim the scheduler made for a Pod's extended resources can be: the Pod's
  // namespace and uid, which is_extended_claim_of() compares with the claim's namespace and
  // controller. Positions of the claims with the annotation, in order, by those two.
  static std::string extended_key(std::string_view ns, std::string_view uid) {
    return fmt::format("{}/{}", ns, uid);
  }
  std::unordered_map<std::string, std::vector<size_t>> extended_claims_;
  const ClaimIndex index_;
  std::vector<const k8s::Pod*> pods_;
  std::vector<bool> referenced_;
  size_t pod_ = 0, claim_ = 0;
};

bool wanted(const Group& g, const ScheduleOptions& opts,
            const std::unordered_set<std::string>& pods) {
  if (!opts.pods.empty()) {
    if (!g.pod) return false;
    if (!pods.count(qualified_name(g.pod->metadata))) return false;
  }
  if (!opts.claims.empty()) {
    const bool any = std::any_of(g.pending.begin(), g.pending.end(), [&](const auto* c) {
      const std::string name = qualified_name(c->metadata);
      return std::find(opts.claims.begin(), opts.claims.end(), name) != opts.claims.end();
    });
    if (!any) return false;
  }
  return true;
}

// Remembers which groups of claims did not fit on which nodes, so that the next group with
// the same claims skips those nodes instead of searching again: what keeps the cost per
// claim flat while a cluster fills. A failure stays valid until something is allocated from
// a pool the node sees: a pool local to a node changes only that node's epoch; any other
// pool (network-attached, per-device or all-nodes) changes every node's.
class FailureCache {
 public:
  FailureCache(const k8s::Cluster& cluster, const NodeList& nodes) {
    node_index_.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) node_index_.emplace(nodes[i].metadata.name, i);
    epochs_.assign(nodes.size(), 0);
    pool_node_.reserve(cluster.resource_slices.size());
    for (const k8s::ResourceSlice& s : cluster.resource_slices) {
      const std::string_view node = s.spec.node_name ? *s.spec.node_name : std::string_view();
      auto [it, fresh] = pool_node_.emplace(NamePair{s.spec.driver, s.spec.pool.name}, node);
      if (!fresh && it->second != node) it->second = {};
    }
  }

  // What is known of one set of claim specs: per node, the epoch a failure was seen at plus
  // one; and `start`, before which every node is known to fail (so a scan can begin there).
  struct Known {
    std::vector<uint64_t> at;
    size_t start = 0;
  };
  // Groups whose claims have equal specs (==, by content) decide alike.
  Known& known(const std::vector<const k8s::ResourceClaim*>& claims) {
    std::vector<Entry>& bucket = known_[hash(claims)];
    for (Entry& e : bucket)
      if (std::equal(e.specs.begin(), e.specs.end(), claims.begin(), claims.end(),
                     [](const auto* spec, const auto* claim) { return *spec == claim->spec; }))
        return *e.known;
    Entry& e = bucket.emplace_back();
    for (const k8s::ResourceClaim* c : claims) e.specs.push_back(&c->spec);
    e.known = std::make_unique<Known>();
    e.known->at.resize(epochs_.size(), 0);
    return *e.known;
  }
  bool failed(Known& k, size_t node) const {
    const bool f = k.at[node] != 0 && k.at[node] == global_ + epochs_[node] + 1;
    if (f && node == k.start) ++k.start;
    return f;
  }
  void record_failure(Known& k, size_t node) {
    k.at[node] = global_ + epochs_[node] + 1;
    if (node == k.start) ++k.start;
  }

  void committed(const std::vector<k8s::AllocationResult>& results) {
    for (const k8s::AllocationResult& r : results)
      for (const k8s::DeviceRequestAllocationResult& d : r.devices.results) {
        auto p = pool_node_.find(NamePair{d.driver, d.pool});
        auto n = p == pool_node_.end() || p->second.empty() ? node_index_.end()
                                                            : node_index_.find(p->second);
        if (n == node_index_.end()) {
          ++global_;
          for (auto& [_, bucket] : known_)
            for (Entry& e : bucket) e.known->start = 0;
        } else {
          ++epochs_[n->second];
          for (auto& [_, bucket] : known_)
            for (Entry& e : bucket) e.known->start = std::min(e.known->start, n->second);
        }
      }
  }

 private:
  // Views of the cluster's strings; pools by driver and name.
  std::unordered_map<std::string_view, size_t> node_index_;
  std::unordered_map<NamePair, std::string_view, NamePairHash> pool_node_;  // "": not one node's
  std::vector<uint64_t> epochs_;
  uint64_t global_ = 0;
  // A hash of what tells claims apart most often; equal specs hash alike.
  static size_t hash(const std::vector<const k8s::ResourceClaim*>& claims) {
    size_t h = claims.size();
    auto mix = [&](std::string_view v) {
      h = h * 0x100000001b3ULL ^ std::hash<std::string_view>{}(v);
    };
    for (const k8s::ResourceClaim* c : claims)
      for (const k8s::DeviceRequest& r : c->spec.devices.requests) {
        mix(r.name);
        if (r.exactly) {
          mix(r.exactly->device_class_name);
          h += static_cast<size_t>(r.exactly->count);
          for (const k8s::DeviceSelector& sel : r.exactly->selectors)
            if (sel.cel) mix(sel.cel->expression);
        }
        for (const k8s::DeviceSubRequest& sub : r.first_available) mix(sub.device_class_name);
      }
    return h;
  }
  struct Entry {
    std::vector<const k8s::ResourceClaimSpec*> specs;
    std::unique_ptr<Known> known;
  };
  std::unordered_map<size_t, std::vector<Entry>> known_;
};

}  // namespace

// Claims and slices from which schedule() builds its allocator on a second thread (below
// that, starting a thread costs more than the work).
constexpr size_t kBuildBesideFrom = 2048;

bool group_may_use_node(const Group& g, const k8s::NodeObject& node, std::string* why) {
  if (g.pod && !pod_fits_node(*g.pod, node, why)) return false;
  for (const k8s::ResourceClaim* c : g.allocated) {
    const auto& ns = c->status.allocation->node_selector;
    if (!ns) continue;
    auto m = node_selector_matches(*ns, node.metadata.name, node.metadata.labels);
    if (!m || !*m) {
      if (why)
        *why = "an allocated claim of the Pod (" + c->metadata.name + ") is not available there";
      return false;
    }
  }
  return true;
}

Schedule schedule(const k8s::Cluster& cluster, const ScheduleOptions& opts) {
  Schedule out;
  // The allocator, with the state the cluster's allocations hold, is built beside the node
  // list and the groups (neither reads what the other makes): on a large cluster each half
  // takes milliseconds.
  std::optional<Allocator> made;
  util::Beside build(
      [&] {
        made.emplace(cluster, allocated_state(cluster, opts.allocator.features), opts.allocator);
      },
      cluster.resource_claims.size() + cluster.resource_slices.size() >= kBuildBesideFrom);
  const NodeList nodes(cluster);
  out.nodes = nodes.size();
  std::optional<FailureCache> cache_;  // built for the first group tried on the nodes
  const ExtendedResourceClasses classes(cluster);
  ExtendedRouter router(cluster, classes);
  Groups walk(cluster, classes);
  build.join();
  Allocator& allocator = *made;
  std::unordered_set<std::string> made_names;  // names given to claims the run made
  const std::unordered_set<std::string> wanted_pods(opts.pods.begin(), opts.pods.end());
  for (Group g; walk.next(g);) {
    if (!wanted(g, opts, wanted_pods)) continue;
    Failure failure;
    failure.pod = g.pod;
    failure.claims = g.pending;
    size_t tried = 0, excluded = 0;
    std::string node_error, last_exclusion;
    bool placed = false;
    // The claims tried on a node: the pending ones, and for extended resources the claim made
    // for those that go to DRA there (one variant per set of such names).
    struct Variant {
      std::vector<const k8s::ResourceClaim*> claims;
      FailureCache::Known* known = nullptr;
      bool need_free = false;  // on a node where every device is in use they cannot fit
      const k8s::ResourceClaim* extended = nullptr;
      std::vector<ExtendedMapping> mappings;
    };
    Variant plain_variant;  // no extended resources to DRA: the common case, kept off the map
    std::map<std::vector<std::string>, Variant> variants;
    std::string extended_name;
    auto variant = [&](const ExtendedRouter::Route* route) -> Variant& {
      std::vector<std::string> key;
      if (route)
        for (const auto& [name, _] : route->to_dra) key.push_back(name);
      bool fresh = true;
      Variant* vp = &plain_variant;
      if (key.empty()) {
        fresh = plain_variant.known == nullptr;
      } else {
        auto [it, added] = variants.try_emplace(key);
        vp = &it->second;
        fresh = added;
      }
      Variant& v = *vp;
      if (!fresh) return v;
      v.claims = g.pending;
      if (!key.empty()) {
        ExtendedClaim e = extended_claim(*g.pod, route->to_dra);
        if (extended_name.empty())
          extended_name =
              generated_name(g.pod->metadata.name + "-extended-resources-",
                             qualified_name(g.pod->metadata), [&](const std::string& n) {
                               return made_names.count(g.pod->metadata.namespace_ + "/" + n) > 0 ||
                                      walk.has_claim(g.pod->metadata.namespace_, n);
                             });
        out.made->push_back(extended_claim_object(*g.pod, extended_name, std::move(e.spec)));
        v.extended = &out.made->back();
        v.mappings = std::move(e.mappings);
        v.claims.push_back(v.extended);
      }
      if (!cache_) cache_.emplace(cluster, nodes);
      v.known = &cache_->known(v.claims);
      v.need_free = allocator.need_free_device(v.claims);
      return v;
    };
    if (opts.before_group) {
      if (!g.extended.empty() && g.missing.empty()) {
        ExtendedRouter::Route all;
        for (const std::string& name : g.extended)
          if (const k8s::DeviceClass* cls = classes.find(name)) all.to_dra.emplace_back(name, cls);
        const Variant& v = variant(&all);
        g.extended_claim = v.extended;
        g.extended_mappings = v.mappings;
      }
      if (!opts.before_group(g, allocator, nodes)) break;
    }
    if (!g.missing.empty()) {
      failure.reason = g.missing;
      out.failed.push_back(std::move(failure));
      if (opts.stop_at_first_failure) break;
      continue;
    }
    // Nodes before known.start are known to fail for these claims: skipped, counted as tried
    // (with --node only that node counts). Not with extended resources: there the claims
    // differ from node to node.
    Variant* const plain = g.extended.empty() ? &variant(nullptr) : nullptr;
    const size_t first = opts.node.empty() && plain ? plain->known->start : 0;
    tried = first;
    for (size_t ni = first; ni < nodes.size(); ++ni) {
      const k8s::NodeObject& node = nodes[ni];
      if (!opts.node.empty() && node.metadata.name != opts.node) continue;
      std::string why;
      if (!group_may_use_node(g, node, &why)) {
        ++excluded;
        last_exclusion = node.metadata.name + ": " + why;
        continue;
      }
      ExtendedRouter::Route route;
      if (!g.extended.empty()) {
        route = router.route(*g.pod, g.extended, node);
        if (!route.why.empty()) {
          ++excluded;
          last_exclusion = node.metadata.name + ": " + route.why;
          continue;
        }
      }
      ++tried;
      Variant& v = plain ? *plain : variant(&route);
      if (v.claims.empty()) {  // nothing to allocate: the device plugin serves it all
        out.placed.push_back({g.pod, node.metadata.name, {}, {}, nullptr, {}});
        router.commit(node.metadata.name, route);
        placed = true;
        break;
      }
      if (cache_->failed(*v.known, ni)) continue;
      if (v.need_free && allocator.all_in_use(node.metadata.name)) {
        cache_->record_failure(*v.known, ni);
        continue;
      }
      Outcome o = allocator.allocate(node, v.claims);
      if (o.kind == Outcome::Kind::Allocated) {
        allocator.commit(o.results);
        cache_->committed(o.results);
        router.commit(node.metadata.name, route);
        if (v.extended) made_names.insert(g.pod->metadata.namespace_ + "/" + extended_name);
        out.placed.push_back(
            {g.pod, node.metadata.name, v.claims, std::move(o.results), v.extended, v.mappings});
        placed = true;
        break;
      }
      if (o.kind == Outcome::Kind::Error) {
        failure.reason = o.error;
        failure.error = true;
        break;
      }
      if (o.kind == Outcome::Kind::FailedOnNode) {
        node_error = node.metadata.name + ": " + o.error;
      } else {
        cache_->record_failure(*v.known, ni);
      }
    }
    if (placed) continue;
    if (!failure.error) {
      if (tried == 0 && excluded > 0) {
        failure.reason = fmt::format("no node is eligible for the Pod ({} excluded{}{})", excluded,
                                     excluded == 1 ? ": " : "; e.g. ", last_exclusion);
      } else if (tried == 0) {
        failure.reason = opts.node.empty() ? "the cluster has no nodes"
                                           : fmt::format("node {} not found", opts.node);
      } else {
        failure.reason =
            fmt::format("cannot allocate on any of {} node{}", tried, tried == 1 ? "" : "s");
        if (!node_error.empty()) failure.reason += " (" + node_error + ")";
        if (excluded > 0)
          failure.reason += fmt::format("; {} more excluded for the Pod ({})", excluded,
                                        excluded == 1 ? last_exclusion : "e.g. " + last_exclusion);
      }
    }
    out.failed.push_back(std::move(failure));
    if (opts.stop_at_first_failure) break;
  }
  return out;
}

}  // namespace dra::alloc

namespace dra::alloc {

k8s::ResourceClaim allocated_claim(const Placement& p, size_t i) {
  k8s::ResourceClaim c = *p.claims[i];
  c.status.allocation = p.results[i];
  c.has_status = true;
  if (p.pod) {
    k8s::ResourceClaimConsumerReference ref;
    ref.resource = "pods";
    ref.name = p.pod->metadata.name;
    ref.uid = p.pod->metadata.uid;
    c.status.reserved_for.push_back(std::move(ref));
  }
  return c;
}

}  // namespace dra::alloc

namespace dra::alloc {

bool clone_node(k8s::Cluster& cluster, const std::string& name, int copies) {
  const k8s::NodeObject* node = nullptr;
  for (const auto& n : cluster.nodes)
    if (n.metadata.name == name) node = &n;
  std::vector<const k8s::ResourceSlice*> local;
  for (const auto& s : cluster.resource_slices)
    if (s.spec.node_name.value_or("") == name) local.push_back(&s);
  if (!node && local.empty()) return false;
  const k8s::NodeObject node_copy = node ? *node : k8s::NodeObject{};
  for (int i = 1; i <= copies; ++i) {
    const std::string suffix = fmt::format("-clone-{}", i);
    const std::string new_name = name + suffix;
    if (node) {
      k8s::NodeObject n = node_copy;
      n.metadata.name = new_name;
      n.metadata.uid.clear();
      n.raw = {};  // written back from the model: apiVersion, kind, metadata
      cluster.nodes.push_back(std::move(n));
    }
    for (const k8s::ResourceSlice* s : local) {
      k8s::ResourceSlice c = *s;
      c.metadata.name += suffix;
      c.metadata.uid.clear();
      c.spec.node_name = new_name;
      c.spec.pool.name = c.spec.pool.name == name ? new_name : c.spec.pool.name + suffix;
      for (k8s::Device& d : c.spec.devices)
        if (d.node_name && *d.node_name == name) d.node_name = new_name;
      cluster.resource_slices.push_back(std::move(c));
    }
  }
  return true;
}

bool remove_node(k8s::Cluster& cluster, const std::string& name) {
  bool found = false;
  for (auto it = cluster.nodes.begin(); it != cluster.nodes.end();) {
    if (it->metadata.name == name) {
      it = cluster.nodes.erase(it);
      found = true;
    } else {
      ++it;
    }
  }
  for (auto it = cluster.resource_slices.begin(); it != cluster.resource_slices.end();) {
    if (it->spec.node_name.value_or("") == name) {
      it = cluster.resource_slices.erase(it);
      found = true;
      continue;
    }
    auto& devices = it->spec.devices;
    const size_t before = devices.size();
    std::erase_if(devices,
                  [&](const k8s::Device& d) { return d.node_name && *d.node_name == name; });
    found = found || devices.size() != before;
    ++it;
  }
  return found;
}

Fit fit(const k8s::Cluster& cluster, const k8s::ResourceClaimSpec& spec,
        const std::string& namespace_, const Options& options, int limit) {
  Fit out;
  // Copies live in a deque: the allocator keeps pointers to the claims it placed.
  std::deque<k8s::ResourceClaim> copies;
  auto next_copy = [&] {
    k8s::ResourceClaim c;
    c.metadata.name = fmt::format("fit-{}", copies.size() + 1);
    c.metadata.namespace_ = namespace_;
    c.spec = spec;
    copies.push_back(std::move(c));
    return &copies.back();
  };
  Allocator allocator(cluster, allocated_state(cluster, options.features), options);
  const k8s::ResourceClaim* claim = next_copy();
  const NodeList nodes(cluster);
  for (size_t ni = 0; ni < nodes.size(); ++ni) {
    const k8s::NodeObject& node = nodes[ni];
    int here = 0;
    while (out.total < limit) {
      Outcome o = allocator.allocate(node, {claim});
      if (o.kind == Outcome::Kind::Error) {
        out.error = o.error;
        return out;
      }
      if (o.kind != Outcome::Kind::Allocated) break;
      allocator.commit(o.results);
      ++here;
      ++out.total;
      claim = next_copy();
    }
    if (here > 0) out.per_node.emplace_back(node.metadata.name, here);
    if (out.total >= limit) {
      out.capped = true;
      break;
    }
  }
  return out;
}

Fit fit_pods(k8s::Cluster cluster, const k8s::RawJson& pod_template, const std::string& name,
             const std::string& namespace_, const Options& options, int limit) {
  Fit out;
  // The copies: a ReplicaSet of `limit` Pods, made as its controller makes them.
  k8s::Cluster copies;
  copies.files = {"<copies for fit>"};
  k8s::Workload& w = copies.workloads.emplace_back();
  w.kind = "ReplicaSet";
  w.metadata.name = name;
  w.metadata.namespace_ = namespace_;
  w.replicas = limit;
  w.pod_template = pod_template;
  std::string newest;
  for (const k8s::Pod& p : cluster.pods) newest = std::max(newest, p.metadata.creation_timestamp);
  util::Diagnostics diags;
  expand_workloads(copies, newest, diags, std::max(limit, 1));
  if (diags.has_errors()) {
    out.error = diags.to_string();
    return out;
  }
  ScheduleOptions so;
  so.allocator = options;
  so.stop_at_first_failure = true;
  for (const k8s::Pod& p : copies.pods) so.pods.push_back(qualified_name(p.metadata));
  k8s::append(cluster, std::move(copies));
  create_template_claims(cluster);
  const Schedule s = schedule(cluster, so);
  for (const Placement& p : s.placed) {
    auto it = std::find_if(out.per_node.begin(), out.per_node.end(),
                           [&](const auto& e) { return e.first == p.node; });
    if (it == out.per_node.end()) it = out.per_node.emplace(out.per_node.end(), p.node, 0);
    ++it->second;
  }
  out.total = static_cast<int>(s.placed.size());
  out.capped = out.total >= limit;
  if (!s.failed.empty()) {
    if (s.failed.front().error) out.error = s.failed.front().reason;
    out.next = s.failed.front().reason;
  }
  return out;
}

}  // namespace dra::alloc
