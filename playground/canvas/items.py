"""Graphics items: views of one neuron or one wire. They hold an id and a style, never the truth."""

from __future__ import annotations

import math
from typing import Protocol

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from playground.document.model import Connection, Neuron
from playground.document.roles import ROLES

RADIUS = 22.0
EDGE_RING = 7.0  # pressing this close to the rim starts a wire instead of a move
# A role's colour_key (document/roles.py) → its colour: the registry names it, Qt owns the colour.
COLOURS = {
    "input": QColor("#4f86c6"),
    "hidden": QColor("#8e8e93"),
    "output": QColor("#e08a2c"),
    "bias": QColor("#5aa469"),
}
FAINT = frozenset({"hidden"})  # colour keys filled more transparently (the many, plain units)
POSITIVE = QColor("#2f6fd6")
NEGATIVE = QColor("#e4572e")
UNSET = QColor("#b0b0b0")
SELECTED = QColor("#ffdc5f")  # opaque: blending wide lines costs ~9x (10,000 selected wires)


WireStyle = tuple[str, float]  # ("positive" | "negative" | "unset", pen width)
_PENS: dict[WireStyle, QPen] = {}


def wire_style(weight: float | None, scale: float = 1.0) -> WireStyle:
    """Colour says the sign, width the magnitude (relative to the largest on the canvas), in
    quarter pixels: wires of one style are drawn together, so 10,000 wires cost a few draw calls."""
    if weight is None:
        return ("unset", 1.5)
    magnitude = min(abs(weight) / scale, 1.0) if scale > 0 else 0.0
    if not math.isfinite(magnitude):
        magnitude = 1.0
    return ("positive" if weight >= 0 else "negative", round(4.0 * (1.0 + 5.0 * magnitude)) / 4.0)


def style_pen(style: WireStyle) -> QPen:
    pen = _PENS.get(style)
    if pen is None:
        kind, width = style
        colour = {"positive": POSITIVE, "negative": NEGATIVE}.get(kind, UNSET)
        # flat caps (the ends sit under the neurons): round ones cost ~6x to draw for wide pens
        pen = QPen(colour, width, Qt.PenStyle.DashLine if kind == "unset" else Qt.PenStyle.SolidLine,
                   Qt.PenCapStyle.FlatCap)
        _PENS[style] = pen
    return pen


def role_colour(role: str) -> QColor:
    """The colour of a role's colour key (grey for a role or key nobody registered)."""
    r = ROLES.get(role)
    return COLOURS.get(r.colour_key, UNSET) if r is not None else UNSET


def role_fill_alpha(role: str) -> int:
    r = ROLES.get(role)
    return 70 if r is not None and r.colour_key in FAINT else 110


def role_caption(role: str, activation: str) -> str:
    """The small text under a neuron, from its role's caption template."""
    r = ROLES.get(role)
    return r.caption.replace("{activation}", activation) if r is not None else role


def card_extra(scene: object, kind: str, item_id: str) -> str:
    """More hover text from the scene's ``card_hook`` (the glass box's numbers), if it has one."""
    hook = getattr(scene, "card_hook", None)
    return hook(kind, item_id) if hook is not None else ""


def weight_pen(weight: float | None, scale: float = 1.0) -> QPen:
    return QPen(style_pen(wire_style(weight, scale)))


class NeuronItem(QGraphicsItem):
    """A circle with the neuron's label; role shown by colour and a small caption."""

    def __init__(self, neuron: Neuron) -> None:
        super().__init__()
        self.neuron_id = neuron.id
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        # Repaints (e.g. while wires move under it during training) blit a cached pixmap; only
        # update() — a new label, selection or thumbnail — renders the circle and its text again.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.wires: set[WireItem] = set()
        self.thumbnail: QImage | None = None  # the neuron's output over the input plane, live
        # Thumbnail and label are children: a new thumbnail repaints only its own pixmap, while
        # the circle and the text come from their caches (text is the slow part to draw).
        self._thumb = QGraphicsPixmapItem(self)
        self._thumb.setOffset(-RADIUS, -RADIUS)
        self._thumb.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._thumb.hide()
        self._label = QGraphicsSimpleTextItem(self)
        font = QFont()
        font.setPointSizeF(9)
        font.setBold(True)
        self._label.setFont(font)
        self._label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._label.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.update_from(neuron)

    def update_from(self, neuron: Neuron) -> None:
        self.role, self.label, self.activation = neuron.role, neuron.label or neuron.id, neuron.activation
        self.has_bias = neuron.has_bias
        self.bias = neuron.bias  # sets the hover text too
        self.setPos(QPointF(*neuron.position))
        self._label.setText(self.label)
        box = self._label.boundingRect()
        self._label.setPos(-box.width() / 2, -box.height() / 2)
        self.update()

    @property
    def bias(self) -> float | None:
        return self._bias

    @bias.setter
    def bias(self, value: float | None) -> None:
        """The document's bias, or a running training's live one: the hover text says which."""
        self._bias = value
        tip = f"<b>{self.label}</b> ({self.role})"
        if self.role in ROLES and ROLES[self.role].is_unit:
            shown = ("none" if not self.has_bias else "random at start" if value is None
                     else f"{value:.6g}")
            tip += f"<br>activation: {self.activation}<br>bias: {shown}"
        self._tip = tip + "<br><i>drag the rim (or Shift-drag) to wire</i>"
        self.setToolTip(self._tip + card_extra(self.scene(), "neuron", self.neuron_id))

    def boundingRect(self) -> QRectF:
        return QRectF(-RADIUS - 4, -RADIUS - 4, 2 * RADIUS + 8, 2 * RADIUS + 22)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), RADIUS, RADIUS)
        return path

    def on_rim(self, local: QPointF) -> bool:
        return math.hypot(local.x(), local.y()) >= RADIUS - EDGE_RING

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = role_colour(self.role)
        outline = QPen(
            QColor("#1e1e1e") if self.isSelected() else colour.darker(140), 3.0 if self.isSelected() else 1.5
        )
        painter.setPen(outline)
        fill = QColor(colour)
        fill.setAlpha(role_fill_alpha(self.role))
        painter.setBrush(QBrush(fill))
        if self.role in ROLES and ROLES[self.role].marker == "square":
            painter.drawRoundedRect(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS), 6, 6)
        else:
            painter.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        font = QFont(painter.font())
        font.setPointSizeF(7)
        painter.setFont(font)
        caption = role_caption(self.role, self.activation)
        painter.setPen(QColor("#555555"))
        painter.drawText(
            QRectF(-RADIUS - 10, RADIUS + 1, 2 * RADIUS + 20, 14), Qt.AlignmentFlag.AlignCenter, caption
        )

    def set_thumbnail(self, image: QImage | None) -> None:
        self.thumbnail = image
        if image is None:
            self._thumb.hide()
            return
        self._thumb.setPixmap(QPixmap.fromImage(image))
        self._thumb.setOffset(0, 0)
        self._thumb.setPos(-RADIUS, -RADIUS)
        self._thumb.setScale(2 * RADIUS / max(1, image.width()))
        self._thumb.show()

    def refresh_card(self) -> None:
        """The hover text again, with the glass box's numbers as they are now."""
        self.setToolTip(self._tip + card_extra(self.scene(), "neuron", self.neuron_id))

    def hoverEnterEvent(self, event) -> None:
        scene = self.scene()
        self.refresh_card()
        if scene is not None and hasattr(scene, "neuron_hovered"):
            scene.neuron_hovered.emit(self.neuron_id)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None and hasattr(scene, "neuron_hovered"):
            scene.neuron_hovered.emit("")
        super().hoverLeaveEvent(event)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for wire in self.wires:
                wire.adjust()
        return super().itemChange(change, value)


WIRE_FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable  # looked up once, not per wire


class WireItem(QGraphicsItem):
    """A directed wire (an undirected link in Hopfield mode) with an arrowhead at its target.

    On the network canvas the item only hit-tests, selects and hovers: a ``WireBatch`` draws all
    wires in one pass (``batch`` is set and the item has no contents). Alone in a scene (the
    example gallery's thumbnails) it paints itself.
    """

    def __init__(self, conn: Connection, source: NeuronItem, target: NeuronItem,
                 scale: float = 1.0, directed: bool = True) -> None:
        super().__init__()
        self.connection_id = conn.id
        self.source, self.target = source, target
        source.wires.add(self)
        target.wires.add(self)
        self.directed = directed
        self.weight: float | None = conn.weight
        self._shown: float | None = conn.weight  # the weight on screen (live while training)
        self.scale = scale
        self.style: WireStyle = wire_style(conn.weight, scale)
        self.batch: WireBatchLike | None = None
        self.line: QLineF | None = None  # what is drawn, made by adjust()
        self.ends = (0.0, 0.0, 0.0, 0.0)  # the line's end points as plain floats, for culling
        self._rect = QRectF()
        self._shape: QPainterPath | None = None
        self.setFlags(WIRE_FLAGS)
        self.setAcceptHoverEvents(True)  # z stays 0: under the neurons
        self.adjust()

    def detach(self) -> None:
        self.source.wires.discard(self)
        self.target.wires.discard(self)

    def update_from(self, conn: Connection, scale: float | None = None, directed: bool | None = None) -> None:
        self.weight = conn.weight
        if scale is not None:
            self.scale = scale
        if directed is not None:
            self.directed = directed
        self.show_value(self.weight, self.scale)
        self.adjust()

    def pen(self) -> QPen:
        return style_pen(self.style)

    def show_value(self, weight: float | None, scale: float) -> None:
        """Pen for a weight (the document's, or a live one during training); the hover card, if
        open on this wire, follows it."""
        style = wire_style(weight, scale)
        self._shown = weight
        if style != self.style:
            old, self.style = self.style, style
            if self.batch is not None:
                self.batch.restyled(self, old)
            else:
                self.update()
        scene = self.scene()
        if scene is not None and getattr(scene, "hovered", None) is self and QToolTip.isVisible():
            QToolTip.showText(QCursor.pos(), self.toolTip())  # the hover card stays live

    def toolTip(self) -> str:
        """Built on demand (hover, tests), not stored on 10,000 wires at every training frame."""
        weight = self._shown
        text = "not set (drawn at random when training starts)" if weight is None else f"{weight:.6g}"
        return (f"{self.source.label} → {self.target.label}<br>weight: {text}"
                + card_extra(self.scene(), "wire", self.connection_id))

    def hoverEnterEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None:
            scene.hovered = self
        self.setToolTip(self.toolTip())  # Qt's help event reads the stored text
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        scene = self.scene()
        if scene is not None and getattr(scene, "hovered", None) is self:
            scene.hovered = None
        super().hoverLeaveEvent(event)

    def adjust(self) -> None:
        """Recompute the line from the two neurons' positions (plain floats: 10,000 wires)."""
        a, b = self.source.pos(), self.target.pos()
        ax, ay, bx, by = a.x(), a.y(), b.x(), b.y()
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        self._shape = None
        if length < 2 * RADIUS:
            self.line, rect = None, QRectF()
        else:
            ux, uy = dx / length, dy / length
            x1, y1 = ax + ux * RADIUS, ay + uy * RADIUS
            x2, y2 = bx - ux * (RADIUS + 2), by - uy * (RADIUS + 2)
            self.ends = (x1, y1, x2, y2)
            self.line = QLineF(x1, y1, x2, y2)
            rect = QRectF((x1 if x1 < x2 else x2) - 7, (y1 if y1 < y2 else y2) - 7,
                          abs(x2 - x1) + 14, abs(y2 - y1) + 14)
        old = self._rect
        if rect != old:
            self.prepareGeometryChange()
            self._rect = rect
        if self.batch is not None:
            self.batch.moved(self, old)

    def arrowhead(self) -> QPolygonF | None:
        """The triangle at the target end (none for an undirected link); made when drawn."""
        if self.line is None or not self.directed:
            return None
        x1, y1, x2, y2 = self.ends
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy, size = (x2 - x1) / length, (y2 - y1) / length, 9.0
        return QPolygonF([QPointF(x2, y2),
                          QPointF(x2 - ux * size - uy * size * 0.5, y2 - uy * size + ux * size * 0.5),
                          QPointF(x2 - ux * size + uy * size * 0.5, y2 - uy * size - ux * size * 0.5)])

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.line is None or self.batch is not None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = self.pen()
        if self.isSelected():
            painter.setPen(QPen(SELECTED, pen.widthF() + 6))
            painter.drawLine(self.line)
        painter.setPen(pen)
        painter.drawLine(self.line)
        arrow = self.arrowhead()
        if arrow is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            painter.drawPolygon(arrow)

    def shape(self) -> QPainterPath:
        """The wire widened for easy hovering and clicking: one shape per geometry, cached
        (hover tests call it after every pen change during training)."""
        if self._shape is None:
            path = QPainterPath()
            if self.line is not None:
                path.moveTo(self.line.p1())
                path.lineTo(self.line.p2())
            stroker = QPainterPathStroker()
            stroker.setWidth(12.0)
            self._shape = stroker.createStroke(path)
        return self._shape


class WireBatchLike(Protocol):
    """What a wire tells the batch that draws it (see ``playground.canvas.wires``)."""

    def restyled(self, wire: WireItem, old: WireStyle) -> None: ...

    def moved(self, wire: WireItem, old_rect: QRectF) -> None: ...
