"""The inspector: edit the selected neuron or wire. Each finished edit is one undo step."""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.activations import ACTIVATIONS
from playground.canvas.scene import NetworkScene
from playground.controller import Controller
from playground.document.model import Event
from playground.document.roles import ROLES

SHOWN_KINDS = frozenset(("neuron_changed", "connection_changed", "values_changed"))


class ValueField(QLineEdit):
    """A weight or bias: 0.3818 to read, every digit to edit (on focus) and in the tooltip.

    An edit that leaves the rounded text as it was keeps the full value: rounding for the eye
    must never round the network."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText("random at start")
        self.value: float | None = None

    def show_value(self, value: float | None) -> None:
        self.value = value
        self.setToolTip("random at start" if value is None else f"{value!r}")
        self.setText(self._text(full=self.hasFocus()))

    def _text(self, full: bool) -> str:
        if self.value is None:
            return ""
        return repr(self.value) if full else f"{self.value:.4g}"

    def typed(self) -> tuple[float | None, str | None]:
        """What the user means: the value shown if the text is untouched, else the text parsed."""
        if self.text() in (self._text(full=False), self._text(full=True)):
            return self.value, None
        return parse_value(self.text())

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.value is not None and self.text() == self._text(full=False):
            self.setText(self._text(full=True))

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)  # editingFinished first: the edit is taken as typed
        if self.text() == self._text(full=True):
            self.setText(self._text(full=False))


def parse_value(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a finite number or an empty field (= random at start); else (None, why)."""
    text = text.strip()
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, f"'{text}' is not a number"
    if not math.isfinite(value):
        return None, "use a finite number (not NaN or infinity)"
    return value, None


class Inspector(QWidget):
    def __init__(self, controller: Controller, scene: NetworkScene, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.scene = controller, scene
        self.neuron_id: str | None = None
        self.wire_id: str | None = None
        self._shown: set[str] = set()  # ids whose changes show here
        self.refreshes = 0  # tests read it
        self.stack = QStackedWidget()
        self.summary = QLabel(
            "Select a neuron or a wire to edit it.\n\nDrag kinds from the palette, "
            "double-click the canvas for a hidden neuron, drag a neuron's rim to wire."
        )
        self.summary.setWordWrap(True)
        self.stack.addWidget(self.summary)

        neuron_page = QWidget()
        form = QFormLayout(neuron_page)
        self.label_edit = QLineEdit()
        self.role_combo = QComboBox()
        self.role_combo.addItems(list(ROLES))
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(list(ACTIVATIONS))
        self.has_bias = QCheckBox("has a bias")
        self.bias_edit = ValueField()
        form.addRow("Label", self.label_edit)
        form.addRow("Role", self.role_combo)
        form.addRow("Activation", self.activation_combo)
        form.addRow("", self.has_bias)
        form.addRow("Bias", self.bias_edit)
        self.stack.addWidget(neuron_page)

        wire_page = QWidget()
        wform = QFormLayout(wire_page)
        self.wire_title = QLabel()
        self.weight_edit = ValueField()
        wform.addRow("Wire", self.wire_title)
        wform.addRow("Weight", self.weight_edit)
        self.stack.addWidget(wire_page)

        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.label_edit.editingFinished.connect(self._label_done)
        self.role_combo.activated.connect(lambda _: self._set(role=self.role_combo.currentText()))
        self.activation_combo.activated.connect(
            lambda _: self._set(activation=self.activation_combo.currentText())
        )
        self.has_bias.clicked.connect(lambda checked: self._set(has_bias=bool(checked)))
        self.bias_edit.editingFinished.connect(self._bias_done)
        self.weight_edit.editingFinished.connect(self._weight_done)
        scene.selectionChanged.connect(self.refresh)
        controller.doc.events.subscribe(self._on_document_event)
        self.refresh()

    def _on_document_event(self, event: Event) -> None:
        """Refresh only when the neuron or wire on show changed (or a neuron it names)."""
        shown = event.kind in SHOWN_KINDS and self._shown.intersection(event.ids)
        if shown or event.kind == "document_replaced":
            self.refresh()

    def refresh(self) -> None:
        neurons, wires = self.scene.selected_ids()
        doc = self.controller.doc
        self.neuron_id = neurons[0] if len(neurons) == 1 and not wires else None
        self.wire_id = wires[0] if len(wires) == 1 and not neurons else None
        if self.wire_id is not None and self.wire_id not in doc.connections:
            self.wire_id = None
        if self.neuron_id is not None and self.neuron_id not in doc.neurons:
            self.neuron_id = None
        self._shown = set(filter(None, (self.neuron_id, self.wire_id)))
        if self.wire_id is not None:
            c = doc.connections[self.wire_id]
            self._shown |= {c.source, c.target}  # the title shows their names
        self.refreshes += 1
        if self.neuron_id is not None:
            n = doc.neurons[self.neuron_id]
            self.label_edit.setText(n.label)
            self.role_combo.setCurrentText(n.role)
            self.activation_combo.setCurrentText(n.activation)
            unit = n.role in ROLES and ROLES[n.role].is_unit
            self.activation_combo.setEnabled(unit)
            self.has_bias.setEnabled(unit)
            self.has_bias.setChecked(n.has_bias)
            self.bias_edit.setEnabled(unit and n.has_bias)
            self.bias_edit.show_value(n.bias)
            self.stack.setCurrentIndex(1)
        elif self.wire_id is not None:
            c = doc.connections[self.wire_id]
            self.wire_title.setText(f"{doc.display_name(c.source)} → {doc.display_name(c.target)}")
            self.weight_edit.show_value(c.weight)
            self.stack.setCurrentIndex(2)
        else:
            if neurons or wires:
                self.summary.setText(f"{len(neurons)} neuron(s) and {len(wires)} wire(s) selected.")
            self.stack.setCurrentIndex(0)
        self._show_error(None)

    def _show_error(self, message: str | None, field: QLineEdit | None = None) -> None:
        self.error.setText(message or "")
        for edit in (self.bias_edit, self.weight_edit, self.label_edit):
            edit.setStyleSheet("border: 1px solid #c0392b;" if edit is field else "")

    def _set(self, **changes: object) -> None:
        if self.neuron_id is not None:
            self.controller.set_neuron(self.neuron_id, **changes)

    def _label_done(self) -> None:
        text = self.label_edit.text().strip()
        if not text:
            self._show_error("a label cannot be empty", self.label_edit)
            return
        self._set(label=text)

    def _bias_done(self) -> None:
        value, why = self.bias_edit.typed()
        if why:
            self._show_error(f"Bias not changed: {why}", self.bias_edit)
            return
        self._set(bias=value)

    def _weight_done(self) -> None:
        if self.wire_id is None:
            return
        value, why = self.weight_edit.typed()
        if why:
            self._show_error(f"Weight not changed: {why}", self.weight_edit)
            return
        self.controller.set_weight(self.wire_id, value)
