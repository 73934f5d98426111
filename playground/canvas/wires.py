"""Every wire of the canvas drawn in one pass: one ``drawLines`` call per pen, culled to the
exposed rectangle with numpy. 10,000 wire items each painting themselves cost ~1 s a frame;
batched, a full repaint costs a few ms. Level of detail: antialiasing only while few wires are
on screen, arrowheads only on normal-size nets at a readable zoom."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem

from playground.canvas.items import SELECTED, WireItem, WireStyle, style_pen

ANTIALIAS_LIMIT = 1500  # wires on screen above which lines are drawn without antialiasing
ARROW_LIMIT = 2000  # wires in the net above which arrowheads are left out
ARROW_MIN_ZOOM = 0.35  # and below this zoom
PAD = 10.0  # pen half-width and arrowhead beyond a wire's line, for culling
MERGE_LIMIT = 200  # changed wires in one event-loop turn beyond which the whole scene repaints


class WireGroup:
    """Wires drawn with one pen (or the selection's highlight): their lines, arrowheads and
    bounding boxes, rebuilt only after a member changed."""

    def __init__(self) -> None:
        self.wires: dict[WireItem, None] = {}  # an ordered set
        self._lines: list[QLineF] | None = None
        self._drawn: list[WireItem] = []
        self._arrows: list[QPolygonF | None] | None = None
        self._boxes = np.zeros((0, 4))

    def add(self, wire: WireItem) -> None:
        self.wires[wire] = None
        self._lines = None

    def discard(self, wire: WireItem) -> None:
        if self.wires.pop(wire, 0) is None:
            self._lines = None

    def replace(self, wires: dict[WireItem, None]) -> None:
        self.wires, self._lines = wires, None

    def invalidate(self) -> None:
        self._lines = None

    def _build(self) -> list[QLineF]:
        drawn = self._drawn = [w for w in self.wires if w.line is not None]
        self._lines = [w.line for w in drawn]
        self._arrows = None
        ends = np.array([w.ends for w in drawn], dtype=np.float64).reshape(-1, 4)
        self._boxes = np.column_stack([
            np.minimum(ends[:, 0], ends[:, 2]) - PAD, np.minimum(ends[:, 1], ends[:, 3]) - PAD,
            np.maximum(ends[:, 0], ends[:, 2]) + PAD, np.maximum(ends[:, 1], ends[:, 3]) + PAD])
        return self._lines

    def visible(self, rect: QRectF) -> list[int] | None:
        """Indices of the lines whose box meets ``rect`` (None: all of them)."""
        if self._lines is None:
            self._build()
        b = self._boxes
        inside = ((b[:, 0] <= rect.right()) & (b[:, 2] >= rect.left())
                  & (b[:, 1] <= rect.bottom()) & (b[:, 3] >= rect.top()))
        return None if inside.all() else np.flatnonzero(inside).tolist()

    def lines(self, picked: list[int] | None) -> list[QLineF]:
        lines = self._lines or []
        return lines if picked is None else [lines[k] for k in picked]

    def arrows(self, picked: list[int] | None) -> list[QPolygonF | None]:
        if self._arrows is None:
            self._arrows = [w.arrowhead() for w in self._drawn]
        return self._arrows if picked is None else [self._arrows[k] for k in picked]


class WireBatch:
    """Draws the scene's wires from its ``drawBackground``; wires report style and geometry
    changes here, and the batch repaints just the area they cover."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.groups: dict[WireStyle, WireGroup] = {}
        self.highlight = WireGroup()
        self.count = 0
        self.paints = 0  # how many times the wires were drawn (tests and the benchmark read it)
        # Changed areas are merged into one rectangle per event-loop turn: thousands of small
        # update rectangles made the repaint's clip region so complex that drawing took 4x longer.
        self._dirty: QRectF | None = None
        self._touches = 0
        self._repaint = QTimer(scene)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(0)
        self._repaint.timeout.connect(self._flush_repaint)

    def _group(self, style: WireStyle) -> WireGroup:
        group = self.groups.get(style)
        if group is None:
            group = self.groups[style] = WireGroup()
        return group

    def add(self, wire: WireItem, repaint: bool = True) -> None:
        wire.batch = self
        wire.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self._group(wire.style).add(wire)
        self.count += 1
        if repaint:
            self._touch(wire.boundingRect())

    def remove(self, wire: WireItem) -> None:
        self._group(wire.style).discard(wire)
        self.highlight.discard(wire)
        wire.batch = None
        self.count -= 1
        self._touch(wire.boundingRect())

    def restyled(self, wire: WireItem, old: WireStyle) -> None:
        self._group(old).discard(wire)
        self._group(wire.style).add(wire)
        self._touch(wire.boundingRect())

    def moved(self, wire: WireItem, old_rect: QRectF) -> None:
        self._group(wire.style).invalidate()
        if wire in self.highlight.wires:
            self.highlight.invalidate()
        self._touch(old_rect.united(wire.boundingRect()))

    def select(self, wires: dict[WireItem, None]) -> None:
        """Highlight exactly these wires (the scene's selection)."""
        before = self.highlight.wires
        changed = [w for w in wires if w not in before] + [w for w in before if w not in wires]
        self.highlight.replace(wires)
        if len(changed) >= MERGE_LIMIT:  # Select All and the like: the whole scene
            self._touch(self.scene.sceneRect())
            self._touches = MERGE_LIMIT
            return
        for wire in changed:
            self._touch(wire.boundingRect())

    def _touch(self, rect: QRectF) -> None:
        if rect.isNull():  # a wire hidden under its overlapping neurons
            return
        if self._dirty is None:
            self._dirty, self._touches = QRectF(rect), 1
            self._repaint.start()
        elif self._touches < MERGE_LIMIT:
            self._dirty = self._dirty.united(rect)
            self._touches += 1
        # beyond that (a delete or selection of thousands): the whole scene, without more unions

    def _flush_repaint(self) -> None:
        if self._dirty is not None:
            self.scene.update(self._dirty if self._touches < MERGE_LIMIT else QRectF())
            self._dirty = None

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        self.paints += 1
        zoom = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        shown = [(style, group, group.visible(rect)) for style, group in self.groups.items()]
        lines = [(style, group.lines(picked)) for style, group, picked in shown]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing,
                              sum(len(group) for _, group in lines) <= ANTIALIAS_LIMIT)
        highlighted = self.highlight.lines(self.highlight.visible(rect))
        if highlighted:
            painter.setPen(QPen(SELECTED, 9.0))
            painter.drawLines(highlighted)
        for style, group in lines:
            if group:
                painter.setPen(style_pen(style))
                painter.drawLines(group)
        if self.count <= ARROW_LIMIT and zoom >= ARROW_MIN_ZOOM:
            painter.setPen(Qt.PenStyle.NoPen)
            for style, group, picked in shown:
                painter.setBrush(style_pen(style).color())
                for arrow in group.arrows(picked):
                    if arrow is not None:
                        painter.drawPolygon(arrow)
        painter.restore()
