// tests/k8s/scalar_map_test.cpp -- decoded offsets back to file positions: a property test
// over handmade YAML and JSON documents (every byte of the value must point at the character
// it came from) and explicit positions.
#include "k8s/scalar_map.hpp"

#include <catch2/catch.hpp>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "k8s/parse.hpp"
#include "test_util.hpp"

namespace dra::k8s {
namespace {

// The first value under a key "x", depth first.
const Node* find_x(const Node& n) {
  if (n.is_mapping()) {
    for (uint32_t i = 0; i < n.size; ++i) {
      if (n.key(i).is_scalar() && n.key(i).text == "x") return &n.value(i);
      if (const Node* f = find_x(n.value(i))) return f;
    }
  } else if (n.is_sequence()) {
    for (uint32_t i = 0; i < n.size; ++i)
      if (const Node* f = find_x(n.item(i))) return f;
  }
  return nullptr;
}

struct Scalar {
  std::string decoded;
  Pos pos;
  ScalarStyle style{};
  std::vector<std::optional<Pos>> mapped;  // for offsets 0 .. decoded.size()
};

// Parses `text`, finds "x" and maps every offset of its value. With `lenient`, text that
// does not parse, or has no string "x", gives found = false.
Scalar map_x(const std::string& text, bool lenient = false, bool* found_out = nullptr) {
  Scalar s;
  util::Diagnostics diags;
  bool found = false;
  bool ok = parse_objects(
      text, "in", {},
      [&](const ParsedObject& o) {
        const Node* x = find_x(o.node);
        if (!x || found) return;
        if (lenient && (!x->is_scalar() || x->scalar_type() != ScalarType::String)) return;
        found = true;
        REQUIRE(x->is_scalar());
        s.decoded = std::string(x->text);
        s.pos = x->pos;
        s.style = x->style;
        for (uint32_t k = 0; k <= x->text.size(); ++k)
          s.mapped.push_back(scalar_offset_pos(text, *x, k));
      },
      diags);
  if (found_out) *found_out = ok && found;
  if (lenient) return s;
  INFO(diags.to_string());
  REQUIRE(ok);
  REQUIRE(found);
  return s;
}

// Byte offset of a position, counting as the readers do (independently of the code under
// test): lines split at \n (and, for YAML, \r\n and lone \r), columns in code points for
// YAML and in bytes for JSON; a leading byte order mark is a column for libyaml and none for
// the JSON reader. Our documents use no NEL/LS/PS breaks.
size_t offset_of(const std::string& text, bool json, Pos p) {
  size_t i = json && text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  for (uint32_t line = 1; line < p.line; ++line) {
    while (i < text.size() && text[i] != '\n' && (json || text[i] != '\r')) ++i;
    if (i < text.size() && text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    ++i;
  }
  for (uint32_t c = 1; c < p.column; ++c) {
    ++i;
    if (!json)
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) ++i;
  }
  return i;
}

size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2; }

bool is_break(const std::string& text, size_t i) {
  return i < text.size() && (text[i] == '\n' || text[i] == '\r');
}

// Every decoded byte points at the character it came from: the same character, a backslash
// starting its escape (double-quoted YAML and JSON only), or a line break for a space or
// newline made by folding. Positions never go backwards; the end is not before the last.
// Returns false (checking nothing) for a generated document that does not parse.
bool check_property(const std::string& text, bool lenient = false) {
  INFO("document:\n" << text);
  const bool json = detect_syntax(text) == SourceSyntax::Json;
  bool found = false;
  const Scalar s = map_x(text, lenient, &found);
  if (!found) return false;
  INFO("start " << s.pos.line << ":" << s.pos.column);
  const size_t start = offset_of(text, json, s.pos);
  REQUIRE(start < text.size());
  const bool double_quoted = s.style == ScalarStyle::Quoted && text[start] == '"';
  size_t last = 0;
  for (size_t k = 0; k <= s.decoded.size(); ++k) {
    INFO("offset " << k << " of \"" << s.decoded << "\"");
    REQUIRE(s.mapped[k].has_value());
    const size_t at = offset_of(text, json, *s.mapped[k]);
    CHECK(at >= last);
    CHECK(at >= start);
    last = at;
    if (k == s.decoded.size()) break;
    // The decoded character holding byte k.
    size_t b = k;
    while (b > 0 && (static_cast<unsigned char>(s.decoded[b]) & 0xc0) == 0x80) --b;
    const std::string ch = s.decoded.substr(b, utf8_len(static_cast<unsigned char>(s.decoded[b])));
    REQUIRE(at < text.size());
    if (text.compare(at, ch.size(), ch) == 0) continue;
    if (text[at] == '\\') {
      CHECK((double_quoted || json));
      continue;
    }
    if (text[at] == '\'' && ch == "'") continue;
    INFO("source character '" << text.substr(at, 1) << "' for '" << ch << "'");
    CHECK(is_break(text, at));
    CHECK((ch == " " || ch == "\n"));
  }
  return true;
}

}  // namespace

TEST_CASE("scalar_map: every decoded byte maps to its source character", "[k8s]") {
  const char* docs[] = {
      // Plain scalars.
      "x: hello world\n",
      "x: a b  c\t d\n",
      "x: abc # comment\n",
      "x: a#b\n",
      "x: one\n  two\n\n  three\n   four\n\n\n  five\n",
      "k:\n  x: one two\n    three  \n    four\n  y: 1\n",
      "k: {x: multi\n  line, y: 2}\n",
      "k: [{x: in a flow}]\n",
      "x: h\xC3\xA9llo w\xC3\xB6rld \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\n",
      "x: !!str 12\n",
      "x: &anchor  value here\n",
      "x: !!str\n  on the next line\n",
      "x: !<tag:yaml.org,2002:str> verbatim tag\n",
      "x: one\r\n  two\r\n\r\n  three\r\n",
      "- x: item in a sequence\n  y: z\n",
      "x: device.attributes[\"driver\"].model == 'a100'\n",
      // Single-quoted.
      "x: 'it''s'\n",
      "x: 'a\n  b\n\n  c  '\n",
      "x: 'a  \n\n\n   b'\n",
      "x: 'h\xC3\xA9 \\n stays'\n",
      "x: &a !!str 'tagged'\n",
      // Double-quoted.
      "x: \"a\\nb\\tc\\x41\\u00e9\\U0001F600\\\\ \\\" \\/ \\0 \\_ \\N \\L \\P \\a\\b\\e\\f\\r\\v\\ "
      "\"\n",
      "x: \"line \\\n   continued\"\n",
      "x: \"fold\n  me\n\n  too\"\n",
      "x: \"a \\\n\n  b\"\n",
      "x: \"tab\\\tescape\"\n",
      "x: \"trailing  \n  \"\n",
      "x: \"device.driver == \\\"gpu.example.com\\\" &&\n  "
      "device.capacity['mem'].compareTo(quantity(\\\"1Gi\\\")) >= 0\"\n",
      // Literal.
      "x: |\n  a\n  b\n",
      "x: |-\n  a\n\n",
      "x: |+\n  a\n\n\n",
      "x: |2\n    indented\n  a\n",
      "k:\n  x: |1\n     five\n     six\n",
      "k:\n  x: |2-\n      deeper\n    base\n",
      "x: |  # comment\n  a\n",
      "x: |\n\n  a\n   b\n  c\n",
      "x: |\n  a\n \n  b\n",
      "x: |\n  a\n     \n  b\n",
      "x: |\n  tab\tinside\n  \tleading tab\n",
      "- x: |\n    a\n  y: b\n",
      "x: !!str |\n  tagged\n",
      "x: |\n  h\xC3\xA9\n  \xE6\x97\xA5\n",
      "x: |\r\n  crlf\r\n  lines\r\n",
      "x: |\n  no final newline",
      "x: |+\n  keep\n\n",
      "spec:\n  selectors:\n  - cel:\n      x: |\n        device.driver == \"gpu.example.com\" &&\n"
      "        device.attributes[\"gpu.example.com\"].model == \"a100\"\n",
      // Folded.
      "x: >\n  a\n  b\n\n  c\n   d\n  e\n",
      "x: >-\n  one\n  two\n",
      "x: >+\n  a\n\n",
      "x: >\n\n\n  after blanks\n  folded\n",
      "x: >2\n   more\n  less\n  same\n",
      "x: >\n  a\n\n\n  b\n",
      "x: >2\n   lead\n  b\n  c\n",
      // JSON.
      "{\"x\": \"plain json\"}",
      "{\"x\": \"a\\nb\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\r\\t \xC3\xA9 \xE6\x97\xA5\"}",
      "{\n  \"k\": {\n    \"x\": \"nested\\tvalue\"\n  }\n}\n",
      "[{\"x\": \"in array\"}]",
      "{\"x\": \"lone \\ud800 surrogate\"}",
      "{\"x\": \"\"}",
      "\xEF\xBB\xBF{\"x\": \"after a bom\"}",
      "\xEF\xBB\xBFx: yaml after a bom\n",
      "\xEF\xBB\xBFx: |\n  block after a bom\n",
      // Empty values.
      "x: ''\n",
      "x: \"\"\n",
      "x: |\n",
      "x: |+\n\n\n",
  };
  for (const char* doc : docs) check_property(doc);
}

TEST_CASE("scalar_map: generated documents", "[k8s]") {
  // Random scalars of every style built from pieces that stress folding, escapes and
  // indentation; those our parser accepts must map every byte.
  const std::string heads[] = {
      "x: ",         "k:\n  x: ",   "- x: ",      "k: {x: ",     "x: !!str ",
      "x: &a ",      "x: |",        "x: >",       "x: |-",       "x: >+",
      "x: |2",       "x: >1-",      "k:\n  x: |", "k:\n  x: >2", "x: '",
      "x: \"",       "k:\n  x: \"", "{\"x\": \"", "x: |\n  ",    "x: !!str\n  ",
      "- - x: |1\n", "k: [{x: ",    "x: >\n ",    "x: |+2\n",    "  x: ",
  };
  const std::string pieces[] = {
      " ",       "  ",      "\t",          "\n",   "\n  ", "\n    ",   "\n\n  ",       "\r\n  ",
      "a",       "b",       "c d",         "'",    "''",   "\"",       "\\",           "\\n",
      "\\x41",   "\\u00e9", "\\U0001F600", "\\\n", "\\ ",  "\\\t",     "\\/",          "\\0",
      "\\N",     "#",       " #",          ":",    "-",    "\xC3\xA9", "\xE6\x97\xA5", "\\ud83d",
      "\\ude00", "\\t",
  };
  std::mt19937 rng(7);
  size_t checked = 0;
  for (int n = 0; n < 3000; ++n) {
    const std::string& head = heads[rng() % std::size(heads)];
    std::string text = head;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k)
      text += pieces[rng() % std::size(pieces)];
    if (head.back() == '\'' || head.back() == '"') text += head.back();
    if (head.find('{') != std::string::npos) text += "}";
    if (head.find('[') != std::string::npos) text += "]";
    if (rng() % 2) text += "\n";
    checked += check_property(text, true);
  }
  CHECK(checked > 1000);
}

TEST_CASE("scalar_map: explicit positions", "[k8s]") {
  auto at = [](const std::string& text, uint32_t k) {
    Scalar s = map_x(text);
    REQUIRE(k < s.mapped.size());
    return s.mapped[k];
  };
  // Plain: folding maps the space to the line break; code points count as one column.
  CHECK(at("x: a\n  b\n", 1) == Pos{1, 5});
  CHECK(at("x: a\n  b\n", 2) == Pos{2, 3});
  CHECK(at("x: a\n  b\n", 3) == Pos{2, 4});
  CHECK(at("x: \xC3\xA9z\n", 1) == Pos{1, 4});
  CHECK(at("x: \xC3\xA9z\n", 2) == Pos{1, 5});
  CHECK(at("x: a\n\n  b\n", 1) == Pos{2, 1});  // the empty line's break
  // Double quotes: an escape maps to its backslash; the end is the closing quote.
  CHECK(at("x: \"a\\nb\"\n", 1) == Pos{1, 6});
  CHECK(at("x: \"a\\nb\"\n", 2) == Pos{1, 8});
  CHECK(at("x: \"a\\nb\"\n", 3) == Pos{1, 9});
  CHECK(at("x: \"\\U0001F600!\"\n", 3) == Pos{1, 5});
  CHECK(at("x: \"\\U0001F600!\"\n", 4) == Pos{1, 15});
  CHECK(at("x: \"ab \\\n    cd\"\n", 3) == Pos{2, 5});
  CHECK(at("x: \"\"\n", 0) == Pos{1, 5});
  // Single quotes.
  CHECK(at("x: 'it''s'\n", 2) == Pos{1, 7});
  CHECK(at("x: 'it''s'\n", 3) == Pos{1, 9});
  // Block scalars: the header line holds no content; the final newline is the line break.
  CHECK(at("x: |\n  a\n  bc\n", 0) == Pos{2, 3});
  CHECK(at("x: |\n  a\n  bc\n", 3) == Pos{3, 4});
  CHECK(at("x: |\n  a\n  bc\n", 4) == Pos{3, 5});
  CHECK(at("x: |\n  a\n  bc\n", 5) == Pos{4, 1});
  CHECK(at("k:\n  x: |2\n      deep\n", 0) == Pos{3, 5});
  CHECK(at("k:\n  x: |2\n      deep\n", 2) == Pos{3, 7});
  CHECK(at("x: >\n  a\n  b\n", 1) == Pos{2, 4});
  CHECK(at("x: >-\n  a\n  b\n", 3) == Pos{3, 4});
  CHECK(at("x: !!str |\n  t\n", 0) == Pos{2, 3});
  // An indentation indicator counts from the parent's indentation (here 2): found by trying.
  CHECK(map_x("k:\n  x: |2\n      \n").decoded == "  \n");
  CHECK(at("k:\n  x: |2\n      \n", 0) == Pos{3, 5});
  CHECK(at("k:\n  x: |2\n      \n", 2) == Pos{3, 7});
  CHECK(at("k:\n  x: |2\n      \n", 3) == Pos{4, 1});
  // libyaml's other line breaks: NEL folds like \n, LS and PS are kept; all end a line.
  CHECK(map_x("x: a\xC2\x85  b\n").decoded == "a b");
  CHECK(at("x: a\xC2\x85  b\n", 1) == Pos{1, 5});
  CHECK(at("x: a\xC2\x85  b\n", 2) == Pos{2, 3});
  CHECK(map_x("x: a\xE2\x80\xA8  b\n").decoded ==
        "a\xE2\x80\xA8"
        "b");
  CHECK(at("x: a\xE2\x80\xA8  b\n", 3) == Pos{1, 5});
  CHECK(at("x: a\xE2\x80\xA8  b\n", 4) == Pos{2, 3});
  CHECK(map_x("x: |\n  a\xE2\x80\xA9  b\n").decoded ==
        "a\xE2\x80\xA9"
        "b\n");
  CHECK(at("x: |\n  a\xE2\x80\xA9  b\n", 4) == Pos{3, 3});
  CHECK(at("x: \"a\r  b\"\n", 2) == Pos{2, 3});
  // A byte order mark is a column for libyaml, not for the JSON reader.
  CHECK(at("\xEF\xBB\xBFx: ab\n", 1) == Pos{1, 6});
  CHECK(at("\xEF\xBB\xBF{\"x\": \"ab\"}", 1) == Pos{1, 9});
  // JSON columns count bytes, as the JSON reader's do.
  CHECK(at("{\"x\": \"\xC3\xA9\\u00e9z\"}", 1) == Pos{1, 8});
  CHECK(at("{\"x\": \"\xC3\xA9\\u00e9z\"}", 2) == Pos{1, 10});
  CHECK(at("{\"x\": \"\xC3\xA9\\u00e9z\"}", 4) == Pos{1, 16});
  CHECK(at("{\"x\": \"\xC3\xA9\\u00e9z\"}", 5) == Pos{1, 17});
  CHECK(at("{\n \"x\": \"\\ud83d\\ude00.\"}", 4) == Pos{2, 20});
}

TEST_CASE("scalar_map: starts recorded by the parsers", "[k8s]") {
  // Plain: first character (or first property); quoted: the quote; block: the indicator.
  CHECK(map_x("x: abc\n").pos == Pos{1, 4});
  CHECK(map_x("x: !!str abc\n").pos == Pos{1, 4});
  CHECK(map_x("x:   'abc'\n").pos == Pos{1, 6});
  CHECK(map_x("x: |\n  abc\n").pos == Pos{1, 4});
  CHECK(map_x("x: >-\n  abc\n").pos == Pos{1, 4});
  CHECK(map_x("{\"x\":  \"abc\"}").pos == Pos{1, 8});
}

TEST_CASE("scalar_map: values that do not match the text give nullopt", "[k8s]") {
  const std::string yaml = "x: |\n  abc\n";
  const Pos start{1, 4};
  const auto yml = SourceSyntax::Yaml;
  CHECK(scalar_offset_pos(yaml, yml, start, ScalarStyle::Literal, "abc\n", 4) == Pos{3, 1});
  CHECK_FALSE(scalar_offset_pos(yaml, yml, start, ScalarStyle::Literal, "abd\n", 0));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, start, ScalarStyle::Literal, "abc", 0));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, start, ScalarStyle::Literal, "abc\n", 5));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, start, ScalarStyle::Quoted, "abc\n", 0));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, Pos{9, 1}, ScalarStyle::Plain, "x", 0));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, Pos{1, 40}, ScalarStyle::Plain, "x", 0));
  CHECK_FALSE(scalar_offset_pos(yaml, yml, Pos{}, ScalarStyle::Plain, "x", 0));
  // A node reached through an alias carries the alias's position: no value is written there.
  CHECK(map_x("a: &v 'val'\nx: *v\n").mapped[0] == std::nullopt);
  CHECK(map_x("a: &v val\nx: *v\n").mapped[0] == std::nullopt);
  CHECK_FALSE(scalar_offset_pos("{\"x\": \"a\\q\"}", SourceSyntax::Json, Pos{1, 7},
                                ScalarStyle::Quoted, "a", 0));
}

TEST_CASE("scalar_map: hostile input never crashes", "[k8s]") {
  // Truncated and malformed scalars, at every start column, with several claimed values.
  const std::string texts[] = {
      "x: \"abc\\",     "x: \"\\U0011FFFF\"",
      "x: \"\\x4",      "x: 'it''",
      "x: |9\n a",      "x: |0\n  a",
      "x: >+-\n  a",    "x: |\n\t a",
      "x: \"\\ud800\"", "{\"x\": \"\\u12",
      "{\"x\": \"a\\",  "x: &",
      "x: !<abc",       "x: \"a\n---\nb\"",
      "x: \xF0\x9F",    "",
      "\n\n\n",         "x: '\0'",
  };
  const std::string values[] = {"", "a", "abc", "abc\n", std::string(1000, 'a')};
  const ScalarStyle styles[] = {ScalarStyle::Plain, ScalarStyle::Quoted, ScalarStyle::Literal,
                                ScalarStyle::Folded};
  size_t answered = 0;
  for (const std::string& text : texts)
    for (auto syntax : {SourceSyntax::Yaml, SourceSyntax::Json})
      for (uint32_t line = 0; line <= 4; ++line)
        for (uint32_t col = 0; col <= text.size() + 1; ++col)
          for (ScalarStyle style : styles)
            for (const std::string& v : values)
              for (uint32_t k : {0u, 1u, static_cast<uint32_t>(v.size())})
                answered += scalar_offset_pos(text, syntax, {line, col}, style, v, k).has_value();
  CHECK(answered > 0);  // some starts do hold a matching value ("a" after "x: ")
}

}  // namespace dra::k8s
