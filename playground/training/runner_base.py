"""What both runners share: the signals the GUI listens to and the one-slot mailbox behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from playground.training.mailbox import Mailbox

if TYPE_CHECKING:
    from engine.trainer import RunResult, Snapshot


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
        self.last_epoch = 0  # of the newest snapshot posted: what a crashed run still reached
        self._mail.connect(self._deliver)
        self._done.connect(self._joined)

    def _next_run(self) -> int:
        """A new run's id; results and snapshots of older runs are told apart by it."""
        self._run_id += 1
        self.last_epoch = 0
        return self._run_id

    def post(self, snap: Snapshot) -> None:
        """Called on the worker side: keep the snapshot, wake the GUI only if it is not yet due."""
        self.last_epoch = snap.epoch
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


def crashed_result(epochs: int, message: str) -> RunResult:
    """A run that ended by failing: the epochs its last snapshot reached, so they are kept."""
    from engine.trainer import RunResult

    return RunResult(epochs, "crashed", None, message)


def describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by signal {-code}"
    return f"exit code {code}"
