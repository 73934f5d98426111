"""The Hopfield lab (Hopfield mode's main view): paint a state, store patterns, recall, measure.

Edits (painting, storing, loading, removing, resizing) are undoable document commands. Recall runs
in a worker thread at the chosen speed (``RecallRunner``) while a GUI timer draws its newest state
about 30 times a second; Step (one unit) and Sweep act at once. The final state is committed as one
step. Energy and the overlap with every stored pattern are plotted live over the unit updates.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine import hopfield
from engine.errors import EngineError
from playground.controller import Controller
from playground.document import build
from playground.document.model import Event
from playground.document.patterns import list_pattern_sets, load_pattern_set
from playground.hopfield.capacity import CapacitySweep
from playground.hopfield.grid import UnitGrid
from playground.hopfield.links import LinkView
from playground.hopfield.overlap_plot import OverlapPlot
from playground.hopfield.recall_runner import MAX_SWEEPS, RecallFrame, RecallRunner, has_ended
from playground.plots.loss import cached_axes
from playground.plots.series import Series
from playground.plots.widget import plot_widget

FRAME_MS = 30  # the GUI draws a running recall's newest state this often (~33 frames/s)


def pattern_icon(pattern: np.ndarray, rows: int, cols: int, size: int = 56) -> QIcon:
    cells = np.where(np.asarray(pattern).reshape(rows, cols) > 0, 0x1F, 0xF4).astype(np.ubyte)
    rgb = np.ascontiguousarray(np.repeat(cells[:, :, None], 3, axis=2))
    rgb[cells == 0x1F] = (0x1F, 0x3B, 0x73)
    image = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()
    return QIcon(QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))


class HopfieldLab(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.grid = UnitGrid()
        self.rows_spin, self.cols_spin = QSpinBox(), QSpinBox()
        for spin in (self.rows_spin, self.cols_spin):
            spin.setRange(1, 32)
        self.resize_button = QPushButton("Resize")
        buttons = {name: QPushButton(name) for name in ("Clear", "Invert", "Randomise", "Shift →")}
        self.buttons = buttons
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(56, 56))
        self.gallery.setMovement(QListWidget.Movement.Static)
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.store_button = QPushButton("Store current state")
        self.rule = QComboBox()
        self.rule.addItems(list(hopfield.RULES))
        self.noise = QSlider(Qt.Orientation.Horizontal)
        self.noise.setRange(0, 50)
        self.noise.setValue(20)
        self.noise_label = QLabel()
        self.load_corrupted = QPushButton("Load corrupted copy")
        self.remove_button = QPushButton("Remove pattern")
        self.pattern_sets = QComboBox()
        for name in list_pattern_sets():
            self.pattern_sets.addItem(load_pattern_set(name).title, name)
        self.load_set_button = QPushButton("Load set")
        self.load_set_button.setToolTip("Replace the stored patterns with a built-in set (one undo step)")
        self.mode = QComboBox()
        self.mode.addItems(["async", "sync"])
        self.speed = QSpinBox()
        self.speed.setRange(0, 100)
        self.speed.setValue(2)
        self.speed.setSuffix(" sweeps/s")
        self.speed.setSpecialValueText("as fast as possible")
        self.speed.setToolTip("Recall speed in sweeps of all units per second (applies live)")
        self.step_button, self.sweep_button, self.run_button, self.stop_button = (
            QPushButton(t) for t in ("Step unit", "Sweep", "Recall", "Stop"))
        self.step_button.setToolTip("Update exactly one unit (asynchronous) or all units once (synchronous)")
        self.sweep_button.setToolTip("Finish the current sweep: every unit once, in a random order")
        self.run_button.setToolTip("Recall until the state settles, animated at the chosen speed")
        self.verdict = QLabel("Paint a state or load a pattern, then press Recall.")
        self.verdict.setWordWrap(True)
        self.load_label = QLabel()
        self.energy_plot = plot_widget(background="w", title="Energy")
        self.energy_plot.setLabel("bottom", "unit updates")
        self.energy_curve = self.energy_plot.plot(pen=pg.mkPen("#1f3b73", width=2))
        self.overlap_plot = OverlapPlot()
        cached_axes(self.energy_plot)
        self.capacity = CapacitySweep()
        self.weights_plot = plot_widget(background="w", title="Weight matrix W (symmetric, zero diagonal)")
        self.weights_plot.setAspectLocked(True)
        self.weights_plot.invertY(True)
        self.weights_image = pg.ImageItem(axisOrder="row-major")
        self.weights_image.setColorMap(pg.colormap.get("CET-D1"))
        self.weights_plot.addItem(self.weights_image)
        self._layout(buttons)
        self.links = LinkView()
        self.tabs.addTab(self.links, "Network")
        self.recall: hopfield.Recall | None = None
        self.runner: RecallRunner | None = None
        self._updates, self._energies, self._overlaps = Series(), Series(), Series(width=0)
        self._memory_key: tuple | None = None
        self._shown_memory: tuple | None = None
        self.last_verdict: tuple[str, int | None] | None = None  # the newest recall's outcome
        self.frames_drawn = 0  # recall frames shown: the animation benchmark reads it
        self.rng = np.random.default_rng()  # corruption and Randomise: fresh each session
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self._pull)
        self._connect(buttons)
        controller.doc.events.subscribe(self._on_document_event)
        self.refresh()

    def _on_document_event(self, event: Event) -> None:
        """The lab shows the Hopfield memory: it follows that section and the mode only."""
        if event.kind == "document_replaced" or (
                event.kind == "settings_changed" and {"hopfield", "mode"}.intersection(event.fields)):
            self.refresh()

    def _layout(self, buttons: dict[str, QPushButton]) -> None:
        left = QVBoxLayout()
        left.addWidget(self.grid, 1)
        row = QHBoxLayout()
        for b in buttons.values():
            row.addWidget(b)
        left.addLayout(row)
        size = QHBoxLayout()
        size.addWidget(QLabel("Grid"))
        size.addWidget(self.rows_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.cols_spin)
        size.addWidget(self.resize_button)
        left.addLayout(size)
        middle = QVBoxLayout()
        middle.addWidget(QLabel("<b>Stored patterns</b> (click to load)"))
        middle.addWidget(self.gallery, 1)
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.store_button)
        rule_row.addWidget(self.rule)
        middle.addLayout(rule_row)
        noise_row = QHBoxLayout()
        noise_row.addWidget(self.noise, 1)
        noise_row.addWidget(self.noise_label)
        middle.addLayout(noise_row)
        middle.addWidget(self.load_corrupted)
        middle.addWidget(self.remove_button)
        sets = QHBoxLayout()
        sets.addWidget(self.pattern_sets, 1)
        sets.addWidget(self.load_set_button)
        middle.addLayout(sets)
        middle.addWidget(self.load_label)
        right = QGridLayout()
        controls = QGridLayout()  # two rows keep the lab narrow enough for a laptop screen
        controls.addWidget(self.mode, 0, 0)
        controls.addWidget(self.speed, 0, 1, 1, 3)
        for column, button in enumerate((self.step_button, self.sweep_button, self.run_button,
                                         self.stop_button)):
            controls.addWidget(button, 1, column)
        right.addLayout(controls, 0, 0)
        right.addWidget(self.verdict, 1, 0)
        recall_page = QWidget()
        pages = QVBoxLayout(recall_page)
        pages.setContentsMargins(0, 0, 0, 0)
        pages.addWidget(self.energy_plot)
        pages.addWidget(self.overlap_plot)
        self.tabs = QTabWidget()
        self.tabs.addTab(recall_page, "Recall")
        self.tabs.addTab(self.capacity, "Capacity")
        self.tabs.addTab(self.weights_plot, "Weights")
        right.addWidget(self.tabs, 2, 0)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(middle, 2)
        layout.addLayout(right, 3)

    def _connect(self, buttons: dict[str, QPushButton]) -> None:
        self.grid.stroke_finished.connect(lambda state: self._set_state(state, "Paint cells"))
        buttons["Clear"].clicked.connect(
            lambda: self._set_state(-np.ones(self.size, np.int8), "Clear grid"))
        buttons["Invert"].clicked.connect(lambda: self._set_state(-self.state(), "Invert grid"))
        buttons["Randomise"].clicked.connect(self._randomise)
        buttons["Shift →"].clicked.connect(self._shift)
        self.resize_button.clicked.connect(self._resize)
        self.store_button.clicked.connect(self.store)
        self.rule.activated.connect(lambda _: self.controller.set_hopfield(
            f"Use the {self.rule.currentText()} rule", rule=self.rule.currentText(), weights=None))
        self.gallery.itemClicked.connect(lambda item: self.load_pattern(self.gallery.row(item)))
        self.load_corrupted.clicked.connect(
            lambda: self.load_pattern(self.gallery.currentRow(), corrupt=True))
        self.remove_button.clicked.connect(self.remove_pattern)
        self.load_set_button.clicked.connect(lambda: self.load_set(self.pattern_sets.currentData()))
        self.noise.valueChanged.connect(lambda v: self.noise_label.setText(f"{v} % noise"))
        self.step_button.clicked.connect(self.step)
        self.sweep_button.clicked.connect(self.sweep)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.speed.valueChanged.connect(self._speed_changed)

    # -- the document's view ---------------------------------------------------------------------
    @property
    def settings(self):
        return self.controller.doc.hopfield

    @property
    def size(self) -> int:
        h = self.settings
        return h.shape[0] * h.shape[1] if h else 1

    def state(self) -> np.ndarray:
        h = self.settings
        if h is None or h.state is None or len(h.state) != self.size:
            return -np.ones(self.size, dtype=np.int8)
        return np.array(h.state, dtype=np.int8)

    def refresh(self) -> None:
        h = self.settings
        if h is None:
            return
        rows, cols = h.shape
        if self.recall is None:
            self.grid.show_state(rows, cols, self.state())
        self.rows_spin.setValue(rows)
        self.cols_spin.setValue(cols)
        self.rule.setCurrentText(h.rule)
        self.noise_label.setText(f"{self.noise.value()} % noise")
        memory = (h.rule, tuple(h.shape), tuple(h.pattern_names), tuple(map(tuple, h.patterns)))
        if memory != self._shown_memory or h.weights is not None:  # not on every state change
            self._shown_memory = memory
            self._show_memory()
        if self.recall is None:
            self.links.show_state(self.state())

    def _show_memory(self) -> None:
        """Gallery, load, weight matrix and network view: what depends on the stored patterns."""
        h = self.settings
        rows, cols = h.shape
        current = self.gallery.currentRow()
        self.gallery.clear()
        for k, pattern in enumerate(h.patterns):
            name = h.pattern_names[k] if k < len(h.pattern_names) else f"pattern {k}"
            if len(pattern) != rows * cols:  # a bad file: listed (and reported), not drawn
                item = QListWidgetItem(f"⚠ {name}")
                item.setToolTip(f"{len(pattern)} values; the {rows}×{cols} grid needs {rows * cols}")
            else:
                item = QListWidgetItem(pattern_icon(np.array(pattern), rows, cols), name)
            self.gallery.addItem(item)
        if 0 <= current < self.gallery.count():
            self.gallery.setCurrentRow(current)
        n, p = rows * cols, len(h.patterns)
        self.capacity.set_units(n)
        self.links.show_network(h.shape, self._show_weights(), None)
        load = p / n
        self.load_label.setText(f"Load P/N = {p}/{n} = {load:.3f} (guideline ≈ {hopfield.CAPACITY_GUIDELINE}"
                                f" · N = {hopfield.CAPACITY_GUIDELINE * n:.1f} patterns)"
                                + ("  ⚠ above capacity" if load > hopfield.CAPACITY_GUIDELINE else ""))
        self.load_label.setWordWrap(True)

    def _show_weights(self) -> np.ndarray | None:
        try:
            weights, _ = self._memory()
        except EngineError:
            self.weights_image.clear()
            return None
        top = float(np.abs(weights).max()) or 1.0
        self.weights_image.setImage(weights, autoLevels=False, levels=(-top, top))
        return weights

    # -- editing -----------------------------------------------------------------------------------
    def _set_state(self, state: np.ndarray, text: str) -> None:
        self.stop()
        self.controller.set_hopfield(text, state=[int(v) for v in np.asarray(state)])

    def _randomise(self) -> None:
        rng = self.rng
        self._set_state(rng.choice(np.array([-1, 1], np.int8), self.size), "Randomise grid")

    def _shift(self) -> None:
        h = self.settings
        self._set_state(np.roll(self.state().reshape(h.shape), 1, axis=1).ravel(), "Shift grid")

    def _resize(self) -> None:
        rows, cols = self.rows_spin.value(), self.cols_spin.value()
        h = self.settings
        if h is not None and (rows, cols) == tuple(h.shape):
            return
        if h is not None and h.patterns:
            self.verdict.setText(f"Resizing drops the {len(h.patterns)} stored pattern(s); "
                                 "undo brings them back.")
        self.stop()
        self.controller.set_hopfield(f"Resize grid to {rows}×{cols}", shape=(rows, cols), patterns=[],
                                     pattern_names=[], state=None, weights=None)

    def store(self) -> None:
        h = self.settings
        state = [int(v) for v in self.state()]
        if state in h.patterns:
            self.verdict.setText("This state is stored already.")
            return
        name = f"P{len(h.patterns) + 1}"
        self.controller.set_hopfield(f"Store pattern {name}", patterns=[*h.patterns, state],
                                     pattern_names=[*h.pattern_names, name], weights=None)

    def load_pattern(self, index: int, corrupt: bool = False) -> None:
        h = self.settings
        if not 0 <= index < len(h.patterns):
            self.verdict.setText("Choose a stored pattern first.")
            return
        pattern = np.array(h.patterns[index], dtype=np.int8)
        name = h.pattern_names[index] if index < len(h.pattern_names) else f"pattern {index}"
        if corrupt:
            pattern, flipped = hopfield.corrupt(pattern, self.noise.value() / 100, self.rng)
            self._set_state(pattern, f"Load {name} with {flipped} bits flipped")
        else:
            self._set_state(pattern, f"Load {name}")

    def load_set(self, name: str) -> None:
        try:
            chosen = load_pattern_set(name)
        except EngineError as exc:
            self.verdict.setText(str(exc))
            return
        self.stop()
        self.controller.set_hopfield(f"Load the {chosen.title} set", shape=chosen.shape,
                                     patterns=chosen.patterns, pattern_names=chosen.names,
                                     state=chosen.patterns[0], weights=None)

    def remove_pattern(self) -> None:
        h = self.settings
        k = self.gallery.currentRow()
        if 0 <= k < len(h.patterns):
            names = list(h.pattern_names)
            name = names.pop(k) if k < len(names) else f"pattern {k}"
            patterns = [p for i, p in enumerate(h.patterns) if i != k]
            self.controller.set_hopfield(f"Remove pattern {name}", patterns=patterns, pattern_names=names,
                                         weights=None)

    # -- recall --------------------------------------------------------------------------------------
    def _begin(self) -> bool:
        if self.recall is not None:
            return True
        try:
            weights, patterns = self._memory()
        except EngineError as exc:
            self.verdict.setText(f"Cannot recall: {exc}")
            return False
        self.patterns = patterns
        self.recall = hopfield.Recall(weights, self.state(), self.mode.currentText(),
                                      np.random.default_rng(0))
        self._updates, self._energies = Series(), Series()
        self._overlaps = Series(width=len(patterns))
        self._record(self.recall)
        self.energy_plot.setLabel("bottom", "unit updates" if self.recall.mode == "async"
                                  else "synchronous updates")
        h = self.settings
        self.overlap_plot.set_patterns(tuple(
            h.pattern_names[k] if k < len(h.pattern_names) else str(k) for k in range(len(patterns))))
        self._show(self.recall.state)
        return True

    def _memory(self) -> tuple[np.ndarray, np.ndarray]:
        """The memory's (weights, patterns), recomputed only when the rule or the patterns changed."""
        h = self.settings
        key = None if h is None or h.weights is not None else (
            h.rule, tuple(h.shape), tuple(map(tuple, h.patterns)))
        if key is None or key != self._memory_key:
            self._memory_key = None
            self._memory_value = build.hopfield_memory(self.controller.doc)
            self._memory_key = key
        return self._memory_value

    @property
    def updates(self) -> np.ndarray:
        """Unit updates (asynchronous) or synchronous steps at each record of this recall."""
        return self._updates.values

    @property
    def energies(self) -> np.ndarray:
        return self._energies.values

    @property
    def overlaps(self) -> np.ndarray:
        """Records × patterns: the overlap m_μ with every stored pattern."""
        return self._overlaps.values

    def _record(self, run: hopfield.Recall) -> None:
        self._updates.extend([run.updates])
        self._energies.extend([run.energy])
        if len(self.patterns):
            self._overlaps.extend([hopfield.overlaps(self.patterns, run.state)])

    def step(self) -> None:
        """Exactly one unit (asynchronous) or one synchronous update, then the verdict if settled."""
        if self.runner is not None or not self._begin():
            return
        run = self.recall
        run.step_unit() if run.mode == "async" else run.sync_step()
        self._record_and_show()

    def sweep(self) -> None:
        """The rest of the current asynchronous sweep (or one synchronous update) at once."""
        if self.runner is not None or not self._begin():
            return
        run = self.recall
        run.sweep() if run.mode == "async" else run.sync_step()
        self._record_and_show()

    def _record_and_show(self) -> None:
        run = self.recall
        self._record(run)
        self._show(run.state)
        if has_ended(run):
            self._finish()

    def run(self) -> None:
        """Recall to convergence in the worker thread, animated at the chosen speed."""
        if self.runner is not None or not self._begin():
            return
        self.runner = RecallRunner(self.recall, self.patterns, self.speed.value())
        self.runner.start()
        self.frame_timer.start()
        pace = "as fast as possible" if self.speed.value() == 0 else self.speed.text()
        self.verdict.setText(f"Recalling ({self.recall.mode}, {pace})…")
        self._enable_steps(False)

    def _speed_changed(self, value: int) -> None:
        if self.runner is not None:
            self.runner.speed = value

    def _enable_steps(self, enabled: bool) -> None:
        for button in (self.step_button, self.sweep_button, self.run_button, self.mode):
            button.setEnabled(enabled)

    def _pull(self) -> None:
        """One animation frame: draw what the worker did since the last frame."""
        runner = self.runner
        if runner is None:
            return
        frame = runner.take()
        self._append(frame)
        self._show(frame.state)
        self.frames_drawn += 1
        if frame.finished:
            self._join_runner()
            self._finish()

    def _append(self, frame: RecallFrame) -> None:
        self._updates.extend(frame.updates)
        self._energies.extend(frame.energies)
        if len(self.patterns):
            self._overlaps.extend(frame.overlaps)

    def _join_runner(self) -> None:
        runner, self.runner = self.runner, None
        self.frame_timer.stop()
        if runner is not None:
            runner.stop()
            self._append(runner.take())
        self._enable_steps(True)

    def stop(self) -> None:
        self._join_runner()
        if self.recall is not None:
            self._finish(stopped=True)

    def _show(self, state: np.ndarray) -> None:
        h = self.settings
        cells = state.astype(np.int8)
        self.grid.show_state(h.shape[0], h.shape[1], cells)
        self.links.show_state(cells)
        x = self.updates
        self.energy_curve.setData(x, self.energies)
        if len(self._overlaps):
            self.overlap_plot.show(x, self.overlaps)

    def _finish(self, stopped: bool = False) -> None:
        run, self.recall = self.recall, None
        if run is None:
            return
        self._show(run.state)
        if run.oscillating:
            verdict, index = "oscillating", None
        elif not run.settled:
            verdict, index = "unsettled", None
        else:
            verdict, index = hopfield.classify(self.patterns, run.state)
        h = self.settings
        name = (h.pattern_names[index] if index is not None and index < len(h.pattern_names) else str(index))
        text = {"pattern": f"Recalled pattern {name}", "inverse": f"Recalled the inverse of {name}",
                "spurious": "Settled in a spurious state (a mixture, not a stored pattern)",
                "oscillating": "Oscillating: a 2-cycle under synchronous updates",
                "unsettled": ("Stopped before it settled" if stopped else
                              f"Did not settle within {MAX_SWEEPS} sweeps")}[verdict]
        unit = "unit update(s)" if run.mode == "async" else "synchronous update(s)"
        monotone = "" if run.mode == "sync" else (" · energy never rose" if run.energy_non_increasing
                                                   else " · ⚠ energy rose")
        self.verdict.setText(f"<b>{text}</b> after {run.updates} {unit}{monotone}.")
        self.last_verdict = (verdict, index)
        self._set_state(run.state, f"Recall ({verdict})" if not stopped else "Recall (stopped)")
