#!/usr/bin/env bash
# Create .venv (if needed) and install the project into it; $1 = pip extras, e.g. "[test]".
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -c "import ensurepip, venv" 2>/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    # Debian's system Python ships venv/ensurepip separately
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  "$PYTHON" -m venv .venv
fi
# install only when the venv is new or pyproject.toml (or the extras) changed: a second launch of
# the app must not wait ~20 s for pip to find out that nothing changed
stamp=".venv/.installed$(printf '%s' "${1:-}" | tr -c 'a-z0-9' '_')"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x .venv/bin/nn-playground ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${1:-}"
  echo "$want" >"$stamp"
fi
# byte-compile our own modules: pip does it for the packages it installs, not for an editable
# checkout, and with PYTHONDONTWRITEBYTECODE set (as on these machines) Python never caches them,
# so every launch would compile ~130 modules again (0.12 s of a 0.5 s start). Only changed files
# are compiled: a few ms when nothing changed.
.venv/bin/python -m compileall -q engine playground >/dev/null
