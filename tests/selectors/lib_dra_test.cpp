// tests/selectors/lib_dra_test.cpp -- DRA's `includes` member function. Rows restate, as
// facts, the includes-function-* cases of kubernetes/dynamic-resource-allocation
// cel/compile_test.go at 3d036712930c, run over a device as the allocator builds it; the
// expected match becomes the value (or error) of the expression. The estimated cost of the
// call is the part of each case's expectCost that upstream attributes to it: 48.
// includes-function-compilation-error needs the NewExpressions environment with the
// DRAListTypeAttributes feature off (undeclared reference): not this environment.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selectors/cel_test_util.hpp"
#include "selectors/device.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using A = k8s::DeviceAttribute;

k8s::Device device_with(std::string_view name, A attribute) {
  k8s::Device d;
  d.name = "dev-0";
  d.attributes.push_back({util::Atom(name), std::move(attribute)});
  return d;
}

std::string run(std::string_view expression, const k8s::Device& device) {
  const Value dv = device_value(device, "dra.example.com");
  if (dv.is_error()) return "error: " + dv.error_message();
  Activation act;
  act.bind("device", dv);
  return testing::run_cel(expression, act);
}

std::vector<std::string> values(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("value-" + std::to_string(i));
  return v;
}

}  // namespace

TEST_CASE("selectors: DRA includes (compile_test.go includes-function-*)", "[selectors]") {
  struct Case {
    std::string_view upstream;
    std::string expression;
    k8s::Device device;
    std::string_view want;
  };
  const std::string name = R"(device.attributes["dra.example.com"].name)";
  const std::string attr = R"(device.attributes["dra.example.com"].attr)";
  const Case cases[] = {
      {"includes-function-can-evaluate", name + R"(.includes("fish"))",
       device_with("name", A::of_strings({"fish", "bird"})), "true"},
      {"includes-function-compilation-and-eval-success", attr + R"(.includes("fish"))",
       device_with("attr", A::of_string("fish")), "true"},
      {"includes-function-on-bool-scalar-positive", name + ".includes(true)",
       device_with("name", A::of_bool(true)), "true"},
      {"includes-function-on-bool-scalar-negative", name + ".includes(true)",
       device_with("name", A::of_bool(false)), "false"},
      {"includes-function-on-bool-list-positive", name + ".includes(true)",
       device_with("name", A::of_bools({true, false})), "true"},
      {"includes-function-on-bool-list-negative", name + ".includes(false)",
       device_with("name", A::of_bools({true, true})), "false"},
      {"includes-function-on-int-scalar-positive", name + ".includes(1)",
       device_with("name", A::of_int(1)), "true"},
      {"includes-function-on-int-scalar-negative", name + ".includes(1)",
       device_with("name", A::of_int(2)), "false"},
      {"includes-function-on-int-list-positive", name + ".includes(1)",
       device_with("name", A::of_ints({1, 2})), "true"},
      {"includes-function-on-int-list-negative", name + ".includes(3)",
       device_with("name", A::of_ints({1, 2})), "false"},
      {"includes-function-on-string-scalar-positive", name + R"(.includes("fish"))",
       device_with("name", A::of_string("fish")), "true"},
      {"includes-function-on-string-scalar-negative", name + R"(.includes("bird"))",
       device_with("name", A::of_string("fish")), "false"},
      {"includes-function-on-string-list-positive", name + R"(.includes("fish"))",
       device_with("name", A::of_strings({"fish", "bird"})), "true"},
      {"includes-function-on-string-list-negative", name + R"(.includes("cat"))",
       device_with("name", A::of_strings({"fish", "bird"})), "false"},
      {"includes-function-on-semver-scalar-positive", name + R"(.includes(semver("1.0.0")))",
       device_with("name", A::of_version("1.0.0")), "true"},
      {"includes-function-on-semver-scalar-negative", name + R"(.includes(semver("2.0.0")))",
       device_with("name", A::of_version("1.0.0")), "false"},
      {"includes-function-on-semver-list-positive", name + R"(.includes(semver("1.0.0")))",
       device_with("name", A::of_versions({"1.0.0", "2.0.0"})), "true"},
      {"includes-function-on-semver-list-negative", name + R"(.includes(semver("3.0.0")))",
       device_with("name", A::of_versions({"1.0.0", "2.0.0"})), "false"},
      {"includes-function-on-very-long-list-positive", name + R"(.includes("value-48"))",
       device_with("name", A::of_strings(values(48))), "false"},
      {"includes-function-on-very-long-list-runtime-error", name + R"(.includes("value-49"))",
       device_with("name", A::of_strings(values(49))),
       "error: 'includes' function cannot be applied to lists longer than 48 values"},
  };
  for (const Case& c : cases) {
    INFO(c.upstream << ": " << c.expression);
    CHECK(run(c.expression, c.device) == c.want);
  }
}

// Consequences of includesFunc that no upstream row pins.
TEST_CASE("selectors: DRA includes: further behaviour", "[selectors]") {
  testing::check_cases({
      {"a hit among the first 48 elements ends the search", "lists.range(100).includes(47)",
       "true"},
      {"the 49th element is never reached", "lists.range(100).includes(48)",
       "error: 'includes' function cannot be applied to lists longer than 48 values"},
      {"numbers compare across kinds", "[1, 2].includes(2.0)", "true"},
      {"a failed comparison is not a match", "[quantity('1')].includes(1)", "false"},
      {"scalar with a failed comparison", "quantity('1').includes(1)", "false"},
      {"a list target is searched, not compared", "[[1]].includes([1])", "true"},
      {"a list target is not equal to itself", "[1].includes([1])", "false"},
      {"a map target is compared", "{'a': 1}.includes({'a': 1})", "true"},
      {"an empty list includes nothing", "[].includes(1)", "false"},
  });
  // Estimated at 0..48 whatever the target (draCostEstimator); runtime cost 1.
  const Function* f = find_function("includes");
  REQUIRE(f != nullptr);
  REQUIRE(f->overloads.size() == 1);
  const OverloadDecl& d = *f->overloads.front().decl;
  CHECK(d.id == "dra_includes_dyn_dyn");
  CHECK(f->overloads.front().receiver);
  const std::vector<SizeEstimate> sizes = {{0, 1000}, {1, 1}};
  const CallEstimate e = d.estimate(sizes);
  CHECK(e.cost.min == 0);
  CHECK(e.cost.max == 48);
  CHECK(d.cost == nullptr);
}

}  // namespace dra::selectors
