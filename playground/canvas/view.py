"""The canvas view: wheel zoom around the cursor, middle- or Space-drag to pan, rubber-band select."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QLabel, QWidget

from playground.canvas.items import NEGATIVE, POSITIVE
from playground.canvas.scene import NetworkScene

MIN_ZOOM, MAX_ZOOM = 0.1, 8.0


class NetworkView(QGraphicsView):
    space_tapped = Signal()  # Space pressed and released without panning: play/pause

    def __init__(self, scene: NetworkScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPoint | None = None
        self._space = False
        self._panned = False
        self.legend = QLabel(self)
        self.legend.setText(
            f"<span style='color:{POSITIVE.name()}'>━ positive</span>&nbsp; "
            f"<span style='color:{NEGATIVE.name()}'>━ negative</span>&nbsp; "
            "<span style='color:#999'>┅ not set</span> &nbsp;width ∝ |weight|"
        )
        self.legend.setStyleSheet("background: rgba(255,255,255,210); padding: 3px; border-radius: 3px;")
        self.legend.adjustSize()
        self.note = QLabel(self)  # a message over the canvas (e.g. what a Hopfield project holds)
        self.note.setWordWrap(True)
        self.note.setMaximumWidth(520)
        self.note.setStyleSheet("background: rgba(255,255,240,235); padding: 8px; border: 1px solid #ccc;")
        self.note.hide()

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.legend.move(6, self.viewport().height() - self.legend.height() - 6)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom * factor, MIN_ZOOM), MAX_ZOOM)
        self.scale(target / self.zoom, target / self.zoom)

    def fit_all(self) -> None:
        items = self.scene().itemsBoundingRect()
        if items.isEmpty():
            items = QRectF(-200, -150, 400, 300)
        self.resetTransform()
        self.fitInView(items.adjusted(-60, -60, 60, 60), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.5:
            self.zoom_by(1.5 / self.zoom)

    # -- panning ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space, self._panned = True, False
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            if not self._panned:
                self.space_tapped.emit()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self._panned = True
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
