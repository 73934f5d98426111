"""Run by tests/e2e/test_recovery.py: the real app, killed with SIGKILL, then started again.

``python recovery_driver.py edit OUTDIR``: start the app, edit, train and pause, wait for the
journal, print the document it should come back as (one JSON line: "READY {...}"), then idle
until killed. ``python recovery_driver.py restore OUTDIR``: start the app, answer "Restore",
print the document and the window's state as one JSON line ("RESTORED {...}"), exit.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from playground.app import create_window
from playground.document.fileformat import document_to_data
from playground.document.journal import SUFFIX


def settle(seconds: float) -> None:
    app = QApplication.instance()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(condition, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        settle(0.05)


def edit(out: Path) -> None:
    win = create_window(["spiral"], QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat))
    c = win.controller
    c.set_training(learning_rate=0.02, epochs=10**7)
    c.add_neuron("hidden", (40.0, 300.0))
    c.set_neuron(next(iter(c.doc.neurons)), label="first")
    win.training.play()
    wait_for(lambda: win.training.history.epochs >= 30)
    win.training.pause()
    settle(0.3)  # the last snapshot before the pause arrives
    win.autosave.write_now()
    win.autosave.flush()
    data = document_to_data(c.doc)
    weights, biases = win.training.live_values()
    for conn in data["connections"]:
        conn["weight"] = weights.get(conn["id"], conn["weight"])
    for neuron in data["neurons"]:
        neuron["bias"] = biases.get(neuron["id"], neuron["bias"])
    journals = [p.name for p in (out / "recovery").glob(f"*{SUFFIX}")]
    print("READY " + json.dumps({"document": data, "journals": journals}), flush=True)
    settle(600)  # until the test kills us


def restore(out: Path) -> None:
    from playground.main_window import MainWindow

    asked = []
    MainWindow.ask_restore = lambda self, rec: asked.append((rec.title, rec.epochs)) or "restore"
    win = create_window([], QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat))
    settle(0.2)
    journals = [p.name for p in (out / "recovery").glob(f"*{SUFFIX}")]
    print("RESTORED " + json.dumps({"document": document_to_data(win.controller.doc),
                                    "modified": win.controller.modified, "asked": asked,
                                    "journals": journals, "window_modified": win.isWindowModified()}),
          flush=True)
    win.ask_save_changes = lambda: "discard"
    win.close()
    settle(0.2)
    left = [p.name for p in (out / "recovery").glob(f"*{SUFFIX}")]
    print("CLOSED " + json.dumps({"journals": left}), flush=True)


if __name__ == "__main__":
    {"edit": edit, "restore": restore}[sys.argv[1]](Path(sys.argv[2]))
