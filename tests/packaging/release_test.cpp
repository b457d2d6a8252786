// tests/packaging/release_test.cpp -- the release archive and the krew manifest that
// scripts/release.sh makes: the manifest's fields, the archive holding what the manifest
// says, its checksum, and one version for `kubectl dra version` and krew.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "k8s/node.hpp"
#include "k8s/parse.hpp"
#include "k8s/test_apiserver.hpp"

namespace dra {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

// The scalar at a path of mapping keys and list indexes ("spec", "platforms", "0", ...).
std::string at(const k8s::Node& root, std::initializer_list<std::string> path) {
  const k8s::Node* n = &root;
  for (const std::string& p : path) {
    if (n->is_sequence()) {
      const size_t i = std::stoul(p);
      if (i >= n->size) return "<missing>";
      n = &n->item(static_cast<uint32_t>(i));
    } else {
      n = n->find(p);
    }
    if (!n) return "<missing>";
  }
  return n->is_scalar() ? std::string(n->text) : "<not a scalar>";
}

}  // namespace

TEST_CASE("release: the archive holds what the krew manifest says, with its checksum",
          "[packaging]") {
  const std::filesystem::path src(DRA_SOURCE_DIR);
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "dra-release-test";
  std::filesystem::remove_all(out);
  const auto r =
      testing::run_program({"bash", (src / "scripts/release.sh").string(), "-b", DRA_BINARY, "-o",
                            out.string(), "-u", "https://example.test/releases"});
  INFO(r.err);
  REQUIRE(r.status == 0);

  // One version: krew's spec.version is what the binary prints.
  const std::string krew_source = slurp(src / "krew/dra.yaml");
  const size_t vpos = krew_source.find("\n  version: v");
  REQUIRE(vpos != std::string::npos);
  const std::string version =
      krew_source.substr(vpos + 13, krew_source.find('\n', vpos + 1) - vpos - 13);
  const auto v = testing::run_program({DRA_BINARY, "version"});
  CHECK(v.out.substr(0, v.out.find('\n')) == "kubectl-dra " + version);
  CHECK_THAT(v.out, Catch::Contains("\ncommit: ") && Catch::Contains("\nbuilt: ") &&
                        Catch::Contains("\nreads: resource.k8s.io/v1, v1beta2, v1beta1\n"));

  const std::string archive_name = "kubectl-dra_" + version + "_linux_amd64.tar.gz";
  const std::string archive = slurp(out / archive_name);
  REQUIRE_FALSE(archive.empty());
  CHECK(slurp(out / (archive_name + ".sha256")) ==
        sha256_hex(archive) + "  " + archive_name + "\n");

  // The rendered manifest.
  const std::string manifest = slurp(out / "dra.yaml");
  util::Diagnostics diags;
  bool seen = false;
  k8s::parse_yaml(
      manifest, "dra.yaml", {},
      [&](const k8s::ParsedObject& o) {
        seen = true;
        const k8s::Node& m = o.node;
        CHECK(at(m, {"apiVersion"}) == "krew.googlecontainertools.github.com/v1alpha2");
        CHECK(at(m, {"kind"}) == "Plugin");
        CHECK(at(m, {"metadata", "name"}) == "dra");
        CHECK(at(m, {"spec", "version"}) == "v" + version);
        CHECK_THAT(at(m, {"spec", "homepage"}), Catch::StartsWith("https://"));
        const std::string short_description = at(m, {"spec", "shortDescription"});
        CHECK(short_description.size() <= 60);  // krew's guideline for the listing
        CHECK_THAT(at(m, {"spec", "description"}),
                   Catch::Contains("Dynamic Resource Allocation") &&
                       Catch::Contains("named \"dra\" because that is the name of the API"));
        CHECK_THAT(at(m, {"spec", "caveats"}), Catch::Contains("never writes"));
        CHECK(at(m, {"spec", "platforms", "0", "selector", "matchLabels", "os"}) == "linux");
        CHECK(at(m, {"spec", "platforms", "0", "selector", "matchLabels", "arch"}) == "amd64");
        CHECK(at(m, {"spec", "platforms", "0", "uri"}) ==
              "https://example.test/releases/v" + version + "/" + archive_name);
        CHECK(at(m, {"spec", "platforms", "0", "sha256"}) == sha256_hex(archive));
        CHECK(at(m, {"spec", "platforms", "0", "bin"}) == "kubectl-dra");
        // Only amd64 was built here: the arm64 platform (built with the release-arm64 preset
        // and `-a arm64`) is left out rather than listed with a placeholder.
        CHECK(m.find("spec")->find("platforms")->size == 1);
        // Every file the manifest installs is in the archive; LICENSE among them.
        const auto listing =
            testing::run_program({"tar", "-tzf", (out / archive_name).string()}).out;
        std::set<std::string> entries;
        std::istringstream lines(listing);
        for (std::string line; std::getline(lines, line);) entries.insert(line);
        const k8s::Node* files = m.find("spec")->find("platforms")->item(0).find("files");
        REQUIRE(files);
        std::set<std::string> from;
        for (uint32_t i = 0; i < files->size; ++i) {
          const std::string f = at(files->item(i), {"from"});
          from.insert(f);
          INFO(f);
          CHECK(entries.count(f) == 1);
        }
        CHECK(from.count("LICENSE") == 1);
        CHECK(from.count("kubectl-dra") == 1);
        CHECK(from.count("kubectl_complete-dra") == 1);
        // The man page made from the help text, and the completion scripts.
        CHECK(entries.count("kubectl-dra.1") == 1);
        CHECK(entries.count("completions/kubectl-dra.bash") == 1);
      },
      diags);
  CHECK(seen);
  CHECK(diags.empty());
  CHECK(manifest.find("{{") == std::string::npos);  // every placeholder filled

  // The man page renders without a warning.
  const auto man = testing::run_program({"bash", "-c",
                                         "tar -xzOf '" + (out / archive_name).string() +
                                             "' kubectl-dra.1 | groff -man -Tutf8 -ww -z 2>&1"});
  if (man.status == 127 || man.out.find("command not found") != std::string::npos) {
    WARN("groff not found: the man page is not rendered");
  } else {
    CHECK(man.out.empty());
    CHECK(man.status == 0);
  }
  std::filesystem::remove_all(out);
}

}  // namespace dra
