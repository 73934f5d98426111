"""The Data table dock: the dataset as a table (inputs, target, split), sortable and editable.

The model reads the dataset's numpy arrays cell by cell as the view asks (no per-row objects), and
the sort proxy sorts with one ``numpy.argsort`` and maps rows through a permutation array, so
100,000 rows open, sort and scroll at once. Every edit is a command through ``DataEditor``.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from engine.datasets import Dataset
from playground.data_editing import CurrentData, DataEditor, DataSelection, DrawState
from playground.document import points

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the table's invisible parent
SPLITS = ("train", "test")


class DataTableModel(QAbstractTableModel):
    """Rows: the training rows, then the test rows. Columns: inputs, target(s), split."""

    def __init__(self, current: CurrentData, editor: DataEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current, self.editor = current, editor
        self.data_set: Dataset | None = None
        self.n_train = self.n_rows = 0
        self.columns: list[str] = []
        self.reads = 0  # cells read (tests check that only shown ones are)
        current.changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        """A new dataset: keep references to its arrays; no cell is read until shown."""
        self.beginResetModel()
        d = self.data_set = self.current.data
        self.n_train = 0 if d is None else len(d.X_train)
        self.n_rows = 0 if d is None else self.n_train + len(d.X_test)
        if d is None:
            self.columns = []
        else:
            targets = ["class"] if d.task != "regression" else list(d.output_names)
            self.columns = [*d.input_names, *targets, "split"]
        self.endResetModel()

    # -- shape ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self.n_rows

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section] if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def kind(self, column: int) -> str:
        """'input', 'target' or 'split'."""
        d = self.data_set
        if d is None or column < d.n_inputs:
            return "input"
        return "split" if column == len(self.columns) - 1 else "target"

    def _part(self, row: int) -> tuple[np.ndarray, np.ndarray, int]:
        d = self.data_set
        if row < self.n_train:
            return d.X_train, d.Y_train, row
        return d.X_test, d.Y_test, row - self.n_train

    # -- cells ------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.data_set is None or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        self.reads += 1
        row, col = index.row(), index.column()
        X, Y, k = self._part(row)
        kind = self.kind(col)
        if kind == "split":
            return SPLITS[row >= self.n_train]
        if kind == "input":
            return _number(X[k, col], role)
        d = self.data_set
        if d.task == "regression":
            return _number(Y[k, col - d.n_inputs], role)
        label = int(points.label_of(d.task, Y[k]))
        return d.class_names[label] if label < len(d.class_names) else str(label)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        d = self.data_set
        if d is None or (self.kind(index.column()) == "target" and d.task == "regression"
                         and d.n_outputs > 1):  # a drawn value is one column
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A typed cell: one undo step; a value that does not fit says why in the status bar."""
        d = self.data_set
        if d is None or not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, col, text = index.row(), index.column(), str(value).strip()
        kind = self.kind(col)
        name = self.columns[col]
        if kind == "split":
            if text.lower() not in SPLITS:
                return self._refuse(f"the split is 'train' or 'test', not {text!r}")
            return self.editor.set_split([row], text.lower() == "test")
        if kind == "target" and d.task != "regression":
            label = _class_index(text, d.class_names)
            if label is None:
                return self._refuse(f"{text!r} is not a class here ({', '.join(d.class_names)})")
            return self.editor.set_cells(labels={row: label}, text=f"Set class of row {row + 1}")
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return self._refuse(f"{name} must be a finite number, not {text!r}")
        if kind == "target":
            return self.editor.set_cells(labels={row: number}, text=f"Set {name} of row {row + 1}")
        X, _, k = self._part(row)
        inputs = X[k].tolist()
        inputs[col] = number
        return self.editor.set_cells(inputs={row: inputs}, text=f"Set {name} of row {row + 1}")

    def _refuse(self, why: str) -> bool:
        self.editor.controller.status.emit(f"Not changed: {why}")
        return False

    def sort_keys(self, column: int) -> np.ndarray:
        """One column as numbers, for the proxy's argsort."""
        d = self.data_set
        if d is None:
            return np.zeros(0)
        kind = self.kind(column)
        if kind == "split":
            return (np.arange(self.n_rows) >= self.n_train).astype(float)
        Y = np.vstack([d.Y_train, d.Y_test])
        if kind == "input":
            return np.concatenate([d.X_train[:, column], d.X_test[:, column]])
        if d.task == "regression":
            return Y[:, column - d.n_inputs]
        return Y.argmax(axis=1).astype(float) if d.task == "multiclass" else Y[:, 0]


def _number(value: float, role: int) -> str:
    """Shown short; edited in full (text, so the editor is a line edit, not a 2-decimal spin box)."""
    return repr(float(value)) if role == Qt.ItemDataRole.EditRole else f"{value:.6g}"


def _class_index(text: str, names: tuple[str, ...]) -> int | None:
    if text in names:
        return names.index(text)
    if text.isdigit() and int(text) < len(names):
        return int(text)
    return None


class SortProxy(QAbstractProxyModel):
    """Sorting by a permutation array: ``order[proxy row]`` is the source row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.order = self.inverse = np.zeros(0, dtype=np.int64)
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self.sorts = 0  # argsorts done (tests read it)

    def setSourceModel(self, model: DataTableModel) -> None:
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        self._source_reset()

    def _source_reset(self) -> None:
        self._arrange()
        self.endResetModel()

    def _arrange(self) -> None:
        model: DataTableModel = self.sourceModel()
        n = model.n_rows
        if self.sort_column < 0 or self.sort_column >= model.columnCount():
            self.order = np.arange(n)
        else:
            self.sorts += 1
            self.order = np.argsort(model.sort_keys(self.sort_column), kind="stable")
            if self.sort_order == Qt.SortOrder.DescendingOrder:
                self.order = self.order[::-1]
        self.inverse = np.empty(n, dtype=np.int64)
        self.inverse[self.order] = np.arange(n)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (self.sort_column, self.sort_order):
            return  # the view asks twice (its call and the header's indicator)
        self.beginResetModel()
        self.sort_column, self.sort_order = column, order
        self._arrange()
        self.endResetModel()

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self.order)) or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() or self.sourceModel() is None else self.sourceModel().columnCount()

    def mapToSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or index.row() >= len(self.order):
            return QModelIndex()
        return self.sourceModel().index(int(self.order[index.row()]), index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or index.row() >= len(self.inverse):
            return QModelIndex()
        return self.index(int(self.inverse[index.row()]), index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:  # a row keeps its number when sorted
            if role != Qt.ItemDataRole.DisplayRole or section >= len(self.order):
                return None
            return str(int(self.order[section]) + 1)
        return self.sourceModel().headerData(section, orientation, role)


class DataTable(QWidget):
    """The dock's widget: the table, its row buttons and a caption."""

    def __init__(self, current: CurrentData, selection: DataSelection, editor: DataEditor,
                 state: DrawState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current, self.selection, self.editor, self.state = current, selection, editor, state
        self.model = DataTableModel(current, editor, self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setDefaultSectionSize(90)
        self.add_button = QPushButton("Add row")
        self.add_button.setToolTip("A new training row (a copy of the selected one, or the plane's centre)")
        self.delete_button = QPushButton("Delete rows")
        self.delete_button.setToolTip("Delete the selected rows (Del)")
        self.caption = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(lambda: self.editor.delete(self.selection.rows))
        self.view.installEventFilter(self)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._table_selected)
        selection.changed.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)
        self._after_reset()

    def source_rows(self) -> np.ndarray:
        """The selected rows as global data rows, read from the selection's ranges."""
        ranges = self.view.selectionModel().selection()
        parts = [self.proxy.order[r.top():r.bottom() + 1] for r in ranges]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _table_selected(self, *_: object) -> None:
        if not self._syncing:
            self.selection.set(self.source_rows(), self)

    def _selection_changed(self, origin: object) -> None:
        if origin is not self:
            self._select(self.selection.rows)

    def _select(self, rows: np.ndarray) -> None:
        """Select source rows in the view: contiguous proxy rows become one range each."""
        rows = rows[rows < len(self.proxy.inverse)]
        proxy_rows = np.sort(self.proxy.inverse[rows])
        selection = QItemSelection()
        last = self.proxy.columnCount() - 1
        if len(proxy_rows):
            breaks = np.flatnonzero(np.diff(proxy_rows) != 1)
            starts = np.concatenate([[0], breaks + 1])
            ends = np.concatenate([breaks, [len(proxy_rows) - 1]])
            for a, b in zip(starts, ends, strict=True):
                selection.select(self.proxy.index(int(proxy_rows[a]), 0),
                                 self.proxy.index(int(proxy_rows[b]), last))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._syncing = False
        if len(proxy_rows):
            self.view.scrollTo(self.proxy.index(int(proxy_rows[0]), 0))

    def _after_reset(self) -> None:
        n = self.model.n_rows
        self.caption.setText(f"{n:,} rows: {self.model.n_train:,} train, {n - self.model.n_train:,} test"
                             if self.current.data is not None else self.current.problem)
        self.add_button.setEnabled(self.current.data is not None)
        self._select(self.selection.rows)

    def add_row(self) -> None:
        d = self.current.data
        if d is None:
            return
        rows = self.selection.rows
        if len(rows):
            X = np.vstack([d.X_train, d.X_test])
            Y = np.vstack([d.Y_train, d.Y_test])
            inputs, label = X[rows[0]].tolist(), points.label_of(d.task, Y[rows[0]])
        else:
            inputs = [0.0] * d.n_inputs
            if d.x_range is not None:
                inputs = [sum(d.x_range) / 2, sum(d.y_range or d.x_range) / 2]
            label = self.state.label if d.task == "regression" or self.state.label < max(
                2, len(d.class_names)) else 0.0
        row = self.editor.add([inputs], label, "Add row")
        if row is not None:
            self.selection.set([row])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Del in the table deletes rows (the window's Del shortcut deletes neurons)."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and \
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                self.view.state() != QTableView.State.EditingState:
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.editor.delete(self.selection.rows)
            return True
        return False
