"""One training run's state: a learner, its data and settings, behind the interface the loop needs.

The loop in ``trainer.py`` only sees this interface, so MLP and perceptron runs (and tests) share
one loop, in the worker thread and synchronously alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from engine import metrics
from engine.datasets import Dataset
from engine.errors import EngineError
from engine.losses import get_loss
from engine.mlp import MLP
from engine.optimizers import make_optimizer
from engine.perceptron import Perceptron
from engine.separability import separable
from engine.settings import LIVE, TrainingSettings, get_setting
from engine.spec import TrainedValues


@dataclass(frozen=True)
class EpochMetrics:
    """Loss and score (accuracy, or R² for regression) on the train and test sets."""

    train_loss: float
    test_loss: float | None
    train_score: float | None
    test_score: float | None


@dataclass(frozen=True)
class RunState:
    """Where a run's randomness and optimizer were when it stopped, and the values it stopped at.

    Handed to the next run that starts from exactly those values (``MLPSession(resume=…)``), it
    makes Stop + Play, N × Step and one long run train the same: the shuffle order continues its
    stream and momentum/Adam keep their memory. Only a new start (Reset) begins afresh."""

    values: TrainedValues  # the weights this state belongs to
    seed: int
    optimizer: str
    rng: dict = field(default_factory=dict)  # numpy's bit-generator state (plain ints and strs)
    slots: dict[str, np.ndarray] = field(default_factory=dict)  # Optimizer.state()


class _LearnerSession:
    """What both sessions share: the learner's snapshots, values and finiteness, the data's task."""

    learner: MLP | Perceptron
    data: Dataset
    _saved: object

    @property
    def task(self) -> str:
        return self.data.task

    def finite(self) -> bool:
        return self.learner.all_finite()

    def save_point(self) -> None:
        self._saved = self.learner.snapshot()

    def restore_point(self) -> None:
        self.learner.restore(self._saved)

    def values(self) -> TrainedValues:
        return self.learner.trained_values()

    def set_data(self, data: Dataset) -> None:
        """Train on new rows from the next epoch on (points drawn during a run): same columns and
        task, or an EngineError; the weights, optimizer state and epoch count go on."""
        old = self.data
        if (data.n_inputs, data.n_outputs, data.task) != (old.n_inputs, old.n_outputs, old.task) \
                or not len(data.X_train):
            raise EngineError("new data must have the same inputs, outputs and task as the run's, "
                              "and at least one training row")
        self.data = data


class MLPSession(_LearnerSession):
    """Gradient training of an MLP on a dataset."""

    kind = "mlp"
    epoch = 0

    def __init__(self, mlp: MLP, data: Dataset, config: TrainingSettings,
                 resume: RunState | None = None) -> None:
        if mlp.n_inputs != data.X_train.shape[1] or mlp.n_outputs != data.Y_train.shape[1]:
            raise EngineError(
                f"the network has {mlp.n_inputs} inputs and {mlp.n_outputs} outputs, but the "
                f"data has {data.X_train.shape[1]} inputs and {data.Y_train.shape[1]} outputs"
            )
        self.learner = mlp
        self.data = data
        self.config = replace(config)  # the run's own copy: live patches change it, not the document
        self.rng = np.random.default_rng(config.seed)
        self.optimizer = make_optimizer(self.config)  # reads the learning rate from self.config
        self._saved = mlp.snapshot()
        if resume is not None and self.continues(resume):
            self.rng.bit_generator.state = resume.rng
            self.optimizer.load_state(resume.slots)

    def continues(self, state: RunState) -> bool:
        """Whether ``state`` was left by a run that stopped where this one starts (same values,
        seed and optimizer, optimizer memory of this network's size)."""
        shapes_fit = all(a.shape == self.learner.flat.shape for k, a in state.slots.items() if k != "t")
        return (state.seed == self.config.seed and state.optimizer == self.config.optimizer
                and state.rng.get("bit_generator") == type(self.rng.bit_generator).__name__
                and shapes_fit and state.values == self.values())

    def run_state(self) -> RunState:
        """This run's state now, for the next run to continue from."""
        return RunState(self.values(), self.config.seed, self.config.optimizer,
                        self.rng.bit_generator.state, self.optimizer.state())

    def train_epoch(self) -> float:
        """One epoch; returns its training loss. A full batch's loss comes from the step's own
        forward pass (the weights before the step): evaluating it again would cost another pass."""
        c, d = self.config, self.data
        full = c.batch_size <= 0 or c.batch_size >= len(d.X_train)
        loss = self.learner.train_epoch(d.X_train, d.Y_train, c.loss, self.optimizer, c.batch_size,
                                        c.shuffle, self.rng, l1=c.l1, l2=c.l2, with_loss=full)
        return loss if full else self.learner.loss(d.X_train, d.Y_train, c.loss, l1=c.l1, l2=c.l2)

    def test_loss(self) -> float | None:
        """The loss on the test set now (None without one): for early stopping, which reads it
        every epoch; everything else reads it at the publish rate through ``evaluate``."""
        d, c = self.data, self.config
        if not len(d.X_test):
            return None
        return self.learner.loss(d.X_test, d.Y_test, c.loss, l1=c.l1, l2=c.l2)

    def evaluate(self) -> EpochMetrics:
        """Loss and score on both sets: one forward pass per set."""
        d, c = self.data, self.config
        loss, penalty = get_loss(c.loss), self.learner.penalty(c.l1, c.l2)
        out_train = self.learner.forward(d.X_train)
        train_loss = loss.value(d.Y_train, out_train) + penalty
        test_loss = test_score = None
        if len(d.X_test):
            out_test = self.learner.forward(d.X_test)
            test_loss = loss.value(d.Y_test, out_test) + penalty
            test_score = metrics.score(d.Y_test, out_test, d.task)
        train_score = metrics.score(d.Y_train, out_train, d.task)
        return EpochMetrics(train_loss, test_loss, train_score, test_score)

    def converged(self) -> bool:
        return False

    def at_cap(self, epochs: int) -> tuple[str, str]:
        """(stop reason, message) when the epoch cap is reached."""
        return "epochs", ""

    def patch(self, name: str, value: object) -> None:
        """Change a setting between epochs, without a reset (the optimizer reads it next step)."""
        _patch(self.config, name, value, LIVE)


class PerceptronSession(_LearnerSession):
    """Rosenblatt training; the loss is the share of misclassified training samples."""

    kind = "perceptron"
    epoch = 0

    def __init__(self, perceptron: Perceptron, data: Dataset, config: TrainingSettings) -> None:
        if data.task == "regression":
            raise EngineError("a perceptron classifies: choose a classification dataset")
        self.learner = perceptron
        self.data = data
        self.config = replace(config)
        self.last_errors: int | None = None
        self._saved = perceptron.snapshot()

    def train_epoch(self) -> float:
        """One pass of the rule; returns the share of training samples misclassified after it."""
        self.last_errors = self.learner.train_epoch(
            self.data.X_train, self.data.Y_train, self.config.learning_rate
        )
        d = self.data
        return 1.0 - float(metrics.accuracy(d.Y_train, self.learner.forward(d.X_train), d.task))

    def test_loss(self) -> float | None:
        d = self.data
        if not len(d.X_test):
            return None
        return 1.0 - float(metrics.accuracy(d.Y_test, self.learner.forward(d.X_test), d.task))

    def evaluate(self) -> EpochMetrics:
        d = self.data
        train_score = metrics.accuracy(d.Y_train, self.learner.forward(d.X_train), d.task)
        test_score = test_loss = None
        if len(d.X_test):
            test_score = metrics.accuracy(d.Y_test, self.learner.forward(d.X_test), d.task)
            test_loss = 1.0 - test_score
        return EpochMetrics(1.0 - float(train_score), test_loss, train_score, test_score)

    def converged(self) -> bool:
        return self.last_errors == 0

    def run_state(self) -> None:
        """Rosenblatt's rule visits the samples in order and keeps no memory: nothing to carry."""
        return None

    def at_cap(self, epochs: int) -> tuple[str, str]:
        """Not converged by the cap: "not linearly separable" only when that is proven (2-D
        inputs, exactly); otherwise only that no separating line was found in time."""
        verdict = self.separable()
        if verdict is False:
            return "not_separable", ("not linearly separable: the classes' convex hulls overlap, so "
                                     "no line can split them; a perceptron never converges here")
        found = "line" if self.data.X_train.shape[1] == 2 else "hyperplane"
        why = (" (the data is separable: more epochs or another learning rate will find one)"
               if verdict else "")
        return "epochs", f"no separating {found} found within {epochs} epochs{why}"

    def separable(self) -> bool | None:
        """Whether each output's two classes can be split by a line; None when not decidable
        here (more than two inputs)."""
        X, Y = self.data.X_train, self.data.Y_train
        if X.shape[1] != 2:
            return None
        for k in range(Y.shape[1]):
            y = Y[:, k]
            positive = y > (y.min() + y.max()) / 2
            if positive.all() or not positive.any():
                continue
            if not separable(X[positive], X[~positive]):
                return False
        return True

    def patch(self, name: str, value: object) -> None:
        _patch(self.config, name, value, ("learning_rate",))


def _patch(config: TrainingSettings, name: str, value: object, allowed: tuple[str, ...]) -> None:
    """One live setting into the run's record, typed and range-checked by its declaration."""
    setting = get_setting(name)
    if name not in allowed:
        raise EngineError(f"{setting.label.lower()} cannot change during this run "
                          f"(can: {', '.join(get_setting(n).label.lower() for n in allowed)})")
    setattr(config, name, setting.coerce(value))


Session = MLPSession | PerceptronSession
