// src/lint/validate.cpp -- the API server's validation of DRA objects on create (upstream
// pkg/apis/resource/validation, every DRA feature gate on), rule "api". Paths are built in
// v1 notation; Report turns them into the object's own version.
#include "lint/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "k8s/node.hpp"
#include "k8s/scalar_map.hpp"
#include "lint/report.hpp"
#include "selectors/cost.hpp"
#include "selectors/program.hpp"

namespace dra::lint {

namespace {

using k8s::Pos;

// Upstream's limits (resource/v1 types.go).
constexpr size_t kMaxRequests = 32;
constexpr size_t kMaxSubrequests = 8;
constexpr size_t kMaxSelectors = 32;
constexpr size_t kMaxConstraints = 32;
constexpr size_t kMaxConfig = 32;
constexpr size_t kMaxOpaqueBytes = 10240;
constexpr size_t kMaxDevices = 128;
constexpr size_t kMaxDevicesAdvanced = 64;
constexpr size_t kMaxAttributesAndCapacities = 32;
constexpr size_t kMaxAttributeValues = 48;
constexpr size_t kMaxAttributeLength = 64;
constexpr size_t kMaxIdLength = 32;
constexpr size_t kMaxDomainLength = 63;
constexpr size_t kMaxDriverLength = 63;
constexpr size_t kMaxPoolNameLength = 253;
constexpr size_t kMaxCounterSets = 8;
constexpr size_t kMaxCounters = 32;
constexpr size_t kMaxConsumptions = 2;
constexpr size_t kMaxTaints = 16;
constexpr size_t kMaxBindingConditions = 4;

std::string at(const std::string& path, size_t i) { return fmt::format("{}[{}]", path, i); }

// Each message of a name check as an Invalid error.
void name_errors(Report& r, const std::string& path, Pos pos, std::string_view value,
                 const std::vector<std::string>& errors) {
  for (const std::string& e : errors) r.invalid(path, pos, quote(value), e);
}

void dns_label(Report& r, const std::string& path, Pos pos, std::string_view v,
               Helper h = Helper::util) {
  if (v.empty()) return r.required(path, pos);
  name_errors(r, path, pos, v, dns1123_label(v, h));
}

void dns_subdomain(Report& r, const std::string& path, Pos pos, std::string_view v,
                   Helper h = Helper::util) {
  if (v.empty()) return r.required(path, pos);
  name_errors(r, path, pos, v, dns1123_subdomain(v, h));
}

std::string lower_case(std::string_view v) {
  std::string out(v);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// A driver name (core's CSI driver name check): at most 63 bytes, and a DNS subdomain once
// lower-cased, so upper case passes.
void driver_name(Report& r, const std::string& path, Pos pos, std::string_view v) {
  if (v.empty()) return r.required(path, pos);
  if (v.size() > kMaxDriverLength) r.too_long(path, pos, kMaxDriverLength);
  name_errors(r, path, pos, v, dns1123_subdomain(lower_case(v)));
}

// The same where declarative validation words it (an opaque configuration's driver):
// required, the caseless long-name format, then a 63-character maxLength.
void declared_driver_name(Report& r, const std::string& path, Pos pos, std::string_view v) {
  if (v.empty()) return r.required(path, pos);
  name_errors(r, path, pos, v, dns1123_subdomain_caseless(v));
  if (v.size() > kMaxDriverLength) r.too_long(path, pos, kMaxDriverLength, "characters");
}

// A duplicate item of a keyed list (listType=map): declarative validation prints the whole
// item as Go's encoding/json writes it, the handwritten check just its key.
template <typename Item>
void duplicate_item(Report& r, const std::string& path, Pos pos, const Item& item,
                    std::string_view key) {
  r.duplicate(path, pos,
              r.declarative() ? k8s::to_compact_json(k8s::encode_v1_item(item)) : quote(key));
}

void pool_name(Report& r, const std::string& path, Pos pos, std::string_view v) {
  if (v.empty()) return r.required(path, pos);
  if (v.size() > kMaxPoolNameLength) r.too_long(path, pos, kMaxPoolNameLength);
  for (size_t start = 0;;) {
    const size_t slash = v.find('/', start);
    const std::string_view part =
        v.substr(start, slash == std::string_view::npos ? slash : slash - start);
    name_errors(r, path, pos, part, dns1123_subdomain(part));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
}

// A field error before it is reported, for names checked both ways: the server drops a
// handwritten error when a declarative one of the same type sits at the same path (the
// origins of a name format's errors are all the same).
struct NameError {
  enum Kind { Invalid, TooLong, Required } kind;
  std::string value;  // quoted; unused for TooLong and Required
  std::string detail;
  size_t max = 0;  // TooLong
};
using NameErrors = std::vector<NameError>;

void report(Report& r, const std::string& path, Pos pos, const NameErrors& errors) {
  for (const NameError& e : errors) {
    if (e.kind == NameError::Invalid) r.invalid(path, pos, e.value, e.detail);
    if (e.kind == NameError::TooLong) r.too_long(path, pos, e.max);
    if (e.kind == NameError::Required) r.required(path, pos, e.detail);
  }
}

void invalid(NameErrors& out, std::string_view value, const std::vector<std::string>& details,
             std::string_view prefix = {}) {
  for (const std::string& d : details)
    out.push_back({NameError::Invalid, quote(value), std::string(prefix) + d});
}

// An identifier: a C identifier of at most 32 bytes.
void identifier(NameErrors& out, std::string_view id) {
  if (id.size() > kMaxIdLength) out.push_back({NameError::TooLong, {}, {}, kMaxIdLength});
  invalid(out, id, c_identifier(id));
}

// Upstream's qualified name (attribute and capacity keys): an identifier with an optional
// domain before one '/', each error with the offending part as the value.
NameErrors qualified(std::string_view name) {
  NameErrors out;
  const size_t slash = name.find('/');
  if (slash == std::string_view::npos) {
    identifier(out, name);
    return out;
  }
  if (name.find('/', slash + 1) != std::string_view::npos) {
    invalid(out, name, {"must not contain more than one slash"});
    return out;
  }
  const std::string_view domain = name.substr(0, slash), id = name.substr(slash + 1);
  if (domain.empty()) {
    invalid(out, domain, {"the domain must not be empty"});
  } else {
    if (domain.size() > kMaxDomainLength)
      out.push_back({NameError::TooLong, {}, {}, kMaxDomainLength});
    invalid(out, domain, dns1123_subdomain(lower_case(domain)));
  }
  if (id.empty()) {
    invalid(out, id, {"the name must not be empty"});
  } else {
    identifier(out, id);
  }
  return out;
}

void attribute_name(Report& r, const std::string& path, Pos pos, std::string_view name) {
  report(r, path, pos, qualified(name));
}

const std::string kNoDomain =
    "a fully qualified name must be a domain and a name separated by a slash";

// A fully qualified name (constraints), handwritten: a qualified name whose domain is not
// optional.
NameErrors fully_qualified(std::string_view name) {
  if (name.empty()) return {{NameError::Required, {}, "name required"}};
  NameErrors out = qualified(name);
  if (name.find('/') == std::string_view::npos) invalid(out, name, {kNoDomain});
  return out;
}

// The same, declaratively (format k8s-resource-fully-qualified-name): a strictly lower-case
// domain, its messages prefixed "prefix: ", and nothing said of a second slash.
NameErrors declared_fully_qualified(std::string_view name) {
  NameErrors out;
  const size_t slash = name.find('/');
  if (slash == std::string_view::npos) {
    identifier(out, name);
    invalid(out, name, {kNoDomain});
    return out;
  }
  if (name.find('/', slash + 1) != std::string_view::npos) return out;
  const std::string_view domain = name.substr(0, slash), id = name.substr(slash + 1);
  if (domain.empty()) {
    invalid(out, "", {"prefix must not be empty"});
  } else {
    if (domain.size() > kMaxDomainLength)
      out.push_back({NameError::TooLong, {}, {}, kMaxDomainLength});
    invalid(out, domain, dns1123_subdomain(domain, Helper::content), "prefix: ");
  }
  if (id.empty()) {
    invalid(out, "", {"name must not be empty"});
  } else {
    identifier(out, id);
  }
  return out;
}

// The server's merge: a handwritten error goes when a declarative one of its type is there;
// the declarative ones follow.
NameErrors merged(const NameErrors& handwritten, const NameErrors& declared) {
  NameErrors out;
  for (const NameError& h : handwritten)
    if (std::none_of(declared.begin(), declared.end(),
                     [&](const NameError& d) { return d.kind == h.kind; }))
      out.push_back(h);
  out.insert(out.end(), declared.begin(), declared.end());
  return out;
}

// Labels and annotations (ValidateObjectMeta), under `path` ("metadata" or
// "spec.metadata" for a claim template's).
void labels_annotations(Report& r, const std::string& path, const k8s::ObjectMeta& m) {
  const Pos lpos = m.origin.at("labels"), apos = m.origin.at("annotations");
  for (const auto& [key, value] : m.labels) {
    name_errors(r, path + ".labels", lpos, key, qualified_name(key));
    name_errors(r, path + ".labels", lpos, value, label_value(value));
  }
  size_t bytes = 0;
  for (const auto& [key, value] : m.annotations) {
    std::string lower = key;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    name_errors(r, path + ".annotations", apos, key, qualified_name(lower));
    bytes += key.size() + value.size();
  }
  if (bytes > 256 * 1024) r.too_long(path + ".annotations", apos, 256 * 1024);
}

enum class Scope { cluster, namespaced };

// ValidateObjectMeta in its order: generateName, name, namespace, generation, labels and
// annotations. `name_helper`: a DeviceClass's name is checked declaratively (content's
// wording), and its generateName is not checked (the "WithOpts" variant). A namespace left
// out is kubectl's to fill in, and a cluster-scoped object's is dropped by the server, so
// only a namespace written wrong is reported.
void object_meta(Report& r, const k8s::ObjectMeta& m, Scope scope,
                 Helper name_helper = Helper::util) {
  if (!m.generate_name.empty() && name_helper == Helper::util) {
    // Checked as a prefix: a trailing dash stands for the suffix the server appends.
    std::string masked = m.generate_name;
    if (masked.size() > 1 && masked.back() == '-')
      masked = masked.substr(0, masked.size() - 2) + "a";
    name_errors(r, "metadata.generateName", m.origin.at("generateName"), m.generate_name,
                dns1123_subdomain(masked));
  }
  const Pos pos = m.origin.at("name");
  if (m.name.empty()) {
    if (m.generate_name.empty())
      r.required("metadata.name", pos, "name or generateName is required");
  } else {
    name_errors(r, "metadata.name", pos, m.name, dns1123_subdomain(m.name, name_helper));
  }
  if (scope == Scope::namespaced && !m.namespace_.empty())
    name_errors(r, "metadata.namespace", m.origin.at("namespace"), m.namespace_,
                dns1123_label(m.namespace_));
  if (m.generation < 0)
    r.invalid("metadata.generation", m.origin.at("generation"), std::to_string(m.generation),
              "must be greater than or equal to 0");
  labels_annotations(r, "metadata", m);
}

// ---- node selectors (core ValidateNodeSelector) ----------------------------------------

void node_selector_requirement(Report& r, const std::string& p,
                               const k8s::NodeSelectorRequirement& q, bool field) {
  const std::string& op = q.operator_;
  if (op == "In" || op == "NotIn") {
    if (q.values.empty())
      r.required(p + ".values", q.origin.at("values"),
                 "must be specified when `operator` is 'In' or 'NotIn'");
  } else if (op == "Exists" || op == "DoesNotExist") {
    if (!q.values.empty())
      r.forbidden(p + ".values", q.origin.at("values"),
                  "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  } else if (op == "Gt" || op == "Lt") {
    if (q.values.size() != 1)
      r.required(p + ".values", q.origin.at("values"),
                 "must be specified single value when `operator` is 'Lt' or 'Gt'");
  } else {
    r.not_supported(p + ".operator", q.origin.at("operator"), quote(op),
                    {"DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"});
  }
  if (field) {
    if (q.key != "metadata.name")
      r.not_supported(p + ".key", q.origin.at("key"), quote(q.key), {"metadata.name"});
  } else {
    name_errors(r, p + ".key", q.origin.at("key"), q.key, qualified_name(q.key));
    for (size_t i = 0; i < q.values.size(); ++i)
      name_errors(r, fmt::format("{}.values[{}]", p, i), q.origin.at("values"), q.values[i],
                  label_value(q.values[i]));
  }
}

void node_selector(Report& r, const std::string& path, const k8s::NodeSelector& ns) {
  for (size_t t = 0; t < ns.node_selector_terms.size(); ++t) {
    const k8s::NodeSelectorTerm& term = ns.node_selector_terms[t];
    const std::string tp = fmt::format("{}.nodeSelectorTerms[{}]", path, t);
    for (size_t i = 0; i < term.match_expressions.size(); ++i)
      node_selector_requirement(r, fmt::format("{}.matchExpressions[{}]", tp, i),
                                term.match_expressions[i], false);
    for (size_t i = 0; i < term.match_fields.size(); ++i)
      node_selector_requirement(r, fmt::format("{}.matchFields[{}]", tp, i), term.match_fields[i],
                                true);
  }
}

// ---- CEL selectors -------------------------------------------------------------------------

struct Cel {
  const Options& options;
  uint32_t file;
  // Where offset `offset` of the expression is in the file.
  Pos locate(const k8s::CELDeviceSelector& s, uint32_t offset) const {
    const Pos start = s.origin.at("expression");
    if (!options.file_text) return start;
    const std::string_view text = options.file_text(file);
    if (text.empty()) return start;
    if (auto p = k8s::scalar_offset_pos(text, k8s::detect_syntax(text), start, s.style,
                                        s.expression, offset))
      return *p;
    return start;
  }
};

void selectors(Report& r, const Cel& cel, const std::string& path,
               const std::vector<k8s::DeviceSelector>& list, Pos list_pos) {
  if (list.size() > kMaxSelectors) return r.too_many(path, list_pos, list.size(), kMaxSelectors);
  for (size_t i = 0; i < list.size(); ++i) {
    const k8s::DeviceSelector& s = list[i];
    const std::string p = at(path, i);
    if (!s.cel) {
      r.required(p + ".cel", s.origin.pos);
      continue;
    }
    const std::string ep = p + ".cel.expression";
    const Pos epos = s.cel->origin.at("expression");
    if (s.cel->expression.size() > selectors::kMaxSelectorLength) {
      r.too_long(ep, epos, selectors::kMaxSelectorLength);
      continue;
    }
    const selectors::Compiled c = selectors::compile(s.cel->expression);
    if (!c.ok()) {
      r.invalid(ep, cel.locate(*s.cel, c.issues.front().offset), quote(s.cel->expression),
                "compilation failed: " + selectors::format_issues(s.cel->expression, c.issues));
      continue;
    }
    const selectors::CostEstimate cost = selectors::estimate_cost(*c.program);
    if (selectors::exceeds_cost_limit(cost)) r.forbidden(ep, epos, selectors::kCostLimitMessage);
  }
}

// ---- tolerations, opaque configuration --------------------------------------------------

void toleration(Report& r, const std::string& path, const k8s::DeviceToleration& t) {
  if (!t.key.empty())
    name_errors(r, path + ".key", t.origin.at("key"), t.key, qualified_name(t.key));
  const std::string op = t.operator_.empty() ? "Equal" : t.operator_;  // defaulted
  if (op == "Exists") {
    if (!t.value.empty())
      r.invalid(path + ".value", t.origin.at("value"), quote(t.value),
                "must be empty for operator `Exists`");
  } else if (op == "Equal") {
    name_errors(r, path + ".value", t.origin.at("value"), t.value, label_value(t.value));
  } else {
    r.not_supported(path + ".operator", t.origin.at("operator"), quote(op), {"Equal", "Exists"});
  }
  if (!t.effect.empty() && t.effect != "NoSchedule" && t.effect != "NoExecute" &&
      t.effect != "None")
    r.not_supported(path + ".effect", t.origin.at("effect"), quote(t.effect),
                    {"NoExecute", "NoSchedule", "None"});
}

void opaque(Report& r, const std::string& path, const k8s::OpaqueDeviceConfiguration& o) {
  if (r.declarative())
    declared_driver_name(r, path + ".driver", o.origin.at("driver"), o.driver);
  else
    driver_name(r, path + ".driver", o.origin.at("driver"), o.driver);
  const Pos ppos = o.origin.at("parameters");
  if (o.parameters.is_null()) {
    r.required(path + ".parameters", ppos);
  } else if (o.parameters.kind != k8s::Value::Kind::Map) {
    r.invalid(path + ".parameters", ppos, "\"<value omitted>\"",
              "parameters must be a valid JSON object");
  } else if (k8s::to_compact_json(o.parameters).size() > kMaxOpaqueBytes) {
    r.too_long(path + ".parameters", ppos, kMaxOpaqueBytes);
  }
}

void configuration(Report& r, const std::string& path, const k8s::DeviceConfiguration& c, Pos pos) {
  if (!c.opaque) return r.required(path + ".opaque", pos, "exactly one of `opaque` is required");
  opaque(r, path + ".opaque", *c.opaque);
}

// ---- claims ----------------------------------------------------------------------------

void allocation_mode(Report& r, const std::string& path, const std::string& mode, int64_t count,
                     const k8s::Origin& o) {
  // Validated after the server's defaulting: ExactCount, and a count of 1 when unset.
  const std::string m = mode.empty() ? "ExactCount" : mode;
  if (m == "All") {
    if (count != 0)
      r.invalid(path + ".count", o.at("count"), std::to_string(count),
                "must not be specified when allocationMode is 'All'");
  } else if (m == "ExactCount") {
    const int64_t c = count == 0 && mode.empty() ? 1 : count;
    if (c <= 0)
      r.invalid(path + ".count", o.at("count"), std::to_string(c), "must be greater than zero");
  } else {
    r.not_supported(path + ".allocationMode", o.at("allocationMode"), quote(m),
                    {"All", "ExactCount"});
  }
}

// Request names, and the subrequest names of each ("" set: no subrequests).
using RequestNames = std::vector<std::pair<std::string, std::set<std::string>>>;

bool resolves(const RequestNames& names, std::string_view ref) {
  const size_t slash = ref.find('/');
  const std::string_view req = ref.substr(0, slash);
  for (const auto& [name, subs] : names) {
    if (name != req) continue;
    if (slash == std::string_view::npos) return true;
    const std::string_view sub = ref.substr(slash + 1);
    return sub.find('/') == std::string_view::npos && subs.count(std::string(sub)) > 0;
  }
  return false;
}

void request_refs(Report& r, const std::string& path, const std::vector<std::string>& refs,
                  const RequestNames& names, Pos pos) {
  std::set<std::string> seen;
  for (size_t i = 0; i < refs.size(); ++i) {
    const std::string& ref = refs[i];
    const std::string p = at(path, i);
    if (!seen.insert(ref).second) {
      r.duplicate(p, pos, quote(ref));
      continue;
    }
    const std::string not_a_request =
        "must be the name of a request in the claim or the name of a request and a subrequest "
        "separated by '/'";
    if (std::count(ref.begin(), ref.end(), '/') > 1) {
      r.invalid(p, pos, quote(ref), not_a_request);
      continue;
    }
    for (size_t start = 0;;) {
      const size_t slash = ref.find('/', start);
      const std::string part =
          ref.substr(start, slash == std::string::npos ? slash : slash - start);
      name_errors(r, p, pos, part, dns1123_label(part));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (!resolves(names, ref)) r.invalid(p, pos, quote(ref), not_a_request);
  }
}

// Server defaulting before validation: an exact request's allocationMode and count, a
// toleration's operator.
template <typename Request>
void default_exact(Request& e) {
  if (e.allocation_mode.empty()) e.allocation_mode = "ExactCount";
  if (e.allocation_mode == "ExactCount" && e.count == 0) e.count = 1;
  for (k8s::DeviceToleration& t : e.tolerations)
    if (t.operator_.empty()) t.operator_ = "Equal";
}

k8s::DeviceSubRequest defaulted(k8s::DeviceSubRequest s) {
  default_exact(s);
  return s;
}

k8s::DeviceRequest defaulted(k8s::DeviceRequest r) {
  if (r.exactly) default_exact(*r.exactly);
  for (k8s::DeviceSubRequest& s : r.first_available) default_exact(s);
  return r;
}

void device_claim(Report& r, const Cel& cel, const std::string& path, const k8s::DeviceClaim& d) {
  RequestNames names;
  for (const k8s::DeviceRequest& req : d.requests) {
    std::set<std::string> subs;
    for (const k8s::DeviceSubRequest& s : req.first_available) subs.insert(s.name);
    names.emplace_back(req.name, std::move(subs));
  }
  const std::string rp = path + ".requests";
  if (d.requests.size() > kMaxRequests) {
    r.too_many(rp, d.origin.at("requests"), d.requests.size(), kMaxRequests);
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < d.requests.size(); ++i) {
      const k8s::DeviceRequest& req = d.requests[i];
      const std::string p = at(rp, i);
      dns_label(r, p + ".name", req.origin.at("name"), req.name);
      if (!seen.insert(req.name).second)
        duplicate_item(r, p, req.origin.pos, defaulted(req), req.name);
      const bool exact = req.exactly.has_value(), first = !req.first_available.empty();
      if (!exact && !first) {
        r.required(p, req.origin.pos, "exactly one of `exactly` or `firstAvailable` is required");
      } else if (exact && first) {
        r.invalid(p, req.origin.pos, "null",
                  "exactly one of `exactly` or `firstAvailable` is required, but multiple fields "
                  "are set");
      } else if (exact) {
        const k8s::ExactDeviceRequest& e = *req.exactly;
        const std::string ep = p + ".exactly";
        dns_subdomain(r, ep + ".deviceClassName", e.origin.at("deviceClassName"),
                      e.device_class_name);
        selectors(r, cel, ep + ".selectors", e.selectors, e.origin.at("selectors"));
        allocation_mode(r, ep, e.allocation_mode, e.count, e.origin);
        for (size_t t = 0; t < e.tolerations.size(); ++t)
          toleration(r, at(ep + ".tolerations", t), e.tolerations[t]);
      } else {
        const std::string fp = p + ".firstAvailable";
        if (req.first_available.size() > kMaxSubrequests) {
          r.too_many(fp, req.origin.at("firstAvailable"), req.first_available.size(),
                     kMaxSubrequests);
          continue;
        }
        std::set<std::string> sub_seen;
        for (size_t s = 0; s < req.first_available.size(); ++s) {
          const k8s::DeviceSubRequest& sub = req.first_available[s];
          const std::string sp = at(fp, s);
          dns_label(r, sp + ".name", sub.origin.at("name"), sub.name);
          if (!sub_seen.insert(sub.name).second)
            duplicate_item(r, sp, sub.origin.pos, defaulted(sub), sub.name);
          dns_subdomain(r, sp + ".deviceClassName", sub.origin.at("deviceClassName"),
                        sub.device_class_name, r.declarative() ? Helper::content : Helper::util);
          selectors(r, cel, sp + ".selectors", sub.selectors, sub.origin.at("selectors"));
          allocation_mode(r, sp, sub.allocation_mode, sub.count, sub.origin);
          for (size_t t = 0; t < sub.tolerations.size(); ++t)
            toleration(r, at(sp + ".tolerations", t), sub.tolerations[t]);
        }
      }
    }
  }
  const std::string cp = path + ".constraints";
  if (d.constraints.size() > kMaxConstraints) {
    r.too_many(cp, d.origin.at("constraints"), d.constraints.size(), kMaxConstraints);
  } else {
    for (size_t i = 0; i < d.constraints.size(); ++i) {
      const k8s::DeviceConstraint& c = d.constraints[i];
      const std::string p = at(cp, i);
      request_refs(r, p + ".requests", c.requests, names, c.origin.at("requests"));
      // Only one is validated when both are set (upstream accepts that); with neither, the
      // server's message says "multiple fields are set" all the same.
      // matchAttribute has a declarative format (resource/v1), distinctAttribute not.
      if (c.match_attribute) {
        const std::string_view n = *c.match_attribute;
        report(r, p + ".matchAttribute", c.origin.at("matchAttribute"),
               r.declarative() ? merged(fully_qualified(n), declared_fully_qualified(n))
                               : fully_qualified(n));
      } else if (c.distinct_attribute) {
        report(r, p + ".distinctAttribute", c.origin.at("distinctAttribute"),
               fully_qualified(*c.distinct_attribute));
      } else {
        r.required(p, c.origin.pos,
                   "exactly one of \"matchAttribute\" or \"distinctAttribute\" is required, but "
                   "multiple fields are set");
      }
    }
  }
  const std::string fp = path + ".config";
  if (d.config.size() > kMaxConfig) {
    r.too_many(fp, d.origin.at("config"), d.config.size(), kMaxConfig);
  } else {
    for (size_t i = 0; i < d.config.size(); ++i) {
      const k8s::DeviceClaimConfiguration& c = d.config[i];
      const std::string p = at(fp, i);
      request_refs(r, p + ".requests", c.requests, names, c.origin.at("requests"));
      configuration(r, p, c.config, c.origin.pos);
    }
  }
}

// ---- slices ------------------------------------------------------------------------------

// A consumable capacity's requestPolicy (the device allows multiple allocations).
void request_policy(Report& r, const std::string& p, const k8s::CapacityRequestPolicy& rp,
                    const k8s::Quantity& capacity, Pos pos) {
  auto q = [](const k8s::Quantity& x) { return quote(x.to_string()); };
  const std::string cap = capacity.to_string();
  const bool values = !rp.valid_values.empty();
  if (values && rp.valid_range) {
    r.forbidden(p, pos,
                "exactly one policy can be specified, cannot specify \"validValues\" and "
                "\"validRange\" at the same time");
    return;
  }
  if (values) {
    if (!rp.default_)
      return r.required(p + ".default", rp.origin.at("default"),
                        "required when validValues is defined");
    const auto& v = rp.valid_values;
    for (size_t i = 0; i + 1 < v.size(); ++i)
      if (v[i] > v[i + 1])
        r.invalid(fmt::format("{}.validValues[{}]", p, i + 1), rp.origin.at("validValues"),
                  q(v[i + 1]), "values must be sorted in ascending order");
    if (v.size() > 10)
      return r.too_many(p + ".validValues", rp.origin.at("validValues"), v.size(), 10);
    bool found = false;
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string vp = fmt::format("{}.validValues[{}]", p, i);
      if (v[i] > capacity)
        r.invalid(vp, rp.origin.at("validValues"), q(v[i]),
                  "option is larger than capacity value: " + cap);
      for (size_t j = 0; j < i; ++j)
        if (v[j] == v[i]) {
          r.duplicate(vp, rp.origin.at("validValues"), q(v[i]));
          break;
        }
      found = found || v[i] == *rp.default_;
    }
    if (!found)
      r.invalid(p + ".validValues", rp.origin.at("validValues"), q(*rp.default_),
                "default value is not valid according to the requestPolicy");
    return;
  }
  if (!rp.valid_range) return;
  const k8s::CapacityRequestPolicyRange& range = *rp.valid_range;
  const std::string rpath = p + ".validRange";
  if (!rp.default_)
    return r.required(p + ".default", rp.origin.at("default"),
                      "required when validRange is defined");
  if (!range.min)
    return r.required(rpath + ".min", range.origin.pos, "required when validRange is defined");
  const k8s::Quantity& min = *range.min;
  const k8s::Quantity& def = *rp.default_;
  if (min > capacity)
    r.invalid(rpath + ".min", range.origin.at("min"), q(min),
              "min is larger than capacity value: " + cap);
  if (def < min)
    r.invalid(rpath + ".default", rp.origin.at("default"), q(def),
              "default is less than min: " + min.to_string());
  if (range.max) {
    const k8s::Quantity& max = *range.max;
    if (min > max)
      r.invalid(rpath + ".max", range.origin.at("max"), q(min),
                "min is larger than max: " + max.to_string());
    if (max > capacity)
      r.invalid(rpath + ".max", range.origin.at("max"), q(max),
                "max is larger than capacity value: " + cap);
    if (def > max)
      r.invalid(rpath + ".default", rp.origin.at("default"), q(def),
                "default is more than max: " + max.to_string());
  }
  // Fractional values must be exact in milli-units.
  auto fractional = [](const k8s::Quantity& x) {
    k8s::Quantity rounded = x;
    return !rounded.round_up(0);  // false when it was a whole number already
  };
  const bool any_fraction = fractional(def) || fractional(min) ||
                            (range.max && fractional(*range.max)) ||
                            (range.step && fractional(*range.step));
  if (any_fraction) {
    bool inexact = false;
    auto milli = [&](const std::string& name, const k8s::Quantity& x, Pos at) {
      if (k8s::Quantity::from_milli(x.milli_value()) == x) return;
      inexact = true;
      r.invalid(rpath + "." + name, at, q(x), "value cannot be represented as a milli value");
    };
    milli("default", def, rp.origin.at("default"));
    milli("min", min, range.origin.at("min"));
    if (range.max) milli("max", *range.max, range.origin.at("max"));
    if (range.step) milli("step", *range.step, range.origin.at("step"));
    if (inexact) return;
  }
  if (range.step) {
    const k8s::Quantity& step = *range.step;
    if (step.sign() <= 0) {
      r.invalid(rpath + ".step", range.origin.at("step"), q(step), "must be greater than zero");
    } else {
      k8s::Quantity one = min;
      if (one.add(step) && one > capacity)
        r.invalid(
            rpath + ".step", range.origin.at("step"), q(step),
            fmt::format("one step {} is larger than capacity value: {}", one.to_string(), cap));
    }
  }
}

// nodeAllocatableResources (alpha): resources a device adds to or takes from the node.
void node_allocatable(Report& r, const std::string& p, const k8s::Device& d) {
  auto quantity = [](const k8s::Value* v) -> std::optional<k8s::Quantity> {
    if (!v || v->is_null()) return std::nullopt;
    return k8s::Quantity::parse(v->text);
  };
  const Pos pos = d.origin.at("nodeAllocatableResources");
  for (const auto& [key, res] : d.node_allocatable_resources) {
    const std::string kp = fmt::format("{}.nodeAllocatableResources[{}]", p, key);
    const bool allocatable = key == "cpu" || key == "memory" || key.starts_with("hugepages-");
    if (!allocatable) {
      r.invalid(kp, pos, quote(key), "must be a node allocatable resource name");
      continue;
    }
    const bool mapping = !res.mapping.is_null(), overhead = !res.overhead.is_null();
    if (!mapping && !overhead)
      r.required(kp, pos, "at least one of mapping or overhead must be set");
    if (mapping) {
      const std::string mp = kp + ".mapping";
      const k8s::Value* ck = res.mapping.get("capacityKey");
      const auto cm = quantity(res.mapping.get("capacityMultiplier"));
      const auto dm = quantity(res.mapping.get("deviceMultiplier"));
      if (ck && !ck->is_null()) {
        if (ck->text.empty()) {
          r.invalid(mp + ".capacityKey", pos, "\"\"", "capacityKey must not be an empty string");
        } else if (std::none_of(d.capacity.begin(), d.capacity.end(),
                                [&](const auto& c) { return c.first.view() == ck->text; })) {
          r.not_found(mp + ".capacityKey", pos, quote(ck->text));
        }
        if (!cm)
          r.required(mp + ".capacityMultiplier", pos,
                     "capacityMultiplier is required when capacityKey is set");
      } else if (cm) {
        r.required(mp + ".capacityKey", pos,
                   "capacityKey is required when capacityMultiplier is set");
      }
      if (cm && cm->sign() <= 0)
        r.invalid(mp + ".capacityMultiplier", pos, quote(cm->to_string()), "must be positive");
      if (dm && dm->sign() <= 0)
        r.invalid(mp + ".deviceMultiplier", pos, quote(dm->to_string()), "must be positive");
    }
    if (overhead) {
      const std::string op = kp + ".overhead";
      const auto per_pod = quantity(res.overhead.get("perPod"));
      const auto per_container = quantity(res.overhead.get("perContainer"));
      if (!per_pod && !per_container) {
        r.invalid(op, pos, "\"\"", "at least one of perPod or perContainer must be set");
      } else {
        if (per_pod && per_pod->sign() < 0)
          r.invalid(op + ".perPod", pos, quote(per_pod->to_string()), "must be non-negative");
        if (per_container && per_container->sign() < 0)
          r.invalid(op + ".perContainer", pos, quote(per_container->to_string()),
                    "must be non-negative");
      }
    }
  }
}

// The length of a list value, 0 for a scalar.
size_t list_length(const k8s::DeviceAttribute& a) {
  using T = k8s::DeviceAttribute::Type;
  switch (a.type) {
    case T::Ints:
      return a.ints().size();
    case T::Bools:
      return a.bools().size();
    case T::Strings:
    case T::Versions:
      return a.strings().size();
    default:
      return 0;
  }
}

// An attribute's union members (the json names, in resource/v1's field order).
constexpr std::string_view kAttributeMembers[] = {"int",  "bool",  "string",  "version",
                                                  "ints", "bools", "strings", "versions"};

// The internal type's JSON (Go field names, every field, null when unset): the value the
// handwritten union check prints.
std::string internal_attribute_json(const std::vector<const k8s::DeviceAttribute*>& members) {
  using T = k8s::DeviceAttribute::Type;
  constexpr std::string_view kGoNames[] = {"IntValue",     "BoolValue",    "StringValue",
                                           "VersionValue", "IntValues",    "BoolValues",
                                           "StringValues", "VersionValues"};
  k8s::Value out = k8s::Value::map();
  for (size_t i = 0; i < std::size(kGoNames); ++i) {
    k8s::Value v = k8s::Value::null();
    for (const k8s::DeviceAttribute* m : members) {
      if (static_cast<size_t>(m->type) != i + 1) continue;
      switch (m->type) {
        case T::Int:
          v = k8s::Value::of(m->int_value());
          break;
        case T::Bool:
          v = k8s::Value::of(m->bool_value());
          break;
        case T::String:
        case T::Version:
          v = k8s::Value::of(std::string(m->string_value()));
          break;
        case T::Ints:
          v = k8s::Value::list();
          for (int64_t x : m->ints()) v.items.push_back(k8s::Value::of(x));
          break;
        case T::Bools:
          v = k8s::Value::list();
          for (bool x : m->bools()) v.items.push_back(k8s::Value::of(x));
          break;
        default:
          v = k8s::Value::list();
          for (const std::string& x : m->strings()) v.items.push_back(k8s::Value::of(x));
          break;
      }
    }
    out.add(std::string(kGoNames[i]), std::move(v));
  }
  return k8s::to_compact_json(out);
}

// Exactly one value per attribute. The handwritten check counts the fields written; the
// declarative one (which replaces it where both fire) counts scalars and non-empty lists.
void attribute_union(Report& r, const std::string& path, Pos pos,
                     const std::vector<const k8s::DeviceAttribute*>& members) {
  using T = k8s::DeviceAttribute::Type;
  std::vector<size_t> declared;  // indexes into kAttributeMembers
  size_t written = 0;
  for (const k8s::DeviceAttribute* m : members) {
    if (m->type == T::None) continue;
    ++written;
    const bool list = m->type >= T::Ints;
    if (!list || list_length(*m) > 0) declared.push_back(static_cast<size_t>(m->type) - 1);
  }
  std::sort(declared.begin(), declared.end());
  std::string all;
  for (std::string_view n : kAttributeMembers)
    all += fmt::format("{}`{}`", all.empty() ? "" : ", ", n);
  if (declared.empty()) {
    r.invalid(path, pos, "\"\"", "must specify one of: " + all);
  } else if (declared.size() > 1) {
    std::string set;
    for (size_t i : declared)
      set += fmt::format("{}{}", set.empty() ? "" : ", ", kAttributeMembers[i]);
    r.invalid(path, pos, quote("{" + set + "}"), "must specify exactly one of: " + all);
  } else if (written > 1) {
    r.invalid(path, pos, internal_attribute_json(members), "exactly one value must be specified");
  }
}

void device(Report& r, const std::string& p, const k8s::Device& d,
            const k8s::ResourceSliceSpec& s) {
  dns_label(r, p + ".name", d.origin.at("name"), d.name);
  const size_t keys = d.attributes.size() + d.capacity.size();
  if (keys > kMaxAttributesAndCapacities)
    r.invalid(p, d.origin.pos, std::to_string(keys),
              fmt::format("the total number of attributes and capacities must not exceed {}",
                          kMaxAttributesAndCapacities));
  size_t values = 0;
  for (const auto& [name, first] : d.attributes) {
    const std::string ap = fmt::format("{}.attributes[{}]", p, name.view());
    attribute_name(r, p + ".attributes", first.pos, name.view());
    // Every value written for the name (lint keeps those after the first apart).
    std::vector<const k8s::DeviceAttribute*> members = {&first};
    if (d.lint_extra_values)
      for (const auto& [extra_name, extra] : *d.lint_extra_values)
        if (extra_name == name) members.push_back(&extra);
    using T = k8s::DeviceAttribute::Type;
    size_t lists = 0;  // a scalar counts 1, lists their items (upstream's count)
    for (const k8s::DeviceAttribute* m : members) {
      const k8s::DeviceAttribute& a = *m;
      lists += list_length(a);
      auto text = [&](const std::string& path, std::string_view v, bool version) {
        if (version && !k8s::Semver::parse(v))
          r.invalid(path, a.pos, quote(v),
                    "must be a string compatible with semver.org spec 2.0.0");
        if (v.size() > kMaxAttributeLength) r.too_long(path, a.pos, kMaxAttributeLength);
      };
      switch (a.type) {
        case T::String:
        case T::Version:
          text(ap + (a.type == T::String ? ".string" : ".version"), a.string_value(),
               a.type == T::Version);
          break;
        case T::Strings:
        case T::Versions: {
          const std::string lp = ap + (a.type == T::Strings ? ".strings" : ".versions");
          if (a.strings().empty()) r.invalid(lp, a.pos, "[]", "must not be empty if specified");
          for (size_t i = 0; i < a.strings().size(); ++i)
            text(at(lp, i), a.strings()[i], a.type == T::Versions);
          break;
        }
        case T::Ints:
          if (a.ints().empty())
            r.invalid(ap + ".ints", a.pos, "[]", "must not be empty if specified");
          break;
        case T::Bools:
          if (a.bools().empty())
            r.invalid(ap + ".bools", a.pos, "[]", "must not be empty if specified");
          break;
        default:
          break;
      }
    }
    values += lists == 0 ? 1 : lists;
    attribute_union(r, ap, first.pos, members);
  }
  if (values > kMaxAttributeValues)
    r.invalid(p, d.origin.pos, std::to_string(values),
              fmt::format("the total number of attribute values must not exceed {}",
                          kMaxAttributeValues));
  for (const auto& [name, c] : d.capacity) {
    const std::string cp = fmt::format("{}.capacity[{}]", p, name.view());
    attribute_name(r, p + ".capacity", c.pos, name.view());
    if (c.request_policy && !d.allow_multiple_allocations.value_or(false))
      r.forbidden(cp + ".requestPolicy", c.pos, "allowMultipleAllocations must be true");
    else if (c.request_policy)
      request_policy(r, cp + ".requestPolicy", *c.request_policy, c.value, c.pos);
  }
  node_allocatable(r, p, d);
  if (d.taints.size() > kMaxTaints) {
    r.too_many(p + ".taints", d.origin.at("taints"), d.taints.size(), kMaxTaints);
  } else {
    for (size_t i = 0; i < d.taints.size(); ++i) {
      const k8s::DeviceTaint& t = d.taints[i];
      const std::string tp = at(p + ".taints", i);
      name_errors(r, tp + ".key", t.origin.at("key"), t.key, qualified_name(t.key));
      if (!t.value.empty())
        name_errors(r, tp + ".value", t.origin.at("value"), t.value, label_value(t.value));
      if (t.effect.empty()) {
        r.required(tp + ".effect", t.origin.at("effect"));
      } else if (t.effect != "NoSchedule" && t.effect != "NoExecute" && t.effect != "None") {
        r.not_supported(tp + ".effect", t.origin.at("effect"), quote(t.effect),
                        {"NoExecute", "NoSchedule", "None"});
      }
    }
  }
  if (d.consumes_counters.size() > kMaxConsumptions) {
    r.too_many(p + ".consumesCounters", d.origin.at("consumesCounters"), d.consumes_counters.size(),
               kMaxConsumptions);
  } else {
    std::set<std::string_view> sets;
    for (size_t i = 0; i < d.consumes_counters.size(); ++i) {
      const k8s::DeviceCounterConsumption& c = d.consumes_counters[i];
      const std::string cp = at(p + ".consumesCounters", i);
      dns_label(r, cp + ".counterSet", c.origin.at("counterSet"), c.counter_set, Helper::content);
      if (!sets.insert(c.counter_set).second) duplicate_item(r, cp, c.origin.pos, c, c.counter_set);
      if (c.counters.empty()) r.required(cp + ".counters", c.origin.at("counters"));
      if (c.counters.size() > kMaxCounters)
        r.too_many(cp + ".counters", c.origin.at("counters"), c.counters.size(), kMaxCounters);
      for (const auto& [name, counter] : c.counters)
        name_errors(r, cp + ".counters", counter.pos, name, dns1123_label(name, Helper::content));
    }
  }
  // Node selection per device: only with perDeviceNodeSelection, then exactly one.
  const bool per_device = s.per_device_node_selection.value_or(false);
  const int set = (d.node_name && !d.node_name->empty() ? 1 : 0) + (d.node_selector ? 1 : 0) +
                  (d.all_nodes.value_or(false) ? 1 : 0);
  if (per_device) {
    if (d.node_name && d.node_name->empty())
      r.invalid(p + ".nodeName", d.origin.at("nodeName"), "\"\"", "must not be empty");
    if (d.all_nodes && !*d.all_nodes)
      r.invalid(p + ".allNodes", d.origin.at("allNodes"), "false",
                "must be either unset or set to true");
    const std::string one =
        "exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when "
        "`perDeviceNodeSelection` is set to true in the ResourceSlice spec";
    if (set == 0) {
      r.required(p, d.origin.pos, one);
    } else if (set > 1) {
      r.invalid(p, d.origin.pos, "null", one);
    }
    if (d.node_name && !d.node_name->empty())
      name_errors(r, p + ".nodeName", d.origin.at("nodeName"), *d.node_name,
                  dns1123_subdomain(*d.node_name));
    if (d.node_selector) node_selector(r, p + ".nodeSelector", *d.node_selector);
  } else if (set > 0 || d.node_name || d.all_nodes) {
    const char* field = d.node_name ? "nodeName" : d.node_selector ? "nodeSelector" : "allNodes";
    r.invalid(std::string(p) + "." + field, d.origin.at(field), "null",
              "`nodeName`, `nodeSelector` and `allNodes` can only be set if "
              "`perDeviceNodeSelection` is set to true in the ResourceSlice spec");
  }
  // Binding conditions go together.
  for (const auto& [field, list] :
       {std::pair{"bindingConditions", &d.binding_conditions},
        std::pair{"bindingFailureConditions", &d.binding_failure_conditions}}) {
    if (list->size() > kMaxBindingConditions)
      r.too_many(p + "." + field, d.origin.at(field), list->size(), kMaxBindingConditions);
    std::set<std::string> seen;
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string& c = (*list)[i];
      name_errors(r, at(p + "." + field, i), d.origin.at(field), c, qualified_name(c));
      if (!seen.insert(c).second) r.duplicate(at(p + "." + field, i), d.origin.at(field), quote(c));
    }
  }
  if (d.binding_conditions.empty() && !d.binding_failure_conditions.empty())
    r.invalid(p + ".bindingConditions", d.origin.at("bindingFailureConditions"), "null",
              "bindingConditions are required to use bindingFailureConditions");
  if (!d.binding_conditions.empty() && d.binding_failure_conditions.empty())
    r.invalid(p + ".bindingFailureConditions", d.origin.at("bindingConditions"), "null",
              "bindingFailureConditions are required to use bindingConditions");
  for (size_t i = 0; i < d.binding_failure_conditions.size(); ++i) {
    const std::string& c = d.binding_failure_conditions[i];
    if (std::find(d.binding_conditions.begin(), d.binding_conditions.end(), c) !=
        d.binding_conditions.end())
      r.invalid(at(p + ".bindingFailureConditions", i), d.origin.at("bindingFailureConditions"),
                quote(c), "bindingFailureConditions must not overlap with bindingConditions");
  }
}

bool advanced(const k8s::Device& d) {
  using T = k8s::DeviceAttribute::Type;
  if (!d.taints.empty() || !d.consumes_counters.empty()) return true;
  return std::any_of(d.attributes.begin(), d.attributes.end(), [](const auto& a) {
    return a.second.type == T::Ints || a.second.type == T::Bools || a.second.type == T::Strings ||
           a.second.type == T::Versions;
  });
}

void slice_spec(Report& r, const k8s::ResourceSliceSpec& s) {
  driver_name(r, "spec.driver", s.origin.at("driver"), s.driver);
  pool_name(r, "spec.pool.name", s.pool.origin.at("name"), s.pool.name);
  if (s.pool.resource_slice_count <= 0)
    r.invalid("spec.pool.resourceSliceCount", s.pool.origin.at("resourceSliceCount"),
              std::to_string(s.pool.resource_slice_count), "must be greater than zero");
  if (s.pool.generation < 0)
    r.invalid("spec.pool.generation", s.pool.origin.at("generation"),
              std::to_string(s.pool.generation), "must be greater than or equal to zero");
  // Exactly one way of selecting nodes: nodeName "", allNodes false and
  // perDeviceNodeSelection false count as unset (and are errors of their own).
  int set = 0;
  set += s.node_name && !s.node_name->empty();
  set += s.node_selector.has_value();
  set += s.all_nodes.value_or(false);
  set += s.per_device_node_selection.value_or(false);
  const std::string one =
      "exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required";
  if (set > 1) r.invalid("spec", s.origin.pos, "null", one + ", but multiple fields are set");
  const bool unset_forms = (s.node_name && s.node_name->empty()) ||
                           (s.all_nodes && !*s.all_nodes) ||
                           (s.per_device_node_selection && !*s.per_device_node_selection);
  if (set == 0 && !unset_forms) r.required("spec", s.origin.pos, one);
  if (s.node_name) {
    if (s.node_name->empty()) {
      r.invalid("spec.nodeName", s.origin.at("nodeName"), "\"\"",
                "must be either unset or set to a non-empty string");
    } else {
      name_errors(r, "spec.nodeName", s.origin.at("nodeName"), *s.node_name,
                  dns1123_subdomain(*s.node_name));
    }
  }
  if (s.all_nodes && !*s.all_nodes)
    r.invalid("spec.allNodes", s.origin.at("allNodes"), "false",
              "must be either unset or set to true");
  if (s.per_device_node_selection && !*s.per_device_node_selection)
    r.invalid("spec.perDeviceNodeSelection", s.origin.at("perDeviceNodeSelection"), "false",
              "must be either unset or set to true");
  if (s.node_selector) {
    node_selector(r, "spec.nodeSelector", *s.node_selector);
    const Pos tpos = s.node_selector->origin.at("nodeSelectorTerms");
    const size_t terms = s.node_selector->node_selector_terms.size();
    if (terms == 0)
      r.required("spec.nodeSelector.nodeSelectorTerms", tpos,
                 "must have at least one node selector term");
    if (terms != 1)
      r.invalid("spec.nodeSelector.nodeSelectorTerms", tpos, std::to_string(terms),
                "must have exactly one node selector term");
  }
  // partitionTypeAttribute: only with devices that consume counters, each of which must
  // have it as a string attribute.
  // The format is checked declaratively (standard, so always), the rest by hand; a name
  // the handwritten check finds malformed stops the per-device checks.
  if (const auto& pta = s.partition_type_attribute) {
    const Pos ppos = s.origin.at("partitionTypeAttribute");
    report(r, "spec.partitionTypeAttribute", ppos, declared_fully_qualified(*pta));
    const bool consumers = std::any_of(s.devices.begin(), s.devices.end(),
                                       [](const auto& d) { return !d.consumes_counters.empty(); });
    if (!consumers)
      r.invalid("spec.partitionTypeAttribute", ppos, quote(*pta),
                "may only be set on a slice which declares devices that consume counters");
    const bool well_formed = fully_qualified(*pta).empty();
    for (size_t i = 0; consumers && well_formed && i < s.devices.size(); ++i) {
      const k8s::Device& d = s.devices[i];
      if (d.consumes_counters.empty()) continue;
      // The name as written wins over the bare form of the driver's own domain.
      const k8s::DeviceAttribute* a = nullptr;
      for (const auto& [name, value] : d.attributes)
        if (name.view() == *pta) a = &value;
      if (!a) a = d.attribute(*pta, s.driver);
      const std::string ap = fmt::format("spec.devices[{}].attributes[{}]", i, *pta);
      if (!a) {
        r.required(ap, d.origin.at("attributes"),
                   "device consumes counters and `partitionTypeAttribute` names this attribute, "
                   "so it must be set");
      } else if (a->type != k8s::DeviceAttribute::Type::String) {
        r.invalid(ap, a->pos, internal_attribute_json({a}),
                  "must be a string value because `partitionTypeAttribute` names this attribute");
      }
    }
  }
  // NodePrepareResources may be skipped only together with NodeUnprepareResources.
  const auto& skip = s.skip_node_operations;
  auto skips = [&](std::string_view op) {
    return std::find(skip.begin(), skip.end(), op) != skip.end() ||
           std::find(skip.begin(), skip.end(), "*") != skip.end();
  };
  if (std::find(skip.begin(), skip.end(), "NodePrepareResources") != skip.end() &&
      !skips("NodeUnprepareResources")) {
    std::string list;
    for (const std::string& op : skip) list += (list.empty() ? "" : ",") + quote(op);
    r.invalid("spec.skipNodeOperations", s.origin.at("skipNodeOperations"), "[" + list + "]",
              "NodePrepareResources cannot be skipped unless NodeUnprepareResources is also "
              "skipped");
  }
  if (!s.devices.empty() && !s.shared_counters.empty())
    r.invalid("spec", s.origin.pos, "null", "only one of `sharedCounters` or `devices` is allowed");
  const bool adv = std::any_of(s.devices.begin(), s.devices.end(), advanced);
  const size_t max = adv ? kMaxDevicesAdvanced : kMaxDevices;
  if (s.devices.size() > max) {
    r.too_many("spec.devices", s.origin.at("devices"), s.devices.size(), max);
  } else {
    std::set<std::string> names;
    for (size_t i = 0; i < s.devices.size(); ++i) {
      const k8s::Device& d = s.devices[i];
      device(r, at("spec.devices", i), d, s);
      if (!names.insert(d.name).second)
        r.duplicate(at("spec.devices", i), d.origin.pos, quote(d.name));
    }
  }
  if (s.shared_counters.size() > kMaxCounterSets) {
    r.too_many("spec.sharedCounters", s.origin.at("sharedCounters"), s.shared_counters.size(),
               kMaxCounterSets);
  } else {
    std::set<std::string_view> names;
    for (size_t i = 0; i < s.shared_counters.size(); ++i) {
      const k8s::CounterSet& cs = s.shared_counters[i];
      const std::string p = at("spec.sharedCounters", i);
      dns_label(r, p + ".name", cs.origin.at("name"), cs.name, Helper::content);
      if (!names.insert(cs.name).second) duplicate_item(r, p, cs.origin.pos, cs, cs.name);
      if (cs.counters.empty()) r.required(p + ".counters", cs.origin.at("counters"));
      if (cs.counters.size() > kMaxCounters)
        r.too_many(p + ".counters", cs.origin.at("counters"), cs.counters.size(), kMaxCounters);
      for (const auto& [name, counter] : cs.counters)
        name_errors(r, p + ".counters", counter.pos, name, dns1123_label(name, Helper::content));
    }
  }
}

}  // namespace

void validate(const k8s::Cluster& cluster, const Options& options, std::vector<Finding>& out) {
  auto report = [&](const k8s::Source& src, std::string object) {
    return Report(out, options, cluster.files.at(src.file), src.version, std::move(object));
  };
  for (const k8s::DeviceClass& c : cluster.device_classes) {
    Report r = report(c.source, "DeviceClass " + c.metadata.name);
    const Cel cel{options, c.source.file};
    object_meta(r, c.metadata, Scope::cluster, Helper::content);
    selectors(r, cel, "spec.selectors", c.spec.selectors, c.spec.origin.at("selectors"));
    if (c.spec.config.size() > kMaxConfig) {
      r.too_many("spec.config", c.spec.origin.at("config"), c.spec.config.size(), kMaxConfig);
    } else {
      for (size_t i = 0; i < c.spec.config.size(); ++i)
        configuration(r, at("spec.config", i), c.spec.config[i].config,
                      c.spec.config[i].origin.pos);
    }
    if (c.spec.extended_resource_name) {
      const std::string& n = *c.spec.extended_resource_name;
      const Pos pos = c.spec.origin.at("extendedResourceName");
      const std::string path = "spec.extendedResourceName";
      if (n.find('/') == std::string::npos) {
        r.invalid(path, pos, quote(n),
                  "a name must be a domain-prefixed path, such as 'example.com/my-prop'");
      } else if (n.find("kubernetes.io/") != std::string::npos) {
        r.invalid(path, pos, quote(n), "must not have \"kubernetes.io/\" domain");
      } else if (n.starts_with("requests.")) {
        r.invalid(path, pos, quote(n), "must not have \"requests.\" prefix");
      } else {
        for (const std::string& e : qualified_name("requests." + n))
          r.invalid(path, pos, quote(n), e);
      }
    }
  }
  for (const k8s::ResourceClaim& c : cluster.resource_claims) {
    Report r = report(c.source, fmt::format("ResourceClaim {}",
                                            c.metadata.namespace_.empty()
                                                ? c.metadata.name
                                                : c.metadata.namespace_ + "/" + c.metadata.name));
    object_meta(r, c.metadata, Scope::namespaced);
    device_claim(r, Cel{options, c.source.file}, "spec.devices", c.spec.devices);
  }
  for (const k8s::ResourceClaimTemplate& t : cluster.resource_claim_templates) {
    Report r = report(t.source, fmt::format("ResourceClaimTemplate {}",
                                            t.metadata.namespace_.empty()
                                                ? t.metadata.name
                                                : t.metadata.namespace_ + "/" + t.metadata.name));
    object_meta(r, t.metadata, Scope::namespaced);
    labels_annotations(r, "spec.metadata", t.spec.metadata);
    r.set_declarative(false);  // resource/v1 marks the template's claim spec +k8s:opaqueType
    device_claim(r, Cel{options, t.source.file}, "spec.spec.devices", t.spec.spec.devices);
  }
  for (const k8s::ResourceSlice& s : cluster.resource_slices) {
    Report r = report(s.source, "ResourceSlice " + s.metadata.name);
    object_meta(r, s.metadata, Scope::cluster);
    slice_spec(r, s.spec);
  }
  for (const k8s::DeviceTaintRule& t : cluster.device_taint_rules) {
    Report r = report(t.source, "DeviceTaintRule " + t.metadata.name);
    object_meta(r, t.metadata, Scope::cluster);
    const k8s::DeviceTaint& taint = t.spec.taint;
    const std::string tp = "spec.taint";
    if (taint.key.empty()) {
      r.required(tp + ".key", taint.origin.at("key"));
    } else {
      name_errors(r, tp + ".key", taint.origin.at("key"), taint.key, qualified_name(taint.key));
    }
    if (!taint.value.empty())
      name_errors(r, tp + ".value", taint.origin.at("value"), taint.value,
                  label_value(taint.value));
    if (taint.effect.empty()) {
      r.required(tp + ".effect", taint.origin.at("effect"));
    } else if (taint.effect != "NoSchedule" && taint.effect != "NoExecute" &&
               taint.effect != "None") {
      r.not_supported(tp + ".effect", taint.origin.at("effect"), quote(taint.effect),
                      {"NoExecute", "NoSchedule", "None"});
    }
    if (const auto& sel = t.spec.device_selector) {
      if (sel->driver)
        driver_name(r, "spec.deviceSelector.driver", sel->origin.at("driver"), *sel->driver);
      if (sel->pool) pool_name(r, "spec.deviceSelector.pool", sel->origin.at("pool"), *sel->pool);
      if (sel->device)
        dns_label(r, "spec.deviceSelector.device", sel->origin.at("device"), *sel->device);
    }
  }
  // Pod wiring: claims named once, by a claim or a template; containers use existing ones.
  for (const k8s::Pod& pod : cluster.pods) {
    Report r(out, options, cluster.files.at(pod.source.file), k8s::ApiVersion::V1,
             fmt::format("Pod {}", pod.metadata.namespace_.empty()
                                       ? pod.metadata.name
                                       : pod.metadata.namespace_ + "/" + pod.metadata.name));
    std::set<std::string> names;
    for (size_t i = 0; i < pod.resource_claims.size(); ++i) {
      const k8s::PodResourceClaim& prc = pod.resource_claims[i];
      const std::string p = at("spec.resourceClaims", i);
      dns_label(r, p + ".name", prc.origin.at("name"), prc.name);
      if (!prc.name.empty() && !names.insert(prc.name).second)
        r.duplicate(p + ".name", prc.origin.at("name"), quote(prc.name));
      const int set =
          (prc.resource_claim_name ? 1 : 0) + (prc.resource_claim_template_name ? 1 : 0);
      if (set != 1)
        r.invalid(p, prc.origin.pos, "null",
                  "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`");
    }
    for (const k8s::ContainerClaim& cc : pod.container_claims)
      if (!names.count(cc.name)) r.not_found(cc.path + ".name", cc.pos, quote(cc.name));
  }
}

}  // namespace dra::lint
