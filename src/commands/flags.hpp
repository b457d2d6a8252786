// src/commands/flags.hpp -- flags shared by subcommands: where objects come from (-f, -R,
// -n, -A, --kubeconfig, --context) and how results are printed (-o).
#pragma once

#include <string>
#include <vector>

#include "commands/command.hpp"
#include "k8s/kubeconfig.hpp"
#include "k8s/load.hpp"
#include "render/output.hpp"

namespace dra::commands {

struct SourceOptions {
  std::vector<std::string> filenames;  // -f/--filename
  bool recursive = false;              // -R/--recursive
  std::string namespace_;              // -n/--namespace
  bool all_namespaces = false;         // -A/--all-namespaces
  // Where the live cluster is when no -f is given: --kubeconfig, --context, --cluster,
  // --user, --server, --token, TLS flags, --request-timeout (namespace_ is copied in).
  k8s::KubeconfigFlags connection;
};

void add_source_flags(CLI::App& app, SourceOptions& opts);
// kubectl's connection flags alone (add_source_flags includes them). `with_cluster`: add
// --cluster (lint uses that name for something else).
void add_connection_flags(CLI::App& app, k8s::KubeconfigFlags& flags, bool with_cluster = true);
// The live cluster `opts` points at, read whole (diagnostics for what cannot be read);
// `load` says how objects are decoded.
k8s::Cluster load_live(const SourceOptions& opts, util::Diagnostics& diags, Io& io,
                       const k8s::LoadOptions& load = {});
// -o/--output: `allowed` lists the formats the command supports, e.g. "wide|name|yaml|json".
void add_output_flag(CLI::App& app, std::string& output, const std::string& allowed);

// Loads what `opts` names: the files given with -f, else the live cluster (load_live).
k8s::Cluster load_source(const SourceOptions& opts, util::Diagnostics& diags, Io& io);

// The namespace a bare NAME is in: -n, else the kubeconfig context's (live clusters), else
// "default".
std::string default_namespace(const SourceOptions& opts, const k8s::Cluster& cluster);

// Writes `text` to `path` whole or not at all: a temporary file in the same directory, then
// rename. False (with a message on io.err) when it cannot.
bool write_atomically(const std::string& path, const std::string& text, Io& io);

}  // namespace dra::commands
