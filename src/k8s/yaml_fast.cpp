// src/k8s/yaml_fast.cpp -- a fast reader for the block YAML that dumps and manifests are
// written in. libyaml spends most of its time in per-character reading and in a malloc per
// token and per scalar; this reader follows libyaml 0.2.5's scanner and parser step by step
// (the same tokens, simple-key rules, lookahead and event positions) on the raw UTF-8 input,
// and hands scalars that need no decoding over as views into it. It gives up (Unsupported)
// on what it does not implement (anchors, aliases, tags, directives, explicit '?' keys, CR,
// NEL/LS/PS line breaks, a byte order mark) and wherever libyaml would report an error,
// before reporting any event libyaml would not: libyaml then reads the text again.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/yaml_events.hpp"

namespace dra::k8s::detail {
namespace {

// libyaml decodes its input 16 KiB at a time, and a bad byte anywhere in a decoded block stops
// it before it reports the events that come before that byte. Before each event the reader
// has therefore checked at least this far past its reading position (twice libyaml's block
// and lookahead), so that it never reports an event libyaml would not.
constexpr size_t kCheckAhead = 32 * 1024;
// Indentation levels, flow levels and parser states are explicit stacks; beyond this depth
// the reader gives up (TreeBuilder's depth limit stops any real document long before).
constexpr size_t kMaxNesting = 10000;
// libyaml's limit on the length of a simple key, in characters.
constexpr size_t kMaxSimpleKey = 1024;

// Free slots kept in front of the token queue's head (see Scanner::insert).
constexpr size_t kFrontSlots = 8;

constexpr uint64_t kLowBits = 0x0101010101010101ull;   // the lowest bit of each byte
constexpr uint64_t kHighBits = 0x8080808080808080ull;  // the highest bit of each byte

// A position: byte offset, line and column (0-based; the column in characters, as libyaml
// counts it).
struct Mark {
  size_t offset = 0;
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class Tok : uint8_t {
  StreamStart,
  StreamEnd,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowSequenceEnd,
  FlowMappingStart,
  FlowMappingEnd,
  BlockEntry,
  FlowEntry,
  Key,
  Value,
  Scalar,
};

struct Token {
  Tok type = Tok::StreamStart;
  YamlStyle style = YamlStyle::Plain;
  bool in_scratch = false;  // the value is in the scratch buffer, not a view of the input
  uint8_t length = 0;       // of an indicator: where it ends is start + length, on its line
  uint32_t value_size = 0;
  Mark start;
  size_t value_offset = 0;
};

// libyaml's end mark of an indicator token (a simple key's KEY token ends where it starts).
// Indicators are ASCII: the column moves with the offset.
Mark end_of(const Token& t) {
  Mark m = t.start;
  m.offset += t.length;
  m.column += t.length;
  return m;
}

struct SimpleKey {
  bool possible = false;
  bool required = false;
  size_t token_number = 0;
  Mark mark;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }
// The end of the input reads as '\0' (libyaml's sentinel); the input holds no NUL itself.
bool is_blankz(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\0'; }
bool is_breakz(char c) { return c == '\n' || c == '\0'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

using ByteSet = std::array<bool, 256>;

constexpr ByteSet byte_set(std::string_view chars) {
  ByteSet set{};
  for (char c : chars) set[static_cast<unsigned char>(c)] = true;
  return set;
}

// Bytes that end a run of ordinary characters in a plain scalar (and need a closer look).
constexpr ByteSet kPlainStopBlock = byte_set(std::string_view(" \t\n:\0", 5));
constexpr ByteSet kPlainStopFlow = byte_set(std::string_view(" \t\n:,[]{}\0", 10));
constexpr ByteSet kSingleQuotedStop = byte_set(std::string_view(" \t\n'\0", 5));
constexpr ByteSet kDoubleQuotedStop = byte_set(std::string_view(" \t\n\"\\\0", 6));

// ASCII bytes libyaml accepts that this reader handles: tab, line feed, printable characters.
// CR is refused (libyaml would fold CR LF and lone CRs into line feeds).
constexpr ByteSet kPlainAscii = [] {
  ByteSet set{};
  set['\t'] = set['\n'] = true;
  for (int c = 0x20; c < 0x7f; ++c) set[c] = true;
  return set;
}();

// A scalar's value as it is built: a view of the input while it is a verbatim copy of one
// stretch of it, else a string in the scratch buffer (shared by the tokens in the queue).
class ValueBuilder {
 public:
  ValueBuilder(const char* text, std::string& scratch) : text_(text), scratch_(scratch) {}

  // Appends input bytes [from, to) verbatim.
  void copy(size_t from, size_t to) {
    if (from == to) return;
    if (!in_scratch_) {
      if (view_begin_ == view_end_) {
        view_begin_ = from;
        view_end_ = to;
        return;
      }
      if (from == view_end_) {
        view_end_ = to;
        return;
      }
      to_scratch();
    }
    scratch_.append(text_ + from, to - from);
  }
  void put(char c, size_t n = 1) {
    to_scratch();
    scratch_.append(n, c);
  }
  void put(std::string_view s) {
    to_scratch();
    scratch_.append(s);
  }
  // Stores the value in `t`; false if it is too long for a token (4 GiB).
  bool finish(Token& t) const {
    const size_t size = in_scratch_ ? scratch_.size() - begin_ : view_end_ - view_begin_;
    if (size > UINT32_MAX) return false;
    t.in_scratch = in_scratch_;
    t.value_offset = in_scratch_ ? begin_ : view_begin_;
    t.value_size = static_cast<uint32_t>(size);
    return true;
  }

 private:
  void to_scratch() {
    if (in_scratch_) return;
    in_scratch_ = true;
    begin_ = scratch_.size();
    scratch_.append(text_ + view_begin_, view_end_ - view_begin_);
  }

  const char* text_;
  std::string& scratch_;
  size_t view_begin_ = 0, view_end_ = 0, begin_ = 0;
  bool in_scratch_ = false;
};

// libyaml's scanner (scanner.c), function by function, for the subset. Every `return fail()`
// is a place where libyaml reports an error or where the subset ends.
class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : s_(text.data()), size_(text.size()), tokens_(kFrontSlots + 8) {
    check_to(kCheckAhead);
  }

  // The next token, or nullptr once the reader has given up.
  const Token* peek() {
    // With no possible simple key, a queued token is ready (fetch_more_tokens would only
    // confirm it).
    if (available_ || (head_ != tail_ && !possible_keys_)) {
      available_ = true;
      return &tokens_[head_];
    }
    if (failed_ || !fetch_more_tokens()) return nullptr;
    return &tokens_[head_];
  }
  void skip() {
    available_ = false;
    ++parsed_;
    ++head_;
  }

  std::string_view value(const Token& t) const {
    if (t.in_scratch) return std::string_view(scratch_).substr(t.value_offset, t.value_size);
    return {s_ + t.value_offset, t.value_size};
  }
  Pos pos(const Mark& m) const { return {m.line + 1, m.column + 1}; }

  // Whether an event may be reported now: the reader has not given up, and the input is
  // checked far enough ahead (see kCheckAhead).
  bool ready() {
    if (failed_) return false;
    if (checked_ < size_ && checked_ < i_ + kCheckAhead) check_to(i_ + 2 * kCheckAhead);
    return !failed_;
  }
  // At the end: whether the whole input was checked and read.
  bool finish() { return !failed_ && check_to(size_); }
  bool fail() {
    failed_ = true;
    return false;
  }

 private:
  // ---- input ----

  char at(size_t k = 0) const { return i_ + k < size_ ? s_[i_ + k] : '\0'; }
  unsigned char byte(size_t p) const { return static_cast<unsigned char>(s_[p]); }
  Mark mark() { return {i_, line_, static_cast<uint32_t>(column())}; }

  // Characters (code points) in [from, to): bytes minus UTF-8 continuation bytes, counted
  // eight bytes at a time (nearly always all ASCII).
  size_t chars(size_t from, size_t to) const {
    size_t n = to - from, p = from;
    for (; p + 8 <= to; p += 8) n -= continuation_bytes(load8(p));
    if (p == to) return n;
    if (p + 8 <= size_) {
      // The tail: a whole word, with the bytes past `to` masked off.
      const unsigned past = 8 * static_cast<unsigned>(8 - (to - p));
      const uint64_t keep =
          std::endian::native == std::endian::little ? ~uint64_t{0} >> past : ~uint64_t{0} << past;
      n -= continuation_bytes(load8(p) & keep);
    } else {
      for (; p < to; ++p) n -= (byte(p) & 0xc0) == 0x80;
    }
    return n;
  }
  uint64_t load8(size_t p) const {
    uint64_t w;
    std::memcpy(&w, s_ + p, 8);
    return w;
  }
  static size_t continuation_bytes(uint64_t w) {
    if (!(w & kHighBits)) return 0;
    // 10xxxxxx: the top bit set and the next one clear; then add up the flags of all bytes.
    const uint64_t flags = (w & ~(w << 1) & kHighBits) >> 7;
    return static_cast<size_t>((flags * kLowBits) >> 56);
  }
  // Whether all eight bytes are ASCII the reader takes (kPlainAscii), by word arithmetic
  // that never carries from one byte into the next.
  static bool plain_ascii8(uint64_t w) {
    constexpr uint64_t k7f = 0x7f * kLowBits;
    const uint64_t low7 = w & k7f;
    const uint64_t above = ((low7 + kLowBits) | w) & kHighBits;         // 0x7f and up
    const uint64_t below = ~(low7 + 0x60 * kLowBits) & ~w & kHighBits;  // below 0x20
    if (above) return false;
    if (!below) return true;
    return !(below & ~(zero_bytes(w ^ ('\n' * kLowBits)) | zero_bytes(w ^ ('\t' * kLowBits))));
  }
  // 0x80 in each zero byte of x.
  static uint64_t zero_bytes(uint64_t x) {
    constexpr uint64_t k7f = 0x7f * kLowBits;
    return ~(((x & k7f) + k7f) | x | k7f);
  }
  // The column of i_: its byte offset in the line unless a non-ASCII character precedes it
  // on the line (non_ascii_ notes the first of each line). Positions on such a line are
  // asked for in order: count each byte once.
  int64_t column() {
    while (non_ascii_head_ < non_ascii_.size() && non_ascii_[non_ascii_head_] < line_start_)
      ++non_ascii_head_;
    if (non_ascii_head_ == non_ascii_.size() || non_ascii_[non_ascii_head_] >= i_)
      return static_cast<int64_t>(i_ - line_start_);
    if (column_line_start_ != line_start_ || column_offset_ > i_) {
      column_line_start_ = column_offset_ = line_start_;
      column_ = 0;
    }
    column_ += chars(column_offset_, i_);
    column_offset_ = i_;
    return static_cast<int64_t>(column_);
  }

  // Steps over the line feed at i_. Every line the reader enters is checked first.
  void next_line() {
    ++i_;
    ++line_;
    line_start_ = i_;
    if (i_ >= checked_) check_to(i_ + 2 * kCheckAhead);
  }

  // Checks the input up to `to` and on to the end of that line: UTF-8 as libyaml's reader
  // accepts it, without the characters this reader does not handle. The checked part always
  // ends after a line feed (or at the end), so the scanner never reads an unchecked line.
  bool check_to(size_t to) {
    to = std::min(to, size_);
    size_t p = checked_;
    for (;;) {
      while (p < to) {
        if (p + 8 <= size_) {
          // Eight ASCII bytes at a time: printable, or tabs and line feeds among them.
          const uint64_t w = load8(p);
          if (plain_ascii8(w)) {
            p += 8;
            continue;
          }
          if (!(w & kHighBits)) return fail();  // a control character
        }
        if (kPlainAscii[byte(p)]) {
          ++p;
          continue;
        }
        const size_t width = utf8_char(p);
        if (width == 0) return fail();
        note_non_ascii(p, width);
        p += width;
      }
      if (p >= size_ || s_[p - 1] == '\n') break;
      const void* lf = std::memchr(s_ + p, '\n', size_ - p);
      to = lf ? static_cast<size_t>(static_cast<const char*>(lf) - s_) + 1 : size_;
    }
    checked_ = p;
    return true;
  }

  // Remembers, for column(), the first non-ASCII character of each checked line that has
  // one (at least: a character is noted when a line feed separates it from the previous one).
  void note_non_ascii(size_t p, size_t width) {
    if (non_ascii_end_ == 0 || std::memchr(s_ + non_ascii_end_, '\n', p - non_ascii_end_)) {
      // Lines before the reader's are done with.
      while (non_ascii_head_ < non_ascii_.size() && non_ascii_[non_ascii_head_] < line_start_)
        ++non_ascii_head_;
      if (non_ascii_head_ == non_ascii_.size()) {
        non_ascii_.clear();
        non_ascii_head_ = 0;
      } else if (non_ascii_head_ >= 1024 && non_ascii_head_ * 2 >= non_ascii_.size()) {
        non_ascii_.erase(non_ascii_.begin(),
                         non_ascii_.begin() + static_cast<std::ptrdiff_t>(non_ascii_head_));
        non_ascii_head_ = 0;
      }
      non_ascii_.push_back(p);
    }
    non_ascii_end_ = p + width;
  }

  // The length of the non-ASCII character at p, or 0 if libyaml's reader rejects it (not
  // UTF-8, a surrogate, a control character) or this reader does not handle it.
  size_t utf8_char(size_t p) const {
    const unsigned char lead = byte(p);
    const size_t width = (lead & 0xe0) == 0xc0   ? 2
                         : (lead & 0xf0) == 0xe0 ? 3
                         : (lead & 0xf8) == 0xf0 ? 4
                                                 : 0;
    if (width == 0 || p + width > size_) return 0;
    uint32_t value = lead & (width == 2 ? 0x1f : width == 3 ? 0x0f : 0x07);
    for (size_t k = 1; k < width; ++k) {
      if ((byte(p + k) & 0xc0) != 0x80) return 0;
      value = (value << 6) | (byte(p + k) & 0x3f);
    }
    if ((width == 2 && value < 0x80) || (width == 3 && value < 0x800) ||
        (width == 4 && value < 0x10000))
      return 0;  // overlong
    // libyaml's printable range: #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    const bool printable = value == 0x85 || (value >= 0xa0 && value <= 0xd7ff) ||
                           (value >= 0xe000 && value <= 0xfffd) ||
                           (value >= 0x10000 && value <= 0x10ffff);
    // NEL, LS and PS are line breaks to libyaml; a BOM is skipped at the start of a line.
    if (!printable || value == 0x85 || value == 0x2028 || value == 0x2029 || value == 0xfeff)
      return 0;
    return width;
  }

  // ---- the token queue (yaml_parser_fetch_more_tokens) ----

  // Kept out of line: peek() is inlined into every parser state, and most calls find the
  // token already fetched.
  [[gnu::noinline]] bool fetch_more_tokens() {
    for (;;) {
      bool need = false;
      if (head_ == tail_) {
        // Nothing is queued, so no scalar refers to the scratch buffer any more.
        head_ = tail_ = kFrontSlots;
        scratch_.clear();
        need = true;
      } else if (possible_keys_) {
        if (!stale_simple_keys()) return false;
        for (const SimpleKey& k : simple_keys_) {
          if (k.possible && k.token_number == parsed_) {
            need = true;
            break;
          }
        }
      }
      if (!need) break;
      if (!fetch_next_token()) return false;
    }
    available_ = true;
    return true;
  }

  // Tokens are built in place: a Token assembled elsewhere and copied in stalls the copy
  // (the store-to-load forwarding of its byte fields fails).
  Token& enqueue(Tok type, const Mark& start, uint8_t length = 0) {
    if (tail_ == tokens_.size()) tokens_.emplace_back();
    return init(tokens_[tail_++], type, start, length);
  }
  static Token& init(Token& t, Tok type, const Mark& start, uint8_t length) {
    t.type = type;
    t.style = YamlStyle::Plain;
    t.in_scratch = false;
    t.length = length;
    t.value_size = 0;
    t.start = start;
    t.value_offset = 0;
    return t;
  }
  // Inserts before token `number` (KEY and BLOCK-MAPPING-START before a simple key). That
  // is nearly always the head of the queue: the tokens before it move into a free slot in
  // front of the head instead of the ones after it moving back.
  void insert(size_t number, Tok type, const Mark& m) {
    if (head_ == 0) {
      // Out of free slots: move the queue back to make more.
      if (tokens_.size() < tail_ + kFrontSlots) tokens_.resize(tail_ + kFrontSlots);
      std::copy_backward(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(tail_),
                         tokens_.begin() + static_cast<std::ptrdiff_t>(tail_ + kFrontSlots));
      head_ += kFrontSlots;
      tail_ += kFrontSlots;
    }
    const size_t at = head_ + (number - parsed_);
    for (size_t k = head_; k < at; ++k) tokens_[k - 1] = tokens_[k];
    --head_;
    init(tokens_[at - 1], type, m, 0);
  }

  bool fetch_next_token() {
    if (!stream_start_produced_) return fetch_stream_start();
    scan_to_next_token();
    if (!stale_simple_keys()) return false;
    here_ = mark();
    unroll_indent(here_.column);
    if (i_ >= size_) return fetch_stream_end();
    const char c = at();
    if (i_ == line_start_) {
      if (c == '%') return fail();  // directives: not in the subset
      if (document_indicator())
        return fetch_document_indicator(c == '-' ? Tok::DocumentStart : Tok::DocumentEnd);
    }
    switch (c) {
      case '[':
        return fetch_flow_collection_start(Tok::FlowSequenceStart);
      case '{':
        return fetch_flow_collection_start(Tok::FlowMappingStart);
      case ']':
        return fetch_flow_collection_end(Tok::FlowSequenceEnd);
      case '}':
        return fetch_flow_collection_end(Tok::FlowMappingEnd);
      case ',':
        return fetch_flow_entry();
      case '-':
        if (is_blankz(at(1))) return fetch_block_entry();
        break;
      case '?':
        if (flow_level_ || is_blankz(at(1))) return fail();  // explicit keys: not in the subset
        break;
      case ':':
        if (flow_level_ || is_blankz(at(1))) return fetch_value();
        break;
      case '*':
      case '&':
      case '!':
        return fail();  // aliases, anchors, tags: not in the subset
      case '|':
      case '>':
        if (!flow_level_) return fetch_block_scalar(c == '|');
        break;
      case '\'':
      case '"':
        return fetch_flow_scalar(c == '\'');
      default:
        break;
    }
    // libyaml's rule for the start of a plain scalar.
    static constexpr ByteSet kIndicators = byte_set("-?:,[]{}#&*!|>'\"%@`");
    const bool plain = !(is_blankz(c) || kIndicators[static_cast<unsigned char>(c)]) ||
                       (c == '-' && !is_blank(at(1))) ||
                       (!flow_level_ && (c == '?' || c == ':') && !is_blankz(at(1)));
    if (plain) return fetch_plain_scalar();
    return fail();  // "found character that cannot start any token"
  }

  // "---" or "..." followed by a blank, a line feed or the end, at the start of a line.
  bool document_indicator() const {
    const char c = at();
    return (c == '-' || c == '.') && at(1) == c && at(2) == c && is_blankz(at(3));
  }

  // ---- simple keys and indentation ----

  bool stale_simple_keys() {
    if (!possible_keys_) return true;
    for (SimpleKey& k : simple_keys_) {
      if (k.possible && (k.mark.line < line_ || too_long(k.mark.offset))) {
        if (k.required) return fail();  // "could not find expected ':'"
        k.possible = false;
        --possible_keys_;
      }
    }
    return true;
  }
  bool too_long(size_t key_offset) const {
    return i_ - key_offset > kMaxSimpleKey && chars(key_offset, i_) > kMaxSimpleKey;
  }

  bool save_simple_key() {
    if (!simple_key_allowed_) return true;
    if (!remove_simple_key()) return false;
    SimpleKey& k = simple_keys_.back();
    k.possible = true;
    ++possible_keys_;
    k.required = !flow_level_ && indent_ == here_.column;
    k.token_number = parsed_ + (tail_ - head_);
    k.mark = here_;
    return true;
  }

  bool remove_simple_key() {
    SimpleKey& k = simple_keys_.back();
    if (k.possible) {
      if (k.required) return fail();  // "could not find expected ':'"
      k.possible = false;
      --possible_keys_;
    }
    return true;
  }

  bool increase_flow_level() {
    if (simple_keys_.size() >= kMaxNesting) return fail();
    simple_keys_.emplace_back();
    ++flow_level_;
    return true;
  }
  void decrease_flow_level() {
    if (flow_level_) {
      --flow_level_;
      possible_keys_ -= simple_keys_.back().possible;
      simple_keys_.pop_back();
    }
  }

  // `number` is the token number to insert before, or -1 to append.
  bool roll_indent(int64_t col, int64_t number, Tok type, const Mark& m) {
    if (flow_level_) return true;
    if (indent_ < col) {
      if (indents_.size() >= kMaxNesting) return fail();
      indents_.push_back(indent_);
      indent_ = col;
      if (number == -1)
        enqueue(type, m);
      else
        insert(static_cast<size_t>(number), type, m);
    }
    return true;
  }
  void unroll_indent(int64_t col) {
    if (flow_level_) return;
    while (indent_ > col) {
      enqueue(Tok::BlockEnd, here_);
      indent_ = indents_.back();
      indents_.pop_back();
    }
  }

  // ---- token fetchers ----

  bool fetch_stream_start() {
    indent_ = -1;
    simple_keys_.emplace_back();
    simple_key_allowed_ = true;
    stream_start_produced_ = true;
    enqueue(Tok::StreamStart, mark());
    return true;
  }

  bool fetch_stream_end() {
    // libyaml forces a new line at the end of the input.
    if (i_ != line_start_) {
      ++line_;
      line_start_ = i_;
    }
    here_ = mark();
    unroll_indent(-1);
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = false;
    enqueue(Tok::StreamEnd, here_);
    return true;
  }

  bool fetch_document_indicator(Tok type) {
    unroll_indent(-1);
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = false;
    enqueue(type, here_, 3);
    i_ += 3;
    return true;
  }

  bool fetch_flow_collection_start(Tok type) {
    if (!save_simple_key() || !increase_flow_level()) return false;
    simple_key_allowed_ = true;
    enqueue(type, here_, 1);
    ++i_;
    return true;
  }

  bool fetch_flow_collection_end(Tok type) {
    if (!remove_simple_key()) return false;
    decrease_flow_level();
    simple_key_allowed_ = false;
    enqueue(type, here_, 1);
    ++i_;
    return true;
  }

  bool fetch_flow_entry() {
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    enqueue(Tok::FlowEntry, here_, 1);
    ++i_;
    return true;
  }

  bool fetch_block_entry() {
    if (!flow_level_) {
      if (!simple_key_allowed_) return fail();  // "block sequence entries are not allowed"
      if (!roll_indent(here_.column, -1, Tok::BlockSequenceStart, here_)) return false;
    }
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    enqueue(Tok::BlockEntry, here_, 1);
    ++i_;
    return true;
  }

  bool fetch_value() {
    SimpleKey& key = simple_keys_.back();
    if (key.possible) {
      // The scalar (or flow collection) at the key's position was a simple key after all.
      key.possible = false;
      --possible_keys_;
      insert(key.token_number, Tok::Key, key.mark);
      if (!roll_indent(key.mark.column, static_cast<int64_t>(key.token_number),
                       Tok::BlockMappingStart, key.mark))
        return false;
      simple_key_allowed_ = false;
    } else {
      if (!flow_level_) {
        if (!simple_key_allowed_) return fail();  // "mapping values are not allowed here"
        if (!roll_indent(here_.column, -1, Tok::BlockMappingStart, here_)) return false;
      }
      simple_key_allowed_ = !flow_level_;
    }
    enqueue(Tok::Value, here_, 1);
    ++i_;
    return true;
  }

  bool fetch_block_scalar(bool literal) {
    if (!remove_simple_key()) return false;
    simple_key_allowed_ = true;
    return scan_block_scalar(literal);
  }

  bool fetch_flow_scalar(bool single) {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    return scan_flow_scalar(single);
  }

  bool fetch_plain_scalar() {
    if (!save_simple_key()) return false;
    simple_key_allowed_ = false;
    return scan_plain_scalar();
  }

  // ---- scanners ----

  void scan_to_next_token() {
    for (;;) {
      skip_spaces();
      char c = at();
      // Tabs separate tokens only where no simple key may start (libyaml's rule).
      if (c == '\t' && (flow_level_ || !simple_key_allowed_)) {
        while (c == ' ' || c == '\t') {
          ++i_;
          c = at();
        }
      }
      if (c == '#') {
        skip_to_line_end();
        c = at();
      }
      if (c != '\n') break;
      next_line();
      if (!flow_level_) simple_key_allowed_ = true;
    }
  }

  // Indentation, eight bytes at a time.
  void skip_spaces() {
    for (; i_ + 8 <= size_; i_ += 8) {
      if (const uint64_t other = load8(i_) ^ (' ' * kLowBits)) {
        i_ += first_flagged_byte(other);
        return;
      }
    }
    while (i_ < size_ && s_[i_] == ' ') ++i_;
  }

  // Past a plain scalar's run of ordinary characters: up to a blank, a line feed or a ':' in
  // the block context (checked lines hold no other byte below 0x21), or `stop` in general.
  void skip_plain_run(const ByteSet& stop) {
    if (!flow_level_) {
      for (; i_ + 8 <= size_; i_ += 8) {
        const uint64_t w = load8(i_);
        const uint64_t low7 = w & (0x7f * kLowBits);
        const uint64_t blank = ~(low7 + 0x5f * kLowBits) & ~w & kHighBits;  // below 0x21
        if (const uint64_t found = blank | zero_bytes(w ^ (':' * kLowBits))) {
          i_ += first_flagged_byte(found);
          return;
        }
      }
    }
    while (i_ < size_ && !stop[byte(i_)]) ++i_;
  }

  // The index of the first byte of `flags` (in memory order) that is not zero.
  static size_t first_flagged_byte(uint64_t flags) {
    const int bit = std::endian::native == std::endian::little ? std::countr_zero(flags)
                                                               : std::countl_zero(flags);
    return static_cast<size_t>(bit / 8);
  }

  void skip_to_line_end() {
    const void* lf = i_ < size_ ? std::memchr(s_ + i_, '\n', size_ - i_) : nullptr;
    i_ = lf ? static_cast<size_t>(static_cast<const char*>(lf) - s_) : std::max(i_, size_);
  }

  Token& new_scalar(YamlStyle style, const Mark& start) {
    Token& t = enqueue(Tok::Scalar, start);
    t.style = style;
    return t;
  }

  bool scan_plain_scalar() {
    const Mark start = here_;
    ValueBuilder v(s_, scratch_);
    const int64_t indent = indent_ + 1;
    const ByteSet& stop = flow_level_ ? kPlainStopFlow : kPlainStopBlock;
    bool leading_blanks = false;      // a line break since the last run of characters
    size_t trailing_breaks = 0;       // line breaks after the first one
    size_t ws_begin = 0, ws_end = 0;  // blanks after the last run, on its line
    for (;;) {
      if (i_ == line_start_ && document_indicator()) break;
      char c = at();
      if (c == '#') break;
      while (!is_blankz(c)) {
        if (c == ':') {
          const char n = at(1);
          if (flow_level_ && (n == ',' || n == '?' || n == '[' || n == ']' || n == '{' || n == '}'))
            return fail();  // "found unexpected ':'"
          if (is_blankz(n)) break;
        } else if (flow_level_ && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}')) {
          break;
        }
        // Join what came between the previous run and this one.
        if (leading_blanks) {
          if (trailing_breaks == 0)
            v.put(' ');
          else
            v.put('\n', trailing_breaks);
          trailing_breaks = 0;
          leading_blanks = false;
        } else {
          v.copy(ws_begin, ws_end);
        }
        ws_begin = ws_end = 0;
        const size_t run = i_++;
        skip_plain_run(stop);
        v.copy(run, i_);
        c = at();
      }
      if (!(is_blank(c) || c == '\n')) break;
      for (;; c = at()) {
        if (c == '\n') {
          if (!leading_blanks) {
            ws_begin = ws_end = 0;
            leading_blanks = true;
          } else {
            ++trailing_breaks;
          }
          next_line();
          skip_spaces();  // only blanks precede i_ on its line: the byte column is exact
        } else if (c == ' ' || c == '\t') {
          if (leading_blanks && c == '\t' && static_cast<int64_t>(i_ - line_start_) < indent)
            return fail();  // "found a tab character that violates indentation"
          if (!leading_blanks) {
            if (ws_begin == ws_end) ws_begin = i_;
            ws_end = i_ + 1;
          }
          ++i_;
        } else {
          break;
        }
      }
      // Without a line break the column is past the scalar's start, never below `indent`.
      if (!flow_level_ && leading_blanks && static_cast<int64_t>(i_ - line_start_) < indent) break;
    }
    if (!v.finish(new_scalar(YamlStyle::Plain, start))) return fail();
    if (leading_blanks) simple_key_allowed_ = true;
    return true;
  }

  bool scan_flow_scalar(bool single) {
    const Mark start = here_;
    ValueBuilder v(s_, scratch_);
    const char quote = single ? '\'' : '"';
    const ByteSet& stop = single ? kSingleQuotedStop : kDoubleQuotedStop;
    ++i_;
    for (;;) {
      if (i_ == line_start_ && document_indicator()) return fail();
      if (i_ >= size_) return fail();  // "found unexpected end of stream"
      bool leading_blanks = false;
      while (!is_blankz(at())) {
        const char c = at();
        if (single && c == '\'' && at(1) == '\'') {
          v.put('\'');
          i_ += 2;
        } else if (c == quote) {
          break;
        } else if (!single && c == '\\' && at(1) == '\n') {
          ++i_;
          next_line();
          leading_blanks = true;
          break;
        } else if (!single && c == '\\') {
          if (!scan_escape(v)) return fail();
        } else {
          const size_t run = i_++;
          while (i_ < size_ && !stop[byte(i_)]) ++i_;
          v.copy(run, i_);
        }
      }
      if (at() == quote) break;
      size_t ws_begin = 0, ws_end = 0, trailing_breaks = 0;
      bool leading_break = false;
      while (is_blank(at()) || at() == '\n') {
        if (is_blank(at())) {
          if (!leading_blanks) {
            if (ws_begin == ws_end) ws_begin = i_;
            ws_end = i_ + 1;
          }
          ++i_;
        } else {
          if (!leading_blanks) {
            ws_begin = ws_end = 0;
            leading_break = true;
            leading_blanks = true;
          } else {
            ++trailing_breaks;
          }
          next_line();
        }
      }
      if (leading_blanks) {
        // A line break folds into a space, or into the empty lines after it; an escaped
        // line break (leading_break false) into nothing but those.
        if (leading_break && trailing_breaks == 0)
          v.put(' ');
        else
          v.put('\n', trailing_breaks);
      } else {
        v.copy(ws_begin, ws_end);
      }
    }
    ++i_;  // the closing quote
    if (!v.finish(new_scalar(single ? YamlStyle::SingleQuoted : YamlStyle::DoubleQuoted, start)))
      return fail();
    return true;
  }

  // One escape sequence at i_ ('\\' and what follows); false if libyaml rejects it.
  bool scan_escape(ValueBuilder& v) {
    size_t code_length = 0;
    switch (at(1)) {
      case '0':
        v.put('\0');
        break;
      case 'a':
        v.put('\x07');
        break;
      case 'b':
        v.put('\x08');
        break;
      case 't':
      case '\t':
        v.put('\x09');
        break;
      case 'n':
        v.put('\x0a');
        break;
      case 'v':
        v.put('\x0b');
        break;
      case 'f':
        v.put('\x0c');
        break;
      case 'r':
        v.put('\x0d');
        break;
      case 'e':
        v.put('\x1b');
        break;
      case ' ':
        v.put(' ');
        break;
      case '"':
        v.put('"');
        break;
      case '/':
        v.put('/');
        break;
      case '\\':
        v.put('\\');
        break;
      case 'N':
        v.put("\xc2\x85");
        break;
      case '_':
        v.put("\xc2\xa0");
        break;
      case 'L':
        v.put("\xe2\x80\xa8");
        break;
      case 'P':
        v.put("\xe2\x80\xa9");
        break;
      case 'x':
        code_length = 2;
        break;
      case 'u':
        code_length = 4;
        break;
      case 'U':
        code_length = 8;
        break;
      default:
        return false;  // "found unknown escape character"
    }
    i_ += 2;
    if (code_length == 0) return true;
    uint32_t value = 0;
    for (size_t k = 0; k < code_length; ++k) {
      const int h = hex_value(at(k));
      if (h < 0) return false;  // "did not find expected hexdecimal number"
      value = (value << 4) + static_cast<uint32_t>(h);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return false;
    char utf8[4];
    size_t n = 0;
    if (value <= 0x7f) {
      utf8[n++] = static_cast<char>(value);
    } else if (value <= 0x7ff) {
      utf8[n++] = static_cast<char>(0xc0 + (value >> 6));
      utf8[n++] = static_cast<char>(0x80 + (value & 0x3f));
    } else if (value <= 0xffff) {
      utf8[n++] = static_cast<char>(0xe0 + (value >> 12));
      utf8[n++] = static_cast<char>(0x80 + ((value >> 6) & 0x3f));
      utf8[n++] = static_cast<char>(0x80 + (value & 0x3f));
    } else {
      utf8[n++] = static_cast<char>(0xf0 + (value >> 18));
      utf8[n++] = static_cast<char>(0x80 + ((value >> 12) & 0x3f));
      utf8[n++] = static_cast<char>(0x80 + ((value >> 6) & 0x3f));
      utf8[n++] = static_cast<char>(0x80 + (value & 0x3f));
    }
    v.put(std::string_view(utf8, n));
    i_ += code_length;
    return true;
  }

  bool scan_block_scalar(bool literal) {
    const Mark start = here_;
    ValueBuilder v(s_, scratch_);
    ++i_;
    // Header: chomping and indentation indicators in either order, then a comment.
    int chomping = 0;
    int64_t increment = 0;
    if (at() == '+' || at() == '-') {
      chomping = at() == '+' ? 1 : -1;
      ++i_;
      if (is_digit(at())) {
        if (at() == '0') return fail();  // "found an indentation indicator equal to 0"
        increment = at() - '0';
        ++i_;
      }
    } else if (is_digit(at())) {
      if (at() == '0') return fail();
      increment = at() - '0';
      ++i_;
      if (at() == '+' || at() == '-') {
        chomping = at() == '+' ? 1 : -1;
        ++i_;
      }
    }
    while (is_blank(at())) ++i_;
    if (at() == '#') skip_to_line_end();
    if (!is_breakz(at())) return fail();  // "did not find expected comment or line break"
    if (at() == '\n') next_line();
    int64_t indent = 0;
    if (increment) indent = indent_ >= 0 ? indent_ + increment : increment;
    size_t trailing_breaks = 0;
    if (!scan_block_scalar_breaks(indent, trailing_breaks)) return false;
    bool leading_break = false, leading_blank = false;
    // Content lines. After the breaks i_ is past the indentation of a line (all spaces, so
    // the byte column is exact) or at the end of the input.
    while (static_cast<int64_t>(i_ - line_start_) == indent && i_ < size_) {
      const bool trailing_blank = is_blank(at());
      if (!literal && leading_break && !leading_blank && !trailing_blank) {
        // Folding: a single line break between two lines becomes a space.
        if (trailing_breaks == 0) v.put(' ');
      } else if (leading_break) {
        v.put('\n');
      }
      leading_break = false;
      v.put('\n', trailing_breaks);
      trailing_breaks = 0;
      leading_blank = is_blank(at());
      const size_t line = i_;
      skip_to_line_end();
      v.copy(line, i_);
      if (at() == '\n') {
        leading_break = true;
        next_line();
      }
      if (!scan_block_scalar_breaks(indent, trailing_breaks)) return false;
    }
    // Chomping: clip keeps the last line break, keep all of them, strip none.
    if (chomping != -1 && leading_break) v.put('\n');
    if (chomping == 1) v.put('\n', trailing_breaks);
    if (!v.finish(new_scalar(literal ? YamlStyle::Literal : YamlStyle::Folded, start)))
      return fail();
    return true;
  }

  // Indentation and empty lines before a block scalar's next content line; settles the
  // indentation from the first such line if the header did not give it.
  bool scan_block_scalar_breaks(int64_t& indent, size_t& breaks) {
    int64_t max_indent = 0;
    for (;;) {
      while ((!indent || column() < indent) && at() == ' ') ++i_;
      max_indent = std::max(max_indent, column());
      if ((!indent || column() < indent) && at() == '\t')
        return fail();  // "found a tab character where an indentation space is expected"
      if (at() != '\n') break;
      ++breaks;
      next_line();
    }
    if (!indent) indent = std::max({max_indent, indent_ + 1, int64_t{1}});
    return true;
  }

  const char* s_;
  size_t size_;
  size_t i_ = 0, line_start_ = 0;
  size_t column_line_start_ = 0, column_offset_ = 0, column_ = 0;  // column()'s last answer
  std::vector<size_t> non_ascii_;                                  // see note_non_ascii
  size_t non_ascii_head_ = 0;  // the first one not on a line before the reader's
  size_t non_ascii_end_ = 0;   // the end of the last non-ASCII character checked
  uint32_t line_ = 0;
  size_t checked_ = 0;
  bool failed_ = false;

  bool stream_start_produced_ = false;
  int64_t indent_ = -1;
  std::vector<int64_t> indents_;
  Mark here_;  // where the token being fetched starts
  bool simple_key_allowed_ = false;
  std::vector<SimpleKey> simple_keys_;
  size_t possible_keys_ = 0;  // how many of them are possible
  int flow_level_ = 0;

  std::vector<Token> tokens_;  // the queue is [head_, tail_); free slots before head_
  size_t head_ = kFrontSlots, tail_ = kFrontSlots;
  size_t parsed_ = 0;  // tokens handed over so far
  bool available_ = false;
  std::string scratch_;
};

// libyaml's parser (parser.c) as a loop over an explicit state stack; each step reports at
// most one event, as yaml_parser_parse does.
template <class Sink>
class FastParser {
 public:
  FastParser(std::string_view text, Sink& sink) : scan_(text), sink_(sink) {}

  FastResult run() {
    while (state_ != State::End) {
      const Step s = step();
      if (s == Step::SinkError) return FastResult::Error;
      if (s == Step::GiveUp) return FastResult::Unsupported;
    }
    return scan_.finish() ? FastResult::Ok : FastResult::Unsupported;
  }

 private:
  enum class State : uint8_t {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockNodeOrIndentlessSequence,
    FlowNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
  };
  enum class Step : uint8_t { Next, SinkError, GiveUp };

  Step step() {
    switch (state_) {
      case State::StreamStart:
        return stream_start();
      case State::ImplicitDocumentStart:
        return document_start(true);
      case State::DocumentStart:
        return document_start(false);
      case State::DocumentContent:
        return document_content();
      case State::DocumentEnd:
        return document_end();
      case State::BlockNode:
        return node(true, false);
      case State::BlockNodeOrIndentlessSequence:
        return node(true, true);
      case State::FlowNode:
        return node(false, false);
      case State::BlockSequenceFirstEntry:
        return block_sequence_entry(true);
      case State::BlockSequenceEntry:
        return block_sequence_entry(false);
      case State::IndentlessSequenceEntry:
        return indentless_sequence_entry();
      case State::BlockMappingFirstKey:
        return block_mapping_key(true);
      case State::BlockMappingKey:
        return block_mapping_key(false);
      case State::BlockMappingValue:
        return block_mapping_value();
      case State::FlowSequenceFirstEntry:
        return flow_sequence_entry(true);
      case State::FlowSequenceEntry:
        return flow_sequence_entry(false);
      case State::FlowSequenceEntryMappingKey:
        return flow_sequence_entry_mapping_key();
      case State::FlowSequenceEntryMappingValue:
        return flow_sequence_entry_mapping_value();
      case State::FlowSequenceEntryMappingEnd:
        return flow_sequence_entry_mapping_end();
      case State::FlowMappingFirstKey:
        return flow_mapping_key(true);
      case State::FlowMappingKey:
        return flow_mapping_key(false);
      case State::FlowMappingValue:
        return flow_mapping_value(false);
      case State::FlowMappingEmptyValue:
        return flow_mapping_value(true);
      case State::End:
        break;
    }
    return Step::GiveUp;
  }

  // ---- helpers ----

  bool push(State s) {
    if (states_.size() >= kMaxNesting) return scan_.fail();
    states_.push_back(s);
    return true;
  }
  State pop() {
    // The pushes and pops pair up as in libyaml; should they not, give up rather than crash.
    if (states_.empty()) {
      scan_.fail();
      return State::End;
    }
    const State s = states_.back();
    states_.pop_back();
    return s;
  }
  // Every event goes through here: none once the reader has given up.
  template <class Report>
  Step emit(Report report) {
    if (!scan_.ready()) return Step::GiveUp;
    return report() ? Step::Next : Step::SinkError;
  }
  Step empty_scalar(const Mark& m) {
    return emit([&] { return sink_.scalar(scan_.pos(m), {}, YamlStyle::Plain, true, false, {}); });
  }
  Step start(NodeKind kind, const Mark& m) {
    return emit([&] { return sink_.collection_start(kind, scan_.pos(m), {}); });
  }
  Step end(NodeKind kind, const Mark& m, size_t consumed) {
    return emit([&] { return sink_.collection_end(kind, scan_.pos(m), consumed); });
  }

  // ---- states (yaml_parser_parse_*) ----

  Step stream_start() {
    const Token* t = scan_.peek();
    if (!t || t->type != Tok::StreamStart) return Step::GiveUp;
    state_ = State::ImplicitDocumentStart;
    scan_.skip();
    return Step::Next;
  }

  Step document_start(bool implicit) {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (!implicit) {
      while (t->type == Tok::DocumentEnd) {
        scan_.skip();
        if (!(t = scan_.peek())) return Step::GiveUp;
      }
    }
    if (implicit && t->type != Tok::DocumentStart && t->type != Tok::StreamEnd) {
      if (!push(State::DocumentEnd)) return Step::GiveUp;
      state_ = State::BlockNode;
      const Mark m = t->start;
      return emit([&] { return sink_.document_start(scan_.pos(m)); });
    }
    if (t->type != Tok::StreamEnd) {
      if (t->type != Tok::DocumentStart)
        return Step::GiveUp;  // "did not find expected <document start>"
      if (!push(State::DocumentEnd)) return Step::GiveUp;
      state_ = State::DocumentContent;
      const Mark m = t->start;
      scan_.skip();
      return emit([&] { return sink_.document_start(scan_.pos(m)); });
    }
    state_ = State::End;
    scan_.skip();
    return Step::Next;
  }

  Step document_content() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::DocumentStart || t->type == Tok::DocumentEnd || t->type == Tok::StreamEnd) {
      state_ = pop();
      return empty_scalar(t->start);
    }
    return node(true, false);
  }

  Step document_end() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    const Mark m = t->start;
    if (t->type == Tok::DocumentEnd) scan_.skip();
    state_ = State::DocumentStart;
    return emit([&] { return sink_.document_end(scan_.pos(m)); });
  }

  Step node(bool block, bool indentless_sequence) {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    const Mark m = t->start;
    if (indentless_sequence && t->type == Tok::BlockEntry) {
      state_ = State::IndentlessSequenceEntry;
      return start(NodeKind::Sequence, m);
    }
    switch (t->type) {
      case Tok::Scalar: {
        state_ = pop();
        const Step s = emit([&] {
          return sink_.scalar(scan_.pos(m), scan_.value(*t), t->style, !t->in_scratch, false, {});
        });
        scan_.skip();
        return s;
      }
      case Tok::FlowSequenceStart:
        state_ = State::FlowSequenceFirstEntry;
        return start(NodeKind::Sequence, m);
      case Tok::FlowMappingStart:
        state_ = State::FlowMappingFirstKey;
        return start(NodeKind::Mapping, m);
      case Tok::BlockSequenceStart:
        if (!block) break;
        state_ = State::BlockSequenceFirstEntry;
        return start(NodeKind::Sequence, m);
      case Tok::BlockMappingStart:
        if (!block) break;
        state_ = State::BlockMappingFirstKey;
        return start(NodeKind::Mapping, m);
      default:
        break;
    }
    return Step::GiveUp;  // "did not find expected node content"
  }

  Step block_sequence_entry(bool first) {
    if (first) scan_.skip();  // BLOCK-SEQUENCE-START
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::BlockEntry) {
      const Mark m = end_of(*t);
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::BlockEntry && t->type != Tok::BlockEnd) {
        if (!push(State::BlockSequenceEntry)) return Step::GiveUp;
        return node(true, false);
      }
      state_ = State::BlockSequenceEntry;
      return empty_scalar(m);
    }
    if (t->type == Tok::BlockEnd) {
      state_ = pop();
      const Mark m = t->start;
      const size_t consumed = end_of(*t).offset;
      scan_.skip();
      return end(NodeKind::Sequence, m, consumed);
    }
    return Step::GiveUp;  // "did not find expected '-' indicator"
  }

  Step indentless_sequence_entry() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::BlockEntry) {
      const Mark m = end_of(*t);
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::BlockEntry && t->type != Tok::Key && t->type != Tok::Value &&
          t->type != Tok::BlockEnd) {
        if (!push(State::IndentlessSequenceEntry)) return Step::GiveUp;
        return node(true, false);
      }
      state_ = State::IndentlessSequenceEntry;
      return empty_scalar(m);
    }
    state_ = pop();
    return end(NodeKind::Sequence, t->start, t->start.offset);
  }

  Step block_mapping_key(bool first) {
    if (first) scan_.skip();  // BLOCK-MAPPING-START
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::Key) {
      const Mark m = end_of(*t);
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::Key && t->type != Tok::Value && t->type != Tok::BlockEnd) {
        if (!push(State::BlockMappingValue)) return Step::GiveUp;
        return node(true, true);
      }
      state_ = State::BlockMappingValue;
      return empty_scalar(m);
    }
    if (t->type == Tok::BlockEnd) {
      state_ = pop();
      const Mark m = t->start;
      const size_t consumed = end_of(*t).offset;
      scan_.skip();
      return end(NodeKind::Mapping, m, consumed);
    }
    return Step::GiveUp;  // "did not find expected key"
  }

  Step block_mapping_value() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::Value) {
      const Mark m = end_of(*t);
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::Key && t->type != Tok::Value && t->type != Tok::BlockEnd) {
        if (!push(State::BlockMappingKey)) return Step::GiveUp;
        return node(true, true);
      }
      state_ = State::BlockMappingKey;
      return empty_scalar(m);
    }
    state_ = State::BlockMappingKey;
    return empty_scalar(t->start);
  }

  Step flow_sequence_entry(bool first) {
    if (first) scan_.skip();  // FLOW-SEQUENCE-START
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type != Tok::FlowSequenceEnd) {
      if (!first) {
        if (t->type != Tok::FlowEntry) return Step::GiveUp;  // "did not find expected ',' or ']'"
        scan_.skip();
        if (!(t = scan_.peek())) return Step::GiveUp;
      }
      if (t->type == Tok::Key) {
        // A single-pair mapping: [a: b].
        state_ = State::FlowSequenceEntryMappingKey;
        const Mark m = t->start;
        scan_.skip();
        return start(NodeKind::Mapping, m);
      }
      if (t->type != Tok::FlowSequenceEnd) {
        if (!push(State::FlowSequenceEntry)) return Step::GiveUp;
        return node(false, false);
      }
    }
    state_ = pop();
    const Mark m = t->start;
    const size_t consumed = end_of(*t).offset;
    scan_.skip();
    return end(NodeKind::Sequence, m, consumed);
  }

  Step flow_sequence_entry_mapping_key() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type != Tok::Value && t->type != Tok::FlowEntry && t->type != Tok::FlowSequenceEnd) {
      if (!push(State::FlowSequenceEntryMappingValue)) return Step::GiveUp;
      return node(false, false);
    }
    // libyaml 0.2.5 steps over the token here (only reachable after an explicit '?').
    const Mark m = end_of(*t);
    scan_.skip();
    state_ = State::FlowSequenceEntryMappingValue;
    return empty_scalar(m);
  }

  Step flow_sequence_entry_mapping_value() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type == Tok::Value) {
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::FlowEntry && t->type != Tok::FlowSequenceEnd) {
        if (!push(State::FlowSequenceEntryMappingEnd)) return Step::GiveUp;
        return node(false, false);
      }
    }
    state_ = State::FlowSequenceEntryMappingEnd;
    return empty_scalar(t->start);
  }

  Step flow_sequence_entry_mapping_end() {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    state_ = State::FlowSequenceEntry;
    return end(NodeKind::Mapping, t->start, t->start.offset);
  }

  Step flow_mapping_key(bool first) {
    if (first) scan_.skip();  // FLOW-MAPPING-START
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (t->type != Tok::FlowMappingEnd) {
      if (!first) {
        if (t->type != Tok::FlowEntry) return Step::GiveUp;  // "did not find expected ',' or '}'"
        scan_.skip();
        if (!(t = scan_.peek())) return Step::GiveUp;
      }
      if (t->type == Tok::Key) {
        scan_.skip();
        if (!(t = scan_.peek())) return Step::GiveUp;
        if (t->type != Tok::Value && t->type != Tok::FlowEntry && t->type != Tok::FlowMappingEnd) {
          if (!push(State::FlowMappingValue)) return Step::GiveUp;
          return node(false, false);
        }
        state_ = State::FlowMappingValue;
        return empty_scalar(t->start);
      }
      if (t->type != Tok::FlowMappingEnd) {
        if (!push(State::FlowMappingEmptyValue)) return Step::GiveUp;
        return node(false, false);
      }
    }
    state_ = pop();
    const Mark m = t->start;
    const size_t consumed = end_of(*t).offset;
    scan_.skip();
    return end(NodeKind::Mapping, m, consumed);
  }

  Step flow_mapping_value(bool empty) {
    const Token* t = scan_.peek();
    if (!t) return Step::GiveUp;
    if (empty) {
      state_ = State::FlowMappingKey;
      return empty_scalar(t->start);
    }
    if (t->type == Tok::Value) {
      scan_.skip();
      if (!(t = scan_.peek())) return Step::GiveUp;
      if (t->type != Tok::FlowEntry && t->type != Tok::FlowMappingEnd) {
        if (!push(State::FlowMappingKey)) return Step::GiveUp;
        return node(false, false);
      }
    }
    state_ = State::FlowMappingKey;
    return empty_scalar(t->start);
  }

  Scanner scan_;
  Sink& sink_;
  State state_ = State::StreamStart;
  std::vector<State> states_;
};

}  // namespace

template <class Sink>
FastResult parse_yaml_fast(std::string_view text, Sink& sink) {
  return FastParser<Sink>(text, sink).run();
}

template FastResult parse_yaml_fast<TreeSink>(std::string_view, TreeSink&);
template FastResult parse_yaml_fast<EventLog>(std::string_view, EventLog&);

}  // namespace dra::k8s::detail
