#!/usr/bin/env bash
# The paper's Table 6 (Ruiz-Barroso et al. 2022, §5.5.1) regenerated on this machine: trained cnn2d (tum-gaid-mini,
# softmax head) and GaitSet (casia-b-mini, KNN) pruned at 10-50 % by the L1 global percentile and
# fine-tuned; the activation criterion beside L1 on cnn2d at 30 %, a sensitivity-guided schedule on
# GaitSet at 30 %; magnitude (unstructured) pruning at 50 % sparsity as the baseline the paper
# rejected. Every model is then timed on oneDNN at batch 1 and 8 in one pass, after all training is
# over, so that the timings see a quiet machine.
#
# usage: [VARIANT=name ...] bench/prune_table6.sh STRIDE WORK_DIR [OUT_PREFIX]
#   WORK_DIR holds cnn2d-trained.onnx + tum-gaid-mini/ and gaitset-trained.onnx + casia-b-mini/
#   (see docs/compress.md for the commands that make them). Results: OUT_PREFIX.json and .md (default
#   bench/results/prune-table6-VARIANT), models under WORK_DIR/VARIANT/. Settings:
#   PRUNE_FLAGS          go to every prune but magnitude's; the L1 rows are called VARIANT-RATIO
#   CNN2D_FLAGS, GAITSET_FLAGS  to that model's prunes only (e.g. --normalize, --finetune-lr)
#   CNN2D_EPOCHS, GAITSET_EPOCHS  fine-tuning epochs after each prune (default 5 and 2)
#   RATIOS               default "0.1 0.3 0.5"
#   EXTRA_ROWS=0         leaves out the magnitude, activation and sensitivity-guided rows
#   MODELS='cnn2d'       (or 'gaitset') makes one model's rows only
#   STAGE=bench          skips the pruning and re-times the models already under WORK_DIR/VARIANT/
#                        (e.g. once the machine is quiet), then writes the table
#   TABLE_NOTE           a line for the table's header (e.g. how rows copied in from another variant were made)
set -euo pipefail
stride=$(realpath "$1")
work=$2
variant=${VARIANT:-l1}
prefix=${3:-bench/results/prune-table6-$variant}
ratios=${RATIOS:-"0.1 0.3 0.5"}
extra=${EXTRA_ROWS:-1}
models=${MODELS:-"cnn2d gaitset"}
stage=${STAGE:-all}
read -r -a flags <<< "${PRUNE_FLAGS:-}"
out="$work/$variant"
mkdir -p "$out"

declare -A dataset=([cnn2d]=tum-gaid-mini [gaitset]=casia-b-mini)
declare -A train_on=([cnn2d]=test-gallery [gaitset]=train-subjects)
declare -A classifier=([cnn2d]=softmax [gaitset]=knn)
declare -A epochs=([cnn2d]=${CNN2D_EPOCHS:-5} [gaitset]=${GAITSET_EPOCHS:-2})
declare -A own_flags=([cnn2d]=${CNN2D_FLAGS:-} [gaitset]=${GAITSET_FLAGS:-})

evaluate() {  # model row
  "$stride" eval "$out/$2.onnx" --data "$work/${dataset[$1]}" --classifier "${classifier[$1]}" \
    --json "$out/$2.eval.json" > /dev/null
}

# prune_row MODEL ROW PRUNE_FLAGS...: the trained model pruned, fine-tuned and evaluated.
prune_row() {
  local model=$1 row=$2 own
  shift 2
  read -r -a own <<< "${own_flags[$model]}"
  "$stride" prune "$work/$model-trained.onnx" "$@" "${flags[@]}" "${own[@]}" --finetune-epochs "${epochs[$model]}" \
    --data "$work/${dataset[$model]}" --train-on "${train_on[$model]}" -o "$out/$row.onnx" --json "$out/$row.prune.json"
  evaluate "$model" "$row"
}

for model in $models; do
  [ "$stage" = all ] || break
  cp "$work/$model-trained.onnx" "$out/$model-base.onnx"
  evaluate "$model" "$model-base"
  for r in $ratios; do prune_row "$model" "$model-$variant-$r" --ratio "$r"; done
  [ "$extra" = 1 ] || continue
  "$stride" prune "$work/$model-trained.onnx" --criterion magnitude --sparsity 0.5 -o "$out/$model-magnitude-0.5.onnx" \
    --json "$out/$model-magnitude-0.5.prune.json"
  evaluate "$model" "$model-magnitude-0.5"
  case $model in
    cnn2d) prune_row cnn2d cnn2d-activation-0.3 --criterion activation --samples 32 --ratio 0.3 ;;
    # GaitSet's set layers 1-3 lose most when pruned alone (bench/results/sensitivity-gaitset.svg): they
    # give 10 % of their filters, the other layers 34 %, 30 % of all filters in all.
    gaitset) prune_row gaitset gaitset-sensitivityguided-0.3 --ratio 0.34 --ratio-for 'set_layer[123]/*=0.1' ;;
  esac
done

for m in "$out"/*.onnx; do
  "$stride" bench "$m" --backend onednn --batch 1,8 --warmup 5 --runs 20 --json "${m%.onnx}.bench.json" > /dev/null
done
python3 "$(dirname "$0")/prune_table6.py" "$out" "$prefix"
