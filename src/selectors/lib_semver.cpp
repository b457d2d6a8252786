// src/selectors/lib_semver.cpp -- the Kubernetes semver library
// (apiserver pkg/cel/library/semverlib.go), as declared there. Arguments arrive with the
// kinds their overload declares (library.hpp select_overload).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

const k8s::Semver& v0(std::span<const Value> a) { return a[0].semver_value(); }

int64_t order(std::weak_ordering o) {
  if (o < 0) return -1;
  return o > 0 ? 1 : 0;
}

// semver(s) and semver(s, normalize).
std::optional<k8s::Semver> parse_arg(std::span<const Value> a, std::string* error) {
  const bool normalize = a.size() == 2 && a[1].bool_value();
  return normalize ? k8s::Semver::parse_cel_normalized(a[0].string_value(), error)
                   : k8s::Semver::parse_cel(a[0].string_value(), error);
}

Value parse(std::span<const Value> a) {
  std::string error;
  std::optional<k8s::Semver> v = parse_arg(a, &error);
  if (!v) return Value::error(error);
  return Value::semver(*std::move(v));
}

Value is_semver(std::span<const Value> a) {
  std::string error;
  return Value::boolean(parse_arg(a, &error).has_value());
}

Value compare_to(std::span<const Value> a) {
  return Value::integer(order(v0(a) <=> a[1].semver_value()));
}
Value is_less_than(std::span<const Value> a) {
  return Value::boolean((v0(a) <=> a[1].semver_value()) < 0);
}
Value is_greater_than(std::span<const Value> a) {
  return Value::boolean((v0(a) <=> a[1].semver_value()) > 0);
}

// Upstream converts the uint64 fields to int64 as Go does, wrapping above 2^63-1.
Value major(std::span<const Value> a) {
  return Value::integer(static_cast<int64_t>(v0(a).major()));
}
Value minor(std::span<const Value> a) {
  return Value::integer(static_cast<int64_t>(v0(a).minor()));
}
Value patch(std::span<const Value> a) {
  return Value::integer(static_cast<int64_t>(v0(a).patch()));
}

constexpr OverloadDecl kLibrary[] = {
    {"string_to_semver", "semver(string) -> kubernetes.Semver", parse},
    {"string_bool_to_semver", "semver(string, bool) -> kubernetes.Semver", parse},
    {"is_semver_string", "isSemver(string) -> bool", is_semver},
    {"is_semver_string_bool", "isSemver(string, bool) -> bool", is_semver},
    {"semver_is_greater_than", "kubernetes.Semver.isGreaterThan(kubernetes.Semver) -> bool",
     is_greater_than},
    {"semver_is_less_than", "kubernetes.Semver.isLessThan(kubernetes.Semver) -> bool",
     is_less_than},
    {"semver_compare_to", "kubernetes.Semver.compareTo(kubernetes.Semver) -> int", compare_to},
    {"semver_major", "kubernetes.Semver.major() -> int", major},
    {"semver_minor", "kubernetes.Semver.minor() -> int", minor},
    {"semver_patch", "kubernetes.Semver.patch() -> int", patch},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_semver_library() { return kLibrary; }

}  // namespace dra::selectors
