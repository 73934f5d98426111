"""The training panel: one editor per declared training setting, plus the speed cap.

The rows are generated from ``engine.settings.SETTINGS``, so a new setting appears here without an
edit. Every edit is one undo step; settings declared ``live`` reach a running loop at once, the
others apply from the next run. Settings only one optimizer reads are shown with that optimizer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from engine.settings import SETTINGS
from playground.controller import Controller
from playground.document.model import Event
from playground.panels.setting_editors import Editor
from playground.training.controller import TrainingController

SPEEDS = [("as fast as possible", None), ("1000 epochs/s", 1000.0), ("100 epochs/s", 100.0),
          ("30 epochs/s", 30.0), ("10 epochs/s", 10.0), ("1 epoch/s", 1.0)]


class TrainingPanel(QWidget):
    def __init__(self, controller: Controller, training: TrainingController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.training = controller, training
        self.form = QFormLayout(self)
        self.editors: dict[str, Editor] = {}
        for setting in SETTINGS:
            editor = Editor(setting, self._edit, controller.status.emit)
            self.editors[setting.name] = editor
            if editor.label_widget is editor.widget:
                self.form.addRow(editor.widget)
            elif editor.label_widget is not None:
                self.form.addRow(editor.label_widget, editor.widget)
            else:
                self.form.addRow(setting.label, editor.widget)
        self.speed = QComboBox()
        for text, value in SPEEDS:
            self.speed.addItem(text, value)
        self.speed.setToolTip("a cap on epochs per second, to watch a run slowly; applies live")
        self.form.addRow("Speed", self.speed)
        self.speed.activated.connect(lambda _: training.set_speed(self.speed.currentData()))
        controller.doc.events.subscribe(self._on_event)
        self.refresh()

    def editor(self, name: str) -> Editor:
        return self.editors[name]

    def _on_event(self, event: Event) -> None:
        if event.kind == "document_replaced" or (
                event.kind == "settings_changed" and {"training", "mode"} & set(event.fields)):
            self.refresh()

    def refresh(self) -> None:
        doc = self.controller.doc
        t = doc.training
        for name, editor in self.editors.items():
            editor.show(getattr(t, name))
            s = editor.setting
            read = doc.mode in s.modes and (not s.optimizers or t.optimizer in s.optimizers)
            self.form.setRowVisible(editor.widget, read)
        self.setEnabled(doc.mode != "hopfield")

    def _edit(self, name: str, value: Any) -> None:
        self.controller.set_training(**{name: value})
