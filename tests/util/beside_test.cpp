// tests/util/beside_test.cpp -- util::Beside: work on a second thread, or in join() when
// there is none; what it throws comes out of join().
#include "util/beside.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>

TEST_CASE("util: Beside runs its work once, on a thread of its own or in join()", "[util]") {
  for (const bool threaded : {true, false}) {
    INFO("threaded: " << threaded);
    const std::thread::id caller = std::this_thread::get_id();
    std::thread::id ran_on;
    int runs = 0;
    dra::util::Beside b(
        [&] {
          ran_on = std::this_thread::get_id();
          ++runs;
        },
        threaded);
    b.join();
    b.join();  // a second join does nothing
    CHECK(runs == 1);
    CHECK((ran_on != caller) == threaded);
  }
}

TEST_CASE("util: what Beside's work throws comes out of join()", "[util]") {
  for (const bool threaded : {true, false}) {
    INFO("threaded: " << threaded);
    dra::util::Beside b([] { throw std::runtime_error("out of memory, say"); }, threaded);
    CHECK_THROWS_WITH(b.join(), "out of memory, say");
    CHECK_NOTHROW(b.join());  // thrown once
  }
  // Not joined (the caller's side threw first): the destructor waits, and drops the error.
  bool ran = false;
  {
    dra::util::Beside b([&] {
      ran = true;
      throw std::runtime_error("dropped");
    });
  }
  CHECK(ran);
}
