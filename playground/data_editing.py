"""What the plot's drawing, the Data panel's draw controls and the data table share.

``CurrentData`` builds the document's dataset once per dataset edit (the plot and the table both
show it), ``DataSelection`` holds the rows selected in either (by global row: training rows first,
then test rows), ``DrawState`` the draw mode, tool and class. Every edit still goes through the
controller as an ``EditData`` command; these objects only hold what views show.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from engine.datasets import Dataset
from engine.errors import EngineError
from playground.controller import Controller
from playground.document import points
from playground.document.build import build_dataset
from playground.document.model import Event, InlineData

DATA_SECTIONS = frozenset(("dataset", "mode"))
TOOLS = {"point": "Point: click adds, drag moves", "brush": "Brush: drag sprays a small cloud"}


class CurrentData(QObject):
    """The document's dataset as arrays, rebuilt when the dataset (or mode) changes."""

    changed = Signal()

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.data: Dataset | None = None
        self.problem = ""  # why there is no data to show, in words
        self.builds = 0  # datasets built (tests read it)
        controller.doc.events.subscribe(self._on_event)
        self.refresh()

    def _on_event(self, event: Event) -> None:
        if event.kind == "document_replaced" or (
                event.kind == "settings_changed" and DATA_SECTIONS.intersection(event.fields)):
            self.refresh()

    def refresh(self) -> None:
        doc = self.controller.doc
        self.data, self.problem = None, ""
        if doc.dataset is None or doc.mode == "hopfield":
            self.problem = "no dataset"
        else:
            self.builds += 1
            try:
                inline = doc.dataset.inline
                self.data = points.preview(inline) if inline is not None else build_dataset(doc)
            except EngineError as exc:
                self.problem = str(exc)
        self.changed.emit()

    @property
    def inline(self) -> InlineData | None:
        spec = self.controller.doc.dataset
        return None if spec is None else spec.inline

    def editable(self) -> InlineData | None:
        """The rows to edit: the inline data, or the shown dataset converted ("Edit these
        points"; the edit that uses them is then one undo step with the conversion)."""
        if self.inline is not None:
            return self.inline
        return None if self.data is None else points.from_dataset(self.data)

    def n_rows(self) -> int:
        d = self.data
        return 0 if d is None else len(d.X_train) + len(d.X_test)


class DataSelection(QObject):
    """Rows selected in the table or on the plot; ``changed`` carries who changed them."""

    changed = Signal(object)  # the origin (a view), so it does not echo its own change

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = np.zeros(0, dtype=np.int64)

    def set(self, rows: object, origin: object = None) -> None:
        new = np.unique(np.asarray(rows, dtype=np.int64).ravel())
        if not np.array_equal(new, self.rows):
            self.rows = new
            self.changed.emit(origin)


class DrawState(QObject):
    """Draw mode on or off, the tool, and the class (or regression value) new points get."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self.tool = "point"
        self.label = 0.0  # class index, or the target value for regression
        self.brush_points = 6  # points per dab of the brush
        self.brush_radius = 0.04  # of the plane's width

    def update(self, **changes: object) -> None:
        for name, value in changes.items():
            if name not in ("enabled", "tool", "label", "brush_points", "brush_radius"):
                raise KeyError(name)
            setattr(self, name, value)
        self.changed.emit()


class DataEditor(QObject):
    """Row edits the plot and the table share, each sent to the controller as one command."""

    def __init__(self, controller: Controller, current: CurrentData, selection: DataSelection,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.current, self.selection = controller, current, selection

    def _edit(self, make, text: str, stroke: int | None = None) -> bool:
        """``make(inline) → new inline`` on the editable rows, pushed; False (and why, in the
        status bar) when there is nothing editable."""
        inline = self.current.editable()
        if inline is None:
            self.controller.status.emit(f"Cannot edit the data: {self.current.problem or 'no dataset'}")
            return False
        try:
            new = make(inline)
        except EngineError as exc:
            self.controller.status.emit(f"Cannot edit the data: {exc}")
            return False
        if new is not inline:
            self.controller.edit_data(new, text, stroke)
        return True

    def add(self, rows: list[list[float]], label: float, text: str, stroke: int | None = None,
            test: bool = False) -> int | None:
        """New points; returns the global row of the first one (None if refused)."""
        inline = self.current.editable()
        first = None if inline is None else points.counts(inline)[0] + (
            points.counts(inline)[1] if test else 0)
        ok = self._edit(lambda d: points.add_rows(d, rows, label, test), text, stroke)
        return first if ok else None

    def move(self, row: int, xy: list[float], stroke: int) -> None:
        self._edit(lambda d: points.set_rows(d, inputs={row: xy}), "Move point", stroke)

    def set_cells(self, inputs: dict[int, list[float]] | None = None,
                  labels: dict[int, float] | None = None, text: str = "Edit data") -> bool:
        return self._edit(lambda d: points.set_rows(d, inputs, labels), text)

    def set_split(self, rows: list[int], test: bool) -> bool:
        return self._edit(lambda d: points.set_split(d, rows, test),
                          f"Move {_rows(len(rows))} to the {'test' if test else 'training'} set")

    def delete(self, rows: object) -> None:
        rows = [int(r) for r in np.asarray(rows).ravel()]
        if not rows:
            self.controller.status.emit("Nothing to delete: select points or rows first")
            return
        if self._edit(lambda d: points.remove_rows(d, rows), f"Delete {_rows(len(rows))}"):
            self.selection.set([], self)

    def clear(self) -> None:
        if self.current.n_rows() == 0:
            self.controller.status.emit("There are no points to clear")
            return
        if self._edit(points.clear, "Clear points"):
            self.selection.set([], self)

    def edit_these_points(self) -> None:
        """The generated dataset becomes inline points (one undo step)."""
        if self.current.inline is not None:
            self.controller.status.emit("These points are already your own: draw or edit them")
            return
        inline = self.current.editable()
        if inline is None:
            self.controller.status.emit(f"Cannot edit the data: {self.current.problem}")
            return
        self.controller.edit_data(inline, "Edit these points")

    def new_plane(self, task: str, classes: int = 2) -> None:
        """Start drawing on an empty plane (the network's inputs/outputs are offered to match)."""
        what = {"binary": "two classes", "multiclass": f"{classes} classes",
                "regression": "values"}[task]
        self.controller.edit_data(points.empty_plane(task, classes), f"New empty plane ({what})")
        self.selection.set([], self)


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n:,} rows"
