// src/commands/flags.cpp -- shared flags and checkpoint().
#include "commands/flags.hpp"

#include <CLI/CLI.hpp>

#include "k8s/live.hpp"
#include "util/atomic_file.hpp"

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
  add_connection_flags(app, opts.connection);
}

void add_connection_flags(CLI::App& app, k8s::KubeconfigFlags& f, bool with_cluster) {
  const std::string group = "Cluster connection (without -f)";
  auto opt = [&](const std::string& names, std::string& into, const std::string& help,
                 const std::string& type) {
    app.add_option(names, into, help)->type_name(type)->group(group);
  };
  opt("--kubeconfig", f.kubeconfig, "Path to the kubeconfig file", "FILE");
  opt("--context", f.context, "The kubeconfig context to use", "NAME");
  if (with_cluster) opt("--cluster", f.cluster, "The kubeconfig cluster to use", "NAME");
  opt("--user", f.user, "The kubeconfig user to use", "NAME");
  opt("-s,--server", f.server, "The address and port of the Kubernetes API server", "URL");
  opt("--token", f.token, "Bearer token for authentication to the API server", "TOKEN");
  opt("--certificate-authority", f.certificate_authority,
      "Path to a cert file for the certificate authority", "FILE");
  opt("--client-certificate", f.client_certificate, "Path to a client certificate file for TLS",
      "FILE");
  opt("--client-key", f.client_key, "Path to a client key file for TLS", "FILE");
  app.add_option("--insecure-skip-tls-verify", f.insecure_skip_tls_verify,
                 "Do not check the server's certificate (insecure)")
      ->expected(0, 1)
      ->default_str("true")
      ->group(group);
  opt("--tls-server-name", f.tls_server_name,
      "Server name to use for server certificate validation", "NAME");
  opt("--request-timeout", f.request_timeout,
      "How long to wait for one API request (30s, 1m; 0: no limit)", "DURATION");
}

k8s::Cluster load_live(const SourceOptions& opts, util::Diagnostics& diags, Io& io,
                       const k8s::LoadOptions& load) {
  k8s::KubeconfigFlags flags = opts.connection;
  flags.namespace_ = opts.namespace_;
  std::optional<k8s::RestConfig> config =
      k8s::resolve_kubeconfig(flags, k8s::KubeconfigEnv::system(), diags);
  if (!config) return {};
  k8s::ClientOptions co;
  co.verbosity = io.verbosity;
  co.log = &io.err;
  if (io.verbosity >= 6) io.err << "using " << config->describe() << "\n";
  k8s::ApiClient client(*config, co);
  k8s::LiveOptions lo;
  lo.fallback_namespace = config->namespace_;
  lo.warnings = &io.err;
  lo.load = load;
  util::Result<k8s::Cluster> cluster = k8s::read_cluster(client, lo, diags);
  if (!cluster) {
    diags.error({}, cluster.error());
    return {};
  }
  cluster->default_namespace = config->namespace_;
  return std::move(*cluster);
}

std::string default_namespace(const SourceOptions& opts, const k8s::Cluster& cluster) {
  if (!opts.namespace_.empty()) return opts.namespace_;
  return cluster.default_namespace.empty() ? "default" : cluster.default_namespace;
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
  if (opts.filenames.empty()) return load_live(opts, diags, io);
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

bool write_atomically(const std::string& path, const std::string& text, Io& io) {
  if (std::optional<std::string> e = util::write_file_atomically(path, text)) {
    io.err << "error: " << *e << "\n";
    return false;
  }
  return true;
}

}  // namespace dra::commands
