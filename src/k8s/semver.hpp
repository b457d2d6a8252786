// src/k8s/semver.hpp -- semantic versions as DRA sees them: the API server's check on a
// device's version attribute (kubernetes pkg/apis/resource/validation, semverRe and at most
// 64 bytes), and the values DRA's CEL compares (github.com/blang/semver/v4).
//
// Where the two disagree:
// - blang/semver has no length limit; the API server rejects more than 64 bytes. CEL's
//   semver("...") and isSemver("...") (apiserver pkg/cel/library/semverlib.go) take any
//   length, hence parse_cel.
// - blang/semver keeps major, minor, patch and numeric prerelease identifiers in uint64 and
//   rejects larger numbers ("18446744073709551616.0.0"); the regular expression takes any
//   number of digits. The API server stores such a version, and DRA then fails to turn it
//   into a CEL value ("parse semantic version: strconv.ParseUint: ... value out of range"),
//   which aborts the allocation; parse reports exactly that case with blang's message.
// - CEL's semver(s, true) first normalizes s (drops one leading "v", leading zeros, fills a
//   missing minor or patch with 0): parse_cel_normalized. Unlike blang's ParseTolerant it
//   does not trim whitespace.
// Otherwise they accept the same strings.
//
// Comparison is blang's Compare, semver 2.0.0 precedence: build metadata is ignored, so
// "1.0.0+a" == "1.0.0+b" here and in CEL. A matchAttribute constraint does not compare
// versions: it compares the attribute strings for equality, build metadata included.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dra::k8s {

class Semver {
 public:
  // resource.DeviceAttributeMaxValueLength: the longest version attribute the API accepts.
  static constexpr std::size_t kMaxLength = 64;

  // The API server's errors for `text` as a version attribute, in its order: "must be a
  // string compatible with semver.org spec 2.0.0" when the semver 2.0.0 regular expression
  // does not match, then "may not be more than 64 bytes" when it is too long. Empty when
  // the API server accepts it.
  static std::vector<std::string> api_errors(std::string_view text);

  // A version attribute as the API server accepts it and DRA's CEL then reads it. Returns
  // nullopt when api_errors(text) is not empty (error: those messages joined by "; "), or
  // when a number does not fit in uint64 (error: blang's message, which DRA reports after
  // "parse semantic version: "; use api_errors to tell the cases apart).
  static std::optional<Semver> parse(std::string_view text, std::string* error = nullptr);

  // blang/semver's Parse: CEL's semver(text) and isSemver(text), and DRA's conversion of a
  // stored version attribute. No length limit. On failure `error` is blang's message,
  // verbatim, as CEL reports it (so capitalized), e.g.
  //   Version string empty
  //   No Major.Minor.Patch elements found
  //   Invalid character(s) found in major number "1a"
  //   Major number must not contain leading zeroes "01"
  //   strconv.ParseUint: parsing "18446744073709551616": value out of range
  //   Prerelease is empty
  //   Numeric PreRelease version must not contain leading zeroes "01"
  //   Build meta data is empty
  // Quoted parts are written as Go's %q writes them.
  static std::optional<Semver> parse_cel(std::string_view text, std::string* error = nullptr);

  // CEL's semver(text, true) and isSemver(text, true): "v1.2" and "01.02.03" become 1.2.0
  // and 1.2.3, then parse_cel. A short version with "-" or "+" fails with "short version
  // cannot contain PreRelease/Build meta data"; other errors are parse_cel's, about the
  // normalized text ("1.0-rc.1" -> Invalid character(s) found in minor number "0-rc").
  static std::optional<Semver> parse_cel_normalized(std::string_view text,
                                                    std::string* error = nullptr);

  std::uint64_t major() const { return major_; }
  std::uint64_t minor() const { return minor_; }
  std::uint64_t patch() const { return patch_; }
  // Dot-separated identifiers after "-" and after "+", as written ("rc", "1").
  const std::vector<std::string>& pre() const { return pre_; }
  const std::vector<std::string>& build() const { return build_; }

  // blang's String(): major.minor.patch[-pre][+build]. Gives back what parse and parse_cel
  // read; for parse_cel_normalized, the normalized form.
  std::string to_string() const;

  // Semver 2.0.0 precedence (blang's Compare): numbers numerically; a version with a
  // prerelease is lower than the same one without; prerelease identifiers compare in turn,
  // numeric ones numerically and below alphanumeric ones, which compare as ASCII strings;
  // a longer run of equal identifiers is higher. Build metadata is ignored, so versions
  // that differ only in it are equivalent but not identical (hence weak ordering).
  friend std::weak_ordering operator<=>(const Semver& a, const Semver& b);
  friend bool operator==(const Semver& a, const Semver& b) {
    return (a <=> b) == std::weak_ordering::equivalent;
  }

 private:
  Semver() = default;

  std::uint64_t major_ = 0;
  std::uint64_t minor_ = 0;
  std::uint64_t patch_ = 0;
  std::vector<std::string> pre_;
  std::vector<std::string> build_;
};

}  // namespace dra::k8s
