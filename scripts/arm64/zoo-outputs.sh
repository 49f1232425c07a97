#!/usr/bin/env bash
# The arm64 `stride` tool under qemu against the x86 one: every zoo model (full size, seeded weights)
# built once by the x86 tool, run there on the ref backend (the oracle) on seeded random inputs, then
# by the arm64 tool on the very same file and inputs on xnnpack and on `auto` (which must not pick an
# engine running reference convolutions: on arm64, Debian's oneDNN has only "gemm:ref" ones). Every
# output must be within 1e-4 of the x86 one, relative to its largest magnitude (the engines' tests'
# tolerance). The CPU is qemu's default or QEMU_CPU. Correctness only: emulated timings mean nothing.
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

for model in "${models[@]}"; do
  "$host" zoo build "$model" -o "$work/$model.onnx" > /dev/null
  inputs=()
  while read -r _ name _ _ path; do inputs+=(--input "$name=$path"); done < <(
    "$host" run "$work/$model.onnx" --random --seed 1 --backend ref --output-dir "$work/$model.x86" | grep '^input ')
  for backend in xnnpack auto; do
    out=$work/$model.arm64.$backend
    said=$("${arm[@]}" run "$work/$model.onnx" "${inputs[@]}" --backend "$backend" --output-dir "$out")
    chosen=$backend
    if [[ $backend == auto ]]; then
      chosen=$(sed -n 's/^backend: \([a-z]*\) .*/\1/p' <<<"$said")
      echo "$model: auto chose $chosen ($(sed -n 's/^backend: [a-z]* (\(.*\))$/\1/p' <<<"$said"))"
    fi
    for file in "$out"/*.npy; do
      python3 - "$file" "$work/$model.x86/$(basename "$file")" "$model" "$chosen" <<'PY' || status=1
import sys
import numpy as np
got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
scale = max(float(np.abs(want).max()), 1e-30)
diff = float(np.abs(got.astype(np.float64) - want).max()) / scale if got.shape == want.shape else float("inf")
verdict = "ok" if diff <= 1e-4 else "FAIL"
print(f"{verdict}: {sys.argv[3]} {sys.argv[1].rsplit('/', 1)[1]} on arm64 {sys.argv[4]}: "
      f"largest difference {diff:.2e} of the x86 ref output's largest value")
sys.exit(verdict != "ok")
PY
    done
  done
done
exit $status
