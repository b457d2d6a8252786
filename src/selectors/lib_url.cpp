// src/selectors/lib_url.cpp -- the Kubernetes URLs library (apiserver
// pkg/cel/library/urls.go, the kubernetes.URL type of pkg/cel/url.go), with the costs of
// library/cost.go.
#include <memory>

#include "selectors/library.hpp"
#include "selectors/netaddr.hpp"

namespace dra::selectors {
namespace {

using net::times_cost_factor;

// kubernetes.URL values: url.Parse of a string that url.ParseRequestURI accepts. Equal when
// they print the same.
class UrlValue final : public OpaqueValue {
 public:
  explicit UrlValue(net::Url u) : url(std::move(u)) {}
  std::string_view type_name() const override { return "kubernetes.URL"; }
  bool equal(const OpaqueValue& other) const override {
    return url.to_string() == static_cast<const UrlValue&>(other).url.to_string();
  }
  std::string debug_string() const override {
    return "url(" + to_debug_string(Value::string(url.to_string())) + ")";
  }
  std::string text() const override { return url.to_string(); }
  net::Url url;
};

const net::Url* as_url(const Value& v) {
  if (v.kind() != ValueKind::Opaque) return nullptr;
  const auto* u = dynamic_cast<const UrlValue*>(&v.opaque_value());
  return u ? &u->url : nullptr;
}

constexpr std::string_view kConversionError = "URL parse error during conversion from string: ";

Value string_to_url(std::span<const Value> a) {
  const std::string& s = a[0].string_value();
  std::string err;
  // ParseRequestURI decides what is a URL (absolute URI or absolute path); Parse builds the
  // value, because ParseRequestURI keeps a fragment in the path or query.
  if (!net::parse_request_uri(s, &err)) return Value::error(std::string(kConversionError) + err);
  std::optional<net::Url> u = net::parse_url(s, &err);
  if (!u) return Value::error(std::string(kConversionError) + err);
  return Value::opaque(std::make_shared<UrlValue>(*std::move(u)));
}

Value is_url(std::span<const Value> a) {
  return Value::boolean(net::parse_request_uri(a[0].string_value()).has_value());
}

template <std::string (*Get)(const net::Url&)>
Value getter(std::span<const Value> a) {
  const net::Url* u = as_url(a[0]);
  return u ? Value::string(Get(*u)) : Value::error("no such overload");
}

std::string scheme(const net::Url& u) { return u.scheme; }
std::string host(const net::Url& u) { return u.host; }
std::string hostname(const net::Url& u) { return u.hostname(); }
std::string port(const net::Url& u) { return u.port(); }
std::string escaped_path(const net::Url& u) { return u.escaped_path(); }

Value get_query(std::span<const Value> a) {
  const net::Url* u = as_url(a[0]);
  if (!u) return Value::error("no such overload");
  std::vector<std::pair<Value, Value>> entries;
  for (auto& [key, values] : u->query()) {
    ListPayload list;
    for (std::string& v : values) list.push_back(Value::string(std::move(v)));
    entries.emplace_back(Value::string(key), Value::list(std::move(list)));
  }
  return Value::map(std::move(entries));
}

uint64_t url_cost(std::span<const Value> a, const Value&) { return net::string_cost(a[0], 0.1); }

// url() is estimated as a traversal of its argument, and its result as of the same size.
CallEstimate estimate_url(std::span<const SizeEstimate> a) {
  return {{times_cost_factor(a[0].min, 0.1), times_cost_factor(a[0].max, 0.1)}, a[0]};
}

constexpr OverloadDecl kLibrary[] = {
    {"string_to_url", "url(string) -> kubernetes.URL", string_to_url, url_cost, estimate_url},
    {"url_get_scheme", "kubernetes.URL.getScheme() -> string", getter<scheme>},
    {"url_get_host", "kubernetes.URL.getHost() -> string", getter<host>},
    {"url_get_hostname", "kubernetes.URL.getHostname() -> string", getter<hostname>},
    {"url_get_port", "kubernetes.URL.getPort() -> string", getter<port>},
    {"url_get_escaped_path", "kubernetes.URL.getEscapedPath() -> string", getter<escaped_path>},
    {"url_get_query", "kubernetes.URL.getQuery() -> map(string, list(string))", get_query},
    // isURL is not in cost.go's list: cel-go charges its default of 1.
    {"is_url_string", "isURL(string) -> bool", is_url},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_url_library() { return kLibrary; }

}  // namespace dra::selectors
