"""The main window's training views: snapshots become plots, a live canvas and a status line.

An object the window composes, given exactly the widgets it drives."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from engine.errors import EngineError
from playground.canvas.scene import NetworkScene
from playground.controller import Controller
from playground.document import build
from playground.document.build import TrainingJob
from playground.document.errors import DocumentError
from playground.document.roles import is_unit
from playground.plots.loss import LossPlot
from playground.plots.output import OutputPlot
from playground.plots.thumbnails import grid_image
from playground.training.controller import TrainingController
from playground.training.extras import PlotExtras, job_extras

if TYPE_CHECKING:
    pass

CANVAS_INTERVAL = 0.1  # seconds between live canvas redraws during training
OUTPUT_DELAY_MS = 8  # the output plot repaints this long after the loss plot
CANVAS_DELAY_MS = 18  # and the canvas after that: three short frames instead of one long one
PREVIEW_DELAY_MS = 120  # the untrained boundary follows edits this long after the last one


class TrainingViews(QObject):
    """Keeps the plots, the canvas, the status line and the Play/Stop actions following a run.

    One frame's work is spread over three turns of the event loop, a few ms apart (loss and
    status now, the output plot next, the canvas last): each repaint then happens on its own, so
    input and timers wait for one short paint, never for all three in a row."""

    def __init__(self, training: TrainingController, controller: Controller, scene: NetworkScene,
                 loss_plot: LossPlot, output_plot: OutputPlot, train_label: QLabel,
                 act_play: QAction, act_stop: QAction, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.training, self.controller, self.scene = training, controller, scene
        self.loss_plot, self.output_plot, self.train_label = loss_plot, output_plot, train_label
        self.act_play, self.act_stop = act_play, act_stop
        self._canvas_shown = 0.0
        self._fresh_neuron_grids = None  # per-neuron maps that arrived since the canvas showed some
        self.node_ids: tuple[str, ...] = ()
        self.node_activations: list[str] = []
        self.mapped_inputs: set[str] = set()
        self.neuron_grids: dict = {}
        self._latest_snap = None
        self._problem_key: tuple | None = None  # what the output plot is set up for
        training.snapshot.connect(self._on_snapshot)
        training.run_started.connect(self._on_run_started)
        training.history_reset.connect(self._on_history_reset)
        training.state_changed.connect(self._on_train_state)
        training.verdict.connect(self._show_verdict)
        scene.neuron_hovered.connect(self.neuron_hovered)
        self._output_due = self._stage_timer(OUTPUT_DELAY_MS, self._show_output)
        self._canvas_due = self._stage_timer(CANVAS_DELAY_MS, self._show_canvas)
        self._preview_due = self._stage_timer(PREVIEW_DELAY_MS, self.preview)
        controller.history_changed.connect(self._schedule_preview)  # an edit, an open, an undo
        self._schedule_preview()

    def _on_run_started(self, job: TrainingJob) -> None:
        self.output_plot.show_verdict(None)
        self._set_problem(job)

    def _set_problem(self, job: TrainingJob) -> None:
        """The output plot set up for this job's data; kept as it is when only weights changed
        (setting it up again clears the boundary, which then flickers)."""
        outputs = [n for n in job.compiled.spec.nodes if n.is_output]
        activation = outputs[0].activation if outputs else "sigmoid"
        d = job.data
        key = (job.kind, activation, d.task, d.x_range, d.y_range, d.X_train.shape, d.X_test.shape,
               hash(d.X_train.tobytes()), hash(d.Y_train.tobytes()), hash(d.X_test.tobytes()))
        if key != self._problem_key:
            self._problem_key = key
            self.output_plot.set_job(job)
        self.node_ids = job.compiled.node_ids
        self.node_activations = [n.activation for n in job.compiled.spec.nodes]
        # with feature inputs (x₁², …) every input gets its map too, as in TensorFlow Playground
        self.mapped_inputs = {nid for nid, n in zip(job.compiled.node_ids, job.compiled.spec.nodes,
                                                    strict=True)
                              if n.kind == "input" and job.prep.features}

    def _schedule_preview(self) -> None:
        if self.training.state == "idle":
            self._preview_due.start()

    def preview(self) -> None:
        """The current weights' boundary (or curve, or confusion) with no run going: from the
        moment the network can be evaluated, before the first epoch and after every edit. Values
        still to be drawn are drawn from the seed, as the first epoch will start from them."""
        self._preview_due.stop()
        if self.training.state != "idle":
            return
        try:
            job = build.training_job(self.controller.doc)
            prepared = build.build_run(job)
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                extras = job_extras(job)(prepared.session, True)
        except (EngineError, DocumentError):
            self._problem_key = None
            self.output_plot.boundary.clear_grid()  # no network to evaluate: no stale boundary
            return
        from engine.trainer import Snapshot

        self._set_problem(job)
        session = prepared.session
        snap = Snapshot(0, 1, np.empty(0), np.empty(0), None, 0.0, session.values(), extras, True)
        self.output_plot.update_from(snap)
        if extras.neurons is not None:  # hovering a neuron shows its map before training too
            self.neuron_grids = {nid: extras.neurons[k] for k, nid in enumerate(self.node_ids)}

    def _stage_timer(self, delay_ms: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay_ms)
        timer.timeout.connect(slot)
        return timer

    def _on_snapshot(self, snap) -> None:
        self._latest_snap = snap
        if snap.finished:
            self._preview_due.stop()  # this frame shows the weights the document now has
        extras: PlotExtras | None = snap.extras
        if extras is not None and extras.neurons is not None:  # made a few times a second, not every frame
            self._fresh_neuron_grids = extras.neurons
        self.loss_plot.refresh()
        self._show_train_status(snap)
        if snap.finished:  # the last frame of a run: everything now, in order
            self.show_now()
            return
        if not self._output_due.isActive():
            self._output_due.start()
        if not self._canvas_due.isActive() and time.monotonic() - self._canvas_shown >= CANVAS_INTERVAL:
            self._canvas_due.start()  # every wire and thumbnail: at a lower rate than the plots

    def show_now(self) -> None:
        """The newest snapshot on every view at once (a recorded GIF frame must match its epoch)."""
        self._drop_pending_frame()
        self._show_output()
        self._show_canvas()

    def _drop_pending_frame(self) -> None:
        """A run that ended or was forgotten must not paint its last live values afterwards."""
        self._output_due.stop()
        self._canvas_due.stop()

    def _show_output(self) -> None:
        if self._latest_snap is not None:
            self.output_plot.update_from(self._latest_snap)

    def _show_canvas(self) -> None:
        """Every wire's live weight, and the per-neuron maps when new ones came."""
        self._canvas_shown = time.monotonic()
        live = self.training.live_values()
        if live is not None:
            self.scene.show_live(*live)
        grids, self._fresh_neuron_grids = self._fresh_neuron_grids, None
        if grids is not None:
            self.neuron_grids = {nid: grids[k] for k, nid in enumerate(self.node_ids)}
            self.scene.show_thumbnails({
                nid: grid_image(grids[k], self.node_activations[k])
                for k, nid in enumerate(self.node_ids)
                if is_unit(self.controller.doc.neurons.get(nid))
                or (nid in self.mapped_inputs and nid in self.controller.doc.neurons)})

    def _show_train_status(self, snap) -> None:
        m = snap.metrics
        parts = [f"epoch {self.training.epoch_offset + snap.epoch:,}"]
        job = self.training.job
        if m is not None and job is not None and job.kind == "perceptron":
            n = len(job.data.X_train)  # the perceptron's loss is its error rate
            parts.append(f"{round(m.train_loss * n)} of {n} training samples misclassified")
        elif m is not None:
            test = "" if m.test_loss is None else f" / test {m.test_loss:.4g}"
            parts.append(f"loss {m.train_loss:.4g}{test}")
            task = job.data.task if job else "binary"
            if m.train_score is not None:
                name = "R²" if task == "regression" else "acc"
                fmt = (lambda v: f"{v:.3f}") if task == "regression" else (lambda v: f"{100 * v:.1f}%")
                test_score = "" if m.test_score is None else f" / {fmt(m.test_score)}"
                parts.append(f"{name} {fmt(m.train_score)}{test_score}")
        parts.append(f"{snap.epochs_per_second:,.0f} epochs/s")
        if snap.finished and snap.reason:
            parts.append(f"stopped: {snap.reason.replace('_', ' ')}")
        elif snap.reason == "diverged":
            parts.append("paused: diverged (lower the learning rate, then Play)")
        self.train_label.setText(" · ".join(parts))

    def _show_verdict(self, text: str) -> None:
        """On the plot and in the status line, where a learner looks: not a fading message."""
        self.output_plot.show_verdict(text)
        self.train_label.setText(text)

    def _on_history_reset(self) -> None:
        self.output_plot.show_verdict(None)
        self._drop_pending_frame()
        self._fresh_neuron_grids = None
        self.loss_plot.refresh()
        self.scene.show_thumbnails({})
        self.neuron_grids = {}
        self.train_label.setText("")

    def _on_train_state(self, state: str) -> None:
        self.act_play.setText("&Pause" if state == "running" else "&Play")
        self.act_stop.setEnabled(state != "idle")
        if state == "idle":
            self._drop_pending_frame()
            self.scene.show_document_values()  # the document again (with the committed weights)

    def neuron_hovered(self, nid: str) -> None:
        self.output_plot.boundary.show_neuron(self.neuron_grids.get(nid) if nid else None)

