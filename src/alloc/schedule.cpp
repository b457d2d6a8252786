// src/alloc/schedule.cpp -- the per-Pod allocation loop (see schedule.hpp).
#include "alloc/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include "alloc/node_match.hpp"
#include "k8s/emit.hpp"
#include "k8s/encode.hpp"

namespace dra::alloc {

std::string qualified_name(const k8s::ObjectMeta& m) {
  return m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name;
}

std::vector<k8s::NodeObject> cluster_nodes(const k8s::Cluster& cluster) {
  std::vector<k8s::NodeObject> nodes;
  if (!cluster.nodes.empty()) {
    nodes.assign(cluster.nodes.begin(), cluster.nodes.end());
  } else {
    std::set<std::string> names;
    for (const k8s::ResourceSlice& s : cluster.resource_slices) {
      if (s.spec.node_name && !s.spec.node_name->empty()) names.insert(*s.spec.node_name);
      for (const k8s::Device& d : s.spec.devices)
        if (d.node_name && !d.node_name->empty()) names.insert(*d.node_name);
    }
    for (const std::string& n : names) {
      k8s::NodeObject node;
      node.metadata.name = n;
      nodes.push_back(std::move(node));
    }
  }
  std::stable_sort(nodes.begin(), nodes.end(),
                   [](const auto& a, const auto& b) { return a.metadata.name < b.metadata.name; });
  return nodes;
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

struct Group {
  const k8s::Pod* pod = nullptr;
  std::vector<const k8s::ResourceClaim*> pending;
  std::vector<const k8s::ResourceClaim*> allocated;  // their node selectors restrict nodes
  std::string missing;                               // a claim the Pod names that is absent
};

// Claims by "namespace/name" (the first of a name wins, as a cluster has only one).
using ClaimIndex = std::unordered_map<std::string, const k8s::ResourceClaim*>;

const k8s::ResourceClaim* find_claim(const ClaimIndex& index, const std::string& ns,
                                     const std::string& name) {
  auto it = index.find(ns + "/" + name);
  return it == index.end() ? nullptr : it->second;
}

// The claim a Pod's entry refers to: by name, or the one generated from a template as the
// Pod's status records it.
const k8s::ResourceClaim* pod_claim(const ClaimIndex& index, const k8s::Pod& pod,
                                    const k8s::PodResourceClaim& prc) {
  if (prc.resource_claim_name)
    return find_claim(index, pod.metadata.namespace_, *prc.resource_claim_name);
  for (const k8s::PodResourceClaimStatus& st : pod.resource_claim_statuses)
    if (st.name == prc.name && st.resource_claim_name)
      return find_claim(index, pod.metadata.namespace_, *st.resource_claim_name);
  return nullptr;
}

std::vector<Group> groups(const k8s::Cluster& cluster) {
  ClaimIndex index;
  for (const k8s::ResourceClaim& claim : cluster.resource_claims)
    index.emplace(claim.metadata.namespace_ + "/" + claim.metadata.name, &claim);
  std::vector<const k8s::Pod*> pods;
  for (const k8s::Pod& p : cluster.pods)
    if (p.phase != "Succeeded" && p.phase != "Failed") pods.push_back(&p);
  const bool timestamps = std::all_of(pods.begin(), pods.end(), [](const k8s::Pod* p) {
    return !p->metadata.creation_timestamp.empty();
  });
  if (timestamps)
    std::stable_sort(pods.begin(), pods.end(), [](const k8s::Pod* a, const k8s::Pod* b) {
      return a->metadata.creation_timestamp < b->metadata.creation_timestamp;
    });
  std::vector<Group> out;
  std::set<const k8s::ResourceClaim*> referenced;
  for (const k8s::Pod* pod : pods) {
    Group g;
    g.pod = pod;
    for (const k8s::PodResourceClaim& prc : pod->resource_claims) {
      const k8s::ResourceClaim* claim = pod_claim(index, *pod, prc);
      if (!claim) {
        if (g.missing.empty())
          g.missing = prc.resource_claim_name
                          ? fmt::format("claim {}/{} does not exist", pod->metadata.namespace_,
                                        *prc.resource_claim_name)
                          : fmt::format("the claim for {} (from template {}) has not been created",
                                        prc.name, prc.resource_claim_template_name.value_or("?"));
        continue;
      }
      referenced.insert(claim);
      (claim->status.allocation ? g.allocated : g.pending).push_back(claim);
    }
    if (!g.pending.empty()) out.push_back(std::move(g));
  }
  for (const k8s::ResourceClaim& claim : cluster.resource_claims) {
    if (claim.status.allocation || referenced.count(&claim)) continue;
    Group g;
    g.pending.push_back(&claim);
    out.push_back(std::move(g));
  }
  return out;
}

bool wanted(const Group& g, const ScheduleOptions& opts) {
  if (!opts.pods.empty()) {
    if (!g.pod) return false;
    const std::string name = qualified_name(g.pod->metadata);
    if (std::find(opts.pods.begin(), opts.pods.end(), name) == opts.pods.end()) return false;
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
  FailureCache(const k8s::Cluster& cluster, const std::vector<k8s::NodeObject>& nodes) {
    for (size_t i = 0; i < nodes.size(); ++i) node_index_[nodes[i].metadata.name] = i;
    epochs_.assign(nodes.size(), 0);
    for (const k8s::ResourceSlice& s : cluster.resource_slices) {
      const std::string key = s.spec.driver + "/" + s.spec.pool.name;
      const std::string node = s.spec.node_name.value_or("");
      auto [it, fresh] = pool_node_.emplace(key, node);
      if (!fresh && it->second != node) it->second.clear();
    }
  }

  // The claims' specs: groups with equal signatures decide alike.
  static std::string signature(const std::vector<const k8s::ResourceClaim*>& claims) {
    std::string sig;
    for (const k8s::ResourceClaim* c : claims) {
      k8s::ResourceClaim bare;
      bare.spec = c->spec;
      sig += k8s::to_compact_json(k8s::encode(bare, k8s::ApiVersion::V1));
      sig += '\n';
    }
    return sig;
  }

  // What is known of one signature: per node, the epoch a failure was seen at plus one;
  // and `start`, before which every node is known to fail (so a scan can begin there).
  struct Known {
    std::vector<uint64_t> at;
    size_t start = 0;
  };
  Known& known(const std::string& sig) {
    Known& k = known_[sig];
    k.at.resize(epochs_.size(), 0);
    return k;
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
        auto p = pool_node_.find(d.driver + "/" + d.pool);
        auto n = p == pool_node_.end() || p->second.empty() ? node_index_.end()
                                                            : node_index_.find(p->second);
        if (n == node_index_.end()) {
          ++global_;
          for (auto& [_, k] : known_) k.start = 0;
        } else {
          ++epochs_[n->second];
          for (auto& [_, k] : known_) k.start = std::min(k.start, n->second);
        }
      }
  }

 private:
  std::unordered_map<std::string, size_t> node_index_;
  std::unordered_map<std::string, std::string> pool_node_;  // "" when not one node's
  std::vector<uint64_t> epochs_;
  uint64_t global_ = 0;
  std::unordered_map<std::string, Known> known_;
};

}  // namespace

Schedule schedule(const k8s::Cluster& cluster, const ScheduleOptions& opts) {
  Schedule out;
  const std::vector<k8s::NodeObject> nodes = cluster_nodes(cluster);
  out.nodes = nodes.size();
  Allocator allocator(cluster, allocated_state(cluster, opts.allocator.features), opts.allocator);
  FailureCache cache(cluster, nodes);
  for (const Group& g : groups(cluster)) {
    if (!wanted(g, opts)) continue;
    Failure failure;
    failure.pod = g.pod;
    failure.claims = g.pending;
    if (!g.missing.empty()) {
      failure.reason = g.missing;
      out.failed.push_back(std::move(failure));
      continue;
    }
    size_t tried = 0, excluded = 0;
    std::string node_error, last_exclusion;
    bool placed = false;
    FailureCache::Known& known = cache.known(FailureCache::signature(g.pending));
    // Nodes before known.start are known to fail for these claims: skipped, counted as tried
    // (with --node only that node counts).
    const size_t first = opts.node.empty() ? known.start : 0;
    tried = first;
    for (size_t ni = first; ni < nodes.size(); ++ni) {
      const k8s::NodeObject& node = nodes[ni];
      if (!opts.node.empty() && node.metadata.name != opts.node) continue;
      std::string why;
      if (g.pod && !pod_fits_node(*g.pod, node, &why)) {
        ++excluded;
        last_exclusion = node.metadata.name + ": " + why;
        continue;
      }
      bool selectors_ok = true;
      for (const k8s::ResourceClaim* c : g.allocated) {
        const auto& ns = c->status.allocation->node_selector;
        if (!ns) continue;
        auto m = node_selector_matches(*ns, node.metadata.name, node.metadata.labels);
        if (!m || !*m) selectors_ok = false;
      }
      if (!selectors_ok) {
        ++excluded;
        last_exclusion =
            node.metadata.name + ": an allocated claim of the Pod is not available there";
        continue;
      }
      ++tried;
      if (cache.failed(known, ni)) continue;
      Outcome o = allocator.allocate(node, g.pending);
      if (o.kind == Outcome::Kind::Allocated) {
        allocator.commit(o.results);
        cache.committed(o.results);
        out.placed.push_back({g.pod, node.metadata.name, g.pending, std::move(o.results)});
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
        cache.record_failure(known, ni);
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
  for (const k8s::NodeObject& node : cluster_nodes(cluster)) {
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

}  // namespace dra::alloc
