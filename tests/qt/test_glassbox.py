"""The glass box in the window, driven as a learner would: pick an example, walk through it with
the keyboard, read the numbers on the canvas and in the formula panel, apply and undo the step.

The expected numbers come from the engine's own matrix path (``MLP.node_outputs``,
``MLP.gradients``), not from the explanation the views show."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from engine.explain_text import number
from playground.document import build, glassbox
from playground.document.compile import compile_network
from tests.engine.test_explain import gradient_network
from tests.qt.conftest import open_window


@pytest.fixture
def win(qtbot, settings):
    w = open_window(qtbot, settings, "thread")
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.training.stop()


def engine_numbers(doc, x, y):
    """Activations by node id, and gradients and SGD updates by connection id, from the engine."""
    compiled = compile_network(doc)
    mlp = build.build_learner(doc, compiled)
    c = doc.training
    acts = mlp.node_outputs(np.array([x]))[0]
    _, grads = mlp.gradients(np.array([x]), np.array([y]), c.loss, c.l1, c.l2)
    per_wire = gradient_network(mlp, grads).trained_values().weights
    a = dict(zip(compiled.node_ids, acts.tolist(), strict=True))
    g = dict(zip(compiled.edge_ids, per_wire, strict=True))
    w = dict(zip(compiled.edge_ids, mlp.trained_values().weights, strict=True))
    return a, g, w


def key(qtbot, win, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(win.view, k, modifier)
    QApplication.processEvents()


def hover(qtbot, win, scene_point: QPointF) -> None:
    """The pointer over a point of the canvas (hover events, as a user's mouse makes them)."""
    qtbot.mouseMove(win.view.viewport(), win.view.mapFromScene(scene_point + QPointF(30, 30)))
    qtbot.mouseMove(win.view.viewport(), win.view.mapFromScene(scene_point))
    QApplication.processEvents()


def labels(win) -> tuple[dict[str, str], dict[str, str]]:
    a = win.glass.annotations
    return ({k: v.text for k, v in a.neuron_labels.items() if v.isVisible()},
            {k: v.text for k, v in a.wire_labels.items() if v.isVisible()})


def test_walk_through_from_first_neuron_to_the_applied_update_and_undo(win, qtbot) -> None:
    win.open_example("xor")
    doc = win.controller.doc
    win.controller.set_training(optimizer="sgd", learning_rate=0.5)
    win.glass.pick(1)  # XOR's second training point: (0, 1) → 1
    x, y = [0.0, 1.0], [1.0]
    assert win.glass.model.x == x
    neurons, _ = labels(win)
    assert neurons == {"x1": "x = 0", "x2": "x = 1"}  # the example's values on the inputs
    a, g, w = engine_numbers(doc, x, y)
    original = {cid: c.weight for cid, c in doc.connections.items()}  # None: drawn from the seed
    steps_before = len(win.controller.stack.entries)

    key(qtbot, win, Qt.Key.Key_F6)  # Walk through
    assert win.glass.model.walking
    order = ["h1", "h2", "o1"]
    for k, nid in enumerate(order):  # forward, neuron by neuron
        neurons, wires = labels(win)
        assert win.glass.annotations.active == nid
        assert f"a = {number(a[nid])}" in neurons[nid]
        incoming = [c for c in doc.connections.values() if c.target == nid]
        assert sorted(win.glass.annotations.lit) == sorted(c.id for c in incoming)
        for c in incoming:  # each incoming wire says w·x with the engine's numbers
            assert wires[c.id].endswith(f"= {number(w[c.id] * a[c.source])}")
        assert all(n not in neurons for n in order[k + 1:])  # later neurons not yet computed
        assert f"Forward {k + 1}/3" in win.glass.panel.stage.text()
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    neurons, _ = labels(win)  # the loss at the output
    loss = (a["o1"] - 1.0) ** 2
    assert f"L = {number(loss)}" in neurons["o1"] and "y = 1" in neurons["o1"]
    key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    for nid in reversed(order):  # backward: δ on each neuron, ∂L/∂w on the wires into it
        neurons, wires = labels(win)
        assert win.glass.annotations.active == nid
        assert "δ = " in neurons[nid]
        for c in (c for c in doc.connections.values() if c.target == nid):
            assert wires[c.id] == f"∂L/∂w = {number(g[c.id])}"
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert "Update" in win.glass.panel.stage.text()
    _, wires = labels(win)
    for cid in doc.connections:
        assert wires[cid] == f"Δw = {number(-0.5 * g[cid])}"
    # Back goes one stage back, Next returns
    key(qtbot, win, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert win.glass.annotations.active == "h1"
    key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert len(win.controller.stack.entries) == steps_before  # nothing applied yet
    key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # apply
    assert len(win.controller.stack.entries) == steps_before + 1  # one undo step
    assert win.controller.stack.undo_text == "Apply one step on the example"
    for cid, conn in doc.connections.items():  # each weight moved by exactly −η·g
        assert conn.weight == pytest.approx(w[cid] - 0.5 * g[cid], rel=1e-12, abs=1e-15)
    assert "Applied" in win.glass.panel.stage.text()
    _, wires = labels(win)
    assert wires["c1"] == f"w = {number(doc.connections['c1'].weight)} (was {number(w['c1'])})"
    win.controller.undo()
    for cid, conn in doc.connections.items():
        assert conn.weight == original[cid]
    assert not win.glass.model.walking  # undoing the applied step ends the walk-through
    key(qtbot, win, Qt.Key.Key_F6)
    key(qtbot, win, Qt.Key.Key_Escape)  # leave
    assert not win.glass.model.walking and labels(win)[1] == {}


def test_full_precision_on_hover_and_numbers_hidden_when_zoomed_out(win, qtbot) -> None:
    win.open_example("xor")
    win.glass.pick(0)
    win.glass.start()
    label = win.glass.annotations.neuron_labels["h1"]
    ex = win.glass.model.explained().explanation
    h1 = ex.neurons[win.glass.model.explained().node_index("h1")]
    assert f"z = {h1.z!r}" in label.toolTip() and f"a = {h1.a!r}" in label.toolTip()

    def dark_pixels(scale: float) -> int:
        """The label painted at a view scale: how many pixels it marks."""
        box = label.boundingRect()
        image = QImage(int(box.width() * scale) + 4, int(box.height() * scale) + 4,
                       QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.scale(scale, scale)
        painter.translate(-box.topLeft())
        label.paint(painter, QStyleOptionGraphicsItem(), None)
        painter.end()
        return sum(image.pixelColor(px, py).lightness() < 200
                   for px in range(image.width()) for py in range(image.height()))

    assert dark_pixels(1.0) > 20  # readable at normal zoom
    assert dark_pixels(0.3) == 0  # not drawn when zoomed far out


def test_clicking_a_data_point_makes_it_the_example(win, qtbot) -> None:
    win.open_example("xor")
    win.docks["dataset"].raise_()
    plot = win.dataset_panel.plot
    qtbot.waitUntil(plot.isVisible)
    qtbot.wait(100)
    data = build.build_dataset(win.controller.doc)
    index = 3
    x0, x1 = data.X_train[index]
    scene_pos = plot.vb.mapViewToScene(QPointF(x0, x1))
    pos = plot.mapFromScene(scene_pos)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: win.glass.model.x == data.X_train[index].tolist())
    assert win.glass.panel.row.value() == index + 1
    assert "training point 4" in win.glass.panel.example.text()
    neurons, _ = labels(win)
    assert neurons["x1"] == f"x = {number(x0)}"
    win.glass.panel.row.setValue(1)  # or choose the row
    assert win.glass.model.x == data.X_train[0].tolist()
    assert labels(win)[0]["x2"] == f"x = {number(data.X_train[0][1])}"


def test_formula_panel_follows_the_selection_and_the_weights(win, qtbot) -> None:
    win.open_example("xor")
    win.docks["glassbox"].raise_()
    win.glass.pick(1)
    win.scene.select_ids(["h1"])
    text = win.glass.panel.formulas.toPlainText()
    assert "f'(z) = 1 − tanh²(z)" in text  # the tutorials' form, from the activation record
    ex = glassbox.explain_example(win.controller.doc, [0.0, 1.0])
    assert f"a = tanh({number(ex.explanation.neurons[ex.node_index('h1')].z)})" in text
    win.controller.set_weight("c2", 0.25)  # an edit: the panel shows the new numbers
    QApplication.processEvents()
    qtbot.waitUntil(lambda: "0.25·1 + 0 = 0.25; a = tanh(0.25)" in win.glass.panel.formulas.toPlainText())
    win.scene.select_ids(["c5"])
    text = win.glass.panel.formulas.toPlainText()
    assert "h1 → o1" in text and "∂L/∂w = δ·x" in text and "Δ = −η·g" in text


def test_hover_cards_show_the_examples_numbers_and_stay_live_during_training(win, qtbot) -> None:
    win.open_example("xor")
    win.glass.pick(2)
    x = win.glass.model.x
    ex = glassbox.explain_example(win.controller.doc, x)
    h2 = ex.explanation.neurons[ex.node_index("h2")]
    hover(qtbot, win, win.scene.neurons["h2"].pos())
    card = win.scene.neurons["h2"].toolTip()
    assert f"z = {h2.z:.6g}, a = {h2.a:.6g}, δ = {h2.delta:.6g}" in card
    wire = win.scene.wires["c5"]
    hover(qtbot, win, wire.line.pointAt(0.5))
    assert f"∂L/∂w = {ex.explanation.wires[ex.edge_index('c5')].grad:.6g}" in wire.toolTip()
    win.docks["glassbox"].raise_()
    win.glass.start()
    win.scene.select_ids(["c5"])
    win.controller.set_training(epochs=100_000)
    win.training.play()
    assert not win.glass.model.walking  # Play ends a walk-through: a run moves every weight
    qtbot.waitUntil(lambda: win.training.live_values() is not None, timeout=10000)
    qtbot.wait(300)

    def live_formula_matches() -> bool:  # the formula panel follows the run too
        now = glassbox.explain_example(win.controller.doc, x, None, win.training.live_values())
        g = now.explanation.wires[now.edge_index("c5")].grad
        return f"= {number(g)}" in win.glass.panel.formulas.toPlainText()

    qtbot.waitUntil(live_formula_matches, timeout=5000)
    first = win.glass.panel.formulas.toPlainText()
    qtbot.waitUntil(lambda: win.glass.panel.formulas.toPlainText() != first, timeout=5000)

    def live_card_matches() -> bool:
        live = win.training.live_values()
        now = glassbox.explain_example(win.controller.doc, x, None, live)
        g = now.explanation.wires[now.edge_index("c5")].grad
        return f"∂L/∂w = {g:.6g}" in win.scene.wires["c5"].toolTip()

    qtbot.waitUntil(live_card_matches, timeout=5000)
    assert "last update: " in win.scene.wires["c5"].toolTip()
    win.training.stop()


def test_perceptron_walk_through_applies_the_rosenblatt_rule(win, qtbot) -> None:
    win.open_example("perceptron-and")
    doc = win.controller.doc
    win.glass.pick(3)  # (1, 1) → 1, and the zero weights say 0: an update happens
    before = {cid: c.weight or 0.0 for cid, c in doc.connections.items()}
    lr = doc.training.learning_rate
    win.glass.start()
    win.glass.act_end.trigger()
    win.glass.act_next.trigger()
    for cid, conn in doc.connections.items():
        assert conn.weight == pytest.approx(before[cid] + lr * (1 - 0) * 1.0)
    assert win.controller.stack.undo_text == "Apply one step on the example"


def test_hopfield_cell_hover_explains_the_unit(win, qtbot) -> None:
    win.open_example("hopfield-letters")
    grid = win.hopfield_lab.grid
    state = grid.state
    text = grid.tip_for(5, state)
    weights, _ = build.hopfield_memory(win.controller.doc)
    h = float(weights[5] @ state)
    assert f"= {number(h)}" in text and "ΔE = 2·sᵢ·h" in text
    assert "flips" in text or "stays" in text


def test_an_edit_that_changes_the_evaluation_order_ends_the_walk_through(win, qtbot) -> None:
    win.open_example("xor")
    win.glass.pick(3)  # (1, 1)
    win.glass.start()  # h1 forward: its wires c1, c2 labelled
    win.controller.set_weight("c1", 0.5)  # a weight: the walk goes on with the new numbers
    qtbot.waitUntil(lambda: labels(win)[1].get("c1") == "w·x = 0.5·1 = 0.5")
    assert win.glass.model.walking and win.glass.annotations.active == "h1"
    win.controller.set_neuron("h2", role="output")  # now two outputs, another order
    qtbot.waitUntil(lambda: not win.glass.model.walking)


def test_a_point_of_the_one_input_fit_plot_is_a_training_or_test_row(win, qtbot) -> None:
    """The fit plot stacks training then test points: its last point is the last test row."""
    win.open_example("line-fit")
    doc = win.controller.doc
    win.controller.set_dataset(dataclasses.replace(doc.dataset, train_fraction=0.75))  # test rows too
    data = build.build_dataset(doc)
    assert len(data.X_test)
    n_train, n_test = len(data.X_train), len(data.X_test)
    points = win.output_plot.curve.points
    win.output_plot.set_problem(data, "linear")
    assert len(points.points()) == n_train + n_test
    points.sigClicked.emit(points, [points.points()[1]], None)
    assert win.glass.model.row == ("train", 1)
    points.sigClicked.emit(points, [points.points()[-1]], None)
    assert win.glass.model.row == ("test", n_test - 1)
    assert win.glass.panel.split.currentData() == "test"
    assert win.glass.panel.row.value() == n_test
    assert win.glass.model.x == data.X_test[-1].tolist()
