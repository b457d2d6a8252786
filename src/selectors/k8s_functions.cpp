// src/selectors/k8s_functions.cpp -- quantity and semver functions of Kubernetes CEL.
#include "selectors/k8s_functions.hpp"

#include <compare>
#include <cstdint>
#include <string>

namespace dra::selectors {
namespace {

Value no_overload() { return Value::error("no such overload"); }

bool is(const Value& v, ValueKind k) { return v.kind() == k; }

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

std::optional<Value> quantity_function(std::string_view f, bool has_target,
                                       std::span<const Value> args) {
  const size_t n = args.size();
  if (!has_target) {
    if (f == "quantity" || f == "isQuantity") {
      if (n != 1 || !is(args[0], ValueKind::String)) return no_overload();
      std::string error;
      std::optional<k8s::Quantity> q = k8s::Quantity::parse(args[0].string_value(), &error);
      if (f == "isQuantity") return Value::boolean(q.has_value());
      if (!q) return Value::error(error);
      return Value::quantity(*std::move(q));
    }
    if (f == "sign") {  // a global function upstream, not a receiver call
      if (n != 1 || !is(args[0], ValueKind::Quantity)) return no_overload();
      return Value::integer(args[0].quantity_value().sign());
    }
    return std::nullopt;
  }
  const k8s::Quantity& q = args[0].quantity_value();
  if (n == 1) {
    if (f == "isInteger") return Value::boolean(as_int64(q).has_value());
    if (f == "asInteger") {
      const std::optional<int64_t> v = as_int64(q);
      if (!v) return Value::error("cannot convert value to integer");
      return Value::integer(*v);
    }
    if (f == "asApproximateFloat") return Value::dbl(q.as_approximate_float64());
    return std::nullopt;
  }
  if (n != 2) return std::nullopt;
  const Value& y = args[1];
  if (f == "add" || f == "sub") {
    k8s::Quantity other;
    if (is(y, ValueKind::Quantity)) {
      other = y.quantity_value();
    } else if (is(y, ValueKind::Int)) {
      other = k8s::Quantity::from_int(y.int_value(), k8s::Quantity::Format::DecimalExponent);
    } else {
      return no_overload();
    }
    k8s::Quantity result = q;  // the receiver stays unchanged
    const bool ok = f == "add" ? result.add(other) : result.sub(other);
    // Upstream builds any result, however wide; past kMaxDigits digits we stop instead.
    if (!ok) return Value::error("quantity arithmetic result too large");
    return Value::computed_quantity(std::move(result));
  }
  if (f == "isLessThan" || f == "isGreaterThan" || f == "compareTo") {
    if (!is(y, ValueKind::Quantity)) return no_overload();
    const int64_t c = order(q <=> y.quantity_value());
    if (f == "compareTo") return Value::integer(c);
    return Value::boolean(f == "isLessThan" ? c < 0 : c > 0);
  }
  return std::nullopt;
}

std::optional<Value> semver_function(std::string_view f, bool has_target,
                                     std::span<const Value> args) {
  const size_t n = args.size();
  if (!has_target) {
    if (f != "semver" && f != "isSemver") return std::nullopt;
    if (n < 1 || n > 2 || !is(args[0], ValueKind::String)) return no_overload();
    if (n == 2 && !is(args[1], ValueKind::Bool)) return no_overload();
    const bool normalize = n == 2 && args[1].bool_value();
    std::string error;
    std::optional<k8s::Semver> v =
        normalize ? k8s::Semver::parse_cel_normalized(args[0].string_value(), &error)
                  : k8s::Semver::parse_cel(args[0].string_value(), &error);
    if (f == "isSemver") return Value::boolean(v.has_value());
    if (!v) return Value::error(error);
    return Value::semver(*std::move(v));
  }
  const k8s::Semver& v = args[0].semver_value();
  // Upstream converts the uint64 fields to int64 as Go does, wrapping above 2^63-1.
  if (n == 1) {
    if (f == "major") return Value::integer(static_cast<int64_t>(v.major()));
    if (f == "minor") return Value::integer(static_cast<int64_t>(v.minor()));
    if (f == "patch") return Value::integer(static_cast<int64_t>(v.patch()));
    return std::nullopt;
  }
  if (n == 2 && (f == "isLessThan" || f == "isGreaterThan" || f == "compareTo")) {
    if (!is(args[1], ValueKind::Semver)) return no_overload();
    const int64_t c = order(v <=> args[1].semver_value());
    if (f == "compareTo") return Value::integer(c);
    return Value::boolean(f == "isLessThan" ? c < 0 : c > 0);
  }
  return std::nullopt;
}

bool is_library_name(std::string_view f) {
  static constexpr std::string_view kNames[] = {
      "quantity", "isQuantity", "sign",       "isInteger",     "asInteger", "asApproximateFloat",
      "add",      "sub",        "isLessThan", "isGreaterThan", "compareTo", "semver",
      "isSemver", "major",      "minor",      "patch"};
  for (std::string_view k : kNames) {
    if (f == k) return true;
  }
  return false;
}

}  // namespace

std::optional<Value> call_k8s_function(std::string_view name, bool has_target,
                                       std::span<const Value> args) {
  if (!is_library_name(name)) return std::nullopt;
  std::optional<Value> r;
  if (!has_target) {
    r = quantity_function(name, false, args);
    if (!r) r = semver_function(name, false, args);
  } else if (!args.empty() && is(args[0], ValueKind::Quantity)) {
    r = quantity_function(name, true, args);
  } else if (!args.empty() && is(args[0], ValueKind::Semver)) {
    r = semver_function(name, true, args);
  }
  return r ? r : no_overload();
}

}  // namespace dra::selectors
