"""The colour scale beside the decision boundary: a gradient strip and one axis.

pyqtgraph's ``ColorBarItem`` is a whole ``PlotItem`` (four axes, a config form, a menu), ~5 ms to
build on the first window for what is only a legend here; this is a view box, an image and an axis.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class ColourScale(pg.GraphicsLayout):
    """A vertical strip of ``colour_map`` from low to high, labelled by an axis on its right."""

    def __init__(self, colour_map: pg.ColorMap, width: int = 12) -> None:
        super().__init__()
        self.layout.setContentsMargins(4, 0, 0, 0)
        self.layout.setSpacing(0)
        self.view = pg.ViewBox(enableMouse=False, enableMenu=False, defaultPadding=0)
        self.view.setFixedWidth(width)
        self.strip = pg.ImageItem(np.linspace(0.0, 1.0, 256).reshape(256, 1), axisOrder="row-major")
        self.strip.setColorMap(colour_map)
        self.strip.setLevels((0.0, 1.0))
        self.view.addItem(self.strip)
        self.axis = pg.AxisItem("right")
        self.axis.linkToView(self.view)
        self.addItem(self.view, 0, 0)
        self.addItem(self.axis, 0, 1)
        self.levels = (0.0, 1.0)
        self.set_levels(self.levels)

    def set_levels(self, levels: tuple[float, float]) -> None:
        """Show the colours for values ``low..high`` (what the boundary image maps them with)."""
        low, high = levels
        self.levels = (float(low), float(high))
        self.strip.setRect(pg.QtCore.QRectF(0.0, low, 1.0, high - low))
        self.view.setRange(xRange=(0.0, 1.0), yRange=(low, high), padding=0)

    def attach(self, plot: pg.PlotItem) -> None:
        """Sit right of ``plot``'s view, between its top and bottom axes (where ColorBarItem goes)."""
        plot.layout.addItem(self, 2, 5)
