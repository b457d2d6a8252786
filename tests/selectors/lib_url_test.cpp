// tests/selectors/lib_url_test.cpp -- the Kubernetes URLs CEL library. The apiserver has no
// urls_test.go; rows restate, as facts, the examples of the library's documentation
// (pkg/cel/library/urls.go), the isURL row of environment/environment_test.go and the URL
// rows of cost_test.go (TestURLsCost). Rows named "ours" pin Go net/url behaviour
// (ParseRequestURI decides, Parse builds the value) that those do not reach.
#include <catch2/catch.hpp>

#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;

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

TEST_CASE("selectors: url library (urls.go documentation examples)", "[selectors]") {
  check_cases({
      {"url", "url('https://user:pass@example.com:80/path?query=val#fragment')",
       R"(url("https://user:pass@example.com:80/path?query=val#fragment"))"},
      {"url absolute path", "url('/absolute-path')", R"(url("/absolute-path"))"},
      {"url error", "url('https://a:b:c/')",
       R"(error: URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":b:c" after host)"},
      {"url relative error", "url('../relative-path')",
       R"(error: URL parse error during conversion from string: parse "../relative-path": invalid URI for request)"},
      {"isURL", "isURL('https://user:pass@example.com:80/path?query=val#fragment')", "true"},
      {"isURL absolute path", "isURL('/absolute-path')", "true"},
      {"isURL bad port", "isURL('https://a:b:c/')", "false"},
      {"isURL relative", "isURL('../relative-path')", "false"},
      {"getScheme none", "url('/path').getScheme()", R"("")"},
      {"getScheme", "url('https://example.com/').getScheme()", R"("https")"},
      {"getHost with port", "url('https://example.com:80/').getHost()", R"("example.com:80")"},
      {"getHost", "url('https://example.com/').getHost()", R"("example.com")"},
      {"getHost ipv6 with port", "url('https://[::1]:80/').getHost()", R"("[::1]:80")"},
      {"getHost ipv6", "url('https://[::1]/').getHost()", R"("[::1]")"},
      {"getHost none", "url('/path').getHost()", R"("")"},
      {"getHostname", "url('https://example.com:80/').getHostname()", R"("example.com")"},
      {"getHostname ipv4", "url('https://127.0.0.1:80/').getHostname()", R"("127.0.0.1")"},
      {"getHostname ipv6", "url('https://[::1]:80/').getHostname()", R"("::1")"},
      {"getHostname none", "url('/path').getHostname()", R"("")"},
      {"getPort", "url('https://example.com:80/').getPort()", R"("80")"},
      {"getPort none", "url('https://example.com/').getPort()", R"("")"},
      {"getPort path", "url('/path').getPort()", R"("")"},
      {"getEscapedPath", "url('https://example.com/path').getEscapedPath()", R"("/path")"},
      {"getEscapedPath spaces", "url('https://example.com/path with spaces/').getEscapedPath()",
       R"("/path%20with%20spaces/")"},
      {"getEscapedPath none", "url('https://example.com').getEscapedPath()", R"("")"},
      {"getQuery", "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()",
       R"({"k1": ["a"], "k2": ["b", "c"]})"},
      {"getQuery spaces",
       "url('https://example.com/path?key with spaces=value with spaces').getQuery()",
       R"({"key with spaces": ["value with spaces"]})"},
      {"getQuery empty", "url('https://example.com/path?').getQuery()", "{}"},
      {"getQuery none", "url('https://example.com/path').getQuery()", "{}"},
      // environment_test.go
      {"isURL (environment_test)", "isURL('http://example.com')", "true"},
      // cost_test.go TestURLsCost evaluates these.
      {"cost_test getScheme", "url('https:://kubernetes.io/').getScheme()", R"("https")"},
      {"cost_test getHost", "url('https:://kubernetes.io/').getHost()", R"("")"},
      {"cost_test getEscapedPath", "url('https:://kubernetes.io/').getEscapedPath()", R"("")"},
      {"cost_test getQuery", "url('https:://kubernetes.io/').getQuery()", "{}"},
      {"cost_test equal", "url('https:://kubernetes.io/') == url('https:://kubernetes.io/')",
       "true"},
      {"cost_test not equal", "url('https:://kubernetes.io/') == url('http://x.b')", "false"},
  });
}

TEST_CASE("selectors: url library, Go net/url behaviour (ours)", "[selectors]") {
  check_cases({
      {"ours: fragment not in the path", "url('https://example.com/p#frag').getEscapedPath()",
       R"("/p")"},
      {"ours: fragment kept", "url('https://example.com/p#frag')",
       R"(url("https://example.com/p#frag"))"},
      {"ours: escaped slash kept", "url('https://example.com/a%2Fb').getEscapedPath()",
       R"("/a%2Fb")"},
      {"ours: needless escape kept", "url('https://example.com/a%41').getEscapedPath()",
       R"("/a%41")"},
      {"ours: non-ASCII path escaped", "url('http://h/ä').getEscapedPath()", R"("/%C3%A4")"},
      {"ours: zone in brackets", "url('http://[fe80::1%25en0]:8080/').getHostname()",
       R"("fe80::1%en0")"},
      {"ours: zone host", "url('http://[fe80::1%25en0]:8080/').getHost()",
       R"("[fe80::1%en0]:8080")"},
      {"ours: port after zone", "url('http://[fe80::1%25en0]:8080/').getPort()", R"("8080")"},
      {"ours: IPv4 in brackets", "url('http://[1.2.3.4]/')",
       R"(error: URL parse error during conversion from string: parse "http://[1.2.3.4]/": invalid IP-literal)"},
      {"ours: not an address in brackets", "url('http://[zz]/')",
       R"(error: URL parse error during conversion from string: parse "http://[zz]/": invalid host: ParseAddr("zz"): unable to parse IP)"},
      {"ours: bracket not first", "url('http://a[::1]/')",
       R"(error: URL parse error during conversion from string: parse "http://a[::1]/": invalid IP-literal)"},
      {"ours: missing bracket", "url('http://[::1/')",
       R"(error: URL parse error during conversion from string: parse "http://[::1/": missing ']' in host)"},
      {"ours: bare IPv6 in http", "url('http://::1/')",
       R"(error: URL parse error during conversion from string: parse "http://::1/": invalid port "::1" after host)"},
      {"ours: colons in a non-http host", "url('ftp://a:1:2/').getHostname()", R"("a:1")"},
      {"ours: port of a non-http host", "url('ftp://a:1:2/').getPort()", R"("2")"},
      {"ours: bad port", "url('http://example.com:80x/')",
       R"(error: URL parse error during conversion from string: parse "http://example.com:80x/": invalid port ":80x" after host)"},
      {"ours: space in host", "url('http://a b/')",
       R"(error: URL parse error during conversion from string: parse "http://a b/": invalid character " " in host name)"},
      {"ours: bad escape", "url('http://x/%zz')",
       R"(error: URL parse error during conversion from string: parse "http://x/%zz": invalid URL escape "%zz")"},
      {"ours: bad escape in fragment", "url('/a#%zz')",
       R"(error: URL parse error during conversion from string: parse "/a#%zz": invalid URL escape "%zz")"},
      {"ours: control character", "url('http://x/\\n')",
       R"(error: URL parse error during conversion from string: parse "http://x/\n": net/url: invalid control character in URL)"},
      {"ours: empty", "url('')",
       R"(error: URL parse error during conversion from string: parse "": empty url)"},
      {"ours: missing scheme", "url(':x')",
       R"(error: URL parse error during conversion from string: parse ":x": missing protocol scheme)"},
      {"ours: asterisk", "url('*').getEscapedPath()", R"("*")"},
      {"ours: opaque", "url('mailto:joe@example.com').getScheme()", R"("mailto")"},
      {"ours: opaque has no path", "url('mailto:joe@example.com').getEscapedPath()", R"("")"},
      {"ours: scheme lower-cased, host not", "url('HTTP://Example.COM/')",
       R"(url("http://Example.COM/"))"},
      {"ours: query cut at the fragment", "url('http://x/a?b#c?d').getQuery()", R"({"b": [""]})"},
      {"ours: bad query parts skipped", "url('http://x/?a=%zz&b=1&c;d=2').getQuery()",
       R"({"b": ["1"]})"},
      {"ours: query unescaped", "url('http://x/?a=1+2&a=%41').getQuery()",
       R"({"a": ["1 2", "A"]})"},
      {"ours: second question mark in the query", "url('/a?b?c').getQuery()", R"({"b?c": [""]})"},
      {"ours: // path becomes a host after Parse", "url('//host/path').getHost()", R"("host")"},
      {"ours: userinfo unescaped and printed again", "url('http://u%41:p%3A@h/')",
       R"(url("http://uA:p%3A@h/"))"},
      {"ours: bad userinfo", "url('http://a^b@h/')",
       R"(error: URL parse error during conversion from string: parse "http://a^b@h/": net/url: invalid userinfo)"},
      {"ours: String re-escapes", "url('http://h/a b?c d#e f')",
       R"(url("http://h/a%20b?c d#e%20f"))"},
      {"ours: equal when printed alike", "url('http://h/#a b') == url('http://h/#a%20b')", "true"},
      {"ours: host without path", "url('http://h?x').getEscapedPath()", R"("")"},
      {"ours: isURL of a host-only URL", "isURL('http://h')", "true"},
      {"ours: isURL relative", "isURL('a/b')", "false"},
      {"ours: no string conversion", "string(url('http://h/'))",
       "check: found no matching overload for 'string' applied to '(kubernetes.URL)'"},
  });
}

TEST_CASE("selectors: url library costs (cost_test.go TestURLsCost)", "[selectors]") {
  const OverloadDecl& parse = overload("url", "string_to_url");
  const Value s = Value::string("https:://kubernetes.io/");
  REQUIRE(parse.cost != nullptr);
  CHECK(parse.cost(std::span(&s, 1), Value()) == 3);  // with an accessor: 4
  CHECK(overload("getScheme", "url_get_scheme").cost == nullptr);
  CHECK(overload("getQuery", "url_get_query").cost == nullptr);
  CHECK(overload("isURL", "is_url_string").cost == nullptr);
  const Value x = Value::string("http://x.b");
  CHECK(parse.cost(std::span(&x, 1), Value()) == 1);
  REQUIRE(parse.estimate != nullptr);
  const SizeEstimate s23{23, 23};
  const CallEstimate e = parse.estimate(std::span(&s23, 1));
  CHECK(e.cost.min == 3);
  CHECK(e.cost.max == 3);
  REQUIRE(e.result_size.has_value());
  CHECK(e.result_size->max == 23);
}

}  // namespace dra::selectors
