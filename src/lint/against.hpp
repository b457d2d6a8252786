// src/lint/against.hpp -- `lint --against DUMP`: cross-object checks of the linted claims,
// templates and classes against a cluster's classes and devices. Internal to src/lint/.
#pragma once

#include <vector>

#include "k8s/model.hpp"
#include "lint/lint.hpp"

namespace dra::lint {

// Warnings: a class the cluster does not have; selector names no device of the class
// publishes; selectors that fail at runtime on some devices or match none; claims the
// allocator cannot place on any node.
void against(const k8s::Cluster& linted, const k8s::Cluster& cluster, const Options& options,
             std::vector<Finding>& out);

}  // namespace dra::lint
