// src/alloc/node_match.cpp -- NodeSelector matching (see node_match.hpp).
#include "alloc/node_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace dra::alloc {
namespace {

util::Result<int64_t> parse_int(std::string_view s, std::string_view what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty())
    return util::Error{fmt::format("{} \"{}\" is not an integer", what, s)};
  return v;
}

util::Result<bool> label_requirement(const k8s::NodeSelectorRequirement& r,
                                     const k8s::StringMap& labels) {
  const std::string* have = k8s::lookup(labels, r.key);
  const auto& vals = r.values;
  auto in = [&] { return have && std::find(vals.begin(), vals.end(), *have) != vals.end(); };
  if (r.operator_ == "In") {
    if (vals.empty()) return util::Error{"operator In needs at least one value"};
    return in();
  }
  if (r.operator_ == "NotIn") {
    if (vals.empty()) return util::Error{"operator NotIn needs at least one value"};
    return !in();
  }
  if (r.operator_ == "Exists") {
    if (!vals.empty()) return util::Error{"operator Exists takes no values"};
    return have != nullptr;
  }
  if (r.operator_ == "DoesNotExist") {
    if (!vals.empty()) return util::Error{"operator DoesNotExist takes no values"};
    return have == nullptr;
  }
  if (r.operator_ == "Gt" || r.operator_ == "Lt") {
    if (vals.size() != 1)
      return util::Error{fmt::format("operator {} takes one value", r.operator_)};
    auto want = parse_int(vals[0], "value");
    if (!want) return util::Error{want.error()};
    if (!have) return false;
    auto got = parse_int(*have, "label value");
    if (!got) return false;  // a label that is no integer does not match
    return r.operator_ == "Gt" ? *got > *want : *got < *want;
  }
  return util::Error{fmt::format("unknown operator \"{}\"", r.operator_)};
}

util::Result<bool> field_requirement(const k8s::NodeSelectorRequirement& r,
                                     std::string_view node_name) {
  if (r.key != "metadata.name")
    return util::Error{
        fmt::format("matchFields key \"{}\" is not supported; only metadata.name", r.key)};
  if (r.values.size() != 1)
    return util::Error{fmt::format("matchFields {} takes exactly one value", r.operator_)};
  if (r.operator_ == "In") return node_name == r.values[0];
  if (r.operator_ == "NotIn") return node_name != r.values[0];
  return util::Error{fmt::format("matchFields operator \"{}\" is not supported", r.operator_)};
}

}  // namespace

util::Result<bool> node_selector_matches(const k8s::NodeSelector& selector,
                                         std::string_view node_name,
                                         const k8s::StringMap& node_labels) {
  for (const auto& term : selector.node_selector_terms) {
    if (term.match_expressions.empty() && term.match_fields.empty()) continue;
    bool all = true;
    for (const auto& r : term.match_expressions) {
      auto m = label_requirement(r, node_labels);
      if (!m) return m;
      all = all && *m;
    }
    // matchFields are ignored for a node without a name (upstream).
    if (!node_name.empty())
      for (const auto& r : term.match_fields) {
        auto m = field_requirement(r, node_name);
        if (!m) return m;
        all = all && *m;
      }
    if (all) return true;
  }
  return false;
}

util::Result<bool> node_matches(const k8s::NodeObject& node, const std::optional<std::string>& name,
                                const std::optional<bool>& all_nodes,
                                const k8s::NodeSelector* selector) {
  if (name && !name->empty()) return node.metadata.name == *name;
  if (all_nodes.value_or(false)) return true;
  if (selector) return node_selector_matches(*selector, node.metadata.name, node.metadata.labels);
  return false;
}

}  // namespace dra::alloc
