// src/lint/lint.hpp -- `kubectl dra lint`: what the Kubernetes API server would reject in DRA
// manifests, offline, and the warnings a careful reviewer would give, each at the file
// position of the field it is about.
//
// Errors reproduce upstream's validation (kubernetes pkg/apis/resource/validation, run on
// create, every DRA feature gate on): field paths in the API server's notation, in the
// object's own API version ("spec.devices.requests[0].count" for v1beta1,
// "spec.devices.requests[0].exactly.count" for v1), messages as field.Error prints them.
// Warnings carry stable rule IDs (rules(); README lists them).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/model.hpp"
#include "util/diag.hpp"

namespace dra::lint {

enum class Severity { Error, Warning };
std::string_view to_string(Severity s);  // "error", "warning"

struct Finding {
  std::string file;  // as the user named it ("-" for stdin)
  uint32_t line = 0, column = 0;
  Severity severity = Severity::Error;
  std::string rule;     // "api", "syntax", or a warning rule's ID
  std::string path;     // the field, in the object's own version; "" for the file itself
  std::string message;  // the API server's words for errors ("Invalid value: 0: must be ...")
  std::string object;   // "ResourceClaim team/train"; "" for the file itself
  std::string snippet;  // the source line, when the caller filled it in (text output)
};

struct Rule {
  std::string_view id;
  Severity severity;
  std::string_view summary;  // one line, for README and --help
};
// Every rule, errors first, then warnings by ID.
std::span<const Rule> rules();
const Rule* find_rule(std::string_view id);

struct Options {
  std::vector<std::string> disabled;  // rule IDs not to report
  // The text of input file `index` (Cluster::files), for positions inside CEL expressions;
  // empty when not available (positions then fall back to the expression's start).
  std::function<std::string_view(uint32_t index)> file_text;
  // --against: the cluster (a dump) to check the linted objects against; null for none.
  const k8s::Cluster* against = nullptr;
  // --cluster: the input is a cluster's state; check it as the allocator will find it.
  bool cluster = false;
};

// The findings for every object of `cluster` (as loaded, without defaults applied: see
// k8s::LoadOptions::apply_defaults; lint applies the server's defaulting itself where the
// server validates after it), in file order, then by position.
std::vector<Finding> lint(const k8s::Cluster& cluster, const Options& options);

// The loader's diagnostics (malformed YAML or JSON, wrong field types, unknown versions) as
// findings of rule "syntax".
std::vector<Finding> from_diagnostics(const util::Diagnostics& diags);

// Sorts findings by file, line, column, then severity and message, and drops exact repeats.
void sort(std::vector<Finding>& findings, const std::vector<std::string>& file_order);

}  // namespace dra::lint
