"""Rosenblatt's perceptron: inputs wired straight to threshold output units (step: 0/1, sign: ±1).

Learning is the perceptron rule, per sample in order: w += lr·(y − ŷ)·x. It converges exactly
when the classes are linearly separable; XOR is the classic case where it cannot.
"""

from __future__ import annotations

import numpy as np

from engine import rules
from engine.activations import get_activation, threshold_activations
from engine.errors import EngineError
from engine.initializers import get_initializer
from engine.spec import NetworkSpec, TrainedValues


class Perceptron:
    def __init__(self, spec: NetworkSpec, W: np.ndarray, b: np.ndarray) -> None:
        self.spec = spec
        self.W, self.b = W, b  # W: (inputs + constants, outputs); b: (outputs,)
        self.sources = spec.input_indices + [
            i for i, n in enumerate(spec.nodes) if n.kind == "constant"]
        self.outputs = spec.output_indices
        acts = [get_activation(spec.nodes[o].activation) for o in self.outputs]
        # output columns per threshold activation: one forward call per group, not per column
        self._groups = [(act, np.array([k for k, b in enumerate(acts) if b is act]))
                        for act in dict.fromkeys(acts)]
        # a threshold whose low value is negative (sign) learns ±1 targets from 0/1 labels
        self.bipolar = np.array([act.output_range[0] < 0 for act in acts])
        self.bias_mask = np.array([1.0 if spec.nodes[o].has_bias else 0.0 for o in self.outputs])

    @classmethod
    def from_spec(cls, spec: NetworkSpec, rng: np.random.Generator | None = None,
                  init: tuple[str, str] = ("zeros", "zeros")) -> Perceptron:
        """Build from a spec; values left None are drawn with ``init`` from ``rng``."""
        rng = rng or np.random.default_rng(0)
        hidden = [n.name for n in spec.nodes if n.kind == "unit" and not n.is_output]
        if hidden:
            raise EngineError(rules.perceptron_hidden(hidden))
        thresholds = threshold_activations()
        bad = [n.name for n in spec.nodes if n.is_output and n.activation not in thresholds]
        if bad:
            raise EngineError(rules.perceptron_outputs(bad))
        if not spec.output_indices:
            raise EngineError(rules.NO_OUTPUT)
        sources = spec.input_indices + [i for i, n in enumerate(spec.nodes) if n.kind == "constant"]
        row = {node: k for k, node in enumerate(sources)}
        col = {node: k for k, node in enumerate(spec.output_indices)}
        W = np.zeros((len(sources), len(col)))
        b = np.zeros(len(col))
        w_init, b_init = get_initializer(init[0]), get_initializer(init[1])
        for e in spec.edges:
            W[row[e.source], col[e.target]] = (
                w_init(rng, (1,), len(sources), 1)[0] if e.weight is None else e.weight)
        for o, k in col.items():
            node = spec.nodes[o]
            if node.has_bias:
                b[k] = b_init(rng, (1,), len(sources), 1)[0] if node.bias is None else node.bias
        p = cls(spec, W, b)
        p.mask = np.zeros_like(W)
        for e in spec.edges:
            p.mask[row[e.source], col[e.target]] = 1.0
        return p

    @property
    def n_inputs(self) -> int:
        return self.spec.n_inputs

    @property
    def n_outputs(self) -> int:
        return len(self.outputs)

    def _sources(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise EngineError(f"expected rows of {self.n_inputs} inputs, got shape {X.shape}")
        extra = len(self.sources) - self.n_inputs
        return np.hstack([X, np.ones((len(X), extra))]) if extra else X

    def _threshold(self, z: np.ndarray) -> np.ndarray:
        """Each output's own activation applied to its column(s) of ``z`` (rows or one row)."""
        if len(self._groups) == 1:
            return self._groups[0][0].forward(z)
        y = np.empty_like(z)
        for act, cols in self._groups:
            y[..., cols] = act.forward(z[..., cols])
        return y

    def forward(self, X: np.ndarray) -> np.ndarray:
        return self._threshold(self._sources(X).dot(self.W) + self.b)


    def train_epoch(self, X: np.ndarray, Y: np.ndarray, lr: float) -> int:
        """One pass of the perceptron rule in sample order; returns how many were misclassified."""
        S = self._sources(X)
        T = np.where(self.bipolar, np.where(Y > 0.5, 1.0, -1.0), Y)
        errors = 0
        for s, t in zip(S, T, strict=True):
            z = s.dot(self.W) + self.b
            y = self._threshold(z)
            diff = t - y
            if diff.any():
                errors += 1
                self.W += lr * np.outer(s, diff) * self.mask
                self.b += lr * diff * self.bias_mask
        return errors

    def trained_values(self) -> TrainedValues:
        row = {node: k for k, node in enumerate(self.sources)}
        col = {node: k for k, node in enumerate(self.outputs)}
        weights = tuple(float(self.W[row[e.source], col[e.target]]) for e in self.spec.edges)
        biases = tuple(
            float(self.b[col[i]]) if i in col and node.has_bias else None
            for i, node in enumerate(self.spec.nodes))
        return TrainedValues(weights, biases)

    def all_finite(self) -> bool:
        return bool(np.isfinite(self.W).all() and np.isfinite(self.b).all())

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        return self.W.copy(), self.b.copy()

    def restore(self, snap: tuple[np.ndarray, np.ndarray]) -> None:
        self.W[...], self.b[...] = snap
