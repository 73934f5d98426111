"""The real window (offscreen) training `spiral` (2-8-8-1) and `xor` at full speed: is the GUI
still smooth, and does the app train as fast as the engine does headless?

Reports, for the thread runner and the process runner, each on a quiet machine and beside a busy
neighbour (one more process spinning a core, as another app would), measured in the same run:
GUI 16 ms timer lateness p50/p99 while training and while idle, epochs/s in the app against the
same training headless through the engine's loop (ratio), and plot updates per second. Run:

    .venv/bin/python benchmarks/gui_bench.py [--seconds 6] [--examples spiral,xor]

The last line is one JSON object: {"machine", "load", "results": {example: {runner/neighbour: {...}}}}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
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


class Headless:
    """The same training through the engine's loop alone (no snapshots published), in segments."""

    def __init__(self, doc) -> None:
        self.session = build.prepare_training(doc).session
        start = time.perf_counter()
        run(self.session, RunOptions(epochs=50))  # calibrate: how many epochs fill a segment
        self.rate = 50 / (time.perf_counter() - start)

    def segment(self, seconds: float) -> float:
        """Epochs/s over about ``seconds`` of uninterrupted headless training."""
        epochs = max(20, int(self.rate * seconds))
        start = time.perf_counter()
        run(self.session, RunOptions(epochs=epochs))
        self.rate = epochs / (time.perf_counter() - start)
        return self.rate


class BusyNeighbour:
    """Another process keeping one core busy (the machine has two), while the block runs."""

    def __enter__(self) -> BusyNeighbour:
        self.proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


def measure(runner: str, seconds: float, app, example: str = "spiral", rounds: int = 5) -> dict[str, float]:
    """Paired rounds: the app trains a segment (the GUI timer probed meanwhile), pauses, and the
    engine trains the same project headless for as long; each round's app/headless ratio is one
    sample, so the machine's drift (other users) hits both sides of a pair alike."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, runner=runner)
    win.ask_save_changes = lambda: "discard"
    win.show_error = lambda title, message: print(f"{title}: {message}", file=sys.stderr)
    win.resize(1400, 900)
    win.show()
    win.open_example(example)
    win.controller.set_training(epochs=10_000_000)
    headless = Headless(win.controller.doc)
    idle = lateness(app, 1.0)
    frames: list[float] = []
    win.training.snapshot.connect(lambda _: frames.append(time.perf_counter()))
    win.training.play()
    deadline = time.perf_counter() + 15
    while win.training.history.epochs < 3 and time.perf_counter() < deadline:  # worker is up
        app.processEvents()
    segment = seconds / rounds
    busy, ratios, app_rates, head_rates, fps = [], [], [], [], []
    for _ in range(rounds):
        win.training.play()
        first_epoch, started = win.training.history.epochs, time.perf_counter()
        busy.append(lateness(app, segment))
        elapsed = time.perf_counter() - started
        app_rates.append((win.training.history.epochs - first_epoch) / elapsed)
        fps.append(sum(1 for t in frames if t >= started) / elapsed)
        win.training.pause()
        lateness(app, 0.1)  # the pause arrives; the last snapshot is drawn
        head_rates.append(headless.segment(segment))
        ratios.append(app_rates[-1] / head_rates[-1])
    win.training.stop()
    win.close()
    app.processEvents()
    lat = np.concatenate(busy)
    return {
        "lateness_p50_ms": round(float(np.percentile(lat, 50)), 2),
        "lateness_p99_ms": round(float(np.percentile(lat, 99)), 2),
        "idle_lateness_p99_ms": round(float(np.percentile(idle, 99)), 2),
        "app_epochs_per_s": round(float(np.median(app_rates)), 1),
        "headless_epochs_per_s": round(float(np.median(head_rates)), 1),
        "ratio": round(float(np.median(ratios)), 3),
        "ratio_min": round(float(np.min(ratios)), 3),
        "ratio_max": round(float(np.max(ratios)), 3),
        "plot_fps": round(float(np.median(fps)), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--examples", default="spiral,xor")
    parser.add_argument("--runners", default="thread,process")
    args = parser.parse_args()
    app = application()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for example in args.examples.split(","):
        results[example] = {}
        for neighbour in ("quiet", "busy"):
            for runner in args.runners.split(","):
                if neighbour == "busy":
                    with BusyNeighbour():
                        r = measure(runner, args.seconds, app, example)
                else:
                    r = measure(runner, args.seconds, app, example)
                r["load"] = [round(v, 2) for v in os.getloadavg()]
                results[example][f"{runner}/{neighbour}"] = r
                print(f"{example:7} {runner:8} {neighbour:6} lateness p50 {r['lateness_p50_ms']:6.2f} ms  "
                      f"p99 {r['lateness_p99_ms']:6.2f} ms (idle p99 {r['idle_lateness_p99_ms']:.2f})  "
                      f"app {r['app_epochs_per_s']:8.1f} ep/s  headless {r['headless_epochs_per_s']:8.1f}  "
                      f"ratio {r['ratio']:.2f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f})  "
                      f"plots {r['plot_fps']:.1f}/s", flush=True)
    print(json.dumps({"cpus": os.cpu_count(), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
