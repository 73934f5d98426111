"""The Glass box dock: choose the example, step through it, and read the formula of the selected
neuron or wire with the example's numbers substituted (forward and backward)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class GlassBoxPanel(QWidget):
    """Widgets only: ``GlassBoxViews`` fills them and listens to them."""

    shown = Signal()  # the dock came into view: time to fill the formulas it skipped while hidden

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        row.addWidget(QLabel("Example:"))
        self.split = QComboBox()
        self.split.addItem("training point", "train")
        self.split.addItem("test point", "test")
        self.row = QSpinBox()
        self.row.setMinimum(1)
        self.row.setToolTip("Which data point is the current example (or click one in a plot)")
        row.addWidget(self.split)
        row.addWidget(self.row)
        row.addStretch(1)
        layout.addLayout(row)
        self.unit_row = QHBoxLayout()
        self.unit_label = QLabel("Unit:")
        self.unit = QSpinBox()
        self.unit.setToolTip("The Hopfield unit whose local field and energy change are shown")
        self.unit_row.addWidget(self.unit_label)
        self.unit_row.addWidget(self.unit)
        self.unit_row.addStretch(1)
        layout.addLayout(self.unit_row)
        self.example = QLabel()
        self.example.setWordWrap(True)
        layout.addWidget(self.example)
        self.buttons = QWidget()  # hidden in Hopfield mode, where a unit is read, not walked
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.buttons)
        self.stage = QLabel()
        self.stage.setWordWrap(True)
        self.stage.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.stage)
        self.formulas = QTextBrowser()
        self.formulas.setOpenLinks(False)
        layout.addWidget(self.formulas, 1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    def show_hopfield(self, on: bool) -> None:
        for widget in (self.split, self.row, self.buttons):
            widget.setVisible(not on)
        self.unit_label.setVisible(on)
        self.unit.setVisible(on)

    def show_lines(self, title: str, sections: list[tuple[str, list[str]]]) -> None:
        """Headed groups of equations, one per line, in a monospace-friendly layout."""
        parts = [f"<p><b>{html.escape(title)}</b></p>"] if title else []
        for head, lines in sections:
            body = "<br>".join(html.escape(line) for line in lines)
            parts.append(f"<p><i>{html.escape(head)}</i><br>{body}</p>")
        self.formulas.setHtml("".join(parts))
