"""The glass box's state in the app: the current example, its explained step and the walk-through.

Views (canvas annotations, formula panel, hover cards) read this object and repaint on
``changed``; it recomputes the explanation only when asked after something it depends on moved
(document values, structure or settings; a running training's newest snapshot), so hovering and
repainting never show stale numbers and never compute twice for one change.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from engine.errors import EngineError
from playground.controller import Controller
from playground.document import glassbox
from playground.document.build import build_dataset
from playground.document.errors import DocumentError
from playground.document.model import Event
from playground.glassbox.labels import Stage
from playground.training.controller import TrainingController

LIVE_INTERVAL_MS = 100  # during training the glass box follows the snapshots at most this often
LIVE_COST_FACTOR = 5  # and spends at most a fifth of the GUI thread's time on it


class GlassBox(QObject):
    changed = Signal()

    def __init__(self, controller: Controller, training: TrainingController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.training = controller, training
        self.x: list[float] | None = None
        self.y: list[float] | None = None  # None: the dataset's label (or unknown)
        self.source = ""  # where the example came from, in words ("training point 3")
        self.row: tuple[str, int] | None = None  # ("train" | "test", index) when it is a data row
        self.stages: list[Stage] = []
        self.stage: int | None = None  # index into stages while walking, else None
        self.error = ""  # why there is no explanation (shown instead of numbers)
        self.last_change: dict[str, float] = {}  # connection id → the last change of its weight
        self._explained: glassbox.ExplainedExample | None = None
        self._stale = True
        self._before_apply: glassbox.ExplainedExample | None = None
        self._applying = False
        self._order: tuple[int, ...] = ()  # the evaluation order the stages were made for
        self._weights = self._document_weights()
        self._emit = QTimer(self)
        self._emit.setSingleShot(True)
        self._emit.setInterval(0)
        self._emit.timeout.connect(self.changed.emit)
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_INTERVAL_MS)
        self._live.timeout.connect(self._on_live)
        self._doc = None
        self._follow()
        controller.document_reset.connect(self._on_reset)
        training.snapshot.connect(lambda _: self._live.isActive() or self._live.start())
        training.state_changed.connect(self._on_train_state)

    # -- following the document and the run ----------------------------------------------------
    def _follow(self) -> None:
        if self._doc is not None:
            self._doc.events.unsubscribe(self._on_event)
        self._doc = self.controller.doc
        self._doc.events.subscribe(self._on_event)

    def _on_reset(self) -> None:
        self._follow()
        self.leave()
        self.x = self.y = None
        self.source = ""
        self.last_change = {}
        self._weights = self._document_weights()
        self.invalidate()

    def _on_event(self, event: Event) -> None:
        if event.kind in ("values_changed", "connection_changed", "document_replaced"):
            self._note_changes(self._document_weights())
        structural = event.kind in ("neuron_added", "neuron_removed", "connection_added",
                                    "connection_removed", "document_replaced")
        applied = self.current() is not None and self.current().kind == "applied"
        if event.kind == "settings_changed" and "dataset" in event.fields:
            self.x = self.y = None  # its rows are other points now
            self.source = ""
        if structural or (event.kind == "settings_changed" and {"mode", "dataset"} & set(event.fields)) \
                or (applied and not self._applying):  # e.g. the update undone: start afresh
            self.leave()
        self.invalidate()

    def _on_train_state(self, state: str) -> None:
        """A run moves every weight: a walk-through (one step by hand) ends when one starts."""
        if state == "running":
            self.leave()
        self.invalidate()

    def _on_live(self) -> None:
        live = self.training.live_values()
        if live is not None:
            self._note_changes(live[0])
        self.invalidate()

    def _document_weights(self) -> dict[str, float | None]:
        return {cid: c.weight for cid, c in self.controller.doc.connections.items()}

    def _note_changes(self, weights: dict) -> None:
        """Remember how much each weight moved since the values last seen (the hover card's
        "last change")."""
        for cid, w in weights.items():
            old = self._weights.get(cid)
            if w is not None and old is not None and w != old:
                self.last_change[cid] = w - old
        self._weights = dict(weights)

    def invalidate(self) -> None:
        self._stale = True
        self._emit.start()

    # -- the example ---------------------------------------------------------------------------
    def set_example(self, x: list[float], y: list[float] | None = None, source: str = "") -> None:
        self.x, self.y, self.source = [float(v) for v in x], y, source or "typed in"
        self.row = None
        self._stale = True
        self.changed.emit()  # a user's choice: shown now, not after the event loop turns

    def choose_row(self, index: int, split: str = "train") -> bool:
        """A row of the project's data (``split`` "train", "test" or "all") becomes the example."""
        try:
            data = build_dataset(self.controller.doc)
        except (EngineError, DocumentError) as exc:
            self.error = str(exc)
            self.changed.emit()
            return False
        if split == "all":  # training rows, then test rows (the one-input fit plot's points)
            n = len(data.X_train)
            split, index = ("train", index) if index < n else ("test", index - n)
        X, Y = (data.X_train, data.Y_train) if split == "train" else (data.X_test, data.Y_test)
        if not 0 <= index < len(X):
            return False
        what = "training point" if split == "train" else "test point"
        self.set_example(X[index].tolist(), Y[index].tolist(), f"{what} {index + 1}")
        self.row = (split, index)
        return True

    def explained(self) -> glassbox.ExplainedExample | None:
        """The explained step for the current example (None, with ``error`` set, when there is
        none), with a running training's newest values while it runs."""
        if not self._stale:
            return self._explained
        self._stale = False
        self._explained, self.error = None, ""
        doc = self.controller.doc
        if self.x is None or doc.mode == "hopfield":
            return None
        live = self.training.live_values() if self.training.state != "idle" else None
        started = time.perf_counter()
        try:
            self._explained = glassbox.explain_example(doc, self.x, self.y, live)
        except (EngineError, DocumentError) as exc:
            self.error = str(exc)
        # a big net (digits: ~0.15 s) is followed less often, so training stays smooth
        cost_ms = (time.perf_counter() - started) * 1000
        self._live.setInterval(max(LIVE_INTERVAL_MS, int(LIVE_COST_FACTOR * cost_ms)))
        if self.walking and (self._explained is None or self._explained.explanation.order != self._order):
            self.leave()  # an edit changed what is evaluated in which order (a role, an error)
        return self._explained

    # -- the walk-through -----------------------------------------------------------------------
    @property
    def walking(self) -> bool:
        return self.stage is not None

    def current(self) -> Stage | None:
        return self.stages[self.stage] if self.stage is not None else None

    def start(self) -> bool:
        """Begin at the first neuron (with the first training point if no example is chosen)."""
        self.training.stop()
        if self.x is None and not self.choose_row(0):
            return False
        ex = self.explained()
        if ex is None:
            self.changed.emit()
            return False
        order = self._order = ex.explanation.order
        self.stages = ([Stage("forward", i) for i in order] + [Stage("loss")]
                       + [Stage("backward", i) for i in reversed(order)] + [Stage("update")])
        self._before_apply = None
        self.stage = 0
        self.changed.emit()
        return True

    def next(self) -> None:
        """One stage on; on the update stage, apply it (one undo step)."""
        if self.stage is None:
            self.start()
            return
        kind = self.stages[self.stage].kind
        if kind == "update":
            self.apply()
        elif kind != "applied":
            self.stage += 1
            self.changed.emit()

    def previous(self) -> None:
        if self.stage is not None and self.stage > 0 and self.stages[self.stage].kind != "applied":
            self.stage -= 1
            self.changed.emit()

    def to_end(self) -> None:
        """Straight to the update stage (the next Next applies it)."""
        if self.stage is None and not self.start():
            return
        if self.stages[self.stage].kind != "applied":
            self.stage = len(self.stages) - 1
            self.changed.emit()

    def leave(self) -> None:
        if self.stage is not None:
            self.stage = None
            self.stages = []
            self._before_apply = None
            self._emit.start()

    def apply(self) -> None:
        """Push the explained update as one undoable command; show the weights' change."""
        ex = self.explained()
        if ex is None:
            return
        command = glassbox.update_command(self.controller.doc, ex)
        self._applying = True
        try:
            self.controller.push(command)
        finally:
            self._applying = False
        self._before_apply = ex
        if self.stage is not None:
            self.stages = [*self.stages[:-1], Stage("update"), Stage("applied")]
            self.stage = len(self.stages) - 1
        self.changed.emit()

    def before_apply(self) -> glassbox.ExplainedExample | None:
        """The step that was applied (its weights are the "before" of the applied stage)."""
        return self._before_apply
