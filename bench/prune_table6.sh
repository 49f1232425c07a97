#!/usr/bin/env bash
# The paper's Table 6 (seed 000 §5.5.1) regenerated on this machine: trained cnn2d (tum-gaid-mini,
# softmax head) and GaitSet (casia-b-mini, KNN) pruned at 10-50 % by the L1 global percentile and
# fine-tuned; the activation criterion beside L1 on cnn2d at 30 %; magnitude (unstructured) pruning
# at 50 % sparsity as the baseline the paper rejected. Every model is then timed on oneDNN at batch
# 1 and 8 in one pass, after all training is over, so that the timings see a quiet machine.
#
# usage: [VARIANT=name PRUNE_FLAGS='--normalize' BASELINES_ONLY=0] bench/prune_table6.sh STRIDE WORK_DIR [OUT_PREFIX]
#   WORK_DIR holds cnn2d-trained.onnx + tum-gaid-mini/ and gaitset-trained.onnx + casia-b-mini/
#   (see docs/compress.md for the commands that make them). PRUNE_FLAGS go to every L1 prune, whose rows
#   are called VARIANT-RATIO, CNN2D_FLAGS / GAITSET_FLAGS to that model's only (e.g. --finetune-lr); EXTRA_ROWS=0 leaves out the magnitude and activation rows. Results:
#   OUT_PREFIX.json and .md (default bench/results/prune-table6-VARIANT), models under WORK_DIR/VARIANT/.
set -euo pipefail
stride=$(realpath "$1")
work=$2
variant=${VARIANT:-l1}
prefix=${3:-bench/results/prune-table6-$variant}
ratios=${RATIOS:-"0.1 0.3 0.5"}
extra=${EXTRA_ROWS:-1}
read -r -a flags <<< "${PRUNE_FLAGS:-}"
read -r -a cnn2d_flags <<< "${CNN2D_FLAGS:-}"
read -r -a gaitset_flags <<< "${GAITSET_FLAGS:-}"
out="$work/$variant"
mkdir -p "$out"

# model  dataset  --train-on  classifier  fine-tuning epochs
rows=("cnn2d tum-gaid-mini test-gallery softmax ${CNN2D_EPOCHS:-5}"
      "gaitset casia-b-mini train-subjects knn ${GAITSET_EPOCHS:-2}")

evaluate() {  # model dataset classifier json
  "$stride" eval "$1" --data "$2" --classifier "$3" --json "$4" > /dev/null
}

for row in "${rows[@]}"; do
  read -r model data train_on classifier epochs <<< "$row"
  base="$work/$model-trained.onnx"
  evaluate "$base" "$work/$data" "$classifier" "$out/$model-base.eval.json"
  cp "$base" "$out/$model-base.onnx"
  own_flags=("${cnn2d_flags[@]}")
  [ "$model" = gaitset ] && own_flags=("${gaitset_flags[@]}")
  for r in $ratios; do
    name="$model-$variant-$r"
    "$stride" prune "$base" --ratio "$r" "${flags[@]}" "${own_flags[@]}" --finetune-epochs "$epochs" --data "$work/$data" \
      --train-on "$train_on" -o "$out/$name.onnx" --json "$out/$name.prune.json"
    evaluate "$out/$name.onnx" "$work/$data" "$classifier" "$out/$name.eval.json"
  done
  [ "$extra" = 1 ] || continue
  "$stride" prune "$base" --criterion magnitude --sparsity 0.5 -o "$out/$model-magnitude-0.5.onnx" \
    --json "$out/$model-magnitude-0.5.prune.json"
  evaluate "$out/$model-magnitude-0.5.onnx" "$work/$data" "$classifier" "$out/$model-magnitude-0.5.eval.json"
done
if [ "$extra" = 1 ]; then
  "$stride" prune "$work/cnn2d-trained.onnx" --criterion activation --samples 32 --ratio 0.3 "${flags[@]}" \
    "${cnn2d_flags[@]}" \
    --finetune-epochs "${CNN2D_EPOCHS:-5}" --data "$work/tum-gaid-mini" --train-on test-gallery \
    -o "$out/cnn2d-activation-0.3.onnx" --json "$out/cnn2d-activation-0.3.prune.json"
  evaluate "$out/cnn2d-activation-0.3.onnx" "$work/tum-gaid-mini" softmax "$out/cnn2d-activation-0.3.eval.json"
fi

for m in "$out"/*.onnx; do
  "$stride" bench "$m" --backend onednn --batch 1,8 --warmup 5 --runs 20 --json "${m%.onnx}.bench.json" > /dev/null
done
python3 "$(dirname "$0")/prune_table6.py" "$out" "$prefix"
