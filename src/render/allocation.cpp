// src/render/allocation.cpp -- printing allocation results (see allocation.hpp).
#include "render/allocation.hpp"

#include <fmt/format.h>

#include <map>

#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "render/table.hpp"

namespace dra::render {

k8s::Value list_of(std::vector<k8s::Value> items) {
  k8s::Value list = k8s::Value::map();
  list.add("apiVersion", k8s::Value::of("v1"));
  k8s::Value arr = k8s::Value::list();
  arr.items = std::move(items);
  list.add("items", std::move(arr));
  list.add("kind", k8s::Value::of("List"));
  k8s::Value meta = k8s::Value::map();
  meta.add("resourceVersion", k8s::Value::of(""));
  list.add("metadata", std::move(meta));
  return list;
}

std::string allocation_summary(const alloc::Schedule& s) {
  size_t pods_placed = 0, claims = 0, groups_failed = 0, pods_failed = 0;
  for (const auto& p : s.placed) {
    pods_placed += p.pod != nullptr;
    claims += p.claims.size();
  }
  for (const auto& f : s.failed) {
    ++groups_failed;
    pods_failed += f.pod != nullptr;
  }
  const size_t lone_placed = s.placed.size() - pods_placed;
  const size_t lone_failed = groups_failed - pods_failed;
  std::string out = fmt::format("{} pod{} placed", pods_placed, pods_placed == 1 ? "" : "s");
  if (lone_placed)
    out +=
        fmt::format(", {} claim{} without a pod placed", lone_placed, lone_placed == 1 ? "" : "s");
  out += fmt::format("; {} pod{} not placed", pods_failed, pods_failed == 1 ? "" : "s");
  if (lone_failed)
    out += fmt::format(", {} claim{} without a pod not placed", lone_failed,
                       lone_failed == 1 ? "" : "s");
  out += fmt::format(" ({} claim{} allocated)", claims, claims == 1 ? "" : "s");
  return out;
}

namespace {

std::string capacity_text(const k8s::DeviceRequestAllocationResult& r) {
  std::string s;
  for (const auto& [name, q] : r.consumed_capacity)
    s += fmt::format("{}{}={}", s.empty() ? "" : ",", name, q.to_string());
  return s;
}

// A request of the claim made for extended resources, as the Pod asked for it:
// "example.com/gpu (main)", with every container the request serves.
std::string extended_request(const alloc::Placement& p, const std::string& request) {
  std::string resource, containers;
  for (const alloc::ExtendedMapping& m : p.mappings) {
    if (m.request != request) continue;
    resource = m.resource;
    containers += (containers.empty() ? "" : ", ") + m.container;
  }
  return resource.empty() ? request : fmt::format("{} ({})", resource, containers);
}

}  // namespace

void allocation(const alloc::Schedule& s, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::Name) {
    for (const auto& p : s.placed)
      for (const auto* c : p.claims)
        out << "resourceclaim.resource.k8s.io/" << c->metadata.name << "\n";
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    std::vector<k8s::Value> items;
    for (const auto& p : s.placed)
      for (size_t i = 0; i < p.claims.size(); ++i)
        items.push_back(k8s::encode(alloc::allocated_claim(p, i)));
    const k8s::Value list = list_of(std::move(items));
    out << (format == OutputFormat::Json ? k8s::to_json(list) : k8s::to_yaml(list));
    return;
  }
  const bool wide = format == OutputFormat::Wide;
  Table t;
  t.headers = {"POD", "NODE", "CLAIM", "REQUEST"};
  if (wide) t.headers.push_back("DRIVER");
  t.headers.push_back("DEVICES");
  if (wide) t.headers.push_back("CAPACITY");
  for (const auto& p : s.placed) {
    const std::string pod = p.pod ? alloc::qualified_name(p.pod->metadata) : "<none>";
    if (p.claims.empty())  // extended resources all served by the node's device plugin
      t.add(wide ? std::vector<std::string>{pod, p.node, "<none>", "<none>", "", "<none>", ""}
                 : std::vector<std::string>{pod, p.node, "<none>", "<none>", "<none>"});
    for (size_t i = 0; i < p.claims.size(); ++i) {
      const std::string claim =
          p.pod && p.claims[i]->metadata.namespace_ == p.pod->metadata.namespace_
              ? p.claims[i]->metadata.name
              : alloc::qualified_name(p.claims[i]->metadata);
      // One row per request, in result order.
      std::vector<std::string> order;
      std::map<std::string, std::vector<const k8s::DeviceRequestAllocationResult*>> by_request;
      for (const auto& r : p.results[i].devices.results) {
        if (!by_request.count(r.request)) order.push_back(r.request);
        by_request[r.request].push_back(&r);
      }
      if (order.empty())
        t.add(wide ? std::vector<std::string>{pod, p.node, claim, "<none>", "", "<none>", ""}
                   : std::vector<std::string>{pod, p.node, claim, "<none>", "<none>"});
      for (const std::string& req : order) {
        std::string devices, drivers, capacity;
        for (const auto* r : by_request[req]) {
          devices += (devices.empty() ? "" : ",") + (wide ? r->pool + "/" + r->device : r->device);
          if (drivers.find(r->driver) == std::string::npos)
            drivers += (drivers.empty() ? "" : ",") + r->driver;
          if (std::string c = capacity_text(*r); !c.empty())
            capacity += (capacity.empty() ? "" : " ") + c;
        }
        std::vector<std::string> row = {pod, p.node, claim,
                                        p.claims[i] == p.extended ? extended_request(p, req) : req};
        if (wide) row.push_back(drivers);
        row.push_back(devices);
        if (wide) row.push_back(capacity.empty() ? "<none>" : capacity);
        t.add(std::move(row));
      }
    }
  }
  print(t, out);
  out << allocation_summary(s) << "\n";
}

}  // namespace dra::render
