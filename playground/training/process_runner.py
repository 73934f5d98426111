"""The same interface as ``TrainingRunner``, with the training loop in a child process.

Measured on 2-core machines (QT-NOTES, benchmarks/gui_bench.py): a thread shares the GIL with
pyqtgraph's Python painting and trains at a fraction of the headless rate; a process trains on its
own core. A relay thread here reads the child's frames into the same one-slot mailbox, so the GUI
side cannot tell the two apart.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from playground.training.runner_base import RunnerBase, crashed_result, describe_exit

if TYPE_CHECKING:
    from engine.datasets import Dataset
    from playground.document.build import TrainingJob

JOIN_SECONDS = 10.0


class ProcessRunner(RunnerBase):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._proc: subprocess.Popen | None = None
        self._relay: threading.Thread | None = None
        self._paused = False

    @property
    def running(self) -> bool:
        return self._proc is not None

    @property
    def paused(self) -> bool:
        return self.running and self._paused

    def start(self, job: TrainingJob) -> None:
        """Train ``job`` in a child process, which builds the run from it (the GUI builds none)."""
        from engine.trainer import Snapshot
        from playground.training.wire import encode_job, read_frame  # on the first run, not at start

        if self._proc is not None:
            raise RuntimeError("a run is already going")
        run_id = self._next_run()
        self._paused = False
        self._result = None
        proc = subprocess.Popen(
            [sys.executable, "-m", "playground.training.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._proc = proc
        self._write(encode_job(job))

        def relay() -> None:
            while True:
                frame = read_frame(proc.stdout)
                if frame is None:
                    break
                if isinstance(frame, Snapshot):
                    self.post(frame)
                else:
                    self._result = frame
            proc.wait()
            if self._result is None:  # the child died: say so instead of hanging
                err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
                why = err[-1] if err else describe_exit(proc.returncode)
                self._result = crashed_result(self.last_epoch,
                                              f"the training process ended unexpectedly ({why})")
            self._done.emit(run_id)

        self._relay = threading.Thread(target=relay, name="training-relay", daemon=True)
        self._relay.start()

    def _send(self, message: dict) -> None:
        """A control line (the child reads them after the job frame)."""
        self._write((json.dumps(message) + "\n").encode("utf-8"))

    def _write(self, data: bytes) -> None:
        if self._proc is None or self._proc.stdin is None:
            return
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.flush()
        except (OSError, ValueError):  # a pipe to a dead child, or one already closed
            pass  # the relay reports the child's end

    def pause(self) -> None:
        self._paused = True
        self._send({"cmd": "pause"})

    def resume(self) -> None:
        self._paused = False
        self._send({"cmd": "resume"})

    def patch(self, name: str, value: float) -> None:
        self._send({"cmd": "patch", "name": name, "value": value})

    def patch_data(self, data: Dataset) -> None:
        """Points drawn during the run: the child trains on them from its next epoch."""
        from playground.training.wire import data_message

        self._send(data_message(data))

    def set_speed(self, epochs_per_second: float | None) -> None:
        self._send({"cmd": "speed", "value": epochs_per_second})

    def stop(self) -> None:
        """Stop, wait for the child's last frame, and emit ``finished`` before returning."""
        if self._proc is None:
            return
        self._send({"cmd": "stop"})
        self._joined(self._run_id)

    @Slot(int)
    def _joined(self, run_id: int) -> None:
        if self._proc is None or run_id != self._run_id:
            return
        proc, relay = self._proc, self._relay
        if relay is not None:
            relay.join(JOIN_SECONDS)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError, ValueError):  # flushing into a dead child's pipe
                    stream.close()
        self._proc = self._relay = None
        self._deliver()
        self.finished.emit(self._result)
