"""Runs ``engine.trainer.run`` in a worker thread and hands snapshots to the GUI thread.

The worker touches no Qt object except emitting ``_mail``/``_done`` on this runner, which lives in
the GUI thread, so those signals arrive there queued. A plain ``threading.Thread`` is used: it can
be joined synchronously, and a thread object going away while running cannot abort the process
(the QThread pitfall measured in QT-NOTES).
"""

from __future__ import annotations

import dataclasses
import threading

from PySide6.QtCore import QObject, Slot

from engine.datasets import Dataset
from engine.trainer import Control, run
from playground.document.build import TrainingJob
from playground.training.extras import live_run
from playground.training.runner_base import RunnerBase, crashed_result

JOIN_SECONDS = 10.0
THREAD_YIELD_SECONDS = 0.0005


class TrainingRunner(RunnerBase):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control: Control | None = None
        self._thread: threading.Thread | None = None
        self._paused = False  # as the GUI knows it, like the process runner's flag

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def paused(self) -> bool:
        """Paused as far as the GUI knows: a loop that paused itself on divergence counts once its
        snapshot has arrived, so the state never runs ahead of the buttons."""
        return self._thread is not None and self._paused

    def start(self, job: TrainingJob) -> None:
        """Build ``job`` into a run here (once) and train it in a thread."""
        if self._thread is not None:
            raise RuntimeError("a run is already going")
        prepared = live_run(job)
        session = prepared.session
        # a thread shares the GIL with the GUI: let it in between slices
        options = dataclasses.replace(prepared.options, yield_seconds=THREAD_YIELD_SECONDS)
        self.control = Control()
        self.control.max_epochs_per_second = job.speed
        self._paused = False
        control = self.control
        run_id = self._next_run()

        def work() -> None:
            try:
                self._result = run(session, options, control, self.post)
            except Exception as exc:
                self._result = crashed_result(self.last_epoch, f"training failed: {exc!r}")
            self._done.emit(run_id)

        self._thread = threading.Thread(target=work, name="training", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        self._paused = True
        if self.control is not None:
            self.control.pause()

    def resume(self) -> None:
        self._paused = False
        if self.control is not None:
            self.control.resume()

    def patch(self, name: str, value: float) -> None:
        if self.control is not None:
            self.control.patch(name, value)

    def patch_data(self, data: Dataset) -> None:
        """Points drawn during the run: the loop trains on them from its next epoch."""
        if self.control is not None:
            self.control.set_data(data)

    def set_speed(self, epochs_per_second: float | None) -> None:
        if self.control is not None:
            self.control.max_epochs_per_second = epochs_per_second

    def stop(self) -> None:
        """Stop, join and emit ``finished`` before returning (structural edits rely on that)."""
        if self._thread is None or self.control is None:
            return
        self.control.stop()
        self._joined(self._run_id)

    @Slot(int)
    def _joined(self, run_id: int) -> None:
        if self._thread is None or run_id != self._run_id:
            return  # already handled by stop(), or a late signal from an earlier run
        self._thread.join(JOIN_SECONDS)
        self._thread = None
        self._deliver()  # the final snapshot, if the GUI has not taken it yet
        self.finished.emit(self._result)
