// src/selectors/device.cpp -- builds the CEL view of a device (cel/compile.go upstream).
#include "selectors/device.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dra::selectors {
namespace {

using Entries = std::vector<std::pair<Value, Value>>;
struct Domain {
  std::string_view name;  // a view into the device's name atom or the driver
  Entries entries;
};
using Domains = std::vector<Domain>;

// A string Value for a map key: shared through `cache` when there is one (the same keys
// repeat on every device).
Value text_key(std::string_view text, DeviceValueCache* cache) {
  if (!cache) return Value::string(std::string(text));
  auto it = cache->texts.find(text);
  if (it == cache->texts.end())
    it = cache->texts.emplace(text, Value::string(std::string(text))).first;
  return it->second;
}

// Adds `value` under domain -> id, keeping domains and ids in first-seen order. `name` is
// "domain/id" or a bare "id" of `driver`'s domain.
void put(Domains& domains, util::Atom name, std::string_view driver, Value value, size_t expected,
         DeviceValueCache* cache) {
  const std::string_view qualified = name.view();
  std::string_view domain = driver, id = qualified;
  if (const size_t slash = qualified.find('/'); slash != std::string_view::npos) {
    domain = qualified.substr(0, slash);
    id = qualified.substr(slash + 1);
  }
  Domain* d = nullptr;
  for (Domain& e : domains)
    if (e.name == domain) d = &e;
  if (!d) {
    d = &domains.emplace_back(Domain{domain, {}});
    d->entries.reserve(expected);
  }
  Value key;
  if (cache) {
    auto [it, fresh] = cache->ids.try_emplace(name.handle());
    if (fresh) it->second = Value::string(std::string(id));
    key = it->second;
  } else {
    key = Value::string(std::string(id));
  }
  d->entries.emplace_back(std::move(key), std::move(value));
}

Value outer_map(Domains domains, DeviceValueCache* cache) {
  Entries outer;
  outer.reserve(domains.size());
  for (Domain& d : domains)
    outer.emplace_back(text_key(d.name, cache), Value::map(std::move(d.entries)));
  return Value::defaulting_map(std::move(outer));
}

Value attribute_error(std::string_view name, std::string_view detail) {
  return Value::error("attribute " + std::string(name) + ": " + std::string(detail));
}

// A version attribute, parsed as blang/semver's Parse (strict), as upstream converts it.
Value version(std::string_view name, std::string_view text) {
  std::string error;
  std::optional<k8s::Semver> v = k8s::Semver::parse_cel(text, &error);
  if (!v) return attribute_error(name, "parse semantic version: " + error);
  return Value::semver(std::move(*v));
}

Value attribute(std::string_view name, const k8s::DeviceAttribute& a, DeviceValueCache* cache) {
  using T = k8s::DeviceAttribute::Type;
  switch (a.type) {
    case T::Int:
      return Value::integer(a.int_value());
    case T::Bool:
      return Value::boolean(a.bool_value());
    case T::String:
      if (cache) {
        auto [it, fresh] = cache->strings.try_emplace(a.text().handle());
        if (fresh) it->second = Value::string(std::string(a.string_value()));
        return it->second;
      }
      return Value::string(std::string(a.string_value()));
    case T::Version:
      if (cache) {
        // Errors name the attribute: only successful parses are shared.
        auto it = cache->versions.find(a.text().handle());
        if (it != cache->versions.end()) return it->second;
        Value v = version(name, a.string_value());
        if (!v.is_error()) cache->versions.emplace(a.text().handle(), v);
        return v;
      }
      return version(name, a.string_value());
    case T::Ints: {
      ListPayload items;
      for (int64_t i : a.ints()) items.push_back(Value::integer(i));
      return Value::list(std::move(items));
    }
    case T::Bools: {
      ListPayload items;
      for (bool b : a.bools()) items.push_back(Value::boolean(b));
      return Value::list(std::move(items));
    }
    case T::Strings: {
      ListPayload items;
      for (const std::string& s : a.strings()) items.push_back(Value::string(s));
      return Value::list(std::move(items));
    }
    case T::Versions: {
      ListPayload items;
      for (const std::string& s : a.strings()) {
        Value v = version(name, s);
        if (v.is_error()) return v;
        items.push_back(std::move(v));
      }
      return Value::list(std::move(items));
    }
    case T::None:
      break;
  }
  return attribute_error(name, "unsupported attribute value");
}

}  // namespace

namespace {

Value build(const k8s::Device& device, std::string_view driver, DeviceValueCache* cache) {
  Domains attributes;
  for (const auto& [name, a] : device.attributes) {
    Value v = attribute(name.view(), a, cache);
    if (v.is_error()) return v;
    put(attributes, name, driver, std::move(v), device.attributes.size(), cache);
  }
  Domains capacity;
  for (const auto& [name, c] : device.capacity)
    put(capacity, name, driver, Value::quantity(c.value), device.capacity.size(), cache);
  Entries fields;
  fields.reserve(4);
  fields.emplace_back(text_key("driver", cache), text_key(driver, cache));
  fields.emplace_back(text_key("attributes", cache), outer_map(std::move(attributes), cache));
  fields.emplace_back(text_key("capacity", cache), outer_map(std::move(capacity), cache));
  fields.emplace_back(text_key("allowMultipleAllocations", cache),
                      Value::boolean(device.allow_multiple_allocations.value_or(false)));
  return Value::map(std::move(fields));
}

}  // namespace

Value device_value(const k8s::Device& device, std::string_view driver) {
  return build(device, driver, nullptr);
}

Value device_value(const k8s::Device& device, std::string_view driver, DeviceValueCache& cache) {
  return build(device, driver, &cache);
}

}  // namespace dra::selectors
