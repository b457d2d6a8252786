// src/selectors/lib_quantity.cpp -- the Kubernetes quantity library
// (apiserver pkg/cel/library/quantity.go), as declared there.
// The implementations live in k8s_functions.cpp.
#include "selectors/k8s_functions.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

constexpr OverloadDecl kLibrary[] = {
    {"string_to_quantity", "quantity(string) -> kubernetes.Quantity",
     [](std::span<const Value> a) { return *call_k8s_function("quantity", false, a); }},
    {"is_quantity_string", "isQuantity(string) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isQuantity", false, a); }},
    {"quantity_sign", "sign(kubernetes.Quantity) -> int",
     [](std::span<const Value> a) { return *call_k8s_function("sign", false, a); }},
    {"quantity_is_greater_than", "kubernetes.Quantity.isGreaterThan(kubernetes.Quantity) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isGreaterThan", true, a); }},
    {"quantity_is_less_than", "kubernetes.Quantity.isLessThan(kubernetes.Quantity) -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isLessThan", true, a); }},
    {"quantity_compare_to", "kubernetes.Quantity.compareTo(kubernetes.Quantity) -> int",
     [](std::span<const Value> a) { return *call_k8s_function("compareTo", true, a); }},
    {"quantity_get_float", "kubernetes.Quantity.asApproximateFloat() -> double",
     [](std::span<const Value> a) { return *call_k8s_function("asApproximateFloat", true, a); }},
    {"quantity_get_int", "kubernetes.Quantity.asInteger() -> int",
     [](std::span<const Value> a) { return *call_k8s_function("asInteger", true, a); }},
    {"quantity_is_integer", "kubernetes.Quantity.isInteger() -> bool",
     [](std::span<const Value> a) { return *call_k8s_function("isInteger", true, a); }},
    {"quantity_add", "kubernetes.Quantity.add(kubernetes.Quantity) -> kubernetes.Quantity",
     [](std::span<const Value> a) { return *call_k8s_function("add", true, a); }},
    {"quantity_add_int", "kubernetes.Quantity.add(int) -> kubernetes.Quantity",
     [](std::span<const Value> a) { return *call_k8s_function("add", true, a); }},
    {"quantity_sub", "kubernetes.Quantity.sub(kubernetes.Quantity) -> kubernetes.Quantity",
     [](std::span<const Value> a) { return *call_k8s_function("sub", true, a); }},
    {"quantity_sub_int", "kubernetes.Quantity.sub(int) -> kubernetes.Quantity",
     [](std::span<const Value> a) { return *call_k8s_function("sub", true, a); }},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_quantity_library() { return kLibrary; }

}  // namespace dra::selectors
