#!/usr/bin/env bash
# Benchmarks every zoo model on the oneDNN engine against LibTorch eager, batch sizes 1-8, with
# the paper's protocol (5 warm-up + 20 timed runs), and records JSON per model (with the machine's
# description) plus one Markdown table in bench/results/. Usage: bench/zoo_bench.sh [STRIDE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
stride=${1:-build/src/stride}
results=bench/results
models=$(mktemp -d)
trap 'rm -rf "$models"' EXIT
mkdir -p "$results"

summary="$results/zoo.md.tmp"
{
  echo "# Zoo benchmark: oneDNN engine vs LibTorch eager (FP32)"
  echo
  echo "Produced by \`bench/zoo_bench.sh\`. Speed-up = median LibTorch latency / median oneDNN latency."
  echo
} > "$summary"
for model in cnn2d cnn3d cnn3dto2d gaitset; do
  "$stride" zoo build "$model" -o "$models/$model.onnx" > /dev/null
  "$stride" bench "$models/$model.onnx" --backend onednn --vs torch --batch 1,2,4,8 --warmup 5 --runs 20 \
    --json "$results/$model.json" --markdown "$models/$model.md"
  cat "$models/$model.md" >> "$summary"
done
mv "$summary" "$results/zoo.md"
echo "wrote $results/zoo.md and $results/<model>.json"
