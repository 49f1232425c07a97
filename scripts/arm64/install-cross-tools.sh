#!/usr/bin/env bash
# The host tools an arm64 cross build needs: Debian's cross compilers, qemu-user (to run arm64 tests
# here) and mmdebstrap (to make the arm64 root). Installs what is missing when it can (root or sudo);
# otherwise says what to install and exits 2.
set -euo pipefail
declare -A package_of=([aarch64-linux-gnu-g++]=crossbuild-essential-arm64 [qemu-aarch64-static]=qemu-user-static
  [mmdebstrap]=mmdebstrap)
missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null || missing+=("${package_of[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "the arm64 build needs: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]}, as root)" >&2
    exit 2
  fi
  sudo_cmd=(sudo)
fi
echo "Installing the arm64 cross tools: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
# --no-install-recommends: the cross compiler's recommended libc6-dev-arm64-cross would make it take
# headers from /usr/aarch64-linux-gnu instead of the root it is given.
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
