// src/selectors/lib_sets.cpp -- cel-go's sets extension (ext/sets.go): sets.contains,
// sets.equivalent, sets.intersects over lists, with CEL equality (1, 1u and 1.0 are the same
// element; a comparison that fails counts as "not equal"), and its cost tracker and
// estimator (m * n comparisons, twice that for equivalence, plus the call).
#include <cstdint>
#include <span>

#include "selectors/lib_lists_common.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using namespace list_detail;

// cel-go's list Contains: whether some element e of `list` has elem.Equal(e) true.
bool list_contains(const ListPayload& list, const Value& elem) {
  for (const Value& e : list) {
    if (equals(elem, e)) return true;
  }
  return false;
}

bool contains_all(const ListPayload& list, const ListPayload& sub) {
  for (const Value& x : sub) {
    if (!list_contains(list, x)) return false;
  }
  return true;
}

bool lists(std::span<const Value> args) {
  return args[0].kind() == ValueKind::List && args[1].kind() == ValueKind::List;
}

Value sets_contains(std::span<const Value> args) {
  if (!lists(args)) return Value::error("no such overload");
  return Value::boolean(contains_all(args[0].list_value(), args[1].list_value()));
}

Value sets_equivalent(std::span<const Value> args) {
  if (!lists(args)) return Value::error("no such overload");
  const ListPayload& a = args[0].list_value();
  const ListPayload& b = args[1].list_value();
  return Value::boolean(contains_all(a, b) && contains_all(b, a));
}

Value sets_intersects(std::span<const Value> args) {
  if (!lists(args)) return Value::error("no such overload");
  const ListPayload& b = args[1].list_value();
  for (const Value& x : args[0].list_value()) {
    if (list_contains(b, x)) return Value::boolean(true);
  }
  return Value::boolean(false);
}

// trackSetsCost: 1 + size(a) * size(b) * factor (rounded down).
uint64_t sets_cost(std::span<const Value> args, double factor) {
  const uint64_t product = actual_size(args[0]) * actual_size(args[1]);
  return 1 + static_cast<uint64_t>(static_cast<double>(product) * factor);
}
uint64_t contains_cost(std::span<const Value> args, const Value&) { return sets_cost(args, 1); }
uint64_t equivalent_cost(std::span<const Value> args, const Value&) { return sets_cost(args, 2); }

// estimateSetsCost: size(a) * size(b) * factor (rounded up) + 1; no result size.
CallEstimate sets_estimate(std::span<const SizeEstimate> args, double factor) {
  const CostEstimate c = multiply_by_factor(multiply(arg_size(args, 0), arg_size(args, 1)), factor);
  return {add(c, fixed_cost(1)), std::nullopt};
}
CallEstimate contains_estimate(std::span<const SizeEstimate> args) {
  return sets_estimate(args, 1);
}
CallEstimate equivalent_estimate(std::span<const SizeEstimate> args) {
  return sets_estimate(args, 2);
}

const OverloadDecl kDecls[] = {
    {"list_sets_contains_list", "sets.contains(list(T), list(T)) -> bool", sets_contains,
     contains_cost, contains_estimate},
    {"list_sets_equivalent_list", "sets.equivalent(list(T), list(T)) -> bool", sets_equivalent,
     equivalent_cost, equivalent_estimate},
    {"list_sets_intersects_list", "sets.intersects(list(T), list(T)) -> bool", sets_intersects,
     contains_cost, contains_estimate},
};

}  // namespace

std::span<const OverloadDecl> sets_extension() { return kDecls; }

}  // namespace dra::selectors
