#!/usr/bin/env bash
# Measures the oneDNN plan's graph overhead for every zoo model at batch 1 and 8 (bench/plan_overhead.cpp)
# and records bench/results/plan_overhead.{json,md}. The machine is shared, so it first waits, up to
# 15 minutes, for the 1-minute load average to fall to 0.6 or below.
# Usage: bench/plan_overhead.sh [PLAN_OVERHEAD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/bench/plan_overhead}
max_load=0.6

for attempt in $(seq 0 15); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l <= m) }'; then break; fi
  if [ "$attempt" -eq 15 ]; then
    echo "load average still $load after 15 minutes; measuring anyway (the results record it)" >&2
    break
  fi
  echo "load average $load > $max_load; waiting a minute" >&2
  sleep 60
done

mkdir -p bench/results
"$binary" --models cnn2d,cnn3d,cnn3dto2d,gaitset --batch 1,8 --warmup 5 --runs 20 \
  --json bench/results/plan_overhead.json --markdown bench/results/plan_overhead.md
