// tests/k8s/kubeconfig_test.cpp -- kubeconfig resolution as kubectl does it (clientcmd's
// loading rules, overrides and validation), against a fake machine.
#include "k8s/kubeconfig.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "util/base64.hpp"

namespace dra::k8s {
namespace {

struct FakeMachine {
  std::map<std::string, std::string> env, files;
  std::string home = "/home/u";
  KubeconfigEnv make() const {
    KubeconfigEnv e;
    e.getenv = [this](const std::string& n) -> std::optional<std::string> {
      auto it = env.find(n);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    e.read_file = [this](const std::string& p) -> std::optional<std::string> {
      auto it = files.find(p);
      return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    e.home = home;
    e.service_account_dir = "/sa";
    return e;
  }
};

std::optional<RestConfig> resolve(const FakeMachine& m, const KubeconfigFlags& f,
                                  util::Diagnostics& diags) {
  return resolve_kubeconfig(f, m.make(), diags);
}

const char* kOne = R"(apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster:
    server: https://one.example:6443
    certificate-authority: ca.crt
contexts:
- name: one
  context: {cluster: c1, user: u1, namespace: team-a}
- name: other
  context: {cluster: c1, user: u2}
users:
- name: u1
  user:
    client-certificate: certs/u1.crt
    client-key: /abs/u1.key
- name: u2
  user:
    token: t0ken
)";

const char* kTwo = R"(apiVersion: v1
kind: Config
current-context: two
clusters:
- name: c1
  cluster: {server: https://shadowed.example}
- name: c2
  cluster: {server: https://two.example, insecure-skip-tls-verify: true}
contexts:
- name: two
  context: {cluster: c2, user: u2}
users:
- name: u2
  user: {token: shadowed}
)";

}  // namespace

TEST_CASE("kubeconfig: ~/.kube/config, its current context, paths from its directory", "[k8s]") {
  FakeMachine m;
  m.files["/home/u/.kube/config"] = kOne;
  util::Diagnostics diags;
  auto c = resolve(m, {}, diags);
  REQUIRE(c);
  CHECK(diags.empty());
  CHECK(c->server == "https://one.example:6443");
  CHECK(c->ca_file == "/home/u/.kube/ca.crt");
  CHECK(c->cert_file == "/home/u/.kube/certs/u1.crt");
  CHECK(c->key_file == "/abs/u1.key");
  CHECK(c->namespace_ == "team-a");
  CHECK_FALSE(c->namespace_explicit);
  CHECK(c->context_name == "one");
  CHECK(c->describe() ==
        "https://one.example:6443 from context \"one\" (cluster \"c1\", user \"u1\"), client "
        "certificate");
}

TEST_CASE("kubeconfig: KUBECONFIG merges files, the first to set a value wins", "[k8s]") {
  FakeMachine m;
  m.files["/a"] = kOne;
  m.files["/b"] = kTwo;
  m.env["KUBECONFIG"] = "/missing:/a:/b";  // a missing file in the list is skipped
  util::Diagnostics diags;
  auto c = resolve(m, {}, diags);
  REQUIRE(c);
  CHECK(c->context_name == "one");  // /a set current-context first
  CHECK(c->server == "https://one.example:6443");

  // A context from the second file; its user u2 comes from the first file (first wins).
  KubeconfigFlags f;
  f.context = "two";
  c = resolve(m, f, diags);
  REQUIRE(c);
  CHECK(c->server == "https://two.example");
  CHECK(c->insecure_skip_tls_verify);
  CHECK(c->token == "t0ken");
  CHECK(c->namespace_ == "default");

  // --kubeconfig names the only file read.
  f = {};
  f.kubeconfig = "/b";
  c = resolve(m, f, diags);
  REQUIRE(c);
  CHECK(c->context_name == "two");
  CHECK(c->token == "shadowed");
}

TEST_CASE("kubeconfig: flags override single fields", "[k8s]") {
  FakeMachine m;
  m.files["/home/u/.kube/config"] = kOne;
  KubeconfigFlags f;
  f.context = "other";
  f.server = "https://override.example/";
  f.token = "flag-token";
  f.namespace_ = "ns1";
  f.certificate_authority = "/etc/ca.pem";
  f.tls_server_name = "api.internal";
  f.request_timeout = "1m30s";
  util::Diagnostics diags;
  auto c = resolve(m, f, diags);
  REQUIRE(c);
  CHECK(c->server == "https://override.example");
  CHECK(c->token == "flag-token");
  CHECK(c->namespace_ == "ns1");
  CHECK(c->namespace_explicit);
  CHECK(c->ca_file == "/etc/ca.pem");
  CHECK(c->tls_server_name == "api.internal");
  CHECK(c->timeout == std::chrono::milliseconds(90000));

  // --cluster and --user replace the context's.
  f = {};
  f.user = "u2";
  c = resolve(m, f, diags);
  REQUIRE(c);
  CHECK(c->token == "t0ken");
  CHECK(c->cert_file.empty());
}

TEST_CASE("kubeconfig: what kubectl refuses, with the place and a hint", "[k8s]") {
  FakeMachine m;
  m.files["/home/u/.kube/config"] = kOne;
  struct Case {
    KubeconfigFlags flags;
    std::string want;
  };
  KubeconfigFlags ctx;
  ctx.context = "ome";
  KubeconfigFlags cluster;
  cluster.cluster = "nope";
  KubeconfigFlags insecure;
  insecure.insecure_skip_tls_verify = true;
  KubeconfigFlags timeout;
  timeout.request_timeout = "soon";
  KubeconfigFlags missing;
  missing.kubeconfig = "/nope";
  const Case cases[] = {
      {ctx,
       "error: context \"ome\" does not exist in /home/u/.kube/config\n"
       "  hint: did you mean \"one\"? contexts there: \"one\", \"other\""},
      {cluster,
       "error: cluster \"nope\" does not exist in /home/u/.kube/config\n"
       "  hint: clusters there: \"c1\""},
      {insecure,
       "/home/u/.kube/config:5:3: error: specifying a root certificates file with the "
       "insecure flag is not allowed"},
      {timeout, "error: invalid --request-timeout \"soon\""},
      {missing, "/nope: error: cannot read the kubeconfig file"},
  };
  for (const Case& c : cases) {
    INFO(c.want);
    util::Diagnostics diags;
    CHECK_FALSE(resolve(m, c.flags, diags));
    CHECK_THAT(diags.to_long_string(), Catch::Contains(c.want));
  }
}

TEST_CASE("kubeconfig: content errors at their file position", "[k8s]") {
  FakeMachine m;
  m.files["/k"] = R"(apiVersion: v1
kind: Config
current-context: x
clusters:
- name: c
  cluster:
    server: https://x
    certificate-authority-data: not*base64
contexts:
- name: x
  context: {cluster: c, user: u}
users:
- name: u
  user:
    auth-provider: {name: gcp}
)";
  KubeconfigFlags f;
  f.kubeconfig = "/k";
  util::Diagnostics diags;
  CHECK_FALSE(resolve(m, f, diags));
  CHECK(diags.to_string() ==
        "/k:8:33: error: cluster.certificate-authority-data is not valid base64\n");
  m.files["/k"].replace(m.files["/k"].find("not*base64"), 10,
                        util::base64_encode("-----BEGIN CERTIFICATE-----"));
  diags.clear();
  CHECK_FALSE(resolve(m, f, diags));
  CHECK_THAT(diags.to_long_string(),
             Catch::Contains("/k:13:3: error: user \"u\" authenticates with the \"gcp\" "
                             "auth-provider, which Kubernetes removed in 1.26") &&
                 Catch::Contains("gke-gcloud-auth-plugin"));
}

TEST_CASE("kubeconfig: inline data, exec plugins and the in-cluster service account", "[k8s]") {
  FakeMachine m;
  m.files["/k/config"] = R"(apiVersion: v1
kind: Config
current-context: x
clusters:
- name: c
  cluster: {server: "127.0.0.1:6443", certificate-authority-data: )" +
                         util::base64_encode("CA-PEM") + R"(}
contexts:
- name: x
  context: {cluster: c, user: u}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, c]
      env: [{name: REGION, value: eu-1}]
      interactiveMode: Never
      provideClusterInfo: true
      installHint: install get-token
)";
  m.env["KUBECONFIG"] = "/k/config";
  util::Diagnostics diags;
  auto c = resolve(m, {}, diags);
  REQUIRE(c);
  CHECK(c->server == "https://127.0.0.1:6443");  // a bare host gets https://
  CHECK(c->ca_data == "CA-PEM");
  REQUIRE(c->exec);
  CHECK(c->exec->command == "/k/./bin/get-token");  // relative to the file, as client-go
  CHECK(c->exec->args == std::vector<std::string>{"--cluster", "c"});
  CHECK(c->exec->env == std::vector<std::pair<std::string, std::string>>{{"REGION", "eu-1"}});
  CHECK(c->exec->provide_cluster_info);
  CHECK(c->describe() ==
        "https://127.0.0.1:6443 from context \"x\" (cluster \"c\", user \"u\"), "
        "exec plugin /k/./bin/get-token");

  // No kubeconfig anywhere: the Pod's service account.
  FakeMachine pod;
  pod.env["KUBERNETES_SERVICE_HOST"] = "10.0.0.1";
  pod.env["KUBERNETES_SERVICE_PORT"] = "443";
  pod.files["/sa/token"] = "sa-token";
  pod.files["/sa/namespace"] = "jobs\n";
  c = resolve(pod, {}, diags);
  REQUIRE(c);
  CHECK(c->server == "https://10.0.0.1:443");
  CHECK(c->token_file == "/sa/token");
  CHECK(c->ca_file == "/sa/ca.crt");
  CHECK(c->namespace_ == "jobs");
  CHECK(c->describe() ==
        "https://10.0.0.1:443 from context \"in-cluster\", bearer token from /sa/token");

  FakeMachine nothing;
  CHECK_FALSE(resolve(nothing, {}, diags));
  CHECK_THAT(diags.to_long_string(),
             Catch::Contains("no cluster to read: no kubeconfig found (looked in "
                             "/home/u/.kube/config) and not running in a Pod"));
}

TEST_CASE("kubeconfig: --request-timeout as kubectl reads it", "[k8s]") {
  using ms = std::chrono::milliseconds;
  const std::pair<const char*, std::optional<ms>> cases[] = {
      {"0", ms(0)},        {"30", ms(30000)},     {"30s", ms(30000)},    {"1m", ms(60000)},
      {"1h", ms(3600000)}, {"500ms", ms(500)},    {"1m30s", ms(90000)},  {"1.5s", ms(1500)},
      {"", std::nullopt},  {"-1s", std::nullopt}, {"10x", std::nullopt}, {"s", std::nullopt},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    CHECK(parse_request_timeout(text) == want);
  }
}

}  // namespace dra::k8s
