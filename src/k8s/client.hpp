// src/k8s/client.hpp -- the Kubernetes API over HTTPS (libcurl), read-only.
//
// GET is the only verb: nothing is ever written to a cluster. TLS verification is on unless
// the kubeconfig or --insecure-skip-tls-verify turns it off. Credentials (tokens, keys,
// passwords, an exec plugin's output) are never logged or put in an error message; with
// -v=7 and above the Authorization header shows as "Bearer <masked>".
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "k8s/exec_credential.hpp"
#include "k8s/kubeconfig.hpp"
#include "util/result.hpp"

namespace dra::k8s {

struct ClientOptions {
  int verbosity = 0;            // -v: 6 URLs, status and time; 7 request headers; 8 bodies
  std::ostream* log = nullptr;  // where -v lines go (stderr); null: nowhere
  int max_attempts = 5;         // per request, for 429 and 5xx answers
  std::chrono::milliseconds backoff{500};       // first wait; doubles, up to max_backoff
  std::chrono::milliseconds max_backoff{8000};  // also caps a server's Retry-After
  ExecTerminal terminal = ExecTerminal::system();
  std::string user_agent = "kubectl-dra";
};

struct Response {
  long status = 0;
  std::string body;
  std::string content_type;
};

class ApiClient {
 public:
  ApiClient(RestConfig config, ClientOptions options);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // GET `path` ("/apis/resource.k8s.io/v1/resourceslices?limit=500"). 429 and 5xx answers
  // are retried with backoff (a Retry-After header is honoured, capped); with an exec plugin a
  // 401 runs the plugin again once. Returns the last answer, whatever its status; an error
  // only when no answer came (unreachable, TLS, timeout, credentials that cannot be had).
  util::Result<Response> get(std::string_view path);

  // The error for an answer that is not 2xx, as a sentence for the user: 401 and 403 say
  // who we are and which permission is missing (`verb` on `resource`), others quote the
  // server's Status message.
  std::string error_for(const Response& r, std::string_view verb, std::string_view resource) const;

  const RestConfig& config() const { return config_; }

 private:
  struct Impl;
  RestConfig config_;
  ClientOptions options_;
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes a query parameter value.
std::string url_escape(std::string_view s);

}  // namespace dra::k8s
