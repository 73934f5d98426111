"""Import Data… and drag-and-drop of a .csv, Export Data…, feature inputs: driven as a user would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from engine.csvdata import read_table
from playground.dialogs.import_data import ImportDataDialog
from playground.document.fileformat import document_to_data
from tests.qt.conftest import open_window

FLOWERS = ("name;length;width;species\n" + "".join(
    f"f{k};{1 + k % 7 * 0.5};{0.2 + k % 3};{('setosa', 'versicolor', 'virginica')[k % 3]}\n"
    for k in range(30)) + "f30;;1.0;setosa\n")


@pytest.fixture
def flowers(tmp_path) -> Path:
    path = tmp_path / "flowers.csv"
    path.write_bytes(b"\xef\xbb\xbf" + FLOWERS.encode())
    return path


def ok_button(dialog: ImportDataDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_dialog_previews_detects_and_explains_then_imports(qtbot, flowers) -> None:
    dialog = ImportDataDialog(flowers, flowers.read_bytes())
    qtbot.addWidget(dialog)
    assert dialog.preview.rowCount() == 20 and dialog.preview.horizontalHeaderItem(3).text() == "species"
    assert dialog.roles() == ["ignore", "input", "input", "target"]
    assert "semicolon" in dialog.encoding.text() and "utf-8-sig" in dialog.encoding.text()
    # the empty cell on line 32 blocks the import until the user drops such rows
    assert dialog.summary.text().startswith("line 32, column 'length': the cell is empty")
    assert not ok_button(dialog).isEnabled()
    dialog.drop_bad.click()
    assert ok_button(dialog).isEnabled()
    assert "3 classes: setosa 10 (33 %), versicolor 10 (33 %), virginica 10 (33 %)" in dialog.summary.text()
    assert "1 row dropped (line 32)" in dialog.summary.text()
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(","))  # overridden: one column
    assert dialog.preview.columnCount() == 1 and dialog.roles() == ["target"]
    assert dialog.summary.text() == "choose at least one input column" and not ok_button(dialog).isEnabled()
    dialog.delimiter.setCurrentIndex(0)
    dialog.header.setCurrentIndex(dialog.header.findData(False))  # the names become a data row
    assert dialog.preview.horizontalHeaderItem(0).text() == "column 1"
    dialog.header.setCurrentIndex(0)
    dialog.drop_bad.setChecked(True)
    dialog.set_role("width", "ignore")
    dialog.scaling.setCurrentIndex(dialog.scaling.findData("standardise"))
    assert dialog.spec.inline.input_names == ["length"] and dialog.spec.scaling.method == "standardise"


def test_import_menu_is_one_undo_step_with_named_inputs_and_outputs(qtbot, settings, flowers) -> None:
    win = open_window(qtbot, settings)
    win.open_example("xor")
    before = document_to_data(win.controller.doc)
    seen = {}

    def answer(path, data):  # the dialog as a user leaves it: bad rows dropped, Import pressed
        dialog = ImportDataDialog(path, data, win)
        dialog.drop_bad.setChecked(True)
        seen["dialog"] = dialog
        return dialog.spec, dialog.match_io.isChecked()

    win.data_files.ask_import_path = lambda: flowers
    win.data_files.ask_import = answer
    assert win.data_files.act_import in win.menuBar().actions()[0].menu().actions()
    win.data_files.act_import.trigger()
    doc = win.controller.doc
    assert doc.dataset.inline.class_names == ["setosa", "versicolor", "virginica"]
    assert [n.label for n in doc.by_role("input")] == ["length", "width"]
    assert [n.label for n in doc.by_role("output")] == ["setosa", "versicolor", "virginica"]
    assert win.controller.stack.undo_text == "Import data from flowers.csv"
    assert "classes setosa, versicolor, virginica" in win.dataset_panel.caption.text()
    assert win.dataset_panel.name_combo.currentIndex() == -1  # no built-in dataset is chosen
    assert "Imported 30 rows from flowers.csv" in win.statusBar().currentMessage()
    win.controller.undo()
    assert document_to_data(win.controller.doc) == before


def drop(win, path: Path) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = win.view.viewport()  # dropped on the canvas, it reaches the window
    pos = QPointF(50, 50)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    dropped = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, dropped)
    return enter.isAccepted(), dropped.isAccepted()


def test_a_csv_dropped_on_the_window_opens_the_import(qtbot, settings, flowers, tmp_path) -> None:
    win = open_window(qtbot, settings)
    asked = []
    win.data_files.ask_import = lambda path, data: asked.append(path) or None  # then cancelled
    assert drop(win, flowers) == (True, True)
    assert asked == [flowers]
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    drop(win, other)
    assert asked == [flowers]  # only CSV files are taken
    win.data_files.import_dialog(tmp_path / "missing.csv")
    assert win.errors_shown == [f"no such file: {tmp_path / 'missing.csv'}"]


def test_export_data_writes_the_dataset_with_its_split(qtbot, settings, tmp_path) -> None:
    win = open_window(qtbot, settings)
    win.open_example("circle")
    out = tmp_path / "out.csv"
    win.data_files.ask_export_path = lambda: out
    win.data_files.act_export.trigger()
    table = read_table(out.read_bytes())
    assert table.header == ("x1", "x2", "y", "split") and len(table.rows) == 500
    assert {r[3] for r in table.rows} == {"train", "test"}


def test_feature_check_box_adds_a_wired_input_and_trains(qtbot, settings) -> None:
    win = open_window(qtbot, settings, runner="thread")
    win.open_example("circle")
    doc = win.controller.doc
    box = win.dataset_panel.features.boxes["x1_squared"]
    assert box.isEnabled() and not box.isChecked()
    steps = len(win.controller.stack.entries)
    box.click()
    assert doc.dataset.features == ["x1_squared"]
    new = [n for n in doc.by_role("input") if n.label == "x₁²"]
    assert len(new) == 1
    first = doc.by_role("input")[0].id
    assert sorted(c.target for c in doc.outgoing(new[0].id)) == sorted(c.target for c in doc.outgoing(first))
    assert len(win.controller.stack.entries) == steps + 1
    win.training.step_epoch()  # trains with the derived input: its thumbnail map exists
    qtbot.waitUntil(lambda: win.training.history.epochs >= 1, timeout=10000)
    box.click()
    assert doc.dataset.features == [] and not [n for n in doc.by_role("input") if n.label == "x₁²"]
    win.controller.undo()
    assert doc.dataset.features == ["x1_squared"] and box.isChecked()
    win.open_example("iris")
    assert not box.isEnabled()  # 4-D data: features are x₁/x₂ functions


def test_class_names_label_the_legend_and_the_confusion_matrix(qtbot, settings) -> None:
    win = open_window(qtbot, settings, runner="thread")
    win.open_example("iris")
    win.training.step_epoch()
    qtbot.waitUntil(lambda: win.training.history.epochs >= 1, timeout=10000)
    axis = win.output_plot.scores.matrix_plot.getAxis("bottom")
    names = [label for _, label in axis._tickLevels[0]]
    assert names == ["setosa", "versicolor", "virginica"]  # resources/datasets/iris.csv's names
    win.open_example("circle")
    win.training.step_epoch()
    qtbot.waitUntil(lambda: win.training.history.epochs >= 1, timeout=10000)
    assert win.output_plot.boundary.legend_names == ["0", "1"]
    title = win.output_plot.boundary.plot.getPlotItem().titleLabel.text
    assert "Decision boundary" in title and "&nbsp;0" in title and "&nbsp;1" in title
    assert np.isfinite(win.output_plot.boundary.image.image).all()


def test_feature_inputs_get_their_own_thumbnails_during_a_run(qtbot, settings) -> None:
    """x₁² over the plane: the input neuron's map is brightest at the plane's left and right edges."""
    win = open_window(qtbot, settings, runner="thread")
    win.open_example("circle-features")
    win.controller.set_training(epochs=100_000)
    win.training.play()
    square = win.scene.neurons["x1sq"]
    qtbot.waitUntil(lambda: square.thumbnail is not None, timeout=15000)
    win.training.stop()
    grid = win.training_views.neuron_grids["x1sq"]
    n = grid.shape[1]
    np.testing.assert_allclose(grid[n // 2], np.linspace(-6, 6, n) ** 2)  # a row of x₁², any y
    assert win.scene.neurons["x1"].thumbnail is not None
    win.open_example("circle")
    win.training.step_epoch()
    qtbot.waitUntil(lambda: win.training.history.epochs >= 1, timeout=10000)
    qtbot.wait(300)
    assert win.scene.neurons["x1"].thumbnail is None  # plain inputs keep no map without features


def test_input_scaling_is_fitted_on_the_training_rows_and_undoes(qtbot, settings) -> None:
    from playground.document import build

    win = open_window(qtbot, settings, runner="thread")
    win.open_example("gauss")
    panel = win.dataset_panel.features
    panel.scaling.setCurrentIndex(panel.scaling.findData("minmax"))
    panel.scaling.activated.emit(panel.scaling.currentIndex())  # what a user's pick sends
    doc = win.controller.doc
    X = build.build_dataset(doc).X_train
    assert doc.dataset.scaling.offset == list(X.min(axis=0))
    np.testing.assert_allclose(doc.dataset.scaling.scale, X.max(axis=0) - X.min(axis=0))
    assert win.controller.stack.undo_text == "Scale inputs: minmax"
    box = win.dataset_panel.features.boxes["sin_x1"]
    box.click()  # a feature refits the scaling to the new inputs
    assert len(doc.dataset.scaling.offset) == 3
    net = build.training_job(doc).network_data().X_train
    assert net.min() == 0 and net.max() == 1
    win.controller.undo()
    win.controller.undo()
    assert doc.dataset.scaling is None and panel.scaling.currentData() is None
