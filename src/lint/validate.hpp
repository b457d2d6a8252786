// src/lint/validate.hpp -- the API server's validation of DRA objects (rule "api").
// Internal to src/lint/.
#pragma once

#include <vector>

#include "k8s/model.hpp"
#include "lint/lint.hpp"

namespace dra::lint {

// Adds a finding for each thing the API server would reject on create in the DRA objects
// of `cluster` (DeviceClass, ResourceSlice, ResourceClaim, ResourceClaimTemplate,
// DeviceTaintRule) and in the DRA wiring of its Pods.
void validate(const k8s::Cluster& cluster, const Options& options, std::vector<Finding>& out);

}  // namespace dra::lint
