"""The training panel: loss, optimizer, rates, batch size, stopping rules, seed and speed.

Every field edits the document's training settings as an undo step; learning rate, batch size and
L1/L2 reach a running loop live, the others apply from the next run.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from playground.controller import Controller
from playground.training.controller import TrainingController

SPEEDS = [("as fast as possible", None), ("1000 epochs/s", 1000.0), ("100 epochs/s", 100.0),
          ("30 epochs/s", 30.0), ("10 epochs/s", 10.0), ("1 epoch/s", 1.0)]


def log_spin(value: float, low: float, high: float, decimals: int = 6) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(decimals)
    spin.setRange(low, high)
    spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class TrainingPanel(QWidget):
    def __init__(self, controller: Controller, training: TrainingController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.training = controller, training
        self.loss = QComboBox()
        self.loss.addItems(list(LOSSES))
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.learning_rate = log_spin(0.03, 1e-6, 1e3)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(0, 100_000)
        self.batch_size.setSpecialValueText("all (full batch)")
        self.batch_size.setKeyboardTracking(False)
        self.l1 = log_spin(0.0, 0.0, 10.0)
        self.l2 = log_spin(0.0, 0.0, 10.0)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000_000)
        self.epochs.setKeyboardTracking(False)
        self.target_on = QCheckBox("stop at loss")
        self.target = log_spin(0.001, 0.0, 1e6)
        self.patience_on = QCheckBox("early stop after")
        self.patience = QSpinBox()
        self.patience.setRange(1, 1_000_000)
        self.patience.setSuffix(" epochs without progress")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setKeyboardTracking(False)
        self.speed = QComboBox()
        for text, value in SPEEDS:
            self.speed.addItem(text, value)
        form = QFormLayout(self)
        form.addRow("Loss", self.loss)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        form.addRow("L1", self.l1)
        form.addRow("L2", self.l2)
        form.addRow("Epoch cap", self.epochs)
        form.addRow(self.target_on, self.target)
        form.addRow(self.patience_on, self.patience)
        form.addRow("Seed", self.seed)
        form.addRow("Speed", self.speed)
        self._loading = False
        self.loss.activated.connect(lambda _: self._set(loss=self.loss.currentText()))
        self.optimizer.activated.connect(lambda _: self._set(optimizer=self.optimizer.currentText()))
        self.learning_rate.valueChanged.connect(lambda v: self._set(learning_rate=float(v)))
        self.batch_size.valueChanged.connect(lambda v: self._set(batch_size=int(v)))
        self.l1.valueChanged.connect(lambda v: self._set(l1=float(v)))
        self.l2.valueChanged.connect(lambda v: self._set(l2=float(v)))
        self.epochs.valueChanged.connect(lambda v: self._set(epochs=int(v)))
        self.seed.valueChanged.connect(lambda v: self._set(seed=int(v)))
        self.target_on.toggled.connect(lambda _: self._stops_changed())
        self.target.valueChanged.connect(lambda _: self._stops_changed())
        self.patience_on.toggled.connect(lambda _: self._stops_changed())
        self.patience.valueChanged.connect(lambda _: self._stops_changed())
        self.speed.activated.connect(lambda _: training.set_speed(self.speed.currentData()))
        controller.history_changed.connect(self.refresh)
        controller.document_reset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        t = self.controller.doc.training
        self._loading = True
        self.loss.setCurrentText(t.loss)
        self.optimizer.setCurrentText(t.optimizer)
        self.learning_rate.setValue(t.learning_rate)
        self.batch_size.setValue(t.batch_size)
        self.l1.setValue(t.l1)
        self.l2.setValue(t.l2)
        self.epochs.setValue(max(1, t.epochs))
        self.target_on.setChecked(t.target_loss is not None)
        self.target.setEnabled(t.target_loss is not None)
        if t.target_loss is not None:
            self.target.setValue(t.target_loss)
        self.patience_on.setChecked(t.patience is not None)
        self.patience.setEnabled(t.patience is not None)
        if t.patience is not None:
            self.patience.setValue(t.patience)
        self.seed.setValue(t.seed)
        hopfield = self.controller.doc.mode == "hopfield"
        self.setEnabled(not hopfield)
        self._loading = False

    def _set(self, **changes: object) -> None:
        if not self._loading:
            self.controller.set_training(**changes)

    def _stops_changed(self) -> None:
        self.target.setEnabled(self.target_on.isChecked())
        self.patience.setEnabled(self.patience_on.isChecked())
        self._set(target_loss=self.target.value() if self.target_on.isChecked() else None,
                  patience=self.patience.value() if self.patience_on.isChecked() else None)
