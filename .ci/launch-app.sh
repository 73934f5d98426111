#!/usr/bin/env bash
# Install the app into .venv and open it with the xor example (extra arguments go to the app).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/qt-deps.sh
bash .ci/setup-venv.sh
exec .venv/bin/nn-playground "$@"  # no argument: the xor example
