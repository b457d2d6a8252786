// src/k8s/value.cpp -- owned values and their conversion from parsed nodes.
#include "k8s/value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "k8s/parse.hpp"

namespace dra::k8s {

Value Value::of(bool b) {
  Value v;
  v.kind = Kind::Bool;
  v.boolean = b;
  return v;
}

Value Value::of(int64_t i) {
  Value v;
  v.kind = Kind::Int;
  v.text = std::to_string(i);
  return v;
}

Value Value::of(std::string s) {
  Value v;
  v.kind = Kind::String;
  v.text = std::move(s);
  return v;
}

Value Value::list() {
  Value v;
  v.kind = Kind::List;
  return v;
}

Value Value::map() {
  Value v;
  v.kind = Kind::Map;
  return v;
}

Value& Value::add(std::string key, Value v) {
  fields.emplace_back(std::move(key), std::move(v));
  return fields.back().second;
}

const Value* Value::get(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

bool operator==(const Value& a, const Value& b) {
  return a.kind == b.kind && a.boolean == b.boolean && a.text == b.text && a.items == b.items &&
         a.fields == b.fields;
}

Value to_value(const Node& node) {
  Value v;
  v.pos = node.pos;
  switch (node.kind) {
    case NodeKind::Sequence:
      v.kind = Value::Kind::List;
      v.items.reserve(node.size);
      for (uint32_t i = 0; i < node.size; ++i) v.items.push_back(to_value(node.item(i)));
      return v;
    case NodeKind::Mapping:
      v.kind = Value::Kind::Map;
      v.fields.reserve(node.size);
      for (uint32_t i = 0; i < node.size; ++i)
        v.fields.emplace_back(std::string(node.key(i).text), to_value(node.value(i)));
      return v;
    case NodeKind::Scalar:
      break;
  }
  switch (node.scalar_type()) {
    case ScalarType::Null:
      v.kind = Value::Kind::Null;
      break;
    case ScalarType::Bool:
      v.kind = Value::Kind::Bool;
      v.boolean =
          node.text.size() > 0 &&
          (node.text[0] == 't' || node.text[0] == 'T' || node.text[0] == 'y' ||
           node.text[0] == 'Y' || node.text == "on" || node.text == "On" || node.text == "ON");
      break;
    case ScalarType::Int:
      v.kind = Value::Kind::Int;
      v.text = std::string(node.text);
      break;
    case ScalarType::Float:
      v.kind = Value::Kind::Float;
      v.text = std::string(node.text);
      break;
    case ScalarType::String:
      v.kind = Value::Kind::String;
      v.text = std::string(node.text);
      break;
  }
  return v;
}

namespace {

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
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
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  out += '"';
}

// A YAML number as a JSON number; a string when it has no JSON form (huge ints, .nan).
void json_number(std::string& out, const Node& n) {
  std::string_view t = n.text;
  if (n.scalar_type() == ScalarType::Int) {
    std::string digits;
    bool neg = false;
    if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
      neg = t[0] == '-';
      t.remove_prefix(1);
    }
    int base = 10;
    if (t.starts_with("0x"))
      base = 16, t.remove_prefix(2);
    else if (t.starts_with("0b"))
      base = 2, t.remove_prefix(2);
    else if (t.starts_with("0o"))
      base = 8, t.remove_prefix(2);
    else if (t.size() > 1 && t[0] == '0' && n.style == ScalarStyle::Plain)
      base = 8;
    for (char c : t)
      if (c != '_') digits += c;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      out += std::to_string(neg ? -v : v);
      return;
    }
    return json_string(out, n.text);
  }
  std::string s(n.text);
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  const double d = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(d)) return json_string(out, n.text);
  // Keep JSON's own spelling when it is one; else the shortest exact form.
  if (n.style == ScalarStyle::Plain && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) &&
      s.find_first_of("._") != 0 && s.back() != '.' && s.find(".e") == std::string::npos &&
      s.find(".E") == std::string::npos && !(s.size() > 1 && s[0] == '0' && s[1] != '.')) {
    out += s;
    return;
  }
  out += fmt::format("{}", d);
}

void compact(std::string& out, const Node& n) {
  switch (n.kind) {
    case NodeKind::Mapping:
      out += '{';
      for (uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        json_string(out, n.key(i).text);
        out += ':';
        compact(out, n.value(i));
      }
      out += '}';
      return;
    case NodeKind::Sequence:
      out += '[';
      for (uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        compact(out, n.item(i));
      }
      out += ']';
      return;
    case NodeKind::Scalar:
      break;
  }
  switch (n.scalar_type()) {
    case ScalarType::Null:
      out += "null";
      return;
    case ScalarType::Bool:
      out += to_value(n).boolean ? "true" : "false";
      return;
    case ScalarType::Int:
    case ScalarType::Float:
      return json_number(out, n);
    case ScalarType::String:
      return json_string(out, n.text);
  }
}

}  // namespace

RawJson to_raw_json(const Node& node) {
  RawJson r;
  compact(r.text, node);
  r.text.shrink_to_fit();
  return r;
}

Value RawJson::value() const {
  Value v;
  if (text.empty()) return v;
  util::Diagnostics ignored;  // the text is our own output: always valid
  parse_json(
      text, "<raw>", ParseLimits{}, [&](const ParsedObject& o) { v = to_value(o.node); }, ignored);
  return v;
}

}  // namespace dra::k8s
