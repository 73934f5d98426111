"""The Data table dock: cells typed (undoable), sort, add/delete rows, selection shared with the
plot, and a 100,000-row dataset read lazily."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from playground.document.model import DatasetSpec, Document, InlineData
from tests.qt.conftest import open_window
from tests.qt.test_draw_data import click


def inline_doc(X: np.ndarray, labels: np.ndarray, test: int = 0, task: str = "binary") -> Document:
    Y = labels.reshape(-1, 1).astype(float)
    n = len(X) - test
    inline = InlineData(X[:n].tolist(), Y[:n].tolist(), task,
                        X[n:].tolist() if test else None, Y[n:].tolist() if test else None,
                        ["a", "b"], ["y"], plane=[-6.0, 6.0, -6.0, 6.0])
    return Document(dataset=DatasetSpec(name=None, inline=inline))


@pytest.fixture
def table_window(qtbot, settings):
    win = open_window(qtbot, settings, "thread")
    win.resize(1280, 800)
    win.docks["output"].setMinimumHeight(330)
    X = np.array([[3.0, 1.0], [-1.0, 2.0], [2.0, -3.0], [0.5, 0.5], [-4.0, 4.0]])
    win.controller.reset(inline_doc(X, np.array([0, 1, 1, 0, 1]), test=1), None)
    win.docks["table"].show()
    win.docks["table"].raise_()
    qtbot.waitExposed(win)
    yield win
    win.training.stop()


def cell(win, row: int, col: int) -> str:
    proxy = win.data_tools.table.proxy
    return proxy.data(proxy.index(row, col))


def type_into(win, qtbot, row: int, col: int, text: str) -> None:
    """Double-click a cell's editor open, type, press Enter: as a user edits it."""
    view = win.data_tools.table.view
    index = view.model().index(row, col)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)  # the delegate commits queued


def test_the_table_shows_inputs_class_and_split(table_window) -> None:
    win = table_window
    model = win.data_tools.table.model
    assert model.columns == ["a", "b", "class", "split"]
    assert [cell(win, r, 0) for r in range(5)] == ["3", "-1", "2", "0.5", "-4"]
    assert [cell(win, r, 2) for r in range(5)] == ["0", "1", "1", "0", "1"]
    assert [cell(win, r, 3) for r in range(5)] == ["train"] * 4 + ["test"]
    assert win.data_tools.table.caption.text() == "5 rows: 4 train, 1 test"


def test_typing_a_cell_is_one_undo_step_and_a_bad_value_changes_nothing(table_window, qtbot) -> None:
    win = table_window
    inline = lambda: win.controller.doc.dataset.inline  # noqa: E731
    type_into(win, qtbot, 1, 1, "2.75")
    assert inline().inputs[1] == [-1.0, 2.75]
    assert win.controller.stack.undo_text == "Set b of row 2"
    assert len(win.output_plot.boundary.train_points.data) == 4  # the plot follows the table
    np.testing.assert_allclose(win.output_plot.boundary.data.X_train[1], [-1.0, 2.75])
    type_into(win, qtbot, 0, 2, "1")  # a class by index
    assert inline().targets[0] == [1.0]
    type_into(win, qtbot, 0, 3, "test")  # to the test set: it moves to the end
    assert inline().test_inputs == [[-4.0, 4.0], [3.0, 1.0]]
    steps = len(win.controller.stack.entries)
    messages: list[str] = []
    win.controller.status.connect(messages.append)
    type_into(win, qtbot, 0, 0, "abc")
    type_into(win, qtbot, 0, 2, "7")
    assert len(win.controller.stack.entries) == steps
    assert messages == ["Not changed: a must be a finite number, not 'abc'",
                        "Not changed: '7' is not a class here (0, 1)"]
    for _ in range(3):
        win.controller.undo()
    assert inline().inputs[1] == [-1.0, 2.0] and inline().targets[0] == [0.0]
    assert inline().test_inputs == [[-4.0, 4.0]]


def test_sorting_orders_by_the_column_and_rows_keep_their_numbers(table_window) -> None:
    win = table_window
    table = win.data_tools.table
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [cell(win, r, 0) for r in range(5)] == ["-4", "-1", "0.5", "2", "3"]
    header = [table.proxy.headerData(r, Qt.Orientation.Vertical) for r in range(5)]
    assert header == ["5", "2", "4", "3", "1"]  # the data's own row numbers
    table.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [cell(win, r, 1) for r in range(5)] == ["4", "2", "1", "0.5", "-3"]
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # stable within a class
    assert [cell(win, r, 2) for r in range(5)] == ["0", "0", "1", "1", "1"]


def test_an_edit_in_a_sorted_table_changes_the_row_shown(table_window, qtbot) -> None:
    win = table_window
    win.data_tools.table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    type_into(win, qtbot, 0, 1, "-5")  # shown first: the data's row 5 (a test row)
    assert win.controller.doc.dataset.inline.test_inputs == [[-4.0, -5.0]]
    assert cell(win, 0, 1) == "-5"  # still sorted by column a, so still on top


def test_add_and_delete_rows_with_the_buttons_and_del(table_window, qtbot) -> None:
    win = table_window
    table = win.data_tools.table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    inline = win.controller.doc.dataset.inline
    assert len(inline.inputs) == 5 and inline.inputs[-1] == [0.0, 0.0]  # the plane's centre
    assert win.data_tools.selection.rows.tolist() == [4]  # the new row, selected
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)  # a copy of the selected
    assert win.controller.doc.dataset.inline.inputs[-1] == [0.0, 0.0]
    sm = table.view.selectionModel()
    sm.select(table.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
              | QItemSelectionModel.SelectionFlag.Rows)
    sm.select(table.proxy.index(2, 0), QItemSelectionModel.SelectionFlag.Select
              | QItemSelectionModel.SelectionFlag.Rows)
    assert win.data_tools.selection.rows.tolist() == [0, 2]
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert win.controller.doc.dataset.inline.inputs == [[-1.0, 2.0], [0.5, 0.5], [0.0, 0.0],
                                                        [0.0, 0.0]]
    assert win.controller.stack.undo_text == "Delete 2 rows"
    win.controller.add_neuron("input", (0.0, 0.0))
    sm.select(table.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
              | QItemSelectionModel.SelectionFlag.Rows)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    assert win.controller.doc.dataset.inline.inputs[0] == [0.5, 0.5]
    assert len(win.controller.doc.neurons) == 1  # Del in the table deletes rows, not neurons
    for _ in range(3):  # the Del, the neuron, the button's delete
        win.controller.undo()
    assert len(win.controller.doc.dataset.inline.inputs) == 6


def test_rows_selected_in_the_table_ring_on_the_plot_and_clicked_points_select_rows(
        table_window, qtbot) -> None:
    win = table_window
    table, boundary = win.data_tools.table, win.output_plot.boundary
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    sm = table.view.selectionModel()
    sm.select(table.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
              | QItemSelectionModel.SelectionFlag.Rows)  # shown first: the point (-4, 4)
    x, y = boundary.highlight.getData()
    assert (list(x), list(y)) == ([-4.0], [4.0])
    qtbot.waitUntil(lambda: boundary.plot.height() > 200)
    click(win, 2.0, -3.0)  # the data's row 3: the plot selects it in the table
    assert win.data_tools.selection.rows.tolist() == [2]
    selected = [i.row() for i in sm.selectedRows()]
    assert [table.proxy.order[r] for r in selected] == [2]
    x, y = boundary.highlight.getData()
    assert (list(x), list(y)) == ([2.0], [-3.0])


def test_a_generated_dataset_shows_in_the_table_and_an_edit_makes_it_your_own(qtbot, settings) -> None:
    win = open_window(qtbot, settings, "thread")
    model = win.data_tools.table.model
    assert model.rowCount() == 500 and win.controller.doc.dataset.inline is None
    assert model.setData(model.index(0, 0), "1.25")
    inline = win.controller.doc.dataset.inline
    assert inline is not None and inline.inputs[0][0] == 1.25
    win.controller.undo()
    assert win.controller.doc.dataset.inline is None


def test_a_100k_row_table_reads_only_the_cells_it_shows(qtbot, settings) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(-6, 6, size=(100_000, 2))
    win = open_window(qtbot, settings, "thread")
    win.controller.reset(inline_doc(X, (X[:, 0] > 0).astype(int), test=20_000), None)
    win.docks["table"].show()
    win.docks["table"].raise_()
    table = win.data_tools.table
    qtbot.waitUntil(lambda: table.view.viewport().width() > 200)  # the dock laid out (made on show)
    model, proxy = table.model, table.proxy
    assert model.rowCount() == 100_000 and proxy.rowCount() == 100_000
    # the model holds the dataset's own arrays: no copy, no per-row objects
    data = win.data_tools.current.data
    assert model.data_set.X_train is data.X_train and model.data_set.X_test is data.X_test
    big = [k for k, v in vars(model).items() if isinstance(v, list | tuple | dict) and len(v) > 100]
    assert big == []
    table.view.grab()  # paints the visible rows
    assert 0 < model.reads < 2_000
    model.reads = proxy.sorts = 0
    table.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    table.view.grab()
    assert proxy.sorts == 1 and model.reads < 2_000  # one argsort, not a comparison per pair
    shown = [float(proxy.data(proxy.index(r, 0), Qt.ItemDataRole.EditRole)) for r in range(3)]
    assert shown == sorted(X[:, 0], reverse=True)[:3]
    assert isinstance(proxy.order, np.ndarray) and len(proxy.order) == 100_000


def test_the_table_is_made_when_its_dock_first_opens_with_the_data_and_selection_of_then(
        qtbot, settings) -> None:
    win = open_window(qtbot, settings, "thread")
    qtbot.waitExposed(win)
    X = np.array([[3.0, 1.0], [-1.0, 2.0], [2.0, -3.0]])
    win.controller.reset(inline_doc(X, np.array([0, 1, 1])), None)
    win.data_tools.selection.set([1], origin=win.output_plot)  # picked on the plot beforehand
    panel = win.data_tools.table_panel
    assert not panel.made and not win.docks["table"].isVisible()  # closed at start: not built
    action = next(a for a in win.menuBar().actions() if a.text() == "&Data").menu().actions()[-1]
    assert action.text() == "Data &Table"
    action.trigger()  # Data → Data Table, as a user opens it
    qtbot.waitUntil(lambda: panel.made and win.data_tools.table.view.viewport().width() > 100)
    table = win.data_tools.table
    assert table.parent() is panel and table.isVisible()
    assert [cell(win, r, 0) for r in range(3)] == ["3", "-1", "2"]
    assert table.source_rows().tolist() == [1]  # the plot's selection, shown in the new table
    win.training.stop()
