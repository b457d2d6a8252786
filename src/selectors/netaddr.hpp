// src/selectors/netaddr.hpp -- IP addresses, prefixes and URLs as Go parses and prints them
// (net/netip ParseAddr and ParsePrefix, net/url Parse and ParseRequestURI of Go 1.26), for
// the Kubernetes ip, cidr, url and format CEL libraries; and the library values that carry
// them (net.IP, net.CIDR).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selectors/value.hpp"

namespace dra::selectors {
namespace net {

// Go's strconv.Quote (what %q prints): escapes as Go writes them, printable UTF-8 kept.
std::string go_quote(std::string_view s);

// The size CEL gives a string: its number of code points.
uint64_t code_points(std::string_view s);

// cel-go's multiplyByCostFactor: ceil(x * f), saturating at the uint64 maximum.
uint64_t times_cost_factor(uint64_t x, double f);
// Kubernetes' runtime cost of traversing a string value: ceil(size * f).
inline uint64_t string_cost(const Value& s, double f) {
  return times_cost_factor(code_points(s.string_value()), f);
}

// A netip.Addr that parsed: an IPv4 address, or an IPv6 address with an optional zone.
struct Addr {
  // The 16-byte form; an IPv4 address is held as ::ffff:a.b.c.d.
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;
  std::string zone;  // IPv6 only

  int bit_len() const { return v4 ? 32 : 128; }
  bool is4in6() const;  // an IPv6 address in ::ffff:0:0/96
  Addr unmapped() const;
  uint16_t word(int i) const { return static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]); }
  bool is_unspecified() const;
  bool is_loopback() const;
  bool is_multicast() const;
  bool is_link_local_multicast() const;
  bool is_link_local_unicast() const;
  bool is_global_unicast() const;
  // Addr.String(): "192.0.2.1", "2001:db8::1", "::ffff:1.2.3.4", "fe80::1%eth0".
  std::string to_string() const;

  bool operator==(const Addr&) const = default;
};

// netip.ParseAddr; on failure nullopt and, when `error` is set, Go's message
// ("ParseAddr(\"1.2.3\"): IPv4 address too short").
std::optional<Addr> parse_addr(std::string_view s, std::string* error = nullptr);

// A netip.Prefix that parsed: the address as written (not masked) and the prefix length.
struct Prefix {
  Addr addr;
  int bits = 0;

  Prefix masked() const;
  bool contains(const Addr& ip) const;
  bool overlaps(const Prefix& o) const;
  std::string to_string() const;  // "10.0.0.0/8"

  bool operator==(const Prefix&) const = default;
};

// netip.ParsePrefix; Go's message on failure ("netip.ParsePrefix(\"1.2.3.4/\"): bad bits
// after slash: \"\"").
std::optional<Prefix> parse_prefix(std::string_view s, std::string* error = nullptr);

// A url.URL that parsed.
struct Url {
  struct User {
    std::string username;
    std::string password;
    bool password_set = false;
  };
  std::string scheme;
  std::string opaque;
  std::optional<User> user;
  std::string host;
  std::string path;
  std::string raw_path;
  bool omit_host = false;
  bool force_query = false;
  std::string raw_query;
  std::string fragment;
  std::string raw_fragment;

  std::string escaped_path() const;      // URL.EscapedPath
  std::string escaped_fragment() const;  // URL.EscapedFragment
  std::string hostname() const;          // URL.Hostname: no port, no brackets
  std::string port() const;              // URL.Port
  std::string to_string() const;         // URL.String
  // URL.Query: each key's values in the order given; keys sorted.
  std::vector<std::pair<std::string, std::vector<std::string>>> query() const;
};

// url.ParseRequestURI and url.Parse; on failure the *url.Error text
// ("parse \"x\": invalid URI for request").
std::optional<Url> parse_request_uri(std::string_view s, std::string* error = nullptr);
std::optional<Url> parse_url(std::string_view s, std::string* error = nullptr);

}  // namespace net

// net.IP values (apiserver pkg/cel/ip.go).
class IpValue final : public OpaqueValue {
 public:
  explicit IpValue(net::Addr a) : addr(std::move(a)) {}
  std::string_view type_name() const override { return "net.IP"; }
  bool equal(const OpaqueValue& other) const override {
    return addr == static_cast<const IpValue&>(other).addr;
  }
  std::string debug_string() const override { return "ip(\"" + addr.to_string() + "\")"; }
  std::string text() const override { return addr.to_string(); }
  net::Addr addr;
};

// net.CIDR values (apiserver pkg/cel/cidr.go). Equality compares the address as written
// and the length: cidr("10.0.0.1/8") != cidr("10.0.0.0/8").
class CidrValue final : public OpaqueValue {
 public:
  explicit CidrValue(net::Prefix p) : prefix(std::move(p)) {}
  std::string_view type_name() const override { return "net.CIDR"; }
  bool equal(const OpaqueValue& other) const override {
    return prefix == static_cast<const CidrValue&>(other).prefix;
  }
  std::string debug_string() const override { return "cidr(\"" + prefix.to_string() + "\")"; }
  std::string text() const override { return prefix.to_string(); }
  net::Prefix prefix;
};

inline Value ip_value(net::Addr a) {
  return Value::opaque(std::make_shared<IpValue>(std::move(a)));
}
inline Value cidr_value(net::Prefix p) {
  return Value::opaque(std::make_shared<CidrValue>(std::move(p)));
}
// The address or prefix of a net.IP or net.CIDR value; nullptr for any other value.
const net::Addr* as_ip(const Value& v);
const net::Prefix* as_cidr(const Value& v);

// The parsing the ip and cidr libraries share (apiserver library/ip.go parseIPAddr and
// library/cidr.go parseCIDR): zones and IPv4-mapped IPv6 addresses are refused. The error
// is the message the library's conversion reports.
std::optional<net::Addr> parse_library_ip(std::string_view s, std::string* error);
std::optional<net::Prefix> parse_library_cidr(std::string_view s, std::string* error);

}  // namespace dra::selectors
