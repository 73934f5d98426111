"""One editor widget per kind of training setting, made from its declaration (engine/settings.py).

An editor shows a value, reports a user's edit through ``on_edit`` and never writes the document
itself; the Training panel turns edits into undoable commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

from engine.settings import Setting

INT_MAX = 2**31 - 1  # QSpinBox holds a C int
FLOAT_MAX = 1e9


class NumberBox(QDoubleSpinBox):
    """A spin box that shows 0.03, 1e-08 and 250 as typed (``%g``) and steps by tenths of the
    value's own decade, so learning rates from 1e-6 to 10 are all easy to reach."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: Callable[[float], None] | None = None  # told of a number out of range
        self.setDecimals(12)
        self.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.10g}"  # 0.1234567 as typed: Enter on an untouched box changes nothing

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def fixup(self, text: str) -> str:
        """Qt puts the old value back for an out-of-range number: say why instead of silently."""
        try:
            value = float(text)
        except ValueError:
            return text
        if self.refused is not None:
            self.refused(value)
        return text

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        if not stripped:
            return QValidator.State.Intermediate
        try:
            value = float(stripped)
        except ValueError:
            partial = stripped.rstrip("eE+-.")
            return QValidator.State.Intermediate if partial != stripped or not partial else \
                QValidator.State.Invalid
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate


class Editor:
    """A widget for one setting: ``show(value)`` without echo, user edits go to ``on_edit``."""

    def __init__(self, setting: Setting, on_edit: Callable[[str, Any], None],
                 on_refuse: Callable[[str], None] = lambda message: None) -> None:
        self.setting = setting
        self._on_edit = on_edit
        self._on_refuse = on_refuse
        self._showing = False
        self.widget, self.label_widget = self._make()
        self.widget.setToolTip(setting.tooltip)

    # -- built per kind ---------------------------------------------------------------------------
    def _make(self) -> tuple[QWidget, QWidget | None]:
        s = self.setting
        if s.kind == "choice":
            box = QComboBox()
            box.addItems(list(s.options()))
            box.activated.connect(lambda _: self._edited(box.currentText()))
            self.input = box
            return box, None
        if s.kind == "bool":
            check = QCheckBox(s.label)
            check.toggled.connect(self._edited)
            self.input = check
            return check, check  # the box carries its own label: the form row spans
        spin = self._spin()
        self.input = spin
        if s.on_value is not None:
            spin.setValue(s.on_value)
        if not s.nullable:
            spin.valueChanged.connect(lambda v: self._edited(self._typed(v)))
            return spin, None
        # "stop at loss [0.001]": a checkbox turns the setting on and off, the spin box sets it
        self.toggle = QCheckBox(s.off_label or s.label)
        self.toggle.setToolTip(s.tooltip)
        self.toggle.toggled.connect(lambda _: self._nullable_edited())
        spin.valueChanged.connect(lambda _: self._nullable_edited())
        return spin, self.toggle

    def _spin(self) -> QSpinBox | QDoubleSpinBox:
        s = self.setting
        spin: QSpinBox | QDoubleSpinBox
        if s.kind == "int":
            spin = QSpinBox()
            spin.setKeyboardTracking(False)
            high = INT_MAX if s.high is None else int(min(s.high, INT_MAX))
            spin.setRange(int(s.low or 0), high)
        else:
            spin = NumberBox()
            spin.refused = self._refused
            low = s.low or 0.0
            if s.low_open:
                low = max(low, 1e-12)
            high = FLOAT_MAX if s.high is None else s.high
            if s.high_open:
                high = high - 1e-9
            spin.setRange(low, high)
        if s.min_label:
            spin.setSpecialValueText(s.min_label)
        if s.suffix:
            spin.setSuffix(s.suffix)
        return spin

    def _refused(self, value: float) -> None:
        why = self.setting.problem(value) or "is out of range"
        self._on_refuse(f"{self.setting.label} not changed: {why}")

    def _typed(self, value: float) -> Any:
        return int(value) if self.setting.kind == "int" else float(value)

    # -- values in and out ----------------------------------------------------------------------
    def show(self, value: Any) -> None:
        self._showing = True
        try:
            s = self.setting
            if s.kind == "choice":
                self.input.setCurrentText(value)
            elif s.kind == "bool":
                self.input.setChecked(bool(value))
            elif s.nullable:
                self.toggle.setChecked(value is not None)
                self.input.setEnabled(value is not None)
                if value is not None:
                    self.input.setValue(value)
            else:
                self.input.setValue(value)
        finally:
            self._showing = False

    def _nullable_edited(self) -> None:
        on = self.toggle.isChecked()
        self.input.setEnabled(on)
        self._edited(self._typed(self.input.value()) if on else None)

    def _edited(self, value: Any) -> None:
        if not self._showing:
            self._on_edit(self.setting.name, value)


