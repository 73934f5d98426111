"""What both runners share: the signals the GUI listens to and the one-slot mailbox behind them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from engine.trainer import RunResult, Snapshot
from playground.training.mailbox import Mailbox


class RunnerBase(QObject):
    progress = Signal(object)  # Snapshot, in the GUI thread, at most one pending at a time
    finished = Signal(object)  # RunResult, after the worker has been joined
    _mail = Signal()  # emitted from the worker side: queued into the GUI thread
    _done = Signal(int)  # the id of the run that ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mailbox = Mailbox()
        self._run_id = 0
        self._result: RunResult | None = None
        self._mail.connect(self._deliver)
        self._done.connect(self._joined)

    def post(self, snap: Snapshot) -> None:
        """Called on the worker side: keep the snapshot, wake the GUI only if it is not yet due."""
        if self.mailbox.put(snap):
            self._mail.emit()

    @Slot()
    def _deliver(self) -> None:
        snap = self.mailbox.take()
        if snap is not None:
            self.progress.emit(snap)

    @Slot(int)
    def _joined(self, run_id: int) -> None:
        raise NotImplementedError
