// tests/selectors/lib_strings_test.cpp -- cel-go's ext.Strings library at version 2.
// Rows restate as facts the tables of cel-go v0.27.0: ext/strings_test.go (stringTests, every
// row, numbered as there; TestStringsVersions; TestQuoteUnquote's strings and costs;
// TestFunctionsForVersions) and ext/formatting_test.go (TestStringFormat,
// TestStringFormatHeterogeneousLiterals), plus apiserver c9f9cf747e61
// pkg/cel/library/cost_test.go (TestStringLibrary, TestSize) for costs.
// Skipped upstream rows: those needing timestamp, duration or protobuf message values
// (not part of the DRA environment's values), the fr_FR/nl_NL locale rows (Kubernetes
// always formats with en_US), and the reverse() rows of stringTests, which become compile
// errors here because reverse is a version-3 function.
// stringTests rows marked parseOnly are evaluated unchecked upstream and fail at runtime
// with "no such overload"; so they do here.
#include <algorithm>
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
using testing::run_cel;

const OverloadDecl& decl(std::string_view id) {
  for (const OverloadDecl& d : strings_extension()) {
    if (d.id == id) return d;
  }
  FAIL("no overload " << id);
  static OverloadDecl none;
  return none;
}

Value eval_value(std::string_view expression, const Activation& act = {}) {
  const ParseResult r = parse(expression);
  REQUIRE(r.ok());
  return evaluate(*r.expr, act);
}

// The raw text a string-valued expression gives, or "error: <message>".
std::string eval_text(std::string_view expression, const Activation& act = {}) {
  const ParseResult r = parse(expression);
  if (!r.ok()) return "parse: " + format_errors(expression, r.errors);
  const Value v = evaluate(*r.expr, act);
  if (v.is_error()) return "error: " + v.error_message();
  if (v.kind() != ValueKind::String) return "not a string: " + to_debug_string(v);
  return v.string_value();
}

// A CEL double-quoted literal of `s` (what Go's %q gives for these format strings).
std::string cel_literal(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

struct FormatRow {
  std::string_view name;
  std::string_view format;  // the format string's value
  std::string_view args;    // the elements of the list literal, in CEL
  std::string_view want;    // the result's text, or "error: <message>"
};

// Upstream builds `"<format>".format([<args>])`.
std::string format_call(const FormatRow& r) {
  return cel_literal(r.format) + ".format([" + std::string(r.args) + "])";
}

// Rows that succeed upstream: the result text.
void check_format_values(const std::vector<FormatRow>& rows, const Activation& act = {}) {
  for (const FormatRow& r : rows) {
    const std::string expression = format_call(r);
    INFO(r.name << ": " << expression);
    CHECK(eval_text(expression, act) == r.want);
  }
}

// Rows that fail upstream. With a literal format string and a list literal Kubernetes
// rejects them at compile time (cel-go's string format validator, added by ext.Strings
// from version 1) with the same message the runtime gives; with the arguments in a
// variable the runtime reports it.
void check_format_errors(const std::vector<FormatRow>& rows) {
  for (const FormatRow& r : rows) {
    const std::string expression = format_call(r);
    INFO(r.name << ": " << expression);
    REQUIRE(r.want.starts_with("error: "));
    check_cases({{r.name, expression, "check: " + std::string(r.want.substr(7))}});
    Activation act;
    act.bind("args", eval_value("[" + std::string(r.args) + "]"));
    CHECK(eval_text(cel_literal(r.format) + ".format(args)", act) == r.want);
  }
}

}  // namespace

TEST_CASE("selectors: strings extension (strings_test.go stringTests)", "[selectors]") {
  check_cases({
      {"stringTests[0]", R"cel('tacocat'.charAt(3) == 'o')cel", "true"},
      {"stringTests[1]", R"cel('tacocat'.charAt(7) == '')cel", "true"},
      {"stringTests[2]",
       R"cel('©αT'.charAt(0) == '©' && '©αT'.charAt(1) == 'α' && '©αT'.charAt(2) == 'T')cel",
       "true"},
      {"stringTests[3]", R"cel('tacocat'.indexOf('') == 0)cel", "true"},
      {"stringTests[4]", R"cel('tacocat'.indexOf('ac') == 1)cel", "true"},
      {"stringTests[5]", R"cel('tacocat'.indexOf('none') == -1)cel", "true"},
      {"stringTests[6]", R"cel('tacocat'.indexOf('', 3) == 3)cel", "true"},
      {"stringTests[7]", R"cel('tacocat'.indexOf('a', 3) == 5)cel", "true"},
      {"stringTests[8]", R"cel('tacocat'.indexOf('at', 3) == 5)cel", "true"},
      {"stringTests[9]", R"cel('ta©o©αT'.indexOf('©') == 2)cel", "true"},
      {"stringTests[10]", R"cel('ta©o©αT'.indexOf('©', 3) == 4)cel", "true"},
      {"stringTests[11]", R"cel('ta©o©αT'.indexOf('©αT', 3) == 4)cel", "true"},
      {"stringTests[12]", R"cel('ta©o©αT'.indexOf('©α', 5) == -1)cel", "true"},
      {"stringTests[13]", R"cel('ijk'.indexOf('k') == 2)cel", "true"},
      {"stringTests[14]", R"cel('hello wello'.indexOf('hello wello') == 0)cel", "true"},
      {"stringTests[15]", R"cel('hello wello'.indexOf('ello', 6) == 7)cel", "true"},
      {"stringTests[16]", R"cel('hello wello'.indexOf('elbo room!!') == -1)cel", "true"},
      {"stringTests[17]", R"cel('hello wello'.indexOf('elbo room!!!') == -1)cel", "true"},
      {"stringTests[18]", R"cel(''.lastIndexOf('@@') == -1)cel", "true"},
      {"stringTests[19]", R"cel('tacocat'.lastIndexOf('') == 7)cel", "true"},
      {"stringTests[20]", R"cel('tacocat'.lastIndexOf('at') == 5)cel", "true"},
      {"stringTests[21]", R"cel('tacocat'.lastIndexOf('none') == -1)cel", "true"},
      {"stringTests[22]", R"cel('tacocat'.lastIndexOf('', 3) == 3)cel", "true"},
      {"stringTests[23]", R"cel('tacocat'.lastIndexOf('a', 3) == 1)cel", "true"},
      {"stringTests[24]", R"cel('ta©o©αT'.lastIndexOf('©') == 4)cel", "true"},
      {"stringTests[25]", R"cel('ta©o©αT'.lastIndexOf('©', 3) == 2)cel", "true"},
      {"stringTests[26]", R"cel('ta©o©αT'.lastIndexOf('©α', 4) == 4)cel", "true"},
      {"stringTests[27]", R"cel('hello wello'.lastIndexOf('ello', 6) == 1)cel", "true"},
      {"stringTests[28]", R"cel('hello wello'.lastIndexOf('low') == -1)cel", "true"},
      {"stringTests[29]", R"cel('hello wello'.lastIndexOf('elbo room!!') == -1)cel", "true"},
      {"stringTests[30]", R"cel('hello wello'.lastIndexOf('elbo room!!!') == -1)cel", "true"},
      {"stringTests[31]", R"cel('hello wello'.lastIndexOf('hello wello') == 0)cel", "true"},
      {"stringTests[32]", R"cel('bananananana'.lastIndexOf('nana', 7) == 6)cel", "true"},
      {"stringTests[33]", R"cel('TacoCat'.lowerAscii() == 'tacocat')cel", "true"},
      {"stringTests[34]", R"cel('TacoCÆt'.lowerAscii() == 'tacocÆt')cel", "true"},
      {"stringTests[35]", R"cel('TacoCÆt Xii'.lowerAscii() == 'tacocÆt xii')cel", "true"},
      {"stringTests[36]", R"cel("12 days 12 hours".replace("{0}", "2") == "12 days 12 hours")cel",
       "true"},
      {"stringTests[37]", R"cel("{0} days {0} hours".replace("{0}", "2") == "2 days 2 hours")cel",
       "true"},
      {"stringTests[38]",
       R"cel("{0} days {0} hours".replace("{0}", "2", 1).replace("{0}", "23") == "2 days 23 hours")cel",
       "true"},
      {"stringTests[39]", R"cel("1 ©αT taco".replace("αT", "o©α") == "1 ©o©α taco")cel", "true"},
      {"stringTests[40]", R"cel("hello hello".replace("", "_") == "_h_e_l_l_o_ _h_e_l_l_o_")cel",
       "true"},
      {"stringTests[41]", R"cel("hello hello".replace("h", "") == "ello ello")cel", "true"},
      {"stringTests[42]", R"cel("hello world".split(" ") == ["hello", "world"])cel", "true"},
      {"stringTests[43]", R"cel("hello world events!".split(" ", 0) == [])cel", "true"},
      {"stringTests[44]", R"cel("hello world events!".split(" ", 1) == ["hello world events!"])cel",
       "true"},
      {"stringTests[45]", R"cel("o©o©o©o".split("©", -1) == ["o", "o", "o", "o"])cel", "true"},
      {"stringTests[46]", R"cel("tacocat".substring(4) == "cat")cel", "true"},
      {"stringTests[47]", R"cel("tacocat".substring(7) == "")cel", "true"},
      {"stringTests[48]", R"cel("tacocat".substring(0, 4) == "taco")cel", "true"},
      {"stringTests[49]", R"cel("tacocat".substring(4, 4) == "")cel", "true"},
      {"stringTests[50]", R"cel('ta©o©αT'.substring(2, 6) == "©o©α")cel", "true"},
      {"stringTests[51]", R"cel('ta©o©αT'.substring(7, 7) == "")cel", "true"},
      {"stringTests[52]", R"cel(" \f\n\r\t\vtext  ".trim() == "text")cel", "true"},
      {"stringTests[53]", R"cel("\u0085\u00a0\u1680text".trim() == "text")cel", "true"},
      {"stringTests[54]",
       R"cel("text\u2000\u2001\u2002\u2003\u2004\u2004\u2006\u2007\u2008\u2009".trim() == "text")cel",
       "true"},
      {"stringTests[55]", R"cel("\u200atext\u2028\u2029\u202F\u205F\u3000".trim() == "text")cel",
       "true"},
      {"stringTests[56]", R"cel("\u180etext\u200b\u200c\u200d\u2060\ufeff".trim()
				== "\u180etext\u200b\u200c\u200d\u2060\ufeff")cel",
       "true"},
      {"stringTests[57]", R"cel('tacoCat'.upperAscii() == 'TACOCAT')cel", "true"},
      {"stringTests[58]", R"cel('tacoCαt'.upperAscii() == 'TACOCαT')cel", "true"},
      {"stringTests[59] (reverse is strings v3: absent at v2)",
       R"cel('gums'.reverse() == 'smug')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[60] (reverse is strings v3: absent at v2)",
       R"cel('palindromes'.reverse() == 'semordnilap')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[61] (reverse is strings v3: absent at v2)",
       R"cel('John Smith'.reverse() == 'htimS nhoJ')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[62] (reverse is strings v3: absent at v2)",
       R"cel('u180etext'.reverse() == 'txete081u')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[63] (reverse is strings v3: absent at v2)",
       R"cel('2600+U'.reverse() == 'U+0062')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[64] (reverse is strings v3: absent at v2)",
       R"cel('\u180e\u200b\u200c\u200d\u2060\ufeff'.reverse() == '\ufeff\u2060\u200d\u200c\u200b\u180e')cel",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
      {"stringTests[65]", R"cel(['x', 'y'].join() == 'xy')cel", "true"},
      {"stringTests[66]", R"cel(['x', 'y'].join('-') == 'x-y')cel", "true"},
      {"stringTests[67]", R"cel([].join() == '')cel", "true"},
      {"stringTests[68]", R"cel([].join('-') == '')cel", "true"},
      {"stringTests[69]", R"cel(strings.quote("first\nsecond") == "\"first\\nsecond\"")cel",
       "true"},
      {"stringTests[70]", R"cel(strings.quote("bell\a") == "\"bell\\a\"")cel", "true"},
      {"stringTests[71]", R"cel(strings.quote("\bbackspace") == "\"\\bbackspace\"")cel", "true"},
      {"stringTests[72]", R"cel(strings.quote("\fform feed") == "\"\\fform feed\"")cel", "true"},
      {"stringTests[73]",
       R"cel(strings.quote("carriage \r return") == "\"carriage \\r return\"")cel", "true"},
      {"stringTests[74]", R"cel(strings.quote("horizontal tab\t") == "\"horizontal tab\\t\"")cel",
       "true"},
      {"stringTests[75]", R"cel(strings.quote("vertical \v tab") == "\"vertical \\v tab\"")cel",
       "true"},
      {"stringTests[76]",
       R"cel(strings.quote("double \\\\ slash") == "\"double \\\\\\\\ slash\"")cel", "true"},
      {"stringTests[77]",
       R"cel(strings.quote("two escape sequences \a\n") == "\"two escape sequences \\a\\n\"")cel",
       "true"},
      {"stringTests[78]", R"cel(strings.quote("verbatim") == "\"verbatim\"")cel", "true"},
      {"stringTests[79]", R"cel(strings.quote("ends with \\") == "\"ends with \\\\\"")cel", "true"},
      {"stringTests[80]", R"cel(strings.quote("\\ starts with") == "\"\\\\ starts with\"")cel",
       "true"},
      {"stringTests[81]",
       R"cel(strings.quote("printable unicode😀") == "\"printable unicode😀\"")cel", "true"},
      {"stringTests[82]",
       R"cel(strings.quote("mid string \" quote") == "\"mid string \\\" quote\"")cel", "true"},
      {"stringTests[83]",
       R"cel(strings.quote('single-quote with "double quote"') == "\"single-quote with \\\"double quote\\\"\"")cel",
       "true"},
      {"stringTests[84]", R"cel(strings.quote("size('ÿ')") == "\"size('ÿ')\"")cel", "true"},
      {"stringTests[85]", R"cel(strings.quote("size('πέντε')") == "\"size('πέντε')\"")cel", "true"},
      {"stringTests[86]", R"cel(strings.quote("завтра") == "\"завтра\"")cel", "true"},
      {"stringTests[87]",
       R"cel(strings.quote("\U0001F431\U0001F600\U0001F61B") == "\"\U0001F431\U0001F600\U0001F61B\"")cel",
       "true"},
      {"stringTests[88]", R"cel(strings.quote("ta©o©αT") == "\"ta©o©αT\"")cel", "true"},
      {"stringTests[89]", R"cel(strings.quote("") == "\"\"")cel", "true"},
      {"stringTests[90]",
       R"cel(strings.quote('%s %s').format(['hello', 'world']) == "\"hello world\"")cel", "true"},
      {"stringTests[91]", R"cel('tacocat'.charAt(30) == '')cel", "error: index out of range: 30"},
      {"stringTests[92]", R"cel('tacocat'.indexOf('a', 30) == -1)cel", "true"},
      {"stringTests[93]", R"cel('tacocat'.lastIndexOf('a', -1) == -1)cel",
       "error: index out of range: -1"},
      {"stringTests[94]", R"cel('tacocat'.lastIndexOf('a', 30) == -1)cel", "true"},
      {"stringTests[95]", R"cel("tacocat".substring(40) == "cat")cel",
       "error: index out of range: 40"},
      {"stringTests[96]", R"cel("tacocat".substring(-1) == "cat")cel",
       "error: index out of range: -1"},
      {"stringTests[97]", R"cel("tacocat".substring(1, 50) == "cat")cel",
       "error: index out of range: 50"},
      {"stringTests[98]", R"cel("tacocat".substring(49, 50) == "cat")cel",
       "error: index out of range: 49"},
      {"stringTests[99]", R"cel("tacocat".substring(4, 3) == "")cel",
       "error: invalid substring range. start: 4, end: 3"},
      {"stringTests[100] (parseOnly)", R"cel(42.charAt(2) == "")cel",
       "check: found no matching overload for 'charAt' applied to 'int.(int)'"},
      {"stringTests[101] (parseOnly)", R"cel('hello'.charAt(true) == "")cel",
       "check: found no matching overload for 'charAt' applied to 'string.(bool)'"},
      {"stringTests[102] (parseOnly)", R"cel(24.indexOf('2') == 0)cel",
       "check: found no matching overload for 'indexOf' applied to 'int.(string)'"},
      {"stringTests[103] (parseOnly)", R"cel('hello'.indexOf(true) == 1)cel",
       "check: found no matching overload for 'indexOf' applied to 'string.(bool)'"},
      {"stringTests[104] (parseOnly)", R"cel(42.indexOf('4', 0) == 0)cel",
       "check: found no matching overload for 'indexOf' applied to 'int.(string, int)'"},
      {"stringTests[105] (parseOnly)", R"cel('42'.indexOf(4, 0) == 0)cel",
       "check: found no matching overload for 'indexOf' applied to 'string.(int, int)'"},
      {"stringTests[106] (parseOnly)", R"cel('42'.indexOf('4', '0') == 0)cel",
       "check: found no matching overload for 'indexOf' applied to 'string.(string, string)'"},
      {"stringTests[107] (parseOnly)", R"cel('42'.indexOf('4', 0, 1) == 0)cel",
       "check: found no matching overload for 'indexOf' applied to 'string.(string, int, int)'"},
      {"stringTests[108] (parseOnly)", R"cel(42.split("2") == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'int.(string)'"},
      {"stringTests[109] (parseOnly)", R"cel(42.replace(2, 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'int.(int, int)'"},
      {"stringTests[110] (parseOnly)", R"cel("42".replace(2, 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(int, int)'"},
      {"stringTests[111] (parseOnly)", R"cel("42".replace("2", 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(string, int)'"},
      {"stringTests[112] (parseOnly)", R"cel(42.replace("2", "1", 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'int.(string, string, int)'"},
      {"stringTests[113] (parseOnly)", R"cel("42".replace(2, "1", 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(int, string, int)'"},
      {"stringTests[114] (parseOnly)", R"cel("42".replace("2", 1, 1) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(string, int, int)'"},
      {"stringTests[115] (parseOnly)", R"cel("42".replace("2", "1", "1") == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(string, string, "
       "string)'"},
      {"stringTests[116] (parseOnly)", R"cel("42".replace("2", "1", 1, false) == "41")cel",
       "check: found no matching overload for 'replace' applied to 'string.(string, string, int, "
       "bool)'"},
      {"stringTests[117] (parseOnly)", R"cel(42.split("") == ["4", "2"])cel",
       "check: found no matching overload for 'split' applied to 'int.(string)'"},
      {"stringTests[118] (parseOnly)", R"cel("42".split(2) == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'string.(int)'"},
      {"stringTests[119] (parseOnly)", R"cel(42.split("2", "1") == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'int.(string, string)'"},
      {"stringTests[120] (parseOnly)", R"cel("42".split(2, 1) == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'string.(int, int)'"},
      {"stringTests[121] (parseOnly)", R"cel("42".split("2", "1") == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'string.(string, string)'"},
      {"stringTests[122] (parseOnly)", R"cel("42".split("2", 1, 1) == ["4"])cel",
       "check: found no matching overload for 'split' applied to 'string.(string, int, int)'"},
      {"stringTests[123] (parseOnly)", R"cel('hello'.substring(1, 2, 3) == "")cel",
       "check: found no matching overload for 'substring' applied to 'string.(int, int, int)'"},
      {"stringTests[124] (parseOnly)", R"cel(30.substring(true, 3) == "")cel",
       "check: found no matching overload for 'substring' applied to 'int.(bool, int)'"},
      {"stringTests[125] (parseOnly)", R"cel("tacocat".substring(true, 3) == "")cel",
       "check: found no matching overload for 'substring' applied to 'string.(bool, int)'"},
      {"stringTests[126] (parseOnly)", R"cel("tacocat".substring(0, false) == "")cel",
       "check: found no matching overload for 'substring' applied to 'string.(int, bool)'"},
  });
}

TEST_CASE("selectors: strings extension version 2 function set", "[selectors]") {
  // strings_test.go TestStringsVersions: versions 0 and 1 functions are present at 2.
  check_cases({
      {"chatAt", "''.charAt(0) == ''", "true"},
      {"indexOf", "'a'.indexOf('a') == 0", "true"},
      {"lastIndexOf", "'a'.lastIndexOf('a') == 0", "true"},
      {"join", "['a', 'b'].join() == 'ab'", "true"},
      {"joinSep", "['a', 'b'].join('-') == 'a-b'", "true"},
      {"lowerAscii", "'a'.lowerAscii() == 'a'", "true"},
      {"replace", "'hello hello'.replace('he', 'we') == 'wello wello'", "true"},
      {"split", "'hello hello hello'.split(' ') == ['hello', 'hello', 'hello']", "true"},
      {"substring", "'tacocat'.substring(4) == 'cat'", "true"},
      {"trim", R"('  \ttrim\n    '.trim() == 'trim')", "true"},
      {"upperAscii", "'TacoCat'.upperAscii() == 'TACOCAT'", "true"},
      {"format", "'a %d'.format([1]) == 'a 1'", "true"},
      {"quote", R"(strings.quote('\a \b "double quotes"') == '"\\a \\b \\"double quotes\\""')",
       "true"},
      // reverse (version 3) is not declared for strings: a compile error in Kubernetes
      // (the lists extension's list reverse() is the only overload).
      {"reverse", "'taco'.reverse() == 'ocat'",
       "check: found no matching overload for 'reverse' applied to 'string.()'"},
  });
  // TestFunctionsForVersions: exactly these functions at version 2.
  std::vector<std::string> names;
  for (const OverloadDecl& d : strings_extension()) {
    std::string_view sig = d.signature;
    for (std::string_view receiver : {"string.", "list(string)."}) {
      if (sig.starts_with(receiver)) sig.remove_prefix(receiver.size());
    }
    const std::string name(sig.substr(0, sig.find('(')));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"charAt", "format", "indexOf", "join", "lastIndexOf",
                                          "lowerAscii", "replace", "split", "strings.quote",
                                          "substring", "trim", "upperAscii"});
}

TEST_CASE("selectors: strings.quote (strings_test.go TestQuoteUnquote)", "[selectors]") {
  struct Row {
    std::string_view name;
    std::string_view input;
    std::string_view quoted;
    uint64_t cost;  // expectedRuntimeCost of strings.quote(<input>), also the estimate
  };
  const std::vector<Row> rows = {
      {"remove quotes only", "this is a test", R"("this is a test")", 2},
      {"mid-string newline", "first\nsecond", R"("first\nsecond")", 2},
      {"bell", "bell\a", R"("bell\a")", 1},
      {"backspace", "\bbackspace", R"("\bbackspace")", 1},
      {"form feed", "\fform feed", R"("\fform feed")", 1},
      {"carriage return", "carriage \r return", R"("carriage \r return")", 2},
      {"horizontal tab", "horizontal \ttab", R"("horizontal \ttab")", 2},
      {"vertical tab", "vertical \v tab", R"("vertical \v tab")", 2},
      {"double slash", "double \\\\ slash", R"("double \\\\ slash")", 2},
      {"two escape sequences", "two escape sequences \a\n", R"("two escape sequences \a\n")", 3},
      {"ends with slash", "ends with \\", R"("ends with \\")", 2},
      {"starts with slash", "\\ starts with", R"("\\ starts with")", 2},
      {"printable unicode", "printable unicode😀", R"("printable unicode😀")", 2},
      {"mid-string quote", "mid-string \" quote", R"("mid-string \" quote")", 2},
      {"single-quote with double quote", R"(single-quote with "double quote")",
       R"("single-quote with \"double quote\"")", 4},
      {"CEL-only escape sequences", "\\? and \\`", R"("\\? and \\`")", 1},
      {"test cost", "this is a very very very long string used to ensure that cost tracking works",
       R"("this is a very very very long string used to ensure that cost tracking works")", 8},
  };
  for (const Row& r : rows) {
    INFO(r.name);
    const std::vector<Value> args = {Value::string(std::string(r.input))};
    const Value out = decl("strings_quote").impl(args);
    REQUIRE(out.kind() == ValueKind::String);
    CHECK(out.string_value() == r.quoted);
    CHECK(decl("strings_quote").cost(args, out) == r.cost);
    const uint64_t n = [&] {
      uint64_t k = 0;
      for (char c : r.input) k += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      return k;
    }();
    const std::vector<SizeEstimate> sizes = {{n, n}};
    const CallEstimate e = decl("strings_quote").estimate(sizes);
    CHECK(e.cost.min == r.cost);
    CHECK(e.cost.max == r.cost);
    REQUIRE(e.result_size.has_value());
    CHECK(e.result_size->min == n + 2);
    CHECK(e.result_size->max == 2 * n + 2);
  }
}

TEST_CASE("selectors: string.format values (formatting_test.go TestStringFormat)", "[selectors]") {
  check_format_values({
      {"no-op", "no substitution", "", "no substitution"},
      {"mid-string substitution", "str is %s and some more", R"("filler")",
       "str is filler and some more"},
      {"percent escaping", "%% and also %%", "", "% and also %"},
      {"substution inside escaped percent signs", "%%%s%%", R"("text")", "%text%"},
      {"substitution with one escaped percent sign on the right", "%s%%",
       R"("percent on the right")", "percent on the right%"},
      {"substitution with one escaped percent sign on the left", "%%%s", R"("percent on the left")",
       "%percent on the left"},
      {"multiple substitutions", "%d %d %d, %s %s %s, %d %d %d, %s %s %s",
       R"(1, 2, 3, "A", "B", "C", 4, 5, 6, "D", "E", "F")", "1 2 3, A B C, 4 5 6, D E F"},
      {"percent sign escape sequence support", "%%escaped %s%%", R"("percent")",
       "%escaped percent%"},
      {"fixed point formatting clause", "%.3f", "1.2345", "1.234"},
      {"binary formatting clause", "this is 5 in binary: %b", "5", "this is 5 in binary: 101"},
      {"negative binary formatting clause", "this is -5 in binary: %b", "-5",
       "this is -5 in binary: -101"},
      {"uint support for binary formatting", "unsigned 64 in binary: %b", "uint(64)",
       "unsigned 64 in binary: 1000000"},
      {"bool support for binary formatting", "bit set from bool: %b", "true",
       "bit set from bool: 1"},
      {"octal formatting clause", "%o", "11", "13"},
      {"negative octal formatting clause", "%o", "-11", "-13"},
      {"uint support for octal formatting clause", "this is an unsigned octal: %o", "uint(65535)",
       "this is an unsigned octal: 177777"},
      {"lowercase hexadecimal formatting clause", "%x is 30 in hexadecimal", "30",
       "1e is 30 in hexadecimal"},
      {"uppercase hexadecimal formatting clause", "%X is 20 in hexadecimal", "30",
       "1E is 20 in hexadecimal"},
      {"negative hexadecimal formatting clause", "%x is -30 in hexadecimal", "-30",
       "-1e is -30 in hexadecimal"},
      {"unsigned support for hexadecimal formatting clause", "%X is 6000 in hexadecimal",
       "uint(6000)", "1770 is 6000 in hexadecimal"},
      {"string support with hexadecimal formatting clause", "%x", R"("Hello world!")",
       "48656c6c6f20776f726c6421"},
      {"string support with uppercase hexadecimal formatting clause", "%X", R"("Hello world!")",
       "48656C6C6F20776F726C6421"},
      {"byte support with hexadecimal formatting clause", "%x", R"(b"byte string")",
       "6279746520737472696e67"},
      {"byte support with hexadecimal formatting clause leading zero", "%x",
       R"(b"\x00\x00byte string\x00")", "00006279746520737472696e6700"},
      {"byte support with uppercase hexadecimal formatting clause", "%X", R"(b"byte string")",
       "6279746520737472696E67"},
      {"scientific notation formatting clause", "%.6e", "1052.032911275",
       "1.052033\u202f\u00d7\u202f10\u2070\u00b3"},
      {"default precision for fixed-point clause", "%f", "2.71828", "2.718280"},
      {"default precision for scientific notation", "%e", "2.71828",
       "2.718280\u202f\u00d7\u202f10\u2070\u2070"},
      {"default precision for string", "%s", "2.71", "2.71"},
      {"default list precision for string", "%s", "[2.71]", "[2.710000]"},
      {"default scientific notation for string", "%s", "0.000000002", "2e-09"},
      {"default list scientific notation for string", "%s", "[0.000000002]", "[0.000000]"},
      {"unicode output for scientific notation", "unescaped unicode: %e, escaped unicode: %e",
       "2.71828, 2.71828",
       "unescaped unicode: 2.718280\u202f\u00d7\u202f10\u2070\u2070, escaped unicode: "
       "2.718280\u202f\u00d7\u202f10\u2070\u2070"},
      {"NaN support for fixed-point", "%f", R"("NaN")", "NaN"},
      {"positive infinity support for fixed-point", "%f", R"("Infinity")", "∞"},
      {"negative infinity support for fixed-point", "%f", R"("-Infinity")", "-∞"},
      {"NaN support for string", "%s", R"(double("NaN"))", "NaN"},
      {"positive infinity support for string", "%s", R"(double("Inf"))", "+Inf"},
      {"negative infinity support for string", "%s", R"(double("-Inf"))", "-Inf"},
      {"infinity list support for string", "%s",
       R"([double("NaN"),double("+Inf"), double("-Inf")])", R"(["NaN", "+Inf", "-Inf"])"},
      {"uint support for decimal clause", "%d", "uint(64)", "64"},
      {"null support for string", "null: %s", "null", "null: null"},
      {"int support for string", "%s", "999999999999", "999999999999"},
      {"bytes support for string", "some bytes: %s", R"(b"xyz")", "some bytes: xyz"},
      {"type() support for string", "type is %s", R"(type("test string"))", "type is string"},
      {"map support (all key types)", "map with multiple key types: %s",
       R"({1: "value1", uint(2): "value2", true: double("NaN")})",
       R"(map with multiple key types: {1:"value1", 2:"value2", true:"NaN"})"},
      {"boolean support for %s", "true bool: %s, false bool: %s", "true, false",
       "true bool: true, false bool: false"},
      // TestStringFormatHeterogeneousLiterals
      {"heterogeneous list", "list: %s", "[[1, 2, [3.0, 4]]]", "list: [[1, 2, [3.000000, 4]]]"},
      {"heterogeneous list size", "list size: %d", "[[1, 2, [3.0, 4]]].size()", "list size: 1"},
      {"heterogeneous list element", "list element: %s", "[[1, 2, [3.0, 4]]][0]",
       "list element: [1, 2, [3.000000, 4]]"},
      // The list and map rows of TestStringFormat without their timestamp and duration
      // elements.
      {"list support for string (no timestamp)", "%s", R"(["abc", 3.14, null, [9, 8, 7, 6]])",
       R"(["abc", 3.140000, null, [9, 8, 7, 6]])"},
      {"map support for string (no duration)", "%s",
       R"({"key1": b"xyz", "key5": null, "key4": true, "key3": 2.71828})",
       R"({"key1":b"xyz", "key3":2.718280, "key4":true, "key5":null})"},
  });
}

TEST_CASE("selectors: string.format with dyn variables (TestStringFormat dynArgs)", "[selectors]") {
  Activation act;
  act.bind("dynStr", Value::string("a string"));
  act.bind("dynIntStr", Value::integer(32));
  act.bind("dynDoubleStr", Value::dbl(56.8));
  act.bind("dynInt", Value::integer(128));
  act.bind("dynUnsignedInt", Value::uinteger(256));
  act.bind("dynUnsignedHexInt", Value::uinteger(500));
  act.bind("dynDouble", Value::dbl(4.5));
  act.bind("dynE", Value::dbl(2.71828));
  act.bind("dynNaN", Value::dbl(std::nan("")));
  act.bind("dynInf", Value::dbl(std::numeric_limits<double>::infinity()));
  act.bind("dynList", Value::list({Value::integer(6), Value::dbl(4.2), Value::string("a string")}));
  act.bind("dynMap", Value::map({{Value::string("strKey"), Value::string("x")},
                                 {Value::boolean(true), Value::integer(42)}}));
  check_format_values(
      {
          {"dyntype support for string formatting clause", "dynamic string: %s", "dynStr",
           "dynamic string: a string"},
          {"dyntype support for numbers with string formatting clause",
           "dynIntStr: %s dynDoubleStr: %s", "dynIntStr, dynDoubleStr",
           "dynIntStr: 32 dynDoubleStr: 56.8"},
          {"dyntype support for integer formatting clause", "dynamic int: %d", "dynInt",
           "dynamic int: 128"},
          {"dyntype support for integer formatting clause (unsigned)", "dynamic unsigned int: %d",
           "dynUnsignedInt", "dynamic unsigned int: 256"},
          {"dyntype support for unsigned hex formatting clause", "dynamic hex int: %x (unsigned)",
           "dynUnsignedHexInt", "dynamic hex int: 1f4 (unsigned)"},
          {"dyntype support for fixed-point formatting clause", "dynamic double: %.3f", "dynDouble",
           "dynamic double: 4.500"},
          {"dyntype support for scientific notation", "(dyntype) e: %e", "dynE",
           "(dyntype) e: 2.718280\u202f\u00d7\u202f10\u2070\u2070"},
          {"dyntype NaN/infinity support for fixed-point", "NaN: %f, infinity: %f",
           "dynNaN, dynInf", "NaN: NaN, infinity: ∞"},
          {"dyntype support for lists", "dyntype list: %s", "dynList",
           R"(dyntype list: [6, 4.200000, "a string"])"},
          // Upstream's map also has 6: duration("422s"), left out here.
          {"dyntype support for maps (no duration)", "dyntype map: %s", "dynMap",
           R"(dyntype map: {"strKey":"x", true:42})"},
      },
      act);
  Activation hex;
  hex.bind("dynHexInt", Value::integer(22));
  check_format_values({{"dyntype support for hex formatting clause", "dynamic hex int: %x",
                        "dynHexInt", "dynamic hex int: 16"}},
                      hex);
  hex.bind("dynHexInt", Value::integer(26));
  check_format_values(
      {{"dyntype support for hex formatting clause (uppercase)", "dynamic hex int: %X (uppercase)",
        "dynHexInt", "dynamic hex int: 1A (uppercase)"}},
      hex);
}

TEST_CASE("selectors: string.format errors (formatting_test.go TestStringFormat)", "[selectors]") {
  check_format_errors({
      {"unrecognized formatting clause", "%a", "1",
       "error: could not parse formatting clause: unrecognized formatting clause \"a\""},
      {"out of bounds arg index", "%d %d %d", "0, 1", "error: index 2 out of range"},
      {"string substitution is not allowed with binary clause", "string is %b", R"("abc")",
       "error: error during formatting: only integers and bools can be formatted as binary, "
       "was given string"},
      {"string substitution not allowed with octal clause", "octal: %o", R"("a string")",
       "error: error during formatting: octal clause can only be used on integers, was given "
       "string"},
      {"double substitution not allowed with hex clause", "double is %x", "0.5",
       "error: error during formatting: only integers, byte buffers, and strings can be "
       "formatted as hex, was given double"},
      {"uppercase not allowed for scientific clause", "double is %E", "0.5",
       "error: could not parse formatting clause: unrecognized formatting clause \"E\""},
      {"null not allowed for %d", "null: %d", "null",
       "error: error during formatting: decimal clause can only be used on integers, was given "
       "null_type"},
      {"null not allowed for %e", "null: %e", "null",
       "error: error during formatting: scientific clause can only be used on doubles, was "
       "given null_type"},
      {"null not allowed for %f", "null: %f", "null",
       "error: error during formatting: fixed-point clause can only be used on doubles, was "
       "given null_type"},
      {"null not allowed for %x", "null: %x", "null",
       "error: error during formatting: only integers, byte buffers, and strings can be "
       "formatted as hex, was given null_type"},
      {"null not allowed for %X", "null: %X", "null",
       "error: error during formatting: only integers, byte buffers, and strings can be "
       "formatted as hex, was given null_type"},
      {"null not allowed for %b", "null: %b", "null",
       "error: error during formatting: only integers and bools can be formatted as binary, "
       "was given null_type"},
      {"null not allowed for %o", "null: %o", "null",
       "error: error during formatting: octal clause can only be used on integers, was given "
       "null_type"},
      {"compile-time cardinality check (too few for string)", "%s %s", R"("abc")",
       "error: index 1 out of range"},
      {"compile-time syntax check (unrecognized formatting clause)", "%j", "123",
       "error: could not parse formatting clause: unrecognized formatting clause \"j\""},
      {"compile-time %d check", "int is %d", "5.2",
       "error: error during formatting: decimal clause can only be used on integers, was given "
       "double"},
      {"compile-time %f check", "double is %f", "true",
       "error: error during formatting: fixed-point clause can only be used on doubles, was "
       "given bool"},
      {"compile-time precision syntax check", "double is %.34", "5.0",
       "error: could not parse formatting clause: error while parsing precision: could not find "
       "end of precision specifier"},
      {"compile-time %e check", "double is %e", "true",
       "error: error during formatting: scientific clause can only be used on doubles, was "
       "given bool"},
      {"compile-time %b check", "string is %b", R"("a string")",
       "error: error during formatting: only integers and bools can be formatted as binary, "
       "was given string"},
      {"compile-time %x check", "%x is a double", "2.5",
       "error: error during formatting: only integers, byte buffers, and strings can be "
       "formatted as hex, was given double"},
      {"compile-time %X check", "%X is a double", "2.5",
       "error: error during formatting: only integers, byte buffers, and strings can be "
       "formatted as hex, was given double"},
      {"compile-time %o check", "an octal: %o", "3.14",
       "error: error during formatting: octal clause can only be used on integers, was given "
       "double"},
  });
  // Errors only the compile-time validator reports; at runtime these format.
  check_cases({
      {"compile-time cardinality check (too many for string)",
       R"("%s %s".format(["abc", "def", "ghi"]))",
       "check: too many arguments supplied to string.format (expected 2, got 3)"},
      {"compile-time syntax check (unexpected end of string)", R"("filler %".format([]))",
       "check: unexpected end of string"},
  });
  Activation act;
  act.bind("args", eval_value(R"(["abc", "def", "ghi"])"));
  CHECK(eval_text(R"("%s %s".format(args))", act) == "abc def");
  act.bind("args", eval_value("[]"));
  CHECK(eval_text(R"("filler %".format(args))", act) == "error: index 0 out of range");
  act.bind("args", eval_value("[1]"));
  CHECK(eval_text(R"("filler %".format(args))", act) == "error: unexpected end of string");
}

TEST_CASE("selectors: string.format details of cel-go's version-1 formatter", "[selectors]") {
  // Ours, from ext/formatting.go and golang.org/x/text v0.22.0 message/number formatting
  // with en-US: %f groups thousands; %e ignores the precision (it becomes a field width).
  check_format_values({
      {"%f groups thousands", "%f", "1234567.5", "1,234,567.500000"},
      {"%.2f rounds half to even on the binary value", "%.2f", "2.675", "2.67"},
      {"%.0f", "%.0f", "2.5", "2"},
      {"%.1f negative", "%.1f", "-1234.56", "-1,234.6"},
      {"%f negative zero", "%f", "-0.0", "0.000000"},
      {"%f tiny negative", "%.2f", "-0.001", "-0.00"},
      {"%e negative exponent", "%e", "0.00012345",
       "1.234500\u202f\u00d7\u202f10\u207b\u2070\u2074"},
      {"%e zero", "%e", "0.0", "0.000000\u202f\u00d7\u202f10\u2070\u2070"},
      {"%.2e keeps six digits", "%.2e", "3.14159", "3.141590\u202f\u00d7\u202f10\u2070\u2070"},
      {"%.20e pads to width 20", "%.20e", "1.5", "     1.500000\u202f\u00d7\u202f10\u2070\u2070"},
      {"%e NaN padded to width 6", "%e", R"("NaN")", "   NaN"},
      {"%e -Infinity padded", "%e", R"("-Infinity")", "    -∞"},
      {"%e large exponent", "%e", "1e300", "1.000000\u202f\u00d7\u202f10\u00b3\u2070\u2070"},
      {"%s of a large double", "%s", "1234567.0", "1.234567e+06"},
      {"%s of a uint", "%s", "uint(7)", "7"},
      {"%s of a string list quotes (Go %q)", "%s", R"(["a\"b", "c\nd", "é"])",
       R"(["a\"b", "c\nd", "é"])"},
      {"%s of nested map", "%s", R"({"b": [1], "a": {"x": 1.5}})",
       R"({"a":{"x":1.500000}, "b":[1]})"},
      {"%x of a negative int", "%x", "-255", "-ff"},
      {"%b of zero", "%b", "0", "0"},
      {"%o of uint max", "%o", "18446744073709551615u", "1777777777777777777777"},
      {"%X of int min", "%X", "-9223372036854775807 - 1", "-8000000000000000"},
      {"%d of int min", "%d", "-9223372036854775807 - 1", "-9223372036854775808"},
      {"precision on %s is accepted", "%.3s", R"("abc")", "abc"},
      {"non-ASCII text kept", "é%s©", R"("α")", "éα©"},
  });
  check_format_errors({
      {"empty precision", "%.f", "1.0",
       "error: could not parse formatting clause: error while parsing precision: error while "
       "converting precision to integer: strconv.Atoi: parsing \"\": invalid syntax"},
      {"precision out of range", "%.99999999999999999999f", "1.0",
       "error: could not parse formatting clause: error while parsing precision: error while "
       "converting precision to integer: strconv.Atoi: parsing \"99999999999999999999\": value "
       "out of range"},
      {"%s of an optional", "%s", "optional.of(1)",
       "error: error during formatting: string clause can only be used on strings, bools, "
       "bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given "
       "optional_type"},
      {"list element without a formatter", "%s", "[optional.none()]",
       "error: error during formatting: no formatting function for optional_type"},
  });
  CHECK(eval_text(R"("%s".format([b"\xff"]))") ==
        "error: error during formatting: could not convert argument \"invalid UTF-8 in bytes, "
        "cannot convert to string\" to string");
}

TEST_CASE("selectors: strings extension edge cases", "[selectors]") {
  // Ours: Go's strings.Replace/SplitN/TrimSpace and cel-go's index rules.
  check_cases({
      {"indexOf empty with any offset", "'abc'.indexOf('', 10)", "10"},
      {"indexOf empty with negative offset", "'abc'.indexOf('', -2)", "-2"},
      {"indexOf negative offset", "'abc'.indexOf('a', -1)", "error: index out of range: -1"},
      {"indexOf longer than string", "'ab'.indexOf('abc')", "-1"},
      {"lastIndexOf longer (bytes) than string", "'ab'.lastIndexOf('abc')", "-1"},
      {"lastIndexOf multibyte", "'©©'.lastIndexOf('©')", "1"},
      {"lastIndexOf offset beyond", "'abc'.lastIndexOf('c', 3)", "-1"},
      {"charAt negative", "'abc'.charAt(-1)", "error: index out of range: -1"},
      {"replace negative limit", "'aaa'.replace('a', 'b', -1)", R"("bbb")"},
      {"replace limit 0", "'aaa'.replace('a', 'b', 0)", R"("aaa")"},
      {"replace empty old with limit", "'abc'.replace('', '-', 2)", R"("-a-bc")"},
      {"replace multibyte empty old", "'©α'.replace('', '.')", R"(".©.α.")"},
      {"split empty separator", "'a©c'.split('')", R"(["a", "©", "c"])"},
      {"split empty separator with limit", "'abc'.split('', 2)", R"(["a", "bc"])"},
      {"split empty string", "''.split(',')", R"([""])"},
      {"split empty string by empty", "''.split('')", "[]"},
      {"split limit 2", "'a,b,c'.split(',', 2)", R"(["a", "b,c"])"},
      {"split trailing separator", "'a,'.split(',')", R"(["a", ""])"},
      {"substring full range", "'©α'.substring(0, 2)", R"("©α")"},
      {"trim only spaces", "' \\t '.trim()", R"("")"},
      {"lowerAscii leaves non-ASCII", "'ÀB'.lowerAscii()", R"("Àb")"},
      {"join non-string element", "[1, 'a'].join()",
       "check: expected type 'int' but found 'string'"},
      {"join non-string element later", "['a', 2.5].join('-')",
       "check: expected type 'string' but found 'double'"},
      {"join single", "['a'].join(', ')", R"("a")"},
  });
}

TEST_CASE("selectors: strings extension costs (cost_test.go TestStringLibrary, TestSize)",
          "[selectors]") {
  // TestStringLibrary: the receivers are constants (cost 0), so each expression's cost is
  // the call's own.
  auto cost = [](std::string_view id, std::vector<Value> args, const Value& result) {
    return decl(id).cost(args, result);
  };
  const Value s21 = Value::string("ABCDEFGHIJ abcdefghij");
  const Value s15 = Value::string("abc 123 def 123");
  CHECK(cost("string_lower_ascii", {s21}, s21) == 3);
  CHECK(cost("string_upper_ascii", {s21}, s21) == 3);
  CHECK(cost("strings_quote", {s21}, s21) == 3);
  CHECK(cost("string_replace_string_string", {s15, Value::string("123"), Value::string("456")},
             s15) == 3);
  CHECK(cost("string_replace_string_string", {s15, Value::string(""), Value::string("x")}, s15) ==
        3);
  CHECK(cost("string_replace_string_string_int",
             {s15, Value::string("123"), Value::string("456"), Value::integer(1)}, s15) == 3);
  CHECK(cost("string_split_string", {s15, Value::string(" ")}, Value::null()) == 3);
  CHECK(cost("string_split_string_int", {s15, Value::string(" "), Value::integer(1)},
             Value::null()) == 3);
  CHECK(cost("string_substring_int", {s15, Value::integer(5)}, s15) == 2);
  CHECK(cost("string_substring_int_int", {s15, Value::integer(5), Value::integer(8)}, s15) == 2);
  CHECK(cost("string_trim", {Value::string("  abc 123 def 123  ")}, s15) == 2);
  // join: ceil(size(result) * 0.2); the list literal adds 10 upstream (15 and 13 in all).
  const Value list = eval_value("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j']");
  CHECK(cost("list_join_string", {list, Value::string(" ")},
             Value::string("aa bb cc d e f g h i j")) == 5);
  CHECK(cost("list_join", {list}, Value::string("aabbccdefghij")) == 3);
  // indexOf/lastIndexOf on strings: upstream's traversalCost truncates and counts bytes.
  CHECK(cost("string_index_of_string", {Value::string("©©©©©"), Value::string("x")},
             Value::integer(-1)) == 1);
  CHECK(cost("string_last_index_of_string_int",
             {Value::string("abcdefghi"), Value::string("x"), Value::integer(1)},
             Value::integer(-1)) == 0);
  // format: cel-go's default, ceil(size(format string) * 0.1); TestStringFormat's runtime
  // costs are this plus 10 for the list literal: "no substitution" 12, "%%%s%%" 11.
  CHECK(cost("string_format", {Value::string("no substitution"), Value::list({})}, Value::null()) ==
        2);
  CHECK(cost("string_format", {Value::string("%%%s%%"), Value::list({})}, Value::null()) == 1);
  CHECK(cost("string_format",
             {Value::string("%d %d %d, %s %s %s, %d %d %d, %s %s %s"), Value::list({})},
             Value::null()) == 4);  // "multiple substitutions": 14 - 10

  // Estimates (TestStringLibrary's estimated costs for constant receivers).
  auto est = [](std::string_view id, std::vector<SizeEstimate> sizes) {
    return decl(id).estimate(sizes);
  };
  CHECK(est("string_lower_ascii", {{21, 21}}).cost.max == 3);
  CHECK(est("string_upper_ascii", {{21, 21}}).cost.min == 3);
  CHECK(est("string_replace_string_string", {{15, 15}, {3, 3}, {3, 3}}).cost.max == 3);
  CHECK(est("string_split_string_int", {{15, 15}, {1, 1}, {1, 1}}).cost.max == 3);
  CHECK(est("string_substring_int_int", {{15, 15}, {1, 1}, {1, 1}}).cost.max == 2);
  CHECK(est("string_trim", {{19, 19}}).cost.max == 2);
  CHECK(est("string_index_of_string", {{15, 15}, {1, 1}}).cost.max == 2);
  const CallEstimate split = est("string_split_string", {{15, 15}, {1, 1}});
  REQUIRE(split.result_size.has_value());
  CHECK(split.result_size->max == 15);
  // join: upstream's test estimator sizes list elements at most 12, giving {1, 13} for the
  // join with separator; the element size is not part of our estimate interface, so only
  // the lower bound agrees.
  const CallEstimate j = est("list_join_string", {{10, 10}, {1, 1}});
  CHECK(j.cost.min == 1);
  CHECK(j.cost.max == static_cast<uint64_t>(std::ceil(18446744073709551615.0 * 0.1)));
  REQUIRE(j.result_size.has_value());
  CHECK(j.result_size->max == std::numeric_limits<uint64_t>::max());

  // TestSize: result sizes of replace.
  struct SizeRow {
    std::string_view name;
    std::vector<SizeEstimate> sizes;  // target, old, new
    SizeEstimate want;
  };
  const std::vector<SizeRow> rows = {
      {"replace empty with char", {{3, 3}, {0, 0}, {1, 1}}, {7, 7}},
      {"maybe replace char with empty", {{3, 3}, {1, 1}, {0, 0}}, {0, 3}},
      {"maybe replace repeated", {{4, 4}, {2, 2}, {4, 4}}, {4, 8}},
      {"maybe replace empty", {{4, 4}, {0, 1}, {0, 2}}, {0, 14}},
      {"replace non-empty size range, maybe larger", {{4, 4}, {1, 1}, {1, 2}}, {4, 8}},
      {"replace non-empty size range, maybe smaller", {{4, 4}, {1, 2}, {1, 1}}, {2, 4}},
  };
  for (const SizeRow& r : rows) {
    INFO(r.name);
    const CallEstimate e = est("string_replace_string_string", r.sizes);
    REQUIRE(e.result_size.has_value());
    CHECK(e.result_size->min == r.want.min);
    CHECK(e.result_size->max == r.want.max);
  }
}

}  // namespace dra::selectors
