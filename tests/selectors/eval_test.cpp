// tests/selectors/eval_test.cpp -- the CEL evaluator: values, operators, macros, errors.
#include "selectors/eval.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "selectors/parser.hpp"

namespace dra::selectors {
namespace {

// The value in to_debug_string form; "error: <message>" for an error value; "parse: ..."
// when the input does not parse.
std::string run(std::string_view input, const Activation& act = {}, const EvalOptions& opts = {}) {
  const ParseResult r = parse(input);
  if (!r.ok()) return "parse: " + format_errors(input, r.errors);
  const Value v = evaluate(*r.expr, act, opts);
  if (v.is_error()) return "error: " + v.error_message();
  return to_debug_string(v);
}

struct SpecCase {
  std::string_view name;
  std::string_view expr;
  std::string_view want;  // a value, or "error" for any error
};

const SpecCase kSpecCases[] = {
#include "selectors/cel_spec_cases.inc"
};

}  // namespace

TEST_CASE("selectors: cel-spec conformance rows", "[selectors]") {
  for (const SpecCase& c : kSpecCases) {
    INFO(c.name << ": " << c.expr);
    const std::string got = run(c.expr);
    if (c.want == "error") {
      CHECK(got.starts_with("error: "));
    } else {
      CHECK(got == c.want);
    }
  }
}

}  // namespace dra::selectors

namespace dra::selectors {

TEST_CASE("selectors: evaluation errors read as cel-go's", "[selectors]") {
  // Messages from cel-go common/types (overflow.go, list.go, map.go, string.go) and the
  // DRA spec (spec/cel.md §3, §6.2); expressions our own.
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"9223372036854775807 + 1", "error: integer overflow"},
      {"-9223372036854775808 - 1", "error: integer overflow"},
      {"-(-9223372036854775808)", "error: integer overflow"},
      {"-9223372036854775808 / -1", "error: integer overflow"},
      {"-9223372036854775808 % -1", "error: integer overflow"},
      {"4611686018427387904 * 2", "error: integer overflow"},
      {"18446744073709551615u + 1u", "error: unsigned integer overflow"},
      {"0u - 1u", "error: unsigned integer overflow"},
      {"1 / 0", "error: division by zero"},
      {"1 % 0", "error: modulus by zero"},
      {"1u / 0u", "error: division by zero"},
      {"1.0 / 0.0", "double(\"Infinity\")"},
      {"1 + 1.0", "error: no such overload"},
      {"1 + 1u", "error: no such overload"},
      {"'a' + 1", "error: no such overload"},
      {"5.0 % 2.0", "error: no such overload"},
      {"{'a': 1}.b", "error: no such key: b"},
      {"{'a': 1}['cores']", "error: no such key: cores"},
      {"{1: 'a'}[2]", "error: no such key: 2"},
      {"[1, 2][2]", "error: index '2' out of range in list size '2'"},
      {"[1, 2][-1]", "error: index '-1' out of range in list size '2'"},
      {"[1, 2]['a']", "error: unsupported index type 'string' in list"},
      {"[1, 2][1.5]", "error: unsupported index value 1.5 in list"},
      {"1.exists(x, x > 0)", "error: got 'types.Int', expected iterable type"},
      {"'s'.all(x, true)", "error: got 'types.String', expected iterable type"},
      {"int('abc')", "error: type conversion error from 'string' to 'int'"},
      {"int('9223372036854775808')", "error: type conversion error from 'string' to 'int'"},
      {"uint('-1')", "error: type conversion error from 'string' to 'uint'"},
      {"double('x')", "error: type conversion error from 'string' to 'double'"},
      {"bool('TrUe')", "error: type conversion error from 'string' to 'bool'"},
      {"double('NaN') < 1.0", "error: NaN values cannot be ordered"},
      {"dyn(1) >= double('NaN')", "error: NaN values cannot be ordered"},
      {"int(1e99)", "error: integer overflow"},
      {"int(18446744073709551615u)", "error: integer overflow"},
      {"uint(-1)", "error: unsigned integer overflow"},
      {"uint(-1.5)", "error: unsigned integer overflow"},
      {"string(b'\\xff')", "error: invalid UTF-8 in bytes, cannot convert to string"},
      {"x", "error: no such attribute(s): x"},
      {"foo(1)", "error: undeclared reference to 'foo' (in container '')"},
      {"optional.none().value()", "error: optional.none() dereference"},
      // RE2's wording after Go's prefix; Go's regexp says "missing closing ): `(`".
      {"'abc'.matches('(')", "error: error parsing regexp: missing closing ): `(`"},
      {"null < null", "error: no such overload"},
      {"'a' < 1", "error: no such overload"},
  };
  for (const auto& [input, want] : cases) {
    INFO(input);
    CHECK(run(input) == want);
  }
}

TEST_CASE("selectors: evaluation semantics DRA selectors rely on", "[selectors]") {
  // Our own cases for spec/cel.md §3, §11.1 (cel-go as Kubernetes configures it).
  const std::pair<std::string_view, std::string_view> cases[] = {
      // && and || absorb errors from either side when the other side decides.
      {"false && {}.a", "false"},
      {"{}.a && false", "false"},
      {"true || {}.a", "true"},
      {"{}.a || true", "true"},
      {"true && {}.a", "error: no such key: a"},
      {"{}.a || {}.b", "error: no such key: a"},
      {"1 && true", "error: no such overload"},
      {"1 && false", "false"},
      // Numbers compare by value across int, uint and double at run time.
      {"dyn(1) == 1.0", "true"},
      {"dyn(1u) == 1", "true"},
      {"dyn('1') == 1", "false"},
      {"dyn(1) < 2.5", "true"},
      {"dyn(-1) < 1u", "true"},
      {"dyn(2u) > -1", "true"},
      {"[1] == [dyn(1.0)]", "true"},
      {"dyn(1.0) in [1]", "true"},
      {"{1: 'a'}[dyn(1u)]", "\"a\""},
      {"double('NaN') == double('NaN')", "false"},
      {"{'a': 1, 'a': 2}", "{\"a\": 2}"},  // last key wins in cel-go v0.27
      {"type(1) == int", "true"},
      {"type(int)", "type"},
      {"type({})", "map"},
      {"type(optional.none())", "optional_type"},
      // Strings and bytes.
      {"'héllo'.size()", "5"},
      {"size(b'h\\xc3\\xa9')", "3"},
      {"'asymetric'.matches('[^a]?sym')", "true"},  // unanchored
      {"matches('abc', '^b')", "false"},
      {"'abc' + 'def'", "\"abcdef\""},
      {"b'ab' + b'c'", "b\"abc\""},
      {"string(1e6)", "\"1e+06\""},
      {"string(123456.5)", "\"123456.5\""},
      {"string(0.0001)", "\"0.0001\""},
      {"string(0.00001)", "\"1e-05\""},
      {"string(-2.5)", "\"-2.5\""},
      // Lists, maps, `in`, has().
      {"[1, 2] + [3]", "[1, 2, 3]"},
      {"2 in [1, 2]", "true"},
      {"'a' in {'a': 1}", "true"},
      {"has({'a': 1}.a)", "true"},
      {"has({'a': 1}.b)", "false"},
      // Macros, two-variable forms and cel.bind.
      {"[1, 2, 3].exists_one(x, x > 2)", "true"},
      {"[1, 2, 3].existsOne(x, x > 1)", "false"},
      {"[1, 2, 3].map(x, x > 1, x * 10)", "[20, 30]"},
      {"[1, 2, 3].all(i, v, i < v)", "true"},
      {"{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", "true"},
      {"[1, 2].transformList(i, v, i + v)", "[1, 3]"},
      {"{'a': 1}.transformMap(k, v, v + 1)", "{\"a\": 2}"},
      {"[1, 2].all(x, x / 0 > 1)", "error: division by zero"},
      {"[1, 2].all(x, x / 0 > 1 || x > 0)", "true"},
      {"[0, 1].exists(x, 1 / x > 0)", "true"},  // a true element absorbs the error
      {"[0, 1].all(x, 1 / x > 5)", "false"},    // a false element absorbs the error
      {"cel.bind(x, 2, x * x)", "4"},
      {"cel.bind(a, 1, cel.bind(b, a + 1, [a, b]))", "[1, 2]"},
      // Optionals.
      {"{'a': 1}.?a", "optional.of(1)"},
      {"{'a': 1}.?b", "optional.none()"},
      {"{'a': 1}.?b.orValue(5)", "5"},
      {"{'a': {'b': 2}}.?a.b", "optional.of(2)"},
      {"{'a': {}}.?a.b", "optional.none()"},
      {"[1, 2][?1]", "optional.of(2)"},
      {"[1, 2][?5].hasValue()", "false"},
      {"optional.of(1).value()", "1"},
      {"optional.none().or(optional.of(2))", "optional.of(2)"},
      {"optional.ofNonZeroValue('')", "optional.none()"},
      {"[1, ?optional.none(), ?optional.of(3)]", "[1, 3]"},
      {"{'a': 1, ?'b': optional.none()}", "{\"a\": 1}"},
      {"optional.of(2).optMap(x, x * 2)", "optional.of(4)"},
      {"optional.none().optMap(x, x * 2)", "optional.none()"},
      {"optional.of(2).optFlatMap(x, optional.none())", "optional.none()"},
  };
  for (const auto& [input, want] : cases) {
    INFO(input);
    CHECK(run(input) == want);
  }
}

TEST_CASE("selectors: activation variables", "[selectors]") {
  Activation act;
  act.bind("x", Value::integer(3));
  act.bind("a.b", Value::string("dotted"));
  CHECK(run("x * 2", act) == "6");
  CHECK(run("a.b", act) == "\"dotted\"");
  CHECK(run("[1, 2].map(x, x + 1)", act) == "[2, 3]");  // the macro variable shadows
  CHECK(run("[{'b': 1}].map(a, a.b)", act) == "[1]");   // a local shadows the dotted name
  act.bind("x", Value::integer(4));                     // a later bind replaces
  CHECK(run("x", act) == "4");
}

TEST_CASE("selectors: the step budget ends pathological expressions", "[selectors]") {
  const std::string_view expensive =
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
      "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, "
      "[1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a + b + c + d + e + f > 0))))))";
  CHECK(run(expensive) == "error: operation cancelled: actual cost limit exceeded");
  // Short-circuiting cannot hide the budget error.
  CHECK(run(std::string("true || ") + std::string(expensive)) == "true");
  CHECK(run(std::string(expensive) + " || true") ==
        "error: operation cancelled: actual cost limit exceeded");
  // 1 + 2 + 3 costs 2 (two calls; constants are free).
  EvalOptions one;
  one.cost_limit = 1;
  CHECK(run("1 + 2 + 3", {}, one) == "error: operation cancelled: actual cost limit exceeded");
  EvalOptions two;
  two.cost_limit = 2;
  CHECK(run("1 + 2 + 3", {}, two) == "6");
}

TEST_CASE("selectors: an Evaluator compiles literal patterns once and is reusable", "[selectors]") {
  const ParseResult r = parse("s.matches('^a+$') && !s.matches(p)");
  REQUIRE(r.ok());
  const Evaluator ev(*r.expr);
  Activation act;
  act.bind("p", Value::string("b"));
  act.bind("s", Value::string("aaa"));
  CHECK(to_debug_string(ev.evaluate(act)) == "true");
  act.bind("s", Value::string("aab"));
  CHECK(to_debug_string(ev.evaluate(act)) == "false");
  act.bind("p", Value::string("["));
  act.bind("s", Value::string("aaa"));
  CHECK(ev.evaluate(act).is_error());
}

TEST_CASE("selectors: format_double writes Go's shortest 'g' form", "[selectors]") {
  const std::pair<double, std::string_view> cases[] = {
      {0.0, "0"},           {1.0, "1"},      {100.0, "100"},
      {123456.0, "123456"}, {1e6, "1e+06"},  {1.5e300, "1.5e+300"},
      {0.0001, "0.0001"},   {1e-5, "1e-05"}, {-0.5, "-0.5"},
  };
  for (const auto& [d, want] : cases) {
    INFO(want);
    CHECK(format_double(d) == want);
  }
}

}  // namespace dra::selectors
