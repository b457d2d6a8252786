// src/selectors/cost_rule.hpp -- the runtime cost of one call, as Kubernetes charges it
// (apiserver pkg/cel/library/cost.go CallCost, then cel-go v0.27's interpreter/runtimecost.go
// costCall). Implemented in cost.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "selectors/value.hpp"

namespace dra::selectors {

// How the runtime cost of a call is computed (apiserver library/cost.go CallCost, then
// cel-go's defaults of runtimecost.go costCall): decided once per call node from its
// function name and planned overload id, applied per evaluation to the argument values.
enum class CallCostRule : uint8_t {
  One,              // 1
  Traversal,        // Kubernetes' traversal cost of the first argument
  Size,             // ceil(0.1 * size of the first argument)
  SizeTwice,        // ceil(0.2 * size of the first argument)
  ResultSizeTwice,  // ceil(0.2 * size of the result)
  Regex,            // find/findAll: string length × pattern length factors
  ContainsIP,       // cidr.containsIP(ip) and its string form
  ContainsIPString,
  ContainsCIDR,
  ContainsCIDRString,
  Equals,              // 1 for Kubernetes' types on the left, else Comparison
  EqualsLibraryOrOne,  // == planned without the "equals" id: 1
  Comparison,          // ceil(0.1 * the smaller operand size)
  Traverse,            // ceil(0.1 * actual size of the first argument)
  InList,              // size of the list
  Concat,              // ceil(0.1 * sum of the operand sizes)
  Matches,             // cel-go's matches: string × regex length factors
  Contains,            // cel-go's contains: product of the two traversal factors
};

CallCostRule call_cost_rule(std::string_view function, std::string_view overload_id);
uint64_t call_cost(CallCostRule rule, std::span<const Value> args, const Value& result);
// The same for a call of two arguments (an operator).
uint64_t call_cost(CallCostRule rule, const Value& a, const Value& b, const Value& result);

// The runtime cost of one call of `function` with overload `overload_id`, for calls whose
// declaration has no `cost` hook: call_cost(call_cost_rule(...)). args: the receiver first.
uint64_t default_call_cost(std::string_view function, std::string_view overload_id,
                           std::span<const Value> args, const Value& result);

// cel-go's actualSize: the size of strings (code points), bytes, lists and maps, of the
// value inside an optional; 1 otherwise.
uint64_t actual_size(const Value& v);

// The Kubernetes cost estimator's traversalCost (library/cost.go): strings and bytes cost
// a tenth of their byte length (rounded down), lists and maps the sum over their elements
// (keys and values), anything else 1.
uint64_t traversal_cost(const Value& v);

}  // namespace dra::selectors
