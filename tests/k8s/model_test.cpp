// tests/k8s/model_test.cpp -- what the model's equality means: a claim's spec compares by
// content (every field, unknown ones included), not by where it was read.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "k8s/emit.hpp"
#include "k8s/encode.hpp"
#include "test_util.hpp"

namespace dra::k8s {
namespace {

// A claim whose spec is `spec` (YAML, indented under "spec:").
std::string claim(const std::string& name, const std::string& spec) {
  return "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
         ", namespace: default}\nspec:\n" + spec;
}

// A spec with one request `name` for `count` devices of `cls` chosen by `selector`; `more`
// adds lines to the request's `exactly` block and `tail` lines after `requests`.
std::string spec(const std::string& name = "gpu", const std::string& cls = "gpu.example.com",
                 int count = 2, const std::string& model = "h100", const std::string& more = "",
                 const std::string& tail = "") {
  return "  devices:\n    requests:\n    - name: " + name + "\n      exactly:\n" +
         "        deviceClassName: " + cls + "\n        count: " + std::to_string(count) + "\n" +
         more + "        selectors:\n" +
         "        - cel: {expression: 'device.attributes[\"gpu.example.com\"].model == \"" + model +
         "\"'}\n" + tail;
}

// Specs that each differ from spec() in one field the allocator reads (or one it does not).
const std::vector<std::string> kDifferent = {
    spec("gpus"),                               // request name
    spec("gpu", "other.example.com"),           // class
    spec("gpu", "gpu.example.com", 3),          // count
    spec("gpu", "gpu.example.com", 2, "a100"),  // selector
    spec("gpu", "gpu.example.com", 2, "h100", "        adminAccess: true\n"),
    spec("gpu", "gpu.example.com", 2, "h100",
         "        tolerations: [{key: k, operator: Exists}]\n"),  // a toleration
    spec("gpu", "gpu.example.com", 2, "h100",
         "        capacity: {requests: {memory: 10Gi}}\n"),  // a capacity request
    spec("gpu", "gpu.example.com", 2, "h100", "",
         "    constraints:\n    - matchAttribute: gpu.example.com/numa\n"),
    spec("gpu", "gpu.example.com", 2, "h100", "",
         "    config:\n    - opaque: {driver: gpu.example.com, parameters: {mode: fast}}\n"),
    // a prioritized list instead
    "  devices:\n    requests:\n    - name: gpu\n      firstAvailable:\n"
    "      - {name: big, deviceClassName: gpu.example.com, count: 2}\n",
    // a field the model does not know
    spec("gpu", "gpu.example.com", 2, "h100", "        futureField: 1\n"),
};

const k8s::ResourceClaimSpec& spec_of(const k8s::Cluster& c, size_t i) {
  auto it = c.resource_claims.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(i));
  return it->spec;
}

std::string spec_json(const k8s::Cluster& c, size_t i) {
  k8s::ResourceClaim bare;
  bare.spec = spec_of(c, i);
  return to_compact_json(encode(bare, ApiVersion::V1));
}

TEST_CASE("model: claim specs are equal by content wherever they were read", "[k8s]") {
  // The same spec written in another style, at other positions, in a claim of another name.
  const std::string same =
      R"(  devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.example.com, count: 2,
    selectors: [{cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}}]}}]}
)";
  std::string yaml = claim("base", spec()) + claim("same", same);
  for (size_t i = 0; i < kDifferent.size(); ++i)
    yaml += claim("variant-" + std::to_string(i), kDifferent[i]);
  const k8s::Cluster c = testing::cluster_of(yaml);
  REQUIRE(c.resource_claims.size() == kDifferent.size() + 2);

  CHECK(spec_of(c, 0) == spec_of(c, 1));
  CHECK(spec_of(c, 0).origin.pos != spec_of(c, 1).origin.pos);
  // Every variant differs from the base and from each other; equality agrees with the
  // canonical encoding, which writes every field.
  for (size_t i = 0; i < c.resource_claims.size(); ++i)
    for (size_t j = 0; j < c.resource_claims.size(); ++j) {
      INFO("claims " << i << " and " << j);
      const bool equal = spec_of(c, i) == spec_of(c, j);
      CHECK(equal == (spec_json(c, i) == spec_json(c, j)));
      CHECK(equal == (i == j || i + j == 1));
    }
}

}  // namespace
}  // namespace dra::k8s
