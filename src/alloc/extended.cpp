// src/alloc/extended.cpp -- DRA-backed extended resources (see extended.hpp).
#include "alloc/extended.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "alloc/controllers.hpp"
#include "k8s/names.hpp"

namespace dra::alloc {

namespace {

// A container's request of `resource` in whole units (AsInt64; else 0).
int64_t whole_request(const k8s::Container& c, std::string_view resource) {
  const k8s::Quantity* q = k8s::lookup(c.requests, resource);
  if (!q) return 0;
  const std::optional<int64_t> v = q->whole();
  return v && *v > 0 ? *v : 0;
}

// The place of `resource` among the names `c` requests, sorted.
size_t request_index(const k8s::Container& c, std::string_view resource) {
  size_t before = 0;
  for (const auto& [name, q] : c.requests) before += name < resource;
  return before;
}

bool newer(const k8s::DeviceClass* a, const k8s::DeviceClass* b) {
  if (a->metadata.creation_timestamp != b->metadata.creation_timestamp)
    return a->metadata.creation_timestamp > b->metadata.creation_timestamp;
  return a->metadata.name < b->metadata.name;
}

}  // namespace

bool is_extended_resource_name(std::string_view name) {
  // Native names have no domain, or one in kubernetes.io.
  if (name.find('/') == std::string_view::npos) return false;
  if (name.find("kubernetes.io/") != std::string_view::npos) return false;
  if (name.starts_with("requests.")) return false;
  return k8s::qualified_name(std::string("requests.").append(name)).empty();
}

bool is_dra_extended_resource_name(std::string_view name) {
  return is_extended_resource_name(name) || name.starts_with(kDeviceClassResourcePrefix);
}

ExtendedResourceClasses::ExtendedResourceClasses(const k8s::Cluster& cluster) {
  for (const k8s::DeviceClass& c : cluster.device_classes) {
    implicit_.emplace(c.metadata.name, &c);
    if (c.spec.extended_resource_name) explicit_[*c.spec.extended_resource_name].push_back(&c);
  }
  for (auto& [_, classes] : explicit_) std::stable_sort(classes.begin(), classes.end(), newer);
}

const k8s::DeviceClass* ExtendedResourceClasses::find(std::string_view resource) const {
  if (resource.starts_with(kDeviceClassResourcePrefix)) {
    auto it = implicit_.find(resource.substr(kDeviceClassResourcePrefix.size()));
    return it == implicit_.end() ? nullptr : it->second;
  }
  auto it = explicit_.find(std::string(resource));
  return it == explicit_.end() ? nullptr : it->second.front();
}

std::vector<const k8s::DeviceClass*> ExtendedResourceClasses::candidates(
    std::string_view resource) const {
  auto it = explicit_.find(std::string(resource));
  if (it != explicit_.end()) return it->second;
  const k8s::DeviceClass* c = find(resource);
  return c ? std::vector<const k8s::DeviceClass*>{c} : std::vector<const k8s::DeviceClass*>{};
}

ExtendedRouter::Route ExtendedRouter::route(const k8s::Pod& pod,
                                            const std::vector<std::string>& names,
                                            const k8s::NodeObject& node) {
  Route r;
  for (const std::string& name : names) {
    const k8s::Quantity* q = k8s::lookup(node.allocatable, name);
    const int64_t allocatable = q ? std::max<int64_t>(q->value(), 0) : 0;
    const k8s::DeviceClass* cls = classes_.find(name);
    if (cls && allocatable == 0) {
      r.to_dra.emplace_back(name, cls);
      continue;
    }
    const int64_t need = pod_request(pod, name);
    if (allocatable == 0) {
      r.why = fmt::format("Insufficient {} (no DeviceClass serves it and the node has none)", name);
      return r;
    }
    const int64_t used = in_use(node.metadata.name, name);
    if (need > allocatable - used) {
      r.why = fmt::format(
          "Insufficient {} (the node's device plugin has {}, {} in use, the Pod needs {})", name,
          allocatable, used, need);
      return r;
    }
    r.to_plugin.emplace_back(name, need);
  }
  return r;
}

void ExtendedRouter::commit(const std::string& node, const Route& r) {
  if (r.to_plugin.empty()) return;
  auto& used = usage()[node];
  for (const auto& [name, n] : r.to_plugin) used[name] += n;
}

ExtendedRouter::Usage& ExtendedRouter::usage() {
  if (!usage_) {
    usage_.emplace();
    for (const k8s::Pod& p : cluster_.pods) {
      if (p.node_name.empty() || p.phase == "Succeeded" || p.phase == "Failed") continue;
      for (const std::string& name : extended_requests(p))
        (*usage_)[p.node_name][name] += pod_request(p, name);
    }
  }
  return *usage_;
}
int64_t ExtendedRouter::in_use(const std::string& node, const std::string& name) {
  auto& u = usage();
  auto n = u.find(node);
  if (n == u.end()) return 0;
  auto r = n->second.find(name);
  return r == n->second.end() ? 0 : r->second;
}

int64_t pod_request(const k8s::Pod& pod, std::string_view resource) {
  int64_t total = 0, sidecars = 0, init_peak = 0;
  for (const k8s::Container& c : pod.containers) {
    const int64_t q = whole_request(c, resource);
    if (!c.init) {
      total += q;
    } else if (c.sidecar) {
      total += q;
      sidecars += q;
      init_peak = std::max(init_peak, sidecars);
    } else {
      init_peak = std::max(init_peak, q + sidecars);
    }
  }
  return std::max(total, init_peak);
}

std::vector<std::string> extended_requests(const k8s::Pod& pod) {
  std::vector<std::string> names;
  for (const k8s::Container& c : pod.containers)
    for (const auto& [name, q] : c.requests)
      if (is_dra_extended_resource_name(name) &&
          std::find(names.begin(), names.end(), name) == names.end() && pod_request(pod, name) > 0)
        names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

ExtendedClaim extended_claim(
    const k8s::Pod& pod,
    const std::vector<std::pair<std::string, const k8s::DeviceClass*>>& to_dra) {
  ExtendedClaim out;
  auto add_request = [&](const std::string& name, const k8s::DeviceClass* cls, int64_t count) {
    k8s::DeviceRequest r;
    r.name = name;
    r.exactly.emplace();
    r.exactly->device_class_name = cls->metadata.name;
    r.exactly->allocation_mode = "ExactCount";
    r.exactly->count = count;
    out.spec.devices.requests.push_back(std::move(r));
  };
  const auto& containers = pod.containers;
  for (const auto& [resource, cls] : to_dra) {
    struct LongLived {
      size_t index;
      std::string request;
      int64_t count;
    };
    std::vector<LongLived> long_lived;
    for (size_t i = 0; i < containers.size(); ++i) {
      const k8s::Container& c = containers[i];
      const int64_t q = whole_request(c, resource);
      if ((c.init && !c.sidecar) || q == 0) continue;
      const std::string name =
          fmt::format("container-{}-request-{}", i, request_index(c, resource));
      add_request(name, cls, q);
      out.mappings.push_back({c.name, resource, name});
      long_lived.push_back({i, name, q});
    }
    // Plain init containers run before the containers after them start: they reuse those
    // devices, and one request (the largest they need) serves them all, as they run in turn.
    std::vector<ExtendedMapping> init_mappings;
    std::vector<size_t> own;  // init_mappings entries that name an init container's own request
    std::string best;
    int64_t best_count = 0;
    for (size_t i = 0; i < containers.size(); ++i) {
      const k8s::Container& c = containers[i];
      const int64_t q = whole_request(c, resource);
      if (!c.init || c.sidecar || q == 0) continue;
      int64_t reused = 0;
      for (const LongLived& l : long_lived) {
        if (l.index < i) continue;
        if (reused >= q) break;
        reused += l.count;
        init_mappings.push_back({c.name, resource, l.request});
      }
      if (reused >= q) continue;
      const std::string name =
          fmt::format("container-{}-request-{}", i, request_index(c, resource));
      own.push_back(init_mappings.size());
      init_mappings.push_back({c.name, resource, name});
      if (q - reused > best_count) {
        best_count = q - reused;
        best = name;
      }
    }
    if (!best.empty()) {
      add_request(best, cls, best_count);
      for (size_t m : own) init_mappings[m].request = best;
    }
    out.mappings.insert(out.mappings.end(), init_mappings.begin(), init_mappings.end());
  }
  std::stable_sort(out.spec.devices.requests.begin(), out.spec.devices.requests.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

k8s::ResourceClaim extended_claim_object(const k8s::Pod& pod, std::string name,
                                         k8s::ResourceClaimSpec spec) {
  k8s::ResourceClaim c;
  c.metadata.name = std::move(name);
  c.metadata.generate_name = pod.metadata.name + "-extended-resources-";
  c.metadata.namespace_ = pod.metadata.namespace_;
  c.metadata.annotations.emplace_back(kExtendedResourceClaimAnnotation, "true");
  c.metadata.origin.extras.push_back({"ownerReferences", pod_controller_references(pod)});
  c.spec = std::move(spec);
  c.source.api_version = "resource.k8s.io/v1";
  return c;
}

k8s::Value extended_claim_status(const std::string& claim_name,
                                 const std::vector<ExtendedMapping>& mappings) {
  k8s::Value list = k8s::Value::list();
  for (const ExtendedMapping& m : mappings) {
    k8s::Value e = k8s::Value::map();
    e.add("containerName", k8s::Value::of(m.container));
    e.add("resourceName", k8s::Value::of(m.resource));
    e.add("requestName", k8s::Value::of(m.request));
    list.items.push_back(std::move(e));
  }
  k8s::Value v = k8s::Value::map();
  v.add("requestMappings", std::move(list));
  v.add("resourceClaimName", k8s::Value::of(claim_name));
  return v;
}

bool is_extended_claim_of(const k8s::ResourceClaim& claim, const k8s::Pod& pod) {
  const std::string* a = k8s::lookup(claim.metadata.annotations, kExtendedResourceClaimAnnotation);
  return a && *a == "true" && claim.metadata.namespace_ == pod.metadata.namespace_ &&
         !pod.metadata.uid.empty() && controller_uid(claim.metadata) == pod.metadata.uid;
}

}  // namespace dra::alloc
