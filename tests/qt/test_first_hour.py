"""Issue 12's reviewer defects in the views: the digits preview, the confusion matrix's axes,
legends over curves. Each test failed before its fix."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt

from playground.document import build
from playground.hopfield.overlap_plot import OverlapPlot
from playground.plots.loss import curve_plot


def test_the_digits_data_panel_counts_its_pictures_and_previews_a_spread(window) -> None:
    window.open_example("digits")
    panel = window.dataset_panel
    assert panel.points.value() == 1797  # the file's pictures, not the box's minimum of 4
    xs, ys = panel.train_points.getData()
    assert len(xs) == 1348  # 75 % of them
    # the first two pixels are 0 in every picture: plotting them put every point on one spot
    assert np.unique(np.round(np.column_stack([xs, ys]), 6), axis=0).shape[0] > 1000
    assert np.std(xs) > 0.5 and np.std(ys) > 0.5
    assert "two directions of widest spread" in panel.caption.text()
    window.open_example("xor")  # a generated dataset: its own count, its two inputs as they are
    data = build.build_dataset(window.controller.doc)
    assert panel.points.value() == len(data.X_train) + len(data.X_test)
    np.testing.assert_array_equal(panel.train_points.getData()[0], data.X_train[:, 0])


def test_the_confusion_matrix_has_true_classes_as_rows_and_predicted_as_columns(window, qtbot) -> None:
    window.open_example("iris")
    scores = window.output_plot.scores
    qtbot.waitUntil(lambda: window.output_plot.currentWidget() is scores)  # before any training
    plot = scores.matrix_plot
    assert plot.getAxis("left").labelText == "true class"
    assert plot.getAxis("bottom").labelText == "predicted class"
    names = ("setosa", "versicolor", "virginica")
    for side in ("left", "bottom"):
        assert [name for _, name in plot.getAxis(side)._tickLevels[0]] == list(names)
    confusion = np.array([[5, 0, 0], [2, 3, 0], [0, 1, 4]])  # [true, predicted]
    scores.refresh(confusion)
    image = scores.matrix.image
    for true in range(3):
        for predicted in range(3):
            # the tick of class `true` on the left and `predicted` at the bottom name this cell
            pixel = scores.matrix.mapFromView(QPointF(predicted, true))
            assert image[int(pixel.y()), int(pixel.x())] == confusion[true, predicted]
            assert abs(pixel.x() % 1 - 0.5) < 1e-9 and abs(pixel.y() % 1 - 0.5) < 1e-9  # centred
    texts = {(round(t.pos().x()), round(t.pos().y())): t.toPlainText() for t in scores.counts}
    assert texts[(0, 1)] == "2" and texts[(1, 2)] == "1" and texts[(2, 0)] == ""
    assert scores.caption.text() == "12 of 15 test samples right"


def _legends_clear_of_the_data(plot: pg.PlotWidget) -> None:
    vb = plot.getPlotItem().getViewBox()
    for item in plot.scene().items():
        if isinstance(item, pg.LegendItem) and item.isVisible():
            assert not item.sceneBoundingRect().intersects(vb.sceneBoundingRect())


def test_legends_cover_no_curve(qtbot) -> None:
    """Rising accuracy and overlap curves end near the top right, where the legend floated."""
    plot, _, _ = curve_plot("Accuracy", "accuracy")
    overlap = OverlapPlot()
    overlap.set_patterns(("A", "B", "C"))
    for widget in (plot, overlap):
        qtbot.addWidget(widget)
        widget.resize(500, 300)
        pg.QtWidgets.QWidget.show(widget)  # OverlapPlot.show draws curves
        qtbot.waitExposed(widget)
        _legends_clear_of_the_data(widget)
    title = plot.getPlotItem().titleLabel.text
    assert "train" in title and "test" in title and "#2f6fd6" in title  # the names, in colour
    assert all(name in overlap.getPlotItem().titleLabel.text for name in ("A", "B", "C"))
    overlap.set_patterns(tuple("ABCDEFGHIJ"))  # bundled: grey for all, the best match named
    overlap.show(np.arange(3.0), np.tile(np.linspace(-1, 1, 10), (3, 1)))
    assert "best match: J" in overlap.getPlotItem().titleLabel.text
    _legends_clear_of_the_data(overlap)


def _boundary_of_document(win) -> np.ndarray:
    """The decision grid computed another way: the learner built straight from the document."""
    from engine.grid import decision_grid
    from playground.training.extras import GRID

    doc = win.controller.doc
    data = build.build_dataset(doc)
    return decision_grid(build.build_learner(doc), data.x_range, data.y_range or data.x_range, GRID)


def test_the_boundary_fills_its_dock_and_shows_the_current_weights_before_training(window, qtbot) -> None:
    """Issue 12 item 9: a quarter of the area was used, the axes did not match the data, and the
    plot was empty until the first epoch."""
    window.open_example("spiral")
    boundary = window.output_plot.boundary
    qtbot.waitUntil(lambda: boundary.grid is not None, timeout=5000)
    assert window.training.history.epochs == 0  # nothing trained
    np.testing.assert_allclose(boundary.grid, _boundary_of_document(window), atol=1e-12)
    data = build.build_dataset(window.controller.doc)
    vb = boundary.plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert (x0, x1) == pytest.approx(data.x_range) and (y0, y1) == pytest.approx(data.y_range or data.x_range)
    window.resize(1280, 800)
    window.docks["output"].show()
    qtbot.waitUntil(lambda: boundary.plot.width() > 0)
    qtbot.wait(50)
    image, box = boundary.image.sceneBoundingRect(), vb.sceneBoundingRect()
    # the plane covers the whole view box, whatever the dock's shape (no margins left and right)
    assert image.width() == pytest.approx(box.width(), rel=0.02)
    assert image.height() == pytest.approx(box.height(), rel=0.02)
    assert box.width() > 0.6 * boundary.plot.width()  # and the view box most of the widget
    # an edit shows the new weights' boundary, still with no training
    before = boundary.grid.copy()
    cid = next(iter(window.controller.doc.connections))
    window.controller.set_weight(cid, 3.0)
    qtbot.waitUntil(lambda: not np.array_equal(boundary.grid, before), timeout=5000)
    np.testing.assert_allclose(boundary.grid, _boundary_of_document(window), atol=1e-12)
    window.controller.undo()
    qtbot.waitUntil(lambda: np.array_equal(boundary.grid, before), timeout=5000)


@pytest.fixture(params=["process", "thread"])
def runner_window(request, qtbot, settings):
    from tests.qt.conftest import open_window

    win = open_window(qtbot, settings, request.param)
    yield win
    win.training.stop()


def _hints_seen(win) -> list[str]:
    seen: list[str] = []
    win.training.snapshot.connect(lambda _: seen.append(win.loss_plot.hint_bar.hint.kind)
                                  if win.loss_plot.hint_bar.isVisible() else None)
    return seen


def test_a_learning_rate_of_50_gets_a_calm_hint_whose_button_lowers_it_live(runner_window, qtbot) -> None:
    win = runner_window
    win.open_example("spiral")
    win.controller.set_training(learning_rate=50.0, epochs=100_000)
    bar = win.loss_plot.hint_bar
    win.training.play()
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=20000)
    assert win.training.state == "running"  # non-modal: the run goes on
    assert bar.hint.kind == "too_high" and "ten times smaller (5)" in bar.toolTip()
    assert "worse than guessing" in bar.text.text()
    assert win.errors_shown == []  # no dialog
    qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
    assert win.controller.doc.training.learning_rate == 5.0
    assert win.training.state == "running" and not bar.isVisible()  # applied live, hint gone


def test_a_stuck_xor_says_reset_and_the_button_resets(runner_window, qtbot) -> None:
    win = runner_window
    win.open_example("xor")
    win.controller.set_training(seed=17)  # 2-2-1 tanh stuck at chance level
    bar = win.loss_plot.hint_bar
    win.training.play()
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=30000)
    assert bar.hint.kind == "chance" and bar.action.text() == "Reset for new weights"
    qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
    assert win.training.state == "idle" and win.controller.doc.training.seed == 18
    assert all(c.weight is None for c in win.controller.doc.connections.values())
    assert not bar.isVisible()


def test_a_run_that_is_fine_shows_no_hint(runner_window, qtbot) -> None:
    win = runner_window
    win.open_example("xor")  # seed 0 learns XOR
    seen = _hints_seen(win)
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=30000)
    assert win.training.history.epochs == 2000 and seen == []
    assert not win.loss_plot.hint_bar.isVisible()
