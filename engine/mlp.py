"""A multilayer perceptron on any feed-forward graph: forward, backward, training steps.

Parameters are one masked weight block per (source level → target level) pair with wires, then
one bias vector per level. Gradients are masked, so weights where no wire exists stay exactly 0.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy as np

from engine.activations import get_activation
from engine.errors import EngineError
from engine.initializers import get_initializer
from engine.losses import get_loss
from engine.mlp_layout import Layout, build_layout
from engine.optimizers import Optimizer
from engine.spec import NetworkSpec, TrainedValues

# (output activation, loss) pairs whose output delta is exactly (ŷ − y)/size: no f'(z), no clipping
FUSED = {("sigmoid", "bce"), ("softmax", "cce")}


class _Buffers:
    """Everything one step on ``batch`` samples writes, allocated once: feature-major
    ``(units, batch)`` arrays, each level's activations with a trailing row of ones (the bias)."""

    def __init__(self, mlp: MLP, batch: int, training: bool = True) -> None:
        dt, sizes = mlp.dtype, mlp._sizes
        self.A = [np.ones((n + 1, batch), dt) for n in sizes]  # activations, then a row of ones
        self.rows = [a[:-1] for a in self.A]  # the activations alone (contiguous)
        self.Z = [None] + [np.empty((n, batch), dt) for n in sizes[1:]]
        self.tmp = [np.empty((n, batch), dt) for n in sizes]
        if not training:
            return
        self.D = [None] + [np.zeros((n, batch), dt) for n in sizes[1:]]  # dL/dz
        self.back = [np.zeros((n, batch), dt) for n in sizes]  # dL/da
        self.Y = np.empty((mlp.n_outputs, batch), dt)


class MLP:
    def __init__(self, spec: NetworkSpec, layout: Layout, dtype: type = np.float64) -> None:
        self.spec, self.layout, self.dtype = spec, layout, np.dtype(dtype).type
        self._n_outputs = spec.n_outputs  # read every step: computed once
        self._sizes = [len(lv.nodes) for lv in layout.levels]
        top = layout.levels[-1]
        names = {name for name, _ in top.groups}
        # the output activation when the top level is exactly the outputs with one activation
        self._top_activation = names.pop() if len(top.nodes) == self._n_outputs and len(names) == 1 else None
        self._into = [[k for k, b in enumerate(layout.blocks) if b.target == t]
                      for t in range(len(layout.levels))]
        # Parameters live target-major in one flat vector (so an optimizer updates all of them in
        # a handful of calls): block k→t is an (n_t, n_k) matrix, and the first block into each
        # level carries that level's biases as one more column, which the row of ones under the
        # source's activations multiplies. A level fed by no wire keeps a plain bias vector.
        shapes = []
        for t in range(1, len(layout.levels)):
            if not self._into[t]:
                shapes.append((self._sizes[t],))
            for j, k in enumerate(self._into[t]):
                shapes.append((self._sizes[t], self._sizes[layout.blocks[k].source] + (j == 0)))
        self._shapes = shapes
        self.flat = np.zeros(sum(math.prod(shape) for shape in shapes), self.dtype)
        self._grad = np.zeros_like(self.flat)
        self._chunks, self._grad_chunks = self._carve(self.flat, shapes), self._carve(self._grad, shapes)
        self._matrix: dict[int, int] = {}  # block -> index in _chunks
        self._bias_at: list[tuple[int, int | None]] = []  # level t ≥ 1 -> (chunk, column or None)
        c = 0
        for t in range(1, len(layout.levels)):
            if not self._into[t]:
                self._bias_at.append((c, None))
                c += 1
            for j, k in enumerate(self._into[t]):
                self._matrix[k] = c
                if j == 0:
                    self._bias_at.append((c, self._sizes[layout.blocks[k].source]))
                c += 1
        self.weights = [self._weight_view(self._chunks, k) for k in range(len(layout.blocks))]
        self.biases = [self._bias_view(self._chunks, t) for t in range(1, len(layout.levels))]
        self.params = self.weights + self.biases
        self.masks = [b.mask.astype(self.dtype) for b in layout.blocks]
        self.bias_masks = [lv.bias_mask.astype(self.dtype) for lv in layout.levels[1:]]
        # per chunk, the gradient mask (wires that exist, units with a bias) or None when all do
        self._grad_masks: list[np.ndarray | None] = [None] * len(shapes)
        for k, block in enumerate(layout.blocks):
            m = np.ones(shapes[self._matrix[k]], self.dtype)
            m[:, : block.mask.shape[0]] = block.mask.T
            self._grad_masks[self._matrix[k]] = m
        for t, (chunk, col) in enumerate(self._bias_at, start=1):
            if col is None:
                self._grad_masks[chunk] = self.bias_masks[t - 1].copy()
            else:
                self._grad_masks[chunk][:, col] = self.bias_masks[t - 1]
        self._grad_masks = [None if m is None or m.all() else m for m in self._grad_masks]
        # per level above the inputs, looked up once: (chunk, source level, reads the ones row)
        self._feeds = [[(self._matrix[k], layout.blocks[k].source, j == 0) for j, k in enumerate(into)]
                       for into in self._into]
        self._single = [None] + [get_activation(lv.groups[0][0]) if len(lv.groups) == 1 else None
                                 for lv in layout.levels[1:]]
        self._groups = [[(get_activation(name), cols) for name, cols in lv.groups] for lv in layout.levels]
        # dL/da of a level is written by its first consumer and added to by the others
        self._consumed = [False] * len(layout.levels)
        self._writes: list[list[bool]] = []
        for t in range(len(layout.levels) - 1, -1, -1):
            flags = []
            for _, src, _ in self._feeds[t]:
                flags.append(not self._consumed[src])
                self._consumed[src] = True
            self._writes.insert(0, flags)
        self._buffers: dict[int, _Buffers] = {}  # training, by batch size (one thread trains)
        self._eval: dict[tuple, tuple[MLP, _Buffers]] = {}  # evaluation, by (thread, size, dtype)
        self._inputs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._edge_pos = []
        for e in spec.edges:
            (ks, cs), (kt, ct) = layout.column[e.source], layout.column[e.target]
            block = next(k for k, b in enumerate(layout.blocks) if (b.source, b.target) == (ks, kt))
            self._edge_pos.append((block, cs, ct))

    @staticmethod
    def _carve(flat: np.ndarray, shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
        out, start = [], 0
        for shape in shapes:
            size = math.prod(shape)
            out.append(flat[start:start + size].reshape(shape))
            start += size
        return out

    def _weight_view(self, chunks: list[np.ndarray], k: int) -> np.ndarray:
        """Block k as (source units, target units): a view, the layout everything outside uses."""
        return chunks[self._matrix[k]][:, : self.layout.blocks[k].mask.shape[0]].T

    def _bias_view(self, chunks: list[np.ndarray], t: int) -> np.ndarray:
        chunk, col = self._bias_at[t - 1]
        return chunks[chunk] if col is None else chunks[chunk][:, col]

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
    def _check_inputs(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise EngineError(f"expected rows of {self.n_inputs} inputs, got shape {X.shape}")
        return X

    def _level0(self, X: np.ndarray, A0: np.ndarray) -> None:
        """Inputs into the rows of A0 (feature-major); constants and the bias row stay ones."""
        np.copyto(A0[: self.n_inputs], self._check_inputs(X).T, casting="unsafe")

    def _run_forward(self, b: _Buffers, A0: np.ndarray, chunks: list[np.ndarray]) -> None:
        """Every level's z and activation into ``b`` from the inputs in ``A0``."""
        A, rows, Z, tmp = b.A, b.rows, b.Z, b.tmp
        A = [A0, *A[1:]]
        for t in range(1, len(self._feeds)):
            z, feeds = Z[t], self._feeds[t]
            if feeds:
                chunk, src, ones = feeds[0]
                chunks[chunk].dot(A[src] if ones else rows[src], out=z)
                for chunk, src, _ in feeds[1:]:
                    chunks[chunk].dot(rows[src], out=tmp[t])
                    z += tmp[t]
            else:
                np.copyto(z, chunks[self._bias_at[t - 1][0]][:, None])
            single = self._single[t]
            if single is not None and single.forward_into is not None:
                single.forward_into(z, rows[t])
            else:  # samples along rows for the registry's functions (softmax normalises a row)
                for act, cols in self._groups[t]:
                    rows[t][cols] = act.forward(z[cols].T).T

    def _evaluate(self, XT: np.ndarray, dtype: type | None) -> _Buffers:
        """A forward pass of feature-major inputs ``XT`` (n_inputs, batch) in buffers of this
        thread's own (the app's worker and GUI threads may both evaluate one net)."""
        dtype = self.flat.dtype if dtype is None else np.dtype(dtype)
        key = (threading.get_ident(), len(XT[0]) if len(XT) else 0, dtype)
        held = self._eval.get(key)
        if held is None:
            if len(self._eval) >= 8:
                self._eval.clear()
            # another dtype (a float32 grid of a float64 net) runs on a cast copy of the parameters
            twin = self if dtype == self.flat.dtype else MLP(self.spec, self.layout, dtype.type)
            held = self._eval[key] = (twin, _Buffers(twin, key[1], training=False))
        twin, b = held
        if twin is not self:
            np.copyto(twin.flat, self.flat, casting="unsafe")
        np.copyto(b.rows[0][: self.n_inputs], XT, casting="unsafe")
        twin._run_forward(b, b.A[0], twin._chunks)
        return b

    def _features(self, X: np.ndarray) -> np.ndarray:
        return self._check_inputs(X).T

    def forward(self, X: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """Outputs for rows of inputs, in the spec's output order (computed in ``dtype`` if given)."""
        return self.forward_features(self._features(X), dtype).T

    def forward_features(self, XT: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """(n_outputs, batch) outputs for feature-major inputs (n_inputs, batch): a grid's layout."""
        return self._chunked(XT, dtype, lambda b: b.rows[-1][: self.n_outputs], self.n_outputs)

    def node_outputs(self, X: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """Every spec node's activation per row (inputs and constants included)."""
        return self.node_outputs_features(self._features(X), dtype).T

    def node_outputs_features(self, XT: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """(n_nodes, batch): every spec node's activation for feature-major inputs."""
        order = [self.layout.column[node] for node in range(len(self.spec.nodes))]

        def pick(b: _Buffers) -> np.ndarray:
            return np.stack([b.A[level][col] for level, col in order])
        return self._chunked(XT, dtype, pick, len(order))

    EVAL_CHUNK = 8192  # samples per forward pass: a 2-8-8-1 net's buffers stay in L2 (−30 % time)

    def _chunked(self, XT: np.ndarray, dtype: type | None,
                 pick: Callable[[_Buffers], np.ndarray], rows: int) -> np.ndarray:
        if XT.ndim != 2 or len(XT) != self.n_inputs:
            raise EngineError(f"expected {self.n_inputs} rows of inputs, got shape {XT.shape}")
        n = XT.shape[1]
        out = np.empty((rows, n), self.flat.dtype if dtype is None else dtype)
        for start in range(0, max(n, 1), self.EVAL_CHUNK):
            stop = min(start + self.EVAL_CHUNK, n)
            out[:, start:stop] = pick(self._evaluate(XT[:, start:stop], dtype))
        return out

    # -- loss and gradients ---------------------------------------------------------------
    def penalty(self, l1: float, l2: float) -> float:
        """l1·Σ|w| + l2·½Σw² over the wire weights (biases are not penalised)."""
        if not (l1 or l2):
            return 0.0
        return float(sum(l1 * np.abs(w).sum() + 0.5 * l2 * (w * w).sum() for w in self.weights))

    def loss(self, X: np.ndarray, Y: np.ndarray, loss_name: str, l1: float = 0.0,
             l2: float = 0.0) -> float:
        """Data loss plus l1·Σ|w| + l2·½Σw² over the wire weights (biases are not penalised)."""
        return get_loss(loss_name).value(np.asarray(Y, self.dtype), self.forward(X)) \
            + self.penalty(l1, l2)

    def gradients(self, X: np.ndarray, Y: np.ndarray, loss_name: str, l1: float = 0.0,
                  l2: float = 0.0, with_loss: bool = True,
                  scale: float = 1.0) -> tuple[float, list[np.ndarray]]:
        """Loss before any step (NaN unless ``with_loss``) and its gradient for every array in
        ``params`` (copies), times ``scale``."""
        value = self._backprop(*self._batch(X, Y), loss_name, l1, l2, with_loss, scale)
        grads = [self._weight_view(self._grad_chunks, k).copy() for k in range(len(self.weights))]
        grads += [self._bias_view(self._grad_chunks, t).copy() for t in range(1, len(self.biases) + 1)]
        return value, grads

    def _batch(self, X: np.ndarray, Y: np.ndarray) -> tuple[_Buffers, np.ndarray, np.ndarray]:
        """Buffers for this batch size with X and Y in them (feature-major)."""
        X = self._check_inputs(X)
        Y = np.asarray(Y)
        if Y.shape != (len(X), self.n_outputs):
            raise EngineError(f"targets have shape {Y.shape}, the outputs {(len(X), self.n_outputs)}")
        b = self._buffers_for(len(X))
        self._level0(X, b.A[0])
        np.copyto(b.Y, Y.T, casting="unsafe")
        return b, b.A[0], b.Y

    def _buffers_for(self, batch: int) -> _Buffers:
        b = self._buffers.get(batch)
        if b is None:
            if len(self._buffers) >= 4:  # a full batch, a batch size and its remainder, a spare
                self._buffers.clear()
            b = self._buffers[batch] = _Buffers(self, batch)
        return b

    def _backprop(self, b: _Buffers, A0: np.ndarray, YT: np.ndarray, loss_name: str, l1: float,
                  l2: float, with_loss: bool, scale: float) -> float:
        """Forward, then every parameter's gradient × ``scale`` into ``self._grad``; returns the
        loss of the forward pass (NaN unless ``with_loss``): the fewest numpy calls we found."""
        chunks, grads = self._chunks, self._grad_chunks
        self._run_forward(b, A0, chunks)
        top = len(self._sizes) - 1
        n_out, rows, D, back, tmp = self.n_outputs, b.rows, b.D, b.back, b.tmp
        A = [A0, *b.A[1:]]
        out = rows[top][:n_out]
        loss = get_loss(loss_name)
        value = loss.value(YT.T, out.T) + self.penalty(l1, l2) if with_loss else math.nan
        pair = (self._top_activation, loss_name)
        if pair in FUSED:  # (ŷ − y)·scale/size: exact, no clipping
            np.subtract(out, YT, out=D[top])
            D[top] *= scale / (YT.size if pair[1] == "bce" else YT.shape[1])
        else:
            back[top][:n_out] = loss.gradient(YT.T, out.T).T
            if scale != 1.0:
                back[top] *= scale
            self._delta(top, b)
        l1, l2 = l1 * scale, l2 * scale
        for t in range(top, 0, -1):
            if t < top:
                self._delta(t, b)
            delta = D[t]
            if not self._feeds[t]:
                np.add.reduce(delta, axis=1, out=grads[self._bias_at[t - 1][0]])
            for (chunk, src, ones), writes in zip(self._feeds[t], self._writes[t], strict=True):
                g, w = grads[chunk], chunks[chunk]
                delta.dot((A[src] if ones else rows[src]).T, out=g)
                if l1 or l2:
                    n = self._sizes[src]
                    if l1:
                        g[:, :n] += l1 * np.sign(w[:, :n])
                    if l2:
                        g[:, :n] += l2 * w[:, :n]
                if src > 0:
                    wt = w[:, : self._sizes[src]].T
                    if writes:
                        wt.dot(delta, out=back[src])
                    else:
                        wt.dot(delta, out=tmp[src])
                        back[src] += tmp[src]
            for chunk, _, _ in self._feeds[t] or [(self._bias_at[t - 1][0], 0, False)]:
                mask = self._grad_masks[chunk]
                if mask is not None:
                    grads[chunk] *= mask
        return value

    def _delta(self, t: int, b: _Buffers) -> None:
        """dL/dz of level t into ``b.D`` from dL/da in ``b.back``."""
        if not self._consumed[t] and t < len(self._sizes) - 1:
            return  # nothing reads this level: its delta stays zero
        single, rows = self._single[t], b.rows[t]
        if single is not None and single.backward_into is not None:
            single.backward_into(rows, b.back[t], b.tmp[t], b.D[t])
            return
        z, back, D = b.Z[t], b.back[t], b.D[t]
        for act, cols in self._groups[t]:
            D[cols] = act.backward(z[cols].T, rows[cols].T, back[cols].T).T

    # -- training -------------------------------------------------------------------------
    def train_batch(self, X: np.ndarray, Y: np.ndarray, loss_name: str, optimizer: Optimizer,
                    l1: float = 0.0, l2: float = 0.0, with_loss: bool = False) -> float:
        """One optimizer step on one batch (plain SGD has its learning rate folded in: p -= g);
        returns the loss before the step when ``with_loss`` (it costs one reduction), else NaN."""
        value = self._backprop(*self._batch(X, Y), loss_name, l1, l2, with_loss,
                               optimizer.gradient_scale())
        optimizer.apply([self.flat], [self._grad])
        return value

    def _resident(self, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The whole set feature-major (ones row included), copied once per read-only dataset."""
        held = self._inputs
        if held is None or held[0] is not X or held[1] is not Y or X.flags.writeable or Y.flags.writeable:
            X, Y = self._check_inputs(X), np.asarray(Y)
            XT = np.ones((self._sizes[0] + 1, len(X)), self.dtype)
            np.copyto(XT[: self.n_inputs], X.T, casting="unsafe")
            held = self._inputs = (X, Y, XT, np.ascontiguousarray(Y.T, self.dtype))
        return held[2], held[3]

    def train_epoch(self, X: np.ndarray, Y: np.ndarray, loss_name: str, optimizer: Optimizer,
                    batch_size: int, shuffle: bool, rng: np.random.Generator, l1: float = 0.0,
                    l2: float = 0.0, with_loss: bool = False) -> float:
        """One pass over the data in batches (≤ 0 or ≥ n: full batch; 1: per sample). Returns
        the full batch's loss before its step when ``with_loss`` (NaN for mini-batches)."""
        n = len(X)
        Y = np.asarray(Y)
        if Y.shape != (n, self.n_outputs):
            raise EngineError(f"targets have shape {Y.shape}, the outputs {(n, self.n_outputs)}")
        XT, YT = self._resident(X, Y)
        scale = optimizer.gradient_scale()
        if batch_size <= 0 or batch_size >= n:
            b = self._buffers_for(n)
            value = self._backprop(b, XT, YT, loss_name, l1, l2, with_loss, scale)
            optimizer.apply([self.flat], [self._grad])
            return value
        order = rng.permutation(n) if shuffle else None
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            b = self._buffers_for(stop - start)
            if order is None:
                A0, Yb = XT[:, start:stop], YT[:, start:stop]
            else:
                idx = order[start:stop]
                A0, Yb = b.A[0], b.Y
                XT.take(idx, axis=1, out=A0)  # the bound method: np.take adds a wrapper call
                YT.take(idx, axis=1, out=Yb)
            self._backprop(b, A0, Yb, loss_name, l1, l2, False, scale)
            optimizer.apply([self.flat], [self._grad])
        return math.nan

    # -- what the glass box reads (engine/explain.py) ------------------------------------------
    def parameter_positions(self) -> tuple[list[int], list[int | None]]:
        """Index into ``flat`` of each spec edge's weight and each node's bias (None: no bias),
        so one example's gradients can be laid out exactly as the optimizer sees them."""
        where = self._carve(np.arange(self.flat.size), self._shapes)  # the same views, of indices
        weights = [self._weight_view(where, k) for k in range(len(self.layout.blocks))]
        edges = [int(weights[b][r, c]) for b, r, c in self._edge_pos]
        biases: list[int | None] = []
        for i, node in enumerate(self.spec.nodes):
            if node.kind != "unit" or not node.has_bias:
                biases.append(None)
            else:
                level, col = self.layout.column[i]
                biases.append(int(self._bias_view(where, level)[col]))
        return edges, biases

    def output_delta(self, loss_name: str, Y: np.ndarray, out: np.ndarray) -> np.ndarray | None:
        """δ at the outputs (rows: examples) when this loss and the output activation fuse:
        (ŷ − y)/size, as ``_backprop`` computes it; None when they do not."""
        pair = (self._top_activation, loss_name)
        if pair not in FUSED:
            return None
        return (out - Y) / (Y.size if loss_name == "bce" else len(Y))

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
