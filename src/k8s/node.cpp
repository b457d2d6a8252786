// src/k8s/node.cpp -- scalar resolution and the arena behind parsed documents.
#include "k8s/node.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace dra::k8s {
namespace {

bool is_int(std::string_view s) {
  // go-yaml v2: decimal with optional sign, 0x hex, 0o/0 octal, 0b binary, "_" separators.
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i == s.size()) return false;
  std::string_view digits = "0123456789_";
  if (s.substr(i).starts_with("0x")) {
    i += 2;
    digits = "0123456789abcdefABCDEF_";
  } else if (s.substr(i).starts_with("0b")) {
    i += 2;
    digits = "01_";
  } else if (s.substr(i).starts_with("0o")) {
    i += 2;
    digits = "01234567_";
  }
  if (i == s.size()) return false;
  bool any_digit = false;
  for (; i < s.size(); ++i) {
    if (digits.find(s[i]) == std::string_view::npos) return false;
    any_digit = any_digit || s[i] != '_';
  }
  return any_digit;  // "_" and "+_" are strings to go-yaml
}

bool is_float(std::string_view s) {
  static constexpr std::string_view kSpecial[] = {".inf",  ".Inf",  ".INF",  "+.inf",
                                                  "+.Inf", "+.INF", "-.inf", "-.Inf",
                                                  "-.INF", ".nan",  ".NaN",  ".NAN"};
  if (std::find(std::begin(kSpecial), std::end(kSpecial), s) != std::end(kSpecial)) return true;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (i == s.size()) return false;
      for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
      return true;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

ScalarType Node::scalar_type() const {
  if (style != ScalarStyle::Plain || tagged_string) return ScalarType::String;
  const std::string_view s = text;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarType::Null;
  // The YAML 1.1 booleans that go-yaml v2 (and so kubectl) resolves.
  static constexpr std::string_view kBools[] = {
      "true", "True", "TRUE", "false", "False", "FALSE", "y",  "Y",  "yes", "Yes", "YES",
      "n",    "N",    "no",   "No",    "NO",    "on",    "On", "ON", "off", "Off", "OFF"};
  if (s.size() <= 5 && std::find(std::begin(kBools), std::end(kBools), s) != std::end(kBools))
    return ScalarType::Bool;
  if (is_int(s)) return ScalarType::Int;
  if (is_float(s)) return ScalarType::Float;
  return ScalarType::String;
}

std::optional<int64_t> Node::int_value() const {
  std::string_view t = text;
  // The common case, plain decimal, straight from the text.
  if (!t.empty() && t[0] != '+' && t.find_first_of("_xbo") == std::string_view::npos &&
      !(t.size() > 1 && t[0] == '0') && !(t.size() > 2 && t[0] == '-' && t[1] == '0')) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc() && end == t.data() + t.size()) return v;
    return std::nullopt;
  }
  std::string digits;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    if (t[0] == '-') digits += '-';
    t.remove_prefix(1);
  }
  int base = 10;
  if (t.starts_with("0x")) {
    base = 16, t.remove_prefix(2);
  } else if (t.starts_with("0b")) {
    base = 2, t.remove_prefix(2);
  } else if (t.starts_with("0o")) {
    base = 8, t.remove_prefix(2);
  } else if (t.size() > 1 && t[0] == '0' && style == ScalarStyle::Plain) {
    base = 8;
  }
  for (char c : t)
    if (c != '_') digits += c;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

const Node* Node::find(std::string_view k) const {
  if (kind != NodeKind::Mapping) return nullptr;
  for (uint32_t i = 0; i < size; ++i)
    if (key(i).text == k) return &value(i);
  return nullptr;
}

std::string_view describe(const Node& node) {
  switch (node.kind) {
    case NodeKind::Sequence:
      return "a list";
    case NodeKind::Mapping:
      return "a mapping";
    case NodeKind::Scalar:
      break;
  }
  switch (node.scalar_type()) {
    case ScalarType::Null:
      return "null";
    case ScalarType::Bool:
      return "a boolean";
    case ScalarType::Int:
      return "an integer";
    case ScalarType::Float:
      return "a number";
    case ScalarType::String:
      return "a string";
  }
  return "a value";
}

void* Arena::allocate(size_t bytes, size_t align) {
  for (;;) {
    if (block_ < blocks_.size()) {
      size_t at = (used_ + align - 1) & ~(align - 1);
      if (at + bytes <= sizes_[block_]) {
        used_ = at + bytes;
        return blocks_[block_].get() + at;
      }
      ++block_;
      used_ = 0;
      continue;
    }
    size_t size = std::max<size_t>(bytes + align, blocks_.empty() ? 64 * 1024 : sizes_.back() * 2);
    size = std::min<size_t>(size, std::max<size_t>(bytes + align, 16 * 1024 * 1024));
    blocks_.push_back(std::make_unique<char[]>(size));
    sizes_.push_back(size);
    reserved_ += size;
    block_ = blocks_.size() - 1;
    used_ = 0;
  }
}

Node* Arena::nodes(size_t n) {
  if (n == 0) return nullptr;
  Node* p = static_cast<Node*>(allocate(n * sizeof(Node), alignof(Node)));
  for (size_t i = 0; i < n; ++i) new (p + i) Node();
  return p;
}

std::string_view Arena::copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void Arena::reset() {
  // Keep the largest block only, so one huge object does not pin memory for the rest.
  if (blocks_.size() > 1) {
    auto largest = std::max_element(sizes_.begin(), sizes_.end()) - sizes_.begin();
    std::swap(blocks_[0], blocks_[largest]);
    std::swap(sizes_[0], sizes_[largest]);
    blocks_.resize(1);
    sizes_.resize(1);
    reserved_ = sizes_[0];
  }
  block_ = 0;
  used_ = 0;
}

}  // namespace dra::k8s
