// src/k8s/client.cpp -- the API client over libcurl (client.hpp).
#include "k8s/client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "k8s/parse.hpp"

namespace dra::k8s {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  out->append(data, size * n);
  return size * n;
}

struct Headers {
  std::string retry_after, content_type;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* h = static_cast<Headers*>(user);
  std::string_view line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    if (name == "retry-after") h->retry_after = value;
    if (name == "content-type") h->content_type = value;
  }
  return size * n;
}

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// "https://host:port/prefix" -> host and port (default 443/80), for --tls-server-name.
struct HostPort {
  std::string scheme, host, port, rest;
};
std::optional<HostPort> split_url(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  HostPort h;
  h.scheme = url.substr(0, scheme_end);
  const size_t start = scheme_end + 3;
  const size_t slash = url.find('/', start);
  const std::string authority =
      url.substr(start, slash == std::string::npos ? slash : slash - start);
  h.rest = slash == std::string::npos ? "" : url.substr(slash);
  size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [v6]:port
    const size_t close = authority.find(']');
    colon =
        close != std::string::npos && close + 1 < authority.size() ? close + 1 : std::string::npos;
  }
  if (colon == std::string::npos) {
    h.host = authority;
    h.port = h.scheme == "https" ? "443" : "80";
  } else {
    h.host = authority.substr(0, colon);
    h.port = authority.substr(colon + 1);
  }
  return h;
}

// The `message` of a metav1.Status body, if the body is one.
std::string status_message(const std::string& body) {
  std::string message;
  util::Diagnostics ignored;
  parse_json(
      body, "response", {},
      [&](const ParsedObject& o) {
        if (!o.node.is_mapping()) return;
        const Node* kind = o.node.find("kind");
        const Node* m = o.node.find("message");
        if (kind && kind->is_scalar() && kind->text == "Status" && m && m->is_scalar())
          message = std::string(m->text);
      },
      ignored);
  return message;
}

}  // namespace

struct ApiClient::Impl {
  CURL* curl = nullptr;
  curl_slist* connect_to = nullptr;  // --tls-server-name's mapping
  std::optional<ExecCredential> exec_cached;
};

ApiClient::ApiClient(RestConfig config, ClientOptions options)
    : config_(std::move(config)), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->curl = curl_easy_init();
}

ApiClient::~ApiClient() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
  if (impl_->connect_to) curl_slist_free_all(impl_->connect_to);
}

std::string url_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

util::Result<Response> ApiClient::get(std::string_view path) {
  CURL* curl = impl_->curl;
  if (!curl) return util::Error{"cannot start libcurl"};
  const RestConfig& c = config_;
  std::ostream* log = options_.verbosity >= 6 ? options_.log : nullptr;
  bool reran_plugin = false;
  std::chrono::milliseconds wait = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    // Credentials for this attempt.
    std::string bearer;
    std::string cert_pem, key_pem;
    if (c.exec) {
      const auto now = std::chrono::system_clock::now();
      if (!impl_->exec_cached ||
          (impl_->exec_cached->expires && *impl_->exec_cached->expires <= now)) {
        auto cred = run_exec_plugin(c, options_.terminal);
        if (!cred) return util::Error{cred.error()};
        impl_->exec_cached = std::move(*cred);
      }
      bearer = impl_->exec_cached->token;
      cert_pem = impl_->exec_cached->cert_pem;
      key_pem = impl_->exec_cached->key_pem;
    } else if (!c.token.empty()) {
      bearer = c.token;
    } else if (!c.token_file.empty()) {
      auto t = read_whole(c.token_file);
      if (!t) return util::Error{fmt::format("cannot read the token file {}", c.token_file)};
      bearer = *t;
      while (!bearer.empty() &&
             (bearer.back() == '\n' || bearer.back() == '\r' || bearer.back() == ' '))
        bearer.pop_back();
    }

    curl_easy_reset(curl);
    std::string url = c.server + std::string(path);
    curl_slist* headers = nullptr;
    const auto hp = split_url(c.server);
    if (!c.tls_server_name.empty() && hp && hp->scheme == "https") {
      // Verify (and send SNI) for tls-server-name while connecting to the server's address.
      url = fmt::format("https://{}:{}{}{}", c.tls_server_name, hp->port, hp->rest, path);
      const std::string connect_to =
          fmt::format("{}:{}:{}:{}", c.tls_server_name, hp->port, hp->host, hp->port);
      if (impl_->connect_to) curl_slist_free_all(impl_->connect_to);
      impl_->connect_to = curl_slist_append(nullptr, connect_to.c_str());
      curl_easy_setopt(curl, CURLOPT_CONNECT_TO, impl_->connect_to);
      headers = curl_slist_append(headers, fmt::format("Host: {}:{}", hp->host, hp->port).c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    headers = curl_slist_append(headers, "Accept: application/json");
    const std::string auth = "Authorization: Bearer " + bearer;
    if (!bearer.empty()) headers = curl_slist_append(headers, auth.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (bearer.empty() && !c.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl, CURLOPT_USERNAME, c.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, c.password.c_str());
    }
    if (!c.disable_compression) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    // TLS.
    if (c.insecure_skip_tls_verify) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    curl_blob ca_blob{const_cast<char*>(c.ca_data.data()), c.ca_data.size(), CURL_BLOB_COPY};
    if (!c.ca_data.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca_blob);
    else if (!c.ca_file.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO, c.ca_file.c_str());
    const std::string& cert = !cert_pem.empty() ? cert_pem : c.cert_data;
    const std::string& key = !key_pem.empty() ? key_pem : c.key_data;
    curl_blob cert_blob{const_cast<char*>(cert.data()), cert.size(), CURL_BLOB_COPY};
    curl_blob key_blob{const_cast<char*>(key.data()), key.size(), CURL_BLOB_COPY};
    if (!cert.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert_blob);
      curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    } else if (!c.cert_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, c.cert_file.c_str());
    }
    if (!key.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key_blob);
      curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
    } else if (!c.key_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLKEY, c.key_file.c_str());
    }
    if (!c.proxy_url.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, c.proxy_url.c_str());
    const long connect_ms =
        c.timeout.count() > 0 ? std::min<long>(c.timeout.count(), 30000) : 30000;
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    if (c.timeout.count() > 0)
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(c.timeout.count()));
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    Response r;
    Headers h;
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);

    const std::string shown_url = c.server + std::string(path);
    if (log && options_.verbosity >= 7) {
      *log << "GET " << shown_url << "\n";
      *log << "Request Headers:\n    Accept: application/json\n    User-Agent: "
           << options_.user_agent << "\n";
      if (!bearer.empty()) *log << "    Authorization: Bearer <masked>\n";
    }
    const auto t0 = std::chrono::steady_clock::now();
    const CURLcode rc = curl_easy_perform(curl);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
      if (log)
        *log << "GET " << shown_url << "  in " << ms << " milliseconds: " << curl_easy_strerror(rc)
             << "\n";
      const std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
          return util::Error{
              fmt::format("cannot reach the API server at {}: the host name does "
                          "not resolve ({})",
                          c.server, detail)};
        case CURLE_COULDNT_CONNECT:
          return util::Error{
              fmt::format("cannot reach the API server at {}: connection refused "
                          "or unreachable ({}); is the cluster up and is this the "
                          "right context?",
                          c.server, detail)};
        case CURLE_OPERATION_TIMEDOUT:
          return util::Error{
              fmt::format("the API server at {} did not answer in time ({}); "
                          "raise --request-timeout or check the network",
                          c.server, detail)};
        case CURLE_PEER_FAILED_VERIFICATION:
          return util::Error{fmt::format(
              "TLS: the API server's certificate at {} cannot be verified ({}); check the "
              "cluster's certificate-authority in the kubeconfig{}",
              c.server, detail,
              c.tls_server_name.empty() ? ", or set tls-server-name if the certificate names "
                                          "another host"
                                        : "")};
        case CURLE_SSL_CACERT_BADFILE:
          return util::Error{
              fmt::format("TLS: the certificate authority cannot be read ({})", detail)};
        case CURLE_SSL_CERTPROBLEM:
          return util::Error{
              fmt::format("TLS: the client certificate or key cannot be used ({})", detail)};
        case CURLE_SSL_CONNECT_ERROR:
          return util::Error{
              fmt::format("TLS handshake with {} failed ({}); the server may want a "
                          "client certificate, or not speak TLS",
                          c.server, detail)};
        default:
          return util::Error{fmt::format("request to {} failed: {}", c.server, detail)};
      }
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    r.content_type = h.content_type;
    if (log) {
      *log << "GET " << shown_url << " " << r.status << " in " << ms << " milliseconds\n";
      if (options_.verbosity >= 8) {
        constexpr size_t kShown = 10240;
        *log << "Response Body: " << r.body.substr(0, kShown)
             << (r.body.size() > kShown
                     ? " [truncated " + std::to_string(r.body.size() - kShown) + " chars]"
                     : "")
             << "\n";
      }
    }
    if (r.status == 401 && c.exec && !reran_plugin) {
      impl_->exec_cached.reset();  // the credential may have been revoked: ask again, once
      reran_plugin = true;
      continue;
    }
    const bool retry = r.status == 429 || (r.status >= 500 && r.status != 501);
    if (!retry || attempt >= options_.max_attempts) return r;
    std::chrono::milliseconds pause = wait;
    if (!h.retry_after.empty() &&
        h.retry_after.find_first_not_of("0123456789") == std::string::npos &&
        h.retry_after.size() < 6)
      pause = std::chrono::seconds(std::stoi(h.retry_after));
    pause = std::min(pause, options_.max_backoff);
    if (log)
      *log << "retrying in " << pause.count() << " ms (attempt " << attempt + 1 << " of "
           << options_.max_attempts << ")\n";
    std::this_thread::sleep_for(pause);
    wait = std::min(wait * 2, options_.max_backoff);
  }
}

std::string ApiClient::error_for(const Response& r, std::string_view verb,
                                 std::string_view resource) const {
  const std::string message = status_message(r.body);
  const std::string said = message.empty() ? "" : fmt::format(": the server says \"{}\"", message);
  if (r.status == 401)
    return fmt::format(
        "the API server at {} did not accept our credentials (401 Unauthorized; {}){}; "
        "log in again or refresh the kubeconfig's credentials",
        config_.server, config_.describe(), said);
  if (r.status == 403)
    return fmt::format(
        "forbidden (403): your RBAC lacks \"{}\" on {}{}; ask an admin for a Role "
        "or ClusterRole that allows it (kubectl-dra only reads)",
        verb, resource, said);
  if (r.status == 404)
    return fmt::format("the API server has no {} (404 Not Found){}", resource, said);
  return fmt::format("{} {} failed with HTTP {}{}", verb, resource, r.status, said);
}

}  // namespace dra::k8s
