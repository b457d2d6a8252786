// src/util/hash.hpp -- a fast hash of short strings, for tables that resolve collisions by
// comparing keys (names of devices, pools, counters: mostly under 32 bytes).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace dra::util {

// Eight bytes at a time, multiply and shift to mix; the last word is read overlapping the one
// before it, so no byte loop. Every byte and the length count. Unkeyed, like std::hash:
// as open to chosen collisions, and a few times cheaper on names of 5 to 30 bytes.
inline uint64_t hash_bytes(std::string_view s) {
  constexpr uint64_t kMul = 0xBF58476D1CE4E5B9ULL;
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * kMul);
  auto mix = [&](uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 31;
  };
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    if (i < n) {  // the last, partial word: the final eight bytes
      uint64_t w;
      std::memcpy(&w, p + n - 8, 8);
      mix(w);
    }
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    mix((static_cast<uint64_t>(a) << 32) | b);
  } else if (n > 0) {
    mix((static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
        (static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
        static_cast<unsigned char>(p[n - 1]));
  }
  h *= kMul;
  return h ^ (h >> 32);
}

}  // namespace dra::util
