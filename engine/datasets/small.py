"""Tiny fixed data sets: logic gates and the tutorials' own tables and line."""

from __future__ import annotations

import numpy as np

GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
GATES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "xor": [0, 1, 1, 0]}


def gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    return GATE_INPUTS.copy(), np.array(GATES[name], dtype=np.float64).reshape(-1, 1)


def nine_line() -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=np.float64)
    return X, np.array([[0], [1], [1], [0]], dtype=np.float64)


def two_layer() -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    return X, np.array([[0], [1], [1], [0]], dtype=np.float64)


def height_weight() -> tuple[np.ndarray, np.ndarray]:
    """Alice, Bob, Charlie, Diana: (weight − 135 lb, height − 66 in); female = 1."""
    X = np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=np.float64)
    return X, np.array([[1], [0], [0], [1]], dtype=np.float64)


def line_fit(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points evenly spaced on [−1, 1], y = 2x + 1 + N(0, noise²)."""
    x = np.linspace(-1.0, 1.0, n)
    y = 2.0 * x + 1.0 + rng.normal(0.0, noise, n) if noise > 0 else 2.0 * x + 1.0
    return x.reshape(-1, 1), y.reshape(-1, 1)
