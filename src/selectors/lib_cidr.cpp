// src/selectors/lib_cidr.cpp -- the Kubernetes CIDR library (apiserver
// pkg/cel/library/cidr.go, the net.CIDR type of pkg/cel/cidr.go), with the costs of
// library/cost.go.
#include <cmath>

#include "selectors/library.hpp"
#include "selectors/netaddr.hpp"

namespace dra::selectors {
namespace {

using net::times_cost_factor;

Value no_overload() { return Value::error("no such overload"); }

Value string_to_cidr(std::span<const Value> a) {
  std::string err;
  std::optional<net::Prefix> p = parse_library_cidr(a[0].string_value(), &err);
  return p ? cidr_value(*std::move(p)) : Value::error(err);
}

Value is_cidr(std::span<const Value> a) {
  std::string err;
  return Value::boolean(parse_library_cidr(a[0].string_value(), &err).has_value());
}

Value contains_ip(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  const net::Addr* ip = as_ip(a[1]);
  if (!c || !ip) return no_overload();
  return Value::boolean(c->contains(*ip));
}

// Upstream converts the string with ip() and hands the result to the IP overload, which
// answers a failed conversion with "no such overload", not with the parse error.
Value contains_ip_string(std::span<const Value> a) {
  std::string err;
  std::optional<net::Addr> ip = parse_library_ip(a[1].string_value(), &err);
  if (!ip) return no_overload();
  const Value args[] = {a[0], ip_value(*std::move(ip))};
  return contains_ip(args);
}

Value contains_cidr(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  const net::Prefix* o = as_cidr(a[1]);
  if (!c || !o) return no_overload();
  return Value::boolean(c->overlaps(*o) && c->bits <= o->bits);
}

// Here a failed conversion's error does come through.
Value contains_cidr_string(std::span<const Value> a) {
  const Value other = string_to_cidr(a.subspan(1));
  if (other.is_error()) return other;
  const Value args[] = {a[0], other};
  return contains_cidr(args);
}

Value cidr_ip(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  return c ? ip_value(c->addr) : no_overload();
}

Value prefix_length(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  return c ? Value::integer(c->bits) : no_overload();
}

Value masked(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  return c ? cidr_value(c->masked()) : no_overload();
}

Value cidr_to_string(std::span<const Value> a) {
  const net::Prefix* c = as_cidr(a[0]);
  return c ? Value::string(c->to_string()) : no_overload();
}

// ---- costs (library/cost.go)

// The size of a net.CIDR value: its prefix length in whole bytes.
uint64_t cidr_size(const Value& v) {
  const net::Prefix* c = as_cidr(v);
  return c ? static_cast<uint64_t>((c->bits + 7) / 8) : 1;
}

uint64_t parse_cost(std::span<const Value> a, const Value&) { return net::string_cost(a[0], 0.1); }

// Comparing the prefix bytes of the CIDR with those of the IP.
uint64_t contains_ip_cost(std::span<const Value> a, const Value&) {
  const uint64_t c = cidr_size(a[0]);
  return times_cost_factor(c + c, 0.1);
}
uint64_t contains_ip_string_cost(std::span<const Value> a, const Value& r) {
  return contains_ip_cost(a, r) + net::string_cost(a[1], 0.1);
}
// Also masking the receiver and comparing the lengths.
uint64_t contains_cidr_cost(std::span<const Value> a, const Value&) {
  const uint64_t c = cidr_size(a[0]);
  return times_cost_factor(c + c, 0.1) + times_cost_factor(c, 0.1) + 1;
}
uint64_t contains_cidr_string_cost(std::span<const Value> a, const Value& r) {
  return contains_cidr_cost(a, r) + net::string_cost(a[1], 0.1);
}

CallEstimate estimate_parse(std::span<const SizeEstimate> a) {
  return {{times_cost_factor(a[0].min, 0.1), times_cost_factor(a[0].max, 0.1)}, std::nullopt};
}

// An IP is 4 or 16 bytes long.
constexpr SizeEstimate kIpBytes{4, 16};

CostEstimate compare_estimate() {
  return {times_cost_factor(kIpBytes.min * 2, 0.1), times_cost_factor(kIpBytes.max * 2, 0.1)};
}
CostEstimate plus(CostEstimate x, CostEstimate y) {
  const auto add = [](uint64_t p, uint64_t q) {
    return p > std::numeric_limits<uint64_t>::max() - q ? std::numeric_limits<uint64_t>::max()
                                                        : p + q;
  };
  return {add(x.min, y.min), add(x.max, y.max)};
}
CostEstimate string_estimate(const SizeEstimate& s) {
  return {times_cost_factor(s.min, 0.1), times_cost_factor(s.max, 0.1)};
}

// Estimate arguments: the receiver (the CIDR) first, then the argument.
CallEstimate estimate_contains_ip(std::span<const SizeEstimate>) {
  return {compare_estimate(), std::nullopt};
}
CallEstimate estimate_contains_ip_string(std::span<const SizeEstimate> a) {
  return {plus(compare_estimate(), string_estimate(a[1])), std::nullopt};
}
CostEstimate contains_cidr_estimate() {
  const CostEstimate mask{times_cost_factor(kIpBytes.min, 0.1),
                          times_cost_factor(kIpBytes.max, 0.1)};
  return plus(plus(compare_estimate(), mask), CostEstimate{1, 1});
}
CallEstimate estimate_contains_cidr(std::span<const SizeEstimate>) {
  return {contains_cidr_estimate(), std::nullopt};
}
CallEstimate estimate_contains_cidr_string(std::span<const SizeEstimate> a) {
  return {plus(contains_cidr_estimate(), string_estimate(a[1])), std::nullopt};
}

constexpr OverloadDecl kLibrary[] = {
    {"string_to_cidr", "cidr(string) -> net.CIDR", string_to_cidr, parse_cost, estimate_parse},
    {"cidr_contains_ip_string", "net.CIDR.containsIP(string) -> bool", contains_ip_string,
     contains_ip_string_cost, estimate_contains_ip_string},
    {"cidr_contains_ip_ip", "net.CIDR.containsIP(net.IP) -> bool", contains_ip, contains_ip_cost,
     estimate_contains_ip},
    {"cidr_contains_cidr_string", "net.CIDR.containsCIDR(string) -> bool", contains_cidr_string,
     contains_cidr_string_cost, estimate_contains_cidr_string},
    {"cidr_contains_cidr", "net.CIDR.containsCIDR(net.CIDR) -> bool", contains_cidr,
     contains_cidr_cost, estimate_contains_cidr},
    {"cidr_ip", "net.CIDR.ip() -> net.IP", cidr_ip},
    {"cidr_prefix_length", "net.CIDR.prefixLength() -> int", prefix_length},
    {"cidr_masked", "net.CIDR.masked() -> net.CIDR", masked},
    {"is_cidr", "isCIDR(string) -> bool", is_cidr, parse_cost, estimate_parse},
    {"cidr_to_string", "string(net.CIDR) -> string", cidr_to_string},
};

}  // namespace

std::span<const OverloadDecl> kubernetes_cidr_library() { return kLibrary; }

}  // namespace dra::selectors
