"""Overlap m_μ of the recalling state with every stored pattern, over the unit updates.

Up to eight patterns get a coloured curve each, named in the title (a legend over the plot hid the
curves that reach 1). More would be a rainbow nobody can
read and cost a curve item each per frame, so they are drawn as one grey bundle (one item,
NaN-separated) with the best-matching pattern highlighted and named in the title.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from playground.plots.legend import set_title_legend
from playground.plots.loss import cached_axes
from playground.plots.widget import LazyMenuViewBox

PALETTE = ["#2f6fd6", "#e4572e", "#5aa469", "#f2a541", "#8e44ad", "#16a085", "#7f8c8d", "#d35400"]
MAX_COLOURED = len(PALETTE)
BUNDLE_COLOUR = "#b8b8b8"
TITLE = "Overlap with each stored pattern"


class OverlapPlot(pg.PlotWidget):
    def __init__(self) -> None:
        super().__init__(viewBox=LazyMenuViewBox(), background="w", title=TITLE)
        self.setYRange(-1.05, 1.05)
        cached_axes(self)
        self.names: tuple[str, ...] | None = None
        self.curves: list[pg.PlotDataItem] = []  # one per pattern, or [bundle, best match]
        self.best: int | None = None

    @property
    def bundled(self) -> bool:
        return self.names is not None and len(self.names) > MAX_COLOURED

    def set_patterns(self, names: tuple[str, ...]) -> None:
        """Empty curves for these patterns; the items are rebuilt only when the patterns changed."""
        self.best = None
        if names == self.names:
            self._title()
            for curve in self.curves:
                curve.setData([], [])
            return
        self.names = names
        for curve in self.curves:
            self.removeItem(curve)
        if self.bundled:
            self.curves = [self.plot(pen=pg.mkPen(BUNDLE_COLOUR, width=1)),
                           self.plot(pen=pg.mkPen(PALETTE[0], width=2))]
        else:
            self.curves = [self.plot(pen=pg.mkPen(PALETTE[k], width=2)) for k in range(len(names))]
        self._title()

    def _title(self) -> None:
        """The title with the curves' names in their colours (the legend, outside the data)."""
        if self.bundled and self.names is not None:
            best = f"best match: {self.names[self.best]}" if self.best is not None else "best match"
            entries = [(BUNDLE_COLOUR, "every pattern"), (PALETTE[0], best)]
        else:
            entries = [(PALETTE[k], name) for k, name in enumerate(self.names or ())]
        set_title_legend(self, TITLE, entries, new_line=True)

    def show(self, x: np.ndarray, m: np.ndarray) -> None:
        """Draw records × patterns overlaps ``m`` against the update counts ``x``."""
        if not len(x) or not self.names:
            return
        if not self.bundled:
            for k, curve in enumerate(self.curves):
                curve.setData(x, m[:, k])
            return
        count, length = m.shape[1], len(x)
        xs = np.full((count, length + 1), np.nan)
        ys = np.full((count, length + 1), np.nan)
        xs[:, :length] = x
        ys[:, :length] = m.T
        self.curves[0].setData(xs.ravel(), ys.ravel(), connect="finite")
        best = int(np.argmax(m[-1]))
        self.curves[1].setData(x, m[:, best])
        if best != self.best:
            self.best = best
            self._title()
