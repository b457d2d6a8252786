// explain_bench.cpp: the cost of `kubectl dra explain` (issue #5), on dumps from gen-cluster.py.
//
//   bench_explain DUMP [ROUNDS [fits|unsatisfiable]]
//     Loads DUMP, then explains, ROUNDS times each: the first pending claim (it fits: every
//     node is tried, to count where else it would fit), and a claim added to the dump that
//     fits nowhere (nine GPUs of the first device class: the search is exhaustive on every
//     node). Prints the load time and the median time of each explanation:
//     {"what":"explain","load_s":L,"nodes":N,"fits_s":F,"unsatisfiable_s":U,
//      "fits_per_load":F/L,"unsatisfiable_per_load":U/L}
//     With `fits`, also what `kubectl dra explain` does after its load, once, as the command
//     does it: the control plane's passes over the loaded cluster (`prepare_s`: taint rules,
//     claims from templates), the first explanation (`fits_cold_s`), and rendering it as a
//     text tree (`render_text_s`) and as JSON (`render_json_s`); `after_load_s` is their sum
//     with the text rendering (the command's default output).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "alloc/controllers.hpp"
#include "alloc/schedule.hpp"
#include "bench_common.hpp"
#include "explain/explain.hpp"
#include "k8s/emit.hpp"
#include "k8s/load.hpp"
#include "render/explain.hpp"
#include "util/heap.hpp"

namespace {

using namespace dra;

double now_s() { return bench::now(); }

using bench::median;

double time_explain(const k8s::Cluster& c, const explain::Target& t, int rounds,
                    unsigned threads = 0) {
  std::vector<double> times;
  explain::Options o;
  o.threads = threads;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = now_s();
    const explain::Result res = explain::explain(c, t, o);
    times.push_back(now_s() - t0);
    if (!res.error.empty()) {
      std::fprintf(stderr, "%s\n", res.error.c_str());
      std::exit(2);
    }
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_explain DUMP [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  util::Diagnostics diags;
  k8s::LoadOptions opts;
  opts.filenames = {argv[1]};
  double t0 = now_s();
  k8s::Cluster c = k8s::load(opts, diags);
  const double load_s = now_s() - t0;
  // As `kubectl dra explain` does once the cluster is loaded.
  t0 = now_s();
  alloc::apply_device_taint_rules(c);
  alloc::create_template_claims(c);
  util::heap_for_work();
  const double prepare_s = now_s() - t0;
  if (diags.has_errors() || c.device_classes.empty()) {
    std::fprintf(stderr, "%s", diags.to_string().c_str());
    return 2;
  }
  explain::Target first;
  for (const k8s::ResourceClaim& rc : c.resource_claims)
    if (!rc.status.allocation) {
      first.namespace_ = rc.metadata.namespace_;
      first.name = rc.metadata.name;
      break;
    }
  if (first.name.empty()) {
    std::fprintf(stderr, "no pending claim\n");
    return 2;
  }
  // A claim that fits nowhere, added after the others (so every other group is placed
  // before it, as `allocate` would).
  util::Diagnostics d2;
  k8s::LoadOptions extra;
  std::istringstream text(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
      "metadata: {name: bench-nine, namespace: bench}\nspec:\n  devices:\n"
      "    requests:\n    - name: gpus\n      exactly:\n        deviceClassName: " +
      c.device_classes.front().metadata.name + "\n        count: 9\n");
  extra.stdin_stream = &text;
  extra.filenames = {"-"};
  k8s::Cluster more = k8s::load(extra, d2);
  if (d2.has_errors() || more.resource_claims.empty()) {
    std::fprintf(stderr, "%s", d2.to_string().c_str());
    return 2;
  }
  c.resource_claims.push_back(more.resource_claims.front());
  explain::Target nine;
  nine.namespace_ = "bench";
  nine.name = "bench-nine";
  const std::string only = argc > 3 ? argv[3] : "";  // "fits" or "unsatisfiable": just that one
  if (only == "threads") {
    // One thread against two, alternating in one process (the machine's drift shared).
    std::vector<double> one, two;
    for (int r = 0; r < rounds; ++r) {
      one.push_back(time_explain(c, first, 1, 1));
      two.push_back(time_explain(c, first, 1, 2));
    }
    std::printf("{\"what\":\"explain.threads\",\"one_s\":%.4f,\"two_s\":%.4f}\n", median(one),
                median(two));
    return 0;
  }
  if (only == "sweep") {
    // What the sweep over every node costs, layer by layer, for the first pending claim.
    const k8s::ResourceClaim* claim = nullptr;
    for (const k8s::ResourceClaim& rc : c.resource_claims)
      if (rc.metadata.name == first.name && rc.metadata.namespace_ == first.namespace_) claim = &rc;
    const alloc::NodeList nodes(c);
    struct Facts : alloc::Observer {
      bool wants_facts() const override { return true; }
    };
    const std::string order = argc > 4 ? argv[4] : "012";
    for (char vc : order) {
      const int variant = vc - '0';
      std::vector<double> times;
      for (int r = 0; r < rounds; ++r) {
        const double t1 = now_s();
        alloc::Allocator a(c, alloc::allocated_state(c));
        const double t2 = now_s();
        alloc::Observer plain;
        Facts facts;
        alloc::Observer* o = variant == 0 ? nullptr : variant == 1 ? &plain : &facts;
        size_t fit = 0;
        for (size_t i = 0; i < nodes.size(); ++i)
          fit += a.allocate(nodes[i], {claim}, o).kind == alloc::Outcome::Kind::Allocated;
        times.push_back(now_s() - t2);
        if (r == 0)
          std::fprintf(stderr, "variant %d: allocator %.4f s, fits on %zu\n", variant, t2 - t1,
                       fit);
      }
      std::printf(
          "{\"what\":\"explain.sweep\",\"variant\":\"%s\",\"s\":%.4f,\"us_per_node\":%.2f}\n",
          variant == 0   ? "no observer"
          : variant == 1 ? "observer"
                         : "observer+facts",
          median(times), 1e6 * median(times) / static_cast<double>(nodes.size()));
    }
    return 0;
  }
  // The first explanation of the process, as one `kubectl dra explain` runs it (a heap that
  // has not grown yet, pages touched for the first time), then the median of the rounds.
  double cold = 0, render_text = 0, render_json = 0;
  if (only != "unsatisfiable") {
    double t1 = now_s();
    const explain::Result res = explain::explain(c, first, {});
    cold = now_s() - t1;
    if (!res.error.empty()) {
      std::fprintf(stderr, "%s\n", res.error.c_str());
      return 2;
    }
    t1 = now_s();
    const std::string text = render::explain_text(res.explanation, {});
    render_text = now_s() - t1;
    t1 = now_s();
    const std::string json = k8s::to_json(render::explain_value(res.explanation));
    render_json = now_s() - t1;
    if (text.empty() || json.empty()) return 2;
  }
  const double fits = only == "unsatisfiable" ? 0 : time_explain(c, first, rounds);
  const double unsat = only == "fits" ? 0 : time_explain(c, nine, rounds);
  std::printf(
      "{\"what\":\"explain\",\"load_s\":%.3f,\"nodes\":%zu,\"fits_cold_s\":%.4f,"
      "\"fits_s\":%.3f,\"unsatisfiable_s\":%.3f,\"fits_per_load\":%.3f,"
      "\"unsatisfiable_per_load\":%.3f,\"prepare_s\":%.4f,\"render_text_s\":%.4f,"
      "\"render_json_s\":%.4f,\"after_load_s\":%.4f}\n",
      load_s, alloc::NodeList(c).size(), cold, fits, unsat, fits / load_s, unsat / load_s,
      prepare_s, render_text, render_json, prepare_s + cold + render_text);
  return 0;
}
