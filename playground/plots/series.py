"""A growing column of values (or rows) for live curves: appended in batches, read as one array.

Rebuilding an array from a Python list every frame costs O(length) and grows with the run; a
buffer that doubles when full makes each append amortised O(batch) and every read a free view.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Series:
    """Values (``width`` None) or rows of ``width`` values, kept in a doubling float64 buffer."""

    def __init__(self, width: int | None = None, capacity: int = 1024) -> None:
        shape = (capacity,) if width is None else (capacity, width)
        self._buffer = np.empty(shape)
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def extend(self, values: Sequence[float] | Sequence[np.ndarray] | np.ndarray) -> None:
        count = len(values)
        if count == 0:
            return
        end = self._length + count
        if end > len(self._buffer):
            grown = np.empty((max(end, 2 * len(self._buffer)), *self._buffer.shape[1:]))
            grown[:self._length] = self._buffer[:self._length]
            self._buffer = grown
        self._buffer[self._length:end] = values
        self._length = end

    @property
    def values(self) -> np.ndarray:
        """The values so far: a view, valid until the next ``extend``."""
        return self._buffer[:self._length]
