"""The real window (offscreen) training `spiral` (2-8-8-1) at full speed: is the GUI still smooth?

Reports, for the process runner (the default) and the thread runner, measured in the same run:
GUI 16 ms timer lateness p50/p99 while training and while idle, epochs/s in the app against the
same training headless through the engine, and plot updates per second. Run:

    .venv/bin/python benchmarks/gui_bench.py [--seconds 6]

The last line is one JSON object (the default runner's numbers, plus a "runners" breakdown).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer

from engine.trainer import RunOptions, run
from playground.document import build
from playground.main_window import MainWindow, application

TICK_MS = 16


class LatenessProbe:
    """A precise 16 ms timer: how late its ticks come shows how busy the GUI thread is."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.stamps: list[int] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(lambda: self.stamps.append(self.clock.nsecsElapsed()))
        self.timer.start(TICK_MS)

    def stop(self) -> np.ndarray:
        """Each tick's lateness in ms."""
        self.timer.stop()
        gaps = np.diff(np.array(self.stamps, dtype=np.float64)) / 1e6
        return np.maximum(gaps - TICK_MS, 0.0)


def lateness(app, seconds: float) -> np.ndarray:
    """How late a 16 ms timer fires (ms) while the event loop runs for ``seconds``."""
    probe = LatenessProbe()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)
    return probe.stop()


def headless_rate(doc, seconds: float) -> float:
    prepared = build.prepare_training(doc)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        run(prepared.session, RunOptions(epochs=20))
    return prepared.session.epoch / (time.perf_counter() - start)


def measure(runner: str, seconds: float, app) -> dict[str, float]:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, runner=runner)
    win.ask_save_changes = lambda: "discard"
    win.show_error = lambda title, message: print(f"{title}: {message}", file=sys.stderr)
    win.resize(1400, 900)
    win.show()
    win.open_example("spiral")
    win.controller.set_training(epochs=10_000_000)
    # headless before and after the app's run, averaged: the VM's speed drifts over seconds
    head_before = headless_rate(win.controller.doc, seconds / 4)
    idle = lateness(app, 1.5)
    frames = []
    win.training.snapshot.connect(lambda _: frames.append(time.perf_counter()))
    win.training.play()
    deadline = time.perf_counter() + 15
    while win.training.history.epochs < 3 and time.perf_counter() < deadline:  # worker is up
        app.processEvents()
    first_epoch, started = win.training.history.epochs, time.perf_counter()
    busy = lateness(app, seconds)
    trained = win.training.history.epochs - first_epoch
    app_rate = trained / (time.perf_counter() - started)
    fps = sum(1 for t in frames if t >= started) / (time.perf_counter() - started)
    win.training.stop()
    win.close()
    app.processEvents()
    head = (head_before + headless_rate(win.controller.doc, seconds / 4)) / 2
    return {
        "lateness_p50_ms": round(float(np.percentile(busy, 50)), 2),
        "lateness_p99_ms": round(float(np.percentile(busy, 99)), 2),
        "idle_lateness_p99_ms": round(float(np.percentile(idle, 99)), 2),
        "app_epochs_per_s": round(app_rate, 1),
        "headless_epochs_per_s": round(head, 1),
        "ratio": round(app_rate / head, 3),
        "plot_fps": round(fps, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    app = application()
    results = {runner: measure(runner, args.seconds, app) for runner in ("process", "thread")}
    for runner, r in results.items():
        print(f"{runner:8} lateness p50 {r['lateness_p50_ms']:6.2f} ms  p99 {r['lateness_p99_ms']:6.2f} ms "
              f"(idle p99 {r['idle_lateness_p99_ms']:.2f})  app {r['app_epochs_per_s']:7.1f} ep/s  "
              f"headless {r['headless_epochs_per_s']:7.1f} ep/s  ratio {r['ratio']:.2f}  "
              f"plots {r['plot_fps']:.1f}/s")
    print(json.dumps({**results["process"], "runners": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
