// tests/selectors/projection_test.cpp -- which selectors read only fixed device paths, and
// that devices with equal projection keys always get equal results (the property the
// allocator's shared verdicts rely on).
#include "selectors/projection.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cel_test_util.hpp"
#include "selectors/cache.hpp"
#include "selectors/program.hpp"

namespace dra::selectors {
namespace {

std::optional<std::vector<DevicePath>> paths_of(std::string_view expression) {
  const Compiled c = compile(expression);
  REQUIRE(c.ok());
  return device_paths(c.program->ast());
}

std::string describe(const std::vector<DevicePath>& paths) {
  std::string out;
  for (const DevicePath& p : paths) {
    if (!out.empty()) out += " ";
    switch (p.kind) {
      case DevicePath::Kind::Driver:
        out += "driver";
        break;
      case DevicePath::Kind::AllowMultipleAllocations:
        out += "allowMultipleAllocations";
        break;
      case DevicePath::Kind::Attribute:
        out += "attr:" + p.domain + "/" + p.name;
        break;
      case DevicePath::Kind::Capacity:
        out += "cap:" + p.domain + "/" + p.name;
        break;
    }
  }
  return out;
}

using A = k8s::DeviceAttribute;

k8s::Device device(std::vector<std::pair<std::string_view, A>> attributes,
                   std::vector<std::pair<std::string_view, std::string_view>> capacity = {}) {
  return testing::make_device(std::move(attributes), std::move(capacity));
}

std::string key(std::string_view expression, const k8s::Device& d, std::string_view driver) {
  auto paths = paths_of(expression);
  REQUIRE(paths);
  std::string out;
  projection_key(*paths, d, driver, out);
  return out;
}

}  // namespace

TEST_CASE("selectors: the device paths a selector reads", "[selectors][projection]") {
  struct Row {
    std::string_view expression;
    std::string_view paths;  // "-": not projectable
  };
  const Row rows[] = {
      {R"(device.driver == "gpu.example.com")", "driver"},
      {R"(device.driver == "d" && device.attributes["d"].model == "a")", "driver attr:d/model"},
      {R"(device.attributes["d"]["model"] == "a" || device.attributes["d"].model == "b")",
       "attr:d/model"},
      {R"(has(device.attributes["d"].x) && device.attributes["d"].x > 1)", "attr:d/x"},
      {R"(device.capacity["d"].memory.compareTo(quantity("40Gi")) >= 0)", "cap:d/memory"},
      {R"(device.allowMultipleAllocations)", "allowMultipleAllocations"},
      {R"(device.attributes["d"].name.startsWith("gpu-"))", "attr:d/name"},
      {R"(cel.bind(m, device.attributes["d"].model, m == "a"))", "attr:d/model"},
      {"true", ""},
      // Reads of an unknown part of the device.
      {R"(device.attributes["d"].size() == 2)", "-"},
      {R"("x" in device.attributes["d"])", "-"},
      {R"(device.attributes[device.driver].model == "a")", "-"},
      {R"(device.attributes["d"].?model.orValue("") == "a")", "-"},
      {R"(device.attributes["d"][?"model"].orValue("") == "a")", "-"},
      {R"(device.attributes.exists(k, k == "d"))", "-"},
      {R"(device.capacity["d"].size() > 0)", "-"},
      {R"(size(device.attributes) > 0)", "-"},
      {R"(.device.driver == "d")", "-"},
      {R"([1].all(device, device > 0) && true)", "-"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.expression);
    const auto paths = paths_of(r.expression);
    if (r.paths == "-") {
      CHECK_FALSE(paths);
    } else {
      REQUIRE(paths);
      CHECK(describe(*paths) == r.paths);
    }
  }
}

TEST_CASE("selectors: projection keys", "[selectors][projection]") {
  const std::string_view expr = R"(device.attributes["d"].model == "a")";
  // A bare name belongs to the driver's domain: the same as the qualified name there.
  CHECK(key(expr, device({{"model", A::of_string("a")}}), "d") ==
        key(expr, device({{"d/model", A::of_string("a")}}), "d"));
  // ... and to nothing under another driver.
  CHECK(key(expr, device({{"model", A::of_string("a")}}), "other") ==
        key(expr, device({}), "other"));
  CHECK(key(expr, device({{"model", A::of_string("a")}}), "d") !=
        key(expr, device({{"model", A::of_string("b")}}), "d"));
  CHECK(key(expr, device({{"model", A::of_string("a")}}), "d") != key(expr, device({}), "d"));
  // Types are part of the key: the string "1" is not the int 1.
  CHECK(key(expr, device({{"model", A::of_string("1")}}), "d") !=
        key(expr, device({{"model", A::of_int(1)}}), "d"));
  // Attributes the selector does not read do not matter.
  CHECK(key(expr, device({{"model", A::of_string("a")}, {"serial", A::of_int(1)}}), "d") ==
        key(expr, device({{"model", A::of_string("a")}, {"serial", A::of_int(2)}}), "d"));
  // When a name appears twice, the first one is what the selector reads.
  CHECK(key(expr, device({{"model", A::of_string("a")}, {"d/model", A::of_string("b")}}), "d") ==
        key(expr, device({{"model", A::of_string("a")}}), "d"));
  const std::string_view cap = R"(device.capacity["d"].memory.compareTo(quantity("1Gi")) >= 0)";
  CHECK(key(cap, device({}, {{"memory", "1Gi"}}), "d") ==
        key(cap, device({}, {{"d/memory", "1Gi"}}), "d"));
  CHECK(key(cap, device({}, {{"memory", "1Gi"}}), "d") !=
        key(cap, device({}, {{"memory", "2Gi"}}), "d"));
  CHECK(key("device.driver == \"d\"", device({}), "d") !=
        key("device.driver == \"d\"", device({}), "e"));
  // A '/' in the domain: the name "a/b/c" stands for domain "a" and name "b/c", so it is not
  // what device.attributes["a/b"].c reads; a bare "c" of driver "a/b" is.
  const std::string_view slashed = R"(device.attributes["a/b"].c == 1)";
  CHECK(key(slashed, device({{"a/b/c", A::of_int(1)}}), "a/b") == key(slashed, device({}), "a/b"));
  CHECK(key(slashed, device({{"c", A::of_int(1)}}), "a/b") != key(slashed, device({}), "a/b"));
}

TEST_CASE("selectors: devices whose value cannot be built are not convertible",
          "[selectors][projection]") {
  DeviceValueCache cache;
  CHECK(convertible(device({{"v", A::of_version("1.2.3")}}), cache));
  CHECK_FALSE(convertible(device({{"v", A::of_version("1.2")}}), cache));
  CHECK_FALSE(convertible(device({{"v", A::of_versions({"1.0.0", "x"})}}), cache));
  CHECK_FALSE(convertible(device({{"none", A{}}}), cache));
  CHECK(convertible(device({{"s", A::of_string("x")}, {"i", A::of_int(1)}}), cache));
}

namespace {

// Projectable selectors that read devices in different ways, errors included.
const std::vector<std::string_view>& projectable_selectors() {
  static const std::vector<std::string_view> selectors = {
      R"(device.attributes["d"].model == "a")",
      R"(device.attributes["d"].model == "a" && device.attributes["d"].count > 1)",
      R"(has(device.attributes["d"].count) ? device.attributes["d"].count > 1 : false)",
      R"(device.attributes["e"].flag)",
      R"(device.capacity["d"].memory.compareTo(quantity("2Gi")) >= 0)",
      R"(device.driver == "d" || device.attributes["d"].v.isGreaterThan(semver("1.1.0")))",
      R"(device.attributes["d"].tags.exists(t, t == "x"))",
  };
  return selectors;
}

// Random devices over a small space of attribute values (so that keys collide often), with
// their drivers.
std::vector<std::pair<k8s::Device, std::string>> random_devices() {
  std::mt19937 rng(20261127);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<std::pair<k8s::Device, std::string>> devices;
  for (int i = 0; i < 300; ++i) {
    std::vector<std::pair<std::string_view, A>> attrs;
    if (pick(4))
      attrs.push_back({pick(2) ? "model" : "d/model", A::of_string(pick(2) ? "a" : "b")});
    if (pick(3)) attrs.push_back({"count", pick(4) ? A::of_int(pick(3)) : A::of_string("2")});
    if (pick(2)) attrs.push_back({"e/flag", A::of_bool(pick(2))});
    if (pick(2)) attrs.push_back({"v", A::of_version(pick(2) ? "1.0.0" : "1.2.0")});
    if (pick(2))
      attrs.push_back({"tags", A::of_strings(pick(2) ? std::vector<std::string>{"x"}
                                                     : std::vector<std::string>{"y"})});
    if (pick(5) == 0) attrs.push_back({"serial", A::of_int(i)});
    std::vector<std::pair<std::string_view, std::string_view>> caps;
    if (pick(3)) caps.push_back({"memory", pick(2) ? "1Gi" : "4Gi"});
    devices.emplace_back(device(std::move(attrs), std::move(caps)), pick(3) ? "d" : "e");
  }
  return devices;
}

}  // namespace

TEST_CASE("selectors: equal projection keys give equal results", "[selectors][projection]") {
  // For each projectable selector, every pair of random devices with equal keys must get
  // the same result.
  const auto devices = random_devices();
  MatchCache cache;
  for (std::string_view expr : projectable_selectors()) {
    CAPTURE(expr);
    const Compiled c = compile(expr);
    REQUIRE(c.ok());
    const auto paths = device_paths(c.program->ast());
    REQUIRE(paths);
    std::map<std::string, std::string> seen;  // key -> result
    size_t distinct = 0;
    for (const auto& [d, driver] : devices) {
      std::string k;
      projection_key(*paths, d, driver, k);
      const Value v = cache.evaluate_on(*c.program, cache.make_device(d, driver));
      const std::string result = v.is_error() ? "error: " + v.error_message() : to_debug_string(v);
      auto [it, fresh] = seen.try_emplace(k, result);
      distinct += fresh;
      CHECK(it->second == result);
    }
    CHECK(distinct < devices.size() / 4);  // sharing does happen
  }
}

TEST_CASE("selectors: a Projector reads a device as alike only when its key is the same",
          "[selectors][projection]") {
  // read() spares the allocator a key for a device that reads as the one before: it must
  // never say so when the keys differ, and for attributes it must see every equal pair.
  const auto devices = random_devices();
  for (std::string_view expr : projectable_selectors()) {
    CAPTURE(expr);
    const auto paths = paths_of(expr);
    REQUIRE(paths);
    const bool capacity = std::any_of(paths->begin(), paths->end(), [](const DevicePath& p) {
      return p.kind == DevicePath::Kind::Capacity;
    });
    for (const std::string driver : {"d", "e"}) {
      Projector projector(*paths, driver);
      std::string before;
      size_t alike = 0, equal = 0, read = 0;
      for (const auto& [d, its_driver] : devices) {
        if (its_driver != driver) continue;
        const bool same = projector.read(d);
        std::string key;
        projector.key(key);
        std::string direct;
        projector.key(d, direct);
        CHECK(key == direct);  // the key of the device read last
        if (read++ > 0) {
          CHECK((!same || key == before));
          alike += same;
          equal += key == before;
          if (!capacity) CHECK(same == (key == before));
        } else {
          CHECK_FALSE(same);  // nothing read before
        }
        before = key;
      }
      CHECK(read > 50);
      if (!capacity) CHECK(alike > 0);  // it does spare keys
      CHECK(alike <= equal);
    }
  }
}

}  // namespace dra::selectors
