// src/k8s/decode.cpp -- parsed nodes to model objects (see decode.hpp).
//
// Every field is read as Kubernetes' JSON decoding reads it: null means unset, a string
// field takes only strings (a YAML `yes` or `1` is a bool or a number, and the API server
// refuses those for strings too), integers must fit int64. v1beta1 is converted to the v1
// shape on the way in, as pkg/apis/resource/v1beta1/conversion.go does.
#include "k8s/decode.hpp"

#include <fmt/format.h>

#include <charconv>

#include "util/strings.hpp"

namespace dra::k8s::detail {
namespace {

class Decoder {
 public:
  explicit Decoder(DecodeContext& ctx) : ctx_(ctx) {}
  bool ok() const { return ok_; }
  bool v1beta1() const { return ctx_.source.version == ApiVersion::V1beta1; }
  bool for_lint() const { return ctx_.for_lint; }

  // ---- field paths for messages ("spec.devices[3].attributes[model]") ----
  struct Elem {
    std::string_view name;
    int64_t index = -1;  // list index, or -1
    bool map_key = false;
  };
  class Scope {
   public:
    Scope(Decoder& d, Elem e) : d_(d) { d_.path_.push_back(e); }
    ~Scope() { d_.path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Decoder& d_;
  };
  Scope key(std::string_view name) { return Scope(*this, {name}); }
  Scope index(int64_t i) { return Scope(*this, {{}, i}); }
  Scope map_key(std::string_view k) { return Scope(*this, {k, -1, true}); }

  std::string path() const {
    std::string out;
    for (const Elem& e : path_) {
      if (e.index >= 0) {
        out += fmt::format("[{}]", e.index);
      } else if (e.map_key) {
        out += fmt::format("[{}]", e.name);
      } else {
        if (!out.empty()) out += '.';
        out += e.name;
      }
    }
    return out;
  }

  void error(Pos pos, std::string message, std::string hint = {}) {
    ok_ = false;
    report(util::Severity::Error, pos, std::move(message), std::move(hint));
  }
  // A problem that does not stop the object from loading.
  void warning(Pos pos, std::string message, std::string hint = {}) {
    report(util::Severity::Warning, pos, std::move(message), std::move(hint));
  }
  void report(util::Severity severity, Pos pos, std::string message, std::string hint) {
    util::Diagnostic d;
    d.severity = severity;
    d.pos = {ctx_.file, pos.line, pos.column};
    std::string p = path();
    d.message = p.empty() ? std::move(message) : fmt::format("{}: {}", p, message);
    d.context = context_;
    d.hint = std::move(hint);
    ctx_.diags.add(std::move(d));
  }
  void set_context(std::string c) { context_ = std::move(c); }

  void type_error(const Node& v, std::string_view want) {
    std::string hint;
    if (want == "a string" && v.is_scalar())
      hint = fmt::format("quote the value: \"{}\"", util::printable(v.text));
    error(v.pos, fmt::format("expected {}, found {}", want, describe(v)), hint);
  }

  // ---- scalars ----
  void str(const Node& v, std::string& out) {
    if (v.is_null()) return;
    if (!v.is_scalar() || v.scalar_type() != ScalarType::String) return type_error(v, "a string");
    out.assign(v.text);
  }
  void str(const Node& v, util::Atom& out) {
    if (v.is_null()) return;
    if (!v.is_scalar() || v.scalar_type() != ScalarType::String) return type_error(v, "a string");
    out = util::Atom(v.text);
  }
  void opt_str(const Node& v, std::optional<std::string>& out) {
    if (v.is_null()) return;
    out.emplace();
    str(v, *out);
  }
  void i64(const Node& v, int64_t& out) {
    if (v.is_null()) return;
    if (!v.is_scalar() || v.scalar_type() != ScalarType::Int) return type_error(v, "an integer");
    if (auto i = v.int_value()) {
      out = *i;
      return;
    }
    error(v.pos, fmt::format("integer \"{}\" is out of range for int64", util::printable(v.text)));
  }
  void opt_i64(const Node& v, std::optional<int64_t>& out) {
    if (v.is_null()) return;
    out.emplace(0);
    i64(v, *out);
  }
  void boolean(const Node& v, std::optional<bool>& out) {
    if (v.is_null()) return;
    if (!v.is_scalar() || v.scalar_type() != ScalarType::Bool)
      return type_error(v, "true or false");
    Value b = to_value(v);
    out = b.boolean;
  }
  void quantity(const Node& v, Quantity& out) {
    if (v.is_null()) return;
    ScalarType t = v.is_scalar() ? v.scalar_type() : ScalarType::Null;
    if (!v.is_scalar() || t == ScalarType::Bool || t == ScalarType::Null)
      return type_error(v, "a quantity such as \"40Gi\" or \"2\"");
    std::string why;
    auto q = Quantity::parse(v.text, &why);
    if (!q)
      return error(v.pos, fmt::format("invalid quantity \"{}\": {}", util::printable(v.text), why),
                   "quantities are numbers with an optional suffix: 500m, 2, 40Gi, 1e3");
    out = *q;
  }
  void opt_quantity(const Node& v, std::optional<Quantity>& out) {
    if (v.is_null()) return;
    out.emplace();
    quantity(v, *out);
  }
  template <typename Vec>
  void strings(const Node& v, Vec& out) {
    list(v, out, [&](const Node& item, std::string& s) { str(item, s); });
  }
  void resource_list(const Node& v, ResourceList& out) {
    if (v.is_null()) return;
    if (!v.is_mapping()) return type_error(v, "a mapping of resource names to quantities");
    out.reserve(v.size);
    for (uint32_t i = 0; i < v.size; ++i) {
      auto s = map_key(v.key(i).text);
      out.emplace_back(std::string(v.key(i).text), Quantity());
      quantity(v.value(i), out.back().second);
    }
  }
  void string_map(const Node& v, StringMap& out) {
    if (v.is_null()) return;
    if (!v.is_mapping()) return type_error(v, "a mapping");
    out.reserve(v.size);
    for (uint32_t i = 0; i < v.size; ++i) {
      auto s = map_key(v.key(i).text);
      out.emplace_back(std::string(v.key(i).text), std::string());
      str(v.value(i), out.back().second);
    }
  }

  // ---- containers ----
  template <typename Vec, typename F>
  void list(const Node& v, Vec& out, F&& item) {
    if (v.is_null()) return;
    if (!v.is_sequence()) return type_error(v, "a list");
    out.resize(v.size);
    for (uint32_t i = 0; i < v.size; ++i) {
      auto s = index(i);
      item(v.item(i), out[i]);
    }
  }

  // Walks a mapping's fields without recording them (objects kept whole elsewhere).
  template <typename F>
  void each(const Node& m, F&& f) {
    if (m.is_null()) return;
    if (!m.is_mapping()) return type_error(m, "a mapping");
    for (uint32_t i = 0; i < m.size; ++i) {
      auto s = key(m.key(i).text);
      f(m.key(i).text, m.value(i));
    }
  }

  // Walks a mapping's fields. `f(key, value)` decodes a known field and returns its JSON
  // name (a string literal), or nullptr for a field the model does not know.
  template <typename F>
  bool fields(const Node& m, Origin& origin, F&& f) {
    origin.pos = m.pos;
    if (m.is_null()) return false;
    if (!m.is_mapping()) {
      type_error(m, "a mapping");
      return false;
    }
    origin.fields.reserve(m.size);
    for (uint32_t i = 0; i < m.size; ++i) {
      const Node& k = m.key(i);
      const Node& v = m.value(i);
      auto s = key(k.text);
      const char* known = f(k.text, v);
      origin.fields.push_back({known, v.pos});
      if (!known) origin.extras.emplace_back(std::string(k.text), to_value(v));
    }
    return true;
  }

 private:
  DecodeContext& ctx_;
  std::vector<Elem> path_;
  std::string context_;
  bool ok_ = true;
};

// ---- meta and core ---------------------------------------------------------------------

void decode_meta(Decoder& d, const Node& v, ObjectMeta& m) {
  d.fields(v, m.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "name") return d.str(x, m.name), "name";
    if (k == "generateName") return d.str(x, m.generate_name), "generateName";
    if (k == "namespace") return d.str(x, m.namespace_), "namespace";
    if (k == "uid") return d.str(x, m.uid), "uid";
    if (k == "resourceVersion") return d.str(x, m.resource_version), "resourceVersion";
    if (k == "generation") return d.i64(x, m.generation), "generation";
    if (k == "creationTimestamp") return d.str(x, m.creation_timestamp), "creationTimestamp";
    if (k == "deletionTimestamp") return d.str(x, m.deletion_timestamp), "deletionTimestamp";
    if (k == "labels") return d.string_map(x, m.labels), "labels";
    if (k == "annotations") return d.string_map(x, m.annotations), "annotations";
    return nullptr;
  });
}

void decode_requirement(Decoder& d, const Node& v, NodeSelectorRequirement& r) {
  d.fields(v, r.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "key") return d.str(x, r.key), "key";
    if (k == "operator") return d.str(x, r.operator_), "operator";
    if (k == "values") return d.strings(x, r.values), "values";
    return nullptr;
  });
}

void decode_node_selector(Decoder& d, const Node& v, NodeSelector& s) {
  d.fields(v, s.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k != "nodeSelectorTerms") return nullptr;
    d.list(x, s.node_selector_terms, [&](const Node& tv, NodeSelectorTerm& t) {
      d.fields(tv, t.origin, [&](std::string_view tk, const Node& tx) -> const char* {
        if (tk == "matchExpressions")
          return d.list(tx, t.match_expressions,
                        [&](const Node& rv, auto& r) { decode_requirement(d, rv, r); }),
                 "matchExpressions";
        if (tk == "matchFields")
          return d.list(tx, t.match_fields,
                        [&](const Node& rv, auto& r) { decode_requirement(d, rv, r); }),
                 "matchFields";
        return nullptr;
      });
    });
    return "nodeSelectorTerms";
  });
}

template <typename Optional>
void decode_opt_node_selector(Decoder& d, const Node& v, Optional& out) {
  if (v.is_null()) return;
  out.emplace();
  decode_node_selector(d, v, *out);
}

// ---- resource.k8s.io shared pieces -------------------------------------------------------

void decode_selectors(Decoder& d, const Node& v, std::vector<DeviceSelector>& out) {
  d.list(v, out, [&](const Node& sv, DeviceSelector& s) {
    d.fields(sv, s.origin, [&](std::string_view k, const Node& x) -> const char* {
      if (k != "cel") return nullptr;
      if (x.is_null()) return "cel";
      s.cel.emplace();
      d.fields(x, s.cel->origin, [&](std::string_view ck, const Node& cx) -> const char* {
        if (ck != "expression") return nullptr;
        d.str(cx, s.cel->expression);
        s.cel->style = cx.style;
        return "expression";
      });
      return "cel";
    });
  });
}

void decode_opaque(Decoder& d, const Node& v, std::optional<OpaqueDeviceConfiguration>& out) {
  if (v.is_null()) return;
  out.emplace();
  d.fields(v, out->origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "driver") return d.str(x, out->driver), "driver";
    if (k == "parameters") return out->parameters = to_value(x), "parameters";
    return nullptr;
  });
}

void decode_taint(Decoder& d, const Node& v, DeviceTaint& t) {
  d.fields(v, t.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "key") return d.str(x, t.key), "key";
    if (k == "value") return d.str(x, t.value), "value";
    if (k == "effect") return d.str(x, t.effect), "effect";
    if (k == "timeAdded") return d.str(x, t.time_added), "timeAdded";
    return nullptr;
  });
}

void decode_tolerations(Decoder& d, const Node& v, std::vector<DeviceToleration>& out) {
  d.list(v, out, [&](const Node& tv, DeviceToleration& t) {
    d.fields(tv, t.origin, [&](std::string_view k, const Node& x) -> const char* {
      if (k == "key") return d.str(x, t.key), "key";
      if (k == "operator") return d.str(x, t.operator_), "operator";
      if (k == "value") return d.str(x, t.value), "value";
      if (k == "effect") return d.str(x, t.effect), "effect";
      if (k == "tolerationSeconds") return d.opt_i64(x, t.toleration_seconds), "tolerationSeconds";
      return nullptr;
    });
  });
}

void decode_capacity_requirements(Decoder& d, const Node& v,
                                  std::optional<CapacityRequirements>& out) {
  if (v.is_null()) return;
  out.emplace();
  d.fields(v, out->origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k != "requests") return nullptr;
    if (x.is_null()) return "requests";
    if (!x.is_mapping()) return d.type_error(x, "a mapping"), "requests";
    for (uint32_t i = 0; i < x.size; ++i) {
      auto s = d.map_key(x.key(i).text);
      out->requests.emplace_back(std::string(x.key(i).text), Quantity());
      d.quantity(x.value(i), out->requests.back().second);
    }
    return "requests";
  });
}

void decode_counters(Decoder& d, const Node& v, CounterMap& out) {
  if (v.is_null()) return;
  if (!v.is_mapping()) return d.type_error(v, "a mapping");
  out.reserve(v.size);
  for (uint32_t i = 0; i < v.size; ++i) {
    auto s = d.map_key(v.key(i).text);
    out.emplace_back(util::Atom(v.key(i).text), Counter());
    Counter& c = out.back().second;
    c.pos = v.key(i).pos;
    Origin o;
    d.fields(v.value(i), o, [&](std::string_view k, const Node& x) -> const char* {
      if (k == "value") return d.quantity(x, c.value), "value";
      return nullptr;
    });
    c.note_whole();
    c.extras = std::move(o.extras);
  }
}

// ---- ResourceSlice -----------------------------------------------------------------------

DeviceAttribute with_pos(DeviceAttribute a, Pos pos) {
  a.pos = pos;
  return a;
}

// `extra` (lint only): where the values after the first go when several are written.
void decode_attribute(Decoder& d, const Node& v, DeviceAttribute& a,
                      std::vector<DeviceAttribute>* extra = nullptr) {
  using T = DeviceAttribute::Type;
  int members = 0;
  // Millions of these in a large dump: no Origin (an attribute is a closed union; its
  // position is the name's), strings interned.
  // The attribute a value of `type` goes to: `a` for the first, else an extra or none.
  auto slot = [&](T type) -> DeviceAttribute* {
    ++members;
    if (a.type == T::None) a.type = type;
    if (a.type == type) return &a;
    if (!extra) return nullptr;
    DeviceAttribute& e = extra->emplace_back();
    e.type = type;
    e.pos = a.pos;
    return &e;
  };
  d.each(v, [&](std::string_view k, const Node& x) {
    if (x.is_null()) return;
    if (k == "int") {
      int64_t i = 0;
      d.i64(x, i);
      if (auto* t = slot(T::Int)) *t = with_pos(DeviceAttribute::of_int(i), a.pos);
    } else if (k == "bool") {
      std::optional<bool> b;
      d.boolean(x, b);
      if (auto* t = slot(T::Bool))
        *t = with_pos(DeviceAttribute::of_bool(b.value_or(false)), a.pos);
    } else if (k == "string" || k == "version") {
      if (!x.is_scalar() || x.scalar_type() != ScalarType::String)
        return d.type_error(x, "a string");
      if (auto* t = slot(k == "string" ? T::String : T::Version))
        *t = with_pos(k == "string" ? DeviceAttribute::of_string(x.text)
                                    : DeviceAttribute::of_version(x.text),
                      a.pos);
    } else if (k == "ints") {
      std::vector<int64_t> is;
      d.list(x, is, [&](const Node& iv, int64_t& i) { d.i64(iv, i); });
      if (auto* t = slot(T::Ints)) t->lists.emplace().ints = std::move(is);
    } else if (k == "bools") {
      std::vector<bool> bs;
      if (x.is_sequence()) {
        for (uint32_t i = 0; i < x.size; ++i) {
          auto s = d.index(i);
          std::optional<bool> b;
          d.boolean(x.item(i), b);
          bs.push_back(b.value_or(false));
        }
      } else {
        d.type_error(x, "a list");
      }
      if (auto* t = slot(T::Bools)) t->lists.emplace().bools = std::move(bs);
    } else if (k == "strings" || k == "versions") {
      std::vector<std::string> ss;
      d.strings(x, ss);
      if (auto* t = slot(k == "strings" ? T::Strings : T::Versions))
        t->lists.emplace().strings = std::move(ss);
    } else {
      d.error(x.pos, fmt::format("unknown attribute type \"{}\"", k),
              "an attribute is one of int, bool, string, version (or ints, bools, strings, "
              "versions)");
    }
  });
  // An attribute with no value is kept (type None): the API server rejects it, but the
  // allocator must see it as written (its CEL conversion then fails, as upstream's does).
  if (d.for_lint() && v.is_mapping()) return;  // lint reports it in the server's words
  if (members == 0 && v.is_mapping())
    d.warning(v.pos, "exactly one value must be specified",
              "an attribute is one of int, bool, string, version (or ints, bools, strings, "
              "versions)");
  if (members > 1 && v.is_mapping())
    d.error(v.pos, "exactly one value must be specified, found several",
            "an attribute is one of int, bool, string, version (or ints, bools, strings, "
            "versions)");
}

void decode_request_policy(Decoder& d, const Node& v, util::Box<CapacityRequestPolicy>& out) {
  if (v.is_null()) return;
  out.emplace();
  CapacityRequestPolicy& p = *out;
  d.fields(v, p.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "default") return d.opt_quantity(x, p.default_), "default";
    if (k == "validValues")
      return d.list(x, p.valid_values, [&](const Node& q, Quantity& o) { d.quantity(q, o); }),
             "validValues";
    if (k == "validRange") {
      if (x.is_null()) return "validRange";
      p.valid_range.emplace();
      auto& r = *p.valid_range;
      d.fields(x, r.origin, [&](std::string_view rk, const Node& rx) -> const char* {
        if (rk == "min") return d.opt_quantity(rx, r.min), "min";
        if (rk == "max") return d.opt_quantity(rx, r.max), "max";
        if (rk == "step") return d.opt_quantity(rx, r.step), "step";
        return nullptr;
      });
      return "validRange";
    }
    return nullptr;
  });
}

// A device's fields other than its name; in v1beta1 they sit inside `basic`.
const char* decode_device_field(Decoder& d, std::string_view k, const Node& x, Device& dev) {
  if (k == "attributes") {
    if (x.is_null()) return "attributes";
    if (!x.is_mapping()) return d.type_error(x, "a mapping"), "attributes";
    dev.attributes.reserve(x.size);
    for (uint32_t i = 0; i < x.size; ++i) {
      auto s = d.map_key(x.key(i).text);
      dev.attributes.emplace_back(util::Atom(x.key(i).text), DeviceAttribute());
      dev.attributes.back().second.pos = x.key(i).pos;
      if (!d.for_lint()) {
        decode_attribute(d, x.value(i), dev.attributes.back().second);
        continue;
      }
      std::vector<DeviceAttribute> extra;
      decode_attribute(d, x.value(i), dev.attributes.back().second, &extra);
      if (extra.empty()) continue;
      if (!dev.lint_extra_values) dev.lint_extra_values.emplace();
      for (DeviceAttribute& e : extra)
        dev.lint_extra_values->emplace_back(dev.attributes.back().first, std::move(e));
    }
    return "attributes";
  }
  if (k == "capacity") {
    if (x.is_null()) return "capacity";
    if (!x.is_mapping()) return d.type_error(x, "a mapping"), "capacity";
    dev.capacity.reserve(x.size);
    for (uint32_t i = 0; i < x.size; ++i) {
      auto s = d.map_key(x.key(i).text);
      dev.capacity.emplace_back(util::Atom(x.key(i).text), DeviceCapacity());
      DeviceCapacity& c = dev.capacity.back().second;
      c.pos = x.key(i).pos;
      Origin o;
      d.fields(x.value(i), o, [&](std::string_view ck, const Node& cx) -> const char* {
        if (ck == "value") return d.quantity(cx, c.value), "value";
        if (ck == "requestPolicy")
          return decode_request_policy(d, cx, c.request_policy), "requestPolicy";
        return nullptr;
      });
      c.extras = std::move(o.extras);
    }
    return "capacity";
  }
  if (k == "consumesCounters") {
    d.list(x, dev.consumes_counters, [&](const Node& cv, DeviceCounterConsumption& c) {
      d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
        if (ck == "counterSet") return d.str(cx, c.counter_set), "counterSet";
        if (ck == "counters") return decode_counters(d, cx, c.counters), "counters";
        return nullptr;
      });
    });
    return "consumesCounters";
  }
  if (k == "nodeName") return d.opt_str(x, dev.node_name), "nodeName";
  if (k == "nodeSelector") return decode_opt_node_selector(d, x, dev.node_selector), "nodeSelector";
  if (k == "allNodes") return d.boolean(x, dev.all_nodes), "allNodes";
  if (k == "taints")
    return d.list(x, dev.taints, [&](const Node& tv, DeviceTaint& t) { decode_taint(d, tv, t); }),
           "taints";
  if (k == "bindsToNode") return d.boolean(x, dev.binds_to_node), "bindsToNode";
  if (k == "bindingConditions") return d.strings(x, dev.binding_conditions), "bindingConditions";
  if (k == "bindingFailureConditions")
    return d.strings(x, dev.binding_failure_conditions), "bindingFailureConditions";
  if (k == "allowMultipleAllocations")
    return d.boolean(x, dev.allow_multiple_allocations), "allowMultipleAllocations";
  if (k == "nodeAllocatableResources") {
    if (x.is_null()) return "nodeAllocatableResources";
    if (!x.is_mapping()) return d.type_error(x, "a mapping"), "nodeAllocatableResources";
    for (uint32_t i = 0; i < x.size; ++i) {
      NodeAllocatableResource r;
      if (const Node* m = x.value(i).find("mapping")) r.mapping = to_value(*m);
      if (const Node* o = x.value(i).find("overhead")) r.overhead = to_value(*o);
      dev.node_allocatable_resources.emplace_back(std::string(x.key(i).text), std::move(r));
    }
    return "nodeAllocatableResources";
  }
  return nullptr;
}

void decode_device(Decoder& d, const Node& v, Device& dev) {
  d.fields(v, dev.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "name") return d.str(x, dev.name), "name";
    if (d.v1beta1()) {
      // v1beta1 wraps everything but the name in `basic`; lift it (conversion.go).
      if (k != "basic") return nullptr;
      Origin basic;
      d.fields(x, basic, [&](std::string_view bk, const Node& bx) -> const char* {
        return decode_device_field(d, bk, bx, dev);
      });
      for (const FieldPos& f : basic.fields)
        if (f.field) dev.origin.fields.push_back(f);
      dev.basic_extras = std::move(basic.extras);
      return "basic";
    }
    return decode_device_field(d, k, x, dev);
  });
  // Worked out here, while the attributes are in cache: the allocator asks of every device
  // it meets, and a large cluster's devices do not stay in cache until then.
  thread_local VersionMemo versions;
  dev.cel_value = cel_value_buildable(dev, versions) ? Device::CelValue::Buildable
                                                     : Device::CelValue::Unbuildable;
}

void decode_slice_spec(Decoder& d, const Node& v, ResourceSliceSpec& s) {
  d.fields(v, s.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "driver") return d.str(x, s.driver), "driver";
    if (k == "pool") {
      d.fields(x, s.pool.origin, [&](std::string_view pk, const Node& px) -> const char* {
        if (pk == "name") return d.str(px, s.pool.name), "name";
        if (pk == "generation") return d.i64(px, s.pool.generation), "generation";
        if (pk == "resourceSliceCount")
          return d.i64(px, s.pool.resource_slice_count), "resourceSliceCount";
        return nullptr;
      });
      return "pool";
    }
    if (k == "nodeName") {
      d.opt_str(x, s.node_name);
      // v1beta1's nodeName is a plain string: "" means unset.
      if (d.v1beta1() && s.node_name && s.node_name->empty()) s.node_name.reset();
      return "nodeName";
    }
    if (k == "nodeSelector") return decode_opt_node_selector(d, x, s.node_selector), "nodeSelector";
    if (k == "allNodes") {
      d.boolean(x, s.all_nodes);
      // v1beta1's allNodes is a plain bool: false means unset.
      if (d.v1beta1() && s.all_nodes == false) s.all_nodes.reset();
      return "allNodes";
    }
    if (k == "perDeviceNodeSelection")
      return d.boolean(x, s.per_device_node_selection), "perDeviceNodeSelection";
    if (k == "devices")
      return d.list(x, s.devices, [&](const Node& dv, Device& dev) { decode_device(d, dv, dev); }),
             "devices";
    if (k == "sharedCounters") {
      d.list(x, s.shared_counters, [&](const Node& cv, CounterSet& c) {
        d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
          if (ck == "name") return d.str(cx, c.name), "name";
          if (ck == "counters") return decode_counters(d, cx, c.counters), "counters";
          return nullptr;
        });
      });
      return "sharedCounters";
    }
    if (k == "partitionTypeAttribute")
      return d.opt_str(x, s.partition_type_attribute), "partitionTypeAttribute";
    if (k == "skipNodeOperations")
      return d.strings(x, s.skip_node_operations), "skipNodeOperations";
    return nullptr;
  });
}

// ---- ResourceClaim -----------------------------------------------------------------------

// Fields shared by ExactDeviceRequest and DeviceSubRequest (and v1beta1's flat request).
template <typename R>
const char* decode_exact_field(Decoder& d, std::string_view k, const Node& x, R& r) {
  if (k == "deviceClassName") return d.str(x, r.device_class_name), "deviceClassName";
  if (k == "selectors") return decode_selectors(d, x, r.selectors), "selectors";
  if (k == "allocationMode") return d.str(x, r.allocation_mode), "allocationMode";
  if (k == "count") return d.i64(x, r.count), "count";
  if (k == "tolerations") return decode_tolerations(d, x, r.tolerations), "tolerations";
  if (k == "capacity") return decode_capacity_requirements(d, x, r.capacity), "capacity";
  if constexpr (std::is_same_v<R, ExactDeviceRequest>) {
    if (k == "adminAccess") return d.boolean(x, r.admin_access), "adminAccess";
  }
  return nullptr;
}

void decode_subrequest(Decoder& d, const Node& v, DeviceSubRequest& r) {
  d.fields(v, r.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "name") return d.str(x, r.name), "name";
    return decode_exact_field(d, k, x, r);
  });
}

void decode_request(Decoder& d, const Node& v, DeviceRequest& r) {
  ExactDeviceRequest flat;  // v1beta1: the exact request's fields sit on the request
  bool flat_set = false;
  d.fields(v, r.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "name") return d.str(x, r.name), "name";
    if (k == "firstAvailable")
      return d.list(x, r.first_available,
                    [&](const Node& sv, DeviceSubRequest& s) { decode_subrequest(d, sv, s); }),
             "firstAvailable";
    if (d.v1beta1()) {
      const char* f = decode_exact_field(d, k, x, flat);
      if (f && !x.is_null()) flat_set = true;
      return f;
    }
    if (k == "exactly") {
      if (x.is_null()) return "exactly";
      r.exactly.emplace();
      d.fields(x, r.exactly->origin, [&](std::string_view ek, const Node& ex) -> const char* {
        return decode_exact_field(d, ek, ex, *r.exactly);
      });
      return "exactly";
    }
    return nullptr;
  });
  if (flat_set) {
    // As conversion.go: any exact field set (count != 0) makes an `exactly`.
    const bool any = !flat.device_class_name.empty() || !flat.selectors.empty() ||
                     !flat.allocation_mode.empty() || flat.count != 0 || flat.admin_access ||
                     !flat.tolerations.empty() || flat.capacity;
    if (any) {
      flat.origin.pos = r.origin.pos;
      for (const FieldPos& f : r.origin.fields)
        if (f.field && std::string_view(f.field) != "name" &&
            std::string_view(f.field) != "firstAvailable")
          flat.origin.fields.push_back(f);
      r.exactly = std::move(flat);
    }
  }
}

void decode_claim_spec(Decoder& d, const Node& v, ResourceClaimSpec& spec) {
  d.fields(v, spec.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k != "devices") return nullptr;
    DeviceClaim& dc = spec.devices;
    d.fields(x, dc.origin, [&](std::string_view dk, const Node& dx) -> const char* {
      if (dk == "requests")
        return d.list(dx, dc.requests,
                      [&](const Node& rv, DeviceRequest& r) { decode_request(d, rv, r); }),
               "requests";
      if (dk == "constraints") {
        d.list(dx, dc.constraints, [&](const Node& cv, DeviceConstraint& c) {
          d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
            if (ck == "requests") return d.strings(cx, c.requests), "requests";
            if (ck == "matchAttribute") return d.opt_str(cx, c.match_attribute), "matchAttribute";
            if (ck == "distinctAttribute")
              return d.opt_str(cx, c.distinct_attribute), "distinctAttribute";
            return nullptr;
          });
        });
        return "constraints";
      }
      if (dk == "config") {
        d.list(dx, dc.config, [&](const Node& cv, DeviceClaimConfiguration& c) {
          d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
            if (ck == "requests") return d.strings(cx, c.requests), "requests";
            if (ck == "opaque") return decode_opaque(d, cx, c.config.opaque), "opaque";
            return nullptr;
          });
        });
        return "config";
      }
      return nullptr;
    });
    return "devices";
  });
}

void decode_allocation(Decoder& d, const Node& v, AllocationResult& a) {
  d.fields(v, a.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "nodeSelector") return decode_opt_node_selector(d, x, a.node_selector), "nodeSelector";
    if (k == "allocationTimestamp") return d.str(x, a.allocation_timestamp), "allocationTimestamp";
    if (k != "devices") return nullptr;
    d.fields(x, a.devices.origin, [&](std::string_view dk, const Node& dx) -> const char* {
      if (dk == "results") {
        d.list(dx, a.devices.results, [&](const Node& rv, DeviceRequestAllocationResult& r) {
          d.fields(rv, r.origin, [&](std::string_view rk, const Node& rx) -> const char* {
            if (rk == "request") return d.str(rx, r.request), "request";
            if (rk == "driver") return d.str(rx, r.driver), "driver";
            if (rk == "pool") return d.str(rx, r.pool), "pool";
            if (rk == "device") return d.str(rx, r.device), "device";
            if (rk == "adminAccess") return d.boolean(rx, r.admin_access), "adminAccess";
            if (rk == "tolerations") return decode_tolerations(d, rx, r.tolerations), "tolerations";
            if (rk == "bindingConditions")
              return d.strings(rx, r.binding_conditions), "bindingConditions";
            if (rk == "bindingFailureConditions")
              return d.strings(rx, r.binding_failure_conditions), "bindingFailureConditions";
            if (rk == "shareID") return d.opt_str(rx, r.share_id), "shareID";
            if (rk == "consumedCapacity") {
              if (rx.is_null()) return "consumedCapacity";
              if (!rx.is_mapping()) return d.type_error(rx, "a mapping"), "consumedCapacity";
              for (uint32_t i = 0; i < rx.size; ++i) {
                auto s = d.map_key(rx.key(i).text);
                r.consumed_capacity.emplace_back(std::string(rx.key(i).text), Quantity());
                d.quantity(rx.value(i), r.consumed_capacity.back().second);
              }
              return "consumedCapacity";
            }
            return nullptr;
          });
        });
        return "results";
      }
      if (dk == "config") {
        d.list(dx, a.devices.config, [&](const Node& cv, DeviceAllocationConfiguration& c) {
          d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
            if (ck == "source") return d.str(cx, c.source), "source";
            if (ck == "requests") return d.strings(cx, c.requests), "requests";
            if (ck == "opaque") return decode_opaque(d, cx, c.config.opaque), "opaque";
            return nullptr;
          });
        });
        return "config";
      }
      return nullptr;
    });
    return "devices";
  });
}

void decode_claim_status(Decoder& d, const Node& v, ResourceClaimStatus& s) {
  d.fields(v, s.origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "allocation") {
      if (x.is_null()) return "allocation";
      s.allocation.emplace();
      decode_allocation(d, x, *s.allocation);
      return "allocation";
    }
    if (k == "reservedFor") {
      d.list(x, s.reserved_for, [&](const Node& rv, ResourceClaimConsumerReference& r) {
        d.fields(rv, r.origin, [&](std::string_view rk, const Node& rx) -> const char* {
          if (rk == "apiGroup") return d.str(rx, r.api_group), "apiGroup";
          if (rk == "resource") return d.str(rx, r.resource), "resource";
          if (rk == "name") return d.str(rx, r.name), "name";
          if (rk == "uid") return d.str(rx, r.uid), "uid";
          return nullptr;
        });
      });
      return "reservedFor";
    }
    if (k == "devices") return s.devices = to_value(x), "devices";
    return nullptr;
  });
}

// ---- top level ---------------------------------------------------------------------------

// The fields every object has; `body` decodes the kind's own top-level fields.
template <typename T, typename F>
bool decode_object(const Node& object, DecodeContext& ctx, T& out, Origin& origin,
                   std::string_view kind, F&& body) {
  Decoder d(ctx);
  out.source = ctx.source;
  if (const Node* meta = object.find("metadata"); meta && meta->is_mapping()) {
    const Node* name = meta->find("name");
    const Node* ns = meta->find("namespace");
    std::string id = name && name->is_scalar() ? std::string(name->text) : "<unnamed>";
    if (ns && ns->is_scalar() && !ns->text.empty()) id = fmt::format("{}/{}", ns->text, id);
    d.set_context(fmt::format("in {} {}", kind, id));
  }
  d.fields(object, origin, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "apiVersion") return "apiVersion";
    if (k == "kind") return "kind";
    if (k == "metadata") return decode_meta(d, x, out.metadata), "metadata";
    return body(d, k, x);
  });
  return d.ok();
}

}  // namespace

bool decode(const Node& object, DecodeContext& ctx, DeviceClass& out) {
  return decode_object(
      object, ctx, out, out.origin, "DeviceClass",
      [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
        if (k != "spec") return nullptr;
        DeviceClassSpec& s = out.spec;
        d.fields(x, s.origin, [&](std::string_view sk, const Node& sx) -> const char* {
          if (sk == "selectors") return decode_selectors(d, sx, s.selectors), "selectors";
          if (sk == "config") {
            d.list(sx, s.config, [&](const Node& cv, DeviceClassConfiguration& c) {
              d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
                if (ck == "opaque") return decode_opaque(d, cx, c.config.opaque), "opaque";
                return nullptr;
              });
            });
            return "config";
          }
          if (sk == "extendedResourceName")
            return d.opt_str(sx, s.extended_resource_name), "extendedResourceName";
          return nullptr;
        });
        return "spec";
      });
}

bool decode(const Node& object, DecodeContext& ctx, ResourceSlice& out) {
  return decode_object(object, ctx, out, out.origin, "ResourceSlice",
                       [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
                         if (k != "spec") return nullptr;
                         decode_slice_spec(d, x, out.spec);
                         return "spec";
                       });
}

bool decode(const Node& object, DecodeContext& ctx, ResourceClaim& out) {
  return decode_object(object, ctx, out, out.origin, "ResourceClaim",
                       [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
                         if (k == "spec") return decode_claim_spec(d, x, out.spec), "spec";
                         if (k == "status") {
                           out.has_status = true;
                           decode_claim_status(d, x, out.status);
                           return "status";
                         }
                         return nullptr;
                       });
}

bool decode(const Node& object, DecodeContext& ctx, ResourceClaimTemplate& out) {
  return decode_object(object, ctx, out, out.origin, "ResourceClaimTemplate",
                       [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
                         if (k != "spec") return nullptr;
                         ResourceClaimTemplateSpec& s = out.spec;
                         d.fields(x, s.origin,
                                  [&](std::string_view sk, const Node& sx) -> const char* {
                                    if (sk == "metadata")
                                      return decode_meta(d, sx, s.metadata), "metadata";
                                    if (sk == "spec")
                                      return decode_claim_spec(d, sx, s.spec), "spec";
                                    return nullptr;
                                  });
                         return "spec";
                       });
}

bool decode(const Node& object, DecodeContext& ctx, DeviceTaintRule& out) {
  return decode_object(
      object, ctx, out, out.origin, "DeviceTaintRule",
      [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
        if (k == "status") return out.status = to_value(x), "status";
        if (k != "spec") return nullptr;
        DeviceTaintRuleSpec& s = out.spec;
        d.fields(x, s.origin, [&](std::string_view sk, const Node& sx) -> const char* {
          if (sk == "taint") return decode_taint(d, sx, s.taint), "taint";
          if (sk == "deviceSelector") {
            if (sx.is_null()) return "deviceSelector";
            s.device_selector.emplace();
            auto& sel = *s.device_selector;
            d.fields(sx, sel.origin, [&](std::string_view dk, const Node& dx) -> const char* {
              if (dk == "driver") return d.opt_str(dx, sel.driver), "driver";
              if (dk == "pool") return d.opt_str(dx, sel.pool), "pool";
              if (dk == "device") return d.opt_str(dx, sel.device), "device";
              return nullptr;
            });
            return "deviceSelector";
          }
          return nullptr;
        });
        return "spec";
      });
}

// core/v1 objects: keep them whole, read out what DRA needs.
bool decode(const Node& object, DecodeContext& ctx, NodeObject& out) {
  out.raw = to_raw_json(object);
  Origin top;
  return decode_object(object, ctx, out, top, "Node",
                       [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
                         if (k == "spec" && x.is_mapping()) {
                           if (const Node* taints = x.find("taints")) {
                             auto s = d.key("spec");
                             auto t = d.key("taints");
                             d.list(*taints, out.taints, [&](const Node& tv, Taint& taint) {
                               d.fields(tv, taint.origin,
                                        [&](std::string_view tk, const Node& tx) -> const char* {
                                          if (tk == "key") return d.str(tx, taint.key), "key";
                                          if (tk == "value") return d.str(tx, taint.value), "value";
                                          if (tk == "effect")
                                            return d.str(tx, taint.effect), "effect";
                                          if (tk == "timeAdded")
                                            return d.str(tx, taint.time_added), "timeAdded";
                                          return nullptr;
                                        });
                             });
                           }
                         }
                         if (k == "status" && x.is_mapping()) {
                           if (const Node* a = x.find("allocatable")) {
                             auto s = d.key("status");
                             auto t = d.key("allocatable");
                             d.resource_list(*a, out.allocatable);
                           }
                         }
                         return k == "spec" ? "spec" : k == "status" ? "status" : nullptr;
                       });
}

namespace {

void decode_pod_spec(Decoder& d, const Node& spec, Pod& pod) {
  d.each(spec, [&](std::string_view k, const Node& x) -> const char* {
    if (k == "nodeName") return d.str(x, pod.node_name), "nodeName";
    if (k == "nodeSelector") return d.string_map(x, pod.node_selector), "nodeSelector";
    if (k == "tolerations") {
      d.list(x, pod.tolerations, [&](const Node& tv, Toleration& t) {
        d.fields(tv, t.origin, [&](std::string_view tk, const Node& tx) -> const char* {
          if (tk == "key") return d.str(tx, t.key), "key";
          if (tk == "operator") return d.str(tx, t.operator_), "operator";
          if (tk == "value") return d.str(tx, t.value), "value";
          if (tk == "effect") return d.str(tx, t.effect), "effect";
          if (tk == "tolerationSeconds")
            return d.opt_i64(tx, t.toleration_seconds), "tolerationSeconds";
          return nullptr;
        });
      });
      return "tolerations";
    }
    if (k == "affinity" && x.is_mapping()) {
      const Node* na = x.find("nodeAffinity");
      const Node* req = na ? na->find("requiredDuringSchedulingIgnoredDuringExecution") : nullptr;
      if (req && !req->is_null()) {
        auto s1 = d.key("nodeAffinity");
        auto s2 = d.key("requiredDuringSchedulingIgnoredDuringExecution");
        decode_opt_node_selector(d, *req, pod.required_node_affinity);
      }
      return "affinity";
    }
    if (k == "resourceClaims") {
      d.list(x, pod.resource_claims, [&](const Node& cv, PodResourceClaim& c) {
        d.fields(cv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
          if (ck == "name") return d.str(cx, c.name), "name";
          if (ck == "resourceClaimName")
            return d.opt_str(cx, c.resource_claim_name), "resourceClaimName";
          if (ck == "resourceClaimTemplateName")
            return d.opt_str(cx, c.resource_claim_template_name), "resourceClaimTemplateName";
          return nullptr;
        });
      });
      return "resourceClaims";
    }
    if ((k == "containers" || k == "initContainers") && x.is_sequence()) {
      auto s1 = d.key(k);
      for (uint32_t i = 0; i < x.size; ++i) {
        const Node& c = x.item(i);
        const Node* name = c.find("name");
        const Node* res = c.find("resources");
        Container& container = pod.containers.emplace_back();
        container.init = k == "initContainers";
        if (name && name->is_scalar()) container.name = std::string(name->text);
        if (const Node* rp = c.find("restartPolicy"); rp && rp->is_scalar())
          container.sidecar = container.init && rp->text == "Always";
        if (res && res->is_mapping()) {
          auto s2 = d.index(i);
          auto s3 = d.key("resources");
          if (const Node* r = res->find("requests")) {
            auto s4 = d.key("requests");
            d.resource_list(*r, container.requests);
          }
          if (const Node* l = res->find("limits")) {
            auto s4 = d.key("limits");
            ResourceList limits;
            d.resource_list(*l, limits);
            for (auto& [rname, q] : limits)
              if (!lookup(container.requests, rname))
                container.requests.emplace_back(rname, std::move(q));
          }
        }
        const Node* claims = res ? res->find("claims") : nullptr;
        if (!claims || !claims->is_sequence()) continue;
        for (uint32_t j = 0; j < claims->size; ++j) {
          ContainerClaim cc;
          if (name && name->is_scalar()) cc.container = std::string(name->text);
          const Node& cl = claims->item(j);
          cc.path = "spec." + std::string(k) + "[" + std::to_string(i) + "].resources.claims[" +
                    std::to_string(j) + "]";
          cc.pos = cl.pos;
          if (const Node* n = cl.find("name"); n && n->is_scalar()) {
            cc.name = std::string(n->text);
            cc.pos = n->pos;
          }
          if (const Node* r = cl.find("request"); r && r->is_scalar())
            cc.request = std::string(r->text);
          pod.container_claims.push_back(std::move(cc));
        }
      }
      return nullptr;
    }
    return nullptr;
  });
  std::stable_partition(pod.containers.begin(), pod.containers.end(),
                        [](const Container& c) { return c.init; });
}

}  // namespace

bool decode(const Node& object, DecodeContext& ctx, NamespaceObject& out) {
  out.raw = to_raw_json(object);
  Origin top;
  return decode_object(object, ctx, out, top, "Namespace",
                       [](Decoder&, std::string_view k, const Node&) -> const char* {
                         return k == "spec" ? "spec" : k == "status" ? "status" : nullptr;
                       });
}

bool decode(const Node& object, DecodeContext& ctx, Pod& out) {
  out.raw = to_raw_json(object);
  Origin top;
  return decode_object(
      object, ctx, out, top, "Pod",
      [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
        if (k == "spec") decode_pod_spec(d, x, out);
        if (k == "status" && x.is_mapping()) {
          if (const Node* phase = x.find("phase")) d.str(*phase, out.phase);
          if (const Node* e = x.find("extendedResourceClaimStatus"); e && e->is_mapping()) {
            if (const Node* n = e->find("resourceClaimName")) {
              auto s = d.key("extendedResourceClaimStatus");
              auto t = d.key("resourceClaimName");
              d.opt_str(*n, out.extended_resource_claim_name);
            }
          }
          if (const Node* st = x.find("resourceClaimStatuses")) {
            auto s = d.key("resourceClaimStatuses");
            d.list(
                *st, out.resource_claim_statuses, [&](const Node& sv, PodResourceClaimStatus& c) {
                  d.fields(sv, c.origin, [&](std::string_view ck, const Node& cx) -> const char* {
                    if (ck == "name") return d.str(cx, c.name), "name";
                    if (ck == "resourceClaimName")
                      return d.opt_str(cx, c.resource_claim_name), "resourceClaimName";
                    return nullptr;
                  });
                });
          }
        }
        return k == "spec" ? "spec" : k == "status" ? "status" : nullptr;
      });
}

bool decode(const Node& object, DecodeContext& ctx, Workload& out) {
  Origin top;
  return decode_object(object, ctx, out, top, out.kind,
                       [&](Decoder& d, std::string_view k, const Node& x) -> const char* {
                         if (k == "status") return "status";
                         if (k != "spec") return nullptr;
                         Origin spec;
                         d.fields(x, spec, [&](std::string_view sk, const Node& sx) -> const char* {
                           if (sk == "replicas") return d.opt_i64(sx, out.replicas), "replicas";
                           if (sk == "parallelism")
                             return d.opt_i64(sx, out.parallelism), "parallelism";
                           if (sk == "completions")
                             return d.opt_i64(sx, out.completions), "completions";
                           if (sk == "completionMode")
                             return d.str(sx, out.completion_mode), "completionMode";
                           if (sk == "suspend") return d.boolean(sx, out.suspend), "suspend";
                           if (sk == "ordinals" && sx.is_mapping()) {
                             if (const Node* start = sx.find("start")) {
                               auto s1 = d.key("ordinals");
                               auto s2 = d.key("start");
                               d.opt_i64(*start, out.ordinals_start);
                             }
                             return "ordinals";
                           }
                           if (sk == "template") {
                             if (!sx.is_mapping())
                               return d.type_error(sx, "a Pod template"), "template";
                             out.pod_template = to_raw_json(sx);
                             return "template";
                           }
                           return nullptr;
                         });
                         return "spec";
                       });
}

}  // namespace dra::k8s::detail
