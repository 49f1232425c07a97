#!/usr/bin/env bash
# Installs every Debian package Stride builds against. Idempotent: when all are present it
# returns at once without touching the network.
#   --slurm   instead: Slurm and munge, for `make slurm-test` only (a build and `make test` never need them)
#   --mcu     instead: the Cortex-M cross compiler, its C library and QEMU, for `make mcu-test` (the
#             firmware harness's emulated tests; without them those tests skip)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libdnnl-dev            # oneDNN 2.6: the CPU engine
  libxnnpack-dev libpthreadpool-dev   # XNNPACK: the ARM engine (its -dev package forgets pthreadpool)
  ocl-icd-opencl-dev opencl-headers   # oneDNN's CMake package looks for OpenCL; libdnnl-dev only recommends it
  libtorch-dev           # LibTorch 1.13: eager baseline, autograd, test oracle
  libonnx-dev libprotobuf-dev protobuf-compiler   # ONNX model format
  libonnx-testdata       # the ONNX specification's backend test cases (conformance tests)
  libopencv-dev          # images, video, optical flow for the gait data pipeline
  libpng-dev             # reading dataset frames with errors as one line (libpng's simplified API)
  libopenblas-dev libfaiss-dev   # distance matrices and large-gallery KNN for evaluation
  libsqlite3-dev libsodium-dev   # the identification gallery: its store, and its templates encrypted at rest
  liblapack-dev          # SVD (dgesdd) for low-rank factorisations: 3D→2D conversion
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev   # `make fuzz`: clang and its libFuzzer + sanitizer runtimes
  python3-dev pybind11-dev python3-numpy python3-pytest   # the Python module over the runtime, and its tests
  python3-jsonschema     # every command's JSON checked against docs/result-schema.json (tests/results)
)
if [ "${1:-}" = --slurm ]; then
  packages=(slurm-wlm munge)   # slurmctld, slurmd, the client commands; munge authenticates them
fi
if [ "${1:-}" = --mcu ]; then
  packages=(gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)   # newlib brings the rdimon semihosting specs
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
