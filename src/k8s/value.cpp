// src/k8s/value.cpp -- owned values and their conversion from parsed nodes.
#include "k8s/value.hpp"

#include "k8s/emit.hpp"
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

RawJson to_raw_json(const Node& node) {
  RawJson r{to_compact_json(to_value(node))};
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
