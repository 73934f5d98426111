"""Loss and score curves of a training session: growable arrays the plots read with setData."""

from __future__ import annotations

import numpy as np


class Curve:
    """x/y points appended in chunks; amortised O(1) growth, views without copies."""

    def __init__(self) -> None:
        self._x = np.empty(1024)
        self._y = np.empty(1024)
        self.size = 0

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        need = self.size + len(x)
        if need > len(self._x):
            cap = max(need, 2 * len(self._x))
            self._x = np.resize(self._x, cap)
            self._y = np.resize(self._y, cap)
        self._x[self.size : need] = x
        self._y[self.size : need] = y
        self.size = need

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.size]

    def clear(self) -> None:
        self.size = 0


class History:
    """Every epoch's train/test loss (never dropped) and the sampled train/test scores."""

    def __init__(self) -> None:
        self.train = Curve()
        self.test = Curve()
        self.train_score = Curve()
        self.test_score = Curve()

    def add_losses(self, first_epoch: int, train: np.ndarray, test: np.ndarray) -> None:
        epochs = np.arange(first_epoch, first_epoch + len(train), dtype=float)
        self.train.extend(epochs, train)
        finite = np.isfinite(test)
        if finite.any():
            self.test.extend(epochs[finite], test[finite])

    def add_point(self, x: float, train: float, test: float | None) -> None:
        """One loss point between epochs (a single sample's step)."""
        self.train.extend(np.array([x], float), np.array([train], float))
        if test is not None and np.isfinite(test):
            self.test.extend(np.array([x], float), np.array([test], float))

    def add_scores(self, epoch: int, train: float | None, test: float | None) -> None:
        if train is not None:
            self.train_score.extend(np.array([epoch], float), np.array([train], float))
        if test is not None:
            self.test_score.extend(np.array([epoch], float), np.array([test], float))

    def clear(self) -> None:
        for curve in (self.train, self.test, self.train_score, self.test_score):
            curve.clear()

    @property
    def epochs(self) -> int:
        return int(self.train.x[-1]) if self.train.size else 0
