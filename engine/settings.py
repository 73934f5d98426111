"""Training settings: one declarative table, one record.

Each setting is declared once, as a field of ``TrainingSettings`` with a ``Setting`` describing it
(type, range or choices, label, tooltip, whether it reaches a running loop). The project file's
checker, the app's Training panel, the live-patch list and the command line's flags are all
generated from ``SETTINGS``, so adding a setting is one line here plus its test.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from engine.errors import EngineError
from engine.initializers import INITIALIZERS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from engine.precision import PRECISIONS
from engine.registry import lookup


class Setting(NamedTuple):
    """What every consumer needs to know about one training setting."""

    name: str
    kind: str  # "float" | "int" | "bool" | "choice"
    default: Any
    label: str
    tooltip: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # ``low`` itself is not allowed (a learning rate must be > 0)
    high_open: bool = False
    nullable: bool = False  # None means "off" (no target loss, no early stopping)
    choices: Callable[[], tuple[str, ...]] | None = None  # registry names, read when asked
    live: bool = False  # a running loop applies it at the next epoch boundary
    optimizers: tuple[str, ...] = ()  # only these optimizers read it (empty: every one)
    modes: tuple[str, ...] = ("mlp", "perceptron")  # the modes whose training reads it
    off_label: str = ""  # the checkbox text of a nullable setting ("stop at loss")
    suffix: str = ""
    min_label: str = ""  # what a widget shows at ``low`` when it means something ("all")
    on_value: Any = None  # a nullable setting's value when a user first turns it on

    def options(self) -> tuple[str, ...]:
        return self.choices() if self.choices is not None else ()

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not allowed here, in words a user can act on; None when it is fine."""
        if self.kind == "choice":
            if not isinstance(value, str):
                return f"expected a string, found {json_kind(value)}"
            known = self.options()
            if value not in known:
                return f"unknown {self.label.lower()} '{value}' (known: {', '.join(known)})"
            return None
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"expected true or false, found {json_kind(value)}"
        return number_problem(value, self.low, self.high, nullable=self.nullable,
                              integer=self.kind == "int", low_open=self.low_open,
                              high_open=self.high_open)

    def coerce(self, value: Any) -> Any:
        """``value`` as this setting's type (a live patch arrives as JSON), or EngineError."""
        if self.kind == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        elif self.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        message = self.problem(value)
        if message:
            raise EngineError(f"{self.label.lower()}: {message}")
        return value

    def parse(self, text: str) -> Any:
        """A command-line word as this setting's value ("none" turns a nullable setting off)."""
        if self.nullable and text.strip().lower() in ("none", "off"):
            return None
        try:
            if self.kind == "int":
                value: Any = int(text)
            elif self.kind == "float":
                value = float(text)
            elif self.kind == "bool":
                words = {"true": True, "yes": True, "on": True, "1": True,
                         "false": False, "no": False, "off": False, "0": False}
                value = words[text.strip().lower()]
            else:
                value = text
        except (ValueError, KeyError):
            raise EngineError(f"{self.label.lower()}: {text!r} is not {_article(self.kind)}") from None
        return self.coerce(value)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _article(kind: str) -> str:
    return {"int": "a whole number", "float": "a number", "bool": "true or false"}.get(kind, "a name")


def json_kind(value: Any) -> str:
    """How JSON would name this value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {str: "a string", int: "a number", float: "a number", list: "an array",
            dict: "an object"}.get(type(value), type(value).__name__)


MAX_INT = 10**15  # whole numbers beyond this are damage: no count, seed or size of ours is that big


def number_problem(value: Any, low: float | None = None, high: float | None = None, *,
                   nullable: bool = False, integer: bool = False, low_open: bool = False,
                   high_open: bool = False) -> str | None:
    """The one check of a number against its range; the file checker uses it too."""
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        return (f"expected {'a whole number' if integer else 'a number'}"
                f"{' or null' if nullable else ''}, found {json_kind(value)}")
    if isinstance(value, int) and abs(value) > MAX_INT:
        return f"is too large (at most {MAX_INT:.0e} in size)"
    if not math.isfinite(value):
        return "must be a finite number"
    if low is not None and (value <= low if low_open else value < low):
        return f"must be {'greater than' if low_open else 'at least'} {low}, not {value}"
    if high is not None and (value >= high if high_open else value > high):
        return f"must be {'less than' if high_open else 'at most'} {high}, not {value}"
    return None


MLP_ONLY = ("mlp",)  # a perceptron trains by Rosenblatt's rule: only the rate, cap and seed apply


def _names(registry: dict) -> Callable[[], tuple[str, ...]]:
    return lambda: tuple(registry)


def setting(default: Any, label: str, tooltip: str, **facts: Any) -> Any:
    """A dataclass field of ``TrainingSettings`` carrying its ``Setting`` (name and kind filled in)."""
    kind = facts.pop("kind", None) or ("choice" if "choices" in facts else
                                       "bool" if isinstance(default, bool) else
                                       "int" if isinstance(default, int) else "float")
    return field(default=default, metadata={"setting": (kind, label, tooltip, facts)})


@dataclass
class TrainingSettings:
    """How a network trains. The engine owns this record; the document stores it; runs copy it."""

    loss: str = setting("mse", "Loss", "what training minimises", choices=_names(LOSSES), modes=MLP_ONLY)
    optimizer: str = setting("sgd", "Optimizer", "how a gradient becomes a weight change",
                             choices=_names(OPTIMIZERS), modes=MLP_ONLY)
    learning_rate: float = setting(0.03, "Learning rate", "the size of each step against the "
                                   "gradient; applies live", low=0, low_open=True, live=True)
    momentum: float = setting(0.9, "Momentum", "share of the last step kept in the next one",
                              low=0, high=1, high_open=True, optimizers=("momentum",), modes=MLP_ONLY)
    nesterov: bool = setting(False, "Nesterov", "take the gradient's step after the momentum step "
                             "(Nesterov's accelerated gradient)", optimizers=("momentum",), modes=MLP_ONLY)
    beta1: float = setting(0.9, "Adam β1", "decay of Adam's running mean of gradients",
                           low=0, high=1, high_open=True, optimizers=("adam",), modes=MLP_ONLY)
    beta2: float = setting(0.999, "Adam β2", "decay of Adam's running mean of squared gradients",
                           low=0, high=1, high_open=True, optimizers=("adam",), modes=MLP_ONLY)
    epsilon: float = setting(1e-8, "Adam ε", "keeps Adam's step finite where gradients vanish",
                             low=0, low_open=True, high=1, optimizers=("adam",), modes=MLP_ONLY)
    batch_size: int = setting(10, "Batch size", "samples per step (0: the whole training set); "
                              "applies live", low=0, live=True,
                              min_label="all (full batch)", modes=MLP_ONLY)
    shuffle: bool = setting(True, "Shuffle", "visit the samples in a new random order each epoch",
                            modes=MLP_ONLY)
    epochs: int = setting(1000, "Epoch cap", "the run stops after this many epochs",
                          low=0)
    seed: int = setting(0, "Seed", "draws the initial weights and the shuffle order",
                        low=0)
    l1: float = setting(0.0, "L1", "penalty λ·Σ|w| pulling weights to exactly zero; applies live",
                        low=0, live=True, modes=MLP_ONLY)
    l2: float = setting(0.0, "L2", "penalty λ·½Σw² keeping weights small; applies live",
                        low=0, live=True, modes=MLP_ONLY)
    target_loss: float | None = setting(None, "Target loss", "stop once the training loss is this "
                                        "low", kind="float", low=0, nullable=True,
                                        off_label="stop at loss", on_value=0.001)
    patience: int | None = setting(None, "Patience", "stop after this many epochs without a new "
                                   "best loss (test loss when there is a test set)", kind="int",
                                   low=1, nullable=True, off_label="stop if no progress in", on_value=50,
                                   suffix=" epochs")
    init_weights: str = setting("xavier", "Initial weights", "how unset weights are drawn",
                                choices=_names(INITIALIZERS))
    init_biases: str = setting("zeros", "Initial biases", "how unset biases are drawn",
                               choices=_names(INITIALIZERS))
    precision: str = setting("float64", "Precision", "the number type training computes in: "
                             "float32 is up to twice as fast on wide layers and many points, float64 "
                             "reproduces the tutorials' figures digit for digit",
                             choices=_names(PRECISIONS), modes=MLP_ONLY)


def _table() -> tuple[Setting, ...]:
    out = []
    for f in fields(TrainingSettings):
        kind, label, tooltip, facts = f.metadata["setting"]
        out.append(Setting(f.name, kind, f.default, label, tooltip, **facts))
    return tuple(out)


SETTINGS: tuple[Setting, ...] = _table()
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
LIVE: tuple[str, ...] = tuple(s.name for s in SETTINGS if s.live)


def get_setting(name: str) -> Setting:
    return lookup(BY_NAME, "setting", name)
