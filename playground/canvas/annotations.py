"""Numbers drawn on the canvas for the glass box: a small label by each neuron and on each wire,
a halo round the active neuron and a glow on the wires it reads.

Separate items over the scene (the wire batch in ``wires.py`` is untouched): a label shows the
rounded numbers, its tooltip the full precision, and it is not drawn below ``MIN_ZOOM``, where
the text would be a smudge. Labels never take mouse clicks, so editing works as before.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from playground.canvas.items import RADIUS, NeuronItem, WireItem

MIN_ZOOM = 0.55  # below this view scale the numbers are not drawn
WIRE_AT = 0.6  # where along a wire its label sits
ACTIVE = QColor("#f2b705")
LABEL_FILL = QColor(255, 255, 255, 225)


class ValueLabel(QGraphicsItem):
    """A few lines of rounded numbers in a white box; the full values are its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(3)
        self.font = QFont()
        self.font.setPointSizeF(8)
        self.text = ""
        self.emphasis = False
        self._rect = QRectF()

    def set_text(self, text: str, tip: str, emphasis: bool = False) -> None:
        if text != self.text or emphasis != self.emphasis:
            self.prepareGeometryChange()
            self.text, self.emphasis = text, emphasis
            metrics = QFontMetricsF(self.font)
            lines = text.split("\n")
            width = max(metrics.horizontalAdvance(line) for line in lines) + 8
            height = metrics.height() * len(lines) + 4
            self._rect = QRectF(-width / 2, -height / 2, width, height)
            self.update()
        self.setToolTip(tip)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform()) < MIN_ZOOM:
            return
        painter.setPen(QPen(ACTIVE if self.emphasis else QColor("#9a9a9a"), 1.5 if self.emphasis else 0.8))
        painter.setBrush(LABEL_FILL)
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setFont(self.font)
        painter.setPen(QColor("#1e1e1e"))
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)


class Annotations:
    """The glass box's labels and highlights on one scene; ``show`` replaces them all."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.neuron_labels: dict[str, ValueLabel] = {}
        self.wire_labels: dict[str, ValueLabel] = {}
        self.halo = QGraphicsEllipseItem(-RADIUS - 6, -RADIUS - 6, 2 * RADIUS + 12, 2 * RADIUS + 12)
        self.halo.setPen(QPen(ACTIVE, 5))
        self.halo.setZValue(0.9)
        self.halo.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # in the scene only when shown:
        # a hidden item still counts in itemsBoundingRect, which Fit to View frames
        self.glows: list[QGraphicsLineItem] = []
        self.active: str | None = None
        self.lit: list[str] = []

    def show(self, neurons: dict[str, tuple[str, str]], wires: dict[str, tuple[str, str]],
             active: str | None = None, lit: list[str] | None = None) -> None:
        """Texts (shown, tooltip) by neuron id and connection id; ``active`` gets the halo,
        ``lit`` wires glow."""
        items = self.scene.neurons  # the NetworkScene's id → item maps
        self._place(self.neuron_labels, neurons, items, self._neuron_anchor, active)
        self._place(self.wire_labels, wires, self.scene.wires, self._wire_anchor, None, lit or [])
        self.active, self.lit = active, list(lit or [])
        item = items.get(active) if active else None
        if item is None and self.halo.scene() is not None:
            self.scene.removeItem(self.halo)
        elif item is not None:
            if self.halo.scene() is None:
                self.scene.addItem(self.halo)
            self.halo.setPos(item.pos())
        self._glow([self.scene.wires[c] for c in self.lit if c in self.scene.wires])

    def clear(self) -> None:
        self.show({}, {})

    def _place(self, labels: dict[str, ValueLabel], texts: dict[str, tuple[str, str]], items: dict,
               anchor, active: str | None, emphasised: list[str] = ()) -> None:
        placed = {}
        for key, (text, tip) in texts.items():
            item = items.get(key)
            label = labels.get(key) or ValueLabel()
            label.set_text(text, tip, key == active or key in emphasised)
            at = anchor(item, label) if item is not None else None
            if at is not None:  # a wire hidden under its overlapping neurons has no place
                label.setPos(at)
                placed[key] = label
        for key in [k for k in labels if k not in placed]:
            self.scene.removeItem(labels.pop(key))
        for key, label in placed.items():
            if key not in labels:
                labels[key] = label
                self.scene.addItem(label)

    @staticmethod
    def _neuron_anchor(item: NeuronItem, label: ValueLabel) -> QPointF:
        """Beside the neuron, to the upper right: layers are further apart than the neurons
        of one layer, so labels beside them collide less than labels above."""
        box = label.boundingRect()
        return item.pos() + QPointF(RADIUS * 0.6 + box.width() / 2, -RADIUS * 0.6 - box.height() / 2)

    @staticmethod
    def _wire_anchor(item: WireItem, label: ValueLabel) -> QPointF | None:
        """At 60 % of the way along the wire: wires out of one neuron fan out, so their labels
        part there, and the neuron's own label (upper right) stays clear."""
        if item.line is None:
            return None
        return item.line.pointAt(WIRE_AT)

    def _glow(self, wires: list[WireItem]) -> None:
        while len(self.glows) > len(wires):
            self.scene.removeItem(self.glows.pop())
        while len(self.glows) < len(wires):
            glow = QGraphicsLineItem()
            glow.setPen(QPen(ACTIVE, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            glow.setZValue(0.5)
            glow.setOpacity(0.6)
            glow.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.scene.addItem(glow)
            self.glows.append(glow)
        for glow, wire in zip(self.glows, wires, strict=True):
            glow.setLine(wire.line) if wire.line is not None else glow.setLine(0, 0, 0, 0)
