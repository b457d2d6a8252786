#!/usr/bin/env bash
# Release archive and krew manifest for kubectl-dra.
#
#   scripts/release.sh [-b BINARY] [-a ARCH] [-o OUTDIR] [-u BASE_URL]
#
# Packs BINARY (default: build/release/kubectl-dra, the static build) with
# kubectl_complete-dra, the completion scripts, the man page (made by the binary from its
# help), LICENSE and README.md into OUTDIR/kubectl-dra_<version>_linux_<ARCH>.tar.gz, writes
# its sha256 next to it, and renders krew/dra.yaml into OUTDIR/dra.yaml with the archive's
# address (BASE_URL/v<version>/<archive>) and checksum. The version is krew/dra.yaml's
# spec.version; the binary must say the same. The archive is reproducible: sorted entries,
# owner 0, the commit's time as every file's time, gzip without a timestamp.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$root/build/release/kubectl-dra
arch=amd64
outdir=$root/dist
base_url=https://github.com/kubectl-dra/kubectl-dra/releases/download
while getopts "b:a:o:u:h" opt; do
  case $opt in
    b) binary=$OPTARG ;;
    a) arch=$OPTARG ;;
    o) outdir=$OPTARG ;;
    u) base_url=$OPTARG ;;
    h) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) exit 2 ;;
  esac
done
case $arch in amd64 | arm64) ;; *) echo "release.sh: -a wants amd64 or arm64" >&2; exit 2 ;; esac
# An arm64 binary on an amd64 machine runs under qemu (qemu-user-static).
run=("$binary")
machine=$(uname -m)
if [[ $arch == arm64 && $machine != aarch64 ]] || [[ $arch == amd64 && $machine != x86_64 ]]; then
  emulator=qemu-$([[ $arch == arm64 ]] && echo aarch64 || echo x86_64)-static
  command -v "$emulator" >/dev/null || { echo "release.sh: $emulator is needed to run the $arch binary here (apt-get install qemu-user-static)" >&2; exit 1; }
  run=("$emulator" "$binary")
fi
[[ -x $binary ]] || { echo "release.sh: no binary at $binary; build it: cmake --preset release && cmake --build --preset release" >&2; exit 1; }

version=$(sed -n 's/^  version: v\([0-9][0-9.]*\)$/\1/p' "$root/krew/dra.yaml")
[[ -n $version ]] || { echo "release.sh: krew/dra.yaml has no spec.version" >&2; exit 1; }
said=$("${run[@]}" version | head -n 1)
if [[ $said != "kubectl-dra $version" ]]; then
  echo "release.sh: the binary says \"$said\", krew/dra.yaml says $version: rebuild" >&2
  exit 1
fi
if ldd "$binary" >/dev/null 2>&1; then
  echo "release.sh: warning: $binary is not static (use the release preset for a release)" >&2
fi

name=kubectl-dra_${version}_linux_${arch}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
mkdir -p "$stage/completions"
install -m 0755 "$binary" "$stage/kubectl-dra"
install -m 0755 "$root/completions/kubectl_complete-dra" "$stage/kubectl_complete-dra"
install -m 0644 "$root/LICENSE" "$root/README.md" "$stage/"
for f in kubectl-dra.bash _kubectl-dra kubectl-dra.fish; do
  install -m 0644 "$root/completions/$f" "$stage/completions/$f"
done
"${run[@]}" __man > "$stage/kubectl-dra.1"

mkdir -p "$outdir"
mtime=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)
archive=$outdir/$name.tar.gz
tmp=$archive.tmp-$$
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - \
  LICENSE README.md completions kubectl-dra kubectl-dra.1 kubectl_complete-dra |
  gzip -9 -n > "$tmp"
mv "$tmp" "$archive"
sha=$(sha256sum "$archive" | cut -d' ' -f1)
echo "$sha  $name.tar.gz" > "$archive.sha256"

# The manifest, with every platform whose archive is in OUTDIR (run once per architecture;
# the last run's manifest has them all); the leading comment is ours, not the index's.
render() {
  local a=$1 upper archive_a sha_a
  upper=$(echo "$a" | tr a-z A-Z)
  archive_a=$outdir/kubectl-dra_${version}_linux_${a}.tar.gz
  if [[ -f $archive_a ]]; then
    sha_a=$(sha256sum "$archive_a" | cut -d' ' -f1)
    echo "s|{{URI_$upper}}|$base_url/v$version/${archive_a##*/}|;s|{{SHA256_$upper}}|$sha_a|"
  fi
}
script="1,/^apiVersion:/{/^#/d};$(render amd64);$(render arm64)"
sed -e "$script" "$root/krew/dra.yaml" |
  awk '
    # platforms entries start with "  - selector:"; drop those still holding a placeholder
    /^  - selector:/ { flush(); inblock = 1 }
    inblock && !/^  / && !/^  -/ { flush(); inblock = 0 }
    { if (inblock) block = block $0 "\n"; else print }
    function flush() { if (block != "" && block !~ /\{\{/) printf "%s", block; block = "" }
    END { flush() }
  ' > "$outdir/dra.yaml.tmp-$$"
mv "$outdir/dra.yaml.tmp-$$" "$outdir/dra.yaml"
echo "$archive"
echo "$outdir/dra.yaml"
