// src/k8s/semver.cpp -- the API server's semver check (a hand-written form of its regular
// expression), blang/semver v4's Parse with its messages, and semver 2.0.0 precedence.
#include "k8s/semver.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <system_error>
#include <tuple>

namespace dra::k8s {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Joins pieces into one string. (GCC 12 at -O3 warns, wrongly, on "literal" + std::string.)
std::string concat(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (std::string_view piece : pieces) out += piece;
  return out;
}

// blang's alphanum set, and the regular expression's [0-9a-zA-Z-].
bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// Go's containsOnly: true for the empty string.
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }
bool all_identifier_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_identifier_char);
}

// Go's strings.SplitN(s, sep, limit), limit > 0: at most `limit` parts, the last one
// holding the rest; "" gives one empty part.
std::vector<std::string_view> split(std::string_view s, char sep, std::size_t limit = SIZE_MAX) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < limit) {
    const std::size_t at = s.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  parts.push_back(s);
  return parts;
}

template <typename Strings>
std::string join(const Strings& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out += sep;
    out += part;
    first = false;
  }
  return out;
}

// The length of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t n = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return n;
}

// Go's %q (strconv.Quote) for the strings blang quotes: ASCII escapes as Go writes them,
// valid UTF-8 kept, other bytes as \x hex.
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  char hex[5];
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_sequence_length(s.substr(i)); n > 0) {
        out += s.substr(i, n);
        i += n;
        continue;
      }
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
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
      default:
        if (c < 0x20 || c >= 0x7F) {
          std::snprintf(hex, sizeof hex, "\\x%02x", c);
          out += hex;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

// strconv.ParseUint(s, 10, 64) for a string of digits, with Go's error text.
std::optional<std::uint64_t> parse_uint64(std::string_view s, std::string* error) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec == std::errc::invalid_argument || end != s.data() + s.size()) {
    if (error != nullptr)
      *error = concat({"strconv.ParseUint: parsing ", go_quote(s), ": invalid syntax"});
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    if (error != nullptr) {
      *error = concat({"strconv.ParseUint: parsing ", go_quote(s), ": value out of range"});
    }
    return std::nullopt;
  }
  return value;
}

// blang's checks on major, minor and patch, in its order.
std::optional<std::uint64_t> parse_version_number(std::string_view s, std::string_view name,
                                                  std::string* error) {
  if (!all_digits(s)) {
    if (error != nullptr) {
      *error = concat({"Invalid character(s) found in ", name, " number ", go_quote(s)});
    }
    return std::nullopt;
  }
  if (s.size() > 1 && s[0] == '0') {
    if (error != nullptr) {
      std::string capitalized(name);
      capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
      *error = concat({capitalized, " number must not contain leading zeroes ", go_quote(s)});
    }
    return std::nullopt;
  }
  return parse_uint64(s, error);
}

// The regular expression's numericIdentifier: 0|[1-9]\d*.
bool is_numeric_identifier(std::string_view s) {
  return !s.empty() && all_digits(s) && (s.size() == 1 || s[0] != '0');
}

// preReleaseIdentifier: a numeric identifier, or [0-9a-zA-Z-]+ with a non-digit.
bool is_prerelease_identifier(std::string_view s) {
  if (all_digits(s)) return is_numeric_identifier(s);
  return all_identifier_chars(s);
}

// buildIdentifier: [0-9a-zA-Z-]+.
bool is_build_identifier(std::string_view s) { return !s.empty() && all_identifier_chars(s); }

// semverRe: ^N.N.N(-P(.P)*)?(\+B(.B)*)?$ with the identifiers above. Neither core nor
// prerelease may contain "+", and the core has no "-", so the first of each splits the text.
bool matches_semver_regex(std::string_view text) {
  std::string_view rest = text;
  if (const std::size_t plus = rest.find('+'); plus != std::string_view::npos) {
    const std::vector<std::string_view> build = split(rest.substr(plus + 1), '.');
    if (!std::all_of(build.begin(), build.end(), is_build_identifier)) return false;
    rest = rest.substr(0, plus);
  }
  if (const std::size_t dash = rest.find('-'); dash != std::string_view::npos) {
    const std::vector<std::string_view> pre = split(rest.substr(dash + 1), '.');
    if (!std::all_of(pre.begin(), pre.end(), is_prerelease_identifier)) return false;
    rest = rest.substr(0, dash);
  }
  const std::vector<std::string_view> core = split(rest, '.');
  return core.size() == 3 && std::all_of(core.begin(), core.end(), is_numeric_identifier);
}

// blang's PRVersion.Compare on identifiers that passed parsing.
int compare_prerelease(const std::string& a, const std::string& b) {
  const bool a_numeric = all_digits(a);
  const bool b_numeric = all_digits(b);
  if (a_numeric != b_numeric) return a_numeric ? -1 : 1;
  // Numeric identifiers have no leading zeros, so the longer one is the larger.
  if (a_numeric && a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return (c > 0) - (c < 0);
}

}  // namespace

std::vector<std::string> Semver::api_errors(std::string_view text) {
  std::vector<std::string> errors;
  if (!matches_semver_regex(text)) {
    errors.emplace_back("must be a string compatible with semver.org spec 2.0.0");
  }
  if (text.size() > kMaxLength) {
    errors.push_back(concat({"may not be more than ", std::to_string(kMaxLength), " bytes"}));
  }
  return errors;
}

std::optional<Semver> Semver::parse(std::string_view text, std::string* error) {
  if (const std::vector<std::string> errors = api_errors(text); !errors.empty()) {
    if (error != nullptr) *error = join(errors, "; ");
    return std::nullopt;
  }
  return parse_cel(text, error);
}

std::optional<Semver> Semver::parse_cel(std::string_view text, std::string* error) {
  auto fail = [error](std::string message) -> std::optional<Semver> {
    if (error != nullptr) *error = std::move(message);
    return std::nullopt;
  };
  if (text.empty()) return fail("Version string empty");
  const std::vector<std::string_view> parts = split(text, '.', 3);
  if (parts.size() != 3) return fail("No Major.Minor.Patch elements found");

  Semver v;
  // blang checks major and minor, then splits "patch-pre+build" (build first), then the rest.
  const std::optional<std::uint64_t> major = parse_version_number(parts[0], "major", error);
  if (!major) return std::nullopt;
  const std::optional<std::uint64_t> minor = parse_version_number(parts[1], "minor", error);
  if (!minor) return std::nullopt;
  std::string_view patch_text = parts[2];
  std::vector<std::string_view> build;
  std::vector<std::string_view> pre;
  if (const std::size_t plus = patch_text.find('+'); plus != std::string_view::npos) {
    build = split(patch_text.substr(plus + 1), '.');
    patch_text = patch_text.substr(0, plus);
  }
  if (const std::size_t dash = patch_text.find('-'); dash != std::string_view::npos) {
    pre = split(patch_text.substr(dash + 1), '.');
    patch_text = patch_text.substr(0, dash);
  }
  const std::optional<std::uint64_t> patch = parse_version_number(patch_text, "patch", error);
  if (!patch) return std::nullopt;
  v.major_ = *major;
  v.minor_ = *minor;
  v.patch_ = *patch;

  for (std::string_view id : pre) {
    if (id.empty()) return fail("Prerelease is empty");
    if (all_digits(id)) {
      if (id.size() > 1 && id[0] == '0') {
        return fail(
            concat({"Numeric PreRelease version must not contain leading zeroes ", go_quote(id)}));
      }
      if (!parse_uint64(id, error)) return std::nullopt;
    } else if (!all_identifier_chars(id)) {
      return fail(concat({"Invalid character(s) found in prerelease ", go_quote(id)}));
    }
    v.pre_.emplace_back(id);
  }
  for (std::string_view id : build) {
    if (id.empty()) return fail("Build meta data is empty");
    if (!all_identifier_chars(id)) {
      return fail(concat({"Invalid character(s) found in build meta data ", go_quote(id)}));
    }
    v.build_.emplace_back(id);
  }
  return v;
}

std::optional<Semver> Semver::parse_cel_normalized(std::string_view text, std::string* error) {
  // semverlib.go's normalizeAndParse, step by step.
  if (!text.empty() && text[0] == 'v') text.remove_prefix(1);
  std::vector<std::string> parts;
  for (std::string_view part : split(text, '.', 3)) {
    std::string p(part);
    if (p.size() > 1) {
      p.erase(0, std::min(p.find_first_not_of('0'), p.size()));
      if (p.empty() || !is_digit(p[0])) p = concat({"0", p});
    }
    parts.push_back(std::move(p));
  }
  if (parts.size() < 3) {
    if (parts.back().find_first_of("+-") != std::string::npos) {
      if (error != nullptr) *error = "short version cannot contain PreRelease/Build meta data";
      return std::nullopt;
    }
    parts.resize(3, "0");
  }
  return parse_cel(join(parts, "."), error);
}

std::string Semver::to_string() const {
  std::string out =
      concat({std::to_string(major_), ".", std::to_string(minor_), ".", std::to_string(patch_)});
  if (!pre_.empty()) out += concat({"-", join(pre_, ".")});
  if (!build_.empty()) out += concat({"+", join(build_, ".")});
  return out;
}

std::weak_ordering operator<=>(const Semver& a, const Semver& b) {
  if (auto c = std::tie(a.major_, a.minor_, a.patch_) <=> std::tie(b.major_, b.minor_, b.patch_);
      c != 0) {
    return c;
  }
  // A release is above its prereleases.
  if (a.pre_.empty() != b.pre_.empty()) {
    return a.pre_.empty() ? std::weak_ordering::greater : std::weak_ordering::less;
  }
  const std::size_t common = std::min(a.pre_.size(), b.pre_.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (const int c = compare_prerelease(a.pre_[i], b.pre_[i]); c != 0) {
      return c < 0 ? std::weak_ordering::less : std::weak_ordering::greater;
    }
  }
  return a.pre_.size() <=> b.pre_.size();
}

}  // namespace dra::k8s
