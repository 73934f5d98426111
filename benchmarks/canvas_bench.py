"""A 500-neuron / 10,000-wire network in the real window (offscreen): is the canvas usable?

Generates a 2-71×7-1 net (inputs and output fully wired, each pair of hidden layers wired at
about a third of its possible wires, every weight set), saves it as a project file and opens it in
the real ``MainWindow``. Measures, in one run: opening to a painted canvas, frames per second
while panning at zoom 1 (each frame a forced full repaint of the viewport), Select All, deleting
100 selected neurons (one undo step) and undoing it, one wire-weight edit through the controller,
and one training-setting edit with the ``digits`` example open — each with every view updated
(events processed until idle). Run:

    .venv/bin/python benchmarks/canvas_bench.py [--frames 60] [--repeats 3]

The last line is one JSON object: open_s, pan_fps, select_all_ms, delete_100_ms, undo_100_ms,
edit_ms, digits_edit_ms (medians over repeats), the Training panel's share of the digits edit and
the status-bar validation's share of the delete and undo (``validate`` is not the canvas's code).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QSettings

from playground import window_document
from playground.document.fileformat import save_document
from playground.document.model import Connection, DatasetSpec, Document, Neuron
from playground.main_window import MainWindow, application

HIDDEN_LAYERS, HIDDEN_WIDTH, WIRES = 7, 71, 10_000


def big_document(seed: int = 0) -> Document:
    """2 inputs, 7 hidden layers of 71, 1 output: 500 neurons and exactly 10,000 weighted wires."""
    rng = np.random.default_rng(seed)
    sizes = [2] + [HIDDEN_WIDTH] * HIDDEN_LAYERS + [1]
    doc = Document(title="500 neurons, 10,000 wires", dataset=DatasetSpec("xor"))
    layers: list[list[str]] = []
    for depth, size in enumerate(sizes):
        role = "input" if depth == 0 else "output" if depth == len(sizes) - 1 else "hidden"
        prefix = {"input": "x", "hidden": "h", "output": "o"}[role]
        ids = []
        for row in range(size):
            nid = f"{prefix}{len(doc.neurons) + 1}"
            x, y = -1600 + 400 * depth, (row - (size - 1) / 2) * 48.0
            act = {"input": "linear", "hidden": "tanh", "output": "sigmoid"}[role]
            doc.neurons[nid] = Neuron(nid, role, nid, (x, y), act, None if role == "input" else 0.0,
                                      role != "input")
            ids.append(nid)
        layers.append(ids)
    pairs = list(itertools.pairwise(layers))
    dense = sum(len(a) * len(b) for a, b in (pairs[0], pairs[-1]))
    sparse = pairs[1:-1]
    share = [(WIRES - dense) // len(sparse)] * len(sparse)
    share[0] += (WIRES - dense) - sum(share)
    for k, (a, b) in enumerate(pairs):
        cells = len(a) * len(b)
        picked = range(cells) if k in (0, len(pairs) - 1) else np.sort(
            rng.choice(cells, share[k - 1], replace=False))
        for cell in picked:
            cid = f"c{len(doc.connections) + 1}"
            doc.connections[cid] = Connection(cid, a[cell // len(b)], b[cell % len(b)],
                                              float(rng.normal()))
    assert len(doc.neurons) == 500 and len(doc.connections) == WIRES
    return doc


def fmt(values: list[float], digits: int) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def settle(app) -> None:
    """Process events until idle: queued scene updates, then the paints they post."""
    for _ in range(3):
        app.processEvents()


def timed_ms(app, action) -> float:
    start = time.perf_counter()
    action()
    settle(app)
    return (time.perf_counter() - start) * 1000


def pan_fps(win: MainWindow, app, frames: int) -> float:
    """Zoom 1 on the middle of the net, then scroll a few pixels per frame and repaint it all."""
    view = win.view
    view.resetTransform()
    view.centerOn(0, 0)
    settle(app)
    bar = view.horizontalScrollBar()
    start = time.perf_counter()
    for k in range(frames):
        bar.setValue(bar.value() + (12 if (k // 20) % 2 == 0 else -12))
        view.viewport().repaint()
    return frames / (time.perf_counter() - start)


class ValidationClock:
    """Times the status bar's validate() (playground.document.validation, not canvas code)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._validate = window_document.validation_errors
        window_document.validation_errors = self

    def __call__(self, doc):
        start = time.perf_counter()
        try:
            return self._validate(doc)
        finally:
            self.seconds += time.perf_counter() - start


def panel_share(app, action, filename: str) -> tuple[float, float]:
    """(total ms, ms inside functions of ``filename``) for one action, under cProfile."""
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    action()
    settle(app)
    profile.disable()
    total = (time.perf_counter() - start) * 1000
    stats = pstats.Stats(profile).stats
    inside = max((v[3] for (file, _, _), v in stats.items() if file.endswith(filename)), default=0.0)
    return total, inside * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3, help="medians of this many runs")
    args = parser.parse_args()
    app = application()
    folder = Path(tempfile.mkdtemp())
    path = folder / "big.json"
    save_document(big_document(), path)
    win = MainWindow(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))
    win.ask_save_changes = lambda: "discard"
    win.show_error = lambda title, message: print(f"{title}: {message}", file=sys.stderr)
    win.resize(1400, 900)
    win.show()
    settle(app)

    def open_big() -> None:
        assert win.open_path(path)
        settle(app)
        win.view.viewport().repaint()

    opens = []
    for _ in range(args.repeats):  # each from an empty canvas: every item is made anew
        win.controller.reset(Document(), None)
        settle(app)
        opens.append(timed_ms(app, open_big) / 1000)
    open_s = statistics.median(opens)
    print(f"open {open_s:.3f} s ({len(win.scene.wires)} wires; runs {fmt(opens, 3)})", flush=True)

    fps = pan_fps(win, app, args.frames)
    print(f"pan at zoom 1: {fps:.1f} frames/s", flush=True)

    selects = []
    for _ in range(args.repeats):
        win.scene.clearSelection()
        settle(app)
        selects.append(timed_ms(app, win.select_all))
        n_sel, w_sel = win.scene.selected_ids()
        assert len(n_sel) == 500 and len(w_sel) == WIRES
    select_ms = statistics.median(selects)
    print(f"select all: {select_ms:.1f} ms (runs {fmt(selects, 1)})", flush=True)

    doc = win.controller.doc
    victims = [n.id for n in doc.neurons.values() if n.role == "hidden"][100:200]
    touching = len(doc.wires_of(victims))
    deletes, undos, checks = [], [], []
    clock = ValidationClock()
    for _ in range(args.repeats):
        win.scene.select_ids(victims)
        settle(app)
        clock.seconds = 0.0
        deletes.append(timed_ms(app, win.delete_selection))
        assert len(doc.neurons) == 400 and len(win.scene.wires) == WIRES - touching
        undos.append(timed_ms(app, win.controller.undo))
        assert len(doc.neurons) == 500 and len(win.scene.wires) == WIRES
        checks.append(clock.seconds * 1000)
    delete_ms, undo_ms = statistics.median(deletes), statistics.median(undos)
    validation_ms = statistics.median(checks)
    print(f"delete 100 neurons ({touching} wires): {delete_ms:.1f} ms (runs {fmt(deletes, 1)}), "
          f"undo {undo_ms:.1f} ms (runs {fmt(undos, 1)}); validate() took {validation_ms:.1f} ms "
          f"of both together", flush=True)

    win.scene.clearSelection()
    settle(app)
    cid = next(iter(doc.connections))
    edits = [timed_ms(app, lambda w=w: win.controller.set_weight(cid, w))
             for w in np.linspace(-0.5, 0.5, 9)]
    edit_ms = statistics.median(edits)
    print(f"one weight edit: {edit_ms:.2f} ms (median of {len(edits)})", flush=True)

    win.open_example("digits")
    win.docks["training"].raise_()  # its form is made when the tab shows, and refreshes on each edit
    settle(app)
    rates = [0.05, 0.04] * 5
    digits = [timed_ms(app, lambda r=r: win.controller.set_training(learning_rate=r)) for r in rates]
    digits_ms = statistics.median(digits)
    total, panel = panel_share(app, lambda: win.controller.set_training(learning_rate=0.06),
                               "panels/training.py")
    print(f"digits: one training-setting edit {digits_ms:.2f} ms (median of {len(digits)}); "
          f"under cProfile the Training panel took {panel:.1f} of {total:.1f} ms", flush=True)

    win.close()
    settle(app)
    print(json.dumps({
        "open_s": round(open_s, 3), "pan_fps": round(fps, 1), "select_all_ms": round(select_ms, 1),
        "delete_100_ms": round(delete_ms, 1), "undo_100_ms": round(undo_ms, 1),
        "edit_ms": round(edit_ms, 2), "digits_edit_ms": round(digits_ms, 2),
        "delete_undo_validation_ms": round(validation_ms, 1),
        "digits_training_panel_share": round(panel / total, 3) if total else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
