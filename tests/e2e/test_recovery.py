"""Crash recovery for real: the app edits and trains, is killed with SIGKILL, starts again and
restores exactly what it had, unsaved, from its journal; a clean exit leaves no journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

DRIVER = Path(__file__).with_name("recovery_driver.py")


def start(mode: str, out: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(DRIVER.parents[2])}
    return subprocess.Popen([sys.executable, str(DRIVER), mode, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def line_starting(proc: subprocess.Popen, word: str) -> dict:
    for line in proc.stdout:
        if line.startswith(word + " "):
            return json.loads(line[len(word) + 1:])
    raise AssertionError(f"no {word} line; stderr: {proc.stderr.read()[-3000:]}")


def test_killed_app_restores_its_unsaved_edits_and_trained_weights(tmp_path) -> None:
    first = start("edit", tmp_path)
    try:
        before = line_starting(first, "READY")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert len(before["journals"]) == 1
    second = start("restore", tmp_path)
    after = line_starting(second, "RESTORED")
    closed = line_starting(second, "CLOSED")
    assert second.wait(60) == 0
    assert after["document"] == before["document"]  # edits and the paused run's weights, exactly
    assert after["modified"] and after["window_modified"]  # unsaved, and the title bar says so
    assert [title for title, _ in after["asked"]] == ["spiral (example)"]
    assert after["asked"][0][1] >= 30  # it said how much training the journal holds
    assert before["journals"][0] not in after["journals"]  # the dead app's journal is gone …
    assert len(after["journals"]) == 1  # … and the restored document journals under the new app
    assert closed["journals"] == []  # a clean exit leaves nothing to recover
    weights = [c["weight"] for c in after["document"]["connections"]]
    assert all(w is not None for w in weights[:10])  # trained values, not "random at start"
    labels = [n["label"] for n in after["document"]["neurons"]]
    assert "first" in labels and after["document"]["training"]["learning_rate"] == 0.02
