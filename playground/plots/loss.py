"""Loss (and score) curves: persistent curves updated with setData, downsampled for long runs."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from playground.training.history import History

TRAIN_PEN = pg.mkPen("#2f6fd6", width=2)
TEST_PEN = pg.mkPen("#e08a2c", width=2)


def curve_plot(title: str, left: str) -> tuple[pg.PlotWidget, pg.PlotDataItem, pg.PlotDataItem]:
    plot = pg.PlotWidget(background="w", title=title)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", left)
    plot.addLegend(offset=(-10, 10))
    plot.showGrid(x=True, y=True, alpha=0.2)
    train = plot.plot(pen=TRAIN_PEN, name="train")
    test = plot.plot(pen=TEST_PEN, name="test")
    for item in (train, test):
        item.setDownsampling(auto=True, method="peak")  # a million epochs stay readable and fast
        item.setClipToView(True)
    return plot, train, test


class LossPlot(QWidget):
    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.plot, self.train, self.test = curve_plot("Loss", "loss")
        self.log_scale = QCheckBox("log scale")
        self.log_scale.toggled.connect(lambda on: self.plot.setLogMode(y=on))
        row = QHBoxLayout()
        row.addWidget(self.log_scale)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addLayout(row)

    def refresh(self) -> None:
        h = self.history
        self.train.setData(h.train.x, h.train.y)
        self.test.setData(h.test.x, h.test.y)
