// src/selectors/lib_semver.cpp -- the Kubernetes semver library, version 1
// (apiserver pkg/cel/library/semverlib.go), as declared there.
// The implementations live in k8s_functions.cpp.
#include "selectors/k8s_functions.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

constexpr OverloadDecl kLibrary[] = {
    {"string_to_semver", "semver(string) -> kubernetes.Semver",
     [](std::span<const Value> a) { return *call_k8s_function("semver", false, a); }},
    {"string_bool_to_semver", "semver(string, bool) -> kubernetes.Semver",
     [](std::span<const Value> a) { return *call_k8s_function("semver", false, a); }},
    {"is_semver_string", "isSemver(string) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isSemver", false, a); }},
    {"is_semver_string_bool", "isSemver(string, bool) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isSemver", false, a); }},
    {"semver_is_greater_than", "kubernetes.Semver.isGreaterThan(kubernetes.Semver) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isGreaterThan", true, a); }},
    {"semver_is_less_than", "kubernetes.Semver.isLessThan(kubernetes.Semver) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isLessThan", true, a); }},
    {"semver_compare_to", "kubernetes.Semver.compareTo(kubernetes.Semver) -> int",
     [](std::span<const Value> a) { return *call_k8s_function("compareTo", true, a); }},
    {"semver_major", "kubernetes.Semver.major() -> int",
     [](std::span<const Value> a) { return *call_k8s_function("major", true, a); }},
    {"semver_minor", "kubernetes.Semver.minor() -> int",
     [](std::span<const Value> a) { return *call_k8s_function("minor", true, a); }},
    {"semver_patch", "kubernetes.Semver.patch() -> int",
     [](std::span<const Value> a) { return *call_k8s_function("patch", true, a); }},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_semver_library() { return kLibrary; }

}  // namespace dra::selectors
