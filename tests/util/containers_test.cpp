// tests/util/containers_test.cpp -- Atom, Box, ThinVec, StringMap and PointerMap behave as
// the values and maps they stand for.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/atom.hpp"
#include "util/box.hpp"
#include "util/hash.hpp"
#include "util/pointer_map.hpp"
#include "util/string_map.hpp"
#include "util/thin_vec.hpp"

namespace dra::util {

TEST_CASE("util: atoms intern equal text once", "[util]") {
  Atom a("gpu.example.com/model"), b(std::string("gpu.example.com/") + "model"), c("other");
  CHECK(a == b);
  CHECK(&a.str() == &b.str());
  CHECK_FALSE(a == c);
  CHECK(a == std::string_view("gpu.example.com/model"));
  CHECK(Atom().empty());
  CHECK(Atom("") == Atom());
  CHECK((Atom("a") <=> Atom("b")) == std::strong_ordering::less);
}

TEST_CASE("util: atoms stay one per text when look-ups share the recent slots", "[util]") {
  // Texts alike but for one byte in the middle: each its own atom, whatever slots of the
  // thread's recent atoms they share.
  const Atom x("aaaaaaaaXbbbbbbbb"), y("aaaaaaaaYbbbbbbbb");
  CHECK_FALSE(x == y);
  CHECK(x.view() == "aaaaaaaaXbbbbbbbb");
  CHECK(y.view() == "aaaaaaaaYbbbbbbbb");
  CHECK(Atom("aaaaaaaaXbbbbbbbb") == x);
  CHECK(Atom("aaaaaaaaYbbbbbbbb") == y);
  // Thousands of names, more than the slots (so slots are shared and overwritten), interned
  // in one order and again in reverse,
  // and from another thread: one handle per text each time.
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) names.push_back("memory-slice-" + std::to_string(i));
  std::vector<Atom> first;
  for (const std::string& n : names) first.emplace_back(n);
  for (size_t i = names.size(); i-- > 0;) {
    const Atom again(names[i]);
    CHECK(&again.str() == &first[i].str());
    CHECK(again.view() == names[i]);
  }
  std::vector<const void*> other(names.size());
  std::thread([&] {
    for (size_t i = 0; i < names.size(); ++i) other[i] = Atom(names[i]).handle();
  }).join();
  for (size_t i = 0; i < names.size(); ++i) CHECK(other[i] == first[i].handle());
  CHECK(Atom("m").view() == "m");  // shorter than eight bytes
}

TEST_CASE("util: hash_bytes sees every byte and the length", "[util]") {
  // Equal texts, equal hashes, wherever the bytes sit.
  const std::string a = "gpu.example.com/gpu-17", b = "xx" + a;
  CHECK(hash_bytes(a) == hash_bytes(std::string_view(b).substr(2)));
  // Changing any one byte, at every length from 1 to 40 (whole words, the overlapping last
  // word, the four-byte and the one-to-three-byte forms), changes the hash.
  for (size_t n = 1; n <= 40; ++n) {
    std::string s(n, 'a');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
    const uint64_t h = hash_bytes(s);
    for (size_t i = 0; i < n; ++i) {
      std::string t = s;
      t[i] = static_cast<char>(t[i] ^ 0x01);
      INFO(n << " " << i);
      CHECK(hash_bytes(t) != h);
    }
    CHECK(hash_bytes(s + '\0') != h);  // the length counts, zero bytes too
  }
  CHECK(hash_bytes("") != hash_bytes(std::string(1, '\0')));
  // Device and counter names as drivers write them: no two of 60,000 alike, and the low
  // bits (what a table of 2^k slots uses) spread over the slots.
  std::set<uint64_t> seen;
  std::vector<size_t> low(256);
  size_t made = 0;
  for (int i = 0; i < 20000; ++i)
    for (const std::string& name :
         {"gpu-" + std::to_string(i), "memory-slice-" + std::to_string(i),
          "gpu-" + std::to_string(i % 8) + "-mig-1g10gb-" + std::to_string(i / 8)}) {
      const uint64_t h = hash_bytes(name);
      seen.insert(h);
      ++low[h & 255];
      ++made;
    }
  CHECK(seen.size() == made);
  CHECK(*std::max_element(low.begin(), low.end()) < 2 * made / 256);
}

TEST_CASE("util: Box copies deeply and compares by value", "[util]") {
  Box<std::string> empty;
  CHECK_FALSE(empty);
  Box<std::string> a = std::string("x");
  Box<std::string> b = a;
  *b += "y";
  CHECK(*a == "x");
  CHECK(*b == "xy");
  CHECK_FALSE(a == b);
  b = a;
  CHECK(a == b);
  CHECK_FALSE(a == empty);
  a.reset();
  CHECK(a == empty);
}

TEST_CASE("util: ThinVec is a vector", "[util]") {
  ThinVec<std::string> v;
  CHECK(v.empty());
  CHECK(sizeof(v) == sizeof(void*));
  for (int i = 0; i < 100; ++i) v.push_back(std::to_string(i));
  REQUIRE(v.size() == 100);
  CHECK(v.front() == "0");
  CHECK(v.back() == "99");
  CHECK(v[42] == "42");
  ThinVec<std::string> copy = v;
  copy[0] = "changed";
  CHECK(v[0] == "0");
  ThinVec<std::string> moved = std::move(copy);
  CHECK(moved[0] == "changed");
  CHECK(copy.empty());  // NOLINT: moved-from is empty by contract
  moved.resize(3);
  CHECK(moved.size() == 3);
  moved.pop_back();
  CHECK(moved == ThinVec<std::string>{"changed", "1"});
  CHECK_THROWS_AS(moved.at(5), std::out_of_range);
  moved.shrink_to_fit();
  CHECK(moved.capacity() == 2);
  moved.clear();
  CHECK(moved.empty());
}

TEST_CASE("util: StringMap finds what was put in, one-part and two-part keys", "[util]") {
  StringMap<int> m;
  CHECK(m.find("a") == nullptr);  // empty: no slots yet
  auto [v, fresh] = m.try_emplace("gpu.example.com", "pool-1");
  CHECK(fresh);
  CHECK(*v == 0);  // default-constructed
  *v = 7;
  CHECK_FALSE(m.try_emplace("gpu.example.com", "pool-1").second);
  REQUIRE(m.find("gpu.example.com", "pool-1") != nullptr);
  CHECK(*m.find("gpu.example.com", "pool-1") == 7);
  CHECK(m.find("gpu.example.com", "pool-") == nullptr);
  CHECK(m.find("gpu.example.co", "mpool-1") == nullptr);  // same bytes, other split
  CHECK(m.find("", "") == nullptr);
  m[""] = 3;  // the empty key is a key
  CHECK(*m.find("") == 3);
  CHECK(m.size() == 2);

  // Against std::map through many insertions (growth moves every entry) and lookups of
  // keys that are and are not there, including near misses and long keys.
  StringMap<std::string> big;
  std::map<std::string, std::string> ref;
  for (int i = 0; i < 5000; ++i) {
    const std::string k = "device-" + std::to_string(i * 7919 % 10007) + std::string(i % 40, 'x');
    *big.try_emplace(k).first = "v" + std::to_string(i);
    ref.emplace(k, "v" + std::to_string(i));
    if (i % 3 == 0) (void)big.try_emplace(k);  // again: keeps the value
  }
  CHECK(big.size() == ref.size());
  for (const auto& [k, v] : ref) {
    const std::string* got = big.find(k);
    REQUIRE(got != nullptr);
    CHECK(*got == v);
    CHECK(big.find(k + "y") == nullptr);
    const std::string shorter = k.substr(0, k.size() - 1);
    CHECK((big.find(shorter) != nullptr) == (ref.count(shorter) == 1));
  }
  size_t seen = 0;
  big.for_each([&](std::string_view k, const std::string& v) {
    ++seen;
    CHECK(ref.at(std::string(k)) == v);
  });
  CHECK(seen == ref.size());
}

TEST_CASE("util: StringMap finds a two-part key by its joined text, and the reverse", "[util]") {
  // Short parts (hashed joined on the stack) and long ones (past the stack buffer).
  for (const size_t len : {size_t{0}, size_t{3}, size_t{20}, size_t{79}, size_t{200}}) {
    const std::string a = "driver" + std::string(len, 'd'), b = "pool" + std::string(len, 'p');
    const std::string joined = a + "/" + b;
    StringMap<int> two, one;
    *two.try_emplace(a, b).first = 1;
    *one.try_emplace(joined).first = 2;
    INFO("part length " << len);
    REQUIRE(two.find(joined) != nullptr);
    CHECK(*two.find(joined) == 1);
    REQUIRE(one.find(a, b) != nullptr);
    CHECK(*one.find(a, b) == 2);
    CHECK_FALSE(one.try_emplace(a, b).second);
    CHECK(two.find(a + "/", b) == nullptr);
    CHECK(two.find(a, b + "/") == nullptr);
  }
}

TEST_CASE("util: StringMap<V, false> keeps views and finds as the owning map does", "[util]") {
  std::vector<std::string> keys;  // the strings the map views: alive as long as it is
  for (int i = 0; i < 3000; ++i)
    keys.push_back("team-" + std::to_string(i % 17) + std::string(i % 23, 'n'));
  StringMap<int, false> views;
  StringMap<int> owned;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string_view ns = keys[i], name = keys[(i * 31) % keys.size()];
    const auto a = views.try_emplace(ns, name);
    const auto b = owned.try_emplace(ns, name);
    CHECK(a.second == b.second);
    if (a.second) *a.first = *b.first = static_cast<int>(i);
  }
  CHECK(views.size() == owned.size());
  owned.for_each([&](std::string_view k, const int& v) {
    const size_t slash = k.find('/');
    const int* got = views.find(k.substr(0, slash), k.substr(slash + 1));
    REQUIRE(got != nullptr);
    CHECK(*got == v);
    CHECK(views.find(k) != nullptr);  // the joined key is the same key
    CHECK(views.find(k.substr(0, slash), std::string(k.substr(slash + 1)) + "x") == nullptr);
  });
  size_t seen = 0;
  views.for_each([&](std::string_view k, const int& v) {
    ++seen;
    REQUIRE(owned.find(k) != nullptr);
    CHECK(*owned.find(k) == v);
  });
  CHECK(seen == owned.size());
}

}  // namespace dra::util

namespace dra::util {

TEST_CASE("util: PointerMap finds what was put in, across growth", "[util]") {
  std::vector<int> objects(1000);
  PointerMap<int, uint32_t> m;
  CHECK(m.find(&objects[0]) == nullptr);
  for (size_t i = 0; i < objects.size(); ++i) {
    auto [v, fresh] = m.try_emplace(&objects[i], static_cast<uint32_t>(i * 3));
    CHECK(fresh);
    CHECK(*v == i * 3);
  }
  CHECK(m.size() == objects.size());
  // A second emplace keeps the first value.
  auto [v, fresh] = m.try_emplace(&objects[7], 99);
  CHECK_FALSE(fresh);
  CHECK(*v == 21);
  for (size_t i = 0; i < objects.size(); ++i) CHECK(m.at(&objects[i]) == i * 3);
  int other = 0;
  CHECK(m.find(&other) == nullptr);
  CHECK_THROWS_AS(m.at(&other), std::out_of_range);
}

}  // namespace dra::util

TEST_CASE("util: StreamHash hashes a byte sequence alike however it is split", "[util]") {
  // Every split of texts of 0 to 40 bytes into three pieces (StringMap joins a two-part key
  // with '/'): the same hash as the whole; and texts that differ in one byte, or only in
  // length, hash apart.
  auto whole = [](std::string_view s) {
    dra::util::StreamHash h;
    h.add(s);
    return h.done();
  };
  std::string text;
  for (size_t n = 0; n <= 40; ++n) {
    const uint64_t expected = whole(text);
    for (size_t i = 0; i <= n; ++i)
      for (size_t j = i; j <= n; ++j) {
        dra::util::StreamHash h;
        h.add(std::string_view(text).substr(0, i));
        h.add(std::string_view(text).substr(i, j - i));
        h.add(std::string_view(text).substr(j));
        REQUIRE(h.done() == expected);
      }
    for (size_t i = 0; i < n; ++i) {
      std::string other = text;
      other[i] = static_cast<char>(other[i] ^ 1);
      CHECK(whole(other) != expected);
    }
    text.push_back(static_cast<char>('a' + n % 26));
  }
  CHECK(whole(std::string(3, '\0')) != whole(std::string(4, '\0')));
  CHECK(whole("gpu.example.com/node-1") != whole("gpu.example.com/node-2"));
}
