// tests/k8s/semver_test.cpp -- Semver against the facts of blang/semver v4's semver_test.go,
// the version-attribute cases of kubernetes' resource validation tests, and the examples
// of apiserver's semverlib.go (tables rewritten as ours; messages checked against upstream).
#include "k8s/semver.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace dra::k8s {
namespace {

const std::string kRegexError = "must be a string compatible with semver.org spec 2.0.0";
const std::string kTooLong = "may not be more than 64 bytes";

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ".") + part;
  return out;
}

// A parsed version; a failed parse fails the test.
Semver v(const std::string& text) {
  std::string error;
  std::optional<Semver> parsed = Semver::parse_cel(text, &error);
  INFO("parse_cel(\"" << text << "\"): " << error);
  REQUIRE(parsed);
  return *parsed;
}

int cmp(const Semver& a, const Semver& b) {
  const auto c = a <=> b;
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

// blang's formatTests with TestParse and TestStringer: the parts, and back to the text.
TEST_CASE("semver: parse splits a version into its parts", "[k8s]") {
  struct Row {
    const char* text;
    std::uint64_t major, minor, patch;
    const char* pre;
    const char* build;
  };
  const Row rows[] = {
      {"1.2.3", 1, 2, 3, "", ""},
      {"0.0.1", 0, 0, 1, "", ""},
      {"0.0.1-alpha.preview+123.456", 0, 0, 1, "alpha.preview", "123.456"},
      {"1.2.3-alpha.1+123.456", 1, 2, 3, "alpha.1", "123.456"},
      {"1.2.3-alpha.1", 1, 2, 3, "alpha.1", ""},
      {"1.2.3+123.456", 1, 2, 3, "", "123.456"},
      {"1.2.3-alpha.b-eta+123.b-uild", 1, 2, 3, "alpha.b-eta", "123.b-uild"},
      {"1.2.3+123.b-uild", 1, 2, 3, "", "123.b-uild"},
      {"1.2.3-alpha.b-eta", 1, 2, 3, "alpha.b-eta", ""},
      {"1.2.3--", 1, 2, 3, "-", ""},
      {"1.2.3-0a.00a+001", 1, 2, 3, "0a.00a", "001"},
      {"18446744073709551615.0.0", std::numeric_limits<std::uint64_t>::max(), 0, 0, "", ""},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    for (const bool api : {true, false}) {
      std::string error;
      const std::optional<Semver> got =
          api ? Semver::parse(row.text, &error) : Semver::parse_cel(row.text, &error);
      INFO((api ? "parse: " : "parse_cel: ") << error);
      REQUIRE(got);
      CHECK(got->major() == row.major);
      CHECK(got->minor() == row.minor);
      CHECK(got->patch() == row.patch);
      CHECK(joined(got->pre()) == row.pre);
      CHECK(joined(got->build()) == row.build);
      CHECK(got->to_string() == row.text);
    }
  }
}

// blang's compareTests (semver.org's precedence examples) in both orders.
TEST_CASE("semver: precedence", "[k8s]") {
  const std::tuple<const char*, const char*, int> rows[] = {
      {"1.0.0", "1.0.0", 0},
      {"2.0.0", "1.0.0", 1},
      {"0.1.0", "0.1.0", 0},
      {"0.2.0", "0.1.0", 1},
      {"0.0.1", "0.0.1", 0},
      {"0.0.2", "0.0.1", 1},
      {"1.2.3", "1.2.3", 0},
      {"2.2.4", "1.2.4", 1},
      {"1.3.3", "1.2.3", 1},
      {"1.2.4", "1.2.3", 1},
      {"1.0.0", "2.0.0", -1},
      {"2.0.0", "2.1.0", -1},
      {"2.1.0", "2.1.1", -1},
      {"1.0.0", "1.0.0-alpha", 1},
      {"1.0.0-alpha", "1.0.0-alpha.1", -1},
      {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
      {"1.0.0-alpha.beta", "1.0.0-beta", -1},
      {"1.0.0-beta", "1.0.0-beta.2", -1},
      {"1.0.0-beta.2", "1.0.0-beta.11", -1},
      {"1.0.0-beta.11", "1.0.0-rc.1", -1},
      {"1.0.0-rc.1", "1.0.0", -1},
      {"1.0.0+1.2.3", "1.0.0", 0},  // build metadata has no precedence
      {"1.0.0+a", "1.0.0+b", 0},
      {"1.0.0-rc.1+a", "1.0.0-rc.1", 0},
      // Numeric identifiers compare as numbers and below alphanumeric ones, which compare
      // as ASCII strings.
      {"1.0.0-18446744073709551615", "1.0.0-9", 1},
      {"1.0.0-9", "1.0.0-a", -1},
      {"1.0.0-A", "1.0.0-a", -1},
      {"1.0.0--", "1.0.0-0a", -1},
      {"1.0.0-0a", "1.0.0-1", 1},
      {"10.0.0", "9.0.0", 1},
  };
  for (const auto& [a, b, want] : rows) {
    INFO(a << " <=> " << b);
    CHECK(cmp(v(a), v(b)) == want);
    CHECK(cmp(v(b), v(a)) == -want);
    CHECK((v(a) == v(b)) == (want == 0));
  }
}

// blang's wrongformatTests: blang's message (what CEL's semver() reports), and what the
// API server says of the same text.
TEST_CASE("semver: invalid versions, with blang's and the API server's messages", "[k8s]") {
  const std::string syntax = "strconv.ParseUint: parsing \"\": invalid syntax";
  const std::string range =
      "strconv.ParseUint: parsing \"20000000000000000000\": value out of range";
  struct Row {
    const char* text;
    std::string cel_error;
    std::string api_error;  // parse's message
  };
  const Row rows[] = {
      {"", "Version string empty", kRegexError},
      {".", "No Major.Minor.Patch elements found", kRegexError},
      {"1.", "No Major.Minor.Patch elements found", kRegexError},
      {".1", "No Major.Minor.Patch elements found", kRegexError},
      {"a.b.c", "Invalid character(s) found in major number \"a\"", kRegexError},
      {"1.a.b", "Invalid character(s) found in minor number \"a\"", kRegexError},
      {"1.1.a", "Invalid character(s) found in patch number \"a\"", kRegexError},
      {"1.a.1", "Invalid character(s) found in minor number \"a\"", kRegexError},
      {"a.1.1", "Invalid character(s) found in major number \"a\"", kRegexError},
      {"..", syntax, kRegexError},
      {"1..", syntax, kRegexError},
      {"1.1.", syntax, kRegexError},
      {"1..1", syntax, kRegexError},
      {"1.1.+123", syntax, kRegexError},
      {"1.1.-beta", syntax, kRegexError},
      {"-1.1.1", "Invalid character(s) found in major number \"-1\"", kRegexError},
      {"1.-1.1", "Invalid character(s) found in minor number \"-1\"", kRegexError},
      {"1.1.-1", syntax, kRegexError},
      // Numbers beyond uint64: the API server accepts them, blang does not.
      {"20000000000000000000.1.1", range, range},
      {"1.20000000000000000000.1", range, range},
      {"1.1.20000000000000000000", range, range},
      {"1.1.1-20000000000000000000", range, range},
      {"18446744073709551616.0.0",
       "strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
       "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
      // Leading zeroes.
      {"01.1.1", "Major number must not contain leading zeroes \"01\"", kRegexError},
      {"001.1.1", "Major number must not contain leading zeroes \"001\"", kRegexError},
      {"1.01.1", "Minor number must not contain leading zeroes \"01\"", kRegexError},
      {"1.001.1", "Minor number must not contain leading zeroes \"001\"", kRegexError},
      {"1.1.01", "Patch number must not contain leading zeroes \"01\"", kRegexError},
      {"1.1.001", "Patch number must not contain leading zeroes \"001\"", kRegexError},
      {"1.1.1-01", "Numeric PreRelease version must not contain leading zeroes \"01\"",
       kRegexError},
      {"1.1.1-001", "Numeric PreRelease version must not contain leading zeroes \"001\"",
       kRegexError},
      {"1.1.1-beta.01", "Numeric PreRelease version must not contain leading zeroes \"01\"",
       kRegexError},
      {"1.1.1-beta.001", "Numeric PreRelease version must not contain leading zeroes \"001\"",
       kRegexError},
      {"0.0.0-!", "Invalid character(s) found in prerelease \"!\"", kRegexError},
      {"0.0.0+!", "Invalid character(s) found in build meta data \"!\"", kRegexError},
      {"0.0.0-.alpha", "Prerelease is empty", kRegexError},
      {"0.0.0-alpha+", "Build meta data is empty", kRegexError},
      {"0.0.0-alpha+test.", "Build meta data is empty", kRegexError},
      // More: non-ASCII, two "+", whitespace, and Go's quoting of control characters.
      {"1.2.3-\xc3\xa9", "Invalid character(s) found in prerelease \"\xc3\xa9\"", kRegexError},
      {"1.2.3+a+b", "Invalid character(s) found in build meta data \"a+b\"", kRegexError},
      {"1.2", "No Major.Minor.Patch elements found", kRegexError},
      {"v1.2.3", "Invalid character(s) found in major number \"v1\"", kRegexError},
      {"1.2.3\n", "Invalid character(s) found in patch number \"3\\n\"", kRegexError},
      {"1.2.3-a\x01", "Invalid character(s) found in prerelease \"a\\x01\"", kRegexError},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    std::string error;
    CHECK_FALSE(Semver::parse_cel(row.text, &error));
    CHECK(error == row.cel_error);
    error.clear();
    CHECK_FALSE(Semver::parse(row.text, &error));
    CHECK(error == row.api_error);
  }
}

// The version-attribute cases of kubernetes' resource validation tests
// (validation_resourceslice_test.go, and the older named-resources tests).
TEST_CASE("semver: api_errors as the API server validates a version attribute", "[k8s]") {
  const std::string too_long_text(Semver::kMaxLength + 1, 'x');
  const std::string long_version = std::string("1.0.0-").append(Semver::kMaxLength - 6, 'a');
  const std::pair<std::string, std::vector<std::string>> rows[] = {
      {"1.0.0", {}},
      {"1.0.0-beta", {}},
      {"1.0.0-beta.1", {}},
      {"1.0.0+build", {}},
      {"1.0.0+build.1", {}},
      {"1.0.0-beta.1+build.1", {}},
      {"1.2.3", {}},
      {"1.0", {kRegexError}},
      {"01.0.0", {kRegexError}},
      {"1.00.0", {kRegexError}},
      {"1.0.00", {kRegexError}},
      {" 1.0.0 ", {kRegexError}},
      {too_long_text, {kRegexError, kTooLong}},
      // Exactly 64 bytes passes; 65 is too long even when well formed.
      {long_version, {}},
      {long_version + "a", {kTooLong}},
      // Any number of digits matches the regular expression.
      {"99999999999999999999.0.0", {}},
  };
  for (const auto& [text, errors] : rows) {
    INFO(text);
    CHECK(Semver::api_errors(text) == errors);
  }
}

// Where the API server and blang/semver part ways (see semver.hpp).
TEST_CASE("semver: parse is the API server's rule, parse_cel blang's", "[k8s]") {
  const std::string long_version = std::string("1.0.0-").append(Semver::kMaxLength, 'a');
  std::string error;
  CHECK_FALSE(Semver::parse(long_version, &error));
  CHECK(error == kTooLong);
  REQUIRE(Semver::parse_cel(long_version));
  CHECK(Semver::parse_cel(long_version)->to_string() == long_version);

  const std::string many = std::string(Semver::kMaxLength + 1, 'x');
  CHECK_FALSE(Semver::parse(many, &error));
  CHECK(error == kRegexError + "; " + kTooLong);

  CHECK(Semver::api_errors("18446744073709551616.0.0").empty());
  CHECK_FALSE(Semver::parse("18446744073709551616.0.0", &error));
  CHECK(error == "strconv.ParseUint: parsing \"18446744073709551616\": value out of range");
}

// blang's tolerantFormatTests and wrongTolerantFormatTests, and semverlib.go's examples, as
// CEL's semver(s, true) normalizes: unlike blang's ParseTolerant it keeps whitespace.
TEST_CASE("semver: parse_cel_normalized", "[k8s]") {
  const std::pair<const char*, const char*> good[] = {
      {"v1.2.3", "1.2.3"},   {"1.2.0-alpha", "1.2.0-alpha"},
      {"1.2.00", "1.2.0"},   {"01.02.03", "1.2.3"},
      {"00.0.03", "0.0.3"},  {"000.0.03", "0.0.3"},
      {"1.2", "1.2.0"},      {"1", "1.0.0"},
      {"v1.0.0", "1.0.0"},   {"1.0", "1.0.0"},
      {"01.01.01", "1.1.1"}, {"1.2.03-rc", "1.2.3-rc"},
      {"v0", "0.0.0"},       {"1.2.3+build", "1.2.3+build"},
  };
  for (const auto& [text, normalized] : good) {
    INFO(text);
    std::string error;
    const std::optional<Semver> got = Semver::parse_cel_normalized(text, &error);
    INFO(error);
    REQUIRE(got);
    CHECK(got->to_string() == normalized);
  }
  const std::pair<const char*, const char*> bad[] = {
      {"1.0+abc", "short version cannot contain PreRelease/Build meta data"},
      {"1.0-rc.1", "Invalid character(s) found in minor number \"0-rc\""},
      {"\t1.2.3 ", "Invalid character(s) found in major number \"0\\t1\""},
      {"", "strconv.ParseUint: parsing \"\": invalid syntax"},
      {"vv1.2.3", "Invalid character(s) found in major number \"0v1\""},
      {"1.2.3-01", "Numeric PreRelease version must not contain leading zeroes \"01\""},
  };
  for (const auto& [text, message] : bad) {
    INFO(text);
    std::string error;
    CHECK_FALSE(Semver::parse_cel_normalized(text, &error));
    CHECK(error == message);
  }
}

TEST_CASE("semver: equal versions may print differently", "[k8s]") {
  const Semver a = v("1.0.0+a");
  const Semver b = v("1.0.0+b");
  CHECK(a == b);
  CHECK(a.to_string() != b.to_string());  // a matchAttribute constraint tells them apart
  CHECK_FALSE(a < b);
  CHECK_FALSE(b < a);
}

}  // namespace dra::k8s
