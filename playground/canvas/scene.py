"""The network scene: mirrors the document as items and turns mouse gestures into intents.

Gestures: drop a palette kind to add a neuron; double-click empty space for a hidden neuron; drag
a neuron's rim (or Shift-drag it) to draw a wire; drag neurons to move them (one undo step, pushed
on release).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QLineF, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
)

from playground.canvas.items import NeuronItem, WireItem
from playground.controller import Controller
from playground.document.model import Event
from playground.document.roles import ROLES

NEURON_MIME = "application/x-nn-playground-neuron"


class NetworkScene(QGraphicsScene):
    """Keeps one item per neuron and wire in step with the document's events."""

    context_actions_requested = Signal(object, object)  # (QMenu, scene position): main window fills
    neuron_hovered = Signal(str)  # a neuron id, or "" when the pointer leaves it

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller
        self.neurons: dict[str, NeuronItem] = {}
        self.wires: dict[str, WireItem] = {}
        self.setSceneRect(-2000, -2000, 4000, 4000)
        self._wire_from: NeuronItem | None = None
        self._rubber: QGraphicsLineItem | None = None
        self._press_positions: dict[str, tuple[float, float]] = {}
        self.hovered: QGraphicsItem | None = None  # the wire under the pointer, for live hover cards
        controller.document_reset.connect(self.rebuild)
        controller.selection_requested.connect(self.select_ids)
        self._subscribed_doc = None
        self.rebuild()

    # -- following the document ---------------------------------------------------------------
    def rebuild(self) -> None:
        doc = self.controller.doc
        if self._subscribed_doc is not doc:
            if self._subscribed_doc is not None:
                self._subscribed_doc.events.unsubscribe(self.on_event)
            doc.events.subscribe(self.on_event)
            self._subscribed_doc = doc
        self.sync()

    def on_event(self, event: Event) -> None:
        self.sync()

    def sync(self) -> None:
        """Add, update and remove items so they match the document exactly."""
        doc = self.controller.doc
        for nid in [n for n in self.neurons if n not in doc.neurons]:
            item = self.neurons.pop(nid)
            for wire in list(item.wires):
                self._drop_wire(wire.connection_id)
            self.removeItem(item)
        for nid, neuron in doc.neurons.items():
            item = self.neurons.get(nid)
            if item is None:
                item = self.neurons[nid] = NeuronItem(neuron)
                self.addItem(item)
            else:
                item.update_from(neuron)
        for cid in [c for c in self.wires if c not in doc.connections]:
            self._drop_wire(cid)
        scale = max((abs(c.weight) for c in doc.connections.values() if c.weight is not None), default=1.0)
        directed = doc.mode != "hopfield"
        for cid, conn in doc.connections.items():
            wire = self.wires.get(cid)
            src, dst = self.neurons.get(conn.source), self.neurons.get(conn.target)
            if src is None or dst is None:
                continue
            if wire is not None and (wire.source is not src or wire.target is not dst):
                self._drop_wire(cid)
                wire = None
            if wire is None:
                wire = self.wires[cid] = WireItem(conn, src, dst)
                self.addItem(wire)
            wire.update_from(conn, scale or 1.0, directed)

    # -- live training overlay (the document itself changes once, when the run ends) -------------------
    def show_live(self, weights: dict[str, float], biases: dict[str, float]) -> None:
        """Wire colours/widths and tooltips follow a training snapshot."""
        scale = max((abs(w) for w in weights.values()), default=1.0) or 1.0
        for cid, w in weights.items():
            wire = self.wires.get(cid)
            if wire is not None:
                wire.show_value(w, scale)
        for nid, b in biases.items():
            item = self.neurons.get(nid)
            if item is not None and item.bias != b:
                item.bias = b

    def show_thumbnails(self, images: dict[str, QImage]) -> None:
        for nid, item in self.neurons.items():
            item.set_thumbnail(images.get(nid))

    def _drop_wire(self, cid: str) -> None:
        wire = self.wires.pop(cid, None)
        if wire is not None:
            wire.detach()
            self.removeItem(wire)

    def select_ids(self, ids: list[str]) -> None:
        self.clearSelection()
        for nid in ids:
            item = self.neurons.get(nid) or self.wires.get(nid)
            if item is not None:
                item.setSelected(True)

    def selected_ids(self) -> tuple[list[str], list[str]]:
        """(neuron ids, wire ids) in document order."""
        if not shiboken6.isValid(self):  # the scene's destructor clears items and emits selectionChanged
            return [], []
        items = self.selectedItems()
        picked_n = {i.neuron_id for i in items if isinstance(i, NeuronItem)}
        picked_w = {i.connection_id for i in items if isinstance(i, WireItem)}
        doc = self.controller.doc
        return [n for n in doc.neurons if n in picked_n], [c for c in doc.connections if c in picked_w]

    def neuron_at(self, pos: QPointF) -> NeuronItem | None:
        for item in self.items(
            pos, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder, QTransform()
        ):
            if isinstance(item, NeuronItem):
                return item
        return None

    # -- mouse: wires and moves -----------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.neuron_at(event.scenePos())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if shift or item.on_rim(item.mapFromScene(event.scenePos())):
                self._start_wire(item, event.scenePos())
                event.accept()
                return
        super().mousePressEvent(event)
        self._press_positions = {
            i.neuron_id: (i.pos().x(), i.pos().y()) for i in self.selectedItems() if isinstance(i, NeuronItem)
        }

    def _start_wire(self, item: NeuronItem, at: QPointF) -> None:
        self._wire_from = item
        self._rubber = QGraphicsLineItem(QLineF(item.pos(), at))
        pen = QPen(QColor("#333333"), 1.5, Qt.PenStyle.DashLine)
        self._rubber.setPen(pen)
        self._rubber.setZValue(5)
        self.addItem(self._rubber)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None and self._wire_from is not None:
            self._rubber.setLine(QLineF(self._wire_from.pos(), event.scenePos()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._rubber is not None and self._wire_from is not None:
            source = self._wire_from
            self.removeItem(self._rubber)
            self._rubber, self._wire_from = None, None
            target = self.neuron_at(event.scenePos())
            if target is None:
                self.controller.status.emit("Wire cancelled: drop it on a neuron to connect")
            elif target is not source:
                self.controller.connect(source.neuron_id, target.neuron_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self._commit_move()

    def _commit_move(self) -> None:
        """One MoveNeurons command for the whole drag, pushed when the mouse is released."""
        moves = {}
        for nid, old in self._press_positions.items():
            item = self.neurons.get(nid)
            if item is not None:
                new = (item.pos().x(), item.pos().y())
                if new != old:
                    moves[nid] = (old, new)
        self._press_positions = {}
        if moves:
            self.controller.move(moves)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.itemAt(event.scenePos(), QTransform()) is None:
            pos = event.scenePos()
            self.controller.add_neuron("hidden", (pos.x(), pos.y()))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # -- drops from the palette -------------------------------------------------------------------
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(event.mimeData().hasFormat(NEURON_MIME))

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        event.setAccepted(event.mimeData().hasFormat(NEURON_MIME))

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        role = bytes(event.mimeData().data(NEURON_MIME).data()).decode("ascii", "replace")
        if role not in ROLES:
            event.ignore()
            return
        pos = event.scenePos()
        self.controller.add_neuron(role, (pos.x(), pos.y()))
        event.acceptProposedAction()

    # -- context menus ------------------------------------------------------------------------------
    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        item = self.neuron_at(event.scenePos()) or self.itemAt(event.scenePos(), QTransform())
        if (
            isinstance(item, QGraphicsItem)
            and not item.isSelected()
            and isinstance(item, NeuronItem | WireItem)
        ):
            self.clearSelection()
            item.setSelected(True)
        menu = QMenu()
        self.context_actions_requested.emit(menu, event.scenePos())
        if not menu.isEmpty():
            menu.exec(event.screenPos())
        event.accept()
