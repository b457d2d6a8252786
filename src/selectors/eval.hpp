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
#include "selectors/cost_rule.hpp"
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
  const std::vector<std::pair<std::string, Value>>& variables() const { return vars_; }

 private:
  std::vector<std::pair<std::string, Value>> vars_;
};

// The runtime cost limit of DRA selectors (CELSelectorExpressionMaxCost, spec/cel.md §7.1).
inline constexpr uint64_t kMaxSteps = 1'000'000;

struct EvalOptions {
  // cel-go's runtime cost tracking (interpreter/runtimecost.go) with Kubernetes' call
  // costs and has() free: an evaluation whose actual cost exceeds the limit ends with the
  // error "operation cancelled: actual cost limit exceeded".
  uint64_t cost_limit = kMaxSteps;
  // Deprecated name of cost_limit; when non-zero it is the limit.
  uint64_t max_steps = 0;
  // When set, receives the actual cost of the evaluation (cel-go's EvalDetails.ActualCost,
  // up to the point of cancellation).
  uint64_t* actual_cost = nullptr;
  // For explain: when set, receives the value of every evaluated node outside comprehension
  // bodies, children before parents (cel-go's EvalState of OptTrackState).
  std::vector<std::pair<const Expr*, Value>>* trace = nullptr;
};

struct CheckResult;  // checker.hpp

// An expression prepared for repeated evaluation: the regular expression of every
// `matches` call whose pattern is a string literal is compiled once, here.
// Precondition: `expr` outlives the Evaluator.
class Evaluator {
 public:
  explicit Evaluator(const Expr& expr);
  // With the checker's result for `expr`: runtime costs then use the overload ids the
  // checker resolved, as cel-go's planner does (a call left ambiguous by dyn arguments
  // costs by its function name only). Precondition: `checked` came from check(expr).
  Evaluator(const Expr& expr, const CheckResult& checked);
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
  // Side tables of a checked tree, by Expr::id: literal values built once, the runtime cost
  // rule of each call (from the overload id cel-go's planner would use), which nodes are
  // attribute chains (walked without copies), and calls of constant arguments (their
  // value in constants_, their cost here; -1: not such a call).
  std::vector<Value> constants_;
  std::vector<CallCostRule> cost_rules_;
  std::vector<bool> chains_;
  std::vector<uint8_t> chain_depths_;
  std::vector<int64_t> folded_costs_;
  bool have_overload_ids_ = false;
};

// One-off evaluation: Evaluator(expr).evaluate(activation, options).
Value evaluate(const Expr& expr, const Activation& activation, const EvalOptions& options = {});

// Go's strconv.FormatFloat(d, 'g', -1, 64), which CEL's string(double) uses: "1.5",
// "1e+06", "1e-05", "NaN", "+Inf".
std::string format_double(double d);

}  // namespace dra::selectors
