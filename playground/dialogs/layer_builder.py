"""The layer builder: a shape like 2-4-4-1 and an activation become a fully connected net."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from engine.activations import ACTIVATIONS, hidden_activations, threshold_activations
from engine.errors import EngineError
from playground.document.layout import parse_shape


class LayerBuilderDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, mode: str = "mlp") -> None:
        super().__init__(parent)
        self.setWindowTitle("Layer builder")
        self.shape = QLineEdit("2-4-1")
        self.shape.setPlaceholderText("e.g. 2-4-4-1")
        self.activation = QComboBox()
        self.activation.addItems(hidden_activations())
        self.activation.setCurrentText("tanh")
        self.output_activation = QComboBox()
        self.output_activation.addItems(list(ACTIVATIONS))
        self.output_activation.setCurrentText(
            threshold_activations()[0] if mode == "perceptron" else "sigmoid")
        self.add = QRadioButton("Add to the canvas")
        self.replace = QRadioButton("Replace the current network")
        self.replace.setChecked(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        form.addRow("Shape", self.shape)
        form.addRow("Hidden activation", self.activation)
        form.addRow("Output activation", self.output_activation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Neurons per layer, inputs first, joined by '-'. Every layer is fully connected to the next."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.replace)
        layout.addWidget(self.add)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        try:
            parse_shape(self.shape.text())
        except EngineError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def values(self) -> tuple[str, str, str, bool]:
        """(shape, hidden activation, output activation, replace)."""
        return (
            self.shape.text().strip(),
            self.activation.currentText(),
            self.output_activation.currentText(),
            self.replace.isChecked(),
        )
