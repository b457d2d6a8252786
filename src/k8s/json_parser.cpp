// src/k8s/json_parser.cpp -- a strict, fast JSON reader (RFC 8259) with line:column
// positions, feeding the shared TreeBuilder. Strings without escapes are not copied.
#include <fmt/format.h>

#include <cstring>

#include "k8s/parse.hpp"
#include "k8s/tree_builder.hpp"
#include "util/strings.hpp"

namespace dra::k8s {
namespace {

class JsonReader {
 public:
  JsonReader(std::string_view text, detail::TreeBuilder& out) : s_(text), out_(out) {}

  bool run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = line_start_ = 3;  // UTF-8 byte order mark
    size_t document = 0;
    for (;;) {
      skip_space();
      if (i_ >= s_.size()) return true;
      if (!out_.begin_document(document++) || !value(0) || !out_.end_document()) return false;
    }
  }

 private:
  Pos pos() const { return {line_, static_cast<uint32_t>(i_ - line_start_ + 1)}; }

  void skip_space() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
      } else if (c == '\n') {
        ++i_;
        ++line_;
        line_start_ = i_;
      } else {
        break;
      }
    }
  }

  bool fail(std::string message, std::string hint = {}) {
    return out_.error(pos(), std::move(message), std::move(hint));
  }

  bool unexpected(std::string_view expected) {
    // A trailing comma is the commonest slip in hand-edited JSON.
    size_t back = i_;
    while (back > 0 && (s_[back - 1] == ' ' || s_[back - 1] == '\n' || s_[back - 1] == '\t' ||
                        s_[back - 1] == '\r'))
      --back;
    if (i_ < s_.size() && (s_[i_] == '}' || s_[i_] == ']') && back > 0 && s_[back - 1] == ',')
      return fail(fmt::format("unexpected \"{}\" after \",\"; expected {}", s_[i_], expected),
                  "remove the trailing comma: JSON does not allow one");
    if (i_ >= s_.size())
      return fail(fmt::format("unexpected end of input; expected {}", expected),
                  "the file is truncated or a bracket is not closed");
    return fail(
        fmt::format("unexpected \"{}\"; expected {}", util::printable(s_.substr(i_, 1)), expected));
  }

  bool value(size_t depth) {
    skip_space();
    if (i_ >= s_.size()) return unexpected("a value");
    switch (s_[i_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string_scalar();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number();
        return unexpected("a value");
    }
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return unexpected("a value");
    Pos p = pos();
    i_ += word.size();
    return out_.scalar(p, s_.substr(i_ - word.size(), word.size()), ScalarStyle::Plain, true);
  }

  bool number() {
    Pos p = pos();
    size_t start = i_;
    if (s_[i_] == '-') ++i_;
    auto digits = [&] {
      size_t b = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - b;
    };
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
      if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
        return fail("numbers must not have leading zeros");
    } else if (digits() == 0) {
      return unexpected("a digit");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (digits() == 0) return unexpected("a digit after \".\"");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) return unexpected("a digit in the exponent");
    }
    return out_.scalar(p, s_.substr(start, i_ - start), ScalarStyle::Plain, true);
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static void put_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  // Checks one UTF-8 sequence at i_ (first byte >= 0x80) and steps over it.
  bool utf8() {
    const auto* u = reinterpret_cast<const unsigned char*>(s_.data());
    unsigned char c = u[i_];
    size_t len;
    uint32_t min;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, min = 0x10000;
    } else {
      return fail(fmt::format("invalid UTF-8 byte 0x{:02x} in string", c),
                  "save the file as UTF-8");
    }
    if (i_ + len > s_.size()) return fail("truncated UTF-8 sequence in string");
    uint32_t cp = c & (0xff >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((u[i_ + k] & 0xc0) != 0x80)
        return fail(fmt::format("invalid UTF-8 sequence in string"), "save the file as UTF-8");
      cp = (cp << 6) | (u[i_ + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return fail("invalid UTF-8 sequence in string", "save the file as UTF-8");
    i_ += len;
    return true;
  }

  // Reads a string at i_ (on the opening quote). Returns a view into the input when it has
  // no escapes, else into buf_. `ok` is false after an error.
  std::string_view read_string(bool& ok, bool& stable) {
    ok = false;
    ++i_;
    const size_t start = i_;
    // Fast path: scan to the closing quote.
    while (i_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ok = true;
        stable = true;
        return s_.substr(start, i_++ - start);
      }
      if (c == '\\') break;
      if (c < 0x20) {
        fail("control character in string",
             c == '\n' ? "a string cannot span lines; write \\n" : "escape it as \\u00XX");
        return {};
      }
      if (c >= 0x80) {
        if (!utf8()) return {};
        continue;
      }
      ++i_;
    }
    if (i_ >= s_.size()) {
      fail("unterminated string", "add the closing quote");
      return {};
    }
    // Slow path: decode escapes into buf_.
    buf_.assign(s_.substr(start, i_ - start));
    while (i_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        ok = true;
        stable = false;
        return buf_;
      }
      if (c < 0x20) {
        fail("control character in string", "escape it as \\u00XX");
        return {};
      }
      if (c >= 0x80) {
        size_t b = i_;
        if (!utf8()) return {};
        buf_.append(s_.substr(b, i_ - b));
        continue;
      }
      if (c != '\\') {
        buf_ += static_cast<char>(c);
        ++i_;
        continue;
      }
      if (++i_ >= s_.size()) break;
      char e = s_[i_];
      switch (e) {
        case '"':
          buf_ += '"';
          break;
        case '\\':
          buf_ += '\\';
          break;
        case '/':
          buf_ += '/';
          break;
        case 'b':
          buf_ += '\b';
          break;
        case 'f':
          buf_ += '\f';
          break;
        case 'n':
          buf_ += '\n';
          break;
        case 'r':
          buf_ += '\r';
          break;
        case 't':
          buf_ += '\t';
          break;
        case 'u': {
          auto read4 = [&](size_t at) -> int {
            if (at + 4 > s_.size()) return -1;
            int v = 0;
            for (size_t k = 0; k < 4; ++k) {
              int h = hex(s_[at + k]);
              if (h < 0) return -1;
              v = v * 16 + h;
            }
            return v;
          };
          int cp = read4(i_ + 1);
          if (cp < 0) {
            fail("invalid \\u escape; expected four hex digits");
            return {};
          }
          i_ += 4;
          uint32_t code = static_cast<uint32_t>(cp);
          if (code >= 0xd800 && code <= 0xdbff && s_.substr(i_ + 1, 2) == "\\u") {
            int lo = read4(i_ + 3);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              code = 0x10000 + ((code - 0xd800) << 10) + (static_cast<uint32_t>(lo) - 0xdc00);
              i_ += 6;
            }
          }
          // Lone surrogates become U+FFFD, as Go's encoding/json does.
          if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
          put_utf8(buf_, code);
          break;
        }
        default:
          --i_;  // point at the backslash
          fail(fmt::format("invalid escape \"\\{}\" in string",
                           util::printable(s_.substr(i_ + 1, 1))),
               "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
          return {};
      }
      ++i_;
    }
    fail("unterminated string", "add the closing quote");
    return {};
  }

  bool string_scalar() {
    Pos p = pos();
    bool ok, stable;
    std::string_view v = read_string(ok, stable);
    return ok && out_.scalar(p, v, ScalarStyle::Quoted, stable);
  }

  bool object(size_t depth) {
    if (!out_.begin(NodeKind::Mapping, pos())) return false;
    ++i_;
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return out_.set_consumed(i_), out_.end();
    }
    for (;;) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"') return unexpected("a string key");
      if (!string_scalar()) return false;
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') return unexpected("\":\"");
      ++i_;
      if (!value(depth + 1)) return false;
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return out_.set_consumed(i_), out_.end();
      }
      return unexpected("\",\" or \"}\"");
    }
  }

  bool array(size_t depth) {
    if (!out_.begin(NodeKind::Sequence, pos())) return false;
    ++i_;
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return out_.set_consumed(i_), out_.end();
    }
    for (;;) {
      if (!value(depth + 1)) return false;
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return out_.set_consumed(i_), out_.end();
      }
      return unexpected("\",\" or \"]\"");
    }
  }

  std::string_view s_;
  detail::TreeBuilder& out_;
  size_t i_ = 0;
  size_t line_start_ = 0;
  uint32_t line_ = 1;
  std::string buf_;
};

}  // namespace

bool parse_json(std::string_view text, const std::string& file, const ParseLimits& limits,
                const ObjectFn& fn, util::Diagnostics& diags) {
  detail::TreeBuilder builder(file, limits, fn, diags);
  JsonReader reader(text, builder);
  return reader.run();
}

bool parse_objects(std::string_view text, const std::string& file, const ParseLimits& limits,
                   const ObjectFn& fn, util::Diagnostics& diags) {
  size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i < text.size() && (text[i] == '{' || text[i] == '['))
    return parse_json(text, file, limits, fn, diags);
  return parse_yaml(text, file, limits, fn, diags);
}

}  // namespace dra::k8s
