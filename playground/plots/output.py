"""What the network outputs, drawn for the kind of problem at hand.

- two inputs: the decision boundary (a heatmap of the output over the input plane, computed in
  the worker) with the train/test points on top; arg-max class colours for multi-class; the
  perceptron's separating line(s);
- one input (regression): the data and the fitted curve, redrawn as it learns;
- anything else (digits, iris): the accuracy curves and a confusion matrix.

Items are created once; updates only assign data (setImage with fixed levels, setData).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.activations import output_range
from engine.datasets import Dataset
from playground.document.build import TrainingJob
from playground.plots.colour_scale import ColourScale
from playground.plots.legend import DOT, set_title_legend
from playground.plots.loss import cached_axes, curve_plot, plot_with_toggles
from playground.plots.widget import plot_widget
from playground.training.extras import PlotExtras
from playground.training.history import History

if TYPE_CHECKING:
    from engine.trainer import Snapshot

CLASS_RGB = np.array(
    [
        [228, 87, 46],
        [47, 111, 214],
        [90, 164, 105],
        [242, 165, 65],
        [142, 68, 173],
        [22, 160, 133],
        [127, 140, 141],
        [211, 84, 0],
        [44, 62, 80],
        [192, 57, 43],
    ],
    dtype=np.ubyte,
)
COUNT_FONT = pg.QtGui.QFont()
COUNT_FONT.setPointSize(7)
BOUNDARY_MAP = pg.ColorMap([0.0, 0.5, 1.0], [(228, 87, 46), (245, 245, 245), (47, 111, 214)])


class PointStyles:
    """One brush and one ring pen per colour, shared by every point of that colour: pyqtgraph
    renders a symbol per distinct brush object, so 100,000 points in two classes render two
    symbols instead of 100,000 (12 s → a fraction of a second, measured)."""

    def __init__(self, rgb: np.ndarray) -> None:
        self.brushes = np.array([pg.mkBrush(*c) for c in rgb.tolist()], dtype=object)
        self.rings = np.array([pg.mkPen(*c, width=1.5) for c in rgb.tolist()], dtype=object)

    def brush(self, index: np.ndarray) -> list:
        return list(self.brushes[np.asarray(index, dtype=int) % len(self.brushes)])

    def ring(self, index: np.ndarray) -> list:
        return list(self.rings[np.asarray(index, dtype=int) % len(self.rings)])


CLASS_STYLES = PointStyles(CLASS_RGB)


class BoundaryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = plot_widget(background="w", title="Decision boundary")
        # the data's plane fills the dock: a locked aspect left a quarter of a wide dock in use
        self.plot.setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(BOUNDARY_MAP)
        self.plot.addItem(self.image)
        cached_axes(self.plot)
        self._rect: pg.QtCore.QRectF | None = None
        self.colour_scale = ColourScale(BOUNDARY_MAP)
        self.colour_scale.attach(self.plot.getPlotItem())
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("k", width=0.5))
        self.test_points = pg.ScatterPlotItem(size=7, brush=None)
        self.highlight = pg.ScatterPlotItem(size=15, brush=None, pen=pg.mkPen("#f1c40f", width=3))
        for item in (self.train_points, self.test_points, self.highlight):
            self.plot.addItem(item)
        self.legend_names: list[str] = []  # the classes named in the title row (not over the points)
        self.image.setZValue(-10)
        self.train_points.setZValue(10)
        self.test_points.setZValue(11)
        self.highlight.setZValue(12)  # the rows selected in the data table, over every point
        self.lines: list[pg.PlotDataItem] = []
        self.discretize = QCheckBox("discretize")
        self.show_test = QCheckBox("show test data")
        self.show_test.setChecked(True)
        self.show_test.toggled.connect(self.test_points.setVisible)
        self.discretize.toggled.connect(lambda _: self.redraw())
        plot_with_toggles(self, self.plot, self.discretize, self.show_test)
        self.data: Dataset | None = None
        self.levels = (0.0, 1.0)
        self.grid: np.ndarray | None = None
        self.hover_grid: np.ndarray | None = None

    def set_data(self, data: Dataset, output_activation: str) -> None:
        """A new problem: its plane, colour levels and points; the old boundary is cleared."""
        (x0, x1), (y0, y1) = data.x_range, data.y_range or data.x_range
        self._rect = pg.QtCore.QRectF(x0, y0, x1 - x0, y1 - y0)
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.levels = self.levels_for(data, output_activation)
        self.colour_scale.set_levels(self.levels)
        self.set_points(data)
        self.grid = None
        self.image.clear()
        # the class names (an imported file's own, or 0 and 1) in the title row: a legend inside
        # the plot covered the points drawn into its corner
        self.legend_names = list(data.class_names) if data.task != "regression" else []
        colours = [pg.mkColor(*CLASS_RGB[k % len(CLASS_RGB)]).name() for k in range(len(self.legend_names))]
        set_title_legend(self.plot, "Decision boundary", list(zip(colours, self.legend_names, strict=True)),
                         swatch=DOT)

    @staticmethod
    def levels_for(data: Dataset, output_activation: str) -> tuple[float, float]:
        """The colour scale: the output's range for classes, the targets' range for regression."""
        if data.task == "regression" and len(data.Y_train):
            low, high = float(data.Y_train.min()), float(data.Y_train.max())
            return low, high if high > low else low + 1
        bounds = output_range(output_activation)
        return (bounds[0] if bounds else 0.0), 1.0  # classes sit at the low end of the range

    def same_problem(self, data: Dataset, output_activation: str) -> bool:
        """Whether ``data`` keeps this plane and colour scale (a point drawn inside the plane):
        then only the points change and a running boundary stays on show."""
        old = self.data
        return old is not None and (old.x_range, old.y_range, old.task) == (
            data.x_range, data.y_range, data.task) and self.levels == self.levels_for(
            data, output_activation)

    def set_points(self, data: Dataset) -> None:
        """The train (filled) and test (rings) points, in their class colours."""
        self.data = data
        for item, X, Y, filled in (
            (self.train_points, data.X_train, data.Y_train, True),
            (self.test_points, data.X_test, data.Y_test, False),
        ):
            classes = self._classes(Y, data.task)
            if filled:
                item.setData(X[:, 0], X[:, 1], brush=CLASS_STYLES.brush(classes))
            else:
                item.setData(X[:, 0], X[:, 1], pen=CLASS_STYLES.ring(classes), brush=None)

    def show_highlight(self, rows: np.ndarray) -> None:
        """Rings around rows by global index (training rows first, then test rows)."""
        if self.data is None or not len(rows):
            self.highlight.setData([], [])
            return
        X = np.vstack([self.data.X_train, self.data.X_test])
        rows = rows[rows < len(X)]
        self.highlight.setData(X[rows, 0], X[rows, 1])

    @staticmethod
    def _classes(Y: np.ndarray, task: str) -> np.ndarray:
        if not len(Y):
            return np.zeros(0, dtype=int)
        if task == "multiclass":
            return Y.argmax(axis=1)
        if task == "regression":
            return (Y[:, 0] > np.median(Y[:, 0])).astype(int)
        return (Y[:, 0] > 0.5).astype(int)

    def clear_grid(self) -> None:
        self.grid = None
        self.image.clear()
        self.set_lines(None)

    def update_grid(self, grid: np.ndarray) -> None:
        self.grid = grid
        self.redraw()

    def show_neuron(self, grid: np.ndarray | None) -> None:
        """Hovering a neuron on the canvas shows its own map here (None: back to the output)."""
        self.hover_grid = grid
        self.redraw()

    def redraw(self) -> None:
        grid = self.hover_grid if self.hover_grid is not None else self.grid
        if grid is None or self.data is None:
            return
        shown = self.image.image
        # a new size (the 24×24 neuron map after the 50×50 boundary) must be mapped onto the
        # plane again: setImage keeps the old scale, which put a hovered map in one corner
        remap = shown is None or shown.shape[:2] != grid.shape[-2:]
        if grid.ndim == 3 and grid.shape[0] > 1:  # multi-class: arg-max class colours
            rgb = CLASS_RGB[grid.argmax(axis=0) % len(CLASS_RGB)]
            self.image.setImage(rgb, autoLevels=False, levels=(0, 255))
        else:
            values = grid[0] if grid.ndim == 3 else grid
            low, high = self.levels
            if self.discretize.isChecked():
                values = np.where(values > (low + high) / 2, high, low)
            self.image.setImage(values, autoLevels=False, levels=self.levels)
        if remap and self._rect is not None:
            self.image.setRect(self._rect)  # maps the grid onto the input plane (needs its size)

    def set_lines(self, weights: np.ndarray | None) -> None:
        """Perceptron mode: w1·x + w2·y + b = 0 per output, over the plotted x range."""
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines = []
        if weights is None or self.data is None:
            return
        x0, x1 = self.data.x_range
        for w1, w2, b in weights:
            if abs(w2) > 1e-12:
                xs = np.array([x0, x1])
                ys = -(w1 * xs + b) / w2
            elif abs(w1) > 1e-12:
                xs = np.array([-b / w1, -b / w1])
                ys = np.array(self.data.y_range or self.data.x_range)
            else:
                continue
            line = self.plot.plot(xs, ys, pen=pg.mkPen("k", width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
            self.lines.append(line)


class CurveView(QWidget):
    """One input: the data and the fitted function (the line-fit tutorial's redrawn line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = plot_widget(background="w", title="Fit")
        self.points = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(47, 111, 214, 160), pen=None)
        self.curve = self.plot.plot(pen=pg.mkPen("#e4572e", width=2.5))
        self.plot.addItem(self.points)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)

    def set_data(self, data: Dataset) -> None:
        X = np.vstack([data.X_train, data.X_test])
        Y = np.vstack([data.Y_train, data.Y_test])
        self.points.setData(X[:, 0], Y[:, 0])
        self.curve.setData([], [])

    def update_curve(self, xs: np.ndarray, ys: np.ndarray) -> None:
        self.curve.setData(xs, ys)


class ScoreView(QWidget):
    """Many inputs: accuracy per epoch and the test confusion matrix."""

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.plot, self.train, self.test = curve_plot("Accuracy", "accuracy")
        self.matrix_plot = plot_widget(background="w", title="Confusion matrix (test)")
        self.matrix_plot.setMouseEnabled(False, False)  # a table, not a plane to pan
        self.matrix_plot.invertY(True)
        self.matrix_plot.setLabel("left", "true class")
        self.matrix_plot.setLabel("bottom", "predicted class")
        self.matrix = pg.ImageItem(axisOrder="row-major")
        self.matrix.setColorMap(pg.colormap.get("viridis"))
        self.matrix_plot.addItem(self.matrix)
        cached_axes(self.matrix_plot)
        self.counts: list[pg.TextItem] = []  # each cell's count, written on the cell
        self._cells: pg.QtCore.QRectF | None = None
        self.caption = QLabel()
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(2, 2, 2, 2)
        self.row.addWidget(self.plot, 3)
        right = QVBoxLayout()
        right.addWidget(self.matrix_plot, 1)
        right.addWidget(self.caption)
        self.row.addLayout(right, 2)

    def resizeEvent(self, event) -> None:
        """Side by side when wide (a dock along the bottom), stacked when tall (the right column):
        side by side in 400 px the matrix lost its last columns."""
        stacked = event.size().width() < 1.6 * event.size().height()
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if stacked
                              else QBoxLayout.Direction.LeftToRight)
        self.row.setStretch(0, 1 if stacked else 3)
        self.row.setStretch(1, 2)
        super().resizeEvent(event)

    def set_classes(self, names: tuple[str, ...]) -> None:
        """Cell (true t, predicted p) centred on (x=p, y=t), each axis ticked with the class
        names, so a row is a true class and a column a predicted one."""
        k = len(names)
        self.matrix.clear()
        self._cells = pg.QtCore.QRectF(-0.5, -0.5, k, k)  # set after each image: it needs its size
        ticks = [[(float(i), name) for i, name in enumerate(names)]]
        for side in ("left", "bottom"):
            self.matrix_plot.getAxis(side).setTicks(ticks)
        self.matrix_plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0)
        for item in self.counts:
            self.matrix_plot.removeItem(item)
        self.counts = []
        for t in range(k):
            for p in range(k):
                item = pg.TextItem("", color="w", anchor=(0.5, 0.5))
                item.setFont(COUNT_FONT)
                item.setPos(p, t)
                self.matrix_plot.addItem(item)
                self.counts.append(item)
        self.caption.setText("")

    def refresh(self, confusion: np.ndarray | None) -> None:
        h = self.history
        self.train.show_curve(h.train_score)
        self.test.show_curve(h.test_score)
        if confusion is not None:
            self.matrix.setImage(
                confusion.astype(float), autoLevels=False, levels=(0, max(1.0, float(confusion.max())))
            )
            if self._cells is not None:
                self.matrix.setRect(self._cells)
            if len(self.counts) == confusion.size:
                high = max(1.0, float(confusion.max()))
                for item, count in zip(self.counts, confusion.ravel(), strict=True):
                    item.setText(str(int(count)) if count else "")
                    item.setColor("k" if count > 0.6 * high else "w")  # readable on viridis
            self.caption.setText(f"{int(np.trace(confusion))} of {int(confusion.sum())} test samples right")


class OutputPlot(QStackedWidget):
    curve_made = Signal(object)  # the CurveView, made when a 1-input problem first needs it

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.boundary = BoundaryView()
        self.addWidget(self.boundary)
        # the fit and score views are made when a problem first needs them: each costs ~0.1 s
        # of pyqtgraph set-up, which a window opening a 2-input project should not pay
        self._curve: CurveView | None = None
        self._scores: ScoreView | None = None
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("background: rgba(255,255,240,235); padding: 6px; "
                                   "border: 1px solid #c9a227; font-weight: bold;")
        self.verdict.move(60, 28)
        self.verdict.hide()

    @property
    def curve(self) -> CurveView:
        if self._curve is None:
            self._curve = CurveView()
            self.addWidget(self._curve)
            self.curve_made.emit(self._curve)
        return self._curve

    @property
    def scores(self) -> ScoreView:
        if self._scores is None:
            self._scores = ScoreView(self.history)
            self.addWidget(self._scores)
            self._scores.refresh(None)  # the scores recorded before it existed
        return self._scores

    def show_verdict(self, text: str | None) -> None:
        """A run's outcome over the plot (the perceptron's verdict); None hides it."""
        self.verdict.setText(text or "")
        self.verdict.setVisible(bool(text))
        if text:
            self.verdict.setMaximumWidth(max(200, self.width() - 120))
            self.verdict.adjustSize()
            self.verdict.raise_()

    def set_problem(self, data: Dataset, output_activation: str) -> None:
        self.show_verdict(None)
        if data.n_inputs == 2 and data.x_range is not None:
            self.boundary.set_data(data, output_activation)
            self.setCurrentWidget(self.boundary)
        elif data.n_inputs == 1 and data.task == "regression":
            self.curve.set_data(data)
            self.setCurrentWidget(self.curve)
        else:
            self.scores.set_classes(data.class_names or tuple(str(k) for k in range(
                max(2, data.Y_train.shape[1]))))
            self.setCurrentWidget(self.scores)

    def set_job(self, job: TrainingJob) -> None:
        """A run's problem: its data, and its first output's activation for the colour scale."""
        outputs = [n for n in job.compiled.spec.nodes if n.is_output]
        self.set_problem(job.data, outputs[0].activation if outputs else "sigmoid")

    def update_from(self, snap: Snapshot) -> None:
        extras: PlotExtras = snap.extras or PlotExtras()
        if extras.grid is not None:
            self.boundary.update_grid(extras.grid)
        if extras.lines is not None:
            self.boundary.set_lines(extras.lines)
        if extras.curve_x is not None and extras.curve_y is not None:
            self.curve.update_curve(extras.curve_x, extras.curve_y)
        if self._scores is not None:
            self._scores.refresh(extras.confusion)
