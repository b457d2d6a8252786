// src/util/pointer_map.hpp -- PointerMap<K, V>: a map from pointers to small values, in one
// array (open addressing, linear probing). The allocator numbers the devices of every slice
// it meets through such a map; std::unordered_map would allocate a heap node per slice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dra::util {

template <class K, class V>
class PointerMap {
 public:
  // The entry for `key`, or nullptr.
  const V* find(const K* key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = index(key);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (!s.key) return nullptr;
    }
  }
  const V& at(const K* key) const {
    const V* v = find(key);
    if (!v) throw std::out_of_range("PointerMap::at");
    return *v;
  }
  // The entry for `key`, set to `value` if it was not there; and whether it is new.
  // `key` must not be null.
  std::pair<V*, bool> try_emplace(const K* key, V value) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (size_t i = index(key);; i = (i + 1) & mask()) {
      Slot& s = slots_[i];
      if (s.key == key) return {&s.value, false};
      if (!s.key) {
        s = {key, std::move(value)};
        ++size_;
        return {&s.value, true};
      }
    }
  }
  size_t size() const { return size_; }
  // Room for `n` entries without growing.
  void reserve(size_t n) {
    size_t capacity = 16;
    while (capacity < 2 * n) capacity <<= 1;
    if (capacity > slots_.size()) rehash(capacity);
  }

 private:
  struct Slot {
    const K* key = nullptr;
    V value{};
  };
  size_t mask() const { return slots_.size() - 1; }
  size_t index(const K* key) const {
    // Fibonacci hashing of the address (its low bits are alignment zeros).
    const auto x = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(key));
    return static_cast<size_t>((x * 0x9E3779B97F4A7C15ull) >> 32) & mask();
  }
  void grow() { rehash(slots_.empty() ? 16 : 2 * slots_.size()); }
  void rehash(size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    size_ = 0;
    for (Slot& s : old)
      if (s.key) try_emplace(s.key, std::move(s.value));
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace dra::util
