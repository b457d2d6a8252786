// tests/author/where_test.cpp -- `--where` conditions: the CEL they make (guarded reads,
// typed literals), that it compiles and selects the devices it should, and errors with
// their columns.
#include "author/where.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "selectors/cache.hpp"
#include "selectors/program.hpp"
#include "test_util.hpp"

namespace dra::author {
namespace {

std::string cel(std::string_view condition, const Vocabulary* v = nullptr) {
  const WhereResult r = where_to_cel(condition, "gpu.example.com", v);
  if (r.error) FAIL("unexpected error: " << r.error->message);
  return r.cel;
}

WhereError error(std::string_view condition, const Vocabulary* v = nullptr,
                 std::string_view domain = "gpu.example.com") {
  const WhereResult r = where_to_cel(condition, domain, v);
  REQUIRE(r.error);
  return *r.error;
}

const char* kSlice = R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: gpu.example.com
  pool: {name: p, resourceSliceCount: 1}
  nodeName: n1
  devices:
  - name: h100
    attributes:
      model: {string: H100}
      cores: {int: 16}
      mig: {bool: false}
      driverVersion: {version: 550.54.15}
      profiles: {strings: [1g.10gb, 2g.20gb]}
    capacity:
      memory: {value: 80Gi}
  - name: a100
    attributes:
      model: {string: A100}
      cores: {int: 8}
      mig: {bool: true}
      driverVersion: {version: 535.104.5}
    capacity:
      memory: {value: 40Gi}
  - name: bare
)";

// The devices of kSlice the condition's CEL selects, by name.
std::vector<std::string> selected(const std::string& expression) {
  static const k8s::Cluster c = testing::cluster_of(kSlice);
  const selectors::Compiled compiled = selectors::compile(expression);
  if (!compiled.ok()) FAIL(selectors::format_issues(expression, compiled.issues));
  selectors::MatchCache cache;
  std::vector<std::string> out;
  const auto& slice = c.resource_slices.front();
  for (const k8s::Device& d : slice.spec.devices) {
    const selectors::Match m =
        selectors::to_match(cache.evaluate(*compiled.program, d, slice.spec.driver));
    if (!m.error.empty()) FAIL("runtime error on " << d.name << ": " << m.error);
    if (m.matches) out.push_back(d.name);
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("author: --where conditions from the literal's form", "[author]") {
  CHECK(cel("model=H100") == R"(has(device.attributes["gpu.example.com"].model) && )"
                             R"(device.attributes["gpu.example.com"].model == "H100")");
  CHECK(selected(cel("model=H100")) == V{"h100"});
  CHECK(selected(cel("model!=H100")) == V{"a100"});
  CHECK(selected(cel("model in (A100, H100)")) == V{"h100", "a100"});
  CHECK(selected(cel("model notin (A100)")) == V{"h100"});
  CHECK(cel("cores>8") == R"(has(device.attributes["gpu.example.com"].cores) && )"
                          R"(device.attributes["gpu.example.com"].cores > 8)");
  CHECK(selected(cel("cores>8")) == V{"h100"});
  CHECK(selected(cel("cores<=8")) == V{"a100"});
  CHECK(cel("memory>=40Gi") ==
        R"(has(device.capacity["gpu.example.com"].memory) && )"
        R"(device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0)");
  CHECK(selected(cel("memory>=40Gi")) == V{"h100", "a100"});
  CHECK(selected(cel("memory>40Gi")) == V{"h100"});
  CHECK(cel("driverVersion>=540.0.0") ==
        R"(has(device.attributes["gpu.example.com"].driverVersion) && )"
        R"(device.attributes["gpu.example.com"].driverVersion.compareTo(semver("540.0.0")) >= 0)");
  CHECK(selected(cel("driverVersion>=540.0.0")) == V{"h100"});
  CHECK(selected(cel("mig")) == V{"a100"});
  CHECK(selected(cel("!mig")) == V{"h100", "bare"});  // a device without it is not MIG
  CHECK(selected(cel("mig=false")) == V{"h100"});
  CHECK(selected(cel("has(model)")) == V{"h100", "a100"});
  CHECK(selected(cel("!has(model)")) == V{"bare"});
  // Qualified names keep their domain; quoted values are strings, escaped for CEL.
  CHECK(cel("other.example.com/model='a\"b'") ==
        R"(has(device.attributes["other.example.com"].model) && )"
        R"(device.attributes["other.example.com"].model == "a\"b")");
  // A reserved word cannot follow a dot: map syntax and `in` instead.
  CHECK(cel("has(in)") == R"("in" in device.attributes["gpu.example.com"])");
}

TEST_CASE("author: --where conditions typed by the class's devices", "[author]") {
  const k8s::Cluster c = testing::cluster_of(kSlice);
  std::vector<std::pair<const k8s::ResourceSlice*, const k8s::Device*>> devices;
  for (const auto& d : c.resource_slices.front().spec.devices)
    devices.emplace_back(&c.resource_slices.front(), &d);
  const Vocabulary v = Vocabulary::of(devices);
  // "40" alone would be an int; the devices say memory is a capacity.
  CHECK(cel("memory>=40", &v) ==
        R"(has(device.capacity["gpu.example.com"].memory) && )"
        R"(device.capacity["gpu.example.com"].memory.compareTo(quantity("40")) >= 0)");
  // A version attribute compares as a version even when written short of a patch level.
  CHECK_THAT(error("driverVersion>=535", &v).message, Catch::Contains("not a semantic version"));
  // A list attribute: includes().
  CHECK(cel("profiles=1g.10gb", &v) ==
        R"(has(device.attributes["gpu.example.com"].profiles) && )"
        R"(device.attributes["gpu.example.com"].profiles.includes("1g.10gb"))");
  CHECK(selected(cel("profiles=1g.10gb", &v)) == V{"h100"});
  const WhereError e = error("modl=H100", &v);
  CHECK(e.column == 1);
  CHECK(e.message == "no device of the class has modl");
  CHECK(e.hint == "did you mean model?");
  CHECK_THAT(error("cores=many", &v).message, Catch::Contains("not an integer"));
}

TEST_CASE("author: bad --where conditions say where", "[author]") {
  WhereError e = error("model=>H100");
  CHECK(e.column == 7);
  CHECK(e.message == "a value does not start with \">\"");
  e = error("model >");
  CHECK(e.column == 8);
  CHECK(e.message == "expected a value");
  e = error("model in A100");
  CHECK(e.column == 10);
  CHECK(e.message == "expected '(' after in");
  e = error("model ~ x");
  CHECK(e.column == 7);
  e = error("model>H100");
  CHECK(e.column == 1);
  CHECK_THAT(e.message, Catch::Contains("string attribute"));
  e = error("cores", nullptr, "");
  CHECK_THAT(e.message, Catch::Contains("cannot tell the domain of cores"));
  CHECK_THAT(e.hint, Catch::Contains("--driver"));
  e = error("");
  CHECK(e.message == "empty condition");
  e = error("model-x=1");
  CHECK_THAT(e.message, Catch::Contains("not an attribute or capacity name"));
}

}  // namespace dra::author
