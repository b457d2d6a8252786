// src/selectors/lib_strings.cpp -- cel-go's ext.Strings library at version 2, as Kubernetes
// configures it (apiserver pkg/cel/environment/base.go: ext.StringsVersion(2)).
//
// Version 2 has charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split,
// substring, trim (version 0), format and strings.quote (version 1) and the version-2 join
// (elements checked one by one). reverse (version 3) is absent. format at version 2 uses
// cel-go's first formatter (ext/formatting.go, locale en_US), not the version-4 one: %f
// prints through golang.org/x/text/message, so it groups thousands ("1,234.500000") and
// prints infinities as "∞"; %e prints "2.718280 × 10⁰⁰" and takes its precision as a
// field width, always showing six fraction digits.
//
// Indices count code points. Runtime costs follow apiserver pkg/cel/library/cost.go
// (CallCost) and, for format and strings.quote which it leaves alone, cel-go's defaults
// (interpreter/runtimecost.go, checker/cost.go).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selectors/cost_rule.hpp"
#include "selectors/eval.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
constexpr double kStringTraversalCostFactor = 0.1;  // cel-go common/cost.go

// ---- UTF-8 (input is valid UTF-8)

size_t utf8_width(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

std::vector<char32_t> to_runes(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t w = std::min(utf8_width(c), s.size() - i);
    char32_t r = 0;
    switch (w) {
      case 1:
        r = c;
        break;
      case 2:
        r = c & 0x1F;
        break;
      case 3:
        r = c & 0x0F;
        break;
      default:
        r = c & 0x07;
        break;
    }
    for (size_t k = 1; k < w; ++k) r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(r);
    i += w;
  }
  return out;
}

void append_rune(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

std::string from_runes(const std::vector<char32_t>& runes, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) append_rune(out, runes[i]);
  return out;
}

uint64_t rune_count(std::string_view s) {
  uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// ---- costs

// checker.multiplyByCostFactor: ceil(x * f), saturating.
uint64_t by_factor(uint64_t x, double f) {
  const auto xf = static_cast<double>(x);
  if (xf > 0 && f > 0 && xf > static_cast<double>(kMaxU64) / f) return kMaxU64;
  const double c = std::ceil(xf * f);
  if (c >= 18446744073709551616.0) return kMaxU64;
  return static_cast<uint64_t>(c);
}
uint64_t add_sat(uint64_t a, uint64_t b) { return b > 0 && a > kMaxU64 - b ? kMaxU64 : a + b; }
uint64_t mul_sat(uint64_t a, uint64_t b) { return b != 0 && a > kMaxU64 / b ? kMaxU64 : a * b; }

CostEstimate cost_by_factor(SizeEstimate s, double f) {
  return {by_factor(s.min, f), by_factor(s.max, f)};
}

// ceil(size(target) * 0.1): lowerAscii, upperAscii, substring, trim (cost.go); format and
// strings.quote (cel-go's own O(n) rule).
uint64_t traversal_cost(std::span<const Value> args, const Value&) {
  return static_cast<uint64_t>(
      std::ceil(static_cast<double>(actual_size(args[0])) * kStringTraversalCostFactor));
}
// ceil(size(target) * 2 * 0.1): replace, split.
uint64_t double_traversal_cost(std::span<const Value> args, const Value&) {
  return static_cast<uint64_t>(
      std::ceil(static_cast<double>(actual_size(args[0])) * 2 * kStringTraversalCostFactor));
}
// ceil(size(result) * 2 * 0.1): join.
uint64_t join_cost(std::span<const Value>, const Value& result) {
  return static_cast<uint64_t>(
      std::ceil(static_cast<double>(actual_size(result)) * 2 * kStringTraversalCostFactor));
}
// indexOf, lastIndexOf on a string: cost.go's traversalCost, which truncates and counts
// bytes, not code points.
uint64_t index_of_cost(std::span<const Value> args, const Value&) {
  if (args[0].kind() != ValueKind::String) return 1;
  return static_cast<uint64_t>(static_cast<double>(args[0].string_value().size()) *
                               kStringTraversalCostFactor);
}

// Estimates (cost.go EstimateCallCost). args[0] is the receiver's size estimate, then the
// arguments' in order. indexOf and lastIndexOf on a string: ceil(size * 0.1).
CallEstimate estimate_traversal_same_size(std::span<const SizeEstimate> args) {
  return {cost_by_factor(args[0], kStringTraversalCostFactor), args[0]};
}
CallEstimate estimate_traversal(std::span<const SizeEstimate> args) {
  return {cost_by_factor(args[0], kStringTraversalCostFactor), std::nullopt};
}
CallEstimate estimate_replace(std::span<const SizeEstimate> args) {
  const SizeEstimate sz = args[0];
  const SizeEstimate to_replace = args[1];
  const SizeEstimate replace_with = args[2];
  SizeEstimate count{0, 0};
  SizeEstimate retained{0, 0};
  if (to_replace.min == 0) {
    count.max = sz.max < kMaxU64 ? sz.max + 1 : sz.max;
    retained.max = sz.max;
  } else if (replace_with.max <= to_replace.min) {
    count.max = 0;
    retained.max = sz.max;
  } else {
    count.max = static_cast<uint64_t>(
        std::ceil(static_cast<double>(sz.max) / static_cast<double>(to_replace.min)));
  }
  if (to_replace.max == 0) {
    count.min = sz.min < kMaxU64 ? sz.min + 1 : sz.min;
    retained.min = sz.min;
  } else if (to_replace.max <= replace_with.min) {
    count.min = 0;
    retained.min = sz.min;
  } else {
    count.min = static_cast<uint64_t>(
        std::ceil(static_cast<double>(sz.min) / static_cast<double>(to_replace.max)));
  }
  const SizeEstimate size{add_sat(mul_sat(count.min, replace_with.min), retained.min),
                          add_sat(mul_sat(count.max, replace_with.max), retained.max)};
  return {cost_by_factor(sz, 2 * kStringTraversalCostFactor), size};
}
// Upstream narrows the result's maximum to the limit when it is an int literal; the
// estimate interface does not carry literals, so the receiver's size bounds it here.
CallEstimate estimate_split(std::span<const SizeEstimate> args) {
  return {cost_by_factor(args[0], 2 * kStringTraversalCostFactor), SizeEstimate{0, args[0].max}};
}
// Upstream multiplies the list size by the element size its size estimator gives for the
// list's items; the estimate interface carries only the list's own size, so elements
// count as unbounded strings (what upstream gets when its size estimator knows nothing).
CallEstimate estimate_join(std::span<const SizeEstimate> args) {
  const SizeEstimate list = args[0];
  const SizeEstimate elem{0, kMaxU64};
  SizeEstimate sz{mul_sat(list.min, elem.min), mul_sat(list.max, elem.max)};
  if (args.size() > 1) {
    const SizeEstimate sep = args[1];
    const uint64_t min_seps = list.min > 0 ? list.min - 1 : 0;
    const uint64_t max_seps = list.max > 0 ? list.max - 1 : 0;
    sz = {add_sat(sz.min, mul_sat(sep.min, min_seps)), add_sat(sz.max, mul_sat(sep.max, max_seps))};
  }
  return {cost_by_factor(sz, kStringTraversalCostFactor), sz};
}
CallEstimate estimate_quote(std::span<const SizeEstimate> args) {
  // cel-go computes the maximum in wrapping uint64 arithmetic.
  return {cost_by_factor(args[0], kStringTraversalCostFactor),
          SizeEstimate{args[0].min + 2, args[0].max * 2 + 2}};
}

// ---- the functions

Value out_of_range(int64_t i) { return Value::error(fmt::format("index out of range: {}", i)); }

Value char_at(std::span<const Value> a) {
  const std::vector<char32_t> runes = to_runes(a[0].string_value());
  const int64_t i = a[1].int_value();
  const auto n = static_cast<int64_t>(runes.size());
  if (i < 0 || i > n) return out_of_range(i);
  if (i == n) return Value::string("");
  return Value::string(from_runes(runes, static_cast<size_t>(i), static_cast<size_t>(i) + 1));
}

bool runes_match_at(const std::vector<char32_t>& s, const std::vector<char32_t>& sub, int64_t i) {
  for (size_t j = 0; j < sub.size(); ++j) {
    if (s[static_cast<size_t>(i) + j] != sub[j]) return false;
  }
  return true;
}

Value index_of_offset(const std::string& str, const std::string& substr, int64_t offset) {
  if (substr.empty()) return Value::integer(offset);
  const std::vector<char32_t> runes = to_runes(str);
  const std::vector<char32_t> sub = to_runes(substr);
  if (offset < 0) return out_of_range(offset);
  const auto n = static_cast<int64_t>(runes.size());
  const auto m = static_cast<int64_t>(sub.size());
  if (offset >= n) return Value::integer(-1);
  for (int64_t i = offset; i < n - (m - 1); ++i) {
    if (runes_match_at(runes, sub, i)) return Value::integer(i);
  }
  return Value::integer(-1);
}

Value index_of(std::span<const Value> a) {
  return index_of_offset(a[0].string_value(), a[1].string_value(), 0);
}
Value index_of_from(std::span<const Value> a) {
  return index_of_offset(a[0].string_value(), a[1].string_value(), a[2].int_value());
}

Value last_index_of_offset(const std::string& str, const std::string& substr, int64_t offset) {
  if (substr.empty()) return Value::integer(offset);
  const std::vector<char32_t> runes = to_runes(str);
  const std::vector<char32_t> sub = to_runes(substr);
  if (offset < 0) return out_of_range(offset);
  const auto n = static_cast<int64_t>(runes.size());
  const auto m = static_cast<int64_t>(sub.size());
  if (offset >= n) return Value::integer(-1);
  int64_t off = offset;
  if (off > n - m) off = n - m;
  for (int64_t i = off; i >= 0; --i) {
    if (runes_match_at(runes, sub, i)) return Value::integer(i);
  }
  return Value::integer(-1);
}

Value last_index_of(std::span<const Value> a) {
  const std::string& s = a[0].string_value();
  const std::string& sub = a[1].string_value();
  if (sub.empty()) return Value::integer(static_cast<int64_t>(rune_count(s)));
  if (s.size() < sub.size()) return Value::integer(-1);  // upstream compares bytes here
  return last_index_of_offset(s, sub, static_cast<int64_t>(rune_count(s)) - 1);
}
Value last_index_of_from(std::span<const Value> a) {
  return last_index_of_offset(a[0].string_value(), a[1].string_value(), a[2].int_value());
}

Value lower_ascii(std::span<const Value> a) {
  std::string s = a[0].string_value();
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Value::string(std::move(s));
}

Value upper_ascii(std::span<const Value> a) {
  std::string s = a[0].string_value();
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return Value::string(std::move(s));
}

// Go's strings.Count.
int64_t count_of(std::string_view s, std::string_view sep) {
  if (sep.empty()) return static_cast<int64_t>(rune_count(s)) + 1;
  int64_t n = 0;
  for (size_t i = s.find(sep); i != std::string_view::npos; i = s.find(sep, i + sep.size())) ++n;
  return n;
}

// Go's strings.Replace(s, old, new, n).
std::string go_replace(std::string_view s, std::string_view old, std::string_view repl, int64_t n) {
  if (old == repl || n == 0) return std::string(s);
  const int64_t m = count_of(s, old);
  if (m == 0) return std::string(s);
  if (n < 0 || m < n) n = m;
  std::string out;
  size_t start = 0;
  for (int64_t i = 0; i < n; ++i) {
    size_t j = start;
    if (old.empty()) {
      if (i > 0) j += utf8_width(static_cast<unsigned char>(s[start]));
    } else {
      j = s.find(old, start);
    }
    out.append(s.substr(start, j - start));
    out.append(repl);
    start = j + old.size();
  }
  out.append(s.substr(start));
  return out;
}

Value replace_all(std::span<const Value> a) {
  return Value::string(
      go_replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), -1));
}
Value replace_n(std::span<const Value> a) {
  return Value::string(
      go_replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), a[3].int_value()));
}

// Go's strings.SplitN(s, sep, n).
std::vector<std::string> go_split(std::string_view s, std::string_view sep, int64_t n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (sep.empty()) {
    const auto l = static_cast<int64_t>(rune_count(s));
    if (n < 0 || n > l) n = l;
    for (int64_t i = 0; i + 1 < n; ++i) {
      const size_t w = utf8_width(static_cast<unsigned char>(s[0]));
      out.emplace_back(s.substr(0, w));
      s.remove_prefix(w);
    }
    if (n > 0) out.emplace_back(s);
    return out;
  }
  if (n < 0) n = count_of(s, sep) + 1;
  if (n > static_cast<int64_t>(s.size()) + 1) n = static_cast<int64_t>(s.size()) + 1;
  for (int64_t i = 0; i < n - 1; ++i) {
    const size_t m = s.find(sep);
    if (m == std::string_view::npos) break;
    out.emplace_back(s.substr(0, m));
    s.remove_prefix(m + sep.size());
  }
  out.emplace_back(s);
  return out;
}

Value string_list(std::vector<std::string> parts) {
  ListPayload items;
  items.reserve(parts.size());
  for (std::string& p : parts) items.push_back(Value::string(std::move(p)));
  return Value::list(std::move(items));
}

Value split_all(std::span<const Value> a) {
  return string_list(go_split(a[0].string_value(), a[1].string_value(), -1));
}
Value split_n(std::span<const Value> a) {
  return string_list(go_split(a[0].string_value(), a[1].string_value(), a[2].int_value()));
}

Value substring_from(std::span<const Value> a) {
  const std::vector<char32_t> runes = to_runes(a[0].string_value());
  const int64_t start = a[1].int_value();
  if (start < 0 || start > static_cast<int64_t>(runes.size())) return out_of_range(start);
  return Value::string(from_runes(runes, static_cast<size_t>(start), runes.size()));
}

Value substring_range(std::span<const Value> a) {
  const std::vector<char32_t> runes = to_runes(a[0].string_value());
  const int64_t start = a[1].int_value();
  const int64_t end = a[2].int_value();
  const auto n = static_cast<int64_t>(runes.size());
  if (start > end) {
    return Value::error(fmt::format("invalid substring range. start: {}, end: {}", start, end));
  }
  if (start < 0 || start > n) return out_of_range(start);
  if (end < 0 || end > n) return out_of_range(end);
  return Value::string(from_runes(runes, static_cast<size_t>(start), static_cast<size_t>(end)));
}

// Go's unicode.IsSpace: the Unicode White_Space property.
bool is_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

Value trim(std::span<const Value> a) {
  const std::vector<char32_t> runes = to_runes(a[0].string_value());
  size_t b = 0;
  size_t e = runes.size();
  while (b < e && is_space(runes[b])) ++b;
  while (e > b && is_space(runes[e - 1])) --e;
  return Value::string(from_runes(runes, b, e));
}

// Go's %v of a CEL value, for join's message.
std::string go_value_text(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Int:
      return std::to_string(v.int_value());
    case ValueKind::Uint:
      return std::to_string(v.uint_value());
    case ValueKind::Double:
      return format_double(v.double_value());
    case ValueKind::Bool:
      return v.bool_value() ? "true" : "false";
    case ValueKind::Null:
      return "NULL_VALUE";
    case ValueKind::String:
      return v.string_value();
    case ValueKind::Type:
      return v.type_name();
    default:
      return to_debug_string(v);
  }
}

Value join_with(const Value& list, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const Value& e : list.list_value()) {
    if (!first) out.append(sep);
    first = false;
    if (e.kind() != ValueKind::String) {
      return Value::error("join: invalid input: " + go_value_text(e));
    }
    out += e.string_value();
  }
  return Value::string(std::move(out));
}

Value join(std::span<const Value> a) { return join_with(a[0], ""); }
Value join_sep(std::span<const Value> a) { return join_with(a[0], a[1].string_value()); }

Value quote(std::span<const Value> a) {
  std::string out = "\"";
  for (char c : a[0].string_value()) {
    switch (c) {
      case '\a':
        out += "\\a";
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
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return Value::string(std::move(out));
}

// ---- format (cel-go ext/formatting.go, the formatter of versions 1 to 3)

template <class T>
struct Result {
  std::optional<T> value;
  std::string error;
  static Result ok(T v) { return Result{std::move(v), {}}; }
  static Result fail(std::string e) { return Result{std::nullopt, std::move(e)}; }
};
using Text = Result<std::string>;

std::string type_of(const Value& v) { return std::string(type_name(v)); }

std::string string_clause_error(const Value& v) {
  return "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, "
         "types, durations, and timestamps, was given " +
         type_of(v);
}

// Go's unicode.IsPrint, approximately: every code point that is not a control, format,
// separator (other than U+0020), private-use or noncharacter code point. Unassigned code
// points count as printable here (Go escapes them).
bool is_printable(char32_t r) {
  if (r < 0x20 || (r >= 0x7F && r <= 0x9F)) return false;
  if (r == 0xA0 || r == 0xAD || r == 0x1680 || r == 0x180E || r == 0x3000 || r == 0xFEFF)
    return false;
  if (r >= 0x2000 && r <= 0x200F) return false;
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;
  if (r >= 0xF0000) return false;
  if (r == 0x110BD || r == 0x110CD || (r >= 0x1BCA0 && r <= 0x1BCA3) ||
      (r >= 0x1D173 && r <= 0x1D17A) || r == 0xE0001 || (r >= 0xE0020 && r <= 0xE007F))
    return false;
  return true;
}

// Go's strconv.Quote (%q).
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char32_t r : to_runes(s)) {
    switch (r) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '"':
        out += "\\\"";
        continue;
      default:
        break;
    }
    if (is_printable(r)) {
      append_rune(out, r);
    } else if (r < 0x20 || r == 0x7F) {
      out += fmt::format("\\x{:02x}", static_cast<uint32_t>(r));
    } else if (r < 0x10000) {
      out += fmt::format("\\u{:04x}", static_cast<uint32_t>(r));
    } else {
      out += fmt::format("\\U{:08x}", static_cast<uint32_t>(r));
    }
  }
  out += '"';
  return out;
}

// Go's fmt "%.6f", which list and map elements of type double use.
std::string go_fixed6(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.6f}", d);
}

Text format_string(const Value& v);
Text format_list(const Value& v);
Text format_map(const Value& v);

Text format_decimal(const Value& v) {
  if (v.kind() == ValueKind::Int) return Text::ok(std::to_string(v.int_value()));
  if (v.kind() == ValueKind::Uint) return Text::ok(std::to_string(v.uint_value()));
  return Text::fail("decimal clause can only be used on integers, was given " + type_of(v));
}

// clauseForType: how a list element or map value prints.
Text format_element(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Int:
    case ValueKind::Uint:
      return format_decimal(v);
    case ValueKind::String:
    case ValueKind::Bytes:
    case ValueKind::Bool:
    case ValueKind::Null:
    case ValueKind::Type:
      return format_string(v);
    case ValueKind::List:
      return format_list(v);
    case ValueKind::Map:
      return format_map(v);
    case ValueKind::Double:
      return Text::ok(go_fixed6(v.double_value()));
    default:
      return Text::fail("no formatting function for " + type_of(v));
  }
}

// quoteForCEL.
std::string quote_for_cel(const Value& v, const std::string& text) {
  switch (v.kind()) {
    case ValueKind::String:
      return go_quote(text);
    case ValueKind::Bytes:
      return "b" + go_quote(text);
    case ValueKind::Double:
      return std::isfinite(v.double_value()) ? text : go_quote(text);
    default:
      return text;
  }
}

Text format_list(const Value& v) {
  std::string out = "[";
  bool first = true;
  for (const Value& e : v.list_value()) {
    if (!first) out += ", ";
    first = false;
    Text t = format_element(e);
    if (!t.value) return t;
    out += quote_for_cel(e, *t.value);
  }
  out += ']';
  return Text::ok(std::move(out));
}

Text format_map(const Value& v) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, value] : v.map_value().entries) {
    Text k;
    switch (key.kind()) {
      case ValueKind::String:
      case ValueKind::Bool:
        k = format_string(key);
        break;
      case ValueKind::Int:
      case ValueKind::Uint:
        k = format_decimal(key);
        break;
      default:
        return Text::fail("no formatting function for map key of type " + type_of(key));
    }
    if (!k.value) return k;
    Text val = format_element(value);
    if (!val.value) return val;
    pairs.emplace_back(quote_for_cel(key, *k.value), quote_for_cel(value, *val.value));
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string out = "{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out += ", ";
    out += pairs[i].first + ":" + pairs[i].second;
  }
  out += '}';
  return Text::ok(std::move(out));
}

// FormatString: %s.
Text format_string(const Value& v) {
  switch (v.kind()) {
    case ValueKind::List:
      return format_list(v);
    case ValueKind::Map:
      return format_map(v);
    case ValueKind::Int:
      return Text::ok(std::to_string(v.int_value()));
    case ValueKind::Uint:
      return Text::ok(std::to_string(v.uint_value()));
    case ValueKind::Double:
      return Text::ok(format_double(v.double_value()));
    case ValueKind::Bool:
      return Text::ok(v.bool_value() ? "true" : "false");
    case ValueKind::String:
      return Text::ok(v.string_value());
    case ValueKind::Type:
      return Text::ok(v.type_name());
    case ValueKind::Bytes: {
      const Value conv = [&] {
        // string(bytes) in CEL: the bytes must be valid UTF-8.
        const std::string& b = v.bytes_value();
        for (size_t i = 0; i < b.size();) {
          const auto c = static_cast<unsigned char>(b[i]);
          size_t w = utf8_width(c);
          if ((c >= 0x80 && w == 1) || i + w > b.size())
            return Value::error("invalid UTF-8 in bytes, cannot convert to string");
          for (size_t k = 1; k < w; ++k) {
            if ((static_cast<unsigned char>(b[i + k]) & 0xC0) != 0x80)
              return Value::error("invalid UTF-8 in bytes, cannot convert to string");
          }
          const std::vector<char32_t> r = to_runes(b.substr(i, w));
          const char32_t cp = r[0];
          if ((w == 2 && cp < 0x80) || (w == 3 && cp < 0x800) || (w == 4 && cp < 0x10000) ||
              cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return Value::error("invalid UTF-8 in bytes, cannot convert to string");
          i += w;
        }
        return Value::string(b);
      }();
      if (conv.is_error()) {
        return Text::fail("could not convert argument " + go_quote(conv.error_message()) +
                          " to string");
      }
      return Text::ok(conv.string_value());
    }
    case ValueKind::Null:
      return Text::ok("null");
    default:
      return Text::fail(string_clause_error(v));
  }
}

// The digits of golang.org/x/text/message's en-US rendering.
const char* const kSuperDigits[] = {"\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
                                    "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};

std::string group_thousands(std::string_view digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    out += digits[i];
    const size_t left = digits.size() - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out;
}

// x/text/message Sprintf("%.<prec>f", d) for en-US. The printer keeps the precision as
// int16 (maximum fraction digits) and uint8 (minimum), and Go's verb parser ignores a
// precision above 1e6 (then 0).
std::string localized_fixed(double d, int64_t precision) {
  if (precision > 1000000) precision = 0;
  if (std::isnan(d)) return "NaN";
  const bool neg = d < 0;
  if (std::isinf(d)) return neg ? "-\u221E" : "\u221E";
  const auto max_frac = static_cast<int16_t>(static_cast<uint16_t>(precision));
  const auto min_frac = static_cast<uint8_t>(precision);
  std::string text;
  if (max_frac >= 0) {
    text = fmt::format("{:.{}f}", std::fabs(d), static_cast<int>(max_frac));
  } else {
    char buf[400];  // shortest digits in fixed notation
    const auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::fixed);
    text.assign(buf, r.ptr);
  }
  const size_t dot = text.find('.');
  std::string int_part = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (frac.size() < min_frac) frac.append(min_frac - frac.size(), '0');
  std::string out = neg ? "-" : "";
  out += group_thousands(int_part);
  if (!frac.empty()) out += "." + frac;
  return out;
}

// x/text/message Sprintf("%<width>e", d) for en-US: six fraction digits, the exponent as
// "×10" with at least two superscript digits, padded with spaces in front to `width` code
// points.
std::string localized_scientific(double d, int64_t width) {
  std::string out;
  const bool neg = d < 0;
  if (std::isnan(d)) {
    out = "NaN";
  } else if (std::isinf(d)) {
    out = neg ? "-\u221E" : "\u221E";
  } else {
    const std::string text = fmt::format("{:.6e}", std::fabs(d));  // d.dddddde+XX
    const size_t e = text.find('e');
    int exp = std::atoi(text.c_str() + e + 1);
    out = neg ? "-" : "";
    out += text.substr(0, e);
    out += "\u202F\u00D7\u202F10";
    if (exp < 0) {
      out += "\u207B";
      exp = -exp;
    }
    std::string digits = std::to_string(exp);
    if (digits.size() < 2) digits.insert(0, 2 - digits.size(), '0');
    for (char c : digits) out += kSuperDigits[c - '0'];
  }
  if (width > 0 && width <= 1000000) {
    const auto runes = static_cast<int64_t>(rune_count(out));
    if (runes < width) out.insert(0, static_cast<size_t>(width - runes), ' ');
  }
  return out;
}

// The double a %f or %e argument stands for: a double, or the strings "NaN", "Infinity"
// and "-Infinity".
std::optional<double> float_argument(const Value& v) {
  if (v.kind() == ValueKind::Double) return v.double_value();
  if (v.kind() == ValueKind::String) {
    const std::string& s = v.string_value();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

template <class U>
std::string in_base(U magnitude, unsigned base, bool upper) {
  if (magnitude == 0) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  while (magnitude > 0) {
    out += digits[magnitude % base];
    magnitude /= base;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Go's %b, %o, %x, %X of an int64 or uint64: sign and magnitude.
std::string int_in_base(const Value& v, unsigned base, bool upper) {
  if (v.kind() == ValueKind::Uint) return in_base(v.uint_value(), base, upper);
  const int64_t i = v.int_value();
  const uint64_t mag = i < 0 ? uint64_t{0} - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  return (i < 0 ? "-" : "") + in_base(mag, base, upper);
}

std::string hex_bytes(std::string_view b, bool upper) {
  std::string out;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (char c : b) {
    const auto u = static_cast<unsigned char>(c);
    out += digits[u >> 4];
    out += digits[u & 0xF];
  }
  return out;
}

Text format_clause(char verb, std::optional<int64_t> precision, const Value& v) {
  switch (verb) {
    case 's':
      return format_string(v);
    case 'd':
      return format_decimal(v);
    case 'f': {
      const std::optional<double> d = float_argument(v);
      if (!d) {
        return Text::fail("fixed-point clause can only be used on doubles, was given " +
                          type_of(v));
      }
      return Text::ok(localized_fixed(*d, precision.value_or(6)));
    }
    case 'e': {
      const std::optional<double> d = float_argument(v);
      if (!d) {
        return Text::fail("scientific clause can only be used on doubles, was given " + type_of(v));
      }
      return Text::ok(localized_scientific(*d, precision.value_or(6)));
    }
    case 'b':
      if (v.kind() == ValueKind::Int || v.kind() == ValueKind::Uint)
        return Text::ok(int_in_base(v, 2, false));
      if (v.kind() == ValueKind::Bool) return Text::ok(v.bool_value() ? "1" : "0");
      return Text::fail("only integers and bools can be formatted as binary, was given " +
                        type_of(v));
    case 'x':
    case 'X': {
      const bool upper = verb == 'X';
      if (v.kind() == ValueKind::String) return Text::ok(hex_bytes(v.string_value(), upper));
      if (v.kind() == ValueKind::Bytes) return Text::ok(hex_bytes(v.bytes_value(), upper));
      if (v.kind() == ValueKind::Int || v.kind() == ValueKind::Uint)
        return Text::ok(int_in_base(v, 16, upper));
      return Text::fail(
          "only integers, byte buffers, and strings can be formatted as hex, was given " +
          type_of(v));
    }
    case 'o':
      if (v.kind() == ValueKind::Int || v.kind() == ValueKind::Uint)
        return Text::ok(int_in_base(v, 8, false));
      return Text::fail("octal clause can only be used on integers, was given " + type_of(v));
    default:
      return Text::fail("unreachable");
  }
}

// Go's strconv.Atoi on a run of ASCII digits.
Result<int64_t> go_atoi(std::string_view digits) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec == std::errc::invalid_argument) {
    return Result<int64_t>::fail(
        fmt::format("strconv.Atoi: parsing {}: invalid syntax", go_quote(digits)));
  }
  if (ec == std::errc::result_out_of_range) {
    return Result<int64_t>::fail(
        fmt::format("strconv.Atoi: parsing {}: value out of range", go_quote(digits)));
  }
  return Result<int64_t>::ok(n);
}

std::string rune_text(unsigned char byte) {
  std::string out;
  append_rune(out, byte);  // Go reads one byte as a rune here
  return out;
}

Value format(std::span<const Value> a) {
  const std::string& f = a[0].string_value();
  const ListPayload& args = a[1].list_value();
  std::string out;
  size_t arg_index = 0;
  for (size_t i = 0; i < f.size();) {
    if (f[i] != '%') {
      out += f[i++];
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '%') {
      out += '%';
      i += 2;
      continue;
    }
    if (arg_index >= args.size()) {
      return Value::error(fmt::format("index {} out of range", arg_index));
    }
    if (i + 1 >= f.size()) return Value::error("unexpected end of string");
    // The clause: an optional precision (".digits") and a verb.
    size_t j = i + 1;
    std::optional<int64_t> precision;
    if (f[j] == '.') {
      size_t k = j + 1;
      while (k < f.size() && f[k] >= '0' && f[k] <= '9') ++k;
      if (k >= f.size()) {
        return Value::error(
            "could not parse formatting clause: error while parsing precision: could not find "
            "end of precision specifier");
      }
      Result<int64_t> p = go_atoi(std::string_view(f).substr(j + 1, k - j - 1));
      if (!p.value) {
        return Value::error(
            "could not parse formatting clause: error while parsing precision: error while "
            "converting precision to integer: " +
            p.error);
      }
      precision = *p.value;
      j = k;
    }
    const char verb = f[j];
    if (std::string_view("sdfebxXo").find(verb) == std::string_view::npos) {
      return Value::error("could not parse formatting clause: unrecognized formatting clause \"" +
                          rune_text(static_cast<unsigned char>(verb)) + "\"");
    }
    Text t = format_clause(verb, precision, args[arg_index]);
    if (!t.value) return Value::error("error during formatting: " + t.error);
    out += *t.value;
    i = j + 1;
    ++arg_index;
  }
  return Value::string(std::move(out));
}

constexpr OverloadDecl kStrings[] = {
    {"string_char_at_int", "string.charAt(int) -> string", char_at},
    {"string_index_of_string", "string.indexOf(string) -> int", index_of, index_of_cost,
     estimate_traversal},
    {"string_index_of_string_int", "string.indexOf(string, int) -> int", index_of_from,
     index_of_cost, estimate_traversal},
    {"string_last_index_of_string", "string.lastIndexOf(string) -> int", last_index_of,
     index_of_cost, estimate_traversal},
    {"string_last_index_of_string_int", "string.lastIndexOf(string, int) -> int",
     last_index_of_from, index_of_cost, estimate_traversal},
    {"string_lower_ascii", "string.lowerAscii() -> string", lower_ascii, traversal_cost,
     estimate_traversal_same_size},
    {"string_replace_string_string", "string.replace(string, string) -> string", replace_all,
     double_traversal_cost, estimate_replace},
    {"string_replace_string_string_int", "string.replace(string, string, int) -> string", replace_n,
     double_traversal_cost, estimate_replace},
    {"string_split_string", "string.split(string) -> list(string)", split_all,
     double_traversal_cost, estimate_split},
    {"string_split_string_int", "string.split(string, int) -> list(string)", split_n,
     double_traversal_cost, estimate_split},
    {"string_substring_int", "string.substring(int) -> string", substring_from, traversal_cost,
     estimate_traversal_same_size},
    {"string_substring_int_int", "string.substring(int, int) -> string", substring_range,
     traversal_cost, estimate_traversal_same_size},
    {"string_trim", "string.trim() -> string", trim, traversal_cost, estimate_traversal_same_size},
    {"string_upper_ascii", "string.upperAscii() -> string", upper_ascii, traversal_cost,
     estimate_traversal_same_size},
    {"string_format", "string.format(list(dyn)) -> string", format, traversal_cost,
     estimate_traversal},
    {"strings_quote", "strings.quote(string) -> string", quote, traversal_cost, estimate_quote},
    {"list_join", "list(string).join() -> string", join, join_cost, estimate_join},
    {"list_join_string", "list(string).join(string) -> string", join_sep, join_cost, estimate_join},
};

}  // namespace

std::span<const OverloadDecl> strings_extension() { return kStrings; }

}  // namespace dra::selectors
