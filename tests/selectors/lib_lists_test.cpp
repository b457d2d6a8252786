// tests/selectors/lib_lists_test.cpp -- the Kubernetes lists library (isSorted, sum, min,
// max, indexOf, lastIndexOf). Rows restate, as facts:
//  * kubernetes/kubernetes apiextensions-apiserver pkg/apiserver/schema/cel/validation_test.go,
//    TestValidationExpressions case "stdlib list functions" (the object bound as `self`;
//    durations and timestamps in these functions: lib_time_test.cpp);
//  * the examples of apiserver pkg/cel/library/lists.go (c9f9cf747e61);
//  * apiserver pkg/cel/library/cost_test.go TestListsCost / TestIndexOfCost (the part of each
//    expected cost that is the call's own, i.e. minus 10 for the list literal and the casts).
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;

Value ints(std::vector<int64_t> v) {
  ListPayload l;
  for (int64_t i : v) l.push_back(Value::integer(i));
  return Value::list(std::move(l));
}
Value doubles(std::vector<double> v) {
  ListPayload l;
  for (double d : v) l.push_back(Value::dbl(d));
  return Value::list(std::move(l));
}
Value strings(std::vector<std::string> v) {
  ListPayload l;
  for (std::string& s : v) l.push_back(Value::string(std::move(s)));
  return Value::list(std::move(l));
}
Value obj(std::string f1, std::string f2) {
  return Value::map({{Value::string("f1"), Value::string(std::move(f1))},
                     {Value::string("f2"), Value::string(std::move(f2))}});
}

// The object of "stdlib list functions"; integer-valued numbers under a double schema
// (intBackedDoubles) reach CEL as doubles.
Activation validation_self() {
  Activation act;
  act.bind("self", Value::map({
                       {Value::string("ints"), ints({1, 2, 2, 3})},
                       {Value::string("unsortedInts"), ints({2, 1})},
                       {Value::string("emptyInts"), ints({})},
                       {Value::string("doubles"), doubles({1, 2, 2, 3})},
                       {Value::string("unsortedDoubles"), doubles({2, 1})},
                       {Value::string("emptyDoubles"), doubles({})},
                       {Value::string("intBackedDoubles"), doubles({1, 2, 2, 3})},
                       {Value::string("unsortedIntBackedDDoubles"), doubles({2, 1})},
                       {Value::string("emptyIntBackedDDoubles"), doubles({})},
                       {Value::string("strings"), strings({"a", "b", "b", "c"})},
                       {Value::string("unsortedStrings"), strings({"b", "a"})},
                       {Value::string("emptyStrings"), strings({})},
                       {Value::string("objs"),
                        Value::list({obj("a", "a"), obj("a", "b"), obj("a", "b"), obj("a", "c")})},
                   }));
  return act;
}

const Overload* overload(std::string_view function, std::string_view id) {
  const Function* f = find_function(function);
  REQUIRE(f != nullptr);
  for (const Overload& o : f->overloads) {
    if (o.decl->id == id) return &o;
  }
  FAIL("no overload " << id);
  return nullptr;
}

Value eval(std::string_view expression) {
  const ParseResult r = parse(expression);
  REQUIRE(r.ok());
  return evaluate(*r.expr, {});
}

}  // namespace

TEST_CASE("selectors: Kubernetes lists library (validation_test.go stdlib list functions)",
          "[selectors]") {
  check_cases(
      {
          {"valid", "self.ints.sum() == 8", "true"},
          {"valid", "self.ints.min() == 1", "true"},
          {"valid", "self.ints.max() == 3", "true"},
          {"valid", "self.emptyInts.sum() == 0", "true"},
          {"valid", "self.ints.isSorted()", "true"},
          {"valid", "self.emptyInts.isSorted()", "true"},
          {"valid", "self.unsortedInts.isSorted() == false", "true"},
          {"valid", "self.ints.indexOf(2) == 1", "true"},
          {"valid", "self.ints.lastIndexOf(2) == 2", "true"},
          {"valid", "self.ints.indexOf(10) == -1", "true"},
          {"valid", "self.ints.lastIndexOf(10) == -1", "true"},

          {"valid", "self.doubles.sum() == 8.0", "true"},
          {"valid", "self.doubles.min() == 1.0", "true"},
          {"valid", "self.doubles.max() == 3.0", "true"},
          {"valid", "self.emptyDoubles.sum() == 0.0", "true"},
          {"valid", "self.doubles.isSorted()", "true"},
          {"valid", "self.emptyDoubles.isSorted()", "true"},
          {"valid", "self.unsortedDoubles.isSorted() == false", "true"},
          {"valid", "self.doubles.indexOf(2.0) == 1", "true"},
          {"valid", "self.doubles.lastIndexOf(2.0) == 2", "true"},
          {"valid", "self.doubles.indexOf(10.0) == -1", "true"},
          {"valid", "self.doubles.lastIndexOf(10.0) == -1", "true"},

          {"valid", "self.intBackedDoubles.sum() == 8.0", "true"},
          {"valid", "self.intBackedDoubles.min() == 1.0", "true"},
          {"valid", "self.intBackedDoubles.max() == 3.0", "true"},
          {"valid", "self.emptyIntBackedDDoubles.sum() == 0.0", "true"},
          {"valid", "self.intBackedDoubles.isSorted()", "true"},
          {"valid", "self.emptyDoubles.isSorted()", "true"},
          {"valid", "self.unsortedIntBackedDDoubles.isSorted() == false", "true"},
          {"valid", "self.intBackedDoubles.indexOf(2.0) == 1", "true"},
          {"valid", "self.intBackedDoubles.lastIndexOf(2.0) == 2", "true"},
          {"valid", "self.intBackedDoubles.indexOf(10.0) == -1", "true"},
          {"valid", "self.intBackedDoubles.lastIndexOf(10.0) == -1", "true"},

          {"valid", "self.strings.min() == 'a'", "true"},
          {"valid", "self.strings.max() == 'c'", "true"},
          {"valid", "self.strings.isSorted()", "true"},
          {"valid", "self.emptyStrings.isSorted()", "true"},
          {"valid", "self.unsortedStrings.isSorted() == false", "true"},
          {"valid", "self.strings.indexOf('b') == 1", "true"},
          {"valid", "self.strings.lastIndexOf('b') == 2", "true"},
          {"valid", "self.strings.indexOf('x') == -1", "true"},
          {"valid", "self.strings.lastIndexOf('x') == -1", "true"},

          {"valid", "[[1], [2]].indexOf([1]) == 0", "true"},
          {"valid", "[{'a': 1}, {'b': 2}].lastIndexOf({'b': 2}) == 1", "true"},
          {"valid", "self.objs.indexOf(self.objs[1]) == 1", "true"},
          {"valid", "self.objs.lastIndexOf(self.objs[1]) == 2", "true"},
          {"valid", "([0] + self.emptyInts).min() == 0", "true"},
          {"valid", "dyn([]).sum() == 0", "true"},
          {"valid", "dyn([1, 2]).sum() == 3", "true"},
          {"valid", "dyn([1.0, 2.0]).sum() == 3.0", "true"},
          {"valid", "[].sum() == 0", "true"},

          {"errors", "self.emptyInts.min() == 1", "error: min called on empty list"},
          {"errors", "self.emptyInts.max() == 3", "error: max called on empty list"},
          {"errors", "self.emptyDoubles.min() == 1.0", "error: min called on empty list"},
          {"errors", "self.emptyDoubles.max() == 3.0", "error: max called on empty list"},
          {"errors", "self.emptyStrings.min() == 'a'", "error: min called on empty list"},
          {"errors", "self.emptyStrings.max() == 'c'", "error: max called on empty list"},
          {"errors", "['a', 'b'].sum() == 'c'",
           "check: found no matching overload for 'sum' applied to 'list(string).()'"},
          {"errors", "[[1], [2]].min() == [1]",
           "check: found no matching overload for 'min' applied to 'list(list(int)).()'"},
          {"errors", "[{'a': 1}, {'b': 2}].max() == {'b': 2}",
           "check: found no matching overload for 'max' applied to 'list(map(string, int)).()'"},
      },
      validation_self());
}

TEST_CASE("selectors: Kubernetes lists library (lists.go examples)", "[selectors]") {
  check_cases({
      {"isSorted", "[1, 2, 3].isSorted()", "true"},
      {"isSorted", "['a', 'b', 'b', 'c'].isSorted()", "true"},
      {"isSorted", "[2.0, 1.0].isSorted()", "false"},
      {"isSorted", "[1].isSorted()", "true"},
      {"isSorted", "[].isSorted()", "true"},
      {"sum", "[1, 3].sum()", "4"},
      {"sum", "[1.0, 3.0].sum()", "4.0"},
      {"sum", "[].sum()", "0"},
      {"min/max", "[1, 3].min()", "1"},
      {"min/max", "[1, 3].max()", "3"},
      {"min/max", "[].min()", "error: min called on empty list"},
      {"min/max", "[1].min()", "1"},
      {"indexOf", "[1, 2, 2, 3].indexOf(2)", "1"},
      {"indexOf", "['a', 'b', 'b', 'c'].lastIndexOf('b')", "2"},
      {"indexOf", "[1.0].indexOf(1.1)", "-1"},
      {"indexOf", "[].indexOf('string')", "-1"},
  });
}

// Consequences of the implementation (lists.go) and of cel-go's runtime dispatch that no
// upstream test pins: the overload is chosen by the first element of a dyn list, failed
// comparisons are ignored, additions keep cel-go's overflow errors.
TEST_CASE("selectors: Kubernetes lists library: dispatch and edge cases", "[selectors]") {
  check_cases({
      {"uint sum", "[1u, 2u, 3u].sum()", "6u"},
      {"uint min", "[3u, 1u, 2u].min()", "1u"},
      {"bool max", "[false, true, false].max()", "true"},
      {"bool sorted", "[false, true, true].isSorted()", "true"},
      {"bytes sorted", "[b'a', b'b'].isSorted()", "true"},
      {"bytes max", "[b'a', b'c', b'b'].max()", "b\"c\""},
      {"int overflow", "[9223372036854775807, 1].sum()", "error: integer overflow"},
      {"uint overflow", "[18446744073709551615u, 1u].sum()", "error: unsigned integer overflow"},
      {"mixed sum", "[dyn(1), dyn(2.0)].sum()", "error: no such overload"},
      {"first element picks the overload", "[dyn(1.0), dyn(2)].sum()", "error: no such overload"},
      {"no summable first element", "dyn(['a']).sum()", "error: no such overload"},
      {"non-adder element", "[dyn(1), dyn(true)].sum()", "error: no such overload"},
      {"incomparable kinds are not out of order", "[dyn(1), dyn('a')].isSorted()", "true"},
      {"numbers compare across kinds", "[dyn(1), dyn(1.5), dyn(2u)].isSorted()", "true"},
      {"numbers compare across kinds", "[dyn(2u), dyn(1.5)].isSorted()", "false"},
      {"min across kinds", "[dyn(2), dyn(1.5), dyn(3u)].min()", "1.5"},
      {"max keeps the first of equals", "[dyn(1), dyn(1.0), dyn(1u)].max()", "1"},
      {"min ignores failed comparisons", "[dyn('b'), dyn(1), dyn('a')].min()", "\"a\""},
      {"NaN does not order", "[1.0, 0.0/0.0, 0.5].isSorted()", "true"},
      {"incomparable element", "[dyn(1), dyn([2])].isSorted()", "error: no such overload"},
      {"incomparable first element", "dyn([[1], [2]]).min()", "error: no such overload"},
      {"indexOf across numeric kinds", "[dyn(1), dyn(2u), dyn(3.0)].indexOf(3)", "2"},
      {"lastIndexOf across numeric kinds", "[dyn(1), dyn(1u), dyn(1.0)].lastIndexOf(1u)", "2"},
      {"indexOf: a failed comparison is not a match", "dyn([quantity('1')]).indexOf(1)", "-1"},
  });
}

TEST_CASE("selectors: Kubernetes lists library costs (cost_test.go)", "[selectors]") {
  // TestListsCost: `<5-element list>.sum()` etc. cost 15 = 10 (list) + 5 (one traversal);
  // uint, bytes, duration and timestamp rows add the cost of their conversions, not of the
  // call.
  const Value int_list = eval("[1, 2, 3, 4, 5]");
  const Value uint_list = eval("[uint(1), uint(2), uint(3), uint(4), uint(5)]");
  const Value double_list = eval("[1.0, 2.0, 3.0, 4.0, 5.0]");
  const Value bool_list = eval("[false, true, false, true, false]");
  const Value string_list =
      eval("['012345678901', '012345678901', '012345678901', '012345678901', '012345678901']");
  const Value bytes_list =
      eval("[b'012345678901', b'012345678901', b'012345678901', b'012345678901', b'012345678901']");
  struct Row {
    std::string_view function, id;
    const Value* list;
  };
  const Row rows[] = {
      {"sum", "list_int_sum_int", &int_list},
      {"sum", "list_uint_sum_uint", &uint_list},
      {"sum", "list_double_sum_double", &double_list},
      {"isSorted", "list_int_is_sorted_bool", &int_list},
      {"isSorted", "list_bool_is_sorted_bool", &bool_list},
      {"max", "list_string_max_string", &string_list},
      {"min", "list_bytes_min_bytes", &bytes_list},
      {"max", "list_double_max_double", &double_list},
      {"min", "list_uint_min_uint", &uint_list},
  };
  for (const Row& r : rows) {
    INFO(r.id);
    const Overload* o = overload(r.function, r.id);
    const std::vector<Value> args = {*r.list};
    const Value result = o->decl->impl(args);
    REQUIRE(!result.is_error());
    CHECK(o->decl->cost(args, result) == 5);
    // Estimated: list size 5 times 1 per element (non-text elements): 15 - 10.
    if (r.list != &string_list && r.list != &bytes_list) {
      const std::vector<SizeEstimate> sizes = {{5, 5}};
      const CallEstimate e = o->decl->estimate(sizes);
      CHECK(e.cost.min == 5);
      CHECK(e.cost.max == 5);
      CHECK(!e.result_size);
    }
  }
  // TestIndexOfCost: the call costs one traversal of the list (not of the argument).
  {
    const Overload* o = overload("indexOf", "list_a_index_of_int");
    const std::vector<Value> args = {string_list, Value::string("x")};
    CHECK(o->decl->cost(args, o->decl->impl(args)) == 5);
    const Overload* last = overload("lastIndexOf", "list_a_last_index_of_int");
    const std::vector<Value> int_args = {int_list, Value::integer(3)};
    CHECK(last->decl->cost(int_args, last->decl->impl(int_args)) == 5);
    const std::vector<SizeEstimate> sizes = {{5, 5}, {1, 1}};
    CHECK(o->decl->estimate(sizes).cost.max == 5);
  }
  // String and bytes elements: cost_test.go's size estimator knows them as 0..12 long and
  // estimates 15..25; the DRA size estimator knows no element size, so each comparison is
  // estimated at 1..1 + ceil(0.1 * (2^64 - 1)).
  {
    const Overload* o = overload("isSorted", "list_string_is_sorted_bool");
    const std::vector<SizeEstimate> sizes = {{5, 5}};
    const CallEstimate e = o->decl->estimate(sizes);
    CHECK(e.cost.min == 5);
    CHECK(e.cost.max == 9223372036854776325ull);
  }
  // Traversal cost: strings cost a tenth of their bytes, rounded down (31 bytes: 3, one
  // byte: 0); nested lists and maps (keys and values) are traversed; anything else is 1.
  {
    const Overload* o = overload("indexOf", "list_a_index_of_int");
    const Value nested = eval("[['0123456789012345678901234567890'], {'k': 'v'}, 1]");
    const std::vector<Value> args = {nested, Value::integer(1)};
    CHECK(o->decl->cost(args, o->decl->impl(args)) == 3 + 0 + 1);
  }
}

}  // namespace dra::selectors
