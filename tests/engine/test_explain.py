"""The glass box equals the engine: one example's explained step against the real training step."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from engine import hopfield
from engine.activations import ACTIVATIONS
from engine.errors import EngineError
from engine.explain import explain_hopfield, explain_mlp, explain_perceptron
from engine.explain_text import backward_line, forward_line, number
from engine.mlp import MLP
from engine.optimizers import OPTIMIZERS, make_optimizer
from engine.perceptron import Perceptron
from engine.settings import TrainingSettings
from engine.spec import Edge, NetworkSpec, Node
from tests.engine.test_mlp import PAIRS, random_graph, targets

HIDDEN = [a.name for a in ACTIVATIONS.values() if not a.output_only]  # thresholds included
CASES = [(h, o, loss) for h in HIDDEN for o, loss in PAIRS]


def close(a: float, b: float) -> bool:
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


def trained_optimizer(mlp: MLP, settings: TrainingSettings, rng: np.random.Generator, loss: str):
    """An optimizer with state (momentum's velocity, Adam's moments after two steps)."""
    opt = make_optimizer(settings)
    X = rng.normal(size=(4, mlp.n_inputs))
    Y = targets(rng, mlp.spec.nodes[mlp.spec.output_indices[0]].activation, loss, 4, mlp.n_outputs)
    for _ in range(2):
        mlp.train_batch(X, Y, loss, opt)
    return opt


def gradient_network(mlp: MLP, grads: list[np.ndarray]) -> MLP:
    """A twin whose parameters are the gradients: its trained values read them per wire and
    bias, its ``flat`` in the optimizer's layout (``gradients`` lists weights, then biases)."""
    twin = MLP(mlp.spec, mlp.layout, mlp.dtype)
    for view, g in zip(twin.weights + twin.biases, grads, strict=True):
        view[...] = g
    return twin


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize(("hidden", "out_act", "loss"), CASES)
def test_explained_step_equals_the_real_step(hidden: str, out_act: str, loss: str,
                                             optimizer: str) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{out_act}-{loss}-{optimizer}".encode()))
    spec = random_graph(rng, hidden, out_act)
    mlp = MLP.from_spec(spec, rng=rng, init=("normal", "normal"))
    settings = TrainingSettings(optimizer=optimizer, learning_rate=0.05, momentum=0.8)
    l1, l2 = (0.01, 0.02) if optimizer == "momentum" else (0.0, 0.0)
    opt = trained_optimizer(mlp, settings, rng, loss)
    x = rng.normal(size=3)
    y = targets(rng, out_act, loss, 1, 2)[0]
    before = mlp.trained_values()
    ex = explain_mlp(mlp, x, y, loss, opt, l1, l2)
    assert mlp.trained_values() == before  # explaining changes nothing

    # forward: every node's activation, the outputs and the loss
    acts = mlp.node_outputs(x[None, :])[0]
    for n in ex.neurons:
        assert close(n.a, acts[n.node]), n.name
        if n.z is not None:
            assert close(n.z, sum(t.w * t.x for t in n.terms) + (n.bias or 0.0))
    assert np.allclose(ex.outputs, mlp.forward(x[None, :])[0], rtol=1e-12)
    assert close(ex.loss, mlp.loss(x[None, :], y[None, :], loss, l1, l2))

    # backward: ∂L/∂w and ∂L/∂b as the engine computes them, per wire and in its flat layout
    _, grads = mlp.gradients(x[None, :], y[None, :], loss, l1, l2)
    as_values = gradient_network(mlp, grads)
    values = as_values.trained_values()
    per_wire, per_bias = values.weights, values.biases
    edge_at, bias_at = mlp.parameter_positions()
    for wire in ex.wires:
        assert close(wire.grad, per_wire[wire.edge]), wire
        assert as_values.flat[edge_at[wire.edge]] == per_wire[wire.edge]
        assert close(wire.grad, ex.neurons[wire.target].delta * wire.x
                     + l1 * np.sign(wire.w) + l2 * wire.w)
    for n in ex.neurons:
        if bias_at[n.node] is not None:
            assert close(n.bias_grad, per_bias[n.node])
            assert as_values.flat[bias_at[n.node]] == per_bias[n.node]

    # the update: the real step (same optimizer, same state) moves each value by exactly it
    mlp.train_batch(x[None, :], y[None, :], loss, opt, l1, l2)
    after = mlp.trained_values()
    for wire, w0, w1 in zip(ex.wires, before.weights, after.weights, strict=True):
        assert w1 == pytest.approx(w0 + wire.update, rel=1e-9, abs=1e-13)
    for n, b0, b1 in zip(ex.neurons, before.biases, after.biases, strict=True):
        if b0 is not None:
            assert b1 == pytest.approx(b0 + n.bias_update, rel=1e-9, abs=1e-13)
    state = opt.shown_state()
    for wire in ex.wires:  # the state the explanation shows is the state the step left
        for name, value in wire.state.items():
            assert close(value, state[name][edge_at[wire.edge]])
    json.dumps(ex.to_json(), allow_nan=False)


def test_textbook_numbers_for_one_sigmoid_neuron() -> None:
    """By hand: z = 0.5·1 + (−1)·2 + 0.25 = −1.25, a = σ(z), mse δ = 2(a − y)·a(1 − a)."""
    spec = NetworkSpec((Node("input"), Node("input"), Node("unit", "sigmoid", bias=0.25,
                                                             is_output=True, name="o")),
                       (Edge(0, 2, 0.5), Edge(1, 2, -1.0)))
    mlp = MLP.from_spec(spec)
    ex = explain_mlp(mlp, [1, 2], [1], "mse", make_optimizer(TrainingSettings(learning_rate=0.1)))
    o = ex.neurons[2]
    a = 1 / (1 + np.exp(1.25))
    assert (o.z, o.a) == (pytest.approx(-1.25), pytest.approx(a))
    assert o.grad_a == pytest.approx(2 * (a - 1))
    assert o.delta == pytest.approx(2 * (a - 1) * a * (1 - a))
    assert ex.wires[1].grad == pytest.approx(o.delta * 2)
    assert ex.wires[1].update == pytest.approx(-0.1 * o.delta * 2)
    assert o.delta_rule == "chain" and ex.order == (2,)


def test_fused_and_jacobian_rules_are_named() -> None:
    rng = np.random.default_rng(5)
    spec = random_graph(rng, "tanh", "softmax")
    mlp = MLP.from_spec(spec, rng=rng)
    opt = make_optimizer(TrainingSettings())
    fused = explain_mlp(mlp, [0.1, 0.2, 0.3], [0, 1], "cce", opt)
    outs = [fused.neurons[i] for i in spec.output_indices]
    assert [n.delta_rule for n in outs] == ["fused", "fused"]
    assert [n.delta for n in outs] == pytest.approx([outs[0].a - 0, outs[1].a - 1])
    mse = explain_mlp(mlp, [0.1, 0.2, 0.3], [0, 1], "mse", opt)
    assert {mse.neurons[i].delta_rule for i in spec.output_indices} == {"jacobian"}


def test_bad_rows_are_one_engine_error() -> None:
    rng = np.random.default_rng(1)
    mlp = MLP.from_spec(random_graph(rng, "tanh", "sigmoid"), rng=rng)
    opt = make_optimizer(TrainingSettings())
    with pytest.raises(EngineError, match="input has 2 values, but the network has 3"):
        explain_mlp(mlp, [1, 2], [0, 1], "mse", opt)
    with pytest.raises(EngineError, match="finite"):
        explain_mlp(mlp, [1, np.nan, 2], [0, 1], "mse", opt)


@pytest.mark.parametrize("threshold", ["step", "sign"])
def test_perceptron_step_equals_rosenblatt(threshold: str) -> None:
    rng = np.random.default_rng(7)
    nodes = (Node("input"), Node("input"), Node("constant"),
             Node("unit", threshold, is_output=True, name="y"),
             Node("unit", threshold, is_output=True, has_bias=False, name="y2"))
    edges = (Edge(0, 3), Edge(1, 3), Edge(2, 3), Edge(0, 4), Edge(1, 4))
    p = Perceptron.from_spec(NetworkSpec(nodes, edges), rng=rng, init=("normal", "normal"))
    checked = 0
    for x in rng.normal(size=(12, 2)):
        y = rng.integers(0, 2, size=2).astype(float)
        before = p.trained_values()
        ex = explain_perceptron(p, x, y, lr=0.3)
        assert np.array_equal(ex.outputs, p.forward(x[None, :])[0])
        p.train_epoch(x[None, :], y[None, :], 0.3)
        after = p.trained_values()
        for wire, w0, w1 in zip(ex.wires, before.weights, after.weights, strict=True):
            assert w1 == pytest.approx(w0 + wire.update)
            t, out = ex.neurons[wire.target].target, ex.neurons[wire.target].a
            assert wire.update == pytest.approx(0.3 * (t - out) * wire.x)
        for n, b0, b1 in zip(ex.neurons, before.biases, after.biases, strict=True):
            if b0 is not None:
                assert b1 == pytest.approx(b0 + n.bias_update)
        checked += ex.loss > 0
    assert checked  # some of the steps did update


def test_hopfield_field_decision_and_energy_change() -> None:
    rng = np.random.default_rng(3)
    patterns = hopfield.random_patterns(3, 16, rng)
    w = hopfield.store(patterns)
    state, _ = hopfield.corrupt(patterns[0], 0.25, rng)
    for unit in range(16):
        step = explain_hopfield(w, state, unit)
        assert step.h == pytest.approx(sum(t.w * t.x for t in step.terms))
        flipped = state.astype(float).copy()
        flipped[unit] *= -1
        assert step.flip_energy_change == pytest.approx(
            hopfield.energy(w, flipped) - hopfield.energy(w, state))
        assert step.energy == pytest.approx(hopfield.energy(w, state))
        recall = hopfield.Recall(w, state)
        recall._order = np.array([unit] + [j for j in range(16) if j != unit])
        moved = recall.step_unit()
        assert step.flips == (moved == unit)
        assert recall.state[unit] == step.decision


def test_the_briefs_equation_line_and_rounding() -> None:
    """The issue's own example: h1: z = 0.52·1 + (−0.31)·0 + 0.10 = 0.62; a = tanh(0.62) = 0.551."""
    spec = NetworkSpec((Node("input", name="x1"), Node("input", name="x2"),
                        Node("unit", "tanh", bias=0.10, name="h1"),
                        Node("unit", "sigmoid", bias=0.0, is_output=True, name="o")),
                       (Edge(0, 2, 0.52), Edge(1, 2, -0.31), Edge(2, 3, 1.0)))
    ex = explain_mlp(MLP.from_spec(spec), [1, 0], [1], "bce", make_optimizer(TrainingSettings()))
    assert forward_line(ex, 2) == "h1: z = 0.52·1 + (−0.31)·0 + 0.1 = 0.62; a = tanh(0.62) = 0.551"
    assert backward_line(ex, 3).startswith("o: δ = (ŷ − y) = (")  # sigmoid + bce: no f'(z)
    assert ex.neurons[3].delta == pytest.approx(ex.neurons[3].a - 1)
    assert [number(v) for v in (0.62, -0.31, 0.10, 0.0, 1234567.0, 0.000123, -2.5e-7, 99.95)] == [
        "0.62", "−0.31", "0.1", "0", "1.23e6", "1.23e−4", "−2.50e−7", "100"]
