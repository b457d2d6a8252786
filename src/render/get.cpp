// src/render/get.cpp -- tables, names, YAML and JSON for `kubectl dra get`.
#include "render/get.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "render/table.hpp"

namespace dra::render {
namespace {

using k8s::Value;

// An attribute name as users read it: bare when it is in the driver's own domain.
std::string short_name(std::string_view qualified, std::string_view driver) {
  if (qualified.size() > driver.size() + 1 && qualified.starts_with(driver) &&
      qualified[driver.size()] == '/')
    return std::string(qualified.substr(driver.size() + 1));
  return std::string(qualified);
}

Value attribute_value(const k8s::DeviceAttribute& a) {
  using T = k8s::DeviceAttribute::Type;
  switch (a.type) {
    case T::Int:
      return Value::of(a.int_value());
    case T::Bool:
      return Value::of(a.bool_value());
    case T::String:
    case T::Version:
      return Value::of(a.text().str());
    case T::Ints: {
      Value l = Value::list();
      for (int64_t i : a.ints()) l.items.push_back(Value::of(i));
      return l;
    }
    case T::Bools: {
      Value l = Value::list();
      for (bool b : a.bools()) l.items.push_back(Value::of(b));
      return l;
    }
    case T::Strings:
    case T::Versions: {
      Value l = Value::list();
      for (const auto& s : a.strings()) l.items.push_back(Value::of(s));
      return l;
    }
    case T::None:
      break;
  }
  return Value::null();
}

// The attributes a table shows by default: what identifies a device to a person.
std::string key_attributes(const alloc::DeviceRef& d) {
  static constexpr std::string_view kPreferred[] = {"type", "model", "profile", "ifName",
                                                    "resource.kubernetes.io/pcieRoot"};
  std::vector<std::string> parts;
  for (std::string_view want : kPreferred) {
    if (const auto* a = d.device->attribute(want, d.driver()))
      parts.push_back(
          fmt::format("{}={}", short_name(want, "resource.kubernetes.io"), k8s::to_text(*a)));
    if (parts.size() == 3) break;
  }
  if (parts.empty())  // nothing familiar: the first two as published
    for (const auto& [name, a] : d.device->attributes) {
      parts.push_back(fmt::format("{}={}", short_name(name, d.driver()), k8s::to_text(a)));
      if (parts.size() == 2) break;
    }
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s.empty() ? "<none>" : s;
}

std::string all_attributes(const alloc::DeviceRef& d) {
  std::string s;
  for (const auto& [name, a] : d.device->attributes)
    s +=
        fmt::format("{}{}={}", s.empty() ? "" : ",", short_name(name, d.driver()), k8s::to_text(a));
  return s.empty() ? "<none>" : s;
}

std::string capacities(const alloc::DeviceRef& d) {
  std::string s;
  for (const auto& [name, c] : d.device->capacity)
    s += fmt::format("{}{}={}", s.empty() ? "" : ",", short_name(name, d.driver()),
                     c.value.to_string());
  return s.empty() ? "<none>" : s;
}

std::string counters_consumed(const alloc::DeviceRef& d) {
  std::string s;
  for (const auto& c : d.device->consumes_counters)
    for (const auto& [name, counter] : c.counters)
      s += fmt::format("{}{}/{}={}", s.empty() ? "" : ",", c.counter_set, name,
                       counter.value.to_string());
  return s.empty() ? "<none>" : s;
}

std::string taints(const alloc::DeviceRef& d) {
  std::string s;
  for (const auto& t : d.device->taints)
    s += fmt::format("{}{}{}{}:{}", s.empty() ? "" : ",", t.key, t.value.empty() ? "" : "=",
                     t.value, t.effect);
  return s.empty() ? "<none>" : s;
}

std::string claim_id(const k8s::ResourceClaim& c) {
  return fmt::format("{}/{}", c.metadata.namespace_, c.metadata.name);
}

void print_yaml_or_json(const Value& v, OutputFormat format, std::ostream& out) {
  out << (format == OutputFormat::Json ? k8s::to_json(v) : k8s::to_yaml(v));
}

// kubectl prints one object as itself and several as a List.
void print_objects(std::vector<Value> items, OutputFormat format, std::ostream& out) {
  if (items.size() == 1) return print_yaml_or_json(items.front(), format, out);
  Value list = Value::map();
  list.add("apiVersion", Value::of("v1"));
  Value arr = Value::list();
  arr.items = std::move(items);
  list.add("items", std::move(arr));
  list.add("kind", Value::of("List"));
  Value meta = Value::map();
  meta.add("resourceVersion", Value::of(""));
  list.add("metadata", std::move(meta));
  print_yaml_or_json(list, format, out);
}

}  // namespace

std::string reach_text(const alloc::Reach& r) {
  switch (r.kind) {
    case alloc::Reach::Kind::Node:
      return r.node;
    case alloc::Reach::Kind::AllNodes:
      return "<all-nodes>";
    case alloc::Reach::Kind::Selector:
      return "<selector>";
    case alloc::Reach::Kind::Unknown:
      break;
  }
  return "<none>";
}

std::string device_state(const alloc::DeviceRef& d, const alloc::Inventory& inv,
                         const std::vector<alloc::CounterUse>* counters) {
  const auto* holders = inv.holders_of(d);
  if (!holders || holders->empty()) {
    if (counters && !alloc::counters_fit(d, *counters)) return "unavailable (counters in use)";
    return "free";
  }
  std::vector<const alloc::Holder*> normal;
  for (const auto& h : *holders)
    if (!h.admin_access()) normal.push_back(&h);
  if (normal.empty())
    return holders->size() == 1
               ? fmt::format("admin access by {}", claim_id(*holders->front().claim))
               : fmt::format("admin access by {} claims", holders->size());
  if (normal.size() == 1) return fmt::format("allocated to {}", claim_id(*normal.front()->claim));
  std::set<const k8s::ResourceClaim*> distinct;
  for (const auto* h : normal) distinct.insert(h->claim);
  return fmt::format("shared by {} claims", distinct.size());
}

std::string request_summary(const k8s::DeviceClaim& claim) {
  auto one = [](const std::string& cls, const std::string& mode, int64_t count) {
    if (mode == "All") return cls + ":all";
    if (count > 1) return fmt::format("{}:{}", cls, count);
    return cls;
  };
  std::string s;
  for (const auto& r : claim.requests) {
    if (!s.empty()) s += ",";
    s += r.name + ":";
    if (r.exactly) {
      s += one(r.exactly->device_class_name, r.exactly->allocation_mode, r.exactly->count);
    } else {
      for (size_t i = 0; i < r.first_available.size(); ++i) {
        const auto& sub = r.first_available[i];
        s += (i ? "|" : "") + one(sub.device_class_name, sub.allocation_mode, sub.count);
      }
    }
  }
  return s.empty() ? "<none>" : s;
}

void devices(const std::vector<alloc::DeviceRef>& devs, const alloc::Inventory& inv,
             OutputFormat format, std::ostream& out) {
  // Counter use per pool, computed once.
  std::map<std::pair<std::string_view, std::string_view>, std::vector<alloc::CounterUse>> use;
  auto counters_of = [&](const alloc::DeviceRef& d) -> const std::vector<alloc::CounterUse>* {
    if (d.device->consumes_counters.empty()) return nullptr;
    auto key = std::make_pair(d.driver(), d.pool());
    auto it = use.find(key);
    if (it == use.end()) {
      const alloc::Pool* p = inv.find_pool(d.driver(), d.pool());
      it = use.emplace(key, p ? alloc::counter_use(*p, inv) : std::vector<alloc::CounterUse>{})
               .first;
    }
    return &it->second;
  };
  if (format == OutputFormat::Name) {
    for (const auto& d : devs) out << d.driver() << '/' << d.pool() << '/' << d.name() << '\n';
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    Value list = Value::list();
    for (const auto& d : devs) {
      Value v = Value::map();
      v.add("driver", Value::of(std::string(d.driver())));
      v.add("pool", Value::of(std::string(d.pool())));
      v.add("device", Value::of(std::string(d.name())));
      v.add("node", Value::of(reach_text(alloc::reach_of(d))));
      v.add("slice", Value::of(d.slice->metadata.name));
      v.add("state", Value::of(device_state(d, inv, counters_of(d))));
      if (const auto* hs = inv.holders_of(d)) {
        Value claims = Value::list();
        for (const auto& h : *hs) {
          Value c = Value::map();
          c.add("claim", Value::of(claim_id(*h.claim)));
          c.add("request", Value::of(h.result->request));
          if (h.admin_access()) c.add("adminAccess", Value::of(true));
          if (h.result->share_id) c.add("shareID", Value::of(*h.result->share_id));
          claims.items.push_back(std::move(c));
        }
        v.add("allocatedTo", std::move(claims));
      }
      Value attrs = Value::map();
      for (const auto& [name, a] : d.device->attributes) attrs.add(name.str(), attribute_value(a));
      v.add("attributes", std::move(attrs));
      Value caps = Value::map();
      for (const auto& [name, c] : d.device->capacity)
        caps.add(name.str(), Value::of(c.value.to_string()));
      v.add("capacity", std::move(caps));
      list.items.push_back(std::move(v));
    }
    Value doc = Value::map();
    doc.add("devices", std::move(list));
    print_yaml_or_json(doc, format, out);
    return;
  }
  const bool wide = format == OutputFormat::Wide;
  Table t;
  t.headers = {"NODE", "DRIVER", "POOL", "DEVICE", "STATE"};
  if (wide) {
    for (const char* h : {"ATTRIBUTES", "CAPACITY", "COUNTERS", "TAINTS"}) t.headers.push_back(h);
  } else {
    t.headers.push_back("ATTRIBUTES");
  }
  for (const auto& d : devs) {
    std::vector<std::string> row = {reach_text(alloc::reach_of(d)), std::string(d.driver()),
                                    std::string(d.pool()), std::string(d.name()),
                                    device_state(d, inv, counters_of(d))};
    if (wide) {
      row.push_back(all_attributes(d));
      row.push_back(capacities(d));
      row.push_back(counters_consumed(d));
      row.push_back(taints(d));
    } else {
      row.push_back(key_attributes(d));
    }
    t.add(std::move(row));
  }
  print(t, out);
}

namespace {

struct PoolFigures {
  size_t devices = 0, allocated = 0, free = 0, stranded = 0;
  std::string node;
  std::vector<alloc::CounterUse> counters;
};

PoolFigures figures(const alloc::Pool& p, const alloc::Inventory& inv) {
  PoolFigures f;
  f.counters = alloc::counter_use(p, inv);
  std::set<std::string> nodes;
  for (const auto& d : p.devices) {
    ++f.devices;
    nodes.insert(reach_text(alloc::reach_of(d)));
    const auto* h = inv.holders_of(d);
    if (h && !h->empty())
      ++f.allocated;
    else if (!d.device->consumes_counters.empty() && !alloc::counters_fit(d, f.counters))
      ++f.stranded;
    else
      ++f.free;
  }
  if (nodes.empty())
    for (const auto* s : p.slices)
      if (s->spec.node_name) nodes.insert(*s->spec.node_name);
  f.node = nodes.size() == 1 ? *nodes.begin() : nodes.empty() ? "<none>" : "<multiple>";
  return f;
}

std::string slices_text(const alloc::Pool& p) {
  std::string s = fmt::format("{}/{}", p.slices.size(), p.resource_slice_count);
  if (p.incomplete()) s += " incomplete";
  if (p.stale_slices) s += fmt::format(" +{} stale", p.stale_slices);
  if (p.invalid()) s += " invalid";
  return s;
}

// Per counter name, summed over the pool's counter sets: "memory=480Gi/640Gi".
std::string counters_left(const std::vector<alloc::CounterUse>& use) {
  std::vector<std::string_view> order;
  std::map<std::string_view, std::pair<k8s::Quantity, k8s::Quantity>> sum;  // left, total
  for (const auto& u : use) {
    if (!sum.count(u.counter)) order.push_back(u.counter);
    auto& [left, total] = sum[u.counter];
    k8s::Quantity l = u.total;
    if (!l.sub(u.used) || !left.add(l) || !total.add(u.total)) continue;
  }
  std::string s;
  for (const auto& name : order)
    s += fmt::format("{}{}={}/{}", s.empty() ? "" : ",", name, sum[name].first.to_string(),
                     sum[name].second.to_string());
  return s.empty() ? "<none>" : s;
}

std::string sets_untouched(const alloc::Pool& p, const std::vector<alloc::CounterUse>& use) {
  if (p.counter_sets.empty()) return "<none>";
  size_t untouched = 0;
  for (const auto* cs : p.counter_sets) {
    bool used = false;
    for (const auto& u : use)
      if (u.counter_set == cs->name && !u.used.is_zero()) used = true;
    if (!used) ++untouched;
  }
  return fmt::format("{}/{} sets unused", untouched, p.counter_sets.size());
}

}  // namespace

void pools(const std::vector<const alloc::Pool*>& list, const alloc::Inventory& inv,
           OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::Name) {
    for (const auto* p : list) out << p->driver << '/' << p->name << '\n';
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    Value items = Value::list();
    for (const auto* p : list) {
      PoolFigures f = figures(*p, inv);
      Value v = Value::map();
      v.add("driver", Value::of(p->driver));
      v.add("pool", Value::of(p->name));
      v.add("node", Value::of(f.node));
      v.add("generation", Value::of(p->generation));
      v.add("slices", Value::of(static_cast<int64_t>(p->slices.size())));
      v.add("resourceSliceCount", Value::of(p->resource_slice_count));
      v.add("staleSlices", Value::of(static_cast<int64_t>(p->stale_slices)));
      v.add("complete", Value::of(!p->incomplete()));
      if (p->invalid()) v.add("invalid", Value::of(p->invalid_reason));
      v.add("devices", Value::of(static_cast<int64_t>(f.devices)));
      v.add("allocated", Value::of(static_cast<int64_t>(f.allocated)));
      v.add("free", Value::of(static_cast<int64_t>(f.free)));
      v.add("stranded", Value::of(static_cast<int64_t>(f.stranded)));
      if (!f.counters.empty()) {
        Value cs = Value::list();
        for (const auto& u : f.counters) {
          Value c = Value::map();
          c.add("counterSet", Value::of(u.counter_set.str()));
          c.add("counter", Value::of(u.counter.str()));
          c.add("total", Value::of(u.total.to_string()));
          c.add("used", Value::of(u.used.to_string()));
          cs.items.push_back(std::move(c));
        }
        v.add("counters", std::move(cs));
      }
      items.items.push_back(std::move(v));
    }
    Value doc = Value::map();
    doc.add("pools", std::move(items));
    print_yaml_or_json(doc, format, out);
    return;
  }
  const bool wide = format == OutputFormat::Wide;
  Table t;
  t.headers = {"DRIVER",    "POOL", "NODE",     "SLICES",  "DEVICES",
               "ALLOCATED", "FREE", "STRANDED", "COUNTERS"};
  if (wide) t.headers.push_back("COUNTERS-LEFT");
  for (const auto* p : list) {
    PoolFigures f = figures(*p, inv);
    std::vector<std::string> row = {p->driver,
                                    p->name,
                                    f.node,
                                    slices_text(*p),
                                    std::to_string(f.devices),
                                    std::to_string(f.allocated),
                                    std::to_string(f.free),
                                    std::to_string(f.stranded),
                                    sets_untouched(*p, f.counters)};
    if (wide) row.push_back(counters_left(f.counters));
    t.add(std::move(row));
  }
  print(t, out);
}

void slices(const std::vector<const k8s::ResourceSlice*>& list, OutputFormat format,
            std::ostream& out) {
  if (format == OutputFormat::Name) {
    for (const auto* s : list) out << "resourceslice.resource.k8s.io/" << s->metadata.name << '\n';
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    std::vector<Value> items;
    for (const auto* s : list) items.push_back(k8s::encode(*s));
    return print_objects(std::move(items), format, out);
  }
  Table t;
  t.headers = {"NAME", "NODE", "DRIVER", "POOL", "GENERATION", "DEVICES"};
  if (format == OutputFormat::Wide) t.headers.push_back("COUNTER-SETS");
  for (const auto* s : list) {
    std::string node = s->spec.node_name                                   ? *s->spec.node_name
                       : s->spec.all_nodes.value_or(false)                 ? "<all-nodes>"
                       : s->spec.node_selector                             ? "<selector>"
                       : s->spec.per_device_node_selection.value_or(false) ? "<per-device>"
                                                                           : "<none>";
    std::vector<std::string> row = {s->metadata.name,
                                    node,
                                    s->spec.driver,
                                    s->spec.pool.name,
                                    std::to_string(s->spec.pool.generation),
                                    std::to_string(s->spec.devices.size())};
    if (format == OutputFormat::Wide) row.push_back(std::to_string(s->spec.shared_counters.size()));
    t.add(std::move(row));
  }
  print(t, out);
}

void classes(const std::vector<const k8s::DeviceClass*>& list, OutputFormat format,
             std::ostream& out) {
  if (format == OutputFormat::Name) {
    for (const auto* c : list) out << "deviceclass.resource.k8s.io/" << c->metadata.name << '\n';
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    std::vector<Value> items;
    for (const auto* c : list) items.push_back(k8s::encode(*c));
    return print_objects(std::move(items), format, out);
  }
  Table t;
  t.headers = {"NAME", "SELECTORS", "CONFIG", "EXTENDED-RESOURCE"};
  if (format == OutputFormat::Wide) t.headers.push_back("EXPRESSIONS");
  for (const auto* c : list) {
    std::vector<std::string> row = {c->metadata.name, std::to_string(c->spec.selectors.size()),
                                    std::to_string(c->spec.config.size()),
                                    c->spec.extended_resource_name.value_or("<none>")};
    if (format == OutputFormat::Wide) {
      std::string e;
      for (const auto& s : c->spec.selectors)
        if (s.cel) e += (e.empty() ? "" : " && ") + ("(" + s.cel->expression + ")");
      row.push_back(e.empty() ? "<none>" : e);
    }
    t.add(std::move(row));
  }
  print(t, out);
}

void claims(const std::vector<const k8s::ResourceClaim*>& list, OutputFormat format,
            std::ostream& out) {
  if (format == OutputFormat::Name) {
    for (const auto* c : list) out << "resourceclaim.resource.k8s.io/" << c->metadata.name << '\n';
    return;
  }
  if (format == OutputFormat::Yaml || format == OutputFormat::Json) {
    std::vector<Value> items;
    for (const auto* c : list) items.push_back(k8s::encode(*c));
    return print_objects(std::move(items), format, out);
  }
  const bool wide = format == OutputFormat::Wide;
  Table t;
  t.headers = {"NAMESPACE", "NAME", "STATE", "REQUESTS", "NODE", "DEVICES"};
  if (wide) t.headers.push_back("RESERVED-FOR");
  for (const auto* c : list) {
    const auto& alloc = c->status.allocation;
    std::string state = !alloc                           ? "pending"
                        : c->status.reserved_for.empty() ? "allocated"
                                                         : "reserved";
    std::string node = "<none>";
    if (alloc) {
      node = "<any>";
      if (alloc->node_selector) {
        node = "<selector>";
        const auto& terms = alloc->node_selector->node_selector_terms;
        if (terms.size() == 1 && terms[0].match_expressions.empty() &&
            terms[0].match_fields.size() == 1 && terms[0].match_fields[0].key == "metadata.name" &&
            terms[0].match_fields[0].operator_ == "In" &&
            terms[0].match_fields[0].values.size() == 1)
          node = terms[0].match_fields[0].values[0];
      }
    }
    std::string devs;
    if (alloc)
      for (const auto& r : alloc->devices.results)
        devs += (devs.empty() ? "" : ",") +
                (wide ? fmt::format("{}/{}/{}", r.driver, r.pool, r.device) : r.device);
    std::vector<std::string> row = {c->metadata.namespace_,
                                    c->metadata.name,
                                    state,
                                    request_summary(c->spec.devices),
                                    node,
                                    devs.empty() ? "<none>" : devs};
    if (wide) {
      std::string rf;
      for (const auto& r : c->status.reserved_for)
        rf += (rf.empty() ? "" : ",") + fmt::format("{}/{}", r.resource, r.name);
      row.push_back(rf.empty() ? "<none>" : rf);
    }
    t.add(std::move(row));
  }
  print(t, out);
}

}  // namespace dra::render
