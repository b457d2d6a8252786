// src/selectors/lexer.hpp -- splits a CEL expression into tokens, and decodes string and
// bytes literals. The token grammar is cel-spec's (doc/langdef.md) as cel-go's ANTLR lexer
// implements it: whitespace and // comments are skipped; "in", "true", "false" and "null"
// are keywords; the other reserved words are identifiers here and rejected by the parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dra::selectors {

enum class TokenKind {
  End,    // end of the expression
  Error,  // a character or literal that is not CEL; Token::error says why
  Ident,
  EscapedIdent,  // `a-b`: lexed as cel-go does, but Kubernetes does not enable it
  Int,           // 12, 0x1F (without sign; the parser applies "-")
  Uint,          // 12u, 0x1FU
  Double,        // 1.5, 1e3, .5
  String,        // "...", '...', """...""", '''...''', r"..." (Token::text keeps quotes)
  Bytes,         // b"..." and the other string forms with a b/B prefix
  True,
  False,
  Null,
  In,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Dot,
  Comma,
  Colon,
  Question,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Not,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  And,
  Or,
};

struct Token {
  TokenKind kind = TokenKind::End;
  uint32_t offset = 0;    // byte offset of the first character
  std::string_view text;  // the characters of the token, a view into the expression
  std::string error;      // Error only: what is wrong, lowercase
};

// Reads tokens one at a time from an expression that outlives it.
class Lexer {
 public:
  explicit Lexer(std::string_view expression) : src_(expression) {}
  // The next token; End forever once the input is used up. An Error token does not stop
  // the lexer: it resumes after the offending text.
  Token next();

 private:
  Token make(TokenKind kind, size_t start) const;
  Token error(size_t start, size_t at, std::string message);
  Token number(size_t start);
  Token quoted(size_t start, size_t quote, TokenKind kind);
  std::string_view src_;
  size_t pos_ = 0;
};

// The result of decoding a literal: the value, or an error at `error_offset` bytes from the
// start of the token text.
struct Unquoted {
  bool ok = true;
  std::string value;
  std::string error;
  uint32_t error_offset = 0;
};

// Decodes the text of a String or Bytes token (prefix and quotes included) as cel-go
// does: escapes \a \b \f \n \r \t \v \\ \' \" \` \?, octal \ooo (at most \377), \xHH,
// \uHHHH and \UHHHHHHHH; raw strings (r"...") keep backslashes; "\r\n" and "\r" become
// "\n". In strings, \x and octal escapes name code points (U+0000..U+00FF) and code points
// must be valid (no surrogates, at most U+10FFFF); in bytes they are single bytes, and \u
// and \U are errors.
Unquoted unquote(std::string_view token_text);

// A short description of a token for messages: "end of expression" or the token in
// double quotes.
std::string describe(const Token& token);

}  // namespace dra::selectors
