#!/usr/bin/env bash
# Runs each fuzz target of a fuzz build for SECONDS, one after the other, one process each, and
# prints per target what libFuzzer reports at the end: executions, coverage (cov: edges, ft:
# features), corpus size, and the inputs that failed. Exits non-zero when any target found a crash,
# a leak, a timeout or an out-of-memory input (reproducers under BUILD/fuzz-artifacts/<target>/).
#
#   fuzz/run_fuzzers.sh BUILD SECONDS [TARGET...]
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD SECONDS [TARGET...]}
seconds=${2:?usage: run_fuzzers.sh BUILD SECONDS [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_onnx_import fuzz_npy fuzz_tensor_pb fuzz_frame_loader)
here=$(cd "$(dirname "$0")" && pwd)

failed=0
summary=()
for target in "${targets[@]}"; do
  binary=$build/fuzz/$target
  corpus=$build/corpus/$target
  artifacts=$build/fuzz-artifacts/$target
  log=$build/fuzz-logs/$target.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  # New inputs go to the first folder (the generated corpus); committed seeds are only read.
  dirs=("$corpus")
  [ -d "$here/seeds/$target" ] && dirs+=("$here/seeds/$target")
  options=()
  [ -f "$here/$target.dict" ] && options+=(-dict="$here/$target.dict")
  echo "== $target: ${seconds}s (log: $log)"
  start=$(date +%s)
  # -timeout: one input taking 20 s is a hang. -rss_limit_mb: libFuzzer's default, stated so the
  # limit an out-of-memory report refers to is visible here.
  "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${options[@]}" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  elapsed=$(($(date +%s) - start))
  # The last status line ("#N DONE cov: ... ft: ... corp: ...") or, after a crash, the last one printed.
  status=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
  corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<<"$status")
  found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
    -newermt "@$start" | wc -l)
  line=$(printf '%-18s %5ss  execs %-10s cov %-6s ft %-7s corpus %-12s findings %s' "$target" "$elapsed" \
    "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found")
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    failed=1
    line+="  FAILED (exit $rc; see $log)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*deadly signal|.*Test unit written)' "$log" | head -5
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "== fuzzing summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit $failed
