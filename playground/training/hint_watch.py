"""Watches a run's loss and shows the engine's hint (``engine.hints``) over the loss plot.

Calm and non-modal: a bar with one sentence, one button that does what it says (learning rate
× 0.1, or Reset for new weights) and a close button; the run goes on. After a change of the
learning rate, an action or a dismissal, it waits for fresh epochs before it speaks again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from engine.hints import chance_loss, diagnose
from playground.controller import Controller
from playground.document.build import TrainingJob
from playground.plots.hint_bar import HintBar
from playground.training.controller import TrainingController


class HintWatcher(QObject):
    """Asks ``engine.hints.diagnose`` after each snapshot, over the epochs since the last change."""

    def __init__(self, training: TrainingController, controller: Controller, bar: HintBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.training, self.controller, self.bar = training, controller, bar
        self.chance: float | None = None  # the guessing loss of the run's data; None: no hints
        self.since = 0  # history index the evidence starts at
        self.rate: float | None = None  # the learning rate that evidence was gathered with
        training.run_started.connect(self._on_run_started)
        training.snapshot.connect(lambda _: self.check())
        training.history_reset.connect(self._forget)
        bar.acted.connect(self._act)
        bar.dismissed.connect(self._wait_for_fresh_epochs)

    def _on_run_started(self, job: TrainingJob) -> None:
        self.chance = chance_loss(job.config.loss, job.data.Y_train) if job.kind == "mlp" else None

    def _forget(self) -> None:
        self.since, self.rate = 0, None
        self.bar.show_hint(None)

    def _wait_for_fresh_epochs(self) -> None:
        self.since = self.training.history.train.size
        self.bar.show_hint(None)

    def check(self) -> None:
        rate = self.controller.doc.training.learning_rate
        if rate != self.rate:  # a new rate: judge it on its own epochs
            self.rate = rate
            self._wait_for_fresh_epochs()
        if self.chance is None:
            self.bar.show_hint(None)
            return
        self.bar.show_hint(diagnose(self.training.history.train.y[self.since:], self.chance, rate))

    def _act(self, action: str) -> None:
        if action == "lower_rate":
            self.controller.set_training(learning_rate=self.controller.doc.training.learning_rate * 0.1)
        elif action == "reset":
            self.training.reset()
        self._wait_for_fresh_epochs()
