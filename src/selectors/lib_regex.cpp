// src/selectors/lib_regex.cpp -- the Kubernetes regex library (apiserver
// pkg/cel/library/regex.go): s.find(re), s.findAll(re), s.findAll(re, n), with Go's regexp
// semantics on RE2.
//
// Go's regexp and RE2 share their syntax and matching rules; this file bridges what
// differs between Go's regexp/syntax and the RE2 release we link (2022-06):
//   * Go accepts named groups written (?<name>re) (Go 1.22); they are handed to RE2 as
//     (?P<name>re).
//   * Go rejects the escape \C (any byte); RE2 accepts it. A pattern that RE2 compiles
//     but that contains \C gets Go's "invalid escape sequence: `\C`". (When the pattern has
//     another error too, RE2's is reported even if Go would stop at the \C first.)
//   * Error messages: RE2's error codes are mapped to Go's texts ("missing closing )",
//     "invalid nested repetition operator", ...) around RE2's fragment of the pattern,
//     which names the same fragment as Go in the cases tried. (?P=name) gives Go's
//     "invalid or unsupported Perl syntax: `(?P`".
// Known remaining differences: size and nesting limits (Go: "expression too large",
// "expression nests too deeply"; RE2: its memory budget, reported here as "expression too
// large"), group names outside [A-Za-z0-9_] (accepted by newer Go releases, not by this
// RE2) and the Unicode version of \p{...} classes.
#include "selectors/lib_regex.hpp"

#include <re2/re2.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// The pattern as RE2 is given it.
struct Translated {
  std::string pattern;
  std::vector<size_t> inserted;  // positions in `pattern` of the 'P's added to "(?<"
  bool has_capital_c = false;    // the escape \C occurs
};

Translated translate(std::string_view p) {
  Translated t;
  t.pattern.reserve(p.size() + 4);
  bool in_class = false;
  size_t class_body = 0;  // where the current class's items start (a ']' there is literal)
  for (size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) {
        t.pattern += c;
        ++i;
        continue;
      }
      const char n = p[i + 1];
      if (!in_class && n == 'Q') {  // \Q...\E: literal text
        const size_t e = p.find("\\E", i + 2);
        const size_t end = e == std::string_view::npos ? p.size() : e + 2;
        t.pattern.append(p.substr(i, end - i));
        i = end;
        continue;
      }
      if (n == 'C') t.has_capital_c = true;
      t.pattern.append(p.substr(i, 2));
      i += 2;
      continue;
    }
    if (in_class) {
      if (c == '[' && i + 1 < p.size() && p[i + 1] == ':') {
        const size_t e = p.find(":]", i + 2);
        if (e != std::string_view::npos) {
          t.pattern.append(p.substr(i, e + 2 - i));
          i = e + 2;
          continue;
        }
      }
      if (c == ']' && i != class_body) in_class = false;
      t.pattern += c;
      ++i;
      continue;
    }
    if (c == '[') {
      in_class = true;
      t.pattern += c;
      ++i;
      if (i < p.size() && p[i] == '^') {
        t.pattern += '^';
        ++i;
      }
      class_body = i;
      continue;
    }
    if (c == '(' && i + 3 < p.size() && p.substr(i, 3) == "(?<") {
      t.pattern += "(?P";
      t.inserted.push_back(t.pattern.size() - 1);
      t.pattern += '<';
      i += 3;
      continue;
    }
    t.pattern += c;
    ++i;
  }
  return t;
}

// RE2's fragment of the translated pattern, as the same fragment of the original.
std::string original_fragment(const Translated& t, std::string_view original,
                              const std::string& arg) {
  if (t.inserted.empty()) return arg;
  const size_t a = t.pattern.find(arg);
  if (a == std::string::npos) return arg;
  const size_t b = a + arg.size();
  auto before = [&](size_t x) {
    size_t k = 0;
    for (size_t ins : t.inserted) k += ins < x;
    return k;
  };
  const size_t oa = a - before(a);
  const size_t ob = b - before(b);
  return std::string(original.substr(oa, ob - oa));
}

std::string go_message(const re2::RE2& re, const Translated& t, std::string_view original) {
  std::string arg = original_fragment(t, original, re.error_arg());
  std::string_view code;
  switch (re.error_code()) {
    case re2::RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case re2::RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case re2::RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case re2::RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case re2::RE2::ErrorMissingParen:
      code = "missing closing )";
      break;
    case re2::RE2::ErrorUnexpectedParen:
      code = "unexpected )";
      break;
    case re2::RE2::ErrorTrailingBackslash:
      code = "trailing backslash at end of expression";
      arg.clear();
      break;
    case re2::RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case re2::RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case re2::RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case re2::RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case re2::RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case re2::RE2::ErrorBadNamedCapture:
      if (arg.size() >= 3 && arg.starts_with("(?P") && (arg.size() == 3 || arg[3] != '<')) {
        code = "invalid or unsupported Perl syntax";
        arg = "(?P";
      } else {
        code = "invalid named capture";
      }
      break;
    case re2::RE2::ErrorPatternTooLarge:
      code = "expression too large";
      arg = std::string(original);
      break;
    default:
      code = "regexp/syntax: internal error";
      break;
  }
  return "error parsing regexp: " + std::string(code) + ": `" + arg + "`";
}

struct Compiled {
  std::shared_ptr<const re2::RE2> re;  // null when the pattern is invalid
  std::string error;
};

Compiled compile(std::string_view pattern) {
  const Translated t = translate(pattern);
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(t.pattern, options);
  if (!re->ok()) return {nullptr, go_message(*re, t, pattern)};
  if (t.has_capital_c) return {nullptr, "error parsing regexp: invalid escape sequence: `\\C`"};
  return {std::move(re), {}};
}

// A least-recently-used cache of compiled patterns, shared by all evaluations.
class RegexCache {
 public:
  static constexpr size_t kCapacity = 256;

  Compiled get(std::string_view pattern) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = index_.find(std::string(pattern)); it != index_.end()) {
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
      }
    }
    Compiled c = compile(pattern);  // outside the lock: compiling can take a while
    std::lock_guard<std::mutex> lock(mu_);
    std::string key(pattern);
    if (auto it = index_.find(key); it != index_.end()) return it->second->second;
    order_.emplace_front(key, c);
    index_.emplace(std::move(key), order_.begin());
    if (order_.size() > kCapacity) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return c;
  }

 private:
  using Entry = std::pair<std::string, Compiled>;
  std::mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

RegexCache& cache() {
  static RegexCache c;
  return c;
}

Value illegal(const std::string& error) { return Value::error("Illegal regex: " + error); }

Value find(std::span<const Value> a) {
  std::string error;
  auto re = compile_go_regex(a[1].string_value(), &error);
  if (!re) return illegal(error);
  const std::string& s = a[0].string_value();
  re2::StringPiece m;
  if (!re->Match(s, 0, s.size(), re2::RE2::UNANCHORED, &m, 1)) return Value::string("");
  return Value::string(std::string(m.data(), m.size()));
}

size_t utf8_width_at(const std::string& s, size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  size_t w = 1;
  if ((c >> 5) == 0x6)
    w = 2;
  else if ((c >> 4) == 0xE)
    w = 3;
  else if ((c >> 3) == 0x1E)
    w = 4;
  return std::min(w, s.size() - pos);
}

// Go's Regexp.FindAllString(s, n): successive leftmost-first matches, each search starting
// where the previous match ended (one code point further after an empty match); an empty
// match right where the previous match ended is skipped.
Value find_all_n(const Value& str, const Value& pattern, int64_t n) {
  std::string error;
  auto re = compile_go_regex(pattern.string_value(), &error);
  if (!re) return illegal(error);
  const std::string& s = str.string_value();
  if (n < 0) n = static_cast<int64_t>(s.size()) + 1;
  ListPayload out;
  size_t pos = 0;
  int64_t prev_end = -1;
  while (static_cast<int64_t>(out.size()) < n && pos <= s.size()) {
    re2::StringPiece m;
    if (!re->Match(s, pos, s.size(), re2::RE2::UNANCHORED, &m, 1)) break;
    const auto begin = static_cast<size_t>(m.data() - s.data());
    const size_t end = begin + m.size();
    bool accept = true;
    if (end == pos) {  // an empty match
      if (static_cast<int64_t>(begin) == prev_end) accept = false;
      pos += pos < s.size() ? utf8_width_at(s, pos) : 1;
    } else {
      pos = end;
    }
    prev_end = static_cast<int64_t>(end);
    if (accept) out.push_back(Value::string(s.substr(begin, end - begin)));
  }
  return Value::list(std::move(out));
}

Value find_all(std::span<const Value> a) { return find_all_n(a[0], a[1], -1); }
Value find_all_limit(std::span<const Value> a) { return find_all_n(a[0], a[1], a[2].int_value()); }

uint64_t code_points(const Value& v) {
  if (v.kind() != ValueKind::String) return 1;
  uint64_t n = 0;
  for (char c : v.string_value()) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// cost.go: ceil((1 + size(s)) * 0.1) * ceil(size(re) * 0.25).
uint64_t find_cost(std::span<const Value> a, const Value&) {
  const auto str_cost =
      static_cast<uint64_t>(std::ceil((1.0 + static_cast<double>(code_points(a[0]))) * 0.1));
  const auto re_cost =
      static_cast<uint64_t>(std::ceil(static_cast<double>(code_points(a[1])) * 0.25));
  return str_cost * re_cost;
}

uint64_t by_factor(uint64_t x, double f) {
  const auto xf = static_cast<double>(x);
  if (xf > 0 && f > 0 && xf > static_cast<double>(kMaxU64) / f) return kMaxU64;
  const double c = std::ceil(xf * f);
  if (c >= 18446744073709551616.0) return kMaxU64;
  return static_cast<uint64_t>(c);
}
uint64_t mul_sat(uint64_t a, uint64_t b) { return b != 0 && a > kMaxU64 / b ? kMaxU64 : a * b; }
uint64_t add_sat(uint64_t a, uint64_t b) { return b > 0 && a > kMaxU64 - b ? kMaxU64 : a + b; }

CallEstimate estimate_find(std::span<const SizeEstimate> a) {
  const SizeEstimate sz = a[0];
  const CostEstimate str{by_factor(add_sat(sz.min, 1), 0.1), by_factor(add_sat(sz.max, 1), 0.1)};
  const CostEstimate re{by_factor(a[1].min, 0.25), by_factor(a[1].max, 0.25)};
  return {CostEstimate{mul_sat(str.min, re.min), mul_sat(str.max, re.max)},
          SizeEstimate{0, sz.max}};
}

constexpr OverloadDecl kRegex[] = {
    {"string_find_string", "string.find(string) -> string", find, find_cost, estimate_find},
    {"string_find_all_string", "string.findAll(string) -> list(string)", find_all, find_cost,
     estimate_find},
    {"string_find_all_string_int", "string.findAll(string, int) -> list(string)", find_all_limit,
     find_cost, estimate_find},
};

}  // namespace

std::shared_ptr<const re2::RE2> compile_go_regex(std::string_view pattern, std::string* error) {
  Compiled c = cache().get(pattern);
  if (!c.re && error) *error = c.error;
  return c.re;
}

std::optional<std::string> regex_compile_error(std::string_view pattern) {
  std::string error;
  if (compile_go_regex(pattern, &error)) return std::nullopt;
  return error;
}

std::span<const OverloadDecl> kubernetes_regex_library() { return kRegex; }

}  // namespace dra::selectors
