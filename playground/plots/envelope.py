"""The min/max envelope of a growing curve: what a plot needs to draw a million epochs in a few ms.

The curve is cut into bins of a power-of-two size, at most ``max_bins`` of them; each bin becomes
a vertical stroke from its minimum to its maximum, so no spike is lost. Bins are folded in as the
curve grows and merged pairwise when the bin size doubles: a refresh costs O(new points), not
O(all points) as re-downsampling the whole curve every frame would. Qt-free.
"""

from __future__ import annotations

import numpy as np


class PeakEnvelope:
    def __init__(self, max_bins: int = 2048) -> None:
        self.max_bins = max_bins
        self.clear()

    def clear(self) -> None:
        self.bin = 1
        self.done = 0  # points already folded into complete bins
        self._x = np.empty(0)  # each complete bin's first x
        self._lo = np.empty(0)
        self._hi = np.empty(0)

    def view(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points to draw for the whole curve: two per complete bin (at its first x), then the
        unbinned tail as is — or the last point again, so the line always reaches the newest epoch."""
        n = len(y)
        if n < self.done:  # the curve was cleared and started again
            self.clear()
        while n > self.bin * self.max_bins:
            self._double()
        if self.bin == 1:
            return x, y
        complete = n - (n - self.done) % self.bin
        if complete > self.done:
            seg = y[self.done:complete].reshape(-1, self.bin)
            self._x = np.concatenate([self._x, x[self.done:complete:self.bin]])
            self._lo = np.concatenate([self._lo, seg.min(axis=1)])
            self._hi = np.concatenate([self._hi, seg.max(axis=1)])
            self.done = complete
        tail = slice(self.done, n) if self.done < n else slice(n - 1, n)  # the curve ends at its last point
        xs = np.concatenate([np.repeat(self._x, 2), x[tail]])
        ys = np.concatenate([np.column_stack([self._lo, self._hi]).ravel(), y[tail]])
        return xs, ys

    def _double(self) -> None:
        pairs = len(self._lo) // 2
        self._x = self._x[0:2 * pairs:2]
        self._lo = np.minimum(self._lo[0:2 * pairs:2], self._lo[1:2 * pairs:2])
        self._hi = np.maximum(self._hi[0:2 * pairs:2], self._hi[1:2 * pairs:2])
        self.bin *= 2
        self.done = pairs * self.bin  # an odd last bin goes back to the tail
