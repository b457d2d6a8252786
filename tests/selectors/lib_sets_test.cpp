// tests/selectors/lib_sets_test.cpp -- cel-go's sets extension. Rows restate, as facts,
// cel-go v0.27.0 ext/sets_test.go TestSets: every expression (all evaluate to true) and,
// for each, the call's own share of the actual and estimated cost (the expected totals
// minus 10 per list literal and 1 per variable or `!`). TestSetsMembershipRewriter
// concerns an optional AST optimizer that Kubernetes does not install: left out.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "selectors/cel_test_util.hpp"
#include "selectors/lib_lists_common.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

Value eval(std::string_view expression) {
  const ParseResult r = parse(expression);
  REQUIRE(r.ok());
  return evaluate(*r.expr, {});
}

Activation with_x() {
  Activation act;
  act.bind("x", eval("[5, 4, 3, 2, 1]"));
  return act;
}

struct CostRow {
  std::string_view function;  // "sets.contains"
  std::string_view a, b;      // the argument expressions
  uint64_t cost;              // the call's actual cost
};

const OverloadDecl& only_decl(std::string_view function) {
  const Function* f = find_function(function);
  REQUIRE(f != nullptr);
  REQUIRE(f->overloads.size() == 1);
  return *f->overloads.front().decl;
}

}  // namespace

TEST_CASE("selectors: cel-go sets extension (sets_test.go TestSets)", "[selectors]") {
  testing::check_cases(
      {
          {"TestSets", "sets.contains(x, [1, 2, 3])", "true"},
          {"TestSets", "sets.contains(x, [1, 1, 1, 1, 1])", "true"},
          {"TestSets", "sets.contains([], [])", "true"},
          {"TestSets", "sets.contains([1], [])", "true"},
          {"TestSets", "sets.contains([1], [1])", "true"},
          {"TestSets", "sets.contains([1], [1, 1])", "true"},
          {"TestSets", "sets.contains([1, 1], [1])", "true"},
          {"TestSets", "sets.contains([2, 1], [1])", "true"},
          {"TestSets", "sets.contains([1, 2, 3, 4], [2, 3])", "true"},
          {"TestSets", "sets.contains([1], [1.0, 1])",
           "check: expected type 'double' but found 'int'"},
          {"TestSets", "sets.contains([1, 2], [2u, 2.0])",
           "check: expected type 'uint' but found 'double'"},
          {"TestSets", "sets.contains([1, 2u], [2, 2.0])",
           "check: expected type 'int' but found 'uint'"},
          {"TestSets", "sets.contains([1, 2.0, 3u], [1.0, 2u, 3])",
           "check: expected type 'int' but found 'double'"},
          {"TestSets", "sets.contains([[1], [2, 3]], [[2, 3.0]])",
           "check: expected type 'int' but found 'double'"},
          {"TestSets", "!sets.contains([1], [2])", "true"},
          {"TestSets", "!sets.contains([1], [1, 2])", "true"},
          {"TestSets", R"(!sets.contains([1], ["1", 1]))",
           "check: expected type 'string' but found 'int'"},
          {"TestSets", "!sets.contains([1], [1.1, 1u])",
           "check: expected type 'double' but found 'uint'"},
          {"TestSets", "sets.equivalent([], [])", "true"},
          {"TestSets", "sets.equivalent([1], [1])", "true"},
          {"TestSets", "sets.equivalent([1], [1, 1])", "true"},
          {"TestSets", "sets.equivalent([1, 1], [1])", "true"},
          {"TestSets", "sets.equivalent([1], [1u, 1.0])",
           "check: expected type 'uint' but found 'double'"},
          {"TestSets (listed twice upstream)", "sets.equivalent([1], [1u, 1.0])",
           "check: expected type 'uint' but found 'double'"},
          {"TestSets", "sets.equivalent([1, 2, 3], [3u, 2.0, 1])",
           "check: expected type 'uint' but found 'double'"},
          {"TestSets", "sets.equivalent([[1.0], [2, 3]], [[1], [2, 3.0]])",
           "check: expected type 'list(double)' but found 'list(int)'"},
          {"TestSets", "!sets.equivalent([2, 1], [1])", "true"},
          {"TestSets", "!sets.equivalent([1], [1, 2])", "true"},
          {"TestSets", "!sets.equivalent([1, 2], [2u, 2, 2.0])",
           "check: expected type 'uint' but found 'int'"},
          {"TestSets", "!sets.equivalent([1, 2], [1u, 2, 2.3])",
           "check: expected type 'uint' but found 'int'"},
          {"TestSets", "sets.intersects([1], [1])", "true"},
          {"TestSets", "sets.intersects([1], [1, 1])", "true"},
          {"TestSets", "sets.intersects([1, 1], [1])", "true"},
          {"TestSets", "sets.intersects([2, 1], [1])", "true"},
          {"TestSets", "sets.intersects([1], [1, 2])", "true"},
          {"TestSets", "sets.intersects([1], [1.0, 2])",
           "check: expected type 'double' but found 'int'"},
          {"TestSets", "sets.intersects([1, 2], [2u, 2, 2.0])",
           "check: expected type 'uint' but found 'int'"},
          {"TestSets", "sets.intersects([1, 2], [1u, 2, 2.3])",
           "check: expected type 'uint' but found 'int'"},
          {"TestSets", "sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])",
           "check: expected type 'list(int)' but found 'list(dyn)'"},
          {"TestSets", "!sets.intersects([], [])", "true"},
          {"TestSets", "!sets.intersects([1], [])", "true"},
          {"TestSets", "!sets.intersects([1], [2])", "true"},
          {"TestSets", R"(!sets.intersects([1], ["1", 2]))",
           "check: expected type 'string' but found 'int'"},
          {"TestSets", "!sets.intersects([1], [1.1, 2u])",
           "check: expected type 'double' but found 'uint'"},
      },
      with_x());
}

TEST_CASE("selectors: cel-go sets extension: further behaviour", "[selectors]") {
  testing::check_cases({
      // A comparison that fails (a quantity against an int) is "not equal", not an error.
      {"failed comparison", "sets.contains([dyn(1)], [dyn(quantity('1'))])", "false"},
      {"failed comparison", "sets.intersects([dyn(quantity('1'))], [dyn(1), dyn(quantity('1'))])",
       "true"},
      {"maps compare by value", "sets.contains([{'a': dyn(1)}], [{'a': dyn(1.0)}])", "true"},
      {"not lists", "sets.contains(dyn(1), [1])", "error: no such overload"},
      {"check", "sets.contains([1], ['a'])",
       "check: found no matching overload for 'sets.contains' applied to '(list(int), "
       "list(string))'"},
  });
}

TEST_CASE("selectors: cel-go sets extension costs (TestSets)", "[selectors]") {
  // Actual: 1 + |a| * |b| (contains, intersects) or 1 + 2 * |a| * |b| (equivalent).
  const CostRow rows[] = {
      {"sets.contains", "[5, 4, 3, 2, 1]", "[1, 2, 3]", 27 - 10 - 1},
      {"sets.contains", "[5, 4, 3, 2, 1]", "[1, 1, 1, 1, 1]", 37 - 10 - 1},
      {"sets.contains", "[]", "[]", 21 - 20},
      {"sets.contains", "[1]", "[]", 21 - 20},
      {"sets.contains", "[1]", "[1]", 22 - 20},
      {"sets.contains", "[1]", "[1, 1]", 23 - 20},
      {"sets.contains", "[1, 2, 3, 4]", "[2, 3]", 29 - 20},
      {"sets.contains", "[1, 2.0, 3u]", "[1.0, 2u, 3]", 30 - 20},
      {"sets.contains", "[[1], [2, 3]]", "[[2, 3.0]]", 53 - 50},
      {"sets.contains", "[1]", "[1, 2]", 24 - 20 - 1},
      {"sets.equivalent", "[]", "[]", 21 - 20},
      {"sets.equivalent", "[1]", "[1]", 23 - 20},
      {"sets.equivalent", "[1]", "[1u, 1.0]", 25 - 20},
      {"sets.equivalent", "[1, 2, 3]", "[3u, 2.0, 1]", 39 - 20},
      {"sets.equivalent", "[[1.0], [2, 3]]", "[[1], [2, 3.0]]", 69 - 60},
      {"sets.equivalent", "[2, 1]", "[1]", 26 - 20 - 1},
      {"sets.equivalent", "[1, 2]", "[2u, 2, 2.0]", 34 - 20 - 1},
      {"sets.intersects", "[1]", "[1]", 22 - 20},
      {"sets.intersects", "[1, 2]", "[2u, 2, 2.0]", 27 - 20},
      {"sets.intersects", "[[1], [2, 3]]", "[[1, 2], [2, 3.0]]", 65 - 60},
      {"sets.intersects", "[]", "[]", 22 - 20 - 1},
      {"sets.intersects", "[1]", "[1.1, 2u]", 24 - 20 - 1},
  };
  for (const CostRow& r : rows) {
    INFO(r.function << "(" << r.a << ", " << r.b << ")");
    const std::vector<Value> args = {eval(r.a), eval(r.b)};
    const OverloadDecl& d = only_decl(r.function);
    const Value result = d.impl(args);
    REQUIRE(!result.is_error());
    CHECK(d.cost(args, result) == r.cost);
    // Literal lists have known sizes: the estimate equals the actual cost.
    const uint64_t na = args[0].list_value().size(), nb = args[1].list_value().size();
    const std::vector<SizeEstimate> sizes = {{na, na}, {nb, nb}};
    const CallEstimate e = d.estimate(sizes);
    CHECK(e.cost.min == r.cost);
    CHECK(e.cost.max == r.cost);
  }
  // sets.contains(x, [1, 2, 3]) with x of 0..10 elements: 12..42 in all, 1..31 for the
  // call; without a bound for x the maximum is unbounded.
  {
    const OverloadDecl& d = only_decl("sets.contains");
    const std::vector<SizeEstimate> hinted = {{0, 10}, {3, 3}};
    CHECK(d.estimate(hinted).cost.min == 1);
    CHECK(d.estimate(hinted).cost.max == 31);
    const std::vector<SizeEstimate> unbounded = {{0, list_detail::kMaxU64}, {5, 5}};
    CHECK(d.estimate(unbounded).cost.max == list_detail::kMaxU64);
  }
}

}  // namespace dra::selectors
