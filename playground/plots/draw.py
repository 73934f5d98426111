"""Points by mouse on the decision plot, and the plot following the document's data.

In draw mode a left click adds a point of the current class (or value), a drag moves the point
under the cursor (or the one just added), the brush sprays a small seeded cloud as it is dragged,
a right click removes a point, Del removes the selected ones. Each press-to-release is one stroke:
its edits merge into one undo step. Out of draw mode a click selects a point (Ctrl adds), and the
data table shows it. Pan and zoom stay pyqtgraph's whenever the press is not ours.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt

from playground.controller import Controller
from playground.data_editing import CurrentData, DataEditor, DataSelection, DrawState
from playground.document.points import brush_cloud
from playground.plots.output import OutputPlot

HIT_PIXELS = 6.0  # how near a press must be to a point to pick it
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class PointEditor(QObject):
    def __init__(self, controller: Controller, current: CurrentData, selection: DataSelection,
                 state: DrawState, editor: DataEditor, output: OutputPlot,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.current, self.selection = controller, current, selection
        self.state, self.editor, self.output = state, editor, output
        self.view = output.boundary
        self.vb = self.view.plot.getPlotItem().getViewBox()
        self._stroke: int | None = None
        self._moving: int | None = None  # the row a drag moves
        self._last_dab: np.ndarray | None = None
        self._dabs = 0
        self.view.plot.scene().installEventFilter(self)
        self.view.plot.installEventFilter(self)
        self.view.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        current.changed.connect(self.show_data)
        selection.changed.connect(self._selection_changed)
        state.changed.connect(self._state_changed)
        self.show_data()

    # -- following the document ---------------------------------------------------------------
    def output_activation(self) -> str:
        outs = [n for n in self.controller.doc.neurons.values() if n.role == "output"]
        return outs[0].activation if outs else "sigmoid"

    def show_data(self) -> None:
        """The document's points on the plot: only the points when the plane and colours stay
        (a running boundary stays too), the whole problem otherwise."""
        data = self.current.data
        if data is None:
            return
        activation = self.output_activation()
        if data.n_inputs == 2 and data.x_range is not None and self.view.same_problem(data, activation):
            self.view.set_points(data)
        else:
            self.output.set_problem(data, activation)
        self.view.show_highlight(self.selection.rows)

    def _selection_changed(self, origin: object) -> None:
        self.view.show_highlight(self.selection.rows)

    def _state_changed(self) -> None:
        drawing = self.state.enabled
        self.view.plot.setCursor(Qt.CursorShape.CrossCursor if drawing else Qt.CursorShape.ArrowCursor)
        if drawing:
            self.output.setCurrentWidget(self.view)

    # -- geometry -----------------------------------------------------------------------------------
    def _xy(self, scene_pos: QPointF) -> np.ndarray:
        """The plane's coordinates of a scene position, clamped to the plane (the plane stays)."""
        p = self.vb.mapSceneToView(scene_pos)
        xy = np.array([p.x(), p.y()])
        data = self.view.data
        if data is not None and data.x_range is not None:
            (x0, x1), (y0, y1) = data.x_range, data.y_range or data.x_range
            xy = np.clip(xy, (x0, y0), (x1, y1))
        return xy

    def hit(self, scene_pos: QPointF) -> int | None:
        """The global row of the point under the cursor (within HIT_PIXELS), or None."""
        data = self.view.data
        if data is None or not len(data.X_train) + len(data.X_test):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        pw, ph = self.vb.viewPixelSize()
        X = np.vstack([data.X_train, data.X_test])
        d = np.hypot((X[:, 0] - p.x()) / pw, (X[:, 1] - p.y()) / ph)
        k = int(np.argmin(d))
        return k if d[k] <= HIT_PIXELS else None

    def _in_plot(self, scene_pos: QPointF) -> bool:
        return self.output.currentWidget() is self.view and self.view.data is not None \
            and self.vb.sceneBoundingRect().contains(scene_pos)

    # -- events -----------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if obj is self.view.plot:
            if kind == QEvent.Type.ShortcutOverride and event.key() in DELETE_KEYS \
                    and len(self.selection.rows):
                event.accept()  # Del here deletes points, not the canvas's neurons
                return True
            if kind == QEvent.Type.KeyPress and event.key() in DELETE_KEYS and len(self.selection.rows):
                self.editor.delete(self.selection.rows)
                return True
            return False
        if kind == QEvent.Type.GraphicsSceneMousePress:
            return self._press(event)
        if kind == QEvent.Type.GraphicsSceneMouseMove and self._stroke is not None:
            self._drag(event.scenePos())
            return True
        if kind == QEvent.Type.GraphicsSceneMouseRelease and self._stroke is not None:
            self._stroke = self._moving = self._last_dab = None
            return True
        return False

    def _press(self, event) -> bool:
        pos = event.scenePos()
        if not self._in_plot(pos):
            return False
        self.view.plot.setFocus()
        row = self.hit(pos)
        button = event.button()
        if not self.state.enabled:
            if button == Qt.MouseButton.LeftButton and row is not None:
                add = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                rows = np.union1d(self.selection.rows, [row]) if add else [row]
                self.selection.set(rows, self)
                return True
            return False  # pan and zoom as usual
        if button == Qt.MouseButton.RightButton:
            if row is not None:
                self.editor.delete([row])
            return True  # no context menu while drawing
        if button != Qt.MouseButton.LeftButton:
            return False
        self._stroke = self.controller.new_stroke()
        xy = self._xy(pos)
        if self.state.tool == "brush":
            self._dabs = 0
            self._dab(xy)
        elif row is not None:
            self._moving = row
            self.selection.set([row], self)
        else:
            self._moving = self.editor.add([xy.tolist()], self.state.label, "Add point", self._stroke)
            if self._moving is not None:
                self.selection.set([self._moving], self)
        return True

    def _drag(self, scene_pos: QPointF) -> None:
        xy = self._xy(scene_pos)
        if self.state.tool == "brush":
            if self._last_dab is None or np.hypot(*(xy - self._last_dab)) >= self._radius():
                self._dab(xy)
        elif self._moving is not None and self._stroke is not None:
            self.editor.move(self._moving, xy.tolist(), self._stroke)

    def _radius(self) -> float:
        data = self.view.data
        x0, x1 = data.x_range if data is not None and data.x_range else (0.0, 1.0)
        return self.state.brush_radius * (x1 - x0)

    def _dab(self, xy: np.ndarray) -> None:
        """One cloud of the brush, seeded by the dataset's seed, the rows so far and the dab."""
        spec = self.controller.doc.dataset
        rng = np.random.default_rng([spec.seed if spec else 0, self.current.n_rows(), self._dabs])
        cloud = brush_cloud(xy, self._radius(), self.state.brush_points, rng)
        data = self.view.data
        if data is not None and data.x_range is not None:
            (x0, x1), (y0, y1) = data.x_range, data.y_range or data.x_range
            cloud = np.clip(cloud, (x0, y0), (x1, y1)).tolist()
        self.editor.add(cloud, self.state.label, "Brush points", self._stroke)
        self._dabs += 1
        self._last_dab = xy
