"""The network as an exporter sees it: dense stages on named tensors, built from the layered export.

Each stage is ``activation(concat(sources) @ weight.T + bias)`` for the units of one depth level
that share an activation (``weight`` is units × source columns, as in ``nn.Linear`` and ONNX
``Gemm`` with ``transB=1``); missing wires are exact zeros, and ``mask`` says which entries are
wires. A stage reads only the tensors it has wires from, so a plain chain has no ``Concat`` and a
skip link is one more source. Bias neurons (constants) are folded into the biases.

``features`` (derived columns, written by each exporter from ``FEATURE_FORMS``) and ``preprocess``
(scaling stages) run on the raw inputs before the network (input scaling, feature
inputs): every exporter applies them in order, so adding one is one record here plus its line in
each writer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from engine.activations import get_activation
from engine.errors import EngineError
from playground import __version__
from playground.document import build
from playground.document.model import Document

INPUT = "input"
OUTPUT = "output"


@dataclass(frozen=True)
class Scale:
    """A preprocessing stage: ``x' = (x − offset) · factor`` per input column."""

    offset: np.ndarray
    factor: np.ndarray


# How each feature input of engine/features.py is written by an exporter: the product of two raw
# columns, or the sine of one (a feature without a row here fails tests/exporters).
FEATURE_FORMS: dict[str, tuple[str, int, int]] = {
    "x1_squared": ("mul", 0, 0), "x2_squared": ("mul", 1, 1), "x1_x2": ("mul", 0, 1),
    "sin_x1": ("sin", 0, 0), "sin_x2": ("sin", 1, 1),
}


def feature_column(name: str, x: np.ndarray) -> np.ndarray:
    op, i, j = FEATURE_FORMS[name]
    return x[:, i] * x[:, j] if op == "mul" else np.sin(x[:, i])


@dataclass(frozen=True)
class Dense:
    name: str  # the tensor it produces
    sources: tuple[str, ...]  # tensors concatenated (axis 1) as its input
    weight: np.ndarray  # (units, source columns)
    mask: np.ndarray  # bool, like weight: True where a wire exists
    bias: np.ndarray  # (units,)
    activation: str
    units: tuple[str, ...]  # neuron names, one per column of the output


@dataclass(frozen=True)
class NetworkIR:
    title: str
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    stages: tuple[Dense, ...]
    outputs: tuple[str, ...]  # tensors concatenated into the output
    order: tuple[int, ...] | None = None  # columns of that concatenation, in output order; None: as is
    preprocess: tuple[Scale, ...] = field(default_factory=tuple)
    features: tuple[str, ...] = ()  # derived columns appended to the raw inputs, before ``preprocess``
    version: str = __version__

    def width(self, tensor: str) -> int:
        if tensor == INPUT:
            return len(self.input_names)
        return next(len(s.units) for s in self.stages if s.name == tensor)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The forward pass in numpy with the engine's activations: what every writer mirrors."""
        x = np.asarray(X, dtype=np.float64)
        if self.features:
            x = np.column_stack([x] + [feature_column(name, x) for name in self.features])
        for p in self.preprocess:
            x = (x - p.offset) * p.factor
        tensors = {INPUT: x}
        for s in self.stages:
            z = np.hstack([tensors[t] for t in s.sources]) @ s.weight.T + s.bias
            tensors[s.name] = get_activation(s.activation).forward(z)
        out = np.hstack([tensors[t] for t in self.outputs])
        return out if self.order is None else out[:, list(self.order)]


HOPFIELD_REFUSAL = (
    "a Hopfield memory recalls by updating its units until the state settles, a loop a "
    "feed-forward runtime does not run; export its weight matrix as .npz or .json instead")


def network_ir(doc: Document) -> NetworkIR:
    """The document's network with its current weights (values left empty drawn from its seed)."""
    if doc.mode == "hopfield":
        raise EngineError(HOPFIELD_REFUSAL)
    data = build.export_document(doc)
    ir = ir_from_layered(data, doc.title)
    record = data.get("preprocess")
    if not record:
        return ir
    features = tuple(record["features"])
    scaling = record["scaling"]
    stages = () if scaling is None else (Scale(np.asarray(scaling["offset"], np.float64),
                                               1.0 / np.asarray(scaling["scale"], np.float64)),)
    raw = ir.input_names[:len(ir.input_names) - len(features)]  # the data's own columns come first
    return dataclasses.replace(ir, input_names=raw, features=features, preprocess=stages)


def ir_from_layered(data: dict, title: str = "") -> NetworkIR:
    """Stages from ``engine.export.layered`` data: one per (level, activation), outputs last
    (the output is the concatenation of the stages holding them, reordered when it must be)."""
    inputs, constants = list(data["inputs"]), set(data["constants"])
    where: dict[str, tuple[str, int]] = {name: (INPUT, k) for k, name in enumerate(inputs)}
    widths = {INPUT: len(inputs)}
    stages: list[Dense] = []
    layers = data["layers"]
    for depth, layer in enumerate(layers, 1):
        units = range(len(layer["units"]))  # dead ends too: an import gets every neuron back
        W = np.array(layer["weights"], dtype=np.float64).reshape(len(layer["sources"]), -1)
        M = np.array(layer["mask"], dtype=bool).reshape(W.shape)
        groups: dict[str, list[int]] = {}
        for u in units:
            groups.setdefault(layer["activations"][u], []).append(u)
        made = []
        for activation, cols in groups.items():
            name = f"layer{depth}" if len(groups) == 1 else f"layer{depth}_{activation}"
            made.append(_stage(name, activation, cols, layer, W, M, where, widths, constants))
        for stage in made:
            widths[stage.name] = len(stage.units)
            where.update({unit: (stage.name, c) for c, unit in enumerate(stage.units)})
        stages += made
    tensors = list(dict.fromkeys(where[o][0] for o in data["outputs"]))
    offsets = dict(zip(tensors, np.cumsum([0] + [widths[t] for t in tensors]).tolist(), strict=False))
    order = tuple(offsets[where[o][0]] + where[o][1] for o in data["outputs"])
    if order == tuple(range(sum(widths[t] for t in tensors))):
        order = None
    if len(tensors) == 1 and order is None:  # the last stage is the output: name it so
        stages = [s if s.name != tensors[0] else _renamed(s, OUTPUT) for s in stages]
        tensors = [OUTPUT]
    return NetworkIR(title, tuple(inputs), tuple(data["outputs"]), tuple(stages), tuple(tensors), order)


def _stage(name: str, activation: str, cols: list[int], layer: dict, W: np.ndarray, M: np.ndarray,
           where: dict[str, tuple[str, int]], widths: dict[str, int], constants: set[str]) -> Dense:
    """One stage: the columns of the tensors this group has wires from, constants into the bias."""
    rows = {name: k for k, name in enumerate(layer["sources"])}
    bias = np.array([layer["biases"][u] for u in cols], dtype=np.float64)
    wired = {where[s][0] for s, k in rows.items() if s in where and M[k, cols].any()}
    sources = [t for t in widths if t in wired] or [INPUT]
    starts = dict(zip(sources, np.cumsum([0] + [widths[t] for t in sources]).tolist(), strict=False))
    weight = np.zeros((len(cols), sum(widths[t] for t in sources)))
    mask = np.zeros(weight.shape, dtype=bool)
    for source, k in rows.items():
        if source in constants:
            bias = bias + np.where(M[k, cols], W[k, cols], 0.0)
        elif source in where and where[source][0] in starts:
            tensor, c = where[source]
            weight[:, starts[tensor] + c] = np.where(M[k, cols], W[k, cols], 0.0)
            mask[:, starts[tensor] + c] = M[k, cols]
    return Dense(name, tuple(sources), weight, mask, bias, activation,
                 tuple(layer["units"][u] for u in cols))


def _renamed(stage: Dense, name: str) -> Dense:
    return Dense(name, stage.sources, stage.weight, stage.mask, stage.bias, stage.activation, stage.units)
