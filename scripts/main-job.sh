#!/usr/bin/env bash
# Stride's main job on built-in data: builds every zoo model of the paper, shows what it costs
# beside the paper's Table 2, runs it once on the ref backend, and benchmarks the fast engine
# against the LibTorch eager baseline. Results go to out/.
set -euo pipefail
stride=${1:-build/src/stride}
out=${STRIDE_OUT:-out}
mkdir -p "$out/models" "$out/bench"

step() { printf '\n=== %s ===\n' "$*"; }

step "The model zoo"
"$stride" zoo list

for model in cnn2d cnn3d cnn3dto2d gaitset; do
  onnx="$out/models/$model.onnx"
  step "$model: build, inspect, run once on the ref backend"
  "$stride" zoo build "$model" -o "$onnx"
  "$stride" info "$onnx" --no-layers
  "$stride" run "$onnx" --random --backend ref --output-dir "$out/run/$model"
done

for model in cnn2d cnn3d cnn3dto2d gaitset; do
  step "$model: oneDNN engine vs LibTorch eager (short benchmark)"
  "$stride" bench "$out/models/$model.onnx" --backend onednn --vs torch --batch 1,8 --warmup 2 --runs 5 \
    --json "$out/bench/$model.json"
done

step "Procedural gait data: a tiny CASIA-B-layout set and its preview"
"$stride" data synth --preset tiny --seed 1 -o "$out/data/tiny"
"$stride" data preview "$out/data/tiny" -o "$out/data/tiny-preview.png"

step "Done"
echo "Models, outputs, benchmark JSON and the data preview are in $out/"
