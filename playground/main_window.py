"""The main window: canvas in the middle, docks around it, menus and shortcuts for every edit.

Questions to the user (save changes? which file? convert for this mode?) go through small
``ask_*`` methods so tests can answer them without a modal dialog.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from engine.errors import EngineError
from engine.export import write_export
from playground.canvas.scene import NetworkScene
from playground.canvas.view import NetworkView
from playground.controller import Controller
from playground.dialogs.examples import ExampleGallery
from playground.dialogs.layer_builder import LayerBuilderDialog
from playground.document import build
from playground.document.edits import mode_conversion, mode_problems
from playground.document.errors import DocumentError, FileFormatError
from playground.document.examples import example_path
from playground.document.model import Document
from playground.document.validation import errors as validation_errors
from playground.hopfield.lab import HopfieldLab
from playground.panels.dataset import DatasetPanel
from playground.panels.inspector import Inspector
from playground.panels.palette import Palette
from playground.panels.training import TrainingPanel
from playground.plots.loss import LossPlot
from playground.plots.output import OutputPlot
from playground.plots.thumbnails import grid_image
from playground.training.controller import TrainingController

APP_NAME = "Neural Network Playground"
FRAGMENT_MIME = "application/x-nn-playground-fragment"
MODES = {"perceptron": "Perceptron", "mlp": "MLP", "hopfield": "Hopfield"}
MAX_RECENT = 8
CANVAS_INTERVAL = 0.1  # seconds between live canvas redraws during training
THUMB_INTERVAL = 0.25  # seconds between per-neuron thumbnail refreshes
PROJECT_FILTER = "Playground projects (*.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, runner: str = "process") -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.controller = Controller()
        self.controller.setParent(self)  # dies with the window, and its signals with it
        self.scene = NetworkScene(self.controller)
        self.scene.setParent(self)
        self.view = NetworkView(self.scene)
        self.hopfield_lab = HopfieldLab(self.controller)
        self.centre = QStackedWidget()
        self.centre.addWidget(self.view)
        self.centre.addWidget(self.hopfield_lab)
        self.setCentralWidget(self.centre)
        self.palette = Palette()
        self.palette.itemDoubleClicked.connect(
            lambda item: self.add_at_centre(self.palette.role_of(self.palette.row(item)))
        )
        self.training = TrainingController(self.controller, self, runner)
        self.inspector = Inspector(self.controller, self.scene)
        self.training_panel = TrainingPanel(self.controller, self.training)
        self.loss_plot = LossPlot(self.training.history)
        self.output_plot = OutputPlot(self.training.history)
        self.dataset_panel = DatasetPanel(self.controller)
        self.dataset_panel.setMaximumWidth(380)
        self.inspector.setMaximumWidth(320)
        self.palette.setMaximumWidth(320)
        self.docks = {
            "palette": self._dock("Neurons", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea),
            "inspector": self._dock("Inspector", self.inspector, Qt.DockWidgetArea.LeftDockWidgetArea),
            "dataset": self._dock("Data", self.dataset_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            "training": self._dock("Training", self.training_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            "loss": self._dock("Loss", self.loss_plot, Qt.DockWidgetArea.BottomDockWidgetArea),
            "output": self._dock("Output", self.output_plot, Qt.DockWidgetArea.BottomDockWidgetArea),
        }
        self.tabifyDockWidget(self.docks["dataset"], self.docks["training"])
        self.docks["dataset"].raise_()
        self.problems_label = QLabel()
        self.train_label = QLabel()
        self.statusBar().addPermanentWidget(self.train_label)
        self.statusBar().addPermanentWidget(self.problems_label)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.controller.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.controller.history_changed.connect(self.refresh_chrome)
        self.controller.document_reset.connect(self.refresh_chrome)
        self.scene.context_actions_requested.connect(self.fill_context_menu)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.neuron_hovered.connect(self._neuron_hovered)
        self.view.space_tapped.connect(self.training.toggle)
        t = self.training
        t.snapshot.connect(self._on_snapshot)
        t.run_started.connect(self._on_run_started)
        t.history_reset.connect(self._on_history_reset)
        t.state_changed.connect(self._on_train_state)
        t.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        t.problem.connect(self.show_error)
        self._canvas_shown = self._thumbs_shown = 0.0
        self.resize(1280, 800)
        self.resizeDocks(
            [self.docks["palette"], self.docks["dataset"]], [240, 330], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["palette"], self.docks["inspector"]], [180, 400], Qt.Orientation.Vertical
        )
        self._restore_settings()
        self.refresh_chrome()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- actions --------------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.act_new = self._action("&New", self.new_document, K.New)
        self.act_open = self._action("&Open…", self.open_dialog, K.Open)
        self.act_example = self._action("Open &Example…", self.example_dialog, "Ctrl+E")
        self.act_save = self._action("&Save", self.save, K.Save)
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs)
        self.act_export = self._action("&Export Weights…", self.export_weights, "Ctrl+Shift+E",
                                       "Write the current weights as .npz or layered .json")
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_undo = self._action("&Undo", self.controller.undo, K.Undo)
        self.act_redo = self._action("&Redo", self.controller.redo, "Ctrl+Shift+Z")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_cut = self._action("Cu&t", self.cut, K.Cut)
        self.act_copy = self._action("&Copy", self.copy, K.Copy)
        self.act_paste = self._action("&Paste", self.paste, K.Paste)
        self.act_duplicate = self._action("D&uplicate", self.duplicate, "Ctrl+D")
        self.act_delete = self._action("&Delete", self.delete_selection, QKeySequence(Qt.Key.Key_Delete))
        self.act_delete.setShortcuts([QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)])
        self.act_select_all = self._action("Select &All", self.select_all, K.SelectAll)
        self.act_zoom_in = self._action("Zoom &In", lambda: self.view.zoom_by(1.25), K.ZoomIn)
        self.act_zoom_out = self._action("Zoom &Out", lambda: self.view.zoom_by(0.8), K.ZoomOut)
        self.act_fit = self._action("&Fit to View", self.view.fit_all, "Ctrl+0")
        self.act_layers = self._action(
            "&Layer Builder…",
            self.layer_builder,
            "Ctrl+L",
            "Build a fully connected net from a shape like 2-4-1",
        )
        self.act_layout = self._action(
            "&Auto-Layout", self.controller.auto_layout, "Ctrl+Shift+L", "Arrange neurons in columns by depth"
        )
        self.act_match = self._action("Create &Matching Inputs/Outputs", self.controller.create_matching_io)
        self.act_validate = self._action("&Check Network", self.show_problems, "F7")
        self.act_about = self._action("&About", self.about)
        t = self.training
        self.act_play = self._action("&Play", t.toggle, None, "Train until a stop rule (Space pauses)")
        self.act_step = self._action("Step one &Epoch", t.step_epoch, "Ctrl+Right")
        self.act_step_sample = self._action("Step one &Sample", t.step_sample, "Ctrl+Shift+Right")
        self.act_stop = self._action("S&top", t.stop, "Ctrl+.")
        self.act_reset = self._action("&Reset (New Random Weights)", lambda: t.reset(False), "Ctrl+R")
        self.act_reset_same = self._action("Reset to the Same &Initial Weights", lambda: t.reset(True),
                                           "Ctrl+Shift+R", "Replays the last run exactly")
        self.mode_actions: dict[str, QAction] = {}
        for key, title in MODES.items():
            action = QAction(title, self, checkable=True)
            action.triggered.connect(lambda checked=False, m=key: self.choose_mode(m))
            self.mode_actions[key] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open, self.act_example])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addActions([self.act_undo, self.act_redo])
        self.history_menu = self.edit_menu.addMenu("&History")
        self.edit_menu.addSeparator()
        self.edit_menu.addActions(
            [self.act_cut, self.act_copy, self.act_paste, self.act_duplicate, self.act_delete]
        )
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.act_select_all)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        net_menu = bar.addMenu("&Network")
        mode_menu = net_menu.addMenu("&Mode")
        mode_menu.addActions(list(self.mode_actions.values()))
        net_menu.addActions([self.act_layers, self.act_layout, self.act_match, self.act_validate])
        train_menu = bar.addMenu("&Train")
        train_menu.addActions([self.act_play, self.act_step, self.act_step_sample, self.act_stop])
        train_menu.addSeparator()
        train_menu.addActions([self.act_reset, self.act_reset_same])
        bar.addMenu("&Help").addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tools = self.addToolBar("Main")
        tools.setObjectName("toolbar-main")
        tools.addActions([self.act_new, self.act_open, self.act_save])
        tools.addSeparator()
        tools.addActions([self.act_undo, self.act_redo])
        tools.addSeparator()
        tools.addWidget(QLabel(" Mode: "))
        self.mode_combo = QComboBox()
        for key, title in MODES.items():
            self.mode_combo.addItem(title, key)
        self.mode_combo.activated.connect(lambda _: self.choose_mode(self.mode_combo.currentData()))
        tools.addWidget(self.mode_combo)
        tools.addSeparator()
        tools.addActions([self.act_layers, self.act_layout, self.act_fit])
        train_tools = self.addToolBar("Training")
        train_tools.setObjectName("toolbar-training")
        train_tools.addActions([self.act_play, self.act_step, self.act_stop, self.act_reset])

    # -- keeping the chrome in step ---------------------------------------------------------------------
    def refresh_chrome(self) -> None:
        c = self.controller
        self.setWindowTitle(f"{c.display_name}[*] — {APP_NAME}")
        self.setWindowModified(c.modified)
        self.act_undo.setEnabled(c.stack.can_undo)
        self.act_redo.setEnabled(c.stack.can_redo)
        self.act_undo.setText(f"&Undo {c.stack.undo_text}".rstrip())
        self.act_redo.setText(f"&Redo {c.stack.redo_text}".rstrip())
        self.history_menu.clear()
        for k, text in enumerate(c.stack.entries):
            action = self.history_menu.addAction(("✓ " if k < c.stack.index else "   ") + text)
            action.setEnabled(False)
        self.history_menu.setEnabled(bool(c.stack.entries))
        mode = c.doc.mode
        for key, action in self.mode_actions.items():
            action.setChecked(key == mode)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))
        self._show_hopfield_note()
        lab = c.doc.mode == "hopfield" and c.doc.hopfield is not None and not c.doc.neurons
        if lab != (self.centre.currentWidget() is self.hopfield_lab):
            # the MLP docks mean nothing to a Hopfield memory: out of the way while the lab is open
            for name in ("palette", "inspector", "dataset", "training", "loss", "output"):
                self.docks[name].setVisible(not lab)
        self.centre.setCurrentWidget(self.hopfield_lab if lab else self.view)
        problems = validation_errors(c.doc)
        self.problems_label.setText(f"⚠ {len(problems)} problem(s)" if problems else "✓ valid")
        self.problems_label.setToolTip("\n".join(p.message for p in problems) or "The network is valid.")
        self._selection_changed()

    def _show_hopfield_note(self) -> None:
        """Hopfield projects keep their units as a grid: say what is stored and what works today."""
        doc = self.controller.doc
        h = doc.hopfield
        note = self.view.note
        if doc.mode != "hopfield" or h is None or not doc.neurons:
            note.hide()
            return
        rows, cols = h.shape
        names = ", ".join(h.pattern_names) or "none yet"
        note.setText(f"<b>Hopfield mode</b> with drawn units: each wire is one symmetric link. The "
                     f"project also holds a {rows}×{cols} memory with {len(h.patterns)} pattern(s) "
                     f"({names}); delete the drawn neurons to open the grid lab.")
        note.setMaximumWidth(max(200, min(520, self.view.viewport().width() - 24)))
        note.adjustSize()
        note.move(12, 12)
        note.show()

    def _selection_changed(self) -> None:
        neurons, wires = self.scene.selected_ids()
        for action in (self.act_cut, self.act_copy, self.act_duplicate):
            action.setEnabled(bool(neurons))
        self.act_delete.setEnabled(bool(neurons or wires))

    # -- training views ---------------------------------------------------------------------------------
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

    # -- editing ------------------------------------------------------------------------------------------
    def add_at_centre(self, role: str) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        self.controller.add_neuron(role, (centre.x(), centre.y()))

    def delete_selection(self) -> None:
        neurons, wires = self.scene.selected_ids()
        self.controller.delete(neurons, wires)

    def select_all(self) -> None:
        for item in self.scene.items():
            if item.flags() & item.GraphicsItemFlag.ItemIsSelectable:
                item.setSelected(True)

    def copy(self) -> None:
        neurons, _ = self.scene.selected_ids()
        if not neurons:
            return
        mime = QMimeData()
        text = json.dumps(self.controller.fragment(neurons))
        mime.setData(FRAGMENT_MIME, QByteArray(text.encode("utf-8")))
        QGuiApplication.clipboard().setMimeData(mime)
        self.statusBar().showMessage(f"Copied {len(neurons)} neuron(s)", 4000)

    def cut(self) -> None:
        self.copy()
        neurons, _ = self.scene.selected_ids()
        self.controller.delete(neurons, [])

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        fragment = None
        if mime is not None and mime.hasFormat(FRAGMENT_MIME):
            try:
                fragment = json.loads(bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                fragment = None
        self.controller.paste(fragment)

    def duplicate(self) -> None:
        neurons, _ = self.scene.selected_ids()
        if neurons:
            self.controller.paste(self.controller.fragment(neurons))

    def layer_builder(self) -> None:
        dialog = LayerBuilderDialog(self, self.controller.doc.mode)
        if dialog.exec():
            self.build_layers(*dialog.values())

    def build_layers(self, shape: str, activation: str, output_activation: str, replace: bool) -> None:
        try:
            self.controller.build_layers(shape, activation, output_activation, replace)
        except EngineError as exc:
            QMessageBox.warning(self, "Layer builder", str(exc))
            return
        self.view.fit_all()

    def fit_soon(self) -> None:
        """Fit once the window has its final size (right after show, the view is still tiny)."""
        self.view.fit_all()
        QTimer.singleShot(0, self.view.fit_all)

    # -- modes ------------------------------------------------------------------------------------------
    def choose_mode(self, mode: str) -> None:
        """Switch mode, explaining what does not fit and offering the conversion it can do."""
        doc = self.controller.doc
        if mode == doc.mode:
            return
        problems = mode_problems(doc, mode)
        if not problems:
            self.controller.set_mode(mode, convert=False)
            self.statusBar().showMessage(f"{MODES[mode]} mode", 4000)
            return
        answer = self.ask_mode_switch(mode, problems, bool(mode_conversion(doc, mode)))
        if answer == "cancel":
            self.refresh_chrome()
            return
        self.controller.set_mode(mode, convert=answer == "convert")
        left = mode_problems(self.controller.doc, mode)
        self.statusBar().showMessage(
            f"{MODES[mode]} mode. Still to change: {'; '.join(left)}" if left else f"{MODES[mode]} mode",
            10000,
        )

    def ask_mode_switch(self, mode: str, problems: list[str], can_convert: bool) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(f"Switch to {MODES[mode]} mode")
        box.setText(f"The network does not fit {MODES[mode]} mode yet:")
        box.setInformativeText(
            "\n".join(f"• {p}" for p in problems)
            + "\n\nNothing is deleted: you can switch and fix it by hand."
        )
        convert = (
            box.addButton("Convert activations", QMessageBox.ButtonRole.AcceptRole) if can_convert else None
        )
        switch = box.addButton("Switch anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "convert" if clicked is convert and convert else "switch" if clicked is switch else "cancel"

    def show_problems(self) -> None:
        problems = validation_errors(self.controller.doc)
        text = "\n".join(f"• {p.message}" for p in problems) or "The network is valid."
        QMessageBox.information(self, "Check network", text)

    # -- context menus --------------------------------------------------------------------------------
    def fill_context_menu(self, menu: QMenu, pos: QPointF) -> None:
        neurons, wires = self.scene.selected_ids()
        item = self.scene.itemAt(pos, self.view.transform())
        if item is not None and (neurons or wires):
            if len(wires) == 1 and not neurons:
                menu.addAction("Reset weight to random", lambda: self.controller.set_weight(wires[0], None))
            if len(neurons) == 1 and not wires:
                nid = neurons[0]
                roles = menu.addMenu("Role")
                for role in ("input", "hidden", "output", "bias"):
                    roles.addAction(role, lambda r=role: self.controller.set_neuron(nid, role=r))
                acts = menu.addMenu("Activation")
                from engine.activations import ACTIVATIONS

                for name in ACTIVATIONS:
                    acts.addAction(name, lambda a=name: self.controller.set_neuron(nid, activation=a))
            menu.addActions([self.act_cut, self.act_copy, self.act_duplicate, self.act_delete])
            return
        for role in ("input", "hidden", "output", "bias"):
            menu.addAction(
                f"Add {role} neuron here", lambda r=role: self.controller.add_neuron(r, (pos.x(), pos.y()))
            )
        menu.addSeparator()
        menu.addActions([self.act_paste, self.act_select_all, self.act_layout, self.act_fit])

    # -- files ----------------------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or unchanged)."""
        if not self.controller.modified:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def ask_save_changes(self) -> str:
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {self.controller.display_name}?",
            buttons,
            QMessageBox.StandardButton.Save,
        )
        return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
            answer, "cancel"
        )

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Open project", self._last_dir(), PROJECT_FILTER)
        return Path(name) if name else None

    def ask_save_path(self) -> Path | None:
        start = str(self.controller.path or Path(self._last_dir()) / "network.json")
        name, _ = QFileDialog.getSaveFileName(self, "Save project", start, PROJECT_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".json")

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def ask_export_path(self) -> Path | None:
        start = str(Path(self._last_dir()) / "weights.npz")
        name, _ = QFileDialog.getSaveFileName(self, "Export weights", start,
                                              "NumPy archive (*.npz);;Layered JSON (*.json)")
        return Path(name) if name else None

    def export_weights(self) -> bool:
        """Weights as they are now (a running training commits first), in the documented format."""
        self.training.stop()
        path = self.ask_export_path()
        if path is None:
            return False
        try:
            write_export(build.export_document(self.controller.doc), path)
        except (EngineError, DocumentError) as exc:
            self.show_error("Cannot export", str(exc))
            return False
        self.statusBar().showMessage(f"Exported weights to {path}", 5000)
        return True

    def new_document(self) -> None:
        if self.maybe_save():
            self.controller.reset(Document(title="Untitled"), None)
            self.view.fit_all()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path is not None:
            self.open_path(path)

    def example_dialog(self) -> None:
        if not self.maybe_save():
            return
        gallery = ExampleGallery(self)
        if gallery.exec() and gallery.chosen():
            self.open_example(gallery.chosen())

    def open_path(self, path: Path) -> bool:
        """Open a project; on any problem show the messages and keep the current document."""
        try:
            self.controller.open(path)
        except (FileFormatError, DocumentError) as exc:
            problems = getattr(exc, "errors", None) or [str(exc)]
            self.show_error(
                "Cannot open project",
                f"{path.name} could not be opened:\n\n" + "\n".join(f"• {p}" for p in problems[:20]),
            )
            return False
        self._remember(path)
        self.fit_soon()
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def open_example(self, name: str) -> bool:
        path = example_path(name)
        if path is None:
            self.show_error("Cannot open example", f"There is no example called '{name}'.")
            return False
        self.controller.open(path, example=name)
        self.fit_soon()
        self.statusBar().showMessage(f"Example: {self.controller.doc.title}", 5000)
        return True

    def open_source(self, source: str) -> bool:
        """A command-line argument: a project file, else an example name."""
        if Path(source).exists() or source.endswith(".json"):
            return self.open_path(Path(source))
        return self.open_example(source)

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(self.controller.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self._save_to(path) if path is not None else False

    def _save_to(self, path: Path) -> bool:
        try:
            self.controller.save(path)
        except (FileFormatError, OSError) as exc:
            text = "\n".join(getattr(exc, "errors", [])) or str(exc)
            self.show_error("Cannot save", f"{path} was not written:\n\n{text}")
            return False
        self._remember(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # -- settings -------------------------------------------------------------------------------------------
    def _last_dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v]

    def _remember(self, path: Path) -> None:
        path = path.resolve()
        recent = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self.settings.setValue("last_dir", str(path.parent))
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for name in self.recent_files():
            self.recent_menu.addAction(Path(name).name, lambda n=name: self._open_recent(Path(n))).setToolTip(
                name
            )
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def _open_recent(self, path: Path) -> None:
        if self.maybe_save():
            self.open_path(path)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)
        self._fill_recent_menu()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.training.stop()  # join the worker first; its weights become an undo step
        if not self.maybe_save():
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        event.accept()

    def app_exec(self) -> int:
        return QApplication.instance().exec()

    def about(self) -> None:
        QMessageBox.about(
            self,
            APP_NAME,
            f"<b>{APP_NAME}</b><br>Draw a network, press play, watch it learn."
            "<br>Perceptron, MLP and Hopfield modes on a numpy engine.",
        )


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    if not app.property("nn_playground_ready"):
        # Mime data we left on the clipboard must go before Qt tears down, or exit can crash.
        app.aboutToQuit.connect(lambda: QGuiApplication.clipboard().clear())
        app.setProperty("nn_playground_ready", True)
    app.setOrganizationName("nn-playground")
    app.setApplicationName(APP_NAME)
    return app
