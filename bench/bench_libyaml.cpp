// bench_libyaml: baseline for YAML input. A libyaml event scan of the whole stream
// (yaml_parser_parse until YAML_STREAM_END_EVENT, each event deleted at once): the scanner
// and parser cost alone, with no tree built. Parser set-up and tear-down are timed too.
//   bench_libyaml FILE
#include <yaml.h>

#include <cstdio>

#include "bench_common.hpp"

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  const char* path = argv[1];
  bench::Buffer in = bench::read_input(path, "libyaml");

  long long events = 0, documents = 0, scalars = 0;
  double t0 = bench::now();
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) bench::die(path, "yaml_parser_initialize failed");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(in.data.get()),
                               in.size);
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      std::fprintf(stderr, "%s:%zu:%zu: %s\n", path, parser.problem_mark.line + 1,
                   parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
      yaml_parser_delete(&parser);
      return 1;
    }
    ++events;
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        ++documents;
        break;
      case YAML_SCALAR_EVENT:
        ++scalars;
        break;
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      default:
        break;
    }
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  double t1 = bench::now();
  bench::report("libyaml.scan", in.size, t1 - t0,
                {{"items", documents}, {"events", events}, {"scalars", scalars}});
  return 0;
}
