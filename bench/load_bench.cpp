// bench_load: kubectl-dra's own loader, k8s::load(), on a dump: read (mmap), parse (JSON or
// YAML), decode into the model. Unlike the baselines it does not read the file into a buffer
// first, so its time includes reading and its peak RSS includes the mapped input.
//   bench_load FILE
#include <sys/stat.h>

#include <cstdio>

#include "bench_common.hpp"
#include "k8s/load.hpp"

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  struct stat st {};
  if (stat(argv[1], &st) != 0) bench::die(argv[1], "cannot stat");
  dra::k8s::LoadOptions opts;
  opts.filenames = {argv[1]};
  dra::util::Diagnostics diags;
  double t0 = bench::now();
  dra::k8s::Cluster cluster = dra::k8s::load(opts, diags);
  double t1 = bench::now();
  if (diags.has_errors()) {
    std::fputs(diags.to_string().c_str(), stderr);
    return 1;
  }
  size_t devices = 0;
  for (const auto& s : cluster.resource_slices) devices += s.spec.devices.size();
  const long long items =
      static_cast<long long>(cluster.device_classes.size() + cluster.resource_slices.size() +
                             cluster.resource_claims.size() + cluster.nodes.size() +
                             cluster.pods.size() + cluster.skipped_objects);
  bench::report("load", static_cast<size_t>(st.st_size), t1 - t0,
                {{"items", items}, {"devices", static_cast<long long>(devices)}});
  return 0;
}
