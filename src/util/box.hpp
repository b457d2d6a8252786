// src/util/box.hpp -- Box<T>: an optional T on the heap, with value semantics (copies deep).
// For large, rarely set model fields: an empty Box is one pointer where std::optional<T>
// would reserve sizeof(T) in every object. Same interface as the parts of std::optional the
// model uses.
#pragma once

#include <memory>
#include <utility>

namespace dra::util {

template <typename T>
class Box {
 public:
  Box() = default;
  Box(const T& v) : p_(std::make_unique<T>(v)) {}        // NOLINT: implicit like optional
  Box(T&& v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT: implicit like optional
  Box(const Box& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() { return *p_; }
  const T& value() const { return *p_; }
  template <typename... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  friend bool operator==(const Box& a, const Box& b) {
    if (!a.p_ || !b.p_) return !a.p_ && !b.p_;
    return *a.p_ == *b.p_;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace dra::util
