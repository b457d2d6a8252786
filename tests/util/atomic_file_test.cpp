// tests/util/atomic_file_test.cpp -- output files are written whole or not at all: after
// success, after an error, and when SIGINT or SIGTERM arrives during the write (the CLI's
// `allocate --output-dump` and `dump --output`, interrupted in the middle).
#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "k8s/test_apiserver.hpp"

extern char** environ;

namespace dra::util {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The files in `dir`.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Scratch {
  fs::path dir;
  Scratch() {
    char tmpl[] = "/tmp/dra-atomic-XXXXXX";
    dir = mkdtemp(tmpl);
  }
  ~Scratch() { fs::remove_all(dir); }
};

// Runs the CLI with a slow write, waits until its temporary file for `out` exists, sends
// `sig`, and returns how the process ended (waitpid's status).
int interrupt(std::vector<std::string> args, const fs::path& out, int sig,
              const std::vector<std::string>& extra_env = {}) {
  args.insert(args.begin(), DRA_BINARY);
  std::vector<std::string> env_s;
  for (char** e = environ; e && *e; ++e) env_s.emplace_back(*e);
  env_s.push_back("DRA_TEST_WRITE_DELAY_MS=3000");
  for (const auto& e : extra_env) env_s.push_back(e);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data()) == 0);
  posix_spawn_file_actions_destroy(&fa);
  const fs::path tmp =
      out.parent_path() / ("." + out.filename().string() + ".tmp-" + std::to_string(pid));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(tmp) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(fs::exists(tmp));  // the write is under way
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST_CASE("atomic file: whole, or nothing and no temporary file", "[util]") {
  Scratch s;
  const fs::path out = s.dir / "out.yaml";
  CHECK_FALSE(write_file_atomically(out.string(), "first\n"));
  CHECK(slurp(out) == "first\n");
  CHECK_FALSE(write_file_atomically(out.string(), "second\n"));
  CHECK(slurp(out) == "second\n");
  CHECK(listing(s.dir) == std::vector<std::string>{"out.yaml"});
  const auto e = write_file_atomically((s.dir / "no-such-dir" / "x.yaml").string(), "x");
  REQUIRE(e);
  CHECK_THAT(*e, Catch::StartsWith("cannot create " + (s.dir / "no-such-dir").string()));
  CHECK(listing(s.dir) == std::vector<std::string>{"out.yaml"});
}

TEST_CASE("atomic file: SIGINT or SIGTERM during allocate --output-dump leaves no part", "[util]") {
  const std::string dump = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/alloc.yaml";
  for (int sig : {SIGINT, SIGTERM}) {
    INFO(strsignal(sig));
    Scratch s;
    const fs::path out = s.dir / "after.yaml";
    std::ofstream(out) << "the previous state\n";  // a file from an earlier run stays whole
    const int status = interrupt({"allocate", "-f", dump, "--output-dump", out.string()}, out, sig);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK(slurp(out) == "the previous state\n");
    CHECK(listing(s.dir) == std::vector<std::string>{"after.yaml"});
  }
}

TEST_CASE("atomic file: SIGINT or SIGTERM during dump --output leaves no file", "[util]") {
  const testing::TestCa ca;
  testing::TestApiServer server(ca);
  server.add_token("secret-token", "alice");
  server.add_object("deviceclasses", R"({"metadata":{"name":"gpu.example.com"},"spec":{}})");
  for (int sig : {SIGINT, SIGTERM}) {
    INFO(strsignal(sig));
    Scratch s;
    const fs::path kc = s.dir / "config";
    std::ofstream(kc) << testing::kubeconfig_for(server.url(), ca.cert_pem(),
                                                 "    token: secret-token\n");
    const fs::path out = s.dir / "cluster.yaml";
    const int status = interrupt({"dump", "--kubeconfig", kc.string(), "--output", out.string()},
                                 out, sig, {"HOME=" + s.dir.string()});
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK(listing(s.dir) == std::vector<std::string>{"config"});
  }
}

}  // namespace dra::util
