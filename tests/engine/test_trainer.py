"""The training loop's contract, driven by a scripted session and a fake clock."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from engine.session import EpochMetrics
from engine.spec import TrainedValues
from engine.trainer import Control, RunOptions, Snapshot, run


@dataclass
class Config:
    learning_rate: float = 0.5
    epochs: int = 1000
    target_loss: float | None = None
    patience: int | None = None


class ScriptedSession:
    """Loss follows a script; a weight goes NaN on request; each epoch advances a fake clock."""

    kind = "mlp"
    task = "binary"

    def __init__(self, losses, clock, nan_at=None, converge_at=None, epoch_seconds=0.001):
        self.losses, self.clock, self.nan_at, self.converge_at = losses, clock, nan_at, converge_at
        self.epoch_seconds = epoch_seconds
        self.epoch = 0
        self.weight = 1.0
        self.saved = 1.0
        self.config = Config()
        self.patched: list[tuple[str, float]] = []
        self.evaluations = self.test_losses_computed = 0

    def train_epoch(self):
        self.clock.now += self.epoch_seconds
        self.weight = math.nan if self.epoch + 1 == self.nan_at else self.epoch + 1.0
        return self._loss()

    def _loss(self):
        return self.losses[min(self.epoch, len(self.losses) - 1)]

    def test_loss(self):
        self.test_losses_computed += 1
        return self._loss() * 2

    def evaluate(self):
        self.evaluations += 1
        return EpochMetrics(self._loss(), self._loss() * 2, 0.5, 0.25)

    def converged(self):
        return self.converge_at is not None and self.epoch >= self.converge_at

    def run_state(self):
        return None

    def at_cap(self, epochs):
        return "epochs", ""

    def finite(self):
        return math.isfinite(self.weight)

    def save_point(self):
        self.saved = self.weight

    def restore_point(self):
        self.weight = self.saved

    def values(self):
        return TrainedValues((self.weight,), (None,))

    def patch(self, name, value):
        self.patched.append((name, value))
        self.config = Config(learning_rate=value)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def run_scripted(session, clock, **kw):
    snaps: list[Snapshot] = []
    control = kw.pop("control", None)
    for name in ("target_loss", "patience"):  # stop rules are the session's settings
        if name in kw:
            setattr(session.config, name, kw.pop(name))
    result = run(session, RunOptions(**kw), control, snaps.append, clock=clock, sleep=clock.sleep)
    return result, snaps


def test_stops_at_epoch_cap_and_never_drops_a_loss_point():
    clock = FakeClock()
    losses = list(np.linspace(1.0, 0.1, 5000))
    result, snaps = run_scripted(ScriptedSession(losses, clock), clock, epochs=5000)
    assert result.reason == "epochs" and result.epochs == 5000
    points = np.concatenate([s.train_losses for s in snaps])
    firsts = [s.first_epoch for s in snaps if len(s.train_losses)]
    assert len(points) == 5000
    np.testing.assert_allclose(points, losses[:5000])
    assert firsts[0] == 1 and snaps[-1].finished and snaps[-1].reason == "epochs"


def test_publish_rate_is_bounded():
    clock = FakeClock()
    session = ScriptedSession([1.0] * 20000, clock, epoch_seconds=0.0005)
    _result, snaps = run_scripted(session, clock, epochs=20000, publish_interval=1 / 30)
    elapsed = clock.now
    assert elapsed > 5  # 10 s of fake training
    assert len(snaps) <= elapsed * 30 + 2
    assert len(snaps) >= elapsed * 30 * 0.8  # and not starved either


def test_publish_rate_holds_when_epochs_run_past_the_due_time():
    """7 ms epochs overshoot each 33 ms due time; due times on a fixed grid keep 30 a second."""
    clock = FakeClock()
    session = ScriptedSession([1.0] * 1500, clock, epoch_seconds=0.007)
    _result, snaps = run_scripted(session, clock, epochs=1500, publish_interval=1 / 30)
    assert clock.now > 10
    assert clock.now * 30 * 0.97 <= len(snaps) <= clock.now * 30 + 2


def test_target_loss_and_convergence_and_early_stop():
    clock = FakeClock()
    result, _ = run_scripted(ScriptedSession([1.0, 0.5, 0.2, 0.05, 0.01], clock), clock,
                             epochs=100, target_loss=0.06)
    assert (result.reason, result.epochs) == ("target", 4)
    session = ScriptedSession([1.0] * 50, clock, converge_at=7)
    session.kind = "perceptron"
    result, _ = run_scripted(session, clock, epochs=100)
    assert (result.reason, result.epochs) == ("converged", 7)
    result, _ = run_scripted(ScriptedSession([1.0, 0.9, 0.8] + [0.85] * 50, clock), clock,
                             epochs=100, patience=5)
    assert (result.reason, result.epochs) == ("early_stop", 8)


def test_at_the_cap_the_session_gives_the_verdict():
    clock = FakeClock()
    session = ScriptedSession([0.25] * 200, clock)
    asked = []
    session.at_cap = lambda cap: asked.append(cap) or ("not_separable", "a verdict")
    result, _ = run_scripted(session, clock, epochs=100)
    assert (result.reason, result.message, result.epochs, asked) == ("not_separable", "a verdict", 100, [100])


def test_divergence_restores_last_finite_weights_and_explains():
    clock = FakeClock()
    session = ScriptedSession([1.0] * 100, clock, nan_at=12)
    result, snaps = run_scripted(session, clock, epochs=100)
    assert result.reason == "diverged" and result.epochs == 11
    assert session.weight == 11.0  # the weights after the last finite epoch
    assert snaps[-1].values.weights == (11.0,)
    assert "learning rate 0.5" in result.message and "0.05" in result.message


def test_the_app_s_runs_pause_on_divergence_and_can_go_on():
    clock = FakeClock()
    session = ScriptedSession([1.0] * 100, clock, nan_at=12)
    control = Control()
    snaps: list[Snapshot] = []
    results = []
    options = RunOptions(epochs=100, pause_on_divergence=True)
    worker = threading.Thread(target=lambda: results.append(
        run(session, options, control, snaps.append, clock=clock, sleep=clock.sleep)))
    worker.start()
    deadline = time.monotonic() + 10
    while not control.paused and time.monotonic() < deadline:
        time.sleep(0.005)
    assert control.paused and worker.is_alive()
    diverged = [s for s in snaps if s.reason == "diverged"]
    assert len(diverged) == 1 and not diverged[0].finished
    assert diverged[0].values.weights == (11.0,) and "0.05" in diverged[0].message
    session.nan_at = None  # as if the user lowered the learning rate
    control.resume()
    worker.join(10)
    assert results[0].reason == "epochs" and results[0].epochs == 100
    points = np.concatenate([s.train_losses for s in snaps])
    assert len(points) == 100  # no loss point lost around the pause


def test_stop_pause_and_live_patches_from_another_thread():
    session = ScriptedSession([1.0], FakeClock(), epoch_seconds=0.0)  # the last loss repeats
    control = Control()
    control.patch("learning_rate", 0.01)
    seen = threading.Event()

    def publish(snap):
        if snap.epoch > 100:
            seen.set()

    worker = threading.Thread(target=run, args=(session, RunOptions(epochs=10**9), control,
                                                publish))
    worker.start()
    assert seen.wait(5)
    control.pause()
    threading.Event().wait(0.1)
    frozen = session.epoch
    threading.Event().wait(0.1)
    assert session.epoch == frozen  # paused: no epochs run
    control.resume()
    control.stop()
    worker.join(5)
    assert not worker.is_alive()
    assert session.patched == [("learning_rate", 0.01)]  # the loop handed the patch over, once


def test_speed_cap_limits_epochs_per_second():
    clock = FakeClock()
    control = Control()
    control.max_epochs_per_second = 100
    session = ScriptedSession([1.0] * 1000, clock, epoch_seconds=0.0)
    result, _snaps = run_scripted(session, clock, epochs=300, control=control)
    assert result.epochs == 300
    assert clock.now == pytest.approx(3.0, rel=0.05)


def test_a_speed_cap_set_mid_run_lets_no_burst_through():
    """Uncapped for 3 s of run time, then capped at 5/s: the next 2 s train about 10 epochs."""
    clock = FakeClock()
    control = Control()
    session = ScriptedSession([1.0] * 100_000, clock, epoch_seconds=0.01)
    capped_at: list[float] = []
    train = session.train_epoch

    def train_and_cap() -> float:
        loss = train()
        if clock.now >= 3.0 and control.max_epochs_per_second is None:
            control.max_epochs_per_second = 5
            capped_at.append(session.epoch)
        if capped_at and clock.now >= 5.0:
            control.stop()
        return loss

    session.train_epoch = train_and_cap
    result, _ = run_scripted(session, clock, epochs=100_000, control=control)
    after = result.epochs - capped_at[0]
    assert 9 <= after <= 12, after  # 5/s × 2 s, not 5/s × 5 s


def test_scores_and_the_test_loss_are_computed_at_the_publish_rate_not_every_epoch():
    """5000 epochs at 1 ms with 30 publishes a second: ~150 evaluations, not 5000; the test loss
    is only read every epoch when early stopping watches it."""
    clock = FakeClock()
    session = ScriptedSession(list(np.linspace(1.0, 0.1, 5000)), clock)
    result, snaps = run_scripted(session, clock, epochs=5000)
    assert session.evaluations == len(snaps) and len(snaps) <= 5 * 30 + 2
    assert session.test_losses_computed == 0
    tests = np.concatenate([s.test_losses for s in snaps])
    assert np.isfinite(tests).sum() == sum(len(s.test_losses) > 0 for s in snaps)  # one per snapshot
    assert all(np.isfinite(s.test_losses[-1]) for s in snaps if len(s.test_losses))
    assert result.metrics == snaps[-1].metrics
    watched = ScriptedSession([1.0] * 100, clock)
    run_scripted(watched, clock, epochs=100, patience=1000)
    assert watched.test_losses_computed == 100


def test_a_full_batch_epoch_records_the_loss_of_its_own_forward_pass():
    """The train loss of epoch k is the loss of the weights before step k (no second pass), and
    the run's final metrics are those of the final weights."""
    from engine.datasets import make_dataset
    from engine.mlp import MLP
    from engine.session import MLPSession
    from engine.settings import TrainingSettings
    from engine.spec import Edge, NetworkSpec, Node

    nodes = (Node("input"), Node("input"), Node("unit", "tanh"), Node("unit", "tanh"),
             Node("unit", "sigmoid", is_output=True))
    wires = [Edge(s, t) for s in (0, 1) for t in (2, 3)] + [Edge(2, 4), Edge(3, 4), Edge(0, 4)]
    spec = NetworkSpec(nodes, tuple(wires))  # a skip link from x0 to the output
    data = make_dataset("xor", n_points=40, seed=1)
    config = TrainingSettings(loss="bce", optimizer="adam", learning_rate=0.05, batch_size=0,
                              l2=0.01, epochs=20)
    session = MLPSession(MLP.from_spec(spec, rng=np.random.default_rng(3)), data, config)
    twin = MLPSession(MLP.from_spec(spec, rng=np.random.default_rng(3)), data, config)
    expected = []
    for _ in range(20):
        expected.append(twin.learner.loss(data.X_train, data.Y_train, "bce", l2=0.01))
        twin.train_epoch()
    snaps: list[Snapshot] = []
    result = run(session, RunOptions(), None, snaps.append)
    losses = np.concatenate([s.train_losses for s in snaps])
    np.testing.assert_allclose(losses, expected, rtol=1e-12)
    final = twin.evaluate()
    assert result.metrics.train_loss == pytest.approx(final.train_loss, rel=1e-12)
    assert result.metrics.test_score == final.test_score
