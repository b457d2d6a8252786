// src/selectors/k8s_functions.hpp -- the Kubernetes CEL libraries for quantities and
// semantic versions (apiserver pkg/cel/library quantity.go and semverlib.go, library
// version 1 as DRA's stored environment has it; spec/cel.md §5.2, §5.3).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "selectors/value.hpp"

namespace dra::selectors {

// The result of calling `name` on already evaluated, non-error `args` (for a receiver call
// `x.f(y)`, `has_target` is set and args[0] is x), or nullopt when `name` is none of these
// library functions, so the caller goes on with its own lookup. Global: quantity(s),
// isQuantity(s), sign(q), semver(s), semver(s, normalize), isSemver(s), isSemver(s,
// normalize). Receiver: on a quantity isInteger, asInteger, asApproximateFloat, add, sub
// (quantity or int), isLessThan, isGreaterThan, compareTo; on a semver major, minor, patch,
// isLessThan, isGreaterThan, compareTo. A library name with operands of other kinds or
// count gives "no such overload"; a parse failure gives the parser's message
// ("unable to parse quantity's suffix", "No Major.Minor.Patch elements found").
std::optional<Value> call_k8s_function(std::string_view name, bool has_target,
                                       std::span<const Value> args);

}  // namespace dra::selectors
