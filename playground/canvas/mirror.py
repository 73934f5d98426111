"""The canvas following the document: each event applied to the items it names (a changed wire
restyles that wire, a move moves that neuron and its wires), and the work a command's many events
share (the pen scale, one selectionChanged) settled once when the command is done.

Mixed into ``NetworkScene``, which owns the items, the wire batch and the selection helpers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsItem

from playground.canvas.items import NeuronItem, WireItem
from playground.controller import Controller
from playground.document.model import Event

MAX_SPARES = 20_000  # removed items kept for an undo to reuse, per kind


class DocumentMirror:
    def _follow(self, controller: Controller) -> None:
        self.scale = 1.0  # the largest |weight|: pen widths are relative to it
        self.directed = True
        self._spare_neurons: dict[str, NeuronItem] = {}  # removed items, for an undo to reuse
        self._spare_wires: dict[str, WireItem] = {}
        self._scale_stale = False  # weights changed: is the largest |weight| still the same?
        self._selection_stale = False  # items left the scene while selected: tell once, later
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self.flush)
        self._handlers: dict[str, Callable[[Event], None]] = {
            "neuron_added": self._neurons_added, "neuron_removed": self._neurons_removed,
            "neuron_changed": self._neurons_changed, "connection_added": self._wires_added,
            "connection_removed": self._wires_removed, "connection_changed": self._values_changed,
            "values_changed": self._values_changed, "settings_changed": self._settings_changed,
            "document_replaced": lambda _: self.sync(),
        }
        controller.document_reset.connect(self.rebuild)
        controller.history_changed.connect(self.flush)  # one command done: settle what was deferred
        self._subscribed_doc = None
        self.rebuild()

    def rebuild(self) -> None:
        doc = self.controller.doc
        if self._subscribed_doc is not doc:
            if self._subscribed_doc is not None:
                self._subscribed_doc.events.unsubscribe(self.on_event)
            doc.events.subscribe(self.on_event)
            self._subscribed_doc = doc
            self.sync()

    def on_event(self, event: Event) -> None:
        self._handlers.get(event.kind, lambda _: None)(event)

    def sync(self) -> None:
        """Add, update and remove items so they match the document exactly (a replaced document)."""
        doc = self.controller.doc
        self._selected = None
        self._spare_neurons.clear()
        self._spare_wires.clear()
        with self._quiet_selection():
            for nid in [n for n in self.neurons if n not in doc.neurons]:
                self._drop_neuron(nid, keep=False)
            for cid in [c for c in self.wires if c not in doc.connections]:
                self._drop_wire(cid, keep=False)
            for neuron in doc.neurons.values():
                item = self.neurons.get(neuron.id)
                if item is None:
                    self._add_neuron(neuron.id)
                else:
                    item.update_from(neuron)
            self.scale, self.directed = self._document_scale(), doc.mode != "hopfield"
            for conn in doc.connections.values():
                wire = self.wires.get(conn.id)
                if wire is not None and (wire.source is not self.neurons.get(conn.source)
                                         or wire.target is not self.neurons.get(conn.target)):
                    self._drop_wire(conn.id, keep=False)
                    wire = None
                if wire is None:
                    self._add_wire(conn.id, repaint=False)
                else:
                    wire.update_from(conn, self.scale, self.directed)
        self._scale_stale = False
        self.update()

    def _add_neuron(self, nid: str) -> None:
        neuron = self.controller.doc.neurons.get(nid)
        if neuron is not None and nid not in self.neurons:
            item = self._spare_neurons.pop(nid, None)
            if item is None:
                item = NeuronItem(neuron)
            else:
                item.update_from(neuron)
                item.set_thumbnail(None)  # a map from an earlier run is not this one's
            self.neurons[nid] = item
            self.addItem(item)

    def _drop_neuron(self, nid: str, keep: bool = True) -> None:
        item = self.neurons.pop(nid, None)
        if item is not None:
            for wire in list(item.wires):
                self._drop_wire(wire.connection_id, keep)
            self._remove(item)
            if keep:
                self._keep_spare(self._spare_neurons, nid, item)

    def _add_wire(self, cid: str, repaint: bool = True) -> None:
        conn = self.controller.doc.connections.get(cid)
        if conn is None or cid in self.wires:
            return
        src, dst = self.neurons.get(conn.source), self.neurons.get(conn.target)
        if src is None or dst is None:
            return
        wire = self._spare_wires.pop(cid, None)
        if wire is not None and wire.source is src and wire.target is dst:
            src.wires.add(wire)
            dst.wires.add(wire)
            wire.update_from(conn, self.scale, self.directed)
        else:
            wire = WireItem(conn, src, dst, self.scale, self.directed)
        self.wires[cid] = wire
        self.addItem(wire)
        self.batch.add(wire, repaint)

    def _drop_wire(self, cid: str, keep: bool = True) -> None:
        wire = self.wires.pop(cid, None)
        if wire is not None:
            wire.detach()
            self.batch.remove(wire)
            self._remove(wire)
            if keep:
                self._keep_spare(self._spare_wires, cid, wire)

    @staticmethod
    def _keep_spare(spares: dict, key: str, item: QGraphicsItem) -> None:
        """Removed items wait to be reused by the undo that brings them back: building 3,800
        wire items again was half of undoing a 100-neuron delete. Bounded, never shown."""
        if len(spares) >= MAX_SPARES:
            spares.clear()
        item.setSelected(False)
        spares[key] = item

    def _remove(self, item: QGraphicsItem) -> None:
        """Remove without a selectionChanged per item: one comes when the command is done."""
        if self.hovered is item:
            self.hovered = None
        if item.isSelected():
            with self._quiet_selection():
                self.removeItem(item)
        else:
            self.removeItem(item)

    def _neurons_added(self, event: Event) -> None:
        self._selected = None
        for nid in event.ids:
            self._add_neuron(nid)

    def _neurons_removed(self, event: Event) -> None:
        self._selected = None
        for nid in event.ids:
            self._drop_neuron(nid)

    def _neurons_changed(self, event: Event) -> None:
        doc = self.controller.doc
        for nid in event.ids:
            item, neuron = self.neurons.get(nid), doc.neurons.get(nid)
            if item is not None and neuron is not None:
                item.update_from(neuron)  # a new position moves its wires (NeuronItem.itemChange)

    def _wires_added(self, event: Event) -> None:
        self._selected = None
        for cid in event.ids:
            self._add_wire(cid)
        self._defer("scale")

    def _wires_removed(self, event: Event) -> None:
        self._selected = None
        for cid in event.ids:
            self._drop_wire(cid)
        self._defer("scale")

    def _values_changed(self, event: Event) -> None:
        """Weights (and biases) that changed: those wires and neurons, nothing else."""
        doc = self.controller.doc
        for key in event.ids:
            wire, conn = self.wires.get(key), doc.connections.get(key)
            if wire is not None and conn is not None:
                wire.weight = conn.weight
                wire.show_value(conn.weight, self.scale)
            item, neuron = self.neurons.get(key), doc.neurons.get(key)
            if item is not None and neuron is not None:
                item.update_from(neuron)
        self._defer("scale")

    def _settings_changed(self, event: Event) -> None:
        directed = self.controller.doc.mode != "hopfield"
        if "mode" in event.fields and directed != self.directed:
            self.directed = directed
            for wire in self.wires.values():
                wire.directed = directed
                wire.adjust()

    # -- deferred work: once per command, not once per event --------------------------------------
    def _defer(self, what: str) -> None:
        if what == "scale":
            self._scale_stale = True
        else:
            self._selection_stale = True
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Settle the pen scale and tell selection listeners once (after a command's events)."""
        self._flush_timer.stop()
        self.flush_scale()
        if self._selection_stale:
            self._selection_stale = False
            self.selectionChanged.emit()

    def flush_scale(self) -> None:
        """Widths are relative to the largest |weight|: when that changes, restyle every wire
        (one max over the weights per command; the restyle itself is rare)."""
        if not self._scale_stale:
            return
        self._scale_stale = False
        scale = self._document_scale()
        if scale != self.scale:
            self.scale = scale
            for wire in self.wires.values():
                wire.scale = scale
                wire.show_value(wire.weight, scale)

    def _document_scale(self) -> float:
        weights = (abs(c.weight) for c in self.controller.doc.connections.values() if c.weight is not None)
        return max(weights, default=1.0) or 1.0

    # -- live training overlay (the document itself changes once, when the run ends) -------------------
    def show_live(self, weights: dict[str, float], biases: dict[str, float]) -> None:
        """Wire colours/widths and hover cards follow a training snapshot."""
        scale = max((abs(w) for w in weights.values()), default=1.0) or 1.0
        for cid, w in weights.items():
            wire = self.wires.get(cid)
            if wire is not None:
                wire.show_value(w, scale)
        for nid, b in biases.items():
            item = self.neurons.get(nid)
            if item is not None and item.bias != b:
                item.bias = b

    def show_document_values(self) -> None:
        """Back from the live overlay to the document's own weights and biases."""
        self.scale = self._document_scale()
        for wire in self.wires.values():
            wire.scale = self.scale
            wire.show_value(wire.weight, self.scale)
        neurons = self.controller.doc.neurons
        for nid, item in self.neurons.items():
            if nid in neurons:
                item.bias = neurons[nid].bias

    def show_thumbnails(self, images: dict[str, QImage]) -> None:
        for nid, item in self.neurons.items():
            item.set_thumbnail(images.get(nid))
