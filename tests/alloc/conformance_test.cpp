// tests/alloc/conformance_test.cpp -- the allocator against upstream's own test table:
// tests/conformance/allocator/ holds each case of kubernetes/dynamic-resource-allocation's
// allocator_testing.go (and lexicographical_testing.go) as a dump plus the result the real
// upstream allocator gave (its README gives the format and the comparison rules). Every case
// must give the same outcome, the same devices in the same order, the same configuration
// and node selector.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "alloc/allocator.hpp"
#include "k8s/encode.hpp"
#include "k8s/load.hpp"
#include "k8s/parse.hpp"

namespace dra::alloc {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// JSON with map keys sorted, so that key order does not matter.
std::string canon(const k8s::Value& v) {
  switch (v.kind) {
    case k8s::Value::Kind::Null:
      return "null";
    case k8s::Value::Kind::Bool:
      return v.boolean ? "true" : "false";
    case k8s::Value::Kind::Int:
    case k8s::Value::Kind::Float:
      return v.text;
    case k8s::Value::Kind::String:
      return "\"" + v.text + "\"";
    case k8s::Value::Kind::List: {
      std::string out = "[";
      for (const auto& i : v.items) out += canon(i) + ",";
      return out + "]";
    }
    case k8s::Value::Kind::Map: {
      std::vector<std::pair<std::string, std::string>> f;
      for (const auto& [k, x] : v.fields) f.emplace_back(k, canon(x));
      std::sort(f.begin(), f.end());
      std::string out = "{";
      for (const auto& [k, x] : f) out += "\"" + k + "\":" + x + ",";
      return out + "}";
    }
  }
  return "?";
}

k8s::Value parse_json_value(const std::string& text) {
  util::Diagnostics diags;
  k8s::Value out;
  k8s::parse_json(
      text, "expected.json", {}, [&](const k8s::ParsedObject& o) { out = k8s::to_value(o.node); },
      diags);
  return out;
}

// One claim's allocation in the oracle's shape.
k8s::Value oracle_claim(const k8s::ResourceClaim& claim, const k8s::AllocationResult& result) {
  k8s::ResourceClaim copy = claim;
  copy.status.allocation = result;
  copy.has_status = true;
  const k8s::Value encoded = k8s::encode(copy, k8s::ApiVersion::V1);
  const k8s::Value* allocation = encoded.get("status")->get("allocation");
  const k8s::Value* devices = allocation->get("devices");
  k8s::Value out = k8s::Value::map();
  k8s::Value results = k8s::Value::list();
  if (const k8s::Value* r = devices ? devices->get("results") : nullptr) results = *r;
  for (k8s::Value& r : results.items)
    for (auto& [k, x] : r.fields)
      if (k == "shareID") x = k8s::Value::of("<generated>");
  out.add("results", results);
  const k8s::Value* ns = allocation->get("nodeSelector");
  out.add("nodeSelector", ns ? *ns : k8s::Value::null());
  const k8s::Value* config = devices ? devices->get("config") : nullptr;
  out.add("config", config ? *config : k8s::Value::list());
  return out;
}

struct Case {
  std::string name;
  std::string node;
  bool allocatable = false;
  std::string error_kind;  // "", "failedOnNode", "fatal"
  std::string error;
  std::string claims;  // canonical
};

struct Quiet : Observer {};

// `observe`: with an observer attached (the allocator then walks every device and keeps
// no memo across calls). `twice`: the second of two calls on one allocator (the first
// leaves its memos behind).
Case run_case(const fs::path& yaml, bool observe = false, bool twice = false) {
  Case c;
  c.name = yaml.stem().string();
  const std::string text = read(yaml);
  const std::string first = text.substr(0, text.find('\n'));
  REQUIRE(first.rfind("# node: ", 0) == 0);
  c.node = first.substr(8);
  util::Diagnostics diags;
  k8s::Cluster cluster;
  k8s::load_text(text, yaml.string(), cluster, diags);
  const k8s::NodeObject* node = nullptr;
  for (const auto& n : cluster.nodes)
    if (n.metadata.name == c.node) node = &n;
  k8s::NodeObject empty_node;
  empty_node.metadata.name = c.node;
  if (!node) node = &empty_node;
  std::vector<const k8s::ResourceClaim*> claims;
  for (const k8s::Pod& pod : cluster.pods)
    for (const k8s::PodResourceClaim& prc : pod.resource_claims)
      for (const k8s::ResourceClaim& claim : cluster.resource_claims)
        if (prc.resource_claim_name && claim.metadata.name == *prc.resource_claim_name &&
            !claim.status.allocation)
          claims.push_back(&claim);
  Quiet quiet;
  Options options;
  if (observe) options.observer = &quiet;
  Allocator allocator(cluster, allocated_state(cluster), options);
  if (twice) (void)allocator.allocate(*node, claims);
  const Outcome o = allocator.allocate(*node, claims);
  c.allocatable = o.kind == Outcome::Kind::Allocated;
  c.error = o.error;
  c.error_kind = o.kind == Outcome::Kind::Error          ? "fatal"
                 : o.kind == Outcome::Kind::FailedOnNode ? "failedOnNode"
                                                         : "";
  k8s::Value m = k8s::Value::map();
  if (c.allocatable)
    for (size_t i = 0; i < claims.size(); ++i)
      m.add(claims[i]->metadata.namespace_ + "/" + claims[i]->metadata.name,
            oracle_claim(*claims[i], o.results[i]));
  c.claims = canon(m);
  return c;
}

}  // namespace

TEST_CASE("alloc: upstream's allocator test table (conformance fixtures)", "[alloc][conformance]") {
  const fs::path dir = fs::path(DRA_SOURCE_DIR) / "tests/conformance/allocator";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() == 224);
  int passed = 0;
  for (const fs::path& yaml : cases) {
    fs::path expected_path = yaml;
    expected_path.replace_extension(".expected.json");
    const k8s::Value expected = parse_json_value(read(expected_path));
    const Case got = run_case(yaml);
    const k8s::Value* kind = expected.get("errorKind");
    const bool allocatable = expected.get("allocatable")->boolean;
    const std::string want_kind = kind ? kind->text : "";
    const std::string want_claims = canon(*expected.get("claims"));
    INFO("case " << got.name << "\n  our error: " << got.error << "\n  upstream: "
                 << (expected.get("error")->is_null() ? "null" : expected.get("error")->text)
                 << "\n  ours:     " << got.claims << "\n  upstream: " << want_claims);
    CHECK(got.allocatable == allocatable);
    CHECK(got.error_kind == want_kind);
    CHECK(got.claims == want_claims);
    // Upstream's error text, word for word (the README allows loose matching; we need none).
    const k8s::Value* want_error = expected.get("error");
    CHECK(got.error == (want_error->is_null() ? "" : want_error->text));
    if (got.allocatable == allocatable && got.error_kind == want_kind && got.claims == want_claims)
      ++passed;
  }
  CHECK(passed == static_cast<int>(cases.size()));
}

TEST_CASE("alloc: an observer and memos from earlier calls change no decision",
          "[alloc][conformance]") {
  // The allocator keeps isSelectable verdicts per node across calls and, without an
  // observer, walks only the devices they accept; with one it walks every device. Each
  // fixture must come out the same all three ways.
  const fs::path dir = fs::path(DRA_SOURCE_DIR) / "tests/conformance/allocator";
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    const Case plain = run_case(e.path());
    for (const auto& [observe, twice] : {std::pair(true, false), std::pair(false, true)}) {
      const Case other = run_case(e.path(), observe, twice);
      INFO("case " << plain.name << (observe ? " with an observer" : " called twice"));
      CHECK(other.allocatable == plain.allocatable);
      CHECK(other.error_kind == plain.error_kind);
      CHECK(other.error == plain.error);
      CHECK(other.claims == plain.claims);
    }
  }
  CHECK(n == 224);
}

}  // namespace dra::alloc
