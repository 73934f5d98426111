"""Autosave: unsaved work (and a run's newest weights) goes to this app's journal within ~2 s.

The GUI thread only takes a copy of the document as plain data (a few ms for a large net); the
JSON text is made and written atomically by one background thread. A save or a clean exit
discards the journal; ``recovery.py`` offers a dead app's journal back on start.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from playground.controller import Controller
from playground.document.fileformat import document_to_data
from playground.document.journal import Journal
from playground.training.controller import TrainingController

DELAY_MS = 2000


def default_folder() -> Path:
    """Where journals live: the user's data folder (QStandardPaths), never the working directory."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


class Autosave(QObject):
    def __init__(self, controller: Controller, training: TrainingController, folder: Path,
                 parent: QObject | None = None, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.controller, self.training = controller, training
        self.journal = Journal(folder)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending: Future | None = None
        self.error: str | None = None  # why the last journal write failed, if it did
        self._lock = threading.Lock()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.write_now)
        controller.history_changed.connect(self._changed)
        training.snapshot.connect(lambda _snap: self._changed())

    def _changed(self) -> None:
        """Throttled, not debounced: steady typing or training still journals every ~2 s."""
        if self.controller.modified or self.training.state != "idle":
            if not self.timer.isActive():
                self.timer.start()
        else:  # just saved, or undone back to the saved state: nothing to recover
            self.timer.stop()
            self.discard()

    def write_now(self) -> None:
        """Journal the document as it is now, with a running or stopped run's newest weights."""
        c = self.controller
        if not c.modified and self.training.state == "idle":
            return
        data = document_to_data(c.doc)
        epochs = 0
        live = self.training.live_values() if self.training.state != "idle" else None
        if live is not None:
            weights, biases = live
            for conn in data["connections"]:
                conn["weight"] = weights.get(conn["id"], conn["weight"])
            for neuron in data["neurons"]:
                neuron["bias"] = biases.get(neuron["id"], neuron["bias"])
            epochs = self.training.history.epochs
        title = c.display_name
        with self._lock:
            self._pending = self._writer.submit(self._write, data, title, c.path, epochs)

    def _write(self, data: dict, title: str, path: Path | None, epochs: int) -> None:
        try:
            self.journal.write(data, title, path, epochs)
            self.error = None
        except OSError as exc:  # a full disk must not break editing; the next write tries again
            self.error = str(exc)

    def flush(self) -> None:
        """Wait for the journal write under way (tests, and before discarding)."""
        with self._lock:
            pending = self._pending
        if pending is not None:
            pending.result()

    def discard(self) -> None:
        self.flush()
        self.journal.discard()

    def close(self) -> None:
        """A clean exit: no journal stays behind."""
        self.timer.stop()
        self.discard()
        self._writer.shutdown(wait=True)
