#!/usr/bin/env bash
# Checks a release build: a fully static binary (x86_64, or arm64 under qemu) that runs, reads the example cluster,
# and that kubectl finds as the `dra` plugin. Usage: scripts/check-release.sh [BINARY]
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/kubectl-dra}
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
  fi
}

# An arm64 binary (preset release-arm64) on another machine runs under qemu.
run=("$bin")
native=1
if file "$bin" | grep -q 'ARM aarch64' && [[ $(uname -m) != aarch64 ]]; then
  run=(qemu-aarch64-static "$bin")
  native=0
fi
check "file says statically linked" bash -c "file '$bin' | grep -q 'statically linked'"
check "ldd says not a dynamic executable" bash -c "ldd '$bin' 2>&1 | grep -q 'not a dynamic executable'"
check "version runs" bash -c "${run[*]} version | grep -q '^kubectl-dra '"
check "reads the example cluster" "${run[@]}" get pools -f examples/cluster.yaml
if ((!native)); then
  echo "a foreign binary: kubectl plugin checks not run" >&2
elif command -v kubectl >/dev/null; then
  dir=$(mktemp -d)
  cp "$bin" "$dir/kubectl-dra"
  check "kubectl plugin list finds it" bash -c "PATH='$dir:$PATH' kubectl plugin list 2>/dev/null | grep -qx '$dir/kubectl-dra'"
  check "kubectl dra runs it" bash -c "PATH='$dir:$PATH' kubectl dra version | grep -q '^kubectl-dra '"
  rm -rf "$dir"
else
  echo "kubectl not found: plugin checks not run" >&2
fi
size=$(stat -c %s "$bin")
echo "release binary: $bin, $size bytes"
echo "release check: $passed passed, $failed failed"
((failed == 0))
