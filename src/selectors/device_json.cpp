// src/selectors/device_json.cpp -- the CEL view of a device from JSON (device_json.hpp).
#include "selectors/device_json.hpp"

#include <fmt/format.h>

#include "k8s/parse.hpp"
#include "k8s/quantity.hpp"
#include "k8s/semver.hpp"

namespace dra::selectors {
namespace {

using Entries = std::vector<std::pair<Value, Value>>;

class Reader {
 public:
  Reader(const std::string& file, util::Diagnostics& diags) : file_(file), diags_(diags) {}

  std::optional<Value> device(const k8s::Node& root) {
    if (!root.is_mapping()) {
      fail(root, fmt::format("the device must be a JSON object, not {}", k8s::describe(root)));
      return std::nullopt;
    }
    Value driver = Value::string("");
    Value allow = Value::boolean(false);
    Value attributes = Value::defaulting_map({});
    Value capacity = Value::defaulting_map({});
    for (uint32_t i = 0; i < root.size; ++i) {
      const k8s::Node& key = root.key(i);
      const k8s::Node& value = root.value(i);
      if (key.text == "driver") {
        if (string_scalar(value)) driver = Value::string(std::string(value.text));
      } else if (key.text == "allowMultipleAllocations") {
        if (value.is_scalar() && value.style == k8s::ScalarStyle::Plain &&
            value.scalar_type() == k8s::ScalarType::Bool) {
          allow = Value::boolean(value.text == "true");
        } else {
          fail(value, "allowMultipleAllocations must be true or false");
        }
      } else if (key.text == "attributes") {
        attributes = domains(value, &Reader::attribute);
      } else if (key.text == "capacity") {
        capacity = domains(value, &Reader::quantity);
      } else {
        fail(key, fmt::format("unknown field \"{}\"", key.text),
             "use driver, attributes, capacity and allowMultipleAllocations");
      }
    }
    if (failed_) return std::nullopt;
    return Value::map({{Value::string("driver"), driver},
                       {Value::string("attributes"), attributes},
                       {Value::string("capacity"), capacity},
                       {Value::string("allowMultipleAllocations"), allow}});
  }

 private:
  void fail(const k8s::Node& at, std::string message, std::string hint = {}) {
    failed_ = true;
    diags_.error({file_, at.pos.line, at.pos.column}, std::move(message), std::move(hint));
  }

  bool string_scalar(const k8s::Node& n) {
    if (n.is_scalar() &&
        (n.style != k8s::ScalarStyle::Plain || n.scalar_type() == k8s::ScalarType::String)) {
      return true;
    }
    fail(n, fmt::format("expected a string, not {}", k8s::describe(n)));
    return false;
  }

  // {"<domain>": {"<name>": X}} into a defaulting map of maps.
  Value domains(const k8s::Node& n, Value (Reader::*read)(const k8s::Node&)) {
    if (!n.is_mapping()) {
      fail(n, fmt::format("expected an object of domains, not {}", k8s::describe(n)));
      return Value::defaulting_map({});
    }
    Entries outer;
    for (uint32_t i = 0; i < n.size; ++i) {
      const k8s::Node& ids = n.value(i);
      if (!ids.is_mapping()) {
        fail(ids, fmt::format("expected an object of names, not {}", k8s::describe(ids)));
        continue;
      }
      Entries inner;
      for (uint32_t j = 0; j < ids.size; ++j) {
        inner.emplace_back(Value::string(std::string(ids.key(j).text)),
                           (this->*read)(ids.value(j)));
      }
      outer.emplace_back(Value::string(std::string(n.key(i).text)), Value::map(std::move(inner)));
    }
    return Value::defaulting_map(std::move(outer));
  }

  Value quantity(const k8s::Node& n) {
    if (!string_scalar(n)) return Value::null();
    std::string error;
    std::optional<k8s::Quantity> q = k8s::Quantity::parse(n.text, &error);
    if (!q) {
      fail(n, fmt::format("capacity \"{}\" is not a quantity: {}", n.text, error),
           "write a quantity such as \"40Gi\", \"8\" or \"1500m\"");
      return Value::null();
    }
    return Value::quantity(*std::move(q));
  }

  Value scalar_attribute(const k8s::Node& n) {
    if (n.is_mapping()) {
      const k8s::Node* v = n.find("version");
      if (n.size != 1 || !v) {
        fail(n, "an object attribute value must be {\"version\": \"MAJOR.MINOR.PATCH\"}");
        return Value::null();
      }
      if (!string_scalar(*v)) return Value::null();
      std::string error;
      std::optional<k8s::Semver> s = k8s::Semver::parse_cel(v->text, &error);
      if (!s) {
        fail(*v, fmt::format("version \"{}\" is not a semantic version: {}", v->text, error));
        return Value::null();
      }
      return Value::semver(*std::move(s));
    }
    if (!n.is_scalar()) {
      fail(n, fmt::format("unsupported attribute value: {}", k8s::describe(n)));
      return Value::null();
    }
    if (n.style != k8s::ScalarStyle::Plain) return Value::string(std::string(n.text));
    switch (n.scalar_type()) {
      case k8s::ScalarType::String:
        return Value::string(std::string(n.text));
      case k8s::ScalarType::Bool:
        return Value::boolean(n.text == "true");
      case k8s::ScalarType::Int:
        if (std::optional<int64_t> i = n.int_value()) return Value::integer(*i);
        fail(n, fmt::format("integer {} does not fit in 64 bits", n.text));
        return Value::null();
      default:
        fail(n, fmt::format("unsupported attribute value {}", n.text),
             "attribute values are strings, integers, booleans or {\"version\": \"...\"}");
        return Value::null();
    }
  }

  Value attribute(const k8s::Node& n) {
    if (!n.is_sequence()) return scalar_attribute(n);
    ListPayload items;
    for (uint32_t i = 0; i < n.size; ++i) {
      if (n.item(i).is_sequence()) {
        fail(n.item(i), "a list attribute cannot contain lists");
        continue;
      }
      items.push_back(scalar_attribute(n.item(i)));
      if (items.size() > 1 && items.back().kind() != items.front().kind()) {
        fail(n.item(i), "the elements of a list attribute must all have the same type");
      }
    }
    return Value::list(std::move(items));
  }

  const std::string& file_;
  util::Diagnostics& diags_;
  bool failed_ = false;
};

}  // namespace

std::optional<Value> device_from_json(const k8s::Node& root, const std::string& file,
                                      util::Diagnostics& diags) {
  return Reader(file, diags).device(root);
}

std::optional<Value> device_from_json_text(std::string_view text, const std::string& file,
                                           util::Diagnostics& diags) {
  std::optional<Value> out;
  size_t objects = 0;
  const bool ok = k8s::parse_objects(
      text, file, k8s::ParseLimits{},
      [&](const k8s::ParsedObject& o) {
        if (++objects == 1) out = device_from_json(o.node, file, diags);
      },
      diags);
  if (!ok) return std::nullopt;
  if (objects != 1) {
    diags.error({file, 1, 1},
                objects == 0 ? "no device object in the file" : "more than one object in the file",
                "give one JSON object: {\"driver\": ..., \"attributes\": ..., \"capacity\": ...}");
    return std::nullopt;
  }
  return out;
}

}  // namespace dra::selectors
