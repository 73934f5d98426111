"""The calm, non-modal hint over the loss plot: one sentence, one action, a close button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from engine.hints import Hint

ACTION_WORDS = {"lower_rate": "Learning rate × 0.1", "reset": "Reset for new weights"}


class HintBar(QFrame):
    """One hint: its sentence, its one-click action and a close button."""

    acted = Signal(str)  # the hint's action
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hint")
        self.setStyleSheet("#hint { background: #eef4fb; border: 1px solid #9bb7d4; border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip("Hide this hint")
        self.close_button.setAutoRaise(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(QLabel("<b>Hint</b>"), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hint: Hint | None = None
        self.action.clicked.connect(lambda: self.hint and self.acted.emit(self.hint.action))
        self.close_button.clicked.connect(self.dismissed.emit)
        self.hide()

    def show_hint(self, hint: Hint | None) -> None:
        if hint == self.hint:
            return
        self.hint = hint
        if hint is not None:  # one line in a small dock; the whole explanation on hover
            self.text.setText(hint.short or hint.text)
            self.setToolTip(hint.text)
            self.action.setText(ACTION_WORDS[hint.action])
        self.setVisible(hint is not None)
