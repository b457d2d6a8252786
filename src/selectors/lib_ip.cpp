// src/selectors/lib_ip.cpp -- the Kubernetes IP library (apiserver pkg/cel/library/ip.go, the
// net.IP type of pkg/cel/ip.go), with the costs of library/cost.go.
#include <cmath>

#include "selectors/library.hpp"
#include "selectors/netaddr.hpp"

namespace dra::selectors {
namespace {

Value no_overload() { return Value::error("no such overload"); }

Value string_to_ip(std::span<const Value> a) {
  std::string err;
  std::optional<net::Addr> ip = parse_library_ip(a[0].string_value(), &err);
  return ip ? ip_value(*std::move(ip)) : Value::error(err);
}

Value is_ip(std::span<const Value> a) {
  std::string err;
  return Value::boolean(parse_library_ip(a[0].string_value(), &err).has_value());
}

Value ip_is_canonical(std::span<const Value> a) {
  std::string err;
  const std::string& s = a[0].string_value();
  std::optional<net::Addr> ip = parse_library_ip(s, &err);
  if (!ip) return Value::error(err);
  return Value::boolean(ip->to_string() == s);
}

template <bool (net::Addr::*Pred)() const>
Value predicate(std::span<const Value> a) {
  const net::Addr* ip = as_ip(a[0]);
  return ip ? Value::boolean((ip->*Pred)()) : no_overload();
}

Value family(std::span<const Value> a) {
  const net::Addr* ip = as_ip(a[0]);
  if (!ip) return no_overload();
  return Value::integer(ip->v4 ? 4 : 6);
}

Value ip_to_string(std::span<const Value> a) {
  const net::Addr* ip = as_ip(a[0]);
  return ip ? Value::string(ip->to_string()) : no_overload();
}

uint64_t parse_cost(std::span<const Value> a, const Value&) { return net::string_cost(a[0], 0.1); }
// ip.isCanonical parses and then compares: twice the traversal ((size * 2) * 0.1 upstream).
uint64_t canonical_cost(std::span<const Value> a, const Value&) {
  return static_cast<uint64_t>(
      std::ceil(static_cast<double>(net::code_points(a[0].string_value())) * 2 * 0.1));
}

using net::times_cost_factor;

CallEstimate estimate_parse(std::span<const SizeEstimate> a) {
  return {{times_cost_factor(a[0].min, 0.1), times_cost_factor(a[0].max, 0.1)}, std::nullopt};
}
CallEstimate estimate_canonical(std::span<const SizeEstimate> a) {
  return {{times_cost_factor(a[0].min, 2 * 0.1), times_cost_factor(a[0].max, 2 * 0.1)},
          std::nullopt};
}

constexpr OverloadDecl kLibrary[] = {
    {"string_to_ip", "ip(string) -> net.IP", string_to_ip, parse_cost, estimate_parse},
    {"ip_family", "net.IP.family() -> int", family},
    {"ip_is_canonical", "ip.isCanonical(string) -> bool", ip_is_canonical, canonical_cost,
     estimate_canonical},
    {"ip_is_unspecified", "net.IP.isUnspecified() -> bool", predicate<&net::Addr::is_unspecified>},
    {"ip_is_loopback", "net.IP.isLoopback() -> bool", predicate<&net::Addr::is_loopback>},
    {"ip_is_link_local_multicast", "net.IP.isLinkLocalMulticast() -> bool",
     predicate<&net::Addr::is_link_local_multicast>},
    {"ip_is_link_local_unicast", "net.IP.isLinkLocalUnicast() -> bool",
     predicate<&net::Addr::is_link_local_unicast>},
    {"ip_is_global_unicast", "net.IP.isGlobalUnicast() -> bool",
     predicate<&net::Addr::is_global_unicast>},
    {"is_ip", "isIP(string) -> bool", is_ip, parse_cost, estimate_parse},
    {"ip_to_string", "string(net.IP) -> string", ip_to_string},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_ip_library() { return kLibrary; }

}  // namespace dra::selectors
