// src/commands/flags.cpp -- shared flags and checkpoint().
#include "commands/flags.hpp"

#include <CLI/CLI.hpp>

namespace dra::commands {

bool checkpoint(util::Diagnostics& diags, Io& io) {
  bool ok = !diags.has_errors();
  io.err << diags.to_long_string();
  diags.clear();
  return ok;
}

void add_source_flags(CLI::App& app, SourceOptions& opts) {
  app.add_option("-f,--filename", opts.filenames,
                 "Files, directories or - (stdin) with objects, as `kubectl get -o yaml|json` "
                 "writes them")
      ->type_name("FILE");
  app.add_flag("-R,--recursive", opts.recursive, "Read directories given with -f recursively");
  app.add_option("-n,--namespace", opts.namespace_, "Only objects in this namespace")
      ->type_name("NS");
  app.add_flag("-A,--all-namespaces", opts.all_namespaces, "Objects in all namespaces");
  app.add_option("--kubeconfig", opts.kubeconfig, "Path to the kubeconfig file")->type_name("FILE");
  app.add_option("--context", opts.context, "The kubeconfig context to use")->type_name("NAME");
}

void add_output_flag(CLI::App& app, std::string& output, const std::string& allowed) {
  app.add_option("-o,--output", output, "Output format: " + allowed)
      ->type_name("FORMAT")
      ->check([allowed](const std::string& v) -> std::string {
        for (size_t start = 0;;) {
          size_t bar = allowed.find('|', start);
          if (allowed.substr(start, bar - start) == v) return {};
          if (bar == std::string::npos) break;
          start = bar + 1;
        }
        return "unknown output format \"" + v + "\"; use one of " + allowed;
      });
}

k8s::Cluster load_source(const SourceOptions& opts, util::Diagnostics& diags, Io& io) {
  if (opts.filenames.empty()) {
    diags.error({}, "no input: reading a live cluster is not supported yet",
                "give a dump with -f, e.g. `kubectl get resourceslices,deviceclasses,"
                "resourceclaims,pods,nodes -A -o yaml > dump.yaml` then `-f dump.yaml`");
    return {};
  }
  k8s::LoadOptions lo;
  lo.filenames = opts.filenames;
  lo.recursive = opts.recursive;
  lo.stdin_stream = &io.in;
  k8s::Cluster cluster = k8s::load(lo, diags);
  if (io.verbosity >= 2 && cluster.skipped_objects > 0)
    io.err << "skipped " << cluster.skipped_objects
           << (cluster.skipped_objects == 1 ? " object" : " objects")
           << " of kinds that do not matter to DRA\n";
  return cluster;
}

}  // namespace dra::commands
