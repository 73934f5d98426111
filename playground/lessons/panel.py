"""The lesson dock: the current step's text, its checks ticking live, "try this" buttons, Back/Next.

A view only: it shows what ``LessonGuide`` hands it and reports clicks as signals.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

TICK, OPEN = "✓", "○"


def paragraphs(text: str) -> str:
    """Plain step text as rich text: blank lines make paragraphs, nothing in it is markup."""
    parts = [html.escape(p).replace("\n", "<br>") for p in text.split("\n\n")]
    return "".join(f"<p>{p}</p>" for p in parts)


class LessonPanel(QWidget):
    back_clicked = Signal()
    next_clicked = Signal()
    leave_clicked = Signal()
    action_clicked = Signal(int)  # index of the step's "try this" action
    input_changed = Signal(list)  # the learner's input row (a find_input check asks for it)

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.step_title = QLabel()
        self.step_title.setWordWrap(True)
        self.step_title.setStyleSheet("font-weight: bold;")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.text)
        self.try_label = QLabel("Try this:")
        self.try_row = QVBoxLayout()  # one button a line: the dock stays narrow beside the Hopfield lab
        self.input_row = QHBoxLayout()
        self.input_boxes: list[QDoubleSpinBox] = []
        self.check_box = QVBoxLayout()
        self.check_labels: list[QLabel] = []
        self.action_buttons: list[QPushButton] = []
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.back = QPushButton("◀ Back")
        self.next = QPushButton("Next ▶")
        self.leave = QPushButton("Leave")
        self.back.clicked.connect(self.back_clicked)
        self.next.clicked.connect(self.next_clicked)
        self.leave.clicked.connect(self.leave_clicked)
        self.back.setShortcut("Alt+Left")
        self.next.setShortcut("Alt+Right")
        self.back.setToolTip("Previous step (Alt+Left)")
        self.next.setToolTip("Next step (Alt+Right)")
        for button in (self.back, self.next, self.leave):
            button.setMinimumWidth(56)  # below the style's 80: the dock fits beside the Hopfield lab
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addWidget(self.next)
        nav.addStretch(1)
        nav.addWidget(self.leave)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.try_label)
        layout.addLayout(self.try_row)
        layout.addLayout(self.input_row)
        layout.addLayout(self.check_box)
        layout.addWidget(self.status)
        layout.addLayout(nav)
        self.show_idle()

    def show_idle(self) -> None:
        """No lesson open: say where the lessons are."""
        self.title.setText("No lesson open")
        self.step_title.setText("")
        self.text.setText(paragraphs("Choose a lesson from the Lessons menu. Each one opens its "
                                     "project and guides you through it step by step."))
        self.set_actions([])
        self.set_checks([])
        self.set_inputs([])
        self.progress.hide()
        self.status.setText("")
        for button in (self.back, self.next, self.leave):
            button.setEnabled(False)

    def show_step(self, lesson_title: str, index: int, count: int, done: int, step_title: str,
                  actions: list[str]) -> None:
        """A new step: its heading, progress and buttons (text and checks follow in ``update``)."""
        self.title.setText(lesson_title)
        self.progress.show()
        self.progress.setRange(0, count)
        self.progress.setValue(done)
        self.progress.setFormat(f"Step {index + 1} of {count} · {done} done")
        self.step_title.setText(step_title)
        self.set_actions(actions)
        self.back.setEnabled(index > 0)
        self.next.setEnabled(True)
        self.next.setText("Finish ✓" if index == count - 1 else "Next ▶")
        self.leave.setEnabled(True)

    def set_actions(self, labels: list[str]) -> None:
        for button in self.action_buttons:
            self.try_row.removeWidget(button)
            button.hide()  # at once: the deferred delete may wait for the event loop
            button.deleteLater()
        self.action_buttons = []
        for k, label in enumerate(labels):
            button = QPushButton(label)
            button.clicked.connect(lambda checked=False, k=k: self.action_clicked.emit(k))
            self.try_row.addWidget(button)
            self.action_buttons.append(button)
        self.try_label.setVisible(bool(labels))

    def set_inputs(self, names: list[str], row: list[float] | None = None) -> None:
        """One box per input neuron, for a step that asks the learner to find an input."""
        while self.input_row.count():
            item = self.input_row.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.input_boxes = []
        if names:
            self.input_row.addWidget(QLabel("Input:"))
        for k, name in enumerate(names):
            box = QDoubleSpinBox()
            box.setRange(-1e6, 1e6)
            box.setDecimals(3)
            box.setPrefix(f"{name} = ")
            box.setValue(row[k] if row else 0.0)
            box.setKeyboardTracking(False)  # a value once typed (Enter or focus out), not per key
            box.valueChanged.connect(lambda _: self.input_changed.emit(
                [b.value() for b in self.input_boxes]))
            self.input_row.addWidget(box)
            self.input_boxes.append(box)

    def set_checks(self, lines: list[tuple[bool, str]]) -> None:
        """One line per check: ✓ or ○, what it asks, and the value now."""
        while len(self.check_labels) > len(lines):
            label = self.check_labels.pop()
            self.check_box.removeWidget(label)
            label.hide()
            label.deleteLater()
        while len(self.check_labels) < len(lines):
            label = QLabel()
            label.setWordWrap(True)
            self.check_box.addWidget(label)
            self.check_labels.append(label)
        for label, (ok, text) in zip(self.check_labels, lines, strict=True):
            label.setText(f"{TICK if ok else OPEN} {text}")
            label.setStyleSheet(f"color: {'#1a7f37' if ok else '#555'};"
                                f"{' font-weight: bold;' if ok else ''}")

    def update_step(self, text: str, checks: list[tuple[bool, str]], status: str) -> None:
        self.text.setText(paragraphs(text))
        self.set_checks(checks)
        self.status.setText(status)
