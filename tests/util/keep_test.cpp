// tests/util/keep_test.cpp -- util::keep_until_exit(): the value moves to the heap and is
// never destroyed.
#include "util/keep.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace {

// Sets *destroyed when the object that holds the flag goes (a moved-from one holds none).
struct Probe {
  explicit Probe(bool* flag) : destroyed(flag) {}
  Probe(Probe&& o) noexcept
      : destroyed(std::exchange(o.destroyed, nullptr)), text(std::move(o.text)) {}
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;
  Probe& operator=(Probe&&) = delete;
  ~Probe() {
    if (destroyed) *destroyed = true;
  }
  bool* destroyed = nullptr;
  std::string text;
};

}  // namespace

TEST_CASE("util: keep_until_exit moves the value to the heap and never destroys it", "[util]") {
  bool destroyed = false;
  Probe* first = nullptr;
  {
    Probe p(&destroyed);
    p.text = std::string(100, 'x');  // on the heap: moved, not copied
    const char* chars = p.text.data();
    Probe& kept = dra::util::keep_until_exit(std::move(p));
    CHECK(kept.destroyed == &destroyed);
    CHECK(kept.text.data() == chars);
    CHECK(p.destroyed == nullptr);  // NOLINT(bugprone-use-after-move): moved from, as it should be
    first = &kept;
  }
  CHECK_FALSE(destroyed);  // the scope that made it is gone; the kept value is not
  CHECK(first->text.size() == 100);
  // Each value has a place of its own.
  bool other = false;
  Probe& second = dra::util::keep_until_exit(Probe(&other));
  CHECK(&second != first);
  CHECK_FALSE(other);
}
