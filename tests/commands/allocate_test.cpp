// tests/commands/allocate_test.cpp -- `allocate --output-dump`: the whole updated cluster,
// written whole or not at all, that a second run reads back.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/registry.hpp"
#include "test_util.hpp"

namespace dra::commands {
namespace {

namespace fs = std::filesystem;

int run(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::ostringstream o, e;
  std::istringstream in;
  Io io{o, e, in};
  const int status = run_cli(args, io);
  if (out) *out = o.str();
  return status;
}

}  // namespace

TEST_CASE("commands: allocate --output-dump writes a dump the next run continues from",
          "[commands]") {
  const std::string input = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/alloc.yaml";
  const fs::path dir = fs::temp_directory_path() / ("dra-dump-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const char* name : {"after.yaml", "after.json"}) {
    const fs::path dump = dir / name;
    CHECK(run({"allocate", "-f", input, "--output-dump", dump.string()}) == kExitNegative);
    REQUIRE(fs::exists(dump));
    const k8s::Cluster c = testing::cluster_of(testing::slurp_file(dump.string()));
    size_t allocated = 0;
    for (const auto& claim : c.resource_claims) allocated += claim.status.allocation.has_value();
    CHECK(allocated == 3);
    CHECK(c.resource_claims.size() == 4);
    CHECK(c.resource_slices.size() == 2);
    CHECK(c.nodes.size() == 2);
    CHECK(c.pods.size() == 3);
    // Run again on the result: only the Pod that did not fit is left, and it still does not.
    std::string out;
    CHECK(run({"allocate", "-f", dump.string()}, &out) == kExitNegative);
    CHECK(out == "0 pods placed; 1 pod not placed (0 claims allocated)\n");
  }
  // A dump that cannot be written leaves nothing behind and fails with exit status 2.
  const fs::path missing = dir / "no-such-dir" / "after.yaml";
  CHECK(run({"allocate", "-f", input, "--output-dump", missing.string()}) == kExitError);
  CHECK_FALSE(fs::exists(missing));
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("commands: allocate --output-dump keeps Namespaces and their labels", "[commands]") {
  const std::string input = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/alloc.yaml";
  const fs::path dir = fs::temp_directory_path() / ("dra-dump-ns-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path ns = dir / "ns.yaml";
  {
    std::ofstream f(ns);
    f << "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tools\n  labels:\n"
         "    resource.kubernetes.io/admin-access: \"true\"\n";
  }
  const fs::path dump = dir / "after.yaml";
  CHECK(run({"allocate", "-f", input, "-f", ns.string(), "--output-dump", dump.string()}) ==
        kExitNegative);
  const k8s::Cluster c = testing::cluster_of(testing::slurp_file(dump.string()));
  REQUIRE(c.namespaces.size() == 1);
  CHECK(c.namespaces[0].metadata.name == "tools");
  CHECK(c.namespaces[0].metadata.labels ==
        k8s::StringMap{{"resource.kubernetes.io/admin-access", "true"}});
  fs::remove_all(dir);
}

}  // namespace dra::commands
