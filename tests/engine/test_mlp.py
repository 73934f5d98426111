"""MLP on free feed-forward graphs: gradients against finite differences, masks, training."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, hidden_activations
from engine.errors import EngineError
from engine.mlp import MLP
from engine.optimizers import make_optimizer
from engine.settings import TrainingSettings
from engine.spec import Edge, NetworkSpec, Node

# The whole registry: a new activation is gradient-checked without touching this file.
HIDDEN = hidden_activations()
TRAINABLE = [a.name for a in ACTIVATIONS.values() if a.differentiable]
PAIRS = [  # (output activation, loss): every pair the app offers
    (out, loss) for loss in ("mse", "sse") for out in TRAINABLE
] + [("sigmoid", "bce"), ("softmax", "bce"), ("softmax", "cce"), ("sigmoid", "cce")]


def random_graph(rng: np.random.Generator, hidden_act: str, out_act: str, n_out: int = 2) -> NetworkSpec:
    """Inputs, a few hidden units and outputs; any earlier → later wire (so skip links abound)."""
    n_in, n_hidden = 3, 5
    nodes = [Node("input", name=f"x{i}") for i in range(n_in)]
    nodes += [Node("unit", hidden_act, name=f"h{i}") for i in range(n_hidden)]
    nodes += [Node("unit", out_act, is_output=True, name=f"o{i}") for i in range(n_out)]
    edges = []
    for t in range(n_in, len(nodes)):
        last_source = min(t, n_in + n_hidden)
        sources = [s for s in range(last_source) if rng.random() < 0.6] or [int(rng.integers(n_in))]
        edges += [Edge(s, t) for s in sources]
    return NetworkSpec(tuple(nodes), tuple(edges))


def targets(rng: np.random.Generator, out_act: str, loss: str, n: int, k: int) -> np.ndarray:
    if loss == "cce" or out_act == "softmax":
        return np.eye(k)[rng.integers(k, size=n)]
    if loss == "bce":
        return rng.integers(0, 2, size=(n, k)).astype(float)
    return rng.normal(size=(n, k))


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("out_act", "loss"), PAIRS)
def test_gradients_match_central_differences(hidden: str, out_act: str, loss: str) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{out_act}-{loss}".encode()))
    spec = random_graph(rng, hidden, out_act)
    mlp = MLP.from_spec(spec, rng=rng, init=("normal", "normal"))
    for p in mlp.params:
        p *= 0.5  # keep outputs off saturation, where finite differences themselves go wrong
    X = rng.normal(size=(7, 3))
    Y = targets(rng, out_act, loss, 7, 2)
    l1, l2 = 0.01, 0.03
    _, grads = mlp.gradients(X, Y, loss, l1, l2)
    eps = 1e-6
    for param, grad in zip(mlp.params, grads, strict=True):
        for idx in np.ndindex(param.shape):
            if grad[idx] == 0 and param[idx] == 0:
                continue  # a masked-out entry: no wire there
            keep = param[idx]
            param[idx] = keep + eps
            up = mlp.loss(X, Y, loss, l1, l2)
            param[idx] = keep - eps
            down = mlp.loss(X, Y, loss, l1, l2)
            param[idx] = keep
            numeric = (up - down) / (2 * eps)
            assert grad[idx] == pytest.approx(numeric, rel=1e-4, abs=1e-6), (param.shape, idx)


def test_skip_links_are_used_and_masked_weights_stay_exactly_zero() -> None:
    rng = np.random.default_rng(3)
    spec = random_graph(rng, "tanh", "sigmoid", n_out=1)
    mlp = MLP.from_spec(spec, rng=rng)
    X = rng.normal(size=(40, 3))
    Y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    opt = make_optimizer(TrainingSettings(optimizer="adam", learning_rate=0.05))
    for _ in range(50):
        mlp.train_epoch(X, Y, "bce", opt, batch_size=8, shuffle=True, rng=rng, l1=0.001, l2=0.001)
    for w, m in zip(mlp.weights, mlp.masks, strict=True):
        assert np.all(w[m == 0] == 0.0)
    # every spec edge lands on a live entry and the values round-trip
    values = mlp.trained_values()
    assert len(values.weights) == len(spec.edges) and all(v != 0 for v in values.weights)
    other = MLP.from_spec(spec, rng=np.random.default_rng(99))
    other.set_values(values)
    np.testing.assert_array_equal(other.forward(X), mlp.forward(X))


def test_a_unit_with_no_wires_in_feeding_another_sits_one_level_below_it() -> None:
    """h1 has no wires in (it computes tanh(bias)) and feeds h2: they must not share a level."""
    from engine.export import layered, predict

    nodes = (Node("input", name="x"), Node("unit", "tanh", bias=0.7, name="h1"),
             Node("unit", "tanh", bias=-0.2, name="h2"), Node("unit", "linear", bias=0.1, is_output=True))
    spec = NetworkSpec(nodes, (Edge(0, 2, 1.5), Edge(1, 2, -2.0), Edge(2, 3, 3.0)))
    mlp = MLP.from_spec(spec)
    X = np.array([[0.5], [-1.0]])
    want = 3.0 * np.tanh(1.5 * X - 2.0 * np.tanh(0.7) - 0.2) + 0.1
    np.testing.assert_allclose(mlp.forward(X), want, atol=1e-14)
    np.testing.assert_allclose(predict(layered(spec, mlp.trained_values()), X), want, atol=1e-14)


def direct_net(weights: list[float], bias: float) -> NetworkSpec:
    nodes = (Node("input"), Node("input"), Node("unit", "sigmoid", bias=bias, is_output=True))
    return NetworkSpec(nodes, (Edge(0, 2, weights[0]), Edge(1, 2, weights[1])))


def test_tutorial_neuron_feedforward_value() -> None:
    mlp = MLP.from_spec(direct_net([0.0, 1.0], 4.0))
    assert mlp.forward(np.array([[2.0, 3.0]]))[0, 0] == pytest.approx(0.9990889488055994, abs=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [1, 2, 4])
def test_every_optimizer_and_batch_size_learns_xor(optimizer: str, batch_size: int) -> None:
    rng = np.random.default_rng(0)
    nodes = (Node("input"), Node("input"), Node("unit", "tanh"), Node("unit", "tanh"),
             Node("unit", "tanh"), Node("unit", "sigmoid", is_output=True))
    edges = tuple(Edge(s, t) for s in (0, 1) for t in (2, 3, 4)) + tuple(Edge(h, 5) for h in (2, 3, 4))
    mlp = MLP.from_spec(NetworkSpec(nodes, edges), rng=rng)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    Y = np.array([[0], [1], [1], [0]], float)
    lr = {"sgd": 0.5, "momentum": 0.2, "adam": 0.05}[optimizer]
    opt = make_optimizer(TrainingSettings(optimizer=optimizer, learning_rate=lr))
    before = mlp.loss(X, Y, "bce")
    for _ in range(1500):
        mlp.train_epoch(X, Y, "bce", opt, batch_size=batch_size, shuffle=True, rng=rng)
    assert mlp.loss(X, Y, "bce") < min(before, 0.1)
    assert np.array_equal(mlp.forward(X) > 0.5, Y > 0.5)


def test_a_cycle_is_refused_with_the_names_of_its_neurons() -> None:
    nodes = (Node("input", name="x"), Node("unit", "tanh", name="a"),
             Node("unit", "tanh", name="b"), Node("unit", "sigmoid", is_output=True, name="o"))
    edges = (Edge(0, 1), Edge(1, 2), Edge(2, 1), Edge(2, 3))
    with pytest.raises(EngineError, match=r"a.*b|b.*a"):
        MLP.from_spec(NetworkSpec(nodes, edges))


@pytest.mark.parametrize(("out_act", "loss"), [("sigmoid", "bce"), ("tanh", "mse"), ("softmax", "cce")])
def test_sgd_with_its_rate_folded_into_the_gradients_takes_the_textbook_step(out_act: str,
                                                                          loss: str) -> None:
    """Plain SGD passes lr as the gradient scale; the step must equal p − lr·∇ (regularised too)."""
    rng = np.random.default_rng(9)
    spec = random_graph(rng, "tanh", out_act)
    mlp = MLP.from_spec(spec, rng=rng, init=("normal", "normal"))
    X, Y = rng.normal(size=(6, 3)), targets(rng, out_act, loss, 6, 2)
    lr, l1, l2 = 0.3, 0.01, 0.02
    _, grads = mlp.gradients(X, Y, loss, l1, l2)
    expected = [p - lr * g for p, g in zip(mlp.params, grads, strict=True)]
    mlp.train_batch(X, Y, loss, make_optimizer(TrainingSettings(optimizer="sgd", learning_rate=lr)), l1, l2)
    for got, want in zip(mlp.params, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_a_read_only_dataset_is_copied_once_and_a_writeable_one_is_read_afresh() -> None:
    """The step keeps the set feature-major between epochs only when it cannot change under it."""
    rng = np.random.default_rng(2)
    spec = random_graph(rng, "tanh", "sigmoid", n_out=1)
    X, Y = rng.normal(size=(9, 3)), rng.integers(0, 2, size=(9, 1)).astype(float)
    opt = make_optimizer(TrainingSettings(optimizer="sgd", learning_rate=0.1))
    a, b, c = (MLP.from_spec(spec, rng=np.random.default_rng(1)) for _ in range(3))
    frozen, frozen_y = X.copy(), Y.copy()
    frozen.flags.writeable = frozen_y.flags.writeable = False
    a.train_epoch(frozen, frozen_y, "bce", opt, 0, False, rng)
    held = a._inputs[2]
    a.train_epoch(frozen, frozen_y, "bce", opt, 0, False, rng)
    assert a._inputs[2] is held  # no copy per step
    b.train_epoch(X, Y, "bce", opt, 0, False, rng)
    X[:] = 0.0  # changed in place between epochs: the next step must see it
    b.train_epoch(X, Y, "bce", opt, 0, False, rng)
    c.train_epoch(frozen, Y, "bce", opt, 0, False, rng)
    c.train_epoch(np.zeros_like(X), Y, "bce", opt, 0, False, rng)
    np.testing.assert_array_equal(b.flat, c.flat)


def test_dataset_arrays_are_read_only() -> None:
    from engine.datasets import make_dataset

    d = make_dataset("xor", n_points=20, seed=0)
    with pytest.raises(ValueError):
        d.X_train[0, 0] = 1.0
