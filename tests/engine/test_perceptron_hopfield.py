"""The perceptron's rule and its XOR failure; Hopfield storage, recall, energy and capacity."""

from __future__ import annotations

import numpy as np
import pytest

from engine import hopfield
from engine.datasets import make_dataset
from engine.errors import EngineError
from engine.perceptron import Perceptron
from engine.spec import Edge, NetworkSpec, Node


def gate_perceptron() -> Perceptron:
    nodes = (Node("input"), Node("input"), Node("unit", "step", is_output=True, name="o"))
    return Perceptron.from_spec(NetworkSpec(nodes, (Edge(0, 2), Edge(1, 2))))


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_rosenblatt_rule_learns_separable_gates(gate: str) -> None:
    d = make_dataset(f"gate-{gate}")
    p = gate_perceptron()
    errors = [p.train_epoch(d.X_train, d.Y_train, 0.1) for _ in range(100)]
    assert 0 in errors and errors.index(0) < 100
    np.testing.assert_array_equal(p.forward(d.X_train), d.Y_train)


def test_xor_never_exceeds_three_of_four() -> None:
    d = make_dataset("gate-xor")
    p = gate_perceptron()
    for _ in range(200):
        p.train_epoch(d.X_train, d.Y_train, 0.1)
        assert (p.forward(d.X_train) == d.Y_train).sum() <= 3


def test_perceptron_refuses_hidden_units_by_name() -> None:
    nodes = (Node("input"), Node("unit", "step", name="h1"), Node("unit", "step", is_output=True))
    with pytest.raises(EngineError, match="h1"):
        Perceptron.from_spec(NetworkSpec(nodes, (Edge(0, 1), Edge(1, 2))))


def test_hebbian_weights_are_symmetric_with_zero_diagonal_and_patterns_are_fixed_points() -> None:
    rng = np.random.default_rng(0)
    patterns = hopfield.random_patterns(5, 100, rng)
    for rule in hopfield.RULES:
        w = hopfield.store(patterns, rule)
        hopfield.check_weights(w)
        for p in patterns:
            run = hopfield.Recall(w, p, "async", rng)
            assert run.run() == "settled" and np.array_equal(run.state, p)
            sync = hopfield.Recall(w, p, "sync")
            assert sync.run() == "settled" and sync.updates == 1


def test_energy_never_rises_in_asynchronous_recall_and_the_pattern_returns() -> None:
    rng = np.random.default_rng(1)
    patterns = hopfield.random_patterns(4, 100, rng)
    w = hopfield.store(patterns)
    start, flipped = hopfield.corrupt(patterns[2], 0.2, rng)
    assert flipped == 20 and np.count_nonzero(start != patterns[2]) == 20
    run = hopfield.Recall(w, start, "async", rng)
    energies = [run.energy]
    while not run.settled:
        run.step_unit()
        energies.append(run.energy)
        assert run.energy == pytest.approx(hopfield.energy(w, run.state), abs=1e-9)
    assert (np.diff(energies) <= 1e-12).all()
    assert hopfield.classify(patterns, run.state) == ("pattern", 2)
    assert hopfield.overlaps(patterns, run.state)[2] == 1.0
    by_sweeps = hopfield.Recall(w, start, "async", np.random.default_rng(5))
    assert by_sweeps.run() == "settled" and by_sweeps.energy_non_increasing
    assert by_sweeps.energy == pytest.approx(hopfield.energy(w, by_sweeps.state), abs=1e-9)


def test_inverse_mixture_and_oscillation_verdicts() -> None:
    rng = np.random.default_rng(2)
    patterns = hopfield.random_patterns(3, 101, rng)
    w = hopfield.store(patterns)
    assert hopfield.recall(w, patterns, -patterns[1], rng=rng).verdict == "inverse"
    mixture = np.sign(patterns.sum(axis=0))
    assert hopfield.recall(w, patterns, mixture, rng=rng).verdict == "spurious"
    w2 = np.array([[0.0, -1.0], [-1.0, 0.0]])  # two units that disagree flip together forever
    result = hopfield.recall(w2, np.array([[1, 1]]), np.array([1, 1]), mode="sync")
    assert result.verdict == "oscillating"




@pytest.mark.parametrize("seed", [4, 5])  # this net settles after 14 updates; that one 2-cycles after 8
def test_synchronous_updates_match_the_textbook_rule_step_by_step(seed: int) -> None:
    """The preallocated rows the updates rotate through must not change the dynamics or readouts."""
    rng = np.random.default_rng(seed)
    n = 60
    w = rng.normal(size=(n, n))
    w = np.round((w + w.T) / 2)  # integer weights, so zero fields (ties) happen
    np.fill_diagonal(w, 0.0)
    start = hopfield.random_patterns(1, n, rng)[0]
    run = hopfield.Recall(w, start, "sync")
    state, previous = start.astype(float), None
    for _ in range(16):
        h = w.dot(state)
        new = np.where(h > 0, 1.0, np.where(h < 0, -1.0, state))
        flips = run.sync_step()
        assert flips == np.count_nonzero(new != state)
        assert np.array_equal(run.state, new)
        assert run.energy == pytest.approx(hopfield.energy(w, new))
        assert run.settled == (flips == 0)
        assert run.oscillating == (flips > 0 and previous is not None and np.array_equal(new, previous))
        previous, state = state, new
    assert run.settled or run.oscillating


def test_capacity_sweep_matches_theory_for_n_100() -> None:
    rows = hopfield.capacity_sweep(100, [0.05, 0.3], trials=40, noise=0.1,
                                   rng=np.random.default_rng(0))
    assert rows[0]["patterns"] == 5 and rows[0]["recall_rate"] >= 0.95
    assert rows[1]["patterns"] == 30 and rows[1]["recall_rate"] <= 0.2


def test_capacity_sweep_reports_progress_and_can_be_cancelled() -> None:
    seen: list[tuple[int, int]] = []
    rows = hopfield.capacity_sweep(50, [0.05, 0.1, 0.2], trials=5, progress=lambda d, t: seen.append((d, t)),
                                   cancelled=lambda: len(seen) >= 7)
    assert seen[-1] == (7, 15) and len(rows) == 1


def test_bad_hopfield_input_is_refused_clearly() -> None:
    with pytest.raises(EngineError, match="not \\+1 or -1"):
        hopfield.store([[1, 0, -1]])
    with pytest.raises(EngineError, match=r"^pattern 1 value 0\.5 at position 2 is not \+1 or -1$"):
        hopfield.store([[1, 1, -1], [1, -1, 0.5]])
    with pytest.raises(EngineError, match="symmetric"):
        hopfield.check_weights(np.array([[0.0, 1.0], [2.0, 0.0]]))
    with pytest.raises(EngineError, match="self-link"):
        hopfield.check_weights(np.eye(2))
    with pytest.raises(EngineError, match="3 units"):
        hopfield.Recall(np.zeros((2, 2)), np.array([1, 1, 1]))


@pytest.mark.parametrize("seed", range(12))
def test_a_synchronous_recall_run_ends_as_its_steps_do(seed: int) -> None:
    """``run`` takes a fast path for synchronous recall; stepping one update at a time (what an
    ``on_step`` observer forces) must end in the same state, verdict, energy and update count,
    settled or in a 2-cycle, and a restarted recall must repeat it."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 60))
    W = hopfield.store(hopfield.random_patterns(max(1, n // 4), n, rng))
    start = hopfield.random_patterns(1, n, rng)[0]
    fast, slow = hopfield.Recall(W, start, "sync"), hopfield.Recall(W, start, "sync")
    cap = int(rng.integers(1, 30))
    outcome = fast.run(max_sweeps=cap)
    assert slow.run(max_sweeps=cap, on_step=lambda r: None) == outcome
    assert np.array_equal(fast.state, slow.state) and fast.updates == slow.updates
    assert fast.energy == pytest.approx(slow.energy, abs=1e-9)
    assert (fast.settled, fast.oscillating, fast.energy_non_increasing) == \
        (slow.settled, slow.oscillating, slow.energy_non_increasing)
    fast.restart(start)
    assert fast.run(max_sweeps=cap) == outcome
    assert np.array_equal(fast.state, slow.state) and fast.updates == slow.updates
