#!/usr/bin/env bash
# Opens a study report in headless Chromium (Debian's `chromium` package, not a build dependency)
# and saves a full-page screenshot: how to look at report/index.html on a machine without a display.
#   scripts/screenshot-report.sh out/report/index.html out/report/screenshot.png [width]
set -euo pipefail
page=${1:?usage: $0 REPORT.html SCREENSHOT.png [WIDTH]}
shot=${2:?usage: $0 REPORT.html SCREENSHOT.png [WIDTH]}
width=${3:-1300}
command -v chromium >/dev/null || { echo "chromium is not installed: apt-get install chromium" >&2; exit 1; }
[ -f "$page" ] || { echo "$page: no such report" >&2; exit 1; }
# The page's height decides the screenshot's: a tall window, trimmed of blank space by the viewer.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,9000" \
  --screenshot="$(realpath -m "$shot")" "file://$(realpath "$page")" 2>/dev/null
echo "screenshot of $page: $shot"
