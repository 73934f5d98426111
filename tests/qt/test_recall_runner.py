"""The recall worker and the growing series behind the lab's live curves (no window needed)."""

from __future__ import annotations

import time

import numpy as np

from engine import hopfield
from playground.hopfield.recall_runner import BATCHES_PER_SECOND, RecallRunner, has_ended
from playground.plots.series import Series


def memory(n: int = 100, count: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    patterns = hopfield.random_patterns(count, n, rng)
    start, _ = hopfield.corrupt(patterns[0], 0.3, rng)
    return hopfield.store(patterns), patterns, start


def drain(runner: RecallRunner, timeout: float = 10.0) -> tuple[list[int], list[float], list[np.ndarray]]:
    """Take frames until the runner finishes, as the GUI timer does."""
    updates, energies, overlaps = [], [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = runner.take()
        updates += frame.updates
        energies += frame.energies
        overlaps += frame.overlaps
        if frame.finished:
            break
        time.sleep(0.01)
    return updates, energies, overlaps


def test_at_full_speed_the_worker_follows_the_engines_own_recall() -> None:
    weights, patterns, start = memory()
    runner = RecallRunner(hopfield.Recall(weights, start, "async", np.random.default_rng(5)), patterns, 0)
    runner.start()
    updates, energies, overlaps = drain(runner)
    runner.stop()
    expected = hopfield.recall(weights, patterns, start, rng=np.random.default_rng(5))
    assert has_ended(runner.recall) and expected.verdict == "pattern" and expected.index == 0
    np.testing.assert_array_equal(runner.recall.state, expected.state)
    assert updates == [100 * (k + 1) for k in range(len(updates))]  # one record per sweep
    assert updates[-1] == expected.updates
    assert (np.diff(energies) <= 1e-9).all() and overlaps[-1][0] == 1.0


def test_a_paced_run_updates_in_small_batches_and_stops_at_once() -> None:
    weights, patterns, start = memory(n=120)
    runner = RecallRunner(hopfield.Recall(weights, start, "async", np.random.default_rng(1)), patterns, 1)
    runner.start()  # one sweep a second: 120 units/s, in batches of 2
    time.sleep(0.3)
    began = time.monotonic()
    runner.stop()
    assert time.monotonic() - began < 0.2 and not runner.running
    frame = runner.take()
    assert frame.finished and not has_ended(runner.recall)  # stopped, not settled
    steps = np.diff(frame.updates)
    assert len(frame.updates) >= 5 and (steps == round(120 / BATCHES_PER_SECOND)).all()
    assert frame.updates[-1] < 120  # well inside the first sweep after 0.3 s


def test_a_synchronous_run_records_every_update_and_detects_a_two_cycle() -> None:
    weights = np.array([[0.0, -1.0], [-1.0, 0.0]])  # two units that disagree: sync flips both forever
    runner = RecallRunner(hopfield.Recall(weights, np.array([1, 1]), "sync"), np.array([[1, -1]]), 0)
    runner.start()
    updates, _, _ = drain(runner)
    runner.stop()
    assert runner.recall.oscillating and updates == [1, 2]


def test_series_grow_past_their_capacity_and_keep_every_row() -> None:
    values, rows = Series(capacity=4), Series(width=3, capacity=2)
    for k in range(10):
        values.extend([k, k + 0.5])
        rows.extend([np.full(3, k)])
    assert len(values) == 20 and values.values.tolist() == [v for k in range(10) for v in (k, k + 0.5)]
    assert rows.values.shape == (10, 3) and (rows.values[:, 1] == np.arange(10)).all()
    values.extend([])
    assert len(values) == 20
