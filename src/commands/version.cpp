// src/commands/version.cpp -- `kubectl dra version`.
#include <curl/curl.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "commands/command.hpp"
#include "commands/registry.hpp"

#ifndef DRA_VERSION
#define DRA_VERSION "0.0.0"
#endif
#ifndef DRA_GIT_COMMIT
#define DRA_GIT_COMMIT "unknown"
#endif
#ifndef DRA_BUILD_DATE
#define DRA_BUILD_DATE "unknown"
#endif

namespace dra::commands {

Command add_version(CLI::App& root) {
  CLI::App* app = root.add_subcommand("version", "Print the version of kubectl-dra");
  app->footer(R"(Prints the version (krew/dra.yaml's spec.version), the git commit and its date, the
resource.k8s.io versions read and written, and the libcurl in use.

Examples:
  kubectl dra version)");
  return {app, [](Io& io) {
            io.out << fmt::format("kubectl-dra {}\ncommit: {}\nbuilt: {} (the commit's date)\n",
                                  DRA_VERSION, DRA_GIT_COMMIT[0] ? DRA_GIT_COMMIT : "unknown",
                                  DRA_BUILD_DATE[0] ? DRA_BUILD_DATE : "unknown");
            io.out << "reads: resource.k8s.io/v1, v1beta2, v1beta1\n";
            io.out << "writes: resource.k8s.io/v1, v1beta2, v1beta1\n";
            io.out << "libcurl: " << curl_version_info(CURLVERSION_NOW)->version << '\n';
            return kExitOk;
          }};
}

}  // namespace dra::commands
