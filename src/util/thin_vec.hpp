// src/util/thin_vec.hpp -- ThinVec<T>: a vector one pointer wide (size and capacity live in
// the heap block), for the many small or usually-empty lists of the model: an empty ThinVec
// costs 8 bytes where std::vector costs 24, which matters for a dump with 170,000 devices.
// The subset of std::vector's interface the model uses; elements are moved on growth.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dra::util {

template <typename T>
class ThinVec {
 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;
  using size_type = size_t;

  ThinVec() = default;
  ThinVec(std::initializer_list<T> init) {
    reserve(init.size());
    for (const T& v : init) push_back(v);
  }
  ThinVec(const std::vector<T>& v) {  // NOLINT: implicit, like a vector
    reserve(v.size());
    for (const T& x : v) push_back(x);
  }
  ThinVec(const ThinVec& o) {
    reserve(o.size());
    for (const T& v : o) push_back(v);
  }
  ThinVec(ThinVec&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  ThinVec& operator=(const ThinVec& o) {
    if (this != &o) {
      ThinVec copy(o);
      swap(copy);
    }
    return *this;
  }
  ThinVec& operator=(ThinVec&& o) noexcept {
    if (this != &o) {
      ThinVec gone(std::move(*this));
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~ThinVec() {
    clear();
    release();
  }
  void swap(ThinVec& o) noexcept { std::swap(h_, o.h_); }

  size_t size() const { return h_ ? h_->size : 0; }
  size_t capacity() const { return h_ ? h_->capacity : 0; }
  bool empty() const { return size() == 0; }
  T* data() { return h_ ? items() : nullptr; }
  const T* data() const { return h_ ? items() : nullptr; }
  T* begin() { return data(); }
  T* end() { return data() + size(); }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }
  T& operator[](size_t i) { return items()[i]; }
  const T& operator[](size_t i) const { return items()[i]; }
  T& at(size_t i) {
    if (i >= size()) throw std::out_of_range("ThinVec::at");
    return items()[i];
  }
  const T& at(size_t i) const {
    if (i >= size()) throw std::out_of_range("ThinVec::at");
    return items()[i];
  }
  T& front() { return items()[0]; }
  const T& front() const { return items()[0]; }
  T& back() { return items()[size() - 1]; }
  const T& back() const { return items()[size() - 1]; }

  void reserve(size_t n) {
    if (n <= capacity()) return;
    Header* h = allocate(n);
    const size_t count = size();
    for (size_t i = 0; i < count; ++i) {
      new (item(h, i)) T(std::move(items()[i]));
      items()[i].~T();
    }
    h->size = count;
    release();
    h_ = h;
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size() == capacity()) reserve(std::max<size_t>(4, capacity() * 2));
    T* p = new (item(h_, h_->size)) T(std::forward<Args>(args)...);
    ++h_->size;
    return *p;
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void pop_back() { items()[--h_->size].~T(); }
  void resize(size_t n) {
    reserve(n);
    while (size() < n) emplace_back();
    while (size() > n) pop_back();
  }
  void clear() {
    while (!empty()) pop_back();
  }
  void shrink_to_fit() {
    if (size() == capacity()) return;
    if (empty()) return release();
    ThinVec copy;
    copy.reserve(size());
    for (T& v : *this) copy.emplace_back(std::move(v));
    swap(copy);
  }

  friend bool operator==(const ThinVec& a, const ThinVec& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  struct Header {
    size_t size;
    size_t capacity;
  };
  static constexpr size_t kOffset = (sizeof(Header) + alignof(T) - 1) / alignof(T) * alignof(T);
  static Header* allocate(size_t n) {
    void* p = ::operator new(kOffset + n * sizeof(T),
                             std::align_val_t(std::max(alignof(Header), alignof(T))));
    Header* h = static_cast<Header*>(p);
    h->size = 0;
    h->capacity = n;
    return h;
  }
  static T* item(Header* h, size_t i) {
    return reinterpret_cast<T*>(reinterpret_cast<char*>(h) + kOffset) + i;
  }
  T* items() const { return item(h_, 0); }
  void release() {
    if (h_) ::operator delete(h_, std::align_val_t(std::max(alignof(Header), alignof(T))));
    h_ = nullptr;
  }
  Header* h_ = nullptr;
};

}  // namespace dra::util
