// src/util/atom.cpp -- the intern table behind Atom.
#include "util/atom.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include "util/hash.hpp"

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

// The strings this thread interned last, by a cheap hash (hash_bytes): a dump repeats a few
// names (attributes, counters) and quantity texts in the same order device after device, so
// most look-ups end here, without the lock or the table's look-up.
struct Recent {
  static constexpr size_t kSize = 512;
  std::array<const std::string*, kSize> slots{};

  static size_t slot_of(std::string_view text) {
    return static_cast<size_t>(util::hash_bytes(text)) & (kSize - 1);
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
