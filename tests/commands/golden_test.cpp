// tests/commands/golden_test.cpp -- golden CLI tests: each folder in tests/golden/ holds
// `args` (one argument per line), optional `stdin`, and the expected `stdout`, `stderr` and
// `status`. The CLI runs in-process from that folder, so paths stay relative. Set
// DRA_UPDATE_GOLDEN=1 to rewrite the expectations; review the diff like code.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/registry.hpp"

namespace dra::commands {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

std::vector<std::string> read_args(const fs::path& p) {
  std::vector<std::string> args;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) args.push_back(line);
  return args;
}

// Runs one case in its folder and restores the working directory.
struct CaseRun {
  std::string out, err;
  int status = 0;
};

CaseRun run_case(const fs::path& dir) {
  const fs::path previous = fs::current_path();
  fs::current_path(dir);
  std::istringstream in(fs::exists("stdin") ? slurp("stdin") : std::string());
  std::ostringstream out, err;
  Io io{out, err, in};
  CaseRun r;
  r.status = run_cli(read_args("args"), io);
  fs::current_path(previous);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace

TEST_CASE("commands: golden CLI cases", "[commands][golden]") {
  const fs::path root = fs::path(DRA_SOURCE_DIR) / "tests" / "golden";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "args")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  REQUIRE(!cases.empty());
  const bool update = std::getenv("DRA_UPDATE_GOLDEN") != nullptr;
  for (const fs::path& dir : cases) {
    INFO("case " << dir.filename().string());
    CaseRun r = run_case(dir);
    if (update) {
      spit(dir / "stdout", r.out);
      spit(dir / "stderr", r.err);
      spit(dir / "status", std::to_string(r.status) + "\n");
      continue;
    }
    CHECK(r.out == slurp(dir / "stdout"));
    CHECK(r.err == slurp(dir / "stderr"));
    CHECK(std::to_string(r.status) + "\n" == slurp(dir / "status"));
  }
}

// The real binary, to cover main(): exit codes and streams.
TEST_CASE("commands: the kubectl-dra binary runs", "[commands]") {
  const std::string bin = DRA_BINARY;
  const std::string examples = std::string(DRA_SOURCE_DIR) + "/examples/cluster.yaml";
  CHECK(std::system((bin + " version > /dev/null").c_str()) == 0);
  CHECK(WEXITSTATUS(std::system((bin + " get pools -f " + examples + " > /dev/null").c_str())) ==
        0);
  CHECK(WEXITSTATUS(
            std::system((bin + " get nonsense -f " + examples + " 2> /dev/null").c_str())) == 2);
  CHECK(WEXITSTATUS(std::system((bin + " get pools -f /nonexistent 2> /dev/null").c_str())) == 2);
  CHECK(WEXITSTATUS(std::system((bin + " --no-such-flag 2> /dev/null").c_str())) == 2);
}

}  // namespace dra::commands
