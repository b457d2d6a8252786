// src/util/atom.cpp -- the intern table behind Atom.
#include "util/atom.hpp"

#include <mutex>
#include <unordered_set>

namespace dra::util {
namespace {

struct Table {
  std::mutex mu;
  // Node-based: element addresses stay valid as the table grows.
  std::unordered_set<std::string> strings;
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

Atom::Atom(std::string_view text) {
  if (text.empty()) {
    s_ = empty_string();
    return;
  }
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  auto [it, inserted] = t.strings.emplace(text);
  if (inserted) t.bytes += text.size();
  s_ = &*it;
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
