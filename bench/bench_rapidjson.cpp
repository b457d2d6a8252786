// bench_rapidjson: baseline for JSON input. Parses the whole file into a rapidjson::Document
// (DOM, default MemoryPoolAllocator). Headline: kParseDefaultFlags from a const buffer;
// --insitu measures kParseInsituFlag instead (strings decoded into the input buffer).
//   bench_rapidjson [--insitu] FILE
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstdio>
#include <cstring>

#include "bench_common.hpp"

namespace {

long long top_level_items(const rapidjson::Document& d) {
  if (d.IsObject()) {
    auto it = d.FindMember("items");  // a kind: List
    if (it != d.MemberEnd() && it->value.IsArray()) return it->value.Size();
    return 1;
  }
  return d.IsArray() ? d.Size() : 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool insitu = argc == 3 && std::strcmp(argv[1], "--insitu") == 0;
  if (argc != 2 + (insitu ? 1 : 0) || argv[argc - 1][0] == '-') {
    std::fprintf(stderr, "usage: %s [--insitu] FILE\n", argv[0]);
    return 2;
  }
  const char* path = argv[argc - 1];
  bench::Buffer in = bench::read_input(path, "rapidjson");

  rapidjson::Document doc;
  double t0 = bench::now();
  if (insitu) {
    doc.ParseInsitu<rapidjson::kParseDefaultFlags>(in.data.get());
  } else {
    doc.Parse<rapidjson::kParseDefaultFlags>(in.data.get(), in.size);
  }
  double t1 = bench::now();
  if (doc.HasParseError()) {
    std::fprintf(stderr, "%s: offset %zu: %s\n", path, doc.GetErrorOffset(),
                 rapidjson::GetParseError_En(doc.GetParseError()));
    return 1;
  }
  bench::report(insitu ? "rapidjson.dom_insitu" : "rapidjson.dom", in.size, t1 - t0,
                {{"items", top_level_items(doc)}});
  return 0;
}
