#!/usr/bin/env bash
# The arm64 `stride` tool under qemu against the x86 one: every zoo model (full size, seeded weights)
# built once by the x86 tool and quantized there to INT8 (QDQ, calibrated on the run's inputs); each
# file run on x86 on seeded random inputs, then by the arm64 tool on the very same file and inputs on
# xnnpack and on `auto` (which must not pick an engine running reference convolutions: on arm64,
# Debian's oneDNN has only "gemm:ref" ones). Every output must be within 1e-4 of the x86 one, relative
# to its largest magnitude (the engines' tests' tolerance). The x86 oracle is ref for FP32 and xnnpack
# for INT8: an engine that requantizes from exact integer sums differs from ref's f32 sums by a step
# here and there, compounding over layers (full-size cnn3dto2d INT8 on x86: 2 steps on 1 value of 1024,
# onednn and xnnpack alike; tests/xnnpack holds xnnpack's INT8 against ref), so the same engine on both
# machines is what tells whether arm64 computes what x86 does. The CPU is qemu's default or QEMU_CPU.
# Correctness only: emulated timings mean nothing.
# usage: zoo-outputs.sh X86_STRIDE ARM64_BUILD_DIR [MODEL...]   (default: every zoo model)
set -euo pipefail
host=$1
build=$2
shift 2
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(cnn2d cnn3d cnn3dto2d gaitset)
arm=(qemu-aarch64-static -L "$build/sysroot" "$build/src/stride")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache  # auto's remembered choices: this run's own
status=0

# compare ARM_DIR X86_DIR LABEL: every output the arm64 run wrote against the x86 one of the same name.
compare() {
  for file in "$1"/*.npy; do
    /usr/bin/python3 - "$file" "$2/$(basename "$file")" "$3" <<'PY' || status=1
import sys
import numpy as np
got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
scale = max(float(np.abs(want).max()), 1e-30)
diff = float(np.abs(got.astype(np.float64) - want).max()) / scale if got.shape == want.shape else float("inf")
verdict = "ok" if diff <= 1e-4 else "FAIL"
print(f"{verdict}: {sys.argv[3]} {sys.argv[1].rsplit('/', 1)[1]}: largest difference {diff:.2e} of the x86 "
      "output's largest value")
sys.exit(verdict != "ok")
PY
  done
}

for model in "${models[@]}"; do
  "$host" zoo build "$model" -o "$work/$model.onnx" > /dev/null
  inputs=()
  mkdir -p "$work/$model.calib"
  while read -r _ name _ _ path; do
    inputs+=(--input "$name=$path")
    cp "$path" "$work/$model.calib/"
  done < <("$host" run "$work/$model.onnx" --random --seed 1 --backend ref --output-dir "$work/$model.x86" | grep '^input ')
  "$host" quantize "$work/$model.onnx" --precision int8 --data "$work/$model.calib" -o "$work/$model-int8.onnx" \
    > "$work/quantize.log" 2>&1 || { cat "$work/quantize.log"; exit 1; }
  "$host" run "$work/$model-int8.onnx" "${inputs[@]}" --backend xnnpack --output-dir "$work/$model-int8.x86" > /dev/null

  for variant in "$model" "$model-int8"; do
    for backend in xnnpack auto; do
      out=$work/$variant.arm64.$backend
      said=$("${arm[@]}" run "$work/$variant.onnx" "${inputs[@]}" --backend "$backend" --output-dir "$out")
      chosen=$backend
      if [[ $backend == auto ]]; then
        chosen=$(sed -n 's/^backend: \([a-z]*\) .*/\1/p' <<<"$said")
        echo "$variant: auto chose $chosen ($(sed -n 's/^backend: [a-z]* (\(.*\))$/\1/p' <<<"$said"))"
      fi
      compare "$out" "$work/$variant.x86" "$variant on arm64 $chosen (x86: $([[ $variant == *-int8 ]] && echo xnnpack || echo ref))"
    done
  done
done
exit $status
