"""Views follow the document by field: an edit touches the items and panels that show it, nothing else."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor

from playground.canvas.items import NEGATIVE, POSITIVE, NeuronItem, WireItem
from playground.document.model import Connection, Document, Neuron
from tests.qt.conftest import mouse


def weighted_net() -> Document:
    """x1, x2 → h1, h2 → o1 with every weight set; the largest |weight| is 2.0 (c5)."""
    doc = Document(title="weighted")
    for nid, role, pos in [("x1", "input", (-200, -60)), ("x2", "input", (-200, 60)),
                           ("h1", "hidden", (0, -60)), ("h2", "hidden", (0, 60)), ("o1", "output", (200, 0))]:
        doc.neurons[nid] = Neuron(nid, role, nid, pos, "sigmoid" if role == "output" else "tanh",
                                  None if role == "input" else 0.0, role != "input")
    pairs = [("x1", "h1", 0.5), ("x1", "h2", -0.25), ("x2", "h1", 1.0), ("x2", "h2", 0.75),
             ("h1", "o1", 2.0), ("h2", "o1", -1.5)]
    for k, (s, t, w) in enumerate(pairs, 1):
        doc.connections[f"c{k}"] = Connection(f"c{k}", s, t, w)
    return doc


@pytest.fixture
def counted(monkeypatch) -> dict[str, list[str]]:
    """Which wires were restyled and which neurons refreshed, by id."""
    calls: dict[str, list[str]] = {"wires": [], "neurons": []}
    show_value, update_from = WireItem.show_value, NeuronItem.update_from

    def wire_shown(self, weight, scale):
        calls["wires"].append(self.connection_id)
        show_value(self, weight, scale)

    def neuron_updated(self, neuron):
        calls["neurons"].append(self.neuron_id)
        update_from(self, neuron)

    monkeypatch.setattr(WireItem, "show_value", wire_shown)
    monkeypatch.setattr(NeuronItem, "update_from", neuron_updated)
    return calls


def test_editing_one_wire_restyles_that_wire_only_unless_the_largest_weight_changes(window, counted) -> None:
    window.controller.reset(weighted_net(), None)
    scene = window.scene
    assert scene.scale == 2.0 and scene.wires["c1"].pen().widthF() == 2.25  # 1 + 5 * 0.5/2, quarter px
    counted["wires"].clear()
    counted["neurons"].clear()
    window.controller.set_weight("c1", -1.0)
    assert counted == {"wires": ["c1"], "neurons": []}
    assert scene.wires["c1"].pen().color() == NEGATIVE and scene.wires["c1"].pen().widthF() == 3.5
    counted["wires"].clear()
    window.controller.set_weight("c2", 4.0)  # a new largest |weight|: every width is relative to it
    assert counted["wires"][0] == "c2" and sorted(counted["wires"][1:]) == sorted(scene.wires)
    assert scene.scale == 4.0 and scene.wires["c5"].pen().widthF() == 3.5
    counted["wires"].clear()
    window.controller.undo()  # back to 2.0 as the largest
    assert scene.scale == 2.0 and scene.wires["c5"].pen().widthF() == 6.0
    assert not counted["neurons"]


def test_moving_a_neuron_moves_its_wires_and_updates_nothing_else(window, counted) -> None:
    window.controller.reset(weighted_net(), None)
    scene = window.scene
    before = {cid: w.line for cid, w in scene.wires.items()}
    counted["wires"].clear()
    counted["neurons"].clear()
    window.controller.move({"h1": ((0, -60), (40, -120))})
    assert counted == {"wires": [], "neurons": ["h1"]}
    moved = {cid for cid, w in scene.wires.items() if w.line != before[cid]}
    assert moved == {"c1", "c3", "c5"}  # exactly the wires touching h1
    x1, y1, *_ = scene.wires["c5"].ends
    assert math.hypot(x1 - 40, y1 + 120) == pytest.approx(22.0)  # starts on h1's new rim


def test_the_data_panel_regenerates_only_when_the_dataset_or_mode_changes(window) -> None:
    window.open_example("xor")
    panel, controller = window.dataset_panel, window.controller
    before = panel.previews
    nid = next(iter(controller.doc.neurons))
    controller.move({nid: (controller.doc.neurons[nid].position, (5.0, 5.0))})
    controller.set_weight(next(iter(controller.doc.connections)), 0.3)
    controller.set_training(learning_rate=0.05)
    controller.set_neuron(nid, label="renamed")
    assert panel.previews == before
    spec = controller.doc.dataset
    controller.set_dataset(replace(spec, seed=spec.seed + 1))
    assert panel.previews == before + 1
    controller.undo()
    assert panel.previews == before + 2 and panel.seed.value() == spec.seed
    window.controller.set_mode("hopfield", convert=False)  # no dataset in Hopfield mode
    assert panel.caption.text().startswith("No dataset")


def test_the_width_warning_follows_added_inputs_without_a_new_preview(window) -> None:
    window.open_example("xor")
    panel = window.dataset_panel
    before = panel.previews
    assert panel.mismatch.isHidden()
    window.controller.add_neuron("input", (-300, 200))
    assert not panel.mismatch.isHidden() and "3 input" in panel.mismatch.text()
    window.controller.undo()
    assert panel.mismatch.isHidden() and panel.previews == before


def test_the_inspector_refreshes_for_the_wire_it_shows_and_the_neurons_it_names(window) -> None:
    window.controller.reset(weighted_net(), None)
    window.scene.select_ids(["c1"])
    inspector = window.inspector
    assert inspector.wire_id == "c1" and inspector.weight_edit.text() == "0.5"
    before = inspector.refreshes
    window.controller.set_weight("c4", 0.1)
    window.controller.move({"o1": ((200, 0), (220, 0))})
    assert inspector.refreshes == before
    window.controller.set_weight("c1", 0.125)
    assert inspector.weight_edit.text() == "0.125"
    window.controller.set_neuron("x1", label="first")
    assert inspector.wire_title.text() == "first → h1"


def test_the_hopfield_lab_refreshes_only_for_its_memory_and_the_mode(window, monkeypatch) -> None:
    window.open_example("xor")
    lab = window.hopfield_lab
    calls = []
    monkeypatch.setattr(lab, "refresh", lambda: calls.append(1))
    window.controller.set_training(learning_rate=0.05)
    window.controller.set_weight(next(iter(window.controller.doc.connections)), 0.5)
    assert not calls
    window.controller.set_mode("hopfield", convert=False)
    assert calls


def test_validation_skips_moves_and_finite_weights_but_catches_a_non_finite_one(window) -> None:
    window.controller.reset(weighted_net(), None)
    assert window.problems_label.text() == "✓ valid"
    before = window.chrome.validations
    window.controller.move({"h1": ((0, -60), (10, -60))})
    window.controller.set_weight("c1", 0.7)
    window.controller.set_training(learning_rate=0.2)
    assert window.chrome.validations == before
    window.controller.set_weight("c1", math.inf)
    assert window.problems_label.text() == "⚠ 1 problem(s)"
    window.controller.set_weight("c1", 0.7)  # a wire a problem names is checked again
    assert window.problems_label.text() == "✓ valid"
    window.controller.delete(["o1"], [])  # structural: checked
    assert window.problems_label.text() == "⚠ 1 problem(s)"
    assert "no output neuron" in window.problems_label.toolTip()


def test_select_all_on_a_2000_wire_net_is_one_selection_change_in_document_order(window, qtbot) -> None:
    window.controller.reset(Document(title="big"), None)
    window.build_layers("2-40-48-1", "tanh", "sigmoid", replace=True)
    doc = window.controller.doc
    assert len(doc.connections) == 2048
    changes = []
    window.scene.selectionChanged.connect(lambda: changes.append(1))
    window.scene.clearSelection()
    changes.clear()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(changes) == 1
    neurons, wires = window.scene.selected_ids()
    assert neurons == list(doc.neurons) and wires == list(doc.connections)
    assert window.inspector.summary.text() == "91 neuron(s) and 2048 wire(s) selected."
    assert window.act_delete.isEnabled()
    assert len(window.scene.batch.highlight.wires) == 2048


def test_deleting_neurons_of_a_big_net_and_undoing_restores_every_item_in_order(window, qtbot) -> None:
    window.controller.reset(Document(title="big"), None)
    window.build_layers("2-40-48-1", "tanh", "sigmoid", replace=True)
    doc, scene = window.controller.doc, window.scene
    order = list(doc.connections)
    hidden = [n.id for n in doc.neurons.values() if n.role == "hidden"][5:15]
    scene.select_ids(hidden)
    changes = []
    scene.selectionChanged.connect(lambda: changes.append(1))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert window.controller.stack.undo_text == "Delete 10 neurons"
    assert len(changes) == 1 and scene.selected_ids() == ([], [])  # told once, not per item
    assert set(scene.wires) == set(doc.connections) and len(doc.connections) == 2048 - 10 * (2 + 48)
    assert scene.batch.count == len(scene.wires) == sum(len(g.wires) for g in scene.batch.groups.values())
    window.controller.undo()
    assert list(doc.connections) == order and set(scene.wires) == set(order)
    assert scene.batch.count == 2048
    for cid, wire in scene.wires.items():
        conn = doc.connections[cid]
        assert wire.source is scene.neurons[conn.source] and wire.target is scene.neurons[conn.target]
        assert wire in wire.source.wires and wire.line is not None


def test_wires_are_painted_by_the_batch_and_repaint_when_one_changes(window, qtbot) -> None:
    window.controller.reset(weighted_net(), None)
    window.view.resetTransform()
    window.view.centerOn(0, 0)
    wire = window.scene.wires["c5"]  # h1 → o1, positive
    x1, y1, x2, y2 = wire.ends
    middle = window.view.mapFromScene(QPointF((x1 + x2) / 2, (y1 + y2) / 2))

    def colour_at_middle():
        qtbot.wait(20)  # the batched update rectangle is posted for the next event-loop turn
        return window.view.viewport().grab().toImage().pixelColor(middle)

    assert colour_at_middle().name() == POSITIVE.name()
    paints = window.scene.batch.paints
    window.controller.set_weight("c5", -2.0)
    qtbot.waitUntil(lambda: window.scene.batch.paints > paints, timeout=2000)  # repainted by itself
    assert colour_at_middle().name() == NEGATIVE.name()
    window.scene.select_ids(["c5"])
    assert colour_at_middle().name() == NEGATIVE.name()  # the highlight lies under the wire
    assert window.scene.batch.highlight.wires.keys() == {wire}


def test_hover_text_is_built_on_demand_and_hopfield_links_have_no_arrowheads(window) -> None:
    window.controller.reset(weighted_net(), None)
    wire = window.scene.wires["c1"]
    assert wire.toolTip() == "x1 → h1<br>weight: 0.5"
    window.scene.show_live({"c1": 0.25}, {})
    assert wire.toolTip().endswith("weight: 0.25")
    window.scene.show_document_values()
    assert wire.toolTip().endswith("weight: 0.5")
    assert wire.arrowhead() is not None
    window.controller.set_mode("hopfield", convert=False)
    assert wire.arrowhead() is None and not wire.directed


def test_undo_and_redo_show_the_problems_already_found_at_that_point_of_the_history(window) -> None:
    window.controller.reset(weighted_net(), None)
    label = window.problems_label
    before = window.chrome.validations
    window.controller.delete(["o1"], [])
    assert label.text() == "⚠ 1 problem(s)" and window.chrome.validations == before + 1
    window.controller.undo()
    assert label.text() == "✓ valid"
    window.controller.redo()
    assert label.text() == "⚠ 1 problem(s)" and window.chrome.validations == before + 1  # nothing re-run
    window.controller.undo()
    window.controller.delete(["x1"], [])  # a new branch of the history is checked afresh
    assert label.text() == "✓ valid" and window.chrome.validations == before + 2
    window.controller.undo()
    window.controller.redo()
    assert label.text() == "✓ valid" and window.chrome.validations == before + 2


def test_a_batched_wire_is_still_hovered_clicked_and_deleted_like_an_item(window, qtbot) -> None:
    window.controller.reset(weighted_net(), None)
    window.view.resetTransform()
    window.view.centerOn(0, 0)
    x1, y1, x2, y2 = window.scene.wires["c5"].ends
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    mouse(window, QEvent.Type.MouseMove, mx - 30, my - 30, button=Qt.MouseButton.NoButton)
    mouse(window, QEvent.Type.MouseMove, mx, my, button=Qt.MouseButton.NoButton)
    assert window.scene.hovered is window.scene.wires["c5"]
    mouse(window, QEvent.Type.MouseButtonPress, mx, my)
    mouse(window, QEvent.Type.MouseButtonRelease, mx, my)
    assert window.scene.selected_ids() == ([], ["c5"]) and window.inspector.wire_id == "c5"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "c5" not in window.controller.doc.connections and "c5" not in window.scene.wires
    assert window.scene.hovered is None


def test_undoing_a_delete_reuses_the_removed_items_unselected_and_in_place(window) -> None:
    window.controller.reset(weighted_net(), None)
    scene = window.scene
    h1, c5 = scene.neurons["h1"], scene.wires["c5"]
    scene.select_ids(["h1"])
    window.delete_selection()
    assert "h1" not in scene.neurons and "c5" not in scene.wires and c5.scene() is None
    window.controller.undo()
    assert scene.neurons["h1"] is h1 and scene.wires["c5"] is c5 and c5.source is h1
    assert c5 in h1.wires and not h1.isSelected() and scene.selected_ids() == ([], [])
    assert c5.pen().widthF() == 6.0  # weight 2, the largest
    assert math.hypot(c5.ends[0], c5.ends[1] + 60) == pytest.approx(22.0)  # on h1's rim at (0, -60)
    window.controller.reset(weighted_net(), None)  # a new document: nothing carried over
    assert scene.wires["c5"] is c5  # same ids: updated in place, as before
    window.controller.delete(["h1"], [])
    window.controller.reset(weighted_net(), None)
    assert scene.wires["c5"] is not c5 and scene.neurons["h1"] is not h1


def test_normal_nets_keep_arrowheads_and_hopfield_links_are_drawn_without(window, qtbot) -> None:
    window.controller.reset(weighted_net(), None)
    window.view.resetTransform()
    window.view.centerOn(0, 0)
    _, y1, x2, y2 = window.scene.wires["c1"].ends  # x1 → h1, horizontal, 2.25 px wide
    assert y1 == y2 == -60
    beside_tip = window.view.mapFromScene(QPointF(x2 - 7, y2 - 3.0))  # in the arrowhead, off the line

    def colour():
        qtbot.wait(20)
        return window.view.viewport().grab().toImage().pixelColor(beside_tip)

    def distance(a, b) -> int:
        return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())

    assert distance(colour(), POSITIVE) < 90, colour().name()
    window.controller.set_mode("hopfield", convert=False)
    assert distance(colour(), QColor("white")) < 30  # at most the line's antialiased edge


def test_the_live_overlay_restyles_wires_and_stopping_shows_the_document_again(window) -> None:
    window.controller.reset(weighted_net(), None)
    wire = window.scene.wires["c1"]
    window.scene.show_live({"c1": -3.0, "c2": 1.0}, {})
    assert wire.pen().color() == NEGATIVE and wire.pen().widthF() == 6.0  # -3 is the largest live
    window.scene.show_document_values()
    assert wire.pen().color() == POSITIVE and wire.pen().widthF() == 2.25
