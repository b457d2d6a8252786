// tests/k8s/parse_test.cpp -- YAML and JSON to nodes: positions, list streaming, and the
// error for each kind of bad input (whole messages, positions included).
#include "k8s/parse.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace dra::k8s {
namespace {

struct Seen {
  std::vector<std::string> kinds;  // kind of each object handed over ("" if none)
  std::vector<Pos> positions;
  std::vector<bool> list_items;
};

bool parse(const std::string& text, Seen& seen, util::Diagnostics& diags,
           const ParseLimits& limits = {}) {
  return parse_objects(
      text, "in", limits,
      [&](const ParsedObject& o) {
        const Node* k = o.node.find("kind");
        seen.kinds.push_back(k ? std::string(k->text) : std::string());
        seen.positions.push_back(o.node.pos);
        seen.list_items.push_back(o.list_item);
      },
      diags);
}

std::string first_error(const std::string& text, const ParseLimits& limits = {}) {
  Seen seen;
  util::Diagnostics diags;
  parse(text, seen, diags, limits);
  return diags.to_string();
}

}  // namespace

TEST_CASE("parse: YAML documents and positions", "[k8s]") {
  const std::string text =
      "apiVersion: v1\n"
      "kind: Node\n"
      "---\n"
      "# comment\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: p\n";
  Seen seen;
  util::Diagnostics diags;
  REQUIRE(parse(text, seen, diags));
  CHECK(diags.empty());
  REQUIRE(seen.kinds == std::vector<std::string>{"Node", "Pod"});
  CHECK(seen.positions[0] == Pos{1, 1});
  CHECK(seen.positions[1] == Pos{5, 1});
}

TEST_CASE("parse: scalar positions and styles", "[k8s]") {
  const std::string yaml = "a:\n  b: 'x'\n  c: |\n    line\n";
  util::Diagnostics diags;
  Pos b, c;
  ScalarStyle bs{}, cs{};
  std::string ctext;
  parse_objects(
      yaml, "in", {},
      [&](const ParsedObject& o) {
        const Node* a = o.node.find("a");
        b = a->find("b")->pos;
        bs = a->find("b")->style;
        c = a->find("c")->pos;
        cs = a->find("c")->style;
        ctext = std::string(a->find("c")->text);
      },
      diags);
  CHECK(b == Pos{2, 6});
  CHECK(bs == ScalarStyle::Quoted);
  CHECK(c == Pos{3, 6});
  CHECK(cs == ScalarStyle::Literal);
  CHECK(ctext == "line\n");

  const std::string json = "{\n  \"a\": {\"b\": \"x\\ty\", \"n\": -1.5e3}\n}";
  Pos jb;
  std::string jtext, num;
  parse_objects(
      json, "in", {},
      [&](const ParsedObject& o) {
        jb = o.node.find("a")->find("b")->pos;
        jtext = std::string(o.node.find("a")->find("b")->text);
        num = std::string(o.node.find("a")->find("n")->text);
        CHECK(o.node.find("a")->find("n")->scalar_type() == ScalarType::Float);
      },
      diags);
  CHECK(jb == Pos{2, 14});
  CHECK(jtext == "x\ty");
  CHECK(num == "-1.5e3");
  CHECK(diags.empty());
}

TEST_CASE("parse: plain scalars resolve as go-yaml v2 does", "[k8s]") {
  const std::pair<const char*, ScalarType> cases[] = {
      {"x: ~", ScalarType::Null},
      {"x: null", ScalarType::Null},
      {"x:", ScalarType::Null},
      {"x: true", ScalarType::Bool},
      {"x: yes", ScalarType::Bool},
      {"x: Off", ScalarType::Bool},
      {"x: 12", ScalarType::Int},
      {"x: -0x1F", ScalarType::Int},
      {"x: 1_000", ScalarType::Int},
      {"x: 1.5", ScalarType::Float},
      {"x: 1e3", ScalarType::Float},
      {"x: .inf", ScalarType::Float},
      {"x: 40Gi", ScalarType::String},
      {"x: \"true\"", ScalarType::String},
      {"x: !!str 12", ScalarType::String},
      {"x: 1.2.3", ScalarType::String},
      {"x: _", ScalarType::String},
      {"x: +_", ScalarType::String},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    util::Diagnostics diags;
    ScalarType got{};
    parse_objects(
        text, "in", {}, [&](const ParsedObject& o) { got = o.node.find("x")->scalar_type(); },
        diags);
    CHECK(got == want);
  }
}

TEST_CASE("parse: lists are streamed item by item", "[k8s]") {
  // kubectl's List (items carry their kind) and the API server's typed list (kind first).
  const std::string kubectl_json =
      R"({"apiVersion": "v1", "items": [{"kind": "A"}, {"kind": "B"}], "kind": "List",
          "metadata": {"resourceVersion": ""}})";
  const std::string typed_yaml =
      "kind: ResourceSliceList\napiVersion: resource.k8s.io/v1\nitems:\n- metadata: {name: a}\n"
      "- metadata: {name: b}\n";
  for (const std::string& text : {kubectl_json, typed_yaml}) {
    INFO(text);
    util::Diagnostics diags;
    std::vector<std::string> got;
    std::vector<std::string> list_kinds;
    bool root_streamed = false;
    parse_objects(
        text, "in", {},
        [&](const ParsedObject& o) {
          if (!o.list_item) {
            root_streamed = o.items_streamed;
            CHECK(o.node.find("items")->size == 0);
            return;
          }
          const Node* k = o.node.find("kind");
          const Node* m = o.node.find("metadata");
          got.push_back(k ? std::string(k->text) : std::string(m->find("name")->text));
          list_kinds.push_back(std::string(o.list_kind));
        },
        diags);
    CHECK(diags.empty());
    CHECK(root_streamed);
    CHECK(got.size() == 2);
    if (text == typed_yaml)
      CHECK(list_kinds == std::vector<std::string>{"ResourceSliceList", "ResourceSliceList"});
  }
}

TEST_CASE("parse: bad input gets a message at its position", "[k8s]") {
  ParseLimits shallow;
  shallow.max_depth = 4;
  ParseLimits few_aliases;
  few_aliases.max_alias_expansion = 100;
  ParseLimits short_scalars;
  short_scalars.max_scalar_bytes = 8;
  const std::string bomb =
      "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
  const struct {
    std::string text;
    ParseLimits limits;
    std::string want;
  } cases[] = {
      {"a: b: c\n", {}, "in:1:5: error: mapping values are not allowed in this context\n"},
      {"a:\n  - x\n b: y\n",
       {},
       "in:3:2: error: did not find expected key while parsing a block mapping\n"},
      {"a: 1\na: 2\n", {}, "in:2:1: error: duplicate key \"a\" (first at line 1)\n"},
      {"{\"a\": 1, \"a\": 2}", {}, "in:1:10: error: duplicate key \"a\" (first at line 1)\n"},
      {"a: [[[[[1]]]]]\n", shallow, "in:1:7: error: nesting deeper than 4 levels\n"},
      {"[[[[[[1]]]]]]", shallow, "in:1:5: error: nesting deeper than 4 levels\n"},
      {bomb, few_aliases, "in:2:44: error: aliases expand to more than 100 nodes\n"},
      {"a: 12345678\nb: 123456789\n", short_scalars,
       "in:2:4: error: value of 9 bytes is longer than the limit of 8\n"},
      {"{\"a\": \"12345678\", \"b\": \"123456789\"}", short_scalars,
       "in:1:24: error: value of 9 bytes is longer than the limit of 8\n"},
      {"a: *nope\n", {}, "in:1:4: error: unknown anchor \"nope\"\n"},
      {"{\"a\": 1,}", {}, "in:1:9: error: unexpected \"}\" after \",\"; expected a string key\n"},
      {"{\"a\": tru}", {}, "in:1:7: error: unexpected \"t\"; expected a value\n"},
      {"{\"a\": \"x", {}, "in:1:9: error: unterminated string\n"},
      {"{\"a\": 01}", {}, "in:1:8: error: numbers must not have leading zeros\n"},
      {"{\"a\": \"\\q\"}", {}, "in:1:8: error: invalid escape \"\\q\" in string\n"},
      {"{\"a\": \"\xff\"}", {}, "in:1:8: error: invalid UTF-8 byte 0xff in string\n"},
      {"{\"a\": [1, 2}", {}, "in:1:12: error: unexpected \"}\"; expected \",\" or \"]\"\n"},
      {"{\"a\":\n", {}, "in:2:1: error: unexpected end of input; expected a value\n"},
      {"a: \"x\xff\"\n", {}, "in:1:6: error: invalid leading UTF-8 octet (byte 0xff)\n"},
      {"a:\n\t- b\n",
       {},
       "in:2:1: error: found character that cannot start any token while scanning for the next "
       "token\n"},
      {"{1: 2}", {}, "in:1:2: error: unexpected \"1\"; expected a string key\n"},
      {"? [a]\n: b\n", {}, "in:1:3: error: mapping key is a list\n"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(first_error(c.text, c.limits) == c.want);
  }
}

TEST_CASE("parse: a huge alias bomb ends quickly with an error", "[k8s]") {
  // The classic "billion laughs": nine levels of ten aliases each.
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  const std::string err = first_error(text);
  CHECK(err.find("aliases expand to more than 1000000 nodes") != std::string::npos);
}

}  // namespace dra::k8s
