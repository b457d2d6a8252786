// src/k8s/kubeconfig.hpp -- where the cluster is and who we are: kubeconfig files resolved as
// kubectl resolves them (client-go's clientcmd), plus the service account inside a Pod.
//
// Files: --kubeconfig names the only file read (it must exist); else KUBECONFIG lists files
// (':'-separated; missing ones skipped; the first file to set a value wins: a cluster, user
// or context of a given name, current-context); else ~/.kube/config if it exists; else, when
// KUBERNETES_SERVICE_HOST and _PORT are set, the in-cluster service account. Relative paths
// inside a file (certificate-authority, client-certificate, client-key, tokenFile, an exec
// command with a '/') are taken from that file's directory.
//
// The chosen context is --context or current-context; its cluster and user can be replaced
// with --cluster and --user; --server, --certificate-authority, --insecure-skip-tls-verify,
// --tls-server-name, --token, --client-certificate and --client-key override single fields.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/diag.hpp"
#include "util/result.hpp"

namespace dra::k8s {

// The flags kubectl takes for these (all optional; empty means not given).
struct KubeconfigFlags {
  std::string kubeconfig;                        // --kubeconfig
  std::string context;                           // --context
  std::string cluster;                           // --cluster
  std::string user;                              // --user
  std::string namespace_;                        // -n/--namespace
  std::string server;                            // --server (-s)
  std::string token;                             // --token
  std::string certificate_authority;             // --certificate-authority
  std::string client_certificate;                // --client-certificate
  std::string client_key;                        // --client-key
  std::optional<bool> insecure_skip_tls_verify;  // --insecure-skip-tls-verify
  std::string tls_server_name;                   // --tls-server-name
  std::string request_timeout;                   // --request-timeout: "0", "30", "30s", "1m"
};

// A client.authentication.k8s.io exec credential plugin (users[].user.exec).
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  std::string interactive_mode;  // Never, IfAvailable, Always ("" = v1beta1's IfAvailable)
  bool provide_cluster_info = false;
};

// Everything needed to talk to the API server, resolved. Secrets live only here and in
// the requests built from it; nothing prints them (describe() leaves them out).
struct RestConfig {
  std::string server;  // https://host:port, maybe with a path prefix; no trailing '/'
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_file, ca_data;      // PEM: a file, or the bytes (certificate-authority-data)
  std::string cert_file, cert_data;  // client certificate
  std::string key_file, key_data;    // client key
  std::string token, token_file;     // bearer token, or a file holding it (re-read per use)
  std::string username, password;    // basic auth
  std::optional<ExecConfig> exec;
  std::string proxy_url;
  bool disable_compression = false;
  std::chrono::milliseconds timeout{0};  // whole request; 0: none
  std::string namespace_ = "default";    // -n, else the context's, else "default"
  bool namespace_explicit = false;       // -n was given
  // Names, for messages: "context kind-dra (cluster kind-dra, user kind-dra)".
  std::string context_name, cluster_name, user_name;
  std::string origin;  // "/root/.kube/config", "in-cluster service account", ...
  // One line for -v and error messages: server, context, how we authenticate (no secret).
  std::string describe() const;
};

// What resolve() reads from the machine: the environment, files and the home directory.
// Tests give their own.
struct KubeconfigEnv {
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<std::optional<std::string>(const std::string&)> read_file;  // nullopt: absent
  std::string home;
  // The in-cluster service account's directory.
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  static KubeconfigEnv system();
};

// Resolves the configuration for `flags`. Problems with a file's content (wrong types,
// bad base64, an unknown context) are diagnostics at their file position; a missing file
// named by --kubeconfig, or no configuration at all, is an error. Returns nullopt when
// `diags` got an error.
std::optional<RestConfig> resolve_kubeconfig(const KubeconfigFlags& flags, const KubeconfigEnv& env,
                                             util::Diagnostics& diags);

// The context, cluster and user names of the kubeconfig files `flags` and `env` select (for
// shell completion); problems are ignored.
struct KubeconfigNames {
  std::vector<std::string> contexts, clusters, users;
};
KubeconfigNames kubeconfig_names(const KubeconfigFlags& flags, const KubeconfigEnv& env);

// "30s", "1m30s", "500ms", "0" or a bare number of seconds ("30"), as kubectl's
// --request-timeout; nullopt when it does not parse or is negative.
std::optional<std::chrono::milliseconds> parse_request_timeout(std::string_view text);

}  // namespace dra::k8s
