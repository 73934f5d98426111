"""The glass box: every number of one training step on one example, neuron by neuron.

The engine trains with masked matrices per depth level; this module recomputes the same step one
neuron and one wire at a time, in evaluation order, so a learner (the app's walk-through, the CLI's
``explain``) can see each weighted sum, activation, δ, gradient and update. It is written
independently of the matrix path on purpose: the tests check that both give the same numbers.
The optimizer's update is taken from a copy of the run's own optimizer, so it uses its current
state (momentum's velocity, Adam's moments and step count) and leaves the real one untouched.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field

import numpy as np

from engine.activations import get_activation
from engine.errors import EngineError
from engine.hopfield import as_bipolar
from engine.losses import get_loss
from engine.mlp import MLP
from engine.optimizers import Optimizer
from engine.perceptron import Perceptron


@dataclass(frozen=True)
class Term:
    """One incoming wire's share of a weighted sum: w·x."""

    edge: int
    source: int
    w: float
    x: float


@dataclass(frozen=True)
class NeuronStep:
    """One neuron's numbers. Inputs and constants have only ``a``. ``delta_rule`` says how δ was
    formed: "chain" δ = ∂L/∂a·f'(z); "fused" δ = (a − y)/n (sigmoid+bce, softmax+cce);
    "jacobian" through softmax's Jacobian; "rosenblatt" the perceptron's error t − y; "" none."""

    node: int
    name: str
    kind: str
    activation: str
    a: float
    terms: tuple[Term, ...] = ()
    bias: float | None = None
    z: float | None = None
    target: float | None = None
    grad_a: float | None = None  # ∂L/∂a
    slope: float | None = None  # f'(z), elementwise
    delta: float | None = None  # ∂L/∂z (perceptron: t − y)
    delta_rule: str = ""
    bias_grad: float | None = None
    bias_update: float | None = None


@dataclass(frozen=True)
class WireStep:
    """One wire: weight, the source's activation it multiplies, gradient and the update."""

    edge: int
    source: int
    target: int
    w: float
    x: float
    grad: float | None  # ∂L/∂w (None for the perceptron rule, which has no gradient)
    update: float  # what the step adds to w
    state: dict[str, float] = field(default_factory=dict)  # optimizer state after this step


@dataclass(frozen=True)
class Explanation:
    """One example's whole training step. ``neurons``/``wires`` are in spec order; ``order`` is
    the evaluation order of the units (by depth, then spec order)."""

    kind: str  # "mlp" or "perceptron"
    inputs: tuple[float, ...]
    target: tuple[float, ...]
    outputs: tuple[float, ...]
    order: tuple[int, ...]
    neurons: tuple[NeuronStep, ...]
    wires: tuple[WireStep, ...]
    loss_name: str
    loss: float
    optimizer: str
    learning_rate: float
    update_formula: str
    penalty: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)  # e.g. Adam's step count t

    def to_json(self) -> dict:
        """A plain JSON object (documented in docs/explain.md)."""
        return asdict(self)


def _row(values: object, width: int, what: str) -> np.ndarray:
    row = np.asarray(values, dtype=np.float64).ravel()
    if row.size != width:
        raise EngineError(f"the {what} has {row.size} values, but the network has {width}")
    if not np.isfinite(row).all():
        raise EngineError(f"the {what} must be finite numbers")
    return row


def explain_mlp(mlp: MLP, x: object, y: object, loss_name: str, optimizer: Optimizer,
                l1: float = 0.0, l2: float = 0.0) -> Explanation:
    """One per-sample step of ``optimizer`` on (x, y), every number of it, without changing
    ``mlp`` or ``optimizer``."""
    spec, loss = mlp.spec, get_loss(loss_name)
    x = _row(x, mlp.n_inputs, "input")
    y = _row(y, mlp.n_outputs, "target")
    values = mlp.trained_values()
    n = len(spec.nodes)
    into: list[list[int]] = [[] for _ in range(n)]
    out_of: list[list[int]] = [[] for _ in range(n)]
    for k, e in enumerate(spec.edges):
        into[e.target].append(k)
        out_of[e.source].append(k)
    w = np.array(values.weights, dtype=np.float64)
    bias = [b if b is not None else 0.0 for b in values.biases]
    a = np.zeros(n)
    z = np.zeros(n)
    a[spec.input_indices] = x
    for i, node in enumerate(spec.nodes):
        if node.kind == "constant":
            a[i] = 1.0
    levels = [lv.nodes for lv in mlp.layout.levels[1:]]
    # forward, level by level: every z first, then the activations (softmax couples a group)
    for nodes in levels:
        for i in nodes:
            z[i] = sum(w[k] * a[spec.edges[k].source] for k in into[i]) + bias[i]
        for name, members in _groups(spec, nodes):
            a[members] = get_activation(name).forward(z[members][None, :])[0]
    outputs = spec.output_indices
    out = a[outputs]
    penalty = float(l1 * np.abs(w).sum() + 0.5 * l2 * (w * w).sum()) if (l1 or l2) else 0.0
    value = loss.value(y[None, :], out[None, :]) + penalty
    # backward, top level first
    grad_a = np.zeros(n)
    grad_a[outputs] = loss.gradient(y[None, :], out[None, :])[0]
    delta = np.zeros(n)
    rule = [""] * n
    slope = np.full(n, np.nan)
    fused = mlp.output_delta(loss_name, y[None, :], out[None, :])
    for depth, nodes in reversed(list(enumerate(levels))):
        top = depth == len(levels) - 1
        for i in nodes:
            if not top:
                grad_a[i] = sum(w[k] * delta[spec.edges[k].target] for k in out_of[i])
        for name, members in _groups(spec, nodes):
            act = get_activation(name)
            slope[members] = act.derivative(z[members][None, :], a[members][None, :])[0]
            delta[members] = act.backward(z[members][None, :], a[members][None, :],
                                          grad_a[members][None, :])[0]
            for i in members:
                rule[i] = "jacobian" if act.jacobian_backward is not None else "chain"
        if top and fused is not None:
            delta[outputs] = fused[0]
            for i in outputs:
                rule[i] = "fused"
    g_w = np.array([delta[e.target] * a[e.source] for e in spec.edges])
    if l1:
        g_w += l1 * np.sign(w)
    if l2:
        g_w += l2 * w
    # the update: the run's optimizer (a copy, with its state) applied to these gradients
    edge_at, bias_at = mlp.parameter_positions()
    grads = np.zeros_like(mlp.flat)
    grads[edge_at] = g_w
    for i, pos in enumerate(bias_at):
        if pos is not None:
            grads[pos] = delta[i]
    trial = copy.deepcopy(optimizer)
    params = mlp.flat.copy()
    trial.step([params], [grads])
    change = params - mlp.flat
    state = trial.shown_state()
    wires = tuple(
        WireStep(k, e.source, e.target, float(w[k]), float(a[e.source]), float(g_w[k]),
                 float(change[edge_at[k]]), {s: float(v[edge_at[k]]) for s, v in state.items()})
        for k, e in enumerate(spec.edges))
    neurons = []
    for i, node in enumerate(spec.nodes):
        if node.kind != "unit":
            neurons.append(NeuronStep(i, node.name, node.kind, "", float(a[i])))
            continue
        pos = bias_at[i]
        neurons.append(NeuronStep(
            i, node.name, node.kind, node.activation, float(a[i]),
            tuple(Term(k, spec.edges[k].source, float(w[k]), float(a[spec.edges[k].source]))
                  for k in into[i]),
            values.biases[i], float(z[i]),
            float(y[outputs.index(i)]) if node.is_output else None,
            float(grad_a[i]), float(slope[i]), float(delta[i]), rule[i],
            float(delta[i]) if pos is not None else None,
            float(change[pos]) if pos is not None else None))
    extra = {"t": float(trial.t)} if hasattr(trial, "t") else {}
    settings = optimizer.settings
    return Explanation(
        "mlp", tuple(x.tolist()), tuple(y.tolist()), tuple(out.tolist()),
        tuple(i for nodes in levels for i in nodes), tuple(neurons), wires, loss_name,
        float(value), settings.optimizer, float(settings.learning_rate), type(optimizer).formula,
        penalty, extra)


def _groups(spec, nodes: list[int]) -> list[tuple[str, list[int]]]:
    """The nodes of one level grouped by activation (softmax normalises over its group)."""
    groups: dict[str, list[int]] = {}
    for i in nodes:
        groups.setdefault(spec.nodes[i].activation, []).append(i)
    return list(groups.items())


def explain_perceptron(p: Perceptron, x: object, y: object, lr: float) -> Explanation:
    """One Rosenblatt step on (x, y): z = Σ w·x + b, y = step(z), w += η·(t − y)·x."""
    spec = p.spec
    x = _row(x, p.n_inputs, "input")
    labels = _row(y, p.n_outputs, "target")
    s = np.concatenate([x, np.ones(len(p.sources) - p.n_inputs)])
    targets = np.where(p.bipolar, np.where(labels > 0.5, 1.0, -1.0), labels)
    z = s.dot(p.W) + p.b
    out = p.forward(x[None, :])[0]
    diff = targets - out
    row = {node: r for r, node in enumerate(p.sources)}
    col = {node: c for c, node in enumerate(p.outputs)}
    wires = []
    into: dict[int, list[Term]] = {o: [] for o in p.outputs}
    for k, e in enumerate(spec.edges):
        r, c = row[e.source], col[e.target]
        weight = float(p.W[r, c])
        wires.append(WireStep(k, e.source, e.target, weight, float(s[r]), None,
                              float(lr * diff[c] * s[r])))
        into[e.target].append(Term(k, e.source, weight, float(s[r])))
    neurons = []
    for i, node in enumerate(spec.nodes):
        if i in row:
            neurons.append(NeuronStep(i, node.name, node.kind, "", float(s[row[i]])))
            continue
        c = col[i]
        has_bias = bool(p.bias_mask[c])
        neurons.append(NeuronStep(
            i, node.name, node.kind, node.activation, float(out[c]), tuple(into[i]),
            float(p.b[c]) if has_bias else None, float(z[c]), float(targets[c]),
            delta=float(diff[c]), delta_rule="rosenblatt",
            bias_update=float(lr * diff[c]) if has_bias else None))
    return Explanation(
        "perceptron", tuple(x.tolist()), tuple(targets.tolist()), tuple(out.tolist()),
        tuple(p.outputs), tuple(neurons), tuple(wires), "errors", float(np.count_nonzero(diff)),
        "rosenblatt", float(lr), "Δw = η·(t − y)·x;  Δb = η·(t − y)")


@dataclass(frozen=True)
class HopfieldStep:
    """One unit of a Hopfield network: local field h = Σ wᵢⱼsⱼ − θᵢ, the sign decision and the
    energy change flipping it would make (ΔE = 2·sᵢ·h for a symmetric, zero-diagonal W)."""

    unit: int
    terms: tuple[Term, ...]  # (edge = j, source = j, w = wᵢⱼ, x = sⱼ) for every wᵢⱼ ≠ 0
    threshold: float
    h: float
    state: float
    decision: float  # +1 if h > 0, −1 if h < 0, unchanged at 0
    flips: bool
    energy: float
    flip_energy_change: float

    def to_json(self) -> dict:
        return asdict(self)


def explain_hopfield(weights: np.ndarray, state: object, unit: int,
                     thresholds: np.ndarray | None = None) -> HopfieldStep:
    """The numbers behind one asynchronous update of ``unit`` from ``state``."""
    w = np.asarray(weights, dtype=np.float64)
    s = as_bipolar(_row(state, w.shape[0], "state")).astype(np.float64)
    if not 0 <= unit < len(s):
        raise EngineError(f"unit {unit} does not exist (0..{len(s) - 1})")
    theta = np.zeros(len(s)) if thresholds is None else np.asarray(thresholds, dtype=np.float64)
    h = float(w[unit].dot(s) - theta[unit])
    decision = 1.0 if h > 0 else -1.0 if h < 0 else float(s[unit])
    energy = -0.5 * float(s @ w @ s) + float(theta @ s)
    terms = tuple(Term(j, j, float(w[unit, j]), float(s[j]))
                  for j in np.flatnonzero(w[unit]).tolist())
    return HopfieldStep(unit, terms, float(theta[unit]), h, float(s[unit]), decision,
                        bool(decision != s[unit]), energy, 2.0 * float(s[unit]) * h)
