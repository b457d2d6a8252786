// src/util/hash.hpp -- a fast hash of short strings, for tables that resolve collisions by
// comparing keys (names of devices, pools, counters: mostly under 32 bytes).
#pragma once

#include <bit>
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

// The same kind of hash over bytes given in pieces: equal byte sequences hash alike however
// they are split ("a", "/", "b" as "a/b"), eight bytes to a multiply. For keys made of parts
// (StringMap's two-part keys, a namespace and a name), where a byte-at-a-time hash is a
// chain of dependent multiplies: about four cycles a byte.
class StreamHash {
 public:
  void add(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    size_ += n;
    while (n > 0 && filled_ > 0) {  // complete the word in progress
      word_ |= static_cast<uint64_t>(static_cast<unsigned char>(*p++)) << (8 * filled_);
      --n;
      if (++filled_ == 8) {
        mix(word_);
        word_ = 0;
        filled_ = 0;
      }
    }
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      mix(little_endian(w));
    }
    for (; n > 0; --n)
      word_ |= static_cast<uint64_t>(static_cast<unsigned char>(*p++)) << (8 * filled_++);
  }
  uint64_t done() const {
    uint64_t h = h_;
    if (filled_ > 0) h = step(h, word_);
    h = step(h, size_);
    h *= kMul;
    return h ^ (h >> 32);
  }

 private:
  static constexpr uint64_t kMul = 0xBF58476D1CE4E5B9ULL;
  static uint64_t step(uint64_t h, uint64_t w) {
    h = (h ^ w) * kMul;
    return h ^ (h >> 31);
  }
  static uint64_t little_endian(uint64_t w) {
    if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(w);
    return w;
  }
  void mix(uint64_t w) { h_ = step(h_, w); }
  uint64_t h_ = 0x9E3779B97F4A7C15ULL;
  uint64_t word_ = 0;  // bytes of the word in progress, the first lowest
  unsigned filled_ = 0;
  uint64_t size_ = 0;
};

}  // namespace dra::util
