// tests/render/explain_test.cpp -- the explain tree: wrapped to the width it is given, in
// colour only when asked, and the JSON form with the same content.
#include "render/explain.hpp"

#include <catch2/catch.hpp>
#include <sstream>
#include <string_view>

#include "k8s/emit.hpp"

namespace dra::render {
namespace {

explain::Explanation sample() {
  explain::Explanation e;
  e.subject = "claim team/gpu";
  e.nodes = 2;
  e.eligible = 2;
  explain::ClaimExplanation c;
  c.name = "team/gpu";
  c.reason =
      "request selector #0 of gpu excludes every one of the 4 devices of class gpu.example.com "
      "and this sentence is long enough to wrap more than once at forty columns";
  explain::RequestExplanation r;
  r.name = "gpu";
  r.device_class = "gpu.example.com";
  r.mode = "ExactCount";
  r.needed = 1;
  r.funnel = {{"published in the cluster", 12, ""}, {"free", 0, "1 allocated"}};
  c.requests.push_back(r);
  c.suggestions = {"did you mean gpu.example.com/model?"};
  e.claims.push_back(c);
  return e;
}

size_t columns(const std::string& line) {
  size_t n = 0;
  for (unsigned char ch : line) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

TEST_CASE("render: the explain tree wraps to its width", "[render]") {
  for (size_t width : {40, 60, 100}) {
    INFO(width);
    TextStyle style;
    style.width = width;
    const std::string text = explain_text(sample(), style);
    std::istringstream in(text);
    size_t lines = 0;
    for (std::string line; std::getline(in, line); ++lines) CHECK(columns(line) <= width);
    CHECK(lines > 8);
    CHECK(text.find("\033[") == std::string::npos);  // no colour unless asked
  }
  // The reason reads the same once the wrapping is undone.
  TextStyle narrow;
  narrow.width = 40;
  // Undo the wrapping: tree drawing and runs of spaces out.
  std::string joined;
  std::string text = explain_text(sample(), narrow);
  for (const char* glyph : {"│", "├─", "└─", "\n"})
    for (size_t at; (at = text.find(glyph)) != std::string::npos;)
      text.replace(at, std::string_view(glyph).size(), " ");
  for (char ch : text)
    if (ch != ' ' || (!joined.empty() && joined.back() != ' ')) joined += ch;
  CHECK(joined.find("excludes every one of the 4") != std::string::npos);
  CHECK(joined.find("long enough to wrap") != std::string::npos);
}

TEST_CASE("render: the explain tree is coloured only when asked", "[render]") {
  TextStyle style;
  style.colour = true;
  const std::string text = explain_text(sample(), style);
  CHECK(text.find("\033[1;31mpending\033[0m") != std::string::npos);
}

TEST_CASE("render: explain as JSON has the tree's content", "[render]") {
  const std::string json = k8s::to_json(explain_value(sample()));
  CHECK(json.find(R"("state": "pending")") != std::string::npos);
  CHECK(json.find(R"("step": "published in the cluster")") != std::string::npos);
  CHECK(json.find(R"("detail": "1 allocated")") != std::string::npos);
  CHECK(json.find("did you mean gpu.example.com/model?") != std::string::npos);
}

}  // namespace dra::render
