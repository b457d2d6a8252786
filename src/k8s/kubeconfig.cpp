// src/k8s/kubeconfig.cpp -- kubeconfig files and the in-cluster service account, resolved as
// client-go's clientcmd does (kubeconfig.hpp).
#include "k8s/kubeconfig.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "k8s/parse.hpp"
#include "k8s/value.hpp"
#include "util/base64.hpp"
#include "util/strings.hpp"

namespace dra::k8s {
namespace {

struct At {
  std::string file;
  Pos pos;
  util::SourcePos where() const { return {file, pos.line, pos.column}; }
};

struct ClusterEntry {
  std::string server, ca, ca_data, tls_server_name, proxy_url;
  bool insecure = false, disable_compression = false;
  std::string dir;
  At at;
};

struct UserEntry {
  std::string cert, cert_data, key, key_data, token, token_file, username, password;
  std::optional<ExecConfig> exec;
  std::string auth_provider;  // name of a legacy auth-provider, if any
  std::string dir;
  At at;
};

struct ContextEntry {
  std::string cluster, user, namespace_;
  At at;
};

struct Merged {
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, UserEntry> users;
  std::map<std::string, ContextEntry> contexts;
  std::string current_context;
  std::string current_context_file;
  std::vector<std::string> files;  // read, in order
};

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A path from a kubeconfig file, relative to that file's directory.
std::string resolve_path(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  if (path.front() == '~' && (path.size() == 1 || path[1] == '/')) return path;  // as written
  return dir + "/" + path;
}

// Reads one file's fields, reporting wrong types at their position.
class Reader {
 public:
  Reader(std::string file, util::Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  std::string str(const Node& v, std::string_view field) {
    if (v.is_null()) return {};
    if (!v.is_scalar()) {
      type_error(v, field, "a string");
      return {};
    }
    return std::string(v.text);
  }
  bool boolean(const Node& v, std::string_view field) {
    if (v.is_null()) return false;
    if (!v.is_scalar() || v.scalar_type() != ScalarType::Bool) {
      type_error(v, field, "true or false");
      return false;
    }
    return to_value(v).boolean;
  }
  // base64 *-data fields: the decoded bytes.
  std::string data(const Node& v, std::string_view field) {
    std::string text = str(v, field);
    if (text.empty()) return {};
    auto bytes = util::base64_decode(text);
    if (!bytes) {
      diags_.error(where(v), fmt::format("{} is not valid base64", field),
                   "kubeconfig's *-data fields hold base64 (`base64 -w0 < file`); for a path, "
                   "use the field without -data");
      return {};
    }
    return *bytes;
  }
  bool mapping(const Node& v, std::string_view field) {
    if (v.is_mapping()) return true;
    if (!v.is_null()) type_error(v, field, "a mapping");
    return false;
  }
  bool sequence(const Node& v, std::string_view field) {
    if (v.is_sequence()) return true;
    if (!v.is_null()) type_error(v, field, "a list");
    return false;
  }
  util::SourcePos where(const Node& v) const { return {file_, v.pos.line, v.pos.column}; }
  At at(const Node& v) const { return {file_, v.pos}; }
  util::Diagnostics& diags() { return diags_; }

 private:
  void type_error(const Node& v, std::string_view field, std::string_view want) {
    diags_.error(where(v), fmt::format("{} must be {}, not {}", field, want, describe(v)));
  }
  std::string file_;
  util::Diagnostics& diags_;
};

ExecConfig read_exec(Reader& r, const Node& e, const std::string& dir) {
  ExecConfig x;
  for (uint32_t i = 0; i < e.size; ++i) {
    const std::string_view k = e.key(i).text;
    const Node& v = e.value(i);
    if (k == "apiVersion") x.api_version = r.str(v, "exec.apiVersion");
    if (k == "command") x.command = r.str(v, "exec.command");
    if (k == "installHint") x.install_hint = r.str(v, "exec.installHint");
    if (k == "interactiveMode") x.interactive_mode = r.str(v, "exec.interactiveMode");
    if (k == "provideClusterInfo") x.provide_cluster_info = r.boolean(v, "exec.provideClusterInfo");
    if (k == "args" && r.sequence(v, "exec.args"))
      for (uint32_t j = 0; j < v.size; ++j) x.args.push_back(r.str(v.item(j), "exec.args[]"));
    if (k == "env" && r.sequence(v, "exec.env"))
      for (uint32_t j = 0; j < v.size; ++j) {
        const Node& kv = v.item(j);
        if (!r.mapping(kv, "exec.env[]")) continue;
        const Node* n = kv.find("name");
        const Node* val = kv.find("value");
        x.env.emplace_back(n ? r.str(*n, "exec.env[].name") : "",
                           val ? r.str(*val, "exec.env[].value") : "");
      }
  }
  // client-go: a command with a path separator is relative to the kubeconfig's directory.
  if (x.command.find('/') != std::string::npos) x.command = resolve_path(dir, x.command);
  return x;
}

// Adds one file's entries to `m`; the first file to name an entry keeps it.
void read_file(const std::string& file, std::string_view text, Merged& m,
               util::Diagnostics& diags) {
  const std::string dir = dir_of(file);
  Reader r(file, diags);
  auto on_object = [&](const ParsedObject& o) {
    const Node& root = o.node;
    if (o.document > 0) return;  // one document per kubeconfig
    if (!r.mapping(root, "a kubeconfig")) return;
    if (const Node* cc = root.find("current-context"); cc && m.current_context.empty()) {
      m.current_context = r.str(*cc, "current-context");
      m.current_context_file = file;
    }
    auto each = [&](const char* list, const char* inner, auto&& add) {
      const Node* l = root.find(list);
      if (!l || !r.sequence(*l, list)) return;
      for (uint32_t i = 0; i < l->size; ++i) {
        const Node& item = l->item(i);
        if (!r.mapping(item, std::string(list) + "[]")) continue;
        const Node* name = item.find("name");
        const std::string n = name ? r.str(*name, std::string(list) + "[].name") : "";
        if (n.empty()) {
          diags.error(r.where(item), fmt::format("an entry of {} has no name", list));
          continue;
        }
        const Node* body = item.find(inner);
        static const Node kEmpty = [] {
          Node n;
          n.kind = NodeKind::Mapping;
          return n;
        }();
        if (body && !r.mapping(*body, fmt::format("{}[\"{}\"].{}", list, n, inner))) continue;
        add(n, body ? *body : kEmpty, item);
      }
    };
    each("clusters", "cluster", [&](const std::string& n, const Node& c, const Node& item) {
      if (m.clusters.count(n)) return;
      ClusterEntry e;
      e.dir = dir;
      e.at = r.at(item);
      for (uint32_t i = 0; i < c.size; ++i) {
        const std::string_view k = c.key(i).text;
        const Node& v = c.value(i);
        if (k == "server") e.server = r.str(v, "cluster.server");
        if (k == "certificate-authority")
          e.ca = resolve_path(dir, r.str(v, "cluster.certificate-authority"));
        if (k == "certificate-authority-data")
          e.ca_data = r.data(v, "cluster.certificate-authority-data");
        if (k == "insecure-skip-tls-verify")
          e.insecure = r.boolean(v, "cluster.insecure-skip-tls-verify");
        if (k == "tls-server-name") e.tls_server_name = r.str(v, "cluster.tls-server-name");
        if (k == "proxy-url") e.proxy_url = r.str(v, "cluster.proxy-url");
        if (k == "disable-compression")
          e.disable_compression = r.boolean(v, "cluster.disable-compression");
      }
      m.clusters.emplace(n, std::move(e));
    });
    each("users", "user", [&](const std::string& n, const Node& u, const Node& item) {
      if (m.users.count(n)) return;
      UserEntry e;
      e.dir = dir;
      e.at = r.at(item);
      for (uint32_t i = 0; i < u.size; ++i) {
        const std::string_view k = u.key(i).text;
        const Node& v = u.value(i);
        if (k == "client-certificate")
          e.cert = resolve_path(dir, r.str(v, "user.client-certificate"));
        if (k == "client-certificate-data") e.cert_data = r.data(v, "user.client-certificate-data");
        if (k == "client-key") e.key = resolve_path(dir, r.str(v, "user.client-key"));
        if (k == "client-key-data") e.key_data = r.data(v, "user.client-key-data");
        if (k == "token") e.token = r.str(v, "user.token");
        if (k == "tokenFile") e.token_file = resolve_path(dir, r.str(v, "user.tokenFile"));
        if (k == "username") e.username = r.str(v, "user.username");
        if (k == "password") e.password = r.str(v, "user.password");
        if (k == "exec" && r.mapping(v, "user.exec")) e.exec = read_exec(r, v, dir);
        if (k == "auth-provider" && r.mapping(v, "user.auth-provider")) {
          const Node* name = v.find("name");
          e.auth_provider = name ? r.str(*name, "user.auth-provider.name") : "?";
        }
      }
      m.users.emplace(n, std::move(e));
    });
    each("contexts", "context", [&](const std::string& n, const Node& c, const Node& item) {
      if (m.contexts.count(n)) return;
      ContextEntry e;
      e.at = r.at(item);
      if (const Node* v = c.find("cluster")) e.cluster = r.str(*v, "context.cluster");
      if (const Node* v = c.find("user")) e.user = r.str(*v, "context.user");
      if (const Node* v = c.find("namespace")) e.namespace_ = r.str(*v, "context.namespace");
      m.contexts.emplace(n, std::move(e));
    });
  };
  parse_objects(text, file, {}, on_object, diags);
  m.files.push_back(file);
}

std::string names_of(const auto& map) {
  std::vector<std::string> names;
  for (const auto& [n, _] : map) names.push_back("\"" + n + "\"");
  return names.empty() ? "none" : util::join(names, ", ");
}

std::string did_you_mean(const std::string& word, const auto& map) {
  std::vector<std::string> names;
  for (const auto& [n, _] : map) names.push_back(n);
  const std::string best = util::did_you_mean(word, names);
  return best.empty() ? "" : fmt::format("did you mean \"{}\"? ", best);
}

// The in-cluster service account, as client-go's rest.InClusterConfig.
std::optional<RestConfig> in_cluster(const KubeconfigEnv& env, util::Diagnostics& diags) {
  const auto host = env.getenv("KUBERNETES_SERVICE_HOST");
  const auto port = env.getenv("KUBERNETES_SERVICE_PORT");
  if (!host || !port || host->empty() || port->empty()) return std::nullopt;
  RestConfig c;
  const bool v6 = host->find(':') != std::string::npos;
  c.server = "https://" + (v6 ? "[" + *host + "]" : *host) + ":" + *port;
  c.token_file = env.service_account_dir + "/token";
  if (!env.read_file(c.token_file)) {
    diags.error({c.token_file},
                "in a Pod (KUBERNETES_SERVICE_HOST is set) but the service "
                "account token cannot be read",
                "mount a service account token, or give --kubeconfig");
    return std::nullopt;
  }
  c.ca_file = env.service_account_dir + "/ca.crt";
  if (auto ns = env.read_file(env.service_account_dir + "/namespace")) {
    std::string n = *ns;
    while (!n.empty() && (n.back() == '\n' || n.back() == ' ')) n.pop_back();
    if (!n.empty()) c.namespace_ = n;
  }
  c.origin = "in-cluster service account";
  c.context_name = "in-cluster";
  return c;
}

}  // namespace

KubeconfigEnv KubeconfigEnv::system() {
  KubeconfigEnv e;
  e.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  e.read_file = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  if (auto h = e.getenv("HOME")) e.home = *h;
  return e;
}

std::optional<std::chrono::milliseconds> parse_request_timeout(std::string_view text) {
  using std::chrono::milliseconds;
  if (text.empty()) return std::nullopt;
  const bool bare = text.find_first_not_of("0123456789") == std::string_view::npos;
  if (bare) {
    if (text.size() > 9) return std::nullopt;
    return milliseconds(std::stoll(std::string(text)) * 1000);
  }
  // Go's time.ParseDuration for the units that make sense here: h, m, s, ms.
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '.')) ++j;
    if (j == i || j - i > 12) return std::nullopt;
    const double n = std::stod(std::string(text.substr(i, j - i)));
    size_t k = j;
    while (k < text.size() && text[k] >= 'a' && text[k] <= 'z') ++k;
    const std::string_view unit = text.substr(j, k - j);
    if (unit == "h")
      total += n * 3600e3;
    else if (unit == "m")
      total += n * 60e3;
    else if (unit == "s")
      total += n * 1e3;
    else if (unit == "ms")
      total += n;
    else
      return std::nullopt;
    i = k;
  }
  return milliseconds(static_cast<int64_t>(total));
}

std::string RestConfig::describe() const {
  std::string auth;
  if (exec)
    auth = "exec plugin " + exec->command;
  else if (!token.empty())
    auth = "bearer token";
  else if (!token_file.empty())
    auth = "bearer token from " + token_file;
  else if (!cert_file.empty() || !cert_data.empty())
    auth = "client certificate";
  else if (!username.empty())
    auth = "basic auth as " + username;
  else
    auth = "no credentials";
  std::string where = context_name.empty() ? "" : "context \"" + context_name + "\"";
  if (!cluster_name.empty())
    where += " (cluster \"" + cluster_name + "\", user \"" + user_name + "\")";
  return fmt::format("{} {}{}, {}", server, where.empty() ? "" : "from ", where, auth);
}

// The kubeconfig files to read, in precedence order; `explicit_file`: --kubeconfig named it.
std::vector<std::string> kubeconfig_files(const KubeconfigFlags& flags, const KubeconfigEnv& env,
                                          bool* explicit_file) {
  std::vector<std::string> files;
  *explicit_file = false;
  if (!flags.kubeconfig.empty()) {
    files.push_back(flags.kubeconfig);
    *explicit_file = true;
  } else if (auto list = env.getenv("KUBECONFIG"); list && !list->empty()) {
    std::set<std::string> seen;
    for (std::string_view p : util::split(*list, ':'))
      if (!p.empty() && seen.insert(std::string(p)).second) files.emplace_back(p);
  } else if (!env.home.empty()) {
    files.push_back(env.home + "/.kube/config");
  }
  return files;
}

KubeconfigNames kubeconfig_names(const KubeconfigFlags& flags, const KubeconfigEnv& env) {
  bool explicit_file = false;
  Merged m;
  util::Diagnostics ignored;
  for (const std::string& f : kubeconfig_files(flags, env, &explicit_file))
    if (std::optional<std::string> text = env.read_file(f)) read_file(f, *text, m, ignored);
  KubeconfigNames n;
  for (const auto& [name, _] : m.contexts) n.contexts.push_back(name);
  for (const auto& [name, _] : m.clusters) n.clusters.push_back(name);
  for (const auto& [name, _] : m.users) n.users.push_back(name);
  return n;
}

std::optional<RestConfig> resolve_kubeconfig(const KubeconfigFlags& flags, const KubeconfigEnv& env,
                                             util::Diagnostics& diags) {
  const size_t errors_before = diags.error_count();
  // 1. The files, in precedence order.
  bool explicit_file = false;
  const std::vector<std::string> files = kubeconfig_files(flags, env, &explicit_file);
  Merged m;
  for (const std::string& f : files) {
    std::optional<std::string> text = env.read_file(f);
    if (!text) {
      if (explicit_file)
        diags.error({f}, "cannot read the kubeconfig file",
                    "check the path given with --kubeconfig");
      continue;  // files listed in KUBECONFIG may be missing, as in kubectl
    }
    read_file(f, *text, m, diags);
  }
  if (diags.error_count() > errors_before) return std::nullopt;

  const bool no_file_config = m.clusters.empty() && m.contexts.empty() && m.users.empty();
  const bool flags_name_server = !flags.server.empty();
  // 2. No kubeconfig at all: the service account of the Pod we run in, if any.
  if (no_file_config && !flags_name_server && flags.context.empty() && !explicit_file) {
    if (auto c = in_cluster(env, diags)) {
      if (!flags.namespace_.empty()) {
        c->namespace_ = flags.namespace_;
        c->namespace_explicit = true;
      }
      if (!flags.request_timeout.empty())
        if (auto t = parse_request_timeout(flags.request_timeout)) c->timeout = *t;
      if (!flags.certificate_authority.empty()) c->ca_file = flags.certificate_authority;
      if (!flags.token.empty()) {
        c->token = flags.token;
        c->token_file.clear();
      }
      return c;
    }
    if (diags.error_count() > errors_before) return std::nullopt;
    diags.error(
        {},
        "no cluster to read: no kubeconfig found" +
            (files.empty() ? std::string() : " (looked in " + util::join(files, ", ") + ")") +
            " and not running in a Pod",
        "give a dump with -f, or point --kubeconfig or KUBECONFIG at a kubeconfig file");
    return std::nullopt;
  }

  // 3. The context, then its cluster and user (or the ones the flags name).
  RestConfig c;
  c.origin = util::join(m.files, ":");
  c.context_name = flags.context.empty() ? m.current_context : flags.context;
  const ContextEntry* ctx = nullptr;
  if (!c.context_name.empty()) {
    auto it = m.contexts.find(c.context_name);
    if (it == m.contexts.end()) {
      diags.error(
          flags.context.empty() ? util::SourcePos{m.current_context_file} : util::SourcePos{},
          fmt::format("context \"{}\" does not exist in {}", c.context_name, c.origin),
          fmt::format("{}contexts there: {}", did_you_mean(c.context_name, m.contexts),
                      names_of(m.contexts)));
      return std::nullopt;
    }
    ctx = &it->second;
  } else if (!flags_name_server && flags.cluster.empty()) {
    diags.error({}, fmt::format("no current context in {}", c.origin),
                fmt::format("choose one with --context (contexts: {}), or run `kubectl config "
                            "use-context NAME`",
                            names_of(m.contexts)));
    return std::nullopt;
  }
  c.cluster_name = !flags.cluster.empty() ? flags.cluster : ctx ? ctx->cluster : "";
  c.user_name = !flags.user.empty() ? flags.user : ctx ? ctx->user : "";
  const ClusterEntry* cl = nullptr;
  if (!c.cluster_name.empty()) {
    auto it = m.clusters.find(c.cluster_name);
    if (it == m.clusters.end()) {
      diags.error(ctx && flags.cluster.empty() ? ctx->at.where() : util::SourcePos{},
                  fmt::format("cluster \"{}\" does not exist in {}", c.cluster_name, c.origin),
                  fmt::format("{}clusters there: {}", did_you_mean(c.cluster_name, m.clusters),
                              names_of(m.clusters)));
      return std::nullopt;
    }
    cl = &it->second;
  }
  const UserEntry* user = nullptr;
  if (!c.user_name.empty()) {
    auto it = m.users.find(c.user_name);
    if (it == m.users.end()) {
      diags.error(
          ctx && flags.user.empty() ? ctx->at.where() : util::SourcePos{},
          fmt::format("user \"{}\" does not exist in {}", c.user_name, c.origin),
          fmt::format("{}users there: {}", did_you_mean(c.user_name, m.users), names_of(m.users)));
      return std::nullopt;
    }
    user = &it->second;
  }
  if (cl) {
    c.server = cl->server;
    c.ca_file = cl->ca;
    c.ca_data = cl->ca_data;
    c.insecure_skip_tls_verify = cl->insecure;
    c.tls_server_name = cl->tls_server_name;
    c.proxy_url = cl->proxy_url;
    c.disable_compression = cl->disable_compression;
  }
  if (user) {
    if (!user->auth_provider.empty()) {
      diags.error(user->at.where(),
                  fmt::format("user \"{}\" authenticates with the \"{}\" auth-provider, which "
                              "Kubernetes removed in 1.26",
                              c.user_name, user->auth_provider),
                  user->auth_provider == "gcp"
                      ? "install gke-gcloud-auth-plugin and run `gcloud container clusters "
                        "get-credentials` again to get an exec entry"
                  : user->auth_provider == "azure"
                      ? "install kubelogin and run `kubelogin convert-kubeconfig`"
                      : "use an exec credential plugin (users[].user.exec)");
      return std::nullopt;
    }
    c.cert_file = user->cert;
    c.cert_data = user->cert_data;
    c.key_file = user->key;
    c.key_data = user->key_data;
    c.token = user->token;
    c.token_file = user->token.empty() ? user->token_file : "";
    c.username = user->username;
    c.password = user->password;
    c.exec = user->exec;
  }
  if (ctx && !ctx->namespace_.empty()) c.namespace_ = ctx->namespace_;

  // 4. Single-field overrides from flags.
  if (!flags.server.empty()) c.server = flags.server;
  if (!flags.certificate_authority.empty()) {
    c.ca_file = flags.certificate_authority;
    c.ca_data.clear();
  }
  if (flags.insecure_skip_tls_verify) c.insecure_skip_tls_verify = *flags.insecure_skip_tls_verify;
  if (!flags.tls_server_name.empty()) c.tls_server_name = flags.tls_server_name;
  if (!flags.client_certificate.empty()) {
    c.cert_file = flags.client_certificate;
    c.cert_data.clear();
  }
  if (!flags.client_key.empty()) {
    c.key_file = flags.client_key;
    c.key_data.clear();
  }
  if (!flags.token.empty()) {
    c.token = flags.token;
    c.token_file.clear();
    c.exec.reset();  // a token given on the command line wins over a plugin
  }
  if (!flags.namespace_.empty()) {
    c.namespace_ = flags.namespace_;
    c.namespace_explicit = true;
  }
  if (!flags.request_timeout.empty()) {
    auto t = parse_request_timeout(flags.request_timeout);
    if (!t) {
      diags.error(
          {},
          fmt::format("invalid --request-timeout \"{}\"", util::printable(flags.request_timeout)),
          "give a duration such as 30s, 1m or 500ms, or a number of seconds; 0 waits "
          "forever");
      return std::nullopt;
    }
    c.timeout = *t;
  }

  // 5. What client-go's validation refuses.
  const util::SourcePos at = cl ? cl->at.where() : util::SourcePos{};
  if (c.server.empty()) {
    diags.error(at,
                cl ? fmt::format("cluster \"{}\" has no server", c.cluster_name)
                   : std::string("no server: the context names no cluster"),
                "set clusters[].cluster.server in the kubeconfig, or give --server");
    return std::nullopt;
  }
  while (c.server.size() > 1 && c.server.back() == '/') c.server.pop_back();
  if (!util::starts_with(c.server, "https://") && !util::starts_with(c.server, "http://")) {
    if (c.server.find("://") != std::string::npos) {
      diags.error(
          at, fmt::format("server \"{}\" is not an http or https URL", util::printable(c.server)));
      return std::nullopt;
    }
    c.server = "https://" + c.server;  // client-go's default scheme for a bare host
  }
  if (c.insecure_skip_tls_verify && (!c.ca_file.empty() || !c.ca_data.empty())) {
    diags.error(at, "specifying a root certificates file with the insecure flag is not allowed",
                "drop --insecure-skip-tls-verify (or the certificate authority): verification "
                "with the CA is the safe choice");
    return std::nullopt;
  }
  if ((c.cert_file.empty() && c.cert_data.empty()) != (c.key_file.empty() && c.key_data.empty())) {
    diags.error(user ? user->at.where() : util::SourcePos{},
                "a client certificate needs its key, and a key its certificate",
                "set both client-certificate(-data) and client-key(-data)");
    return std::nullopt;
  }
  return c;
}

}  // namespace dra::k8s
