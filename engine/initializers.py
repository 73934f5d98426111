"""Initial values for weights and biases, by name, always from an injected Generator."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.registry import lookup

# (the generator type as text: naming np.random here would import it with the first window)
Init = Callable[["np.random.Generator", tuple[int, ...], int, int], np.ndarray]


def _xavier(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, fan_out: int):
    limit = np.sqrt(6.0 / max(1, fan_in + fan_out))
    return rng.uniform(-limit, limit, shape)


INITIALIZERS: dict[str, Init] = {
    "zeros": lambda rng, shape, fi, fo: np.zeros(shape),
    "normal": lambda rng, shape, fi, fo: rng.standard_normal(shape),
    "uniform01": lambda rng, shape, fi, fo: rng.random(shape),
    "uniform_pm1": lambda rng, shape, fi, fo: rng.uniform(-1.0, 1.0, shape),
    "xavier": _xavier,
    "he": lambda rng, shape, fi, fo: rng.standard_normal(shape) * np.sqrt(2.0 / max(1, fi)),
}


def get_initializer(name: str) -> Init:
    return lookup(INITIALIZERS, "initialiser", name)
