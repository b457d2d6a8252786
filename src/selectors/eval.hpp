// src/selectors/eval.hpp -- evaluates a parsed CEL expression (ast.hpp) to a Value.
// Untyped: every operator and function dispatches on the runtime kinds of its operands, as
// cel-go does for `dyn` values, so a type checker can later sit in front and reject what
// upstream rejects at compile time. Runtime problems are error Values carrying cel-go's
// message ("no such key: cores", "no such overload", "integer overflow", ...); nothing
// here throws for bad input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "selectors/ast.hpp"
#include "selectors/value.hpp"

namespace re2 {
class RE2;
}

namespace dra::selectors {

// The variables an expression sees, by name ("device"). A later bind of the same name
// replaces the earlier one.
class Activation {
 public:
  void bind(std::string name, Value value);
  const Value* find(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, Value>> vars_;
};

// The runtime cost limit of DRA selectors (CELSelectorExpressionMaxCost, spec/cel.md §7.1).
inline constexpr uint64_t kMaxSteps = 1'000'000;

struct EvalOptions {
  // Each evaluated node and each comprehension iteration is one step; an evaluation that
  // needs more ends with the error "operation cancelled: actual cost limit exceeded".
  // Steps approximate cel-go's cost units; they are not the same count.
  uint64_t max_steps = kMaxSteps;
};

// An expression prepared for repeated evaluation: the regular expression of every
// `matches` call whose pattern is a string literal is compiled once, here.
// Precondition: `expr` outlives the Evaluator.
class Evaluator {
 public:
  explicit Evaluator(const Expr& expr);
  ~Evaluator();
  Evaluator(Evaluator&&) noexcept;
  Evaluator& operator=(Evaluator&&) noexcept;

  // The value of the expression, or an error Value. Thread-safe (const, no shared state).
  Value evaluate(const Activation& activation, const EvalOptions& options = {}) const;

 private:
  friend struct EvalState;
  struct CompiledRegex {
    std::shared_ptr<const re2::RE2> re;  // null when the pattern is invalid
    std::string error;                   // then: the error message
  };
  const Expr* expr_;
  std::unordered_map<const Expr*, CompiledRegex> regexes_;  // by the `matches` call node
};

// One-off evaluation: Evaluator(expr).evaluate(activation, options).
Value evaluate(const Expr& expr, const Activation& activation, const EvalOptions& options = {});

// Go's strconv.FormatFloat(d, 'g', -1, 64), which CEL's string(double) uses: "1.5",
// "1e+06", "1e-05", "NaN", "+Inf".
std::string format_double(double d);

}  // namespace dra::selectors
