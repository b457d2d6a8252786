// cel_bench.cpp: the cost of evaluating DRA selectors (issue #3).
//
// For each selector: compile once, then evaluate it on a prepared device (the `device`
// value built once, as the allocator will do per device) many times, in R rounds; print the
// median nanoseconds per evaluation, and the same for a hand-written C++ check of the same
// condition on the k8s::Device struct, and the median of their per-round ratios. One JSON object
// per line:
//   {"what":"cel.eval","selector":"class","ns_per_eval":N,"handwritten_ns":H,"ratio":R}
// Usage: bench_cel [ROUNDS] [ITERATIONS] [SELECTOR]  (SELECTOR: run only that case, for profiling)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "k8s/model.hpp"
#include "selectors/device.hpp"
#include "selectors/program.hpp"

namespace {

using namespace dra;

// A GPU as drivers publish them: a dozen attributes, a few capacities.
k8s::Device make_gpu() {
  using A = k8s::DeviceAttribute;
  k8s::Device d;
  d.name = "gpu-0";
  auto attr = [&](const char* n, A a) { d.attributes.push_back({util::Atom(n), std::move(a)}); };
  attr("model", A::of_string("h100"));
  attr("architecture", A::of_string("hopper"));
  attr("brand", A::of_string("nvidia"));
  attr("productName", A::of_string("NVIDIA H100 80GB HBM3"));
  attr("uuid", A::of_string("GPU-4b1c7d0e-2f5a-4c39-9a57-0d2b6f1e8c11"));
  attr("index", A::of_int(0));
  attr("minor", A::of_int(0));
  attr("cudaComputeCapability", A::of_version("9.0.0"));
  attr("driverVersion", A::of_version("560.35.3"));
  attr("cudaDriverVersion", A::of_version("12.6.0"));
  attr("pcieRoot", A::of_string("pci0000:00"));
  attr("resource.kubernetes.io/pcieRoot", A::of_string("pci0000:00"));
  auto cap = [&](const char* n, const char* q) {
    k8s::DeviceCapacity c;
    c.value = *k8s::Quantity::parse(q);
    d.capacity.push_back({util::Atom(n), std::move(c)});
  };
  cap("memory", "80Gi");
  cap("multiprocessors", "132");
  return d;
}

const k8s::DeviceAttribute* find_attr(const k8s::Device& d, std::string_view name) {
  for (const auto& [n, a] : d.attributes)
    if (n.view() == name) return &a;
  return nullptr;
}
const k8s::Quantity* find_cap(const k8s::Device& d, std::string_view name) {
  for (const auto& [n, c] : d.capacity)
    if (n.view() == name) return &c.value;
  return nullptr;
}

double now_ns() {
  return std::chrono::duration<double, std::nano>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename F>
double batch_ns(int iterations, F&& f) {
  const double t0 = now_ns();
  for (int i = 0; i < iterations; ++i) f();
  return (now_ns() - t0) / iterations;
}

using bench::median;

template <typename F>
double median_ns(int rounds, int iterations, F&& f) {
  std::vector<double> per;
  for (int r = 0; r < rounds; ++r) per.push_back(batch_ns(iterations, f));
  return median(per);
}

volatile bool g_sink;

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 200000;
  const std::string only = argc > 3 ? argv[3] : "";
  const std::string driver = "gpu.example.com";
  const k8s::Device gpu = make_gpu();
  const k8s::Quantity forty = *k8s::Quantity::parse("40Gi");

  struct Case {
    const char* name;
    const char* expression;
    std::function<bool()> handwritten;
  };
  const std::vector<Case> cases = {
      {"class", R"(device.driver == "gpu.example.com")",
       [&] { return driver == "gpu.example.com"; }},
      {"class-attribute",
       R"(device.driver == "gpu.example.com" && device.attributes["gpu.example.com"].model == "h100")",
       [&] {
         const k8s::DeviceAttribute* a = find_attr(gpu, "model");
         return driver == "gpu.example.com" && a && a->type == k8s::DeviceAttribute::Type::String &&
                a->string_value() == "h100";
       }},
      {"request-memory",
       R"(device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0)",
       [&] {
         const k8s::Quantity* q = find_cap(gpu, "memory");
         return q && (*q <=> forty) >= 0;
       }},
  };

  selectors::Activation act;
  act.bind("device", selectors::device_value(gpu, driver));
  for (const Case& c : cases) {
    if (!only.empty() && only != c.name) continue;
    const selectors::Compiled compiled = selectors::compile(c.expression);
    if (!compiled.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name,
                   selectors::format_issues(c.expression, compiled.issues).c_str());
      return 1;
    }
    const selectors::Program& p = *compiled.program;
    const selectors::Value check = p.evaluate(act);
    if (check.kind() != selectors::ValueKind::Bool || !check.bool_value() || !c.handwritten()) {
      std::fprintf(stderr, "%s: does not match\n", c.name);
      return 1;
    }
    // CEL and hand-written batches alternate, so a noisy neighbour slows both alike; the
    // ratio is the median of the per-round ratios.
    std::vector<double> cel, hand, ratio;
    for (int r = 0; r < rounds; ++r) {
      cel.push_back(batch_ns(iterations, [&] { g_sink = p.evaluate(act).bool_value(); }));
      hand.push_back(batch_ns(iterations * 10, [&] { g_sink = c.handwritten(); }));
      ratio.push_back(cel.back() / hand.back());
    }
    std::printf(
        "{\"what\":\"cel.eval\",\"selector\":\"%s\",\"ns_per_eval\":%.1f,\"handwritten_ns\":%.2f,"
        "\"ratio\":%.1f}\n",
        c.name, median(cel), median(hand), median(ratio));
  }
  if (!only.empty()) return 0;
  // Preparing the device value (once per device per allocation run).
  const double prep = median_ns(rounds, iterations / 10,
                                [&] { g_sink = !selectors::device_value(gpu, driver).is_error(); });
  std::printf("{\"what\":\"cel.device_value\",\"ns\":%.1f}\n", prep);
  return 0;
}
