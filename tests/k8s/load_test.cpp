// tests/k8s/load_test.cpp -- the loader: kinds, versions and conversion to the v1 model,
// lists, positions of fields, and the error for each kind of bad object.
#include "k8s/load.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

namespace dra::k8s {
namespace {

Cluster load_string(const std::string& text, util::Diagnostics& diags, bool defaults = true) {
  Cluster c;
  LoadOptions opts;
  opts.apply_defaults = defaults;
  load_text(text, "in.yaml", c, diags, opts);
  return c;
}

}  // namespace

TEST_CASE("load: kinds go to their lists; other kinds are counted", "[k8s]") {
  const std::string text = R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {a: b}}
spec:
  taints: [{key: k, value: v, effect: NoSchedule}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns, uid: u1}
spec:
  nodeName: n1
  resourceClaims: [{name: gpu, resourceClaimTemplateName: t}]
  containers:
  - name: c
    resources: {claims: [{name: gpu, request: r}]}
status:
  resourceClaimStatuses: [{name: gpu, resourceClaimName: p-gpu-abc}]
---
apiVersion: resource.k8s.io/v1alpha3
kind: ResourcePoolStatusRequest
metadata: {name: q}
)";
  util::Diagnostics diags;
  Cluster c = load_string(text, diags);
  CHECK(diags.to_string() == "");
  REQUIRE(c.device_classes.size() == 1);
  REQUIRE(c.nodes.size() == 1);
  REQUIRE(c.pods.size() == 1);
  CHECK(c.skipped_objects == 2);
  CHECK(c.nodes[0].taints.at(0).effect == "NoSchedule");
  const Pod& p = c.pods[0];
  CHECK(p.node_name == "n1");
  CHECK(p.resource_claims.at(0).resource_claim_template_name == "t");
  CHECK(p.container_claims.at(0).container == "c");
  CHECK(p.container_claims.at(0).request == "r");
  CHECK(p.resource_claim_statuses.at(0).resource_claim_name == "p-gpu-abc");
}

TEST_CASE("load: v1beta1 is converted to the v1 model as the API server does", "[k8s]") {
  // Facts from pkg/apis/resource/v1beta1/conversion.go (spec/dra-api.md §7.3).
  const std::string text = R"(apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: gpu.example.com
  nodeName: ""
  allNodes: true
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices:
  - name: gpu-0
    basic:
      attributes:
        model: {string: A100}
      capacity:
        memory: {value: 40Gi}
  - name: bare
---
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c, namespace: ns}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.example.com
      selectors: [{cel: {expression: "true"}}]
    - name: alt
      firstAvailable:
      - {name: a, deviceClassName: x}
    - name: nothing
)";
  util::Diagnostics diags;
  Cluster c = load_string(text, diags);
  CHECK(diags.to_string() == "");
  REQUIRE(c.resource_slices.size() == 1);
  const ResourceSliceSpec& s = c.resource_slices[0].spec;
  CHECK_FALSE(s.node_name);  // "" means unset in v1beta1
  CHECK(s.all_nodes == true);
  REQUIRE(s.devices.size() == 2);
  CHECK(s.devices[0].attributes.at(0).first == "model");
  CHECK(s.devices[0].attributes.at(0).second.string_value() == "A100");
  CHECK(s.devices[0].capacity.at(0).second.value.to_string() == "40Gi");
  CHECK(s.devices[1].attributes.empty());
  CHECK(c.resource_slices[0].source.version == ApiVersion::V1beta1);

  REQUIRE(c.resource_claims.size() == 1);
  const auto& reqs = c.resource_claims[0].spec.devices.requests;
  REQUIRE(reqs.size() == 3);
  REQUIRE(reqs[0].exactly);
  CHECK(reqs[0].exactly->device_class_name == "gpu.example.com");
  CHECK(reqs[0].exactly->allocation_mode == "ExactCount");  // defaulted: a class is named
  CHECK(reqs[0].exactly->count == 1);
  CHECK(reqs[0].exactly->selectors.at(0).cel->expression == "true");
  CHECK_FALSE(reqs[1].exactly);
  CHECK(reqs[1].first_available.at(0).count == 1);
  CHECK_FALSE(reqs[2].exactly);  // no exact field set: no `exactly`
}

TEST_CASE("load: v1beta1 allNodes false is unset; v1 keeps it", "[k8s]") {
  const std::string slice =
      "kind: ResourceSlice\nmetadata: {name: s}\nspec: {driver: d, "
      "allNodes: false, pool: {name: p, generation: 0, "
      "resourceSliceCount: 1}}\n";
  util::Diagnostics diags;
  Cluster beta = load_string("apiVersion: resource.k8s.io/v1beta1\n" + slice, diags);
  Cluster v1 = load_string("apiVersion: resource.k8s.io/v1\n" + slice, diags);
  CHECK(diags.empty());
  CHECK_FALSE(beta.resource_slices.at(0).spec.all_nodes);
  CHECK(v1.resource_slices.at(0).spec.all_nodes == false);
}

namespace {

// A v1 ResourceSlice "s" of driver d, pool p, on node-1, with `spec_rest` (indented by two)
// after its pool.
std::string node_slice(const std::string& spec_rest) {
  return "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n"
         "  driver: d\n  nodeName: node-1\n"
         "  pool: {name: p, generation: 0, resourceSliceCount: 1}\n" +
         spec_rest;
}

}  // namespace

TEST_CASE("load: each device says whether CEL can build its value", "[k8s]") {
  // Worked out as the device is decoded (Device::cel_value), the same as
  // cel_value_buildable on the device made by hand; devices made by hand are Unchecked.
  const std::string text = node_slice(R"(  devices:
  - name: plain
    attributes: {model: {string: a}, n: {int: 1}}
  - name: versioned
    attributes: {v: {version: 1.2.3}, w: {version: 1.2.3}}
  - name: bad-version
    attributes: {v: {version: not-a-version}}
  - name: no-value
    attributes: {v: {}}
  - name: none
)");
  util::Diagnostics diags;
  const Cluster c = load_string(text, diags);
  INFO(diags.to_string());
  REQUIRE(c.resource_slices.size() == 1);
  using V = Device::CelValue;
  std::vector<std::pair<std::string, V>> got;
  for (const Device& d : c.resource_slices.at(0).spec.devices) {
    got.emplace_back(d.name, d.cel_value);
    VersionMemo memo;
    CHECK(cel_value_buildable(d, memo) == (d.cel_value == V::Buildable));
  }
  CHECK(got == std::vector<std::pair<std::string, V>>{{"plain", V::Buildable},
                                                      {"versioned", V::Buildable},
                                                      {"bad-version", V::Unbuildable},
                                                      {"no-value", V::Unbuildable},
                                                      {"none", V::Buildable}});
  CHECK(Device().cel_value == V::Unchecked);
}

TEST_CASE("load: counters note their whole values, names interned", "[k8s]") {
  // Counter::whole() is Quantity::whole() of the value: noted by the decoder for the
  // allocator, worked out from the value for a counter made by hand.
  const std::string text = node_slice(R"(  sharedCounters:
  - name: set-0
    counters:
      one: {value: "1"}
      mem: {value: 80Gi}
      half: {value: "1.5"}
      huge: {value: 1e18}
      most: {value: "999999999999999999"}
      neg: {value: "-2k"}
      zero: {value: "0"}
)");
  util::Diagnostics diags;
  const Cluster c = load_string(text, diags);
  INFO(diags.to_string());
  REQUIRE(c.resource_slices.size() == 1);
  const CounterSet& set = c.resource_slices.at(0).spec.shared_counters.at(0);
  CHECK(set.name == util::Atom("set-0"));
  std::vector<std::pair<std::string, std::optional<int64_t>>> got;
  for (const auto& [name, counter] : set.counters) {
    got.emplace_back(name.str(), counter.whole());
    CHECK(counter.whole() == counter.value.whole());
  }
  using W = std::optional<int64_t>;
  CHECK(got == std::vector<std::pair<std::string, W>>{{"one", W(1)},
                                                      {"mem", W(85899345920)},
                                                      {"half", std::nullopt},
                                                      {"huge", std::nullopt},
                                                      {"most", W(999999999999999999)},
                                                      {"neg", W(-2000)},
                                                      {"zero", W(0)}});
  Counter by_hand;
  by_hand.value = *Quantity::parse("3Ki");
  CHECK(by_hand.whole() == W(3072));
}

TEST_CASE("load: defaulting follows the version read", "[k8s]") {
  // v1beta1/defaults.go defaults allocationMode and count only when deviceClassName is set.
  const std::string claim =
      "kind: ResourceClaim\nmetadata: {name: c}\nspec:\n  devices:\n    requests:\n"
      "    - name: r\n      selectors: [{cel: {expression: 'true'}}]\n";
  util::Diagnostics diags;
  Cluster beta = load_string("apiVersion: resource.k8s.io/v1beta1\n" + claim, diags);
  const auto& e = *beta.resource_claims.at(0).spec.devices.requests.at(0).exactly;
  CHECK(e.allocation_mode == "");
  CHECK(e.count == 0);
  Cluster raw = load_string(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\nspec:\n"
      "  devices:\n    requests:\n    - name: r\n      exactly: {deviceClassName: x}\n",
      diags, /*defaults=*/false);
  CHECK(raw.resource_claims.at(0).spec.devices.requests.at(0).exactly->count == 0);
}

TEST_CASE("load: fields remember where they came from", "[k8s]") {
  const std::string text = R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: gpu
spec:
  selectors:
  - cel:
      expression: device.driver == "gpu.example.com"
)";
  util::Diagnostics diags;
  Cluster c = load_string(text, diags);
  REQUIRE(c.device_classes.size() == 1);
  const auto& cel = *c.device_classes[0].spec.selectors.at(0).cel;
  CHECK(cel.origin.at("expression") == Pos{8, 19});
  CHECK(cel.style == ScalarStyle::Plain);
  CHECK(c.device_classes[0].metadata.origin.at("name") == Pos{4, 9});
  CHECK(c.device_classes[0].spec.origin.pos == Pos{6, 3});
}

TEST_CASE("load: unknown fields are kept in order", "[k8s]") {
  const std::string text = R"(apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: gpu
  managedFields: [{manager: kubectl}]
spec:
  futureField: {a: 1}
  selectors: []
status: {x: y}
)";
  util::Diagnostics diags;
  Cluster c = load_string(text, diags);
  REQUIRE(c.device_classes.size() == 1);
  const DeviceClass& d = c.device_classes[0];
  REQUIRE(d.metadata.origin.extras.size() == 1);
  CHECK(d.metadata.origin.extras[0].first == "managedFields");
  REQUIRE(d.spec.origin.extras.size() == 1);
  CHECK(d.spec.origin.extras[0].first == "futureField");
  CHECK(d.spec.origin.extras[0].second.get("a")->text == "1");
  CHECK(d.origin.extras.at(0).first == "status");
  // Known and unknown keys keep their relative order.
  REQUIRE(d.spec.origin.fields.size() == 2);
  CHECK(d.spec.origin.fields[0].field == nullptr);
  CHECK(std::string(d.spec.origin.fields[1].field) == "selectors");
}

TEST_CASE("load: typed lists from the API server", "[k8s]") {
  const std::string text =
      R"({"kind":"ResourceSliceList","apiVersion":"resource.k8s.io/v1","metadata":{},
"items":[{"metadata":{"name":"a"},"spec":{"driver":"d","nodeName":"n","pool":{"name":"p","generation":1,"resourceSliceCount":1}}}]})";
  util::Diagnostics diags;
  Cluster c = load_string(text, diags);
  CHECK(diags.to_string() == "");
  REQUIRE(c.resource_slices.size() == 1);
  CHECK(c.resource_slices[0].metadata.name == "a");
  CHECK(c.resource_slices[0].source.list_item);
}

TEST_CASE("load: wrong types and values are errors at their position", "[k8s]") {
  const struct {
    std::string text;
    std::string want;
  } cases[] = {
      {"apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n  "
       "driver: yes\n",
       "in.yaml:5:11: error: spec.driver: expected a string, found a boolean\n"},
      {"apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n  "
       "pool: {generation: 99999999999999999999}\n",
       "in.yaml:5:22: error: spec.pool.generation: integer \"99999999999999999999\" is out of "
       "range for int64\n"},
      {"apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n  "
       "devices:\n  - name: d\n    capacity:\n      mem: {value: 12XB}\n",
       "in.yaml:8:20: error: spec.devices[0].capacity[mem].value: invalid quantity \"12XB\": "
       "quantities must match the regular expression "
       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"},
      {"apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: s}\nspec:\n  "
       "devices:\n  - name: d\n    attributes:\n      a: {int: 1, string: x}\n",
       "in.yaml:8:10: error: spec.devices[0].attributes[a]: exactly one value must be "
       "specified, found several\n"},
      {"apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\nspec: [1]\n",
       "in.yaml:4:7: error: spec: expected a mapping, found a list\n"},
      {"kind: ResourceClaim\n", "in.yaml:1:1: error: ResourceClaim has no \"apiVersion\"\n"},
      {"apiVersion: v1\n", "in.yaml:1:1: error: object has no \"kind\"\n"},
      {"apiVersion: resource.k8s.io/v2\nkind: ResourceClaim\n",
       "in.yaml:1:13: error: ResourceClaim in \"resource.k8s.io/v2\" is not supported\n"},
      {"- 1\n", "in.yaml:1:3: error: expected a Kubernetes object (a mapping), found an integer\n"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    util::Diagnostics diags;
    load_string(c.text, diags);
    CHECK(diags.to_string() == c.want);
  }
}

TEST_CASE("load: files, directories and stdin", "[k8s]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "dra-load-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };
  write(dir / "a.yaml", "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: a}\n");
  write(dir / "notes.txt", "not a manifest");
  write(
      dir / "sub" / "b.json",
      R"({"apiVersion": "resource.k8s.io/v1", "kind": "DeviceClass", "metadata": {"name": "b"}})");
  std::istringstream in("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: c}\n");

  util::Diagnostics diags;
  LoadOptions flat;
  flat.filenames = {dir.string(), "-"};
  flat.stdin_stream = &in;
  Cluster c1 = load(flat, diags);
  CHECK(diags.to_string() == "");
  CHECK(c1.device_classes.size() == 2);  // a.yaml and stdin; sub/ needs -R

  LoadOptions recursive;
  recursive.filenames = {dir.string()};
  recursive.recursive = true;
  Cluster c2 = load(recursive, diags);
  CHECK(c2.device_classes.size() == 2);

  LoadOptions missing;
  missing.filenames = {(dir / "nope.yaml").string()};
  load(missing, diags);
  CHECK(diags.to_string() == (dir / "nope.yaml").string() + ": error: no such file or directory\n");
  fs::remove_all(dir);
}

TEST_CASE("load: the object limit stops reading with an error at the first object beyond it",
          "[k8s]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "dra-load-limit-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string text;
  for (int i = 0; i < 3; ++i)
    text += fmt::format(
        "---\napiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {{name: c{}}}\n", i);
  text +=
      "---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap}\n"
      "- {apiVersion: v1, kind: Node, metadata: {name: node-a}}\n";
  std::ofstream(dir / "a.yaml") << text;
  std::ofstream(dir / "b.yaml") << "apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n";

  util::Diagnostics diags;
  LoadOptions opts;
  opts.filenames = {(dir / "a.yaml").string(), (dir / "b.yaml").string()};
  opts.max_objects = 4;  // three classes and the ConfigMap; the Node in the List is the fifth
  Cluster c = load(opts, diags);
  CHECK(c.device_classes.size() == 3);
  CHECK(c.skipped_objects == 1);
  CHECK(c.nodes.empty());  // neither the fifth object nor the next file
  CHECK(diags.to_string() ==
        (dir / "a.yaml").string() +
            ":18:3: error: more than 4 objects in the input; this object and everything after it "
            "is not read\n");
  opts.max_objects = 5;
  util::Diagnostics all;
  Cluster c5 = load(opts, all);
  CHECK(all.to_string() == (dir / "b.yaml").string() +
                               ":1:1: error: more than 5 objects in the input; this object "
                               "and everything after it is not read\n");
  CHECK(c5.nodes.size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("load: files and standard input beyond the size limit are refused whole", "[k8s]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "dra-load-size-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string text =
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: a}\n";
  std::ofstream(dir / "a.yaml") << text;
  std::istringstream in(text);

  util::Diagnostics diags;
  LoadOptions opts;
  opts.filenames = {(dir / "a.yaml").string(), "-"};
  opts.stdin_stream = &in;
  opts.max_file_bytes = text.size() - 1;
  Cluster c = load(opts, diags);
  CHECK(c.device_classes.empty());
  REQUIRE(diags.all().size() == 2);
  CHECK(diags.all()[0].message ==
        fmt::format("cannot read file: file is {} bytes, more than the limit of {}", text.size(),
                    text.size() - 1));
  CHECK(diags.all()[1].message ==
        fmt::format("cannot read standard input: input is more than the limit of {} bytes",
                    text.size() - 1));
  for (const auto& d : diags.all()) CHECK_THAT(d.hint, Catch::Contains("split the input"));

  // Exactly at the limit is read.
  std::istringstream again(text);
  opts.stdin_stream = &again;
  opts.max_file_bytes = text.size();
  util::Diagnostics none;
  CHECK(load(opts, none).device_classes.size() == 2);
  CHECK(none.to_string() == "");
  fs::remove_all(dir);
}

}  // namespace dra::k8s
