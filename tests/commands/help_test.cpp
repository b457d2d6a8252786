// tests/commands/help_test.cpp -- every command's --help has examples; every help topic has
// text; the man page covers every command and topic.
#include <catch2/catch.hpp>
#include <sstream>

#include "commands/registry.hpp"

namespace dra::commands {
namespace {

std::pair<int, std::string> run(const std::vector<std::string>& args) {
  std::ostringstream o, e;
  std::istringstream in;
  Io io{o, e, in};
  const int status = run_cli(args, io);
  return {status, o.str() + e.str()};
}

const std::vector<std::vector<std::string>> kCommands = {
    {"get"},         {"allocate"},  {"fit"},        {"explain"}, {"lint"},
    {"new"},         {"templates"}, {"dump"},       {"cel"},     {"cel", "check"},
    {"cel", "eval"}, {"version"},   {"completion"}, {"help"}};

}  // namespace

TEST_CASE("help: every command's --help shows examples", "[commands]") {
  for (std::vector<std::string> args : kCommands) {
    INFO(args.front() << (args.size() > 1 ? " " + args[1] : ""));
    args.push_back("--help");
    const auto [status, text] = run(args);
    CHECK(status == kExitOk);
    CHECK_THAT(text, Catch::Contains("Examples:") && Catch::Contains("kubectl dra "));
  }
}

TEST_CASE("help: topics and the man page", "[commands]") {
  const auto topics = help_topics();
  std::vector<std::string> names;
  for (const auto& [name, summary] : topics) names.push_back(name);
  CHECK(names ==
        std::vector<std::string>{"selectors", "where", "templates", "exit-codes", "quirks"});
  const auto [status, man] = run({"__man"});
  CHECK(status == kExitOk);
  CHECK_THAT(man, Catch::StartsWith(".TH KUBECTL\\-DRA 1 "));
  for (const auto& [name, summary] : topics) {
    INFO(name);
    const auto [s, text] = run({"help", name});
    CHECK(s == kExitOk);
    CHECK(text == help_topic(name));
    CHECK(text.size() > 200);
    CHECK_THAT(man, Catch::Contains(".SS " + name + "\n"));
  }
  for (const auto& args : kCommands)
    if (args.size() == 1) CHECK_THAT(man, Catch::Contains(".SS kubectl dra " + args[0] + "\n"));
}

}  // namespace dra::commands
