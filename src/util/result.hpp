// src/util/result.hpp -- Result<T>: a value or an error message, for failures of the
// environment (unreadable file, connection refused). GCC 12's C++20 has no std::expected.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace dra::util {

struct Error {
  std::string message;  // complete sentence fragment for the user, lowercase
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

}  // namespace dra::util
