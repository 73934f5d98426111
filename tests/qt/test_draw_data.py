"""Points by mouse on the decision plot: add, move, delete, brush, undo, and live during training."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from playground.document.build import build_dataset
from tests.qt.conftest import open_window

L, R = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton


def plot_mouse(win, kind: QEvent.Type, x: float, y: float, button=L, buttons=None) -> None:
    """A mouse event on the decision plot at plane coordinates (x, y), as Qt delivers it."""
    plot = win.output_plot.boundary.plot
    vb = plot.getPlotItem().getViewBox()
    local = QPointF(plot.mapFromScene(vb.mapViewToScene(QPointF(x, y))))
    glob = QPointF(plot.viewport().mapToGlobal(local.toPoint()))
    if buttons is None:
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    QApplication.sendEvent(plot.viewport(), QMouseEvent(kind, local, glob, button, buttons,
                                                        Qt.KeyboardModifier.NoModifier))


def click(win, x: float, y: float, button=L) -> None:
    plot_mouse(win, QEvent.Type.MouseButtonPress, x, y, button)
    plot_mouse(win, QEvent.Type.MouseButtonRelease, x, y, button)


def drag(win, start, end, steps: int = 8, button=L) -> None:
    plot_mouse(win, QEvent.Type.MouseButtonPress, *start, button)
    for k in range(1, steps + 1):
        t = k / steps
        plot_mouse(win, QEvent.Type.MouseMove, start[0] + (end[0] - start[0]) * t,
                   start[1] + (end[1] - start[1]) * t, Qt.MouseButton.NoButton, button)
    plot_mouse(win, QEvent.Type.MouseButtonRelease, *end, button)


def pixel(win) -> float:
    """One screen pixel in plane units (the tolerance of a click's position)."""
    vb = win.output_plot.boundary.plot.getPlotItem().getViewBox()
    return float(max(vb.viewPixelSize()))


def rows(win) -> np.ndarray:
    inline = win.controller.doc.dataset.inline
    return np.array(inline.inputs + (inline.test_inputs or []), dtype=float).reshape(-1, 2)


def targets(win) -> list[list[float]]:
    inline = win.controller.doc.dataset.inline
    return inline.targets + (inline.test_targets or [])


@pytest.fixture
def drawing(qtbot, settings):
    """A window with an empty two-class plane, draw mode on, the output plot big enough to aim."""
    win = open_window(qtbot, settings, "thread")
    qtbot.waitExposed(win)
    win.resize(1280, 800)
    win.docks["output"].setMinimumHeight(330)
    win.data_tools.plane_menu.actions()[0].trigger()  # Data → New Empty Plane → Two Classes
    qtbot.waitUntil(lambda: win.output_plot.boundary.plot.height() > 200)
    qtbot.wait(50)
    assert win.data_tools.act_draw.isChecked()
    yield win
    win.training.stop()


def choose_class(win, k: int) -> None:
    combo = win.data_tools.controls.classes
    combo.setCurrentIndex(k)
    combo.activated.emit(k)  # what a user's pick in the combo sends


def test_a_click_adds_a_point_of_the_chosen_class_and_undo_removes_it(drawing) -> None:
    win = drawing
    choose_class(win, 1)
    click(win, 1.5, 2.0)
    choose_class(win, 0)
    click(win, -3.0, -1.0)
    np.testing.assert_allclose(rows(win), [[1.5, 2.0], [-3.0, -1.0]], atol=2 * pixel(win))
    assert targets(win) == [[1.0], [0.0]]
    assert win.controller.stack.entries[-2:] == ["Add point", "Add point"]
    boundary = win.output_plot.boundary  # the plot shows them, in the class colours
    assert len(boundary.train_points.data) == 2
    win.controller.undo()
    assert len(rows(win)) == 1 and len(boundary.train_points.data) == 1


def test_a_drag_moves_the_point_under_the_cursor_as_one_undo_step(drawing) -> None:
    win = drawing
    click(win, 0.0, 0.0)
    click(win, 4.0, 4.0)
    steps = len(win.controller.stack.entries)
    drag(win, (0.0, 0.0), (3.0, -2.0))
    np.testing.assert_allclose(rows(win), [[3.0, -2.0], [4.0, 4.0]], atol=2 * pixel(win))
    assert win.controller.stack.entries[steps:] == ["Move point"]  # eight moves, one step
    win.controller.undo()
    np.testing.assert_allclose(rows(win)[0], [0.0, 0.0], atol=2 * pixel(win))


def test_press_on_empty_plane_and_drag_places_the_new_point_where_released(drawing) -> None:
    win = drawing
    steps = len(win.controller.stack.entries)
    drag(win, (-2.0, 1.0), (2.0, 3.0))
    np.testing.assert_allclose(rows(win), [[2.0, 3.0]], atol=2 * pixel(win))
    assert win.controller.stack.entries[steps:] == ["Add point"]
    win.controller.undo()
    assert len(rows(win)) == 0


def test_right_click_removes_a_point_and_del_removes_the_selected_ones(drawing, qtbot) -> None:
    win = drawing
    win.controller.add_neuron("input", (0.0, 0.0))  # Del on the plot must not delete neurons
    for x in (-4.0, 0.0, 4.0):
        click(win, x, 1.0)
    click(win, 0.0, 1.0, R)
    np.testing.assert_allclose(rows(win)[:, 0], [-4.0, 4.0], atol=2 * pixel(win))
    assert win.controller.stack.undo_text == "Delete 1 row"
    win.data_tools.act_draw.setChecked(False)
    click(win, 4.0, 1.0)  # out of draw mode a click selects the point
    assert win.data_tools.selection.rows.tolist() == [1]
    assert len(win.output_plot.boundary.highlight.data) == 1
    plot = win.output_plot.boundary.plot
    plot.setFocus()
    qtbot.keyClick(plot, Qt.Key.Key_Delete)
    np.testing.assert_allclose(rows(win)[:, 0], [-4.0], atol=2 * pixel(win))
    assert len(win.controller.doc.neurons) == 1


def test_the_brush_sprays_a_seeded_cloud_along_the_stroke_as_one_undo_step(drawing, qtbot,
                                                                            settings) -> None:
    win = drawing
    win.data_tools.controls.tool.setCurrentIndex(1)
    win.data_tools.controls.tool.activated.emit(1)
    choose_class(win, 1)
    steps = len(win.controller.stack.entries)
    drag(win, (-4.0, 0.0), (4.0, 0.0), steps=16)
    drawn = rows(win)
    state = win.data_tools.state
    radius = state.brush_radius * 12.0  # the plane is 12 wide
    assert len(drawn) >= 4 * state.brush_points and len(drawn) % state.brush_points == 0
    # every point within the brush of the line (its centre is where the cursor's pixel is)
    assert np.all(np.abs(drawn[:, 1]) <= radius + pixel(win))
    assert drawn[:, 0].min() < -3.5 and drawn[:, 0].max() > 3.5
    assert {t[0] for t in targets(win)} == {1.0}
    assert win.controller.stack.entries[steps:] == ["Brush points"]
    # seeded: the same stroke in another window sprays the same points
    other = open_window(qtbot, settings, "thread")
    qtbot.waitExposed(other)  # painted, as the first window is: axes widen to their labels then
    other.resize(1280, 800)
    other.docks["output"].setMinimumHeight(330)
    other.data_tools.plane_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: other.output_plot.boundary.plot.height() > 200)
    qtbot.wait(50)
    other.data_tools.controls.tool.setCurrentIndex(1)
    other.data_tools.controls.tool.activated.emit(1)
    def view(w):
        return w.output_plot.boundary.plot.getPlotItem().getViewBox().sceneBoundingRect()
    assert view(other) == view(win)  # the same stroke covers the same pixels
    drag(other, (-4.0, 0.0), (4.0, 0.0), steps=16)
    np.testing.assert_allclose(rows(other), drawn, atol=4 * pixel(win))
    win.controller.undo()
    assert len(rows(win)) == 0


def test_drawing_on_a_generated_dataset_edits_its_points_and_undo_brings_it_back(qtbot,
                                                                                  settings) -> None:
    win = open_window(qtbot, settings, "thread")
    win.docks["output"].setMinimumHeight(330)
    qtbot.waitExposed(win)
    generated = build_dataset(win.controller.doc)
    win.data_tools.act_draw.setChecked(True)
    X = np.vstack([generated.X_train, generated.X_test])
    free = max(((x, y) for x in np.linspace(-5, 5, 41) for y in np.linspace(-5, 5, 41)),
               key=lambda p: np.hypot(X[:, 0] - p[0], X[:, 1] - p[1]).min())  # not on a point
    click(win, *free)
    inline = win.controller.doc.dataset.inline
    assert inline is not None and len(inline.inputs) == len(generated.X_train) + 1
    np.testing.assert_array_equal(np.array(inline.inputs[:-1]), generated.X_train)
    np.testing.assert_array_equal(np.array(inline.test_inputs), generated.X_test)
    assert inline.plane == [-6.0, 6.0, -6.0, 6.0]
    win.controller.undo()  # one step: the conversion and the point together
    assert win.controller.doc.dataset.inline is None and win.controller.doc.dataset.name == "xor"
    win.data_tools.act_edit.trigger()  # Data → Edit These Points
    assert win.controller.stack.undo_text == "Edit these points"
    np.testing.assert_array_equal(np.array(win.controller.doc.dataset.inline.inputs),
                                  generated.X_train)
    win.data_tools.act_clear.trigger()
    assert win.controller.doc.dataset.inline.inputs == []
    assert win.controller.stack.undo_text == "Clear points"


def test_a_regression_plane_draws_points_with_the_chosen_value(drawing) -> None:
    win = drawing
    win.data_tools.plane_menu.actions()[2].trigger()  # Values (Regression)
    controls = win.data_tools.controls
    assert controls.label_stack.currentWidget() is controls.value
    controls.value.setValue(2.5)
    click(win, 1.0, 1.0)
    controls.value.setValue(-1.0)
    click(win, -1.0, -1.0)
    assert targets(win) == [[2.5], [-1.0]]
    assert win.controller.doc.dataset.inline.task == "regression"


def test_three_classes_offer_three_coloured_classes_and_one_hot_targets(drawing) -> None:
    win = drawing
    win.data_tools.plane_menu.actions()[1].trigger()
    combo = win.data_tools.controls.classes
    assert [combo.itemText(k) for k in range(combo.count())] == ["A", "B", "C"]
    choose_class(win, 2)
    click(win, 0.0, 0.0)
    assert targets(win) == [[0.0, 0.0, 1.0]]
    colour = combo.itemIcon(2).pixmap(12, 12).toImage().pixelColor(6, 6)
    from playground.plots.output import CLASS_RGB

    assert (colour.red(), colour.green(), colour.blue()) == tuple(int(v) for v in CLASS_RGB[2])


def _corner(win) -> float:
    grid = win.output_plot.boundary.grid
    return float(grid[0, -8:, -8:].mean()) if grid is not None else float("nan")


@pytest.mark.parametrize("runner", ["thread", "process"])
def test_the_boundary_follows_points_drawn_during_a_run(runner, qtbot, settings) -> None:
    """Class-0 points everywhere, then class-1 points brushed into the top right corner while
    it trains: the same run (not a restart) turns the corner to class 1."""
    win = open_window(qtbot, settings, runner)
    win.resize(1280, 800)
    win.docks["output"].setMinimumHeight(330)
    qtbot.waitExposed(win)
    c = win.controller
    win.data_tools.plane_menu.actions()[0].trigger()
    c.build_layers("2-8-1", "tanh", "sigmoid", replace=True)
    c.set_training(optimizer="adam", learning_rate=0.03, epochs=1_000_000, batch_size=0)
    qtbot.waitUntil(lambda: win.output_plot.boundary.plot.height() > 200)
    for x in (-5.0, -2.5, 0.0, 2.5):
        for y in (-5.0, -2.5, 0.0, 2.5):
            click(win, x, y)
    try:
        win.training.play()
        qtbot.waitUntil(lambda: win.training.history.epochs > 50 and _corner(win) < 0.3,
                        timeout=30000)
        run_id = win.training.runner._run_id
        choose_class(win, 1)
        win.data_tools.controls.tool.setCurrentIndex(1)
        win.data_tools.controls.tool.activated.emit(1)
        drag(win, (4.2, 4.2), (5.6, 5.6), steps=10)
        assert win.training.state == "running"  # patched into the run, not stopped
        qtbot.waitUntil(lambda: _corner(win) > 0.7, timeout=30000)
        assert win.training.runner._run_id == run_id
        assert len(win.training.job.data.X_train) == len(rows(win))
    finally:
        win.training.stop()


def test_a_run_stops_when_its_data_can_no_longer_train_it(qtbot, settings) -> None:
    win = open_window(qtbot, settings, "thread")
    c = win.controller
    win.data_tools.plane_menu.actions()[0].trigger()
    c.build_layers("2-4-1", "tanh", "sigmoid", replace=True)
    c.set_training(epochs=1_000_000)
    win.data_tools.editor.add([[0.0, 0.0], [1.0, 1.0]], 1, "Add point")
    win.training.play()
    qtbot.waitUntil(lambda: win.training.history.epochs > 5, timeout=20000)
    win.data_tools.editor.clear()  # no rows left: nothing to train on
    assert win.training.state == "idle"
    win.training.stop()


def test_draw_mode_is_refused_in_words_where_there_is_no_plane(qtbot, settings) -> None:
    win = open_window(qtbot, settings, "thread")
    win.open_example("iris")  # four inputs: nothing to draw on
    messages: list[str] = []
    win.controller.status.connect(messages.append)
    win.data_tools.act_draw.setChecked(True)
    assert not win.data_tools.act_draw.isChecked() and not win.data_tools.state.enabled
    assert messages == ["Cannot draw here: drawing needs data with two inputs (a plane); start an "
                        "empty plane instead"]
    win.data_tools.plane_menu.actions()[0].trigger()  # an empty plane turns it on
    assert win.data_tools.state.enabled
    assert win.dataset_panel.name_combo.currentIndex() == -1  # "Your own points", not a dataset
    assert win.dataset_panel.name_combo.placeholderText().startswith("Your own points")
    win.controller.undo()  # back to iris: draw mode goes off again
    assert not win.data_tools.act_draw.isChecked()


@pytest.mark.parametrize("runner", ["thread", "process"])
def test_points_drawn_into_a_run_with_feature_inputs_reach_it_as_network_inputs(runner, qtbot,
                                                                                settings) -> None:
    """circle-features reads x₁, x₂, x₁², x₂²: a point drawn during its run is two raw columns,
    which the run must get with its features added, while the plot keeps the raw points."""
    win = open_window(qtbot, settings, runner)
    win.docks["output"].setMinimumHeight(330)
    qtbot.waitExposed(win)
    win.open_example("circle-features")
    c = win.controller
    c.set_training(epochs=1_000_000)
    qtbot.waitUntil(lambda: win.output_plot.boundary.plot.height() > 200)
    win.data_tools.act_draw.setChecked(True)
    try:
        win.training.play()
        qtbot.waitUntil(lambda: win.training.history.epochs > 5, timeout=30000)
        run_id = win.training.runner._run_id
        click(win, 5.5, 5.5)
        n = len(rows(win))
        assert win.training.state == "running" and win.training.job.data.X_train.shape[1] == 2
        epochs = win.training.history.epochs
        qtbot.waitUntil(lambda: win.training.history.epochs > epochs + 20, timeout=30000)
        assert win.training.state == "running" and win.training.runner._run_id == run_id
        assert len(win.training.job.data.X_train) + len(win.training.job.data.X_test) == n
        assert np.isfinite(win.training.history.train.y[-1])
    finally:
        win.training.stop()
