#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz) for SECONDS each, from its seed corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 30 seconds, every target)
#
# Builds the fuzz preset first (clang, ASan + UBSan). New inputs that raise coverage go to
# build/fuzz/corpus/<target>/ (the seeds in tests/fuzz/corpus/ are not changed); a crash,
# a leak or a timeout (10 s for one input) leaves its input in build/fuzz/findings/ and makes
# the script fail. Targets run two at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(load cel values kubeconfig where alloc)

if ! { cmake --preset fuzz && cmake --build --preset fuzz -j 2; } > /tmp/dra-fuzz-build.log 2>&1; then
  tail -30 /tmp/dra-fuzz-build.log >&2
  echo "fuzz.sh: the fuzz preset did not build (clang, libclang-rt-dev: scripts/install-deps.sh)" >&2
  exit 1
fi
mkdir -p build/fuzz/findings
status=0
run() {
  local t=$1
  mkdir -p "build/fuzz/corpus/$t"
  if ! "build/fuzz/tests/fuzz/fuzz_$t" "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/findings/$t-" > "build/fuzz/$t.log" 2>&1; then
    echo "fuzz_$t: FINDING (build/fuzz/$t.log, build/fuzz/findings/$t-*)" >&2
    return 1
  fi
  echo "fuzz_$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "build/fuzz/$t.log" | grep -o '[0-9]*$') runs in ${seconds}s, no finding"
}
pids=()
for t in "${targets[@]}"; do
  run "$t" &
  pids+=($!)
  if ((${#pids[@]} == 2)); then
    wait "${pids[0]}" || status=1
    pids=("${pids[1]}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
