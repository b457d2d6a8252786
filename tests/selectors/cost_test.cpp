// tests/selectors/cost_test.cpp -- the estimated and the actual cost of DRA selectors.
// The estimate rows restate, as facts, every case with an expectCost in
// kubernetes/dynamic-resource-allocation 3d036712930c cel/compile_test.go (TestCEL),
// named after them. Rows calling functions another library provides (includes, split,
// find) are skipped while find_function() does not know them.
// The actual costs are worked out by hand from cel-go v0.27.0 interpreter/runtimecost.go
// and the planner (interpreter/planner.go, attributes.go: one observation per attribute,
// one per qualifier, none for constants, conditionals and &&/||), with Kubernetes' call
// costs (apiserver pkg/cel/library/cost.go CallCost); each row says how.
#include "selectors/cost.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selectors/eval.hpp"
#include "selectors/program.hpp"

namespace dra::selectors {
namespace {

std::shared_ptr<const Program> compile_selector(std::string_view expression,
                                                bool require_bool = true) {
  CompileOptions options;
  options.require_bool = require_bool;
  Compiled c = compile(expression, options);
  INFO(expression << ": " << (c.ok() ? "" : c.issues.front().message));
  REQUIRE(c.ok());
  return c.program;
}

struct EstimateCase {
  std::string_view name;  // compile_test.go's case name
  std::string_view expression;
  uint64_t want;                // expectCost: the estimated maximum
  std::string_view needs = {};  // a function from another library, if any
};

// max(DeviceAttributeMaxValueLength, ResourceSliceMaxAttributeValuesPerDevice)
constexpr uint64_t kMaxElementsListTypeEnabled = 64;

const std::vector<EstimateCase>& estimate_cases() {
  static const std::vector<EstimateCase> cases = {
      {"runtime-error-lookup-identifier",
       R"(device.attributes["no-such-domain"].noSuchAttr.isGreaterThan(quantity("0")))", 6},
      {"runtime-error-lookup-map",
       R"(device.attributes["no-such-domain"]["noSuchAttr"].isGreaterThan(quantity("0")))", 6},
      {"domain-check-negative", R"("no-such-domain" in device.attributes)", 3},
      {"domain-check-positive", R"("dra.example.com" in device.attributes)", 3},
      {"empty-driver-name", R"(device.driver == "")", 2},
      {"real-driver-name", R"(device.driver == "dra.example.com")", 4},
      {"driver-name-qualifier", R"(device.attributes["dra.example.com"].name)", 4},
      {"driver-name-qualifier-map-lookup", R"(device.attributes["dra.example.com"]["name"])", 4},
      {"bind", R"(cel.bind(dra, device.attributes["dra.example.com"], dra.name))", 15},
      {"qualified-attribute-name", R"(device.attributes["other.example.com"].name)", 4},
      {"bool", R"(device.attributes["dra.example.com"].name)", 4},
      {"int", R"(device.attributes["dra.example.com"].name > 0)", 5},
      {"string", R"(device.attributes["dra.example.com"].name == "fish")", 5},
      {"macro-exists-on-int", R"(device.attributes["dra.example.com"].name.exists(x, x > 0))",
       5 + (3 + 3) * kMaxElementsListTypeEnabled},
      {"macro-exists-on-bool", R"(device.attributes["dra.example.com"].name.exists(x, x == true))",
       5 + (3 + 3) * kMaxElementsListTypeEnabled},
      {"macro-exists-on-string",
       R"(device.attributes["dra.example.com"].name.exists(x, x == "fish"))",
       5 + (3 + 3) * kMaxElementsListTypeEnabled},
      {"list-result-type-causes-match-error", R"(device.attributes["dra.example.com"].names)", 4},
      {"includes-function-can-evaluate",
       R"(device.attributes["dra.example.com"].name.includes("fish"))", 4 + 48, "includes"},
      {"list-of-bool", R"(device.attributes["dra.example.com"].names.size() == 2)", 6},
      {"list-of-int", R"(device.attributes["dra.example.com"].names.size() == 2)", 6},
      {"list-of-string", R"(device.attributes["dra.example.com"].names.size() == 2)", 6},
      {"list-of-semver", R"(device.attributes["dra.example.com"].names.size() == 2)", 6},
      {"macro-on-list-of-int", R"(device.attributes["dra.example.com"].names.exists(x, x > 0))",
       5 + (3 + 3) * kMaxElementsListTypeEnabled},
      {"macro-on-list-of-string", R"(device.attributes["dra.example.com"].names.all(x, x != ""))",
       5 + (2 + 2) * kMaxElementsListTypeEnabled},
      {"macro-on-list-of-semver",
       R"(device.attributes["dra.example.com"].names.all(x, x.isGreaterThan(semver("0.0.1"))))",
       5 + (2 + 4) * kMaxElementsListTypeEnabled},
      {"includes-function-compilation-and-eval-success",
       R"(device.attributes["dra.example.com"].attr.includes("fish"))", 4 + 48, "includes"},
      {"includes-function-on-bool-scalar-positive",
       R"(device.attributes["dra.example.com"].name.includes(true))", 4 + 48, "includes"},
      {"includes-function-on-bool-scalar-negative",
       R"(device.attributes["dra.example.com"].name.includes(true))", 4 + 48, "includes"},
      {"includes-function-on-bool-list-positive",
       R"(device.attributes["dra.example.com"].name.includes(true))", 4 + 48, "includes"},
      {"includes-function-on-bool-list-negative",
       R"(device.attributes["dra.example.com"].name.includes(false))", 4 + 48, "includes"},
      {"includes-function-on-int-scalar-positive",
       R"(device.attributes["dra.example.com"].name.includes(1))", 4 + 48, "includes"},
      {"includes-function-on-int-scalar-negative",
       R"(device.attributes["dra.example.com"].name.includes(1))", 4 + 48, "includes"},
      {"includes-function-on-int-list-positive",
       R"(device.attributes["dra.example.com"].name.includes(1))", 4 + 48, "includes"},
      {"includes-function-on-int-list-negative",
       R"(device.attributes["dra.example.com"].name.includes(3))", 4 + 48, "includes"},
      {"includes-function-on-string-scalar-positive",
       R"(device.attributes["dra.example.com"].name.includes("fish"))", 4 + 48, "includes"},
      {"includes-function-on-string-scalar-negative",
       R"(device.attributes["dra.example.com"].name.includes("bird"))", 4 + 48, "includes"},
      {"includes-function-on-string-list-positive",
       R"(device.attributes["dra.example.com"].name.includes("fish"))", 4 + 48, "includes"},
      {"includes-function-on-string-list-negative",
       R"(device.attributes["dra.example.com"].name.includes("cat"))", 4 + 48, "includes"},
      {"includes-function-on-semver-scalar-positive",
       R"(device.attributes["dra.example.com"].name.includes(semver("1.0.0")))", 4 + 48 + 1,
       "includes"},
      {"includes-function-on-semver-scalar-negative",
       R"(device.attributes["dra.example.com"].name.includes(semver("2.0.0")))", 4 + 48 + 1,
       "includes"},
      {"includes-function-on-semver-list-positive",
       R"(device.attributes["dra.example.com"].name.includes(semver("1.0.0")))", 4 + 48 + 1,
       "includes"},
      {"includes-function-on-semver-list-negative",
       R"(device.attributes["dra.example.com"].name.includes(semver("3.0.0")))", 4 + 48 + 1,
       "includes"},
      {"includes-function-on-very-long-list-positive",
       R"(device.attributes["dra.example.com"].name.includes("value-48"))", 4 + 48, "includes"},
      {"includes-function-on-very-long-list-runtime-error",
       R"(device.attributes["dra.example.com"].name.includes("value-49"))", 4 + 48, "includes"},
      {"in-operator-on-list", R"(1 in device.attributes["dra.example.com"].names)", 4 + 64},
      {"version", R"(device.attributes["dra.example.com"].name.isGreaterThan(semver("0.0.1")))", 6},
      {"version_v",
       R"(device.attributes["dra.example.com"].name.isGreaterThan(semver("v0.0.1", true)) && isSemver("v1.0.0", true))",
       7},
      {"macro-exists-on-version",
       R"(device.attributes["dra.example.com"].name.exists(x, x.isGreaterThan(semver("0.0.1"))))",
       5 + (3 + 4) * kMaxElementsListTypeEnabled},
      {"quantity", R"(device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))", 6},
      {"check-positive",
       R"("name" in device.capacity["dra.example.com"] && device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))",
       10},
      {"check-negative",
       R"(!("name" in device.capacity["dra.example.com"]) || device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))",
       11},
      {"all", R"(
device.capacity["dra.example.com"].quantity.isGreaterThan(quantity("1Ki")) &&
device.attributes["dra.example.com"].bool &&
device.attributes["dra.example.com"].int > 0 &&
device.attributes["dra.example.com"].string == "fish" &&
device.attributes["dra.example.com"].version.isGreaterThan(semver("0.0.1")) &&
device.capacity["dra.example.com"]["quantity"].isGreaterThan(quantity("1Ki")) &&
device.attributes["dra.example.com"]["bool"] &&
device.attributes["dra.example.com"]["int"] > 0 &&
device.attributes["dra.example.com"]["string"] == "fish" &&
device.attributes["dra.example.com"]["version"].isGreaterThan(semver("0.0.1"))
)",
       52},
      {"many",
       R"(device.attributes["dra.example.com"].a && device.attributes["dra.example.com"].b && device.attributes["dra.example.com"].c)",
       12},
      {"check_attribute_domains", R"(device.attributes.exists_one(x, x == "dra.example.com"))",
       164},
      {"check_attribute_ids",
       R"(device.attributes["dra.example.com"].exists_one(x, x == "services"))", 133},
      {"split_attribute",
       R"(device.attributes["dra.example.com"].services.split("example").size() >= 2)", 19,
       "split"},
      {"regexp_attribute", R"(device.attributes["dra.example.com"].services.matches("[^a]?sym"))",
       18},
      {"check_capacity_domains", R"(device.capacity.exists_one(x, x == "dra.example.com"))", 164},
      {"check_capacity_ids", R"(device.capacity["dra.example.com"].exists_one(x, x == "memory"))",
       133},
      {"expensive",
       R"([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(y, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z5, int('1'.find('[0-9]*')) < 100))))))))",
       85555551, "find"},
      {"allow_multiple_allocations", R"(device.allowMultipleAllocations == true)", 3},
      {"allow_multiple_allocations_default", R"(device.allowMultipleAllocations == false)", 3},
      {"allow_multiple_allocations_false", R"(device.allowMultipleAllocations == false)", 3},
      {"allow_multiple_allocations_new", R"(device.allowMultipleAllocations == false)", 3},
      {"allow_multiple_allocations_enabled", R"(device.allowMultipleAllocations == false)", 3},
  };
  return cases;
}

TEST_CASE("selectors: estimated costs match DRA's compile_test.go", "[selectors]") {
  size_t skipped = 0;
  for (const EstimateCase& c : estimate_cases()) {
    if (!c.needs.empty() && !find_function(c.needs)) {
      ++skipped;
      continue;
    }
    INFO(c.name << ": " << c.expression);
    const auto program = compile_selector(c.expression);
    CHECK(estimate_cost(*program).max == c.want);
  }
  if (skipped > 0) WARN(skipped << " estimate rows skipped: includes/split/find not registered");
}

TEST_CASE("selectors: estimated cost ranges and the limit", "[selectors]") {
  // Minimum of && is its left side only (cel-go functionCost for logical_and).
  const auto many = compile_selector(
      R"(device.attributes["dra.example.com"].a && device.attributes["dra.example.com"].b)");
  CHECK(estimate_cost(*many).min == 4);
  CHECK(estimate_cost(*many).max == 8);
  // A literal list: 10 to create; `in` a list costs its size (here 3).
  const auto in_list = compile_selector(R"(device.driver in ["a", "b", "c"])");
  CHECK(estimate_cost(*in_list).max == 2 + 10 + 3);
  // has() is free (PresenceTestHasCost(false)): only its operand costs.
  const auto has = compile_selector(R"(has(device.attributes.foo))");
  CHECK(estimate_cost(*has).max == 2);
  // map(): the range (3), the initial [] (10), accu + [f] per element: 1 + (10 + f) + 1
  // over the 32 attribute ids, the result accu (1); size() 1, == 1.
  const auto mapped =
      compile_selector(R"(device.attributes["dra.example.com"].map(k, k).size() == 0)");
  CHECK(estimate_cost(*mapped).max == 3 + 10 + 32 * (1 + 10 + 1 + 1) + 1 + 1 + 1);

  // cel-go's string rules; device.driver is at most 63 characters (DriverNameMaxLength).
  const std::vector<std::pair<std::string_view, uint64_t>> strings = {
      // startsWith: ceil(3 * 0.1) for the argument.
      {R"(device.driver.startsWith("dra"))", 2 + 1},
      // contains: ceil(63 * 0.1) * ceil(7 * 0.1).
      {R"(device.driver.contains("example"))", 2 + 7},
      // + of strings: sizes {1, 64}, ceil(64 * 0.1) = 7; == against one character: 1.
      {R"(device.driver + "x" == "y")", 2 + 7 + 1},
      // A conditional: its condition plus the dearer branch.
      {R"(device.driver == "" ? device.attributes["a"].x : false)", 2 + 4},
      // < of strings: the shorter maximum, 3: ceil(0.3).
      {R"(device.driver < "abc")", 2 + 1},
      {R"(size(device.driver) > 3)", 2 + 1 + 1},
      // bytes(string): ceil(63 * 0.1); its size is up to 4 * 63; == b"a": 1.
      {R"(bytes(device.driver) == b"a")", 2 + 7 + 1},
      // The global matches() overload is not costed by size in cel-go; the method is.
      {R"(matches(device.driver, "a+"))", 2 + 1},
      {R"(device.driver.matches("a+"))", 2 + 7 * 1},
  };
  for (const auto& [expression, want] : strings) {
    INFO(expression);
    CHECK(estimate_cost(*compile_selector(expression)).max == want);
  }

  const auto cheap = compile_selector(R"(device.driver == "dra.example.com")");
  CHECK_FALSE(exceeds_cost_limit(estimate_cost(*cheap)));
  CHECK(exceeds_cost_limit(CostEstimate{0, kMaxSelectorCost + 1}));
  CHECK_FALSE(exceeds_cost_limit(CostEstimate{0, kMaxSelectorCost}));
  CHECK(kCostLimitMessage == "too complex, exceeds cost limit");
  // Seven nested all() over ten elements, as in the `expensive` row but without find().
  const auto nested = compile_selector(
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, "
      "[1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, "
      "[1,2,3,4,5,6,7,8,9,10].all(g, g < 100)))))))");
  // Innermost: 10 + 1 + 10 * (2 + 1 + 2) = 61; each level up: 10 * (3 + inner) + 11.
  uint64_t want = 61;
  for (int i = 0; i < 6; ++i) want = 10 * (3 + want) + 11;
  CHECK(estimate_cost(*nested).max == want);
  CHECK(exceeds_cost_limit(estimate_cost(*nested)));
}

// The device of the runtime rows: driver dra.example.com with a few attributes and one
// capacity, bound as DRA binds it.
Activation device_activation() {
  auto attrs = Value::map({
      {Value::string("name"), Value::boolean(true)},
      {Value::string("services"), Value::string("some_example_value")},
      {Value::string("names"),
       Value::list({Value::integer(1), Value::integer(2), Value::integer(3)})},
  });
  auto caps = Value::map({
      {Value::string("memory"), Value::quantity(*k8s::Quantity::parse("1Mi"))},
  });
  Value device = Value::map({
      {Value::string("driver"), Value::string("dra.example.com")},
      {Value::string("allowMultipleAllocations"), Value::boolean(false)},
      {Value::string("attributes"),
       Value::defaulting_map({{Value::string("dra.example.com"), attrs}})},
      {Value::string("capacity"),
       Value::defaulting_map({{Value::string("dra.example.com"), caps}})},
  });
  Activation act;
  act.bind("device", device);
  return act;
}

struct RuntimeCase {
  std::string_view expression;
  uint64_t want;
  std::string_view value;  // to_debug_string of the result
  // Whether the estimate bounds the actual cost; upstream's startsWith estimate uses the
  // argument's size, its runtime cost the receiver's.
  bool bounded = true;
};

TEST_CASE("selectors: actual costs follow cel-go's cost tracker", "[selectors]") {
  const std::vector<RuntimeCase> cases = {
      // device (1) + .driver (1) + == of 15 and 15 characters: ceil(15 * 0.1) = 2.
      {R"(device.driver == "dra.example.com")", 4, "true"},
      // == against "" costs ceil(0 * 0.1) = 0.
      {R"(device.driver == "")", 2, "false"},
      // One attribute observation and three qualifiers.
      {R"(device.attributes["dra.example.com"].name)", 4, "true"},
      {R"(device.attributes["dra.example.com"]["name"])", 4, "true"},
      // `in` a map: the call costs 1.
      {R"("dra.example.com" in device.attributes)", 3, "true"},
      // cel.bind: the empty range is a constant (0), the initializer 3, dra.name 2.
      {R"(cel.bind(dra, device.attributes["dra.example.com"], dra.name))", 5, "true"},
      // exists over [1, 2, 3]: range 4; each element: condition !accu (3) + accu (1) +
      // x > 2 (2); the last element decides; result accu (1).
      {R"(device.attributes["dra.example.com"].names.exists(x, x > 2))", 4 + 3 * 6 + 1, "true"},
      // Decided at the first element: the next condition (3) still runs.
      {R"(device.attributes["dra.example.com"].names.exists(x, x > 0))", 4 + 6 + 3 + 1, "true"},
      // all: condition 2 + accu 1 + x > 0 (2) for each of 3, result 1.
      {R"(device.attributes["dra.example.com"].names.all(x, x > 0))", 4 + 3 * 5 + 1, "true"},
      // exists_one over one domain: x == "dra.example.com" (1 + 2), accu + 1 (2); result
      // accu == 1 (2).
      {R"(device.attributes.exists_one(x, x == "dra.example.com"))", 2 + 5 + 2, "true"},
      // matches: ceil((1 + 18) * 0.1) * ceil(8 * 0.25) = 2 * 2.
      {R"(device.attributes["dra.example.com"].services.matches("[^a]?sym"))", 4 + 4, "false"},
      // quantity("1Ki"): ceil(3 * 0.1) = 1; isGreaterThan 1.
      {R"(device.capacity["dra.example.com"].memory.isGreaterThan(quantity("1Ki")))", 6, "true"},
      // A constant list is folded: 0; x == 2 per element (2) after condition 3 and accu 1.
      {R"([1, 2, 3].exists(x, x == 2))", 6 + 6 + 3 + 1, "true"},
      // `in` a constant list is a set lookup without call cost.
      {R"(device.driver in ["a", "dra.example.com"])", 2, "true"},
      {R"(1 in [])", 0, "false"},
      // has(): the root is not observed, each qualifier is (2), the test itself is free.
      {R"(has(device.attributes.foo))", 2, "true"},
      // size() 1, == of ints 1.
      {R"(device.attributes["dra.example.com"].names.size() == 3)", 6, "true"},
      // A conversion of a constant is folded.
      {R"(int("1") == 1)", 1, "true"},
      // An attribute as index: device.driver without its root (1) + the qualifier (1).
      {R"(device.attributes[device.driver].name)", 5, "true"},
      // && costs nothing itself and stops at false.
      {R"(device.driver == "" && device.attributes["dra.example.com"].name)", 2, "false"},
      // "a" + "bc": ceil(3 * 0.1) = 1; == of 3 and 3 characters: 1.
      {R"("a" + "bc" == "abc")", 2, "true"},
      // !_ is a call (1).
      {R"(!(device.driver == ""))", 3, "true"},
      // `in` a dyn value: the checker leaves in_list and in_map, so the planned call has no
      // overload id and costs 1 (not the list's size).
      {R"(1 in device.attributes["dra.example.com"].names)", 4 + 1, "true"},
      // `in` a list built at run time: 10 + its elements (names.size(): 4 + 1), then the
      // list's size (2).
      {R"(1 in [1, device.attributes["dra.example.com"].names.size()])", 10 + 5 + 2, "true"},
      // startsWith at runtime costs by the receiver: ceil(15 * 0.1) = 2.
      {R"(device.driver.startsWith("dra"))", 2 + 2, "true", false},
      // contains: ceil(15 * 0.1) * ceil(7 * 0.1) = 2.
      {R"(device.driver.contains("example"))", 2 + 2, "true"},
  };
  const Activation act = device_activation();
  for (const RuntimeCase& c : cases) {
    INFO(c.expression);
    const auto program = compile_selector(c.expression);
    const Evaluator ev(program->ast(), program->checked());
    uint64_t cost = 0;
    EvalOptions options;
    options.actual_cost = &cost;
    const Value v = ev.evaluate(act, options);
    CHECK(to_debug_string(v) == c.value);
    CHECK(cost == c.want);
    // The estimate bounds the actual cost.
    if (c.bounded) CHECK(cost <= estimate_cost(*program).max);
  }
}

TEST_CASE("selectors: actual costs of values and macros that build lists", "[selectors]") {
  const std::vector<RuntimeCase> cases = {
      // map: per element accu (1) + [x * 2] (10 + 2) + accu + [..] (1); result accu 1.
      {R"([1, 2, 3].map(x, x * 2))", 3 * 14 + 1, "[2, 4, 6]"},
      // filter: x > 1 (2) per element, accu + [x] (13) for the two kept; result 1.
      {R"([1, 2, 3].filter(x, x > 1))", 3 * 2 + 2 * 13 + 1, "[2, 3]"},
      // A list literal with a variable: 10 + its elements.
      {R"([device.driver])", 10 + 2, "[\"dra.example.com\"]"},
      // A conditional costs its condition and the chosen branch, resolved without its root.
      {R"(true ? device.driver : "x")", 1, "\"dra.example.com\""},
  };
  const Activation act = device_activation();
  for (const RuntimeCase& c : cases) {
    INFO(c.expression);
    const auto program = compile_selector(c.expression, false);
    const Evaluator ev(program->ast(), program->checked());
    uint64_t cost = 0;
    EvalOptions options;
    options.actual_cost = &cost;
    const Value v = ev.evaluate(act, options);
    CHECK(to_debug_string(v) == c.value);
    CHECK(cost == c.want);
  }
}

TEST_CASE("selectors: the runtime cost limit cancels expensive selectors", "[selectors]") {
  const Activation act = device_activation();
  // compile_test.go "expensive": expectMatchError "actual cost limit exceeded".
  std::string_view expensive;
  for (const EstimateCase& c : estimate_cases()) {
    if (c.name == "expensive") expensive = c.expression;
  }
  if (find_function("find")) {
    const auto program = compile_selector(expensive);
    CHECK(program->evaluate(act).error_message() ==
          "operation cancelled: actual cost limit exceeded");
  }
  // The same shape without find(): six nested all() over ten elements. Innermost body
  // a + b + c + d + e + f > 0 costs 12; levels: 10 * (2 + 1 + 12) + 1 = 151, then
  // 10 * (2 + 1 + n) + 1 for each level out (condition 2, accumulator 1, the inner all):
  // 1541, 15441, 154441, 1544441 > 1,000,000.
  const auto six = compile_selector(
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
      "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, "
      "[1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a + b + c + d + e + f > "
      "0))))))");
  uint64_t cost = 0;
  EvalOptions options;
  options.actual_cost = &cost;
  const Value v = six->evaluate(act, options);
  REQUIRE(v.is_error());
  CHECK(v.error_message() == "operation cancelled: actual cost limit exceeded");
  // Cancelled by the observation that first exceeds the limit.
  CHECK(cost == kMaxSelectorCost + 1);
  // Four levels stay under the limit.
  const auto five = compile_selector(
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
      "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, a + b + c + d > 0))))");
  const Value ok = five->evaluate(act, options);
  CHECK(to_debug_string(ok) == "true");
  // Innermost a + b + c + d > 0: 8; 10 * (2 + 1 + 8) + 1 = 111; then 10 * (3 + n) + 1.
  uint64_t want = 111;
  for (int i = 0; i < 3; ++i) want = 10 * (3 + want) + 1;
  CHECK(want == 114441);
  CHECK(cost == want);
  // A lower limit cancels it.
  options.cost_limit = want - 1;
  CHECK(five->evaluate(act, options).error_message() ==
        "operation cancelled: actual cost limit exceeded");
  options.cost_limit = want;
  CHECK(to_debug_string(five->evaluate(act, options)) == "true");
}

TEST_CASE("selectors: Kubernetes and cel-go call costs", "[selectors]") {
  const Value asym = Value::string("asymetric");
  const Value re = Value::string("[^a]?sym");
  const Value t = Value::boolean(true);
  {
    const Value args[] = {asym, re};
    // ceil((1 + 9) * 0.1) * ceil(8 * 0.25)
    CHECK(default_call_cost("matches", "matches_string", args, t) == 2);
    // The global matches(s, re) overload is not costed by size in cel-go.
    CHECK(default_call_cost("matches", "matches", args, t) == 1);
    // contains: ceil(9 * 0.1) * ceil(8 * 0.1)
    CHECK(default_call_cost("contains", "contains_string", args, t) == 1);
    // startsWith: ceil(9 * 0.1)
    CHECK(default_call_cost("startsWith", "starts_with_string", args, t) == 1);
    // An ambiguous planned overload ("") costs 1 unless Kubernetes knows the name.
    CHECK(default_call_cost("_+_", "", args, t) == 1);
    CHECK(default_call_cost("_+_", "add_string", args, t) == 2);
  }
  {
    const Value args[] = {Value::string("1Ki")};
    CHECK(default_call_cost("quantity", "string_to_quantity", args, t) == 1);
    const Value long_args[] = {Value::string("123456789012345")};
    CHECK(default_call_cost("isSemver", "is_semver_string", long_args, t) == 2);
  }
  {
    const Value q = Value::quantity(*k8s::Quantity::parse("1"));
    const Value args[] = {q, q};
    CHECK(default_call_cost("_==_", "equals", args, t) == 1);
    CHECK(default_call_cost("isGreaterThan", "quantity_is_greater_than", args, t) == 1);
  }
  {
    const Value list = Value::list({Value::integer(1), Value::integer(2), Value::integer(3)});
    const Value args[] = {Value::integer(1), list};
    CHECK(default_call_cost("@in", "in_list", args, t) == 3);
    CHECK(actual_size(list) == 3);
    CHECK(actual_size(Value::string("h\xc3\xa9")) == 2);
    CHECK(actual_size(Value::optional_of(Value::string("abcd"))) == 4);
    CHECK(actual_size(Value::integer(7)) == 1);
  }
  {
    // Code points, counted eight bytes at a time and then byte by byte: two-, three- and
    // four-byte sequences across the word boundaries.
    const std::string mixed = "gr\xc3\xbc\xc3\x9f \xe2\x82\xac 100 \xf0\x9f\x9a\x80 GPU-\xc3\xa9";
    CHECK(actual_size(Value::string(mixed)) == 18);
    CHECK(actual_size(Value::string(std::string(64, 'x') + "\xc3\xa9")) == 65);
  }
  {
    // == and < cost by the smaller operand in code points, not bytes: "\xc3\xa9\xc3\xa9\xc3\xa9"
    // is 3 long, "abcdefghijklmnopqrstu" 21; ceil(3 * 0.1) = 1 and ceil(21 * 0.1) = 3.
    const Value e3 = Value::string("\xc3\xa9\xc3\xa9\xc3\xa9");
    const Value a21 = Value::string("abcdefghijklmnopqrstu");
    const Value a25 = Value::string("abcdefghijklmnopqrstuvwxy");
    const Value ab[] = {a21, e3};
    CHECK(default_call_cost("_==_", "equals", ab, t) == 1);
    const Value ba[] = {a25, a21};
    CHECK(default_call_cost("_<_", "less_string", ba, t) == 3);
    CHECK(call_cost(CallCostRule::Comparison, a21, a25, t) == 3);
    // The rule of a call is decided by its name and planned overload id.
    CHECK(call_cost_rule("_==_", "equals") == CallCostRule::Equals);
    CHECK(call_cost_rule("_==_", "") == CallCostRule::EqualsLibraryOrOne);
    CHECK(call_cost_rule("compareTo", "quantity_compare_to") == CallCostRule::One);
    CHECK(call_cost_rule("ip", "cidr_ip") == CallCostRule::One);
    CHECK(call_cost_rule("ip", "string_to_ip") == CallCostRule::Size);
    CHECK(call_cost_rule("contains", "contains_string") == CallCostRule::Contains);
  }
}

}  // namespace
}  // namespace dra::selectors
