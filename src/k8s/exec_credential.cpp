// src/k8s/exec_credential.cpp -- exec credential plugins (exec_credential.hpp), after
// client-go's plugin/pkg/client/auth/exec.
#include "k8s/exec_credential.hpp"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "k8s/parse.hpp"
#include "util/base64.hpp"

extern char** environ;

namespace dra::k8s {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// KUBERNETES_EXEC_INFO: the ExecCredential handed to the plugin.
std::string exec_info(const RestConfig& c, bool interactive) {
  std::string spec = fmt::format("\"interactive\":{}", interactive ? "true" : "false");
  if (c.exec->provide_cluster_info) {
    std::string cluster = "\"server\":" + json_string(c.server);
    if (!c.tls_server_name.empty())
      cluster += ",\"tls-server-name\":" + json_string(c.tls_server_name);
    if (c.insecure_skip_tls_verify) cluster += ",\"insecure-skip-tls-verify\":true";
    if (!c.ca_data.empty())
      cluster += ",\"certificate-authority-data\":" + json_string(util::base64_encode(c.ca_data));
    if (!c.proxy_url.empty()) cluster += ",\"proxy-url\":" + json_string(c.proxy_url);
    if (c.disable_compression) cluster += ",\"disable-compression\":true";
    spec += ",\"cluster\":{" + cluster + "}";
  }
  return fmt::format(R"({{"kind":"ExecCredential","apiVersion":{},"spec":{{{}}}}})",
                     json_string(c.exec->api_version), spec);
}

std::string scalar(const Node* n) { return n && n->is_scalar() ? std::string(n->text) : ""; }

}  // namespace

ExecTerminal ExecTerminal::system() { return {isatty(STDIN_FILENO) == 1}; }

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)
  auto digits = [&](size_t at, size_t n) -> std::optional<int> {
    if (at + n > t.size()) return std::nullopt;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') ||
      t[13] != ':' || t[16] != ':')
    return std::nullopt;
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2),
       s = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
      *mi > 59 || *s > 60)
    return std::nullopt;
  size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  int offset = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    auto oh = digits(i + 1, 2), om = digits(i + 4, 2);
    if (!oh || !om || i + 3 >= t.size() || t[i + 3] != ':') return std::nullopt;
    offset = (*oh * 60 + *om) * 60 * (t[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != t.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *s;
  const time_t utc = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(utc);
}

util::Result<ExecCredential> parse_exec_credential(std::string_view json,
                                                   std::string_view api_version) {
  util::Diagnostics diags;
  std::optional<util::Result<ExecCredential>> out;
  auto on_object = [&](const ParsedObject& o) {
    if (out) return;
    const Node& root = o.node;
    if (!root.is_mapping()) {
      out = util::Error{"its output is not a JSON object"};
      return;
    }
    if (scalar(root.find("kind")) != "ExecCredential") {
      out = util::Error{"its output is not an ExecCredential (kind)"};
      return;
    }
    const std::string av = scalar(root.find("apiVersion"));
    if (av != api_version) {
      out =
          util::Error{fmt::format("it returned apiVersion \"{}\", but the kubeconfig asks for "
                                  "\"{}\"",
                                  av, api_version)};
      return;
    }
    const Node* status = root.find("status");
    if (!status || !status->is_mapping()) {
      out = util::Error{"its ExecCredential has no status"};
      return;
    }
    ExecCredential c;
    c.token = scalar(status->find("token"));
    c.cert_pem = scalar(status->find("clientCertificateData"));
    c.key_pem = scalar(status->find("clientKeyData"));
    if (c.cert_pem.empty() != c.key_pem.empty()) {
      out = util::Error{
          "its ExecCredential has a client certificate without a key, or a key "
          "without a certificate"};
      return;
    }
    if (c.token.empty() && c.cert_pem.empty()) {
      out = util::Error{
          "its ExecCredential has neither status.token nor "
          "status.clientCertificateData"};
      return;
    }
    if (const Node* exp = status->find("expirationTimestamp"); exp && !exp->is_null()) {
      c.expires = parse_rfc3339(scalar(exp));
      if (!c.expires) {
        out = util::Error{"its ExecCredential's status.expirationTimestamp is not RFC 3339"};
        return;
      }
    }
    out = std::move(c);
  };
  if (!parse_json(json, "exec plugin output", {}, on_object, diags) || !out)
    return util::Error{"its output is not valid JSON"};
  return std::move(*out);
}

util::Result<ExecCredential> run_exec_plugin(const RestConfig& config, const ExecTerminal& term) {
  const ExecConfig& x = *config.exec;
  const std::string what = fmt::format("exec plugin \"{}\"", x.command);
  if (x.api_version != "client.authentication.k8s.io/v1" &&
      x.api_version != "client.authentication.k8s.io/v1beta1")
    return util::Error{fmt::format(
        "{}: exec.apiVersion \"{}\" is not supported; use client.authentication.k8s.io/v1 "
        "(or v1beta1)",
        what, x.api_version)};
  std::string mode = x.interactive_mode;
  if (mode.empty()) {
    if (x.api_version == "client.authentication.k8s.io/v1")
      return util::Error{what +
                         ": exec.interactiveMode must be set for "
                         "client.authentication.k8s.io/v1 (Never, IfAvailable or Always)"};
    mode = "IfAvailable";
  }
  if (mode != "Never" && mode != "IfAvailable" && mode != "Always")
    return util::Error{
        fmt::format("{}: exec.interactiveMode \"{}\" must be Never, IfAvailable "
                    "or Always",
                    what, mode)};
  if (mode == "Always" && !term.stdin_is_terminal)
    return util::Error{what +
                       " needs an interactive terminal (interactiveMode Always), but "
                       "standard input is not one"};
  const bool interactive = mode != "Never" && term.stdin_is_terminal;

  // Environment: ours, then the plugin's entries, then KUBERNETES_EXEC_INFO.
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view kv(*e);
    const std::string_view name = kv.substr(0, kv.find('='));
    bool replaced = name == "KUBERNETES_EXEC_INFO";
    for (const auto& [n, _] : x.env) replaced = replaced || name == n;
    if (!replaced) env.emplace_back(kv);
  }
  for (const auto& [n, v] : x.env) env.push_back(n + "=" + v);
  env.push_back("KUBERNETES_EXEC_INFO=" + exec_info(config, interactive));
  std::vector<char*> envp;
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_s{x.command};
  for (const std::string& a : x.args) args_s.push_back(a);
  std::vector<char*> argv;
  for (std::string& s : args_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return util::Error{what + ": cannot create a pipe"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  if (!interactive) posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, x.command.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    std::string msg = rc == ENOENT ? fmt::format("{}: executable not found", what)
                                   : fmt::format("{}: cannot run it: {}", what, std::strerror(rc));
    if (!x.install_hint.empty()) msg += "\n\n" + x.install_hint;
    return util::Error{msg};
  }
  std::string stdout_text;
  char buf[16384];
  for (;;) {
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) {
      stdout_text.append(buf, static_cast<size_t>(n));
      if (stdout_text.size() > (size_t{16} << 20)) {  // no credential is this large
        kill(pid, SIGKILL);
        break;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status)
                                ? fmt::format("exited with status {}", WEXITSTATUS(status))
                                : fmt::format("was killed by signal {}", WTERMSIG(status));
    std::string msg = fmt::format("{} {} (its messages, if any, are above)", what, how);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !x.install_hint.empty())
      msg += "\n\n" + x.install_hint;
    return util::Error{msg};
  }
  auto cred = parse_exec_credential(stdout_text, x.api_version);
  if (!cred) return util::Error{what + ": " + cred.error()};
  return cred;
}

}  // namespace dra::k8s
