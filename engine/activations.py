"""Activation functions, each one record that owns all its facts, looked up by name.

A record carries forward, derivative, the range its outputs span (plots colour by it), whether
backpropagation can train through it, whether it only makes sense on outputs (softmax) and how
the gradient passes back through it. Nothing else in the code keeps a list of activation names:
adding one is one entry in ``ACTIVATIONS`` (the gradient tests pick it up by themselves).
Derivatives take both z and a = f(z): most are cheapest in terms of a (sigmoid, tanh).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.registry import lookup

Array = np.ndarray
INF = math.inf


class Activation(NamedTuple):
    name: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]  # (z, a) -> da/dz, elementwise
    output_range: tuple[float, float] = (-INF, INF)  # (lo, hi) the outputs can reach
    differentiable: bool = True  # False: a threshold with zero gradient (perceptron outputs)
    output_only: bool = False  # couples the units of a level (softmax): only for outputs
    # (a, dL/da) -> dL/dz when the Jacobian is not diagonal; None: elementwise via derivative
    jacobian_backward: Callable[[Array, Array], Array] | None = None
    # allocation-free versions for the training step (optional: without them it calls the above)
    forward_into: Callable[[Array, Array], object] | None = None  # (z, out)
    backward_into: Callable[[Array, Array, Array, Array], object] | None = None  # (a, dL/da, tmp, out)
    # how a learner writes it (the glass box shows these): "{z}"/"{a}" are replaced by numbers
    formula: str = ""  # the function, e.g. "σ(z) = 1 / (1 + e^(−z))"
    call: str = "f({z})"  # applied to a number, e.g. "σ({z})"
    derivative_formula: str = ""  # da/dz in the tutorials' form, e.g. "σ(z)·(1 − σ(z))"
    derivative_call: str = ""  # the same with numbers, e.g. "{a}·(1 − {a})"

    @property
    def bounded(self) -> bool:
        """Both ends finite: a plot can use the range as its colour scale."""
        return math.isfinite(self.output_range[0]) and math.isfinite(self.output_range[1])

    def backward(self, z: Array, a: Array, grad_a: Array) -> Array:
        """dL/dz from dL/da (z the inputs, a the outputs of this activation)."""
        if self.jacobian_backward is not None:
            return self.jacobian_backward(a, grad_a)
        return grad_a * self.derivative(z, a)


def _sigmoid(z: Array) -> Array:
    # σ(z) = ½(1 + tanh(z/2)): never overflows, and three ufunc calls instead of a branchy where
    a = np.multiply(z, 0.5)
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a


def _sigmoid_into(z: Array, out: Array) -> None:
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5


def _sigmoid_backward_into(a: Array, grad_a: Array, tmp: Array, out: Array) -> None:
    np.subtract(1.0, a, out=tmp)  # a·(1 − a)
    tmp *= a
    np.multiply(grad_a, tmp, out=out)


def _tanh_backward_into(a: Array, grad_a: Array, tmp: Array, out: Array) -> None:
    np.multiply(a, a, out=tmp)  # 1 − a²
    np.subtract(1.0, tmp, out=tmp)
    np.multiply(grad_a, tmp, out=out)


def _relu_backward_into(a: Array, grad_a: Array, tmp: Array, out: Array) -> None:
    np.greater(a, 0.0, out=tmp)  # a > 0 exactly where z > 0
    np.multiply(grad_a, tmp, out=out)


def _linear_backward_into(a: Array, grad_a: Array, tmp: Array, out: Array) -> None:
    np.copyto(out, grad_a)


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_backward(a: Array, grad_a: Array) -> Array:
    """dL/dz from dL/da through the softmax Jacobian, row by row."""
    return a * (grad_a - np.sum(grad_a * a, axis=1, keepdims=True))


def _softplus(z: Array) -> Array:
    # log(1 + e^z) = log1p(e^−|z|) + max(z, 0): no overflow for large z, no lost digits for small
    return np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0)


def _elu(z: Array) -> Array:
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


def _swish_derivative(z: Array, a: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


_SWISH_MIN = -0.2784645427610738  # min of x·σ(x), at x ≈ −1.2785


def _zero(z: Array, a: Array) -> Array:
    return np.zeros_like(z)


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    Activation("linear", lambda z: z.copy(), lambda z, a: np.ones_like(z),
               forward_into=lambda z, out: np.copyto(out, z),
               backward_into=_linear_backward_into,
               formula="f(z) = z", call="{z}",
               derivative_formula="1", derivative_call="1"),
    Activation("step", lambda z: (z > 0).astype(z.dtype), _zero, (0.0, 1.0), differentiable=False,
               formula="step(z) = 1 if z > 0 else 0", call="step({z})",
               derivative_formula="0 (a threshold has no gradient)", derivative_call="0"),
    Activation("sign", lambda z: np.where(z >= 0, 1.0, -1.0).astype(z.dtype), _zero, (-1.0, 1.0),
               differentiable=False,
               formula="sign(z) = 1 if z ≥ 0 else −1", call="sign({z})",
               derivative_formula="0 (a threshold has no gradient)", derivative_call="0"),
    Activation("sigmoid", _sigmoid, lambda z, a: a * (1.0 - a), (0.0, 1.0),
               forward_into=_sigmoid_into, backward_into=_sigmoid_backward_into,
               formula="σ(z) = 1 / (1 + e^(−z))", call="σ({z})",
               derivative_formula="σ(z)·(1 − σ(z))", derivative_call="{a}·(1 − {a})"),
    Activation("tanh", np.tanh, lambda z, a: 1.0 - a * a, (-1.0, 1.0),
               forward_into=lambda z, out: np.tanh(z, out=out), backward_into=_tanh_backward_into,
               formula="tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))", call="tanh({z})",
               derivative_formula="1 − tanh²(z)", derivative_call="1 − {a}²"),
    Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype), (0.0, INF),
               forward_into=lambda z, out: np.maximum(z, 0.0, out=out), backward_into=_relu_backward_into,
               formula="relu(z) = max(0, z)", call="max(0, {z})",
               derivative_formula="1 if z > 0 else 0", derivative_call="[{z} > 0]"),
    # softmax's elementwise "derivative" is the Jacobian diagonal; backward uses the full Jacobian
    Activation("softmax", _softmax, lambda z, a: a * (1.0 - a), (0.0, 1.0), output_only=True,
               jacobian_backward=softmax_backward,
               formula="softmax(z)ₖ = e^(zₖ) / Σⱼ e^(zⱼ)", call="e^({z}) / Σⱼ e^(zⱼ)",
               derivative_formula="∂aₖ/∂zⱼ = aₖ·([k = j] − aⱼ)", derivative_call="{a}·(1 − {a})"),
    Activation("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z),
               lambda z, a: np.where(z > 0, 1.0, 0.01).astype(z.dtype),
               formula="leaky_relu(z) = z if z > 0 else 0.01·z", call="leaky_relu({z})",
               derivative_formula="1 if z > 0 else 0.01", derivative_call="[{z} > 0 ? 1 : 0.01]"),
    Activation("elu", _elu, lambda z, a: np.where(z > 0, 1.0, a + 1.0).astype(z.dtype), (-1.0, INF),
               formula="elu(z) = z if z > 0 else e^z − 1", call="elu({z})",
               derivative_formula="1 if z > 0 else elu(z) + 1", derivative_call="[{z} > 0 ? 1 : {a} + 1]"),
    Activation("softplus", _softplus, lambda z, a: _sigmoid(z), (0.0, INF),
               formula="softplus(z) = ln(1 + e^z)", call="ln(1 + e^{z})",
               derivative_formula="σ(z)", derivative_call="σ({z})"),
    Activation("swish", lambda z: z * _sigmoid(z), _swish_derivative, (_SWISH_MIN, INF),
               formula="swish(z) = z·σ(z)", call="{z}·σ({z})",
               derivative_formula="σ(z)·(1 + z·(1 − σ(z)))", derivative_call="σ({z})·(1 + {z}·(1 − σ({z})))"),
    Activation("gaussian", lambda z: np.exp(-z * z), lambda z, a: -2.0 * z * a, (0.0, 1.0),
               formula="gaussian(z) = e^(−z²)", call="e^(−{z}²)",
               derivative_formula="−2z·e^(−z²)", derivative_call="−2·{z}·{a}"),
    Activation("sine", np.sin, lambda z, a: np.cos(z), (-1.0, 1.0),
               formula="sin(z)", call="sin({z})",
               derivative_formula="cos(z)", derivative_call="cos({z})"),
)}


def get_activation(name: str) -> Activation:
    return lookup(ACTIVATIONS, "activation", name)


def hidden_activations() -> list[str]:
    """What a hidden unit may use and still be trained by backpropagation."""
    return [a.name for a in ACTIVATIONS.values() if a.differentiable and not a.output_only]


def threshold_activations() -> list[str]:
    """The gradient-free thresholds: what a perceptron's outputs use."""
    return [a.name for a in ACTIVATIONS.values() if not a.differentiable]


def output_range(name: str) -> tuple[float, float] | None:
    """The finite (lo, hi) an activation's outputs span, or None (unbounded or unknown name)."""
    act = ACTIVATIONS.get(name)
    return act.output_range if act is not None and act.bounded else None
