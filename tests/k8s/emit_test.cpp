// tests/k8s/emit_test.cpp -- YAML and JSON text as kubectl prints it. The expected YAML was
// checked against go-yaml v2 (yaml.Marshal, as sigs.k8s.io/yaml calls it) and the JSON
// against encoding/json MarshalIndent.
#include "k8s/emit.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace dra::k8s {
namespace {

Value map(std::vector<std::pair<std::string, Value>> fields) {
  Value v = Value::map();
  for (auto& [k, x] : fields) v.add(k, std::move(x));
  return v;
}

Value list(std::vector<Value> items) {
  Value v = Value::list();
  v.items = std::move(items);
  return v;
}

Value number(Value::Kind kind, std::string text) {
  Value v;
  v.kind = kind;
  v.text = std::move(text);
  return v;
}

TEST_CASE("emit: YAML quotes a string only when the plain form would not read back", "[k8s]") {
  const std::pair<std::string, const char*> cases[] = {
      // Plain strings.
      {"a", "a"},
      {"gpu.example.com", "gpu.example.com"},
      {"a b", "a b"},
      {"a:b", "a:b"},
      {"a#b", "a#b"},
      {"-a", "-a"},
      {"--", "--"},
      {"?a", "?a"},
      {":a", ":a"},
      {"a,b", "a,b"},
      {"a'b", "a'b"},
      {"a\"b", "a\"b"},
      {"a\\b", "a\\b"},
      {"<html>&", "<html>&"},
      {"\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9"},
      {"inf", "inf"},
      {"NaN", "NaN"},
      {"1:60", "1:60"},
      {"2024-01-02T10:00:00", "2024-01-02T10:00:00"},  // no zone: not a timestamp
      {"2024-02-30", "2024-02-30"},                    // no such day
      {"_1", "_1"},
      {"+", "+"},
      {"0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"},  // out of range: a string to go-yaml
      // Would read back as null, bool, int, float or timestamp: double-quoted.
      {"", "\"\""},
      {"~", "\"~\""},
      {"null", "\"null\""},
      {"Null", "\"Null\""},
      {"true", "\"true\""},
      {"False", "\"False\""},
      {"yes", "\"yes\""},
      {"Yes", "\"Yes\""},
      {"no", "\"no\""},
      {"on", "\"on\""},
      {"off", "\"off\""},
      {"y", "\"y\""},
      {"n", "\"n\""},
      {"1", "\"1\""},
      {"-1", "\"-1\""},
      {"+1", "\"+1\""},
      {"0", "\"0\""},
      {"00", "\"00\""},
      {"017", "\"017\""},
      {"08", "\"08\""},
      {"0x1f", "\"0x1f\""},
      {"0o17", "\"0o17\""},
      {"0b101", "\"0b101\""},
      {"-0b101", "\"-0b101\""},
      {"1_000", "\"1_000\""},
      {"1e3", "\"1e3\""},
      {"1E3", "\"1E3\""},
      {"1.", "\"1.\""},
      {"1.5", "\"1.5\""},
      {".5", "\".5\""},
      {".5e3", "\".5e3\""},
      {".nan", "\".nan\""},
      {"-.Inf", "\"-.Inf\""},
      {"9223372036854775808", "\"9223372036854775808\""},
      {"1:20", "\"1:20\""},  // YAML 1.1 base 60
      {"190:20:30.15", "\"190:20:30.15\""},
      {"2024-01-02", "\"2024-01-02\""},
      {"2024-1-2", "\"2024-1-2\""},
      {"2024-02-29", "\"2024-02-29\""},
      {"2024-01-02T10:00:00Z", "\"2024-01-02T10:00:00Z\""},
      {"2024-01-02 10:00:00", "\"2024-01-02 10:00:00\""},
      {"2024-01-02t10:00:00.123+02:00", "\"2024-01-02t10:00:00.123+02:00\""},
      // Not valid as plain YAML: single-quoted.
      {" a", "' a'"},
      {"a ", "'a '"},
      {"a: b", "'a: b'"},
      {"a:", "'a:'"},
      {"a #b", "'a #b'"},
      {"#a", "'#a'"},
      {"- a", "'- a'"},
      {"-", "'-'"},
      {"---", "'---'"},
      {"...", "'...'"},
      {"? a", "'? a'"},
      {": a", "': a'"},
      {"[a]", "'[a]'"},
      {"{a}", "'{a}'"},
      {"&a", "'&a'"},
      {"*a", "'*a'"},
      {"!a", "'!a'"},
      {"|a", "'|a'"},
      {">a", "'>a'"},
      {"%a", "'%a'"},
      {"@a", "'@a'"},
      {"`a", "'`a'"},
      {"'a", "'''a'"},
      {"\"a", "'\"a'"},
      // Characters single quotes cannot carry: double-quoted with escapes.
      {"a\tb", "\"a\\tb\""},
      {"\x01", "\"\\x01\""},
      {"\x1b", "\"\\e\""},
      {"\x7f", "\"\\x7F\""},
      {"x\r\ny", "\"x\\r\\ny\""},
      {"x \ny", "\"x \\ny\""},
      {"\xC2\x85", "\"\\N\""},
      {"\xF0\x9F\x98\x80", "\"\\U0001F600\""},  // go-yaml v2 escapes 4-byte characters
      {"\xEF\xBB\xBF"
       "bom",
       "\"\\uFEFF\\x62\\x6F\\x6D\""},
      // Invalid UTF-8 becomes U+FFFD first (encoding/json does it before sigs.k8s.io/yaml).
      {"a\xFFz", "a\xEF\xBF\xBDz"},
  };
  for (const auto& [text, want] : cases) {
    INFO("string: \"" << text << "\"");
    CHECK(to_yaml(map({{"k", Value::of(text)}})) == std::string("k: ") + want + "\n");
  }
}

TEST_CASE("emit: YAML keys are quoted like values", "[k8s]") {
  const std::pair<std::string, const char*> cases[] = {
      {"name", "name"},   {"gpu.example.com/model", "gpu.example.com/model"},
      {"y", "\"y\""},     {"n", "\"n\""},
      {"1", "\"1\""},     {"", "\"\""},
      {"a: b", "'a: b'"}, {"a\tb", "\"a\\tb\""},
  };
  for (const auto& [key, want] : cases) {
    INFO("key: \"" << key << "\"");
    CHECK(to_yaml(map({{key, Value::of("v")}})) == std::string(want) + ": v\n");
  }
  // Longer than 128 bytes, or several lines: a complex key.
  const std::string long_key(130, 'k');
  CHECK(to_yaml(map({{long_key, Value::of("v")}})) == "? " + long_key + "\n: v\n");
  CHECK(to_yaml(map({{std::string(128, 'x'), Value::of("v")}})) == std::string(128, 'x') + ": v\n");
  CHECK(to_yaml(map({{"multi\nline", Value::of("v")}})) == "? |-\n  multi\n  line\n: v\n");
}

TEST_CASE("emit: YAML multi-line strings are literal blocks", "[k8s]") {
  const std::pair<std::string, const char*> cases[] = {
      {"line1\nline2", "k: |-\n  line1\n  line2\n"},
      {"line1\nline2\n", "k: |\n  line1\n  line2\n"},
      {"line1\nline2\n\n", "k: |+\n  line1\n  line2\n\n"},
      {"\n", "k: |2+\n\n"},
      {"\nx", "k: |2-\n\n  x\n"},
      {" x\ny", "k: |2-\n   x\n  y\n"},
      {"x\n y", "k: |-\n  x\n   y\n"},
      {"x\n\ny", "k: |-\n  x\n\n  y\n"},
      {"{\"apiVersion\":\"v1\"}\n", "k: |\n  {\"apiVersion\":\"v1\"}\n"},
      // Trailing spaces or control characters on a line rule out a block.
      {"x \ny", "k: \"x \\ny\"\n"},
      {"a\ttab\nline", "k: \"a\\ttab\\nline\"\n"},
  };
  for (const auto& [text, want] : cases) {
    INFO("string: \"" << text << "\"");
    CHECK(to_yaml(map({{"k", Value::of(text)}})) == want);
  }
  // Indented under a list item, and followed by more keys.
  CHECK(to_yaml(map({{"k", list({map({{"x", Value::of("a\nb\n")}, {"y", Value::of("c")}})})},
                     {"after", Value::of(int64_t{1})}})) ==
        "k:\n- x: |\n    a\n    b\n  \"y\": c\nafter: 1\n");
}

TEST_CASE("emit: YAML folds long scalars at 80 columns as go-yaml does", "[k8s]") {
  std::string words;
  for (int i = 0; i < 30; ++i) words += i ? " word" : "word";
  CHECK(to_yaml(map({{"k", Value::of(words)}})) ==
        "k: word word word word word word word word word word word word word word word word\n"
        "  word word word word word word word word word word word word word word\n");
  // The CEL expressions of real claims fold like this under `kubectl get -o yaml`.
  const std::string cel =
      "device.driver == \"gpu.example.com\" && device.attributes[\"gpu.example.com\"].model == "
      "\"A100\" && device.capacity[\"gpu.example.com\"].memory.compareTo(quantity(\"40Gi\")) >= 0";
  CHECK(
      to_yaml(map({{"expression", Value::of(cel)}})) ==
      "expression: device.driver == \"gpu.example.com\" && "
      "device.attributes[\"gpu.example.com\"].model\n"
      "  == \"A100\" && device.capacity[\"gpu.example.com\"].memory.compareTo(quantity(\"40Gi\"))\n"
      "  >= 0\n");
  // Quoted scalars fold too; deeper values continue two columns in from their key.
  std::string deep;
  for (int i = 0; i < 25; ++i) deep += "deep ";
  CHECK(to_yaml(map({{"a", map({{"b", map({{"c", Value::of(deep)}})}})}})) ==
        "a:\n  b:\n    c: 'deep deep deep deep deep deep deep deep deep deep deep deep deep deep "
        "deep\n      deep deep deep deep deep deep deep deep deep deep '\n");
  std::string tabbed = "tab\t";
  for (int i = 0; i < 40; ++i) tabbed += i ? " dq" : "dq";
  CHECK(to_yaml(map({{"k", Value::of(tabbed)}})) ==
        "k: \"tab\\tdq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq\n"
        "  dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq\"\n");
  // No space to fold at: one long line.
  const std::string long_word(100, 'x');
  CHECK(to_yaml(map({{"k", Value::of(long_word)}})) == "k: " + long_word + "\n");
}

TEST_CASE("emit: YAML block layout", "[k8s]") {
  const Value doc = map({
      {"a",
       map({{"b",
             map({{"c", list({Value::of(int64_t{1}), Value::of(int64_t{2}),
                              map({{"d", Value::of("e")},
                                   {"f", list({list({Value::of(int64_t{1}), Value::of(int64_t{2})}),
                                               Value::list(), Value::map()})}})})}})}})},
      {"emptyList", Value::list()},
      {"emptyMap", Value::map()},
      {"nothing", Value::null()},
      {"yes", Value::of(true)},
      {"no", Value::of(false)},
      {"nested", list({list({Value::of("a"), Value::of("b")}), list({Value::of("c")})})},
      {"hex", number(Value::Kind::Int, "0x1f")},
      {"float", number(Value::Kind::Float, "1.50")},
  });
  CHECK(to_yaml(doc) ==
        "a:\n"
        "  b:\n"
        "    c:\n"
        "    - 1\n"
        "    - 2\n"
        "    - d: e\n"
        "      f:\n"
        "      - - 1\n"
        "        - 2\n"
        "      - []\n"
        "      - {}\n"
        "emptyList: []\n"
        "emptyMap: {}\n"
        "nothing: null\n"
        "\"yes\": true\n"
        "\"no\": false\n"
        "nested:\n"
        "- - a\n"
        "  - b\n"
        "- - c\n"
        "hex: 0x1f\n"
        "float: 1.50\n");
  // Roots other than a mapping.
  CHECK(to_yaml(list({Value::of(int64_t{1}), Value::of("a"),
                      map({{"b", list({map({{"c", Value::of(int64_t{1})}})})}}),
                      list({list({list({Value::of("x")})})})})) ==
        "- 1\n- a\n- b:\n  - c: 1\n- - - - x\n");
  CHECK(to_yaml(Value::of("scalar root")) == "scalar root\n");
  CHECK(to_yaml(Value::map()) == "{}\n");
  CHECK(to_yaml(Value::list()) == "[]\n");
}

TEST_CASE("emit: several YAML documents", "[k8s]") {
  CHECK(to_yaml_documents({}) == "");
  CHECK(to_yaml_documents({map({{"a", Value::of(int64_t{1})}}),
                           map({{"b", list({Value::of("x")})}})}) == "a: 1\n---\nb:\n- x\n");
}

TEST_CASE("emit: JSON as kubectl get -o json prints it", "[k8s]") {
  const Value doc = map({
      {"apiVersion", Value::of("resource.k8s.io/v1")},
      {"list", list({Value::of(int64_t{1}), map({{"a", Value::of(true)}}), Value::list()})},
      {"emptyMap", Value::map()},
      {"emptyList", Value::list()},
      {"nothing", Value::null()},
      {"no", Value::of(false)},
  });
  CHECK(to_json(doc) ==
        "{\n"
        "    \"apiVersion\": \"resource.k8s.io/v1\",\n"
        "    \"list\": [\n"
        "        1,\n"
        "        {\n"
        "            \"a\": true\n"
        "        },\n"
        "        []\n"
        "    ],\n"
        "    \"emptyMap\": {},\n"
        "    \"emptyList\": [],\n"
        "    \"nothing\": null,\n"
        "    \"no\": false\n"
        "}\n");
  CHECK(to_json(Value::of("x")) == "\"x\"\n");
  CHECK(to_json(Value::map()) == "{}\n");
}

TEST_CASE("emit: JSON escapes strings as encoding/json does", "[k8s]") {
  const std::pair<std::string, const char*> cases[] = {
      {"plain", "\"plain\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {"<a href='x'>&</a>", "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\""},
      {"tab\tnl\ncr\r", "\"tab\\tnl\\ncr\\r\""},
      {"\b\f", "\"\\b\\f\""},  // Go 1.22 and later
      {std::string("\x00\x01\x1f", 3), "\"\\u0000\\u0001\\u001f\""},
      {"\x7f", "\"\x7f\""},
      {"\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80", "\"\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80\""},
      {"\xE2\x80\xA8\xE2\x80\xA9", "\"\\u2028\\u2029\""},
      {"bad\xFF\xC3", "\"bad\\ufffd\\ufffd\""},
  };
  for (const auto& [text, want] : cases) {
    INFO("string: \"" << text << "\"");
    CHECK(to_json(Value::of(text)) == std::string(want) + "\n");
  }
  CHECK(to_json(map({{"<key>", Value::of("v")}})) == "{\n    \"\\u003ckey\\u003e\": \"v\"\n}\n");
}

TEST_CASE("emit: JSON numbers are kept as written when JSON allows it", "[k8s]") {
  const std::tuple<Value::Kind, const char*, const char*> cases[] = {
      {Value::Kind::Int, "42", "42"},
      {Value::Kind::Int, "-7", "-7"},
      {Value::Kind::Float, "1.50", "1.50"},
      {Value::Kind::Float, "1e3", "1e3"},
      {Value::Kind::Float, "-2.5E-3", "-2.5E-3"},
      // YAML spellings JSON does not have.
      {Value::Kind::Int, "+1", "1"},
      {Value::Kind::Int, "0x1f", "31"},
      {Value::Kind::Int, "0o17", "15"},
      {Value::Kind::Int, "017", "15"},
      {Value::Kind::Int, "0b101", "5"},
      {Value::Kind::Int, "-0x10", "-16"},
      {Value::Kind::Int, "1_000", "1000"},
      {Value::Kind::Float, ".5", "0.5"},
      {Value::Kind::Float, "1.", "1"},
      {Value::Kind::Float, "+1.5", "1.5"},
      {Value::Kind::Float, "1e30", "1e30"},
      {Value::Kind::Float, "1.e30", "1e+30"},
      {Value::Kind::Float, ".5e-7", "5e-8"},
      {Value::Kind::Float, ".inf", "null"},
      {Value::Kind::Float, "-.Inf", "null"},
      {Value::Kind::Float, ".NaN", "null"},
  };
  for (const auto& [kind, text, want] : cases) {
    INFO("number: " << text);
    CHECK(to_json(number(kind, text)) == std::string(want) + "\n");
  }
}

}  // namespace
}  // namespace dra::k8s
