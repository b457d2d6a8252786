// src/k8s/names.cpp -- name formats (apimachinery util/validation); see names.hpp.
#include "k8s/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dra::k8s {

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

bool is_label(std::string_view v) {
  if (v.empty() || !lower_alnum(v.front()) || !lower_alnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return lower_alnum(c) || c == '-'; });
}

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? (label values and the name part of label keys)
bool is_name_part(std::string_view v) {
  if (v.empty() || !alnum(v.front()) || !alnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(),
                     [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

constexpr std::string_view kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view kNamePartMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

// "must be no more than N characters" (util/validation) or "... bytes" (content).
std::string max_len(size_t n, Helper h) {
  return fmt::format("must be no more than {} {}", n,
                     h == Helper::content ? "bytes" : "characters");
}

// The subdomain pattern alone, without the length limit; `caseless` accepts upper case.
bool subdomain_pattern(std::string_view v, bool caseless) {
  std::string lower;
  if (caseless) {
    lower.assign(v);
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    v = lower;
  }
  if (v.empty()) return false;
  for (size_t start = 0;;) {
    const size_t dot = v.find('.', start);
    if (!is_label(v.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::vector<std::string> dns1123_label(std::string_view v, Helper h) {
  std::vector<std::string> out;
  if (v.size() > 63) out.push_back(max_len(63, h));
  if (!is_label(v)) {
    // A string the subdomain pattern accepts fails only for its dots.
    if (subdomain_pattern(v, false))
      out.push_back("must not contain dots");
    else
      out.emplace_back(kLabelMsg);
  }
  return out;
}

std::vector<std::string> dns1123_subdomain(std::string_view v, Helper h) {
  std::vector<std::string> out;
  if (v.size() > 253) out.push_back(max_len(253, h));
  if (!subdomain_pattern(v, false)) out.emplace_back(kSubdomainMsg);
  return out;
}

std::vector<std::string> dns1123_subdomain_caseless(std::string_view v) {
  std::vector<std::string> out;
  if (v.size() > 253) out.push_back(max_len(253, Helper::content));
  if (!subdomain_pattern(v, true))
    out.emplace_back(
        "an RFC 1123 subdomain must consist of alphanumeric characters, '-' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'Example.com', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  return out;
}

std::vector<std::string> c_identifier(std::string_view v) {
  const bool ok = !v.empty() &&
                  (std::isalpha(static_cast<unsigned char>(v.front())) || v.front() == '_') &&
                  std::all_of(v.begin(), v.end(), [](char c) { return alnum(c) || c == '_'; });
  if (ok) return {};
  return {
      "a valid C identifier must start with alphabetic character or '_', followed by a "
      "string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or "
      "'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"};
}

std::vector<std::string> label_value(std::string_view v) {
  std::vector<std::string> out;
  if (v.size() > 63) out.push_back(max_len(63, Helper::content));
  if (!v.empty() && !is_name_part(v))
    out.push_back(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', "
        "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
        "or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return out;
}

std::vector<std::string> qualified_name(std::string_view v) {
  std::vector<std::string> out;
  std::string_view name = v;
  const size_t slash = v.find('/');
  if (slash != std::string_view::npos) {
    if (v.find('/', slash + 1) != std::string_view::npos) {
      out.push_back("a valid label key " + std::string(kNamePartMsg) +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return out;
    }
    const std::string_view prefix = v.substr(0, slash);
    name = v.substr(slash + 1);
    if (prefix.empty()) {
      out.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& e : dns1123_subdomain(prefix, Helper::content))
        out.push_back("prefix part " + e);
    }
  }
  if (name.empty()) out.push_back("name part must be non-empty");
  if (name.size() > 63) out.push_back("name part must be no more than 63 bytes");
  if (!is_name_part(name)) out.push_back("name part " + std::string(kNamePartMsg));
  return out;
}

}  // namespace dra::k8s
