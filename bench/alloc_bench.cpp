// alloc_bench.cpp: the cost of allocation (issue #4), on dumps from gen-cluster.py.
//
//   bench_alloc all DUMP [ROUNDS]
//     Loads DUMP, then allocates every pending claim Pod by Pod (alloc::schedule, what
//     `kubectl dra allocate` runs): once cold, then ROUNDS times on the same loaded cluster
//     and the same with a do-nothing Observer attached. Prints the cold time and medians:
//     {"what":"alloc.all","claims":N,"placed":P,"load_s":L,"alloc_cold_s":C,"alloc_s":A,
//      "alloc_per_load":A/L,"setup_s":S,"us_per_claim":A/N,"us_per_claim_search":(A-S)/N,
//      "first_s":F,"us_per_further_claim":(A-F)/(N-1),"claims_per_s_process":N/(L+C),
//      "observer_ratio":R}
//     S, the setup, is what a run costs before it searches for any claim: grouping Pods and
//     claims, the allocated state and the node list, all in proportion to the cluster.
//     "first_s" is a run that places only the first group; "us_per_further_claim" spreads
//     the rest of A over the other claims: what one more claim costs once the run is going.
//   bench_alloc call DUMP SHAPE [ITERATIONS]
//     One Allocate call for the first pending claim whose name ends in "-SHAPE" (gpu1,
//     gpu-nic, mig, ...) on the first node it fits on, repeated: the per-call cost to compare
//     with upstream's Go allocator. The allocator is built once (as the scheduler builds one
//     per cycle); "cold" also builds it per call.
//     {"what":"alloc.call","shape":S,"us_per_call":U,"us_per_call_cold":C}
//   bench_alloc ratio DUMP_A DUMP_B [ROUNDS]
//     Both dumps loaded in one process, then allocate-all on A and on B in turn, ROUNDS
//     times: the cost per claim of B over A with the machine's drift shared by both (this
//     machine's speed swings 2x between processes). Prints the medians per claim, the ratio
//     of the medians, and the median and range of the per-round ratios:
//     {"what":"alloc.ratio","us_per_claim_a":A,"us_per_claim_b":B,"ratio":B/A,
//      "round_ratio_median":M,"round_ratio_min":L,"round_ratio_max":H}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "alloc/schedule.hpp"
#include "bench_common.hpp"
#include "k8s/load.hpp"

namespace {

using namespace dra;

double now_s() { return bench::now(); }

using bench::median;

struct Quiet : alloc::Observer {};

k8s::Cluster load(const std::string& path, double* seconds) {
  util::Diagnostics diags;
  k8s::LoadOptions opts;
  opts.filenames = {path};
  const double t0 = now_s();
  k8s::Cluster c = k8s::load(opts, diags);
  *seconds = now_s() - t0;
  if (diags.has_errors()) {
    std::fprintf(stderr, "%s", diags.to_string().c_str());
    std::exit(2);
  }
  return c;
}

int all(const std::string& path, int rounds) {
  double load_s = 0;
  const k8s::Cluster c = load(path, &load_s);
  std::vector<double> plain, observed;
  size_t placed = 0, claims = 0;
  // The first round runs cold (a fresh heap to grow, as in one `kubectl dra allocate`);
  // the medians are of the rounds after it.
  double cold = 0;
  {
    const double t0 = now_s();
    (void)alloc::schedule(c, {});
    cold = now_s() - t0;
  }
  for (int r = 0; r < rounds; ++r) {
    alloc::ScheduleOptions so;
    double t0 = now_s();
    const alloc::Schedule s = alloc::schedule(c, so);
    plain.push_back(now_s() - t0);
    placed = 0;
    claims = 0;
    for (const auto& p : s.placed) placed += p.claims.size();
    for (const auto& f : s.failed) claims += f.claims.size();
    claims += placed;
    Quiet q;
    so.allocator.observer = &q;
    t0 = now_s();
    (void)alloc::schedule(c, so);
    observed.push_back(now_s() - t0);
  }
  // What a run costs before any claim is searched for (grouping Pods and claims, the
  // allocated state, the node list): schedule() with a claim filter that matches nothing.
  std::vector<double> setup;
  for (int r = 0; r < rounds; ++r) {
    alloc::ScheduleOptions so;
    so.claims = {"\x01/none"};
    const double t0 = now_s();
    (void)alloc::schedule(c, so);
    setup.push_back(now_s() - t0);
  }
  // The same with only the first group placed: what the run costs before its second claim.
  // The rest, spread over the other claims, is what each further claim costs.
  std::vector<double> first;
  const alloc::Schedule once = alloc::schedule(c, {});
  if (!once.placed.empty())
    for (int r = 0; r < rounds; ++r) {
      alloc::ScheduleOptions so;
      so.claims = {alloc::qualified_name(once.placed.front().claims.front()->metadata)};
      const double t0 = now_s();
      (void)alloc::schedule(c, so);
      first.push_back(now_s() - t0);
    }
  const double a = median(plain), base = std::min(median(setup), a);
  const double upto_first = first.empty() ? a : std::min(median(first), a);
  const size_t first_claims = once.placed.empty() ? 0 : once.placed.front().claims.size();
  std::printf(
      "{\"what\":\"alloc.all\",\"claims\":%zu,\"placed\":%zu,\"load_s\":%.3f,\"alloc_cold_s\":%.3f,"
      "\"alloc_s\":%.3f,\"alloc_per_load\":%.2f,\"setup_s\":%.4f,\"us_per_claim\":%.1f,"
      "\"us_per_claim_search\":%.1f,\"first_s\":%.4f,\"us_per_further_claim\":%.1f,"
      "\"claims_per_s_process\":%.0f,\"observer_ratio\":%.3f}\n",
      claims, placed, load_s, cold, a, a / load_s, base,
      claims ? a / static_cast<double>(claims) * 1e6 : 0,
      claims ? (a - base) / static_cast<double>(claims) * 1e6 : 0, upto_first,
      claims > first_claims ? (a - upto_first) / static_cast<double>(claims - first_claims) * 1e6
                            : 0,
      static_cast<double>(claims) / (load_s + cold), median(observed) / a);
  return 0;
}

int call(const std::string& path, const std::string& shape, int iterations) {
  double load_s = 0;
  const k8s::Cluster c = load(path, &load_s);
  const k8s::ResourceClaim* claim = nullptr;
  for (const auto& rc : c.resource_claims) {
    const std::string& n = rc.metadata.name;
    if (!rc.status.allocation && n.size() > shape.size() + 1 &&
        n.compare(n.size() - shape.size() - 1, std::string::npos, "-" + shape) == 0) {
      claim = &rc;
      break;
    }
  }
  if (!claim) {
    std::fprintf(stderr, "no pending claim of shape %s\n", shape.c_str());
    return 2;
  }
  const alloc::NodeList nodes(c);
  const alloc::AllocatedState state = alloc::allocated_state(c);
  alloc::Allocator warm(c, state);
  const k8s::NodeObject* node = nullptr;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (warm.allocate(nodes[i], {claim}).kind == alloc::Outcome::Kind::Allocated) {
      node = &nodes[i];
      break;
    }
  if (!node) {
    std::fprintf(stderr, "claim %s fits no node\n", claim->metadata.name.c_str());
    return 2;
  }
  std::vector<double> hot, cold;
  for (int r = 0; r < 7; ++r) {
    double t0 = now_s();
    for (int i = 0; i < iterations; ++i) (void)warm.allocate(*node, {claim});
    hot.push_back((now_s() - t0) / iterations);
    t0 = now_s();
    for (int i = 0; i < iterations / 10 + 1; ++i) {
      alloc::Allocator fresh(c, state);
      (void)fresh.allocate(*node, {claim});
    }
    cold.push_back((now_s() - t0) / (iterations / 10 + 1));
  }
  std::printf(
      "{\"what\":\"alloc.call\",\"shape\":\"%s\",\"us_per_call\":%.2f,"
      "\"us_per_call_cold\":%.1f}\n",
      shape.c_str(), median(hot) * 1e6, median(cold) * 1e6);
  return 0;
}

// Claims considered and the time of one allocate-all run.
std::pair<size_t, double> run_all(const k8s::Cluster& c) {
  const double t0 = now_s();
  const alloc::Schedule s = alloc::schedule(c, {});
  const double t = now_s() - t0;
  size_t claims = 0;
  for (const auto& p : s.placed) claims += p.claims.size();
  for (const auto& f : s.failed) claims += f.claims.size();
  return {claims, t};
}

int ratio(const std::string& path_a, const std::string& path_b, int rounds) {
  double load_s = 0;
  const k8s::Cluster a = load(path_a, &load_s), b = load(path_b, &load_s);
  (void)run_all(a);  // cold runs: grow the heap once for both
  (void)run_all(b);
  std::vector<double> per_a, per_b, ratios;
  for (int r = 0; r < rounds; ++r) {
    const auto [na, ta] = run_all(a);
    const auto [nb, tb] = run_all(b);
    if (!na || !nb) {
      std::fprintf(stderr, "a dump has no pending claim\n");
      return 2;
    }
    per_a.push_back(ta / static_cast<double>(na) * 1e6);
    per_b.push_back(tb / static_cast<double>(nb) * 1e6);
    ratios.push_back(per_b.back() / per_a.back());
  }
  const double ma = median(per_a), mb = median(per_b);
  std::printf(
      "{\"what\":\"alloc.ratio\",\"us_per_claim_a\":%.2f,\"us_per_claim_b\":%.2f,\"ratio\":%.3f,"
      "\"round_ratio_median\":%.3f,\"round_ratio_min\":%.3f,\"round_ratio_max\":%.3f}\n",
      ma, mb, mb / ma, median(ratios), *std::min_element(ratios.begin(), ratios.end()),
      *std::max_element(ratios.begin(), ratios.end()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "all")
    return all(argv[2], argc > 3 ? std::atoi(argv[3]) : 3);
  if (argc >= 4 && std::string(argv[1]) == "call")
    return call(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 2000);
  if (argc >= 4 && std::string(argv[1]) == "ratio")
    return ratio(argv[2], argv[3], argc > 4 ? std::max(1, std::atoi(argv[4])) : 15);
  std::fprintf(stderr,
               "usage: bench_alloc all DUMP [ROUNDS] | call DUMP SHAPE [ITERATIONS] | "
               "ratio DUMP_A DUMP_B [ROUNDS]\n");
  return 2;
}
