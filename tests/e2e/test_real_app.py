"""The real app in a real X server (Xvfb): build a net with the mouse, save, reopen, screenshot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("app_driver.py")


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (.ci/qt-deps.sh)")
def test_real_window_under_xvfb_builds_saves_reopens_and_screenshots(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(DRIVER.parents[2])}
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(DRIVER),
                           str(tmp_path)], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["platform"] == "xcb"
    assert result["started_with"] == "XOR with a hidden layer"
    assert result["saved"] and result["reopened"] and result["round_trip_equal"]
    assert result["neurons"] == 4 and len(result["connections"]) == 3
    assert "built.json" in result["title"]
    for name in ("window.png", "screen.png"):
        assert (tmp_path / name).stat().st_size > 10_000  # a real picture, not an empty file
    shots = os.environ.get("NN_PLAYGROUND_SHOTS")  # keep the screenshot when asked (README, review)
    if shots:
        shutil.copy(tmp_path / "window.png", Path(shots) / "e2e-window.png")
