"""An animated Hopfield recall in a worker thread, paced at a chosen speed, read by the GUI per frame.

The worker owns the ``Recall`` while it runs and appends one record (updates, energy, overlaps)
per batch of unit updates; the GUI takes whatever piled up since its last frame, so no point of
the energy or overlap curves is lost however slowly the GUI draws. Pure Python and numpy (no Qt),
so it is tested and benchmarked without a window.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from engine import hopfield

MAX_SWEEPS = 200  # a recall that has not settled after this many sweeps is called unsettled
BATCHES_PER_SECOND = 60  # paced runs update in batches this often: smooth at any speed


def has_ended(run: hopfield.Recall) -> bool:
    """True once a recall has settled, oscillates, or used up its MAX_SWEEPS sweeps."""
    cap = MAX_SWEEPS * (run.size if run.mode == "async" else 1)
    return run.settled or run.oscillating or run.updates >= cap


@dataclass
class RecallFrame:
    """What happened since the previous frame: the newest state and every record in between."""

    state: np.ndarray
    updates: list[int] = field(default_factory=list)
    energies: list[float] = field(default_factory=list)
    overlaps: list[np.ndarray] = field(default_factory=list)
    finished: bool = False


class RecallRunner:
    """Runs ``recall`` to convergence in a thread; ``speed`` is sweeps per second, 0 = at once."""

    def __init__(self, recall: hopfield.Recall, patterns: np.ndarray, speed: float) -> None:
        self.recall = recall
        self.patterns = np.atleast_2d(np.asarray(patterns, dtype=np.float64)) if len(patterns) else None
        self.speed = speed  # read by the worker at every batch: changes apply live
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._frame = RecallFrame(recall.state.copy())
        self._thread = threading.Thread(target=self._work, name="hopfield-recall", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the worker to stop after its current batch and wait for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def take(self) -> RecallFrame:
        """Everything recorded since the last call (the state is a copy the GUI may keep)."""
        with self._lock:
            frame = self._frame
            self._frame = RecallFrame(frame.state, finished=frame.finished)
        return frame

    def _work(self) -> None:
        run = self.recall
        started, done_before, last_speed = time.perf_counter(), run.updates, self.speed
        while not self._stop.is_set() and not has_ended(run):
            speed = self.speed
            if speed != last_speed:  # a new speed paces from now on
                started, done_before, last_speed = time.perf_counter(), run.updates, speed
            self._advance(speed)
            self._record()
            if speed > 0:
                rate = speed * (run.size if run.mode == "async" else 1)  # updates per second
                due = started + (run.updates - done_before) / rate
                self._stop.wait(max(0.0, due - time.perf_counter()))
        with self._lock:
            self._frame.finished = True

    def _advance(self, speed: float) -> None:
        """One batch: a slice of a sweep when paced, a whole sweep (or sync update) when not."""
        run = self.recall
        if run.mode == "sync":
            run.sync_step()
        elif speed <= 0:
            run.sweep()
        else:
            batch = max(1, round(speed * run.size / BATCHES_PER_SECOND))
            for _ in range(min(batch, run.size - run.position)):
                run.step_unit()

    def _record(self) -> None:
        run = self.recall
        overlaps = (self.patterns @ run.state / run.size) if self.patterns is not None else None
        with self._lock:
            frame = self._frame
            frame.state = run.state.copy()
            frame.updates.append(run.updates)
            frame.energies.append(run.energy)
            if overlaps is not None:
                frame.overlaps.append(overlaps)
