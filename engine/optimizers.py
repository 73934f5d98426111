"""SGD, momentum and Adam, updating parameter arrays in place; ``lr`` may change between steps."""

from __future__ import annotations

import numpy as np

from engine.errors import EngineError


class SGD:
    def __init__(self, lr: float) -> None:
        self.lr = float(lr)

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for p, g in zip(params, grads, strict=True):
            p -= self.lr * g


class Momentum:
    """Heavy-ball momentum: v ← μ·v − lr·g; p ← p + v."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum = float(lr), float(momentum)
        self.velocity: list[np.ndarray] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= self.momentum
            v -= self.lr * g
            p += v


class Adam:
    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        self.lr, self.beta1, self.beta2, self.eps = float(lr), beta1, beta2, eps
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] = []
        self.t = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        scale = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= scale * m / (np.sqrt(v) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
Optimizer = SGD | Momentum | Adam


def make_optimizer(name: str, lr: float, **opts: float) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise EngineError(
            f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})") from None
    if not np.isfinite(lr) or lr <= 0:
        raise EngineError(f"the learning rate must be a positive number, not {lr!r}")
    return cls(lr, **opts)
