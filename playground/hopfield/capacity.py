"""The capacity sweep view: recall success against load P/N, run in a worker thread, cancellable."""

from __future__ import annotations

import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget

from engine import hopfield
from playground.plots.loss import cached_axes
from playground.plots.widget import plot_widget

LOADS = tuple(np.round(np.linspace(0.02, 0.3, 15), 3))


class CapacitySweep(QWidget):
    progressed = Signal(int, int)  # from the worker thread: queued into the GUI thread
    done = Signal(object)  # the rows, or None when cancelled before any load finished

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units = 100
        self.trials = QSpinBox()
        self.trials.setRange(1, 500)
        self.trials.setValue(20)
        self.trials.setSuffix(" trials per load")
        self.start_button = QPushButton("Run capacity sweep")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.plot = plot_widget(background="w", title="Recall success vs load P/N")
        self.plot.setLabel("bottom", "load P/N")
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)  # loads, not milli-loads
        self.plot.setLabel("left", "exact recall rate")
        self.plot.setYRange(0, 1.05)
        self.plot.setXRange(0, 0.32)
        cached_axes(self.plot)
        self.curve = self.plot.plot(pen=pg.mkPen("#1f3b73", width=2), symbol="o", symbolSize=6)
        marker = pg.InfiniteLine(hopfield.CAPACITY_GUIDELINE, angle=90,
                                 pen=pg.mkPen("#e4572e", width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                                 label="0.138", labelOpts={"position": 0.9, "color": "#e4572e"})
        self.plot.addItem(marker)
        row = QHBoxLayout()
        for w in (self.trials, self.start_button, self.cancel_button):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.rows: list[dict] = []
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._show_progress)
        self.done.connect(self._finished)

    def set_units(self, n: int) -> None:
        self.units = n
        self.caption.setText(f"Random ±1 patterns for N = {n} units, 10 % noise; a trial succeeds when "
                             f"the noisy start returns exactly to its pattern.")

    def start(self) -> None:
        if self._thread is not None:
            return
        self._cancel.clear()
        self.rows = []
        self.curve.setData([], [])
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        n, trials = self.units, self.trials.value()

        def work() -> None:
            rows = hopfield.capacity_sweep(n, LOADS, trials=trials, noise=0.1, rng=np.random.default_rng(0),
                                           progress=self.progressed.emit, cancelled=self._cancel.is_set)
            self.done.emit(rows)

        self._thread = threading.Thread(target=work, name="capacity-sweep", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(10)

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    @Slot(object)
    def _finished(self, rows: list[dict]) -> None:
        if self._thread is not None:
            self._thread.join(10)
        self._thread = None
        self.rows = rows
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if rows:
            self.curve.setData([r["load"] for r in rows], [r["recall_rate"] for r in rows])
        state = "cancelled" if self._cancel.is_set() else "done"
        self.caption.setText(f"Sweep {state}: {len(rows)} of {len(LOADS)} loads for N = {self.units}. "
                             "Recall collapses near the dashed 0.138·N line.")
