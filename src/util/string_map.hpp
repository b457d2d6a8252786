// src/util/string_map.hpp -- StringMap<V>: a map from strings to V, in one array.
// The allocator's set-up looks up thousands of names (claims by "namespace/name", held
// devices by "driver/pool" and device name) once each. std::unordered_map puts every entry
// in its own heap node, and below 20 entries libstdc++ even walks the whole node list for a
// lookup; here entries live side by side (open addressing, linear probing), the hash is
// kept with the key, and a two-part key ("driver" + "/" + "pool") is hashed and compared
// piecewise, so a lookup builds no string. StringMap<V, false> keeps views of the keys
// instead of copies (no allocation per entry): the caller keeps the strings alive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/hash.hpp"

namespace dra::util {

template <class V, bool Owned = true>
class StringMap {
 public:
  // The entry for `key`, or for `a` + "/" + `b`; nullptr when there is none.
  const V* find(std::string_view key) const { return find_parts(key, {}, false); }
  V* find(std::string_view key) { return const_cast<V*>(std::as_const(*this).find(key)); }
  const V* find(std::string_view a, std::string_view b) const { return find_parts(a, b, true); }
  V* find(std::string_view a, std::string_view b) {
    return const_cast<V*>(std::as_const(*this).find(a, b));
  }

  // The entry for the key, default-constructed if it was not there; and whether it is new.
  std::pair<V*, bool> try_emplace(std::string_view key) { return emplace_parts(key, {}, false); }
  std::pair<V*, bool> try_emplace(std::string_view a, std::string_view b) {
    return emplace_parts(a, b, true);
  }
  V& operator[](std::string_view key) { return *try_emplace(key).first; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void reserve(size_t n) {
    if (2 * n > slots_.size()) rehash(n);
  }

  // Calls f(key, value) for each entry, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_)
      if (s.hash) f(view(s.key), s.value);
  }

 private:
  // The key as given: one part, or two joined by '/'.
  struct Views {
    std::string_view a, b;
    bool two = false;
    size_t size() const { return a.size() + (two ? 1 + b.size() : 0); }
    char operator[](size_t i) const {
      return i < a.size() ? a[i] : i == a.size() ? '/' : b[i - a.size() - 1];
    }
  };
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    std::conditional_t<Owned, std::string, Views> key;
    V value{};
  };

  // A hash of the key's bytes, the parts of a two-part key joined by '/' (StreamHash); never
  // 0.
  static uint64_t hash_of(std::string_view a, std::string_view b, bool two) {
    StreamHash h;
    h.add(a);
    if (two) {
      h.add("/");
      h.add(b);
    }
    return h.done() | 1;
  }
  static bool equal(const std::string& key, std::string_view a, std::string_view b, bool two) {
    if (!two) return key == a;
    return key.size() == a.size() + 1 + b.size() &&
           std::string_view(key).substr(0, a.size()) == a && key[a.size()] == '/' &&
           std::string_view(key).substr(a.size() + 1) == b;
  }
  static bool equal(const Views& key, std::string_view a, std::string_view b, bool two) {
    const Views other{a, b, two};
    if (key.two == two && key.a.size() == a.size()) return key.a == a && (!two || key.b == b);
    if (key.size() != other.size()) return false;
    for (size_t i = 0; i < key.size(); ++i)
      if (key[i] != other[i]) return false;
    return true;
  }
  static std::string_view view(const std::string& key) { return key; }
  static std::string view(const Views& key) {
    return key.two ? std::string(key.a) + "/" + std::string(key.b) : std::string(key.a);
  }

  const V* find_parts(std::string_view a, std::string_view b, bool two) const {
    if (slots_.empty()) return nullptr;
    const uint64_t h = hash_of(a, b, two);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.hash) return nullptr;
      if (s.hash == h && equal(s.key, a, b, two)) return &s.value;
    }
  }

  std::pair<V*, bool> emplace_parts(std::string_view a, std::string_view b, bool two) {
    if (2 * (size_ + 1) > slots_.size()) rehash(size_ + 1);
    const uint64_t h = hash_of(a, b, two);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.hash) {
        s.hash = h;
        if constexpr (Owned) {
          s.key.reserve(a.size() + (two ? 1 + b.size() : 0));
          s.key.append(a);
          if (two) s.key.append("/").append(b);
        } else {
          s.key = Views{a, b, two};
        }
        ++size_;
        return {&s.value, true};
      }
      if (s.hash == h && equal(s.key, a, b, two)) return {&s.value, false};
    }
  }

  // Grows to hold `n` entries at most half full. Small maps start small: a cluster has
  // thousands of pools with a device or two allocated each.
  void rehash(size_t n) {
    size_t capacity = 4;
    while (capacity < 2 * n) capacity <<= 1;
    if (capacity <= slots_.size()) return;
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (Slot& s : old) {
      if (!s.hash) continue;
      size_t i = s.hash & mask;
      while (slots_[i].hash) i = (i + 1) & mask;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace dra::util
