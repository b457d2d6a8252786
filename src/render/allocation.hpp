// src/render/allocation.hpp -- what `kubectl dra allocate` prints: a table of the devices
// each placed claim got, or the allocated claims as a List.
#pragma once

#include <ostream>
#include <vector>

#include "alloc/schedule.hpp"
#include "k8s/value.hpp"
#include "render/output.hpp"

namespace dra::render {

// Table: POD NODE CLAIM REQUEST DEVICES, one row per request of each placed claim, then a
// summary line. Wide adds DRIVER and CAPACITY (consumed capacity of shared devices).
// Name: resourceclaim.resource.k8s.io/NAME per allocated claim.
// Yaml/Json: a List of the allocated claims, whole, with status filled.
void allocation(const alloc::Schedule& s, OutputFormat format, std::ostream& out);

// The summary line: "2 pods placed, 1 not placed (3 claims allocated)".
std::string allocation_summary(const alloc::Schedule& s);

// apiVersion v1, kind List, items, metadata.resourceVersion "" (as kubectl prints lists).
k8s::Value list_of(std::vector<k8s::Value> items);

}  // namespace dra::render
