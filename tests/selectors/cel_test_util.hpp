// tests/selectors/cel_test_util.hpp -- one way for the selector tests to run an expression
// through every phase (parse, check, evaluate) and compare the outcome as text.
#pragma once

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "k8s/model.hpp"
#include "selectors/eval.hpp"
#include "selectors/parser.hpp"
#include "selectors/program.hpp"

namespace dra::selectors::testing {

// The outcome of an expression as one line:
//   the value in CEL syntax (to_debug_string): true, 1, "a", [1, 2], ip("10.0.0.1")
//   "error: <message>"   evaluation failed with that message
//   "check: <message>"   the type checker rejected it (upstream: compile error)
//   "parse: <message>"   syntax error (the first one)
inline std::string run_cel(std::string_view expression, const Activation& act = {}) {
  // `device` as DRA declares it; any other variable of the activation as dyn.
  CheckEnv env = dra_check_env();
  for (const auto& [name, value] : act.variables()) {
    if (name != "device") env.variables.emplace_back(name, Type::dyn());
  }
  CompileOptions options;
  options.env = &env;
  options.require_bool = false;
  const Compiled c = compile(expression, options);
  if (!c.ok()) {
    const Issue& first = c.issues.front();
    return std::string(first.phase == Phase::Parse ? "parse: " : "check: ") + first.message;
  }
  const Value v = c.program->evaluate(act);
  return v.is_error() ? "error: " + v.error_message() : to_debug_string(v);
}

// Whether run_cel type-checks yet; rows that upstream rejects at compile time are only
// compared when it does.
inline constexpr bool kChecks = true;

struct CelCase {
  std::string_view name;  // the upstream case name, or ours
  std::string_view expression;
  std::string_view want;  // as run_cel prints it
};

inline void check_cases(const std::vector<CelCase>& cases, const Activation& act = {}) {
  for (const CelCase& c : cases) {
    if (!kChecks && std::string_view(c.want).starts_with("check: ")) continue;
    INFO(c.name << ": " << c.expression);
    const std::string got = run_cel(c.expression, act);
    if (got != c.want && std::getenv("DRA_PRINT_MISMATCH"))
      std::fprintf(stderr, "MISMATCH\t%s\t%s\t%s\n", std::string(c.expression).c_str(), got.c_str(),
                   std::string(c.want).c_str());
    CHECK(got == c.want);
  }
}

// A device named "dev-0" with these attributes and capacities (name, quantity text).
inline k8s::Device make_device(
    std::vector<std::pair<std::string_view, k8s::DeviceAttribute>> attributes,
    std::vector<std::pair<std::string_view, std::string_view>> capacity = {}) {
  k8s::Device d;
  d.name = "dev-0";
  for (auto& [name, a] : attributes) d.attributes.push_back({util::Atom(name), std::move(a)});
  for (const auto& [name, q] : capacity) {
    k8s::DeviceCapacity c;
    c.value = *k8s::Quantity::parse(q);
    d.capacity.push_back({util::Atom(name), std::move(c)});
  }
  return d;
}

}  // namespace dra::selectors::testing
