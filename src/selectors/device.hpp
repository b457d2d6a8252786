// src/selectors/device.hpp -- the `device` variable of DRA device selectors, as CEL sees it
// (kubernetes/dynamic-resource-allocation cel/compile.go; spec/cel.md §2).
#pragma once

#include <array>
#include <string_view>
#include <unordered_map>

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

// Values that repeat across the devices of a cluster, built once: version attributes (a
// semver parse each) and string attributes, by their interned text. Not thread-safe.
struct DeviceValueCache {
  std::unordered_map<const void*, Value> versions;  // by util::Atom handle
  std::unordered_map<const void*, Value> strings;
  // Map keys: the id part of attribute and capacity names (by the name's util::Atom
  // handle), and domains, drivers and field names (by text).
  std::unordered_map<const void*, Value> ids;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, Value, TextHash, std::equal_to<>> texts;
  // The version texts most recently found valid (convertible() of devices the decoder did
  // not check).
  k8s::VersionMemo recent_versions;
};

// The same, reusing (and filling) `cache`.
Value device_value(const k8s::Device& device, std::string_view driver, DeviceValueCache& cache);

}  // namespace dra::selectors
