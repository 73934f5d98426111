"""The glass box in the window: walk-through actions, the canvas numbers, the Glass box dock, the
hover cards, and picking the example by clicking a data point. Composed by the main window."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolTip

from engine import explain_text as words
from engine.activations import get_activation
from engine.errors import EngineError
from playground.canvas.annotations import Annotations
from playground.canvas.items import WireItem
from playground.canvas.scene import NetworkScene
from playground.canvas.view import NetworkView
from playground.controller import Controller
from playground.document import glassbox
from playground.document.build import build_dataset
from playground.document.errors import DocumentError
from playground.glassbox.labels import input_texts, stage_texts, stage_title
from playground.glassbox.model import GlassBox
from playground.glassbox.panel import GlassBoxPanel
from playground.training.controller import TrainingController

if TYPE_CHECKING:
    from playground.hopfield.lab import HopfieldLab

READABLE_ZOOM = 0.8  # a walk-through never starts zoomed out so far that its numbers hide
LABEL_ROOM = (170, 50)  # scene units right of and above the neurons that their numbers need
HOPFIELD_POLL_MS = 300  # the Hopfield lab's state is read this often while the dock shows it


class GlassBoxViews(QObject):
    def __init__(self, controller: Controller, training: TrainingController, scene: NetworkScene,
                 window: QMainWindow, view: NetworkView | None = None) -> None:
        super().__init__(window)
        self.controller, self.scene, self.window, self.view = controller, scene, window, view
        self.model = GlassBox(controller, training, self)
        self.state_of_lab = None  # () → the lab's ±1 state, once the lab exists (attach_lab)
        m = self.model
        self.act_walk = self._action(window, "&Walk Through Example", "Walk through", self.start, "F6",
                                     "Step through one example: forward, loss, backward, update")
        self.act_prev = self._action(window, "Previous Step", "◀ Back", m.previous, "Alt+Left")
        self.act_next = self._action(window, "Next Step", "Next ▶", self.next, "Alt+Right",
                                     "The next neuron (on the last step: apply the update)")
        self.act_end = self._action(window, "To the Update", "To update »", self.to_end, "Alt+End")
        self.act_leave = self._action(window, "Leave Walk-Through", "Leave", m.leave, "Escape")
        self.actions = [self.act_walk, self.act_prev, self.act_next, self.act_end, self.act_leave]
        self.panel = GlassBoxPanel(self.actions)
        self.annotations = Annotations(scene)
        scene.card_hook = self.card
        self.hovered_neuron = ""
        scene.neuron_hovered.connect(self._hovered)
        scene.selectionChanged.connect(self.refresh_formulas)
        m.changed.connect(self.refresh)
        self.panel.row.valueChanged.connect(lambda _: self._choose())
        self.panel.split.activated.connect(lambda _: self._choose())
        self.panel.unit.valueChanged.connect(lambda _: self.refresh_formulas())
        self.panel.shown.connect(self.refresh_formulas)
        self._data_key: tuple | None = None
        self._lab_state: np.ndarray | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(HOPFIELD_POLL_MS)
        self._poll.timeout.connect(self._poll_lab)
        self._poll.start()
        self.refresh()

    def attach_lab(self, lab: HopfieldLab) -> None:
        """Explain the Hopfield lab's grid: called when the window first builds the lab (lazily)."""
        self.state_of_lab = lab.state
        lab.grid.tip_for = self.unit_card

    @staticmethod
    def _action(window: QMainWindow, text: str, short: str, slot, shortcut: str,
                tip: str = "") -> QAction:
        action = QAction(text, window)
        action.setIconText(short)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{text.replace('&', '')} ({shortcut})")
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        window.addAction(action)
        return action

    def install(self, menu: QMenu) -> None:
        """The actions into a menu and a toolbar of their own."""
        menu.addSeparator()
        menu.addActions(self.actions)
        self.window.addToolBarBreak()
        tools = self.window.addToolBar("Walk through")
        tools.setObjectName("toolbar-walk")
        tools.addActions(self.actions)

    def watch_points(self, *pairs) -> None:
        """Clicking a point of these (scatter item, "train"/"test") makes it the example."""
        for item, split in pairs:
            item.sigClicked.connect(lambda _item, points, _ev=None, s=split: self._picked(s, points))

    def _picked(self, split: str, points) -> None:
        if len(points):
            self.pick(int(points[0].index()), split)

    def pick(self, index: int, split: str = "train") -> None:
        """Row ``index`` of the training (or test, or both in turn: "all") data becomes the
        example; the row chooser follows."""
        if self.model.choose_row(index, split) and self.model.row is not None:
            chosen, row = self.model.row
            self.panel.split.setCurrentIndex(1 if chosen == "test" else 0)
            self._sync_rows()
            self.panel.row.blockSignals(True)
            self.panel.row.setValue(row + 1)
            self.panel.row.blockSignals(False)

    def start(self) -> None:
        """Begin the walk-through and frame the network with room for its numbers."""
        if not self.model.start():
            why = self.model.error or "choose an example first"
            self.window.statusBar().showMessage(f"Cannot walk through: {why}", 8000)
            return
        if self.view is None:
            return
        self.refresh()
        view = self.view
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        needed = QRectF()
        for item in self.scene.neurons.values():
            needed = needed.united(item.sceneBoundingRect())
        needed.adjust(-20, -LABEL_ROOM[1], LABEL_ROOM[0], 20)
        if shown.contains(needed):
            return
        view.fitInView(needed, Qt.AspectRatioMode.KeepAspectRatio)
        if view.zoom > 1.5:
            view.zoom_by(1.5 / view.zoom)
        elif view.zoom < READABLE_ZOOM:  # a big net: readable numbers, the view follows the walk
            view.zoom_by(READABLE_ZOOM / view.zoom)
            self._follow_active()

    def next(self) -> None:
        """Next stage; outside a walk-through, start one (framed like the Walk through button)."""
        if self.model.walking:
            self.model.next()
        else:
            self.start()

    def to_end(self) -> None:
        if not self.model.walking:
            self.start()
        self.model.to_end()

    def _follow_active(self) -> None:
        """Scroll the active neuron (and its label) into view if the walk left the screen."""
        item = self.scene.neurons.get(self.annotations.active or "")
        if self.view is not None and item is not None:
            self.view.ensureVisible(item.sceneBoundingRect().adjusted(-20, -LABEL_ROOM[1],
                                                                       LABEL_ROOM[0], 20))

    def _choose(self) -> None:
        self.model.choose_row(self.panel.row.value() - 1, self.panel.split.currentData())

    def _hovered(self, nid: str) -> None:
        self.hovered_neuron = nid

    # -- showing -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        m, doc = self.model, self.controller.doc
        hopfield = doc.mode == "hopfield"
        self.panel.show_hopfield(hopfield)
        self._sync_rows()
        ex = m.explained()
        stage = m.current()
        if ex is not None and stage is not None:
            neurons, wires, active, lit = stage_texts(ex, m.stages, m.stage, m.before_apply())
            self.annotations.show(neurons, wires, active, lit)
            title = stage_title(ex.explanation, m.stages, m.stage)
        else:
            self.annotations.show(input_texts(ex) if ex is not None else {}, {})
            title = "" if ex is None else "Walk through: F6, then Alt+→ for each step"
        self.panel.stage.setText(title)
        if title and stage is not None:
            self.window.statusBar().showMessage(title, 6000)
            self._follow_active()
        self.panel.example.setText(self._example_text(ex))
        walking = m.walking
        self.act_walk.setEnabled(not hopfield)
        self.act_next.setEnabled(not hopfield)
        self.act_prev.setEnabled(walking and m.stage > 0 and stage.kind != "applied")
        self.act_end.setEnabled(not hopfield and (not walking or stage.kind not in ("update", "applied")))
        self.act_leave.setEnabled(walking)
        self.refresh_formulas()
        self._refresh_card()

    def _example_text(self, ex: glassbox.ExplainedExample | None) -> str:
        m = self.model
        if self.controller.doc.mode == "hopfield":
            return "The selected unit of the Hopfield lab's grid, in its current state."
        if m.x is None:
            return "Click a data point in the Data or Output plot, or choose a row."
        target = "" if ex is None else ", target (" + ", ".join(
            words.number(v) for v in ex.explanation.target) + ")"
        text = f"{m.source}: x = ({', '.join(words.number(v) for v in m.x)}){target}"
        return text + (f"<br><span style='color:#b00'>{m.error}</span>" if m.error else "")

    def _sync_rows(self) -> None:
        """The row spin box spans the chosen split (read when the data or mode changed)."""
        doc = self.controller.doc
        key = (id(doc.dataset), doc.mode, self.panel.split.currentIndex())
        if key == self._data_key:
            return
        self._data_key = key
        if doc.mode == "hopfield":
            return
        try:
            data = build_dataset(doc)
        except (EngineError, DocumentError):
            return
        n = len(data.X_train) if self.panel.split.currentData() == "train" else len(data.X_test)
        self.panel.row.blockSignals(True)
        self.panel.row.setMaximum(max(1, n))
        self.panel.row.blockSignals(False)

    def refresh_formulas(self) -> None:
        """The selected neuron or wire (else the walk-through's active neuron) as equations;
        only while the dock is on show (it fills itself when it comes into view)."""
        if not self.panel.isVisible():
            return
        if self.controller.doc.mode == "hopfield":
            self._hopfield_formulas()
            return
        ex = self.model.explained()
        if ex is None:
            self.panel.show_lines("", [("", [self.model.error or "No example chosen yet."])])
            return
        neurons, wires = self.scene.selected_ids()
        stage = self.model.current()
        if wires and not neurons:
            k = ex.edge_index(wires[0])
            if k is not None:
                self.panel.show_lines(*wire_sections(ex, k))
                return
        target = neurons[0] if neurons else (ex.compiled.node_ids[stage.node]
                                             if stage is not None and stage.node is not None else None)
        i = ex.node_index(target) if target else None
        if i is None:
            lines = [words.loss_line(ex.explanation), "Select a neuron or a wire for its formula."]
            self.panel.show_lines("This example", [("", lines)])
            return
        self.panel.show_lines(*neuron_sections(ex, i))

    def _hopfield_formulas(self) -> None:
        state = self.state_of_lab() if self.state_of_lab is not None else None
        if state is None or not len(state):
            self.panel.show_lines("", [("", ["The grid is empty."])])
            return
        self.panel.unit.setMaximum(len(state) - 1)
        try:
            (step,) = glassbox.explain_units(self.controller.doc, list(state), [self.panel.unit.value()])
        except (EngineError, DocumentError) as exc:
            self.panel.show_lines("", [("", [str(exc)])])
            return
        self.panel.show_lines(f"Unit {step.unit}", [("Asynchronous update", words.hopfield_lines(step))])

    def _poll_lab(self) -> None:
        """Follow the Hopfield lab's grid while it is on show (drawn, recalled, randomised)."""
        if self.controller.doc.mode != "hopfield" or self.state_of_lab is None \
                or not self.panel.isVisible():  # the lab's own grid explains itself on hover
            return
        state = np.asarray(self.state_of_lab())
        if self._lab_state is None or not np.array_equal(state, self._lab_state):
            self._lab_state = state.copy()
            self._hopfield_formulas()

    # -- hover cards -------------------------------------------------------------------------------------
    def card(self, kind: str, item_id: str) -> str:
        """The hover card's glass-box lines: this example's numbers and the last change."""
        ex = self.model.explained() if self.controller.doc.mode != "hopfield" else None
        lines = []
        if kind == "neuron" and ex is not None:
            i = ex.node_index(item_id)
            if i is not None:
                n = ex.explanation.neurons[i]
                if n.z is None:
                    lines.append(f"x = {n.a:.6g} (this example)")
                else:
                    delta = "t − y" if ex.explanation.kind == "perceptron" else "δ"
                    lines.append(f"this example: z = {n.z:.6g}, a = {n.a:.6g}, {delta} = {n.delta:.6g}")
        if kind == "wire":
            if ex is not None and (k := ex.edge_index(item_id)) is not None:
                w = ex.explanation.wires[k]
                if w.grad is not None:
                    lines.append(f"∂L/∂w = {w.grad:.6g} (this example)")
                lines.append(f"next update Δw = {w.update:.6g}")
            change = self.model.last_change.get(item_id)
            if change is not None:
                lines.append(f"last update: {change:+.6g}")
        return "".join(f"<br>{line}" for line in lines)

    def unit_card(self, unit: int, state: np.ndarray) -> str:
        """A Hopfield grid cell's hover card: local field, sign decision, energy change of a flip."""
        try:
            (step,) = glassbox.explain_units(self.controller.doc, list(state), [unit])
        except (EngineError, DocumentError) as exc:
            return str(exc)
        return "<br>".join(html.escape(line) for line in words.hopfield_lines(step))

    def _refresh_card(self) -> None:
        """An open hover card shows the numbers as they are now (live during training)."""
        if not QToolTip.isVisible():
            return
        wire = self.scene.hovered
        if isinstance(wire, WireItem):
            QToolTip.showText(QCursor.pos(), wire.toolTip())
            return
        item = self.scene.neurons.get(self.hovered_neuron)
        if item is not None:
            item.refresh_card()
            QToolTip.showText(QCursor.pos(), item.toolTip())


def neuron_sections(ex: glassbox.ExplainedExample, i: int) -> tuple[str, list[tuple[str, list[str]]]]:
    """A neuron's equations: its function, the forward line, the loss (outputs), δ and the bias."""
    e = ex.explanation
    n = e.neurons[i]
    if n.z is None:
        return n.name, [("Input", [f"{n.name}: a = {words.number(n.a)} (the example's value)"])]
    act = get_activation(n.activation)
    sections = [("Forward", [act.formula, words.forward_line(e, i)])]
    if n.target is not None:
        sections.append(("Loss", [words.loss_line(e)]))
    sections.append(("Backward", [act.derivative_formula and f"f'(z) = {act.derivative_formula}",
                                  words.backward_line(e, i)]))
    sections.append(("Bias", [words.bias_line(e, i)]))
    return f"{n.name} ({n.activation})", sections


def wire_sections(ex: glassbox.ExplainedExample, k: int) -> tuple[str, list[tuple[str, list[str]]]]:
    e = ex.explanation
    w = e.wires[k]
    error = e.neurons[w.target].delta
    title = f"{words.name_of(e, w.source)} → {words.name_of(e, w.target)}"
    return title, [
        ("Forward", [f"w·x = {words.operand(w.w)}·{words.operand(w.x)} = {words.number(w.w * w.x)}"]),
        ("Backward", [words.gradient_text(e, w)]),
        ("Update", [words.update_text(e, w.update, w.grad, w.x, error)]),
    ]
