// src/lint/cluster.hpp -- `lint --cluster`: the state of a cluster (a dump) itself, as the
// allocator will find it. Internal to src/lint/.
#pragma once

#include <vector>

#include "k8s/model.hpp"
#include "lint/lint.hpp"

namespace dra::lint {

// Warnings: incomplete pools, slices of stale generations, invalid pools (a device name
// twice, unknown counters), devices tainted NoExecute, classes whose selectors match no
// device, allocations of devices no slice publishes, claims reserved for Pods that are
// not in the dump (when it has Pods).
void cluster_state(const k8s::Cluster& cluster, const Options& options, std::vector<Finding>& out);

}  // namespace dra::lint
