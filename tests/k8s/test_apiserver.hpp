// tests/k8s/test_apiserver.hpp -- a small Kubernetes API server stand-in for tests: HTTPS on
// 127.0.0.1 with certificates made by the test (a CA, a server certificate for 127.0.0.1,
// client certificates), bearer-token and client-certificate authentication, discovery
// documents and paginated lists of the objects it is given, and failures on demand (403,
// 500, slow answers). Real enough that kubectl itself can talk to it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace dra::testing {

// PEM texts.
struct KeyPair {
  std::string cert_pem, key_pem;
};

// A certificate authority that signs server and client certificates.
class TestCa {
 public:
  TestCa();  // a fresh CA (EC P-256), "kubectl-dra test CA"
  const std::string& cert_pem() const { return ca_.cert_pem; }
  // A server certificate for 127.0.0.1 and "localhost" (plus `dns_name`, if any).
  KeyPair server(const std::string& dns_name = "") const;
  // A client certificate: CN = user, O = groups.
  KeyPair client(const std::string& user) const;

 private:
  KeyPair ca_;
};

struct Request {
  std::string method, path;                    // path with the query
  std::string user;                            // who authenticated ("" = anonymous)
  std::string auth;                            // "token", "cert", "basic" or ""
  std::map<std::string, std::string> headers;  // names lower-cased
};

struct Answer {
  Answer() = default;
  Answer(int s, std::string b) : status(s), body(std::move(b)) {}
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

class TestApiServer {
 public:
  struct Options {
    std::vector<std::string> versions = {"v1"};  // resource.k8s.io versions served
    bool serve_dra = true;                       // the resource.k8s.io group at all
    bool gzip = true;                            // answer gzip to Accept-Encoding: gzip
    std::string server_dns_name;                 // an extra name in the server certificate
  };
  explicit TestApiServer(const TestCa& ca);
  TestApiServer(const TestCa& ca, Options options);
  ~TestApiServer();

  // https://127.0.0.1:PORT
  std::string url() const;
  int port() const { return port_; }

  // Who may come in: a bearer token for a user; client certificates signed by the CA are
  // always accepted (their CN is the user).
  void add_token(const std::string& token, const std::string& user);
  // Objects served by the list endpoints: `resource` is "deviceclasses", "resourceslices",
  // "resourceclaims", "resourceclaimtemplates", "devicetaintrules", "pods", "nodes" or
  // "namespaces"; `json` is one object (as the API server writes it, without kind and
  // apiVersion or with them).
  void add_object(const std::string& resource, const std::string& json,
                  const std::string& namespace_ = "");
  // Forbid `user` to list `resource` cluster-wide (403 as RBAC words it), or in one namespace.
  void forbid(const std::string& user, const std::string& resource, const std::string& ns = "*");
  // The next `times` requests whose path starts with `prefix` get `status` (a Status body).
  void fail(const std::string& prefix, int status, int times, int retry_after_s = -1);
  // Requests whose path starts with `prefix` are answered after `delay`.
  void slow(const std::string& prefix, std::chrono::milliseconds delay);
  // Any other handler, tried first; nullopt: go on.
  void handle(std::function<std::optional<Answer>(const Request&)> fn);

  std::vector<Request> requests() const;  // every request so far, in order
  void clear_requests();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// An HTTP CONNECT proxy on 127.0.0.1 (what a kubeconfig's proxy-url names): tunnels each
// connection to the target it is asked for and counts them.
class TestProxy {
 public:
  TestProxy();
  ~TestProxy();
  std::string url() const;                   // http://127.0.0.1:PORT
  std::vector<std::string> targets() const;  // "host:port" of each CONNECT, in order

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `argv` (no shell) with `env` added and returns its exit status, stdout and stderr.
struct RunResult {
  int status = -1;
  std::string out, err;
};
RunResult run_program(const std::vector<std::string>& argv,
                      const std::vector<std::pair<std::string, std::string>>& env = {});

// A kubeconfig text for `server` with the CA's certificate inline and the given user entry
// (YAML lines under `user:`, indented by four spaces).
std::string kubeconfig_for(const std::string& server, const std::string& ca_pem,
                           const std::string& user_yaml, const std::string& ns = "");

}  // namespace dra::testing
