// src/commands/command.hpp -- what every subcommand shares: its streams, exit codes, the
// Command entry that main() dispatches, and checkpoint() for diagnostics.
#pragma once

#include <functional>
#include <iostream>

#include "util/diag.hpp"

namespace CLI {
class App;
}

namespace dra::commands {

// Exit codes (README.md, "Exit codes").
inline constexpr int kExitOk = 0;  // success
inline constexpr int kExitNegative =
    1;                                // the answer is negative: lint errors, unallocatable claims
inline constexpr int kExitError = 2;  // usage errors, unreadable or malformed input, no cluster

struct Io {
  std::ostream& out = std::cout;
  std::ostream& err = std::cerr;
  std::istream& in = std::cin;
  int verbosity = 0;  // -v
};

struct Command {
  CLI::App* app = nullptr;
  std::function<int(Io&)> run;
};

// Prints pending diagnostics to io.err (long form) and clears them. Returns false if any
// was an error: the caller stops with kExitError.
bool checkpoint(util::Diagnostics& diags, Io& io);

}  // namespace dra::commands
