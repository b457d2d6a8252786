// src/alloc/schedule.cpp -- the per-Pod allocation loop (see schedule.hpp).
#include "alloc/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "alloc/node_match.hpp"

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

const k8s::ResourceClaim* find_claim(const k8s::Cluster& c, std::string_view ns,
                                     std::string_view name) {
  for (const k8s::ResourceClaim& claim : c.resource_claims)
    if (claim.metadata.name == name && claim.metadata.namespace_ == ns) return &claim;
  return nullptr;
}

// The claim a Pod's entry refers to: by name, or the one generated from a template as the
// Pod's status records it.
const k8s::ResourceClaim* pod_claim(const k8s::Cluster& c, const k8s::Pod& pod,
                                    const k8s::PodResourceClaim& prc) {
  if (prc.resource_claim_name)
    return find_claim(c, pod.metadata.namespace_, *prc.resource_claim_name);
  for (const k8s::PodResourceClaimStatus& st : pod.resource_claim_statuses)
    if (st.name == prc.name && st.resource_claim_name)
      return find_claim(c, pod.metadata.namespace_, *st.resource_claim_name);
  return nullptr;
}

std::vector<Group> groups(const k8s::Cluster& cluster) {
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
      const k8s::ResourceClaim* claim = pod_claim(cluster, *pod, prc);
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

}  // namespace

Schedule schedule(const k8s::Cluster& cluster, const ScheduleOptions& opts) {
  Schedule out;
  const std::vector<k8s::NodeObject> nodes = cluster_nodes(cluster);
  out.nodes = nodes.size();
  Allocator allocator(cluster, allocated_state(cluster, opts.allocator.features), opts.allocator);
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
    for (const k8s::NodeObject& node : nodes) {
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
      Outcome o = allocator.allocate(node, g.pending);
      if (o.kind == Outcome::Kind::Allocated) {
        allocator.commit(o.results);
        out.placed.push_back({g.pod, node.metadata.name, g.pending, std::move(o.results)});
        placed = true;
        break;
      }
      if (o.kind == Outcome::Kind::Error) {
        failure.reason = o.error;
        failure.error = true;
        break;
      }
      if (o.kind == Outcome::Kind::FailedOnNode) node_error = node.metadata.name + ": " + o.error;
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
