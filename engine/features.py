"""Derived inputs for 2-D data (TensorFlow Playground's left column) and input scaling.

``Preprocess`` is the one function from a dataset's raw columns to the network's inputs: the
raw columns, then the chosen features in the order chosen, then the scaling fitted on the
training split. Training, predict, the decision plots and exports all call
``Preprocess.apply``, so a trained project predicts on raw values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.errors import EngineError
from engine.registry import lookup


class Feature(NamedTuple):
    name: str  # the key a project file stores
    label: str  # the input neuron's label
    compute: Callable[[np.ndarray], np.ndarray]  # (n, 2) raw columns -> (n,) values


FEATURES: dict[str, Feature] = {f.name: f for f in (
    Feature("x1_squared", "x₁²", lambda X: X[:, 0] ** 2),
    Feature("x2_squared", "x₂²", lambda X: X[:, 1] ** 2),
    Feature("x1_x2", "x₁x₂", lambda X: X[:, 0] * X[:, 1]),
    Feature("sin_x1", "sin(x₁)", lambda X: np.sin(X[:, 0])),
    Feature("sin_x2", "sin(x₂)", lambda X: np.sin(X[:, 1])),
)}
# (x − mean)/std and (x − min)/(max − min), fitted on training rows; name → the title a user picks
SCALINGS = {"standardise": "Standardise (mean 0, sd 1)", "minmax": "Min–max (0 to 1)"}
SCALING_CHOICES = {None: "None", **SCALINGS}  # the pickers' list: no scaling first


def get_feature(name: object) -> Feature:
    return lookup(FEATURES, "feature", name)


def check_features(names: Sequence[str], n_raw: int) -> None:
    """Features need exactly two raw columns (they are functions of x₁ and x₂), each named once."""
    for name in names:
        get_feature(name)
    if names and n_raw != 2:
        raise EngineError(f"feature inputs (x₁², sin(x₁), …) need 2-D data; this data has {n_raw} "
                          f"input columns")
    if len(set(names)) != len(names):
        raise EngineError("a feature input is chosen twice")


def with_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The raw columns followed by one column per feature."""
    check_features(names, X.shape[1])
    if not names:
        return X
    return np.column_stack([X] + [get_feature(n).compute(X) for n in names])


@dataclass(frozen=True)
class Preprocess:
    """Raw data columns → network inputs: features appended, then ``(x − offset) / scale``.

    ``offset``/``scale`` are empty when there is no scaling; they were fitted on the training split
    and are stored in the project, so predict reuses them exactly."""

    features: tuple[str, ...] = ()
    scaling: str | None = None
    offset: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()

    @property
    def identity(self) -> bool:
        return not self.features and self.scaling is None

    def width(self, n_raw: int) -> int:
        return n_raw + len(self.features)

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Network inputs for raw rows (any number of rows, the raw columns of the data)."""
        X = with_features(np.asarray(X, dtype=np.float64), self.features)
        if self.scaling is None:
            return X
        if len(self.offset) != X.shape[1] or len(self.scale) != X.shape[1]:
            raise EngineError(f"the stored scaling has {len(self.offset)} columns, but the network "
                              f"reads {X.shape[1]} inputs: refit the scaling")
        return (X - np.asarray(self.offset)) / np.asarray(self.scale)

    def to_dict(self) -> dict:
        """The JSON form (the project file's ``dataset.features`` / ``dataset.scaling``)."""
        return {"features": list(self.features), "scaling": None if self.scaling is None else
                {"method": self.scaling, "offset": list(self.offset), "scale": list(self.scale)}}


NO_PREPROCESS = Preprocess()  # the raw columns are the network's inputs


def fit(X_train: np.ndarray, features: Sequence[str] = (), scaling: str | None = None) -> Preprocess:
    """Fit the scaling on the training rows only (a constant column gets scale 1, not ÷0)."""
    if scaling is not None and scaling not in tuple(SCALINGS):  # a tuple: a list from JSON is not hashable
        raise EngineError(f"unknown scaling {scaling!r} (known: {', '.join(SCALINGS)})")
    base = Preprocess(tuple(features))
    if scaling is None:
        base.apply(X_train[:0])  # checks the features against the data
        return base
    Z = base.apply(X_train)
    if scaling == "standardise":
        offset, spread = Z.mean(axis=0), Z.std(axis=0)
    else:
        offset, spread = Z.min(axis=0), Z.max(axis=0) - Z.min(axis=0)
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    return Preprocess(tuple(features), scaling, tuple(float(v) for v in offset),
                      tuple(float(v) for v in spread))


class Preprocessed:
    """A learner seen through its preprocessing: what plots and predict evaluate on raw points.

    ``node_outputs`` includes the derived inputs, so each feature neuron gets its own thumbnail."""

    def __init__(self, learner, prep: Preprocess) -> None:
        self.learner, self.prep = learner, prep

    def forward(self, X: np.ndarray) -> np.ndarray:
        return self.learner.forward(self.prep.apply(X))

    def node_outputs(self, X: np.ndarray) -> np.ndarray:
        return self.learner.node_outputs(self.prep.apply(X))

    def node_outputs_features(self, XT: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """Feature-major (n_raw, batch) points, as ``engine.grid`` lays out a plane."""
        inputs = np.ascontiguousarray(self.prep.apply(XT.T).T, dtype=dtype or XT.dtype)
        return self.learner.node_outputs_features(inputs, dtype)


def preprocess_from_dict(value: object, n_inputs: int) -> Preprocess:
    """An export's ``preprocess`` record back, checked (a damaged file is an EngineError)."""
    if not isinstance(value, dict) or set(value) != {"features", "scaling"}:
        raise EngineError("$.preprocess: expected an object with 'features' and 'scaling'")
    names = value["features"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise EngineError("$.preprocess.features: expected an array of feature names")
    check_features(names, n_inputs - len(names))
    scaling = value["scaling"]
    if scaling is None:
        return Preprocess(tuple(names))
    if not isinstance(scaling, dict) or set(scaling) != {"method", "offset", "scale"} or \
            scaling["method"] not in tuple(SCALINGS):
        raise EngineError(f"$.preprocess.scaling: expected a method ({', '.join(SCALINGS)}), "
                          f"offset and scale")
    numbers = []
    for key in ("offset", "scale"):
        row = scaling[key]
        if not isinstance(row, list) or len(row) != n_inputs or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in row):
            raise EngineError(f"$.preprocess.scaling.{key}: expected {n_inputs} finite numbers")
        numbers.append(tuple(float(v) for v in row))
    if min(numbers[1], default=1.0) <= 0:
        raise EngineError("$.preprocess.scaling.scale: every scale must be greater than 0")
    return Preprocess(tuple(names), scaling["method"], numbers[0], numbers[1])
