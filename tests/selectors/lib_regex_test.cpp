// tests/selectors/lib_regex_test.cpp -- the Kubernetes regex library (find, findAll).
// Rows restate as facts: apiserver c9f9cf747e61 pkg/cel/environment/environment_test.go
// (TestBaseEnvironment "core settings enabled", the regex row), pkg/cel/library/cost_test.go
// (TestStringLibrary: find, findAll, findAll with limit) and the examples of regex.go's doc
// comment, corrected where the comment is wrong (it says "abc 123".find('[0-9]*') is '123';
// Go returns the empty match at position 0). The other rows are ours: Go regexp behaviour
// (FindAllString's empty-match rule, as in Go's regexp tests) and Go's error messages.
#include "selectors/lib_regex.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;

const OverloadDecl& decl(std::string_view id) {
  for (const OverloadDecl& d : kubernetes_regex_library()) {
    if (d.id == id) return d;
  }
  FAIL("no overload " << id);
  static OverloadDecl none;
  return none;
}

}  // namespace

TEST_CASE("selectors: regex find and findAll (upstream rows)", "[selectors]") {
  check_cases({
      // environment_test.go TestBaseEnvironment "core settings enabled"
      {"environment regex row", "'a 1 b 2'.find('[0-9]') == '1'", "true"},
      // cost_test.go TestStringLibrary
      {"cost_test find", "'abc 123 def 123'.find('123')", R"("123")"},
      {"cost_test findAll", "'abc 123 def 123'.findAll('123')", R"(["123", "123"])"},
      {"cost_test findAll with limit", "'abc 123 def 123'.findAll('123', 1)", R"(["123"])"},
      // regex.go doc comment examples, with Go's actual results
      {"doc find (empty match at 0)", R"("abc 123".find('[0-9]*'))", R"("")"},
      {"doc find none", R"("abc 123".find('xyz'))", R"("")"},
      {"doc findAll (empty matches count)", R"("123 abc 456".findAll('[0-9]*'))",
       R"(["123", "", "", "", "", "456"])"},
      {"doc findAll limit", R"("123 abc 456".findAll('[0-9]*', 1))", R"(["123"])"},
      {"doc findAll none", R"("123 abc 456".findAll('xyz'))", "[]"},
  });
}

TEST_CASE("selectors: regex semantics follow Go's regexp", "[selectors]") {
  check_cases({
      {"find leftmost-first alternation", "'abcd'.find('a|ab')", R"("a")"},
      {"find greedy", "'aaa'.find('a+')", R"("aaa")"},
      {"find non-greedy", "'aaa'.find('a+?')", R"("a")"},
      {"find unanchored", "'xxabcxx'.find('b.')", R"("bc")"},
      {"find code points", "'ta©o©αT'.find('©.')", R"("©o")"},
      {"find case-insensitive flag", "'ABC'.find('(?i)b')", R"("B")"},
      {"find named group (?P<n>)", "'key=value'.find('(?P<k>[a-z]+)=')", R"("key=")"},
      {"find named group (?<n>) (Go 1.22)", "'key=value'.find('(?<k>[a-z]+)=')", R"("key=")"},
      {"find perl class", "'a1b22'.find('\\\\d+')", R"("1")"},
      {"find word boundary", "'ab abc'.find('\\\\babc\\\\b')", R"("abc")"},
      {"find dot excludes newline", "'a\\nb'.find('a.b')", R"("")"},
      {"find $ is end of text", "'ab\\n'.find('b$')", R"("")"},
      {"find \\Q..\\E literal", "'a.b*c'.find('\\\\Q.b*\\\\E')", R"(".b*")"},
      // Go's regexp tests: `a*` on "baaab" matches at [0,0], [1,4], [5,5].
      {"findAll empty match after a match is skipped", "'baaab'.findAll('a*')",
       R"(["", "aaa", ""])"},
      {"findAll empty pattern", "'abc'.findAll('')", R"(["", "", "", ""])"},
      {"findAll empty pattern, multibyte", "'©α'.findAll('')", R"(["", "", ""])"},
      {"findAll ^ matches only at the start", "'aaa'.findAll('^a')", R"(["a"])"},
      {"findAll \\b context", "'ab ab'.findAll('\\\\bab')", R"(["ab", "ab"])"},
      {"findAll limit 0", "'aaa'.findAll('a', 0)", "[]"},
      {"findAll negative limit is unlimited", "'aaa'.findAll('a', -5)", R"(["a", "a", "a"])"},
      {"findAll limit above count", "'aaa'.findAll('a', 10)", R"(["a", "a", "a"])"},
      {"findAll on empty string", "''.findAll('a*')", R"([""])"},
      {"find on empty string", "''.find('x')", R"("")"},
      {"findAll non-overlapping", "'aaaa'.findAll('aa')", R"(["aa", "aa"])"},
  });
}

TEST_CASE("selectors: regex errors carry Go's messages", "[selectors]") {
  // At runtime (pattern not a constant) upstream wraps Go's message in "Illegal regex: ".
  // A constant pattern fails at program creation instead; that is the checker's business
  // (regex_compile_error below), so the runtime rows pass the pattern through a variable.
  Activation act;
  auto with = [&](std::string pattern) {
    act.bind("re", Value::string(std::move(pattern)));
    return testing::run_cel("'abc'.find(re)", act);
  };
  CHECK(with("(") == "error: Illegal regex: error parsing regexp: missing closing ): `(`");
  CHECK(with("a)") == "error: Illegal regex: error parsing regexp: unexpected ): `a)`");
  act.bind("re", Value::string("[a"));
  CHECK(testing::run_cel("'abc'.findAll(re)", act) ==
        "error: Illegal regex: error parsing regexp: missing closing ]: `[a`");
  CHECK(testing::run_cel("'abc'.findAll(re, 1)", act) ==
        "error: Illegal regex: error parsing regexp: missing closing ]: `[a`");

  struct Row {
    std::string_view pattern;
    std::string_view go_error;  // Go's regexp.Compile error text
  };
  const std::vector<Row> rows = {
      {"(", "error parsing regexp: missing closing ): `(`"},
      {"a(b", "error parsing regexp: missing closing ): `a(b`"},
      {"a)", "error parsing regexp: unexpected ): `a)`"},
      {"[a", "error parsing regexp: missing closing ]: `[a`"},
      {"[]", "error parsing regexp: missing closing ]: `[]`"},
      {"a**", "error parsing regexp: invalid nested repetition operator: `**`"},
      {"a++", "error parsing regexp: invalid nested repetition operator: `++`"},
      {"x{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`"},
      {"*", "error parsing regexp: missing argument to repetition operator: `*`"},
      {"\\", "error parsing regexp: trailing backslash at end of expression: ``"},
      {"\\8", "error parsing regexp: invalid escape sequence: `\\8`"},
      {"\\Z", "error parsing regexp: invalid escape sequence: `\\Z`"},
      {"\\C", "error parsing regexp: invalid escape sequence: `\\C`"},
      {"a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"},
      {"a{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"},
      {"(a{500}){500}", "error parsing regexp: invalid repeat count: `{500}`"},
      {"(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`"},
      {"(?z)", "error parsing regexp: invalid or unsupported Perl syntax: `(?z`"},
      {"(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
      {"(?P=x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"},
      {"(?<", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"},
      {"(?<=a)", "error parsing regexp: invalid named capture: `(?<=a)`"},
      {"(?<a", "error parsing regexp: invalid named capture: `(?<a`"},
      {"(?P<=a)", "error parsing regexp: invalid named capture: `(?P<=a)`"},
      {"[z-a]", "error parsing regexp: invalid character class range: `z-a`"},
      {"\\pX", "error parsing regexp: invalid character class range: `\\pX`"},
      {"\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`"},
      {"[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"},
  };
  for (const Row& r : rows) {
    INFO(r.pattern);
    CHECK(regex_compile_error(r.pattern) == std::optional<std::string>(r.go_error));
  }
  for (std::string_view ok : {"", "a|b", "(?P<x>a)(?P<x>b)", "(?<name>x)", "[]a]", "[^]a]",
                              "[[:alpha:]]", "\\Q(\\E", "(?i)a", "(?s).", "a{0,1000}"}) {
    INFO(ok);
    CHECK(regex_compile_error(ok) == std::nullopt);
  }
}

TEST_CASE("selectors: compiled regexes are cached", "[selectors]") {
  auto a = compile_go_regex("c[a-z]+");
  auto b = compile_go_regex("c[a-z]+");
  REQUIRE(a != nullptr);
  CHECK(a.get() == b.get());
  std::string error;
  CHECK(compile_go_regex("(", &error) == nullptr);
  CHECK(error == "error parsing regexp: missing closing ): `(`");
  // Past the capacity the least recently used entries go; results stay correct.
  for (int i = 0; i < 600; ++i) CHECK(compile_go_regex("x" + std::to_string(i)) != nullptr);
  auto c = compile_go_regex("c[a-z]+");
  REQUIRE(c != nullptr);
  CHECK(testing::run_cel("'the cat'.find('c[a-z]+')") == R"("cat")");
}

TEST_CASE("selectors: regex costs (cost_test.go TestStringLibrary)", "[selectors]") {
  // Runtime: ceil((1 + size(s)) * 0.1) * ceil(size(re) * 0.25). The three upstream rows
  // cost 2 in all (the receiver and pattern are constants, which cost 0).
  const Value s = Value::string("abc 123 def 123");
  const Value re = Value::string("123");
  const std::vector<Value> args2 = {s, re};
  const std::vector<Value> args3 = {s, re, Value::integer(1)};
  CHECK(decl("string_find_string").cost(args2, Value::string("123")) == 2);
  CHECK(decl("string_find_all_string").cost(args2, Value::null()) == 2);
  CHECK(decl("string_find_all_string_int").cost(args3, Value::null()) == 2);
  // Code points, not bytes: 20 code points -> ceil(2.1) = 3; 9-code-point pattern -> 3.
  const std::vector<Value> wide = {Value::string("©©©©©©©©©©©©©©©©©©©©"),
                                   Value::string("[©α]+.*x?")};
  CHECK(decl("string_find_string").cost(wide, Value::string("")) == 9);

  // Estimates: the same formula on size ranges; the result has at most size(s) entries.
  const std::vector<SizeEstimate> sizes = {{15, 15}, {3, 3}};
  const CallEstimate e = decl("string_find_all_string").estimate(sizes);
  CHECK(e.cost.min == 2);
  CHECK(e.cost.max == 2);
  REQUIRE(e.result_size.has_value());
  CHECK(e.result_size->min == 0);
  CHECK(e.result_size->max == 15);
  const std::vector<SizeEstimate> ranges = {{0, 100}, {4, 40}};
  const CallEstimate r = decl("string_find_string").estimate(ranges);
  CHECK(r.cost.min == 1);        // ceil(0.1) * ceil(1)
  CHECK(r.cost.max == 11 * 10);  // ceil(10.1) * ceil(10)
  const std::vector<SizeEstimate> unknown = {{0, std::numeric_limits<uint64_t>::max()}, {3, 3}};
  // An unbounded string: ceil(2^64 * 0.1) as doubles compute it, times ceil(3 * 0.25).
  CHECK(decl("string_find_string").estimate(unknown).cost.max ==
        static_cast<uint64_t>(std::ceil(18446744073709551615.0 * 0.1)));
}

}  // namespace dra::selectors
