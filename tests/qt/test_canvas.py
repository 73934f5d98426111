"""The canvas driven like a user: drops, wires, moves, deletes, clipboard, zoom — asserted on the doc."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from playground.document.model import Document
from tests.qt.conftest import drag, drop_role, mouse, rim


def fresh(win) -> None:
    win.controller.reset(Document(title="Untitled"), None)


def neurons_at(win) -> dict[str, tuple[str, tuple[float, float]]]:
    return {n.id: (n.role, n.position) for n in win.controller.doc.neurons.values()}


def test_a_palette_drop_creates_the_neuron_where_it_was_dropped(window, qtbot) -> None:
    fresh(window)
    drop_role(window, "input", -120, 40)
    ((role, (x, y)),) = neurons_at(window).values()
    assert role == "input"
    assert abs(x + 120) <= 1.5 and abs(y - 40) <= 1.5  # within a pixel of the drop point
    assert window.controller.stack.undo_text == "Add input neuron"
    window.controller.undo()
    assert not window.controller.doc.neurons


def test_double_click_on_empty_canvas_adds_a_hidden_neuron(window, qtbot) -> None:
    fresh(window)
    mouse(window, QEvent.Type.MouseButtonDblClick, 30, -20)
    (role, _), = neurons_at(window).values()
    assert role == "hidden"


def test_dragging_from_a_rim_to_another_neuron_draws_a_wire_and_undo_removes_it(window) -> None:
    fresh(window)
    drop_role(window, "input", -100, 0)
    drop_role(window, "output", 100, 0)
    drag(window, rim((-100, 0)), (100, 0))
    (conn,) = window.controller.doc.connections.values()
    assert (conn.source, conn.target) == ("x1", "o1")
    assert window.controller.stack.undo_text == "Connect x1 → o1"
    window.controller.undo()
    assert not window.controller.doc.connections
    window.controller.redo()
    assert len(window.controller.doc.connections) == 1
    assert len(window.scene.wires) == 1


def test_shift_drag_wires_and_dropping_on_empty_space_cancels(window) -> None:
    fresh(window)
    drop_role(window, "input", -100, 0)
    drop_role(window, "hidden", 100, 0)
    drag(window, (-100, 0), (0, 150), modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert not window.controller.doc.connections
    assert "cancelled" in window.statusBar().currentMessage()
    drag(window, (-100, 0), (100, 0), modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert len(window.controller.doc.connections) == 1


def test_a_cycle_a_duplicate_and_a_wire_into_an_input_are_refused_with_the_reason(window) -> None:
    fresh(window)
    drop_role(window, "input", -150, 0)
    drop_role(window, "hidden", 0, -80)
    drop_role(window, "hidden", 0, 80)
    drag(window, rim((0, -80)), (0, 80))  # h1 → h2
    drag(window, rim((0, 80)), (0, -80))  # h2 → h1 closes a cycle
    assert len(window.controller.doc.connections) == 1
    assert "cycle" in window.statusBar().currentMessage()
    drag(window, rim((0, -80)), (0, 80))  # again: duplicate
    assert "already exists" in window.statusBar().currentMessage()
    drag(window, rim((0, 80)), (-150, 0))  # into the input
    assert "input neuron" in window.statusBar().currentMessage()
    assert len(window.controller.doc.connections) == 1


def test_moving_a_selection_is_one_undo_step_pushed_on_release(window) -> None:
    fresh(window)
    drop_role(window, "hidden", 0, 0)
    drag(window, (0, 0), (60, 40))
    (_, pos), = neurons_at(window).values()
    assert abs(pos[0] - 60) <= 1.5 and abs(pos[1] - 40) <= 1.5
    assert window.controller.stack.entries == ["Add hidden neuron", "Move neuron"]
    window.controller.undo()
    (_, pos), = neurons_at(window).values()
    assert abs(pos[0]) <= 1.5 and abs(pos[1]) <= 1.5
    item = next(iter(window.scene.neurons.values()))
    assert abs(item.pos().x()) <= 1.5  # the item followed the document back


def test_rubber_band_select_delete_key_removes_neurons_and_their_wires(window, qtbot) -> None:
    fresh(window)
    window.build_layers("2-2-1", "tanh", "sigmoid", replace=True)
    assert len(window.controller.doc.connections) == 6
    window.scene.clearSelection()
    hidden = [n for n in window.controller.doc.neurons.values() if n.role == "hidden"]
    xs = [n.position[0] for n in hidden]
    ys = [n.position[1] for n in hidden]
    drag(window, (min(xs) - 40, min(ys) - 50), (max(xs) + 40, max(ys) + 50))  # rubber band
    assert sorted(window.scene.selected_ids()[0]) == sorted(n.id for n in hidden)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    doc = window.controller.doc
    assert not [n for n in doc.neurons.values() if n.role == "hidden"] and not doc.connections
    assert window.controller.stack.undo_text.startswith("Delete 2 neurons")
    window.controller.undo()
    assert len(doc.connections) == 6


def test_copy_paste_and_duplicate_give_new_ids_and_keep_inner_wires(window, qtbot) -> None:
    fresh(window)
    window.build_layers("2-1", "tanh", "sigmoid", replace=True)
    window.select_all()
    qtbot.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    doc = window.controller.doc
    assert len(doc.neurons) == 6 and len(doc.connections) == 4
    assert len(set(doc.neurons)) == 6
    pasted = window.scene.selected_ids()[0]
    assert set(pasted).isdisjoint({"x1", "x2", "o1"})
    assert window.controller.stack.undo_text == "Paste 3 neurons"
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.neurons) == 9
    window.controller.undo()
    window.controller.undo()
    assert len(doc.neurons) == 3


def test_wheel_zooms_around_the_cursor_and_fit_shows_everything(window) -> None:
    fresh(window)
    window.build_layers("3-5-2", "tanh", "sigmoid", replace=True)
    before = window.view.zoom
    anchor = QPointF(window.view.mapFromScene(QPointF(0, 0)))
    event = QWheelEvent(anchor, QPointF(window.view.viewport().mapToGlobal(anchor.toPoint())), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(window.view.viewport(), event)
    assert window.view.zoom > before * 1.2
    window.view.fit_all()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.itemsBoundingRect())


def test_middle_drag_pans_the_view(window) -> None:
    fresh(window)
    bar = window.view.horizontalScrollBar()
    before = bar.value()
    drag(window, (0, 0), (-80, 0), button=Qt.MouseButton.MiddleButton)
    assert bar.value() != before
    assert not window.controller.doc.neurons  # panning edits nothing


def test_auto_layout_places_neurons_in_columns_by_depth_as_one_step(window) -> None:
    window.open_example("xor")
    doc = window.controller.doc
    for n in doc.neurons.values():  # scramble
        window.controller.move({n.id: (n.position, (hash(n.id) % 97, hash(n.id) % 89))})
    steps = len(window.controller.stack.entries)
    window.controller.auto_layout()
    assert len(window.controller.stack.entries) == steps + 1
    xs = {n.role: n.position[0] for n in doc.neurons.values()}
    assert xs["input"] < xs["hidden"] < xs["output"]
