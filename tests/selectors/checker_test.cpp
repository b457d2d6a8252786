// tests/selectors/checker_test.cpp -- the type checker and the compile front door.
// Rows: cel-spec simple/testdata cases that the Kubernetes environment rejects at compile
// time (those cel-spec marks disable_check, plus mixed-type list and map literals, which
// Kubernetes' HomogeneousAggregateLiterals validator rejects); DRA cel/compile_test.go
// compile errors; spec/cel.md §10 and §11.1 facts confirmed against cel-go v0.27.
#include "selectors/checker.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <string_view>

#include "cel_test_util.hpp"
#include "selectors/cache.hpp"
#include "selectors/device.hpp"
#include "selectors/library.hpp"
#include "selectors/parser.hpp"
#include "selectors/program.hpp"

namespace dra::selectors {
namespace {

struct SpecCase {
  std::string_view name;
  std::string_view expr;
  std::string_view want;
};

const SpecCase kSpecCases[] = {
#include "selectors/cel_spec_cases.inc"
};

Activation device_activation() {
  Activation act;
  act.bind("device", device_value(k8s::Device{}, "dra.example.com"));
  return act;
}

}  // namespace

TEST_CASE("selectors: cel-spec rows the Kubernetes checker rejects, and only those",
          "[selectors]") {
  const std::map<std::string_view, std::string_view> rejected = {
      {"basic/variables/self_eval_unbound_lookup",
       R"(undeclared reference to 'x' (in container ''))"},
      {"basic/variables/unbound_is_runtime_error",
       R"(undeclared reference to 'x' (in container ''))"},
      {"basic/functions/unbound", R"(undeclared reference to 'f_unknown' (in container ''))"},
      {"basic/functions/unbound_is_runtime_error",
       R"(undeclared reference to 'f_unknown' (in container ''))"},
      {"logic/conditional/mixed_type",
       R"(found no matching overload for '_?_:_' applied to '(bool, string, int)')"},
      {"logic/conditional/bad_type",
       R"(found no matching overload for '_?_:_' applied to '(string, bool, int)')"},
      {"logic/AND/short_circuit_type_left", R"(expected type 'bool' but found 'int')"},
      {"logic/AND/short_circuit_type_right", R"(expected type 'bool' but found 'string')"},
      {"logic/AND/no_overload", R"(expected type 'bool' but found 'string')"},
      {"logic/OR/short_circuit_type_left", R"(expected type 'bool' but found 'int')"},
      {"logic/OR/short_circuit_type_right", R"(expected type 'bool' but found 'string')"},
      {"logic/OR/no_overload", R"(expected type 'bool' but found 'string')"},
      {"logic/NOT/no_overload", R"(found no matching overload for '!_' applied to '(int)')"},
      {"comparisons/eq_literal/not_eq_list_null", R"(expected type 'string' but found 'null')"},
      {"comparisons/eq_literal/eq_list_mixed_type_numbers",
       R"(expected type 'double' but found 'int')"},
      {"comparisons/eq_literal/not_eq_list_mixed_type_numbers",
       R"(expected type 'uint' but found 'int')"},
      {"comparisons/eq_literal/not_eq_list_length",
       R"(found no matching overload for '_==_' applied to '(list(string), list(int))')"},
      {"comparisons/eq_literal/not_eq_list_false_vs_types",
       R"(expected type 'int' but found 'string')"},
      {"comparisons/eq_literal/not_eq_map_null", R"(expected type 'int' but found 'null')"},
      {"comparisons/eq_literal/eq_map_mixed_type_numbers",
       R"(expected type 'int' but found 'uint')"},
      {"comparisons/eq_literal/not_eq_map_false_vs_types",
       R"(expected type 'int' but found 'string')"},
      {"comparisons/eq_literal/eq_mixed_types",
       R"(found no matching overload for '_==_' applied to '(double, int)')"},
      {"comparisons/eq_literal/eq_list_elem_mixed_types",
       R"(found no matching overload for '_==_' applied to '(list(int), list(double))')"},
      {"comparisons/eq_literal/eq_map_value_mixed_types",
       R"(expected type 'string' but found 'int')"},
      {"comparisons/eq_literal/not_eq_list_elem_null", R"(expected type 'int' but found 'null')"},
      {"comparisons/eq_literal/not_eq_map_value_null",
       R"(expected type 'string' but found 'null')"},
      {"comparisons/ne_literal/ne_mixed_types",
       R"(found no matching overload for '_!=_' applied to '(uint, int)')"},
      {"comparisons/lt_literal/lt_list_unsupported",
       R"(found no matching overload for '_<_' applied to '(list(int), list(int))')"},
      {"comparisons/lt_literal/lt_map_unsupported",
       R"(found no matching overload for '_<_' applied to '(map(int, string), map(int, string))')"},
      {"comparisons/lt_literal/lt_mixed_types_error",
       R"(found no matching overload for '_<_' applied to '(string, int)')"},
      {"comparisons/gt_literal/gt_list_unsupported",
       R"(found no matching overload for '_>_' applied to '(list(int), list(int))')"},
      {"comparisons/gt_literal/gt_map_unsupported",
       R"(found no matching overload for '_>_' applied to '(map(int, string), map(int, string))')"},
      {"comparisons/gt_literal/gt_mixed_types_error",
       R"(found no matching overload for '_>_' applied to '(string, int)')"},
      {"comparisons/lte_literal/lte_list_unsupported",
       R"(found no matching overload for '_<=_' applied to '(list(int), list(int))')"},
      {"comparisons/lte_literal/lte_map_unsupported",
       R"(found no matching overload for '_<=_' applied to '(map(int, string), map(int, string))')"},
      {"comparisons/lte_literal/lte_mixed_types_error",
       R"(found no matching overload for '_<=_' applied to '(string, int)')"},
      {"comparisons/gte_literal/gte_list_unsupported",
       R"(found no matching overload for '_>=_' applied to '(list(string), list(string))')"},
      {"comparisons/gte_literal/gte_map_unsupported",
       R"(found no matching overload for '_>=_' applied to '(map(int, string), map(int, string))')"},
      {"comparisons/gte_literal/gte_mixed_types_error",
       R"(found no matching overload for '_>=_' applied to '(string, double)')"},
      {"comparisons/in_list_literal/elem_in_mixed_type_list",
       R"(expected type 'int' but found 'string')"},
      {"comparisons/in_list_literal/elem_in_mixed_type_list_cross_type",
       R"(expected type 'uint' but found 'string')"},
      {"comparisons/in_map_literal/key_in_mixed_key_type_map",
       R"(expected type 'int' but found 'string')"},
      {"comparisons/in_map_literal/key_in_mixed_key_type_map_cross_type",
       R"(expected type 'uint' but found 'int')"},
      {"integer_math/int64_math/unary_minus_no_overload",
       R"(found no matching overload for '-_' applied to '(uint)')"},
      {"integer_math/int64_math/unary_minus_not_bool",
       R"(found no matching overload for '-_' applied to '(bool)')"},
      {"integer_math/uint64_math/negative_no_overload",
       R"(found no matching overload for '-_' applied to '(uint)')"},
      {"macros/exists/list_elem_type_shortcircuit", R"(expected type 'int' but found 'string')"},
      {"macros/exists/list_elem_type_exhaustive", R"(expected type 'int' but found 'string')"},
      {"macros/exists/map_key_type_shortcircuit", R"(expected type 'string' but found 'int')"},
      {"macros/exists/map_key_type_exhaustive", R"(expected type 'string' but found 'int')"},
      {"macros/all/list_elem_type_shortcircuit", R"(expected type 'int' but found 'string')"},
      {"macros/all/list_elem_type_exhaustive", R"(expected type 'int' but found 'string')"},
      {"conversions/dyn/dyn_heterogeneous_list", R"(expected type 'int' but found 'string')"},
      {"conversions/type/dyn_no_denotation", R"(undeclared reference to 'dyn' (in container ''))"},
      {"fields/map_fields/map_key_int64", R"(expected type 'int' but found 'bool')"},
      {"fields/map_fields/map_key_uint64", R"(expected type 'uint' but found 'string')"},
      {"fields/map_fields/map_key_mixed_type", R"(expected type 'bool' but found 'int')"},
      {"fields/map_fields/map_key_mixed_numbers_double_key",
       R"(expected type 'uint' but found 'int')"},
      {"fields/map_fields/map_key_mixed_numbers_lossy_double_key",
       R"(expected type 'uint' but found 'int')"},
      {"fields/map_fields/map_key_mixed_numbers_uint_key",
       R"(expected type 'uint' but found 'int')"},
      {"fields/map_fields/map_key_mixed_numbers_int_key",
       R"(expected type 'uint' but found 'int')"},
      {"fields/map_fields/map_value_mix_type",
       R"(expected type 'map(string, string)' but found 'list(int)')"},
      {"fields/qualified_identifier_resolution/map_key_float",
       R"(expected type 'double' but found 'int')"},
      {"fields/in/mixed_numbers_and_keys_present", R"(expected type 'int' but found 'uint')"},
      {"fields/in/mixed_numbers_and_keys_absent", R"(expected type 'int' but found 'uint')"},
  };
  size_t seen = 0;
  for (const SpecCase& c : kSpecCases) {
    ParseResult r = parse(c.expr);
    if (!r.ok()) continue;
    INFO(c.name << ": " << c.expr);
    const CheckResult k = check(*r.expr, empty_check_env());
    auto it = rejected.find(c.name);
    if (it == rejected.end()) {
      CHECK(k.ok());
      if (!k.ok()) UNSCOPED_INFO(k.errors.front().message);
    } else {
      ++seen;
      REQUIRE_FALSE(k.ok());
      CHECK(k.errors.front().message == it->second);
    }
  }
  CHECK(seen == rejected.size());
}

TEST_CASE("selectors: checker decisions (spec/cel.md sections 10 and 11.1)", "[selectors]") {
  testing::check_cases({
      // §11.1: mixed numeric types are rejected when the static types are known.
      {"int == double", "1 == 1.0",
       "check: found no matching overload for '_==_' applied to '(int, double)'"},
      {"int == uint", "1 == 1u",
       "check: found no matching overload for '_==_' applied to '(int, uint)'"},
      {"list(int) == list(double)", "[1] == [1.0]",
       "check: found no matching overload for '_==_' applied to '(list(int), list(double))'"},
      {"int in list(double)", "1 in [1.0]",
       "check: found no matching overload for '@in' applied to '(int, list(double))'"},
      {"map(int) indexed by double", "{1: 'a'}[1.0]",
       "check: found no matching overload for '_[_]' applied to '(map(int, string), double)'"},
      {"cross-type ordering is declared", "1 < 1.5", "true"},
      {"null ordering passes the checker", "null < null", "error: no such overload"},
      {"dyn elements are homogeneous", "[dyn(1), dyn('a')].size()", "2"},
      {"int and dyn elements are not", "[1, dyn(2.0)].size()",
       "check: expected type 'int' but found 'dyn'"},
      {"mixed list literal (§10 #77)", "[1, 'a'].size() == 2",
       "check: expected type 'int' but found 'string'"},
      {"mixed map values", "{'a': 1, 'b': 'c'}.size()",
       "check: expected type 'int' but found 'string'"},
      // §11.1: constant conversions are evaluated while the program is built.
      {"int of a bad constant (§10 #78)", "int('abc') == 0",
       "check: program instantiation failed: type conversion error from 'string' to 'int'"},
      {"constant folding ignores short-circuits", "false && uint(-1) == 1u",
       "check: program instantiation failed: unsigned integer overflow"},
      {"nested constant conversions", "int(dyn('abc')) == 1",
       "check: program instantiation failed: type conversion error from 'string' to 'int'"},
      {"bool spellings", "bool('TrUe')",
       "check: program instantiation failed: type conversion error from 'string' to 'bool'"},
      {"no folding through operators", "int('1' + 'x')",
       "error: type conversion error from 'string' to 'int'"},
      // §10 #67 and #76.
      {"isQuantity of a list", "isQuantity([1, 2, 3])",
       "check: found no matching overload for 'isQuantity' applied to '(list(int))'"},
      {"sign is global", "quantity('1').sign() == 1",
       "check: found no matching overload for 'sign' applied to 'kubernetes.Quantity.()'"},
      {"sign(q)", "sign(quantity('1')) == 1", "true"},
      // Logical operators and macros, typed as cel-go types their expansions.
      {"&& needs bools", "true && 1", "check: expected type 'bool' but found 'int'"},
      {"all needs a bool predicate", "[1, 2].all(x, x)",
       "check: expected type 'bool' but found 'int'"},
      {"exists_one needs a bool predicate", "[1, 2].exists_one(x, x)",
       "check: found no matching overload for '_?_:_' applied to '(int, int, int)'"},
      {"an int is no range", "1.exists(x, true)",
       "check: expression of type 'int' cannot be range of a comprehension (must be list, map, "
       "or dynamic)"},
      {"map transforms", "[1, 2].map(x, x * 2) == [2, 4]", "true"},
      {"map with filter", "[1, 2, 3].map(x, x > 1, string(x)) == ['2', '3']", "true"},
      {"filter keeps the element type", "[1, 2, 3].filter(x, x > 1) == [2, 3]", "true"},
      {"map over a map yields keys", "{'a': 1}.map(k, k + 'x') == ['ax']", "true"},
      {"two-variable all", "[10, 20].all(i, v, v == (i + 1) * 10)", "true"},
      {"transformMap", "{'a': 1}.transformMap(k, v, v + 1) == {'a': 2}", "true"},
      {"bind", "cel.bind(x, 2, x * x) == 4", "true"},
      {"optional select on a map", "{'a': 1}.?a.orValue(0) == 1", "true"},
      {"optional index on a list", "[1][?3].orValue(7) == 7", "true"},
      {"optMap", "optional.of(2).optMap(x, x * 3).value() == 6", "true"},
      {"optMap on a non-optional", "2.optMap(x, x)",
       "check: found no matching overload for 'hasValue' applied to 'int.()'"},
      {"optional element of the wrong type", "[?1]",
       "check: expected type 'optional_type(int)' but found 'int'"},
      {"undeclared function", "nope(1)", "check: undeclared reference to 'nope' (in container '')"},
      {"undeclared variable", "x + 1", "check: undeclared reference to 'x' (in container '')"},
      {"field selection on an int", "1.a", "check: type 'int' does not support field selection"},
      {"type identifiers", "type(1) == int", "true"},
      {"result type of type()", "type(type(1)) == type", "true"},
      {"literal regex is validated", "'a'.matches('(')", "check: invalid matches argument"},
      {"global matches validates its first argument", "matches('(', 'a')",
       "check: invalid matches argument"},
  });
}

TEST_CASE("selectors: the device variable is typed as upstream declares it", "[selectors]") {
  const Activation act = device_activation();
  testing::check_cases(
      {
          {"no such field", "device.name == 'x'", "check: undefined field 'name'"},
          {"has on an undeclared field", "has(device.pool)", "check: undefined field 'pool'"},
          {"string does not select", "device.driver.x",
           "check: type 'string' does not support field selection"},
          {"capacity is a Quantity", "device.capacity['d'].memory > 1",
           "check: found no matching overload for '_>_' applied to '(kubernetes.Quantity, int)'"},
          {"attributes are dyn", "device.attributes['d'].x > 1", "error: no such key: x"},
          {"dyn attributes can be a comprehension range (spec §1.3)",
           "device.attributes['d'].ids.exists(i, i == 1)", "error: no such key: ids"},
          {"allowMultipleAllocations is a bool", "device.allowMultipleAllocations == 1",
           "check: found no matching overload for '_==_' applied to '(bool, int)'"},
          {"driver", "device.driver == 'dra.example.com'", "true"},
      },
      act);
}

TEST_CASE("selectors: a DRA selector must be bool or dyn (compile_test type-error)",
          "[selectors]") {
  const auto first = [](std::string_view e) {
    const Compiled c = compile(e);
    return c.ok() ? std::string("ok") : c.issues.front().message;
  };
  CHECK(first("1") == "must evaluate to bool or the unknown type, not int");
  CHECK(first("'x'") == "must evaluate to bool or the unknown type, not string");
  CHECK(first("device.capacity['d'].m") ==
        "must evaluate to bool or the unknown type, not kubernetes.Quantity");
  CHECK(first("[true]") == "must evaluate to bool or the unknown type, not list(bool)");
  CHECK(first("device.attributes['d'].m") == "ok");  // dyn
  CHECK(first("true") == "ok");
  CHECK(first("?!").starts_with("Syntax error: "));
  CHECK(compile("?!").issues.front().phase == Phase::Parse);
  CHECK(compile("noSuchVar").issues.front().phase == Phase::Check);
}

TEST_CASE("selectors: issues render as cel-go renders them", "[selectors]") {
  const std::string e = "device.driver == 1";
  const Compiled c = compile(e);
  REQUIRE(c.issues.size() == 1);
  CHECK(format_issues(e, c.issues) ==
        "ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(string, int)'\n"
        " | device.driver == 1\n"
        " | ..............^");
  // Errors of several lines and wide characters: the caret column counts code points.
  const std::string wide = "'ü' == 'x' &&\n  nope";
  const Compiled w = compile(wide);
  REQUIRE(w.issues.size() == 1);
  CHECK(format_issues(wide, w.issues) ==
        "ERROR: <input>:2:3: undeclared reference to 'nope' (in container '')\n"
        " |   nope\n"
        " | ..^");
  const std::string w2 = "'ü' == 1";
  CHECK(format_issues(w2, compile(w2).issues) ==
        "ERROR: <input>:1:5: found no matching overload for '_==_' applied to '(string, int)'\n"
        " | 'ü' == 1\n"
        " | .\uff0e..^");
}

TEST_CASE("selectors: every declared signature parses and resolves", "[selectors]") {
  size_t overloads = 0;
  for (const Function& f : all_functions()) {
    INFO(f.name);
    CHECK(find_function(f.name) == &f);
    for (const Overload& o : f.overloads) {
      ++overloads;
      CHECK_FALSE(o.decl->id.empty());
    }
  }
  CHECK(overloads > 150);
  for (std::string_view t : {"int", "list(A)", "map(string, dyn)", "optional_type(list(V))",
                             "type(A)", "kubernetes.Quantity", "google.protobuf.Duration"}) {
    const std::optional<Type> parsed = parse_type(t);
    REQUIRE(parsed);
    CHECK(to_string(*parsed) == t);
  }
  CHECK_FALSE(parse_type("list(int"));
  CHECK_FALSE(parse_type("map(int)"));
}

}  // namespace dra::selectors

namespace dra::selectors {

TEST_CASE("selectors: each expression compiles once, each (expression, device) pair evaluates once",
          "[selectors]") {
  using A = k8s::DeviceAttribute;
  std::vector<k8s::Device> devices(3);
  for (size_t i = 0; i < devices.size(); ++i) {
    devices[i].name = "d" + std::to_string(i);
    devices[i].attributes.push_back({util::Atom("n"), A::of_int(static_cast<int64_t>(i))});
  }
  ProgramCache programs;
  MatchCache matches;
  const std::string e = "device.attributes['x.example.com'].n >= 1";
  for (int round = 0; round < 5; ++round) {
    const Compiled& c = programs.get(e);
    REQUIRE(c.ok());
    for (const k8s::Device& d : devices) {
      const Match m = to_match(matches.evaluate(*c.program, d, "x.example.com"));
      CHECK(m.error.empty());
      CHECK(m.matches == (&d != &devices[0]));
    }
  }
  CHECK(programs.compilations() == 1);
  CHECK(matches.evaluations() == devices.size());
  // A failed compilation is remembered too.
  CHECK_FALSE(programs.get("device.nope").ok());
  CHECK_FALSE(programs.get("device.nope").ok());
  CHECK(programs.compilations() == 2);
  // Non-bool results and errors are no match, with upstream's messages.
  CHECK(to_match(Value::integer(1)).error ==
        "CEL result of type int could not be converted to bool");
  CHECK(enhance_runtime_error("no such key: x") ==
        "no such key: x. consider using CEL optional chaining (.? followed by orValue()) or "
        "guarding the check with has() for optional fields");
  CHECK(enhance_runtime_error(enhance_runtime_error("no such key: x")) ==
        enhance_runtime_error("no such key: x"));
  CHECK(enhance_runtime_error("division by zero") == "division by zero");
}

}  // namespace dra::selectors
