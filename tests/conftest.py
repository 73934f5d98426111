"""Shared test set-up: Qt renders offscreen unless a real display was chosen (e.g. xvfb-run)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
