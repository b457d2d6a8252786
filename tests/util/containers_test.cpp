// tests/util/containers_test.cpp -- Atom, Box and ThinVec behave as the values they stand for.
#include <catch2/catch.hpp>
#include <string>

#include "util/atom.hpp"
#include "util/box.hpp"
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

}  // namespace dra::util
