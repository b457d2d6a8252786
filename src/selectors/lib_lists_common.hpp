// src/selectors/lib_lists_common.hpp -- helpers shared by the list libraries (Kubernetes
// lists, cel-go ext.Lists, ext.Sets, DRA includes): cel-go's ordering of values (the
// Compare method of its Comparer types), and the saturating arithmetic of cel-go's cost
// estimates (checker/cost.go) and the runtime cost rules of the Kubernetes cost estimator.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "selectors/cost_rule.hpp"
#include "selectors/lib_time.hpp"
#include "selectors/library.hpp"
#include "selectors/value.hpp"

namespace dra::selectors::list_detail {

inline constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
inline constexpr uint64_t kListCreateBaseCost = 10;  // cel-go common.ListCreateBaseCost
inline constexpr double kStringTraversalCostFactor = 0.1;

// Whether cel-go's value of this kind implements traits.Comparer.
inline bool is_comparer(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Duration:
    case ValueKind::Timestamp:
    case ValueKind::Int:
    case ValueKind::Uint:
    case ValueKind::Double:
    case ValueKind::Bool:
    case ValueKind::String:
    case ValueKind::Bytes:
      return true;
    default:
      return false;
  }
}

inline bool is_number(const Value& v) {
  return v.kind() == ValueKind::Int || v.kind() == ValueKind::Uint || v.kind() == ValueKind::Double;
}

// a.Compare(b) as cel-go's types compute it: -1, 0 or 1, or nullopt where cel-go returns
// an error (NaN operands, kinds that do not order against each other).
// Precondition: is_comparer(a).
inline std::optional<int> compare(const Value& a, const Value& b) {
  if (is_number(a)) {
    if (!is_number(b)) return std::nullopt;
    const int c = compare_numeric(a, b);
    if (c == 2) return std::nullopt;
    return c;
  }
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case ValueKind::Bool:
      return a.bool_value() == b.bool_value() ? 0 : (!a.bool_value() ? -1 : 1);
    case ValueKind::String: {
      const int c = a.string_value().compare(b.string_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::Bytes: {
      const int c = a.bytes_value().compare(b.bytes_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::Duration:
    case ValueKind::Timestamp:
      return time_compare(a, b);
    default:
      return std::nullopt;
  }
}

// ---- cel-go checker/cost.go arithmetic (saturating at 2^64-1)

inline uint64_t add_sat(uint64_t x, uint64_t y) {
  return y > 0 && x > kMaxU64 - y ? kMaxU64 : x + y;
}

inline uint64_t mul_sat(uint64_t x, uint64_t y) {
  return y != 0 && x > kMaxU64 / y ? kMaxU64 : x * y;
}

// multiplyByCostFactor: x * y rounded up, saturating.
inline uint64_t mul_factor(uint64_t x, double y) {
  const double xf = static_cast<double>(x);
  if (xf > 0 && y > 0 && xf > static_cast<double>(kMaxU64) / y) return kMaxU64;
  const double c = std::ceil(xf * y);
  if (c >= std::ldexp(1.0, 64)) return kMaxU64;
  return static_cast<uint64_t>(c);
}

inline CostEstimate add(CostEstimate a, CostEstimate b) {
  return {add_sat(a.min, b.min), add_sat(a.max, b.max)};
}
inline CostEstimate fixed_cost(uint64_t c) { return {c, c}; }
inline SizeEstimate fixed_size(uint64_t s) { return {s, s}; }
inline SizeEstimate multiply(SizeEstimate a, SizeEstimate b) {
  return {mul_sat(a.min, b.min), mul_sat(a.max, b.max)};
}
inline CostEstimate multiply_by_cost(SizeEstimate a, CostEstimate b) {
  return {mul_sat(a.min, b.min), mul_sat(a.max, b.max)};
}
inline CostEstimate multiply_by_factor(SizeEstimate a, double f) {
  return {mul_factor(a.min, f), mul_factor(a.max, f)};
}
inline CostEstimate multiply_by_factor(CostEstimate a, double f) {
  return {mul_factor(a.min, f), mul_factor(a.max, f)};
}

// The size the estimator knows for argument i, or cel-go's "unknown" (0..2^64-1).
inline SizeEstimate arg_size(std::span<const SizeEstimate> args, size_t i) {
  return i < args.size() ? args[i] : SizeEstimate{0, kMaxU64};
}

// ---- runtime sizes and traversal costs

// actual_size and traversal_cost: cost_rule.hpp.

// ---- cel-go ext.Lists (version 3) cost estimates that depend on integer literals among
// the arguments (cel-go's nodeAsIntValue: a negative literal counts as 0). The
// OverloadDecl estimates use them with nullopt (no literal known); an estimator that knows
// the literal arguments can call these directly.

// `list.slice(start, end)`: the result has end - start elements (end defaults to the
// list's maximum size, start to 0).
CallEstimate estimate_list_slice(SizeEstimate list, std::optional<int64_t> start,
                                 std::optional<int64_t> end);
// `lists.range(n)`.
CallEstimate estimate_lists_range(std::optional<int64_t> n);
// `list.flatten(depth)`; `list.flatten()` is depth 1.
CallEstimate estimate_list_flatten(SizeEstimate list, std::optional<int64_t> depth);

}  // namespace dra::selectors::list_detail
