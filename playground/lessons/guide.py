"""The app side of lessons: the Lessons menu, opening a lesson's project, stepping, live checks,
"try this" actions, hidden controls (restored on leaving) and progress kept per lesson.

Everything a check reads is gathered here into one ``Observation`` (the document, a running
training's newest values and metrics, what ended since the step began); the checks themselves are
the pure functions of ``playground.document.lesson_checks``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu

from engine.errors import EngineError
from engine.settings import BY_NAME
from playground.document.errors import DocumentError, FileFormatError
from playground.document.lesson_checks import (
    ACTIONS,
    CHECKS,
    CONTROLS,
    Observation,
    Probe,
    document_values,
    fill,
)
from playground.document.lessons import Lesson, list_lessons, load_lesson
from playground.document.model import DatasetSpec

if TYPE_CHECKING:
    from playground.main_window import MainWindow

LESSON_FILTER = "Lesson files (*.json);;All files (*)"


class LessonGuide(QObject):
    """Runs at most one lesson in the window; the panel and the menu are its views."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.panel = win.lesson_panel
        self.dock = win.docks["lesson"]
        self.lesson: Lesson | None = None
        self.key = ""  # where its progress is kept in QSettings
        self.index = 0
        self.done: set[int] = set()
        self._hidden: list[tuple[Any, bool]] = []  # (dock or action, was visible) to restore
        self._opening = False
        self._mode = win.controller.doc.mode
        self._version = 0  # bumped by every command: the idle metrics are measured once per version
        self._idle_metrics: tuple[int, Any] | None = None
        self._baseline: dict[str, Any] = {}
        self.last_lines: list[tuple[bool, str]] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(120)  # live ticks at ~8 Hz, however fast snapshots arrive
        self.timer.timeout.connect(self.evaluate)
        self.controls = self._controls()
        self.handlers = self._handlers()
        assert set(self.controls) == set(CONTROLS) and set(self.handlers) == set(ACTIONS)
        c, t = win.controller, win.training
        c.history_changed.connect(self._changed)
        c.document_reset.connect(self._document_reset)
        t.snapshot.connect(lambda _: self.schedule())
        t.state_changed.connect(lambda _: self.schedule())
        self.panel.back_clicked.connect(lambda: self.go(self.index - 1))
        self.panel.next_clicked.connect(self.next)
        self.panel.leave_clicked.connect(self.leave)
        self.panel.action_clicked.connect(self.run_action)
        self.panel.input_changed.connect(self._input_changed)
        self.chosen: list[float] = []  # the learner's input row, for find_input checks
        self.dock.hide()
        self._catalogue: list[Lesson] | str | None = None  # read on first use (~0.1 s), or why not

    # -- the window's parts a lesson drives ------------------------------------------------------
    def _controls(self) -> dict[str, list[Any]]:
        w = self.win
        controls: dict[str, list[Any]] = {k: [w.docks[k]] for k in
                                          ("palette", "inspector", "dataset", "training", "loss",
                                           "output")}
        controls.update(layer_builder=[w.act_layers], step_epoch=[w.act_step],
                        step_sample=[w.act_step_sample], reset=[w.act_reset, w.act_reset_same])
        return controls

    def _handlers(self) -> dict[str, Callable[[dict], object]]:
        w, c, t = self.win, self.win.controller, self.win.training
        return {
            "play": lambda a: t.play(),
            "step_epoch": lambda a: t.step_epoch(),
            "step_sample": lambda a: t.step_sample(),
            "reset": lambda a: t.reset(False),
            "reset_same": lambda a: t.reset(True),
            "set_setting": lambda a: c.set_training(**{a["name"]: BY_NAME[a["name"]].coerce(a["value"])}),
            "set_dataset": lambda a: c.set_dataset(dataclasses.replace(
                c.doc.dataset or DatasetSpec(), name=a["name"], params={}, train_fraction=None,
                inline=None)),
            "select": lambda a: c.selection_requested.emit([a["neuron"]]),
            "load_corrupted": self._load_corrupted,
            "recall": lambda a: w.hopfield_lab.run(),
        }

    def _load_corrupted(self, a: dict) -> None:
        index = Probe(Observation(self.win.controller.doc)).pattern(a["pattern"])
        if index is None:  # the learner removed or renamed it
            self.win.statusBar().showMessage(f"No stored pattern is called {a['pattern']} any more",
                                             6000)
            return
        self.win.hopfield_lab.load_pattern(index, corrupt=True)

    # -- the menu ---------------------------------------------------------------------------------
    def fill_menu(self) -> None:
        menu: QMenu = self.win.lessons_menu
        menu.clear()
        if self._catalogue is None:
            try:
                self._catalogue = list_lessons()
            except FileFormatError as exc:  # a damaged installation: say which file
                self._catalogue = f"Lessons unavailable: {exc.errors[0]}"
        if isinstance(self._catalogue, str):
            menu.addAction(self._catalogue).setEnabled(False)
        for lesson in self._catalogue if isinstance(self._catalogue, list) else []:
            done, steps = len(self._stored_done(lesson.name, len(lesson.steps))), len(lesson.steps)
            mark = "  ✓" if done >= steps else f"  ({done}/{steps})" if done else ""
            action = QAction(f"{lesson.title}{mark}", menu)
            action.setStatusTip(lesson.summary)
            action.triggered.connect(lambda checked=False, x=lesson: self.open(x))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Open Lesson &File…", self.open_file_dialog)
        leave = menu.addAction("&Leave Lesson", self.leave)
        leave.setEnabled(self.lesson is not None)

    def open_file_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.win, "Open lesson", "", LESSON_FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> bool:
        """A lesson file from disk, checked before anything changes (one message if it is bad)."""
        try:
            lesson = load_lesson(path)
        except FileFormatError as exc:
            self.win.show_error("Cannot open lesson", f"{path.name} could not be opened:\n\n"
                                + "\n".join(f"• {e}" for e in exc.errors[:20]))
            return False
        return self.open(lesson, key=f"file-{lesson.name}")

    # -- opening, stepping, leaving -------------------------------------------------------------------
    def open(self, lesson: Lesson, key: str | None = None) -> bool:
        """Open the lesson's project (asking to save first) and go to the step it was left at."""
        if not self.win.maybe_save():
            return False
        self._restore_controls()
        self._opening = True
        try:
            if lesson.example:
                self.win.open_example(lesson.example)
            else:
                self.win.controller.reset(lesson.document(), None)
                self.win.fit_soon()
        finally:
            self._opening = False
        self.lesson, self.key = lesson, key or lesson.name
        self._mode = self.win.controller.doc.mode
        self.chosen = []
        self.done = self._stored_done(self.key, len(lesson.steps))
        self.dock.show()
        self.dock.raise_()
        stored = self.win.settings.value(f"lessons/{self.key}/step", 0)
        self.go(min(max(int(stored or 0), 0), len(lesson.steps) - 1))
        self.win.statusBar().showMessage(f"Lesson: {lesson.title}", 5000)
        return True

    def go(self, index: int) -> None:
        lesson = self.lesson
        if lesson is None or not 0 <= index < len(lesson.steps):
            return
        self.index = index
        step = lesson.steps[index]
        self._restore_controls()
        self._hide(dict.fromkeys((*lesson.hide, *step.hide)))
        t = self.win.training
        self._baseline = {"result": t.last_result, "recall": self._verdict(),
                          "values": document_values(self.win.controller.doc)}
        self.win.settings.setValue(f"lessons/{self.key}/step", index)
        self.panel.show_step(lesson.title, index, len(lesson.steps), len(self.done), step.title,
                             [ACTIONS[a.kind].label(dict(a.params)) for a in step.actions])
        inputs = [n.label or n.id for n in self.win.controller.doc.by_role("input")]
        if len(self.chosen) != len(inputs):
            self.chosen = [0.0] * len(inputs)
        asks = any(CHECKS[c.kind].asks_input for c in step.checks)
        self.panel.set_inputs(inputs if asks else [], self.chosen)
        self.evaluate()

    def next(self) -> None:
        if self.lesson is None:
            return
        self.evaluate()  # a check achieved just now counts, even before the live timer fires
        if not self.lesson.steps[self.index].checks:
            self._mark_done()  # a step to read is done once read
        if self.index == len(self.lesson.steps) - 1:
            title = self.lesson.title
            self.leave()
            self.win.statusBar().showMessage(f"Finished the lesson “{title}”", 8000)
            return
        self.go(self.index + 1)

    def leave(self) -> None:
        """Close the lesson: every hidden control comes back; the project stays open."""
        self._restore_controls()
        self.lesson = None
        self.timer.stop()
        self.panel.show_idle()
        self.dock.hide()

    def run_action(self, k: int) -> None:
        if self.lesson is None:
            return
        action = self.lesson.steps[self.index].actions[k]
        self.handlers[action.kind](dict(action.params))
        self.schedule()

    # -- live checks ----------------------------------------------------------------------------------
    def schedule(self) -> None:
        if self.lesson is not None and not self.timer.isActive():
            self.timer.start()

    def _input_changed(self, row: list[float]) -> None:
        self.chosen = list(row)
        self.schedule()

    def _changed(self) -> None:
        self._version += 1
        mode = self.win.controller.doc.mode
        if mode != self._mode:  # the window re-showed (or hid) its docks: those are ours to restore
            self._mode = mode
            self._hidden = [(item, self._shown(item)) for item, _ in self._hidden]
            for item, _ in self._hidden:
                item.setVisible(False)
        self.schedule()

    def _document_reset(self) -> None:
        self._version += 1
        if not self._opening and self.lesson is not None:
            self.leave()  # another project was opened: the lesson's checks would not fit it
            self.win.statusBar().showMessage("Left the lesson: another project was opened", 6000)

    def _verdict(self):
        """The lab's last recall verdict; None while the lab is not built (no recall yet)."""
        lab = self.win.built_hopfield_lab
        return lab.last_verdict if lab is not None else None

    def observation(self) -> Observation:
        """The app's state now, as the checks read it (a running training's newest snapshot)."""
        t, doc = self.win.training, self.win.controller.doc
        snap = t.run_snapshot if t.state != "idle" else None
        metrics = snap.metrics if snap is not None else None
        if snap is None and self._idle_metrics and self._idle_metrics[0] == self._version:
            metrics = self._idle_metrics[1]
        result = t.last_result
        verdict = self._verdict()
        b = self._baseline
        return Observation(
            doc, snap.values if snap is not None else None, metrics,
            t.epoch_offset + (snap.epoch if snap is not None else 0),
            result.reason if result is not None and result is not b.get("result") else None,
            verdict if verdict is not None and verdict is not b.get("recall") else None,
            b.get("values", {}), self.chosen or None)

    def evaluate(self) -> list[tuple[bool, str]]:
        """Fill the step's text and tick its checks; a step whose checks all tick is done."""
        if self.lesson is None:
            return []
        step = self.lesson.steps[self.index]
        obs = self.observation()
        probe = Probe(obs)
        lines = []
        for spec in step.checks:
            kind, params = CHECKS[spec.kind], dict(spec.params)
            try:
                ok, now = kind.evaluate(probe, params)
            except (EngineError, DocumentError, KeyError) as exc:  # an edit made it unmeasurable
                ok, now = False, f"cannot measure: {exc}"
            lines.append((ok, f"{kind.describe(params)} — {now}"))
        text = fill(step.text, probe)
        if obs.metrics is None and obs.values is None and probe.measured:
            self._idle_metrics = (self._version, probe.metrics())
        if step.checks and all(ok for ok, _ in lines):
            self._mark_done()
        status = ("Done ✓ — press Next" if self.index in self.done else
                  "The checks tick as soon as you achieve them." if step.checks else "")
        self.panel.update_step(text, lines, status)
        self.panel.progress.setValue(len(self.done))
        self.panel.progress.setFormat(f"Step {self.index + 1} of {len(self.lesson.steps)} · "
                                      f"{len(self.done)} done")
        self.last_lines = lines
        return lines

    # -- progress and hidden controls -------------------------------------------------------------------
    def _mark_done(self) -> None:
        if self.index not in self.done:
            self.done.add(self.index)
            self.win.settings.setValue(f"lessons/{self.key}/done",
                                       ",".join(str(k) for k in sorted(self.done)))

    def _stored_done(self, key: str, steps: int) -> set[int]:
        """The steps done, as kept in QSettings (a lesson that has fewer steps now keeps those)."""
        text = str(self.win.settings.value(f"lessons/{key}/done", "") or "")
        return {int(k) for k in text.split(",") if k.strip().isdigit() and int(k) < steps}

    def _hide(self, keys: dict[str, None]) -> None:
        for key in keys:
            for item in self.controls[key]:
                self._hidden.append((item, self._shown(item)))
                item.setVisible(False)

    @staticmethod
    def _shown(item: QDockWidget | QAction) -> bool:
        """Open (a dock tabbed behind another is open but not visible) or visible."""
        return item.toggleViewAction().isChecked() if isinstance(item, QDockWidget) \
            else item.isVisible()

    def _restore_controls(self) -> None:
        for item, shown in reversed(self._hidden):
            item.setVisible(shown)
        self._hidden = []
