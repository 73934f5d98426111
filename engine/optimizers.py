"""SGD, momentum and Adam: each owns its update and reads its hyperparameters live.

An optimizer reads the learning rate (and momentum, β1, β2, ε) from the run's settings record at
every step, so a live change is one assignment in one place. The training path asks
``gradient_scale()`` first: plain SGD folds its learning rate into the backward pass (one multiply
on the output delta instead of one per parameter array) and then only subtracts.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from engine.errors import EngineError
from engine.registry import lookup


class Hyperparameters(Protocol):
    """What an optimizer reads (``engine.settings.TrainingSettings`` has all of it)."""

    optimizer: str
    learning_rate: float
    momentum: float
    nesterov: bool
    beta1: float
    beta2: float
    epsilon: float


class Optimizer:
    formula = ""  # the update as a learner writes it (the glass box shows it); g = ∂L/∂w

    def __init__(self, settings: Hyperparameters) -> None:
        self.settings = settings

    def shown_state(self) -> dict[str, np.ndarray]:
        """The per-parameter state the next update reads (flat, like the params), for display."""
        return {}

    @property
    def lr(self) -> float:
        return self.settings.learning_rate

    def gradient_scale(self) -> float:
        """What the caller may multiply the gradients by before ``apply`` (1: nothing)."""
        return 1.0

    def apply(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Update ``params`` in place from gradients already multiplied by ``gradient_scale()``."""
        raise NotImplementedError

    def state(self) -> dict[str, np.ndarray]:
        """Copies of what this optimizer remembers between steps (velocity, moments, step count),
        so a run that stops and starts again continues where it was instead of starting cold."""
        return {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Continue from ``state()`` of an earlier run on the same parameters."""

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """One update from plain gradients."""
        scale = self.gradient_scale()
        self.apply(params, grads if scale == 1.0 else [g * scale for g in grads])


class SGD(Optimizer):
    """p ← p − lr·g, with lr·g made by the backward pass."""

    formula = "Δw = −η·g"

    def gradient_scale(self) -> float:
        return self.settings.learning_rate

    def apply(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for p, g in zip(params, grads, strict=True):
            p -= g


class Momentum(Optimizer):
    """Heavy-ball momentum: v ← μ·v − lr·g; p ← p + v (Nesterov: p ← p + μ·v − lr·g)."""

    formula = "v ← μ·v − η·g;  Δw = v  (Nesterov: Δw = μ·v − η·g)"

    def __init__(self, settings: Hyperparameters) -> None:
        super().__init__(settings)
        self.velocity: list[np.ndarray] | None = None

    def state(self) -> dict[str, np.ndarray]:
        return _slots("velocity", self.velocity)

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.velocity = _unslot("velocity", state)
    def shown_state(self) -> dict[str, np.ndarray]:
        return {"v": self.velocity[0]} if self.velocity else {}

    def apply(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        mu, lr, nesterov = self.settings.momentum, self.settings.learning_rate, self.settings.nesterov
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= mu
            v -= lr * g
            if nesterov:
                p += mu * v - lr * g
            else:
                p += v


class Adam(Optimizer):
    formula = ("m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  "
               "Δw = −η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)")

    def __init__(self, settings: Hyperparameters) -> None:
        super().__init__(settings)
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] = []
        self.t = 0

    def state(self) -> dict[str, np.ndarray]:
        if self.m is None:
            return {}
        return {**_slots("m", self.m), **_slots("v", self.v), "t": np.array(self.t, dtype=np.int64)}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.m = _unslot("m", state)
        self.v = _unslot("v", state) or []
        self.t = int(state["t"]) if self.m is not None and "t" in state else 0
    def shown_state(self) -> dict[str, np.ndarray]:
        return {"m": self.m[0], "v": self.v[0]} if self.m else {}

    def apply(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        s = self.settings
        b1, b2 = s.beta1, s.beta2
        scale = s.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= scale * m / (np.sqrt(v) + s.epsilon)


def _slots(name: str, arrays: list[np.ndarray] | None) -> dict[str, np.ndarray]:
    """``arrays`` as {"name.0": copy, …} (a flat dict of arrays travels in an ``.npz`` as it is)."""
    return {f"{name}.{k}": a.copy() for k, a in enumerate(arrays or [])}


def _unslot(name: str, state: dict[str, np.ndarray]) -> list[np.ndarray] | None:
    arrays = [np.array(state[f"{name}.{k}"])
              for k in range(sum(1 for key in state if key.startswith(name + ".")))]
    return arrays or None


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(settings: Hyperparameters) -> Optimizer:
    """The optimizer ``settings.optimizer`` names, reading its hyperparameters from ``settings``."""
    cls = lookup(OPTIMIZERS, "optimizer", settings.optimizer)
    lr = settings.learning_rate
    if not np.isfinite(lr) or lr <= 0:
        raise EngineError(f"the learning rate must be a positive number, not {lr!r}")
    return cls(settings)
