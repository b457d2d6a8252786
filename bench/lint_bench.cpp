// lint_bench.cpp: the cost of `kubectl dra lint` (issue #6) against loading the same files.
//
//   bench_lint DIR [ROUNDS]
//     Loads every manifest under DIR (recursively, as `lint -R` does), then lints what was
//     loaded, ROUNDS times each; prints the medians and their ratio:
//     {"what":"lint","files":F,"findings":N,"load_s":L,"lint_s":T,"lint_per_load":T/L}
//     The target (issue #6): the lint step at most twice the load step.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "k8s/load.hpp"
#include "lint/lint.hpp"

int main(int argc, char** argv) {
  using namespace dra;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_lint DIR [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::vector<double> load, lint;
  size_t files = 0, findings = 0;
  for (int r = 0; r < rounds; ++r) {
    k8s::LoadOptions lo;
    lo.filenames = {argv[1]};
    lo.recursive = true;
    lo.apply_defaults = false;
    lo.for_lint = true;
    util::Diagnostics diags;
    const double t0 = bench::now();
    const k8s::Cluster c = k8s::load(lo, diags);
    const double t1 = bench::now();
    const std::vector<lint::Finding> fs = lint::lint(c, {});
    const double t2 = bench::now();
    load.push_back(t1 - t0);
    lint.push_back(t2 - t1);
    files = c.files.size();
    findings = fs.size();
  }
  const double l = bench::median(load), t = bench::median(lint);
  std::printf(
      "{\"what\":\"lint\",\"files\":%zu,\"findings\":%zu,\"load_s\":%.3f,\"lint_s\":%.3f,"
      "\"lint_per_load\":%.3f}\n",
      files, findings, l, t, t / l);
  return 0;
}
