// src/selectors/lexer.cpp -- CEL tokens and literal decoding, following the lexer rules of
// cel-go's parser/gen/CEL.g4 and the unescaping of parser/unescape.go.
#include "selectors/lexer.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace dra::selectors {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_quote(char c) { return c == '"' || c == '\''; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// The length of the UTF-8 sequence starting with `c` (1 for invalid lead bytes).
size_t utf8_length(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF4) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC2) return 2;
  return 1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The length of a well-formed escape sequence starting at s[i] == '\\' (the ESC_SEQ lexer
// rule), or 0 if there is none.
size_t escape_length(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return 0;
  auto hex_run = [&](size_t from, size_t n) {
    if (from + n > s.size()) return false;
    for (size_t k = from; k < from + n; ++k) {
      if (!is_hex(s[k])) return false;
    }
    return true;
  };
  const char c = s[i + 1];
  switch (c) {
    case 'a':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
    case '"':
    case '\'':
    case '\\':
    case '?':
    case '`':
      return 2;
    case 'x':
    case 'X':
      return hex_run(i + 2, 2) ? 4 : 0;
    case 'u':
      return hex_run(i + 2, 4) ? 6 : 0;
    case 'U':
      return hex_run(i + 2, 8) ? 10 : 0;
    default:
      break;
  }
  if (c >= '0' && c <= '3' && i + 3 < s.size() && s[i + 2] >= '0' && s[i + 2] <= '7' &&
      s[i + 3] >= '0' && s[i + 3] <= '7') {
    return 4;
  }
  return 0;
}

// The escape at s[i] as the user wrote it, for messages: "\x4" of "\x4g", at most 10 bytes.
std::string_view escape_text(std::string_view s, size_t i) {
  size_t end = i + 1;
  if (end < s.size()) end += utf8_length(static_cast<unsigned char>(s[end]));
  while (end < s.size() && end < i + 10 && is_hex(s[end])) ++end;
  return s.substr(i, std::min(end, s.size()) - i);
}

}  // namespace

Token Lexer::make(TokenKind kind, size_t start) const {
  Token t;
  t.kind = kind;
  t.offset = static_cast<uint32_t>(start);
  t.text = src_.substr(start, pos_ - start);
  return t;
}

Token Lexer::error(size_t start, size_t at, std::string message) {
  Token t = make(TokenKind::Error, start);
  t.offset = static_cast<uint32_t>(at);
  t.error = std::move(message);
  return t;
}

Token Lexer::next() {
  // Whitespace and comments.
  while (pos_ < src_.size()) {
    const char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
  const size_t start = pos_;
  if (pos_ >= src_.size()) return make(TokenKind::End, start);
  const char c = src_[pos_];
  auto at = [&](size_t k) { return pos_ + k < src_.size() ? src_[pos_ + k] : '\0'; };

  // String and bytes literals with their prefixes: r, b, br (any case).
  const bool b = c == 'b' || c == 'B';
  const bool r = c == 'r' || c == 'R';
  if ((b || r) && is_quote(at(1)))
    return quoted(start, start + 1, b ? TokenKind::Bytes : TokenKind::String);
  if (b && (at(1) == 'r' || at(1) == 'R') && is_quote(at(2))) {
    return quoted(start, start + 2, TokenKind::Bytes);
  }
  if (is_quote(c)) return quoted(start, start, TokenKind::String);

  if (is_letter(c) || c == '_') {
    while (pos_ < src_.size() &&
           (is_letter(src_[pos_]) || is_digit(src_[pos_]) || src_[pos_] == '_')) {
      ++pos_;
    }
    const std::string_view word = src_.substr(start, pos_ - start);
    if (word == "in") return make(TokenKind::In, start);
    if (word == "true") return make(TokenKind::True, start);
    if (word == "false") return make(TokenKind::False, start);
    if (word == "null") return make(TokenKind::Null, start);
    return make(TokenKind::Ident, start);
  }
  if (is_digit(c) || (c == '.' && is_digit(at(1)))) return number(start);

  if (c == '`') {
    ++pos_;
    while (pos_ < src_.size() &&
           (is_letter(src_[pos_]) || is_digit(src_[pos_]) ||
            std::string_view("_.-/ ").find(src_[pos_]) != std::string_view::npos)) {
      ++pos_;
    }
    if (pos_ < src_.size() && src_[pos_] == '`' && pos_ > start + 1) {
      ++pos_;
      return make(TokenKind::EscapedIdent, start);
    }
    return error(start, start, "unterminated or invalid backquoted identifier");
  }

  // Operators and punctuation; two-character ones first.
  struct Punct {
    std::string_view text;
    TokenKind kind;
  };
  static constexpr Punct kPuncts[] = {
      {"==", TokenKind::Eq},      {"!=", TokenKind::Ne},    {"<=", TokenKind::Le},
      {">=", TokenKind::Ge},      {"&&", TokenKind::And},   {"||", TokenKind::Or},
      {"<", TokenKind::Lt},       {">", TokenKind::Gt},     {"!", TokenKind::Not},
      {"(", TokenKind::LParen},   {")", TokenKind::RParen}, {"[", TokenKind::LBracket},
      {"]", TokenKind::RBracket}, {"{", TokenKind::LBrace}, {"}", TokenKind::RBrace},
      {".", TokenKind::Dot},      {",", TokenKind::Comma},  {":", TokenKind::Colon},
      {"?", TokenKind::Question}, {"+", TokenKind::Plus},   {"-", TokenKind::Minus},
      {"*", TokenKind::Star},     {"/", TokenKind::Slash},  {"%", TokenKind::Percent},
  };
  for (const Punct& p : kPuncts) {
    if (src_.substr(pos_, p.text.size()) == p.text) {
      pos_ += p.text.size();
      return make(p.kind, start);
    }
  }

  // Not CEL: say what the user probably meant for the common slips.
  const size_t len = utf8_length(static_cast<unsigned char>(c));
  pos_ = std::min(src_.size(), pos_ + len);
  if (c == '=') return error(start, start, "unexpected \"=\"; comparisons use \"==\"");
  if (c == '&') return error(start, start, "unexpected \"&\"; logical and is \"&&\"");
  if (c == '|') return error(start, start, "unexpected \"|\"; logical or is \"||\"");
  return error(start, start,
               fmt::format("unexpected character \"{}\"",
                           util::printable(src_.substr(start, pos_ - start))));
}

Token Lexer::number(size_t start) {
  auto at = [&](size_t p) { return p < src_.size() ? src_[p] : '\0'; };
  if (at(pos_) == '0' && at(pos_ + 1) == 'x' && is_hex(at(pos_ + 2))) {
    pos_ += 2;
    while (is_hex(at(pos_))) ++pos_;
    if (at(pos_) == 'u' || at(pos_) == 'U') {
      ++pos_;
      return make(TokenKind::Uint, start);
    }
    return make(TokenKind::Int, start);
  }
  bool is_double = false;
  while (is_digit(at(pos_))) ++pos_;
  if (at(pos_) == '.' && is_digit(at(pos_ + 1))) {
    is_double = true;
    ++pos_;
    while (is_digit(at(pos_))) ++pos_;
  }
  // An exponent only counts when complete: "1e" is the int 1 and the identifier e.
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    size_t p = pos_ + 1;
    if (at(p) == '+' || at(p) == '-') ++p;
    if (is_digit(at(p))) {
      while (is_digit(at(p))) ++p;
      pos_ = p;
      is_double = true;
    }
  }
  if (is_double) return make(TokenKind::Double, start);
  if (at(pos_) == 'u' || at(pos_) == 'U') {
    ++pos_;
    return make(TokenKind::Uint, start);
  }
  return make(TokenKind::Int, start);
}

Token Lexer::quoted(size_t start, size_t quote, TokenKind kind) {
  bool raw = false;
  for (size_t p = start; p < quote; ++p) raw = raw || src_[p] == 'r' || src_[p] == 'R';
  const char q = src_[quote];
  const bool triple = src_.substr(quote, 3) == std::string(3, q);
  const std::string_view closing = triple ? src_.substr(quote, 3) : src_.substr(quote, 1);
  pos_ = quote + closing.size();
  while (pos_ < src_.size()) {
    if (src_.substr(pos_, closing.size()) == closing) {
      pos_ += closing.size();
      return make(kind, start);
    }
    const char c = src_[pos_];
    if (!triple && (c == '\n' || c == '\r')) break;
    if (c == '\\' && !raw) {
      const size_t n = escape_length(src_, pos_);
      if (n == 0) {
        const size_t bad = pos_;
        // Resume after the literal so that one mistake gives one error.
        while (pos_ < src_.size() && src_.substr(pos_, closing.size()) != closing &&
               (triple || (src_[pos_] != '\n' && src_[pos_] != '\r'))) {
          ++pos_;
        }
        pos_ = std::min(src_.size(), pos_ + closing.size());
        return error(
            start, bad,
            fmt::format("invalid escape sequence \"{}\"", util::printable(escape_text(src_, bad))));
      }
      pos_ += n;
      continue;
    }
    ++pos_;
  }
  return error(start, start,
               triple ? "unterminated string literal"
                      : "unterminated string literal (a string on several lines needs "
                        "triple quotes: \"\"\"...\"\"\")");
}

Unquoted unquote(std::string_view text) {
  Unquoted out;
  size_t i = 0;
  const bool bytes = i < text.size() && (text[i] == 'b' || text[i] == 'B');
  if (bytes) ++i;
  const bool raw = i < text.size() && (text[i] == 'r' || text[i] == 'R');
  if (raw) ++i;
  const std::string_view quoted = text.substr(i);
  const size_t q = quoted.size() >= 6 && quoted.substr(0, 3) == std::string(3, quoted[0]) ? 3 : 1;
  if (quoted.size() < 2 * q || !is_quote(quoted[0])) {
    return {false, {}, "malformed string literal", 0};
  }
  const size_t body_start = i + q;
  const std::string_view body = text.substr(body_start, quoted.size() - 2 * q);
  auto fail = [&](size_t at, std::string message) {
    return Unquoted{false, {}, std::move(message), static_cast<uint32_t>(body_start + at)};
  };
  std::string& v = out.value;
  v.reserve(body.size());
  for (size_t k = 0; k < body.size();) {
    const char c = body[k];
    if (c == '\r') {  // "\r\n" and "\r" are newlines, as in cel-go
      v += '\n';
      k += (k + 1 < body.size() && body[k + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c != '\\' || raw) {
      v += c;
      ++k;
      continue;
    }
    const size_t n = escape_length(body, k);
    if (n == 0) {
      return fail(
          k, fmt::format("invalid escape sequence \"{}\"", util::printable(escape_text(body, k))));
    }
    const char e = body[k + 1];
    const std::string_view seq = body.substr(k, n);
    switch (e) {
      case 'a':
        v += '\a';
        break;
      case 'b':
        v += '\b';
        break;
      case 'f':
        v += '\f';
        break;
      case 'n':
        v += '\n';
        break;
      case 'r':
        v += '\r';
        break;
      case 't':
        v += '\t';
        break;
      case 'v':
        v += '\v';
        break;
      case 'u':
      case 'U':
      case 'x':
      case 'X': {
        uint32_t cp = 0;
        for (char h : seq.substr(2)) cp = cp * 16 + static_cast<uint32_t>(hex_value(h));
        if ((e == 'u' || e == 'U') && bytes) {
          return fail(k, fmt::format("\"{}\" is not allowed in bytes literals; use \\x or octal "
                                     "escapes",
                                     seq));
        }
        if (bytes) {
          v += static_cast<char>(cp);
        } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return fail(k, fmt::format("\"{}\" is not a valid unicode code point", seq));
        } else {
          append_utf8(v, cp);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '3') {
          const uint32_t cp =
              static_cast<uint32_t>((e - '0') * 64 + (body[k + 2] - '0') * 8 + (body[k + 3] - '0'));
          if (bytes) {
            v += static_cast<char>(cp);
          } else {
            append_utf8(v, cp);
          }
        } else {
          v += e;  // \\ \' \" \` \?
        }
        break;
    }
    k += n;
  }
  return out;
}

std::string describe(const Token& token) {
  if (token.kind == TokenKind::End) return "end of expression";
  // A literal shows its own quotes: string "a", not ""a"".
  if (token.kind == TokenKind::String) return "string " + util::printable(token.text, 40);
  if (token.kind == TokenKind::Bytes) return "bytes " + util::printable(token.text, 40);
  return fmt::format("\"{}\"", util::printable(token.text, 40));
}

}  // namespace dra::selectors
