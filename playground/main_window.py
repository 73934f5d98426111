"""The main window: canvas in the middle, docks around it, menus and shortcuts for every edit.

Questions to the user (save changes? which file? convert for this mode?) go through small
``ask_*`` methods so tests can answer them without a modal dialog.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, QPointF, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from engine.errors import EngineError
from playground import window_files
from playground.autosave import Autosave, default_folder
from playground.canvas.scene import NetworkScene
from playground.canvas.view import NetworkView
from playground.controller import Controller
from playground.data_tools import DataTools
from playground.docks import DOCKS, LAYOUT_VERSION, DockSpec, LazyPanel
from playground.document.edits import mode_conversion, mode_problems
from playground.document.journal import Recoverable
from playground.document.model import Document
from playground.document.roles import ROLES
from playground.document.validation import errors as validation_errors
from playground.exporters.registry import EXPORTERS, get_exporter
from playground.glassbox.views import GlassBoxViews
from playground.images.actions import ImageActions
from playground.panels.dataset import DatasetPanel
from playground.panels.inspector import Inspector
from playground.panels.palette import Palette
from playground.panels.training import TrainingPanel
from playground.plots.exporters import remove_broken_exporters
from playground.plots.loss import LossPlot
from playground.plots.output import OutputPlot
from playground.training.controller import TrainingController
from playground.training.hint_watch import HintWatcher
from playground.window_data import DataFiles
from playground.window_document import DocumentChrome
from playground.window_files import APP_NAME, EXPORT_FILTER, ProjectFiles
from playground.window_training import TrainingViews

if TYPE_CHECKING:
    from playground.hopfield.lab import HopfieldLab
    from playground.lessons.guide import LessonGuide
    from playground.lessons.panel import LessonPanel

FRAGMENT_MIME = "application/x-nn-playground-fragment"
MODES = {"perceptron": "Perceptron", "mlp": "MLP", "hopfield": "Hopfield"}


class CurrentPageStack(QStackedWidget):
    """A stack sized by its current page: the hidden Hopfield lab must not widen the MLP window."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None, runner: str = "process",
                 recovery_dir: Path | None = None, document: Document | None = None) -> None:
        """``document``: the one to start from (default: a blank one, as File → New makes)."""
        super().__init__()
        self.settings = settings or QSettings()
        self.controller = Controller(document)
        self.controller.setParent(self)  # dies with the window, and its signals with it
        self.scene = NetworkScene(self.controller)
        self.scene.setParent(self)
        self.view = NetworkView(self.scene)
        self._hopfield_lab = None  # built the first time a Hopfield memory is shown (start-up)
        self.centre = CurrentPageStack()
        self.centre.addWidget(self.view)
        self.setCentralWidget(self.centre)
        self.palette = Palette()
        self.palette.itemDoubleClicked.connect(
            lambda item: self.add_at_centre(self.palette.role_of(self.palette.row(item)))
        )
        self.training = TrainingController(self.controller, self, runner)
        self.inspector = Inspector(self.controller, self.scene)
        # the Training tab sits behind Data: its form is made when the tab is first shown
        self._training_dock_panel = LazyPanel(lambda: TrainingPanel(self.controller, self.training))
        if recovery_dir is None:  # tests give a settings file: keep their journals beside it
            recovery_dir = Path(settings.fileName()).parent / "recovery" if settings else default_folder()
        self.autosave = Autosave(self.controller, self.training, recovery_dir, self)
        self.loss_plot = LossPlot(self.training.history)
        self.output_plot = OutputPlot(self.training.history)
        self.dataset_panel = DatasetPanel(self.controller)
        self.glass = GlassBoxViews(self.controller, self.training, self.scene, self, self.view)
        self.glass.watch_points((self.dataset_panel.train_points, "train"),
                                (self.dataset_panel.test_points, "test"),
                                (self.output_plot.boundary.train_points, "train"),
                                (self.output_plot.boundary.test_points, "test"))
        self.output_plot.curve_made.connect(lambda view: self.glass.watch_points((view.points, "all")))
        self.data_tools = DataTools(self.controller, self.output_plot, self)
        self.dataset_panel.add_tools(self.data_tools.controls)
        self._lesson_dock_panel = LazyPanel(self._make_lesson_panel)  # closed until a lesson opens
        panels = {"palette": self.palette, "lesson": self._lesson_dock_panel, "inspector": self.inspector,
                  "dataset": self.dataset_panel,
                  "training": self._training_dock_panel, "loss": self.loss_plot, "output": self.output_plot,
                  "glassbox": self.glass.panel, "table": self.data_tools.table_panel}
        for corner, area in ((Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea),
                             (Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)):
            self.setCorner(corner, area)  # side columns full height: the bottom is the canvas's
        self.docks = {spec.key: self._dock(spec, panels[spec.key]) for spec in DOCKS}
        for spec in DOCKS:  # splits before tabs: a dock split from a tabbed one joins its tabs
            if spec.below:
                self.splitDockWidget(self.docks[spec.below], self.docks[spec.key], Qt.Orientation.Vertical)
        for spec in DOCKS:
            if spec.tab_with:
                self.tabifyDockWidget(self.docks[spec.tab_with], self.docks[spec.key])
                self.docks[spec.tab_with].raise_()
        for spec in DOCKS:
            if spec.closed:
                self.docks[spec.key].hide()
        self.problems_label = QLabel()
        self.train_label = QLabel()
        self.statusBar().addPermanentWidget(self.train_label)
        self.statusBar().addPermanentWidget(self.problems_label)
        self.data_files = DataFiles(self, self.controller)  # Import/Export Data…, .csv dropped here
        self._build_actions()
        self.images = ImageActions(self)
        self._build_menus()
        self._build_toolbar()
        self.glass.install(self.train_menu)
        self.controller.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.controller.history_changed.connect(self.refresh_chrome)
        self.controller.document_reset.connect(self.refresh_chrome)
        self.scene.context_actions_requested.connect(self.fill_context_menu)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view.space_tapped.connect(self.training.toggle)
        self.training_views = TrainingViews(self.training, self.controller, self.scene, self.loss_plot,
                                            self.output_plot, self.train_label, self.act_play,
                                            self.act_stop, self)
        self.hint_watcher = HintWatcher(self.training, self.controller, self.loss_plot.hint_bar, self)
        t = self.training
        t.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        t.problem.connect(self.show_error)
        self.resize(1280, 800)
        self.resizeDocks(
            [self.docks["palette"], self.docks["dataset"]], [240, 380], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.docks["palette"], self.docks["inspector"]], [180, 400], Qt.Orientation.Vertical
        )
        self.resizeDocks(  # the boundary near square under the Data tabs; the loss under the canvas
            [self.docks["dataset"], self.docks["output"], self.docks["loss"]], [380, 330, 220],
            Qt.Orientation.Vertical,
        )
        self.files = ProjectFiles(self, self.controller, self.settings, self.training, self.autosave,
                                  self.view, self.recent_menu)
        self.files.restore_settings()
        self.docks["lesson"].hide()  # a state saved mid-lesson shows it; no lesson is open yet
        self.chrome = DocumentChrome(self.controller, self.view, lambda: self.hopfield_lab, self.centre,
                                     self.mode_actions, self.mode_combo, self.problems_label,
                                     self.docks, DOCKS,
                                     [self.act_play, self.act_step, self.act_step_sample, self.act_reset,
                                      self.act_reset_same, self.act_layers, self.act_match], self)
        self._lessons: LessonGuide | None = None
        self.refresh_chrome()
        self._selection_changed()

    # -- the File menu's commands: the window's public surface; ProjectFiles does the work ----------
    def new_document(self) -> None:
        self.files.new_document()

    def open_dialog(self) -> None:
        self.files.open_dialog()

    def example_dialog(self) -> None:
        self.files.example_dialog()

    def open_path(self, path: Path) -> bool:
        return self.files.open_path(path)

    def open_example(self, name: str) -> bool:
        return self.files.open_example(name)

    def open_source(self, source: str) -> bool:
        return self.files.open_source(source)

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def export_weights(self, name: str | None = None) -> bool:
        return self.files.export_weights(name)

    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def recent_files(self) -> list[str]:
        return self.files.recent_files()

    def offer_recovery(self) -> bool:
        return self.files.offer_recovery()

    # -- questions to the user: the seams tests answer through -------------------------------------
    def ask_save_changes(self) -> str:
        return window_files.ask_save_changes(self, self.controller.display_name)

    def ask_open_path(self) -> Path | None:
        return window_files.ask_open_path(self, self.files.last_dir())

    def ask_save_path(self) -> Path | None:
        return window_files.ask_save_path(self, self.files.save_path_start())

    def ask_export_path(self, name: str | None = None) -> Path | None:
        """Where to export; ``name`` preselects that format's filter (None: every format offered)."""
        exporter = get_exporter(name or "onnx")
        return window_files.ask_save_path(self, str(self.files.export_path_start(exporter)), "Export model",
                                          exporter.file_filter if name else EXPORT_FILTER)

    def ask_restore(self, rec: Recoverable) -> str:
        return window_files.ask_restore(self, rec)

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def _dock(self, spec: DockSpec, panel: QWidget) -> QDockWidget:
        widget = panel
        dock = QDockWidget(spec.title, self)
        dock.setObjectName(f"dock-{spec.title.lower()}")  # saved window states name docks by it
        if spec.scroll:  # a tall form scrolls in a short window instead of growing it
            area = QScrollArea()
            area.setWidget(widget)
            area.setWidgetResizable(True)
            area.setFrameShape(QFrame.Shape.NoFrame)
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

            def fit(area: QScrollArea = area) -> None:
                """Never narrower than the form: only its height scrolls."""
                bar = area.verticalScrollBar().sizeHint().width()
                area.setMinimumWidth(panel.minimumSizeHint().width() + bar)

            fit()
            if isinstance(panel, LazyPanel):  # a form made later fits its area then
                panel.content_made.connect(fit)
            widget = area
        if spec.max_width:
            widget.setMaximumWidth(spec.max_width)
        dock.setWidget(widget)
        self.addDockWidget(spec.area, dock)
        if isinstance(panel, LazyPanel):
            panel.follow(dock)
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
        self.act_export = self._action("&Export Model…", self.export_weights, "Ctrl+Shift+E",
                                       "Write the network with its current weights: ONNX, PyTorch, "
                                       "a numpy script, .npz or layered .json")
        self.export_actions = {  # File → Export, one entry per registry format
            e.name: self._action(f"{e.title}…", lambda n=e.name: self.export_weights(n), tip=e.summary)
            for e in EXPORTERS.values()}
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
        file_menu.addActions([self.data_files.act_import, self.data_files.act_export])
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        self.export_menu = file_menu.addMenu("E&xport")
        self.export_menu.addActions(list(self.export_actions.values()))
        file_menu.addAction(self.images.act_export_image)
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
        data_menu = bar.addMenu(self.data_tools.menu(self))
        table = self.docks["table"].toggleViewAction()
        table.setText("Data &Table")
        table.setShortcut(QKeySequence("Ctrl+Shift+T"))
        data_menu.menu().addSeparator()
        data_menu.menu().addAction(table)
        self.train_menu = train_menu = bar.addMenu("&Train")
        train_menu.addActions([self.act_play, self.act_step, self.act_step_sample, self.act_stop])
        train_menu.addSeparator()
        train_menu.addActions([self.act_reset, self.act_reset_same])
        train_menu.addSeparator()
        train_menu.addAction(self.images.act_record_gif)
        self.lessons_menu = bar.addMenu("&Lessons")  # filled from the lesson registry (lessons/guide.py)
        self.lessons_menu.aboutToShow.connect(lambda: self.lessons.fill_menu())
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
        """Undo/redo, the history menu, title and modified flag: what every command changes."""
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

    def _selection_changed(self) -> None:
        neurons, wires = self.scene.selected_ids()
        for action in (self.act_cut, self.act_copy, self.act_duplicate):
            action.setEnabled(bool(neurons))
        self.act_delete.setEnabled(bool(neurons or wires))

    # -- editing ------------------------------------------------------------------------------------------
    def add_at_centre(self, role: str) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        self.controller.add_neuron(role, (centre.x(), centre.y()))

    def delete_selection(self) -> None:
        neurons, wires = self.scene.selected_ids()
        self.controller.delete(neurons, wires)

    def select_all(self) -> None:
        self.scene.select_all()

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
        from playground.dialogs.layer_builder import LayerBuilderDialog  # made when asked for

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
            self.chrome.refresh_mode()
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
                for role in ROLES:
                    roles.addAction(role, lambda r=role: self.controller.set_neuron(nid, role=r))
                acts = menu.addMenu("Activation")
                from engine.activations import ACTIVATIONS

                for name in ACTIVATIONS:
                    acts.addAction(name, lambda a=name: self.controller.set_neuron(nid, activation=a))
            menu.addActions([self.act_cut, self.act_copy, self.act_duplicate, self.act_delete])
            return
        for role in ROLES:
            menu.addAction(
                f"Add {role} neuron here", lambda r=role: self.controller.add_neuron(r, (pos.x(), pos.y()))
            )
        menu.addSeparator()
        menu.addActions([self.act_paste, self.act_select_all, self.act_layout, self.act_fit,
                         self.images.act_export_image])

    @property
    def training_panel(self) -> TrainingPanel:
        """The Training tab's form, made when the tab first shows (or when asked for here)."""
        return self._training_dock_panel.content()

    @property
    def lesson_panel(self) -> LessonPanel:
        """The Lesson dock's view, made with the guide (or when the dock first shows)."""
        return self._lesson_dock_panel.content()

    @staticmethod
    def _make_lesson_panel() -> LessonPanel:
        from playground.lessons.panel import LessonPanel

        return LessonPanel()

    @property
    def lessons(self) -> LessonGuide:
        """The lesson guide, made when the Lessons menu first opens (or a test asks): the lesson
        files and checks are no part of the first window."""
        if self._lessons is None:
            from playground.lessons.guide import LessonGuide

            self._lessons = LessonGuide(self)
        return self._lessons

    @property
    def built_hopfield_lab(self) -> HopfieldLab | None:
        """The lab if it was made, without making it (readers that only look, e.g. lessons)."""
        return self._hopfield_lab

    @property
    def hopfield_lab(self) -> HopfieldLab:
        """The Hopfield lab page, made on first use: its plots cost a quarter of a second, which a
        window opening an MLP project should not pay."""
        if self._hopfield_lab is None:
            from playground.hopfield.lab import HopfieldLab

            self._hopfield_lab = HopfieldLab(self.controller)
            self.centre.addWidget(self._hopfield_lab)
            self.glass.attach_lab(self._hopfield_lab)
        return self._hopfield_lab

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.training.toggle()  # keys not taken by a focused editor reach the window
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.training.stop()  # join the workers first; their results become undo steps
        if self._hopfield_lab is not None:
            self._hopfield_lab.stop()
            self._hopfield_lab.capacity.cancel()
        if not self.maybe_save():
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState(LAYOUT_VERSION))
        self.autosave.close()  # a clean exit leaves nothing to recover
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
        remove_broken_exporters()
        # Mime data we left on the clipboard must go before Qt tears down, or exit can crash.
        app.aboutToQuit.connect(lambda: QGuiApplication.clipboard().clear())
        app.setProperty("nn_playground_ready", True)
    app.setOrganizationName("nn-playground")
    app.setApplicationName(APP_NAME)
    return app
