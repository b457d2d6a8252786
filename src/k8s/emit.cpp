// src/k8s/emit.cpp -- YAML and JSON writers that match kubectl's output.
//
// The YAML writer is a port of the parts of go-yaml v2 (encode.go stringv, resolve.go,
// emitterc.go) that sigs.k8s.io/yaml uses: block collections, implicit scalars, and the
// same column bookkeeping, so indentation, quoting and line folding come out identical.
#include "k8s/emit.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace dra::k8s {
namespace {

// ---- UTF-8 ---------------------------------------------------------------------------------

// Length of a valid UTF-8 sequence at s[i], or 0 if the bytes there are not one.
size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Replaces each invalid byte with U+FFFD, as encoding/json does.
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool has_invalid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_length(s, i);
    if (n == 0) return true;
    i += n;
  }
  return false;
}

uint32_t decode_rune(std::string_view s, size_t i, size_t n) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  switch (n) {
    case 1:
      return b(0);
    case 2:
      return (b(0) & 0x1Fu) << 6 | (b(1) & 0x3Fu);
    case 3:
      return (b(0) & 0x0Fu) << 12 | (b(1) & 0x3Fu) << 6 | (b(2) & 0x3Fu);
    default:
      return (b(0) & 0x07u) << 18 | (b(1) & 0x3Fu) << 12 | (b(2) & 0x3Fu) << 6 | (b(3) & 0x3Fu);
  }
}

// ---- go-yaml's character classes (yamlprivateh.go), on valid UTF-8 -------------------------

unsigned char at(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

size_t width(unsigned char b) {
  if ((b & 0x80) == 0x00) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 1;
}

bool is_printable(std::string_view s, size_t i) {
  const unsigned char b = at(s, i), b1 = at(s, i + 1), b2 = at(s, i + 2);
  return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) ||
         (b > 0xC2 && b < 0xED) || (b == 0xED && b1 < 0xA0) || b == 0xEE ||
         (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

bool is_space(std::string_view s, size_t i) { return at(s, i) == ' '; }
bool is_blank(std::string_view s, size_t i) { return at(s, i) == ' ' || at(s, i) == '\t'; }

bool is_break(std::string_view s, size_t i) {
  const unsigned char b = at(s, i), b1 = at(s, i + 1), b2 = at(s, i + 2);
  return b == '\r' || b == '\n' || (b == 0xC2 && b1 == 0x85) ||
         (b == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9));
}

bool is_blankz(std::string_view s, size_t i) {
  return i >= s.size() || is_blank(s, i) || is_break(s, i) || at(s, i) == 0;
}

// ---- resolve.go: what a plain scalar would be read back as ---------------------------------

bool digit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.ParseInt(s, 0, 64) || ParseUint(s, 0, 64): decimal, 0x, 0o, 0b, or a
// leading-zero octal number, with an optional sign (ParseInt only), within range.
bool go_parses_int(std::string_view s) {
  char sign = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0];
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  unsigned base = 10;
  if (s[0] == '0') {
    const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
    if (p == 'b' || p == 'o' || p == 'x') {
      base = p == 'b' ? 2 : p == 'o' ? 8 : 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  for (char c : s) {
    unsigned d;
    if (digit(c)) {
      d = static_cast<unsigned>(c - '0');
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      d = static_cast<unsigned>((c | 0x20) - 'a' + 10);
    } else {
      return false;
    }
    if (d >= base) return false;
    if (n > (UINT64_MAX - d) / base) return false;  // out of range
    n = n * base + d;
  }
  const uint64_t int64_max = INT64_MAX;
  if (sign == '-') return n <= int64_max + 1;
  if (sign == '+') return n <= int64_max;
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ (resolve.go yamlStyleFloat), and
// strconv.ParseFloat accepts it (no overflow to infinity).
bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && digit(s[i])) ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  const std::string text(s);
  return !std::isinf(std::strtod(text.c_str(), nullptr));
}

// 1 or 2 digits (Go's time.getnum, not fixed).
bool get_num(std::string_view s, size_t& i, int& out) {
  if (i >= s.size() || !digit(s[i])) return false;
  out = s[i++] - '0';
  if (i < s.size() && digit(s[i])) out = out * 10 + (s[i++] - '0');
  return true;
}

int days_in(int month, int year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// resolve.go parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also with a
// lowercase t), "2006-1-2 15:4:5.999999999" or "2006-1-2".
bool go_timestamp(std::string_view s) {
  if (s.size() < 5 || !digit(s[0]) || !digit(s[1]) || !digit(s[2]) || !digit(s[3]) || s[4] != '-')
    return false;
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  size_t i = 5;
  int month = 0, day = 0;
  if (!get_num(s, i, month) || month < 1 || month > 12) return false;
  if (i >= s.size() || s[i++] != '-') return false;
  if (!get_num(s, i, day)) return false;
  if (day < 1 || day > days_in(month, year)) return false;
  if (i == s.size()) return true;
  const char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  int hour = 0, minute = 0, second = 0;
  if (!get_num(s, i, hour) || hour >= 24) return false;
  if (i >= s.size() || s[i++] != ':') return false;
  if (!get_num(s, i, minute) || minute >= 60) return false;
  if (i >= s.size() || s[i++] != ':') return false;
  if (!get_num(s, i, second) || second >= 60) return false;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && digit(s[i + 1])) {
    ++i;
    while (i < s.size() && digit(s[i])) ++i;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  // ±hh:mm
  if (s.size() - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return false;
  return digit(s[i + 1]) && digit(s[i + 2]) && digit(s[i + 4]) && digit(s[i + 5]);
}

// Would go-yaml v2 read the plain scalar `s` as anything but this string (resolve.go)?
bool resolves_to_non_string(std::string_view s) {
  static constexpr std::string_view kSpecial[] = {
      "y",    "Y",    "yes",  "Yes",   "YES",   "true",  "True",  "TRUE",  "on",    "On",
      "ON",   "n",    "N",    "no",    "No",    "NO",    "false", "False", "FALSE", "off",
      "Off",  "OFF",  "",     "~",     "null",  "Null",  "NULL",  ".nan",  ".NaN",  ".NAN",
      ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  if (s.empty()) return true;
  const char c = s[0];
  const bool sign_or_digit = c == '+' || c == '-' || digit(c);
  const bool in_map = std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos;
  if (!sign_or_digit && !in_map && c != '.') return false;
  for (std::string_view special : kSpecial)
    if (s == special) return true;
  if (c == '.') {
    // strconv.ParseFloat of a string starting with '.': ".5", ".5e3".
    return yaml_style_float(s);
  }
  if (!sign_or_digit) return false;
  if (go_timestamp(s)) return true;
  std::string plain;
  for (char ch : s)
    if (ch != '_') plain += ch;
  return go_parses_int(plain) || yaml_style_float(plain);
}

// encode.go isBase60Float: ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool is_base60_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= s.size() || !digit(s[i])) return false;
  while (i < s.size() && (digit(s[i]) || s[i] == '_')) ++i;
  size_t groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    if (i < s.size() && s[i] >= '0' && s[i] <= '5' && i + 1 < s.size() && digit(s[i + 1])) {
      i += 2;
    } else if (i < s.size() && digit(s[i])) {
      ++i;
    } else {
      return false;
    }
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (digit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

// ---- the emitter -----------------------------------------------------------------------------

enum class Style { Plain, SingleQuoted, DoubleQuoted, Literal };

constexpr int kBestIndent = 2;
constexpr int kBestWidth = 80;
constexpr size_t kMaxSimpleKey = 128;

// emitterc.go yaml_emitter_analyze_scalar, for block context.
struct Analysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

Analysis analyze(std::string_view v) {
  Analysis a;
  if (v.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = v.starts_with("---") || v.starts_with("...");
  bool line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false,
       break_space = false, space_break = false;
  bool preceded_by_whitespace = true, previous_space = false, previous_break = false;
  for (size_t i = 0, w = 0; i < v.size(); i += w) {
    w = width(at(v, i));
    const bool followed_by_whitespace = i + w >= v.size() || is_blank(v, i + w);
    const char c = v[i];
    if (i == 0) {
      switch (c) {
        case '#':
        case ',':
        case '[':
        case ']':
        case '{':
        case '}':
        case '&':
        case '*':
        case '!':
        case '|':
        case '>':
        case '\'':
        case '"':
        case '%':
        case '@':
        case '`':
          block_indicators = true;
          break;
        case '?':
        case ':':
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) block_indicators = true;
          break;
        default:
          break;
      }
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (!is_printable(v, i)) special = true;
    if (is_space(v, i)) {
      if (i == 0) leading_space = true;
      if (i + w == v.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(v, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == v.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_whitespace = is_blankz(v, i);
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break)
    a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
  }
  if (space_break || special) {
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
    a.block_allowed = false;
  }
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

class YamlEmitter {
 public:
  std::string take() { return std::move(out_); }

  void document(const Value& root) {
    indent_ = -1;
    node(root, /*mapping=*/false, /*simple_key=*/false);
    indent_ = -1;
    write_indent();
  }

 private:
  // ---- output primitives (emitterc.go put, write, write_indent, write_indicator)
  void put(char c) {
    out_ += c;
    ++column_;
  }
  void put_break() {
    out_ += '\n';
    column_ = 0;
  }
  void write(std::string_view s, size_t& i) {
    const size_t w = width(at(s, i));
    out_.append(s.substr(i, w));
    ++column_;
    i += w;
  }
  void write_break(std::string_view s, size_t& i) {
    if (s[i] == '\n') {
      put_break();
      ++i;
    } else {
      write(s, i);
      column_ = 0;
    }
  }
  void write_indent() {
    const int indent = indent_ < 0 ? 0 : indent_;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
    while (column_ < indent) put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void write_indicator(std::string_view indicator, bool need_whitespace, bool is_whitespace,
                       bool is_indention) {
    if (need_whitespace && !whitespace_) put(' ');
    for (size_t i = 0; i < indicator.size();) write(indicator, i);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }
  void increase_indent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }
  void pop_indent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  // ---- nodes (emitterc.go emit_node and the block states)
  void node(const Value& v, bool mapping, bool simple_key) {
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    switch (v.kind) {
      case Value::Kind::Map:
        if (v.fields.empty()) return empty_flow("{", "}");
        return block_mapping(v);
      case Value::Kind::List:
        if (v.items.empty()) return empty_flow("[", "]");
        return block_sequence(v);
      case Value::Kind::Null:
        return scalar("null", Style::Plain);
      case Value::Kind::Bool:
        return scalar(v.boolean ? "true" : "false", Style::Plain);
      case Value::Kind::Int:
      case Value::Kind::Float:
        return scalar(v.text, Style::Plain);
      case Value::Kind::String:
        return string_scalar(v.text);
    }
  }

  void empty_flow(std::string_view open, std::string_view close) {
    write_indicator(open, true, true, false);
    write_indicator(close, false, false, false);
  }

  void block_sequence(const Value& v) {
    increase_indent(false, mapping_context_ && !indention_);
    for (const Value& item : v.items) {
      write_indent();
      write_indicator("-", true, false, true);
      node(item, false, false);
    }
    pop_indent();
  }

  void block_mapping(const Value& v) {
    increase_indent(false, false);
    for (const auto& [key, value] : v.fields) {
      write_indent();
      const std::string k = valid_utf8(key);
      const bool simple = k.size() <= kMaxSimpleKey && !analyze(k).multiline;
      if (simple) {
        mapping_context_ = true;
        simple_key_context_ = true;
        string_scalar(k);
        write_indicator(":", false, false, false);
      } else {
        write_indicator("?", true, false, true);
        mapping_context_ = true;
        simple_key_context_ = false;
        string_scalar(k);
        write_indent();
        write_indicator(":", true, false, true);
      }
      node(value, true, false);
    }
    pop_indent();
  }

  // encode.go stringv: the style go-yaml asks the emitter for.
  void string_scalar(std::string_view raw) {
    const std::string s = has_invalid_utf8(raw) ? valid_utf8(raw) : std::string(raw);
    Style style = Style::DoubleQuoted;
    if (s.find('\n') != std::string::npos) {
      style = Style::Literal;
    } else if (!resolves_to_non_string(s) && !is_base60_float(s)) {
      style = Style::Plain;
    }
    scalar(s, style);
  }

  void scalar(std::string_view v, Style style) {
    // emitterc.go yaml_emitter_select_scalar_style (block context, implicit tags).
    const Analysis a = analyze(v);
    if (simple_key_context_ && a.multiline) style = Style::DoubleQuoted;
    if (style == Style::Plain) {
      if (!a.block_plain_allowed) style = Style::SingleQuoted;
      if (v.empty() && simple_key_context_) style = Style::SingleQuoted;
    }
    if (style == Style::SingleQuoted && !a.single_quoted_allowed) style = Style::DoubleQuoted;
    if (style == Style::Literal && (!a.block_allowed || simple_key_context_))
      style = Style::DoubleQuoted;

    increase_indent(true, false);
    const bool allow_breaks = !simple_key_context_;
    switch (style) {
      case Style::Plain:
        write_plain(v, allow_breaks);
        break;
      case Style::SingleQuoted:
        write_single_quoted(v, allow_breaks);
        break;
      case Style::DoubleQuoted:
        write_double_quoted(v, allow_breaks);
        break;
      case Style::Literal:
        write_literal(v);
        break;
    }
    pop_indent();
  }

  void write_plain(std::string_view v, bool allow_breaks) {
    if (!whitespace_) put(' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      if (is_space(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !is_space(v, i + 1)) {
          write_indent();
          ++i;
        } else {
          write(v, i);
        }
        spaces = true;
      } else if (is_break(v, i)) {
        if (!breaks && v[i] == '\n') put_break();
        write_break(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        write(v, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void write_single_quoted(std::string_view v, bool allow_breaks) {
    write_indicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      if (is_space(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < v.size() - 1 &&
            !is_space(v, i + 1)) {
          write_indent();
          ++i;
        } else {
          write(v, i);
        }
        spaces = true;
      } else if (is_break(v, i)) {
        if (!breaks && v[i] == '\n') put_break();
        write_break(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        if (v[i] == '\'') put('\'');
        write(v, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    write_indicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void write_double_quoted(std::string_view v, bool allow_breaks) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    // go-yaml's is_bom looks at the start of the value, whatever the index: a value that
    // starts with a BOM has every character escaped.
    const bool bom = v.starts_with("\xEF\xBB\xBF");
    bool spaces = false;
    write_indicator("\"", true, false, false);
    for (size_t i = 0; i < v.size();) {
      if (!is_printable(v, i) || bom || is_break(v, i) || v[i] == '"' || v[i] == '\\') {
        const size_t w = width(at(v, i));
        const uint32_t r = decode_rune(v, i, w);
        i += w;
        put('\\');
        switch (r) {
          case 0x00:
            put('0');
            break;
          case 0x07:
            put('a');
            break;
          case 0x08:
            put('b');
            break;
          case 0x09:
            put('t');
            break;
          case 0x0A:
            put('n');
            break;
          case 0x0B:
            put('v');
            break;
          case 0x0C:
            put('f');
            break;
          case 0x0D:
            put('r');
            break;
          case 0x1B:
            put('e');
            break;
          case 0x22:
            put('"');
            break;
          case 0x5C:
            put('\\');
            break;
          case 0x85:
            put('N');
            break;
          case 0xA0:
            put('_');
            break;
          case 0x2028:
            put('L');
            break;
          case 0x2029:
            put('P');
            break;
          default: {
            int digits = 8;
            if (r <= 0xFF) {
              put('x');
              digits = 2;
            } else if (r <= 0xFFFF) {
              put('u');
              digits = 4;
            } else {
              put('U');
            }
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) put(kHex[(r >> k) & 0x0F]);
          }
        }
        spaces = false;
      } else if (is_space(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < v.size() - 1) {
          write_indent();
          if (is_space(v, i + 1)) put('\\');
          ++i;
        } else {
          write(v, i);
        }
        spaces = true;
      } else {
        write(v, i);
        spaces = false;
      }
    }
    write_indicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  // The position of the last character of `v` (not of its last byte).
  static size_t last_char(std::string_view v, size_t end) {
    size_t i = end - 1;
    while (i > 0 && (at(v, i) & 0xC0) == 0x80) --i;
    return i;
  }

  void write_literal(std::string_view v) {
    write_indicator("|", true, false, false);
    // emitterc.go yaml_emitter_write_block_scalar_hints
    if (is_space(v, 0) || is_break(v, 0)) {
      const char hint[] = {static_cast<char>('0' + kBestIndent), 0};
      write_indicator(hint, false, false, false);
    }
    char chomp = 0;
    if (v.empty()) {
      chomp = '-';
    } else {
      size_t i = last_char(v, v.size());
      if (!is_break(v, i)) {
        chomp = '-';
      } else if (i == 0) {
        chomp = '+';
      } else if (is_break(v, last_char(v, i))) {
        chomp = '+';
      }
    }
    if (chomp) write_indicator(std::string_view(&chomp, 1), false, false, false);
    put_break();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < v.size();) {
      if (is_break(v, i)) {
        write_break(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        write(v, i);
        indention_ = false;
        breaks = false;
      }
    }
  }

  std::string out_;
  int column_ = 0;
  int indent_ = -1;
  std::vector<int> indents_;
  bool whitespace_ = true;
  bool indention_ = true;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;
};

// ---- JSON ----------------------------------------------------------------------------------

// encoding/json's string encoding with HTML escaping on (json.Marshal's default).
void json_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = at(s, i);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '<':
        case '>':
        case '&':
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    const size_t n = utf8_length(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    const uint32_t r = decode_rune(s, i, n);
    if (r == 0x2028 || r == 0x2029) {
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  out += '"';
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (digit(s[i])) {
    while (i < s.size() && digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !digit(s[i])) return false;
    while (i < s.size() && digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !digit(s[i])) return false;
    while (i < s.size() && digit(s[i])) ++i;
  }
  return i == s.size();
}

// A float as encoding/json writes a float64 ('f' format, or 'e' outside [1e-6, 1e21)).
std::string go_float(double d) {
  if (!std::isfinite(d)) return "null";
  char buf[64];
  const double abs = std::fabs(d);
  const bool exp = abs != 0 && (abs < 1e-6 || abs >= 1e21);
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d,
                                 exp ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, end);
  // Go trims a negative exponent's leading zero: 1e-07 -> 1e-7 (1e+21 stays).
  const size_t n = s.size();
  if (exp && n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
  return s;
}

// A number from a YAML or JSON file, as a JSON number.
std::string json_number(const Value& v) {
  if (is_json_number(v.text)) return v.text;
  std::string plain;
  for (char c : v.text)
    if (c != '_') plain += c;
  if (v.kind == Value::Kind::Int && go_parses_int(plain)) {
    // YAML-only spellings: +1, 0x1f, 0o17, 0b101, 017.
    std::string_view s = plain;
    bool negative = false;
    if (s[0] == '+' || s[0] == '-') {
      negative = s[0] == '-';
      s.remove_prefix(1);
    }
    int base = 10;
    if (s.size() >= 3 && s[0] == '0' &&
        ((s[1] | 0x20) == 'x' || (s[1] | 0x20) == 'o' || (s[1] | 0x20) == 'b')) {
      base = (s[1] | 0x20) == 'x' ? 16 : (s[1] | 0x20) == 'o' ? 8 : 2;
      s.remove_prefix(2);
    } else if (s.size() > 1 && s[0] == '0') {
      base = 8;
      s.remove_prefix(1);
    }
    uint64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n, base);
    std::string out = negative && n != 0 ? "-" : "";
    return out + std::to_string(n);
  }
  // .inf, -.Inf, .NaN and the like: encoding/json has no such numbers.
  std::string lower;
  for (char c : plain) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower.ends_with(".inf") || lower.ends_with(".nan")) return "null";
  return go_float(std::strtod(plain.c_str(), nullptr));
}

// depth < 0: compact, on one line with no spaces.
void json_value(const Value& v, int depth, std::string& out) {
  const bool compact = depth < 0;
  const auto newline = [&](int d) {
    if (compact) return;
    out += '\n';
    out.append(static_cast<size_t>(d) * 4, ' ');
  };
  switch (v.kind) {
    case Value::Kind::Null:
      out += "null";
      return;
    case Value::Kind::Bool:
      out += v.boolean ? "true" : "false";
      return;
    case Value::Kind::Int:
    case Value::Kind::Float:
      out += json_number(v);
      return;
    case Value::Kind::String:
      json_string(v.text, out);
      return;
    case Value::Kind::List:
      if (v.items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        json_value(v.items[i], compact ? depth : depth + 1, out);
      }
      newline(depth);
      out += ']';
      return;
    case Value::Kind::Map:
      if (v.fields.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < v.fields.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        json_string(v.fields[i].first, out);
        out += compact ? ":" : ": ";
        json_value(v.fields[i].second, compact ? depth : depth + 1, out);
      }
      newline(depth);
      out += '}';
      return;
  }
}

}  // namespace

std::string to_yaml(const Value& value) {
  YamlEmitter e;
  e.document(value);
  return e.take();
}

std::string to_yaml_documents(const std::vector<Value>& documents) {
  std::string out;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) out += "---\n";
    out += to_yaml(documents[i]);
  }
  return out;
}

std::string to_json(const Value& value) {
  std::string out;
  json_value(value, 0, out);
  out += '\n';
  return out;
}

std::string to_compact_json(const Value& value) {
  std::string out;
  json_value(value, -1, out);
  return out;
}

}  // namespace dra::k8s
