#!/usr/bin/env bash
# Checks that the README's two commands work on a fresh Debian 12 machine: makes a minimal bookworm
# root with debootstrap, copies in the repository's committed files (HEAD, so work not yet committed
# is left out, as it would be from a clone), and runs `make run` then `make test` inside it with chroot.
# The root starts with nothing but the minbase variant and `make` (which has to be there before
# `make` can install anything), so the build passing proves that scripts/install-deps.sh installs
# everything else. Run it by hand, as root; it downloads about 2 GB and takes half an hour or more at
# 2 cores, which is why CI does not.
# Usage: scripts/check-fresh-machine.sh [--root DIR] [--log FILE] [--mirror URL]
#   --root    where the Debian root goes (default $FRESH_ROOT or /tmp/stride-fresh-machine); an
#             earlier root made by this script there is removed first
#   --log     the log of the whole check (default out/fresh-machine.log)
#   --mirror  the Debian mirror (default: the one this machine's apt sources use)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

root=${FRESH_ROOT:-/tmp/stride-fresh-machine}
log=out/fresh-machine.log
mirror=
while [ $# -gt 0 ]; do
  case $1 in
    --root) root=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "debootstrap and chroot need root" >&2; exit 2; }
# The marker file marks a root this script made, so that a mistyped --root never deletes anything else.
marker=.stride-fresh-machine
if [ -e "$root" ] && [ -n "$(ls -A "$root")" ] && [ ! -e "$root/$marker" ]; then
  echo "$root exists, is not empty and was not made by this script; choose another --root" >&2
  exit 2
fi

# The first Debian mirror in the machine's apt sources, one-line (.list) or deb822 (.sources) style.
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '^(deb|URIs:)[[:space:]]+[^[:space:]]+/debian/?([[:space:]]|$)' | head -n1 | awk '{print $2}') || true
  mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}

mkdir -p "$(dirname "$log")"
log=$(realpath "$log")
exec > >(tee "$log") 2>&1
step() { printf '\n=== %s: %s ===\n' "$(date '+%H:%M:%S')" "$*"; }

mounts=(proc sys dev)
unmount_all() {
  for m in "${mounts[@]}"; do
    if mountpoint -q "$root/$m"; then umount -R "$root/$m" || umount -lR "$root/$m"; fi
  done
}
trap unmount_all EXIT
trap 'exit 130' INT TERM  # so that an interrupted check unmounts too

if [ -e "$root/$marker" ]; then
  step "removing the earlier root $root"
  unmount_all
  rm -rf --one-file-system "$root"
fi

if ! command -v debootstrap > /dev/null; then
  step "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi

step "debootstrap --variant=minbase bookworm $root $mirror"
mkdir -p "$root"
touch "$root/$marker"
debootstrap --variant=minbase bookworm "$root" "$mirror"
# A fresh installation's sources: the release, its updates and its security fixes.
cat > "$root/etc/apt/sources.list" << EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"

step "copying the repository's HEAD ($(git rev-parse --short HEAD)) to /root/stride"
mkdir -p "$root/root/stride"
git archive HEAD | tar -x -C "$root/root/stride"

for m in "${mounts[@]}"; do
  mount --rbind "/$m" "$root/$m"
  mount --make-rslave "$root/$m"
done
in_root() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

step "installing make, which the README's commands need before they can install anything"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make

declare -A outcome
for target in run test; do
  step "make $target"
  if in_root bash -c "cd /root/stride && make $target"; then outcome[$target]=passed; else outcome[$target]=FAILED; fi
done

step "outcome (log: $log; root: $root, $(du -sh --one-file-system "$root" | cut -f1))"
status=0
for target in run test; do
  echo "make $target: ${outcome[$target]}"
  [ "${outcome[$target]}" = passed ] || status=1
done
exit $status
