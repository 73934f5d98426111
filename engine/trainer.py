"""The Qt-free training loop: epochs in time slices, live control, bounded-rate snapshots.

The app runs ``run`` in a worker thread; the CLI and the tests call it directly. It knows nothing
about Qt: ``Control`` is plain ``threading`` and ``publish`` is any callable.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.datasets import Dataset
from engine.session import EpochMetrics, Session
from engine.spec import TrainedValues

STOP_REASONS = (
    "epochs", "target", "early_stop", "converged", "not_separable", "diverged", "stopped",
)


class Control:
    """What the GUI thread may ask of a running loop: pause, resume, stop, live setting patches."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._patches: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._data: Dataset | None = None  # the newest data patched in (drawn points), taken once
        self._data_lock = threading.Lock()
        self.max_epochs_per_second: float | None = None  # None: as fast as possible

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can see the stop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def patch(self, name: str, value: object) -> None:
        """Queue a live change (a setting declared ``live``) for the next epoch boundary."""
        self._patches.put((name, value))

    def set_data(self, data: Dataset) -> None:
        """New training data for the next epoch boundary (points drawn during the run); only the
        newest counts, so a drag's many moves cost one swap."""
        with self._data_lock:
            self._data = data

    def take_data(self) -> Dataset | None:
        with self._data_lock:
            data, self._data = self._data, None
        return data

    def wait_while_paused(self, timeout: float) -> None:
        self._running.wait(timeout)

    def drain_patches(self) -> list[tuple[str, object]]:
        items = []
        while True:
            try:
                items.append(self._patches.get_nowait())
            except queue.Empty:
                return items


@dataclass(frozen=True)
class Snapshot:
    """A copy of the run's progress: new loss points since the last snapshot, never dropped."""

    epoch: int
    first_epoch: int  # epoch number of train_losses[0]
    train_losses: np.ndarray
    test_losses: np.ndarray  # NaN where not computed: no test set, or between two publishes
    metrics: EpochMetrics | None
    epochs_per_second: float
    values: TrainedValues
    extras: object = None  # what RunOptions.extras made (the app's plot record); None without
    finished: bool = False
    reason: str | None = None
    message: str = ""
    state: object = None  # the last snapshot's session.run_state(): what the next run continues


@dataclass(frozen=True)
class RunResult:
    epochs: int
    reason: str
    metrics: EpochMetrics | None
    message: str


@dataclass
class RunOptions:
    """How this call runs. What to train for — the epoch cap, the target loss, early stopping —
    is the session's settings record; a call may only cap it (a Step) or leave the stop rules out."""

    epochs: int | None = None  # the epoch cap for this call, from the session's epoch; None: settings
    stop_rules: bool = True  # the settings' target loss and patience end the run
    publish_interval: float = 1 / 30
    slice_seconds: float = 0.01
    # e.g. decision grids, computed in the worker; called with (session, is the run's last snapshot),
    # its value travels in Snapshot.extras as it is: the loop does not look inside
    extras: Callable[[Session, bool], object] | None = None
    # the app: a diverging run pauses at its last finite weights (a snapshot with reason "diverged"
    # that is not finished) so the user can lower the rate and go on; scripts: the run ends
    pause_on_divergence: bool = False
    yield_seconds: float = 0.0  # a sleep between slices; a loop in the GUI's process needs one


def divergence_message(session: Session) -> str:
    lr = session.config.learning_rate
    return (
        f"training diverged: the loss or a weight became infinite or NaN with learning rate "
        f"{lr:g}, which is too high for this loss and these activations. The last finite weights "
        f"were kept; try a learning rate of {lr * 0.1:g}."
    )


class _Progress:
    """Loss points and timing between two snapshots."""

    def __init__(self, start_epoch: int, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.first_epoch = start_epoch + 1
        self.train: list[float] = []
        self.test: list[float] = []
        self.started = clock()
        self.start_epoch = start_epoch

    def add(self, train_loss: float, test_loss: float | None) -> None:
        self.train.append(train_loss)
        self.test.append(math.nan if test_loss is None else test_loss)

    def take(self, epoch: int) -> tuple[int, np.ndarray, np.ndarray]:
        first, train, test = self.first_epoch, np.array(self.train), np.array(self.test)
        self.first_epoch, self.train, self.test = epoch + 1, [], []
        return first, train, test

    def rate(self, epoch: int) -> float:
        elapsed = self.clock() - self.started
        return (epoch - self.start_epoch) / elapsed if elapsed > 0 else 0.0


def run(
    session: Session,
    options: RunOptions,
    control: Control | None = None,
    publish: Callable[[Snapshot], None] | None = None,
    *,
    clock: Callable[[], float] = time.perf_counter,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    """Train until a stop condition; publish snapshots at most every ``publish_interval`` seconds."""
    control = control or Control()
    config = session.config
    epoch_cap = config.epochs if options.epochs is None else options.epochs
    target_loss = config.target_loss if options.stop_rules else None
    patience = config.patience if options.stop_rules else None
    epoch0 = session.epoch
    epoch = epoch0
    progress = _Progress(epoch, clock)
    last_publish = clock()
    last: EpochMetrics | None = None
    best, since_best = math.inf, 0
    reason = message = ""
    paced_start, paced_epochs, paced_cap = clock(), 0, control.max_epochs_per_second

    watch_test = patience is not None  # early stopping reads the test loss every epoch

    def emit(finished: bool) -> None:
        # scores and the test loss are computed here, at the publish rate, not every epoch
        nonlocal last
        if publish is None and not finished:
            progress.take(epoch)  # nobody looks: no evaluation
            return
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # reported, not warned
            last = session.evaluate()
        if progress.test and last.test_loss is not None:
            progress.test[-1] = last.test_loss
        first, train, test = progress.take(epoch)
        if publish is not None:
            extras = options.extras(session, finished) if options.extras else None
            state = session.run_state() if finished else None
            publish(Snapshot(epoch, first, train, test, last, progress.rate(epoch),
                             session.values(), extras, finished, reason or None, message, state))

    while not reason:
        if control.stopped:
            reason = "stopped"
            break
        for name, value in control.drain_patches():
            session.patch(name, value)
        data = control.take_data()
        if data is not None:
            session.set_data(data)
        if control.paused:
            if progress.train:
                emit(False)
                last_publish = clock()
            control.wait_while_paused(0.05)
            paced_start, paced_epochs = clock(), 0
            continue
        # A slice also ends when a snapshot is due, so the publish rate holds at any slice length.
        slice_end = min(clock() + options.slice_seconds, last_publish + options.publish_interval)
        while not reason and clock() < slice_end:
            if epoch - epoch0 >= epoch_cap:
                reason, message = session.at_cap(epoch_cap)
                break
            session.save_point()
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is checked below
                loss = session.train_epoch()
                test_loss = session.test_loss() if watch_test else None
            if not (session.finite() and math.isfinite(loss)):
                session.restore_point()
                reason, message = "diverged", divergence_message(session)
                if options.pause_on_divergence:
                    control.pause()
                    emit(False)
                    reason = message = ""
                    last_publish = clock()
                break
            epoch += 1
            session.epoch = epoch
            progress.add(loss, test_loss)
            watched = test_loss if test_loss is not None else loss
            if session.converged():
                reason = "converged"
            elif target_loss is not None and loss <= target_loss:
                reason = "target"
            elif patience is not None:
                if watched < best - 1e-12:
                    best, since_best = watched, 0
                else:
                    since_best += 1
                    if since_best >= patience:
                        reason = "early_stop"
            cap = control.max_epochs_per_second
            if cap != paced_cap:  # a new cap counts from now: no burst of the time run uncapped
                paced_start, paced_epochs, paced_cap = clock(), 0, cap
            if cap:
                paced_epochs += 1
                ahead = paced_start + paced_epochs / cap - clock()
                if ahead > 0:
                    sleep(ahead)
                    break
        if reason:
            break
        if clock() >= last_publish + options.publish_interval:  # the slice's own test: no FP gap
            emit(False)
            # due times on a fixed grid, so epochs and emits running past a due time do not slow
            # the rate below 1/publish_interval; a loop that fell far behind starts afresh
            last_publish = max(last_publish + options.publish_interval, clock() - options.publish_interval)
        if options.yield_seconds:
            sleep(options.yield_seconds)  # hand the GIL to a GUI thread in the same process
    emit(True)  # evaluates the final weights: the result's metrics
    return RunResult(epoch, reason, last, message)
