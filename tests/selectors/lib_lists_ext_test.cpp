// tests/selectors/lib_lists_ext_test.cpp -- cel-go's list extension at version 3 (slice,
// flatten, lists.range, reverse, distinct, sort, and @sortByAssociatedKeys, the function
// the sortBy macro expands to). Rows restate, as facts, cel-go v0.27.0 ext/lists_test.go:
// TestLists (the two ExampleType protobuf rows are left out: no protobuf messages here),
// TestListsRuntimeErrors, TestListsVersion and TestListsCosts (the call's own share of each
// cost), and the sortBy macro.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "selectors/cel_test_util.hpp"
#include "selectors/cost.hpp"
#include "selectors/lib_lists_common.hpp"
#include "selectors/library.hpp"
#include "selectors/program.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;
using testing::run_cel;

Value eval(std::string_view expression) {
  const ParseResult r = parse(expression);
  REQUIRE(r.ok());
  return evaluate(*r.expr, {});
}

std::string outcome(const Value& v) {
  return v.is_error() ? "error: " + v.error_message() : to_debug_string(v);
}

const OverloadDecl& decl(std::string_view function, std::string_view id) {
  const Function* f = find_function(function);
  REQUIRE(f != nullptr);
  for (const Overload& o : f->overloads) {
    if (o.decl->id == id) return *o.decl;
  }
  FAIL("no overload " << id);
  return *f->overloads.front().decl;
}

// The runtime cost of `id` called with these argument expressions.
uint64_t call_cost(std::string_view function, std::string_view id,
                   std::vector<std::string_view> arg_exprs) {
  const OverloadDecl& d = decl(function, id);
  std::vector<Value> args;
  for (std::string_view e : arg_exprs) args.push_back(eval(e));
  const Value result = d.impl(args);
  REQUIRE(!result.is_error());
  REQUIRE(d.cost != nullptr);
  return d.cost(args, result);
}

CallEstimate estimate(std::string_view function, std::string_view id,
                      std::vector<SizeEstimate> sizes) {
  const OverloadDecl& d = decl(function, id);
  REQUIRE(d.estimate != nullptr);
  return d.estimate(sizes);
}

constexpr uint64_t kMax = list_detail::kMaxU64;

}  // namespace

TEST_CASE("selectors: cel-go lists extension (lists_test.go TestLists)", "[selectors]") {
  check_cases({
      {"TestLists", "lists.range(4) == [0,1,2,3]", "true"},
      {"TestLists", "lists.range(0) == []", "true"},
      {"TestLists", "[5,1,2,3].reverse() == [3,2,1,5]", "true"},
      {"TestLists", "[].reverse() == []", "true"},
      {"TestLists", "[1].reverse() == [1]", "true"},
      {"TestLists",
       "['are', 'you', 'as', 'bored', 'as', 'I', 'am'].reverse() == "
       "['am', 'I', 'as', 'bored', 'as', 'you', 'are']",
       "true"},
      {"TestLists", "[false, true, true].reverse().reverse() == [false, true, true]", "true"},
      {"TestLists", "[1,2,3,4].slice(0, 4) == [1,2,3,4]", "true"},
      {"TestLists", "[1,2,3,4].slice(0, 0) == []", "true"},
      {"TestLists", "[1,2,3,4].slice(1, 1) == []", "true"},
      {"TestLists", "[1,2,3,4].slice(4, 4) == []", "true"},
      {"TestLists", "[1,2,3,4].slice(1, 3) == [2, 3]", "true"},
      {"TestLists", "[1,2,3,4].slice(3, 0)",
       "error: cannot slice(3, 0), start index must be less than or equal to end index"},
      {"TestLists", "[1,2,3,4].slice(0, 10)", "error: cannot slice(0, 10), list is length 4"},
      {"TestLists", "[1,2,3,4].slice(-5, 10)",
       "error: cannot slice(-5, 10), negative indexes not supported"},
      {"TestLists", "[1,2,3,4].slice(-5, -3)",
       "error: cannot slice(-5, -3), negative indexes not supported"},
      {"TestLists", "dyn([]).flatten() == []", "true"},
      {"TestLists", "dyn([1,2,3,4]).flatten() == [1,2,3,4]", "true"},
      {"TestLists", "[1,[2,[3,4]]].flatten() == [1,2,[3,4]]",
       "check: expected type 'int' but found 'list(dyn)'"},
      {"TestLists", "[1,2,[],[],[3,4]].flatten() == [1,2,3,4]",
       "check: expected type 'int' but found 'list(dyn)'"},
      {"TestLists", "[1,[2,[3,4]]].flatten(2) == [1,2,3,4]",
       "check: expected type 'int' but found 'list(dyn)'"},
      {"TestLists", "[1,[2,[3,[4]]]].flatten(-1) == [1,2,3,4]",
       "check: expected type 'int' but found 'list(dyn)'"},
      {"TestLists", "[].sort() == []", "true"},
      {"TestLists", "[1].sort() == [1]", "true"},
      {"TestLists", "[4, 3, 2, 1].sort() == [1, 2, 3, 4]", "true"},
      {"TestLists", R"(["d", "a", "b", "c"].sort() == ["a", "b", "c", "d"])", "true"},
      {"TestLists", R"(["d", 3, 2, "c"].sort() == ["a", "b", "c", "d"])",
       "check: expected type 'string' but found 'int'"},
      {"TestLists", "[].distinct() == []", "true"},
      {"TestLists", "[1].distinct() == [1]", "true"},
      {"TestLists", "[-2, 5, -2, 1, 1, 5, -2, 1].distinct() == [-2, 5, 1]", "true"},
      {"TestLists", "['c', 'a', 'a', 'b', 'a', 'b', 'c', 'c'].distinct() == ['c', 'a', 'b']",
       "true"},
      {"TestLists", R"([1, 2.0, "c", 3, "c", 1].distinct() == [1, 2.0, "c", 3])",
       "check: expected type 'int' but found 'double'"},
      {"TestLists", "[1, 1.0, 2].distinct() == [1, 2]",
       "check: expected type 'int' but found 'double'"},
      {"TestLists", "[[1], [1], [2]].distinct() == [[1], [2]]", "true"},
  });
}

TEST_CASE("selectors: cel-go lists extension sortBy rows (TestLists, TestListsVersion)",
          "[selectors]") {
  check_cases({
      {"TestLists", "[].sortBy(e, e) == []", "true"},
      {"TestLists", R"(["a"].sortBy(e, e) == ["a"])", "true"},
      {"TestLists", "[-3, 1, -5, -2, 4].sortBy(e, -(e * e)) == [-5, 4, -3, -2, 1]", "true"},
      {"TestLists", "[-3, 1, -5, -2, 4].map(e, e * 2).sortBy(e, -(e * e)) == [-10, 8, -6, -4, 2]",
       "true"},
      {"TestLists", "lists.range(3).sortBy(e, -e) == [2, 1, 0]", "true"},
      {"TestLists",
       R"(["a", "c", "b", "first"].sortBy(e, e == "first" ? "" : e) == ["first", "a", "b", "c"])",
       "true"},
      {"TestListsVersion",
       "[{'field': 'lo'}, {'field': 'hi'}].sortBy(m, m.field) == [{'field': 'hi'}, {'field': "
       "'lo'}]",
       "true"},
      {"TestListsCosts", "[{'x':4}, {'x':3}].sortBy(m, m['x']) == [{'x':3}, {'x':4}]", "true"},
      // The macro's shape rules: a literal or map receiver, a key variable that is not a name.
      {"sortByMacro", "1.sortBy(x, x)",
       "parse: Syntax error: sortBy can only be applied to a list, identifier, comprehension, call "
       "or "
       "select expression"},
      {"sortByMacro", "{'a': 1}.sortBy(x, x)",
       "parse: Syntax error: sortBy can only be applied to a list, identifier, comprehension, call "
       "or "
       "select expression"},
      {"MakeMap", "[1].sortBy(x.y, x)",
       "parse: Syntax error: argument 1 of sortBy() must be a variable name"},
      // Keys must be of one orderable type (the overloads of @sortByAssociatedKeys).
      {"sortBy", "[1, 2].sortBy(x, [x])",
       "check: found no matching overload for '@sortByAssociatedKeys' applied to "
       "'list(int).(list(list(int)))'"},
      {"sortBy", "[2, 1].sortBy(x, dyn(x))", "[1, 2]"},
      {"sortBy", "[[1, 2], [0]].sortBy(l, l.size()).map(l, l[0])", "[0, 1]"},
  });
}

TEST_CASE("selectors: sortBy prints back as written and costs as its expansion", "[selectors]") {
  const char* expression = "[{'x':4}, {'x':3}].sortBy(m, m['x']) == [{'x':3}, {'x':4}]";
  const Compiled c = compile(expression);
  REQUIRE(c.ok());
  CHECK(to_cel_string(c.program->ast()) ==
        R"([{"x": 4}, {"x": 3}].sortBy(m, m["x"]) == [{"x": 3}, {"x": 4}])");
  // TestListsCosts list_sortBy: estimated cost 211.
  const CostEstimate e = estimate_cost(*c.program);
  CHECK(e.min == 211);
  CHECK(e.max == 211);
  // Its actual cost upstream, 211, counts building the two list literals (140); Kubernetes'
  // OptOptimize folds them, so here it is the expansion's cost: the bind and the map of the
  // keys, the receiver @__sortBy_input__ (1), the sort of two keys (2 * 2 * 2 + 11 = 19, the
  // call's own cost in TestListsCosts) and == of two-element lists (1).
  auto actual_cost = [](const char* source) {
    const Compiled compiled = compile(source);
    REQUIRE(compiled.ok());
    uint64_t actual = 0;
    EvalOptions options;
    options.actual_cost = &actual;
    const Value v = compiled.program->evaluate({}, options);
    REQUIRE(v.kind() == ValueKind::Bool);
    CHECK(v.bool_value());
    return actual;
  };
  const uint64_t keys =
      actual_cost("cel.bind(i, [{'x':4}, {'x':3}], i.map(m, m['x'])) == [4, 3]") - 1;
  CHECK(actual_cost(expression) == keys + 1 + 19 + 1);
}

TEST_CASE("selectors: cel-go lists extension (TestListsVersion, TestListsRuntimeErrors)",
          "[selectors]") {
  check_cases({
      {"TestListsVersion", "[1, 2, 3, 4, 5].slice(2, 4) == [3, 4]", "true"},
      {"TestListsVersion", "[[1, 2], [3, 4]].flatten() == [1, 2, 3, 4]", "true"},
      {"TestListsVersion", "[1, 2, 2, 1].distinct() == [1, 2]", "true"},
      {"TestListsVersion", "lists.range(5) == [0, 1, 2, 3, 4]", "true"},
      {"TestListsVersion", "[1, 2, 3].reverse() == [3, 2, 1]", "true"},
      {"TestListsVersion", "[2, 1, 3].sort() == [1, 2, 3]", "true"},
      // Upstream's messages contain "no such overload" (flatten has no runtime type guards;
      // its own messages read "no such overload: map(dyn, dyn).flatten()" and
      // "no such overload: list(dyn).flatten(string)").
      {"TestListsRuntimeErrors", "dyn({}).flatten()", "error: no such overload"},
      {"TestListsRuntimeErrors", "dyn({}).flatten(0)", "error: no such overload"},
      {"TestListsRuntimeErrors", "[].flatten(-1)", "error: level must be non-negative"},
      {"TestListsRuntimeErrors", "[].flatten(dyn('1'))", "error: no such overload"},
  });
}

// Consequences of ext/lists.go that no upstream row pins.
TEST_CASE("selectors: cel-go lists extension: further behaviour", "[selectors]") {
  check_cases({
      {"negative range is empty", "lists.range(-3)", "[]"},
      {"flatten(0) keeps the list", "[dyn(1), dyn([2])].flatten(0)", "[1, [2]]"},
      {"flatten of a flat list", "dyn([1, 2]).flatten()", "[1, 2]"},
      {"flatten deep", "[dyn([[[1]]]), dyn(2)].flatten(10)", "[1, 2]"},
      {"sort uint", "[3u, 1u, 2u].sort()", "[1u, 2u, 3u]"},
      {"sort double", "[2.5, -1.0, 0.0].sort()", "[-1.0, 0.0, 2.5]"},
      {"sort bool", "[true, false, true].sort()", "[false, true, true]"},
      {"sort bytes", "[b'b', b'a'].sort()", R"([b"a", b"b"])"},
      {"sort needs one kind (int and double)", "[dyn(2), dyn(1.0)].sort()",
       "error: list elements must have the same type"},
      {"sort needs comparable elements", "dyn([[2], [1]]).sort()",
       "error: list elements must be comparable"},
      {"a one-element list is not compared", "dyn([[1]]).sort()",
       "error: list elements must be comparable"},
      {"sort of maps", "dyn([{}]).sort()", "error: list elements must be comparable"},
      {"distinct keeps the first of equal numbers", "[dyn(1.0), dyn(1), dyn(1u)].distinct()",
       "[1.0]"},
      {"distinct of maps", "[{'a': dyn(1)}, {'a': dyn(1.0)}, {'a': dyn(2)}].distinct()",
       R"([{"a": 1}, {"a": 2}])"},
      {"slice keeps the elements", "['a', 'b', 'c'].slice(1, 3)", R"(["b", "c"])"},
  });
  // lists.range beyond the cost limit: upstream would build the list, then stop on its cost
  // (n + 11 units); here it stops first.
  CHECK(testing::run_cel("lists.range(2000000)") ==
        "error: operation cancelled: actual cost limit exceeded");
  // flatten has no runtime type guards upstream: given any receiver, its implementation
  // answers with its own message (reached here only by calling it directly).
  {
    const OverloadDecl& flat = decl("flatten", "list_flatten");
    const std::vector<Value> map_arg = {eval("{}")};
    CHECK(outcome(flat.impl(map_arg)) == "error: no such overload: map(dyn, dyn).flatten()");
    const OverloadDecl& flat_n = decl("flatten", "list_flatten_int");
    const std::vector<Value> string_depth = {eval("[]"), eval("'1'")};
    CHECK(outcome(flat_n.impl(string_depth)) ==
          "error: no such overload: list(dyn).flatten(string)");
  }
  // Keys and list of different sizes.
  {
    const Function* f = find_function("@sortByAssociatedKeys");
    REQUIRE(f != nullptr);
    const std::vector<Value> args = {eval("[1, 2, 3]"), eval("[1, 2]")};
    const Overload* o = select_overload(*f, true, args);
    REQUIRE(o != nullptr);
    CHECK(outcome(o->decl->impl(args)) ==
          "error: @sortByAssociatedKeys() expected a list of the same size as the associated "
          "keys list, but got 3 and 2 elements respectively");
  }
  CHECK(run_cel("[1, 2, 3].sortBy(e, e == 2 ? dyn('x') : dyn(1))") ==
        "error: list elements must have the same type");
  // Equal keys keep no particular order: Go's sort.Slice (pdqsort) decides. Orders below
  // were produced by Go's sort.Slice over the same keys (insertion sort, which is stable,
  // up to 12 elements; beyond, the order of equal keys is the algorithm's).
  CHECK(run_cel("lists.range(20).sortBy(i, i % 3)") ==
        "[9, 18, 15, 3, 12, 0, 6, 10, 7, 4, 13, 16, 1, 19, 8, 5, 11, 14, 2, 17]");
  CHECK(run_cel("lists.range(60).sortBy(i, (i * 7) % 5)") ==
        "[40, 30, 55, 10, 20, 5, 50, 0, 35, 45, 15, 25, 38, 13, 58, 23, 8, 33, 18, 48, 53, 43, "
        "28, 3, 31, 36, 26, 1, 56, 51, 21, 6, 46, 11, 41, 16, 49, 24, 14, 39, 59, 34, 54, 4, 44, "
        "9, 29, 19, 47, 7, 37, 32, 52, 17, 42, 2, 22, 57, 27, 12]");
  CHECK(run_cel("lists.range(30).sortBy(i, (30 - i) / 4)") ==
        "[27, 29, 28, 24, 26, 25, 23, 22, 21, 20, 19, 15, 18, 17, 16, 14, 11, 13, 12, 8, 10, 9, "
        "7, 6, 5, 4, 3, 0, 2, 1]");
  CHECK(run_cel("lists.range(16).sortBy(i, 0)") ==
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]");
  CHECK(run_cel("lists.range(100).sortBy(i, (i * 37) % 11)") ==
        "[55, 44, 0, 66, 22, 77, 88, 33, 99, 11, 69, 91, 80, 36, 14, 47, 25, 58, 3, 94, 83, 61, "
        "17, 50, 28, 6, 72, 39, 86, 42, 75, 31, 64, 20, 9, 97, 53, 12, 89, 56, 67, 34, 78, 1, 23, "
        "45, 81, 15, 48, 59, 37, 92, 4, 26, 70, 51, 18, 29, 95, 7, 73, 84, 62, 40, 10, 65, 43, "
        "87, 54, 21, 98, 76, 32, 13, 57, 2, 90, 35, 46, 79, 24, 68, 82, 60, 38, 5, 49, 93, 16, "
        "27, 71, 41, 8, 63, 74, 52, 96, 85, 19, 30]");
}

TEST_CASE("selectors: cel-go lists extension costs (TestListsCosts)", "[selectors]") {
  using list_detail::estimate_list_flatten;
  using list_detail::estimate_list_slice;
  using list_detail::estimate_lists_range;
  // list_range: lists.range(4) == [0, 1, 2, 3] costs 26: 15 for the call.
  CHECK(call_cost("lists.range", "lists_range", {"4"}) == 15);
  CHECK(estimate_lists_range(4).cost.max == 15);
  CHECK(estimate_lists_range(4).result_size->max == 4);
  // list_range_computed / list_range_var: no literal, no bound.
  CHECK(estimate("lists.range", "lists_range", {{1, 1}}).cost.max == kMax);
  CHECK(call_cost("lists.range", "lists_range", {"4 / 2"}) == 13);
  CHECK(call_cost("lists.range", "lists_range", {"5"}) == 16);
  // list_flatten_depth_one/two/three: [[1, 2], 3].flatten(n): 2 * n + 11.
  CHECK(call_cost("flatten", "list_flatten_int", {"[[1, 2], 3]", "1"}) == 13);
  CHECK(call_cost("flatten", "list_flatten_int", {"[[1, 2], 3]", "2"}) == 15);
  CHECK(call_cost("flatten", "list_flatten_int", {"[[1, 2], 3]", "3"}) == 17);
  CHECK(estimate_list_flatten({2, 2}, 1).cost.max == 13);
  CHECK(estimate_list_flatten({2, 2}, 2).cost.max == 15);
  CHECK(estimate_list_flatten({2, 2}, 3).cost.min == 17);
  // list_flatten: [[1], 2, 3].flatten().
  CHECK(call_cost("flatten", "list_flatten", {"[[1], 2, 3]"}) == 14);
  CHECK(estimate("flatten", "list_flatten", {{3, 3}}).cost.max == 14);
  // list_flatten_var: x (hint 3).flatten() is estimated 23..26, 11..14 for the call.
  {
    const CallEstimate e = estimate("flatten", "list_flatten", {{0, 3}});
    CHECK(e.cost.min == 11);
    CHECK(e.cost.max == 14);
    CHECK(e.result_size->max == 3);
  }
  // list_flatten_depth_var: flatten(x) with x = 5 costs 5 * 2 + 11; no literal, no bound.
  CHECK(call_cost("flatten", "list_flatten_int", {"[[1, 2], 3]", "5"}) == 21);
  CHECK(estimate("flatten", "list_flatten_int", {{2, 2}, {1, 1}}).cost.max == kMax);
  // list_distinct_worst_case / best_case: 3 * 3 * 2 + 11.
  CHECK(call_cost("distinct", "list_distinct", {"[1, 2, 3]"}) == 29);
  CHECK(call_cost("distinct", "list_distinct", {"[1, 1, 1]"}) == 29);
  CHECK(estimate("distinct", "list_distinct", {{3, 3}}).cost.max == 29);
  // list_distinct_var: x = ['hello', 'hello'] costs 31: 2 * 2 * 2.1 + 11 = 19 for the call;
  // estimated 23..41 with x of at most 3: 11..29.
  CHECK(call_cost("distinct", "list_distinct", {"['hello', 'hello']"}) == 19);
  {
    const CallEstimate e = estimate("distinct", "list_distinct", {{0, 3}});
    CHECK(e.cost.min == 11);
    CHECK(e.cost.max == 29);
  }
  // list_slice_var_range: [1, 2, 3, 4, 5].slice(x, y) with x = 1, y = 3 costs 36 (13 for the
  // call), estimated 39 (16: no literals, the whole list).
  CHECK(call_cost("slice", "list_slice", {"[1, 2, 3, 4, 5]", "1", "3"}) == 13);
  CHECK(estimate("slice", "list_slice", {{5, 5}, {1, 1}, {1, 1}}).cost.max == 16);
  // list_slice_var_list: z.slice(1, 3) with z of at most 10: 13.
  CHECK(estimate_list_slice({0, 10}, 1, 3).cost.max == 13);
  CHECK(estimate_list_slice({0, 10}, 1, 3).cost.min == 13);
  // list_slice_var_list_var_range: z.slice(x, y): 21.
  CHECK(estimate("slice", "list_slice", {{0, 10}, {1, 1}, {1, 1}}).cost.max == 21);
  // list_slice: [1, 2, 3].slice(1, 3) == [2, 3] costs 34: 13.
  CHECK(estimate_list_slice({3, 3}, 1, 3).cost.max == 13);
  // list_reverse / list_var_reverse.
  CHECK(call_cost("reverse", "list_reverse", {"[3, 2, 1]"}) == 14);
  CHECK(estimate("reverse", "list_reverse", {{3, 3}}).cost.max == 14);
  {
    const CallEstimate e = estimate("reverse", "list_reverse", {{0, 5}});
    CHECK(e.cost.min == 11);
    CHECK(e.cost.max == 16);
  }
  // list_sort: [2, 3, 1].sort(): 3 * 3 * 2 + 11.
  CHECK(call_cost("sort", "list_int_sort", {"[2, 3, 1]"}) == 29);
  CHECK(estimate("sort", "list_int_sort", {{3, 3}}).cost.max == 29);
  // list_sort_var: x of at most 5: 11..61.
  {
    const CallEstimate e = estimate("sort", "list_int_sort", {{0, 5}});
    CHECK(e.cost.min == 11);
    CHECK(e.cost.max == 61);
  }
  // list_sort_var_string: six strings cost 6 * 6 * 2.1 + 11 = 86 (98 in all); x of at most
  // 10 is estimated 11..221 (23..233 in all).
  CHECK(call_cost("sort", "list_string_sort", {"['b', 'a', 'b', 'a', 'c', 'c']"}) == 86);
  {
    const CallEstimate e = estimate("sort", "list_string_sort", {{0, 10}});
    CHECK(e.cost.min == 11);
    CHECK(e.cost.max == 221);
  }
  // list_sort_var_int_empty: 11, estimated 11..211.
  CHECK(call_cost("sort", "list_int_sort", {"[]"}) == 11);
  CHECK(estimate("sort", "list_int_sort", {{0, 10}}).cost.max == 211);
  // list_sortBy: the hidden call over keys [4, 3]: 2 * 2 * 2 + 11; string keys 2.1 a pair.
  CHECK(call_cost("@sortByAssociatedKeys", "list_int_sortByAssociatedKeys",
                  {"[{'x': 4}, {'x': 3}]", "[4, 3]"}) == 19);
  CHECK(estimate("@sortByAssociatedKeys", "list_int_sortByAssociatedKeys", {{2, 2}, {2, 2}})
            .cost.max == 19);
  CHECK(call_cost("@sortByAssociatedKeys", "list_string_sortByAssociatedKeys",
                  {"[{'x': 'b'}, {'x': 'c'}, {'x': 'a'}]", "['b', 'c', 'a']"}) == 29);
}

}  // namespace dra::selectors
