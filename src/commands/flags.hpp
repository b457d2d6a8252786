// src/commands/flags.hpp -- flags shared by subcommands: where objects come from (-f, -R,
// -n, -A, --kubeconfig, --context) and how results are printed (-o).
#pragma once

#include <string>
#include <vector>

#include "commands/command.hpp"
#include "k8s/load.hpp"
#include "render/output.hpp"

namespace dra::commands {

struct SourceOptions {
  std::vector<std::string> filenames;  // -f/--filename
  bool recursive = false;              // -R/--recursive
  std::string namespace_;              // -n/--namespace
  bool all_namespaces = false;         // -A/--all-namespaces
  std::string kubeconfig;              // --kubeconfig
  std::string context;                 // --context
};

void add_source_flags(CLI::App& app, SourceOptions& opts);
// -o/--output: `allowed` lists the formats the command supports, e.g. "wide|name|yaml|json".
void add_output_flag(CLI::App& app, std::string& output, const std::string& allowed);

// Loads what `opts` names. Without -f there is nothing to read until live-cluster support
// lands (issue #8): that is a usage error with a hint.
k8s::Cluster load_source(const SourceOptions& opts, util::Diagnostics& diags, Io& io);

}  // namespace dra::commands
