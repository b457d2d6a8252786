// tests/alloc/node_match_test.cpp -- NodeSelector semantics as component-helpers'
// nodeaffinity implements them (cases after its nodeaffinity_test.go).
#include "alloc/node_match.hpp"

#include <catch2/catch.hpp>

namespace dra::alloc {
namespace {

k8s::NodeSelectorRequirement req(std::string key, std::string op, std::vector<std::string> values) {
  k8s::NodeSelectorRequirement r;
  r.key = std::move(key);
  r.operator_ = std::move(op);
  r.values = std::move(values);
  return r;
}

k8s::NodeSelector labels_term(std::vector<k8s::NodeSelectorRequirement> exprs) {
  k8s::NodeSelector s;
  s.node_selector_terms.emplace_back().match_expressions = std::move(exprs);
  return s;
}

}  // namespace

TEST_CASE("node_match: label requirements", "[alloc]") {
  const k8s::StringMap labels = {{"zone", "a"}, {"gpus", "8"}, {"name", "x"}};
  const struct {
    k8s::NodeSelectorRequirement r;
    bool want;
  } cases[] = {
      {req("zone", "In", {"a", "b"}), true},      {req("zone", "In", {"b"}), false},
      {req("zone", "NotIn", {"b"}), true},        {req("missing", "NotIn", {"b"}), true},
      {req("zone", "Exists", {}), true},          {req("missing", "Exists", {}), false},
      {req("missing", "DoesNotExist", {}), true}, {req("gpus", "Gt", {"4"}), true},
      {req("gpus", "Lt", {"4"}), false},          {req("name", "Gt", {"4"}), false},
      {req("missing", "Gt", {"4"}), false},
  };
  for (const auto& c : cases) {
    INFO(c.r.key << " " << c.r.operator_);
    auto m = node_selector_matches(labels_term({c.r}), "n1", labels);
    REQUIRE(m.ok());
    CHECK(*m == c.want);
  }
}

TEST_CASE("node_match: terms are ORed, requirements ANDed, empty terms match nothing", "[alloc]") {
  const k8s::StringMap labels = {{"zone", "a"}};
  k8s::NodeSelector s = labels_term({req("zone", "In", {"a"}), req("rack", "Exists", {})});
  CHECK_FALSE(*node_selector_matches(s, "n1", labels));
  s.node_selector_terms.emplace_back().match_fields = {req("metadata.name", "In", {"n1"})};
  CHECK(*node_selector_matches(s, "n1", labels));
  CHECK_FALSE(*node_selector_matches(s, "n2", labels));
  k8s::NodeSelector empty;
  empty.node_selector_terms.emplace_back();
  CHECK_FALSE(*node_selector_matches(empty, "n1", labels));
}

TEST_CASE("node_match: malformed requirements are errors", "[alloc]") {
  const struct {
    k8s::NodeSelectorRequirement r;
    bool field;
    std::string error;
  } cases[] = {
      {req("zone", "Near", {"a"}), false, "unknown operator \"Near\""},
      {req("zone", "In", {}), false, "operator In needs at least one value"},
      {req("zone", "Exists", {"a"}), false, "operator Exists takes no values"},
      {req("gpus", "Gt", {"four"}), false, "value \"four\" is not an integer"},
      {req("metadata.uid", "In", {"x"}), true,
       "matchFields key \"metadata.uid\" is not supported; only metadata.name"},
      {req("metadata.name", "In", {"a", "b"}), true, "matchFields In takes exactly one value"},
  };
  for (const auto& c : cases) {
    INFO(c.error);
    k8s::NodeSelector s;
    auto& term = s.node_selector_terms.emplace_back();
    (c.field ? term.match_fields : term.match_expressions).push_back(c.r);
    auto m = node_selector_matches(s, "n1", {{"gpus", "8"}});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error() == c.error);
  }
}

}  // namespace dra::alloc
