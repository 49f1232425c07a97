#!/usr/bin/env bash
# The xnnpack backend beside the onednn engine on every zoo model (FP32), batch 1 and 8, each engine
# timed on its own (5 warm-up + 20 timed runs, the paper's protocol): run in turn within one process,
# each engine's spinning worker threads (OpenMP's, pthreadpool's) would slow the other. Records JSON
# per model and engine (with the machine's description) and a Markdown summary in
# bench/results/xnnpack/. On x86 this says whether the ARM engine is a trap there (the target: within
# 1.5x of onednn); on a board it is the comparison that matters. Run it on a quiet machine.
# Usage: bench/xnnpack_bench.sh [STRIDE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
stride=${1:-build/src/stride}
results=bench/results/xnnpack
models=$(mktemp -d)
trap 'rm -rf "$models"' EXIT
mkdir -p "$results"

for model in cnn2d cnn3d cnn3dto2d gaitset; do
  "$stride" zoo build "$model" -o "$models/$model.onnx" > /dev/null
  for backend in onednn xnnpack; do
    "$stride" bench "$models/$model.onnx" --backend "$backend" --batch 1,8 --warmup 5 --runs 20 \
      --json "$results/$model-$backend.json" > /dev/null
  done
done

/usr/bin/python3 - "$results" > "$results/zoo.md.tmp" <<'PY'
import json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
def medians(path):
    data = json.loads(path.read_text())
    return {b["batch"]: b["backends"][0]["latency"]["median_ms"] for b in data["batches"]}, data["machine"]
rows, machine = [], None
for model in ["cnn2d", "cnn3d", "cnn3dto2d", "gaitset"]:
    onednn, machine = medians(folder / f"{model}-onednn.json")
    xnnpack, _ = medians(folder / f"{model}-xnnpack.json")
    for batch in sorted(onednn):
        rows.append(f"| {model} | {batch} | {onednn[batch]:.3f} | {xnnpack[batch]:.3f} | {xnnpack[batch] / onednn[batch]:.2f}x |")
print("# xnnpack vs onednn (FP32), each engine timed on its own\n")
print(f"Produced by `bench/xnnpack_bench.sh` on {machine.get('cpu', '?')}, {machine.get('threads', '?')} threads;"
      " median of 20 runs after 5 warm-up.\n")
print("| model | batch | onednn ms | xnnpack ms | xnnpack / onednn |\n| --- | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
PY
mv "$results/zoo.md.tmp" "$results/zoo.md"
cat "$results/zoo.md"
