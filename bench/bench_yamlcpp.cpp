// bench_yamlcpp: for the record, yaml-cpp's YAML::LoadAll building a YAML::Node tree per
// document. The stream reads the in-memory buffer directly (no copy into a stringstream).
//   bench_yamlcpp FILE
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <istream>
#include <streambuf>
#include <vector>

#include "bench_common.hpp"

namespace {

// A read-only streambuf over an existing buffer.
struct MemBuf : std::streambuf {
  MemBuf(char* begin, std::size_t size) { setg(begin, begin, begin + size); }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  const char* path = argv[1];
  bench::Buffer in = bench::read_input(path, "yamlcpp");

  MemBuf buf(in.data.get(), in.size);
  std::istream stream(&buf);
  try {
    double t0 = bench::now();
    std::vector<YAML::Node> docs = YAML::LoadAll(stream);
    double t1 = bench::now();
    bench::report("yamlcpp.loadall", in.size, t1 - t0,
                  {{"items", static_cast<long long>(docs.size())}});
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "%s: %s\n", path, e.what());
    return 1;
  }
  return 0;
}
