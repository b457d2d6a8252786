// src/selectors/device.hpp -- the `device` variable of DRA device selectors, as CEL sees it
// (kubernetes/dynamic-resource-allocation cel/compile.go; spec/cel.md §2).
#pragma once

#include <string_view>

#include "k8s/model.hpp"
#include "selectors/value.hpp"

namespace dra::selectors {

// The map bound to `device`:
//   driver: string; allowMultipleAllocations: bool (false when unset);
//   attributes: domain -> id -> value; capacity: domain -> id -> kubernetes.Quantity.
// A qualified name "d/id" splits at its first "/"; a bare "id" belongs to `driver`'s domain.
// Attribute values: int, bool, string, version (kubernetes.Semver) and lists of them.
// The outer attributes and capacity maps answer an absent domain with an empty map; an
// absent id is a "no such key" error at evaluation.
// Returns an error Value, as upstream fails before evaluating any expression, when an
// attribute has no value ("attribute <name>: unsupported attribute value") or a version
// does not parse ("attribute <name>: parse semantic version: <detail>").
Value device_value(const k8s::Device& device, std::string_view driver);

}  // namespace dra::selectors
