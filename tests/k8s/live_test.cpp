// tests/k8s/live_test.cpp -- reading a live cluster: the API client over real TLS against the
// test API server (token, client-certificate and exec-plugin authentication, pagination,
// version fallback, 403 / 500 / slow answers), the CLI on top, and the same server checked
// with the real kubectl when it is installed.
#include "k8s/live.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "k8s/client.hpp"
#include "k8s/test_apiserver.hpp"
#include "util/base64.hpp"

namespace dra::k8s {
namespace {

using testing::TestApiServer;

// One CA for the whole run: key generation is the slow part.
const testing::TestCa& ca() {
  static const testing::TestCa c;
  return c;
}

std::string slice_json(const std::string& name, const std::string& node, int devices = 2) {
  std::string d;
  for (int i = 0; i < devices; ++i)
    d += (i ? "," : "") + std::string("{\"name\":\"gpu-") + std::to_string(i) +
         "\",\"attributes\":{\"model\":{\"string\":\"H100\"}}}";
  return "{\"metadata\":{\"name\":\"" + name +
         "\",\"managedFields\":[{\"manager\":\"x\"}]},"
         "\"spec\":{\"driver\":\"gpu.example.com\",\"nodeName\":\"" +
         node + "\",\"pool\":{\"name\":\"" + node +
         "\",\"generation\":1,\"resourceSliceCount\":1},"
         "\"devices\":[" +
         d + "]}}";
}

void populate(TestApiServer& s, int slices = 5) {
  s.add_object(
      "deviceclasses",
      R"({"metadata":{"name":"gpu.example.com"},"spec":{"selectors":[{"cel":{"expression":"device.driver == 'gpu.example.com'"}}]}})");
  for (int i = 0; i < slices; ++i) {
    const std::string node = "node-" + std::to_string(i);
    s.add_object("resourceslices", slice_json(node + "-gpu", node));
    s.add_object("nodes", R"({"metadata":{"name":")" + node +
                              R"(","labels":{"kubernetes.io/hostname":")" + node +
                              R"("}},"status":{"images":[{"names":["big"]}]}})");
  }
  s.add_object(
      "resourceclaims",
      R"({"metadata":{"name":"train","namespace":"team-a"},"spec":{"devices":{"requests":[{"name":"gpu","exactly":{"deviceClassName":"gpu.example.com"}}]}}})",
      "team-a");
  s.add_object(
      "pods",
      R"({"metadata":{"name":"trainer","namespace":"team-a"},"spec":{"containers":[{"name":"c","image":"x"}],"resourceClaims":[{"name":"gpu","resourceClaimName":"train"}]}})",
      "team-a");
  s.add_object(
      "pods",
      R"({"metadata":{"name":"web","namespace":"team-a"},"spec":{"containers":[{"name":"c","image":"x"}]}})",
      "team-a");
  s.add_object("namespaces", R"({"metadata":{"name":"team-a"}})");
}

RestConfig token_config(const TestApiServer& s, const std::string& token = "secret-token") {
  RestConfig c;
  c.server = s.url();
  c.ca_data = ca().cert_pem();
  c.token = token;
  return c;
}

ClientOptions quick(std::ostream* log = nullptr, int verbosity = 0) {
  ClientOptions o;
  o.backoff = std::chrono::milliseconds(1);
  o.max_backoff = std::chrono::milliseconds(5);
  o.log = log;
  o.verbosity = verbosity;
  o.terminal.stdin_is_terminal = false;
  return o;
}

std::vector<std::string> paths(const TestApiServer& s) {
  std::vector<std::string> out;
  for (const auto& r : s.requests()) out.push_back(r.path);
  return out;
}

// A scratch directory, removed at the end.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/dra-live-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text, bool executable = false) {
    const std::string p = path + "/" + name;
    std::ofstream(p) << text;
    if (executable) chmod(p.c_str(), 0755);
    return p;
  }
};

// The kubectl-dra binary with a kubeconfig for `server` (token auth, namespace team-a) as
// KUBECONFIG and HOME in `dir`.
struct Cli {
  std::string kubeconfig, home;
  Cli(const TestApiServer& server, TempDir& dir)
      : kubeconfig(
            dir.write("config", testing::kubeconfig_for(server.url(), ca().cert_pem(),
                                                        "    token: secret-token\n", "team-a"))),
        home(dir.path) {}
  testing::RunResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), DRA_BINARY);
    return testing::run_program(args, {{"KUBECONFIG", kubeconfig}, {"HOME", home}});
  }
};

}  // namespace

TEST_CASE("live: a bearer token over verified TLS reads every kind, page by page", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s);
  ApiClient client(token_config(s), quick());
  LiveOptions lo;
  lo.page_size = 2;
  util::Diagnostics diags;
  auto cluster = read_cluster(client, lo, diags);
  REQUIRE(cluster);
  CHECK(diags.empty());
  CHECK(cluster->device_classes.size() == 1);
  REQUIRE(cluster->resource_slices.size() == 5);
  CHECK(cluster->resource_slices[4].metadata.name == "node-4-gpu");
  CHECK(cluster->resource_slices[0].spec.devices.size() == 2);
  CHECK(cluster->nodes.size() == 5);
  CHECK(cluster->resource_claims.size() == 1);
  REQUIRE(cluster->pods.size() == 1);  // only the Pod that references a claim
  CHECK(cluster->pods[0].metadata.name == "trainer");
  CHECK(cluster->namespaces.size() == 1);
  const auto p = paths(s);
  // Discovery, then lists of at most two items, continuing where the last page ended.
  CHECK(p[0] == "/apis/resource.k8s.io");
  CHECK(std::count(p.begin(), p.end(), "/apis/resource.k8s.io/v1/resourceslices?limit=2") == 1);
  CHECK(std::count(p.begin(), p.end(),
                   "/apis/resource.k8s.io/v1/resourceslices?limit=2&continue=page-2") == 1);
  CHECK(std::count(p.begin(), p.end(),
                   "/apis/resource.k8s.io/v1/resourceslices?limit=2&continue=page-4") == 1);
  for (const auto& r : s.requests()) {
    INFO(r.path);
    CHECK(r.method == "GET");  // read-only, always
    CHECK(r.user == "alice");
    CHECK_THAT(r.headers.at("accept-encoding"), Catch::Contains("gzip"));
  }
}

TEST_CASE("live: client certificates, inline and from files", "[k8s]") {
  TestApiServer s(ca());
  populate(s, 1);
  const testing::KeyPair bob = ca().client("bob");
  RestConfig c;
  c.server = s.url();
  c.ca_data = ca().cert_pem();
  c.cert_data = bob.cert_pem;
  c.key_data = bob.key_pem;
  {
    ApiClient client(c, quick());
    util::Diagnostics diags;
    auto cluster = read_cluster(client, {}, diags);
    REQUIRE(cluster);
    CHECK(cluster->resource_slices.size() == 1);
    CHECK(s.requests().back().auth == "cert");
    CHECK(s.requests().back().user == "bob");
  }
  TempDir dir;
  c.cert_data.clear();
  c.key_data.clear();
  c.ca_data.clear();
  c.ca_file = dir.write("ca.crt", ca().cert_pem());
  c.cert_file = dir.write("bob.crt", bob.cert_pem);
  c.key_file = dir.write("bob.key", bob.key_pem);
  ApiClient client(c, quick());
  auto r = client.get("/apis/resource.k8s.io/v1/deviceclasses");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(s.requests().back().user == "bob");
}

TEST_CASE("live: a token file is read again for each request", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("first", "alice");
  s.add_token("second", "bob");
  TempDir dir;
  RestConfig c;
  c.server = s.url();
  c.ca_data = ca().cert_pem();
  c.token_file = dir.write("token", "first\n");  // rotated by the kubelet in a Pod
  ApiClient client(c, quick());
  REQUIRE(client.get("/apis/resource.k8s.io"));
  CHECK(s.requests().back().user == "alice");
  dir.write("token", "second");
  REQUIRE(client.get("/apis/resource.k8s.io"));
  CHECK(s.requests().back().user == "bob");
}

TEST_CASE("live: TLS is verified unless the user says otherwise", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 1);
  const testing::TestCa other;
  RestConfig c = token_config(s);
  c.ca_data = other.cert_pem();  // not the CA that signed the server
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error(), Catch::StartsWith("TLS: the API server's certificate at " + s.url() +
                                            " cannot be verified"));
  }
  c.ca_data.clear();
  c.insecure_skip_tls_verify = true;
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // tls-server-name: verified against that name (the certificate names localhost, not
  // api.wrong), while connecting to 127.0.0.1.
  c = token_config(s);
  c.tls_server_name = "api.wrong";
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error(), Catch::Contains("cannot be verified"));
  }
  c.tls_server_name = "localhost";
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("live: resource.k8s.io versions: v1, else v1beta2, else v1beta1", "[k8s]") {
  for (const std::vector<std::string>& versions :
       {std::vector<std::string>{"v1beta1", "v1beta2", "v1"},
        std::vector<std::string>{"v1beta1", "v1beta2"}, std::vector<std::string>{"v1beta1"}}) {
    TestApiServer::Options o;
    o.versions = versions;
    TestApiServer s(ca(), o);
    s.add_token("secret-token", "alice");
    // A v1beta1 slice: the device's fields sit under `basic`.
    s.add_object(
        "resourceslices",
        R"({"metadata":{"name":"s"},"spec":{"driver":"d","nodeName":"n","pool":{"name":"p","generation":1,"resourceSliceCount":1},"devices":[{"name":"x","basic":{"attributes":{"m":{"string":"a"}}}}]}})");
    ApiClient client(token_config(s), quick());
    auto d = discover(client);
    REQUIRE(d);
    const std::string want = versions.size() == 3   ? "v1"
                             : versions.size() == 2 ? "v1beta2"
                                                    : "v1beta1";
    CHECK(d->dra_version == want);
    CHECK(d->taint_rule_version == (want == "v1beta1" ? "" : want));  // never v1alpha3
    if (want == "v1beta1") {
      util::Diagnostics diags;
      auto cluster = read_cluster(client, {}, diags);
      REQUIRE(cluster);
      REQUIRE(cluster->resource_slices.size() == 1);
      CHECK(cluster->resource_slices[0].spec.devices[0].attributes.size() == 1);
    }
  }
  TestApiServer::Options none;
  none.serve_dra = false;
  TestApiServer s(ca(), none);
  s.add_token("secret-token", "alice");
  ApiClient client(token_config(s), quick());
  auto d = discover(client);
  REQUIRE_FALSE(d);
  CHECK_THAT(d.error(), Catch::Contains("serves no resource.k8s.io API group"));
}

TEST_CASE("live: 401 and 403 say who we are and what is missing", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 1);
  {
    ApiClient client(token_config(s, "wrong-token"), quick());
    util::Diagnostics diags;
    auto cluster = read_cluster(client, {}, diags);
    REQUIRE_FALSE(cluster);
    CHECK_THAT(cluster.error(),
               Catch::Contains("did not accept our credentials (401 Unauthorized") &&
                   Catch::Contains("bearer token"));
    CHECK_THAT(cluster.error(), !Catch::Contains("wrong-token"));
  }
  s.forbid("alice", "resourceslices");
  {
    ApiClient client(token_config(s), quick());
    util::Diagnostics diags;
    auto cluster = read_cluster(client, {}, diags);
    REQUIRE_FALSE(cluster);
    CHECK(cluster.error() ==
          "forbidden (403): your RBAC lacks \"list\" on resourceslices.resource.k8s.io "
          "(cluster-wide); kubectl-dra needs to read them, or give a dump with -f");
  }
  // Claims forbidden cluster-wide but allowed in the user's namespace: read that one, warn.
  TestApiServer t(ca());
  t.add_token("secret-token", "alice");
  populate(t, 1);
  t.forbid("alice", "resourceclaims", "");
  ApiClient client(token_config(t), quick());
  std::ostringstream warnings;
  LiveOptions lo;
  lo.fallback_namespace = "team-a";
  lo.warnings = &warnings;
  util::Diagnostics diags;
  auto cluster = read_cluster(client, lo, diags);
  REQUIRE(cluster);
  CHECK(cluster->resource_claims.size() == 1);
  CHECK(warnings.str() ==
        "warning: cannot list resourceclaims.resource.k8s.io in all namespaces (403 Forbidden); "
        "read namespace \"team-a\" only: devices held by claims elsewhere look free\n");
}

TEST_CASE("live: 429 and 5xx are retried with backoff; slow answers time out", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 1);
  s.fail("/apis/resource.k8s.io/v1/deviceclasses", 500, 2);
  s.fail("/api/v1/nodes", 429, 1, 0);  // Retry-After: 0
  ApiClient client(token_config(s), quick());
  util::Diagnostics diags;
  auto cluster = read_cluster(client, {}, diags);
  REQUIRE(cluster);
  CHECK(cluster->device_classes.size() == 1);
  const auto p = paths(s);
  CHECK(std::count(p.begin(), p.end(), "/apis/resource.k8s.io/v1/deviceclasses?limit=500") == 3);
  CHECK(std::count(p.begin(), p.end(), "/api/v1/nodes?limit=500") == 2);

  // Out of attempts: the last answer's error, with the server's message.
  s.fail("/apis/resource.k8s.io/v1/deviceclasses", 503, 10);
  auto again = read_cluster(client, {}, diags);
  REQUIRE_FALSE(again);
  CHECK(again.error() ==
        "list deviceclasses.resource.k8s.io failed with HTTP 503: the server "
        "says \"injected failure\"");

  s.slow("/apis/resource.k8s.io", std::chrono::milliseconds(3000));
  RestConfig c = token_config(s);
  c.timeout = std::chrono::milliseconds(200);
  ApiClient impatient(c, quick());
  const auto t0 = std::chrono::steady_clock::now();
  auto r = impatient.get("/apis/resource.k8s.io");
  REQUIRE_FALSE(r);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));
  CHECK_THAT(r.error(),
             Catch::StartsWith("the API server at " + s.url() + " did not answer in time"));
}

TEST_CASE("live: a kubeconfig's proxy-url is the way to the server", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 1);
  testing::TestProxy proxy;
  TempDir dir;
  std::string kc = testing::kubeconfig_for(s.url(), ca().cert_pem(), "    token: secret-token\n");
  kc.insert(kc.find("    certificate-authority-data"), "    proxy-url: " + proxy.url() + "\n");
  const std::string path = dir.write("config", kc);
  KubeconfigFlags flags;
  flags.kubeconfig = path;
  util::Diagnostics diags;
  auto config = resolve_kubeconfig(flags, KubeconfigEnv::system(), diags);
  REQUIRE(config);
  CHECK(config->proxy_url == proxy.url());
  ApiClient client(*config, quick());
  auto cluster = read_cluster(client, {}, diags);
  REQUIRE(cluster);
  CHECK(cluster->resource_slices.size() == 1);
  REQUIRE_FALSE(proxy.targets().empty());
  CHECK(proxy.targets().front() == "127.0.0.1:" + std::to_string(s.port()));
}

TEST_CASE("live: an unreachable server is named as such", "[k8s]") {
  RestConfig c;
  c.server = "https://127.0.0.1:1";
  ApiClient client(c, quick());
  auto r = client.get("/apis/resource.k8s.io");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::StartsWith("cannot reach the API server at https://127.0.0.1:1: "
                                          "connection refused or unreachable"));
}

TEST_CASE("live: exec credential plugins, cached until they expire", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("from-plugin", "carol");
  populate(s, 1);
  TempDir dir;
  // The plugin counts its runs, keeps what it was given, and prints an ExecCredential.
  auto plugin = [&](const std::string& api_version, const std::string& expires) {
    return dir.write(
        "plugin.sh",
        "#!/bin/sh\necho run >> " + dir.path +
            "/runs\n"
            "printf '%s' \"$KUBERNETES_EXEC_INFO\" > " +
            dir.path +
            "/info\n"
            "echo \"$REGION $1\" > " +
            dir.path +
            "/args\n"
            "echo plugin-stderr >&2\n"
            "printf '{\"apiVersion\":\"" +
            api_version + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-plugin\"" +
            (expires.empty() ? "" : ",\"expirationTimestamp\":\"" + expires + "\"") + "}}'\n",
        true);
  };
  auto runs = [&] {
    std::ifstream in(dir.path + "/runs");
    std::string line;
    int n = 0;
    while (std::getline(in, line)) ++n;
    return n;
  };
  RestConfig c;
  c.server = s.url();
  c.ca_data = ca().cert_pem();
  c.exec = ExecConfig{};
  c.exec->api_version = "client.authentication.k8s.io/v1";
  c.exec->command = plugin("client.authentication.k8s.io/v1", "2099-01-01T00:00:00Z");
  c.exec->args = {"--fast"};
  c.exec->env = {{"REGION", "eu-1"}};
  c.exec->interactive_mode = "Never";
  c.exec->provide_cluster_info = true;
  {
    ApiClient client(c, quick());
    util::Diagnostics diags;
    auto cluster = read_cluster(client, {}, diags);
    REQUIRE(cluster);
    CHECK(s.requests().back().user == "carol");
    CHECK(runs() == 1);  // cached for every request until 2099
    std::ifstream info(dir.path + "/info");
    const std::string text((std::istreambuf_iterator<char>(info)), {});
    CHECK_THAT(text, Catch::Contains("\"kind\":\"ExecCredential\"") &&
                         Catch::Contains("\"interactive\":false") &&
                         Catch::Contains("\"server\":\"" + s.url() + "\"") &&
                         Catch::Contains("\"certificate-authority-data\":\""));
    std::ifstream args(dir.path + "/args");
    std::string a;
    std::getline(args, a);
    CHECK(a == "eu-1 --fast");
  }
  // An expired credential is asked for again on the next request.
  c.exec->command = plugin("client.authentication.k8s.io/v1", "2001-01-01T00:00:00Z");
  {
    ApiClient client(c, quick());
    const int before = runs();
    REQUIRE(client.get("/apis/resource.k8s.io"));
    REQUIRE(client.get("/apis/resource.k8s.io"));
    CHECK(runs() == before + 2);
  }
  // v1beta1 with no interactiveMode; a wrong apiVersion in the answer; a missing command.
  c.exec->api_version = "client.authentication.k8s.io/v1beta1";
  c.exec->interactive_mode.clear();
  c.exec->command = plugin("client.authentication.k8s.io/v1beta1", "");
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  c.exec->command = plugin("client.authentication.k8s.io/v1", "");
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE_FALSE(r);
    CHECK(r.error() == "exec plugin \"" + c.exec->command +
                           "\": it returned apiVersion \"client.authentication.k8s.io/v1\", but "
                           "the kubeconfig asks for \"client.authentication.k8s.io/v1beta1\"");
  }
  c.exec->command = dir.path + "/no-such-plugin";
  c.exec->install_hint = "Install it with: brew install no-such-plugin";
  {
    ApiClient client(c, quick());
    auto r = client.get("/apis/resource.k8s.io");
    REQUIRE_FALSE(r);
    CHECK(r.error() == "exec plugin \"" + c.exec->command +
                           "\": executable not found\n\nInstall it with: brew install "
                           "no-such-plugin");
  }
  // interactiveMode Always needs a terminal.
  c.exec->api_version = "client.authentication.k8s.io/v1";
  c.exec->interactive_mode = "Always";
  ApiClient client(c, quick());
  auto r = client.get("/apis/resource.k8s.io");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains("needs an interactive terminal"));
}

TEST_CASE("live: no token, key or Authorization header at any verbosity", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 1);
  const testing::KeyPair bob = ca().client("bob");
  for (int verbosity : {6, 7, 8, 9}) {
    std::ostringstream log;
    RestConfig c = token_config(s);
    c.cert_data = bob.cert_pem;
    c.key_data = bob.key_pem;
    ApiClient client(c, quick(&log, verbosity));
    util::Diagnostics diags;
    REQUIRE(read_cluster(client, {}, diags));
    const std::string text = log.str();
    INFO(verbosity);
    CHECK_THAT(text, Catch::Contains("GET " + s.url() + "/apis/resource.k8s.io 200 in "));
    CHECK_THAT(text, !Catch::Contains("secret-token"));
    CHECK_THAT(text, !Catch::Contains("PRIVATE KEY"));
    CHECK_THAT(text, !Catch::Contains(bob.key_pem.substr(40, 20)));
    if (verbosity >= 7) CHECK_THAT(text, Catch::Contains("Authorization: Bearer <masked>"));
    if (verbosity >= 8) CHECK_THAT(text, Catch::Contains("Response Body: {\"kind\":\"APIGroup\""));
    CHECK(c.describe().find("secret-token") == std::string::npos);
  }
}

TEST_CASE(
    "live: no command prints or writes the token or the client key, at -v=9, on success "
    "or failure",
    "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 2);
  TempDir dir;
  const testing::KeyPair bob = ca().client("bob");
  // Both kinds of credential at once: a bearer token and a client certificate with its key.
  const std::string user =
      "    token: secret-token\n    client-certificate-data: " + util::base64_encode(bob.cert_pem) +
      "\n    client-key-data: " + util::base64_encode(bob.key_pem) + "\n";
  const std::string kubeconfig =
      dir.write("config", testing::kubeconfig_for(s.url(), ca().cert_pem(), user, "team-a"));
  const std::string claim = dir.write("one-gpu.yaml", R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: one-gpu, namespace: team-a}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.example.com}
)");
  const std::string dump = dir.path + "/dump.yaml", updated = dir.path + "/updated.yaml";
  // What must never appear: the token, the key (PEM or base64, 24 characters from its middle).
  const std::string key64 = util::base64_encode(bob.key_pem);
  const std::vector<std::string> secrets = {"secret-token", "PRIVATE KEY",
                                            bob.key_pem.substr(40, 24), key64.substr(40, 24)};
  auto check = [&](const std::vector<std::string>& args, const std::string& text) {
    INFO(fmt::format("{}\n{}", fmt::join(args, " "), text));
    for (const std::string& secret : secrets) CHECK_THAT(text, !Catch::Contains(secret));
  };
  auto run = [&](std::vector<std::string> args, bool verbose = true) {
    args.insert(args.begin(), DRA_BINARY);
    if (verbose) args.push_back("-v=9");
    auto r = testing::run_program(args, {{"KUBECONFIG", kubeconfig}, {"HOME", dir.path}});
    check(args, r.out + r.err);
    return r;
  };
  auto file = [](const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };

  const std::vector<std::vector<std::string>> commands = {
      {"get", "devices", "-o", "wide"},
      {"get", "pools"},
      {"get", "slices", "-o", "yaml"},
      {"get", "classes", "-o", "json"},
      {"get", "claims", "-A", "-o", "yaml"},
      {"allocate", "-o", "yaml"},
      {"allocate", "--output-dump", updated},
      {"fit", claim},
      {"explain", "claim", "team-a/train"},
      {"explain", "pod", "team-a/trainer", "-o", "json"},
      {"cel", "eval", "device.driver == \"gpu.example.com\"", "--all-devices"},
      {"lint", "--cluster"},
      {"lint", claim, "--against"},
      {"dump"},
      {"dump", "--output", dump},
  };
  for (const auto& args : commands) {
    const auto r = run(args);
    INFO(fmt::format("{}\n{}", fmt::join(args, " "), r.err));
    CHECK(r.status == 0);
    // The log is there, masked: the test would pass vacuously without it.
    CHECK_THAT(r.err, Catch::Contains("Authorization: Bearer <masked>"));
  }
  check({"dump --output"}, file(dump));
  check({"allocate --output-dump"}, file(updated));
  CHECK_THAT(file(dump), Catch::Contains("kind: ResourceSlice"));
  // Shell completion reads the cluster too (no -v: its stdout is the protocol).
  const auto completion = run({"__complete", "explain", "claim", ""}, false);
  CHECK_THAT(completion.out, Catch::Contains("team-a/train"));

  // Failures: an unknown token, RBAC refusing a list, the server failing, a kubeconfig error.
  s.fail("/apis/resource.k8s.io/v1/deviceclasses", 500, 1, 0);  // retried at once
  CHECK(run({"get", "classes"}).status == 0);
  s.forbid("alice", "resourceslices");
  s.forbid("bob", "resourceslices");
  CHECK(run({"get", "devices"}).status == 2);
  s.slow("/apis/resource.k8s.io/v1/deviceclasses", std::chrono::milliseconds(3000));
  CHECK(run({"allocate", "--request-timeout=1s"}).status == 2);
  const std::string wrong =
      dir.write("wrong", testing::kubeconfig_for(s.url(), ca().cert_pem(),
                                                 "    token: secret-token-unknown\n", "team-a"));
  auto unknown = run({"get", "devices", "--kubeconfig", wrong});
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.err, Catch::Contains("401"));
  const std::string broken =
      dir.write("broken", testing::kubeconfig_for(s.url(), ca().cert_pem(),
                                                  user + "    token: [secret-token\n", "team-a"));
  CHECK(run({"get", "devices", "--kubeconfig", broken}).status == 2);
  CHECK(run({"get", "devices", "--token", "secret-token", "--server", "https://127.0.0.1:1"})
            .status == 2);
}

TEST_CASE("live: the CLI reads the cluster without -f, and dump writes what -f reads", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 2);
  TempDir dir;
  const Cli run(s, dir);
  auto got = run({"get", "devices"});
  INFO(got.err);
  CHECK(got.status == 0);
  CHECK_THAT(got.out,
             Catch::Contains("node-0") && Catch::Contains("node-1") && Catch::Contains("gpu-0"));

  const std::string out = dir.path + "/cluster.yaml";
  got = run({"dump", "--output", out});
  INFO(got.err);
  REQUIRE(got.status == 0);
  CHECK(got.out.empty());
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK_THAT(text, Catch::StartsWith("apiVersion: v1\nitems:\n") && Catch::Contains("kind: List"));
  CHECK_THAT(text, !Catch::Contains("managedFields"));  // hidden, as kubectl hides them
  CHECK_THAT(text, !Catch::Contains("images"));         // Nodes trimmed to what allocation reads
  CHECK_THAT(text, Catch::Contains("kubernetes.io/hostname: node-1"));
  CHECK_THAT(text, Catch::Contains("name: trainer") && !Catch::Contains("name: web"));

  // -n keeps one namespace's claims and Pods; flags alone (no kubeconfig) reach the server.
  const std::string other = dir.path + "/other.json";
  got = testing::run_program(
      {DRA_BINARY, "dump", "-n", "team-b", "-o", "json", "--output", other, "--server", s.url(),
       "--token", "secret-token", "--insecure-skip-tls-verify"},
      {{"HOME", dir.path}, {"KUBECONFIG", ""}});
  INFO(got.err);
  REQUIRE(got.status == 0);
  std::ifstream in_other(other);
  const std::string other_text((std::istreambuf_iterator<char>(in_other)), {});
  CHECK_THAT(other_text, Catch::StartsWith("{\n    \"apiVersion\": \"v1\",\n    \"items\": ["));
  CHECK_THAT(other_text, Catch::Contains("\"name\": \"node-0-gpu\""));
  CHECK_THAT(other_text, !Catch::Contains("trainer") && !Catch::Contains("\"train\""));

  // The dump is input for every command: the same devices as from the live cluster.
  auto live = run({"get", "devices", "-o", "json"});
  auto from_file = run({"get", "devices", "-o", "json", "-f", out});
  CHECK(live.status == 0);
  INFO(from_file.err);
  CHECK(live.out == from_file.out);

  // No write at all when the cluster cannot be read.
  s.forbid("alice", "resourceslices");
  const std::string bad = dir.path + "/never.yaml";
  got = run({"dump", "--output", bad, "-v=8"});
  CHECK(got.status == 2);
  CHECK_THAT(got.err, Catch::Contains("forbidden (403)"));
  CHECK_THAT(got.err, !Catch::Contains("secret-token"));
  CHECK_FALSE(std::filesystem::exists(bad));
}

TEST_CASE("live: every command that reads cluster state reads it without -f", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 2);
  TempDir dir;
  const Cli run(s, dir);
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string out;  // a line the output must hold
  };
  const std::string claim = dir.write("claim.yaml", R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: team-a}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.exmple.com}
)");
  const std::string one_gpu = dir.write("one-gpu.yaml", R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: one-gpu, namespace: team-a}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.example.com}
)");
  const Case cases[] = {
      {{"allocate"}, 0, "team-a/trainer   node-0   train   gpu       gpu-0"},
      {{"explain", "claim", "team-a/train", "-o", "json"},
       0,
       "\"subject\": \"claim team-a/train\""},
      // A bare name is in the context's namespace (team-a), as kubectl takes it.
      {{"explain", "claim", "train"}, 0, "claim team-a/train"},
      {{"allocate", "--pod", "trainer", "-o", "name"}, 0, "resourceclaim.resource.k8s.io/train"},
      {{"fit", one_gpu, "-o", "json"}, 0, "\"fits\": 4,"},  // the pending claim holds none yet
      {{"get", "classes", "-o", "name"}, 0, "deviceclass.resource.k8s.io/gpu.example.com"},
      {{"cel", "eval", "device.attributes[\"gpu.example.com\"].model == \"H100\"", "--node",
        "node-1"},
       0,
       "gpu.example.com/node-1/gpu-1"},
      {{"lint", claim, "--against"}, 0, "did you mean gpu.example.com? [unknown-class]"},
      {{"lint", "--cluster"}, 0, ""},
  };
  for (const Case& c : cases) {
    const auto r = run(c.args);
    INFO(c.args.front() << "\n" << r.out << r.err);
    CHECK(r.status == c.status);
    CHECK_THAT(r.out + r.err, Catch::Contains(c.out));
  }
  // Every request was a GET; none wrote anything.
  for (const auto& r : s.requests()) CHECK(r.method == "GET");
}

TEST_CASE("live: shell completion reads names from the live cluster", "[k8s]") {
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 2);
  TempDir dir;
  const Cli run(s, dir);
  auto r = run({"__complete", "explain", "claim", ""});
  CHECK(r.out == "team-a/train\tpending\n:4\n");
  r = run({"__complete", "allocate", "--node", "node-"});
  CHECK(r.out == "node-0\tNode\nnode-1\tNode\n:4\n");
  r = run({"__complete", "get", "devices", "gpu.example.com/node-1/"});
  CHECK(r.out ==
        "gpu.example.com/node-1/gpu-0\ton node-1\ngpu.example.com/node-1/gpu-1\ton "
        "node-1\n:4\n");
}

TEST_CASE("live: the test server answers kubectl as an API server would", "[k8s]") {
  // The stand-in must behave like an API server for the tests above to mean anything:
  // kubectl's discovery and list code paths accept it. Skipped where kubectl is not installed.
  if (testing::run_program({"kubectl", "version", "--client"}).status != 0) {
    WARN("kubectl not found: skipping the check of the test server with kubectl");
    return;
  }
  TestApiServer s(ca());
  s.add_token("secret-token", "alice");
  populate(s, 3);
  TempDir dir;
  const std::string kc = dir.write(
      "config", testing::kubeconfig_for(s.url(), ca().cert_pem(), "    token: secret-token\n"));
  auto kubectl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"kubectl", "--kubeconfig", kc, "--cache-dir", dir.path + "/cache"});
    return testing::run_program(args, {{"HOME", dir.path}});
  };
  auto r = kubectl({"get", "resourceslices.resource.k8s.io", "-o", "name"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out ==
        "resourceslice.resource.k8s.io/node-0-gpu\nresourceslice.resource.k8s.io/node-1-gpu\n"
        "resourceslice.resource.k8s.io/node-2-gpu\n");
  r = kubectl({"get", "resourceclaims", "-A", "-o", "jsonpath={.items[*].metadata.name}"});
  CHECK(r.status == 0);
  CHECK(r.out == "train");
  r = kubectl({"get", "nodes", "--chunk-size=2", "-o", "name"});
  CHECK(r.status == 0);
  CHECK(r.out == "node/node-0\nnode/node-1\nnode/node-2\n");
  // kubectl's words for what our client reports as 403.
  s.forbid("alice", "deviceclasses");
  r = kubectl({"get", "deviceclasses"});
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("deviceclasses.resource.k8s.io is forbidden: User \"alice\" "
                                    "cannot list resource \"deviceclasses\" in API group "
                                    "\"resource.k8s.io\" at the cluster scope"));
}

}  // namespace dra::k8s
