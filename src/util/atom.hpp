// src/util/atom.hpp -- Atom: an interned, immutable string, one pointer wide.
// Device attribute names and most of their values repeat across thousands of devices
// ("gpu.nvidia.com/productName", "NVIDIA H100 80GB HBM3"); an Atom stores each distinct
// text once for the life of the process. Comparison for equality is a pointer compare.
//
// The intern table is the one piece of process-wide state in the tool: append-only,
// internally synchronised, and invisible to callers (an Atom behaves as its text).
#pragma once

#include <compare>
#include <string>
#include <string_view>

namespace dra::util {

class Atom {
 public:
  Atom();  // the empty string
  explicit Atom(std::string_view text);

  const std::string& str() const { return *s_; }
  std::string_view view() const { return *s_; }
  operator std::string_view() const { return *s_; }  // NOLINT: reads as a string
  bool empty() const { return s_->empty(); }
  size_t size() const { return s_->size(); }
  const char* data() const { return s_->data(); }

  // The interned string's address, and back: for packing an Atom into a union.
  const void* handle() const { return s_; }
  static Atom from_handle(const void* h) {
    Atom a;
    a.s_ = static_cast<const std::string*>(h);
    return a;
  }

  friend bool operator==(Atom a, Atom b) { return a.s_ == b.s_; }
  friend bool operator==(Atom a, std::string_view b) { return a.view() == b; }
  friend bool operator==(Atom a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(Atom a, Atom b) { return a.view() <=> b.view(); }

 private:
  const std::string* s_;
};

// Distinct strings interned so far, and their bytes (for benchmarks).
size_t atom_count();
size_t atom_bytes();

}  // namespace dra::util
