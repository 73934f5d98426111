"""A multilayer perceptron on any feed-forward graph: forward, backward, training steps.

Parameters are one masked weight block per (source level → target level) pair with wires, then
one bias vector per level. Gradients are masked, so weights where no wire exists stay exactly 0.
"""

from __future__ import annotations

import math

import numpy as np

from engine.activations import Activation, get_activation
from engine.errors import EngineError
from engine.initializers import get_initializer
from engine.losses import get_loss
from engine.mlp_layout import Layout, build_layout
from engine.optimizers import Optimizer
from engine.spec import NetworkSpec, TrainedValues


class MLP:
    def __init__(self, spec: NetworkSpec, layout: Layout, dtype: type = np.float64) -> None:
        self.spec, self.layout, self.dtype = spec, layout, dtype
        self._n_outputs = spec.n_outputs  # read every step: computed once
        self._dense = [bool(b.mask.all()) for b in layout.blocks]
        self._all_biases = [bool(lv.bias_mask.all()) for lv in layout.levels[1:]]
        top = layout.levels[-1]
        names = {name for name, _ in top.groups}
        # the output activation when the top level is exactly the outputs with one activation
        self._top_activation = names.pop() if len(top.nodes) == self._n_outputs and len(names) == 1 else None
        self._outputs_fill_top = len(top.nodes) == self._n_outputs
        shapes = [b.mask.shape for b in layout.blocks] + [(len(lv.nodes),) for lv in layout.levels[1:]]
        # every parameter array is a view into one flat vector, so an optimizer updates all of them
        # with a handful of numpy calls instead of a handful per array (Adam: ~12 calls, not ~70)
        self.flat = np.zeros(sum(math.prod(shape) for shape in shapes), dtype)
        self.params = []
        start = 0
        for shape in shapes:
            size = math.prod(shape)
            self.params.append(self.flat[start:start + size].reshape(shape))
            start += size
        self.weights = self.params[: len(layout.blocks)]
        self.biases = self.params[len(layout.blocks):]
        self.masks = [b.mask.astype(dtype) for b in layout.blocks]
        self.bias_masks = [lv.bias_mask.astype(dtype) for lv in layout.levels[1:]]
        self._into = [[k for k, b in enumerate(layout.blocks) if b.target == t]
                      for t in range(len(layout.levels))]
        # per level above the inputs, looked up once: (block, source level) pairs feeding it, and
        # its activation when the whole level shares one (the common case; None for mixed levels)
        self._feeds = [[(k, layout.blocks[k].source) for k in into] for into in self._into]
        self._single = [None] + [get_activation(lv.groups[0][0]) if len(lv.groups) == 1 else None
                                 for lv in layout.levels[1:]]
        self._edge_pos = []
        for e in spec.edges:
            (ks, cs), (kt, ct) = layout.column[e.source], layout.column[e.target]
            block = next(k for k, b in enumerate(layout.blocks) if (b.source, b.target) == (ks, kt))
            self._edge_pos.append((block, cs, ct))

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_spec(cls, spec: NetworkSpec, dtype: type = np.float64,
                  rng: np.random.Generator | None = None,
                  init: tuple[str, str] = ("xavier", "zeros")) -> MLP:
        """Build from a spec; values left None are drawn with ``init`` from ``rng``."""
        mlp = cls(spec, build_layout(spec), dtype)
        mlp._fill(rng or np.random.default_rng(0), init, only_missing=True)
        return mlp

    def initialize(self, rng: np.random.Generator, weights: str = "xavier",
                   biases: str = "zeros") -> None:
        """Draw every trainable value afresh (the app's Reset)."""
        self._fill(rng, (weights, biases), only_missing=False)

    def _fill(self, rng: np.random.Generator, init: tuple[str, str], only_missing: bool) -> None:
        w_init, b_init = get_initializer(init[0]), get_initializer(init[1])
        fan_in = [0] * len(self.spec.nodes)
        fan_out = [0] * len(self.spec.nodes)
        for e in self.spec.edges:
            fan_in[e.target] += 1
            fan_out[e.source] += 1
        for (block, r, c), e in zip(self._edge_pos, self.spec.edges, strict=True):
            if e.weight is None or not only_missing:
                value = w_init(rng, (1,), fan_in[e.target], fan_out[e.target])[0]
            else:
                value = e.weight
            self.weights[block][r, c] = value
        for i, node in enumerate(self.spec.nodes):
            if node.kind != "unit":
                continue
            level, col = self.layout.column[i]
            if not node.has_bias:
                value = 0.0
            elif node.bias is None or not only_missing:
                value = b_init(rng, (1,), fan_in[i], fan_out[i])[0]
            else:
                value = node.bias
            self.biases[level - 1][col] = value

    @property
    def n_inputs(self) -> int:
        return self.layout.n_inputs

    @property
    def n_outputs(self) -> int:
        return self._n_outputs

    # -- forward --------------------------------------------------------------------------
    def _level0(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise EngineError(f"expected rows of {self.n_inputs} inputs, got shape {X.shape}")
        if self.layout.n_constants:
            X = np.hstack([X, np.ones((len(X), self.layout.n_constants), self.dtype)])
        return X

    def _forward_all(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        acts, zs = [self._level0(X)], [None]
        weights, biases, feeds, single = self.weights, self.biases, self._feeds, self._single
        for t in range(1, len(feeds)):
            if feeds[t]:
                (k, src), *rest = feeds[t]
                z = acts[src].dot(weights[k])
                for k, src in rest:
                    z += acts[src].dot(weights[k])
            else:
                z = np.zeros((len(X), len(biases[t - 1])), self.dtype)
            z += biases[t - 1]
            if single[t] is not None:
                a = single[t].forward(z)
            else:
                a = np.empty_like(z)
                for name, cols in self.layout.levels[t].groups:
                    a[:, cols] = get_activation(name).forward(z[:, cols])
            zs.append(z)
            acts.append(a)
        return acts, zs

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs for rows of inputs, in the spec's output order."""
        acts, _ = self._forward_all(X)
        return acts[-1][:, : self.n_outputs]


    def node_outputs(self, X: np.ndarray) -> np.ndarray:
        """Every spec node's activation per row (inputs and constants included)."""
        acts, _ = self._forward_all(X)
        out = np.empty((len(acts[0]), len(self.spec.nodes)), self.dtype)
        for node, (level, col) in self.layout.column.items():
            out[:, node] = acts[level][:, col]
        return out

    # -- loss and gradients ---------------------------------------------------------------
    def _penalty(self, l1: float, l2: float) -> float:
        if not (l1 or l2):
            return 0.0
        return float(sum(l1 * np.abs(w).sum() + 0.5 * l2 * (w * w).sum() for w in self.weights))

    def loss(self, X: np.ndarray, Y: np.ndarray, loss_name: str, l1: float = 0.0,
             l2: float = 0.0) -> float:
        """Data loss plus l1·Σ|w| + l2·½Σw² over the wire weights (biases are not penalised)."""
        return get_loss(loss_name).value(np.asarray(Y, self.dtype), self.forward(X)) \
            + self._penalty(l1, l2)

    def gradients(self, X: np.ndarray, Y: np.ndarray, loss_name: str, l1: float = 0.0,
                  l2: float = 0.0, with_loss: bool = True,
                  scale: float = 1.0) -> tuple[float, list[np.ndarray]]:
        """Loss before any step (NaN unless ``with_loss``) and its gradient for every array in
        ``params``, times ``scale``. Training skips the loss value (the loop evaluates it once per
        epoch) and plain SGD passes its learning rate as ``scale`` (one multiply, not one per array)."""
        loss = get_loss(loss_name)
        acts, zs = self._forward_all(X)
        Y = np.asarray(Y, self.dtype)
        top = len(self.layout.levels) - 1
        out = acts[top] if self._outputs_fill_top else acts[top][:, : self.n_outputs]
        if Y.shape != out.shape:
            raise EngineError(f"targets have shape {Y.shape}, the outputs {out.shape}")
        value = loss.value(Y, out) + self._penalty(l1, l2) if with_loss else math.nan
        grad_a: list[np.ndarray | None] = [None] * (top + 1)
        fused = self._fused_delta(loss_name, Y, out, scale)
        if fused is None:
            grad_a[top] = np.zeros_like(acts[top])
            grad_a[top][:, : self.n_outputs] = loss.gradient(Y, out)
            if scale != 1.0:
                grad_a[top] *= scale
        l1, l2 = l1 * scale, l2 * scale
        grads: list[np.ndarray | None] = [None] * len(self.params)
        n_blocks = len(self.weights)
        for t in range(top, 0, -1):
            if t == top and fused is not None:
                if self._outputs_fill_top:
                    delta = fused
                else:  # units without consumers share the top level: their delta is zero
                    delta = np.zeros_like(acts[top])
                    delta[:, : self.n_outputs] = fused
            else:
                delta = self._delta(self.layout.levels[t], self._single[t], zs[t], acts[t], grad_a[t])
            bias_grad = np.add.reduce(delta, axis=0)  # delta.sum without its Python wrapper
            if not self._all_biases[t - 1]:
                bias_grad *= self.bias_masks[t - 1]
            grads[n_blocks + t - 1] = bias_grad
            for k, src in self._feeds[t]:
                g = acts[src].T.dot(delta)
                if not self._dense[k]:  # a fully wired block needs no mask
                    g *= self.masks[k]
                if l1:
                    g += l1 * np.sign(self.weights[k])
                if l2:
                    g += l2 * self.weights[k]
                grads[k] = g
                if src > 0:
                    back = delta.dot(self.weights[k].T)
                    grad_a[src] = back if grad_a[src] is None else grad_a[src] + back
        return value, grads

    def _fused_delta(self, loss_name: str, Y: np.ndarray, out: np.ndarray,
                     scale: float) -> np.ndarray | None:
        """(ŷ − y)·scale/size for sigmoid+bce and softmax+cce: exact and free of clipping error."""
        pair = (self._top_activation, loss_name)
        if pair == ("sigmoid", "bce"):
            return (out - Y) * (scale / Y.size)
        if pair == ("softmax", "cce"):
            return (out - Y) * (scale / len(Y))
        return None

    @staticmethod
    def _delta(level, single: Activation | None, z: np.ndarray, a: np.ndarray,
               grad_a: np.ndarray | None) -> np.ndarray:
        if grad_a is None:
            return np.zeros_like(z)
        if single is not None:
            return single.backward(z, a, grad_a)
        delta = np.empty_like(z)
        for name, cols in level.groups:
            delta[:, cols] = get_activation(name).backward(z[:, cols], a[:, cols], grad_a[:, cols])
        return delta

    # -- training -------------------------------------------------------------------------
    def train_batch(self, X: np.ndarray, Y: np.ndarray, loss_name: str, optimizer: Optimizer,
                    l1: float = 0.0, l2: float = 0.0) -> None:
        """One optimizer step on one batch (plain SGD has its learning rate folded in: p -= g)."""
        _, grads = self.gradients(X, Y, loss_name, l1, l2, with_loss=False,
                                  scale=optimizer.gradient_scale())
        optimizer.apply([self.flat], [np.concatenate([g.ravel() for g in grads])])

    def train_epoch(self, X: np.ndarray, Y: np.ndarray, loss_name: str, optimizer: Optimizer,
                    batch_size: int, shuffle: bool, rng: np.random.Generator, l1: float = 0.0,
                    l2: float = 0.0) -> None:
        """One pass over the data in batches (≤ 0 or ≥ n: full batch; 1: per sample)."""
        n = len(X)
        if batch_size <= 0 or batch_size >= n:
            self.train_batch(X, Y, loss_name, optimizer, l1, l2)
            return
        order = rng.permutation(n) if shuffle else None
        for start in range(0, n, batch_size):
            if order is None:
                xb, yb = X[start:start + batch_size], Y[start:start + batch_size]
            else:
                idx = order[start:start + batch_size]
                xb, yb = X[idx], Y[idx]
            self.train_batch(xb, yb, loss_name, optimizer, l1, l2)

    # -- what the glass box reads (engine/explain.py) ------------------------------------------
    def parameter_positions(self) -> tuple[list[int], list[int | None]]:
        """Index into ``flat`` of each spec edge's weight and each node's bias (None: no bias),
        so one example's gradients can be laid out exactly as the optimizer sees them."""
        offsets = np.cumsum([0] + [p.size for p in self.params]).tolist()
        edges = [offsets[b] + r * self.weights[b].shape[1] + c for b, r, c in self._edge_pos]
        n_blocks = len(self.weights)
        biases: list[int | None] = []
        for i, node in enumerate(self.spec.nodes):
            if node.kind != "unit" or not node.has_bias:
                biases.append(None)
            else:
                level, col = self.layout.column[i]
                biases.append(offsets[n_blocks + level - 1] + col)
        return edges, biases

    def output_delta(self, loss_name: str, Y: np.ndarray, out: np.ndarray) -> np.ndarray | None:
        """δ at the outputs when this loss and output activation fuse (ŷ − y scaled), else None."""
        return self._fused_delta(loss_name, Y, out, 1.0)

    # -- values ---------------------------------------------------------------------------
    def trained_values(self) -> TrainedValues:
        weights = tuple(float(self.weights[b][r, c]) for b, r, c in self._edge_pos)
        biases: list[float | None] = []
        for i, node in enumerate(self.spec.nodes):
            if node.kind != "unit" or not node.has_bias:
                biases.append(None)
            else:
                level, col = self.layout.column[i]
                biases.append(float(self.biases[level - 1][col]))
        return TrainedValues(weights, tuple(biases))

    def set_values(self, values: TrainedValues) -> None:
        for (b, r, c), w in zip(self._edge_pos, values.weights, strict=True):
            self.weights[b][r, c] = w
        for i, value in enumerate(values.biases):
            if value is not None and self.spec.nodes[i].has_bias:
                level, col = self.layout.column[i]
                self.biases[level - 1][col] = value

    def all_finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())

    def snapshot(self) -> np.ndarray:
        return self.flat.copy()

    def restore(self, snap: np.ndarray) -> None:
        self.flat[...] = snap
