// src/selectors/cost.hpp -- the static cost of a DRA selector, as Kubernetes estimates it.
// A port of the behaviour of cel-go v0.27.0's checker/cost.go with the options Kubernetes
// sets (has() costs 0), Kubernetes' library estimator (apiserver pkg/cel/library/cost.go
// EstimateCallCost) and DRA's size estimator and `includes` cost (dynamic-resource-
// allocation cel/compile.go): the estimate DRA stores as CompilationResult.MaxCost and the
// API validation compares against CELSelectorExpressionMaxCost. Macros, kept unexpanded
// in our AST, are costed as the comprehensions cel-go expands them to.
// The runtime cost (cel-go interpreter/runtimecost.go) is tracked by the evaluator
// (eval.hpp, EvalOptions::cost_limit) with the call cost rules of cost_rule.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "selectors/checker.hpp"
#include "selectors/cost_rule.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {

class Program;

// resourceapi.CELSelectorExpressionMaxCost: the limit of both the estimated and the
// actual cost of a DRA selector.
inline constexpr uint64_t kMaxSelectorCost = 1'000'000;

// The API validation's message when the estimate is over the limit
// (kubernetes pkg/apis/resource/validation, a field.Forbidden on `expression`).
inline constexpr std::string_view kCostLimitMessage = "too complex, exceeds cost limit";

// The estimated cost range of a checked expression. `checked` is the result of check()
// on this very `expr` (its node types and resolved functions are used).
CostEstimate estimate_cost(const Expr& expr, const CheckResult& checked);
CostEstimate estimate_cost(const Program& program);

// Whether the API server would reject the selector: the worst case exceeds the limit.
inline bool exceeds_cost_limit(const CostEstimate& e, uint64_t limit = kMaxSelectorCost) {
  return e.max > limit;
}

// The overload id cel-go's planner gives the call behind `e` (a Call, Unary or Binary node):
// the one overload the checker resolved, or "" when it left several (dyn arguments), in
// which case only the function name drives the runtime cost. Empty for other nodes.
std::string planned_overload_id(const Expr& e, const CheckResult& checked);

}  // namespace dra::selectors
