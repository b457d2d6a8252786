// src/k8s/model.cpp -- small helpers of the object model.
#include "k8s/model.hpp"

#include <algorithm>

#include "k8s/semver.hpp"

namespace dra::k8s {

Pos Origin::at(std::string_view field) const {
  for (const FieldPos& f : fields)
    if (f.field && field == f.field) return f.pos;
  return pos;
}

const std::string* lookup(const StringMap& m, std::string_view key) {
  for (const auto& [k, v] : m)
    if (k == key) return &v;
  return nullptr;
}

const Quantity* lookup(const ResourceList& m, std::string_view name) {
  for (const auto& [k, v] : m)
    if (k == name) return &v;
  return nullptr;
}

std::optional<ApiVersion> parse_api_version(std::string_view api_version) {
  if (api_version == "resource.k8s.io/v1") return ApiVersion::V1;
  if (api_version == "resource.k8s.io/v1beta2") return ApiVersion::V1beta2;
  if (api_version == "resource.k8s.io/v1beta1") return ApiVersion::V1beta1;
  return std::nullopt;
}

std::string_view to_string(ApiVersion v) {
  switch (v) {
    case ApiVersion::V1:
      return "resource.k8s.io/v1";
    case ApiVersion::V1beta2:
      return "resource.k8s.io/v1beta2";
    case ApiVersion::V1beta1:
      return "resource.k8s.io/v1beta1";
  }
  return "resource.k8s.io/v1";
}

DeviceAttribute DeviceAttribute::of_int(int64_t v) {
  DeviceAttribute a;
  a.type = Type::Int;
  a.scalar_.number = v;
  return a;
}
DeviceAttribute DeviceAttribute::of_bool(bool v) {
  DeviceAttribute a;
  a.type = Type::Bool;
  a.scalar_.number = v ? 1 : 0;
  return a;
}
DeviceAttribute DeviceAttribute::of_string(std::string_view v) {
  DeviceAttribute a;
  a.type = Type::String;
  a.scalar_.text = util::Atom(v).handle();
  return a;
}
DeviceAttribute DeviceAttribute::of_version(std::string_view v) {
  DeviceAttribute a = of_string(v);
  a.type = Type::Version;
  return a;
}
DeviceAttribute DeviceAttribute::of_ints(std::vector<int64_t> v) {
  DeviceAttribute a;
  a.type = Type::Ints;
  a.lists.emplace().ints = std::move(v);
  return a;
}
DeviceAttribute DeviceAttribute::of_bools(std::vector<bool> v) {
  DeviceAttribute a;
  a.type = Type::Bools;
  a.lists.emplace().bools = std::move(v);
  return a;
}
DeviceAttribute DeviceAttribute::of_strings(std::vector<std::string> v) {
  DeviceAttribute a;
  a.type = Type::Strings;
  a.lists.emplace().strings = std::move(v);
  return a;
}
DeviceAttribute DeviceAttribute::of_versions(std::vector<std::string> v) {
  DeviceAttribute a = of_strings(std::move(v));
  a.type = Type::Versions;
  return a;
}

bool operator==(const DeviceAttribute& a, const DeviceAttribute& b) {
  if (a.type != b.type || !(a.lists == b.lists)) return false;
  switch (a.type) {
    case DeviceAttribute::Type::Int:
    case DeviceAttribute::Type::Bool:
      return a.scalar_.number == b.scalar_.number;
    case DeviceAttribute::Type::String:
    case DeviceAttribute::Type::Version:
      return a.scalar_.text == b.scalar_.text;
    default:
      return true;
  }
}

namespace {

// Does the attribute name `written` (as in the slice) name `wanted`? A name without a domain
// belongs to the driver's domain (spec/dra-api.md §8.1).
bool same_qualified_name(std::string_view written, std::string_view wanted,
                         std::string_view driver) {
  if (written == wanted) return true;
  auto split = [&](std::string_view n, std::string_view& domain, std::string_view& id) {
    size_t slash = n.find('/');
    if (slash == std::string_view::npos) {
      domain = driver;
      id = n;
    } else {
      domain = n.substr(0, slash);
      id = n.substr(slash + 1);
    }
  };
  std::string_view d1, i1, d2, i2;
  split(written, d1, i1);
  split(wanted, d2, i2);
  return d1 == d2 && i1 == i2;
}

template <typename List>
auto find_qualified(const List& list, std::string_view qualified, std::string_view driver) -> const
    typename List::value_type::second_type* {
  for (const auto& [name, value] : list)
    if (same_qualified_name(name, qualified, driver)) return &value;
  return nullptr;
}

}  // namespace

bool cel_value_buildable(const Device& device, VersionMemo& memo) {
  using T = DeviceAttribute::Type;
  for (const auto& [name, a] : device.attributes) {
    switch (a.type) {
      case T::None:
        return false;
      case T::Version: {
        const void* h = a.text().handle();
        if (std::find(memo.recent.begin(), memo.recent.end(), h) != memo.recent.end()) break;
        if (!Semver::parse_cel(a.string_value(), nullptr)) return false;
        memo.recent[memo.next++ % memo.recent.size()] = h;
        break;
      }
      case T::Versions:
        for (const std::string& v : a.strings())
          if (!Semver::parse_cel(v, nullptr)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

const DeviceAttribute* Device::attribute(std::string_view qualified,
                                         std::string_view driver) const {
  return find_qualified(attributes, qualified, driver);
}

const DeviceCapacity* Device::capacity_of(std::string_view qualified,
                                          std::string_view driver) const {
  return find_qualified(capacity, qualified, driver);
}

namespace {
std::string to_piece(int64_t v) { return std::to_string(v); }
std::string to_piece(const std::string& v) { return v; }
}  // namespace

std::string to_text(const DeviceAttribute& a) {
  using T = DeviceAttribute::Type;
  auto join = [](const auto& list) {
    std::string s = "[";
    for (size_t i = 0; i < list.size(); ++i) {
      if (i) s += ",";
      if constexpr (std::is_same_v<std::decay_t<decltype(list)>, std::vector<bool>>)
        s += list[i] ? "true" : "false";
      else
        s += to_piece(list[i]);
    }
    return s + "]";
  };
  switch (a.type) {
    case T::Int:
      return std::to_string(a.int_value());
    case T::Bool:
      return a.bool_value() ? "true" : "false";
    case T::String:
    case T::Version:
      return a.text().str();
    case T::Ints:
      return join(a.ints());
    case T::Bools:
      return join(a.bools());
    case T::Strings:
    case T::Versions:
      return join(a.strings());
    case T::None:
      break;
  }
  return "";
}

}  // namespace dra::k8s
