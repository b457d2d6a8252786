// src/selectors/lib_dra.cpp -- DRA's own CEL function (kubernetes/dynamic-resource-allocation
// cel/compile.go): `target.includes(value)`, so that scalar and list attributes can be
// queried alike. A list target includes the value when one of its elements equals it (CEL
// equality; a comparison that fails counts as "not equal"); any other target when it equals
// the value itself. Lists longer than ResourceSliceMaxAttributeValuesPerDevice (48) are an
// error -- but only once the first 48 elements did not match.
#include <cstdint>
#include <span>
#include <string>

#include "selectors/lib_lists_common.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using namespace list_detail;

constexpr size_t kMaxAttributeValuesPerDevice = 48;  // resourceapi.ResourceSliceMax...

Value includes(std::span<const Value> args) {
  const Value& target = args[0];
  const Value& value = args[1];
  if (target.kind() != ValueKind::List) return Value::boolean(equals(target, value));
  const ListPayload& l = target.list_value();
  for (size_t i = 0; i < l.size(); ++i) {
    if (i >= kMaxAttributeValuesPerDevice)
      return Value::error("'includes' function cannot be applied to lists longer than " +
                          std::to_string(kMaxAttributeValuesPerDevice) + " values");
    if (equals(l[i], value)) return Value::boolean(true);
  }
  return Value::boolean(false);
}

// draCostEstimator: linear in the target, whose size is taken as 0..48 whatever the
// target is. At run time the call costs 1 (no Kubernetes cost rule names it).
CallEstimate includes_estimate(std::span<const SizeEstimate>) {
  return {multiply_by_cost(SizeEstimate{0, kMaxAttributeValuesPerDevice}, fixed_cost(1)),
          std::nullopt};
}

const OverloadDecl kDecls[] = {
    {"dra_includes_dyn_dyn", "dyn.includes(dyn) -> bool", includes, nullptr, includes_estimate},
};

}  // namespace

std::span<const OverloadDecl> dra_library() { return kDecls; }

}  // namespace dra::selectors
