// tests/selectors/lib_ip_test.cpp -- the Kubernetes IP CEL library. Rows restate, as facts,
// apiserver pkg/cel/library ip_test.go (TestIP) and the IP rows of cost_test.go
// (TestIPCost, TestIPIsCanonicalCost); rows named "ours" pin Go netip behaviour the upstream
// tables do not reach.
#include <catch2/catch.hpp>

#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;

// Upstream's `type(x) == net.IP` rows need type values of library types in the evaluator;
// compared once it has them.
constexpr bool kLibraryTypeValues = true;

const OverloadDecl& overload(std::string_view function, std::string_view id) {
  const Function* f = find_function(function);
  REQUIRE(f != nullptr);
  for (const Overload& o : f->overloads) {
    if (o.decl->id == id) return *o.decl;
  }
  FAIL("no overload " << id);
  throw;
}

}  // namespace

TEST_CASE("selectors: ip library (ip_test.go TestIP rows)", "[selectors]") {
  check_cases({
      {"parse ipv4", R"(ip("192.168.0.1"))", R"(ip("192.168.0.1"))"},
      {"parse invalid ipv4", R"(ip("192.168.0.1.0"))",
       R"(error: IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long)"},
      {"isIP valid ipv4", R"(isIP("192.168.0.1"))", "true"},
      {"isIP invalid ipv4", R"(isIP("192.168.0.1.0"))", "false"},
      {"ip.isCanonical valid ipv4", R"(ip.isCanonical("127.0.0.1"))", "true"},
      {"ip.isCanonical invalid ipv4", R"(ip.isCanonical("127.0.0.1.0"))",
       R"(error: IP Address "127.0.0.1.0" parse error during conversion from string: ParseAddr("127.0.0.1.0"): IPv4 address too long)"},
      {"ipv4 family", R"(ip("192.168.0.1").family())", "4"},
      {"ipv4 isUnspecified true", R"(ip("0.0.0.0").isUnspecified())", "true"},
      {"ipv4 isUnspecified false", R"(ip("127.0.0.1").isUnspecified())", "false"},
      {"ipv4 isLoopback true", R"(ip("127.0.0.1").isLoopback())", "true"},
      {"ipv4 isLoopback false", R"(ip("1.2.3.4").isLoopback())", "false"},
      {"ipv4 isLinkLocalMulticast true", R"(ip("224.0.0.1").isLinkLocalMulticast())", "true"},
      {"ipv4 isLinkLocalMulticast false", R"(ip("224.0.1.1").isLinkLocalMulticast())", "false"},
      {"ipv4 isLinkLocalUnicast true", R"(ip("169.254.169.254").isLinkLocalUnicast())", "true"},
      {"ipv4 isLinkLocalUnicast false", R"(ip("192.168.0.1").isLinkLocalUnicast())", "false"},
      {"ipv4 isGlobalUnicast true", R"(ip("192.168.0.1").isGlobalUnicast())", "true"},
      {"ipv4 isGlobalUnicast false", R"(ip("255.255.255.255").isGlobalUnicast())", "false"},
      {"parse ipv6", R"(ip("2001:db8::68"))", R"(ip("2001:db8::68"))"},
      {"parse invalid ipv6", R"(ip("2001:db8:::68"))",
       R"(error: IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68"))"},
      {"isIP valid ipv6", R"(isIP("2001:db8::68"))", "true"},
      {"isIP invalid ipv4 (ipv6 text)", R"(isIP("2001:db8:::68"))", "false"},
      {"ip.isCanonical valid ipv6", R"(ip.isCanonical("2001:db8::68"))", "true"},
      {"ip.isCanonical non-canonical ipv6", R"(ip.isCanonical("2001:DB8::68"))", "false"},
      {"ip.isCanonical invalid ipv6", R"(ip.isCanonical("2001:db8:::68"))",
       R"(error: IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68"))"},
      {"ipv6 family", R"(ip("2001:db8::68").family())", "6"},
      {"ipv6 isUnspecified true", R"(ip("::").isUnspecified())", "true"},
      {"ipv6 isUnspecified false", R"(ip("::1").isUnspecified())", "false"},
      {"ipv6 isLoopback true", R"(ip("::1").isLoopback())", "true"},
      {"ipv6 isLoopback false", R"(ip("2001:db8::abcd").isLoopback())", "false"},
      {"ipv6 isLinkLocalMulticast true", R"(ip("ff02::1").isLinkLocalMulticast())", "true"},
      {"ipv6 isLinkLocalMulticast false", R"(ip("fd00::1").isLinkLocalMulticast())", "false"},
      {"ipv6 isLinkLocalUnicast true", R"(ip("fe80::1").isLinkLocalUnicast())", "true"},
      {"ipv6 isLinkLocalUnicast false", R"(ip("fd80::1").isLinkLocalUnicast())", "false"},
      {"ipv6 isGlobalUnicast true", R"(ip("2001:db8::abcd").isGlobalUnicast())", "true"},
      {"ipv6 isGlobalUnicast false", R"(ip("ff00::1").isGlobalUnicast())", "false"},
      {"passing cidr into isIP returns compile error", R"(isIP(cidr("192.168.0.0/24")))",
       "check: found no matching overload for 'isIP' applied to '(net.CIDR)'"},
      {"converting an IP address to a string", R"(string(ip("192.168.0.1")))", R"("192.168.0.1")"},
  });
  if (kLibraryTypeValues) {
    check_cases({{"type of IP is net.IP", R"(type(ip("192.168.0.1")) == net.IP)", "true"}});
  }
}

TEST_CASE("selectors: ip library, Go netip behaviour (ours)", "[selectors]") {
  check_cases({
      {"ours: IPv4-mapped IPv6 refused", R"(ip("::ffff:1.2.3.4"))",
       R"(error: IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed)"},
      {"ours: zone refused", R"(ip("fe80::1%eth0"))",
       R"(error: IP address "fe80::1%eth0" with zone value is not allowed)"},
      {"ours: isIP of a zone", R"(isIP("fe80::1%eth0"))", "false"},
      {"ours: isCanonical of a mapped address", R"(ip.isCanonical("::ffff:1.2.3.4"))",
       R"(error: IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed)"},
      {"ours: empty", R"(ip(""))",
       R"(error: IP Address "" parse error during conversion from string: ParseAddr(""): unable to parse IP)"},
      {"ours: no separator", R"(ip("localhost"))",
       R"(error: IP Address "localhost" parse error during conversion from string: ParseAddr("localhost"): unable to parse IP)"},
      {"ours: leading zero", R"(ip("01.2.3.4"))",
       R"(error: IP Address "01.2.3.4" parse error during conversion from string: ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero)"},
      {"ours: octet too large", R"(ip("1.2.3.256"))",
       R"(error: IP Address "1.2.3.256" parse error during conversion from string: ParseAddr("1.2.3.256"): IPv4 field has value >255)"},
      {"ours: too short", R"(ip("1.2.3"))",
       R"(error: IP Address "1.2.3" parse error during conversion from string: ParseAddr("1.2.3"): IPv4 address too short)"},
      {"ours: empty field", R"(ip("1..2.3"))",
       R"(error: IP Address "1..2.3" parse error during conversion from string: ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3"))"},
      {"ours: bad character", R"(ip("1.2.3.x"))",
       R"(error: IP Address "1.2.3.x" parse error during conversion from string: ParseAddr("1.2.3.x"): unexpected character (at "x"))"},
      {"ours: missing IPv6 address", R"(ip("%eth0"))",
       R"(error: IP Address "%eth0" parse error during conversion from string: ParseAddr("%eth0"): missing IPv6 address)"},
      {"ours: five hex digits", R"(ip("12345::1"))",
       R"(error: IP Address "12345::1" parse error during conversion from string: ParseAddr("12345::1"): each group must have 4 or less digits (at "12345::1"))"},
      {"ours: nine groups", R"(ip("1:2:3:4:5:6:7:8:9"))",
       R"(error: IP Address "1:2:3:4:5:6:7:8:9" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9"))"},
      {"ours: too short ipv6", R"(ip("1:2:3"))",
       R"(error: IP Address "1:2:3" parse error during conversion from string: ParseAddr("1:2:3"): address string too short)"},
      {"ours: :: for no zeros", R"(ip("1:2:3:4::5:6:7:8"))",
       R"(error: IP Address "1:2:3:4::5:6:7:8" parse error during conversion from string: ParseAddr("1:2:3:4::5:6:7:8"): the :: must expand to at least one field of zeros)"},
      {"ours: trailing colon", R"(ip("1::2:"))",
       R"(error: IP Address "1::2:" parse error during conversion from string: ParseAddr("1::2:"): colon must be followed by more characters (at ":"))"},
      {"ours: embedded IPv4 too early", R"(ip("1:2:1.2.3.4"))",
       R"(error: IP Address "1:2:1.2.3.4" parse error during conversion from string: ParseAddr("1:2:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4"))"},
      {"ours: embedded IPv4 bad", R"(ip("::1.2.3.04"))",
       R"(error: IP Address "::1.2.3.04" parse error during conversion from string: ParseAddr("::1.2.3.04"): IPv4 field has octet with leading zero)"},
      {"ours: embedded IPv4 kept as IPv6", R"(string(ip("::1.2.3.4")))", R"("::102:304")"},
      {"ours: canonical text", R"(string(ip("2001:DB8:0:0:0:0:0:68")))", R"("2001:db8::68")"},
      {"ours: longest zero run elided", R"(string(ip("1:0:0:2:0:0:0:3")))", R"("1:0:0:2::3")"},
      {"ours: single zero not elided", R"(string(ip("1:0:2:3:4:5:6:7")))", R"("1:0:2:3:4:5:6:7")"},
      {"ours: equality by value", R"(ip("2001:db8::1") == ip("2001:DB8:0::1"))", "true"},
      {"ours: families differ", R"(ip("0.0.0.0") == ip("::"))", "false"},
      {"ours: private is global unicast", R"(ip("10.0.0.1").isGlobalUnicast())", "true"},
      {"ours: unspecified not global", R"(ip("::").isGlobalUnicast())", "false"},
      {"ours: link-local not global", R"(ip("fe80::1").isGlobalUnicast())", "false"},
      {"ours: ff12:: link-local multicast scope", R"(ip("ff12::1").isLinkLocalMulticast())",
       "true"},
      {"ours: isIP of an int", "isIP(1)",
       "check: found no matching overload for 'isIP' applied to '(int)'"},
  });
}

TEST_CASE("selectors: ip library costs (cost_test.go TestIPCost, TestIPIsCanonicalCost)",
          "[selectors]") {
  const OverloadDecl& parse = overload("ip", "string_to_ip");
  const OverloadDecl& canonical = overload("ip.isCanonical", "ip_is_canonical");
  const Value v4 = Value::string("192.168.0.1");
  const Value v6 = Value::string("2001:db8:3333:4444:5555:6666:7777:8888");
  const Value short6 = Value::string("2001:db8::abcd");
  REQUIRE(parse.cost != nullptr);
  CHECK(parse.cost(std::span(&v4, 1), Value()) == 2);
  CHECK(parse.cost(std::span(&v6, 1), Value()) == 4);
  REQUIRE(canonical.cost != nullptr);
  CHECK(canonical.cost(std::span(&v4, 1), Value()) == 3);
  CHECK(canonical.cost(std::span(&v6, 1), Value()) == 8);
  CHECK(canonical.cost(std::span(&short6, 1), Value()) == 3);
  // Accessors cost 1 (no cost function).
  CHECK(overload("family", "ip_family").cost == nullptr);
  CHECK(overload("isLoopback", "ip_is_loopback").cost == nullptr);

  REQUIRE(parse.estimate != nullptr);
  const SizeEstimate s11{11, 11}, s39{39, 39}, s14{14, 14};
  CHECK(parse.estimate(std::span(&s11, 1)).cost.min == 2);
  CHECK(parse.estimate(std::span(&s11, 1)).cost.max == 2);
  CHECK(parse.estimate(std::span(&s39, 1)).cost.max == 4);
  REQUIRE(canonical.estimate != nullptr);
  CHECK(canonical.estimate(std::span(&s11, 1)).cost.max == 3);
  CHECK(canonical.estimate(std::span(&s39, 1)).cost.min == 8);
  CHECK(canonical.estimate(std::span(&s14, 1)).cost.max == 3);
  // An unbounded argument: ceil(2^64 * 0.1) in doubles, as cel-go computes it.
  const SizeEstimate any{};
  CHECK(parse.estimate(std::span(&any, 1)).cost.max == 1844674407370955264u);
}

}  // namespace dra::selectors
