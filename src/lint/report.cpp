// src/lint/report.cpp -- field errors as the API server words them.
#include "lint/report.hpp"

#include <algorithm>
#include <cctype>

namespace dra::lint {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

// "prefix[N].rest": the index N and where the rest starts, when `path` begins with prefix
// followed by an index.
bool indexed(std::string_view path, std::string_view prefix, size_t* rest) {
  if (!path.starts_with(prefix) || path.size() <= prefix.size() || path[prefix.size()] != '[')
    return false;
  const size_t close = path.find(']', prefix.size());
  if (close == std::string_view::npos) return false;
  *rest = close + 1;
  return true;
}

}  // namespace

std::string versioned_path(std::string_view path, k8s::ApiVersion version) {
  if (version != k8s::ApiVersion::V1beta1) return std::string(path);
  size_t rest = 0;
  for (std::string_view claim : {"spec.devices.requests", "spec.spec.devices.requests"}) {
    if (!indexed(path, claim, &rest)) continue;
    std::string_view tail = path.substr(rest);
    if (tail.starts_with(".exactly")) tail.remove_prefix(8);  // ".exactly.count" -> ".count"
    return std::string(path.substr(0, rest)) + std::string(tail);
  }
  if (indexed(path, "spec.devices", &rest)) {
    const std::string_view tail = path.substr(rest);
    if (tail.empty() || tail == ".name" || tail.starts_with(".name.")) return std::string(path);
    return std::string(path.substr(0, rest)) + ".basic" + std::string(tail);
  }
  return std::string(path);
}

void Report::add(Severity s, std::string_view rule, const std::string& v1_path, k8s::Pos pos,
                 std::string message) {
  if (std::find(options_.disabled.begin(), options_.disabled.end(), rule) !=
      options_.disabled.end())
    return;
  Finding f;
  f.file = file_;
  f.line = pos.line;
  f.column = pos.column;
  f.severity = s;
  f.rule = std::string(rule);
  f.path = versioned_path(v1_path, version_);
  f.message = std::move(message);
  f.object = object_;
  out_.push_back(std::move(f));
}

void Report::required(const std::string& path, k8s::Pos pos, std::string_view detail) {
  add(Severity::Error, "api", path, pos,
      detail.empty() ? "Required value" : fmt::format("Required value: {}", detail));
}
void Report::invalid(const std::string& path, k8s::Pos pos, std::string_view value,
                     std::string_view detail) {
  add(Severity::Error, "api", path, pos, fmt::format("Invalid value: {}: {}", value, detail));
}
void Report::duplicate(const std::string& path, k8s::Pos pos, std::string_view value) {
  add(Severity::Error, "api", path, pos, fmt::format("Duplicate value: {}", value));
}
void Report::too_many(const std::string& path, k8s::Pos pos, size_t actual, size_t max) {
  add(Severity::Error, "api", path, pos,
      fmt::format("Too many: {}: must have at most {} items", actual, max));
}
void Report::too_long(const std::string& path, k8s::Pos pos, size_t max, std::string_view unit) {
  add(Severity::Error, "api", path, pos,
      fmt::format("Too long: may not be more than {} {}", max, unit));
}
void Report::not_supported(const std::string& path, k8s::Pos pos, std::string_view value,
                           const std::vector<std::string_view>& supported) {
  std::string list;
  for (std::string_view s : supported) list += (list.empty() ? "" : ", ") + quote(s);
  add(Severity::Error, "api", path, pos,
      fmt::format("Unsupported value: {}: supported values: {}", value, list));
}
void Report::forbidden(const std::string& path, k8s::Pos pos, std::string_view detail) {
  add(Severity::Error, "api", path, pos, fmt::format("Forbidden: {}", detail));
}
void Report::not_found(const std::string& path, k8s::Pos pos, std::string_view value) {
  add(Severity::Error, "api", path, pos, fmt::format("Not found: {}", value));
}
void Report::warning(std::string_view rule, const std::string& path, k8s::Pos pos,
                     std::string message) {
  add(Severity::Warning, rule, path, pos, std::move(message));
}

}  // namespace dra::lint
