// src/k8s/quantity.hpp -- Kubernetes resource quantities ("500m", "1.5Gi", "2e3"): parsed,
// compared, added and printed exactly as k8s.io/apimachinery pkg/api/resource does
// (quantity.go, suffix.go, amount.go, scale_int.go). Device capacities and capacity
// requests in DRA are quantities; the allocator compares and sums them.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/atom.hpp"

namespace dra::k8s {

// An exact decimal number with the notation it was written in. Never a floating-point
// number: the value is a decimal mantissa of any length times a power of ten, so whatever
// parses compares and prints exactly, however large (upstream keeps such values in inf.Dec).
class Quantity {
 public:
  // The three notations upstream remembers from parsing and reuses when printing.
  enum class Format {
    DecimalSI,        // "12M" = 12 * 10^6; also plain numbers and n u m k M G T P E
    BinarySI,         // "12Mi" = 12 * 2^20: Ki Mi Gi Ti Pi Ei
    DecimalExponent,  // "12e6"
  };

  // The most digits add() and sub() write out, from the highest digit of either operand to
  // the lowest, and the widest whole number to_string() writes out in BinarySI. Parsed
  // values can be wider (as wide as their text); comparing and printing them costs no more.
  static constexpr std::int64_t kMaxDigits = 10'000;

  // Zero, in DecimalSI. Prints "0".
  Quantity() = default;

  // Parses `text` as upstream's ParseQuantity does: an optional sign, a decimal number
  // ("1", "1.5", ".5" and "5." all count; so does a bare sign or "." for zero), then an
  // optional suffix: Ki Mi Gi Ti Pi Ei (BinarySI), n u m k M G T P E (DecimalSI), or e/E
  // with a signed integer (DecimalExponent). No whitespace anywhere: callers reading JSON
  // or YAML trim it first, as upstream's UnmarshalJSON does (which also takes a JSON number).
  //
  // The value is then rounded as upstream rounds it: a magnitude that is not a whole
  // number of nano units rounds up, away from zero, to the next one ("0.1n" -> 1n,
  // "0.1m" -> 100u; upstream's doc comment still says milli, but it rounds to nano).
  // A BinarySI magnitude above 2^63-1 is capped there, and a BinarySI magnitude below 1
  // becomes DecimalSI. The exponent of an e/E suffix keeps only its low 32 bits, as
  // upstream's int32 conversion does ("1e4294967299" is 1000).
  //
  // Returns nullopt for anything upstream rejects and, when `error` is not null, sets it
  // to upstream's message, one of:
  //   quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
  //       (empty text, or a character outside that pattern: " 1", "1.1.M", "aoeu")
  //   unable to parse quantity's suffix      ("1i", "1Ki2", "1e", "1e99999999999999999999")
  //   unable to parse numeric part of quantity
  //       (no digit in a number that upstream's slow path reads: ".Pi", ".e-10")
  static std::optional<Quantity> parse(std::string_view text, std::string* error = nullptr);

  // value, value/1000 and value * 10^scale, as upstream's NewQuantity, NewMilliQuantity
  // and NewScaledQuantity build them. Never fail.
  static Quantity from_int(std::int64_t value, Format format = Format::DecimalSI);
  static Quantity from_milli(std::int64_t milli, Format format = Format::DecimalSI);
  static Quantity from_scaled(std::int64_t value, std::int32_t scale,
                              Format format = Format::DecimalSI);

  // Upstream's String(). The canonical form: no fractional digits, the largest suffix of
  // the remembered format that keeps the value exact, "-" only for negative numbers, "0"
  // for zero ("1.5" -> "1500m", "1.5Gi" -> "1536Mi", "1024Mi" -> "1Gi", "1e1000" ->
  // "10e999"). BinarySI values below 1024 or with a fraction print as DecimalSI.
  //
  // Upstream quirks kept on purpose, since they are what the API server stores and prints:
  // - text that upstream's quick check judged canonical at parse time is returned as typed,
  //   so "+1Ki", "010m", "1E3", "1e+3", "1e0" and "1.500k" print unchanged, and so does
  //   "1e4294967299" although its value is 1000. Any arithmetic drops the typed text.
  // - a DecimalSI value whose exponent has no suffix (above E, below n) prints its mantissa
  //   with no suffix at all: "1000E" prints "1"; likewise BinarySI beyond Ei.
  // A BinarySI whole number of more than kMaxDigits digits (only add or round_up make one)
  // prints in DecimalExponent form; upstream stalls writing it out.
  // Exponents are kept in 64 bits, where upstream's canonical form wraps at 32 bits; the two
  // differ only for exponents within a few units of +-2^31.
  std::string to_string() const;
  // Appends bytes that are equal for two quantities only when they hold the same value in
  // the same notation (all that to_string() and the CEL library see): a cheap key.
  void append_identity(std::string& out) const;

  Format format() const { return format_; }

  // -1, 0 or 1.
  int sign() const;
  bool is_zero() const { return digits_.empty(); }

  // The value divided by 10^scale, rounded away from zero to an integer (upstream's
  // ScaledValue; value() is scale 0, milli_value() scale -3: "1.1" -> 2 and 1100,
  // "-9.01" -> -10). Saturates at the int64 limits, where upstream returns 0 or a
  // wrapped-around number depending on its internal representation; upstream also rounds
  // some negative values toward zero when it holds them in inf.Dec (-9.010000000000000000001
  // gives -8 there). Callers that need to know use the comparisons first.
  std::int64_t scaled_value(std::int32_t scale) const;
  std::int64_t value() const { return scaled_value(0); }
  // The value when it is a whole number of at most 18 digits (|v| < 10^18), else nullopt.
  std::optional<std::int64_t> whole() const;
  std::int64_t milli_value() const { return scaled_value(-3); }

  // The nearest double; +-infinity when out of range. Upstream's AsApproximateFloat64
  // multiplies by a power of ten and may be off by an ulp or so ("1023.5Ki" gives
  // 1048064.0000000001 there, 1048064 here).
  double as_approximate_float64() const;

  // Rounds the value away from zero to a multiple of 10^scale (upstream's RoundUp) and
  // returns whether it was already one, i.e. nothing was lost. Keeps the format.
  bool round_up(std::int32_t scale);

  // this += y, or this -= y, exactly. When this is zero it takes y's format, as upstream
  // does; otherwise it keeps its own. Returns false, leaving this unchanged, when the exact
  // result would span more than kMaxDigits digits (1e999999 + 1 would need a million):
  // upstream builds any such number and can stall on it.
  [[nodiscard]] bool add(const Quantity& y);
  [[nodiscard]] bool sub(const Quantity& y);

  // The same value in the same representation: Go's == on two resource.Quantity structs
  // (value, scale, cached text and format all equal), which upstream's capacity policy
  // check uses where it means numeric equality (spec/allocator.md §19.8).
  bool identical(const Quantity& o) const {
    return digits_ == o.digits_ && exponent_ == o.exponent_ && typed_scale_ == o.typed_scale_ &&
           negative_ == o.negative_ && format_ == o.format_ && typed_ == o.typed_;
  }

  // The negated value, same format (upstream's Neg).
  Quantity operator-() const;

  // By value only, as upstream's Cmp and Equal: "1Gi" == "1073741824" and "1e3" == "1k",
  // though they print differently.
  friend std::weak_ordering operator<=>(const Quantity& a, const Quantity& b);
  friend bool operator==(const Quantity& a, const Quantity& b) {
    return (a <=> b) == std::weak_ordering::equivalent;
  }

 private:
  // The value is (negative_ ? -1 : 1) * digits_ * 10^exponent_, where digits_ holds decimal
  // digits with no leading or trailing zero. Zero is empty digits_, exponent_ 0, !negative_.
  std::string digits_;
  std::int64_t exponent_ = 0;
  std::int32_t typed_scale_ = 0;
  bool negative_ = false;
  Format format_ = Format::DecimalSI;
  // The text as parsed, when upstream would print it as typed (see to_string), and the
  // scale upstream's int64 form had then (round_up keeps the text for coarser scales).
  // Interned: a dump repeats the same few texts ("80Gi", "132") hundreds of thousands of times.
  util::Atom typed_;
};

}  // namespace dra::k8s
