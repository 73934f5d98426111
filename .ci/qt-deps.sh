#!/usr/bin/env bash
# Install the system libraries Qt needs (offscreen and xcb) plus Xvfb, but only when some are
# missing and we are root on Debian/Ubuntu; otherwise say what is missing and carry on.
set -euo pipefail
PACKAGES=(libglib2.0-0 libdbus-1-3 libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core
          xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
command -v dpkg-query >/dev/null || { echo "qt-deps: not Debian/Ubuntu; skipping system packages"; exit 0; }
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "qt-deps: missing ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "qt-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
