// src/author/build.hpp -- a ResourceClaimSpec from `kubectl dra new`'s flags, in the order
// they were given: request options apply to the request (or alternative) they follow, as in
// find(1); constraints and configs belong to the claim.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "author/where.hpp"
#include "k8s/model.hpp"

namespace dra::author {

// One flag as given: its long name without dashes ("count") and its value ("" for a
// switch such as --all).
struct Step {
  std::string flag;
  std::string value;
};

struct BuildOptions {
  // A cluster to take classes, drivers and attribute types from (--against); null: none.
  const k8s::Cluster* against = nullptr;
  // A template's parameters, for `{name}` in --where values (templates.hpp).
  const ParamValues* params = nullptr;
};

struct BuildError {
  std::string flag, value;  // the step at fault ("" when the flags as a whole are)
  size_t column = 0;        // in value, 1-based; 0: the whole value
  std::string message;
  std::string hint;
  std::optional<size_t> step;  // the index of the step at fault
};

struct Built {
  k8s::ResourceClaimSpec spec;
  std::optional<BuildError> error;
};

// The claim spec the steps describe. Flags: request (NAME:CLASS[:COUNT]), class, driver,
// count, all, where, or (CLASS[:COUNT]), admin, capacity (NAME=QTY), tolerate
// (KEY[=VALUE][:EFFECT]), config (DRIVER=JSON), same and distinct (ATTR[=REQ,...]).
Built build_claim_spec(const std::vector<Step>& steps, const BuildOptions& options);

// The name a request of class `cls` gets when none is given: the class's first DNS label
// ("gpu" of "gpu.nvidia.com"), else "device".
std::string name_from_class(std::string_view cls);

// The driver of a class: what its selectors require of device.driver (`device.driver ==
// "x"`), else the drivers of the devices it selects in `cluster` when they agree; "" when
// not known.
std::string class_driver(const k8s::DeviceClass& cls, const k8s::Cluster* cluster);

}  // namespace dra::author
