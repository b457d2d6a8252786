// tests/selectors/lib_format_test.cpp -- the Kubernetes format CEL library. Rows restate, as
// facts, apiserver pkg/cel/library format_test.go (TestFormat, including its generated
// lookup and comparison rows for every pair of named formats) and the format rows of
// cost_test.go (TestNameFormatCost); rows named "ours" pin the apimachinery and strfmt
// validators on inputs those tables do not reach.
#include <catch2/catch.hpp>
#include <string>

#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {
namespace {

using testing::check_cases;
using testing::run_cel;

const OverloadDecl& overload(std::string_view function, std::string_view id) {
  const Function* f = find_function(function);
  REQUIRE(f != nullptr);
  for (const Overload& o : f->overloads) {
    if (o.decl->id == id) return *o.decl;
  }
  FAIL("no overload " << id);
  throw;
}

constexpr std::string_view kFormatNames[] = {
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
};

constexpr std::string_view kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kDns1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kNamePartMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr std::string_view kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// optional.of([...]) of these messages, as run_cel prints it.
std::string errors(std::initializer_list<std::string_view> msgs) {
  std::string out = "optional.of([";
  const char* sep = "";
  for (std::string_view m : msgs) {
    out += sep;
    out += to_debug_string(Value::string(std::string(m)));
    sep = ", ";
  }
  return out + "])";
}

}  // namespace

TEST_CASE("selectors: format library (format_test.go TestFormat rows)", "[selectors]") {
  const std::string label = errors({kLabelMsg});
  const std::string subdomain = errors({kSubdomainMsg});
  const std::string dns1035 = errors({kDns1035Msg});
  check_cases({
      {"example_usage_dns1123Label", R"(format.dns1123Label().validate("my-label-name"))",
       "optional.none()"},
      {"example_usage_dns1123Subdomain",
       R"(format.dns1123Subdomain().validate("apiextensions.k8s.io"))", "optional.none()"},
      {"example_usage_qualifiedName",
       R"(format.qualifiedName().validate("apiextensions.k8s.io/v1beta1"))", "optional.none()"},
      {"example_usage_dns1123LabelPrefix",
       R"(format.dns1123LabelPrefix().validate("my-label-prefix-"))", "optional.none()"},
      {"example_usage_dns1123SubdomainPrefix",
       R"(format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-"))", "optional.none()"},
      {"example_usage_dns1035LabelPrefix",
       R"(format.dns1035LabelPrefix().validate("my-label-prefix-"))", "optional.none()"},
      {"example_usage_uri", R"(format.uri().validate("http://example.com"))", "optional.none()"},
      {"example_usage_uuid", R"(format.uuid().validate("123e4567-e89b-12d3-a456-426614174000"))",
       "optional.none()"},
      {"example_usage_byte", R"(format.byte().validate("aGVsbG8="))", "optional.none()"},
      {"example_usage_date", R"(format.date().validate("2021-01-01"))", "optional.none()"},
      {"example_usage_datetime", R"(format.datetime().validate("2021-01-01T00:00:00Z"))",
       "optional.none()"},
      {"dns1123Label", R"(format.dns1123Label().validate("contains a space"))", label},
      {"dns1123Subdomain", R"(format.dns1123Subdomain().validate("contains a space"))", subdomain},
      {"dns1035Label", R"(format.dns1035Label().validate("contains a space"))", dns1035},
      {"qualifiedName", R"(format.qualifiedName().validate("contains a space"))",
       errors({kNamePartMsg})},
      {"dns1123LabelPrefix", R"(format.dns1123LabelPrefix().validate("contains a space-"))", label},
      {"dns1123SubdomainPrefix", R"(format.dns1123SubdomainPrefix().validate("contains a space-"))",
       subdomain},
      {"dns1035LabelPrefix", R"(format.dns1035LabelPrefix().validate("contains a space-"))",
       dns1035},
      {"dns1123Label_Success", R"(format.dns1123Label().validate("my-label-name"))",
       "optional.none()"},
      {"dns1123Subdomain_Success", R"(format.dns1123Subdomain().validate("example.com"))",
       "optional.none()"},
      {"dns1035Label_Success", R"(format.dns1035Label().validate("my-label-name"))",
       "optional.none()"},
      {"qualifiedName_Success", R"(format.qualifiedName().validate("my.name"))", "optional.none()"},
      {"byte_success", R"(format.byte().validate("aGVsbG8="))", "optional.none()"},
      {"byte_failure", R"(format.byte().validate("aGVsbG8"))", errors({"invalid base64"})},
      {"date_success", R"(format.date().validate("2020-01-01"))", "optional.none()"},
      {"date_failure", R"(format.date().validate("2020-01-32"))", errors({"invalid date"})},
      {"datetime_success", R"(format.datetime().validate("2020-01-01T00:00:00Z"))",
       "optional.none()"},
      {"datetime_failure", R"(format.datetime().validate("2020-01-32T00:00:00Z"))",
       errors({"invalid datetime"})},
      {"unknown_format", R"(format.named("unknown").hasValue())", "false"},
      {"labelValue_success", R"(format.labelValue().validate("my-cool-label-Value"))",
       "optional.none()"},
      {"labelValue_failure", R"(format.labelValue().validate("my-cool-label-Value!!\n\n!!!"))",
       errors({kLabelValueMsg})},
  });
}

TEST_CASE(
    "selectors: format library, lookups and comparisons of every named format "
    "(format_test.go TestFormat generated rows)",
    "[selectors]") {
  for (std::string_view lhs : kFormatNames) {
    const std::string l(lhs);
    INFO(l);
    CHECK(run_cel("format.named(\"" + l + "\").hasValue()") == "true");
    CHECK(run_cel("format.named(\"" + l + "\").value() == format." + l + "()") == "true");
    for (std::string_view rhs : kFormatNames) {
      if (lhs == rhs) continue;
      INFO(rhs);
      CHECK(run_cel("format." + l + "() == format." + std::string(rhs) + "()") == "false");
    }
  }
}

TEST_CASE("selectors: format library validators (ours)", "[selectors]") {
  check_cases({
      {"ours: label with dots", R"(format.dns1123Label().validate("a.b"))",
       errors({"must not contain dots"})},
      {"ours: label too long", "format.dns1123Label().validate('" + std::string(64, 'a') + "')",
       errors({"must be no more than 63 characters"})},
      {"ours: subdomain too long and invalid",
       "format.dns1123Subdomain().validate('" + std::string(254, 'A') + "')",
       errors({"must be no more than 253 characters", kSubdomainMsg})},
      {"ours: prefix mask drops the character before the dash",
       R"(format.dns1123LabelPrefix().validate("a.-"))", "optional.none()"},
      {"ours: a lone dash is not masked", R"(format.dns1123LabelPrefix().validate("-"))",
       errors({kLabelMsg})},
      {"ours: 1035 label must start with a letter", R"(format.dns1035Label().validate("1abc"))",
       errors({kDns1035Msg})},
      {"ours: qualified name with empty prefix", R"(format.qualifiedName().validate("/a"))",
       errors({"prefix part must be non-empty"})},
      {"ours: qualified name with bad prefix", R"(format.qualifiedName().validate("A/a"))",
       errors({"prefix part " + std::string(kSubdomainMsg)})},
      {"ours: qualified name with empty name", R"(format.qualifiedName().validate("a/"))",
       errors({"name part must be non-empty", kNamePartMsg})},
      {"ours: qualified name too long",
       "format.qualifiedName().validate('" + std::string(64, 'a') + "')",
       errors({"name part must be no more than 63 bytes"})},
      {"ours: qualified name with two slashes", R"(format.qualifiedName().validate("a/b/c"))",
       errors({"a valid label key must consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyName',  or "
               "'my.name',  or '123-abc', regex used for validation is "
               "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
               "prefix and '/' (e.g. 'example.com/MyName')"})},
      {"ours: empty label value", R"(format.labelValue().validate(""))", "optional.none()"},
      {"ours: label value too long", "format.labelValue().validate('" + std::string(64, 'a') + "')",
       errors({"must be no more than 63 bytes"})},
      {"ours: uri error", R"(format.uri().validate("relative"))",
       errors({R"(parse "relative": invalid URI for request)"})},
      {"ours: uuid without dashes", R"(format.uuid().validate("123E4567E89B12D3A456426614174000"))",
       "optional.none()"},
      {"ours: uuid too short", R"(format.uuid().validate("123e4567"))",
       errors({"does not match the UUID format"})},
      {"ours: empty base64", R"(format.byte().validate(""))", errors({"invalid base64"})},
      {"ours: leap day", R"(format.date().validate("2024-02-29"))", "optional.none()"},
      {"ours: no leap day", R"(format.date().validate("1900-02-29"))", errors({"invalid date"})},
      {"ours: one-digit month", R"(format.date().validate("2024-1-01"))", errors({"invalid date"})},
      {"ours: datetime with offset and fraction",
       R"(format.datetime().validate("2024-01-01t23:59:59.123+01:00"))", "optional.none()"},
      {"ours: datetime hour 24", R"(format.datetime().validate("2024-01-01T24:00:00Z"))",
       errors({"invalid datetime"})},
      {"ours: datetime without zone", R"(format.datetime().validate("2024-01-01T00:00:00"))",
       errors({"invalid datetime"})},
      {"ours: datetime text after a further t is ignored",
       R"(format.datetime().validate("2024-01-01T00:00:00ZTanything"))", "optional.none()"},
      {"ours: named formats are case-sensitive", R"(format.named("dns1123subdomain"))",
       "optional.none()"},
      {"ours: named", R"(format.named("uuid"))", "optional.of(format.uuid())"},
  });
}

TEST_CASE("selectors: format library costs (cost_test.go TestNameFormatCost)", "[selectors]") {
  const OverloadDecl& validate = overload("validate", "format-validate");
  REQUIRE(validate.cost != nullptr);
  const ParseResult sub = parse(R"(format.dns1123Subdomain())");
  const ParseResult lab = parse(R"(format.dns1123Label())");
  REQUIRE(sub.ok());
  REQUIRE(lab.ok());
  const Value a1[] = {evaluate(*sub.expr, {}), Value::string("my-name")};
  const Value a2[] = {evaluate(*lab.expr, {}), Value::string("my-name")};
  // Upstream totals 17 and 10 include format.named() and value(), 1 each.
  CHECK(validate.cost(std::span<const Value>(a1), Value()) == 15);
  CHECK(validate.cost(std::span<const Value>(a2), Value()) == 8);
  CHECK(overload("format.named", "format-named").cost == nullptr);
  REQUIRE(validate.estimate != nullptr);
  const SizeEstimate e[] = {SizeEstimate{0, 0}, SizeEstimate{7, 7}};
  const CallEstimate est = validate.estimate(std::span<const SizeEstimate>(e));
  CHECK(est.cost.min == 32);  // upstream total 34
  CHECK(est.cost.max == 32);
}

}  // namespace dra::selectors
