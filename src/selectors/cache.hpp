// src/selectors/cache.hpp -- compile each distinct expression once, evaluate each
// (expression, device) pair once per run.
// ProgramCache is upstream's compile cache (cel/cache.go) without eviction: one run of the
// tool sees few distinct selectors. MatchCache memoises results and the `device` values
// they were computed on, and counts evaluations so tests can show that no pair is
// evaluated twice. Neither is thread-safe; use one per thread or run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "k8s/model.hpp"
#include "selectors/device.hpp"
#include "selectors/program.hpp"

namespace dra::selectors {

class ProgramCache {
 public:
  // The compiled selector (DRA environment, result bool). Failed compilations are kept
  // too: asking again gives the same issues without compiling again.
  const Compiled& get(std::string_view expression);
  uint64_t compilations() const { return compilations_; }

 private:
  std::unordered_map<std::string, Compiled> compiled_;
  uint64_t compilations_ = 0;
};

class MatchCache {
 public:
  // The value of `program` on `device` of `driver` (an error Value for attribute
  // conversion or evaluation errors), computed once per (program, device).
  // Precondition: program and device outlive the cache.
  const Value& evaluate(const Program& program, const k8s::Device& device, std::string_view driver);

  // For callers that keep device values and verdicts themselves (the allocator keeps them
  // by its dense device index): a device's `device` value, built afresh and not kept, and
  // `program` evaluated on such a value (an error value is passed through).
  Value make_device(const k8s::Device& device, std::string_view driver);
  Value evaluate_on(const Program& program, const Value& device);
  // Whether make_device gives a map, not an error (projection.hpp convertible).
  bool convertible(const k8s::Device& device);

  // The `device` variable of a device, built once.
  const Value& device(const k8s::Device& device, std::string_view driver);

  uint64_t evaluations() const { return evaluations_; }  // debug counter

 private:
  struct PairHash {
    size_t operator()(const std::pair<const Program*, const k8s::Device*>& p) const {
      return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
    }
  };
  std::unordered_map<const k8s::Device*, Value> devices_;
  DeviceValueCache values_;
  std::unordered_map<std::pair<const Program*, const k8s::Device*>, Value, PairHash> results_;
  uint64_t evaluations_ = 0;
};

// A selector result as a match: true only for the bool true. Upstream treats a non-bool
// result as an error ("CEL result of type list could not be converted to bool").
struct Match {
  bool matches = false;
  std::string error;  // set when evaluation failed or the result was not a bool
};
Match to_match(const Value& result);

// Upstream's EnhanceRuntimeError (cel/errors.go): a "no such key:" message gets advice on
// optional chaining appended, once.
std::string enhance_runtime_error(std::string message);

}  // namespace dra::selectors
