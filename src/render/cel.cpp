// src/render/cel.cpp -- CEL values as the `cel` command prints them (render/cel.hpp).
#include "render/cel.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "selectors/lib_time.hpp"
#include "util/base64.hpp"

namespace dra::render {
namespace {

using selectors::Value;
using selectors::ValueKind;

constexpr uint64_t kMaxExactDouble = uint64_t{1} << 53;

// The shortest text that reads back as the same double, in JSON number syntax.
std::string json_double(double d) {
  if (std::isnan(d)) return "\"NaN\"";
  if (std::isinf(d)) return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

// A map key as the contract writes it: strings as they are, numbers in decimal, bools as
// "true"/"false".
std::string key_text(const Value& k) {
  switch (k.kind()) {
    case ValueKind::String:
      return k.string_value();
    case ValueKind::Int:
      return std::to_string(k.int_value());
    case ValueKind::Uint:
      return std::to_string(k.uint_value());
    case ValueKind::Bool:
      return k.bool_value() ? "true" : "false";
    default:
      return selectors::to_debug_string(k);
  }
}

}  // namespace

std::string json_quote(std::string_view s) {
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
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string cel_type_name(const Value& v) { return std::string(selectors::type_name(v)); }

std::string cel_value_json(const Value& v) {
  switch (v.kind()) {
    case ValueKind::Null:
      return "null";
    case ValueKind::Bool:
      return v.bool_value() ? "true" : "false";
    case ValueKind::Int: {
      const int64_t i = v.int_value();
      const uint64_t mag = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
      if (mag > kMaxExactDouble) return "\"" + std::to_string(i) + "\"";
      return std::to_string(i);
    }
    case ValueKind::Uint: {
      const uint64_t u = v.uint_value();
      if (u > kMaxExactDouble) return "\"" + std::to_string(u) + "\"";
      return std::to_string(u);
    }
    case ValueKind::Double:
      return json_double(v.double_value());
    case ValueKind::String:
      return json_quote(v.string_value());
    case ValueKind::Bytes:
      return "\"" + util::base64_encode(v.bytes_value()) + "\"";
    case ValueKind::List: {
      std::string out = "[";
      const char* sep = "";
      for (const Value& e : v.list_value()) out += sep + cel_value_json(e), sep = ", ";
      return out + "]";
    }
    case ValueKind::Map: {
      std::string out = "{";
      const char* sep = "";
      for (const auto& [k, e] : v.map_value().entries)
        out += sep + json_quote(key_text(k)) + ": " + cel_value_json(e), sep = ", ";
      return out + "}";
    }
    case ValueKind::Type:
      return json_quote(v.type_name());
    case ValueKind::Optional:
      return v.optional_value() ? cel_value_json(*v.optional_value()) : "null";
    case ValueKind::Error:
      return json_quote(v.error_message());
    case ValueKind::Quantity:
      return json_quote(v.quantity_value().to_string());
    case ValueKind::Semver:
      return json_quote(v.semver_value().to_string());
    case ValueKind::Opaque:
      return json_quote(v.opaque_value().text());
    case ValueKind::Duration:  // string(d): "3600s"
      return json_quote(selectors::format_duration(v.duration_value()));
    case ValueKind::Timestamp:  // string(t): RFC 3339 in its own offset
      return json_quote(selectors::format_timestamp(v.timestamp_value()));
  }
  return "null";
}

std::string cel_result_json(const Value& v) {
  return "{\"type\": " + json_quote(cel_type_name(v)) + ", \"value\": " + cel_value_json(v) + "}";
}

std::string cel_error_json(std::string_view message, selectors::Phase phase) {
  return "{\"error\": " + json_quote(message) + ", \"phase\": \"" +
         std::string(selectors::phase_name(phase)) + "\"}";
}

}  // namespace dra::render
