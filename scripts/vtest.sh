#!/usr/bin/env bash
# `stride video track` on a real video no one here made: OpenCV's sample vtest.avi (pedestrians
# outdoors, 768x576, 10 fps, 795 frames), taken from Debian's opencv-doc package and checked
# against its published hash. No ground truth comes with it, so this reports what can be said
# without one (docs/video.md): that two runs give the same tracks, how long the tracks last, how
# many start or end away from the frame's edges; and it writes the annotated video to look at.
#   scripts/vtest.sh [STRIDE] [OUT]      (defaults: build/src/stride, out/vtest)
set -euo pipefail
stride=$(realpath "${1:-build/src/stride}")
out=${2:-out/vtest}
sha256=45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
member=./usr/share/doc/opencv-doc/examples/data/vtest.avi
mkdir -p "$out"
cd "$out"

if ! echo "$sha256  vtest.avi" | sha256sum --check --status 2>/dev/null; then
  echo "fetching vtest.avi from Debian's opencv-doc (96 MB, once)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download opencv-doc >/dev/null 2>&1) || {
    echo "vtest: apt-get download opencv-doc failed (is Debian's archive reachable?)" >&2
    exit 1
  }
  dpkg-deb --fsys-tarfile "$work"/opencv-doc_*.deb | tar -x -C "$work" "$member"
  echo "$sha256  $work/$member" | sha256sum --check --status || {
    echo "vtest: the vtest.avi in this opencv-doc is not the one expected (sha256 $sha256)" >&2
    exit 1
  }
  mv "$work/$member" vtest.avi.partial && mv vtest.avi.partial vtest.avi
fi

"$stride" video track vtest.avi -o tracks.csv --annotate vtest-tracks.avi --silhouettes silhouettes \
  --json track.json
"$stride" video track vtest.avi -o tracks-again.csv >/dev/null 2>&1
if cmp -s tracks.csv tracks-again.csv; then
  echo "deterministic: a second run gave the same tracks, byte for byte"
else
  echo "NOT deterministic: a second run gave other tracks (diff tracks.csv tracks-again.csv)"
  exit 1
fi
echo "wrote $out/tracks.csv, $out/vtest-tracks.avi (the tracks drawn), $out/silhouettes/, $out/track.json"
