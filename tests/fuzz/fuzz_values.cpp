// tests/fuzz/fuzz_values.cpp -- libFuzzer: quantities and semantic versions parse, print
// and compare without a crash, and what prints parses again to the same value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "k8s/quantity.hpp"
#include "k8s/semver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto q = dra::k8s::Quantity::parse(text)) {
    const std::string printed = q->to_string();
    auto again = dra::k8s::Quantity::parse(printed);
    if (!again) std::abort();  // String() must read back
    // ... as the same value, where a suffix can say it: from n to 999E (upstream prints a
    // mantissa without its exponent outside that range, "1000E" as "1": a quirk we keep).
    const double f = std::fabs(q->as_approximate_float64());
    if ((f == 0 || (f >= 1e-9 && f < 1e21)) && !(*again == *q)) std::abort();
    (void)q->whole();
    (void)q->as_approximate_float64();
    dra::k8s::Quantity sum = *q;
    (void)sum.add(*q);
  }
  if (auto v = dra::k8s::Semver::parse(text)) (void)v->to_string();
  (void)dra::k8s::Semver::parse_cel(text);
  (void)dra::k8s::Semver::parse_cel_normalized(text);
  return 0;
}
