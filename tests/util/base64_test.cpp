// tests/util/base64_test.cpp -- standard base64 as Go's encoding/base64.StdEncoding.
#include "util/base64.hpp"

#include <catch2/catch.hpp>

namespace dra::util {

TEST_CASE("util: base64 round trips and rejects what Go rejects", "[util]") {
  const std::pair<const char*, const char*> pairs[] = {
      {"", ""},        {"f", "Zg=="},        {"fo", "Zm8="},
      {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"\xff\xfe", "//4="},
  };
  for (const auto& [plain, encoded] : pairs) {
    INFO(encoded);
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::optional<std::string>(plain));
  }
  CHECK(base64_decode("Zm9v\nYg==\r\n") == std::optional<std::string>("foob"));  // line breaks
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v=Yg=", "Zh==", "Zm-v", "Zm9v Yg=="}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad));
  }
}

}  // namespace dra::util
