// tests/selectors/lib_cidr_test.cpp -- the Kubernetes CIDR CEL library. Rows restate, as
// facts, apiserver pkg/cel/library cidr_test.go (TestCIDR) and the per-call costs behind
// cost_test.go TestCIDRCost; rows named "ours" pin Go netip behaviour and upstream quirks
// the tables do not reach.
#include <catch2/catch.hpp>

#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;

// Upstream's `type(x) == net.CIDR` row needs type values of library types in the evaluator.
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

Value eval(std::string_view expression) {
  const ParseResult r = parse(expression);
  REQUIRE(r.ok());
  return evaluate(*r.expr, {});
}

}  // namespace

TEST_CASE("selectors: cidr library (cidr_test.go TestCIDR rows)", "[selectors]") {
  check_cases({
      {"parse ipv4", R"(cidr("192.168.0.0/24"))", R"(cidr("192.168.0.0/24"))"},
      {"parse invalid ipv4", R"(cidr("192.168.0.0/"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: "")"},
      {"contains IP ipv4 (IP)", R"(cidr("192.168.0.0/24").containsIP(ip("192.168.0.1")))", "true"},
      {"does not contain IP ipv4 (IP)", R"(cidr("192.168.0.0/24").containsIP(ip("192.168.1.1")))",
       "false"},
      {"contains IP ipv4 (string)", R"(cidr("192.168.0.0/24").containsIP("192.168.0.1"))", "true"},
      {"does not contain IP ipv4 (string)", R"(cidr("192.168.0.0/24").containsIP("192.168.1.1"))",
       "false"},
      {"contains CIDR ipv4 (CIDR)",
       R"(cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25")))", "true"},
      {"contains CIDR ipv4 (CIDR) (/32)",
       R"(cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.1/32")))", "true"},
      {"does not contain IP ipv4 (CIDR)",
       R"(cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23")))", "false"},
      {"does not contain IP ipv4 (CIDR) (/32)",
       R"(cidr("192.168.0.0/24").containsCIDR(cidr("192.169.0.1/32")))", "false"},
      {"contains CIDR ipv4 (string)", R"(cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25"))",
       "true"},
      {"does not contain CIDR ipv4 (string)",
       R"(cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23"))", "false"},
      {"returns IP ipv4", R"(cidr("192.168.0.0/24").ip())", R"(ip("192.168.0.0"))"},
      {"masks masked ipv4", R"(cidr("192.168.0.0/24").masked())", R"(cidr("192.168.0.0/24"))"},
      {"masks unmasked ipv4", R"(cidr("192.168.0.1/24").masked())", R"(cidr("192.168.0.0/24"))"},
      {"returns prefix length ipv4", R"(cidr("192.168.0.0/24").prefixLength())", "24"},
      {"parse ipv6", R"(cidr("2001:db8::/32"))", R"(cidr("2001:db8::/32"))"},
      {"parse invalid ipv6", R"(cidr("2001:db8::/"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after slash: "")"},
      {"contains IP ipv6 (IP)", R"(cidr("2001:db8::/32").containsIP(ip("2001:db8::1")))", "true"},
      {"does not contain IP ipv6 (IP)", R"(cidr("2001:db8::/32").containsIP(ip("2001:dc8::1")))",
       "false"},
      {"contains IP ipv6 (string)", R"(cidr("2001:db8::/32").containsIP("2001:db8::1"))", "true"},
      {"does not contain IP ipv6 (string)", R"(cidr("2001:db8::/32").containsIP("2001:dc8::1"))",
       "false"},
      {"contains CIDR ipv6 (CIDR)", R"(cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33")))",
       "true"},
      {"does not contain IP ipv6 (CIDR)",
       R"(cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/31")))", "false"},
      {"contains CIDR ipv6 (string)", R"(cidr("2001:db8::/32").containsCIDR("2001:db8::/33"))",
       "true"},
      {"does not contain CIDR ipv6 (string)",
       R"(cidr("2001:db8::/32").containsCIDR("2001:db8::/31"))", "false"},
      {"returns IP ipv6", R"(cidr("2001:db8::/32").ip())", R"(ip("2001:db8::"))"},
      {"masks masked ipv6", R"(cidr("2001:db8::/32").masked())", R"(cidr("2001:db8::/32"))"},
      {"masks unmasked ipv6", R"(cidr("2001:db8:1::/32").masked())", R"(cidr("2001:db8::/32"))"},
      {"returns prefix length ipv6", R"(cidr("2001:db8::/32").prefixLength())", "32"},
      {"converting a CIDR to a string", R"(string(cidr("192.168.0.0/24")))", R"("192.168.0.0/24")"},
  });
  if (kLibraryTypeValues) {
    check_cases(
        {{"type of CIDR is net.CIDR", R"(type(cidr("192.168.0.0/24")) == net.CIDR)", "true"}});
  }
}

TEST_CASE("selectors: cidr library, Go netip behaviour and upstream quirks (ours)", "[selectors]") {
  check_cases({
      {"ours: no slash", R"(cidr("10.0.0.0"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0"): no '/')"},
      {"ours: bad address", R"(cidr("10.0.0/8"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0/8"): ParseAddr("10.0.0"): IPv4 address too short)"},
      {"ours: leading zero bits", R"(cidr("10.0.0.0/08"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08")"},
      {"ours: sign in bits", R"(cidr("10.0.0.0/+8"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/+8"): bad bits after slash: "+8")"},
      {"ours: bits out of range", R"(cidr("10.0.0.0/33"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/33"): prefix length out of range)"},
      {"ours: zone", R"(cidr("fe80::%eth0/64"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("fe80::%eth0/64"): IPv6 zones cannot be present in a prefix)"},
      {"ours: IPv4-mapped", R"(cidr("::ffff:10.0.0.0/104"))",
       R"(error: network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:10.0.0.0/104" is not allowed)"},
      {"ours: isCIDR", R"(isCIDR("10.0.0.0/8"))", "true"},
      {"ours: isCIDR false", R"(isCIDR("10.0.0.0/33"))", "false"},
      {"ours: /0 and /128", R"([cidr("0.0.0.0/0").prefixLength(), cidr("::1/128").prefixLength()])",
       "[0, 128]"},
      {"ours: host bits kept", R"(string(cidr("10.1.2.3/8")))", R"("10.1.2.3/8")"},
      {"ours: equality compares the address as written",
       R"(cidr("10.1.2.3/8") == cidr("10.0.0.0/8"))", "false"},
      {"ours: equality", R"(cidr("10.0.0.0/8") == cidr("10.0.0.0/8"))", "true"},
      {"ours: unmasked receiver still contains", R"(cidr("10.1.2.3/8").containsIP("10.200.0.1"))",
       "true"},
      {"ours: families never match", R"(cidr("::/0").containsIP("1.2.3.4"))", "false"},
      {"ours: /0 contains all of its family", R"(cidr("0.0.0.0/0").containsCIDR("10.0.0.0/8"))",
       "true"},
      {"ours: families never nest", R"(cidr("::/0").containsCIDR("10.0.0.0/8"))", "false"},
      {"ours: a CIDR contains itself", R"(cidr("10.0.0.0/8").containsCIDR(cidr("10.0.0.0/8")))",
       "true"},
      // containsIP(string) hands a failed conversion to the IP overload, which reports "no
      // such overload"; containsCIDR(string) passes the parse error on.
      {"ours: containsIP of a bad string", R"(cidr("10.0.0.0/8").containsIP("nope"))",
       "error: no such overload"},
      {"ours: containsIP of a mapped string", R"(cidr("10.0.0.0/8").containsIP("::ffff:10.0.0.1"))",
       "error: no such overload"},
      {"ours: containsCIDR of a bad string", R"(cidr("10.0.0.0/8").containsCIDR("nope"))",
       R"(error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("nope"): no '/')"},
      {"ours: ip() keeps host bits", R"(cidr("10.1.2.3/8").ip())", R"(ip("10.1.2.3"))"},
      {"ours: masked ipv4 /0", R"(cidr("10.1.2.3/0").masked())", R"(cidr("0.0.0.0/0"))"},
      {"ours: masked odd length", R"(cidr("10.255.255.255/12").masked())",
       R"(cidr("10.240.0.0/12"))"},
  });
}

TEST_CASE("selectors: cidr library costs (cost_test.go TestCIDRCost)", "[selectors]") {
  const Value v4 = eval(R"(cidr("192.168.0.0/16"))");
  const Value v6 = eval(R"(cidr("2001:db8::/32"))");
  const Value s4 = Value::string("192.168.0.0/16");
  const Value s6 = Value::string("2001:db8::/32");
  const OverloadDecl& parse = overload("cidr", "string_to_cidr");
  CHECK(parse.cost(std::span(&s4, 1), Value()) == 2);
  CHECK(parse.cost(std::span(&s6, 1), Value()) == 2);
  // Per call, from the totals upstream pins (the argument's own parse subtracted).
  const OverloadDecl& in_cidr = overload("containsCIDR", "cidr_contains_cidr");
  const OverloadDecl& in_cidr_s = overload("containsCIDR", "cidr_contains_cidr_string");
  const OverloadDecl& in_ip = overload("containsIP", "cidr_contains_ip_ip");
  const OverloadDecl& in_ip_s = overload("containsIP", "cidr_contains_ip_string");
  const Value a1[] = {v4, eval(R"(cidr("192.0.0.0/30"))")};
  CHECK(in_cidr.cost(std::span<const Value>(a1), Value()) == 3);  // total c + 5
  const Value a2[] = {v4, Value::string("192.0.0.0/30")};
  CHECK(in_cidr_s.cost(std::span<const Value>(a2), Value()) == 5);
  const Value a3[] = {v4, eval(R"(ip("192.0.0.1"))")};
  CHECK(in_ip.cost(std::span<const Value>(a3), Value()) == 1);  // total c + 2
  const Value a4[] = {v4, Value::string("192.169.0.1")};
  CHECK(in_ip_s.cost(std::span<const Value>(a4), Value()) == 3);
  const Value a5[] = {v6, eval(R"(cidr("2001:db8::/126"))")};
  CHECK(in_cidr.cost(std::span<const Value>(a5), Value()) == 3);  // total c + 5
  const Value a6[] = {v6, Value::string("2001:db8:3333:4444:5555:6666:7777:8888")};
  CHECK(in_ip_s.cost(std::span<const Value>(a6), Value()) == 5);
  CHECK(overload("ip", "cidr_ip").cost == nullptr);
  CHECK(overload("masked", "cidr_masked").cost == nullptr);

  const SizeEstimate fmt{0, 0};
  const SizeEstimate s12{12, 12}, s9{9, 9}, s11{11, 11}, s39{39, 39};
  const SizeEstimate e1[] = {fmt, s12};
  CHECK(in_cidr.estimate(std::span<const SizeEstimate>(e1)).cost.min == 3);
  CHECK(in_cidr.estimate(std::span<const SizeEstimate>(e1)).cost.max == 7);
  CHECK(in_cidr_s.estimate(std::span<const SizeEstimate>(e1)).cost.min ==
        5);  // upstream c + {5, 9}
  CHECK(in_cidr_s.estimate(std::span<const SizeEstimate>(e1)).cost.max == 9);
  const SizeEstimate e2[] = {fmt, s9};
  CHECK(in_ip.estimate(std::span<const SizeEstimate>(e2)).cost.min == 1);
  CHECK(in_ip.estimate(std::span<const SizeEstimate>(e2)).cost.max == 4);
  CHECK(in_ip_s.estimate(std::span<const SizeEstimate>(e2)).cost.min == 2);  // upstream c + {2, 5}
  CHECK(in_ip_s.estimate(std::span<const SizeEstimate>(e2)).cost.max == 5);
  const SizeEstimate e3[] = {fmt, s11};
  CHECK(in_ip_s.estimate(std::span<const SizeEstimate>(e3)).cost.max == 6);  // upstream c + {3, 6}
  const SizeEstimate e4[] = {fmt, s39};
  CHECK(in_ip_s.estimate(std::span<const SizeEstimate>(e4)).cost.min == 5);  // upstream c + {5, 8}
  CHECK(in_ip_s.estimate(std::span<const SizeEstimate>(e4)).cost.max == 8);
  const SizeEstimate p14{14, 14};
  CHECK(parse.estimate(std::span(&p14, 1)).cost.max == 2);
}

}  // namespace dra::selectors
