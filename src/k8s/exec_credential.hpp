// src/k8s/exec_credential.hpp -- client.authentication.k8s.io exec credential plugins, the
// way EKS (aws eks get-token), GKE (gke-gcloud-auth-plugin) and AKS (kubelogin) clusters
// authenticate: run the command from the kubeconfig, read an ExecCredential from its stdout.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "k8s/kubeconfig.hpp"
#include "util/result.hpp"

namespace dra::k8s {

// What a plugin gave: a bearer token, or a client certificate and key (PEM), valid until
// `expires` when it says so.
struct ExecCredential {
  std::string token;
  std::string cert_pem, key_pem;
  std::optional<std::chrono::system_clock::time_point> expires;
};

// Whether our stdin is a terminal a plugin may prompt on; tests replace it.
struct ExecTerminal {
  bool stdin_is_terminal = false;
  static ExecTerminal system();
};

// Runs `config.exec` as client-go does: the command with its args, our environment plus its
// env entries, KUBERNETES_EXEC_INFO holding an ExecCredential with spec.interactive (and
// spec.cluster when provideClusterInfo is set), stdin per interactiveMode (Never: none;
// IfAvailable: ours when it is a terminal; Always: ours, which must be a terminal), stderr
// passed through. The plugin's stdout is never logged. Errors name the command, never what
// it printed; a command that is not found gets the plugin's installHint.
util::Result<ExecCredential> run_exec_plugin(const RestConfig& config, const ExecTerminal& term);

// The ExecCredential in `json` (the plugin's stdout) for `api_version`; an error says what is
// missing or wrong, without quoting the text.
util::Result<ExecCredential> parse_exec_credential(std::string_view json,
                                                   std::string_view api_version);

// RFC 3339 ("2026-11-27T16:00:00Z", fractions and offsets too) as a time point; nullopt
// when it does not parse.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace dra::k8s
