#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, pytest (GUI offscreen; the end-to-end test
# under Xvfb when it is there), then the built wheel in a fresh venv, outside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/qt-deps.sh
bash .ci/setup-venv.sh "[test]"
# PyTorch for the torch-export tests: only the CPU wheel (the "+cpu" local version is never on PyPI,
# so this can not pull the multi-GB CUDA build); ~20 s from the wheel on disk. Without it those
# tests skip with the reason.
.venv/bin/python -c "import torch" 2>/dev/null \
  || .venv/bin/python -m pip install -q --disable-pip-version-check "torch==2.13.0+cpu" 2>/dev/null \
  || echo "torch==2.13.0+cpu is not available here: the PyTorch export tests will skip"
.venv/bin/ruff check .
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p no:cacheprovider "$@"

echo "--- the installed wheel finds its resources outside the checkout"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel -q --no-deps --disable-pip-version-check -w "$work/dist" .
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$work"/dist/*.whl
(cd "$work" && venv/bin/nn-playground examples >examples.txt && grep -q "^xor	" examples.txt \
  && venv/bin/nn-playground train digits --epochs 1 >/dev/null \
  && venv/bin/nn-playground export xor xor_net.py >/dev/null && echo 0,1 | venv/bin/python xor_net.py >/dev/null \
  && venv/bin/nn-playground recall hopfield-letters --pattern A >/dev/null \
  && QT_QPA_PLATFORM=offscreen venv/bin/python -c "import playground.main_window" \
  && venv/bin/nn-playground render xor --out xor.png >/dev/null 2>&1) \
  || { echo "the wheel does not work outside the checkout" >&2; exit 1; }
echo "wheel ok"
