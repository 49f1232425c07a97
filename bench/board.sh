#!/usr/bin/env bash
# The comparison that matters on an ARM board (Raspberry Pi 4, Jetson Nano/TX2/Xavier CPU), which no
# emulator can give: Stride's onednn and xnnpack engines against ONNX Runtime on every zoo model, FP32,
# batch 1 and 8, plus the engine `--backend auto` picks there and why. Run it on the board itself, from
# a clone of Stride, after building there:
#
#   make build                      # on the board (Debian/Raspberry Pi OS bookworm arm64), or copy build-arm64/
#   sudo apt-get install nodejs npm # ONNX Runtime comes from npm (onnxruntime-node has linux-arm64 binaries)
#   bash bench/board.sh             # about 10 minutes on a Pi 4
#
# Writes bench/results/board-HOSTNAME.{md,json} (machine, libraries, every round) and
# bench/results/board-HOSTNAME-auto.txt. Quiet the board first (no desktop session, a fan or heatsink:
# a Pi 4 throttles at 80 °C, and throttled rounds make the medians lie).
# Usage: bench/board.sh [--stride BIN] [--build-dir DIR] [--rounds K] [--threads N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
stride=
rounds=3
threads=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --stride) stride=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
stride=${stride:-$build/src/stride}
[ -x "$stride" ] || { echo "$stride not found: build Stride on the board first (make build)" >&2; exit 2; }
results=bench/results/board-$(hostname -s)
mkdir -p bench/results

if command -v vcgencmd > /dev/null; then echo "Pi firmware: $(vcgencmd measure_temp) $(vcgencmd get_throttled)"; fi

# What auto picks on this board, and why (the engines' reference work, then their measured medians).
models=$(mktemp -d)
trap 'rm -rf "$models"' EXIT
for model in cnn2d cnn3d cnn3dto2d gaitset; do
  "$stride" zoo build "$model" -o "$models/$model.onnx" > /dev/null
  echo "$model: $("$stride" run "$models/$model.onnx" --random --backend auto --threads "$threads" | head -n1)"
done | tee "$results-auto.txt"

bash bench/vs_onnxruntime.sh --stride "$stride" --build-dir "$build" --backends onednn,xnnpack \
  --rounds "$rounds" --threads "$threads" --results "$results"
