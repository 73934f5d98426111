"""The Data panel's feature inputs (TensorFlow Playground's left column): a check box per feature
of the engine's registry, enabled for 2-D data; each toggle is one undoable controller intent."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QWidget

from engine.features import FEATURES
from playground.controller import Controller
from playground.document.edits import dataset_widths
from playground.document.model import Event


class FeatureInputs(QGroupBox):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__("Feature inputs", parent)
        self.controller = controller
        self.setToolTip("Extra inputs computed from x₁ and x₂; each becomes an input neuron")
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        for k, (name, feature) in enumerate(FEATURES.items()):
            box = QCheckBox(feature.label)
            box.toggled.connect(lambda on, n=name: self._toggled(n, on))
            grid.addWidget(box, k // 3, k % 3)
            self.boxes[name] = box
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
        self._loading = False
        self.setToolTip("" if two_d else "Feature inputs need 2-D data in MLP mode")

    def _toggled(self, name: str, on: bool) -> None:
        if not self._loading:
            self.controller.set_feature(name, on)
            self.refresh()  # a refused change puts the box back
