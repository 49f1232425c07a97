#!/usr/bin/env bash
# Stride's main job on built-in data: builds every zoo model of the paper, shows what it costs
# beside the paper's Table 2, runs it once on the ref backend, and benchmarks the fast engine
# against the LibTorch eager baseline, then makes a tiny procedural gait set and trains and evaluates a
# small GaitSet on it. Results go to out/.
set -euo pipefail
stride=${1:-build/src/stride}
out=${STRIDE_OUT:-out}
mkdir -p "$out/models" "$out/bench" "$out/eval"

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

# A quarter-width GaitSet keeps this step to seconds; the tiny set's 3 test subjects make chance 33 %.
step "GaitSet on the tiny set: untrained, then trained briefly (triplet loss), then evaluated"
"$stride" zoo build gaitset --width-mult 0.25 -o "$out/models/gaitset-small.onnx"
"$stride" eval "$out/models/gaitset-small.onnx" --data "$out/data/tiny" --json "$out/eval/gaitset-untrained.json"
"$stride" train "$out/models/gaitset-small.onnx" --data "$out/data/tiny" --epochs 8 --subjects-per-batch 5 \
  -o "$out/models/gaitset-small-trained.onnx"
"$stride" eval "$out/models/gaitset-small-trained.onnx" --data "$out/data/tiny" --json "$out/eval/gaitset-trained.json"

step "Done"
echo "Models, outputs, benchmark and evaluation JSON and the data preview are in $out/"
