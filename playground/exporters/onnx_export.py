"""The network as an ONNX model (opset 17, double precision) that onnxruntime and onnx2torch run.

Each stage is one ``Gemm`` (``transB=1``, so it converts back into a trainable ``nn.Linear``) on
the ``Concat`` of its sources, then its activation; weights are initialisers with exact zeros where
no wire exists. Graph input ``input`` (batch × inputs), output ``output`` (batch × outputs); the
column names, title and app version are in the metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from engine.atomic import write_atomic
from playground.exporters.activation_map import ACTIVATION_EXPORTS
from playground.exporters.extras import require
from playground.exporters.ir import FEATURE_FORMS, INPUT, OUTPUT, NetworkIR

OPSET = 17
IR_VERSION = 8  # the IR that opset 17 shipped with: readable by every runtime that runs opset 17
PRODUCER = "nn-playground"
MASK_KEY = "mask:"  # metadata key prefix: the wires of one Gemm's weight initialiser
UNITS_KEY = "units:"  # metadata key prefix: the neuron names of one Gemm's output columns


class GraphBuilder:
    """Collects nodes and initialisers with fresh names (what activation builders call)."""

    def __init__(self, onnx: Any) -> None:
        self.onnx, self.nodes, self.initializers = onnx, [], []
        self._count = 0
        self._scalars: dict[float, str] = {}
        self._concats: dict[tuple[str, ...], str] = {}

    def fresh(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def node(self, op: str, inputs: list[str], output: str | None = None, **attrs: object) -> str:
        output = output or self.fresh(op.lower())
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [output], name=f"{op}_{output}", **attrs))
        return output

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(value, np.float64), name))
        return name

    def scalar(self, value: float) -> str:
        if value not in self._scalars:
            self._scalars[value] = self.constant(f"const_{len(self._scalars)}", np.array(value))
        return self._scalars[value]

    def concat(self, sources: tuple[str, ...]) -> str:
        """One ``Concat`` per distinct source list (two groups of a level share theirs)."""
        if len(sources) == 1:
            return sources[0]
        if sources not in self._concats:
            self._concats[sources] = self.node("Concat", list(sources), f"concat_{'_'.join(sources)}", axis=1)
        return self._concats[sources]


def build_model(ir: NetworkIR) -> Any:
    """The ``onnx.ModelProto`` of ``ir``, checked by ``onnx.checker``."""
    onnx = require("onnx", "ONNX export")
    g = GraphBuilder(onnx)
    source = INPUT
    if ir.features:  # feature inputs: the raw columns, then x_i * x_j or sin(x_i) per feature
        columns = {}
        for i in sorted({c for name in ir.features for c in FEATURE_FORMS[name][1:]}):
            index = onnx.numpy_helper.from_array(np.array([i], dtype=np.int64), f"column{i}_index")
            g.initializers.append(index)
            columns[i] = g.node("Gather", [INPUT, index.name], f"column{i}", axis=1)
        derived = []
        for name in ir.features:
            op, i, j = FEATURE_FORMS[name]
            derived.append(g.node("Mul", [columns[i], columns[j]], name) if op == "mul"
                           else g.node("Sin", [columns[i]], name))
        source = g.node("Concat", [INPUT, *derived], "with_features", axis=1)
    for k, p in enumerate(ir.preprocess):
        scaled = g.node("Sub", [source, g.constant(f"scale{k}_offset", p.offset)])
        source = g.node("Mul", [scaled, g.constant(f"scale{k}_factor", p.factor)], f"scaled{k}")
    renamed = {INPUT: source}
    for s in ir.stages:
        a = g.concat(tuple(renamed.get(t, t) for t in s.sources))
        weight, bias = g.constant(f"{s.name}_weight", s.weight), g.constant(f"{s.name}_bias", s.bias)
        z = g.node("Gemm", [a, weight, bias], f"{s.name}_z", transB=1)
        ACTIVATION_EXPORTS[s.activation].onnx(g, z, s.name)
    if ir.outputs != (OUTPUT,):
        joined = g.concat(ir.outputs)
        if ir.order is None:
            g.node("Identity", [joined], OUTPUT)
        else:
            indices = onnx.numpy_helper.from_array(np.array(ir.order, dtype=np.int64), "output_order")
            g.initializers.append(indices)
            g.node("Gather", [joined, "output_order"], OUTPUT, axis=1)
    double = onnx.TensorProto.DOUBLE
    graph = onnx.helper.make_graph(
        g.nodes, _safe_name(ir.title),
        [onnx.helper.make_tensor_value_info(INPUT, double, ["batch", len(ir.input_names)])],
        [onnx.helper.make_tensor_value_info(OUTPUT, double, ["batch", len(ir.output_names)])],
        g.initializers,
        doc_string=f"inputs: {', '.join(ir.input_names)}; outputs: {', '.join(ir.output_names)}",
    )
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", OPSET)],
                                   producer_name=PRODUCER, producer_version=ir.version,
                                   doc_string=ir.title)
    model.ir_version = IR_VERSION
    onnx.helper.set_model_props(model, {
        "title": ir.title, "app_version": ir.version,
        "input_names": json.dumps(list(ir.input_names)), "output_names": json.dumps(list(ir.output_names)),
        # which entries are wires: a trained weight can be exactly 0 and still be a wire
        **{f"{MASK_KEY}{s.name}_weight": json.dumps(s.mask.astype(int).tolist()) for s in ir.stages},
        **{f"{UNITS_KEY}{s.name}_weight": json.dumps(list(s.units)) for s in ir.stages},
    })
    onnx.checker.check_model(model, full_check=True)
    return model


def _safe_name(title: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in title).strip("_") or "network"


def write_onnx(ir: NetworkIR, path: Path) -> list[Path]:
    data = build_model(ir).SerializeToString()
    write_atomic(path, lambda fh: fh.write(data))
    return [path]
