"""The lab's network view: for small memories (N ≤ 16) the units on a ring and their symmetric links.

Like wires on the MLP canvas, a link is blue when positive and orange when negative, its width
follows |w|, and hovering it shows the weight; a unit's fill follows the live state during recall.
Larger memories are left to the weight-matrix heatmap, where 256+ links would be a hairball.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from playground.canvas.items import NEGATIVE, POSITIVE
from playground.hopfield.grid import OFF, ON

MAX_DRAWN_UNITS = 16
UNIT_RADIUS = 18.0


def unit_name(index: int, cols: int) -> str:
    """Grid coordinates (row, column) of a unit, as users see them on the grid."""
    r, c = divmod(index, cols)
    return f"{r},{c}"


class LinkView(QGraphicsView):
    """Draws units and symmetric links for N ≤ MAX_DRAWN_UNITS; otherwise says where to look."""

    def __init__(self) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.units: list[QGraphicsEllipseItem] = []
        self.labels: list[QGraphicsSimpleTextItem] = []
        self.links: dict[tuple[int, int], QGraphicsLineItem] = {}
        self._key: tuple | None = None

    def show_network(self, shape: tuple[int, int], weights: np.ndarray | None,
                     state: np.ndarray | None) -> None:
        """Rebuild the drawing when the grid or the weights changed (not per recall frame)."""
        rows, cols = shape
        n = rows * cols
        key = (rows, cols, None if weights is None or n > MAX_DRAWN_UNITS else weights.tobytes())
        if key != self._key:
            self._key = key
            self.scene().clear()
            self.units, self.labels, self.links = [], [], {}
            if n > MAX_DRAWN_UNITS:
                self._say(f"{n} units: the network view draws memories of up to {MAX_DRAWN_UNITS} units "
                          f"({n * (n - 1) // 2} links would hide each other). See the Weights tab.")
                return
            self._draw(n, cols, np.zeros((n, n)) if weights is None else weights)
        if state is not None:
            self.show_state(state)

    def show_state(self, state: np.ndarray) -> None:
        """Fill each unit by its state: dark for +1, light for −1, as on the grid."""
        if len(self.units) != len(state):
            return
        for unit, label, value in zip(self.units, self.labels, state.tolist(), strict=True):
            unit.setBrush(QBrush(ON if value > 0 else OFF))
            label.setBrush(OFF if value > 0 else ON)

    def _say(self, text: str) -> None:
        item = self.scene().addText(text)
        item.setTextWidth(320)
        self._fit()

    def _draw(self, n: int, cols: int, weights: np.ndarray) -> None:
        ring = max(90.0, n * 2.6 * UNIT_RADIUS / (2 * math.pi))
        centres = [QPointF(ring * math.sin(2 * math.pi * k / n), -ring * math.cos(2 * math.pi * k / n))
                   for k in range(n)]
        top = float(np.abs(weights).max()) or 1.0
        for i in range(n):
            for j in range(i + 1, n):
                w = float(weights[i, j])
                if w == 0.0:
                    continue
                pen = QPen(POSITIVE if w > 0 else NEGATIVE, 0.5 + 3.0 * abs(w) / top)
                pen.setCosmetic(True)  # widths in pixels, whatever the zoom
                a, b = centres[i], centres[j]
                line = self.scene().addLine(a.x(), a.y(), b.x(), b.y(), pen)
                line.setToolTip(f"unit {unit_name(i, cols)} — unit {unit_name(j, cols)}<br>"
                                f"w = {w:+.4g} (the same both ways)")
                self.links[(i, j)] = line
        for k, centre in enumerate(centres):
            unit = self.scene().addEllipse(
                QRectF(centre.x() - UNIT_RADIUS, centre.y() - UNIT_RADIUS, 2 * UNIT_RADIUS, 2 * UNIT_RADIUS),
                QPen(QColor("#555555"), 1.5), QBrush(OFF))
            unit.setToolTip(f"unit {unit_name(k, cols)}")
            label = QGraphicsSimpleTextItem(unit_name(k, cols), unit)
            box = label.boundingRect()
            label.setPos(centre.x() - box.width() / 2, centre.y() - box.height() / 2)
            self.units.append(unit)
            self.labels.append(label)
        self._fit()

    def _fit(self) -> None:
        if self.scene().items():
            self.fitInView(self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20),
                           Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
