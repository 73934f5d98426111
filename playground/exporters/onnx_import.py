"""A small ONNX model onto the canvas as a new project: dense chains, skip links, our activations.

Supported: ``Gemm`` (alpha = beta = 1, no transA) or ``MatMul`` + ``Add`` with constant weights,
``Concat``/``Gather``/``Identity`` on columns, and after each dense layer an elementwise
activation the playground has. An activation is recognised by what it computes, not by its op
names: the nodes between a dense layer and its next use are run (onnx's reference evaluator) on
probe values and compared with every activation of the registry, so ``Tanh`` and the exporter's
composed forms (swish = z·σ(z), step = Cast(z > 0)) all map back. Zero weights are missing wires.
Anything else is refused, naming the node.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.activations import ACTIVATIONS
from playground.document.errors import DocumentError
from playground.document.layout import auto_layout
from playground.document.limits import MAX_CONNECTIONS, MAX_NEURONS
from playground.document.model import Connection, Document, Neuron
from playground.document.validation import validate
from playground.exporters.extras import require
from playground.exporters.onnx_export import MASK_KEY, UNITS_KEY

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 10 * MAX_NEURONS  # a dense layer and a few activation nodes per level
ELEMENTWISE = frozenset((
    "Abs", "Add", "Cast", "Div", "Elu", "Equal", "Exp", "Greater", "GreaterOrEqual", "Identity",
    "LeakyRelu", "Less", "LessOrEqual", "Log", "Max", "Min", "Mul", "Neg", "Relu", "Sigmoid", "Sign",
    "Sin", "Softmax", "Softplus", "Sqrt", "Sub", "Tanh", "Where"))
PROBE = np.linspace(-6.0, 6.0, 97)


@dataclass
class Columns:
    """A tensor as the neurons whose values its columns hold."""

    ids: list[str]
    pre: bool = False  # a dense layer's sums, activation still to come
    region: list[int] = field(default_factory=list)  # indices of the activation's nodes so far
    base: str = ""  # the dense layer's tensor the region starts from


class Importer:
    def __init__(self, onnx: Any, model: Any) -> None:
        self.onnx, self.model, self.graph = onnx, model, model.graph
        self.consts = {t.name: self.array(t) for t in self.graph.initializer}
        self.tensors: dict[str, Columns] = {}
        self.neurons: dict[str, Neuron] = {}
        self.wires: list[tuple[str, str, float]] = []
        self.nodes = list(self.graph.node)
        self.settled: dict[str, str] = {}  # dense layer tensor -> the tensor that holds its activation

    def array(self, tensor: Any) -> np.ndarray:
        """A constant's values; one kept in an external file is refused (we read one file only)."""
        if tensor.data_location == self.onnx.TensorProto.EXTERNAL:
            raise DocumentError(f"the weights '{tensor.name}' are in a separate file: save the model "
                                "with its weights inside (onnx.save(..., save_as_external_data=False))")
        try:
            return self.onnx.numpy_helper.to_array(tensor).astype(np.float64)
        except (ValueError, TypeError, KeyError) as exc:  # KeyError: an element type onnx does not know
            raise DocumentError(f"the constant '{tensor.name}' cannot be read as numbers: {exc}") from None

    def constant(self, node: Any) -> np.ndarray:
        """A ``Constant`` node's value (a tensor or a plain number/list attribute)."""
        for a in node.attribute:
            if a.name == "value":
                return self.array(a.t)
            if a.name in ("value_float", "value_floats", "value_int", "value_ints"):
                return np.array(self.onnx.helper.get_attribute_value(a), dtype=np.float64)
        raise DocumentError(f"unsupported node '{_label(node)}': a Constant that is not a number")

    # -- graph walk ---------------------------------------------------------------------------
    def run(self) -> Document:
        if len(self.nodes) > MAX_NODES:
            raise DocumentError(f"the model has {len(self.nodes):,} nodes: more than a playground network "
                                f"({MAX_NODES:,})")
        inputs = [v for v in self.graph.input if v.name not in self.consts]
        if len(inputs) != 1 or len(self.graph.output) != 1:
            raise DocumentError("the model must have one input and one output "
                                f"(it has {len(inputs)} and {len(self.graph.output)})")
        width = _width(inputs[0], "input")
        names = _names(self.model, "input_names", width) or [f"x{k + 1}" for k in range(width)]
        for k in range(width):
            self.neurons[f"x{k + 1}"] = Neuron(f"x{k + 1}", "input", names[k], activation="linear")
        self.tensors[inputs[0].name] = Columns([f"x{k + 1}" for k in range(width)])
        for k, node in enumerate(self.nodes):
            self.visit(k, node)
        out = self.finished(self.graph.output[0].name, "the graph output")
        self.settle_dead_ends()
        return self.document(out)

    def settle_dead_ends(self) -> None:
        """Layers nothing reads (dead-end neurons) still get their activation: the longest chain."""
        last: dict[str, str] = {}
        for name, cols in self.tensors.items():
            if cols.pre and cols.base not in self.settled and \
                    len(cols.region) >= len(self.tensors[last.get(cols.base, name)].region):
                last[cols.base] = name
        for name in last.values():
            self.finished(name, "nothing")

    def visit(self, k: int, node: Any) -> None:
        op, ins = node.op_type, [i for i in node.input if i]
        if len(node.output) != 1:
            raise DocumentError(f"unsupported node '{node.name or op}' ({op}): it has "
                                f"{len(node.output)} outputs")
        if op == "Constant":
            self.consts[node.output[0]] = self.constant(node)
            return
        pending = [self.tensors[i] for i in ins if i in self.tensors and self.tensors[i].pre]
        if op in ELEMENTWISE and pending and len(pending) == len([i for i in ins if i not in self.consts]):
            if op == "Add" and self._bias(node, ins):
                return
            if len({p.base for p in pending}) != 1:
                raise DocumentError(f"unsupported node '{_label(node)}': it mixes two layers")
            base = pending[0]
            region = [*sorted({i for p in pending for i in p.region}), k]  # softplus: two branches
            self.tensors[node.output[0]] = Columns(base.ids, True, region, base.base)
            return
        if op == "Gemm":
            self.dense(node, ins, transpose=_attr(node, "transB", 0) == 1)
        elif op == "MatMul":
            self.dense(node, ins, transpose=False)
        elif op in ("Concat", "Identity", "Gather"):
            cols = [self.finished(i, _label(node)) for i in ins if i not in self.consts]
            if op == "Concat":
                if _attr(node, "axis", 1) not in (1, -1):
                    raise DocumentError(f"unsupported node '{_label(node)}': Concat must join columns")
                ids = [n for c in cols for n in c]
            elif op == "Gather":
                if _attr(node, "axis", 0) not in (1, -1) or len(ins) != 2 or ins[1] not in self.consts:
                    raise DocumentError(f"unsupported node '{_label(node)}': only a constant column Gather")
                picks = [int(j) for j in self.consts[ins[1]].reshape(-1)]
                if not all(-len(cols[0]) <= j < len(cols[0]) for j in picks):
                    raise DocumentError(f"node '{_label(node)}' picks a column that does not exist")
                ids = [cols[0][j] for j in picks]
            else:
                ids = cols[0]
            self.tensors[node.output[0]] = Columns(ids)
        else:
            raise DocumentError(f"unsupported node '{_label(node)}' ({op}): the playground imports "
                                "dense layers (Gemm, MatMul + Add), Concat and its activations")

    def _bias(self, node: Any, ins: list[str]) -> bool:
        """``Add`` of a constant right after a ``MatMul``: the layer's biases."""
        t = [i for i in ins if i in self.tensors]
        c = [i for i in ins if i in self.consts]
        if len(t) != 1 or len(c) != 1 or self.tensors[t[0]].region:
            return False
        cols = self.tensors[t[0]]
        try:
            bias = np.broadcast_to(self.consts[c[0]].reshape(-1), (len(cols.ids),))
        except ValueError:
            return False
        for nid, b in zip(cols.ids, bias, strict=True):
            self.neurons[nid].bias = float(self.neurons[nid].bias or 0.0) + float(b)
        del self.tensors[t[0]]  # the sums without their biases are nobody's to read
        self.tensors[node.output[0]] = Columns(cols.ids, True, [], node.output[0])
        return True

    def dense(self, node: Any, ins: list[str], transpose: bool) -> None:
        if len(ins) < 2 or ins[1] not in self.consts or ins[0] not in self.tensors:
            raise DocumentError(f"unsupported node '{_label(node)}': its weights must be constants")
        if node.op_type == "Gemm" and (_attr(node, "alpha", 1.0) != 1.0 or _attr(node, "beta", 1.0) != 1.0
                                       or _attr(node, "transA", 0)):
            raise DocumentError(f"unsupported node '{_label(node)}': Gemm with alpha, beta or transA")
        sources = self.finished(ins[0], _label(node))
        W = self.consts[ins[1]]
        W = W.T if transpose else W
        if W.ndim != 2 or W.shape[0] != len(sources):
            raise DocumentError(f"node '{_label(node)}': weights of shape {W.shape} do not fit "
                                f"{len(sources)} input columns")
        mask = self.mask(ins[1], W.shape, transpose)
        bias = np.zeros(W.shape[1])
        if len(ins) > 2:
            if ins[2] not in self.consts:
                raise DocumentError(f"unsupported node '{_label(node)}': its bias must be a constant")
            bias = np.broadcast_to(self.consts[ins[2]].reshape(-1), (W.shape[1],))
        ids = []
        labels = _names(self.model, UNITS_KEY + ins[1], W.shape[1])
        for j in range(W.shape[1]):
            nid = f"h{sum(n.role == 'hidden' for n in self.neurons.values()) + 1}"
            self.neurons[nid] = Neuron(nid, "hidden", labels[j] if labels else nid, activation="linear",
                                       bias=float(bias[j]))
            ids.append(nid)
            wired = zip(sources, W[:, j], mask[:, j], strict=True)
            self.wires += [(s, nid, float(w)) for s, w, m in wired if m]
        if len(self.neurons) > MAX_NEURONS or len(self.wires) > MAX_CONNECTIONS:
            raise DocumentError(f"the model is too big for the playground (over {MAX_NEURONS:,} "
                                f"neurons or {MAX_CONNECTIONS:,} wires)")
        self.tensors[node.output[0]] = Columns(ids, True, [], node.output[0])

    def mask(self, weight: str, shape: tuple[int, ...], transpose: bool) -> np.ndarray:
        """Which weights are wires: our exporter's metadata says; otherwise every non-zero one."""
        W = self.consts[weight]
        text = next((p.value for p in self.model.metadata_props if p.key == MASK_KEY + weight), None)
        try:
            mask = np.array(json.loads(text), dtype=bool) if text else W != 0.0
        except (ValueError, TypeError):
            mask = W != 0.0
        if mask.shape != W.shape:
            mask = W != 0.0
        return mask.T if transpose else mask

    def finished(self, name: str, user: str) -> list[str]:
        """The neuron ids of a tensor used as a whole: a pending activation is settled first."""
        if name not in self.tensors:
            raise DocumentError(f"unsupported input '{name}' of {user}: not computed by a dense layer")
        cols = self.tensors[name]
        if cols.pre:
            if self.settled.setdefault(cols.base, name) != name:
                raise DocumentError(f"unsupported use of '{name}' by {user}: the layer '{cols.base}' is "
                                    "read both before and after its activation")
            activation = self.recognise(cols, name)
            for nid in cols.ids:
                self.neurons[nid].activation = activation
            self.tensors[name] = Columns(cols.ids)
        return self.tensors[name].ids

    # -- activations ------------------------------------------------------------------------------
    def recognise(self, cols: Columns, name: str) -> str:
        """The registry activation the nodes from ``cols.base`` to ``name`` compute."""
        if not cols.region:
            return "linear"
        helper = self.onnx.helper
        region = [self.nodes[k] for k in cols.region]
        used = {i for n in region for i in n.input if i in self.consts}
        double = self.onnx.TensorProto.DOUBLE
        graph = helper.make_graph(
            region, "probe", [helper.make_tensor_value_info(cols.base, double, None)],
            [helper.make_tensor_value_info(name, double, None)],
            [self.onnx.numpy_helper.from_array(self.consts[i], i) for i in sorted(used)])
        probe_model = helper.make_model(graph, opset_imports=list(self.model.opset_import))
        probe_model.ir_version = self.model.ir_version
        z = np.tile(PROBE[:, None], (1, len(cols.ids))) + np.arange(len(cols.ids)) * 0.37
        try:
            got = self.onnx.reference.ReferenceEvaluator(probe_model).run(None, {cols.base: z})[0]
        except Exception as exc:  # the reference evaluator raises many kinds on malformed nodes
            raise DocumentError(f"the nodes after '{cols.base}' cannot be evaluated: {exc}") from None
        for act in ACTIVATIONS.values():
            with np.errstate(all="ignore"):
                want = act.forward(z)
            if got.shape == want.shape and np.allclose(got, want, rtol=1e-7, atol=1e-9):  # float32 attributes
                return act.name
        ops = ", ".join(n.op_type for n in region)
        raise DocumentError(f"unsupported node '{_label(region[-1])}': {ops} after '{cols.base}' "
                            "computes none of the playground's activations")

    # -- the project ------------------------------------------------------------------------------
    def document(self, outputs: list[str]) -> Document:
        if len(set(outputs)) != len(outputs) or any(self.neurons[o].role == "input" for o in outputs):
            raise DocumentError("every output column must be its own computed neuron")
        feeding = {s for s, _, _ in self.wires}
        looped = [o for o in outputs if o in feeding]
        if looped:
            raise DocumentError(f"output {looped[0]} also feeds another layer, which a playground "
                                "output cannot")
        names = _names(self.model, "output_names", len(outputs))
        for k, nid in enumerate(outputs):
            self.neurons[nid].role = "output"
            self.neurons[nid].label = names[k] if names else f"o{k + 1}"
        hidden = [n for n in self.neurons.values() if n.role == "hidden"]
        thresholds = all(not ACTIVATIONS[self.neurons[o].activation].differentiable for o in outputs)
        props = {p.key: p.value for p in self.model.metadata_props}
        doc = Document(title=props.get("title") or self.graph.name or "Imported model",
                       description="Imported from an ONNX model. Choose a dataset with as many "
                       "inputs and outputs to train it further.",
                       mode="perceptron" if thresholds and not hidden else "mlp")
        # output order is the order of output neurons in the project: the output columns' order
        order = [n for n in self.neurons if n not in outputs] + outputs
        doc.neurons = {nid: self.neurons[nid] for nid in order}
        for k, (s, t, w) in enumerate(self.wires, 1):
            doc.connections[f"c{k}"] = Connection(f"c{k}", s, t, w)
        for nid, pos in auto_layout(doc).items():
            doc.neurons[nid].position = pos
        problems = [p.message for p in validate(doc) if p.severity == "error"]
        if problems:  # e.g. a softmax on a hidden layer: the playground has it on outputs only
            raise DocumentError("the model does not fit the playground: " + "; ".join(problems))
        return doc


def _attr(node: Any, name: str, default: Any) -> Any:
    for a in node.attribute:
        if a.name == name:
            return a.f if a.type == a.FLOAT else a.i if a.type == a.INT else default
    return default


def _label(node: Any) -> str:
    return node.name or f"{node.op_type} → {node.output[0]}"


def _width(value: Any, what: str) -> int:
    dims = value.type.tensor_type.shape.dim
    if len(dims) != 2 or not dims[1].HasField("dim_value"):
        raise DocumentError(f"the model's {what} must be a table of rows (batch × columns)")
    return int(dims[1].dim_value)


def _names(model: Any, key: str, count: int) -> list[str] | None:
    """Names from our metadata when they fit (None when there are none)."""
    for p in model.metadata_props:
        if p.key == key:
            try:
                names = json.loads(p.value)
            except ValueError:
                break
            if isinstance(names, list) and len(names) == count and all(
                    isinstance(n, str) and 0 < len(n) <= 200 for n in names):
                return names
    return None


def read_onnx(path: Path) -> Document:
    """The ONNX model at ``path`` as a new, unsaved project (DocumentError says why not)."""
    onnx = require("onnx", "Opening an ONNX model")
    require("onnx.reference", "Opening an ONNX model")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{path.name} is {size / 1e6:.0f} MB: too big for a playground model")
        model = onnx.load_model_from_string(path.read_bytes())
    except OSError as exc:
        raise DocumentError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except Exception:  # protobuf's DecodeError and friends: not an ONNX file
        raise DocumentError(f"{path.name} is not an ONNX model (it cannot be parsed)") from None
    return Importer(onnx, model).run()
