#!/usr/bin/env bash
# What libstride_runtime may hold and show (issue: a runtime a device application can link):
# none of the tool's heavy libraries among its dependencies, only the C API among its exported
# symbols, and a stripped size under 5 MB.
# usage: library_test.sh LIBRARY
set -euo pipefail
lib=$1
status=0

deps=$(ldd "$lib")
# Match library names only: ldd's load addresses are random hex and once read "...1c10..." as c10.
names=$(awk '{print $1}' <<<"$deps")
excluded='^lib(torch|c10|opencv|faiss|.*blas|lapack|png|gfortran)'
if grep -E -i "$excluded" <<<"$names"; then
  echo "FAIL: $lib links libraries a runtime must not (above)"
  status=1
fi
if grep -q 'not found' <<<"$deps"; then
  echo "FAIL: unresolved dependencies:"; grep 'not found' <<<"$deps"
  status=1
fi

exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVWui]$/ {print $3}')
foreign=$(grep -v '^stride_' <<<"$exported" || true)
if [[ -n $foreign ]]; then
  echo "FAIL: symbols exported beyond the C API:"; head -n 20 <<<"$foreign"
  status=1
fi
for symbol in stride_version stride_last_error stride_model_load stride_model_load_buffer stride_model_free \
  stride_session_create stride_session_free stride_session_input_count stride_session_input_name \
  stride_session_output_count stride_session_output_name stride_session_run stride_session_output; do
  grep -qx "$symbol" <<<"$exported" || { echo "FAIL: $symbol is not exported"; status=1; }
done

stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip -o "$stripped" "$lib"
size=$(stat -c %s "$stripped")
echo "$(basename "$lib"): $(wc -l <<<"$exported") exported symbols, stripped size $size bytes"
echo "dependencies:"; sed 's/^/  /' <<<"$names"
if ((size >= 5 * 1000 * 1000)); then
  echo "FAIL: stripped size $size bytes is not under 5 MB"
  status=1
fi
exit $status
