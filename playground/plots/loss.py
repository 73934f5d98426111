"""Loss (and score) curves: persistent curves updated with setData, downsampled for long runs."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

from playground.plots.envelope import PeakEnvelope
from playground.plots.hint_bar import HintBar
from playground.plots.legend import set_title_legend
from playground.plots.widget import plot_widget
from playground.training.history import Curve, History

TRAIN_COLOUR = "#2f6fd6"
TEST_COLOUR = "#e08a2c"
LEFT_AXIS_WIDTH = 54  # room for labels like "0.0001" or "1e+06" and the axis title


def plot_with_toggles(widget: QWidget, plot: pg.PlotWidget, *toggles: QWidget) -> None:
    """Lay out a plot with a row of check boxes under it (the plots' shared look)."""
    row = QHBoxLayout()
    for toggle in toggles:
        row.addWidget(toggle)
    row.addStretch(1)
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.addWidget(plot, 1)
    layout.addLayout(row)


def cached_axes(plot: pg.PlotWidget) -> None:
    """Axes repaint from a pixmap unless their ticks change: playing back an axis costs ~4 ms.

    The left axis gets a fixed width: otherwise a tick label growing from "0.5" to "0.45" resizes
    the axis and relayouts (and repaints) the whole plot, a 20–30 ms frame.
    """
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.getAxis("left").setWidth(LEFT_AXIS_WIDTH)


def curve_plot(title: str, left: str) -> tuple[pg.PlotWidget, pg.PlotDataItem, pg.PlotDataItem]:
    plot = plot_widget(background="w")
    set_title_legend(plot, title, [(TRAIN_COLOUR, "train"), (TEST_COLOUR, "test")])  # not over a curve
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", left)
    for side in ("left", "bottom"):  # a learner reads 0.002, not "(x0.001)" and 2
        plot.getAxis(side).enableAutoSIPrefix(False)
    # no grid: pyqtgraph draws it with the axes, so every tick change repainted the whole plot area
    cached_axes(plot)
    train = EnvelopeCurve(TRAIN_COLOUR, name="train")
    test = EnvelopeCurve(TEST_COLOUR, name="test")
    for item in (train, test):
        plot.addItem(item)
    return plot, train, test


class EnvelopeCurve(pg.PlotDataItem):
    """A curve item fed a growing history through its min/max envelope (at most ~2k points drawn,
    every spike kept): a million epochs cost a few ms per frame, not tens. Once binning starts the
    pen goes from 2 px to 1 px: Qt strokes wide pens ~5× slower, and a band of min/max strokes
    reads fine thin."""

    def __init__(self, colour: str, name: str) -> None:
        self.pens = {False: pg.mkPen(colour, width=2), True: pg.mkPen(colour, width=1)}
        super().__init__(pen=self.pens[False], name=name)
        self.envelope = PeakEnvelope(max_bins=1024)
        self._binned = False

    def show_curve(self, curve: Curve) -> None:
        xs, ys = self.envelope.view(curve.x, curve.y)
        binned = self.envelope.bin > 1
        if binned != self._binned:
            self._binned = binned
            self.setPen(self.pens[binned])
        self.setData(xs, ys)


class LossPlot(QWidget):
    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.plot, self.train, self.test = curve_plot("Loss", "loss")
        self.log_scale = QCheckBox("log scale")
        self.log_scale.toggled.connect(lambda on: self.plot.setLogMode(y=on))
        plot_with_toggles(self, self.plot, self.log_scale)
        self.hint_bar = HintBar()  # over the curve it is about
        self.layout().insertWidget(0, self.hint_bar)

        self._x_max = 0.0
        self._y_range = (0.0, 0.0)
        self.plot.getPlotItem().getViewBox().disableAutoRange()

    def refresh(self) -> None:
        h = self.history
        self.train.show_curve(h.train)
        self.test.show_curve(h.test)
        self._rescale()

    def _rescale(self) -> None:
        """Grow the view in steps, not every frame: each range change repaints both axes."""
        h = self.history
        if not h.train.size:
            self._x_max, self._y_range = 0.0, (0.0, 0.0)
            self.plot.setRange(xRange=(0, 10), yRange=(0, 1), padding=0.02)
            return
        epochs = float(h.train.x[-1])
        ys = np.concatenate([h.train.y[-2000:], h.test.y[-2000:]])
        ys = ys[np.isfinite(ys)]
        low, high = (float(ys.min()), float(ys.max())) if ys.size else (0.0, 1.0)
        old_low, old_high = self._y_range
        span = max(old_high - old_low, 1e-12)
        y_stale = high > old_high or low < old_low or (high - low) < span / 3
        if epochs > self._x_max or y_stale:
            self._x_max = max(self._x_max, nice_ceiling(epochs * 1.25))
            if y_stale:
                pad = 0.1 * max(high - low, 1e-12)
                self._y_range = (max(0.0, low - pad) if low >= 0 else low - pad, high + pad)
            if self.log_scale.isChecked():
                self.plot.setXRange(0, self._x_max, padding=0)
                self.plot.enableAutoRange(y=True)
            else:
                self.plot.setRange(xRange=(0, self._x_max), yRange=self._y_range, padding=0)


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 × 10^k at or above ``value``."""
    if value <= 10:
        return 10.0
    exponent = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if step * exponent >= value:
            return float(step * exponent)
    return float(10 * exponent)
