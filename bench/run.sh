#!/usr/bin/env bash
# Loader benchmarks: kubectl-dra's loader (bench_load) against the baselines, on generated
# cluster dumps. Prints a table of medians and the loader/baseline time ratios.
# See bench/README.md. No root needed.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [options] [BUILD_DIR]

  BUILD_DIR        CMake build directory with the bench targets (default: build/release
                   under the repository; a relative path is taken from the current directory)
  -n NODES         dump size: 1000, 10000 or both (default: both); repeatable, any positive count
  -r RUNS          runs per benchmark and input (default: 5)
  -c DIR           cache directory for the dumps (default: $DRA_BENCH_CACHE or /tmp/dra-bench)
  -g SCRIPT        dump generator (default: $DRA_GEN_CLUSTER or ../shared/tools/gen-cluster.py
                   next to the repository)
  -x BENCH         skip a benchmark (rapidjson, rapidjson-insitu, libyaml, yamlcpp, load);
                   repeatable. yaml-cpp takes about 5 s and 0.7 GB per 1000 nodes.
  -B               do not (re)build the bench targets first
  -o FILE          also keep the raw JSON lines in FILE
  -h               this help
EOF
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${DRA_BENCH_CACHE:-/tmp/dra-bench}
gen=${DRA_GEN_CLUSTER:-$root/../shared/tools/gen-cluster.py}
runs=5
nodes=()
skip=" "
build=1
raw_out=""
while getopts "n:r:c:g:x:Bo:h" opt; do
  case $opt in
    n) case $OPTARG in
         both) nodes+=(1000 10000) ;;
         *[!0-9]* | "" | 0) echo "run.sh: -n wants a positive node count or 'both'" >&2; exit 2 ;;
         *) nodes+=("$OPTARG") ;;
       esac ;;
    r) [[ $OPTARG =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -r wants a positive count" >&2; exit 2; }
       runs=$OPTARG ;;
    c) cache=$OPTARG ;;
    g) gen=$OPTARG ;;
    x) skip+="$OPTARG " ;;
    B) build=0 ;;
    o) raw_out=$OPTARG ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# <= 1)) || { usage >&2; exit 2; }
((${#nodes[@]})) || nodes=(1000 10000)
builddir=${1:-$root/build/release}

skipped() { [[ $skip == *" $1 "* ]]; }

# --- build directory and binaries ------------------------------------------------------------
if [[ ! -f $builddir/CMakeCache.txt ]]; then
  echo "run.sh: $builddir is not a CMake build directory; configure it first, e.g." >&2
  echo "  cmake --preset release && cmake --build --preset release" >&2
  exit 1
fi
builddir=$(cd "$builddir" && pwd)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$builddir/CMakeCache.txt")
case $build_type in
  Release | RelWithDebInfo) ;;
  *) echo "run.sh: warning: $builddir is a '${build_type:-no build type}' build; numbers will not" \
          "mean much (use the release preset)" >&2 ;;
esac
if grep -q '^DRA_SANITIZE:BOOL=ON' "$builddir/CMakeCache.txt"; then
  echo "run.sh: warning: $builddir is a sanitizer build" >&2
fi

targets=(bench_rapidjson bench_libyaml bench_yamlcpp bench_load)
if ((build)); then
  # Build only the bench targets this build directory knows (bench_load may not exist yet).
  known=$(cmake --build "$builddir" --target help 2>/dev/null || true)
  want=()
  for t in "${targets[@]}"; do
    grep -qE "(^|[ :])$t(:| |$)" <<<"$known" && want+=("$t")
  done
  if ((${#want[@]})); then
    echo "run.sh: building ${want[*]}" >&2
    cmake --build "$builddir" --target "${want[@]}" >&2
  fi
fi

binary() {  # path of a bench program, or nothing
  local f
  for f in "$builddir/bench/$1" "$builddir/$1"; do
    if [[ -x $f ]]; then echo "$f"; return 0; fi
  done
  return 0
}
for t in bench_rapidjson bench_libyaml bench_yamlcpp; do
  [[ -n $(binary "$t") ]] || { echo "run.sh: $t not found in $builddir (bench/)" >&2; exit 1; }
done
load_bin=$(binary bench_load)
if [[ -z $load_bin ]]; then
  echo "run.sh: bench_load not built (no bench/load_bench.cpp yet): baselines only" >&2
fi

# --- dumps -----------------------------------------------------------------------------------
mkdir -p "$cache"
dump() {  # dump NODES FORMAT: path of the cached dump, generated if missing
  local n=$1 fmt=$2 f="$cache/c$1.$2"
  if [[ ! -s $f ]]; then
    [[ -f $gen ]] || { echo "run.sh: generator $gen not found (use -g)" >&2; exit 1; }
    echo "run.sh: generating $f" >&2
    # Write to a temporary name first so an interrupted run leaves no truncated dump behind.
    python3 "$gen" --nodes "$n" --format "$fmt" -o "$f.tmp.$$" \
      || { rm -f "$f.tmp.$$"; echo "run.sh: generating $f failed" >&2; exit 1; }
    mv -f "$f.tmp.$$" "$f"
  elif [[ -f $gen && $gen -nt $f ]]; then
    echo "run.sh: warning: $gen is newer than $f; delete the dump to regenerate it" >&2
  fi
  echo "$f"
}

# --- runs ------------------------------------------------------------------------------------
results=$(mktemp "${TMPDIR:-/tmp}/dra-bench-results.XXXXXX")
errlog=$(mktemp "${TMPDIR:-/tmp}/dra-bench-stderr.XXXXXX")
trap 'rm -f "$results" "$errlog"' EXIT

# run LABEL INPUT BIN ARGS...: RUNS runs, each output line tagged "LABEL<TAB>INPUT<TAB>RUN<TAB>"
run() {
  local label=$1 input=$2 i out
  shift 2
  skipped "$label" && return 0
  for ((i = 1; i <= runs; i++)); do
    printf '  %-18s %-12s run %d/%d\r' "$label" "$input" "$i" "$runs" >&2
    if ! out=$("$@" 2>"$errlog"); then
      printf '\n' >&2
      echo "run.sh: $label failed on $input: $*" >&2
      cat "$errlog" >&2
      exit 1
    fi
    [[ -n $out ]] || { echo "run.sh: $label printed nothing: $*" >&2; exit 1; }
    while IFS= read -r line; do
      printf '%s\t%s\t%d\t%s\n' "$label" "$input" "$i" "$line"
    done <<<"$out" >>"$results"
  done
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
load_before=$(loadavg)
for n in "${nodes[@]}"; do
  json=$(dump "$n" json)
  yaml=$(dump "$n" yaml)
  run rapidjson "c$n.json" "$(binary bench_rapidjson)" "$json"
  run rapidjson-insitu "c$n.json" "$(binary bench_rapidjson)" --insitu "$json"
  if [[ -n $load_bin ]]; then
    run load "c$n.json" "$load_bin" "$json"
  fi
  run libyaml "c$n.yaml" "$(binary bench_libyaml)" "$yaml"
  if [[ -n $load_bin ]]; then
    run load "c$n.yaml" "$load_bin" "$yaml"
  fi
  run yamlcpp "c$n.yaml" "$(binary bench_yamlcpp)" "$yaml"
done
printf '%*s\r' 60 '' >&2
[[ -z $raw_out ]] || cp "$results" "$raw_out"

# --- table of medians ------------------------------------------------------------------------
python3 - "$results" "$runs" "$load_before" "$(loadavg)" "$(nproc 2>/dev/null || echo '?')" <<'PY'
import json, statistics, sys

path, runs = sys.argv[1], int(sys.argv[2])
load_before, load_after, cpus = sys.argv[3:6]
# (label, input) -> run -> [JSON lines]; a run's last line is its headline, a "*.read" line
# its read time.
groups = {}
for raw in open(path):
    label, inp, run, line = raw.rstrip('\n').split('\t', 3)
    groups.setdefault((label, inp), {}).setdefault(run, []).append(json.loads(line))

def median(xs):
    return statistics.median(xs) if xs else None

rows = {}
for key, by_run in groups.items():
    heads = [lines[-1] for lines in by_run.values()]
    reads = [r for lines in by_run.values() for r in lines[:-1] if r['what'].endswith('.read')]
    rows[key] = {
        'what': heads[-1]['what'], 'bytes': heads[-1]['bytes'],
        'read_s': median([r['seconds'] for r in reads]),
        'seconds': median([r['seconds'] for r in heads]),
        'mbps': median([r['mb_per_s'] for r in heads]),
        'rss_mb': median([r['peak_rss_kb'] * 1024 / 1e6 for r in heads]),
    }

print(f'medians of {runs} runs; MB = 10^6 bytes; peak RSS includes the input buffer')
print(f'load average {load_before} before, {load_after} after, {cpus} CPUs'
      ' (a busy machine skews the times, not the RSS)')
fmt = '{:<12} {:<22} {:>8} {:>8} {:>9} {:>8} {:>12} {:>10}'
print(fmt.format('input', 'benchmark', 'input MB', 'read s', 'parse s', 'MB/s', 'peak RSS MB',
                 'RSS/input'))
print('-' * 98)
last = None
for (label, inp), r in rows.items():  # in run order: grouped by input
    if last is not None and inp != last:
        print()
    last = inp
    mb = r['bytes'] / 1e6
    read = '-' if r['read_s'] is None else f"{r['read_s']:.4f}"
    print(fmt.format(inp, r['what'], f'{mb:.1f}', read, f"{r['seconds']:.4f}",
                     f"{r['mbps']:.1f}", f"{r['rss_mb']:.1f}", f"{r['rss_mb'] / mb:.2f}"))

# Our loader against the baseline for its format: JSON vs rapidjson DOM, YAML vs libyaml scan.
print()
pairs = [(inp, r, rows.get(('rapidjson' if inp.endswith('.json') else 'libyaml', inp)))
         for (label, inp), r in rows.items() if label == 'load']
pairs = [p for p in pairs if p[2]]
if pairs:
    print('loader vs baseline (ratio > 1: the loader takes longer / holds more)')
    for inp, r, b in pairs:
        print(f"  {inp:<12} {r['what']} / {b['what']}: time {r['seconds'] / b['seconds']:.2f}x,"
              f" peak RSS {r['rss_mb'] / b['rss_mb']:.2f}x")
else:
    print('loader vs baseline: no bench_load results (bench/load_bench.cpp not built yet)')
PY
