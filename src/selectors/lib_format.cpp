// src/selectors/lib_format.cpp -- the Kubernetes format library (apiserver
// pkg/cel/library/format.go, the kubernetes.NamedFormat type of pkg/cel/format.go): named
// string formats whose validate(s) gives optional.none() or the list of what is wrong, with
// the messages of apimachinery's validation functions and kube-openapi's strfmt checks.
#include <re2/re2.h>

#include <cmath>
#include <iterator>
#include <memory>

#include "selectors/library.hpp"
#include "selectors/netaddr.hpp"

namespace dra::selectors {
namespace {

using net::times_cost_factor;
using Errors = std::vector<std::string>;

bool full_match(std::string_view s, const RE2& re) { return RE2::FullMatch(s, re); }

// ---- apimachinery pkg/util/validation and pkg/api/validate/content

constexpr std::string_view kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kLabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

const RE2& dns1123_label_re() {
  static const RE2 re{std::string(kDns1123LabelFmt)};
  return re;
}
const RE2& dns1123_subdomain_re() {
  static const RE2 re{std::string(kDns1123SubdomainFmt)};
  return re;
}
const RE2& dns1035_label_re() {
  static const RE2 re{std::string(kDns1035LabelFmt)};
  return re;
}
const RE2& label_key_re() {
  static const RE2 re{std::string(kLabelKeyFmt)};
  return re;
}
const RE2& label_value_re() {
  static const RE2 re{std::string(kLabelValueFmt)};
  return re;
}

// RegexError: "<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')".
std::string regex_error(std::string_view msg, std::string_view fmt,
                        std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  out += " (e.g. ";
  bool first = true;
  for (std::string_view e : examples) {
    if (!first) out += " or ";
    first = false;
    out += "'" + std::string(e) + "', ";
  }
  out += "regex used for validation is '" + std::string(fmt) + "')";
  return out;
}

// pkg/util/validation says "characters", pkg/api/validate/content says "bytes"; both count
// bytes.
std::string max_len_chars(int n) {
  return "must be no more than " + std::to_string(n) + " characters";
}
std::string max_len_bytes(int n) { return "must be no more than " + std::to_string(n) + " bytes"; }

constexpr std::string_view kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";

Errors dns1123_label(std::string_view v) {
  Errors errs;
  if (v.size() > 63) errs.push_back(max_len_chars(63));
  if (!full_match(v, dns1123_label_re())) {
    if (full_match(v, dns1123_subdomain_re())) {
      errs.emplace_back("must not contain dots");
    } else {
      errs.push_back(regex_error(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
          "and must start and end with an alphanumeric character",
          kDns1123LabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

Errors dns1123_subdomain(std::string_view v, std::string (*max_len)(int)) {
  Errors errs;
  if (v.size() > 253) errs.push_back(max_len(253));
  if (!full_match(v, dns1123_subdomain_re())) {
    errs.push_back(regex_error(kSubdomainMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

Errors dns1035_label(std::string_view v) {
  Errors errs;
  if (v.size() > 63) errs.push_back(max_len_chars(63));
  if (!full_match(v, dns1035_label_re())) {
    errs.push_back(regex_error(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character",
        kDns1035LabelFmt, {"my-name", "abc-123"}));
  }
  return errs;
}

constexpr std::string_view kLabelKeyMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";

// content.IsLabelKey (what validation.IsQualifiedName is).
Errors qualified_name(std::string_view v) {
  Errors errs;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t slash = v.find('/', start);
    parts.push_back(v.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string_view name;
  if (parts.size() == 1) {
    name = parts[0];
  } else if (parts.size() == 2) {
    name = parts[1];
    if (parts[0].empty()) {
      errs.emplace_back("prefix part must be non-empty");
    } else {
      for (std::string& m : dns1123_subdomain(parts[0], max_len_bytes)) {
        errs.push_back("prefix part " + m);
      }
    }
  } else {
    errs.push_back("a valid label key " +
                   regex_error(kLabelKeyMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.empty()) {
    errs.emplace_back("name part must be non-empty");
  } else if (name.size() > 63) {
    errs.push_back("name part " + max_len_bytes(63));
  }
  if (!full_match(name, label_key_re())) {
    errs.push_back("name part " +
                   regex_error(kLabelKeyMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

Errors label_value(std::string_view v) {
  Errors errs;
  if (v.size() > 63) errs.push_back(max_len_bytes(63));
  if (!full_match(v, label_value_re())) {
    errs.push_back(regex_error(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character",
        kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

// apimachinery's maskTrailingDash, as written: a trailing dash and the character before it
// become one "a" ("ab-" -> "aa").
std::string mask_trailing_dash(std::string_view v) {
  if (v.size() > 1 && v.back() == '-') return std::string(v.substr(0, v.size() - 2)) + "a";
  return std::string(v);
}

// ---- kube-openapi strfmt

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// time.Parse("2006-01-02", s) succeeds.
bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(s[i])) return false;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  return day >= 1 && day <= days;
}

// strfmt.IsDateTime: the lower-cased text split at every "t"; the first piece a date, the
// second a time of day with an optional fraction and a zone; pieces after those are ignored.
bool is_datetime(std::string_view str) {
  if (str.size() < 4) return false;
  std::string lower(str);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const size_t t = lower.find('t');
  if (t == std::string::npos) return false;
  const std::string_view date = std::string_view(lower).substr(0, t);
  const size_t t2 = lower.find('t', t + 1);
  const std::string_view time = std::string_view(lower).substr(t + 1, t2 - t - 1);
  if (!is_date(date)) return false;
  static const RE2 re("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$");
  std::string h, m, sec;
  if (!RE2::PartialMatch(time, re, &h, &m, &sec)) return false;
  return h <= "23" && m <= "59" && sec <= "59";
}

bool is_uuid(std::string_view s) {
  static const RE2 re("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  return RE2::PartialMatch(s, re);
}

bool is_base64(std::string_view s) {
  static const RE2 re(
      "^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$");
  return RE2::PartialMatch(s, re);
}

// ---- the formats

using Validate = Errors (*)(std::string_view);

struct NamedFormat {
  std::string_view key;   // the name format.named() takes: "dns1123Label"
  std::string_view name;  // Format.Name, which equality compares: "DNS1123Label"
  Validate validate;
  int max_regex_size;  // for the runtime cost of validate
};

constexpr NamedFormat kFormats[] = {
    {"dns1123Label", "DNS1123Label", dns1123_label, 30},
    {"dns1123Subdomain", "DNS1123Subdomain",
     [](std::string_view s) { return dns1123_subdomain(s, max_len_chars); }, 60},
    {"dns1035Label", "DNS1035Label", dns1035_label, 30},
    {"qualifiedName", "QualifiedName", qualified_name, 60},
    {"dns1123LabelPrefix", "DNS1123LabelPrefix",
     [](std::string_view s) { return dns1123_label(mask_trailing_dash(s)); }, 30},
    {"dns1123SubdomainPrefix", "DNS1123SubdomainPrefix",
     [](std::string_view s) { return dns1123_subdomain(mask_trailing_dash(s), max_len_chars); },
     60},
    {"dns1035LabelPrefix", "DNS1035LabelPrefix",
     [](std::string_view s) { return dns1035_label(mask_trailing_dash(s)); }, 30},
    {"labelValue", "LabelValue", label_value, 40},
    {"uri", "URI",
     [](std::string_view s) {
       std::string err;
       return net::parse_request_uri(s, &err) ? Errors{} : Errors{err};
     },
     1103},
    {"uuid", "uuid",
     [](std::string_view s) {
       return is_uuid(s) ? Errors{} : Errors{"does not match the UUID format"};
     },
     70},
    {"byte", "byte",
     [](std::string_view s) { return is_base64(s) ? Errors{} : Errors{"invalid base64"}; }, 84},
    {"date", "date",
     [](std::string_view s) { return is_date(s) ? Errors{} : Errors{"invalid date"}; }, 71},
    {"datetime", "datetime",
     [](std::string_view s) { return is_datetime(s) ? Errors{} : Errors{"invalid datetime"}; }, 71},
};

class FormatValue final : public OpaqueValue {
 public:
  explicit FormatValue(const NamedFormat& f) : format(&f) {}
  std::string_view type_name() const override { return "kubernetes.NamedFormat"; }
  bool equal(const OpaqueValue& other) const override {
    return format->name == static_cast<const FormatValue&>(other).format->name;
  }
  std::string debug_string() const override { return "format." + std::string(format->key) + "()"; }
  std::string text() const override { return std::string(format->key); }
  const NamedFormat* format;
};

const NamedFormat* as_format(const Value& v) {
  if (v.kind() != ValueKind::Opaque) return nullptr;
  const auto* f = dynamic_cast<const FormatValue*>(&v.opaque_value());
  return f ? f->format : nullptr;
}

Value format_value(const NamedFormat& f) { return Value::opaque(std::make_shared<FormatValue>(f)); }

template <size_t I>
Value constant(std::span<const Value>) {
  return format_value(kFormats[I]);
}

Value named(std::span<const Value> a) {
  for (const NamedFormat& f : kFormats) {
    if (f.key == a[0].string_value()) return Value::optional_of(format_value(f));
  }
  return Value::optional_none();
}

Value validate(std::span<const Value> a) {
  const NamedFormat* f = as_format(a[0]);
  if (!f) return Value::error("no such overload");
  Errors errs = f->validate(a[1].string_value());
  if (errs.empty()) return Value::optional_none();
  ListPayload list;
  for (std::string& e : errs) list.push_back(Value::string(std::move(e)));
  return Value::optional_of(Value::list(std::move(list)));
}

// A regular-expression match of the string against a pattern of the format's regex size.
uint64_t validate_cost(std::span<const Value> a, const Value&) {
  const NamedFormat* f = as_format(a[0]);
  if (!f) return 1;
  const uint64_t str_cost = static_cast<uint64_t>(
      std::ceil((1.0 + static_cast<double>(net::code_points(a[1].string_value()))) * 0.1));
  const uint64_t regex_cost =
      static_cast<uint64_t>(std::ceil(static_cast<double>(f->max_regex_size) * 0.25));
  return str_cost * regex_cost;
}

// Estimate arguments: the format first, then the string; the regex at its largest (128).
CallEstimate estimate_validate(std::span<const SizeEstimate> a) {
  return {{times_cost_factor(times_cost_factor(a[1].min, 0.1), 128 * 0.25),
           times_cost_factor(times_cost_factor(a[1].max, 0.1), 128 * 0.25)},
          std::nullopt};
}

// The constant formats: each overload id is the function's name (format.go).
constexpr OverloadDecl kLibrary[] = {
    {"format-validate", "kubernetes.NamedFormat.validate(string) -> optional_type(list(string))",
     validate, validate_cost, estimate_validate},
    {"format-named", "format.named(string) -> optional_type(kubernetes.NamedFormat)", named},
    {"format.dns1123Label", "format.dns1123Label() -> kubernetes.NamedFormat", constant<0>},
    {"format.dns1123Subdomain", "format.dns1123Subdomain() -> kubernetes.NamedFormat", constant<1>},
    {"format.dns1035Label", "format.dns1035Label() -> kubernetes.NamedFormat", constant<2>},
    {"format.qualifiedName", "format.qualifiedName() -> kubernetes.NamedFormat", constant<3>},
    {"format.dns1123LabelPrefix", "format.dns1123LabelPrefix() -> kubernetes.NamedFormat",
     constant<4>},
    {"format.dns1123SubdomainPrefix", "format.dns1123SubdomainPrefix() -> kubernetes.NamedFormat",
     constant<5>},
    {"format.dns1035LabelPrefix", "format.dns1035LabelPrefix() -> kubernetes.NamedFormat",
     constant<6>},
    {"format.labelValue", "format.labelValue() -> kubernetes.NamedFormat", constant<7>},
    {"format.uri", "format.uri() -> kubernetes.NamedFormat", constant<8>},
    {"format.uuid", "format.uuid() -> kubernetes.NamedFormat", constant<9>},
    {"format.byte", "format.byte() -> kubernetes.NamedFormat", constant<10>},
    {"format.date", "format.date() -> kubernetes.NamedFormat", constant<11>},
    {"format.datetime", "format.datetime() -> kubernetes.NamedFormat", constant<12>},
};
static_assert(std::size(kLibrary) == std::size(kFormats) + 2);

}  // namespace

std::span<const OverloadDecl> kubernetes_format_library() { return kLibrary; }

}  // namespace dra::selectors
