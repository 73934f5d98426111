"""The main window's training views: snapshots become plots, a live canvas and a status line."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer

from playground.plots.thumbnails import grid_image

CANVAS_INTERVAL = 0.1  # seconds between live canvas redraws during training
THUMB_INTERVAL = 0.25  # seconds between per-neuron thumbnail refreshes


class TrainingViews:
    """Mixed into MainWindow: it owns the widgets, this keeps them following a run."""

    _canvas_shown = 0.0
    _thumbs_shown = 0.0
    node_ids: tuple[str, ...] = ()
    node_activations: list[str] = []  # noqa: RUF012 - replaced per run, never mutated
    neuron_grids: dict = {}  # noqa: RUF012 - replaced per snapshot, never mutated

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.training.toggle()  # keys not taken by a focused editor reach the window
            return
        super().keyPressEvent(event)

    def _on_run_started(self, prepared) -> None:
        data = prepared.session.data
        outputs = [n for n in prepared.compiled.spec.nodes if n.is_output]
        self.output_plot.set_problem(data, outputs[0].activation if outputs else "sigmoid")
        self.node_ids = prepared.compiled.node_ids
        self.node_activations = [n.activation for n in prepared.compiled.spec.nodes]

    def _on_snapshot(self, snap) -> None:
        self.loss_plot.refresh()
        self.output_plot.update_from(snap)
        self._show_train_status(snap)
        now = time.monotonic()
        if not snap.finished and now - self._canvas_shown < CANVAS_INTERVAL:
            return  # the canvas (every wire and thumbnail) follows at a lower rate than the plots
        self._canvas_shown = now
        # In the next turn of the event loop, so the plots paint first: two short frames, not one long.
        QTimer.singleShot(0, self, lambda: self._show_live_canvas(snap, now))

    def _show_live_canvas(self, snap, now: float) -> None:
        live = self.training.live_values()
        if live is not None:
            self.scene.show_live(*live)
        grids = snap.extras.get("neurons")
        if grids is not None and (snap.finished or now - self._thumbs_shown >= THUMB_INTERVAL):
            self._thumbs_shown = now
            self.neuron_grids = {nid: grids[k] for k, nid in enumerate(self.node_ids)}
            self.scene.show_thumbnails({
                nid: grid_image(grids[k], self.node_activations[k])
                for k, nid in enumerate(self.node_ids)
                if self.controller.doc.neurons.get(nid) is not None
                and self.controller.doc.neurons[nid].role in ("hidden", "output")})

    def _show_train_status(self, snap) -> None:
        m = snap.metrics
        parts = [f"epoch {self.training.epoch_offset + snap.epoch:,}"]
        prepared = self.training.prepared
        if m is not None and prepared is not None and prepared.session.kind == "perceptron":
            n = len(prepared.session.data.X_train)  # the perceptron's loss is its error rate
            parts.append(f"{round(m.train_loss * n)} of {n} training samples misclassified")
        elif m is not None:
            test = "" if m.test_loss is None else f" / test {m.test_loss:.4g}"
            parts.append(f"loss {m.train_loss:.4g}{test}")
            task = prepared.session.task if prepared else "binary"
            if m.train_score is not None:
                name = "R²" if task == "regression" else "acc"
                fmt = (lambda v: f"{v:.3f}") if task == "regression" else (lambda v: f"{100 * v:.1f}%")
                test_score = "" if m.test_score is None else f" / {fmt(m.test_score)}"
                parts.append(f"{name} {fmt(m.train_score)}{test_score}")
        parts.append(f"{snap.epochs_per_second:,.0f} epochs/s")
        if snap.finished and snap.reason:
            parts.append(f"stopped: {snap.reason.replace('_', ' ')}")
        self.train_label.setText(" · ".join(parts))

    def _on_history_reset(self) -> None:
        self.loss_plot.refresh()
        self.scene.show_thumbnails({})
        self.neuron_grids = {}
        self.train_label.setText("")

    def _on_train_state(self, state: str) -> None:
        self.act_play.setText("&Pause" if state == "running" else "&Play")
        self.act_stop.setEnabled(state != "idle")
        if state == "idle":
            self.scene.sync()  # the canvas shows the document again (with the committed weights)

    def _neuron_hovered(self, nid: str) -> None:
        grids = getattr(self, "neuron_grids", {})
        self.output_plot.boundary.show_neuron(grids.get(nid) if nid else None)

