// src/util/atomic_file.hpp -- output files written whole or not at all, even when the
// process is interrupted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dra::util {

// Writes `text` to `path` through a temporary file in the same directory (".NAME.tmp-PID"),
// then renames it over `path`: readers see the old file or the new one, never a part.
// While the temporary file exists, SIGINT, SIGTERM and SIGHUP remove it before the process
// ends as the signal would end it (the one piece of global state here: a handler can reach
// nothing else). Returns an error message, or nullopt on success.
//
// For tests only: DRA_TEST_WRITE_DELAY_MS=N pauses N ms after each MiB written, so that a
// test can interrupt a write in progress.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view text);

}  // namespace dra::util
