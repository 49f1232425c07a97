#!/usr/bin/env bash
# The xnnpack backend beside the onednn engine on every zoo model, FP32 and INT8 (the QDQ file of
# `stride quantize`, min-max calibrated on 8 random inputs: these zoo models have random weights, so
# only the timing means anything), batch 1 and 8, each engine timed on its own (5 warm-up + 20 timed
# runs, the paper's protocol): run in turn within one process, each engine's spinning worker
# threads (OpenMP's, pthreadpool's) would slow the other. Records JSON per model, precision and
# engine (with the machine's description) and a Markdown summary in bench/results/xnnpack/. On x86
# this says whether the ARM engine is a trap there (the target: within 1.5x of onednn); on a board
# it is the comparison that matters. Run it on a quiet machine: the summary records the load average
# it started at.
# Usage: bench/xnnpack_bench.sh [--threads N (default: all cores)] [--results DIR] [STRIDE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
stride=build/src/stride
results=bench/results/xnnpack
threads=0
while [ $# -gt 0 ]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    -*) echo "unknown option '$1'" >&2; exit 2 ;;
    *) stride=$1; shift ;;
  esac
done
load=$(cut -d' ' -f1-3 /proc/loadavg)
models=$(mktemp -d)
trap 'rm -rf "$models"' EXIT
mkdir -p "$results"

# Writes 8 random inputs of `model` as .npy files into `folder` (the calibration set of `stride quantize`).
random_inputs() {
  local model=$1 folder=$2 input
  input=$("$stride" info "$model" --no-layers --json - 2> /dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["inputs"][0]["name"])')
  mkdir -p "$folder"
  for seed in 1 2 3 4 5 6 7 8; do
    "$stride" run "$model" --random --seed "$seed" --backend onednn -o "$folder/run" > /dev/null
    mv "$folder/run/$input.npy" "$folder/$seed.npy"
    rm -rf "$folder/run"
  done
}

for model in cnn2d cnn3d cnn3dto2d gaitset; do
  "$stride" zoo build "$model" -o "$models/$model.onnx" > /dev/null
  random_inputs "$models/$model.onnx" "$models/$model-calib"
  "$stride" quantize "$models/$model.onnx" --precision int8 --method minmax --data "$models/$model-calib" \
    --samples 8 -o "$models/$model-int8.onnx" > /dev/null
  for precision in fp32 int8; do
    file=$models/$model.onnx name=$model
    [ "$precision" = int8 ] && file=$models/$model-int8.onnx name=$model-int8
    for backend in onednn xnnpack; do
      "$stride" bench "$file" --backend "$backend" --threads "$threads" --batch 1,8 --warmup 5 --runs 20 \
        --json "$results/$name-$backend.json" > /dev/null
    done
  done
done

/usr/bin/python3 - "$results" "$load" > "$results/zoo.md.tmp" <<'PY'
import json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
def medians(path):
    data = json.loads(path.read_text())
    return {b["batch"]: b["backends"][0]["latency"]["median_ms"] for b in data["batches"]}, data
rows, header = [], None
for model in ["cnn2d", "cnn3d", "cnn3dto2d", "gaitset"]:
    for precision, name in [("FP32", model), ("INT8", f"{model}-int8")]:
        onednn, header = medians(folder / f"{name}-onednn.json")
        xnnpack, _ = medians(folder / f"{name}-xnnpack.json")
        for batch in sorted(onednn):
            rows.append(f"| {model} | {precision} | {batch} | {onednn[batch]:.3f} | {xnnpack[batch]:.3f} |"
                        f" {xnnpack[batch] / onednn[batch]:.2f}x |")
print("# xnnpack vs onednn (FP32 and INT8 QDQ), each engine timed on its own\n")
print(f"Produced by `bench/xnnpack_bench.sh` on {header['machine']['cpu_model']}, threads: {header['threads']};"
      f" median of 20 runs after 5 warm-up; load average at the start {sys.argv[2]}.\n")
print("| model | precision | batch | onednn ms | xnnpack ms | xnnpack / onednn |\n"
      "| --- | --- | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
PY
mv "$results/zoo.md.tmp" "$results/zoo.md"
cat "$results/zoo.md"
