#!/usr/bin/env bash
# Stride's main job on built-in data: the quick study. It synthesizes two small procedural gait sets,
# builds and trains the paper's 2D-CNN, 3D-CNN and a half-width GaitSet, quantizes them (FP16, BF16,
# INT8), prunes them (with fine-tuning), converts the 3D-CNN to 2D, measures accuracy and time
# (onednn beside LibTorch eager) and writes the report: out/report/index.html, tables.md, results.json.
# Run again, it reuses every finished cell (out/report/cells/); interrupted, it resumes.
set -euo pipefail
stride=${1:-build/src/stride}
out=${STRIDE_OUT:-out}
"$stride" study --preset quick -o "$out/report"
