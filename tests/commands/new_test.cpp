// tests/commands/new_test.cpp -- `kubectl dra new`: what it writes passes `kubectl dra lint`
// (every flag combination below, in every API version), and request options apply to the
// request or alternative they follow.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "author/templates.hpp"
#include "commands/registry.hpp"
#include "k8s/load.hpp"
#include "lint/lint.hpp"
#include "test_util.hpp"

namespace dra::commands {
namespace {

struct Run {
  int status = 0;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  std::ostringstream o, e;
  std::istringstream in;
  Io io{o, e, in};
  Run r;
  r.status = run_cli(args, io);
  r.out = o.str();
  r.err = e.str();
  return r;
}

using testing::lint_text;

// `new` with `args` succeeds, and lint has nothing to say of its output but the warnings
// the flags ask for (All, admin access, an old API version).
void passes_lint(const std::vector<std::string>& args) {
  const Run r = run(args);
  INFO(r.err);
  REQUIRE(r.status == kExitOk);
  for (const lint::Finding& f : lint_text(r.out)) {
    INFO(f.path << ": " << f.message << " [" << f.rule << "]\n" << r.out);
    CHECK((f.rule == "allocation-mode-all" || f.rule == "admin-access" ||
           f.rule == "deprecated-version"));
  }
}

}  // namespace

TEST_CASE("commands: every `new` output passes lint, in every API version", "[commands]") {
  const std::vector<std::vector<std::string>> combos = {
      {"--class", "gpu.example.com"},
      {"--class", "gpu.example.com", "--count", "3", "--where", "model=H100", "--where",
       "memory>=40Gi", "--where", "driverVersion>=535.0.0", "--where", "!mig"},
      {"--class", "gpu.example.com", "--all", "--where", "model in (A100,H100)"},
      {"--request", "gpu:gpu.example.com", "--where", "model=H100", "--or", "gpu.example.com:2",
       "--where", "model=A100", "--or", "other.example.com", "--request", "nic:rdma.dra.net",
       "--same", "resource.kubernetes.io/pcieRoot"},
      {"--request", "a:gpu.example.com:2", "--request", "b:gpu.example.com", "--distinct",
       "uuid=a,b", "--same", "numa"},
      {"--class", "gpu.example.com", "--admin", "--tolerate", "maintenance:NoExecute", "--tolerate",
       "dedicated=ml:NoSchedule", "--capacity", "memory=10Gi", "--config",
       R"(gpu.example.com={"sharing":{"strategy":"TimeSlicing"}})"},
  };
  for (const char* kind : {"claim", "template"})
    for (const char* version : {"v1", "v1beta2", "v1beta1"})
      for (const auto& flags : combos) {
        std::vector<std::string> args = {"new",           kind,    "x",    "-n", "team",
                                         "--api-version", version, "--pod"};
        args.insert(args.end(), flags.begin(), flags.end());
        INFO(kind << " " << version);
        passes_lint(args);
      }
}

TEST_CASE("commands: `new` request options apply to what they follow", "[commands]") {
  const Run r = run({"new", "claim", "x", "-o", "json", "--request", "a:one.example.com", "--count",
                     "2", "--or", "two.example.com", "--where", "fast", "--request",
                     "b:three.example.com", "--all"});
  REQUIRE(r.status == kExitOk);
  // a: an alternative of two (the count stays with the first), b: All.
  CHECK_THAT(r.out, Catch::Contains(R"("name": "one",
                            "deviceClassName": "one.example.com",
                            "allocationMode": "ExactCount",
                            "count": 2)"));
  CHECK_THAT(r.out, Catch::Contains(R"("name": "two",
                            "deviceClassName": "two.example.com",
                            "selectors": [)"));
  CHECK_THAT(r.out, Catch::Contains(R"(device.attributes[\"two.example.com\"].fast)"));
  CHECK_THAT(r.out, Catch::Contains(R"("deviceClassName": "three.example.com",
                        "allocationMode": "All")"));
}

TEST_CASE("commands: `new` refuses flags that do not fit together", "[commands]") {
  auto err = [](std::vector<std::string> flags) {
    std::vector<std::string> args = {"new", "claim", "x"};
    args.insert(args.end(), flags.begin(), flags.end());
    const Run r = run(args);
    CHECK(r.status == kExitError);
    CHECK(r.out.empty());
    return r.err;
  };
  CHECK_THAT(err({"--where", "model=H100"}), Catch::Contains("--where must follow a request"));
  CHECK_THAT(err({"--class", "a.example.com", "--class", "b.example.com"}),
             Catch::Contains("has a class already"));
  CHECK_THAT(err({"--class", "a.example.com", "--count", "2", "--all"}),
             Catch::Contains("--count and --all are both given"));
  CHECK_THAT(err({"--class", "a.example.com", "--or", "b.example.com", "--admin"}),
             Catch::Contains("an alternative (--or) cannot have admin access"));
  CHECK_THAT(err({"--request", "a:x.example.com", "--same", "numa=b"}),
             Catch::Contains("the claim has no request \"b\""));
  CHECK_THAT(err({"--request", "A:x.example.com"}), Catch::Contains("is not a DNS label"));
  CHECK_THAT(err({"--class", "x.example.com", "--count", "0"}), Catch::Contains("is not a count"));
  CHECK_THAT(err({"--class", "x.example.com", "--capacity", "memory=lots"}),
             Catch::Contains("not a quantity"));
  CHECK_THAT(err({"--class", "x.example.com", "--tolerate", "k:Evict"}),
             Catch::Contains("\"Evict\" is not a taint effect"));
  CHECK_THAT(err({"--class", "x.example.com", "--config", "d.example.com=[1]"}),
             Catch::Contains("not a JSON object"));
  CHECK_THAT(err({"--class", "gpu", "--where", "model=H100"}),
             Catch::Contains("cannot tell the domain of model"));
  CHECK_THAT(err({"--api-version", "v2", "--class", "x.example.com"}), Catch::Contains("v2"));
  CHECK_THAT(err({"--driver", "gpu.example.com"}), Catch::Contains("needs --against"));
}

TEST_CASE("commands: `new --against` takes the class's driver and types from the dump",
          "[commands]") {
  const std::string dump = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/explain.yaml";
  Run r = run({"new", "claim", "x", "--against", dump, "--driver", "gpu.example.com", "--where",
               "memory>=40"});
  REQUIRE(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains("deviceClassName: gpu.example.com"));
  CHECK_THAT(r.out, Catch::Contains(
                        R"(device.capacity["gpu.example.com"].memory.compareTo(quantity("40")))"));
  r = run({"new", "claim", "x", "--against", dump, "--class", "gpu.exampel.com"});
  CHECK(r.status == kExitError);
  CHECK_THAT(r.err, Catch::Contains("did you mean gpu.example.com?"));
}

}  // namespace dra::commands

namespace dra::commands {

TEST_CASE("commands: every built-in template passes lint with its defaults", "[commands]") {
  for (const author::Template& t : author::builtin_templates())
    for (const char* kind : {"claim", "template"})
      for (const char* version : {"v1", "v1beta2", "v1beta1"}) {
        INFO(t.name << " " << kind << " " << version);
        passes_lint({"new", kind, "x", "-n", "team", "--api-version", version, "--pod",
                     "--template", t.name});
      }
}

TEST_CASE("commands: built-in templates that ask for several devices take `count`", "[commands]") {
  for (const author::Template& t : author::builtin_templates()) {
    const author::Expanded e = author::expand(t, {});
    REQUIRE_FALSE(e.error);
    author::BuildOptions o;
    o.params = &e.params;
    const author::Built b = author::build_claim_spec(e.steps, o);
    REQUIRE_FALSE(b.error);
    bool several = false;
    for (const k8s::DeviceRequest& r : b.spec.devices.requests) {
      if (r.exactly) several = several || r.exactly->count > 1;
      for (const k8s::DeviceSubRequest& a : r.first_available) several = several || a.count > 1;
    }
    const bool has_count =
        std::any_of(t.params.begin(), t.params.end(),
                    [](const author::TemplateParam& p) { return p.name == "count"; });
    INFO(t.name);
    CHECK(several == has_count);
  }
}

TEST_CASE("commands: template parameters are typed, never text in the YAML", "[commands]") {
  // A string parameter in a --where value is one CEL string literal, escaped.
  Run r = run({"new", "claim", "x", "-o", "json", "--template", "mig", "--set",
               R"(profile=1g" || true || ")"});
  REQUIRE(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains(R"(.profile == \"1g\\\" || true || \\\"\")"));
  // Elsewhere a string parameter is a name: no spaces, quotes, colons.
  r = run({"new", "claim", "x", "--template", "gpu", "--set", "class=a:b"});
  CHECK(r.status == kExitError);
  CHECK_THAT(r.err, Catch::Contains("--class takes a name or a number here"));
  r = run({"new", "claim", "x", "--template", "gpus-nvlink", "--set", "count=two"});
  CHECK(r.status == kExitError);
  CHECK_THAT(r.err, Catch::Contains("parameter count = \"two\": not an integer"));
  r = run({"new", "claim", "x", "--template", "gpu", "--set", "colour=red"});
  CHECK(r.status == kExitError);
  CHECK_THAT(r.err, Catch::Contains("its parameters: class"));
  // Flags after --template add to the template's last request.
  r = run(
      {"new", "claim", "x", "-o", "json", "--template", "gpus-nvlink", "--where", "model=H100"});
  REQUIRE(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains(R"("count": 2)"));
  CHECK_THAT(r.out, Catch::Contains(R"(model == \"H100\")"));
}

TEST_CASE("commands: user templates from --template-dir and XDG_CONFIG_HOME", "[commands]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("dra-templates-" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "pair.yaml");
    f << R"(name: gpu-pair
description: Two GPUs of one model
parameters:
- {name: count, type: int, default: "2", help: How many GPUs}
- {name: model, type: string, default: H100, help: The GPU model}
flags: [--class, gpu.example.com, --count, "{count}", --where, "model={model}"]
)";
  }
  Run r = run({"templates", "list", "--template-dir", dir.string()});
  CHECK(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains("gpu-pair") && Catch::Contains("count,model"));
  r = run({"new", "claim", "x", "--template-dir", dir.string(), "--template", "gpu-pair", "--set",
           "model=A100", "--set", "count=3"});
  REQUIRE(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains("count: 3") && Catch::Contains(R"(== "A100")"));
  // show -o yaml gives the file's form back.
  r = run({"templates", "show", "gpu-pair", "--template-dir", dir.string(), "-o", "yaml"});
  CHECK(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains("- --class") && Catch::Contains("type: int"));
  {
    std::ofstream f(dir / "broken.yaml");
    f << "name: broken\nparameters:\n- {name: n, type: float}\nflags: [--class, x]\n";
  }
  r = run({"templates", "list", "--template-dir", dir.string()});
  CHECK(r.status == kExitError);
  CHECK_THAT(r.err, Catch::Contains("broken.yaml:3:3") && Catch::Contains("\"float\""));
  fs::remove(dir / "broken.yaml");
  // $XDG_CONFIG_HOME/kubectl-dra/templates, and a user template replaces a built-in one.
  const fs::path xdg = dir / "xdg";
  fs::create_directories(xdg / "kubectl-dra" / "templates");
  {
    std::ofstream f(xdg / "kubectl-dra" / "templates" / "gpu.yaml");
    f << "name: gpu\ndescription: Our GPU\nflags: [--class, ours.example.com]\n";
  }
  const char* before = std::getenv("XDG_CONFIG_HOME");
  const std::string saved = before ? before : "";
  setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
  r = run({"new", "claim", "x", "--template", "gpu"});
  if (before) {
    setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
  } else {
    unsetenv("XDG_CONFIG_HOME");
  }
  CHECK(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains("deviceClassName: ours.example.com"));
  fs::remove_all(dir);
}

}  // namespace dra::commands

namespace dra::commands {

TEST_CASE("commands: `new --from` reads the compact form, and passes lint", "[commands]") {
  const std::string spec = std::string(DRA_SOURCE_DIR) + "/tests/golden/data/new-spec.yaml";
  for (const char* version : {"v1", "v1beta2", "v1beta1"})
    passes_lint({"new", "template", "x", "-n", "team", "--api-version", version, "--from", spec});
  // The file's steps come before the command line's: a --where after it applies to the
  // file's last request.
  const Run r = run({"new", "claim", "x", "-o", "json", "--from", spec, "--where", "fast"});
  REQUIRE(r.status == kExitOk);
  CHECK_THAT(r.out, Catch::Contains(R"(device.attributes[\"rdma.dra.net\"].fast)"));
  // A step of the file that does not fit is reported at its place in the file.
  const std::string bad =
      (std::filesystem::temp_directory_path() / ("dra-spec-" + std::to_string(getpid()) + ".yaml"))
          .string();
  {
    std::ofstream f(bad);
    f << "requests:\n- class: gpu.example.com\n  count: 0\n";
  }
  const Run e = run({"new", "claim", "x", "--from", bad});
  CHECK(e.status == kExitError);
  CHECK_THAT(e.err, Catch::Contains(bad + ":3:10: error: \"0\" is not a count"));
  // In a condition: the column of the character at fault, quoted or not.
  {
    std::ofstream f(bad);
    f << "requests:\n- class: gpu.example.com\n  where: [model=>H100]\n"
         "- class: nic.example.com\n  where: [\"mtu > 1\", \"model ~ x\"]\n";
  }
  Run w = run({"new", "claim", "x", "--from", bad});
  CHECK_THAT(w.err, Catch::Contains(bad + ":3:17: error: a value does not start with"));
  {
    std::ofstream f(bad);
    f << "requests:\n- class: nic.example.com\n  where: [\"mtu > 1\", \"model ~ x\"]\n";
  }
  w = run({"new", "claim", "x", "--from", bad});
  CHECK_THAT(w.err, Catch::Contains(bad + ":3:29: error: expected an operator after model"));
  std::filesystem::remove(bad);
}

}  // namespace dra::commands
