// src/k8s/encode.cpp -- model objects to Values in v1, v1beta2 or v1beta1 shape.
//
// Every JSON object is built the same way: the encoder lists the object's fields in the
// target version's canonical order (kubernetes/api resource/<version>/types.go), each with
// whether it is written at all (the json tag's omitempty), and `object()` arranges them:
// canonical order plus unknown fields at the end, or, when writing the version the object
// was read in, the input's order from Origin::fields.
#include "k8s/encode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace dra::k8s {
namespace {

// One field of a JSON object as the target version writes it.
struct Field {
  std::string_view key;
  Value value;
  // Written whether or not the input had it. When false, `value` stands for "unset" and is
  // written only where the input had the key (`x: null`, v1beta1's `nodeName: ""`).
  bool set = false;
};
using Fields = std::vector<Field>;

Value str(std::string_view s) { return Value::of(std::string(s)); }

template <typename List>
Value strings(const List& list) {
  Value v = Value::list();
  for (const std::string& s : list) v.items.push_back(str(s));
  return v;
}

Value string_map(const StringMap& map) {
  Value v = Value::map();
  for (const auto& [key, value] : map) v.add(key, str(value));
  return v;
}

Value quantity(const Quantity& q) { return Value::of(q.to_string()); }

Value quantity_map(const std::vector<std::pair<std::string, Quantity>>& map) {
  Value v = Value::map();
  for (const auto& [key, q] : map) v.add(key, quantity(q));
  return v;
}

// ---- field builders, named for the json tag they stand for --------------------------------

// No omitempty: always written (required strings and numbers, non-pointer structs).
Field always(std::string_view key, Value v) { return {key, std::move(v), true}; }

// `string` with omitempty.
Field text(std::string_view key, const std::string& s) { return {key, str(s), !s.empty()}; }

// `int64` with omitempty.
Field number(std::string_view key, int64_t n) { return {key, Value::of(n), n != 0}; }

// `*string`, `*bool`, `*int64`, `*Quantity`.
template <typename T>
Field pointer(std::string_view key, const std::optional<T>& p) {
  if (!p) return {key, Value::null(), false};
  if constexpr (std::is_same_v<T, Quantity>) {
    return {key, quantity(*p), true};
  } else {
    return {key, Value::of(*p), true};
  }
}

// `*Struct`, written by `encode_one` (std::optional or util::Box).
template <typename Opt, typename F>
Field pointer(std::string_view key, const Opt& p, F&& encode_one) {
  if (!p) return {key, Value::null(), false};
  return {key, encode_one(*p), true};
}

// A list or map with omitempty (`[]` or `{}` where the input had the key).
// A device's taints as its slice says them: without those DeviceTaintRules add.
std::vector<DeviceTaint> written_taints(const util::ThinVec<DeviceTaint>& taints) {
  std::vector<DeviceTaint> out;
  for (const DeviceTaint& t : taints)
    if (t.rule.empty()) out.push_back(t);
  return out;
}

Field many(std::string_view key, Value v) {
  const bool set = !v.empty();
  return {key, std::move(v), set};
}

template <typename List, typename F>
Field many(std::string_view key, const List& list, F&& encode_one) {
  Value v = Value::list();
  v.items.reserve(list.size());
  for (const auto& item : list) v.items.push_back(encode_one(item));
  return many(key, std::move(v));
}

// A value kept as written (RawExtension and the like); null is unset.
Field raw(std::string_view key, const Value& v) { return {key, v, !v.is_null()}; }

bool is_basic_field(std::string_view f) {
  static constexpr std::string_view kBasic[] = {"attributes",
                                                "capacity",
                                                "consumesCounters",
                                                "nodeName",
                                                "nodeSelector",
                                                "allNodes",
                                                "taints",
                                                "bindsToNode",
                                                "bindingConditions",
                                                "bindingFailureConditions",
                                                "allowMultipleAllocations",
                                                "nodeAllocatableResources"};
  for (std::string_view b : kBasic)
    if (f == b) return true;
  return false;
}

bool is_empty(const ObjectMeta& m) {
  return m.name.empty() && m.generate_name.empty() && m.namespace_.empty() && m.uid.empty() &&
         m.resource_version.empty() && m.generation == 0 && m.creation_timestamp.empty() &&
         m.deletion_timestamp.empty() && m.labels.empty() && m.annotations.empty() &&
         m.origin.extras.empty();
}

class Encoder {
 public:
  // keep_order: the object is written in the version it was read in. typed: as Go's
  // encoding/json writes the typed object (no unknown fields, map keys sorted).
  Encoder(ApiVersion version, bool keep_order, bool typed = false)
      : version_(version), keep_order_(keep_order && !typed), typed_(typed) {}

  // apiVersion and kind, then `rest` arranged after the object's origin.
  Value top(std::string_view kind, Fields rest, const Origin& origin) const {
    Value out = Value::map();
    out.add("apiVersion", str(to_string(version_)));
    out.add("kind", str(kind));
    Value body = object(std::move(rest), origin);
    for (auto& field : body.fields) out.fields.push_back(std::move(field));
    return out;
  }

  // ---- meta/v1 and core/v1

  Value meta(const ObjectMeta& m) const {
    return object(
        {text("name", m.name), text("generateName", m.generate_name),
         text("namespace", m.namespace_), text("uid", m.uid),
         text("resourceVersion", m.resource_version), number("generation", m.generation),
         text("creationTimestamp", m.creation_timestamp),
         text("deletionTimestamp", m.deletion_timestamp), many("labels", string_map(m.labels)),
         many("annotations", string_map(m.annotations))},
        m.origin);
  }

  Value node_selector(const NodeSelector& s) const {
    return object({many("nodeSelectorTerms", s.node_selector_terms,
                        [&](const NodeSelectorTerm& t) { return term(t); })},
                  s.origin);
  }

  Value term(const NodeSelectorTerm& t) const {
    auto req = [&](const NodeSelectorRequirement& r) {
      return object({always("key", str(r.key)), always("operator", str(r.operator_)),
                     many("values", strings(r.values))},
                    r.origin);
    };
    return object({many("matchExpressions", t.match_expressions, req),
                   many("matchFields", t.match_fields, req)},
                  t.origin);
  }

  // ---- shared resource.k8s.io pieces

  Field selectors(const std::vector<DeviceSelector>& list) const {
    return many("selectors", list, [&](const DeviceSelector& s) {
      return object({pointer("cel", s.cel,
                             [&](const CELDeviceSelector& c) {
                               return object({always("expression", str(c.expression))}, c.origin);
                             })},
                    s.origin);
    });
  }

  // DeviceConfiguration is inlined into its parent: its one member is the parent's field.
  Field opaque(const DeviceConfiguration& c) const {
    return pointer("opaque", c.opaque, [&](const OpaqueDeviceConfiguration& o) {
      return object({always("driver", str(o.driver)), raw("parameters", o.parameters)}, o.origin);
    });
  }

  Value taint(const DeviceTaint& t) const {
    return object({always("key", str(t.key)), text("value", t.value),
                   always("effect", str(t.effect)), text("timeAdded", t.time_added)},
                  t.origin);
  }

  Field tolerations(const std::vector<DeviceToleration>& list) const {
    return many("tolerations", list, [&](const DeviceToleration& t) {
      return object({text("key", t.key), text("operator", t.operator_), text("value", t.value),
                     text("effect", t.effect), pointer("tolerationSeconds", t.toleration_seconds)},
                    t.origin);
    });
  }

  Field capacity_requirements(const std::optional<CapacityRequirements>& c) const {
    return pointer("capacity", c, [&](const CapacityRequirements& r) {
      Value requests = quantity_map(r.requests);
      go_map(requests);
      return object({many("requests", std::move(requests))}, r.origin);
    });
  }

  // ---- DeviceClass

  Value class_spec(const DeviceClassSpec& s) const {
    return object({selectors(s.selectors),
                   many("config", s.config,
                        [&](const DeviceClassConfiguration& c) {
                          return object({opaque(c.config)}, c.origin);
                        }),
                   pointer("extendedResourceName", s.extended_resource_name)},
                  s.origin);
  }

  // ---- ResourceSlice

  Value slice_spec(const ResourceSliceSpec& s) const {
    Field node_name = pointer("nodeName", s.node_name);
    Field all_nodes = pointer("allNodes", s.all_nodes);
    if (beta1()) {
      // Plain values in v1beta1: "" and false mean unset (conversion.go).
      node_name = {"nodeName", str(s.node_name.value_or("")),
                   s.node_name.has_value() && !s.node_name->empty()};
      all_nodes = {"allNodes", Value::of(s.all_nodes.value_or(false)), s.all_nodes.value_or(false)};
    }
    const ResourcePool& p = s.pool;
    return object(
        {always("driver", str(s.driver)),
         always("pool",
                object({always("name", str(p.name)), always("generation", Value::of(p.generation)),
                        always("resourceSliceCount", Value::of(p.resource_slice_count))},
                       p.origin)),
         std::move(node_name),
         pointer("nodeSelector", s.node_selector,
                 [&](const NodeSelector& n) { return node_selector(n); }),
         std::move(all_nodes),
         many("devices", s.devices, [&](const Device& d) { return device(d); }),
         pointer("perDeviceNodeSelection", s.per_device_node_selection),
         many("sharedCounters", s.shared_counters,
              [&](const CounterSet& c) { return counter_set(c); }),
         pointer("partitionTypeAttribute", s.partition_type_attribute),
         many("skipNodeOperations", strings(s.skip_node_operations))},
        s.origin);
  }

  Value counter_set(const CounterSet& c) const {
    return object({always("name", str(c.name)), many("counters", counters(c.counters))}, c.origin);
  }

  Value counter_consumption(const DeviceCounterConsumption& c) const {
    return object(
        {always("counterSet", str(c.counter_set)), many("counters", counters(c.counters))},
        c.origin);
  }

  Value counters(const CounterMap& map) const {
    Value v = Value::map();
    for (const auto& [name, c] : map)
      v.add(name.str(), object({always("value", quantity(c.value))}, {}, c.extras));
    go_map(v);
    return v;
  }

  static Value attribute(const DeviceAttribute& a) {
    using T = DeviceAttribute::Type;
    Value v = Value::map();
    switch (a.type) {
      case T::None:
        break;
      case T::Int:
        v.add("int", Value::of(a.int_value()));
        break;
      case T::Bool:
        v.add("bool", Value::of(a.bool_value()));
        break;
      case T::String:
      case T::Version:
        v.add(a.type == T::String ? "string" : "version", str(a.text().str()));
        break;
      case T::Ints: {
        Value& list = v.add("ints", Value::list());
        for (int64_t i : a.ints()) list.items.push_back(Value::of(i));
        break;
      }
      case T::Bools: {
        Value& list = v.add("bools", Value::list());
        for (bool b : a.bools()) list.items.push_back(Value::of(b));
        break;
      }
      case T::Strings:
      case T::Versions:
        v.add(a.type == T::Strings ? "strings" : "versions", strings(a.strings()));
        break;
    }
    return v;
  }

  Value capacity(const DeviceCapacity& c) const {
    auto policy = [&](const CapacityRequestPolicy& p) {
      Value valid = Value::list();
      for (const Quantity& q : p.valid_values) valid.items.push_back(quantity(q));
      // `default` has no omitempty upstream (a nil pointer prints null); left out when unset.
      return object({pointer("default", p.default_), many("validValues", std::move(valid)),
                     pointer("validRange", p.valid_range,
                             [&](const CapacityRequestPolicyRange& r) {
                               return object({pointer("min", r.min), pointer("max", r.max),
                                              pointer("step", r.step)},
                                             r.origin);
                             })},
                    p.origin);
    };
    return object(
        {always("value", quantity(c.value)), pointer("requestPolicy", c.request_policy, policy)},
        {}, c.extras);
  }

  // A device's fields other than its name: on the device in v1, in `basic` in v1beta1.
  Fields device_fields(const Device& d) const {
    Value attributes = Value::map();
    for (const auto& [name, a] : d.attributes) attributes.add(name.str(), attribute(a));
    Value capacities = Value::map();
    for (const auto& [name, c] : d.capacity) capacities.add(name.str(), capacity(c));
    Value allocatable = Value::map();
    for (const auto& [name, r] : d.node_allocatable_resources) {
      Value& v = allocatable.add(name, Value::map());
      if (!r.mapping.is_null()) v.add("mapping", r.mapping);
      if (!r.overhead.is_null()) v.add("overhead", r.overhead);
    }
    return {
        many("attributes", std::move(attributes)),
        many("capacity", std::move(capacities)),
        many("consumesCounters", d.consumes_counters,
             [&](const DeviceCounterConsumption& c) { return counter_consumption(c); }),
        pointer("nodeName", d.node_name),
        pointer("nodeSelector", d.node_selector,
                [&](const NodeSelector& n) { return node_selector(n); }),
        pointer("allNodes", d.all_nodes),
        many("taints", written_taints(d.taints), [&](const DeviceTaint& t) { return taint(t); }),
        pointer("bindsToNode", d.binds_to_node),
        many("bindingConditions", strings(d.binding_conditions)),
        many("bindingFailureConditions", strings(d.binding_failure_conditions)),
        pointer("allowMultipleAllocations", d.allow_multiple_allocations),
        many("nodeAllocatableResources", std::move(allocatable))};
  }

  Value device(const Device& d) const {
    if (!beta1()) {
      // v1beta1's `basic` extras belong to the device once `basic` is gone.
      Fields fields = device_fields(d);
      fields.insert(fields.begin(), always("name", str(d.name)));
      return object(std::move(fields), d.origin, &d.basic_extras);
    }
    if (!keep_order_) {
      // A v1 device's unknown fields are device fields, which v1beta1 keeps in `basic`.
      Value basic = object(device_fields(d), {}, d.basic_extras, &d.origin.extras);
      return object({always("name", str(d.name)), always("basic", std::move(basic))}, Origin{});
    }
    std::vector<FieldPos> device_order, basic_order;
    split_basic(d, device_order, basic_order);
    Value basic = object(device_fields(d), basic_order, d.basic_extras);
    return object({always("name", str(d.name)), always("basic", std::move(basic))}, device_order,
                  d.origin.extras);
  }

  // The decoder records a v1beta1 device's fields in one list: the device's own (name,
  // unknown fields) and, just before the "basic" entry, the known fields inside `basic` (and
  // basic's unknown fields, if it records those too: then the list has one nullptr entry per
  // extra of either kind). This splits them again.
  static void split_basic(const Device& d, std::vector<FieldPos>& device_order,
                          std::vector<FieldPos>& basic_order) {
    const auto& f = d.origin.fields;
    size_t nulls = 0;
    std::optional<size_t> basic_at;
    for (size_t i = 0; i < f.size(); ++i) {
      if (!f[i].field) ++nulls;
      if (f[i].field && std::string_view(f[i].field) == "basic") basic_at = i;
    }
    size_t basic_nulls =
        nulls == d.origin.extras.size() + d.basic_extras.size() ? d.basic_extras.size() : 0;
    std::vector<bool> in_basic(f.size());
    if (basic_at) {
      for (size_t i = *basic_at; i-- > 0;) {
        if (!f[i].field) {
          if (basic_nulls == 0) break;
          --basic_nulls;
        } else if (!is_basic_field(f[i].field)) {
          break;
        }
        in_basic[i] = true;
      }
    }
    bool basic_placed = basic_at.has_value();
    for (size_t i = 0; i < f.size(); ++i) {
      if (in_basic[i]) {
        basic_order.push_back(f[i]);
      } else if (f[i].field && is_basic_field(f[i].field)) {
        basic_order.push_back(f[i]);
        if (!basic_placed) device_order.push_back({"basic", f[i].pos});
        basic_placed = true;
      } else {
        device_order.push_back(f[i]);
      }
    }
  }

  // ---- ResourceClaim

  Value claim_spec(const ResourceClaimSpec& s) const {
    const DeviceClaim& d = s.devices;
    Value devices = object(
        {many("requests", d.requests, [&](const DeviceRequest& r) { return request(r); }),
         many("constraints", d.constraints,
              [&](const DeviceConstraint& c) {
                return object({many("requests", strings(c.requests)),
                               pointer("matchAttribute", c.match_attribute),
                               pointer("distinctAttribute", c.distinct_attribute)},
                              c.origin);
              }),
         many("config", d.config,
              [&](const DeviceClaimConfiguration& c) {
                return object({many("requests", strings(c.requests)), opaque(c.config)}, c.origin);
              })},
        d.origin);
    return object({always("devices", std::move(devices))}, s.origin);
  }

  Value request(const DeviceRequest& r) const {
    Field first_available = many("firstAvailable", r.first_available,
                                 [&](const DeviceSubRequest& s) { return subrequest(s); });
    if (!beta1()) {
      return object(
          {always("name", str(r.name)),
           pointer("exactly", r.exactly, [&](const ExactDeviceRequest& e) { return exact(e); }),
           std::move(first_available)},
          r.origin);
    }
    // v1beta1: the exact request's fields sit on the request (conversion.go).
    static const ExactDeviceRequest kNone;
    const ExactDeviceRequest& e = r.exactly ? *r.exactly : kNone;
    // deviceClassName has no omitempty in v1beta1; written for exact requests only, so a
    // firstAvailable request does not grow `deviceClassName: ""`.
    return object({always("name", str(r.name)),
                   {"deviceClassName", str(e.device_class_name), r.exactly.has_value()},
                   selectors(e.selectors),
                   text("allocationMode", e.allocation_mode),
                   number("count", e.count),
                   pointer("adminAccess", e.admin_access),
                   std::move(first_available),
                   tolerations(e.tolerations),
                   capacity_requirements(e.capacity)},
                  r.origin, &e.origin.extras);
  }

  Value exact(const ExactDeviceRequest& e) const {
    return object({always("deviceClassName", str(e.device_class_name)), selectors(e.selectors),
                   text("allocationMode", e.allocation_mode), number("count", e.count),
                   pointer("adminAccess", e.admin_access), tolerations(e.tolerations),
                   capacity_requirements(e.capacity)},
                  e.origin);
  }

  Value subrequest(const DeviceSubRequest& s) const {
    return object(
        {always("name", str(s.name)), always("deviceClassName", str(s.device_class_name)),
         selectors(s.selectors), text("allocationMode", s.allocation_mode),
         number("count", s.count), tolerations(s.tolerations), capacity_requirements(s.capacity)},
        s.origin);
  }

  Value claim_status(const ResourceClaimStatus& s) const {
    return object({pointer("allocation", s.allocation,
                           [&](const AllocationResult& a) { return allocation(a); }),
                   many("reservedFor", s.reserved_for,
                        [&](const ResourceClaimConsumerReference& r) {
                          return object(
                              {text("apiGroup", r.api_group), always("resource", str(r.resource)),
                               always("name", str(r.name)), always("uid", str(r.uid))},
                              r.origin);
                        }),
                   raw("devices", s.devices)},
                  s.origin);
  }

  Value allocation(const AllocationResult& a) const {
    const DeviceAllocationResult& d = a.devices;
    Value devices =
        object({many("results", d.results,
                     [&](const DeviceRequestAllocationResult& r) { return result(r); }),
                many("config", d.config,
                     [&](const DeviceAllocationConfiguration& c) {
                       return object({always("source", str(c.source)),
                                      many("requests", strings(c.requests)), opaque(c.config)},
                                     c.origin);
                     })},
               d.origin);
    return object({always("devices", std::move(devices)),
                   pointer("nodeSelector", a.node_selector,
                           [&](const NodeSelector& n) { return node_selector(n); }),
                   text("allocationTimestamp", a.allocation_timestamp)},
                  a.origin);
  }

  Value result(const DeviceRequestAllocationResult& r) const {
    return object({always("request", str(r.request)), always("driver", str(r.driver)),
                   always("pool", str(r.pool)), always("device", str(r.device)),
                   pointer("adminAccess", r.admin_access), tolerations(r.tolerations),
                   many("bindingConditions", strings(r.binding_conditions)),
                   many("bindingFailureConditions", strings(r.binding_failure_conditions)),
                   pointer("shareID", r.share_id),
                   many("consumedCapacity", quantity_map(r.consumed_capacity))},
                  r.origin);
  }

  // ---- ResourceClaimTemplate and DeviceTaintRule

  Value template_spec(const ResourceClaimTemplateSpec& s) const {
    // ObjectMeta is a struct (always written upstream); left out when empty, as users write
    // templates without it.
    return object(
        {{"metadata", meta(s.metadata), !is_empty(s.metadata)}, always("spec", claim_spec(s.spec))},
        s.origin);
  }

  Value taint_rule_spec(const DeviceTaintRuleSpec& s) const {
    return object({pointer("deviceSelector", s.device_selector,
                           [&](const DeviceTaintSelector& d) {
                             return object({pointer("driver", d.driver), pointer("pool", d.pool),
                                            pointer("device", d.device)},
                                           d.origin);
                           }),
                   always("taint", taint(s.taint))},
                  s.origin);
  }

 private:
  bool beta1() const { return version_ == ApiVersion::V1beta1; }

  Value object(Fields fields, const Origin& origin, const Extras* more = nullptr) const {
    return object(std::move(fields), origin.fields, origin.extras, more);
  }

  // Arranges one JSON object: `fields` in canonical order, `extras` (then `more`) the unknown
  // fields. In keep-order mode `order` (the input's keys; nullptr = the next extra) decides
  // the order first.
  Value object(Fields fields, const util::ThinVec<FieldPos>& order, const Extras& extras,
               const Extras* more = nullptr) const {
    Value out = Value::map();
    std::vector<bool> used(fields.size());
    auto add_field = [&](size_t i) {
      out.add(std::string(fields[i].key), std::move(fields[i].value));
      used[i] = true;
    };
    // An unknown field never hides a known one of the same name (a v1beta1 `basic` may hold
    // a `name` that the device has too).
    auto add_extra = [&](const std::pair<std::string, Value>& e) {
      for (const Field& f : fields)
        if (f.key == e.first) return;
      if (out.get(e.first)) return;
      out.add(e.first, e.second);
    };
    if (typed_) {
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].set) add_field(i);
      return out;
    }
    size_t next_extra = 0;
    // Without a recorded order (objects the tool made, capacities and counters) canonical.
    if (keep_order_ && !order.empty()) {
      for (const FieldPos& f : order) {
        if (!f.field) {
          if (next_extra < extras.size()) add_extra(extras[next_extra++]);
          continue;
        }
        for (size_t i = 0; i < fields.size(); ++i) {
          if (!used[i] && fields[i].key == f.field) {
            add_field(i);
            break;
          }
        }
      }
    } else {
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].set) add_field(i);
    }
    for (; next_extra < extras.size(); ++next_extra) add_extra(extras[next_extra]);
    if (more)
      for (const auto& e : *more) add_extra(e);
    for (size_t i = 0; i < fields.size(); ++i)
      if (!used[i] && fields[i].set) add_field(i);
    return out;
  }

  // Go's encoding/json writes a map's keys sorted.
  void go_map(Value& map) const {
    if (!typed_) return;
    std::sort(map.fields.begin(), map.fields.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  ApiVersion version_;
  bool keep_order_;
  bool typed_;
};

template <typename T>
Encoder encoder_for(const T& object, std::optional<ApiVersion> version) {
  const ApiVersion v = version.value_or(object.source.version);
  return Encoder(v, v == object.source.version);
}

// A core/v1 object the tool made: what the model knows of it.
Value core_object(std::string_view kind, const ObjectMeta& metadata) {
  Value out = Value::map();
  out.add("apiVersion", str("v1"));
  out.add("kind", str(kind));
  out.add("metadata", Encoder(ApiVersion::V1, false).meta(metadata));
  return out;
}

}  // namespace

Value encode(const DeviceClass& object, std::optional<ApiVersion> version) {
  const Encoder e = encoder_for(object, version);
  return e.top(
      "DeviceClass",
      {always("metadata", e.meta(object.metadata)), always("spec", e.class_spec(object.spec))},
      object.origin);
}

Value encode(const ResourceSlice& object, std::optional<ApiVersion> version) {
  const Encoder e = encoder_for(object, version);
  return e.top(
      "ResourceSlice",
      {always("metadata", e.meta(object.metadata)), always("spec", e.slice_spec(object.spec))},
      object.origin);
}

Value encode(const ResourceClaim& object, std::optional<ApiVersion> version) {
  const Encoder e = encoder_for(object, version);
  Value status = object.has_status ? e.claim_status(object.status) : Value::null();
  return e.top("ResourceClaim",
               {always("metadata", e.meta(object.metadata)),
                always("spec", e.claim_spec(object.spec)),
                {"status", std::move(status), object.has_status}},
               object.origin);
}

Value encode(const ResourceClaimTemplate& object, std::optional<ApiVersion> version) {
  const Encoder e = encoder_for(object, version);
  return e.top(
      "ResourceClaimTemplate",
      {always("metadata", e.meta(object.metadata)), always("spec", e.template_spec(object.spec))},
      object.origin);
}

util::Result<Value> encode(const DeviceTaintRule& object, std::optional<ApiVersion> version) {
  const Encoder e = encoder_for(object, version);
  if (version.value_or(object.source.version) == ApiVersion::V1beta1)
    return util::Error{fmt::format(
        "cannot write DeviceTaintRule {} as {}: that version has no DeviceTaintRule; use "
        "resource.k8s.io/v1 or resource.k8s.io/v1beta2",
        object.metadata.name, to_string(ApiVersion::V1beta1))};
  return e.top("DeviceTaintRule",
               {always("metadata", e.meta(object.metadata)),
                always("spec", e.taint_rule_spec(object.spec)), raw("status", object.status)},
               object.origin);
}

Value encode_v1_item(const DeviceRequest& item) {
  return Encoder(ApiVersion::V1, false, true).request(item);
}

Value encode_v1_item(const DeviceSubRequest& item) {
  return Encoder(ApiVersion::V1, false, true).subrequest(item);
}

Value encode_v1_item(const CounterSet& item) {
  return Encoder(ApiVersion::V1, false, true).counter_set(item);
}

Value encode_v1_item(const DeviceCounterConsumption& item) {
  return Encoder(ApiVersion::V1, false, true).counter_consumption(item);
}

// A core object as read. Items of a typed list (a NodeList from the API server) carry no
// kind or apiVersion of their own: they get them here, first, as kubectl prints them.
Value core_raw(const RawJson& raw, std::string_view kind) {
  Value v = raw.value();
  if (v.kind != Value::Kind::Map || v.get("kind")) return v;
  Value out = Value::map();
  out.add("apiVersion", Value::of(std::string("v1")));
  out.add("kind", Value::of(std::string(kind)));
  for (auto& f : v.fields)
    if (f.first != "apiVersion") out.add(std::move(f.first), std::move(f.second));
  return out;
}

Value encode(const NodeObject& object) {
  return object.raw.empty() ? core_object("Node", object.metadata) : core_raw(object.raw, "Node");
}

Value encode(const Pod& object) {
  return object.raw.empty() ? core_object("Pod", object.metadata) : core_raw(object.raw, "Pod");
}

Value encode(const NamespaceObject& object) {
  return object.raw.empty() ? core_object("Namespace", object.metadata)
                            : core_raw(object.raw, "Namespace");
}

}  // namespace dra::k8s
