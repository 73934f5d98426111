"""Play, pause, step, stop and reset: the GUI side of a training run.

It checks the document and makes one ``TrainingJob`` of it, hands the job to a runner (which
builds the run where it trains), turns snapshots into history and view updates, and writes the
weights back as one undoable command when the run ends. Any structural edit stops the run first
(and commits it); learning rate, batch size and L1/L2 apply live.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.errors import EngineError
from engine.settings import LIVE, get_setting
from playground.controller import Controller
from playground.document import build
from playground.document.commands import (
    ApplyTrainedValues,
    Command,
    CompositeCommand,
    EditData,
    SetSection,
)
from playground.document.errors import DocumentError
from playground.document.roles import is_unit
from playground.training.extras import live_run
from playground.training.history import History
from playground.training.process_runner import ProcessRunner

if TYPE_CHECKING:
    from engine.session import RunState
    from engine.spec import TrainedValues
    from engine.trainer import RunResult, Snapshot
    from playground.training.runner import TrainingRunner


def live_changes(cmd: Command) -> dict[str, object] | None:
    """The training settings a command changes, or None if it changes anything else (a
    structural edit, which stops a run)."""
    if not isinstance(cmd, SetSection) or cmd.section != "training":
        return None
    old, new = dataclasses.asdict(cmd.old), dataclasses.asdict(cmd.new)
    return {k: v for k, v in new.items() if old[k] != v}


def _words(changes: dict[str, object]) -> str:
    return ", ".join(f"{get_setting(k).label.lower()} {v:g}" if isinstance(v, float)
                     else f"{get_setting(k).label.lower()} {v}" for k, v in changes.items())


STOP_WORDS = {  # why a run ended, as a learner would say it
    "epochs": "reached the epoch cap",
    "target": "reached the target loss",
    "early_stop": "no progress for the patience's epochs (early stop)",
    "stopped": "stopped",
    "converged": "converged",
}
VERDICTS = {  # what a perceptron run ended with, in one sentence each
    "converged": "Converged after {epochs:,} epochs: a line separates the classes (no errors).",
    "not_separable": "{message}.",
    "epochs": "Not converged yet: {message}.",
}


MAX_STATES = 32  # run states remembered (each is a few copies of the parameter vector)


class TrainingController(QObject):
    state_changed = Signal(str)  # "idle", "running", "paused"
    snapshot = Signal(object)  # Snapshot, after the history took its points
    run_started = Signal(object)  # TrainingJob: views learn the data and the network
    history_reset = Signal()
    message = Signal(str)  # for the status bar
    problem = Signal(str, str)  # (title, text) a dialog-worthy problem (divergence, cannot start)
    verdict = Signal(str)  # a perceptron run's outcome in one sentence, shown where the eye is

    def __init__(
        self, controller: Controller, parent: QObject | None = None, runner: str = "process"
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        if runner == "process":
            self.runner: ProcessRunner | TrainingRunner = ProcessRunner(self)
        else:
            from playground.training.runner import TrainingRunner  # the thread runner: on request

            self.runner = TrainingRunner(self)
        self.runner.progress.connect(self._on_snapshot)
        self.runner.finished.connect(self._on_finished)
        self.history = History()
        self.job: build.TrainingJob | None = None  # the current run's job: its ids and data
        self.speed: float | None = None  # epochs per second cap; None: as fast as possible
        self.epoch_offset = 0  # epochs trained before the current run (the history's x axis)
        self.start_job: build.TrainingJob | None = None  # this history's first (Reset to initial)
        self.last_snapshot: Snapshot | None = None
        self.run_snapshot: Snapshot | None = None
        self.last_result: RunResult | None = None  # how the newest run or step ended (lessons read it)
        self._sample_cursor = 0
        self._committing = False
        # where each run stopped, by the weights it stopped at: a run that starts from those
        # weights continues its shuffle stream and optimizer memory (Stop/Play = one long run)
        self.states: dict[TrainedValues, RunState] = {}
        controller.before_edit = self.before_edit
        controller.document_reset.connect(self.forget)

    # -- state ------------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        if not self.runner.running:
            return "idle"
        return "paused" if self.runner.paused else "running"

    def forget(self) -> None:
        """A new or opened document: stop without committing, start a fresh history."""
        if self.runner.running:
            self._committing = True  # the run's weights belong to the old document
            self.runner.stop()
            self._committing = False
        self.history.clear()
        self.states.clear()
        self._sample_cursor = 0
        self.epoch_offset = 0
        self.start_job = None
        self.job = None
        self.last_snapshot = None
        self.history_reset.emit()
        self.state_changed.emit("idle")

    def before_edit(self, cmd: Command | None) -> bool:
        """Called by the controller before an edit: True if the edit should go ahead as usual."""
        if self._committing or not self.runner.running:
            return True
        changes = live_changes(cmd) if cmd is not None else None
        if changes is not None:  # a setting: the run goes on
            live = {k: v for k, v in changes.items() if k in LIVE}
            later = {k: v for k, v in changes.items() if k not in LIVE}
            for name, value in live.items():
                self.runner.patch(name, value)
            said = [f"Applied live: {_words(live)}"] if live else []
            if later:
                said.append(f"{_words(later)} applies from the next run (Stop, then Play)")
            self.message.emit("; ".join(said))
            return True
        if isinstance(cmd, EditData) and self._patch_data(cmd):
            return True
        self.stop()
        return True

    def _patch_data(self, cmd: EditData) -> bool:
        """Points drawn or edited during a run go into it, as a live setting does; False (stop the
        run) when the new data cannot train on this network (no rows, other columns or task)."""
        job = self.job
        try:
            data = build.dataset_of(cmd.new)
        except EngineError:
            return False
        if job is None or not len(data.X_train) or (data.n_inputs, data.n_outputs, data.task) != (
                job.data.n_inputs, job.data.n_outputs, job.data.task):
            return False
        self.runner.patch_data(build.network_data(data, job.prep))  # the run reads network inputs
        self.job = dataclasses.replace(job, data=data)  # the plots keep the raw points
        return True

    # -- run controls ---------------------------------------------------------------------------------
    def toggle(self) -> None:
        """Play/Pause (Space). Space in Hopfield mode only says why nothing trains."""
        if self.state == "running":
            self.pause()
        elif self.controller.doc.mode == "hopfield":
            self.message.emit("A Hopfield memory is not trained by epochs: store patterns and recall "
                              "them in the lab")
        else:
            self.play()

    def play(self) -> None:
        if self.state == "paused":
            self.runner.resume()
            self.state_changed.emit("running")
            return
        if self.state == "running":
            return
        job = self._prepare_job()
        if job is None:
            return
        try:
            self.runner.start(job)
        except EngineError as exc:  # the thread runner builds the run here
            self.problem.emit("Cannot train yet", str(exc))
            return
        self.state_changed.emit("running")

    def pause(self) -> None:
        if self.state == "running":
            self.runner.pause()
            self.state_changed.emit("paused")

    def stop(self) -> None:
        self.runner.stop()

    def set_speed(self, epochs_per_second: float | None) -> None:
        self.speed = epochs_per_second
        self.runner.set_speed(epochs_per_second)

    def step_epoch(self) -> None:
        """One epoch, trained here and now (the loop function the worker runs, called directly)."""
        self.stop()
        job = self._prepare_job()
        if job is None:
            return
        from engine.trainer import run  # the training engine: imported when first used

        prepared = live_run(job)
        options = dataclasses.replace(prepared.options, epochs=1, stop_rules=False,
                                      pause_on_divergence=False)  # no worker here to resume
        snaps: list[Snapshot] = []
        result = run(prepared.session, options, publish=snaps.append)
        for snap in snaps:
            self._on_snapshot(snap)
        self._on_finished(result, verdict=False)  # one epoch proves nothing about separability

    def step_sample(self) -> None:
        """One sample through the learning rule: the tutorials' per-sample updates, one at a time."""
        self.stop()
        job = self._prepare_job()
        if job is None:
            return
        from engine.session import MLPSession

        prepared = live_run(job)  # with the plot extras, so the step shows its boundary
        session = prepared.session
        data = session.data
        i = self._sample_cursor % len(data.X_train)
        self._sample_cursor += 1
        x, y = data.X_train[i : i + 1], data.Y_train[i : i + 1]
        if isinstance(session, MLPSession):
            c = session.config
            session.learner.train_batch(x, y, c.loss, session.optimizer, c.l1, c.l2)
        else:
            session.learner.train_epoch(x, y, session.config.learning_rate)
        self._keep_state(session.run_state())
        self._commit(prepared, 0, f"Train on sample {i + 1}", session.values())
        self._show_step(prepared, i)

    def _show_step(self, prepared: build.PreparedTraining, i: int) -> None:
        """A sample step's loss as a point between epochs, and its boundary, like a run's frame."""
        session = prepared.session
        n = len(session.data.X_train)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            m = session.evaluate()
        x = self.epoch_offset + self._sample_cursor / n  # one sample is 1/n of an epoch
        self.history.add_point(x, m.train_loss, m.test_loss)
        self.history.add_scores(x, m.train_score, m.test_score)
        from engine.trainer import Snapshot

        extras = prepared.options.extras(session, True) if prepared.options.extras else None
        snap = Snapshot(0, 1, np.empty(0), np.empty(0), m, 0.0, session.values(), extras, True)
        self.last_snapshot = snap
        self.snapshot.emit(snap)
        self.message.emit(f"Trained on sample {i + 1} of {n}: loss {m.train_loss:.4g}")

    def reset(self, same_initial: bool = False) -> None:
        """New random weights (a new seed), or back to the values this history started from."""
        self.stop()
        doc = self.controller.doc
        if same_initial and self.start_job is not None:
            weights, biases = self._by_id(self.start_job, build.initial_values(self.start_job))
            text = "Reset to the initial weights"
        else:
            weights = {cid: None for cid in doc.connections}
            biases = {nid: None for nid, n in doc.neurons.items() if is_unit(n)}
            text = "Reset weights"
        cmds: list[Command] = [ApplyTrainedValues(doc, weights, biases, 0)]
        if not same_initial:
            new_training = dataclasses.replace(doc.training, seed=doc.training.seed + 1)
            cmds.append(SetSection(doc, "training", new_training))
        self._committing = True
        try:
            self.controller.push(CompositeCommand(text, cmds))
        finally:
            self._committing = False
        if not same_initial:
            self.start_job = None
        self.states.clear()  # new weights: a fresh start of the random stream and the optimizer
        self.history.clear()
        self._sample_cursor = 0
        self.epoch_offset = 0
        self.last_snapshot = None
        self.history_reset.emit()
        self.message.emit(text)

    # -- plumbing -------------------------------------------------------------------------------------
    def _prepare_job(self) -> build.TrainingJob | None:
        """The document checked and made into a job (compiled once, no learner), or None after
        saying why it cannot train."""
        try:
            job = build.training_job(self.controller.doc, self.speed)
        except (EngineError, DocumentError) as exc:
            self.problem.emit("Cannot train yet", str(exc))
            return None
        start = job.compiled.spec.values()
        if start is not None and start in self.states:
            job = dataclasses.replace(job, resume=self.states[start])
        if self.start_job is None:
            self.start_job = job  # its initial values are built only if Reset asks for them
        self.job = job
        self.run_snapshot = None  # this run's newest snapshot: what gets committed at its end
        self.run_started.emit(job)
        return job

    def _prepare(self) -> build.PreparedTraining | None:
        """A run built here, for the steps trained in the GUI's own thread."""
        job = self._prepare_job()
        return None if job is None else build.build_run(job)

    def _on_snapshot(self, snap: Snapshot) -> None:
        self.history.add_losses(self.epoch_offset + snap.first_epoch, snap.train_losses, snap.test_losses)
        if snap.metrics is not None:
            self.history.add_scores(
                self.epoch_offset + snap.epoch, snap.metrics.train_score, snap.metrics.test_score
            )
        self.last_snapshot = self.run_snapshot = snap
        if snap.state is not None:  # a RunState: where an MLP run is, to continue from
            self._keep_state(snap.state)
        self.snapshot.emit(snap)
        if snap.reason == "diverged" and not snap.finished:
            self._paused_by_divergence(snap)

    def _keep_state(self, state: RunState | None) -> None:
        """Remember where a run stopped (the newest few: Undo and Play may go back to one)."""
        if state is None:
            return
        self.states.pop(state.values, None)
        self.states[state.values] = state
        while len(self.states) > MAX_STATES:
            del self.states[next(iter(self.states))]

    def _paused_by_divergence(self, snap: Snapshot) -> None:
        """The worker paused itself at the last finite weights: show it, and say what to do."""
        if not self.runner.paused:
            self.runner.pause()  # the process runner's flag follows; the worker is paused already
        self.state_changed.emit("paused")
        self.problem.emit(
            "Training diverged",
            f"{snap.message[0].upper()}{snap.message[1:]}\n\nThe run is paused at those weights: "
            "lower the learning rate and press Play to go on, or Stop to keep them.")

    def _on_finished(self, result: RunResult, verdict: bool = True) -> None:
        job = self.job
        self.last_result = result
        if job is not None and not self._committing and result.epochs > 0:
            self._commit(job, result.epochs)
        elif job is not None and result.reason == "diverged" and not self._committing:
            self._commit(job, 0)
        self.epoch_offset += result.epochs
        if result.epochs:
            self._sample_cursor = 0  # the next Step one Sample starts the next epoch
        self.state_changed.emit("idle")
        if verdict and job is not None and job.kind == "perceptron" and result.reason in VERDICTS:
            text = VERDICTS[result.reason].format(message=result.message, epochs=self.epoch_offset)
            self.verdict.emit(text[0].upper() + text[1:])
            return  # shown on the plot and in the status line, not as a fading message too
        if result.reason == "diverged":
            self.problem.emit("Training diverged", result.message)
        elif result.reason == "crashed":
            kept = f"The weights of epoch {self.epoch_offset:,} were kept (Undo removes them)." \
                if result.epochs else "No epoch had finished, so the weights are as before."
            self.problem.emit("Training stopped", f"{result.message[0].upper()}{result.message[1:]}.\n\n"
                              f"{kept} Press Play to start again.")
        elif result.message:
            self.message.emit(result.message)
        else:
            n = self.epoch_offset
            why = STOP_WORDS.get(result.reason, result.reason.replace("_", " "))
            self.message.emit(f"Stopped after {n:,} epoch{'s' if n != 1 else ''}: {why}")

    def _commit(
        self,
        source: build.TrainingJob | build.PreparedTraining,
        epochs: int,
        text: str | None = None,
        values: TrainedValues | None = None,
    ) -> None:
        """The run's weights into the document: one undo step, and no stop-the-run hook."""
        if values is None:
            if self.run_snapshot is None:
                return  # the run ended without a single snapshot (a crashed process): nothing to keep
            values = self.run_snapshot.values
        from playground.document.compile import apply_trained_values

        cmd = apply_trained_values(self.controller.doc, source.compiled, values, epochs)
        if text:
            cmd.text = text
        self._committing = True
        try:
            self.controller.push(cmd)
        finally:
            self._committing = False

    def live_values(self) -> tuple[dict[str, float], dict[str, float]] | None:
        """The newest snapshot's weights and biases by document id (the canvas overlay)."""
        if self.last_snapshot is None or self.job is None:
            return None
        return self._by_id(self.job, self.last_snapshot.values)

    @staticmethod
    def _by_id(job: build.TrainingJob, values: TrainedValues) -> tuple[dict[str, float], dict[str, float]]:
        """A run's values as (weights by connection id, biases by neuron id)."""
        compiled = job.compiled
        weights = dict(zip(compiled.edge_ids, values.weights, strict=True))
        biases = {nid: b for nid, b in zip(compiled.node_ids, values.biases, strict=True) if b is not None}
        return weights, biases
