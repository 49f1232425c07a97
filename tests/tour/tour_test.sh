#!/usr/bin/env bash
# The README's tour, run as written: every line of its `sh` block, in order, in an empty folder, with
# the `stride` under test first on PATH. Lines whose comment starts with "long" (a whole study, a
# cluster) are listed, not run. Every line must say how long it takes (a "~N s", "~N min" or "~N h"
# in its comment), so that a reader knows before typing it; the times measured here are printed
# beside them, never asserted (machines differ).
# Usage: tour_test.sh README.md path/to/stride
set -euo pipefail
readme=$(realpath "$1")
stride=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/stride-tour.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/tour"
ln -s "$stride" "$work/bin/stride"
export PATH="$work/bin:$PATH"

# The block after the "## A short tour" heading.
mapfile -t lines < <(awk '/^## A short tour/ { tour = 1; next }
                          tour && /^```sh/ { inside = 1; next }
                          inside && /^```/ { exit }
                          inside { print }' "$readme")
if [ "${#lines[@]}" -lt 10 ]; then
  echo "FAIL: found ${#lines[@]} lines in the README's tour (is the heading or the sh block gone?)" >&2
  exit 1
fi

failures=0 ran=0 listed=0
cd "$work/tour"
for line in "${lines[@]}"; do
  [ -z "${line// }" ] && continue
  comment=${line#* # }
  [ "$comment" = "$line" ] && comment=""
  if ! grep -qE '~[0-9.]+ (s|min|h)\b' <<< "$comment"; then
    echo "FAIL: the tour line does not say how long it takes (\"~N s\", \"~N min\" or \"~N h\" in its comment): $line" >&2
    failures=$((failures + 1))
  fi
  if grep -qE '^long\b' <<< "$comment"; then
    echo "listed, not run (long): $line"
    listed=$((listed + 1))
    continue
  fi
  start=$(date +%s%N)
  if bash -euo pipefail -c "$line" > "$work/out.txt" 2>&1; then
    ms=$((($(date +%s%N) - start) / 1000000))
    printf 'ok (%d.%d s): %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$line"
    ran=$((ran + 1))
  else
    echo "FAIL: $line" >&2
    tail -n 20 "$work/out.txt" >&2
    failures=$((failures + 1))
    break  # the lines after it read what it should have written
  fi
done
echo "$ran tour lines ran, $listed long ones listed, $failures failed"
[ "$failures" -eq 0 ] && [ "$ran" -gt 0 ]
