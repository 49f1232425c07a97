#!/usr/bin/env bash
# An arm64 Debian bookworm root to cross-build against (build-arm64/sysroot by default): the -dev
# packages of the runtime (oneDNN, XNNPACK, ONNX, protobuf, fmt), of the board tool (CLI11, JSON) and
# of the tests (GoogleTest), unpacked by
# mmdebstrap --variant=extract, which runs nothing inside the root, so no emulation is needed to
# make it. Idempotent: a root whose package list is unchanged is kept.
# usage: make-sysroot.sh DIR
set -euo pipefail
root=$1
packages=(
  libc6-dev libstdc++-12-dev libgcc-12-dev
  libdnnl-dev ocl-icd-opencl-dev opencl-headers   # oneDNN's CMake package looks for OpenCL
  libonnx-dev libprotobuf-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev
  libxnnpack-dev libpthreadpool-dev libxnnpack0 libpthreadpool0
)
stamp=$root/.stride-packages
if [[ -f $stamp && $(cat "$stamp") == "${packages[*]}" ]]; then
  exit 0
fi

mirror=$(grep -ohE '^(deb|URIs:)[[:space:]]+[^[:space:]]+/debian/?([[:space:]]|$)' /etc/apt/sources.list \
  /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}') || true
mirror=${mirror:-http://deb.debian.org/debian}

rm -rf "$root"
mkdir -p "$(dirname "$root")"
echo "making the arm64 root $root (mmdebstrap --variant=extract, ${#packages[@]} packages and their dependencies)"
include=$(IFS=,; echo "${packages[*]}")
mmdebstrap --quiet --variant=extract --architectures=arm64 --include="$include" bookworm "$root" "$mirror"

# Debian's -dev packages hold absolute links (usr/lib/aarch64-linux-gnu/libm.so -> /lib/...): from the
# host they point at the host's files, and the linker would silently take those or a static archive.
# Every absolute link becomes a relative one inside the root.
while IFS= read -r link; do
  target=$(readlink "$link")
  [[ $target == /* ]] || continue
  ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
done < <(find "$root" -type l)
echo "${packages[*]}" > "$stamp"
