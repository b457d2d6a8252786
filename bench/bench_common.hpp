// bench_common.hpp: what every loader benchmark shares (bench/README.md has the contract).
//
// Each benchmark reads one input file fully into memory (timed on its own), parses it (timed),
// and prints one JSON object per line to stdout, the last line being the headline:
//   {"what":"libyaml.scan","bytes":N,"seconds":S,"mb_per_s":X,"peak_rss_kb":K,...}
// MB is 10^6 bytes; peak_rss_kb is getrusage(RUSAGE_SELF).ru_maxrss when the line is printed,
// so it includes the input buffer and whatever the parse still holds.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

// The whole file, NUL-terminated (data[size] == 0) and writable, as in-situ parsers need.
struct Buffer {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
};

[[noreturn]] inline void die(const char* what, const char* detail) {
  std::fprintf(stderr, "%s: %s\n", what, detail);
  std::exit(1);
}

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The median of timings (the upper one of an even count).
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

inline long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;  // kilobytes on Linux
}

inline Buffer read_file(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path, std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) die(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) die(path, "not a regular file");
  Buffer b;
  b.size = static_cast<std::size_t>(st.st_size);
  b.data.reset(new char[b.size + 1]);  // uninitialised: read() touches every page once
  std::size_t got = 0;
  while (got < b.size) {
    ssize_t n = read(fd, b.data.get() + got, b.size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die(path, std::strerror(errno));
    if (n == 0) die(path, "file shrank while reading");
    got += static_cast<std::size_t>(n);
  }
  b.data[b.size] = '\0';
  close(fd);
  return b;
}

// One result line; extra integer fields (item counts, ...) go after the standard ones.
inline void report(std::string_view what, std::size_t bytes, double seconds,
                   std::initializer_list<std::pair<const char*, long long>> extra = {}) {
  double mbps = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
  std::printf(R"({"what":"%.*s","bytes":%zu,"seconds":%.6f,"mb_per_s":%.1f,"peak_rss_kb":%ld)",
              static_cast<int>(what.size()), what.data(), bytes, seconds, mbps, peak_rss_kb());
  for (const auto& [key, value] : extra) std::printf(R"(,"%s":%lld)", key, value);
  std::printf("}\n");
  std::fflush(stdout);
}

// Reads FILE into memory and reports the read as "<prefix>.read".
inline Buffer read_input(const char* path, std::string_view prefix) {
  double t0 = now();
  Buffer b = read_file(path);
  double t1 = now();
  report(std::string(prefix) + ".read", b.size, t1 - t0);
  return b;
}

}  // namespace bench
