"""Activation functions with their derivatives, looked up by name.

Derivatives take both z and a = f(z): most are cheapest in terms of a (sigmoid, tanh).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]  # (z, a) -> da/dz, elementwise


def _sigmoid(z: Array) -> Array:
    # σ(z) = ½(1 + tanh(z/2)): never overflows, and three ufunc calls instead of a branchy where
    a = np.multiply(z, 0.5)
    np.tanh(a, out=a)
    a += 1.0
    a *= 0.5
    return a


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_backward(a: Array, grad_a: Array) -> Array:
    """dL/dz from dL/da through the softmax Jacobian, row by row."""
    return a * (grad_a - np.sum(grad_a * a, axis=1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation("linear", lambda z: z.copy(), lambda z, a: np.ones_like(z)),
    "step": Activation("step", lambda z: (z > 0).astype(z.dtype), lambda z, a: np.zeros_like(z)),
    "sign": Activation("sign", lambda z: np.where(z >= 0, 1.0, -1.0).astype(z.dtype),
                       lambda z, a: np.zeros_like(z)),
    "sigmoid": Activation("sigmoid", _sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": Activation("tanh", np.tanh, lambda z, a: 1.0 - a * a),
    "relu": Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype)),
    # softmax's elementwise "derivative" is the Jacobian diagonal; the MLP uses softmax_backward.
    "softmax": Activation("softmax", _softmax, lambda z, a: a * (1.0 - a)),
}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise EngineError(
            f"unknown activation {name!r} (known: {', '.join(ACTIVATIONS)})") from None
