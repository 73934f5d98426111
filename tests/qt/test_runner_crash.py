"""A training process that dies is noticed at once: the user is told why in one line, the last
snapshot's weights are kept as an undo step, and Play starts a new run."""

from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import QSettings

from tests.qt.conftest import open_window


@pytest.fixture
def process_window(qtbot, settings):
    win = open_window(qtbot, settings, "process")
    yield win
    win.training.stop()


def test_a_killed_worker_is_noticed_keeps_its_weights_and_play_works_again(process_window, qtbot) -> None:
    win = process_window
    messages: list[str] = []
    win.training.message.connect(messages.append)
    win.training.problem.connect(lambda title, text: messages.append(f"{title}: {text}"))
    win.open_example("spiral")
    win.controller.set_training(epochs=10**7)
    before = {c.id: c.weight for c in win.controller.doc.connections.values()}
    win.training.play()
    qtbot.waitUntil(lambda: win.training.history.epochs >= 20, timeout=20000)
    undo_steps = len(win.controller.stack.entries)
    os.kill(win.training.runner._proc.pid, signal.SIGKILL)
    for lr in (0.02, 0.01, 0.005):  # live changes race the crash: none may wedge the runner
        win.controller.set_training(learning_rate=lr)
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=5000)
    assert any("ended unexpectedly" in m for m in messages), messages
    assert len(win.controller.stack.entries) > undo_steps  # the run's weights: one undo step
    trained = {c.id: c.weight for c in win.controller.doc.connections.values()}
    assert trained != before and all(w is not None for w in trained.values())
    assert win.act_play.text() == "&Play"
    win.training.play()  # the runner starts again
    qtbot.waitUntil(lambda: win.training.state == "running", timeout=5000)
    qtbot.waitUntil(lambda: win.training.history.epochs >= 40, timeout=20000)
    win.training.stop()
    assert win.training.state == "idle"


def test_a_live_batch_size_typed_into_the_panel_keeps_the_run_alive(process_window, qtbot) -> None:
    win = process_window
    win.open_example("spiral")
    win.controller.set_training(epochs=10**7)
    win.training.play()
    qtbot.waitUntil(lambda: win.training.history.epochs >= 10, timeout=20000)
    win.training_panel.editor("batch_size").input.setValue(5)
    at = win.training.history.epochs
    qtbot.waitUntil(lambda: win.training.history.epochs >= at + 20, timeout=20000)
    assert win.training.state == "running"


def test_a_bug_inside_the_thread_runner_ends_the_run_visibly(qtbot, tmp_path, monkeypatch) -> None:
    from engine.session import MLPSession

    win = open_window(qtbot, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), "thread")
    problems: list[str] = []
    win.training.problem.connect(lambda title, text: problems.append(text))
    win.open_example("xor")
    win.controller.set_training(epochs=10**7)
    calls = {"n": 0, "start": None}
    original = MLPSession.train_epoch

    def flaky(self) -> float:
        # fails once epochs have been published (snapshots go out every ~33 ms; 200 xor epochs
        # alone can take less than that now)
        import time

        calls["n"] += 1
        calls["start"] = calls["start"] or time.monotonic()
        if calls["n"] > 200 and time.monotonic() - calls["start"] > 0.3:
            raise RuntimeError("a bug")
        return original(self)

    monkeypatch.setattr(MLPSession, "train_epoch", flaky)
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=10000)
    assert problems and "Training failed: RuntimeError('a bug')" in problems[-1]
    assert "were kept" in problems[-1]
    monkeypatch.setattr(MLPSession, "train_epoch", original)
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "running", timeout=5000)
    win.training.stop()
