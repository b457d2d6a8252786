// src/k8s/quantity.cpp -- Quantity: upstream's parse, rounding and canonical form, on an exact
// decimal (a digit string and a power of ten) instead of upstream's int64Amount / inf.Dec pair.
// Where upstream's two representations take different paths to the same value, one path
// here suffices; where the path shows in the result (errors, the typed text kept by
// String()), quantity.go's fast/slow split is followed step by step.
#include "k8s/quantity.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace dra::k8s {
namespace {

// quantity.go's ErrFormatWrong, ErrNumeric and ErrSuffix.
constexpr const char* kErrFormatWrong =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr const char* kErrNumeric = "unable to parse numeric part of quantity";
constexpr const char* kErrSuffix = "unable to parse quantity's suffix";

// The letters parseQuantityString accepts at the start of a suffix.
constexpr std::string_view kSuffixLetters = "eEinumkKMGTP";

// BinarySI values are capped at 2^63-1 (math.go's maxAllowed).
constexpr std::string_view kMaxInt64Digits = "9223372036854775807";

// Nano: parse rounds every value up to a whole number of 10^-9.
constexpr std::int64_t kParseScale = -9;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Go's int32(x): the low 32 bits, as a signed number (a modular conversion in C++20).
std::int32_t wrap32(std::int64_t x) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(x));
}

std::int64_t ssize(std::string_view s) { return static_cast<std::int64_t>(s.size()); }

// A nonnegative decimal: digits * 10^exponent. Normalized: no leading or trailing zero
// digit, and zero is empty digits with exponent 0.
struct Magnitude {
  std::string digits;
  std::int64_t exponent = 0;
};

void normalize(Magnitude& m) {
  const std::size_t first = m.digits.find_first_not_of('0');
  if (first == std::string::npos) {
    m.digits.clear();
    m.exponent = 0;
    return;
  }
  m.digits.erase(0, first);
  const std::size_t last = m.digits.find_last_not_of('0');
  m.exponent += ssize(m.digits) - 1 - static_cast<std::int64_t>(last);
  m.digits.resize(last + 1);
}

Magnitude magnitude_of(std::uint64_t value) {
  Magnitude m{std::to_string(value), 0};
  normalize(m);
  return m;
}

// One past the highest digit's power: a nonzero magnitude is below 10^top and at least
// 10^(top-1).
std::int64_t top(std::string_view digits, std::int64_t exponent) {
  return exponent + ssize(digits);
}

// Compares two normalized magnitudes: -1, 0 or 1.
int compare_magnitudes(std::string_view a, std::int64_t a_exp, std::string_view b,
                       std::int64_t b_exp) {
  if (a.empty() || b.empty()) return static_cast<int>(!a.empty()) - static_cast<int>(!b.empty());
  const std::int64_t a_top = top(a, a_exp);
  const std::int64_t b_top = top(b, b_exp);
  if (a_top != b_top) return a_top < b_top ? -1 : 1;
  const std::size_t common = std::min(a.size(), b.size());
  const int c = a.substr(0, common).compare(b.substr(0, common));
  if (c != 0) return c < 0 ? -1 : 1;
  // Equal prefixes: the longer one has more nonzero digits below them.
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

int compare_magnitudes(const Magnitude& a, const Magnitude& b) {
  return compare_magnitudes(a.digits, a.exponent, b.digits, b.exponent);
}

// The digits of `m` written at 10^low (low <= m.exponent), right-aligned in `width` digits.
std::string aligned(const Magnitude& m, std::int64_t low, std::int64_t width) {
  std::string out(static_cast<std::size_t>(width - top(m.digits, m.exponent) + low), '0');
  out += m.digits;
  out.append(static_cast<std::size_t>(m.exponent - low), '0');
  return out;
}

// How many digits an exact a + b or a - b needs, from the highest digit to the lowest.
std::int64_t span(const Magnitude& a, const Magnitude& b) {
  return std::max(top(a.digits, a.exponent), top(b.digits, b.exponent)) -
         std::min(a.exponent, b.exponent);
}

// a + b for nonzero magnitudes.
Magnitude add_magnitudes(const Magnitude& a, const Magnitude& b) {
  const std::int64_t low = std::min(a.exponent, b.exponent);
  const std::int64_t width = span(a, b) + 1;  // room for a carry
  const std::string x = aligned(a, low, width);
  const std::string y = aligned(b, low, width);
  Magnitude sum{std::string(x.size(), '0'), low};
  int carry = 0;
  for (std::size_t i = x.size(); i-- > 0;) {
    const int d = (x[i] - '0') + (y[i] - '0') + carry;
    sum.digits[i] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  normalize(sum);
  return sum;
}

// a - b for nonzero magnitudes with a > b.
Magnitude subtract_magnitudes(const Magnitude& a, const Magnitude& b) {
  const std::int64_t low = std::min(a.exponent, b.exponent);
  const std::int64_t width = span(a, b);
  const std::string x = aligned(a, low, width);
  const std::string y = aligned(b, low, width);
  Magnitude difference{std::string(x.size(), '0'), low};
  int borrow = 0;
  for (std::size_t i = x.size(); i-- > 0;) {
    int d = (x[i] - '0') - (y[i] - '0') - borrow;
    borrow = d < 0 ? 1 : 0;
    difference.digits[i] = static_cast<char>('0' + d + 10 * borrow);
  }
  normalize(difference);
  return difference;
}

// Multiplies the decimal integer `digits` by a small factor in place.
void multiply_small(std::string& digits, unsigned factor) {
  std::string reversed;
  unsigned carry = 0;
  for (std::size_t i = digits.size(); i-- > 0;) {
    const unsigned d = static_cast<unsigned>(digits[i] - '0') * factor + carry;
    reversed.push_back(static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  for (; carry > 0; carry /= 10) reversed.push_back(static_cast<char>('0' + carry % 10));
  digits.assign(reversed.rbegin(), reversed.rend());
}

// The remainder of the decimal integer `digits` divided by `divisor`.
unsigned remainder_small(std::string_view digits, unsigned divisor) {
  unsigned remainder = 0;
  for (char c : digits) remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % divisor;
  return remainder;
}

// Divides the decimal integer `digits` (no leading zeros) by `divisor` in place.
void divide_small(std::string& digits, unsigned divisor) {
  std::string quotient;
  unsigned remainder = 0;
  for (char c : digits) {
    remainder = remainder * 10 + static_cast<unsigned>(c - '0');
    const unsigned q = remainder / divisor;
    if (q != 0 || !quotient.empty()) quotient.push_back(static_cast<char>('0' + q));
    remainder %= divisor;
  }
  digits = quotient.empty() ? "0" : quotient;
}

// Rounds `m` away from zero to a multiple of 10^scale; returns whether it already was one.
// This is inf.Dec's Round with inf.RoundUp, which upstream uses for both parse and RoundUp.
bool round_up_to(Magnitude& m, std::int64_t scale) {
  if (m.digits.empty() || m.exponent >= scale) return true;
  const std::int64_t drop = scale - m.exponent;
  // Normalized digits end in a nonzero digit, so dropping any of them loses something.
  if (drop >= ssize(m.digits)) {
    m = Magnitude{"1", scale};
    return false;
  }
  m.digits.resize(m.digits.size() - static_cast<std::size_t>(drop));
  m.exponent = scale;
  std::size_t i = m.digits.size();
  while (i > 0 && m.digits[i - 1] == '9') m.digits[--i] = '0';
  if (i == 0) {
    m.digits.insert(m.digits.begin(), '1');
  } else {
    ++m.digits[i - 1];
  }
  normalize(m);
  return false;
}

// ceil(m * 10^shift) when it is at most `limit`, otherwise limit + 1 (limit < 2^64 - 1).
std::uint64_t ceil_saturated(const Magnitude& m, std::int64_t shift, std::uint64_t limit) {
  if (m.digits.empty()) return 0;
  const std::uint64_t too_big = limit + 1;
  const std::int64_t exponent = m.exponent + shift;
  if (top(m.digits, exponent) > 20) return too_big;
  std::string_view whole = m.digits;
  bool fraction = false;
  if (exponent < 0) {
    const std::int64_t drop = -exponent;
    fraction = true;  // normalized: the dropped digits are not all zero
    whole = drop >= ssize(whole) ? std::string_view() : whole.substr(0, whole.size() - drop);
  }
  std::uint64_t value = 0;
  auto push = [&](unsigned digit) {
    if (value > (limit - digit) / 10) return false;
    value = value * 10 + digit;
    return true;
  };
  for (char c : whole) {
    if (!push(static_cast<unsigned>(c - '0'))) return too_big;
  }
  for (std::int64_t i = 0; i < exponent; ++i) {
    if (!push(0)) return too_big;
  }
  if (fraction) return value == limit ? too_big : value + 1;
  return value;
}

// Go's strconv.ParseInt(s, 10, 64): an optional sign and at least one digit, in range.
std::optional<std::int64_t> parse_go_int64(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  std::uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (magnitude > kMax + 1) return std::nullopt;
    return static_cast<std::int64_t>(0 - magnitude);  // modular: 2^63 becomes INT64_MIN
  }
  if (magnitude > kMax) return std::nullopt;
  return static_cast<std::int64_t>(magnitude);
}

// What parseQuantityString makes of "-001.50Gi": negative, num "1" (leading zeros dropped,
// "0" when none is left), denom "50", suffix "Gi", and value "-001.50", the text inf.Dec
// would read in upstream's slow path.
struct Scan {
  bool positive = true;
  std::string_view value;
  std::string_view num;
  std::string_view denom;
  std::string_view suffix;
};

// Returns false where upstream returns ErrFormatWrong. A number may end right after its
// sign or its point ("-", "5.", "."), as upstream allows.
bool scan_quantity(std::string_view str, Scan& out) {
  const std::size_t end = str.size();
  std::size_t pos = 0;
  if (str[0] == '-' || str[0] == '+') {
    out.positive = str[0] == '+';
    pos = 1;
  }
  while (pos < end && str[pos] == '0') ++pos;
  if (pos == end) {
    out.num = "0";
    out.value = "0";
    return true;
  }
  std::size_t i = pos;
  while (i < end && is_digit(str[i])) ++i;
  if (i == end) {
    out.num = str.substr(pos);
    out.value = str;
    return true;
  }
  out.num = str.substr(pos, i - pos);
  if (out.num.empty()) out.num = "0";
  pos = i;
  if (str[pos] == '.') {
    for (i = ++pos; i < end && is_digit(str[i]);) ++i;
    if (i == end) {
      out.denom = str.substr(pos);
      out.value = str;
      return true;
    }
    out.denom = str.substr(pos, i - pos);
    pos = i;
  }
  out.value = str.substr(0, pos);
  const std::size_t suffix_start = pos;
  for (i = pos; i < end && kSuffixLetters.find(str[i]) != std::string_view::npos;) ++i;
  if (i < end && (str[i] == '-' || str[i] == '+')) ++i;
  while (i < end && is_digit(str[i])) ++i;
  if (i < end) return false;
  out.suffix = str.substr(suffix_start);
  return true;
}

struct SuffixMeaning {
  int base;  // 10 or 2
  std::int32_t exponent;
  Quantity::Format format;
};

// suffix.go's interpret: the fixed suffixes, then e/E with a Go int64 cut to 32 bits.
std::optional<SuffixMeaning> interpret_suffix(std::string_view suffix) {
  struct Entry {
    std::string_view suffix;
    int base;
    std::int32_t exponent;
  };
  static constexpr Entry kEntries[] = {
      {"", 10, 0},   {"n", 10, -9}, {"u", 10, -6}, {"m", 10, -3}, {"k", 10, 3},  {"M", 10, 6},
      {"G", 10, 9},  {"T", 10, 12}, {"P", 10, 15}, {"E", 10, 18}, {"Ki", 2, 10}, {"Mi", 2, 20},
      {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50}, {"Ei", 2, 60},
  };
  for (const Entry& e : kEntries) {
    if (e.suffix == suffix) {
      return SuffixMeaning{e.base, e.exponent,
                           e.base == 2 ? Quantity::Format::BinarySI : Quantity::Format::DecimalSI};
    }
  }
  if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    const std::optional<std::int64_t> exponent = parse_go_int64(suffix.substr(1));
    if (!exponent) return std::nullopt;
    return SuffixMeaning{10, wrap32(*exponent), Quantity::Format::DecimalExponent};
  }
  return std::nullopt;
}

std::string_view decimal_suffix(std::int64_t exponent) {
  switch (exponent) {
    case -9:
      return "n";
    case -6:
      return "u";
    case -3:
      return "m";
    case 3:
      return "k";
    case 6:
      return "M";
    case 9:
      return "G";
    case 12:
      return "T";
    case 15:
      return "P";
    case 18:
      return "E";
    default:
      return "";  // including the ones upstream has none for: it prints none either
  }
}

std::string_view binary_suffix(int powers_of_1024) {
  static constexpr std::string_view kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  return powers_of_1024 < 7 ? kSuffixes[powers_of_1024] : "";
}

}  // namespace

std::optional<Quantity> Quantity::parse(std::string_view str, std::string* error) {
  auto fail = [error](const char* message) -> std::optional<Quantity> {
    if (error != nullptr) *error = message;
    return std::nullopt;
  };
  if (str.empty()) return fail(kErrFormatWrong);
  if (str == "0") return Quantity();

  Scan scan;
  if (!scan_quantity(str, scan)) return fail(kErrFormatWrong);
  const std::optional<SuffixMeaning> suffix = interpret_suffix(scan.suffix);
  if (!suffix) return fail(kErrSuffix);

  Quantity q;
  q.format_ = suffix->format;
  const std::int64_t num_digits = ssize(scan.num) + ssize(scan.denom);

  // Upstream's fast path: up to 18 digits (fewer for binary suffixes) at a scale of nano or
  // coarser fit an int64Amount, with no rounding. Only this path keeps the typed text.
  std::int64_t precision = -1;
  std::int64_t mantissa = 1;
  if (q.format_ != Format::BinarySI) {
    precision = 18 - num_digits;
  } else if (scan.denom.empty()) {
    mantissa = std::int64_t{1} << suffix->exponent;
    precision = 15 - ssize(scan.num) - suffix->exponent * 3 / 10 - 1;
  }
  const std::int32_t scale =
      q.format_ == Format::BinarySI ? 0 : wrap32(suffix->exponent - ssize(scan.denom));
  if (precision >= 0 && scale >= kParseScale) {
    const std::string shifted = std::string(scan.num) + std::string(scan.denom);
    std::int64_t value = 0;
    std::from_chars(shifted.data(), shifted.data() + shifted.size(), value);
    std::int64_t result = 0;
    if (!__builtin_mul_overflow(value, mantissa, &result)) {
      Magnitude m = magnitude_of(static_cast<std::uint64_t>(result));
      if (!m.digits.empty()) m.exponent += scale;
      q.digits_ = std::move(m.digits);
      q.exponent_ = m.exponent;
      q.negative_ = !scan.positive && !q.digits_.empty();
      // Upstream reuses the input as its String() when a quick look says it is canonical.
      const bool looks_canonical =
          q.format_ == Format::BinarySI
              ? (value & 7) != 0
              : scale % 3 == 0 && !shifted.ends_with("000") && shifted[0] != '0';
      if (looks_canonical) {
        q.typed_ = util::Atom(str);
        q.typed_scale_ = scale;
      }
      return q;
    }
  }

  // The slow path: inf.Dec reads the number as typed, which needs a digit.
  if (scan.value.find_first_of("0123456789") == std::string_view::npos) return fail(kErrNumeric);
  Magnitude m{std::string(scan.num) + std::string(scan.denom), 0};
  if (suffix->base == 10) {
    // inf.Dec's scale is int32: len(denom) - exponent, wrapping as Go does.
    m.exponent = -static_cast<std::int64_t>(
        wrap32(std::int64_t{wrap32(ssize(scan.denom))} + wrap32(-std::int64_t{suffix->exponent})));
  } else {
    m.exponent = -ssize(scan.denom);
    for (std::int32_t i = 0; i < suffix->exponent; i += 10) multiply_small(m.digits, 1024);
  }
  normalize(m);
  // Non-zero values round up to the next nano unit: "if you want some resources, you
  // should get some resources" (quantity.go).
  round_up_to(m, kParseScale);
  if (q.format_ == Format::BinarySI) {
    const Magnitude max_allowed{std::string(kMaxInt64Digits), 0};
    if (compare_magnitudes(m, max_allowed) > 0) m = max_allowed;
    if (!m.digits.empty() && top(m.digits, m.exponent) <= 0) q.format_ = Format::DecimalSI;
  }
  q.digits_ = std::move(m.digits);
  q.exponent_ = m.exponent;
  q.negative_ = !scan.positive && !q.digits_.empty();
  return q;
}

Quantity Quantity::from_int(std::int64_t value, Format format) {
  return from_scaled(value, 0, format);
}

Quantity Quantity::from_milli(std::int64_t milli, Format format) {
  return from_scaled(milli, -3, format);
}

Quantity Quantity::from_scaled(std::int64_t value, std::int32_t scale, Format format) {
  const std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  Magnitude m = magnitude_of(magnitude);
  if (!m.digits.empty()) m.exponent += scale;
  Quantity q;
  q.digits_ = std::move(m.digits);
  q.exponent_ = m.exponent;
  q.negative_ = value < 0;
  q.format_ = format;
  return q;
}

std::string Quantity::to_string() const {
  if (!typed_.empty()) return typed_.str();
  if (digits_.empty()) return "0";

  // CanonicalizeBytes: BinarySI only for whole numbers of at least 1024 in magnitude.
  Format format = format_;
  if (format == Format::BinarySI &&
      (exponent_ < 0 || compare_magnitudes(digits_, exponent_, "1024", 0) < 0)) {
    format = Format::DecimalSI;
  }
  // Writing out a whole number of more than kMaxDigits digits to find its powers of 1024
  // would stall, as upstream does on such a number; give it in exponent form instead.
  if (format == Format::BinarySI && top(digits_, exponent_) > kMaxDigits) {
    format = Format::DecimalExponent;
  }
  std::string out = negative_ ? "-" : "";
  if (format == Format::BinarySI) {
    std::string whole = digits_ + std::string(static_cast<std::size_t>(exponent_), '0');
    int powers = 0;
    while (remainder_small(whole, 1024) == 0) {
      divide_small(whole, 1024);
      ++powers;
    }
    out += whole;
    out += binary_suffix(powers);
    return out;
  }
  // The largest exponent that is a multiple of 3 and keeps the mantissa whole.
  const std::int64_t extra = ((exponent_ % 3) + 3) % 3;
  const std::int64_t exponent = exponent_ - extra;
  out += digits_;
  out.append(static_cast<std::size_t>(extra), '0');
  if (format == Format::DecimalSI) {
    out += decimal_suffix(exponent);
    return out;
  }
  if (exponent != 0) {
    out += 'e';
    out += std::to_string(exponent);
  }
  return out;
}

int Quantity::sign() const {
  if (digits_.empty()) return 0;
  return negative_ ? -1 : 1;
}

std::int64_t Quantity::scaled_value(std::int32_t scale) const {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const Magnitude m{digits_, exponent_};
  const std::int64_t shift = -std::int64_t{scale};
  if (!negative_) return static_cast<std::int64_t>(std::min(ceil_saturated(m, shift, kMax), kMax));
  const std::uint64_t magnitude = std::min(ceil_saturated(m, shift, kMax + 1), kMax + 1);
  return static_cast<std::int64_t>(0 - magnitude);  // modular: 2^63 becomes INT64_MIN
}

void Quantity::append_identity(std::string& out) const {
  const void* typed = typed_.handle();  // interned: equal texts, equal handles
  const std::int64_t fixed[] = {exponent_, typed_scale_, negative_ ? 1 : 0,
                                static_cast<std::int64_t>(format_),
                                static_cast<std::int64_t>(digits_.size())};
  out.append(reinterpret_cast<const char*>(&typed), sizeof typed);
  out.append(reinterpret_cast<const char*>(fixed), sizeof fixed);
  out.append(digits_);
}

std::optional<std::int64_t> Quantity::whole() const {
  if (digits_.empty()) return 0;
  if (exponent_ < 0 || static_cast<std::int64_t>(digits_.size()) + exponent_ > 18)
    return std::nullopt;
  std::int64_t v = 0;
  for (char d : digits_) v = v * 10 + (d - '0');
  for (std::int64_t i = 0; i < exponent_; ++i) v *= 10;
  return negative_ ? -v : v;
}

double Quantity::as_approximate_float64() const {
  if (digits_.empty()) return 0.0;
  std::string text = digits_;
  text += 'e';
  text += std::to_string(exponent_);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = top(digits_, exponent_) > 0 ? HUGE_VAL : 0.0;
  }
  return negative_ ? -value : value;
}

bool Quantity::round_up(std::int32_t scale) {
  // Upstream's int64 form already at this scale or coarser is left alone, typed text and all.
  if (!typed_.empty() && typed_scale_ >= scale) return true;
  typed_ = util::Atom();
  Magnitude m{std::move(digits_), exponent_};
  const bool exact = round_up_to(m, scale);
  digits_ = std::move(m.digits);
  exponent_ = m.exponent;
  return exact;
}

bool Quantity::add(const Quantity& y) {
  Magnitude result{digits_, exponent_};
  bool negative = negative_;
  if (digits_.empty()) {
    result = Magnitude{y.digits_, y.exponent_};
    negative = y.negative_;
  } else if (!y.digits_.empty()) {
    const Magnitude other{y.digits_, y.exponent_};
    if (span(result, other) > kMaxDigits) return false;
    if (negative_ == y.negative_) {
      result = add_magnitudes(result, other);
    } else if (const int c = compare_magnitudes(result, other); c == 0) {
      result = Magnitude{};
      negative = false;
    } else if (c > 0) {
      result = subtract_magnitudes(result, other);
    } else {
      result = subtract_magnitudes(other, result);
      negative = y.negative_;
    }
  }
  if (digits_.empty()) format_ = y.format_;  // upstream: a zero takes the other's format
  digits_ = std::move(result.digits);
  exponent_ = result.exponent;
  negative_ = negative;
  typed_ = util::Atom();
  return true;
}

bool Quantity::sub(const Quantity& y) { return add(-y); }

Quantity Quantity::operator-() const {
  Quantity q = *this;
  q.typed_ = util::Atom();
  q.negative_ = !digits_.empty() && !negative_;
  return q;
}

std::weak_ordering operator<=>(const Quantity& a, const Quantity& b) {
  const int sa = a.sign();
  const int sb = b.sign();
  if (sa != sb) return sa < sb ? std::weak_ordering::less : std::weak_ordering::greater;
  int c = compare_magnitudes(a.digits_, a.exponent_, b.digits_, b.exponent_);
  if (sa < 0) c = -c;
  if (c == 0) return std::weak_ordering::equivalent;
  return c < 0 ? std::weak_ordering::less : std::weak_ordering::greater;
}

}  // namespace dra::k8s
