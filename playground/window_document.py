"""The main window's chrome that follows the document's events: the mode controls and the page
(canvas or Hopfield lab), the Hopfield note and the problems label, each refreshed by the events
that can change it — not after every edit (``history_changed`` drives only undo/redo, title and
the modified flag, in ``MainWindow.refresh_chrome``). An object the window composes."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QStackedWidget, QWidget

from playground.canvas.view import NetworkView
from playground.controller import Controller
from playground.document.model import Event
from playground.document.validation import errors as validation_errors

MODE_SECTIONS = frozenset(("mode", "hopfield"))  # what the mode controls, note and page show
# The settings validate() reads besides the graph. It does not read the dataset, training,
# title or description: editing those never re-validates (10 ms for digits, ~70 ms at 10k wires).
PROBLEM_SECTIONS = frozenset(("mode", "hopfield"))


class DocumentChrome(QObject):
    """The window's parts that show the document's mode and problems, given to it explicitly."""

    def __init__(self, controller: Controller, view: NetworkView, hopfield_lab: Callable[[], QWidget],
                 centre: QStackedWidget, mode_actions: dict[str, QAction], mode_combo: QComboBox,
                 problems_label: QLabel, docks: dict[str, QDockWidget], dock_specs: tuple,
                 epoch_actions: list[QAction], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.view, self.hopfield_lab, self.centre = controller, view, hopfield_lab, centre
        self.mode_actions, self.mode_combo, self.problems_label = mode_actions, mode_combo, problems_label
        self.docks, self.dock_specs = docks, dock_specs  # which docks the Hopfield lab hides
        self._docks_before_lab = {spec.key for spec in dock_specs if not spec.closed}
        self.epoch_actions = epoch_actions  # Play, Step, Reset, Layer Builder: not for a memory
        self._problems_stale = True
        self._problem_ids: frozenset[str] = frozenset()
        self._problems: list = []
        self._state: tuple | None = None  # (undo stack, index, command) the label was checked at
        self.validations = 0  # how many times the problems label re-validated (tests read it)
        self._checked: dict[int, tuple] = {}  # history index -> (stack, command, problems)
        self.controller.doc.events.subscribe(self._on_document_event)
        self._problems_due = QTimer(self)
        self._problems_due.setSingleShot(True)
        self._problems_due.setInterval(0)
        self._problems_due.timeout.connect(self.refresh_problems)
        # a command's many events (a 100-neuron delete sends ~4,000) validate once, when it is done
        self.controller.history_changed.connect(self.refresh_problems)
        self.refresh_mode()
        self.refresh_problems()

    def _on_document_event(self, event: Event) -> None:
        doc = self.controller.doc
        if (event.kind == "document_replaced"
                or (event.kind == "settings_changed" and MODE_SECTIONS.intersection(event.fields))
                or (event.kind in ("neuron_added", "neuron_removed") and doc.mode == "hopfield")):
            self.refresh_mode()
        if self._may_change_problems(event):
            self._problems_stale = True
            if not self._problems_due.isActive():
                self._problems_due.start()

    def _may_change_problems(self, event: Event) -> bool:
        """False only for edits validation cannot see: moves, settings it does not read, and
        finite weights or biases outside Hopfield mode on items no current problem names (there
        a value only matters by being finite)."""
        doc = self.controller.doc
        if event.kind == "settings_changed":
            return bool(PROBLEM_SECTIONS.intersection(event.fields))
        if event.kind == "neuron_changed":
            return set(event.fields) != {"position"}
        if event.kind in ("connection_changed", "values_changed"):
            if doc.mode == "hopfield" or self._problem_ids.intersection(event.ids):
                return True
            return not all(_finite(doc, key) for key in event.ids)
        return True

    def refresh_problems(self) -> None:
        """Validate if an edit may have changed the answer. Undo and redo return the document
        to a state already checked at that point of the history: that answer is shown again."""
        self._problems_due.stop()
        stack = self.controller.stack
        state = (stack, stack.index, stack.commands[stack.index - 1] if stack.index else None)
        known = self._checked.get(stack.index)
        if self._problems_stale:
            self._problems_stale = False
            moved = state != self._state  # same state: an edit outside the history, or a merge
            if moved and known is not None and known[0] is stack and known[1] is state[2]:
                problems = known[2]
            else:
                self.validations += 1
                problems = validation_errors(self.controller.doc)
            self._problem_ids = frozenset(i for p in problems for i in p.ids)
            self._problems = problems
            self.problems_label.setText(f"⚠ {len(problems)} problem(s)" if problems else "✓ valid")
            self.problems_label.setToolTip("\n".join(p.message for p in problems)
                                           or "The network is valid.")
        if any(entry[0] is not stack for entry in self._checked.values()):
            self._checked.clear()  # a new or opened document: a new history
        self._checked[stack.index] = (stack, state[2], self._problems)
        self._state = state

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

    def refresh_mode(self) -> None:
        """Mode menu and combo, the Hopfield note, and which page (canvas or lab) is shown."""
        doc = self.controller.doc
        for key, action in self.mode_actions.items():
            action.setChecked(key == doc.mode)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(doc.mode))
        self._show_hopfield_note()
        hopfield = doc.mode == "hopfield"
        for action in self.epoch_actions:
            action.setEnabled(not hopfield)
            action.setStatusTip("A Hopfield memory is not trained by epochs: store patterns and recall"
                                if hopfield else action.toolTip())
        lab = doc.mode == "hopfield" and doc.hopfield is not None and not doc.neurons
        page = self.hopfield_lab() if lab else self.view  # the lab is made on first use
        if page is not self.centre.currentWidget():
            # the MLP docks mean nothing to a Hopfield memory: out of the way while the lab is open.
            # Docks go after the lab arrives and come back after it left: docks shown beside the
            # wide lab made the window grow past the screen (1,624 px) and stay that wide.
            if not lab:
                self.centre.setCurrentWidget(page)
            if lab:  # the user's choice of docks comes back with the network (a closed one stays closed)
                self._docks_before_lab = {spec.key for spec in self.dock_specs
                                          if not spec.in_lab and self.docks[spec.key].isVisible()}
            for spec in self.dock_specs:
                if not spec.in_lab:
                    self.docks[spec.key].setVisible(not lab and spec.key in self._docks_before_lab)
            self.centre.setCurrentWidget(page)


def _finite(doc, key: str) -> bool:
    """Is the weight (or bias) behind this id unset or a finite number?"""
    if key in doc.connections:
        value = doc.connections[key].weight
    elif key in doc.neurons:
        value = doc.neurons[key].bias
    else:
        return True
    return value is None or math.isfinite(value)
