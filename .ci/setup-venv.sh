#!/usr/bin/env bash
# Create .venv (if needed) and install the project into it; $1 = pip extras, e.g. "[test]".
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${1:-}"
