#!/usr/bin/env bash
# The paper's Table 4 on this machine: FP32, FP16, BF16, INT8, dynamic-range and full-integer files of
# each model — size, accuracy and latency on the onednn engine — with ONNX Runtime timed on the same
# files (a full-integer file on integer inputs there; `stride bench` times it on real-valued inputs,
# its input quantization included).
#
# For each MODEL CALIB pair (CALIB: the Stride dataset the model was trained on): `stride quantize`
# makes the FP16 and BF16 files, the dynamic-range file, and the INT8 QDQ and full-integer files
# (`--method auto`: every calibrator measured on the test subjects, the most accurate kept), each
# reporting its accuracy on onednn. Then, round
# after round, `stride bench` times every file on onednn and ONNX Runtime times it on the very
# inputs Stride ran (outputs must agree within --ort-tolerance, relative to the largest output).
# Prints a Markdown table of medians and speed-ups over FP32 and records it with every round, the
# machine (lscpu) and ONEDNN_MAX_CPU_ISA in bench/results/precision-table[-ISA].{md,json}. Not run by CI.
#
# Usage: bench/precision_table.sh [--stride BIN] [--batch 1,8] [--rounds K] [--runs R] [--threads N]
#          [--samples S] [--ort-tolerance T] [--results PREFIX] MODEL.onnx CALIB_DIR [MODEL CALIB]...
set -euo pipefail
cd "$(dirname "$0")/.."

stride=build/src/stride
batches=1,8
rounds=3
warmup=5
runs=10
threads=$(nproc)
samples=32
ort_tolerance=0.05
isa_suffix=${ONEDNN_MAX_CPU_ISA:+-${ONEDNN_MAX_CPU_ISA,,}}
results=bench/results/precision-table$isa_suffix
pairs=()
while [ $# -gt 0 ]; do
  case $1 in
    --stride) stride=$2; shift 2 ;;
    --batch) batches=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --ort-tolerance) ort_tolerance=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) pairs+=("$1"); shift ;;
  esac
done
if [ ${#pairs[@]} -eq 0 ] || [ $((${#pairs[@]} % 2)) -ne 0 ]; then
  echo "give MODEL.onnx CALIB_DIR pairs (see --help)" >&2; exit 2
fi
[ -x "$stride" ] || { echo "$stride not found: build it, or point --stride at a build" >&2; exit 2; }
source bench/ort/ensure_ort.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lscpu > "$work/lscpu.txt"
IFS=, read -ra batch_list <<< "$batches"
names=()
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
  model=${pairs[i]} calib=${pairs[i + 1]}
  name=$(basename "$model" .onnx)
  names+=("$name")
  cp "$model" "$work/$name.fp32.onnx"
  # Models with a softmax head are scored by it, the others by KNN (as `stride eval` does). The
  # JSON is kept first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
  info=$("$stride" info "$model" --no-layers --json - 2> /dev/null)
  classifier=knn
  if grep -q '"Softmax"' <<< "$info"; then classifier=softmax; fi
  for precision in fp16 bf16 int8 dynamic full-int; do
    "$stride" quantize "$model" --precision "$precision" --data "$calib" --samples "$samples" --method auto \
      --backend onednn --classifier "$classifier" --json "$work/$name.$precision.quantize.json" \
      -o "$work/$name.$precision.onnx" | grep -v ETA >&2
  done
  for precision in fp32 fp16 bf16 int8 dynamic full-int; do
    for batch in "${batch_list[@]}"; do
      "$stride" run "$work/$name.$precision.onnx" --random --batch "$batch" --seed "$batch" --backend onednn \
        --threads "$threads" --output-dir "$work/$name.$precision.b$batch" > /dev/null
    done
  done
done

for round in $(seq 1 "$rounds"); do
  for name in "${names[@]}"; do
    for precision in fp32 fp16 bf16 int8 dynamic full-int; do
      echo "round $round/$rounds: $name $precision" >&2
      "$stride" bench "$work/$name.$precision.onnx" --backend onednn --batch "$batches" --seed 0 --warmup "$warmup" \
        --runs "$runs" --threads "$threads" --json "$work/$name.$precision.round$round.onednn.json" > /dev/null
      case_dirs=()
      for batch in "${batch_list[@]}"; do case_dirs+=("$work/$name.$precision.b$batch"); done
      node bench/ort/ort_bench.mjs --model "$work/$name.$precision.onnx" --threads "$threads" --warmup "$warmup" \
        --runs "$runs" --tolerance "$ort_tolerance" --json "$work/$name.$precision.round$round.ort.json" \
        "${case_dirs[@]}"
    done
  done
done

mkdir -p "$(dirname "$results")"
python3 bench/precision_table.py --work "$work" --names "$(IFS=,; echo "${names[*]}")" --rounds "$rounds" \
  --threads "$threads" --commit "$(git rev-parse --short HEAD)" --json "$results.json" --markdown "$results.md"
echo "wrote $results.md and $results.json"
