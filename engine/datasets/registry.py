"""Every built-in dataset by name, with its defaults, and the one function that makes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from engine.datasets import files, small, tfp
from engine.datasets.base import Dataset, one_hot, split
from engine.errors import EngineError
from engine.registry import lookup

PLANE = (-6.0, 6.0)


class DatasetInfo(NamedTuple):
    name: str
    title: str
    task: str
    n_inputs: int
    n_outputs: int
    n_points: int | None  # None: fixed size
    noise: float
    train_fraction: float
    max_noise: float = 0.5
    plane: tuple[float, float] | None = None


_INFOS = [
    DatasetInfo("gate-and", "AND gate", "binary", 2, 1, None, 0.0, 1.0, 0.0, (-0.5, 1.5)),
    DatasetInfo("gate-or", "OR gate", "binary", 2, 1, None, 0.0, 1.0, 0.0, (-0.5, 1.5)),
    DatasetInfo("gate-nand", "NAND gate", "binary", 2, 1, None, 0.0, 1.0, 0.0, (-0.5, 1.5)),
    DatasetInfo("gate-xor", "XOR gate", "binary", 2, 1, None, 0.0, 1.0, 0.0, (-0.5, 1.5)),
    DatasetInfo("circle", "Circle", "binary", 2, 1, 500, 0.0, 0.5, plane=PLANE),
    DatasetInfo("xor", "Exclusive or (quadrants)", "binary", 2, 1, 500, 0.0, 0.5, plane=PLANE),
    DatasetInfo("gauss", "Two Gaussians", "binary", 2, 1, 500, 0.0, 0.5, plane=PLANE),
    DatasetInfo("spiral", "Spiral", "binary", 2, 1, 500, 0.0, 0.5, plane=PLANE),
    DatasetInfo("regression-plane", "Regression: plane", "regression", 2, 1, 1200, 0.0, 0.5,
                plane=PLANE),
    DatasetInfo("regression-gauss", "Regression: multi-Gaussian", "regression", 2, 1, 1200, 0.0,
                0.5, plane=PLANE),
    DatasetInfo("nine-line", "Nine-line neuron table", "binary", 3, 1, None, 0.0, 1.0, 0.0),
    DatasetInfo("two-layer", "Two-layer tutorial table", "binary", 3, 1, None, 0.0, 1.0, 0.0),
    DatasetInfo("height-weight", "Height and weight", "binary", 2, 1, None, 0.0, 1.0, 0.0,
                (-30.0, 30.0)),
    DatasetInfo("line-fit", "Noisy line y = 2x + 1", "regression", 1, 1, 100, 0.4, 1.0, 2.0),
    DatasetInfo("digits", "Handwritten digits (8×8)", "multiclass", 64, 10, None, 0.0, 0.75, 0.0),
    DatasetInfo("iris", "Iris flowers", "multiclass", 4, 3, None, 0.0, 0.75, 0.0),
]
DATASETS: dict[str, DatasetInfo] = {info.name: info for info in _INFOS}

_GENERATORS: dict[str, Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]] = {
    "circle": tfp.circle, "xor": tfp.xor, "gauss": tfp.gauss, "spiral": tfp.spiral,
    "regression-plane": tfp.regression_plane, "regression-gauss": tfp.regression_gauss,
    "line-fit": small.line_fit,
}
_FIXED = {
    "gate-and": lambda: small.gate("and"), "gate-or": lambda: small.gate("or"),
    "gate-nand": lambda: small.gate("nand"), "gate-xor": lambda: small.gate("xor"),
    "nine-line": small.nine_line, "two-layer": small.two_layer,
    "height-weight": small.height_weight,
}
_INPUT_NAMES = {"height-weight": ("weight−135 (lb)", "height−66 (in)"), "line-fit": ("x",)}


def get_info(name: str) -> DatasetInfo:
    return lookup(DATASETS, "dataset", name)


def make_dataset(name: str, *, n_points: int | None = None, noise: float | None = None,
                 train_fraction: float | None = None, seed: int = 0,
                 data_dir: Path | None = None) -> Dataset:
    """Build a dataset deterministically from its name, parameters and seed."""
    info = get_info(name)
    noise = info.noise if noise is None else float(noise)
    if not 0.0 <= noise <= info.max_noise:
        raise EngineError(f"noise for '{name}' must be between 0 and {info.max_noise}, not {noise}")
    fraction = info.train_fraction if train_fraction is None else float(train_fraction)
    if not 0.0 < fraction <= 1.0:
        raise EngineError(f"the training share must be in (0, 1], not {fraction}")
    n = info.n_points if n_points is None else n_points
    if info.n_points is not None and (not isinstance(n, int) or not 4 <= n <= 100_000):
        raise EngineError(f"the number of points must be a whole number from 4 to 100000, not {n}")
    # a fixed set used whole draws nothing: no generator, so opening the default xor example does
    # not import numpy.random (~10 ms of a launch) before the window is shown
    draws = name in _GENERATORS or fraction < 1.0
    rng = np.random.default_rng(seed) if draws else None
    class_names: tuple[str, ...] = ("0", "1") if info.task == "binary" else ()
    if name in _GENERATORS:
        X, Y = _GENERATORS[name](n, noise, rng)
    elif name in _FIXED:
        X, Y = _FIXED[name]()
    elif name == "digits":
        X, labels = files.load_digits(_need(data_dir, name))
        Y, class_names = one_hot(labels, 10), tuple(str(d) for d in range(10))
    else:
        X, labels, class_names = files.load_iris(_need(data_dir, name))
        Y = one_hot(labels, len(class_names))
    Xtr, Ytr, Xte, Yte = split(X, Y, fraction, rng)
    inputs = _INPUT_NAMES.get(name, tuple(f"x{i + 1}" for i in range(X.shape[1])))
    outputs = class_names if info.task == "multiclass" else ("y",)
    plane = info.plane
    return Dataset(Xtr, Ytr, Xte, Yte, info.task, inputs, outputs, class_names, plane, plane)


def _need(data_dir: Path | None, name: str) -> Path:
    if data_dir is None:
        raise EngineError(f"dataset '{name}' is read from a file: no data folder was given")
    return Path(data_dir)
