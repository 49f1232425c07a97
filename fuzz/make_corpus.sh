#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made by a `stride` binary (any build's: the files are the same):
#   fuzz_onnx_import   every zoo model, with few channels so that mutations stay fast
#   fuzz_npy           outputs of those models on random inputs (`stride run`), as .npy
#   fuzz_tensor_pb     the same as ONNX TensorProto .pb
#   fuzz_frame_loader  a few silhouettes and grey frames of the generator's smallest datasets
# Existing files in the corpus folders are kept (they are what earlier runs found).
#
#   fuzz/make_corpus.sh STRIDE_BINARY CORPUS_DIR
set -euo pipefail
stride=${1:?usage: make_corpus.sh STRIDE_BINARY CORPUS_DIR}
corpus=${2:?usage: make_corpus.sh STRIDE_BINARY CORPUS_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$corpus"/{fuzz_onnx_import,fuzz_npy,fuzz_tensor_pb,fuzz_frame_loader}

# The model names are the first column of `stride zoo list`, after its header and rule lines.
models=$("$stride" zoo list | awk 'NR > 1 && $1 ~ /^[a-z][a-z0-9_]*$/ { print $1 }')
[ -n "$models" ] || { echo "make_corpus.sh: 'stride zoo list' listed no models" >&2; exit 1; }
for model in $models; do
  onnx=$work/$model.onnx
  # Few channels keep the weights, which mutations rarely improve on, to a few kB.
  if ! "$stride" zoo build "$model" --width-mult 0.02 --classes 4 -o "$onnx" >/dev/null; then
    echo "make_corpus.sh: 'stride zoo build $model' failed; no seed for it" >&2
    continue
  fi
  cp "$onnx" "$corpus/fuzz_onnx_import/$model.onnx"
  for format in npy pb; do
    out=$work/$model-$format
    target=fuzz_npy
    [ "$format" = npy ] || target=fuzz_tensor_pb
    if "$stride" run "$onnx" --random --batch 1 --backend ref --threads 1 --format "$format" --output-dir "$out" \
        >/dev/null 2>&1; then
      # Only the small ones (outputs): libFuzzer mutates inputs up to the largest seed's length, and
      # a 700 kB random input tensor would make every mutation slow without reaching new code.
      find "$out" -name "*.$format" -size -64k -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$corpus/$target/$model-$(basename "$f")"
      done
    else
      echo "make_corpus.sh: 'stride run $model --random' failed; no .$format seeds from it" >&2
    fi
  done
done

# Frames: the first frames of one recording of each layout (binary silhouettes, textured grey).
for preset in tiny tum-gaid-tiny; do
  data=$work/data-$preset
  "$stride" data synth --preset "$preset" --threads 1 -o "$data" >/dev/null 2>&1
  mapfile -t frames < <(find "$data" -name '*.png' | sort)
  for frame in "${frames[@]:0:6}"; do
    cp "$frame" "$corpus/fuzz_frame_loader/$preset-$(basename "$frame")"
  done
done

for target in "$corpus"/*/; do
  echo "corpus $(basename "$target"): $(find "$target" -type f | wc -l) files, $(du -sh "$target" | cut -f1)"
done
