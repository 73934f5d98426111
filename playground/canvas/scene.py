"""The network scene: mirrors the document as items and turns mouse gestures into intents.

Gestures: drop a palette kind to add a neuron; double-click empty space for a hidden neuron; drag
a neuron's rim (or Shift-drag it) to draw a wire; drag neurons to move them (one undo step, pushed
on release).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QTransform
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
from playground.canvas.mirror import DocumentMirror
from playground.canvas.wires import WireBatch
from playground.controller import Controller
from playground.document.roles import ROLES

NEURON_MIME = "application/x-nn-playground-neuron"


class NetworkScene(DocumentMirror, QGraphicsScene):
    """One item per neuron and wire, in step with the document's events (``DocumentMirror``);
    the wires drawn in one batched pass; mouse gestures turned into intents; the selection."""

    context_actions_requested = Signal(object, object)  # (QMenu, scene position): main window fills
    neuron_hovered = Signal(str)  # a neuron id, or "" when the pointer leaves it

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.controller = controller
        self.neurons: dict[str, NeuronItem] = {}
        self.wires: dict[str, WireItem] = {}
        self.batch = WireBatch(self)
        self.setSceneRect(-2000, -2000, 4000, 4000)
        # Wires are long and cross many cells of Qt's automatic 14-level index: indexing 10,000
        # took 0.45 s and removing one ~0.1 ms. At 8 levels both are 5-10x cheaper, and point
        # and rectangle queries are no slower.
        self.setBspTreeDepth(8)
        self._wire_from: NeuronItem | None = None
        self._rubber: QGraphicsLineItem | None = None
        self._press_positions: dict[str, tuple[float, float]] = {}
        self.hovered: QGraphicsItem | None = None  # the wire under the pointer, for live hover cards
        # (kind, id) → more hover-card text ("neuron"/"wire"); the glass box sets it
        self.card_hook: Callable[[str, str], str] | None = None
        self._selected: tuple[list[str], list[str]] | None = None  # selected_ids, until it changes
        self.selectionChanged.connect(self._selection_changed)
        self._follow(controller)
        controller.selection_requested.connect(self.select_ids)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        self.batch.paint(painter, rect)

    # -- selection ---------------------------------------------------------------------------------
    @contextmanager
    def _quiet_selection(self):
        """Select or remove many items with one selectionChanged (later), not one per item."""
        blocked = self.signalsBlocked()
        self.blockSignals(True)
        try:
            yield
        finally:
            self.blockSignals(blocked)
        self._selected = None
        self._defer("selection")

    def _selection_changed(self) -> None:
        """One pass over the selection, shared by the wire highlight and ``selected_ids``."""
        self._selected = None
        self._selection_stale = False
        if not shiboken6.isValid(self):
            return
        items = self.selectedItems()
        wires = [i for i in items if isinstance(i, WireItem)]
        self.batch.select(dict.fromkeys(wires))
        self._selected = self._in_document_order(
            {i.neuron_id for i in items if isinstance(i, NeuronItem)}, {w.connection_id for w in wires})

    def _in_document_order(self, neurons: set[str], wires: set[str]) -> tuple[list[str], list[str]]:
        doc = self.controller.doc
        return ([n for n in doc.neurons if n in neurons] if neurons else [],
                [c for c in doc.connections if c in wires] if wires else [])

    def select_ids(self, ids: list[str]) -> None:
        with self._quiet_selection():
            self.clearSelection()
            for nid in ids:
                item = self.neurons.get(nid) or self.wires.get(nid)
                if item is not None:
                    item.setSelected(True)
        self.flush()

    def select_all(self) -> None:
        """Every neuron and wire, with one selectionChanged."""
        with self._quiet_selection():
            for item in (*self.neurons.values(), *self.wires.values()):
                item.setSelected(True)
        self.flush()

    def selected_ids(self) -> tuple[list[str], list[str]]:
        """(neuron ids, wire ids) in document order; one pass per selection change, shared by
        every view that asks."""
        if not shiboken6.isValid(self):  # the scene's destructor clears items and emits selectionChanged
            return [], []
        if self._selected is None:
            items = self.selectedItems()
            self._selected = self._in_document_order(
                {i.neuron_id for i in items if isinstance(i, NeuronItem)},
                {i.connection_id for i in items if isinstance(i, WireItem)})
        return list(self._selected[0]), list(self._selected[1])

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
