"""The Hopfield unit grid: paint with the mouse (left +1, right −1); one stroke = one edit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ON = QColor("#1f3b73")
OFF = QColor("#f4f4f4")
ON_RGB, OFF_RGB = ON.rgb(), OFF.rgb()  # 0xAARRGGBB words for the cell image


class UnitGrid(QWidget):
    """Shows a ±1 state as cells. ``stroke_finished`` carries the painted state on release."""

    stroke_finished = Signal(object)  # np.ndarray of ±1, shape (rows·cols,)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows, self.cols = 1, 1
        self.state = np.ones(1, dtype=np.int8)
        self._painting: int | None = None  # +1 or −1 while a stroke is under way
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        # (cell, shown state) → its hover text; the glass box sets it (local field, energy change)
        self.tip_for: Callable[[int, np.ndarray], str] | None = None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tip_for is not None:
            cell = self.cell_at(QPointF(event.pos()))
            text = self.tip_for(cell, self.state) if cell is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def show_state(self, rows: int, cols: int, state: np.ndarray) -> None:
        self.rows, self.cols = rows, cols
        self.state = np.asarray(state, dtype=np.int8).copy()
        self.update()

    def cell_rect(self) -> tuple[float, float, float]:
        """(cell size, x offset, y offset) of the centred square cells."""
        size = min(self.width() / self.cols, self.height() / self.rows)
        return size, (self.width() - size * self.cols) / 2, (self.height() - size * self.rows) / 2

    def cell_at(self, pos: QPointF) -> int | None:
        size, x0, y0 = self.cell_rect()
        c, r = int((pos.x() - x0) // size), int((pos.y() - y0) // size)
        return r * self.cols + c if 0 <= r < self.rows and 0 <= c < self.cols else None

    def cell_centre(self, index: int) -> QPointF:
        size, x0, y0 = self.cell_rect()
        r, c = divmod(index, self.cols)
        return QPointF(x0 + (c + 0.5) * size, y0 + (r + 0.5) * size)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The cells as one scaled image plus one batch of grid lines: ~1 ms for 32×32 cells."""
        painter = QPainter(self)
        size, x0, y0 = self.cell_rect()
        cells = np.where(self.state.reshape(self.rows, self.cols) > 0, ON_RGB, OFF_RGB).astype(np.uint32)
        image = QImage(cells.data, self.cols, self.rows, 4 * self.cols, QImage.Format.Format_RGB32)
        target = QRectF(x0, y0, size * self.cols, size * self.rows)
        painter.drawImage(target, image)  # nearest-neighbour scaling: crisp cells
        if size >= 6:
            painter.setPen(QPen(QColor("#c8c8c8"), 1))
            painter.drawLines([QLineF(x0 + c * size, y0, x0 + c * size, target.bottom())
                               for c in range(self.cols + 1)]
                              + [QLineF(x0, y0 + r * size, target.right(), y0 + r * size)
                                 for r in range(self.rows + 1)])
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self._painting = 1 if event.button() == Qt.MouseButton.LeftButton else -1
            self._paint_at(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._painting is not None:
            self._paint_at(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._painting is not None:
            self._painting = None
            self.stroke_finished.emit(self.state.copy())

    def _paint_at(self, pos: QPointF) -> None:
        index = self.cell_at(pos)
        if index is not None and self.state[index] != self._painting:
            self.state[index] = self._painting
            self.update()
