// src/k8s/scalar_map.cpp -- re-decoding a scalar from the file text, remembering where each
// decoded byte came from. The YAML side follows libyaml 0.2.5's scanner (the parser behind
// parse_yaml) step by step, so folding and chomping give the same bytes; the JSON side
// follows json_parser.cpp. A mismatch anywhere gives nullopt, never a wrong guess.
#include "k8s/scalar_map.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace dra::k8s {
namespace {

constexpr size_t npos = std::string_view::npos;
constexpr size_t kMaxIndentTries = 64;  // parent indentations tried for a block scalar

bool is_bom(std::string_view t) { return t.substr(0, 3) == "\xEF\xBB\xBF"; }

// Bytes in the UTF-8 sequence led by t[i] (1 for anything malformed), never past the end.
size_t char_width(std::string_view t, size_t i) {
  const auto c = static_cast<unsigned char>(t[i]);
  size_t w = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return std::min(w, t.size() - i);
}

// Bytes in the line break at t[i], 0 if there is none.
size_t break_width(std::string_view t, size_t i, SourceSyntax syntax) {
  if (i >= t.size()) return 0;
  if (syntax == SourceSyntax::Json) return t[i] == '\n' ? 1 : 0;
  if (t[i] == '\n') return 1;
  if (t[i] == '\r') return i + 1 < t.size() && t[i + 1] == '\n' ? 2 : 1;
  if (t.substr(i, 2) == "\xC2\x85") return 2;                                          // NEL
  if (t.substr(i, 3) == "\xE2\x80\xA8" || t.substr(i, 3) == "\xE2\x80\xA9") return 3;  // LS, PS
  return 0;
}

// Steps over one character (or line break) at i, keeping line and column as the readers do.
void step(std::string_view t, SourceSyntax syntax, size_t& i, Pos& p) {
  if (size_t w = break_width(t, i, syntax)) {
    i += w;
    ++p.line;
    p.column = 1;
  } else {
    i += syntax == SourceSyntax::Yaml ? char_width(t, i) : 1;
    ++p.column;
  }
}

// The byte offset of `pos` in `t`, or npos.
size_t locate(std::string_view t, SourceSyntax syntax, Pos pos) {
  if (pos.line == 0 || pos.column == 0) return npos;
  // JSON columns leave out a byte order mark; libyaml counts it as a character.
  size_t i = syntax == SourceSyntax::Json && is_bom(t) ? 3 : 0;
  Pos at{1, 1};
  for (;;) {
    if (at == pos) return i;
    if (i >= t.size() || at.line > pos.line) return npos;
    step(t, syntax, i, at);
  }
}

// Where `target` is, walking forward from `from` (at `p`).
Pos pos_at(std::string_view t, SourceSyntax syntax, size_t from, Pos p, size_t target) {
  size_t i = from;
  while (i < target && i < t.size()) step(t, syntax, i, p);
  return p;
}

// Bytes that are decoded but not yet emitted (whitespace, line breaks), with their source.
struct Piece {
  std::string_view bytes;  // a literal or a view into the text
  size_t from, to;         // source range
};
using Pieces = std::vector<Piece>;

void put_utf8(std::string& out, uint32_t cp) {
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

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Scanner {
 public:
  Scanner(std::string_view text, SourceSyntax syntax, size_t start, std::string_view want)
      : t_(text), syntax_(syntax), i_(start), want_(want), end_(start) {
    src_.reserve(want.size());
  }

  // Source offset of decoded byte `k`, or of the end for k == size. Call after a full match.
  size_t source_of(size_t k) const { return k < src_.size() ? src_[k] : end_; }
  bool matched() const { return !bad_ && got_ == want_.size(); }
  bool next_is(char c) const { return at(c); }

  void skip_properties() {
    while (at('&') || at('!')) {
      if (at('!') && at('<', 1))
        while (i_ < t_.size() && !brk() && !at('>')) ++i_;
      while (i_ < t_.size() && !blank() && !brk() && !flow_indicator()) ++i_;
      skip_separation();
    }
  }

  bool plain() {
    end_ = i_;
    Pieces ws, lead, trail;
    bool leading_blanks = false;
    for (;;) {
      if (done()) return true;
      if (at_document_marker() || at('#')) return false;
      while (!blankz()) {
        if (leading_blanks) {
          join(lead, trail);
          leading_blanks = false;
        } else {
          emit(ws);
        }
        ws.clear();
        read_char();
        if (bad_) return false;
        if (done()) return true;
      }
      if (!blank() && !brk()) return false;
      consume_blanks(ws, lead, trail, leading_blanks);
    }
  }

  bool yaml_quoted() {
    const char quote = t_[i_];
    const bool single = quote == '\'';
    ++i_;
    end_ = i_;
    Pieces ws, lead, trail;
    for (;;) {
      if (z() || at_document_marker()) return false;
      bool leading_blanks = false;
      while (!blankz()) {
        if (single && at('\'') && at('\'', 1)) {
          put("'", i_, i_ + 2);
          i_ += 2;
        } else if (at(quote)) {
          break;
        } else if (!single && at('\\') && break_width(t_, i_ + 1, syntax_)) {
          ++i_;
          i_ += brk();
          leading_blanks = true;
          break;
        } else if (!single && at('\\')) {
          if (!yaml_escape()) return false;
        } else {
          read_char();
        }
        if (bad_) return false;
      }
      if (z()) return false;
      if (at(quote)) break;
      ws.clear();
      consume_blanks(ws, lead, trail, leading_blanks);
      if (leading_blanks) {
        join(lead, trail);
        lead.clear();
        trail.clear();
      } else {
        emit(ws);
      }
      ws.clear();
      if (bad_) return false;
    }
    ++i_;
    return true;
  }

  bool block(bool literal) {
    const size_t indicator = i_;
    ++i_;  // the | or >
    int chomp = 0;
    size_t increment = 0;
    auto chomping = [&] {
      if (at('+') || at('-')) {
        chomp = at('+') ? 1 : -1;
        ++i_;
        return true;
      }
      return false;
    };
    auto digit = [&] {
      if (i_ < t_.size() && t_[i_] >= '1' && t_[i_] <= '9') {
        increment = static_cast<size_t>(t_[i_] - '0');
        ++i_;
        return true;
      }
      return !at('0');
    };
    if (chomping()) {
      if (!digit()) return false;
    } else {
      if (!digit()) return false;
      chomping();
    }
    while (blank()) ++i_;
    if (at('#'))
      while (!breakz()) ++i_;
    if (!breakz()) return false;
    i_ += brk();
    end_ = i_;
    // The content indentation: libyaml adds an indentation indicator to the parent node's
    // indentation, or takes the first non-empty line's but at least one more than the
    // parent's. The parent's is not known here but is less than the indicator's column, so
    // each possibility is tried, smallest first, and the first that gives back the decoded
    // value is taken (they differ in the leading spaces they keep).
    const size_t column = indicator_column(indicator);
    const size_t tries = std::min<size_t>(column + 1, kMaxIndentTries);
    const Scanner saved = *this;
    for (size_t p = 0; p < tries; ++p) {
      *this = saved;
      if (increment != 0 ? body(literal, chomp, increment + p, false)
                         : body(literal, chomp, p + 1, true))
        return true;
    }
    return false;
  }

  // libyaml's block scalar body: with `automatic`, `indent` is the least indentation and the
  // first non-empty line's indentation is taken if more.
  bool body(bool literal, int chomp, size_t indent, bool automatic) {
    Pieces lead, trail;
    size_t col = breaks(automatic ? 0 : indent, trail);
    if (automatic) indent = std::max(indent, col_max_);
    bool leading_blank = false;
    while (col == indent && !z()) {
      const bool trailing_blank = blank();
      if (!literal && !lead.empty() && lead[0].bytes == "\n" && !leading_blank && !trailing_blank) {
        if (trail.empty()) put(" ", lead[0].from, lead[0].to);
      } else {
        emit(lead);
      }
      lead.clear();
      emit(trail);
      trail.clear();
      leading_blank = blank();
      while (!breakz()) {
        read_char();
        if (bad_) return false;
      }
      if (z()) break;
      read_line(lead);
      col = breaks(indent, trail);
      if (bad_) return false;
    }
    if (chomp != -1) emit(lead);
    if (chomp == 1) emit(trail);
    return matched();
  }

  // Characters before offset `at` on its line.
  size_t indicator_column(size_t at) const {
    size_t begin = at;
    while (begin > 0 && break_width(t_, begin - 1, syntax_) == 0 &&
           !(begin >= 2 && t_.substr(begin - 2, 2) == "\xC2\x85") &&
           !(begin >= 3 && (t_.substr(begin - 3, 3) == "\xE2\x80\xA8" ||
                            t_.substr(begin - 3, 3) == "\xE2\x80\xA9")))
      --begin;
    size_t n = 0;
    for (size_t j = begin; j < at; j += char_width(t_, j)) ++n;
    return n;
  }

  bool json_string() {
    ++i_;
    end_ = i_;
    while (i_ < t_.size() && !bad_) {
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        read_char();
        continue;
      }
      if (i_ + 1 >= t_.size()) return false;
      const size_t from = i_;
      const char e = t_[i_ + 1];
      std::string_view simple;
      switch (e) {
        case '"':
          simple = "\"";
          break;
        case '\\':
          simple = "\\";
          break;
        case '/':
          simple = "/";
          break;
        case 'b':
          simple = "\b";
          break;
        case 'f':
          simple = "\f";
          break;
        case 'n':
          simple = "\n";
          break;
        case 'r':
          simple = "\r";
          break;
        case 't':
          simple = "\t";
          break;
        case 'u':
          break;
        default:
          return false;
      }
      if (!simple.empty()) {
        put(simple, from, from + 2);
        i_ += 2;
        continue;
      }
      int64_t code = hex_value(i_ + 2, 4);
      if (code < 0) return false;
      i_ += 6;
      if (code >= 0xd800 && code <= 0xdbff && t_.substr(i_, 2) == "\\u") {
        const int64_t lo = hex_value(i_ + 2, 4);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (lo - 0xdc00);
          i_ += 6;
        }
      }
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      std::string buf;
      put_utf8(buf, static_cast<uint32_t>(code));
      put(buf, from, i_);
    }
    return false;
  }

 private:
  bool z() const { return i_ >= t_.size() || t_[i_] == '\0'; }
  bool at(char c, size_t k = 0) const { return i_ + k < t_.size() && t_[i_ + k] == c; }
  bool blank() const { return at(' ') || at('\t'); }
  size_t brk() const { return break_width(t_, i_, syntax_); }
  bool breakz() const { return z() || brk() != 0; }
  bool blankz() const { return blank() || breakz(); }
  bool flow_indicator() const { return at(',') || at('[') || at(']') || at('{') || at('}'); }
  bool done() const { return !bad_ && got_ == want_.size(); }

  bool line_start() const { return i_ == 0 || break_width(t_, i_ - 1, syntax_) != 0; }

  bool at_document_marker() const {
    // libyaml checks column 0; a CR LF or LS before i_ still ends in a break byte.
    if (!line_start()) return false;
    std::string_view three = t_.substr(i_, 3);
    if (three != "---" && three != "...") return false;
    const size_t j = i_ + 3;
    return j >= t_.size() || t_[j] == ' ' || t_[j] == '\t' || t_[j] == '\0' ||
           break_width(t_, j, syntax_) != 0;
  }

  // Comments, blanks and line breaks between node properties and the content.
  void skip_separation() {
    for (;;) {
      while (blank()) ++i_;
      if (at('#'))
        while (!breakz()) ++i_;
      if (size_t w = brk()) {
        i_ += w;
        continue;
      }
      return;
    }
  }

  // Appends decoded bytes coming from source range [from, to).
  void put(std::string_view bytes, size_t from, size_t to) {
    if (bad_) return;
    if (bytes.size() > want_.size() - got_ || want_.substr(got_, bytes.size()) != bytes) {
      bad_ = true;
      return;
    }
    got_ += bytes.size();
    src_.insert(src_.end(), bytes.size(), static_cast<uint32_t>(from));
    end_ = to;
  }

  void emit(const Pieces& p) {
    for (const Piece& piece : p) put(piece.bytes, piece.from, piece.to);
  }

  // A folded break: one break alone becomes a space, a break followed by empty lines becomes
  // those lines' breaks; an LS or PS break stays.
  void join(const Pieces& lead, const Pieces& trail) {
    if (!lead.empty() && lead[0].bytes == "\n") {
      if (trail.empty()) put(" ", lead[0].from, lead[0].to);
    } else {
      emit(lead);
    }
    emit(trail);
  }

  void read_char() {
    const size_t w = char_width(t_, i_);
    put(t_.substr(i_, w), i_, i_ + w);
    i_ += w;
  }

  void read_line(Pieces& p) {
    const size_t w = brk();
    std::string_view bytes = w == 3 ? t_.substr(i_, 3) : std::string_view("\n");
    p.push_back({bytes, i_, i_ + w});
    i_ += w;
  }

  void consume_blanks(Pieces& ws, Pieces& lead, Pieces& trail, bool& leading_blanks) {
    for (;;) {
      if (blank()) {
        if (!leading_blanks) ws.push_back({t_.substr(i_, 1), i_, i_ + 1});
        ++i_;
      } else if (brk()) {
        if (!leading_blanks) {
          ws.clear();
          lead.clear();
          trail.clear();
          read_line(lead);
          leading_blanks = true;
        } else {
          read_line(trail);
        }
      } else {
        return;
      }
    }
  }

  // libyaml's scan_block_scalar_breaks: indentation and empty lines before a content line.
  // Returns the column reached (spaces skipped on the last line).
  size_t breaks(size_t indent, Pieces& trail) {
    for (;;) {
      size_t col = 0;
      while ((indent == 0 || col < indent) && at(' ')) ++i_, ++col;
      col_max_ = std::max(col_max_, col);
      if (!brk()) return col;
      read_line(trail);
    }
  }

  int64_t hex_value(size_t at, size_t n) const {
    if (at > t_.size() || t_.size() - at < n) return -1;
    int64_t v = 0;
    for (size_t k = 0; k < n; ++k) {
      const int h = hex_digit(t_[at + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  bool yaml_escape() {
    if (i_ + 1 >= t_.size()) return false;
    const size_t from = i_;
    std::string_view simple;
    size_t hex = 0;
    switch (t_[i_ + 1]) {
      case '0':
        simple = std::string_view("\0", 1);
        break;
      case 'a':
        simple = "\x07";
        break;
      case 'b':
        simple = "\x08";
        break;
      case 't':
      case '\t':
        simple = "\x09";
        break;
      case 'n':
        simple = "\x0A";
        break;
      case 'v':
        simple = "\x0B";
        break;
      case 'f':
        simple = "\x0C";
        break;
      case 'r':
        simple = "\x0D";
        break;
      case 'e':
        simple = "\x1B";
        break;
      case ' ':
        simple = " ";
        break;
      case '"':
        simple = "\"";
        break;
      case '/':
        simple = "/";
        break;
      case '\\':
        simple = "\\";
        break;
      case 'N':
        simple = "\xC2\x85";
        break;
      case '_':
        simple = "\xC2\xA0";
        break;
      case 'L':
        simple = "\xE2\x80\xA8";
        break;
      case 'P':
        simple = "\xE2\x80\xA9";
        break;
      case 'x':
        hex = 2;
        break;
      case 'u':
        hex = 4;
        break;
      case 'U':
        hex = 8;
        break;
      default:
        return false;
    }
    if (hex == 0) {
      put(simple, from, from + 2);
      i_ += 2;
      return true;
    }
    const int64_t code = hex_value(i_ + 2, hex);
    if (code < 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return false;
    i_ += 2 + hex;
    std::string buf;
    put_utf8(buf, static_cast<uint32_t>(code));
    put(buf, from, i_);
    return true;
  }

  std::string_view t_;
  SourceSyntax syntax_;
  size_t i_;
  std::string_view want_;
  size_t got_ = 0;
  bool bad_ = false;
  std::vector<uint32_t> src_;
  size_t end_;
  size_t col_max_ = 0;
};

}  // namespace

SourceSyntax detect_syntax(std::string_view text) {
  size_t i = is_bom(text) ? 3 : 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  return i < text.size() && (text[i] == '{' || text[i] == '[') ? SourceSyntax::Json
                                                               : SourceSyntax::Yaml;
}

std::optional<Pos> scalar_offset_pos(std::string_view text, SourceSyntax syntax, Pos scalar_start,
                                     ScalarStyle style, std::string_view decoded, uint32_t offset) {
  if (offset > decoded.size() || text.size() >= UINT32_MAX) return std::nullopt;
  const size_t start = locate(text, syntax, scalar_start);
  if (start == npos || start >= text.size()) return std::nullopt;

  Scanner scan(text, syntax, start, decoded);
  bool ok = false;
  if (syntax == SourceSyntax::Json) {
    if (style == ScalarStyle::Quoted) {
      ok = text[start] == '"' && scan.json_string();
    } else {
      // Numbers, true, false, null: the text itself.
      if (style != ScalarStyle::Plain || text.substr(start, decoded.size()) != decoded)
        return std::nullopt;
      return pos_at(text, syntax, start, scalar_start, start + offset);
    }
  } else {
    scan.skip_properties();
    switch (style) {
      case ScalarStyle::Plain:
        if (decoded.empty()) return scalar_start;
        ok = scan.plain();
        break;
      case ScalarStyle::Quoted:
        ok = (scan.next_is('\'') || scan.next_is('"')) && scan.yaml_quoted();
        break;
      case ScalarStyle::Literal:
        ok = scan.next_is('|') && scan.block(true);
        break;
      case ScalarStyle::Folded:
        ok = scan.next_is('>') && scan.block(false);
        break;
    }
  }
  if (!ok || !scan.matched()) return std::nullopt;
  return pos_at(text, syntax, start, scalar_start, scan.source_of(offset));
}

std::optional<Pos> scalar_offset_pos(std::string_view text, const Node& scalar, uint32_t offset) {
  if (!scalar.is_scalar()) return std::nullopt;
  return scalar_offset_pos(text, detect_syntax(text), scalar.pos, scalar.style, scalar.text,
                           offset);
}

}  // namespace dra::k8s
