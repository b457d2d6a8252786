#!/usr/bin/env bash
# Installs the Debian packages kubectl-dra needs to build, test and benchmark.
# Idempotent: installs only what is missing; safe to run again. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config file python3
  libcli11-dev libyaml-cpp-dev libyaml-dev libfmt-dev libre2-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev catch2 rapidjson-dev tzdata libjemalloc-dev
  clang libclang-rt-dev  # the libFuzzer targets (fuzz preset, scripts/fuzz.sh)
)
# The release preset builds a static libcurl from Debian's curl source package:
# cmake/StaticCurl.cmake runs `apt-get source curl`, which needs dpkg-dev (and
# patch) and the deb-src entries added below. curl is built with its own CMake
# build (cmake, ninja, gcc: already listed), so autoconf/automake/libtool are not
# needed; it links Debian's static libssl.a/libcrypto.a/libz.a (libssl-dev,
# zlib1g-dev).
if [[ "${DRA_RELEASE_DEPS:-0}" == 1 || "${DRA_ARM64_DEPS:-0}" == 1 ]]; then
  packages+=(dpkg-dev patch)
fi
# The linux/arm64 release binary (preset release-arm64) is cross-compiled: Debian's cross
# compiler, the :arm64 -dev packages (multiarch), and qemu to run it in the release check.
# jemalloc's -dev package is not multiarch (its arm64 copy would replace the amd64 one):
# the arm64 binary uses glibc's malloc.
if [[ "${DRA_ARM64_DEPS:-0}" == 1 ]]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    [[ $(id -u) -eq 0 ]] && dpkg --add-architecture arm64 || sudo dpkg --add-architecture arm64
    add_arch=1
  fi
  packages+=(g++-aarch64-linux-gnu qemu-user-static libre2-dev:arm64 libyaml-dev:arm64
             libssl-dev:arm64 zlib1g-dev:arm64 libfmt-dev:arm64)
fi

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
need_update=${add_arch:-0}

# deb-src entries for Debian's own archives, needed by `apt-get source curl`.
# Idempotent: written only while no apt source file has a deb-src entry; they mirror
# the enabled `deb` entries for Debian archives (URIs, suites, components and
# Signed-By kept), in files of our own next to the originals.
if [[ "${DRA_RELEASE_DEPS:-0}" == 1 || "${DRA_ARM64_DEPS:-0}" == 1 ]]; then
  src_base=/etc/apt/sources.list.d/kubectl-dra-deb-src
  if ! grep -qsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*[[:space:]]deb-src([[:space:]]|$))' \
         /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; then
    deb822=$(for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      # paragraphs whose Types include `deb` and whose URIs are a Debian archive
      awk 'BEGIN { RS = ""; ORS = "\n\n" }
        /(^|\n)Types:[^\n]*[ \t]deb([ \t]|\n|$)/ && /(^|\n)URIs:[^\n]*debian/ &&
        !/(^|\n)Enabled:[ \t]*no/ {
          s = $0; gsub(/(^|\n)#[^\n]*/, "", s); sub(/^\n/, "", s)
          sub(/Types:[^\n]*/, "Types: deb-src", s); print s }' "$f"
    done)
    oneline=$(for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f && $f != "$src_base.list" ]] || continue
      sed -nE 's/^[[:space:]]*deb[[:space:]]+(.*debian.*)$/deb-src \1/p' "$f"
    done)
    if [[ -z $deb822 && -z $oneline ]]; then
      echo "install-deps: found no Debian 'deb' entry to mirror as deb-src; add deb-src entries by hand" >&2
      exit 1
    fi
    header="# Added by kubectl-dra's scripts/install-deps.sh (DRA_RELEASE_DEPS=1) for 'apt-get source curl'."
    if [[ -n $deb822 ]]; then
      echo "install-deps: adding deb-src entries in $src_base.sources" >&2
      printf '%s\n%s\n' "$header" "$deb822" | "${sudo_cmd[@]}" tee "$src_base.sources" >/dev/null
    fi
    if [[ -n $oneline ]]; then
      echo "install-deps: adding deb-src entries in $src_base.list" >&2
      printf '%s\n%s\n' "$header" "$oneline" | "${sudo_cmd[@]}" tee "$src_base.list" >/dev/null
    fi
  fi
  # fetch the indexes while no source index has been downloaded yet
  compgen -G '/var/lib/apt/lists/*_Sources*' >/dev/null || need_update=1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})) || ((need_update)); then
  "${sudo_cmd[@]}" apt-get update -qq
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all build dependencies present" >&2
