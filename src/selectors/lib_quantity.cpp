// src/selectors/lib_quantity.cpp -- the Kubernetes quantity library
// (apiserver pkg/cel/library/quantity.go), as declared there. Arguments arrive with the
// kinds their overload declares (library.hpp select_overload).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

const k8s::Quantity& q0(std::span<const Value> a) { return a[0].quantity_value(); }

int64_t order(std::weak_ordering o) {
  if (o < 0) return -1;
  return o > 0 ? 1 : 0;
}

// The value as an int64 when it is exactly a whole number in range (upstream's AsInt64).
std::optional<int64_t> as_int64(const k8s::Quantity& q) {
  const int64_t v = q.value();  // rounded away from zero, saturating
  if (k8s::Quantity::from_int(v) != q) return std::nullopt;
  return v;
}

Value parse(std::span<const Value> a) {
  std::string error;
  std::optional<k8s::Quantity> q = k8s::Quantity::parse(a[0].string_value(), &error);
  if (!q) return Value::error(error);
  return Value::quantity(*std::move(q));
}

Value is_quantity(std::span<const Value> a) {
  return Value::boolean(k8s::Quantity::parse(a[0].string_value()).has_value());
}

Value sign(std::span<const Value> a) { return Value::integer(q0(a).sign()); }

Value compare_to(std::span<const Value> a) {
  return Value::integer(order(q0(a) <=> a[1].quantity_value()));
}
Value is_less_than(std::span<const Value> a) {
  return Value::boolean((q0(a) <=> a[1].quantity_value()) < 0);
}
Value is_greater_than(std::span<const Value> a) {
  return Value::boolean((q0(a) <=> a[1].quantity_value()) > 0);
}

Value as_approximate_float(std::span<const Value> a) {
  return Value::dbl(q0(a).as_approximate_float64());
}
Value as_integer(std::span<const Value> a) {
  const std::optional<int64_t> v = as_int64(q0(a));
  if (!v) return Value::error("cannot convert value to integer");
  return Value::integer(*v);
}
Value is_integer(std::span<const Value> a) { return Value::boolean(as_int64(q0(a)).has_value()); }

// add and sub, of a quantity or an int; the receiver stays unchanged.
template <bool kAdd>
Value arithmetic(std::span<const Value> a) {
  const Value& y = a[1];
  const k8s::Quantity other =
      y.kind() == ValueKind::Quantity
          ? y.quantity_value()
          : k8s::Quantity::from_int(y.int_value(), k8s::Quantity::Format::DecimalExponent);
  k8s::Quantity result = q0(a);
  const bool ok = kAdd ? result.add(other) : result.sub(other);
  // Upstream builds any result, however wide; past kMaxDigits digits we stop instead.
  if (!ok) return Value::error("quantity arithmetic result too large");
  return Value::computed_quantity(std::move(result));
}

constexpr OverloadDecl kLibrary[] = {
    {"string_to_quantity", "quantity(string) -> kubernetes.Quantity", parse},
    {"is_quantity_string", "isQuantity(string) -> bool", is_quantity},
    {"quantity_sign", "sign(kubernetes.Quantity) -> int", sign},
    {"quantity_is_greater_than", "kubernetes.Quantity.isGreaterThan(kubernetes.Quantity) -> bool",
     is_greater_than},
    {"quantity_is_less_than", "kubernetes.Quantity.isLessThan(kubernetes.Quantity) -> bool",
     is_less_than},
    {"quantity_compare_to", "kubernetes.Quantity.compareTo(kubernetes.Quantity) -> int",
     compare_to},
    {"quantity_get_float", "kubernetes.Quantity.asApproximateFloat() -> double",
     as_approximate_float},
    {"quantity_get_int", "kubernetes.Quantity.asInteger() -> int", as_integer},
    {"quantity_is_integer", "kubernetes.Quantity.isInteger() -> bool", is_integer},
    {"quantity_add", "kubernetes.Quantity.add(kubernetes.Quantity) -> kubernetes.Quantity",
     arithmetic<true>},
    {"quantity_add_int", "kubernetes.Quantity.add(int) -> kubernetes.Quantity", arithmetic<true>},
    {"quantity_sub", "kubernetes.Quantity.sub(kubernetes.Quantity) -> kubernetes.Quantity",
     arithmetic<false>},
    {"quantity_sub_int", "kubernetes.Quantity.sub(int) -> kubernetes.Quantity", arithmetic<false>},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_quantity_library() { return kLibrary; }

}  // namespace dra::selectors
