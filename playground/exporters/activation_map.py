"""How each activation of ``engine/activations.py`` is written in ONNX, PyTorch and plain numpy.

One record per registry name (a test fails when an activation has no entry), so the three
exporters and the ONNX importer agree on what every activation means. ONNX builders use only ops
that onnxruntime runs in double precision (its Elu and Softplus are float-only, so those two are
composed from Exp/Log/Where) and exact double constants (LeakyRelu's alpha is a float32).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class OnnxGraph(Protocol):
    """What an activation's ONNX builder may call (``onnx_export.GraphBuilder``)."""

    def node(self, op: str, inputs: list[str], output: str | None = None, **attrs: object) -> str: ...
    def scalar(self, value: float) -> str: ...


@dataclass(frozen=True)
class ActivationExport:
    name: str
    onnx: Callable[[OnnxGraph, str, str], str]  # (graph, z, output name) -> output name
    torch: str  # an expression in ``z`` (``torch`` and ``nn`` imported); softplus is linear past 40,
    #             where log1p(e^−z) < 1e−17 (past ~710 e^z overflows)
    numpy: str  # an expression in ``z`` (``np`` imported; ``_softmax`` defined by the script)


def _op(op: str, **attrs: object) -> Callable[[OnnxGraph, str, str], str]:
    return lambda g, z, out: g.node(op, [z], out, **attrs)


def _step(g: OnnxGraph, z: str, out: str) -> str:
    return g.node("Cast", [g.node("Greater", [z, g.scalar(0.0)])], out, to=11)  # 11 = DOUBLE


def _sign(g: OnnxGraph, z: str, out: str) -> str:
    return g.node("Where", [g.node("GreaterOrEqual", [z, g.scalar(0.0)]), g.scalar(1.0), g.scalar(-1.0)], out)


def _leaky_relu(g: OnnxGraph, z: str, out: str) -> str:
    # max(z, 0.01·z): LeakyRelu's alpha is a float32 attribute, 0.01 only to 2e-10
    return g.node("Max", [z, g.node("Mul", [z, g.scalar(0.01)])], out)


def _elu(g: OnnxGraph, z: str, out: str) -> str:
    negative = g.node("Sub", [g.node("Exp", [g.node("Min", [z, g.scalar(0.0)])]), g.scalar(1.0)])
    return g.node("Where", [g.node("Greater", [z, g.scalar(0.0)]), z, negative], out)


def _softplus(g: OnnxGraph, z: str, out: str) -> str:
    # log(1 + e^−|z|) + max(z, 0), the engine's overflow-free form
    small = g.node("Exp", [g.node("Neg", [g.node("Abs", [z])])])
    tail = g.node("Log", [g.node("Add", [g.scalar(1.0), small])])
    return g.node("Add", [tail, g.node("Max", [z, g.scalar(0.0)])], out)


def _swish(g: OnnxGraph, z: str, out: str) -> str:
    return g.node("Mul", [z, g.node("Sigmoid", [z])], out)


def _gaussian(g: OnnxGraph, z: str, out: str) -> str:
    return g.node("Exp", [g.node("Neg", [g.node("Mul", [z, z])])], out)


ACTIVATION_EXPORTS: dict[str, ActivationExport] = {a.name: a for a in (
    ActivationExport("linear", _op("Identity"), "z", "z"),
    ActivationExport("step", _step, "(z > 0).to(z.dtype)", "(z > 0).astype(z.dtype)"),
    ActivationExport("sign", _sign, "torch.where(z >= 0, 1.0, -1.0).to(z.dtype)",
                     "np.where(z >= 0, 1.0, -1.0)"),
    ActivationExport("sigmoid", _op("Sigmoid"), "torch.sigmoid(z)", "0.5 * (1.0 + np.tanh(0.5 * z))"),
    ActivationExport("tanh", _op("Tanh"), "torch.tanh(z)", "np.tanh(z)"),
    ActivationExport("relu", _op("Relu"), "torch.relu(z)", "np.maximum(z, 0.0)"),
    ActivationExport("softmax", _op("Softmax", axis=1), "torch.softmax(z, dim=1)", "_softmax(z)"),
    ActivationExport("leaky_relu", _leaky_relu, "nn.functional.leaky_relu(z, 0.01)",
                     "np.where(z > 0, z, 0.01 * z)"),
    ActivationExport("elu", _elu, "nn.functional.elu(z)", "np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))"),
    ActivationExport("softplus", _softplus, "nn.functional.softplus(z, threshold=40)",
                     "np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0)"),
    ActivationExport("swish", _swish, "nn.functional.silu(z)", "z * (0.5 * (1.0 + np.tanh(0.5 * z)))"),
    ActivationExport("gaussian", _gaussian, "torch.exp(-z * z)", "np.exp(-z * z)"),
    ActivationExport("sine", _op("Sin"), "torch.sin(z)", "np.sin(z)"),
)}
