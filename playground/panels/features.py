"""The Data panel's network inputs: feature inputs (TensorFlow Playground's left column), a check
box per feature of the engine's registry, enabled for 2-D data, and the input scaling. Each change
is one undoable controller intent."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from engine.features import FEATURES, SCALING_CHOICES
from playground.controller import Controller
from playground.document.edits import dataset_widths
from playground.document.model import Event


class FeatureInputs(QGroupBox):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__("Network inputs", parent)
        self.controller = controller
        self.setToolTip("Extra inputs computed from x₁ and x₂; each becomes an input neuron")
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        for k, (name, feature) in enumerate(FEATURES.items()):
            box = QCheckBox(feature.label)
            box.toggled.connect(lambda on, n=name: self._toggled(n, on))
            grid.addWidget(box, k // 3, k % 3)
            self.boxes[name] = box
        self.scaling = QComboBox()
        self.scaling.setToolTip("Fitted on the training rows and stored in the project; predict "
                                "and exports apply the same numbers to raw values")
        for key, text in SCALING_CHOICES.items():
            self.scaling.addItem(text, key)
        self.scaling.activated.connect(lambda _: self._scaling_chosen())
        rows = (len(FEATURES) + 2) // 3
        grid.addWidget(QLabel("Input scaling"), rows, 0)
        grid.addWidget(self.scaling, rows, 1, 1, 2)
        self._loading = False
        controller.doc.events.subscribe(self._on_event)
        self.refresh()

    def _on_event(self, event: Event) -> None:
        if event.kind == "document_replaced" or (
                event.kind == "settings_changed" and {"dataset", "mode"} & set(event.fields)):
            self.refresh()

    def refresh(self) -> None:
        doc = self.controller.doc
        spec = doc.dataset
        widths = dataset_widths(doc)
        chosen = set(spec.features) if spec is not None else set()
        two_d = widths is not None and widths[0] - len(chosen) == 2 and doc.mode == "mlp"
        self._loading = True
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)
            box.setEnabled(two_d)
        method = spec.scaling.method if spec is not None and spec.scaling is not None else None
        self.scaling.setCurrentIndex(self.scaling.findData(method))
        self.scaling.setEnabled(spec is not None and doc.mode != "hopfield")
        self._loading = False
        self.setToolTip("" if two_d else "Feature inputs need 2-D data in MLP mode")

    def _scaling_chosen(self) -> None:
        self.controller.set_scaling(self.scaling.currentData())
        self.refresh()

    def _toggled(self, name: str, on: bool) -> None:
        if not self._loading:
            self.controller.set_feature(name, on)
            self.refresh()  # a refused change puts the box back
