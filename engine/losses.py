"""Losses and their gradients with respect to the network output, looked up by name.

mse is a mean over every entry, sse is ½·Σ (the tutorials' "error"), bce a mean over every entry,
cce a mean over samples of −Σ y·log ŷ. Gradients are of exactly these values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.registry import lookup

Array = np.ndarray
EPS = 1e-12


class Loss(NamedTuple):
    name: str
    value: Callable[[Array, Array], float]
    gradient: Callable[[Array, Array], Array]  # (y, ŷ) -> dL/dŷ
    formula: str = ""  # the value for one example, as a learner writes it (the glass box shows it)
    gradient_formula: str = ""  # ∂L/∂ŷ for one example with K outputs


def _clip(p: Array) -> Array:
    return np.clip(p, EPS, 1.0 - EPS)


def _bce(y: Array, p: Array) -> float:
    p = _clip(p)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _bce_grad(y: Array, p: Array) -> Array:
    p = _clip(p)
    return (p - y) / (p * (1.0 - p)) / y.size


def _cce(y: Array, p: Array) -> float:
    return float(-np.sum(y * np.log(_clip(p))) / len(y))


LOSSES: dict[str, Loss] = {
    "mse": Loss("mse", lambda y, p: float(np.mean((y - p) ** 2)),
                lambda y, p: 2.0 * (p - y) / y.size, "L = (1/K)·Σ(y − ŷ)²", "2·(ŷ − y)/K"),
    "sse": Loss("sse", lambda y, p: float(0.5 * np.sum((y - p) ** 2)), lambda y, p: p - y,
                "L = ½·Σ(y − ŷ)²", "ŷ − y"),
    "bce": Loss("bce", _bce, _bce_grad, "L = −(1/K)·Σ[y·ln ŷ + (1 − y)·ln(1 − ŷ)]",
                "(ŷ − y) / (ŷ·(1 − ŷ)·K)"),
    "cce": Loss("cce", _cce, lambda y, p: -y / _clip(p) / len(y), "L = −Σ y·ln ŷ", "−y/ŷ"),
}


def get_loss(name: str) -> Loss:
    return lookup(LOSSES, "loss", name)
