// tests/k8s/yaml_fast_test.cpp -- the fast YAML reader against libyaml. For every input the
// fast reader must report exactly libyaml's events (types, values, styles, positions) or give
// up, having reported only the start of libyaml's stream; it must never accept what libyaml
// rejects. parse_yaml, which falls back to libyaml, must hand over the same objects and
// report the same diagnostics as libyaml alone.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "k8s/parse.hpp"
#include "k8s/yaml_events.hpp"
#include "test_util.hpp"

namespace dra::k8s::detail {
namespace {

const char* type_name(YamlEvent::Type t) {
  switch (t) {
    case YamlEvent::Type::DocumentStart:
      return "document-start";
    case YamlEvent::Type::DocumentEnd:
      return "document-end";
    case YamlEvent::Type::MappingStart:
      return "mapping-start";
    case YamlEvent::Type::MappingEnd:
      return "mapping-end";
    case YamlEvent::Type::SequenceStart:
      return "sequence-start";
    case YamlEvent::Type::SequenceEnd:
      return "sequence-end";
    case YamlEvent::Type::Scalar:
      return "scalar";
    case YamlEvent::Type::Alias:
      return "alias";
    case YamlEvent::Type::SyntaxError:
      return "syntax-error";
  }
  return "?";
}

const char* style_name(YamlStyle s) {
  switch (s) {
    case YamlStyle::Plain:
      return "plain";
    case YamlStyle::SingleQuoted:
      return "single";
    case YamlStyle::DoubleQuoted:
      return "double";
    case YamlStyle::Literal:
      return "literal";
    case YamlStyle::Folded:
      return "folded";
  }
  return "?";
}

std::string escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\x" + std::to_string(static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string describe(const YamlEvent& e) {
  std::string s =
      std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column) + " " + type_name(e.type);
  if (e.type == YamlEvent::Type::Scalar || e.type == YamlEvent::Type::SyntaxError)
    s += " \"" + escaped(e.text) + "\"";
  if (e.type == YamlEvent::Type::Scalar) s += std::string(" ") + style_name(e.style);
  if (!e.anchor.empty()) s += " &" + e.anchor;
  return s;
}

// Up to `n` events from `from` on, one per line.
std::string describe(const std::vector<YamlEvent>& events, size_t from, size_t n = 4) {
  std::string s;
  for (size_t i = from; i < events.size() && i < from + n; ++i) s += describe(events[i]) + "\n";
  return s.empty() ? "(none)\n" : s;
}

struct Verdict {
  bool fast = false;    // the fast reader read the text
  bool lib_ok = false;  // libyaml read it without error
  std::string problem;  // empty if the two agree
};

// Both readers on `text`, and the differential property.
Verdict compare(std::string_view text) {
  EventLog lib, fast;
  Verdict v;
  v.lib_ok = parse_yaml_libyaml(text, lib);
  const FastResult r = parse_yaml_fast(text, fast);
  std::string lib_error;
  if (!v.lib_ok && !lib.events.empty() && lib.events.back().type == YamlEvent::Type::SyntaxError) {
    lib_error = describe(lib.events.back());
    lib.events.pop_back();
  }
  if (r == FastResult::Error) {
    v.problem = "the fast reader reported a sink error, but the event log never fails";
    return v;
  }
  v.fast = r == FastResult::Ok;
  if (v.fast && !v.lib_ok) {
    v.problem = "the fast reader accepted a text libyaml rejects: " + lib_error;
    return v;
  }
  // On success the streams are equal; after giving up the fast stream is a prefix.
  const auto& got = fast.events;
  const auto& want = lib.events;
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  if (i < got.size() || (v.fast && i < want.size())) {
    v.problem = "event " + std::to_string(i) + " differs\nfast:\n" + describe(got, i) +
                "libyaml:\n" + describe(want, i) + (lib_error.empty() ? "" : lib_error + "\n");
  }
  return v;
}

// A parsed object as text: positions, kinds, styles and values of every node.
void dump(const Node& n, std::string& out) {
  out += std::to_string(n.pos.line) + ":" + std::to_string(n.pos.column);
  if (n.is_scalar()) {
    out += " " + std::to_string(static_cast<int>(n.style)) + (n.tagged_string ? "!" : "") + "\"" +
           escaped(n.text) + "\"";
    return;
  }
  out += n.is_mapping() ? "{" : "[";
  const uint32_t kids = n.is_mapping() ? 2 * n.size : n.size;
  for (uint32_t i = 0; i < kids; ++i) {
    out += i ? ", " : "";
    dump(n.children[i], out);
  }
  out += n.is_mapping() ? "}" : "]";
}

struct Delivered {
  bool ok = false;
  std::vector<std::string> objects;
  std::string diagnostics;
  friend bool operator==(const Delivered&, const Delivered&) = default;
};

ObjectFn recorder(Delivered& d) {
  return [&d](const ParsedObject& o) {
    std::string s = "doc " + std::to_string(o.document) + (o.list_item ? " item" : "") +
                    (o.items_streamed ? " streamed" : "") + " " + std::string(o.list_kind) + " " +
                    std::string(o.list_api_version) + " ";
    dump(o.node, s);
    d.objects.push_back(std::move(s));
  };
}

// parse_yaml: the fast reader, libyaml where it gives up.
Delivered through_parse_yaml(std::string_view text, const ParseLimits& limits) {
  Delivered d;
  util::Diagnostics diags;
  const ObjectFn fn = recorder(d);
  d.ok = parse_yaml(text, "in.yaml", limits, fn, diags);
  d.diagnostics = diags.to_string();
  return d;
}

// libyaml alone, as parse_yaml worked before the fast reader.
Delivered through_libyaml(std::string_view text, const ParseLimits& limits) {
  Delivered d;
  util::Diagnostics diags;
  const ObjectFn fn = recorder(d);
  const std::string file = "in.yaml";  // TreeBuilder keeps a reference
  TreeBuilder out(file, limits, fn, diags);
  TreeSink sink(out);
  d.ok = parse_yaml_libyaml(text, sink);
  d.diagnostics = diags.to_string();
  return d;
}

std::string delivered_problem(std::string_view text, const ParseLimits& limits = {}) {
  const Delivered got = through_parse_yaml(text, limits);
  const Delivered want = through_libyaml(text, limits);
  if (got == want) return {};
  std::string s = "parse_yaml: ok " + std::to_string(got.ok) + ", " +
                  std::to_string(got.objects.size()) + " objects\n" + got.diagnostics +
                  "libyaml: ok " + std::to_string(want.ok) + ", " +
                  std::to_string(want.objects.size()) + " objects\n" + want.diagnostics;
  for (size_t i = 0; i < got.objects.size() && i < want.objects.size(); ++i) {
    if (got.objects[i] != want.objects[i]) {
      s += "object " + std::to_string(i) + " differs:\n" + got.objects[i] + "\n" + want.objects[i];
      break;
    }
  }
  return s;
}

// Every *.yaml and *.yml file under the given folders of the source tree, sorted.
std::vector<std::string> corpus_files() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const char* dir : {"tests", "examples"}) {
    const fs::path root = fs::path(DRA_SOURCE_DIR) / dir;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
        files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Hand-written inputs, each aimed at one rule; most are read by the fast reader, some must
// make it give up, several are errors.
const char* const kCases[] = {
    // documents
    "",
    "\n\n",
    "# only a comment\n",
    "a: 1\n",
    "a: 1",
    "---\na: 1\n",
    "--- \na: 1\n",
    "---\n",
    "---",
    "--- # comment\na: 1\n",
    "--- a\n",
    "--- |\n  text\n",
    "--- >-\n  folded\n  text\n",
    "--- 'x'\n",
    "--- {}\n",
    "--- []\n",
    "--- a: b\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: 1\n...\nb: 2\n",
    "...\n",
    "---\n...\n---\n...\n",
    "---\n---\n---\n",
    "a: 1\n--- \n\n---\nb: 2\n...\n...\n",
    "----\n",
    "---x: 1\n",
    "...x: 1\n",
    "a: ---\n",
    "a: |\n  x\n---\nb: 1\n",
    "a: 'x\n---\n'\n",
    "a: 'x\n...\n'\n",
    "a: b\n--- c\n",
    "%YAML 1.1\n---\na: 1\n",
    // block mappings
    "a: 1\nb: 2\nc: 3\n",
    "a:\n  b:\n    c: d\n  e: f\ng: h\n",
    "a:\nb: 1\n",
    "a:\n",
    "a:",
    "a:   \n  \nb:\n",
    "a:\n\n\n  b: c\n",
    "key with spaces: value with spaces\n",
    "k:v: w\n",
    "a:b\n",
    "url: http://example.com:8080/path\n",
    "'quoted key': 1\n\"double key\": 2\n",
    "'it''s': 'it''s'\n",
    "\"a\\\"b\": \"c\\\\d\"\n",
    "a: b: c\n",
    "a: b\n  c: d\n",
    "a: b\nc\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n  b: 1\n   c: 2\n",
    "a: 1\na: 2\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1 # comment\nb: 2 #comment\n",
    "a: 1# not a comment\n",
    "a: x #c\n  #c2\nb: y\n",
    "# c\na: # c\n  # c\n  b: 1 # c\n# c\n",
    "a : 1\n",
    "a  :  1  \n",
    "? a\n: b\n",
    ": a\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !foo 1\n",
    "[a]: 1\n",
    "{a: b}: c\n",
    "'a': 1\n'b' : 2\n",
    // block sequences
    "- a\n- b\n",
    "- a\n-\n- c\n",
    "-\n",
    "- - a\n  - b\n- - c\n",
    "- - - x\n",
    "- a: 1\n  b: 2\n- c: 3\n",
    "- a:\n  - x\n  - y\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  - y\nb:\n- z\n",
    "a:\n- b:\n  - c\n  - d\n- e\n",
    "a:\n- \n- x\n",
    "- a\n - b\n",
    "- a\n  - b\n",
    "a: - b\n",
    "-a\n",
    "- -a\n",
    "-  a\n-   b\n",
    "- a\nb: 1\n",
    "a:\n  - x\n - y\n",
    "- |\n  text\n- >\n  folded\n",
    "- 'x'\n- \"y\"\n",
    "items:\n- kind: A\n  metadata:\n    name: a\n- kind: B\n",
    "apiVersion: v1\nkind: List\nitems:\n- a: 1\n- b: 2\n",
    // plain scalars
    "a: hello world\n",
    "a: hello   world   \n",
    "a: multi\n  line\n  plain\n",
    "a: multi\n\n  line\n\n\n  plain\nb: 1\n",
    "a: x\n  y:\n",
    "- x\n  y\n- z\n",
    "a: -1\nb: -x\nc: ?x\nd: :x\n",
    "a: 'x'y\n",
    "a: x'y\"z\n",
    "a: x%y@z`w\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: x\ty\n",
    "a: x\t\n",
    "a:\tx\n",
    "a:\t\tx\n",
    "\ta: x\n",
    "a:\n\tb: x\n",
    "a: x\n\ty\n",
    "a:\n  x\n\t y\n",
    "a: x #\n",
    "a: x#y\n",
    "a: x\n  #y\n  z\n",
    "a: very long line of text that goes on past eighty columns because go-yaml wraps such\n"
    "  strings at the eightieth column, folding the rest onto continuation lines\n",
    "a: 1.5\nb: true\nc: null\nd: ~\ne: 0x1f\n",
    "a:\n- 1\n- -2\n- 3.0\n",
    // single-quoted
    "a: ''\n",
    "a: 'x'\n",
    "a: 'x''y'''\n",
    "a: 'line\n  two'\n",
    "a: 'line\n\n  two'\n",
    "a: 'line  \n  two  '\n",
    "a: 'x\n",
    "a: 'x\n\n",
    "a: 'x' y\n",
    "a: 'x' # c\n",
    "a: 'x'#c\n",
    "a: 'multi\n  line'\nb: 1\n",
    "a: 'x\n y\n'\n",
    "a: '\tx\t'\n",
    "'a\n b': 1\n",
    // double-quoted
    "a: \"\"\n",
    "a: \"x\"\n",
    "a: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\"\n",
    "a: \"\\N\\_\\L\\P\"\n",
    "a: \"\\x41\\u00e9\\u20ac\\U0001F600\"\n",
    "a: \"\\xZZ\"\n",
    "a: \"\\x4\"\n",
    "a: \"\\uD800\"\n",
    "a: \"\\U00110000\"\n",
    "a: \"\\q\"\n",
    "a: \"\\\t\"\n",
    "a: \"line\\\n  continued\"\n",
    "a: \"line\\\n\n  continued\"\n",
    "a: \"line \\\n  continued\"\n",
    "a: \"fold\n  ed\"\n",
    "a: \"fold\n\n\n  ed\"\n",
    "a: \"x\n",
    "a: \"x\\",
    "a: \"\\\n\"\n",
    "a: \"x\\\n\"\n",
    "a: \"  leading and trailing  \"\n",
    "a: \"{\\\"json\\\": [1, 2]}\"\n",
    "\"a\": \"b\"\n\"c\":\n  \"d\"\n",
    // literal and folded
    "a: |\n  line 1\n  line 2\n",
    "a: |\n  line 1\n\n  line 3\n\n",
    "a: |-\n  x\n\n",
    "a: |+\n  x\n\n\nb: 1\n",
    "a: |+\n  x\n",
    "a: |+\n  x",
    "a: |\n  x",
    "a: |\n",
    "a: |",
    "a: |-\n",
    "a: |+\n\n\n",
    "a: |\n\n  x\n",
    "a: |\n   \n  x\n",
    "a: |\n    \n  x\n",
    "a: |\n  x\n    indented\n  y\n",
    "a: |\n  \tx\n",
    "a: |\n\tx\n",
    "a: |2\n   x\n",
    "a: |1\n  x\n",
    "a: |0\n  x\n",
    "a: |-2\n   x\n",
    "a: |2-\n   x\n",
    "a: |2+\n   x\n\n",
    "- |2\n   x\n",
    "a: | # comment\n  x\n",
    "a: | x\n",
    "a: |x\n",
    "a: >\n  folded\n  text\n\n  new para\n",
    "a: >\n  a\n    indented\n  b\n",
    "a: >\n  a\n\n    indented\n\n  b\n",
    "a: >-\n  a\n  b\n",
    "a: >+\n  a\n  b\n\n",
    "a: >\n \ta\n b\n",
    "a: |\n  x\nb: |\n  y\n",
    "- a: |\n    x\n  b: 1\n",
    "a:\n  b: |\n    deep\n  c: 1\n",
    "|\n x\n",
    ">\n x\n y\n",
    "a: |\n  x\n # comment?\n",
    "a: |\n  x\n  # not a comment\n",
    // flow collections
    "a: {}\nb: []\n",
    "a: { }\nb: [ ]\n",
    "a: [1, 2, 3]\n",
    "a: [\"x\", 'y', z]\n",
    "a: {b: 1, c: 2}\n",
    "a: {b: [1, 2], c: {d: e}}\n",
    "a: [b: 1, c]\n",
    "a: [1, 2,]\n",
    "a: [1,, 2]\n",
    "a: [1 2]\n",
    "a: [\n  1,\n  2\n]\n",
    "a: {b\n: 1}\n",
    "a: {b: }\n",
    "a: {b, c: d}\n",
    "a: {: b}\n",
    "a: [a:b]\n",
    "a: [a:,b]\n",
    "a: [x]y\n",
    "a: [\n",
    "a: ]\n",
    "a: }\n",
    "[]\n",
    "{}\n",
    "[a, b]\n",
    "{a: 1}\n",
    "- [a, b]\n- {c: d}\n",
    "a: [- x]\n",
    "a: [x, - y]\n",
    "a: [x #c\n, y]\n",
    "{a: 1}: 2\n",
    "a: {b: c} d\n",
    "a: [[[[1]]]]\n",
    "a: [{b: c}, {d: [e]}]\n",
    "a: [\"x\": 1]\n",
    "a: {\"b\":1}\n",
    "a: [|]\n",
    "a: {x: |}\n",
    // unicode
    "ключ: значение\n",
    "名前: 値\nkey: 値\n",
    "- ü: x\n  ö: y\n",
    "a: \"ünïcödé\" # comment ✓\nb: 1\n",
    "\"ü\": [ä, ö]\n",
    "a: 😀 x: y\n",
    "é: 1\n  b: 2\n",
    "a: x\xc2\xa0y\n",
    "ä: [b, ö, c]\n",
    "- ä: 1\n  ö: {x: ü, y: [1, 2]}\n",
    "k: \"é\\\n  x\" # ü\nz: 1\n",
    "ключ:\n  - значение: да\n    другой: нет\n",
    "a: |\n  ünïcode\n  lines\nb: ö\n",
    "a: ü ö ä: x\n",
    "🙂: 😀\n😀: [🙂, {🙂: 😀}]\n",
    "{é: 1, ö: [ü, {a: b}]}\n",
    "a: 'é\n  ö'\n",
    "ä:\n  ö:\n- ü\n",
    "a: x\xc2\x85y\n",
    "a: x\xe2\x80\xa8y\n",
    "\xef\xbb\xbf"
    "a: 1\n",
    "a: \xef\xbb\xbf\n",
    "a: \xff\n",
    "a: \xc3\n",
    "a: \xc0\x80\n",
    "a: \xed\xa0\x80\n",
    "a: \x01\n",
    "a: \x7f\n",
    "a: x\r\nb: y\r\n",
    "a: x\rb\n",
    // deep nesting
    "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h: 1\n",
    "- - - - - - - - - - x\n",
    "- a:\n  - b:\n    - c:\n      - d\n",
};

std::vector<std::string> hand_written() {
  std::vector<std::string> v(std::begin(kCases), std::end(kCases));
  // Cases that need bytes a C string cannot hold, or sizes a table should not.
  v.push_back(std::string("a: x\0y\n", 7));
  v.push_back("a: " + std::string(2000, 'x') + "\n");
  v.push_back(std::string(1030, 'k') + ": v\n");
  v.push_back(std::string(1020, 'k') + ": v\n");
  v.push_back("- " + std::string(1030, 'k') + ": v\n");
  v.push_back("a: [" + std::string(1100, 'x') + "]\n");
  v.push_back("[" + std::string(1100, 'x') + "]: v\n");
  std::string keys;
  for (int i = 0; i < 600; ++i) keys += "\xc3\xa9";  // 600 characters, 1200 bytes
  v.push_back(keys + ": v\n");
  v.push_back("- " + keys + ": v\n");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += std::string(2 * i, ' ') + "k:\n";
  v.push_back(deep);
  v.push_back(std::string(200, '[') + std::string(200, ']') + "\n");
  v.push_back("a: " + std::string(200, '[') + std::string(200, ']') + "\n");
  return v;
}

// A kubectl-style List of ConfigMaps, about 90 bytes each.
std::string big_list(int items) {
  std::string text = "apiVersion: v1\nkind: List\nitems:\n";
  for (int i = 0; i < items; ++i) {
    const std::string n = std::to_string(i);
    text += "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-" + n +
            "\n  data:\n    key: value " + n + "\n";
  }
  return text + "metadata:\n  resourceVersion: \"\"\n";
}

// The same as YAML documents, about 45 bytes each.
std::string many_documents(int documents) {
  std::string text;
  for (int i = 0; i < documents; ++i)
    text += "---\nkind: ConfigMap\nmetadata:\n  name: cm-" + std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_CASE("yaml fast: hand-written cases read as libyaml reads them", "[k8s][yaml]") {
  size_t fast = 0;
  const auto cases = hand_written();
  for (const std::string& text : cases) {
    INFO("input: \"" << escaped(text) << "\"");
    const Verdict v = compare(text);
    CHECK(v.problem == "");
    CHECK(delivered_problem(text) == "");
    fast += v.fast;
  }
  // Most of the table is in the subset; the rest is meant to make the reader give up.
  CHECK(fast > cases.size() / 2);
}

TEST_CASE("yaml fast: every example and test file", "[k8s][yaml]") {
  const auto files = corpus_files();
  REQUIRE(files.size() > 100);
  size_t fast = 0;
  for (const std::string& file : files) {
    INFO(file);
    const std::string text = testing::slurp_file(file);
    const Verdict v = compare(text);
    CHECK(v.problem == "");
    CHECK(delivered_problem(text) == "");
    fast += v.fast;
    // Dumps and manifests written by tools are in the subset.
    if (file.find("/examples/") != std::string::npos ||
        file.find("/tests/data/") != std::string::npos)
      CHECK(v.fast);
  }
  // A reader that gave up on everything would pass the differential check.
  CHECK(fast >= files.size() * 9 / 10);
}

TEST_CASE("yaml fast: a bad byte deep in a large file", "[k8s][yaml]") {
  // libyaml decodes 16 KiB at a time and reports a bad byte before the events that precede
  // it in that block: the fast reader must not hand over objects libyaml would not.
  const std::string list = big_list(1200);
  REQUIRE(list.size() > 100000);
  REQUIRE(compare(list).fast);
  const std::string docs = many_documents(1200);
  REQUIRE(compare(docs).fast);
  // Bytes libyaml's reader rejects, at offsets spread over its 16 KiB blocks; then bytes the
  // fast reader gives up on although libyaml reads them.
  const char* const rejected[] = {"\x01", "\xff", "\xc3"};
  const char* const unsupported[] = {"\r", "\xef\xbb\xbf", "&anchor ", "\xc2\x85"};
  size_t n = 0;
  for (const std::string* base : {&list, &docs}) {
    for (size_t at = 5000; at < base->size(); at += 5471) {
      std::string text = *base;
      text.insert(at, rejected[n % std::size(rejected)]);
      if (n % 4 == 0) text.insert(at / 2, unsupported[n / 4 % std::size(unsupported)]);
      ++n;
      INFO("inserted at " << at << " of " << text.size());
      CHECK(compare(text).problem == "");
      CHECK(delivered_problem(text) == "");
    }
  }
}

TEST_CASE("yaml fast: parse_yaml hands each object over once when the reader gives up",
          "[k8s][yaml]") {
  const std::pair<const char*, size_t> cases[] = {
      // An anchor in the third document: two objects come from the fast reader.
      {"kind: A\n---\nkind: B\n---\nkind: &c C\n---\nkind: D\n", 4},
      // A tag in the last List item.
      {"kind: List\nitems:\n- kind: A\n- kind: B\n- kind: !!str C\n", 4},
      // CR LF line ends from the start.
      {"kind: A\r\n---\r\nkind: B\r\n", 2},
  };
  for (const auto& [text, objects] : cases) {
    INFO(escaped(text));
    CHECK_FALSE(compare(text).fast);
    const Delivered d = through_parse_yaml(text, {});
    CHECK(d.ok);
    CHECK(d.objects.size() == objects);
    CHECK(d.diagnostics == "");
    CHECK(delivered_problem(text) == "");
  }
  // A syntax error after the point where the reader gave up is libyaml's to report.
  const std::string text = "kind: A\n---\nkind: &b B\n---\nkind: C\n  bad: indent\n";
  const Delivered d = through_parse_yaml(text, {});
  CHECK_FALSE(d.ok);
  CHECK(d.objects.size() == 2);
  CHECK(d.diagnostics.find("in.yaml:6:6: error: mapping values are not allowed") == 0);
  CHECK(delivered_problem(text) == "");
  // A duplicate key is the TreeBuilder's error, reported once by the fast reader's run.
  const Delivered dup = through_parse_yaml("kind: A\nkind: B\n", {});
  CHECK_FALSE(dup.ok);
  CHECK(dup.diagnostics.find("in.yaml:2:1: error: duplicate key \"kind\"") == 0);
  CHECK(delivered_problem("kind: A\nkind: B\n") == "");
}

TEST_CASE("yaml fast: random edits of the corpus", "[k8s][yaml]") {
  // Seeds: the hand-written cases and the small corpus files.
  std::vector<std::string> seeds = hand_written();
  for (const std::string& file : corpus_files()) {
    std::string text = testing::slurp_file(file);
    if (text.size() <= 4096) seeds.push_back(std::move(text));
  }
  static const std::string kBytes[] = {
      " ", ":", "-",   "#",   "'",    "\"", "|",        ">",  "\n",   "{",  "}",           "[",
      "]", "&", "*",   "!",   "?",    "%",  "\t",       "\\", ",",    "0",  "2",           "+",
      ".", "x", "---", "...", "\n- ", ": ", "\xc3\xa9", "  ", "\n  ", "\r", "\xef\xbb\xbf"};
  std::mt19937 rng(20261127);  // fixed: the same mutants on every run
  auto pick = [&](size_t n) { return n ? static_cast<size_t>(rng() % n) : 0; };
  constexpr int kMutants = 4000;
  int fast = 0, failures = 0;
  for (int m = 0; m < kMutants && failures < 10; ++m) {
    std::string text = seeds[pick(std::size(seeds))];
    const size_t edits = 1 + pick(3);
    for (size_t e = 0; e < edits; ++e) {
      const size_t at = pick(text.size() + 1);
      switch (pick(3)) {
        case 0:  // delete
          if (at < text.size()) text.erase(at, 1 + pick(3));
          break;
        case 1:  // insert
          text.insert(at, kBytes[pick(std::size(kBytes))]);
          break;
        default:  // replace
          if (at < text.size()) text.replace(at, 1, kBytes[pick(std::size(kBytes))]);
          break;
      }
    }
    const Verdict v = compare(text);
    std::string problem = v.problem;
    if (problem.empty()) problem = delivered_problem(text);
    if (!problem.empty()) {
      ++failures;
      INFO("mutant " << m << ": \"" << escaped(text) << "\"");
      CHECK(problem == "");
    }
    fast += v.fast;
  }
  CHECK(failures == 0);
  // Most mutants are still in the subset (or, as errors, given up on).
  CHECK(fast > kMutants / 4);
}

}  // namespace dra::k8s::detail
