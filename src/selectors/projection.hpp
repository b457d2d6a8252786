// src/selectors/projection.hpp -- what of a device a selector reads, so that devices that
// agree on it share one evaluation.
//
// Most selectors read `device` only through fixed paths: `device.driver`,
// `device.attributes["domain"].name`, `device.capacity["domain"].name` (also written with
// ["name"] or inside has()). Such a selector's result on a device is a function of what those
// paths hold: two devices of a cluster that agree on them (the eight GPUs of a node, the
// MIG partitions of one profile) get the same result, the same error included. Callers that
// evaluate a selector on many devices key their verdicts by the projection and evaluate
// once per distinct projection instead of once per device.
//
// Exactness: a selector is projectable only when every use of `device` is one of those
// paths, with literal keys and no optional selection, and no macro rebinds the name
// `device`. Anything else (the map as a whole, computed keys, iteration) reads an unknown
// part of the device: the selector is not projectable, and callers evaluate per device.
// A device whose `device` value cannot be built (an attribute without a value, a version
// that does not parse) fails every selector with its own error: callers must not use
// projections for it (see convertible()).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"
#include "selectors/ast.hpp"
#include "selectors/device.hpp"
#include "util/atom.hpp"

namespace dra::selectors {

struct DevicePath {
  enum class Kind { Driver, AllowMultipleAllocations, Attribute, Capacity };
  Kind kind = Kind::Driver;
  std::string domain, name;  // Attribute and Capacity
  // The interned names an attribute or capacity entry of this path carries: "domain/name",
  // and "name" when the domain is the device's driver. Set when neither domain nor name
  // holds a '/' (entries then match by comparing atoms; otherwise by splitting names).
  bool atoms = false;
  util::Atom qualified, bare;
  friend bool operator==(const DevicePath&, const DevicePath&) = default;
};

// The paths a selector reads, in first-use order without repeats; nullopt when it is not
// projectable.
std::optional<std::vector<DevicePath>> device_paths(const Expr& ast);

// Keys for the devices of one driver: `key` appends to `out` a key that is equal for two
// devices (of this or another Projector's driver) only when every path reads the same
// value or the same absence on both. What depends only on the driver is worked out once.
//
// For the devices of a slice one after the other: read() looks a device's paths up and says
// whether they read exactly as the device read before did (then so would the keys: the
// neighbours of a slice mostly agree, and no key need be made), and key(out) appends the key
// of the device read last.
class Projector {
 public:
  Projector(const std::vector<DevicePath>& paths, std::string_view driver);
  void key(const k8s::Device& device, std::string& out) const;

  bool read(const k8s::Device& device);
  void key(std::string& out) const;  // of the device read last

 private:
  // What a path reads on a device: the attribute or capacity entry (nullptr: absent), or
  // for allowMultipleAllocations its value (as the pointer's low bit).
  using Found = const void*;
  [[gnu::always_inline]] inline Found find(const k8s::Device& device, size_t path) const;
  [[gnu::always_inline]] static inline bool same(const DevicePath& p, Found a, Found b);
  void append(std::string& out, const k8s::Device& device, size_t path, Found f) const;

  const std::vector<DevicePath>* paths_;
  std::string_view driver_;
  std::vector<uint8_t> own_;  // per path: its domain is the driver (bare names match too)
  // read(): paths of up to kRead entries (more: read() finds nothing alike).
  static constexpr size_t kRead = 8;
  Found last_[kRead] = {};
  const k8s::Device* last_device_ = nullptr;
};

// One key, with a Projector made for it.
void projection_key(const std::vector<DevicePath>& paths, const k8s::Device& device,
                    std::string_view driver, std::string& out);

// Whether the device's `device` value can be built (device_value would not return an
// error). Version parses are shared through `cache`.
bool convertible(const k8s::Device& device, DeviceValueCache& cache);

}  // namespace dra::selectors
