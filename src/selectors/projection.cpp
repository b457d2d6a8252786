// src/selectors/projection.cpp -- the device paths a selector reads (projection.hpp).
#include "selectors/projection.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace dra::selectors {
namespace {

bool is_device(const Expr& e) { return e.kind == ExprKind::Ident && e.name == "device"; }

const std::string* string_literal(const Expr& e) {
  if (e.kind != ExprKind::Literal || e.constant.kind != Constant::Kind::String) return nullptr;
  return &e.constant.bytes;
}

// `e` is one whole path: device.driver, device.allowMultipleAllocations, or
// device.attributes|capacity["domain"] followed by .name or ["name"].
bool match_path(const Expr& e, DevicePath& p) {
  if (e.kind == ExprKind::Select && !e.optional && e.args.size() == 1 && is_device(e.args[0])) {
    if (e.name == "driver") {
      p.kind = DevicePath::Kind::Driver;
      return true;
    }
    if (e.name == "allowMultipleAllocations") {
      p.kind = DevicePath::Kind::AllowMultipleAllocations;
      return true;
    }
    return false;
  }
  const std::string* name = nullptr;
  if (e.kind == ExprKind::Select && !e.optional && e.args.size() == 1) {
    name = &e.name;
  } else if (e.kind == ExprKind::Index && !e.optional && e.args.size() == 2) {
    name = string_literal(e.args[1]);
  }
  if (!name) return false;
  const Expr& in_domain = e.args[0];
  if (in_domain.kind != ExprKind::Index || in_domain.optional || in_domain.args.size() != 2)
    return false;
  const std::string* domain = string_literal(in_domain.args[1]);
  const Expr& field = in_domain.args[0];
  if (!domain || field.kind != ExprKind::Select || field.optional || field.args.size() != 1 ||
      !is_device(field.args[0]))
    return false;
  if (field.name == "attributes") {
    p.kind = DevicePath::Kind::Attribute;
  } else if (field.name == "capacity") {
    p.kind = DevicePath::Kind::Capacity;
  } else {
    return false;
  }
  p.domain = *domain;
  p.name = *name;
  p.atoms = p.domain.find('/') == std::string::npos && p.name.find('/') == std::string::npos;
  if (p.atoms) {
    p.qualified = util::Atom(p.domain + "/" + p.name);
    p.bare = util::Atom(p.name);
  }
  return true;
}

bool walk(const Expr& e, std::vector<DevicePath>& out) {
  DevicePath p;
  if (match_path(e, p)) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
    return true;
  }
  // Any other use of the variable reads an unknown part of the device.
  if (e.kind == ExprKind::Ident && (e.name == "device" || e.name == ".device")) return false;
  if (e.kind == ExprKind::Macro &&
      std::find(e.vars.begin(), e.vars.end(), "device") != e.vars.end())
    return false;
  for (const Expr& a : e.args)
    if (!walk(a, out)) return false;
  return true;
}

// The domain and id a qualified name stands for, as device_value splits it.
std::pair<std::string_view, std::string_view> split(std::string_view qualified,
                                                    std::string_view driver) {
  const size_t slash = qualified.find('/');
  if (slash == std::string_view::npos) return {driver, qualified};
  return {qualified.substr(0, slash), qualified.substr(slash + 1)};
}

template <typename T>
void append_raw(std::string& out, const T& v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

void append_text(std::string& out, std::string_view s) {
  append_raw(out, s.size());
  out.append(s);
}

void append_attribute(std::string& out, const k8s::DeviceAttribute& a) {
  using T = k8s::DeviceAttribute::Type;
  out.push_back(static_cast<char>('A' + static_cast<int>(a.type)));
  switch (a.type) {
    case T::Int:
      append_raw(out, a.int_value());
      return;
    case T::Bool:
      out.push_back(a.bool_value() ? '1' : '0');
      return;
    case T::String:
    case T::Version:
      append_raw(out, a.text().handle());  // interned: equal texts, equal handles
      return;
    case T::Ints:
      append_raw(out, a.ints().size());
      for (int64_t i : a.ints()) append_raw(out, i);
      return;
    case T::Bools:
      append_raw(out, a.bools().size());
      for (bool b : a.bools()) out.push_back(b ? '1' : '0');
      return;
    case T::Strings:
    case T::Versions:
      append_raw(out, a.strings().size());
      for (const std::string& s : a.strings()) append_text(out, s);
      return;
    case T::None:
      return;
  }
}

// The first entry of `list` (attributes or capacity) of the path's domain and id: the one
// the map lookup in the `device` value finds. `own`: the path's domain is the driver.
template <typename List>
const auto* first_named(const List& list, const DevicePath& p, std::string_view driver, bool own) {
  using Value = std::remove_cvref_t<decltype(list.begin()->second)>;
  if (p.atoms) {
    // A name with a '/' splits into (domain, name) exactly when it is "domain/name"; one
    // without stands for (driver, name).
    for (const auto& [name, value] : list)
      if (name == p.qualified || (own && name == p.bare)) return &value;
    return static_cast<const Value*>(nullptr);
  }
  for (const auto& [name, value] : list)
    if (split(name.view(), driver) ==
        std::pair<std::string_view, std::string_view>(p.domain, p.name))
      return &value;
  return static_cast<const Value*>(nullptr);
}

}  // namespace

std::optional<std::vector<DevicePath>> device_paths(const Expr& ast) {
  std::vector<DevicePath> out;
  if (!walk(ast, out)) return std::nullopt;
  return out;
}

Projector::Projector(const std::vector<DevicePath>& paths, std::string_view driver)
    : paths_(&paths), driver_(driver) {
  own_.reserve(paths.size());
  for (const DevicePath& p : paths) own_.push_back(driver == p.domain ? 1 : 0);
}

inline Projector::Found Projector::find(const k8s::Device& device, size_t i) const {
  const DevicePath& p = (*paths_)[i];
  switch (p.kind) {
    case DevicePath::Kind::Driver:
      return nullptr;  // the Projector's, the same for every device
    case DevicePath::Kind::AllowMultipleAllocations:
      return device.allow_multiple_allocations.value_or(false) ? &device : nullptr;
    case DevicePath::Kind::Attribute:
      return first_named(device.attributes, p, driver_, own_[i]);
    case DevicePath::Kind::Capacity:
      return first_named(device.capacity, p, driver_, own_[i]);
  }
  return nullptr;
}

// Whether what two devices' path found reads the same: then its part of the key is equal.
inline bool Projector::same(const DevicePath& p, Found a, Found b) {
  switch (p.kind) {
    case DevicePath::Kind::Driver:
      return true;
    case DevicePath::Kind::AllowMultipleAllocations:
      return (a != nullptr) == (b != nullptr);
    case DevicePath::Kind::Attribute:
      if (!a || !b) return a == b;
      return *static_cast<const k8s::DeviceAttribute*>(a) ==
             *static_cast<const k8s::DeviceAttribute*>(b);
    case DevicePath::Kind::Capacity:
      return a == b;  // both absent (quantities are compared through their keys)
  }
  return false;
}

void Projector::append(std::string& out, const k8s::Device& device, size_t i, Found f) const {
  const DevicePath& p = (*paths_)[i];
  out.push_back('|');
  switch (p.kind) {
    case DevicePath::Kind::Driver:
      append_text(out, driver_);
      break;
    case DevicePath::Kind::AllowMultipleAllocations:
      out.push_back(device.allow_multiple_allocations.value_or(false) ? '1' : '0');
      break;
    case DevicePath::Kind::Attribute:
      if (f) {
        append_attribute(out, *static_cast<const k8s::DeviceAttribute*>(f));
      } else {
        out.push_back('-');
      }
      break;
    case DevicePath::Kind::Capacity:
      if (f) {
        out.push_back('Q');
        static_cast<const k8s::DeviceCapacity*>(f)->value.append_identity(out);
      } else {
        out.push_back('-');
      }
      break;
  }
}

void Projector::key(const k8s::Device& device, std::string& out) const {
  for (size_t i = 0; i < paths_->size(); ++i) append(out, device, i, find(device, i));
}

bool Projector::read(const k8s::Device& device) {
  const size_t n = paths_->size();
  const bool before = last_device_ != nullptr;
  last_device_ = &device;
  if (n > kRead) return false;
  bool alike = before;
  for (size_t i = 0; i < n; ++i) {
    const Found f = find(device, i);
    alike = alike && same((*paths_)[i], last_[i], f);
    last_[i] = f;
  }
  return alike;
}

void Projector::key(std::string& out) const {
  const size_t n = paths_->size();
  if (n > kRead) return key(*last_device_, out);
  for (size_t i = 0; i < n; ++i) append(out, *last_device_, i, last_[i]);
}

void projection_key(const std::vector<DevicePath>& paths, const k8s::Device& device,
                    std::string_view driver, std::string& out) {
  Projector(paths, driver).key(device, out);
}

bool convertible(const k8s::Device& device, DeviceValueCache& cache) {
  using C = k8s::Device::CelValue;
  if (device.cel_value != C::Unchecked) return device.cel_value == C::Buildable;
  return k8s::cel_value_buildable(device, cache.recent_versions);
}

}  // namespace dra::selectors
