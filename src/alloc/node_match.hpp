// src/alloc/node_match.hpp -- does a NodeSelector select a Node? The standard semantics of
// k8s.io/component-helpers scheduling/corev1/nodeaffinity, which the allocator uses for
// slices and devices (spec/allocator.md §5.2).
#pragma once

#include <string_view>

#include "k8s/model.hpp"
#include "util/result.hpp"

namespace dra::alloc {

// Terms are ORed; within a term, matchExpressions (on labels: In, NotIn, Exists,
// DoesNotExist, Gt, Lt) and matchFields (metadata.name only: In, NotIn with one value) are
// ANDed; a term without requirements matches nothing. A malformed requirement (unknown
// operator, Gt with a non-integer, wrong number of values) is an error, as upstream.
util::Result<bool> node_selector_matches(const k8s::NodeSelector& selector,
                                         std::string_view node_name,
                                         const k8s::StringMap& node_labels);

// Upstream's NodeMatches (spec/allocator.md §5.2): a node name, all nodes, or a selector.
util::Result<bool> node_matches(const k8s::NodeObject& node, const std::optional<std::string>& name,
                                const std::optional<bool>& all_nodes,
                                const k8s::NodeSelector* selector);

}  // namespace dra::alloc
