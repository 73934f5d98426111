"""Overlap m_μ of the recalling state with every stored pattern, over the unit updates.

Up to eight patterns get a coloured curve each with a legend. More would be a rainbow nobody can
read and cost a curve item each per frame, so they are drawn as one grey bundle (one item,
NaN-separated) with the best-matching pattern highlighted and named in the title.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from playground.plots.loss import cached_axes

PALETTE = ["#2f6fd6", "#e4572e", "#5aa469", "#f2a541", "#8e44ad", "#16a085", "#7f8c8d", "#d35400"]
MAX_COLOURED = len(PALETTE)
TITLE = "Overlap with each stored pattern"


class OverlapPlot(pg.PlotWidget):
    def __init__(self) -> None:
        super().__init__(background="w", title=TITLE)
        self.setYRange(-1.05, 1.05)
        self.addLegend(offset=(-5, 5))
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
        self.setTitle(TITLE)
        if names == self.names:
            for curve in self.curves:
                curve.setData([], [])
            return
        self.names = names
        for curve in self.curves:
            self.removeItem(curve)
        self.getPlotItem().legend.clear()
        if self.bundled:
            self.curves = [self.plot(pen=pg.mkPen("#b8b8b8", width=1), name="every pattern"),
                           self.plot(pen=pg.mkPen(PALETTE[0], width=2), name="best match")]
        else:
            self.curves = [self.plot(pen=pg.mkPen(PALETTE[k], width=2), name=name)
                           for k, name in enumerate(names)]

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
            self.setTitle(f"{TITLE} (best match now: {self.names[best]})")
