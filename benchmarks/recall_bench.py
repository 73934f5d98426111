"""Is a 32×32 Hopfield recall animation smooth? The real lab (offscreen), recalls back to back.

For each speed, the lab recalls corrupted copies of stored patterns one after another for a few
seconds (the worker thread updates units, the GUI draws frames) and we count, per second, the
frames the lab drew and the times the unit grid actually repainted, and how late a 16 ms GUI timer
fired meanwhile. Target: at least 25 frames per second. Run:

    .venv/bin/python benchmarks/recall_bench.py [--seconds 4]

The last line is one JSON object: speed -> {"frames_per_s", "paints_per_s", "lateness_p99_ms",
"unit_updates_per_s", "recalls"}.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from gui_bench import LatenessProbe
from PySide6.QtCore import QSettings

from engine import hopfield
from playground.main_window import MainWindow, application

SIDE = 32
PATTERNS = 40  # load 40/1024 ≈ 0.04: well inside capacity, so each recall cleans up
NOISE = 35  # per cent of bits flipped in each start: a few sweeps of visible clean-up


def open_lab(app) -> MainWindow:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    win.ask_save_changes = lambda: "discard"
    win.resize(1400, 900)
    win.show()
    win.open_example("hopfield-letters")
    patterns = hopfield.random_patterns(PATTERNS, SIDE * SIDE, np.random.default_rng(7))
    win.controller.set_hopfield("Benchmark memory", shape=(SIDE, SIDE), patterns=patterns.tolist(),
                                pattern_names=[f"P{k}" for k in range(PATTERNS)],
                                state=patterns[0].tolist(), weights=None)
    lab = win.hopfield_lab
    lab.noise.setValue(NOISE)
    app.processEvents()
    return win


def animate(win: MainWindow, app, speed: int, seconds: float) -> dict[str, float]:
    """Recall after recall at ``speed`` sweeps/s for ``seconds``; frames, paints and lateness."""
    lab = win.hopfield_lab
    lab.speed.setValue(speed)
    paints = [0]
    grid_paint = lab.grid.paintEvent

    def counting_paint(event) -> None:
        paints[0] += 1
        grid_paint(event)

    lab.grid.paintEvent = counting_paint
    probe = LatenessProbe()
    frames_before, recalls, updates = lab.frames_drawn, 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if lab.recall is None:  # the last recall ended: start the next one, as a user would
            updates += lab.updates[-1] if recalls else 0
            lab.gallery.setCurrentRow(recalls % PATTERNS)
            lab.load_corrupted.click()
            lab.run_button.click()
            recalls += 1
        app.processEvents()
        time.sleep(0.0005)
    elapsed = time.perf_counter() - start
    updates += lab.recall.updates if lab.recall is not None else 0
    lab.stop()
    late = probe.stop()
    del lab.grid.paintEvent
    return {"frames_per_s": round((lab.frames_drawn - frames_before) / elapsed, 1),
            "paints_per_s": round(paints[0] / elapsed, 1),
            "lateness_p99_ms": round(float(np.percentile(late, 99)), 2),
            "unit_updates_per_s": round(updates / elapsed),
            "recalls": recalls}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    app = application()
    win = open_lab(app)
    results = {str(speed): animate(win, app, speed, args.seconds) for speed in (1, 5, 20)}
    win.close()
    print(f"32×32 recall animation, {PATTERNS} stored patterns, {NOISE} % noise, offscreen")
    for speed, r in results.items():
        flag = "" if r["frames_per_s"] >= 25 else "  (under the 25 frames/s target)"
        print(f"{speed:>3} sweeps/s: {r['frames_per_s']:5.1f} frames/s, "
              f"grid painted {r['paints_per_s']:5.1f}/s, "
              f"timer p99 late {r['lateness_p99_ms']:5.1f} ms, {r['unit_updates_per_s']:7d} unit updates/s, "
              f"{r['recalls']} recalls{flag}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
