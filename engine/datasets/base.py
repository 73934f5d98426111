"""The Dataset every learner trains on, and the shared helpers to build one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError

TASKS = ("binary", "multiclass", "regression")


@dataclass(frozen=True)
class Dataset:
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    task: str
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    class_names: tuple[str, ...] = ()
    x_range: tuple[float, float] | None = None  # the plane to draw a 2-input boundary over
    y_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        # a dataset does not change: read-only arrays let a learner keep its own feature-major
        # copy between epochs instead of making one per step (MLP._resident)
        for arr in (self.X_train, self.Y_train, self.X_test, self.Y_test):
            if isinstance(arr, np.ndarray):
                arr.flags.writeable = False

    @property
    def n_inputs(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.Y_train.shape[1]


def split(X: np.ndarray, Y: np.ndarray, train_fraction: float, rng: np.random.Generator | None
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffled train/test split; with fraction 1.0 (or no rng) the order is kept."""
    n = len(X)
    order = np.arange(n) if rng is None or train_fraction >= 1.0 else rng.permutation(n)
    n_train = n if train_fraction >= 1.0 else max(1, min(n - 1, round(train_fraction * n)))
    tr, te = order[:n_train], order[n_train:]
    return X[tr], Y[tr], X[te], Y[te]


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels.astype(int)] = 1.0
    return out


def _as_matrix(values: object, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise EngineError(f"{what} must be rows of numbers") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.size == 0:
        raise EngineError(f"{what} must be a non-empty table of rows, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise EngineError(f"{what} contains a value that is not a finite number")
    return arr


def plane_of(X: np.ndarray, plane: Sequence[float] | None = None
             ) -> tuple[tuple[float, float], tuple[float, float]]:
    """The plane a 2-input boundary is drawn over: the stored ``plane`` (x0, x1, y0, y1), grown
    just enough to hold every point; without one, a square around all the values padded by a
    tenth (±1 when they are all equal)."""
    if plane is None:
        lo, hi = float(X.min()), float(X.max())
        pad = 0.1 * (hi - lo) or 1.0
        return (lo - pad, hi + pad), (lo - pad, hi + pad)
    lo, hi = np.array((plane[0], plane[2]), float), np.array((plane[1], plane[3]), float)
    if len(X):
        lo, hi = np.minimum(lo, X.min(axis=0)), np.maximum(hi, X.max(axis=0))
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def dataset_from_arrays(inputs: object, targets: object, task: str, test_inputs: object = None,
                        test_targets: object = None, input_names: Sequence[str] | None = None,
                        output_names: Sequence[str] | None = None,
                        class_names: Sequence[str] | None = None,
                        plane: Sequence[float] | None = None) -> Dataset:
    """A dataset from plain rows (inline data in a project file), checked for shape and values.

    Two inputs get a plane (``plane_of``), so drawn or imported 2-D data shows its boundary."""
    if task not in TASKS:
        raise EngineError(f"unknown task {task!r} (known: {', '.join(TASKS)})")
    if isinstance(inputs, list | tuple | np.ndarray) and len(inputs) == 0:
        raise EngineError("the dataset has no training points yet: draw some (Draw data) or add "
                          "rows in the data table")
    X, Y = _as_matrix(inputs, "inputs"), _as_matrix(targets, "targets")
    if len(X) != len(Y):
        raise EngineError(f"{len(X)} input rows but {len(Y)} target rows")
    if test_inputs is not None and len(test_inputs):
        Xt, Yt = _as_matrix(test_inputs, "test inputs"), _as_matrix(test_targets, "test targets")
        if Xt.shape[1] != X.shape[1] or Yt.shape[1] != Y.shape[1] or len(Xt) != len(Yt):
            raise EngineError("the test rows do not have the same shape as the training rows")
    else:
        Xt, Yt = np.zeros((0, X.shape[1])), np.zeros((0, Y.shape[1]))
    if task == "binary" and (Y.shape[1] != 1 or not np.isin(Y, (0.0, 1.0)).all()):
        raise EngineError("binary targets must be one column of 0 and 1")
    if task == "multiclass" and not ((Y.sum(axis=1) == 1).all() and np.isin(Y, (0, 1)).all()):
        raise EngineError("multi-class targets must be one-hot rows")
    names_in = tuple(input_names or [f"x{i + 1}" for i in range(X.shape[1])])
    names_out = tuple(output_names or [f"y{i + 1}" for i in range(Y.shape[1])])
    classes = ("0", "1") if task == "binary" else names_out if task == "multiclass" else ()
    if class_names and task != "regression":
        if len(class_names) != (2 if task == "binary" else Y.shape[1]):
            raise EngineError(f"{len(class_names)} class names for {task} targets")
        classes = tuple(class_names)
    x_range = y_range = None
    if X.shape[1] == 2:
        x_range, y_range = plane_of(np.vstack([X, Xt]), plane)
    return Dataset(X, Y, Xt, Yt, task, names_in, names_out, classes, x_range, y_range)
