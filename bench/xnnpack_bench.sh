#!/usr/bin/env bash
# The xnnpack backend beside the onednn engine on every zoo model (FP32), batch 1 and 8, the two run
# in turn on the same inputs (5 warm-up + 20 timed runs, the paper's protocol), with their outputs
# checked to agree. Records JSON per model (with the machine's description) and one Markdown table in
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

summary="$results/zoo.md.tmp"
{
  echo "# xnnpack vs onednn (FP32)"
  echo
  echo "Produced by \`bench/xnnpack_bench.sh\` on $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) threads."
  echo "speed-up = median onednn latency / median xnnpack latency (below 1: xnnpack slower)."
  echo
} > "$summary"
for model in cnn2d cnn3d cnn3dto2d gaitset; do
  "$stride" zoo build "$model" -o "$models/$model.onnx" > /dev/null
  "$stride" bench "$models/$model.onnx" --backend xnnpack --vs onednn --batch 1,8 --warmup 5 --runs 20 \
    --json "$results/$model.json" --markdown "$models/$model.md"
  cat "$models/$model.md" >> "$summary"
done
mv "$summary" "$results/zoo.md"
echo "wrote $results/zoo.md and $results/<model>.json"
