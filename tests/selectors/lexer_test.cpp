// tests/selectors/lexer_test.cpp -- CEL tokens and literal decoding.
// Escape cases are the string_literals and bytes_literals groups of cel-spec
// tests/simple/testdata/parse.textproto, plus the escape cases of cel-go
// parser/parser_test.go, restated as (literal, decoded value).
#include "selectors/lexer.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace dra::selectors {
namespace {

std::string_view kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::End:
      return "end";
    case TokenKind::Error:
      return "error";
    case TokenKind::Ident:
      return "ident";
    case TokenKind::EscapedIdent:
      return "escident";
    case TokenKind::Int:
      return "int";
    case TokenKind::Uint:
      return "uint";
    case TokenKind::Double:
      return "double";
    case TokenKind::String:
      return "string";
    case TokenKind::Bytes:
      return "bytes";
    case TokenKind::True:
      return "true";
    case TokenKind::False:
      return "false";
    case TokenKind::Null:
      return "null";
    case TokenKind::In:
      return "in";
    default:
      return "punct";
  }
}

// "kind:text kind:text ..." for every token up to and including the first End or Error.
std::string tokens(std::string_view input) {
  Lexer lexer(input);
  std::string out;
  for (;;) {
    const Token t = lexer.next();
    if (!out.empty()) out += ' ';
    out += kind_name(t.kind);
    if (t.kind == TokenKind::End) return out;
    out += ':';
    out += t.kind == TokenKind::Error ? t.error : std::string(t.text);
    if (t.kind == TokenKind::Error) return out;
  }
}

}  // namespace

TEST_CASE("selectors: lexer splits tokens as the CEL grammar does", "[selectors]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "end"},
      {"  // only a comment", "end"},
      {"a.b", "ident:a punct:. ident:b end"},
      {"_x1 in y", "ident:_x1 in:in ident:y end"},
      {"true false null", "true:true false:false null:null end"},
      {"namespace", "ident:namespace end"},  // reserved words are the parser's business
      {"42 0 0xF 0xFu 23u 23U", "int:42 int:0 int:0xF uint:0xFu uint:23u uint:23U end"},
      {"0X1", "int:0 ident:X1 end"},  // only a lowercase x makes a hex literal
      {"1.5 .5 1e3 1E-3 1.5e+10", "double:1.5 double:.5 double:1e3 double:1E-3 double:1.5e+10 end"},
      {"1e", "int:1 ident:e end"},
      {"1.e3", "int:1 punct:. ident:e3 end"},
      {"1.all(x)", "int:1 punct:. ident:all punct:( ident:x punct:) end"},
      {"1.5u", "double:1.5 ident:u end"},
      {"a.5", "ident:a double:.5 end"},
      {"== != < <= > >= && || ! ? : , + - * / %",
       "punct:== punct:!= punct:< punct:<= punct:> punct:>= punct:&& punct:|| punct:! punct:? "
       "punct:: punct:, punct:+ punct:- punct:* punct:/ punct:% end"},
      {"a.?b[?c]", "ident:a punct:. punct:? ident:b punct:[ punct:? ident:c punct:] end"},
      {"'a' \"b\" '''c''' \"\"\"d\"\"\"",
       "string:'a' string:\"b\" string:'''c''' string:\"\"\"d\"\"\" end"},
      {"r'\\a' R\"x\" b'y' B\"z\" br'w' bR'v' Br'u' BR'u'",
       "string:r'\\a' string:R\"x\" bytes:b'y' bytes:B\"z\" bytes:br'w' bytes:bR'v' bytes:Br'u' "
       "bytes:BR'u' end"},
      {"rb'x'", "ident:rb string:'x' end"},
      {"r'\\'", "string:r'\\' end"},  // a raw string ends at the first quote
      {"'''a\nb'''", "string:'''a\nb''' end"},
      {"\"a'b\" 'a\"b'", "string:\"a'b\" string:'a\"b' end"},
      {"a.`b-c`", "ident:a punct:. escident:`b-c` end"},
      {"x // comment\n+ 1", "ident:x punct:+ int:1 end"},
      {"a\t\r\n\fb", "ident:a ident:b end"},
      // Errors
      {"a = b", "ident:a error:unexpected \"=\"; comparisons use \"==\""},
      {"a & b", "ident:a error:unexpected \"&\"; logical and is \"&&\""},
      {"a | b", "ident:a error:unexpected \"|\"; logical or is \"||\""},
      {"1 + $", "int:1 punct:+ error:unexpected character \"$\""},
      {"a ^ b", "ident:a error:unexpected character \"^\""},
      {"é", "error:unexpected character \"é\""},
      {"'abc",
       "error:unterminated string literal (a string on several lines needs triple quotes: "
       "\"\"\"...\"\"\")"},
      {"'a\nb'",
       "error:unterminated string literal (a string on several lines needs triple "
       "quotes: \"\"\"...\"\"\")"},
      {"'''abc''", "error:unterminated string literal"},
      {"'\\>'", "error:invalid escape sequence \"\\>\""},
      {"\"\\xFh\"", "error:invalid escape sequence \"\\xF\""},
      {"'\\u12'", "error:invalid escape sequence \"\\u12\""},
      {"'\\400'", "error:invalid escape sequence \"\\400\""},
      {"'\\08'", "error:invalid escape sequence \"\\08\""},
      {"a.`$b`", "ident:a punct:. error:unterminated or invalid backquoted identifier"},
  };
  for (const auto& [input, want] : cases) {
    INFO(input);
    CHECK(tokens(input) == want);
  }
}

TEST_CASE("selectors: lexer offsets point at the token", "[selectors]") {
  Lexer lexer("  ab + 'x'\n  = ");
  CHECK(lexer.next().offset == 2);
  CHECK(lexer.next().offset == 5);
  CHECK(lexer.next().offset == 7);
  const Token bad = lexer.next();
  CHECK(bad.kind == TokenKind::Error);
  CHECK(bad.offset == 13);
  CHECK(lexer.next().kind == TokenKind::End);
  CHECK(lexer.next().kind == TokenKind::End);
}

TEST_CASE("selectors: string and bytes literals decode every escape", "[selectors]") {
  using namespace std::string_literals;
  const std::pair<std::string_view, std::string> cases[] = {
      // cel-spec parse.textproto string_literals
      {"'hello'", "hello"},
      {"\"hello\"", "hello"},
      {"'''hello'''", "hello"},
      {"\"\"\"hello\"\"\"", "hello"},
      {"' \\\\ \\? \\\" \\' \\` '", " \\ ? \" ' ` "},
      {"\"\"\" \\\\ \\? \\\" \\' \\` \"\"\"", " \\ ? \" ' ` "},
      {"''' ? \" ' ` '''", " ? \" ' ` "},
      {"' \\a \\b \\f \\t \\v '", " \a \b \f \t \v "},
      {"' \a \b \f \t \v '", " \a \b \f \t \v "},  // unescaped control characters
      {"' \\n '", " \n "},
      {"''' \n '''", " \n "},
      {"' \\r '", " \r "},
      {"' \\r\\n '", " \r\n "},
      {"''' \r\n '''", " \n "},  // a literal line end is a newline, as in cel-go
      {"''' \r '''", " \n "},
      {"' \\x01 \\x1f \\x7F '", " \x01 \x1f \x7f "},
      {"' \\000 \\012 \\177 '", " \0 \n \x7f "s},
      {"' \\x00 \\x0A \\x7F '", " \0 \n \x7f "s},
      {"' \\X00 \\X0A \\X7F '", " \0 \n \x7f "s},
      {"' \\u0000 \\u000A \\u007F \\u0100 \\uFFFB '", " \0 \n \x7f \u0100 \uFFFB "s},
      {"' \\U00000000 \\U0000000A \\U0000007F \\U00000100 \\U0000FFFB \\U00010000 \\U0001F62C '",
       " \0 \n \x7f \u0100 \uFFFB \U00010000 \U0001F62C "s},
      {"' \\x4a \\x4B \\X4c \\X4D \\u01aB \\U000001aB '", " J K L M \u01ab \u01ab "},
      {"' \\U00088888 '", " \U00088888 "},  // unassigned but valid
      {"' \U00088888 '", " \U00088888 "},
      {"r' \\\\ \\? \\\" \\` \\a \\n \\000 \\x00 \\u0000 '",
       " \\\\ \\? \\\" \\` \\a \\n \\000 \\x00 \\u0000 "},
      {"R\"\"\" \\' \\\" \"\"\"", " \\' \\\" "},
      // cel-go parser_test.go
      {"\"\\xC3\\XBF\"", "\u00c3\u00bf"},  // \x names a code point in a string
      {"\"\\303\\277\"", "\u00c3\u00bf"},
      {"\"hi\\u263A \\u263Athere\"", "hi\u263a \u263athere"},
      {"\"\\U000003A8\\?\"", "\u03a8?"},
      {"\"\\a\\b\\f\\n\\r\\t\\v'\\\"\\\\\\? Legal escapes\"", "\a\b\f\n\r\t\v'\"\\? Legal escapes"},
      {"\"\u2764\"", "\u2764"},
      {"''", ""},
      {"\"\"\"\"\"\"", ""},
      // cel-spec parse.textproto bytes_literals: \x and octal are single bytes
      {"b'hello'", "hello"},
      {"b'''hello'''", "hello"},
      {"b' \\\\ \\? \\\" \\' \\` '", " \\ ? \" ' ` "},
      {"b' \\a \\b \\f \\t \\v '", " \a \b \f \t \v "},
      {"b' \\000 \\012 \\177 \\377 '", " \0 \n \x7f \xff "s},
      {"b' \\x00 \\x0A \\x7F \\xFF '", " \0 \n \x7f \xff "s},
      {"B' \\x4a \\x4B \\X4c \\X4D '", " J K L M "},
      {"br' \\\\ \\? \\x00 \\u0000 '", " \\\\ \\? \\x00 \\u0000 "},
      {"b'\u00ff'", "\xc3\xbf"},  // a character in bytes is its UTF-8 encoding
  };
  for (const auto& [literal, want] : cases) {
    INFO(literal);
    const Unquoted u = unquote(literal);
    CHECK(u.ok);
    CHECK(u.error == "");
    CHECK(u.value == want);
  }
}

TEST_CASE("selectors: invalid escapes name the sequence and its offset", "[selectors]") {
  struct Case {
    std::string_view literal;
    std::string_view error;
    uint32_t offset;
  };
  const Case cases[] = {
      {"'\\udead'", "\"\\udead\" is not a valid unicode code point", 1},
      {"'\\uD800'", "\"\\uD800\" is not a valid unicode code point", 1},
      {"'ab\\U00110000'", "\"\\U00110000\" is not a valid unicode code point", 3},
      {"b'\\u0041'", "\"\\u0041\" is not allowed in bytes literals; use \\x or octal escapes", 2},
      {"b'''\\U00000041'''",
       "\"\\U00000041\" is not allowed in bytes literals; use \\x or octal "
       "escapes",
       4},
      {"'\\q'", "invalid escape sequence \"\\q\"", 1},
  };
  for (const Case& c : cases) {
    INFO(c.literal);
    const Unquoted u = unquote(c.literal);
    CHECK_FALSE(u.ok);
    CHECK(u.error == c.error);
    CHECK(u.error_offset == c.offset);
  }
}

}  // namespace dra::selectors
