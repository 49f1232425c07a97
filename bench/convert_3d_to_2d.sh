#!/usr/bin/env bash
# The 3D→2D conversion study (Ruiz-Barroso et al. 2022, §5.5.2, Table 8) on this machine's CPU, without training:
# cost (params, MACs at batch 1) and oneDNN latency (batch 1 and 8, 5 warm-up + 20 timed runs) of
# the 2D-CNN, the 3D-CNN, the 3D-CNN converted by `stride convert --3d-to-2d` (svd at full rank: the
# same function; svd at a third of the full rank; fresh: the paper's structure, to be trained) and
# the zoo's 3Dto2D-CNN. The conversions' per-layer reports (rank, relative approximation error,
# params and MACs before and after) go into the JSON too, and the load average before and after
# every benchmark, since other work on a shared machine moves the times. OMP_WAIT_POLICY is recorded
# too: on a busy machine oneDNN's spinning OpenMP threads (the default) lose several-fold to PASSIVE.
# Needs jq. Usage: bench/convert_3d_to_2d.sh [STRIDE_BINARY] [RESULT_JSON]
#   (defaults: build/src/stride, bench/results/convert-3d-to-2d.json)
set -euo pipefail
cd "$(dirname "$0")/.."
stride=${1:-build/src/stride}
result=${2:-bench/results/convert-3d-to-2d.json}
[ -x "$stride" ] || { echo "$stride not found: build it, or pass the stride binary" >&2; exit 2; }
command -v jq > /dev/null || { echo "jq is needed to assemble the results (apt-get install jq)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for model in cnn2d cnn3d cnn3dto2d; do
  "$stride" zoo build "$model" -o "$work/$model.onnx" > /dev/null
done
"$stride" convert "$work/cnn3d.onnx" --3d-to-2d --init svd -o "$work/cnn3d-svd.onnx" \
  --json "$work/cnn3d-svd.convert.json"
"$stride" convert "$work/cnn3d.onnx" --3d-to-2d --init svd --rank-fraction 0.333333 -o "$work/cnn3d-svd-third.onnx" \
  --json "$work/cnn3d-svd-third.convert.json"
"$stride" convert "$work/cnn3d.onnx" --3d-to-2d --init fresh --seed 0 -o "$work/cnn3d-fresh.onnx" \
  --json "$work/cnn3d-fresh.convert.json"

models=(cnn2d cnn3d cnn3d-svd cnn3d-svd-third cnn3d-fresh cnn3dto2d)
for model in "${models[@]}"; do
  "$stride" info "$work/$model.onnx" --json "$work/$model.info.json" > /dev/null
  cut -d' ' -f1-3 /proc/loadavg > "$work/$model.load_before"
  "$stride" bench "$work/$model.onnx" --backend onednn --batch 1,8 --warmup 5 --runs 20 \
    --json "$work/$model.bench.json" > /dev/null
  cut -d' ' -f1-3 /proc/loadavg > "$work/$model.load_after"
done

# One entry per model: its cost, the median latencies, the loads, and the full `stride bench` JSON.
for model in "${models[@]}"; do
  jq -n --arg name "$model" --arg before "$(cat "$work/$model.load_before")" \
    --arg after "$(cat "$work/$model.load_after")" \
    --slurpfile info "$work/$model.info.json" --slurpfile bench "$work/$model.bench.json" '{
      name: $name,
      params: $info[0].totals.params,
      gflop_batch1: ($info[0].totals.flops / 1e9),
      median_ms: ($bench[0].batches | map({key: (.batch | tostring), value: .backends[0].latency.median_ms})
                  | from_entries),
      ms_per_sample: ($bench[0].batches | map({key: (.batch | tostring), value: .backends[0].ms_per_sample})
                      | from_entries),
      load_average_before: $before, load_average_after: $after,
      bench: $bench[0]}' > "$work/$model.entry.json"
done
entries=()
for model in "${models[@]}"; do entries+=("$work/$model.entry.json"); done
jq -s . "${entries[@]}" > "$work/models.json"
mkdir -p "$(dirname "$result")"
jq -n --arg commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (modified)')" \
  --slurpfile svd "$work/cnn3d-svd.convert.json" --slurpfile third "$work/cnn3d-svd-third.convert.json" \
  --slurpfile fresh "$work/cnn3d-fresh.convert.json" --slurpfile bench "$work/cnn3d.bench.json" \
  --slurpfile models "$work/models.json" \
  --arg omp_wait_policy "${OMP_WAIT_POLICY:-(unset)}" \
  '{study: "3D→2D conversion (Ruiz-Barroso et al. 2022, §5.5.2, Table 8), oneDNN FP32, untrained seeded weights",
    commit: $commit, machine: $bench[0].machine, omp_wait_policy: $omp_wait_policy,
    protocol: {backend: "onednn", batches: [1, 8], warmup: 5, runs: 20},
    conversions: {"cnn3d-svd": $svd[0], "cnn3d-svd-third": $third[0], "cnn3d-fresh": $fresh[0]},
    models: $models[0]}' > "$work/result.json"
mv "$work/result.json" "$result"

jq -r '"model | params | GMAC (batch 1) | median ms, batch 1 | median ms, batch 8 | ms/sample, batch 8 | load before → after",
       "--- | --- | --- | --- | --- | --- | ---",
       (.models[] | "\(.name) | \(.params) | \(.gflop_batch1 / 2 * 1000 | round / 1000) | \(.median_ms["1"] * 100 | round / 100)"
         + " | \(.median_ms["8"] * 100 | round / 100) | \(.ms_per_sample["8"] * 100 | round / 100)"
         + " | \(.load_average_before) → \(.load_average_after)")' "$result"
echo "wrote $result"
