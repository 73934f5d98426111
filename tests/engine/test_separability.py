"""Linear separability in the plane, exactly; and the perceptron says only what is proven."""

from __future__ import annotations

import numpy as np
import pytest

from engine.datasets import dataset_from_arrays
from engine.perceptron import Perceptron
from engine.separability import convex_hull, separable
from engine.session import PerceptronSession
from engine.settings import TrainingSettings
from engine.spec import Edge, NetworkSpec, Node
from engine.trainer import RunOptions, run

GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)


@pytest.mark.parametrize(("labels", "expected"), [
    ([0, 0, 0, 1], True),  # AND
    ([0, 1, 1, 1], True),  # OR
    ([1, 1, 1, 0], True),  # NAND
    ([0, 1, 1, 0], False),  # XOR
    ([1, 0, 0, 1], False),  # XNOR
])
def test_the_gates(labels: list[int], expected: bool) -> None:
    y = np.array(labels, bool)
    assert separable(GATES[y], GATES[~y]) is expected


def test_points_and_segments_and_touching_hulls() -> None:
    assert separable(np.array([[0.0, 0.0], [2.0, 0.0]]), np.array([[3.0, 0.0]]))  # collinear, apart
    assert not separable(np.array([[0.0, 0.0], [2.0, 0.0]]), np.array([[1.0, 0.0]]))  # on the segment
    assert not separable(np.array([[0.0, 0.0], [2.0, 2.0]]), np.array([[2.0, 0.0], [0.0, 2.0]]))  # cross
    assert not separable(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([[0.5, 0.5]]))  # touch
    assert separable(np.array([[0.0, 0.0]]), np.array([[1e-6, 0.0]]))
    square = convex_hull(np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [1, 0]], float))
    assert len(square) == 4


def test_random_sets_split_by_a_line_are_separable_and_mixed_ones_are_not() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        X = rng.normal(size=(40, 2))
        w, b = rng.normal(size=2), rng.normal() * 0.3
        side = X @ w + b
        keep = np.abs(side) > 1e-3
        X, side = X[keep], side[keep]
        assert separable(X[side > 0], X[side <= 0])
        if (side > 0).sum() >= 3:
            inside = X[side > 0].mean(axis=0)  # a point of the other class inside the first hull
            assert not separable(X[side > 0], np.vstack([X[side <= 0], inside]))


def perceptron_session(X: np.ndarray, y: np.ndarray, lr: float = 1.0) -> PerceptronSession:
    nodes = (Node("input"), Node("input"), Node("unit", "step", is_output=True))
    spec = NetworkSpec(nodes, (Edge(0, 2), Edge(1, 2)))
    p = Perceptron.from_spec(spec, rng=np.random.default_rng(0), init=("zeros", "zeros"))
    data = dataset_from_arrays(X.tolist(), y.reshape(-1, 1).tolist(), "binary")
    return PerceptronSession(p, data, TrainingSettings(learning_rate=lr))


def test_the_perceptron_calls_xor_not_separable_and_proves_it() -> None:
    result = run(perceptron_session(GATES, np.array([0, 1, 1, 0])), RunOptions(epochs=100))
    assert result.reason == "not_separable" and "convex hulls overlap" in result.message


def test_a_separable_set_that_needs_many_epochs_is_not_called_inseparable() -> None:
    # a tiny margin: separable, but the perceptron needs far more than 20 epochs
    X = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 1.001], [0.0, 0.001], [0.5, 0.5004], [0.5, 0.4996]])
    y = np.array([0, 0, 1, 1, 1, 0])
    assert separable(X[y == 1], X[y == 0])
    result = run(perceptron_session(X, y, lr=0.01), RunOptions(epochs=20))
    assert result.reason == "epochs"
    assert result.message == ("no separating line found within 20 epochs (the data is separable: "
                              "more epochs or another learning rate will find one)")
