"""The main window as a user meets it: inspector, modes, layer builder, data, files and settings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from playground.dialogs.examples import ExampleGallery
from playground.dialogs.layer_builder import LayerBuilderDialog
from playground.document.fileformat import document_to_data, load_document
from playground.document.model import Document
from playground.main_window import MainWindow
from tests.qt.conftest import drag, drop_role, rim


def select(win, *ids: str) -> None:
    win.scene.select_ids(list(ids))


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_build_xor_2_2_1_from_an_empty_canvas_by_drag_and_drop_alone(window) -> None:
    window.controller.reset(Document(title="Untitled"), None)
    spots = {"x1": (-150, -50), "x2": (-150, 50), "h1": (0, -50), "h2": (0, 50), "o1": (150, 0)}
    for nid, pos in spots.items():
        drop_role(window, {"x": "input", "h": "hidden", "o": "output"}[nid[0]], *pos)
    assert sorted(window.controller.doc.neurons) == sorted(spots)
    for src, dst in [("x1", "h1"), ("x1", "h2"), ("x2", "h1"), ("x2", "h2"), ("h1", "o1"), ("h2", "o1")]:
        drag(window, rim(spots[src]), spots[dst])
    wires = {(c.source, c.target) for c in window.controller.doc.connections.values()}
    assert len(wires) == 6 and ("h2", "o1") in wires
    assert window.problems_label.text() == "✓ valid"  # xor dataset: 2 inputs, 1 output
    from engine.trainer import RunOptions, run
    from playground.document.build import prepare_training
    prepared = prepare_training(window.controller.doc)
    result = run(prepared.session, RunOptions(epochs=5))
    assert result.epochs == 5  # the drawn network trains


def test_inspector_edits_are_single_undo_steps_and_bad_numbers_are_refused(window, qtbot) -> None:
    window.open_example("xor")
    out = window.controller.doc.by_role("output")[0]
    select(window, out.id)
    insp = window.inspector
    assert insp.stack.currentIndex() == 1
    type_into(qtbot, insp.bias_edit, "0.25")
    assert window.controller.doc.neurons[out.id].bias == 0.25
    assert window.controller.stack.undo_text.startswith("Set bias")
    steps = len(window.controller.stack.entries)
    for bad in ("abc", "nan", "inf"):
        type_into(qtbot, insp.bias_edit, bad)
        assert window.controller.doc.neurons[out.id].bias == 0.25
        assert "not changed" in insp.error.text()
    assert len(window.controller.stack.entries) == steps
    type_into(qtbot, insp.label_edit, "result")
    assert window.controller.doc.neurons[out.id].label == "result"
    insp.activation_combo.setCurrentText("tanh")
    insp.activation_combo.activated.emit(insp.activation_combo.currentIndex())
    assert window.controller.doc.neurons[out.id].activation == "tanh"
    wire = next(iter(window.controller.doc.connections))
    select(window, wire)
    assert insp.stack.currentIndex() == 2
    type_into(qtbot, insp.weight_edit, "-1.5")
    assert window.controller.doc.connections[wire].weight == -1.5
    window.controller.undo()
    assert window.controller.doc.connections[wire].weight is None


def test_mode_switch_explains_offers_conversion_and_never_deletes(window) -> None:
    window.open_example("xor")
    asked = []
    window.ask_mode_switch = lambda mode, problems, can: asked.append((mode, problems, can)) or "cancel"
    window.choose_mode("perceptron")
    assert window.controller.doc.mode == "mlp"
    (_, problems, can_convert), = asked
    assert "perceptron mode allows no hidden neurons: h1, h2" in problems[0]
    assert can_convert
    assert window.mode_combo.currentData() == "mlp"
    window.ask_mode_switch = lambda mode, problems, can: "convert"
    count = len(window.controller.doc.neurons)
    window.choose_mode("perceptron")
    doc = window.controller.doc
    assert doc.mode == "perceptron" and len(doc.neurons) == count
    assert doc.by_role("output")[0].activation == "step"
    assert "no hidden neurons" in window.statusBar().currentMessage()
    window.controller.undo()  # one step undoes switch and conversion
    assert doc.mode == "mlp" and doc.by_role("output")[0].activation != "step"


def test_layer_builder_dialog_builds_a_fully_connected_net_in_one_step(window, qtbot) -> None:
    window.controller.reset(Document(title="Untitled"), None)
    dialog = LayerBuilderDialog(window)
    qtbot.addWidget(dialog)
    dialog.shape.setText("2-x-1")
    dialog._accept()
    assert "not a shape" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.shape.setText("2-4-4-1")
    dialog.activation.setCurrentText("relu")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.build_layers(*dialog.values())
    doc = window.controller.doc
    assert len(doc.neurons) == 11 and len(doc.connections) == 2 * 4 + 4 * 4 + 4
    assert {n.activation for n in doc.by_role("hidden")} == {"relu"}
    assert window.controller.stack.entries == ["Build 2-4-4-1 network"]
    window.controller.undo()
    assert not doc.neurons


def test_dataset_panel_changes_data_and_offers_matching_inputs(window) -> None:
    window.open_example("xor")
    panel = window.dataset_panel
    panel.name_combo.setCurrentIndex(panel.name_combo.findData("iris"))
    panel.name_combo.activated.emit(panel.name_combo.currentIndex())
    assert window.controller.doc.dataset.name == "iris"
    assert panel.fix_button.isVisibleTo(panel)
    assert "4 input(s) and 3 output(s)" in panel.mismatch.text()
    panel.fix_button.click()
    doc = window.controller.doc
    assert len(doc.by_role("input")) == 4 and len(doc.by_role("output")) == 3
    assert not panel.fix_button.isVisibleTo(panel)
    seed = doc.dataset.seed
    panel.regenerate.click()
    assert doc.dataset.seed == seed + 1
    assert panel.train_points.data.size > 0


def test_save_open_round_trip_title_and_recent_files(window, tmp_path) -> None:
    window.open_example("spiral")
    assert "spiral (example)" in window.windowTitle()
    window.controller.add_neuron("hidden", (300, 300))
    assert window.isWindowModified()
    path = tmp_path / "mine.json"
    window.ask_save_path = lambda: path
    assert window.save()
    assert not window.isWindowModified() and "mine.json" in window.windowTitle()
    saved = document_to_data(window.controller.doc)
    window.new_document()
    assert not window.controller.doc.neurons
    assert window.open_path(path)
    assert document_to_data(window.controller.doc) == saved
    assert document_to_data(load_document(path)) == saved
    assert window.recent_files()[0] == str(path.resolve())
    assert [a.text() for a in window.recent_menu.actions()] == ["mine.json"]


def test_unsaved_changes_prompt_save_discard_cancel(window, tmp_path) -> None:
    window.open_example("xor")
    window.controller.add_neuron("hidden", (0, 200))
    answers = []
    window.ask_save_changes = lambda: answers.pop(0)
    answers.append("cancel")
    window.new_document()
    assert len(window.controller.doc.neurons) == 6  # cancel kept the work
    answers.append("cancel")
    assert not window.close() and window.isVisible()
    answers.append("save")
    window.ask_save_path = lambda: tmp_path / "kept.json"
    window.new_document()
    assert (tmp_path / "kept.json").exists() and not window.controller.doc.neurons
    window.controller.add_neuron("input", (0, 0))
    answers.append("discard")
    assert window.close()


def test_a_broken_file_shows_the_problems_and_keeps_the_document(window, tmp_path) -> None:
    window.open_example("xor")
    before = document_to_data(window.controller.doc)
    bad = tmp_path / "broken.json"
    data = json.loads(json.dumps(before))
    data["neurons"][0]["activation"] = "mish"  # not in the registry
    data["connections"][0]["target"] = "ghost"
    bad.write_text(json.dumps(data))
    assert not window.open_path(bad)
    (message,) = window.errors_shown
    assert "broken.json" in message and "mish" in message and "ghost" in message
    assert document_to_data(window.controller.doc) == before
    (tmp_path / "garbage.json").write_text("{oops")
    assert not window.open_path(tmp_path / "garbage.json")
    assert "not valid JSON" in window.errors_shown[-1]


def test_example_gallery_lists_every_example_with_a_thumbnail(qtbot) -> None:
    gallery = ExampleGallery()
    qtbot.addWidget(gallery)
    names = [gallery.list.item(k).data(Qt.ItemDataRole.UserRole) for k in range(gallery.list.count())]
    assert "xor" in names and "hopfield-letters" in names and len(names) >= 18
    assert not gallery.list.item(0).icon().isNull()
    gallery.list.setCurrentRow(names.index("circle"))
    assert gallery.chosen() == "circle" and "Circle" in gallery.description.text()


def test_geometry_and_dock_layout_persist_through_settings(qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    first.docks["dataset"].hide()
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.docks["dataset"].isVisible()


def test_edit_menu_shows_readable_history_and_shortcuts_undo_redo(window, qtbot) -> None:
    window.controller.reset(Document(title="Untitled"), None)
    drop_role(window, "input", 0, 0)
    drop_role(window, "output", 150, 0)
    drag(window, rim((0, 0)), (150, 0))
    texts = [a.text().strip("✓ ").strip() for a in window.history_menu.actions()]
    assert texts == ["Add input neuron", "Add output neuron", "Connect x1 → o1"]
    assert window.act_undo.text() == "&Undo Connect x1 → o1"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.controller.doc.connections
    qtbot.keyClick(window.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.controller.doc.connections) == 1


def test_context_menu_on_empty_canvas_adds_a_neuron_there(window) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QMenu

    window.controller.reset(Document(title="Untitled"), None)
    menu = QMenu()
    window.fill_context_menu(menu, QPointF(40, -30))
    add_output = next(a for a in menu.actions() if a.text() == "Add output neuron here")
    add_output.trigger()
    (n,) = window.controller.doc.neurons.values()
    assert n.role == "output" and n.position == (40.0, -30.0)


def test_export_weights_from_the_file_menu_for_mlp_and_hopfield(window, tmp_path) -> None:
    import numpy as np

    from engine.export import predict
    from engine.export_reader import read_export

    window.open_example("xor")
    window.training.step_epoch()
    path = tmp_path / "w.npz"
    window.ask_export_path = lambda: path
    assert window.export_weights()
    data = read_export(path)
    from playground.document.build import predict as doc_predict

    X = np.array([[0, 0], [1, 1]], float)
    np.testing.assert_allclose(predict(data, X), doc_predict(window.controller.doc, X.tolist()), atol=1e-15)
    window.open_example("hopfield-letters")
    window.ask_export_path = lambda: tmp_path / "h.json"
    assert window.export_weights()
    memory = read_export(tmp_path / "h.json")
    assert memory["mode"] == "hopfield" and len(memory["patterns"]) == 4
    window.ask_export_path = lambda: tmp_path / "w.pickle"
    assert not window.export_weights() and ".npz or .json" in window.errors_shown[-1]


def test_a_name_without_suffix_gets_the_chosen_formats_suffix(window, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from engine.export_reader import read_export

    window.open_example("xor")
    answer = (str(tmp_path / "weights"), "Layered JSON (*.json)")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: answer)
    assert window.export_weights()
    assert read_export(tmp_path / "weights.json")["mode"] == "mlp"
    answer = (str(tmp_path / "weights"), "NumPy archive (*.npz)")
    assert window.export_weights()
    assert read_export(tmp_path / "weights.npz")["mode"] == "mlp"
    answer = (str(tmp_path / "net"), "Playground projects (*.json)")
    assert window.save_as() and (tmp_path / "net.json").exists()


def test_every_entry_of_the_plots_export_menu_works(window, tmp_path) -> None:
    """pyqtgraph's SVG export raises on this PySide6; no entry offered may fail."""
    from pyqtgraph.exporters import Exporter

    from playground.main_window import application

    application()  # what the app runs at start-up (the fixture's window ran it too)
    window.open_example("xor")
    item = window.loss_plot.plot.getPlotItem()
    scene = item.scene()
    scene.contextMenuItem = item
    scene.showExportDialog()  # right-click → Export…: pyqtgraph loads its exporters here
    dialog = scene.exportDialog
    offered = [dialog.ui.formatList.item(k).text() for k in range(dialog.ui.formatList.count())]
    dialog.close()
    broken = [name for name in offered
              if ("SVG" in name and "nn-playground" not in name) or "Matplotlib" in name]
    assert offered and not broken, offered  # pyqtgraph's own SVG and Matplotlib entries are gone
    names = [cls.__name__ for cls in Exporter.Exporters]
    assert "SVGExporter" not in names and {"ImageExporter", "QtSvgExporter"} <= set(names)
    for k, cls in enumerate(Exporter.Exporters):
        suffix = {"CSVExporter": "csv", "QtSvgExporter": "svg"}.get(cls.__name__, "png")
        cls(item).export(fileName=str(tmp_path / f"plot{k}.{suffix}"))
        assert (tmp_path / f"plot{k}.{suffix}").stat().st_size > 0
    # ours draws vectors: the curves as lines and the axes' labels as text
    svg = tmp_path / f"plot{names.index('QtSvgExporter')}.svg"
    tags = [el.tag.split("}")[1] for el in ET.parse(svg).getroot().iter()]
    assert tags.count("polyline") > 2 and tags.count("text") > 3 and "image" not in tags


def test_epoch_actions_are_disabled_in_hopfield_mode_and_space_only_explains(window, qtbot) -> None:
    messages: list[str] = []
    window.training.message.connect(messages.append)
    actions = [window.act_play, window.act_step, window.act_step_sample, window.act_reset,
               window.act_layers]
    window.open_example("xor")
    assert all(a.isEnabled() for a in actions)
    window.open_example("hopfield-letters")
    assert not any(a.isEnabled() for a in actions)
    window.training.toggle()  # what Space does
    assert window.errors_shown == [] and "not trained by epochs" in messages[-1]
    window.open_example("spiral")
    assert all(a.isEnabled() for a in actions)


def test_the_inspector_rounds_a_weight_to_read_and_keeps_every_digit(window, qtbot) -> None:
    window.open_example("xor")
    doc = window.controller.doc
    cid = next(iter(doc.connections))
    window.controller.set_weight(cid, 0.38175457846731586)
    window.scene.select_ids([cid])
    field = window.inspector.weight_edit
    assert field.text() == "0.3818" and field.toolTip() == "0.38175457846731586"
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    assert field.text() == "0.38175457846731586"  # every digit to edit
    qtbot.keyClick(field, Qt.Key.Key_Return)  # an edit that changes nothing …
    assert doc.connections[cid].weight == 0.38175457846731586  # … keeps the full value
    window.view.setFocus()
    qtbot.waitUntil(lambda: not field.hasFocus())
    assert field.text() == "0.3818" and doc.connections[cid].weight == 0.38175457846731586


def test_the_window_fits_1280x800_after_the_hopfield_lab_and_any_example(window, qtbot) -> None:
    window.resize(1280, 800)
    for name in ("xor", "hopfield-letters", "xor", "digits", "hopfield-letters", "spiral"):
        window.open_example(name)
        qtbot.wait(20)
        assert window.width() <= 1280 and window.height() <= 800, (name, window.size())
        assert window.minimumSizeHint().width() <= 1280


def test_every_palette_entry_is_in_sight_at_the_default_size(window, qtbot) -> None:
    window.resize(1280, 800)
    for name in ("perceptron-xor", "spiral"):
        window.open_example(name)
        qtbot.wait(20)
        palette = window.palette
        last = palette.visualItemRect(palette.item(palette.count() - 1))
        assert palette.viewport().rect().contains(last), name  # Bias was under a scrollbar


def test_the_first_window_does_not_build_or_import_what_it_does_not_show(tmp_path) -> None:
    """Start-up: the Hopfield lab, the dialogs, the lessons, the glass box's explainer, the image and
    model writers, pyqtgraph's exporters, the training engine and the Training tab's form wait
    until asked for; numpy.random too, while the open data is a fixed set used whole (xor's four
    points)."""
    import os
    import subprocess
    import sys

    code = ("import sys, tempfile\n"
            "from PySide6.QtCore import QSettings\n"
            "from playground.app import create_window\n"
            "w = create_window([], QSettings(tempfile.mkdtemp() + '/s.ini', QSettings.Format.IniFormat))\n"
            "lazy = ('playground.hopfield.lab', 'playground.dialogs.examples',\n"
            "        'playground.dialogs.layer_builder', 'pyqtgraph.exporters', 'engine.explain',\n"
            "        'playground.lessons.guide', 'playground.lessons.panel',\n"
            "        'playground.document.lesson_checks',\n"
            "        'playground.images.gif', 'playground.images.render',\n"
            "        'playground.exporters.ir', 'playground.exporters.onnx_export',\n"
            "        'playground.panels.data_table', 'playground.dialogs.import_data', 'engine.csvdata',\n"
            "        'engine.mlp', 'engine.session', 'engine.trainer', 'engine.spec', 'engine.export',\n"
            "        'engine.grid', 'playground.document.compile', 'playground.training.wire',\n"
            "        'playground.training.runner', 'playground.cli', 'numpy.random')\n"
            "print(sorted(m for m in lazy if m in sys.modules), w._hopfield_lab is None)\n"
            "from PySide6.QtWidgets import QApplication\n"
            "QApplication.processEvents()\n"
            "column = w.docks['output'].width()  # the right column, under the tabs\n"
            "made = w._training_dock_panel.made\n"
            "w.docks['training'].raise_()\n"
            "QApplication.processEvents()\n"
            "form = w.training_panel\n"
            "fits = form.minimumSizeHint().width() <= w.docks['training'].widget().viewport().width()\n"
            "print(made, w._training_dock_panel.made, w.docks['output'].width() == column,\n"
            "      form.isVisible() and fits)\n"
            "w.lessons_menu.aboutToShow.emit()\n"
            "print(len(w.lessons_menu.actions()) > 5, 'playground.lessons.guide' in sys.modules)\n"
            "w.open_example('hopfield-letters')\n"
            "print(w.centre.currentWidget() is w.hopfield_lab, 'playground.hopfield.lab' in sys.modules)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout.splitlines()
    assert out[0] == "[] True"
    # the Training tab's form is made when the tab is raised, the column does not widen and the
    # form is not cut off (made late, it cannot widen the column: it must fit the Data tab's width)
    assert out[1] == "False True True True"
    assert out[2] == "True True"  # opening the Lessons menu makes the guide, which lists them
    assert out[3] == "True True"  # a Hopfield project builds the lab and shows it
