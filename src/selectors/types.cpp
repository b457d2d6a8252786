// src/selectors/types.cpp -- parsing, printing and runtime acceptance of checker types.
#include "selectors/types.hpp"

#include <cctype>

#include "selectors/value.hpp"

namespace dra::selectors {
namespace {

struct Named {
  std::string_view name;
  Type::Kind kind;
};
constexpr Named kPrimitives[] = {
    {"dyn", Type::Kind::Dyn},
    {"null_type", Type::Kind::Null},
    {"bool", Type::Kind::Bool},
    {"int", Type::Kind::Int},
    {"uint", Type::Kind::Uint},
    {"double", Type::Kind::Double},
    {"string", Type::Kind::String},
    {"bytes", Type::Kind::Bytes},
    {"google.protobuf.Duration", Type::Kind::Duration},
    {"google.protobuf.Timestamp", Type::Kind::Timestamp},
    {"type", Type::Kind::TypeType},
    {"*error*", Type::Kind::Error},
};

class TypeParser {
 public:
  explicit TypeParser(std::string_view s) : s_(s) {}

  std::optional<Type> parse_all() {
    std::optional<Type> t = parse();
    skip_space();
    if (!t || pos_ != s_.size()) return std::nullopt;
    return t;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  std::optional<Type> parse() {
    skip_space();
    const size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '_' || s_[pos_] == '.' || s_[pos_] == '*')) {
      ++pos_;
    }
    const std::string_view name = s_.substr(start, pos_ - start);
    if (name.empty()) return std::nullopt;
    std::vector<Type> params;
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == '(') {
      ++pos_;
      for (;;) {
        std::optional<Type> p = parse();
        if (!p) return std::nullopt;
        params.push_back(*std::move(p));
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ')') {
          ++pos_;
          break;
        }
        return std::nullopt;
      }
    }
    auto with = [&](Type::Kind k, size_t n) -> std::optional<Type> {
      if (params.size() != n) return std::nullopt;
      return Type{k, {}, std::move(params)};
    };
    if (name == "list") return with(Type::Kind::List, 1);
    if (name == "map") return with(Type::Kind::Map, 2);
    if (name == "optional_type") return with(Type::Kind::Optional, 1);
    if (name == "type" && params.size() == 1) return with(Type::Kind::TypeType, 1);
    if (!params.empty()) return std::nullopt;
    for (const Named& p : kPrimitives) {
      if (p.name == name) return Type::of(p.kind);
    }
    if (name.size() == 1 && std::isupper(static_cast<unsigned char>(name[0])))
      return Type::param(std::string(name));
    if (name == "kubernetes.DRADevice") return Type{Type::Kind::Object, std::string(name), {}};
    if (name.find('.') == std::string_view::npos) return std::nullopt;
    return Type::opaque(std::string(name));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<Type> parse_type(std::string_view text) { return TypeParser(text).parse_all(); }

std::string to_string(const Type& t) {
  switch (t.kind) {
    case Type::Kind::List:
      return "list(" + to_string(t.params[0]) + ")";
    case Type::Kind::Map:
      return "map(" + to_string(t.params[0]) + ", " + to_string(t.params[1]) + ")";
    case Type::Kind::Optional:
      return "optional_type(" + to_string(t.params[0]) + ")";
    case Type::Kind::TypeType:
      return t.params.empty() ? "type" : "type(" + to_string(t.params[0]) + ")";
    case Type::Kind::Opaque:
    case Type::Kind::Object:
    case Type::Kind::Param:
      return t.name;
    default:
      break;
  }
  for (const Named& p : kPrimitives) {
    if (p.kind == t.kind) return std::string(p.name);
  }
  return "?";
}

bool is_library_type_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {"kubernetes.Quantity",
                                                "kubernetes.Semver",
                                                "kubernetes.URL",
                                                "kubernetes.NamedFormat",
                                                "net.IP",
                                                "net.CIDR",
                                                "google.protobuf.Duration",
                                                "google.protobuf.Timestamp"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

bool accepts(const Type& t, const Value& v) {
  const ValueKind k = v.kind();
  switch (t.kind) {
    case Type::Kind::Dyn:
    case Type::Kind::Param:
      return true;
    case Type::Kind::Null:
      return k == ValueKind::Null;
    case Type::Kind::Bool:
      return k == ValueKind::Bool;
    case Type::Kind::Int:
      return k == ValueKind::Int;
    case Type::Kind::Uint:
      return k == ValueKind::Uint;
    case Type::Kind::Double:
      return k == ValueKind::Double;
    case Type::Kind::String:
      return k == ValueKind::String;
    case Type::Kind::Bytes:
      return k == ValueKind::Bytes;
    case Type::Kind::List:
      return k == ValueKind::List;
    case Type::Kind::Map:
      return k == ValueKind::Map;
    case Type::Kind::Optional:
      return k == ValueKind::Optional;
    case Type::Kind::TypeType:
      return k == ValueKind::Type;
    case Type::Kind::Opaque:
      return (k == ValueKind::Quantity || k == ValueKind::Semver || k == ValueKind::Opaque) &&
             type_name(v) == t.name;
    case Type::Kind::Duration:
      return k == ValueKind::Duration;
    case Type::Kind::Timestamp:
      return k == ValueKind::Timestamp;
    case Type::Kind::Object:
    case Type::Kind::Error:
      return false;
  }
  return false;
}

}  // namespace dra::selectors
