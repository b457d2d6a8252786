// tests/commands/completion_test.cpp -- shell completion: the `__complete` protocol (what
// kubectl expects from kubectl_complete-dra), the bash script driven through bash's own
// completion variables in a plain `bash --norc`, kubectl's plugin completion, and the copies
// in completions/.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/registry.hpp"
#include "k8s/test_apiserver.hpp"

namespace dra::commands {
namespace {

std::string complete(std::vector<std::string> words) {
  words.insert(words.begin(), "__complete");
  std::ostringstream o, e;
  std::istringstream in;
  Io io{o, e, in};
  CHECK(run_cli(words, io) == kExitOk);
  return o.str();
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kDump = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/alloc.yaml";

}  // namespace

TEST_CASE("completion: commands, flags, choices and names, in cobra's protocol", "[commands]") {
  struct Case {
    std::vector<std::string> words;
    std::string want;
  };
  const Case cases[] = {
      {{"ex"}, "explain\tWhy a claim is pending, or why it got its devices\n:4\n"},
      {{"get", "cl"}, "classes\tDeviceClasses\nclaims\tResourceClaims\n:4\n"},
      {{"templates", ""},
       "list\tthe templates, built-in and yours\nshow\tone template's parameters\n:4\n"},
      {{"templates", "show", "mi"}, "mig\tA MIG partition (or another partition) by profile\n:4\n"},
      {{"get", "-o", ""}, "wide\nname\nyaml\njson\n:4\n"},
      {{"get", "--output=y"}, "--output=yaml\n:4\n"},
      {{"allocate", "--no"}, "--node\tOnly allocate on NODE\n:4\n"},
      {{"allocate", "-f", "du"}, ":0\n"},  // a file: the shell completes it
      {{"allocate", "-f", kDump, "--node", ""}, "node-a\tNode\nnode-b\tNode\n:4\n"},
      {{"explain", "claim", "-f", kDump, "ml/t"}, "ml/three-gpus\tpending\n:4\n"},
      {{"get", "classes", "-f", kDump, ""}, "gpu.example.com\tDeviceClass\n:4\n"},
      {{"completion", "z"}, "zsh\n:4\n"},
      {{"help", "ex"}, "exit-codes\twhat each exit status means\n:4\n"},
      {{"new", "claim", "x", "--template", "gpu-"},
       "gpu-nic\tA GPU and a NIC on the same PCIe root\n:4\n"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const auto& w : c.words) line += w + " ";
    INFO(line);
    CHECK(complete(c.words) == c.want);
  }
}

TEST_CASE("completion: contexts come from the kubeconfig on the line", "[commands]") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "dra-complete-kc";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "config") << "apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n"
                                   "  context: {cluster: p, user: u}\n- name: staging\n"
                                   "  context: {cluster: s, user: u}\n";
  CHECK(complete({"get", "devices", "--kubeconfig", (dir / "config").string(), "--context", "p"}) ==
        "prod\n:4\n");
  std::filesystem::remove_all(dir);
}

TEST_CASE("completion: the bash script works in a plain bash, without bash-completion",
          "[commands]") {
  const std::filesystem::path binary(DRA_BINARY);
  const std::string script = binary.parent_path().string() + "/../completions-test.bash";
  {
    std::ostringstream o, e;
    std::istringstream in;
    Io io{o, e, in};
    REQUIRE(run_cli({"completion", "bash"}, io) == kExitOk);
    std::ofstream(script) << o.str();
  }
  // Bash fills COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD and calls the function
  // `complete -F` registered; the test does the same and prints COMPREPLY.
  auto tab = [&](const std::string& line) {
    const std::string program =
        "source '" + script +
        "' || exit 9\n"
        "complete -p kubectl-dra >/dev/null || exit 8\n"
        "COMP_LINE='" +
        line +
        "'; COMP_POINT=${#COMP_LINE}\n"
        "read -r -a COMP_WORDS <<< \"$COMP_LINE\"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        "_kubectl_dra kubectl-dra \"${COMP_WORDS[COMP_CWORD]}\"\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    return testing::run_program({"bash", "--norc", "--noprofile", "-c", program},
                                {{"PATH", binary.parent_path().string() + ":/usr/bin:/bin"},
                                 {"BASH_COMPLETION_VERSINFO", ""}});
  };
  auto r = tab("kubectl-dra get cl");
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "classes\nclaims\n");
  r = tab("kubectl-dra explain claim -f " + kDump + " ");
  CHECK(r.out == "ml/one-gpu\nml/big-gpu\nml/three-gpus\nml/lone\n");
  r = tab("kubectl-dra get -o=j");  // bash splits at '=': the reply is the part after it
  CHECK(r.out == "json\n");
  r = tab("kubectl-dra lint " + std::string(DRA_SOURCE_DIR) + "/READ");  // files, from bash
  CHECK(r.out == std::string(DRA_SOURCE_DIR) + "/README.md\n");
  std::filesystem::remove(script);
}

TEST_CASE("completion: kubectl completes `kubectl dra` through kubectl_complete-dra",
          "[commands]") {
  if (testing::run_program({"kubectl", "version", "--client"}).status != 0) {
    WARN("kubectl not found: skipping kubectl's plugin completion");
    return;
  }
  // kubectl finds kubectl-dra and kubectl_complete-dra on PATH, as krew installs them.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "dra-complete-path";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(DRA_BINARY, dir / "kubectl-dra",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(std::string(DRA_SOURCE_DIR) + "/completions/kubectl_complete-dra",
                             dir / "kubectl_complete-dra",
                             std::filesystem::copy_options::overwrite_existing);
  const auto r = testing::run_program({"kubectl", "__complete", "dra", "get", "cl"},
                                      {{"PATH", dir.string() + ":/usr/bin:/bin"}});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(r.out == "classes\tDeviceClasses\nclaims\tResourceClaims\n:4\n");
  std::filesystem::remove_all(dir);
}

TEST_CASE("completion: completions/ holds what `completion` prints", "[commands]") {
  const std::filesystem::path dir = std::filesystem::path(DRA_SOURCE_DIR) / "completions";
  const std::pair<const char*, const char*> files[] = {
      {"bash", "kubectl-dra.bash"}, {"zsh", "_kubectl-dra"}, {"fish", "kubectl-dra.fish"}};
  for (const auto& [shell, file] : files) {
    INFO(file);
    CHECK(slurp(dir / file) == completion_script(shell));
  }
  CHECK(slurp(dir / "kubectl_complete-dra").find("exec kubectl-dra __complete \"$@\"") !=
        std::string::npos);
  const auto perms = std::filesystem::status(dir / "kubectl_complete-dra").permissions();
  CHECK((perms & std::filesystem::perms::owner_exec) != std::filesystem::perms::none);
}

}  // namespace dra::commands
