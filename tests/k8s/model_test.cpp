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

const char* const kBase = R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)";

// Specs that each differ from kBase in one field the allocator reads (or one it does not).
const std::vector<std::string> kDifferent = {
    // request name
    R"(  devices:
    requests:
    - name: gpus
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // class
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: other.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // count
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 3
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // selector
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "a100"'}
)",
    // admin access
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        adminAccess: true
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // a toleration
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        tolerations: [{key: k, operator: Exists}]
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // a capacity request
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        capacity: {requests: {memory: 10Gi}}
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
    // a constraint
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
    constraints:
    - matchAttribute: gpu.example.com/numa
)",
    // claim config
    R"(  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
    config:
    - opaque: {driver: gpu.example.com, parameters: {mode: fast}}
)",
    // a prioritized list instead
    R"(  devices:
    requests:
    - name: gpu
      firstAvailable:
      - name: big
        deviceClassName: gpu.example.com
        count: 2
)",
    // a field the model does not know
    R"(  devices:
    requests:
    - name: gpu
      futureField: 1
      exactly:
        deviceClassName: gpu.example.com
        count: 2
        selectors:
        - cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}
)",
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
  const std::string same = R"(  devices: {requests: [{name: gpu, exactly: {deviceClassName: gpu.example.com, count: 2,
    selectors: [{cel: {expression: 'device.attributes["gpu.example.com"].model == "h100"'}}]}}]}
)";
  std::string yaml = claim("base", kBase) + claim("same", same);
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
