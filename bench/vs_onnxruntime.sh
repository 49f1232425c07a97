#!/usr/bin/env bash
# Benchmarks Stride's engines (onednn and LibTorch eager by default; --backends onednn,xnnpack on an
# ARM board, see bench/board.sh) against ONNX Runtime's CPU engine on Stride's own ONNX files, FP32,
# same thread count.
#
# First bench/sgemm_peak measures the machine's practical FP32 peak (skipped where the build has no
# sgemm_peak, as a runtime-only board build). Then, per model and batch,
# `stride run --random` writes the inputs that `stride bench` will use (same seed) and Stride's outputs;
# ONNX Runtime is fed those very tensors and must agree with those outputs. The timing alternates,
# round after round, between `stride bench` and ONNX Runtime, so that a drift of the shared machine
# falls on both. Prints a Markdown table and records it with a JSON file (machine, libraries, every
# round) in bench/results/. oneDNN reads ONEDNN_MAX_CPU_ISA from the environment, so a run limited to
# AVX2 is `ONEDNN_MAX_CPU_ISA=AVX2 bash bench/vs_onnxruntime.sh`; its results get an -avx2 suffix.
# OMP_WAIT_POLICY is recorded too: on a busy machine the default (spinning) slows Stride's OpenMP
# threads several times where PASSIVE does not, while ONNX Runtime's own thread pool copes.
# Needs Node.js (ONNX Runtime comes from npm into bench/ort/node_modules); CI does not run it.
#
# Usage: bench/vs_onnxruntime.sh [--stride BIN] [--build-dir DIR] [--models a,b] [--batch 1,8]
#          [--backends onednn,torch] [--rounds K] [--warmup W] [--runs R] [--threads N] [--results PREFIX]
#   --stride     the stride binary (default BUILD_DIR/src/stride)
#   --build-dir  the build folder holding bench/sgemm_peak (default build)
#   --backends   Stride's backends to time, each in its own process (default onednn,torch)
#   --rounds     interleaved rounds (default 5); --warmup, --runs: per engine and round (default 5, 10)
#   --threads    for every engine (default: all cores)
#   --results    path prefix of the .json and .md written (default bench/results/vs_onnxruntime[-ISA])
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
stride=
models=cnn2d,cnn3d,cnn3dto2d,gaitset
batches=1,8
backends=onednn,torch
rounds=5
warmup=5
runs=10
threads=$(nproc)
isa_suffix=${ONEDNN_MAX_CPU_ISA:+-${ONEDNN_MAX_CPU_ISA,,}}
results=bench/results/vs_onnxruntime$isa_suffix
while [ $# -gt 0 ]; do
  case $1 in
    --stride) stride=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --batch) batches=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
stride=${stride:-$build/src/stride}
sgemm_peak=$build/bench/sgemm_peak
[ -x "$stride" ] || { echo "$stride not found: build it, or point --stride / --build-dir at a build" >&2; exit 2; }
source bench/ort/ensure_ort.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lscpu > "$work/lscpu.txt"
cut -d' ' -f1 /proc/loadavg > "$work/loadavg.txt"  # the machine is shared: the record says how busy it was
echo "ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-(unset)}, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(unset)}," \
  "$threads threads, load average $(cat "$work/loadavg.txt")"
if [ -x "$sgemm_peak" ]; then
  "$sgemm_peak" --threads "$threads" --json "$work/sgemm.json"
else
  echo "no $sgemm_peak: the table has no % of peak"
fi

# `stride bench` seeds batch b's random inputs with seed + b; with seed 0, `stride run --seed b` makes
# the same tensors, and writes them with Stride's outputs for ONNX Runtime.
IFS=, read -ra model_list <<< "$models"
IFS=, read -ra batch_list <<< "$batches"
for model in "${model_list[@]}"; do
  "$stride" zoo build "$model" -o "$work/$model.onnx" > /dev/null
  for batch in "${batch_list[@]}"; do
    "$stride" run "$work/$model.onnx" --random --batch "$batch" --seed "$batch" --backend onednn \
      --threads "$threads" --output-dir "$work/$model.b$batch" > /dev/null
  done
done

for round in $(seq 1 "$rounds"); do
  for model in "${model_list[@]}"; do
    echo "round $round/$rounds: $model" >&2
    # Each engine in a process and a pass of its own: timed interleaved run by run in one process, as
    # `stride bench --vs` does, each evicts the other's weights from the caches and Stride lost 10-20 %.
    for backend in ${backends//,/ }; do
      "$stride" bench "$work/$model.onnx" --backend "$backend" --batch "$batches" --seed 0 --warmup "$warmup" \
        --runs "$runs" --threads "$threads" --json "$work/$model.round$round.$backend.json" > /dev/null
    done
    case_dirs=()
    for batch in "${batch_list[@]}"; do case_dirs+=("$work/$model.b$batch"); done
    node bench/ort/ort_bench.mjs --model "$work/$model.onnx" --threads "$threads" --warmup "$warmup" --runs "$runs" \
      --json "$work/$model.round$round.ort.json" "${case_dirs[@]}"
  done
done

mkdir -p "$(dirname "$results")"
node bench/ort/vs_report.mjs --work "$work" --models "$models" --backends "$backends" --threads "$threads" \
  --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (modified)')" \
  --json "$results.json" --markdown "$results.md"
echo "wrote $results.md and $results.json"
