#!/usr/bin/env bash
# The project's text cites only what a reader can find — files in the repository or the papers by
# their published reference — and spells each unit one way (docs/measure.md, "Units"). Fails, naming
# file and line, on a citation of a document the repository does not hold or a retired unit spelling.
# Usage: references_test.sh SOURCE_DIR
set -u
root=${1:?usage: references_test.sh SOURCE_DIR}
cd "$root" || exit 2

# Where the project speaks to readers: the docs, the README, the bench scripts and their results, and
# the comments and strings of the sources. tests/ is left out: tests name these strings to forbid them.
paths=(README.md docs bench src CMakeLists.txt cmake Makefile scripts examples)
existing=()
for p in "${paths[@]}"; do [ -e "$p" ] && existing+=("$p"); done

forbidden=(
  'seed 00'           # the source papers by number instead of by reference
  'REFERENCE\.md'     # notes that are not part of the repository
  'DESIGN\.md'
  'design reference'
  'mJ\*ms'            # EDP is mJ·ms
  'GFLOP (b'          # model cost is in MACs (GMAC); GFLOP only in GFLOP/s
)
status=0
for pattern in "${forbidden[@]}"; do
  if hits=$(grep -rnIi --exclude-dir=__pycache__ -e "$pattern" "${existing[@]}"); then
    echo "FAIL: '$pattern' found:"
    echo "$hits"
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: no retired citation or unit spelling in ${existing[*]}"
exit $status
