// src/util/atom.cpp -- the intern table behind Atom.
#include "util/atom.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_set>

namespace dra::util {
namespace {

// Transparent hashing: look strings up as string_views, build a std::string only to insert.
struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct Equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

struct Table {
  std::mutex mu;
  // Node-based: element addresses stay valid as the table grows.
  std::unordered_set<std::string, Hash, Equal> strings;
  size_t bytes = 0;
};

Table& table() {
  static Table* t = new Table();  // never destroyed: Atoms may outlive static destructors
  return *t;
}

const std::string* empty_string() {
  static const std::string* e = new std::string();
  return e;
}

}  // namespace

Atom::Atom() : s_(empty_string()) {}

// The strings this thread interned last, by a cheap hash of their ends: a dump repeats a few
// names (attributes, counters) and quantity texts in the same order device after device, so
// most look-ups end here, without the lock or the table's hash of every byte.
struct Recent {
  static constexpr size_t kSize = 512;
  std::array<const std::string*, kSize> slots{};

  static size_t slot_of(std::string_view text) {
    uint64_t head = 0, tail = 0;
    const size_t n = std::min<size_t>(text.size(), 8);
    std::memcpy(&head, text.data(), n);
    std::memcpy(&tail, text.data() + text.size() - n, n);
    const uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^
                       (text.size() * 0x165667B19E3779F9ULL);
    return static_cast<size_t>(h >> 40) & (kSize - 1);
  }
};
thread_local Recent recent;

Atom::Atom(std::string_view text) {
  if (text.empty()) {
    s_ = empty_string();
    return;
  }
  const std::string*& hint = recent.slots[Recent::slot_of(text)];
  if (hint && *hint == text) {
    s_ = hint;
    return;
  }
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.strings.find(text);
  if (it == t.strings.end()) {
    it = t.strings.emplace(text).first;
    t.bytes += text.size();
  }
  s_ = &*it;
  hint = s_;
}

size_t atom_count() {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  return t.strings.size();
}

size_t atom_bytes() {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  return t.bytes;
}

}  // namespace dra::util
