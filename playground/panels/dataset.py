"""The dataset panel: pick a built-in dataset and its parameters, preview train/test points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.datasets import DATASETS
from engine.errors import EngineError
from playground.controller import Controller
from playground.document.build import build_dataset
from playground.document.edits import width_mismatch
from playground.document.model import DatasetSpec, Event
from playground.panels.features import FeatureInputs
from playground.plots.widget import PointsView

PREVIEW_SECTIONS = frozenset(("dataset", "mode"))  # the settings the preview shows
CLASS_COLOURS = [
    "#e4572e",
    "#2f6fd6",
    "#5aa469",
    "#f2a541",
    "#8e44ad",
    "#16a085",
    "#7f8c8d",
    "#d35400",
    "#2c3e50",
    "#c0392b",
]


def plane_projection(X: np.ndarray) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Rows to two plotted coordinates: the inputs themselves for one or two inputs; for more,
    the two principal components of ``X`` (digits' first two pixels are blank in every picture,
    so plotting them drew every point on one spot)."""
    if X.shape[1] == 1:
        return lambda rows: (rows[:, 0], np.zeros(len(rows)))
    if X.shape[1] == 2:
        return lambda rows: (rows[:, 0], rows[:, 1])
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    axes = vt[:2].T
    return lambda rows: tuple((rows - mean) @ axes[:, k] for k in range(2))  # type: ignore[return-value]


class DatasetPanel(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.name_combo = QComboBox()
        for name, info in DATASETS.items():
            self.name_combo.addItem(f"{info.title}  ({name})", name)
        self.name_combo.setPlaceholderText("Your own points (drawn or edited)")  # inline data
        self.points = QSpinBox()
        self.points.setRange(4, 100_000)
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0.0, 0.5)
        self.noise.setSingleStep(0.05)
        self.train_share = QSpinBox()
        self.train_share.setRange(1, 100)
        self.train_share.setSuffix(" % train")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("Draw a new sample (the next seed)")
        form = QFormLayout()
        form.addRow("Dataset", self.name_combo)
        form.addRow("Points", self.points)
        form.addRow("Noise", self.noise)
        form.addRow("Split", self.train_share)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.regenerate)
        form.addRow("Seed", seed_row)
        self.plot = PointsView()
        self.plot.setMinimumHeight(120)  # a preview: the decision plot shows the points large
        self.plot.setMouseEnabled(False, False)
        self.train_points = pg.ScatterPlotItem(size=6, pen=None)
        self.test_points = pg.ScatterPlotItem(size=6, brush=None)
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.mismatch = QLabel()
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet("color: #b9770e;")
        self.fix_button = QPushButton("Create matching inputs/outputs")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.plot, 1)
        self.features = FeatureInputs(controller)
        layout.addWidget(self.features)
        layout.addWidget(self.caption)
        layout.addWidget(self.mismatch)
        layout.addWidget(self.fix_button)
        self._loading = False
        self.name_combo.activated.connect(lambda _: self._name_chosen())
        for spin in (self.points, self.train_share, self.seed):
            spin.editingFinished.connect(self._commit)
        self.noise.editingFinished.connect(self._commit)
        self.regenerate.clicked.connect(self._regenerate)
        self.fix_button.clicked.connect(controller.create_matching_io)
        self.previews = 0  # datasets built for the preview (tests read it)
        self._mismatch_stale = False
        controller.doc.events.subscribe(self._on_document_event)
        controller.history_changed.connect(self._settle_mismatch)  # once per command, not per neuron
        self.refresh()

    def add_tools(self, widget: QWidget) -> None:
        """A section under the dataset's settings (the draw controls)."""
        self.layout().insertWidget(1, widget)

    def _on_document_event(self, event: Event) -> None:
        """Regenerate the preview only when the dataset or the mode changed (building ``digits``
        takes ~70 ms); a neuron added, removed or re-roled only re-checks the width warning."""
        if event.kind == "document_replaced" or (
                event.kind == "settings_changed" and PREVIEW_SECTIONS.intersection(event.fields)):
            self.refresh()
        elif event.kind in ("neuron_added", "neuron_removed") or (
                event.kind == "neuron_changed" and "role" in event.fields):
            self._mismatch_stale = True  # a 100-neuron delete sends 100 of these

    def _settle_mismatch(self) -> None:
        if self._mismatch_stale:
            self._show_mismatch()

    def refresh(self) -> None:
        """Show the document's dataset settings and a preview of its points."""
        spec = self.controller.doc.dataset
        self._loading = True
        enabled = spec is not None and spec.inline is None and self.controller.doc.mode != "hopfield"
        for w in (self.points, self.noise, self.train_share, self.seed, self.regenerate):
            w.setEnabled(enabled)
        self.name_combo.setEnabled(spec is not None and self.controller.doc.mode != "hopfield")
        if spec is not None and spec.inline is not None:
            self.name_combo.setCurrentIndex(-1)  # shows the placeholder: no built-in dataset
        if spec is not None and spec.inline is None and spec.name in DATASETS:
            info = DATASETS[spec.name]
            self.name_combo.setCurrentIndex(self.name_combo.findData(spec.name))
            self.points.setEnabled(enabled and info.n_points is not None)
            self.points.setValue(int(spec.params.get("n_points", info.n_points or 4)))
            self.noise.setEnabled(enabled and info.max_noise > 0)
            self.noise.setMaximum(info.max_noise)
            self.noise.setValue(float(spec.params.get("noise", info.noise)))
            share = spec.train_fraction if spec.train_fraction is not None else info.train_fraction
            self.train_share.setValue(round(share * 100))
            self.seed.setValue(spec.seed)
        self._loading = False
        self._preview()
        self._show_mismatch()

    def _show_mismatch(self) -> None:
        self._mismatch_stale = False
        problem = width_mismatch(self.controller.doc)
        self.mismatch.setText(f"⚠ {problem}." if problem else "")
        self.mismatch.setVisible(bool(problem))
        self.fix_button.setVisible(bool(problem))

    def _preview(self) -> None:
        doc = self.controller.doc
        if doc.dataset is None or doc.mode == "hopfield":
            self.train_points.setData([], [])
            self.test_points.setData([], [])
            self.caption.setText("No dataset (Hopfield networks store patterns instead).")
            return
        self.previews += 1
        try:
            data = build_dataset(doc)
        except EngineError as exc:
            self.caption.setText(f"Cannot build the dataset: {exc}")
            return
        info = DATASETS.get(doc.dataset.name or "")
        if doc.dataset.inline is not None or (info is not None and info.n_points is None):
            self._loading = True  # a fixed dataset's size is what it has, not the box's minimum
            self.points.setValue(len(data.X_train) + len(data.X_test))
            self._loading = False
        project = plane_projection(np.vstack([data.X_train, data.X_test]))
        for item, X, Y, filled in (
            (self.train_points, data.X_train, data.Y_train, True),
            (self.test_points, data.X_test, data.Y_test, False),
        ):
            xs, ys = project(X)
            colours = self._colours(Y, data.task)
            # one brush or pen per colour, shared by its points (one each per point cost ~50 ms)
            if filled:
                brushes = {c: pg.mkBrush(c) for c in set(colours)}
                item.setData(xs, ys, brush=[brushes[c] for c in colours], pen=None)
            else:
                pens = {c: pg.mkPen(c, width=1.5) for c in set(colours)}
                item.setData(xs, ys, brush=None, pen=[pens[c] for c in colours])
        extra = (f" ({data.n_inputs} inputs, shown along their two directions of widest spread)"
                 if data.n_inputs > 2 else "")
        if doc.dataset.inline is not None and data.task != "regression":
            extra += f"; classes {', '.join(data.class_names)}"  # an import's own names
        self.caption.setText(
            f"{len(data.X_train)} training points (filled), {len(data.X_test)} test "
            f"points (rings); {data.task}{extra}."
        )

    @staticmethod
    def _colours(Y: np.ndarray, task: str) -> list[str]:
        if task == "regression":
            lo, hi = float(Y.min(initial=0)), float(Y.max(initial=1))
            t = (Y[:, 0] - lo) / ((hi - lo) or 1.0)
            return [pg.mkColor(int(255 * v), 80, int(255 * (1 - v))).name() for v in t]
        classes = Y.argmax(axis=1) if Y.shape[1] > 1 else (Y[:, 0] > 0.5).astype(int)
        return [CLASS_COLOURS[int(c) % len(CLASS_COLOURS)] for c in classes]

    def _name_chosen(self) -> None:
        name = self.name_combo.currentData()
        spec = self.controller.doc.dataset or DatasetSpec()
        self.controller.set_dataset(replace(spec, name=name, params={}, train_fraction=None, inline=None))

    def _commit(self) -> None:
        if self._loading or self.controller.doc.dataset is None:
            return
        spec = self.controller.doc.dataset
        info = DATASETS.get(spec.name or "")
        if info is None:
            return
        params = dict(spec.params)
        if info.n_points is not None:
            params["n_points"] = self.points.value()
        if info.max_noise > 0:
            params["noise"] = round(self.noise.value(), 4)
        share = self.train_share.value() / 100
        fraction = None if abs(share - info.train_fraction) < 1e-9 and spec.train_fraction is None else share
        self.controller.set_dataset(
            replace(spec, params=params, train_fraction=fraction, seed=self.seed.value())
        )

    def _regenerate(self) -> None:
        spec = self.controller.doc.dataset
        if spec is not None:
            self.controller.set_dataset(replace(spec, seed=spec.seed + 1))
