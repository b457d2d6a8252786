// tests/selectors/parser_test.cpp -- the CEL parser: tree shapes, errors, limits, offsets.
// Inputs and outcomes come from google/cel-go parser/parser_test.go (testCases) and
// google/cel-spec tests/simple/testdata/parse.textproto, restated as facts in our own form:
// the tree as to_debug_string prints it, or the errors as "line:column: message".
#include "selectors/parser.hpp"

#include <catch2/catch.hpp>
#include <span>
#include <string>
#include <string_view>

namespace dra::selectors {
namespace {

// The debug form of the tree, or "error: " and the formatted errors.
std::string outcome(std::string_view input, const ParseOptions& options = {}) {
  const ParseResult r = parse(input, options);
  if (r.ok()) return to_debug_string(*r.expr);
  return "error: " + format_errors(input, r.errors);
}

struct Case {
  std::string_view input;
  std::string_view want;
};

void check_all(std::span<const Case> cases) {
  for (const Case& c : cases) {
    INFO(c.input);
    CHECK(outcome(c.input) == c.want);
  }
}

}  // namespace

TEST_CASE("selectors: parser accepts cel-go's valid inputs with the same shape", "[selectors]") {
  // cel-go parser/parser_test.go, the cases without options or errors.
  const Case cases[] = {
      {R"("A")", R"("A")"},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"42", "42"},
      {"0xF", "15"},
      {"0u", "0u"},
      {"23u", "23u"},
      {"24u", "24u"},
      {"0xFu", "15u"},
      {"-1", "-1"},  // one literal, not a negation
      {"4--4", "(4 - -4)"},
      {"4--4.1", "(4 - -4.1)"},
      {R"(b"abc")", R"(b"abc")"},
      {"23.39", "23.39"},
      {"!a", "(!a)"},
      {"null", "null"},
      {"a", "a"},
      {"a?b:c", "(a ? b : c)"},
      {"a || b", "(a || b)"},
      // && and || chains are balanced trees, split as cel-go's logicManager splits them.
      {"a || b || c || d || e || f ", "(((a || b) || c) || ((d || e) || f))"},
      {"a && b", "(a && b)"},
      {"a && b && c && d && e && f && g", "(((a && b) && (c && d)) && ((e && f) && g))"},
      {"a && b && c && d || e && f && g && h",
       "(((a && b) && (c && d)) || ((e && f) && (g && h)))"},
      {"a + b", "(a + b)"},
      {"a - b", "(a - b)"},
      {"a * b", "(a * b)"},
      {"a / b", "(a / b)"},
      {"a % b", "(a % b)"},
      {"a in b", "(a in b)"},
      {"a == b", "(a == b)"},
      {"a != b", "(a != b)"},
      {"a > b", "(a > b)"},
      {"a >= b", "(a >= b)"},
      {"a < b", "(a < b)"},
      {"a <= b", "(a <= b)"},
      {"a.b", "a.b"},
      {"a.b.c", "a.b.c"},
      {"a[b]", "a[b]"},
      {"{}", "{}"},
      {"{a:b, c:d}", "{a: b, c: d}"},
      {"[]", "[]"},
      {"[a]", "[a]"},
      {"[a, b, c]", "[a, b, c]"},
      {"(a)", "a"},
      {"((a))", "a"},
      {"a()", "a()"},
      {"a(b)", "a(b)"},
      {"a(b, c)", "a(b, c)"},
      {"a.b()", "a.b()"},
      {"a.b(c)", "a.b(c)"},
      {"has(m.f)", "@has(m.f)"},
      {"m.exists(v, f)", "m.@exists(v, f)"},
      {"m.all(v, f)", "m.@all(v, f)"},
      {"m.existsOne(v, f)", "m.@existsOne(v, f)"},
      {"m.map(v, f)", "m.@map(v, f)"},
      {"m.map(v, p, f)", "m.@map(v, p, f)"},
      {"m.filter(v, p)", "m.@filter(v, p)"},
      {"x * 2", "(x * 2)"},
      {"x * 2u", "(x * 2u)"},
      {"x * 2.0", "(x * 2.0)"},
      {R"("\u2764")", "\"\u2764\""},
      {"\"\u2764\"", "\"\u2764\""},
      {"! false", "(!false)"},
      {"-a", "(-a)"},
      {"a.b(5)", "a.b(5)"},
      {"a[3]", "a[3]"},
      {"[3, 4, 5]", "[3, 4, 5]"},
      {"[3, 4, 5,]", "[3, 4, 5]"},
      {R"({foo: 5, bar: "xyz"})", R"({foo: 5, bar: "xyz"})"},
      {R"({foo: 5, bar: "xyz", })", R"({foo: 5, bar: "xyz"})"},
      {"a > 5 && a < 10", "((a > 5) && (a < 10))"},
      {"a < 5 || a > 10", "((a < 5) || (a > 10))"},
      {"[] + [1,2,3,] + [4]", "(([] + [1, 2, 3]) + [4])"},
      {"{1:2u, 2:3u}", "{1: 2u, 2: 3u}"},
      {"size(x) == x.size()", "(size(x) == x.size())"},
      {R"("\"")", R"("\"")"},
      {"[1,3,4][0]", "[1, 3, 4][0]"},
      {R"(x["a"].single_int32 == 23)", R"((x["a"].single_int32 == 23))"},
      {"x.single_nested_message != null", "(x.single_nested_message != null)"},
      {"false && !true || false ? 2 : 3", "(((false && (!true)) || false) ? 2 : 3)"},
      {R"(b"abc" + B"def")", R"((b"abc" + b"def"))"},
      {"1 + 2 * 3 - 1 / 2 == 6 % 1", "(((1 + (2 * 3)) - (1 / 2)) == (6 % 1))"},
      {R"("abc" + "def")", R"(("abc" + "def"))"},
      {R"("\xC3\XBF")", "\"\u00c3\u00bf\""},
      {R"("\303\277")", "\"\u00c3\u00bf\""},
      {R"("hi\u263A \u263Athere")", "\"hi\u263a \u263athere\""},
      {R"("\U000003A8\?")", "\"\u03a8?\""},
      {R"("\a\b\f\n\r\t\v'\"\\\? Legal escapes")", R"("\a\b\f\n\r\t\v'\"\\? Legal escapes")"},
      {"\"\U0001F601\" in [\"\U0001F601\", \"\U0001F611\", \"\U0001F626\"]",
       "(\"\U0001F601\" in [\"\U0001F601\", \"\U0001F611\", \"\U0001F626\"])"},
      {"x.filter(y, y.filter(z, z > 0))", "x.@filter(y, y.@filter(z, (z > 0)))"},
      {"has(a.b).filter(c, c)", "@has(a.b).@filter(c, c)"},
      {"x.filter(y, y.exists(z, has(z.a)) && y.exists(z, has(z.b)))",
       "x.@filter(y, (y.@exists(z, @has(z.a)) && y.@exists(z, @has(z.b))))"},
      {"(has(a.b) || has(c.d)).string()", "(@has(a.b) || @has(c.d)).string()"},
      {"has(a.b).asList().exists(c, c)", "@has(a.b).asList().@exists(c, c)"},
      {"[has(a.b), has(c.d)].exists(e, e)", "[@has(a.b), @has(c.d)].@exists(e, e)"},
      {"noop_macro(123)", "noop_macro(123)"},  // an unknown name is a plain call
      // Optional syntax: enabled in Kubernetes (cel.OptionalTypes, apiserver base.go, 1.28).
      {"a.?b && a[?b]", "(a.?b && a[?b])"},
      {"a.?b[?0] && a[?c]", "(a.?b[?0] && a[?c])"},
      {"{?'key': value}", R"({?"key": value})"},
      {"[?a, ?b]", "[?a, ?b]"},
      {"[?a[?b]]", "[?a[?b]]"},
  };
  check_all(cases);
}

TEST_CASE("selectors: parser accepts cel-spec's parse tests", "[selectors]") {
  // cel-spec tests/simple/testdata/parse.textproto, the groups nest, repeat, whitespace,
  // comments and selectors without message literals (DRA declares no message types).
  const Case cases[] = {
      {"a[a[a[a[a[a[a[a[a[a[a[a[0]]]]]]]]]]]]", "a[a[a[a[a[a[a[a[a[a[a[a[0]]]]]]]]]]]]"},
      {"int(uint(int(uint(int(uint(int(uint(int(uint(int(uint(7))))))))))))",
       "int(uint(int(uint(int(uint(int(uint(int(uint(int(uint(7))))))))))))"},
      {"size([[[[[[[[[[[[0]]]]]]]]]]]])", "size([[[[[[[[[[[[0]]]]]]]]]]]])"},
      {"size({0: {0: {0: 'foo'}}})", R"(size({0: {0: {0: "foo"}}}))"},
      {"((((((((((((((((((((((((((((((((7))))))))))))))))))))))))))))))))", "7"},
      {"true ? true : true ? true : false", "(true ? true : (true ? true : false))"},
      {"false || false || false || true", "((false || false) || (false || true))"},
      {"true && true && false", "((true && true) && false)"},
      {"3 - 3 + 3 - 3", "(((3 - 3) + 3) - 3)"},
      {"4 * 4 / 4 * 4 % 4", "((((4 * 4) / 4) * 4) % 4)"},
      {"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true", "true"},  // pairs cancel
      {"!!!true", "(!true)"},
      {"--------------------------------19", "19"},
      {"---1", "(-1)"},  // three signs: a negation of the literal 1
      {"[[[[[[[[[[[['foo']]]]]]]]]]]][0][0]", R"([[[[[[[[[[[["foo"]]]]]]]]]]]][0][0])"},
      {"[0, 1, 2, 3][1]", "[0, 1, 2, 3][1]"},
      {"[ a . b ] [ 0 ] == ( 18 - 1 ) && ! false ? 1 : 2",
       "((([a.b][0] == (18 - 1)) && (!false)) ? 1 : 2)"},
      {"[\ta\t.\tb\t]\t[\t0\t]", "[a.b][0]"},
      {"[\na\n.\nb\n]\n[\n0\n]", "[a.b][0]"},
      {"[\fa\f.\fb\f]", "[a.b]"},
      {"[\ra\r.\rb\r]", "[a.b]"},
      {"[// @\na// @\n.// @\nb// @\n]// @\n", "[a.b]"},
      // Reserved words are fine as field names after ".".
      {"{ 'as': 1 }.as", R"({"as": 1}.as)"},
      {"{ 'break': 1 }.break", R"({"break": 1}.break)"},
      {"{ 'namespace': 1 }.namespace", R"({"namespace": 1}.namespace)"},
      {"{ 'while': 1 }.while", R"({"while": 1}.while)"},
  };
  check_all(cases);
}

TEST_CASE("selectors: parser grammar corners", "[selectors]") {
  const Case cases[] = {
      // Precedence: ?: < || < && < relations < + - < * / % < unary < member.
      {"a || b && c", "(a || (b && c))"},
      {"a && b == c", "(a && (b == c))"},
      {"a == b + c", "(a == (b + c))"},
      {"a + b * c", "(a + (b * c))"},
      {"-a * b", "((-a) * b)"},
      {"-a.b", "(-a.b)"},
      {"!a.b()", "(!a.b())"},
      {"a in b && c", "((a in b) && c)"},
      {"a ? b : c ? d : e", "(a ? b : (c ? d : e))"},
      {"a ? b || c : d && e", "(a ? (b || c) : (d && e))"},
      // Relations and arithmetic associate to the left.
      {"1 < 2 < 3", "((1 < 2) < 3)"},
      {"a == b == c", "((a == b) == c)"},
      {"a - b - c", "((a - b) - c)"},
      {"a / b * c", "((a / b) * c)"},
      // Signs and negations.
      {"--1", "1"},
      {"-1u", "(-1u)"},  // uint literals take no sign
      {"-(-1)", "(- -1)"},
      {"-(1)", "(-1)"},
      {"!-1", "(! -1)"},
      {"-1.5", "-1.5"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"0x7FFFFFFFFFFFFFFF", "9223372036854775807"},
      {"-0x8000000000000000", "-9223372036854775808"},
      {"18446744073709551615u", "18446744073709551615u"},
      {"1.0", "1.0"},
      {"1e100", "1e+100"},
      {"1e-400", "0.0"},  // underflow rounds to zero, as Go's ParseFloat does
      {".5", "0.5"},
      {"-0.0", "-0.0"},
      // Names.
      {".a.b", ".a.b"},
      {".a()", ".a()"},
      {"a.b.c(1)", "a.b.c(1)"},
      {"a.b[c].d(e)[f]", "a.b[c].d(e)[f]"},
      {"[1][0].size()", "[1][0].size()"},
      {"device.attributes[\"d\"].namespace", "device.attributes[\"d\"].namespace"},
      // Empty literals with a lone comma are in the grammar.
      {"[,]", "[]"},
      {"{,}", "{}"},
      // Strings.
      {"'''a\nb''' == \"a\\nb\"", R"(("a\nb" == "a\nb"))"},
      {"r'\\d+'", R"("\\d+")"},
      {"b'\\xff\\000'", R"(b"\xff\x00")"},
      // Macros by name and argument count; other shapes are plain calls.
      {"has()", "has()"},
      {"has(a.b, c)", "has(a.b, c)"},
      {"m.all(x)", "m.all(x)"},
      {"m.all(k, v, k > v)", "m.@all(k, v, (k > v))"},
      {"m.exists(k, v, true)", "m.@exists(k, v, true)"},
      {"m.exists_one(x, x)", "m.@exists_one(x, x)"},
      {"m.existsOne(k, v, v)", "m.@existsOne(k, v, v)"},
      {"m.transformList(i, v, v * 2)", "m.@transformList(i, v, (v * 2))"},
      {"m.transformList(i, v, i > 0, v * 2)", "m.@transformList(i, v, (i > 0), (v * 2))"},
      {"m.transformMap(k, v, v)", "m.@transformMap(k, v, v)"},
      {"m.transformMapEntry(k, v, {k: v})", "m.@transformMapEntry(k, v, {k: v})"},
      {"m.transformList(i, v)", "m.transformList(i, v)"},
      {"cel.bind(x, 1, x + 1)", "@cel.bind(x, 1, (x + 1))"},
      {"other.bind(x, 1, x)", "other.bind(x, 1, x)"},
      {"cel.bind(x, 1)", "cel.bind(x, 1)"},
      {"o.optMap(v, v + 1)", "o.@optMap(v, (v + 1))"},
      {"o.optFlatMap(v, optional.of(v))", "o.@optFlatMap(v, optional.of(v))"},
      // DRA selectors (kubernetes/dynamic-resource-allocation cel/compile_test.go).
      {R"(device.driver == "dra.example.com")", R"((device.driver == "dra.example.com"))"},
      {R"(cel.bind(dra, device.attributes["dra.example.com"], dra.name))",
       R"(@cel.bind(dra, device.attributes["dra.example.com"], dra.name))"},
      {R"(device.attributes["dra.example.com"].?model.orValue("x") == "x")",
       R"((device.attributes["dra.example.com"].?model.orValue("x") == "x"))"},
      {R"(device.capacity["dra.example.com"].memory.compareTo(quantity("1Gi")) >= 0)",
       R"((device.capacity["dra.example.com"].memory.compareTo(quantity("1Gi")) >= 0))"},
  };
  check_all(cases);
}

TEST_CASE("selectors: parser errors say what is wrong and where", "[selectors]") {
  // The first group restates cel-go parser/parser_test.go's error cases (which reject
  // and where); the messages are ours.
  const Case cases[] = {
      {"0xFFFFFFFFFFFFFFFFF",
       "error: 1:1: int literal \"0xFFFFFFFFFFFFFFFFF\" is out of range (64-bit signed)\n"},
      {"0xFFFFFFFFFFFFFFFFFu",
       "error: 1:1: uint literal \"0xFFFFFFFFFFFFFFFFFu\" is out of range (64-bit unsigned)\n"},
      {"1.99e90000009", "error: 1:1: double literal \"1.99e90000009\" is out of range\n"},
      {"*@a | b", "error: 1:1: unexpected \"*\"; expected an operand\n"},
      {"a | b", "error: 1:3: unexpected \"|\"; logical or is \"||\"\n"},
      {"has(m)", "error: 1:5: has() needs a field selection, such as has(a.b)\n"},
      {"[].existsOne(__result__, __result__)",
       "error: 1:14: \"__result__\" is reserved for the accumulator of existsOne() and cannot "
       "be a variable name\n"},
      {"m.map(__result__, __result__)",
       "error: 1:7: \"__result__\" is reserved for the accumulator of map() and cannot be a "
       "variable name\n"},
      {"m.filter(__result__, false)",
       "error: 1:10: \"__result__\" is reserved for the accumulator of filter() and cannot be "
       "a variable name\n"},
      {"m.filter(a.b, false)", "error: 1:11: argument 1 of filter() must be a variable name\n"},
      {"{", "error: 1:2: unexpected end of expression; expected an operand\n"},
      {"TestAllTypes(){}",
       "error: 1:15: unexpected \"{\"; expected an operator or the end of the expression\n"},
      {"1 + $", "error: 1:5: unexpected character \"$\"\n"},
      {"1 + 2\n3 +",
       "error: 2:1: unexpected \"3\"; expected an operator or the end of the expression\n"},
      {"1.all(2, 3)", "error: 1:7: argument 1 of all() must be a variable name\n"},
      {"1 + +", "error: 1:5: unexpected \"+\"; expected an operand\n"},
      {"{\"a\": 1}.\"a\"",
       "error: 1:10: unexpected string \"a\"; expected a field name after \".\"\n"},
      {R"("\xFh")", "error: 1:2: invalid escape sequence \"\\xF\"\n"},
      {R"("\a\b\f\n\r\t\v\'\"\\\? Illegal escape \>")",
       "error: 1:40: invalid escape sequence \"\\>\"\n"},
      {"'\U0001F601' in ['\U0001F601']\n\t\t\t&& in.\U0001F601",
       "error: 2:7: unexpected \"in\"; expected an operand\n"},
      {"in", "error: 1:1: unexpected \"in\"; expected an operand\n"},
      {"[1, 2, 3].map(var, var * var)",
       "error: 1:15: \"var\" is a reserved word and cannot be used as a name\n"
       "1:20: \"var\" is a reserved word and cannot be used as a name\n"
       "1:26: \"var\" is a reserved word and cannot be used as a name\n"},
      {"{a}", "error: 1:3: unexpected \"}\"; expected \":\" between a map key and its value\n"},
      {"{:a}", "error: 1:2: unexpected \":\"; expected an operand\n"},
      {"--", "error: 1:3: unexpected end of expression; expected an operand\n"},
      {"?", "error: 1:1: unexpected \"?\"; expected an operand\n"},
      {"a ? b ((?))", "error: 1:9: unexpected \"?\"; expected an operand\n"},
      {"self.true == 1",
       "error: 1:6: \"true\" is a keyword and cannot follow \".\"; select it with an index: "
       "[\"true\"]\n"},
      {"a.`b-c`",
       "error: 1:3: backquoted identifiers are not enabled in Kubernetes CEL; select the field "
       "with an index: [\"b-c\"]\n"},
      {"`b-c`",
       "error: 1:1: backquoted identifiers are not enabled in Kubernetes CEL; select the field "
       "with an index: [\"b-c\"]\n"},
      {"a.`$b`", "error: 1:3: unterminated or invalid backquoted identifier\n"},
      {"'3# < 10\" '& tru ^^", "error: 1:12: unexpected \"&\"; logical and is \"&&\"\n"},
      {R"('\udead' == '\ufffd')", "error: 1:2: \"\\udead\" is not a valid unicode code point\n"},
      // Message construction parses in cel-go and fails in the checker; DRA has no
      // message types, so it is rejected here.
      {"foo{ a:b }",
       "error: 1:4: message construction (Name{field: value}) is not supported: device "
       "selectors have no message types\n"},
      {"TestAllTypes{}()",
       "error: 1:13: message construction (Name{field: value}) is not supported: device "
       "selectors have no message types\n"},
      {"Msg{?field: value}",
       "error: 1:4: message construction (Name{field: value}) is not supported: device "
       "selectors have no message types\n"},
      {"ind[a{b}]",
       "error: 1:6: message construction (Name{field: value}) is not supported: device "
       "selectors have no message types\n"},
      // Reserved words (cel-go parser.go reservedIds), as names and as functions.
      {"as", "error: 1:1: \"as\" is a reserved word and cannot be used as a name\n"},
      {"break", "error: 1:1: \"break\" is a reserved word and cannot be used as a name\n"},
      {"const", "error: 1:1: \"const\" is a reserved word and cannot be used as a name\n"},
      {"continue", "error: 1:1: \"continue\" is a reserved word and cannot be used as a name\n"},
      {"else", "error: 1:1: \"else\" is a reserved word and cannot be used as a name\n"},
      {"for", "error: 1:1: \"for\" is a reserved word and cannot be used as a name\n"},
      {"function", "error: 1:1: \"function\" is a reserved word and cannot be used as a name\n"},
      {"if", "error: 1:1: \"if\" is a reserved word and cannot be used as a name\n"},
      {"import", "error: 1:1: \"import\" is a reserved word and cannot be used as a name\n"},
      {"let", "error: 1:1: \"let\" is a reserved word and cannot be used as a name\n"},
      {"loop", "error: 1:1: \"loop\" is a reserved word and cannot be used as a name\n"},
      {"package", "error: 1:1: \"package\" is a reserved word and cannot be used as a name\n"},
      {"namespace", "error: 1:1: \"namespace\" is a reserved word and cannot be used as a name\n"},
      {"return", "error: 1:1: \"return\" is a reserved word and cannot be used as a name\n"},
      {"var", "error: 1:1: \"var\" is a reserved word and cannot be used as a name\n"},
      {"void", "error: 1:1: \"void\" is a reserved word and cannot be used as a name\n"},
      {"while", "error: 1:1: \"while\" is a reserved word and cannot be used as a name\n"},
      {"if(x)", "error: 1:1: \"if\" is a reserved word and cannot be used as a name\n"},
      // Our own cases.
      {"device.driver = \"gpu.example.com\"",
       "error: 1:15: unexpected \"=\"; comparisons use \"==\"\n"},
      {"device.attributes[\"d\"].in",
       "error: 1:24: \"in\" is a keyword and cannot follow \".\"; select it with an index: "
       "[\"in\"]\n"},
      {".in", "error: 1:2: unexpected \"in\"; expected a name after the leading \".\"\n"},
      {"a.?b()",
       "error: 1:5: unexpected \"(\"; expected an operator or the end of the expression\n"},
      {"a ? b ? c : d : e",
       "error: 1:7: unexpected \"?\"; expected \":\" of the conditional a ? b : c\n"},
      {"a ? b",
       "error: 1:6: unexpected end of expression; expected \":\" of the conditional "
       "a ? b : c\n"},
      {"!-a",
       "error: 1:2: unexpected \"-\" after \"!\"; put the negation in parentheses: "
       "!(-x)\n"},
      {"-!a", "error: 1:2: unexpected \"!\"; expected an operand\n"},
      {"9223372036854775808",
       "error: 1:1: int literal \"9223372036854775808\" is out of range (64-bit signed)\n"},
      {"-9223372036854775809",
       "error: 1:1: int literal \"-9223372036854775809\" is out of range (64-bit signed)\n"},
      {"18446744073709551616u",
       "error: 1:1: uint literal \"18446744073709551616u\" is out of range (64-bit unsigned)\n"},
      {"f(a,)", "error: 1:5: unexpected \")\"; expected an operand\n"},
      {"[1,,2]", "error: 1:4: unexpected \",\"; expected an operand\n"},
      {"(a", "error: 1:3: unexpected end of expression; expected \")\"\n"},
      {"a[1", "error: 1:4: unexpected end of expression; expected \"]\"\n"},
      {"a.", "error: 1:3: unexpected end of expression; expected a field name after \".\"\n"},
      {"a.1",
       "error: 1:2: unexpected \".1\"; expected an operator or the end of the "
       "expression\n"},
      {"[1, 2", "error: 1:6: unexpected end of expression; expected \",\" or \"]\"\n"},
      {"{1: 2", "error: 1:6: unexpected end of expression; expected \",\" or \"}\"\n"},
      {"\"x\" \"y\"",
       "error: 1:5: unexpected string \"y\"; expected an operator or the end of the "
       "expression\n"},
      {"has(a.?b)", "error: 1:6: has() needs a field selection, such as has(a.b)\n"},
      {"has(a[b])", "error: 1:6: has() needs a field selection, such as has(a.b)\n"},
      {"m.all(k, k, true)", "error: 1:10: all() uses the variable name \"k\" twice\n"},
      {"cel.bind(a.b, 1, 2)", "error: 1:11: argument 1 of cel.bind() must be a variable name\n"},
      {"o.optMap(1, v)", "error: 1:10: argument 1 of optMap() must be a variable name\n"},
      {"b\"\\u0041\"",
       "error: 1:3: \"\\u0041\" is not allowed in bytes literals; use \\x or "
       "octal escapes\n"},
      {"1 +\n\n  =", "error: 3:3: unexpected \"=\"; comparisons use \"==\"\n"},
      {"'\U0001F601' = 'x'", "error: 1:5: unexpected \"=\"; comparisons use \"==\"\n"},
  };
  check_all(cases);
}

TEST_CASE("selectors: parser limits are cel-go's defaults", "[selectors]") {
  // Kubernetes sets no parser limits (apiserver pkg/cel/environment/base.go), so cel-go's
  // parser defaults apply: 250 levels of recursion, 100,000 code points.
  auto nested = [](size_t n) { return std::string(n, '[') + "1" + std::string(n, ']'); };
  auto chained = [](size_t n) {
    std::string s = "a";
    for (size_t i = 0; i < n; ++i) s += ".b";
    return s;
  };
  auto summed = [](size_t n) {
    std::string s = "1";
    for (size_t i = 0; i < n; ++i) s += " + 1";
    return s;
  };
  const std::string too_deep = "expression is nested too deeply (more than 250 levels)";
  CHECK(parse(nested(249)).ok());
  CHECK(parse(chained(249)).ok());
  CHECK(parse(summed(249)).ok());
  CHECK(parse(std::string(1000, '!') + "true").ok());  // cancelling runs add no depth
  {
    const ParseResult r = parse(nested(251));
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == too_deep);
  }
  for (const std::string& input : {chained(250), summed(250)}) {
    const ParseResult r = parse(input);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == too_deep);
  }
  // A long || chain is balanced, so it stays shallow (cel-spec "repeat/or" needs 32 terms).
  std::string ors = "a";
  for (int i = 0; i < 5000; ++i) ors += " || a";
  CHECK(parse(ors).ok());

  // The cel-go cases run with a limit of 32 (parser_test.go).
  const ParseOptions small{.max_code_points = kMaxCodePoints, .max_depth = 32};
  CHECK_FALSE(parse(nested(33), small).ok());
  CHECK_FALSE(
      parse("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F.G.H", small).ok());
  CHECK_FALSE(parse(summed(33), small).ok());

  // Code points, not bytes: 100,000 two-byte characters in a string are within the limit.
  std::string big = "'" + std::string(99'998 / 2 * 2, 'x') + "'";
  CHECK(parse(big).ok());
  big.insert(1, "x");
  const ParseResult r = parse(big);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].offset == 0);
  CHECK(r.errors[0].message == "expression is 100001 code points long; the limit is 100000");
  std::string wide = "'";
  for (int i = 0; i < 49'999; ++i) wide += "\u00e9";
  wide += "'";
  CHECK(parse(wide).ok());
}

TEST_CASE("selectors: every prefix of an expression parses or fails inside it", "[selectors]") {
  // Cut-off input is what an editor or a broken manifest gives; no prefix may crash, and
  // every error must point into the input.
  const std::string_view inputs[] = {
      R"(cel.bind(d, device.attributes["gpu.example.com"], d.?model.orValue("") == "A100" && )"
      R"(d.cores > 8 ? [1, 2u, 3.5e-1, b'\x00'].all(x, x != null) : {'k': -1}[?'k'].hasValue()))",
      R"(!has(a.b) || m.transformMap(k, v, k in ["a"], v * 2)['''x'''] >= .5 && -x[0] % 3 < 1)",
  };
  for (const std::string_view full : inputs) {
    REQUIRE(parse(full).ok());
    for (size_t n = 0; n < full.size(); ++n) {
      const std::string_view prefix = full.substr(0, n);
      INFO(prefix);
      const ParseResult r = parse(prefix);
      CHECK(r.ok() == r.expr.has_value());
      for (const ParseError& e : r.errors) CHECK(e.offset <= prefix.size());
    }
  }
}

TEST_CASE("selectors: nodes carry the offset of their defining character", "[selectors]") {
  const std::string_view input = "a.b[1] + f(x) ? -2 : !c";
  const ParseResult r = parse(input);
  REQUIRE(r.ok());
  const Expr& cond = *r.expr;
  CHECK(cond.kind == ExprKind::Conditional);
  CHECK(cond.offset == 14);  // "?"
  const Expr& plus = cond.args[0];
  CHECK(plus.offset == 7);                  // "+"
  CHECK(plus.args[0].offset == 3);          // "[" of the index
  CHECK(plus.args[0].args[0].offset == 1);  // "." of the select
  CHECK(plus.args[0].args[0].args[0].offset == 0);
  CHECK(plus.args[1].offset == 10);  // "(" of the call
  CHECK(cond.args[1].offset == 16);  // "-" of the literal -2
  CHECK(cond.args[1].constant.int_value == -2);
  CHECK(cond.args[2].offset == 21);  // "!"
}

TEST_CASE("selectors: line and column of an offset count code points", "[selectors]") {
  const std::string_view input = "a +\n'\u00e9\u00e9' + $";
  CHECK(line_column(input, 0).line == 1);
  CHECK(line_column(input, 0).column == 1);
  const LineColumn lc = line_column(input, 13);  // "$": after two 2-byte characters
  CHECK(lc.line == 2);
  CHECK(lc.column == 8);
  CHECK(format_errors(input, parse(input).errors) == "2:8: unexpected character \"$\"\n");
}

}  // namespace dra::selectors

namespace dra::selectors {

TEST_CASE("selectors: expressions print back as written, parentheses only where needed",
          "[selectors]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"a && b || c", "a && b || c"},
      {"a && (b || c)", "a && (b || c)"},
      {"(a + b) * c - d / (e - f)", "(a + b) * c - d / (e - f)"},
      {"a - (b - c)", "a - (b - c)"},
      {"!(a in [1, 2])", "!(a in [1, 2])"},
      {"-(-1)", "-(-1)"},
      {"(a ? b : c) ? d : e", "(a ? b : c) ? d : e"},
      {"(a + b).size()", "(a + b).size()"},
      {"device.capacity['d'].memory.compareTo(quantity('40Gi')) >= 0",
       R"(device.capacity["d"].memory.compareTo(quantity("40Gi")) >= 0)"},
      {"l.all(x, x > 0) && has(m.f) && cel.bind(v, 1, v + 1) == 2",
       "l.all(x, x > 0) && has(m.f) && cel.bind(v, 1, v + 1) == 2"},
      {"m.?f.orValue(1) + l[?0].orValue(2)", "m.?f.orValue(1) + l[?0].orValue(2)"},
      {"{'a': [b'\\x01', 1u, 2.5]}", R"({"a": [b"\x01", 1u, 2.5]})"},
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    const ParseResult r = parse(in);
    REQUIRE(r.ok());
    CHECK(to_cel_string(*r.expr) == want);
    const ParseResult again = parse(to_cel_string(*r.expr));  // and parses to the same tree
    REQUIRE(again.ok());
    CHECK(to_debug_string(*again.expr) == to_debug_string(*r.expr));
  }
}

}  // namespace dra::selectors
