// src/author/where.cpp -- `--where` conditions to CEL (where.hpp).
//
// A condition is NAME, !NAME, has(NAME), NAME OP VALUE (OP: = == != >= <= > <), or
// NAME in (V1,V2,...) / NAME notin (...). Every generated read is guarded: has(ref) && ...,
// so a device without the attribute is simply not selected (an unguarded read of a missing
// attribute is a CEL runtime error, which fails the whole scheduling attempt upstream).
#include "author/where.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "k8s/quantity.hpp"
#include "k8s/semver.hpp"
#include "selectors/value.hpp"
#include "util/strings.hpp"

namespace dra::author {

std::string_view to_string(ValueType t) {
  switch (t) {
    case ValueType::String:
      return "string";
    case ValueType::Int:
      return "int";
    case ValueType::Bool:
      return "bool";
    case ValueType::Version:
      return "version";
    case ValueType::Quantity:
      return "capacity";
    case ValueType::Strings:
      return "list of strings";
    case ValueType::Ints:
      return "list of ints";
    case ValueType::Bools:
      return "list of bools";
    case ValueType::Versions:
      return "list of versions";
  }
  return "?";
}

Vocabulary Vocabulary::of(
    const std::vector<std::pair<const k8s::ResourceSlice*, const k8s::Device*>>& devices) {
  Vocabulary v;
  auto add = [&](std::string domain, std::string id, bool capacity, ValueType type) {
    for (const Entry& e : v.entries)
      if (e.domain == domain && e.id == id && e.capacity == capacity && e.type == type) return;
    v.entries.push_back({std::move(domain), std::move(id), capacity, type});
  };
  auto split = [](std::string_view name, std::string_view driver) {
    const size_t slash = name.find('/');
    if (slash == std::string_view::npos) return std::pair(std::string(driver), std::string(name));
    return std::pair(std::string(name.substr(0, slash)), std::string(name.substr(slash + 1)));
  };
  using T = k8s::DeviceAttribute::Type;
  for (const auto& [slice, d] : devices) {
    for (const auto& [name, a] : d->attributes) {
      auto [domain, id] = split(name.view(), slice->spec.driver);
      ValueType t = ValueType::String;
      switch (a.type) {
        case T::Int:
          t = ValueType::Int;
          break;
        case T::Bool:
          t = ValueType::Bool;
          break;
        case T::Version:
          t = ValueType::Version;
          break;
        case T::Ints:
          t = ValueType::Ints;
          break;
        case T::Bools:
          t = ValueType::Bools;
          break;
        case T::Strings:
          t = ValueType::Strings;
          break;
        case T::Versions:
          t = ValueType::Versions;
          break;
        default:
          break;
      }
      add(std::move(domain), std::move(id), false, t);
    }
    for (const auto& [name, c] : d->capacity) {
      auto [domain, id] = split(name.view(), slice->spec.driver);
      add(std::move(domain), std::move(id), true, ValueType::Quantity);
    }
  }
  return v;
}

namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
         c == '/';
}

bool c_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// CEL's reserved words cannot follow a dot.
bool reserved(std::string_view s) {
  static constexpr std::string_view kReserved[] = {
      "as",        "break", "const",  "continue", "else", "false", "for",
      "function",  "if",    "import", "in",       "let",  "loop",  "package",
      "namespace", "null",  "return", "true",     "var",  "void",  "while"};
  return std::find(std::begin(kReserved), std::end(kReserved), s) != std::end(kReserved);
}

bool is_int(std::string_view v) {
  int64_t x = 0;
  const char* b = v.data();
  if (!v.empty() && v[0] == '+') ++b;
  auto [p, ec] = std::from_chars(b, v.data() + v.size(), x);
  return ec == std::errc() && p == v.data() + v.size() && b != v.data() + v.size();
}

bool looks_like_version(std::string_view v) {
  return std::count(v.begin(), v.end(), '.') >= 2 && !v.empty() &&
         std::isdigit(static_cast<unsigned char>(v[0])) && k8s::Semver::parse(v).has_value();
}

// A number with a unit: 40Gi, 400G, 500m (a bare number is an int).
bool looks_like_quantity(std::string_view v) {
  if (v.empty() || is_int(v) || !std::isdigit(static_cast<unsigned char>(v[0]))) return false;
  if (!std::isalpha(static_cast<unsigned char>(v.back()))) return false;
  return k8s::Quantity::parse(v).has_value();
}

struct Literal {
  std::string text;
  size_t column = 1;
  bool quoted = false;
};

enum class Op { None, Eq, Ne, Ge, Le, Gt, Lt, In, NotIn, Has };

std::string_view cel_op(Op op) {
  switch (op) {
    case Op::Ne:
      return "!=";
    case Op::Ge:
      return ">=";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Lt:
      return "<";
    default:
      return "==";
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view domain, const Vocabulary* vocabulary,
         const ParamValues* params)
      : s_(text), domain_(domain), vocab_(vocabulary), params_(params) {}

  WhereResult run() {
    WhereResult out;
    try {
      out.cel = condition();
    } catch (const WhereError& e) {
      out.error = e;
    }
    return out;
  }

 private:
  [[noreturn]] void fail(size_t at, std::string message, std::string hint = {}) const {
    throw WhereError{at + 1, std::move(message), std::move(hint)};
  }
  void skip_spaces() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  std::string condition() {
    skip_spaces();
    if (i_ == s_.size()) fail(i_, "empty condition", "write e.g. model=H100 or memory>=40Gi");
    bool negate = false;
    if (eat("!")) {
      negate = true;
      skip_spaces();
    }
    std::string cel;
    if (s_.substr(i_, 4) == "has(") {
      i_ += 4;
      skip_spaces();
      const size_t at = i_;
      const std::string name = read_name();
      skip_spaces();
      if (!eat(")")) fail(i_, "expected ')' after the name in has(...)");
      end();
      cel = has_of(resolve(name, at, Op::Has, {}));
    } else {
      cel = comparison();
    }
    return negate ? "!(" + cel + ")" : cel;
  }

  void end() {
    skip_spaces();
    if (i_ != s_.size())
      fail(i_, fmt::format("unexpected {:?} after the condition", s_.substr(i_)));
  }

  std::string read_name() {
    const size_t at = i_;
    while (i_ < s_.size() && name_char(s_[i_])) ++i_;
    if (i_ == at) {
      if (i_ == s_.size()) fail(i_, "expected a name");
      fail(i_, fmt::format("expected a name, found {:?}", s_.substr(i_, 1)),
           "names are attribute or capacity names, e.g. model or gpu.example.com/model");
    }
    return std::string(s_.substr(at, i_ - at));
  }

  Literal value() {
    skip_spaces();
    Literal v;
    v.column = i_ + 1;
    if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
      const char q = s_[i_++];
      const size_t close = s_.find(q, i_);
      if (close == std::string_view::npos) fail(v.column - 1, "unterminated quoted value");
      v.text = std::string(s_.substr(i_, close - i_));
      v.quoted = true;
      i_ = close + 1;
      return v;
    }
    const size_t at = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ')') ++i_;
    std::string_view t = s_.substr(at, i_ - at);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
    if (t.empty()) fail(at, "expected a value");
    if (t.front() == '=' || t.front() == '<' || t.front() == '>' || t.front() == '!')
      fail(at, fmt::format("a value does not start with {:?}", t.substr(0, 1)),
           "operators are = != >= <= > <; quote a value that starts with one");
    v.text = std::string(t);
    if (params_ && t.size() > 2 && t.front() == '{' && t.back() == '}') {
      const std::string_view name = t.substr(1, t.size() - 2);
      const auto it = std::find_if(params_->begin(), params_->end(),
                                   [&](const auto& p) { return p.first == name; });
      if (it == params_->end()) fail(at, fmt::format("no parameter {:?}", name));
      v.text = it->second.text;
      v.quoted = it->second.is_string;
    }
    return v;
  }

  std::string comparison() {
    const size_t name_at = i_;
    const std::string name = read_name();
    skip_spaces();
    if (i_ == s_.size()) return compare(resolve(name, name_at, Op::None, {}), Op::None, {});
    const size_t op_at = i_;
    Op op = Op::None;
    if (eat("==") || eat("=")) {
      op = Op::Eq;
    } else if (eat("!=")) {
      op = Op::Ne;
    } else if (eat(">=")) {
      op = Op::Ge;
    } else if (eat("<=")) {
      op = Op::Le;
    } else if (eat(">")) {
      op = Op::Gt;
    } else if (eat("<")) {
      op = Op::Lt;
    } else if (eat("notin")) {
      op = Op::NotIn;
    } else if (eat("in")) {
      op = Op::In;
    } else {
      fail(op_at, fmt::format("expected an operator after {}, found {:?}", name, s_.substr(i_, 1)),
           "operators: = != >= <= > <, in (A,B), notin (A,B)");
    }
    std::vector<Literal> values;
    if (op == Op::In || op == Op::NotIn) {
      skip_spaces();
      if (!eat("(")) fail(i_, "expected '(' after in", "write e.g. model in (A100,H100)");
      for (;;) {
        values.push_back(value());
        skip_spaces();
        if (eat(")")) break;
        if (!eat(",")) fail(i_, "expected ',' or ')' in the list");
      }
    } else {
      values.push_back(value());
    }
    end();
    return compare(resolve(name, name_at, op, values), op, values);
  }

  struct Ref {
    std::string domain, id;
    bool capacity = false;
    ValueType type = ValueType::String;
    size_t column = 0;
  };

  // The name's domain and id, and what it stands for.
  Ref resolve(const std::string& name, size_t at, Op op, const std::vector<Literal>& values) {
    Ref r;
    r.column = at;
    const size_t slash = name.find('/');
    if (slash == std::string::npos) {
      if (domain_.empty())
        fail(at, fmt::format("cannot tell the domain of {}: the class's driver is not known", name),
             fmt::format("qualify it (e.g. gpu.example.com/{}), or give --driver or --against",
                         name));
      r.domain = std::string(domain_);
      r.id = name;
    } else {
      r.domain = name.substr(0, slash);
      r.id = name.substr(slash + 1);
      if (r.domain.empty() || r.id.empty() || r.id.find('/') != std::string::npos)
        fail(at, fmt::format("{:?} is not a name: write ID or DOMAIN/ID", name));
    }
    if (!c_identifier(r.id))
      fail(at + (slash == std::string::npos ? 0 : slash + 1),
           fmt::format("{:?} is not an attribute or capacity name (a C identifier)", r.id));
    if (vocab_) {
      std::vector<const Vocabulary::Entry*> found;
      for (const Vocabulary::Entry& e : vocab_->entries)
        if (e.domain == r.domain && e.id == r.id) found.push_back(&e);
      if (found.empty()) {
        std::vector<std::string> names;
        for (const Vocabulary::Entry& e : vocab_->entries)
          names.push_back(e.domain == domain_ ? e.id : e.domain + "/" + e.id);
        const std::string close = util::did_you_mean(name, names);
        fail(at, fmt::format("no device of the class has {}", name),
             close.empty() ? "" : fmt::format("did you mean {}?", close));
      }
      if (found.size() > 1) {
        std::string kinds;
        for (const auto* e : found)
          kinds += fmt::format(
              "{}{}", kinds.empty() ? "" : ", ",
              e->capacity ? "a capacity" : "a " + std::string(to_string(e->type)) + " attribute");
        fail(at, fmt::format("{} is ambiguous: the class's devices have it as {}", name, kinds));
      }
      r.capacity = found[0]->capacity;
      r.type = found[0]->type;
      return r;
    }
    // No devices to ask: the literal says.
    if (op == Op::None || op == Op::Has) {
      r.type = ValueType::Bool;
      return r;
    }
    auto kind_of = [](const Literal& v) {
      if (v.quoted) return ValueType::String;
      if (v.text == "true" || v.text == "false") return ValueType::Bool;
      if (is_int(v.text)) return ValueType::Int;
      if (looks_like_version(v.text)) return ValueType::Version;
      if (looks_like_quantity(v.text)) return ValueType::Quantity;
      return ValueType::String;
    };
    r.type = kind_of(values.front());
    for (const Literal& v : values)
      if (kind_of(v) != r.type) r.type = ValueType::String;  // mixed lists compare as text
    r.capacity = r.type == ValueType::Quantity;
    return r;
  }

  static std::string quoted(std::string_view s) { return selectors::cel_string_literal(s); }

  // device.attributes["domain"] or device.capacity["domain"].
  static std::string map_of(const Ref& r) {
    return fmt::format("device.{}[{}]", r.capacity ? "capacity" : "attributes", quoted(r.domain));
  }
  static std::string ref_of(const Ref& r) {
    return reserved(r.id) ? fmt::format("{}[{}]", map_of(r), quoted(r.id))
                          : fmt::format("{}.{}", map_of(r), r.id);
  }
  static std::string has_of(const Ref& r) {
    return reserved(r.id) ? fmt::format("{} in {}", quoted(r.id), map_of(r))
                          : fmt::format("has({})", ref_of(r));
  }

  // The CEL literal of `v` as a value of type `t` (a list's element type for lists).
  std::string literal(const Literal& v, ValueType t) const {
    const size_t at = v.column - 1;
    switch (t) {
      case ValueType::Int:
      case ValueType::Ints:
        if (!is_int(v.text)) fail(at, fmt::format("{:?} is not an integer", v.text));
        return v.text.front() == '+' ? v.text.substr(1) : v.text;
      case ValueType::Bool:
      case ValueType::Bools:
        if (v.text != "true" && v.text != "false")
          fail(at, fmt::format("{:?} is not true or false", v.text));
        return v.text;
      case ValueType::Version:
      case ValueType::Versions: {
        std::string error;
        if (!k8s::Semver::parse(v.text, &error))
          fail(at, fmt::format("{:?} is not a semantic version: {}", v.text, error),
               "versions look like 535.104.5 (semver.org 2.0.0)");
        return fmt::format("semver({})", quoted(v.text));
      }
      case ValueType::Quantity: {
        std::string error;
        if (!k8s::Quantity::parse(v.text, &error))
          fail(at, fmt::format("{:?} is not a quantity: {}", v.text, error),
               "quantities look like 40Gi, 400G or 500m");
        return fmt::format("quantity({})", quoted(v.text));
      }
      default:
        return quoted(v.text);
    }
  }

  std::string compare(const Ref& r, Op op, const std::vector<Literal>& values) const {
    const std::string ref = ref_of(r);
    const std::string guard = has_of(r);
    const bool list = r.type == ValueType::Strings || r.type == ValueType::Ints ||
                      r.type == ValueType::Bools || r.type == ValueType::Versions;
    const bool ordered = op == Op::Ge || op == Op::Le || op == Op::Gt || op == Op::Lt;
    const std::string what =
        fmt::format("{} is a {}", r.id,
                    r.capacity ? "capacity" : std::string(to_string(r.type)) + " attribute");
    if (op == Op::None) {
      if (r.type != ValueType::Bool)
        fail(r.column, fmt::format("{}: give a value to compare with", what),
             fmt::format("e.g. {}=VALUE; a bare name is for bool attributes", r.id));
      return fmt::format("{} && {}", guard, ref);
    }
    if (list) {
      if (ordered) fail(r.column, fmt::format("{}: only = != in notin apply", what));
      std::vector<std::string> any;
      for (const Literal& v : values)
        any.push_back(fmt::format("{}.includes({})", ref, literal(v, r.type)));
      const std::string one =
          any.size() == 1 ? any.front() : "(" + fmt::format("{}", fmt::join(any, " || ")) + ")";
      const bool negative = op == Op::Ne || op == Op::NotIn;
      return fmt::format("{} && {}{}", guard, negative ? "!" : "", one);
    }
    if (ordered && (r.type == ValueType::String || r.type == ValueType::Bool))
      fail(r.column, fmt::format("{}: {} does not apply", what, cel_op(op)),
           r.type == ValueType::String ? "strings compare with = != in notin; a version or a "
                                         "quantity needs its literal form (1.2.3, 40Gi)"
                                       : "bools compare with = and !=");
    const bool ranked = r.type == ValueType::Version || r.type == ValueType::Quantity;
    auto one = [&](const Literal& v, Op o) {
      const std::string lit = literal(v, r.type);
      if (ranked) return fmt::format("{}.compareTo({}) {} 0", ref, lit, cel_op(o));
      return fmt::format("{} {} {}", ref, cel_op(o), lit);
    };
    if (op == Op::In || op == Op::NotIn) {
      std::string body;
      if (ranked) {
        std::vector<std::string> any;
        for (const Literal& v : values) any.push_back(one(v, Op::Eq));
        body = "(" + fmt::format("{}", fmt::join(any, " || ")) + ")";
      } else {
        std::vector<std::string> lits;
        for (const Literal& v : values) lits.push_back(literal(v, r.type));
        body = fmt::format("{} in [{}]", ref, fmt::join(lits, ", "));
      }
      return op == Op::In ? fmt::format("{} && {}", guard, body)
                          : fmt::format("{} && !({})", guard, body);
    }
    return fmt::format("{} && {}", guard, one(values.front(), op));
  }

  std::string_view s_;
  std::string_view domain_;
  const Vocabulary* vocab_;
  const ParamValues* params_;
  size_t i_ = 0;
};

}  // namespace

WhereResult where_to_cel(std::string_view condition, std::string_view domain,
                         const Vocabulary* vocabulary, const ParamValues* params) {
  return Parser(condition, domain, vocabulary, params).run();
}

}  // namespace dra::author
