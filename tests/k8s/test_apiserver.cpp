// tests/k8s/test_apiserver.cpp -- the API server stand-in (test_apiserver.hpp), on OpenSSL.
#include "k8s/test_apiserver.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <stdexcept>

extern char** environ;

namespace dra::testing {
namespace {

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

std::string bio_text(BIO* b) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(b);
  return s;
}

std::string pem_of(X509* c) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, c);
  return bio_text(b);
}

std::string pem_of(EVP_PKEY* k) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(b);
}

Cert cert_from(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* c = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return Cert(c);
}

Key key_from(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return Key(k);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw std::runtime_error("test CA: bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by issuer (self-signed when null).
KeyPair make_cert(const std::string& cn, const std::string& org, const KeyPair* issuer, bool ca,
                  const std::string& sans, const char* usage) {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  static std::atomic<long> serial{1};
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!org.empty())
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  Cert issuer_cert = issuer ? cert_from(issuer->cert_pem) : nullptr;
  Key issuer_key = issuer ? key_from(issuer->key_pem) : nullptr;
  X509* signer = issuer ? issuer_cert.get() : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  add_ext(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_ext(cert.get(), signer, NID_key_usage,
          ca ? "critical,keyCertSign,cRLSign,digitalSignature" : "critical,digitalSignature");
  add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (usage) add_ext(cert.get(), signer, NID_ext_key_usage, usage);
  if (!sans.empty()) add_ext(cert.get(), signer, NID_subject_alt_name, sans.c_str());
  X509_sign(cert.get(), issuer ? issuer_key.get() : key.get(), EVP_sha256());
  return {pem_of(cert.get()), pem_of(key.get())};
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string status_body(int code, const std::string& reason, const std::string& message) {
  return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
         "\"message\":" +
         json_string(message) + ",\"reason\":\"" + reason + "\",\"code\":" + std::to_string(code) +
         "}";
}

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct ResourceInfo {
  const char* name;
  const char* kind;
  bool namespaced;
  bool core;  // /api/v1
};
constexpr ResourceInfo kResources[] = {
    {"deviceclasses", "DeviceClass", false, false},
    {"resourceslices", "ResourceSlice", false, false},
    {"resourceclaims", "ResourceClaim", true, false},
    {"resourceclaimtemplates", "ResourceClaimTemplate", true, false},
    {"devicetaintrules", "DeviceTaintRule", false, false},
    {"pods", "Pod", true, true},
    {"nodes", "Node", false, true},
    {"namespaces", "Namespace", false, true},
};

const ResourceInfo* resource_info(const std::string& name) {
  for (const ResourceInfo& r : kResources)
    if (name == r.name) return &r;
  return nullptr;
}

// A TCP listener on 127.0.0.1 that hands each connection to `serve` on a thread of its own.
// The destructor stops accepting, shuts down every connection (and every socket given to
// track()) so that blocked reads return, and joins the threads.
class Listener {
 public:
  Listener(const char* what, std::function<void(int)> serve) : serve_(std::move(serve)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 64) != 0)
      throw std::runtime_error(std::string(what) + ": cannot listen on 127.0.0.1");
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (pipe2(wake_, O_CLOEXEC) != 0) throw std::runtime_error(std::string(what) + ": pipe");
    acceptor_ = std::thread([this] {
      for (;;) {
        pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents) return;
        const int fd = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        track(fd);
        std::lock_guard<std::mutex> lock(mu_);
        threads_.emplace_back([this, fd] { serve_(fd); });
      }
    });
  }
  ~Listener() {
    (void)!write(wake_[1], "x", 1);
    acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : tracked_) shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& t : threads_) t.join();
    close(fd_);
    close(wake_[0]);
    close(wake_[1]);
  }
  int port() const { return port_; }
  void track(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    tracked_.push_back(fd);
  }

 private:
  std::function<void(int)> serve_;
  int fd_ = -1, port_ = 0;
  int wake_[2] = {-1, -1};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::vector<int> tracked_;
};

}  // namespace

TestCa::TestCa() { ca_ = make_cert("kubectl-dra test CA", "", nullptr, true, "", nullptr); }

KeyPair TestCa::server(const std::string& dns_name) const {
  std::string sans = "IP:127.0.0.1,DNS:localhost";
  if (!dns_name.empty()) sans += ",DNS:" + dns_name;
  return make_cert("kube-apiserver", "", &ca_, false, sans, "serverAuth");
}

KeyPair TestCa::client(const std::string& user) const {
  return make_cert(user, "system:authenticated", &ca_, false, "", "clientAuth");
}

struct TestApiServer::Impl {
  Options options;
  SSL_CTX* ctx = nullptr;
  std::unique_ptr<Listener> listener;
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  std::map<std::string, std::string> tokens;  // token -> user
  struct Stored {
    std::string json, namespace_;
  };
  std::map<std::string, std::vector<Stored>> objects;                        // by resource
  std::vector<std::tuple<std::string, std::string, std::string>> forbidden;  // user, res, ns
  struct Failure {
    std::string prefix;
    int status, times, retry_after;
  };
  std::vector<Failure> failures;
  std::vector<std::pair<std::string, std::chrono::milliseconds>> slow;
  std::vector<std::function<std::optional<Answer>(const Request&)>> handlers;
  std::vector<Request> log;
  int port = 0;

  Answer route(const Request& rq);
  Answer list(const Request& rq, const ResourceInfo& r, const std::string& group_version,
              const std::string& ns);
  void serve(int fd);
};

namespace {

std::map<std::string, std::string> query_of(const std::string& path) {
  std::map<std::string, std::string> q;
  const size_t qm = path.find('?');
  if (qm == std::string::npos) return q;
  std::string rest = path.substr(qm + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t amp = rest.find('&', start);
    if (amp == std::string::npos) amp = rest.size();
    const std::string kv = rest.substr(start, amp - start);
    const size_t eq = kv.find('=');
    std::string v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    std::string decoded;
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == '%' && i + 2 < v.size()) {
        decoded += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        decoded += v[i];
      }
    }
    q[kv.substr(0, eq)] = decoded;
    start = amp + 1;
  }
  return q;
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  const std::string p = path.substr(0, path.find('?'));
  size_t start = 1;
  while (start < p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string::npos) slash = p.size();
    out.push_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string resource_list(const std::string& group_version, bool core) {
  std::string items;
  for (const ResourceInfo& r : kResources) {
    if (r.core != core) continue;
    if (!items.empty()) items += ",";
    items += std::string("{\"name\":\"") + r.name +
             "\",\"singularName\":\"\",\"namespaced\":" + (r.namespaced ? "true" : "false") +
             ",\"kind\":\"" + r.kind + "\",\"verbs\":[\"get\",\"list\",\"watch\"]}";
  }
  return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + group_version +
         "\",\"resources\":[" + items + "]}";
}

}  // namespace

Answer TestApiServer::Impl::list(const Request& rq, const ResourceInfo& r,
                                 const std::string& group_version, const std::string& ns) {
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [user, res, fns] : forbidden)
      if (user == rq.user && res == r.name && (fns == "*" || fns == ns)) {
        const std::string group = r.core ? "" : "resource.k8s.io";
        const std::string what = r.core ? r.name : std::string(r.name) + "." + group;
        const std::string scope =
            ns.empty() ? "at the cluster scope" : "in the namespace \"" + ns + "\"";
        return {403, status_body(403, "Forbidden",
                                 what + " is forbidden: User \"" + rq.user +
                                     "\" cannot list resource \"" + r.name + "\" in API group \"" +
                                     group + "\" " + scope)};
      }
  }
  const auto q = query_of(rq.path);
  size_t limit = 0, offset = 0;
  if (auto it = q.find("limit"); it != q.end()) limit = std::stoul(it->second);
  if (auto it = q.find("continue"); it != q.end() && !it->second.empty()) {
    if (it->second.rfind("page-", 0) != 0)
      return {410, status_body(410, "Expired", "The provided continue parameter is too old")};
    offset = std::stoul(it->second.substr(5));
  }
  std::vector<std::string> items;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const Stored& s : objects[r.name])
      if (ns.empty() || s.namespace_ == ns) items.push_back(s.json);
  }
  const size_t end = limit ? std::min(items.size(), offset + limit) : items.size();
  std::string cont = end < items.size() ? "page-" + std::to_string(end) : "";
  std::string body = "{\"kind\":\"" + std::string(r.kind) + "List\",\"apiVersion\":\"" +
                     group_version + "\",\"metadata\":{\"resourceVersion\":\"42\"" +
                     (cont.empty() ? "" : ",\"continue\":\"" + cont + "\"") + "},\"items\":[";
  for (size_t i = offset; i < end; ++i) body += (i > offset ? "," : "") + items[i];
  return {200, body + "]}"};
}

Answer TestApiServer::Impl::route(const Request& rq) {
  std::vector<std::function<std::optional<Answer>(const Request&)>> hs;
  {
    std::lock_guard<std::mutex> lock(mu);
    hs = handlers;
  }
  for (auto& h : hs)
    if (auto a = h(rq)) return *a;
  if (rq.user.empty()) return {401, status_body(401, "Unauthorized", "Unauthorized")};
  const std::vector<std::string> seg = segments(rq.path);
  const std::string v = seg.size() > 2 ? seg[2] : "";
  auto served = [&](const std::string& version) {
    return options.serve_dra && std::find(options.versions.begin(), options.versions.end(),
                                          version) != options.versions.end();
  };
  if (seg.size() == 1 && seg[0] == "api")
    return {200,
            "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
            "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:" +
                std::to_string(port) + "\"}]}"};
  std::string versions;
  for (const std::string& ver : options.versions)
    versions += (versions.empty() ? "" : ",") +
                std::string("{\"groupVersion\":\"resource.k8s.io/") + ver + "\",\"version\":\"" +
                ver + "\"}";
  const std::string group = "{\"name\":\"resource.k8s.io\",\"versions\":[" + versions +
                            "],\"preferredVersion\":{\"groupVersion\":\"resource.k8s.io/" +
                            options.versions.front() + "\",\"version\":\"" +
                            options.versions.front() + "\"}}";
  if (seg.size() == 1 && seg[0] == "apis")
    return {200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" +
                     (options.serve_dra ? group : "") + "]}"};
  if (seg.size() == 2 && seg[0] == "apis" && seg[1] == "resource.k8s.io" && options.serve_dra)
    return {200, "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"," + group.substr(1)};
  if (seg.size() == 2 && seg[0] == "api" && seg[1] == "v1") return {200, resource_list("v1", true)};
  if (seg.size() == 3 && seg[0] == "apis" && seg[1] == "resource.k8s.io" && served(v))
    return {200, resource_list("resource.k8s.io/" + v, false)};
  // Lists: /api/v1/R, /api/v1/namespaces/NS/R, /apis/resource.k8s.io/V/R, .../namespaces/NS/R
  const bool core = seg.size() >= 3 && seg[0] == "api" && seg[1] == "v1";
  const bool dra = seg.size() >= 4 && seg[0] == "apis" && seg[1] == "resource.k8s.io" && served(v);
  if (core || dra) {
    const size_t base = core ? 2 : 3;
    std::string ns, res;
    if (seg.size() == base + 1) {
      res = seg[base];
    } else if (seg.size() == base + 3 && seg[base] == "namespaces") {
      ns = seg[base + 1];
      res = seg[base + 2];
    }
    const ResourceInfo* r = resource_info(res);
    if (r && r->core == core && (ns.empty() || r->namespaced))
      return list(rq, *r, core ? "v1" : "resource.k8s.io/" + v, ns);
  }
  return {404, status_body(404, "NotFound", "the server could not find the requested resource")};
}

void TestApiServer::Impl::serve(int fd) {
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) <= 0) {
    SSL_free(ssl);
    close(fd);
    return;
  }
  std::string user_from_cert;
  if (X509* peer = SSL_get1_peer_certificate(ssl)) {
    char cn[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
    user_from_cert = cn;
    X509_free(peer);
  }
  std::string buffer;
  char chunk[8192];
  while (!stopping) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) goto done;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    {
      const std::string head = buffer.substr(0, head_end);
      buffer.erase(0, head_end + 4);
      Request rq;
      const size_t line_end = head.find("\r\n");
      const std::string first = head.substr(0, line_end);
      const size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
      rq.method = first.substr(0, sp1);
      rq.path = first.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        size_t e = head.find("\r\n", pos);
        if (e == std::string::npos) e = head.size();
        const std::string line = head.substr(pos, e - pos);
        const size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          rq.headers[lower(line.substr(0, colon))] = value;
        }
        pos = e + 2;
      }
      // Who is this? A bearer token first, as the API server's authenticators do; then the
      // client certificate.
      if (auto it = rq.headers.find("authorization"); it != rq.headers.end()) {
        const std::string& a = it->second;
        if (a.rfind("Bearer ", 0) == 0) {
          std::lock_guard<std::mutex> lock(mu);
          auto t = tokens.find(a.substr(7));
          if (t != tokens.end()) {
            rq.user = t->second;
            rq.auth = "token";
          } else {
            rq.auth = "bad-token";
          }
        }
      }
      if (rq.user.empty() && rq.auth.empty() && !user_from_cert.empty()) {
        rq.user = user_from_cert;
        rq.auth = "cert";
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        log.push_back(rq);
      }
      Answer a;
      bool failed = false;
      std::chrono::milliseconds delay{0};
      {
        std::lock_guard<std::mutex> lock(mu);
        for (Failure& f : failures)
          if (f.times > 0 && rq.path.rfind(f.prefix, 0) == 0) {
            --f.times;
            a = {f.status,
                 status_body(f.status, f.status == 429 ? "TooManyRequests" : "InternalError",
                             "injected failure")};
            if (f.retry_after >= 0)
              a.headers.emplace_back("Retry-After", std::to_string(f.retry_after));
            failed = true;
            break;
          }
        for (const auto& [prefix, d] : slow)
          if (rq.path.rfind(prefix, 0) == 0) delay = d;
      }
      if (!failed)
        a = rq.auth == "bad-token" ? Answer{401, status_body(401, "Unauthorized", "Unauthorized")}
                                   : route(rq);
      for (auto waited = std::chrono::milliseconds(0); waited < delay && !stopping;
           waited += std::chrono::milliseconds(10))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::string body = a.body;
      std::string extra;
      auto ae = rq.headers.find("accept-encoding");
      if (options.gzip && ae != rq.headers.end() && ae->second.find("gzip") != std::string::npos &&
          body.size() > 64) {
        body = gzip(body);
        extra += "Content-Encoding: gzip\r\n";
      }
      for (const auto& [n, v] : a.headers) extra += n + ": " + v + "\r\n";
      const std::string response =
          "HTTP/1.1 " + std::to_string(a.status) + " X\r\nContent-Type: " + a.content_type +
          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
      if (SSL_write(ssl, response.data(), static_cast<int>(response.size())) <= 0) break;
    }
  }
done:
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
}

TestApiServer::TestApiServer(const TestCa& ca) : TestApiServer(ca, Options()) {}

TestApiServer::TestApiServer(const TestCa& ca, Options options) : impl_(std::make_unique<Impl>()) {
  signal(SIGPIPE, SIG_IGN);  // a client that went away must not kill the test
  Impl& m = *impl_;
  m.options = std::move(options);
  const KeyPair server = ca.server(m.options.server_dns_name);
  m.ctx = SSL_CTX_new(TLS_server_method());
  Cert cert = cert_from(server.cert_pem);
  Key key = key_from(server.key_pem);
  SSL_CTX_use_certificate(m.ctx, cert.get());
  SSL_CTX_use_PrivateKey(m.ctx, key.get());
  Cert ca_cert = cert_from(ca.cert_pem());
  X509_STORE_add_cert(SSL_CTX_get_cert_store(m.ctx), ca_cert.get());
  SSL_CTX_set_verify(m.ctx, SSL_VERIFY_PEER, nullptr);  // a client certificate is optional
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca_cert.get())));
  SSL_CTX_set_client_CA_list(m.ctx, names);

  m.listener = std::make_unique<Listener>("test API server", [&m](int fd) { m.serve(fd); });
  port_ = m.port = m.listener->port();
}

TestApiServer::~TestApiServer() {
  Impl& m = *impl_;
  m.stopping = true;
  m.listener.reset();
  SSL_CTX_free(m.ctx);
}

std::string TestApiServer::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

void TestApiServer::add_token(const std::string& token, const std::string& user) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->tokens[token] = user;
}

void TestApiServer::add_object(const std::string& resource, const std::string& json,
                               const std::string& namespace_) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->objects[resource].push_back({json, namespace_});
}

void TestApiServer::forbid(const std::string& user, const std::string& resource,
                           const std::string& ns) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->forbidden.emplace_back(user, resource, ns);
}

void TestApiServer::fail(const std::string& prefix, int status, int times, int retry_after_s) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->failures.push_back({prefix, status, times, retry_after_s});
}

void TestApiServer::slow(const std::string& prefix, std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->slow.emplace_back(prefix, delay);
}

void TestApiServer::handle(std::function<std::optional<Answer>(const Request&)> fn) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->handlers.push_back(std::move(fn));
}

std::vector<Request> TestApiServer::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}

void TestApiServer::clear_requests() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->log.clear();
}

struct TestProxy::Impl {
  std::unique_ptr<Listener> listener;
  mutable std::mutex mu;
  std::vector<std::string> targets;

  void tunnel(int client) {
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && read(client, &c, 1) == 1) head += c;
    const size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
    if (head.rfind("CONNECT ", 0) != 0 || sp2 == std::string::npos) {
      close(client);
      return;
    }
    const std::string target = head.substr(sp1 + 1, sp2 - sp1 - 1);
    {
      std::lock_guard<std::mutex> lock(mu);
      targets.push_back(target);
    }
    const size_t colon = target.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(target.substr(colon + 1))));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const char* no = "HTTP/1.1 502 Bad Gateway\r\n\r\n";
      (void)!write(client, no, std::strlen(no));
      close(server);
      close(client);
      return;
    }
    listener->track(server);
    const char* ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    (void)!write(client, ok, std::strlen(ok));
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    char buf[16384];
    for (bool open = true; open;) {
      if (poll(p, 2, -1) < 0) break;
      for (int i = 0; i < 2 && open; ++i) {
        if (!p[i].revents) continue;
        const ssize_t n = read(p[i].fd, buf, sizeof buf);
        if (n <= 0 || write(p[1 - i].fd, buf, static_cast<size_t>(n)) != n) open = false;
      }
    }
    close(server);
    close(client);
  }
};

TestProxy::TestProxy() : impl_(std::make_unique<Impl>()) {
  signal(SIGPIPE, SIG_IGN);
  Impl& m = *impl_;
  m.listener = std::make_unique<Listener>("test proxy", [&m](int fd) { m.tunnel(fd); });
}

TestProxy::~TestProxy() { impl_->listener.reset(); }

std::string TestProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->listener->port());
}

std::vector<std::string> TestProxy::targets() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->targets;
}

RunResult run_program(const std::vector<std::string>& argv,
                      const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> env_s;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv(*e);
    bool replaced = false;
    for (const auto& [n, _] : env) replaced = replaced || kv.rfind(n + "=", 0) == 0;
    if (!replaced) env_s.push_back(kv);
  }
  for (const auto& [n, v] : env) env_s.push_back(n + "=" + v);
  std::vector<char*> envp, args;
  for (std::string& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (std::string& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  RunResult r;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    r.err = std::strerror(rc);
    return r;
  }
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open = 2;
  char buf[8192];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string kubeconfig_for(const std::string& server, const std::string& ca_pem,
                           const std::string& user_yaml, const std::string& ns) {
  std::string ca_b64;
  {
    BIO* b64 = BIO_new(BIO_f_base64());
    BIO_set_flags(b64, BIO_FLAGS_BASE64_NO_NL);
    BIO* mem = BIO_new(BIO_s_mem());
    BIO_push(b64, mem);
    BIO_write(b64, ca_pem.data(), static_cast<int>(ca_pem.size()));
    (void)BIO_flush(b64);
    char* data = nullptr;
    const long n = BIO_get_mem_data(mem, &data);
    ca_b64.assign(data, static_cast<size_t>(n));
    BIO_free_all(b64);
  }
  return "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n"
         "  cluster:\n    server: " +
         server + "\n    certificate-authority-data: " + ca_b64 +
         "\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n" +
         (ns.empty() ? "" : "    namespace: " + ns + "\n") + "users:\n- name: test\n  user:\n" +
         user_yaml;
}

}  // namespace dra::testing
