#!/usr/bin/env bash
# `make slurm-test`: the quick study through a real Slurm on this machine, against the local runs.
#   1. starts a single-node Slurm (local-slurm.sh) under a temporary folder;
#   2. runs the study locally, one cell at a time and two at a time, timing each;
#   3. runs it as Slurm jobs with --retry while a training job is cancelled mid-cell (scancel):
#      the cancelled cell shows its log, is submitted again, and the study completes;
#   4. runs it once more: every cell comes from the cache;
#   5. compares the --jobs 2 run and the Slurm run with the --jobs 1 run (compare-studies.py):
#      every non-timing figure and every file a cell wrote must be identical, the timings present;
#      and lists the jobs in Slurm's job-completion log;
#   6. stops Slurm (also on failure).
# STRIDE_SLURM_TEST_MODELS=cnn2d restricts the study to some models (the whole quick study is
# about 35 minutes per run on 2 cores, so the script takes three times that).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/stride-slurm-test.XXXXXX")
# The jobs run the binary by its path: a copy, so that a rebuild meanwhile changes nothing.
cp "${1:?usage: slurm-test.sh path/to/stride}" "$work/stride"
stride=$work/stride
bash "$here/local-slurm.sh" start "$work/slurm"
trap 'bash "$here/local-slurm.sh" stop "$work/slurm"; echo "results kept in $work"' EXIT
export SLURM_CONF=$work/slurm/slurm.conf

study=(study --preset quick)
[ -n "${STRIDE_SLURM_TEST_MODELS:-}" ] && study+=(--models "$STRIDE_SLURM_TEST_MODELS")
echo "stride ${study[*]}; work folder $work"

timed() {  # timed NAME COMMAND...: runs it, its output into $work/NAME.out, prints the wall time
  local name=$1 start
  shift
  start=$(date +%s)
  if ! "$@" > "$work/$name.out" 2>&1; then
    tail -n 30 "$work/$name.out"
    echo "$name failed (output: $work/$name.out)" >&2
    return 1
  fi
  echo "$name: $(($(date +%s) - start)) s wall"
}

# Cancels the first training job once it has run 5 s: a job killed mid-cell.
cancel_a_training_job() {
  for _ in $(seq 1200); do
    local job
    job=$(squeue --me --noheader --format='%i %j %T' | awk '$2 ~ /^stride:train\// && $3 == "RUNNING" { print $1; exit }')
    if [ -n "$job" ]; then
      sleep 5
      scancel "$job"
      echo "$job" > "$work/cancelled-job"
      return
    fi
    sleep 1
  done
}

timed local-jobs1 "$stride" "${study[@]}" --jobs 1 -o "$work/local-jobs1"
timed local-jobs2 "$stride" "${study[@]}" --jobs 2 -o "$work/local-jobs2"
cancel_a_training_job &
canceller=$!
# Training cells ask for the study's training threads whatever --cpus-per-cell says; the other
# cells get the machine's cores, as in the local run with --jobs 1.
timed slurm "$stride" "${study[@]}" --executor slurm --cpus-per-cell "$(nproc)" --retry -o "$work/slurm-study"
wait "$canceller" || true
if [ -f "$work/cancelled-job" ]; then
  echo "job $(cat "$work/cancelled-job") cancelled mid-cell; what the study said of it:"
  grep -E "^\[.*\] [^ ]+: (failed|skipped) " "$work/slurm.out" | head -n 3 || true
fi
"$stride" "${study[@]}" --executor slurm -o "$work/slurm-study" > "$work/slurm-again.out"
grep "cells from the cache" "$work/slurm-again.out"

echo "jobs in Slurm's job-completion log ($work/slurm/log/jobcomp.txt):"
awk '{ for (i = 1; i <= NF; ++i) if ($i ~ /^(JobId|Name|JobState|NodeList)=/) printf "%s ", $i; print "" }' \
  "$work/slurm/log/jobcomp.txt" > "$work/jobs.txt"
head -n 3 "$work/jobs.txt"
echo "  ..."
for state in COMPLETED CANCELLED FAILED; do echo "  $state: $(grep -c "JobState=$state" "$work/jobs.txt" || true)"; done

echo "local --jobs 2 against local --jobs 1:"
python3 "$here/compare-studies.py" "$work/local-jobs1" "$work/local-jobs2"
echo "Slurm against local --jobs 1:"
python3 "$here/compare-studies.py" "$work/local-jobs1" "$work/slurm-study"
