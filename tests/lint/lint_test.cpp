// tests/lint/lint_test.cpp -- each warning rule fires where it should and nowhere else; paths
// in the object's own version; positions inside CEL expressions; --disable; ordering.
#include "lint/lint.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "k8s/load.hpp"
#include "lint/report.hpp"
#include "test_util.hpp"

namespace dra::lint {
namespace {

using testing::lint_text;

std::vector<std::string> rules_of(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) out.push_back(f.rule + " " + f.path);
  return out;
}

const char* kClaim = R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: team}
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
)";

}  // namespace

TEST_CASE("lint: a valid claim has no findings", "[lint]") { CHECK(lint_text(kClaim).empty()); }

TEST_CASE("lint: each warning rule", "[lint]") {
  using V = std::vector<std::string>;
  SECTION("deprecated-version, with the release that stops serving it") {
    const auto fs = lint_text(R"(apiVersion: resource.k8s.io/v1beta1
kind: DeviceClass
metadata: {name: x}
spec: {}
)");
    CHECK(rules_of(fs) == V{"deprecated-version apiVersion"});
    CHECK_THAT(fs[0].message, Catch::Contains("1.35") && Catch::Contains("1.38"));
    CHECK(fs[0].line == 1);
    CHECK(fs[0].column == 13);
  }
  SECTION("allocation-mode-all") {
    CHECK(rules_of(lint_text(std::string(kClaim) + "        allocationMode: All\n")) ==
          V{"allocation-mode-all spec.devices.requests[0].exactly.allocationMode"});
  }
  SECTION("count-over-claim-limit") {
    CHECK(rules_of(lint_text(std::string(kClaim) + "        count: 33\n")) ==
          V{"count-over-claim-limit spec.devices.requests[0].exactly.count"});
    CHECK(lint_text(std::string(kClaim) + "        count: 32\n").empty());
  }
  SECTION("admin-access") {
    CHECK(rules_of(lint_text(std::string(kClaim) + "        adminAccess: true\n")) ==
          V{"admin-access spec.devices.requests[0].exactly.adminAccess"});
  }
  SECTION("too-many-tolerations and toleration-effect-none") {
    std::string tolerations = "        tolerations:\n";
    for (int i = 0; i < 17; ++i)
      tolerations += "        - {key: k" + std::to_string(i) + ", operator: Exists}\n";
    CHECK(rules_of(lint_text(std::string(kClaim) + tolerations)) ==
          V{"too-many-tolerations spec.devices.requests[0].exactly.tolerations"});
    CHECK(
        rules_of(lint_text(std::string(kClaim) +
                           "        tolerations: [{key: k, operator: Exists, effect: None}]\n")) ==
        V{"toleration-effect-none spec.devices.requests[0].exactly.tolerations[0].effect"});
  }
  SECTION("device-node-selector-terms") {
    const auto fs = lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d.example.com
  perDeviceNodeSelection: true
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices:
  - name: a
    nodeSelector:
      nodeSelectorTerms:
      - matchExpressions: [{key: k, operator: Exists}]
      - matchExpressions: [{key: j, operator: Exists}]
)");
    CHECK(rules_of(fs) == V{"device-node-selector-terms spec.devices[0].nodeSelector"});
  }
}

TEST_CASE("lint: paths in the object's own version", "[lint]") {
  CHECK(versioned_path("spec.devices.requests[3].exactly.count", k8s::ApiVersion::V1beta1) ==
        "spec.devices.requests[3].count");
  CHECK(versioned_path("spec.spec.devices.requests[0].exactly.selectors[1]",
                       k8s::ApiVersion::V1beta1) == "spec.spec.devices.requests[0].selectors[1]");
  CHECK(versioned_path("spec.devices[2].attributes[gpu.example.com/model]",
                       k8s::ApiVersion::V1beta1) ==
        "spec.devices[2].basic.attributes[gpu.example.com/model]");
  CHECK(versioned_path("spec.devices[2].name", k8s::ApiVersion::V1beta1) == "spec.devices[2].name");
  CHECK(versioned_path("spec.devices.requests[3].exactly.count", k8s::ApiVersion::V1beta2) ==
        "spec.devices.requests[3].exactly.count");
  // A v1beta1 claim, linted: the server's error, at the field as written.
  const auto fs = lint_text(R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c, namespace: team}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.example.com
      count: -1
)",
                            Options{{"deprecated-version"}, {}});
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].path == "spec.devices.requests[0].count");
  CHECK(fs[0].message == "Invalid value: -1: must be greater than zero");
  CHECK(fs[0].line == 9);
  CHECK(fs[0].column == 14);
}

TEST_CASE("lint: a CEL error is placed at its character in the file", "[lint]") {
  const auto fs = lint_text(std::string(kClaim) +
                            "        selectors:\n"
                            "        - cel: {expression: 'device.driver = \"x\"'}\n");
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].path == "spec.devices.requests[0].exactly.selectors[0].cel.expression");
  CHECK(fs[0].line == 11);
  CHECK(fs[0].column == 44);  // the "=" inside the quoted expression
  CHECK_THAT(fs[0].message,
             Catch::StartsWith("Invalid value: ") && Catch::Contains("compilation failed"));
}

TEST_CASE("lint: disabled rules are not reported; findings sorted, repeats dropped", "[lint]") {
  const std::string yaml = std::string(kClaim) + "        allocationMode: All\n        count: 2\n";
  CHECK(lint_text(yaml).size() == 2);
  const auto fs = lint_text(yaml, Options{{"allocation-mode-all"}, {}});
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].rule == "api");
  std::vector<Finding> v = {{"b.yaml", 1, 1, Severity::Error, "api", "x", "m", "", ""},
                            {"a.yaml", 5, 1, Severity::Error, "api", "x", "m", "", ""},
                            {"a.yaml", 2, 1, Severity::Warning, "w", "x", "m", "", ""},
                            {"a.yaml", 2, 1, Severity::Warning, "w", "x", "m", "", ""}};
  sort(v, {"b.yaml", "a.yaml"});
  REQUIRE(v.size() == 3);
  CHECK(v[0].file == "b.yaml");
  CHECK(v[1].line == 2);
  CHECK(v[2].line == 5);
}

TEST_CASE("lint: every rule is documented once", "[lint]") {
  std::set<std::string_view> seen;
  for (const Rule& r : rules()) {
    CHECK(seen.insert(r.id).second);
    CHECK_FALSE(r.summary.empty());
    CHECK(find_rule(r.id) == &r);
  }
  CHECK(find_rule("no-such-rule") == nullptr);
}

TEST_CASE("lint: name formats give apimachinery's messages", "[lint]") {
  CHECK(dns1123_label("gpu-0").empty());
  CHECK(dns1123_label("a.b") == std::vector<std::string>{"must not contain dots"});
  CHECK(dns1123_label(std::string(64, 'a')).front() == "must be no more than 63 characters");
  CHECK(dns1123_subdomain("gpu.example.com").empty());
  CHECK_THAT(dns1123_subdomain("Bad").front(), Catch::StartsWith("a lowercase RFC 1123 subdomain"));
  CHECK(qualified_name("example.com/key").empty());
  CHECK(qualified_name("/x").front() == "prefix part must be non-empty");
  const auto empty = qualified_name("");
  REQUIRE(empty.size() == 2);  // both, as upstream gives them
  CHECK(empty[0] == "name part must be non-empty");
  CHECK(c_identifier("_ok1").empty());
  CHECK_FALSE(c_identifier("1bad").empty());
  CHECK(label_value("").empty());
  CHECK_FALSE(label_value("-bad").empty());
  CHECK(quote("a\"b\n") == "\"a\\\"b\\n\"");
}

TEST_CASE("lint: util and content helpers word lengths differently", "[lint]") {
  const std::string l64(64, 'a'), l254(254, 'a');
  CHECK(dns1123_label(l64, Helper::content).front() == "must be no more than 63 bytes");
  CHECK(dns1123_subdomain(l254).front() == "must be no more than 253 characters");
  CHECK(dns1123_subdomain(l254, Helper::content).front() == "must be no more than 253 bytes");
  // Label values and the prefix of label keys are the content package's everywhere.
  CHECK(label_value(l64).front() == "must be no more than 63 bytes");
  CHECK(qualified_name(l254 + "/k").front() == "prefix part must be no more than 253 bytes");
  // Caseless: upper case passes, and the message names the caseless form.
  CHECK(dns1123_subdomain_caseless("GPU.Example.com").empty());
  CHECK_THAT(dns1123_subdomain_caseless("-x").front(),
             Catch::StartsWith("an RFC 1123 subdomain must consist of alphanumeric") &&
                 Catch::Contains("'Example.com'"));
  // Dots only: a label check says so even past the subdomain's length limit.
  std::string dotted;
  for (int i = 0; i < 60; ++i) dotted += "ab.";
  dotted += "c";
  CHECK(dns1123_label(dotted).back() == "must not contain dots");
}

namespace {

std::vector<std::string> messages(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const Finding& f : fs) out.push_back(f.path + ": " + f.message);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

TEST_CASE("lint: where declarative validation words the server's error", "[lint]") {
  SECTION("a duplicate request prints the whole request, defaulted, as v1 JSON") {
    const auto ms = messages(lint_text(std::string(kClaim) +
                                       R"(        selectors:
        - cel: {expression: 'device.driver == "a" && 1 < 2'}
    - name: gpu
      exactly:
        deviceClassName: gpu.example.com
        tolerations: [{key: k}]
        capacity: {requests: {zeta: 1Gi, alpha: "2"}}
)"));
    CHECK(has(ms,
              "spec.devices.requests[1]: Duplicate value: {\"name\":\"gpu\",\"exactly\":{"
              "\"deviceClassName\":\"gpu.example.com\",\"allocationMode\":\"ExactCount\","
              "\"count\":1,\"tolerations\":[{\"key\":\"k\",\"operator\":\"Equal\"}],"
              "\"capacity\":{\"requests\":{\"alpha\":\"2\",\"zeta\":\"1Gi\"}}}}"));
  }
  SECTION("a claim template's spec keeps the handwritten text (+k8s:opaqueType)") {
    const auto ms = messages(lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: team}
spec:
  spec:
    devices:
      requests:
      - name: gpu
        firstAvailable:
        - {name: a, deviceClassName: gpu.example.com}
        - {name: a, deviceClassName: gpu.example.com}
      - name: gpu
        exactly: {deviceClassName: gpu.example.com}
      config:
      - opaque: {driver: )" + std::string(64, 'd') +
                                       R"(, parameters: {}}
)"));
    CHECK(has(ms, "spec.spec.devices.requests[1]: Duplicate value: \"gpu\""));
    CHECK(has(ms, "spec.spec.devices.requests[0].firstAvailable[1]: Duplicate value: \"a\""));
    CHECK(has(ms,
              "spec.spec.devices.config[0].opaque.driver: Too long: may not be more than "
              "63 bytes"));
  }
  SECTION("a claim's subrequest class and opaque driver") {
    const auto ms = messages(lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: team}
spec:
  devices:
    requests:
    - name: gpu
      firstAvailable:
      - {name: a, deviceClassName: )" + std::string(254, 'c') +
                                       R"(}
      - {name: a, deviceClassName: gpu.example.com, allocationMode: All}
    config:
    - opaque: {driver: )" + std::string(64, 'D') +
                                       R"(, parameters: {}}
)"));
    CHECK(has(ms, "spec.devices.requests[0].firstAvailable[0].deviceClassName: Invalid value: \"" +
                      std::string(254, 'c') + "\": must be no more than 253 bytes"));
    CHECK(has(ms,
              "spec.devices.requests[0].firstAvailable[1]: Duplicate value: {\"name\":\"a\","
              "\"deviceClassName\":\"gpu.example.com\",\"allocationMode\":\"All\"}"));
    // Upper case passes the caseless format; the length is declarative's maxLength.
    CHECK(has(ms,
              "spec.devices.config[0].opaque.driver: Too long: may not be more than 63 "
              "characters"));
    CAPTURE(ms);
    CHECK(ms.size() == 4);  // and the allocation-mode-all warning
  }
  SECTION("matchAttribute: the declarative format where it reports; distinctAttribute not") {
    const auto ms = messages(lint_text(std::string(kClaim) + R"(    constraints:
    - matchAttribute: /model
    - matchAttribute: a/b/c
    - matchAttribute: GPU.example.com/model
    - distinctAttribute: GPU.example.com/model
    - distinctAttribute: /model
)"));
    const std::string c = "spec.devices.constraints";
    CHECK(ms == std::vector<std::string>{
                    c + "[0].matchAttribute: Invalid value: \"\": prefix must not be empty",
                    // No declarative error: the handwritten one stays.
                    c + "[1].matchAttribute: Invalid value: \"a/b/c\": must not contain more "
                        "than one slash",
                    // The declarative format is strictly lower case.
                    c + "[2].matchAttribute: Invalid value: \"GPU.example.com\": prefix: a "
                        "lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        "characters, '-' or '.', and must start and end with an alphanumeric "
                        "character (e.g. 'example.com', regex used for validation is "
                        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                    c + "[4].distinctAttribute: Invalid value: \"\": the domain must not be "
                        "empty"});
  }
  SECTION("partitionTypeAttribute: declarative format; a malformed name skips the devices") {
    auto slice =
        [](const std::string& pta) {
          return messages(lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: dra.example.com
  pool: {name: p, resourceSliceCount: 1}
  nodeName: node-1
  partitionTypeAttribute: )" + pta + R"(
  devices:
  - name: g
    attributes:
      profile: {int: 7}
    consumesCounters:
    - counterSet: cs
      counters: {mem: {value: "1"}}
)"));
        };
    CHECK(slice("dra.example.com/profile") ==
          std::vector<std::string>{
              "spec.devices[0].attributes[dra.example.com/profile]: Invalid value: {\"IntValue\":7,"
              "\"BoolValue\":null,\"StringValue\":null,\"VersionValue\":null,\"IntValues\":null,"
              "\"BoolValues\":null,\"StringValues\":null,\"VersionValues\":null}: must be a string "
              "value because `partitionTypeAttribute` names this attribute"});
    CHECK(slice("profile") ==
          std::vector<std::string>{"spec.partitionTypeAttribute: Invalid value: \"profile\": a "
                                   "fully qualified name must be a domain and a name separated by "
                                   "a slash"});
  }
  SECTION("metadata: generateName as a prefix, namespace, generation") {
    auto claim = [](const std::string& meta) {
      return messages(
          lint_text("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
                    "metadata: {" +
                    meta + "}\nspec: {devices: {}}\n"));
    };
    CHECK(claim("generateName: gpu-").empty());  // the dash ends the prefix
    CHECK(claim("generateName: Gpu-") ==
          std::vector<std::string>{
              "metadata.generateName: Invalid value: \"Gpu-\": a lowercase RFC 1123 subdomain "
              "must consist of lower case alphanumeric characters, '-' or '.', and must start "
              "and end with an alphanumeric character (e.g. 'example.com', regex used for "
              "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"});
    CHECK(claim("name: c").empty());  // kubectl fills in the namespace
    CHECK(claim("name: c, namespace: Team_A").size() == 1);
    CHECK(claim("name: c, namespace: team, generation: -1") ==
          std::vector<std::string>{"metadata.generation: Invalid value: -1: must be greater than "
                                   "or equal to 0"});
  }
  SECTION("a DeviceClass name is a declarative long name") {
    const auto ms =
        messages(lint_text("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\n"
                           "metadata: {name: " +
                           std::string(254, 'x') + "}\nspec: {}\n"));
    CHECK(ms ==
          std::vector<std::string>{"metadata.name: Invalid value: \"" + std::string(254, 'x') +
                                   "\": must be no more than 253 bytes"});
  }
  SECTION("a slice: counter sets, consumed counters, device duplicates and attribute unions") {
    const auto ms = messages(lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: GPU.example.com
  pool: {name: p, resourceSliceCount: 1}
  nodeName: node-1
  devices:
  - name: g
    attributes:
      none: {}
      two: {version: 1.0.0, string: a}
      empty: {strings: []}
      mixed: {int: 1, strings: []}
      fine: {ints: [1, 2]}
    consumesCounters:
    - counterSet: cs
      counters: {b: {value: "2"}, a: {value: "1"}}
    - counterSet: cs
      counters: {)" + std::string(64, 'k') +
                                       R"(: {value: "1"}}
  - name: g
)"));
    const std::string all =
        "must specify one of: `int`, `bool`, `string`, `version`, `ints`, `bools`, `strings`, "
        "`versions`";
    CHECK(has(ms, "spec.devices[0].attributes[none]: Invalid value: \"\": " + all));
    CHECK(has(ms,
              "spec.devices[0].attributes[two]: Invalid value: \"{string, version}\": "
              "must specify exactly one of: `int`, `bool`, `string`, `version`, `ints`, "
              "`bools`, `strings`, `versions`"));
    CHECK(has(ms, "spec.devices[0].attributes[empty]: Invalid value: \"\": " + all));
    CHECK(has(ms,
              "spec.devices[0].attributes[empty].strings: Invalid value: []: must not be "
              "empty if specified"));
    // The handwritten check stays where the declarative one is content: its value is the
    // internal type's JSON.
    CHECK(has(ms,
              "spec.devices[0].attributes[mixed]: Invalid value: {\"IntValue\":1,"
              "\"BoolValue\":null,\"StringValue\":null,\"VersionValue\":null,"
              "\"IntValues\":null,\"BoolValues\":null,\"StringValues\":[],"
              "\"VersionValues\":null}: exactly one value must be specified"));
    CHECK(has(ms,
              "spec.devices[0].consumesCounters[1]: Duplicate value: {\"counterSet\":\"cs\","
              "\"counters\":{\"" +
                  std::string(64, 'k') + "\":{\"value\":\"1\"}}}"));
    CHECK(has(ms, "spec.devices[0].consumesCounters[1].counters: Invalid value: \"" +
                      std::string(64, 'k') + "\": must be no more than 63 bytes"));
    CHECK(has(ms, "spec.devices[1]: Duplicate value: \"g\""));
    CHECK(has(ms,
              "spec.devices[0].attributes[mixed].strings: Invalid value: []: must not be "
              "empty if specified"));
    CAPTURE(ms);
    CHECK(ms.size() == 9);  // and nothing on the upper-case driver name or `fine`
  }
}

TEST_CASE("lint: admin access against the namespace's label, as the server's strategy checks",
          "[lint]") {
  const std::string admin = R"(    - name: a
      exactly: {deviceClassName: gpu.example.com, adminAccess: true}
    - name: b
      exactly: {deviceClassName: gpu.example.com, adminAccess: true}
)";
  const std::string claim = R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: team}
spec:
  devices:
    requests:
)" + admin;
  auto ns = [](const std::string& labels) {
    return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team" + labels + "}\n";
  };
  const std::string forbidden =
      ": Forbidden: admin access to devices requires the `resource.kubernetes.io/admin-access: "
      "true` label on the containing namespace";
  SECTION("without the Namespace: a warning per request") {
    CHECK(rules_of(lint_text(claim)) ==
          std::vector<std::string>{"admin-access spec.devices.requests[0].exactly.adminAccess",
                                   "admin-access spec.devices.requests[1].exactly.adminAccess"});
  }
  SECTION("a Namespace without the label: the server's error, once, for the first request") {
    const auto fs = lint_text(claim + ns(", labels: {other: x}"));
    CHECK(messages(fs) ==
          std::vector<std::string>{"spec.devices.requests[0].adminAccess" + forbidden});
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].severity == Severity::Error);
    CHECK(fs[0].rule == "api");
    CHECK(fs[0].line == 8);
  }
  SECTION("the label set: nothing to say") {
    CHECK(
        lint_text(claim + ns(", labels: {resource.kubernetes.io/admin-access: \"true\"}")).empty());
    CHECK_FALSE(
        lint_text(claim + ns(", labels: {resource.kubernetes.io/admin-access: \"yes\"}")).empty());
  }
  SECTION("a template: the same path, without the template's extra `spec.`") {
    const auto fs = lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: team}
spec:
  spec:
    devices:
      requests:
      - name: a
        exactly: {deviceClassName: gpu.example.com, adminAccess: true}
)" + ns(""));
    CHECK(messages(fs) ==
          std::vector<std::string>{"spec.devices.requests[0].adminAccess" + forbidden});
  }
  SECTION("the Namespace from --against") {
    const k8s::Cluster dump = testing::cluster_of(ns("").substr(4));
    REQUIRE(dump.namespaces.size() == 1);
    Options o;
    o.against = &dump;
    o.disabled = {"unknown-class"};  // the dump has no classes
    CHECK(messages(lint_text(claim, o)) ==
          std::vector<std::string>{"spec.devices.requests[0].adminAccess" + forbidden});
  }
}

}  // namespace dra::lint

namespace dra::lint {

TEST_CASE("lint: --against rules, each on its own", "[lint]") {
  const k8s::Cluster dump = testing::cluster_of(
      testing::slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/explain.yaml"));
  auto against = [&](const std::string& exactly) {
    Options o;
    o.against = &dump;
    return rules_of(lint_text(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: team}
spec:
  devices:
    requests:
    - name: gpu
      exactly:
)" + exactly,
                              o));
  };
  using V = std::vector<std::string>;
  const std::string sel = "spec.devices.requests[0].exactly.selectors[0].cel.expression";
  CHECK(against("        deviceClassName: gpu.example.com\n").empty());
  CHECK(against("        deviceClassName: gpu.exampel.com\n") ==
        V{"unknown-class spec.devices.requests[0].exactly.deviceClassName"});
  CHECK(against("        deviceClassName: gpu.example.com\n"
                "        selectors: [{cel: {expression: "
                "'device.attributes[\"gpu.example.com\"].model == \"Z999\"'}}]\n") ==
        V{"unsatisfiable-claim spec.devices", "selector-matches-nothing " + sel});
  // Optional chaining guards the read: no runtime error, so only "matches nothing" (the
  // name check needs fixed paths, which `.?` is not).
  CHECK(against("        deviceClassName: gpu.example.com\n"
                "        selectors: [{cel: {expression: "
                "'device.attributes[\"gpu.example.com\"].?modle.orValue(\"\") == \"x\"'}}]\n") ==
        V{"unsatisfiable-claim spec.devices", "selector-matches-nothing " + sel});
  CHECK(against("        deviceClassName: gpu.example.com\n"
                "        selectors: [{cel: {expression: "
                "'device.attributes[\"gpu.example.com\"].modle == \"x\"'}}]\n") ==
        V{"unsatisfiable-claim spec.devices", "unguarded-attribute " + sel,
          "unknown-attribute " + sel});
  CHECK(against("        deviceClassName: gpu.example.com\n        count: 9\n") ==
        V{"unsatisfiable-claim spec.devices"});
}

}  // namespace dra::lint

namespace dra::lint {

TEST_CASE("lint: --cluster rules, each on its own", "[lint]") {
  auto cluster_rules = [](const std::string& file) {
    const k8s::Cluster c = testing::cluster_of(
        testing::slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/" + file));
    Options o;
    o.cluster = true;
    std::set<std::string> out;
    for (const Finding& f : lint(c, o)) out.insert(f.rule);
    return out;
  };
  using S = std::set<std::string>;
  // Without --cluster none of these is looked for.
  const k8s::Cluster plain = testing::cluster_of(
      testing::slurp_file(std::string(DRA_SOURCE_DIR) + "/tests/golden/data/lint-cluster.yaml"));
  for (const Finding& f : lint(plain, {})) CHECK(f.rule == "api");
  CHECK(cluster_rules("lint-cluster.yaml") == S{"stale-slices", "device-tainted-noexecute",
                                                "invalid-pool", "allocated-device-missing",
                                                "reserved-for-missing-pod"});
  const S explain = cluster_rules("explain.yaml");
  CHECK(explain.count("incomplete-pool") == 1);
  CHECK(explain.count("class-matches-nothing") == 1);
  CHECK(explain.count("reserved-for-missing-pod") == 0);  // its Pods are all there
}

}  // namespace dra::lint

namespace dra::lint {

TEST_CASE("lint: rules listed errors first, then warnings by ID", "[lint]") {
  const auto all = rules();
  REQUIRE(all.size() > 2);
  CHECK(all[0].id == "api");
  CHECK(all[1].id == "syntax");
  for (size_t i = 3; i < all.size(); ++i) {
    CHECK(all[i].severity == Severity::Warning);
    CHECK(all[i - 1].id < all[i].id);
  }
}

}  // namespace dra::lint

namespace dra::lint {

TEST_CASE("lint: unknown-request, a container's request its claim does not have", "[lint]") {
  const std::string pod = R"(---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: team}
spec:
  resourceClaims:
  - {name: devices, resourceClaimName: c}
  containers:
  - name: main
    image: busybox
    resources:
      claims:
      - {name: devices, request: REQUEST}
)";
  auto with = [&](const std::string& request) {
    std::string text = pod;
    text.replace(text.find("REQUEST"), 7, request);
    return rules_of(lint_text(std::string(kClaim) + text));
  };
  CHECK(with("gpu").empty());
  CHECK(with("gpus") ==
        std::vector<std::string>{"unknown-request spec.containers[0].resources.claims[0].request"});
}

}  // namespace dra::lint

namespace dra::lint {

TEST_CASE("lint: a version kubectl-dra does not read is a warning, not an error", "[lint]") {
  util::Diagnostics diags;
  k8s::Cluster cluster;
  k8s::LoadOptions lo;
  lo.apply_defaults = false;
  lo.for_lint = true;
  k8s::load_text(R"(apiVersion: resource.k8s.io/v1alpha3
kind: DeviceTaintRule
metadata: {name: r}
spec:
  taint: {key: k, effect: NoSchedule}
)",
                 "in.yaml", cluster, diags, lo);
  CHECK_FALSE(diags.has_errors());
  const std::vector<Finding> fs = from_diagnostics(diags);
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].rule == "unsupported-version");
  CHECK(fs[0].severity == Severity::Warning);
  CHECK_THAT(fs[0].message, Catch::Contains("1.39"));
  // Without for_lint (every other command) it stays an error.
  util::Diagnostics strict;
  k8s::Cluster c2;
  k8s::load_text(
      "apiVersion: resource.k8s.io/v1alpha3\nkind: DeviceTaintRule\nmetadata: {name: r}\n",
      "in.yaml", c2, strict);
  CHECK(strict.has_errors());
}

}  // namespace dra::lint
