// src/explain/explain.hpp -- why a claim is pending, or why it got its devices.
//
// Built only from what the allocator records (alloc::NodeFacts: every check of the search
// on every device, by the search's own predicates; the outcome of each Allocate call) and
// from the CEL evaluator's sub-expression values: no allocation rule is decided here. The
// claims are taken as `kubectl dra allocate` takes them (alloc/schedule.hpp): the groups
// before the claim's are placed first, then the claim's group is tried on every node.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "alloc/allocator.hpp"
#include "k8s/model.hpp"

namespace dra::explain {

struct Options {
  alloc::Features features;
  uint64_t max_steps = alloc::Options{}.max_steps;
  std::string node;  // only this node (--node)
  // Threads for trying the nodes: 0, two for 1,024 nodes or more where the machine has two
  // cores; 1 or 2 to choose (the explanation is the same either way).
  unsigned threads = 0;
  // With two threads and every slice on one node, the nodes are shared out in chunks of
  // 64 as the threads go (a thread slowed down takes fewer). A chunk size given here deals
  // chunks of that many in turn instead, the first to the calling thread: the same
  // explanation, with a split that does not depend on timing (for tests).
  size_t chunk = 0;
};

// What to explain: a Pod (all its claims) or one claim, by namespace and name.
struct Target {
  enum class Kind { Pod, Claim };
  Kind kind = Kind::Claim;
  std::string namespace_, name;
};

// Devices left after one check, across the nodes the claim may use (each device once).
struct Step {
  std::string what;  // "in class gpu.example.com", "request selector #0", ...
  size_t devices = 0;
  std::string detail;  // what the check removed, where it says more ("3 allocated, 1 ...")
};

// A node and the devices there that pass every check for a request.
struct NodeCount {
  std::string node;
  size_t candidates = 0;
  std::string note;  // e.g. "values of gpu.example.com/clique: a (1), b (1)"
};

// A selector that ruled devices out, shown on the first device it ruled out.
struct SelectorMiss {
  std::string owner;  // "class gpu.example.com" or "request gpu"
  int index = 0;
  std::string expression;
  size_t ruled_out = 0;
  std::string device;                                       // driver/pool/device
  std::vector<std::pair<std::string, std::string>> values;  // sub-expression, value
};

struct RequestExplanation {
  std::string name;  // "gpu", or "gpu/h100" for a subrequest
  // A request of the claim made for extended resources, as the Pod asked for it:
  // "example.com/gpu: 2 (container server) -> class gpu.example.com via extendedResourceName".
  std::string extended;
  std::string device_class;
  bool class_missing = false;
  std::vector<std::string> class_selectors, request_selectors;  // CEL expressions
  std::string mode;                                             // "ExactCount" or "All"
  int64_t needed = 0;  // devices the request needs (All: those it found)
  std::vector<Step> funnel;
  std::vector<NodeCount> nearest;  // the nodes that came closest, best first (at most 3)
  std::vector<SelectorMiss> selectors;
  size_t best = 0;  // the most candidates on one node
};

// One device of a result: where it is and why the search took it.
struct Choice {
  std::string request;  // "gpu" or "gpu/h100"
  std::string device;   // driver/pool/device
  size_t skipped = 0;   // devices before it in search order that did not qualify
  std::string skipped_detail;
  size_t alternatives = 0;  // other devices on the node that pass every check too
  size_t earlier = 0;       // of those, the ones before it in search order (state changed)
  bool reachable = true;    // among the devices the node's pools hold
};

struct ClaimExplanation {
  std::string name;  // namespace/name
  // Who made the claim for the Pod: "claim gpu of the Pod, from ResourceClaimTemplate
  // one-gpu" (the resourceclaim controller) or "the Pod's extended resources" (the
  // scheduler); empty for a claim the user made.
  std::string made_for;
  enum class State { Pending, Allocated, AllocatedNow, Error };
  State state = State::Pending;
  std::string node;        // Allocated, AllocatedNow: where
  std::string error_kind;  // Error: "CEL runtime error", "missing class", ...
  std::string reason;      // the decisive reason, one sentence
  std::vector<RequestExplanation> requests;
  std::vector<Choice> choices;
  std::vector<std::string> other_nodes;  // nodes where the whole group would fit too
  size_t other_nodes_total = 0;
  std::vector<std::string> suggestions;
};

struct Explanation {
  std::string subject;       // "pod team-a/trainer" or "claim team-a/gpu"
  std::string pod;           // namespace/name of the Pod whose claims these are, if any
  size_t nodes = 0;          // nodes considered (--node: one)
  size_t eligible = 0;       // nodes the Pod may use
  size_t placed_before = 0;  // groups allocate places before this one
  std::vector<std::pair<std::string, size_t>> excluded;  // why nodes were excluded, count
  std::vector<ClaimExplanation> claims;
};

// The explanation, or an error message for a target that does not exist.
struct Result {
  Explanation explanation;
  std::string error;  // set: nothing to explain (no such Pod or claim)
};

Result explain(const k8s::Cluster& cluster, const Target& target, const Options& options);

}  // namespace dra::explain
