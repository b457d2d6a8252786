// src/selectors/lib_lists.cpp -- the Kubernetes lists library (apiserver
// pkg/cel/library/lists.go, library version 0): isSorted, sum, min, max, indexOf,
// lastIndexOf, with the costs of library/cost.go.
//
// Upstream declares one overload per element type (int, uint, double, bool, duration,
// timestamp, string, bytes; sum: int, uint, double, duration) over the same
// implementation. When the static type leaves several overloads (a dyn list), cel-go picks
// at run time the first overload whose list element type matches the list's first element,
// so an empty list takes the int overload (`[].sum()` is 0) and a list whose first element
// has none of those types has no overload. Each implementation here reproduces that choice
// itself, so it gives upstream's answer whichever overload the evaluator selected; only a
// statically typed empty list reaches a specific overload (an empty list(double) sums to
// 0.0).
#include <cstdint>
#include <span>
#include <string_view>

#include "selectors/lib_lists_common.hpp"
#include "selectors/lib_time.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {

namespace list_detail {}  // namespace list_detail

namespace {

using namespace list_detail;

const Value kNoSuchOverload = Value::error("no such overload");

// The kind of the element type of the overload cel-go's runtime dispatch would choose
// for a non-empty list: that of the first element, when it is one of `kinds`.
bool first_element_is_one_of(const ListPayload& l, std::span<const ValueKind> kinds) {
  for (ValueKind k : kinds) {
    if (l.front().kind() == k) return true;
  }
  return false;
}

constexpr ValueKind kComparableKinds[] = {
    ValueKind::Int,    ValueKind::Uint,  ValueKind::Double,   ValueKind::Bool,
    ValueKind::String, ValueKind::Bytes, ValueKind::Duration, ValueKind::Timestamp};
constexpr ValueKind kSummableKinds[] = {ValueKind::Int, ValueKind::Uint, ValueKind::Double,
                                        ValueKind::Duration};

Value is_sorted(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  if (l.empty()) return Value::boolean(true);
  if (!first_element_is_one_of(l, kComparableKinds)) return kNoSuchOverload;
  const Value* prev = nullptr;
  for (const Value& next : l) {
    if (!is_comparer(next)) return kNoSuchOverload;
    // A comparison that fails (mixed kinds, NaN) does not count as out of order.
    if (prev && compare(*prev, next) == 1) return Value::boolean(false);
    prev = &next;
  }
  return Value::boolean(true);
}

// acc + next with cel-go's Add of the accumulator's kind.
Value add_values(const Value& acc, const Value& next) {
  switch (acc.kind()) {
    case ValueKind::Int: {
      if (next.kind() != ValueKind::Int) return kNoSuchOverload;
      int64_t r = 0;
      if (__builtin_add_overflow(acc.int_value(), next.int_value(), &r))
        return Value::error("integer overflow");
      return Value::integer(r);
    }
    case ValueKind::Uint: {
      if (next.kind() != ValueKind::Uint) return kNoSuchOverload;
      uint64_t r = 0;
      if (__builtin_add_overflow(acc.uint_value(), next.uint_value(), &r))
        return Value::error("unsigned integer overflow");
      return Value::uinteger(r);
    }
    case ValueKind::Double:
      if (next.kind() != ValueKind::Double) return kNoSuchOverload;
      return Value::dbl(acc.double_value() + next.double_value());
    case ValueKind::Duration:
      return time_add(acc, next);
    default:
      return kNoSuchOverload;
  }
}

// Whether cel-go's value of this kind implements traits.Adder.
bool is_adder(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Duration:
    case ValueKind::Timestamp:
    case ValueKind::Int:
    case ValueKind::Uint:
    case ValueKind::Double:
    case ValueKind::String:
    case ValueKind::Bytes:
    case ValueKind::List:
      return true;
    default:
      return false;
  }
}

Value zero_of(ValueKind k) {
  switch (k) {
    case ValueKind::Uint:
      return Value::uinteger(0);
    case ValueKind::Double:
      return Value::dbl(0);
    case ValueKind::Duration:
      return Value::duration(0);
    default:
      return Value::integer(0);
  }
}

Value sum(std::span<const Value> args, ValueKind own) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  if (l.empty()) return zero_of(own);
  if (!first_element_is_one_of(l, kSummableKinds)) return kNoSuchOverload;
  Value acc = zero_of(l.front().kind());
  for (const Value& next : l) {
    if (!is_adder(next)) return kNoSuchOverload;
    acc = add_values(acc, next);
    if (acc.is_error()) return acc;
  }
  return acc;
}

Value sum_int(std::span<const Value> args) { return sum(args, ValueKind::Int); }
Value sum_uint(std::span<const Value> args) { return sum(args, ValueKind::Uint); }
Value sum_double(std::span<const Value> args) { return sum(args, ValueKind::Double); }
Value sum_duration(std::span<const Value> args) { return sum(args, ValueKind::Duration); }

// min (prefer = 1: take `next` when the current result compares greater) and max
// (prefer = -1).
Value extreme(std::span<const Value> args, int prefer, std::string_view name) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  if (l.empty()) return Value::error(std::string(name) + " called on empty list");
  if (!first_element_is_one_of(l, kComparableKinds)) return kNoSuchOverload;
  const Value* result = nullptr;
  for (const Value& next : l) {
    if (!is_comparer(next)) return kNoSuchOverload;
    if (!result || compare(*result, next) == prefer) result = &next;
  }
  return *result;
}

Value list_min(std::span<const Value> args) { return extreme(args, 1, "min"); }
Value list_max(std::span<const Value> args) { return extreme(args, -1, "max"); }

Value index_of(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  for (size_t i = 0; i < l.size(); ++i) {
    if (equals(l[i], args[1])) return Value::integer(static_cast<int64_t>(i));
  }
  return Value::integer(-1);
}

Value last_index_of(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  for (size_t i = l.size(); i-- > 0;) {
    if (equals(l[i], args[1])) return Value::integer(static_cast<int64_t>(i));
  }
  return Value::integer(-1);
}

// Runtime cost (cost.go CallCost): one traversal of the list.
uint64_t traversal_call_cost(std::span<const Value> args, const Value&) {
  return args.empty() ? 0 : traversal_cost(args[0]);
}

// Estimated cost (cost.go EstimateCallCost): the list size times the cost of one element
// comparison, 1; for string and bytes elements 1 plus a tenth of the element size.
CallEstimate estimate_scalar_elements(std::span<const SizeEstimate> args) {
  return {multiply_by_cost(arg_size(args, 0), fixed_cost(1)), std::nullopt};
}
// The element size comes from the size estimator at the list's path + "@items"; the DRA
// size estimator knows no size for any list(string) or list(bytes) value (none is reachable
// through `device`), so the element size is unknown: 0..2^64-1.
CallEstimate estimate_text_elements(std::span<const SizeEstimate> args) {
  const SizeEstimate elem{0, kMaxU64};
  const CostEstimate el_cost =
      add(fixed_cost(1), multiply_by_factor(elem, kStringTraversalCostFactor));
  return {multiply_by_cost(arg_size(args, 0), el_cost), std::nullopt};
}

const OverloadDecl kDecls[] = {
    // isSorted
    {"list_int_is_sorted_bool", "list(int).isSorted() -> bool", is_sorted, traversal_call_cost,
     estimate_scalar_elements},
    {"list_uint_is_sorted_bool", "list(uint).isSorted() -> bool", is_sorted, traversal_call_cost,
     estimate_scalar_elements},
    {"list_double_is_sorted_bool", "list(double).isSorted() -> bool", is_sorted,
     traversal_call_cost, estimate_scalar_elements},
    {"list_bool_is_sorted_bool", "list(bool).isSorted() -> bool", is_sorted, traversal_call_cost,
     estimate_scalar_elements},
    {"list_duration_is_sorted_bool", "list(google.protobuf.Duration).isSorted() -> bool", is_sorted,
     traversal_call_cost, estimate_scalar_elements},
    {"list_timestamp_is_sorted_bool", "list(google.protobuf.Timestamp).isSorted() -> bool",
     is_sorted, traversal_call_cost, estimate_scalar_elements},
    {"list_string_is_sorted_bool", "list(string).isSorted() -> bool", is_sorted,
     traversal_call_cost, estimate_text_elements},
    {"list_bytes_is_sorted_bool", "list(bytes).isSorted() -> bool", is_sorted, traversal_call_cost,
     estimate_text_elements},
    // sum
    {"list_int_sum_int", "list(int).sum() -> int", sum_int, traversal_call_cost,
     estimate_scalar_elements},
    {"list_uint_sum_uint", "list(uint).sum() -> uint", sum_uint, traversal_call_cost,
     estimate_scalar_elements},
    {"list_double_sum_double", "list(double).sum() -> double", sum_double, traversal_call_cost,
     estimate_scalar_elements},
    {"list_duration_sum_duration",
     "list(google.protobuf.Duration).sum() -> google.protobuf.Duration", sum_duration,
     traversal_call_cost, estimate_scalar_elements},
    // max
    {"list_int_max_int", "list(int).max() -> int", list_max, traversal_call_cost,
     estimate_scalar_elements},
    {"list_uint_max_uint", "list(uint).max() -> uint", list_max, traversal_call_cost,
     estimate_scalar_elements},
    {"list_double_max_double", "list(double).max() -> double", list_max, traversal_call_cost,
     estimate_scalar_elements},
    {"list_bool_max_bool", "list(bool).max() -> bool", list_max, traversal_call_cost,
     estimate_scalar_elements},
    {"list_duration_max_duration",
     "list(google.protobuf.Duration).max() -> google.protobuf.Duration", list_max,
     traversal_call_cost, estimate_scalar_elements},
    {"list_timestamp_max_timestamp",
     "list(google.protobuf.Timestamp).max() -> google.protobuf.Timestamp", list_max,
     traversal_call_cost, estimate_scalar_elements},
    {"list_string_max_string", "list(string).max() -> string", list_max, traversal_call_cost,
     estimate_text_elements},
    {"list_bytes_max_bytes", "list(bytes).max() -> bytes", list_max, traversal_call_cost,
     estimate_text_elements},
    // min
    {"list_int_min_int", "list(int).min() -> int", list_min, traversal_call_cost,
     estimate_scalar_elements},
    {"list_uint_min_uint", "list(uint).min() -> uint", list_min, traversal_call_cost,
     estimate_scalar_elements},
    {"list_double_min_double", "list(double).min() -> double", list_min, traversal_call_cost,
     estimate_scalar_elements},
    {"list_bool_min_bool", "list(bool).min() -> bool", list_min, traversal_call_cost,
     estimate_scalar_elements},
    {"list_duration_min_duration",
     "list(google.protobuf.Duration).min() -> google.protobuf.Duration", list_min,
     traversal_call_cost, estimate_scalar_elements},
    {"list_timestamp_min_timestamp",
     "list(google.protobuf.Timestamp).min() -> google.protobuf.Timestamp", list_min,
     traversal_call_cost, estimate_scalar_elements},
    {"list_string_min_string", "list(string).min() -> string", list_min, traversal_call_cost,
     estimate_text_elements},
    {"list_bytes_min_bytes", "list(bytes).min() -> bytes", list_min, traversal_call_cost,
     estimate_text_elements},
    // indexOf, lastIndexOf: the element type is the type parameter; the estimate assumes
    // elements other than strings and bytes (see the report: the estimator would need the
    // static element type).
    {"list_a_index_of_int", "list(A).indexOf(A) -> int", index_of, traversal_call_cost,
     estimate_scalar_elements},
    {"list_a_last_index_of_int", "list(A).lastIndexOf(A) -> int", last_index_of,
     traversal_call_cost, estimate_scalar_elements},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_lists_library() { return kDecls; }

}  // namespace dra::selectors
