"""The Hopfield lab driven like a user: paint, store, load corrupted, recall, read the verdict."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import Qt

from engine import hopfield
from playground.document.fileformat import document_to_data


def open_lab(window):
    window.open_example("hopfield-letters")
    assert window.centre.currentWidget() is window.hopfield_lab
    window.hopfield_lab.rng = np.random.default_rng(0)  # the same corrupted copies on every run
    return window.hopfield_lab


def test_painting_cells_with_the_mouse_changes_the_state_in_one_step(window, qtbot) -> None:
    lab = open_lab(window)
    lab.buttons["Clear"].click()
    assert (lab.state() == -1).all()
    grid = lab.grid
    start, end = grid.cell_centre(0).toPoint(), grid.cell_centre(9).toPoint()  # along the top row
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 10):
        qtbot.mouseMove(grid, grid.cell_centre(k).toPoint())
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)
    state = lab.state()
    assert (state[:10] == 1).all() and (state[10:] == -1).all()
    assert window.controller.stack.undo_text == "Paint cells"
    qtbot.mouseClick(grid, Qt.MouseButton.RightButton, pos=grid.cell_centre(5).toPoint())
    assert lab.state()[5] == -1
    window.controller.undo()
    assert lab.state()[5] == 1


def test_store_adds_to_the_gallery_and_remove_takes_it_away(window) -> None:
    lab = open_lab(window)
    lab.buttons["Randomise"].click()
    lab.store_button.click()
    assert lab.gallery.count() == 5 and lab.gallery.item(4).text() == "P5"
    assert "5/100" in lab.load_label.text()
    lab.gallery.setCurrentRow(4)
    lab.remove_button.click()
    assert lab.gallery.count() == 4


def test_recall_from_20_percent_noise_returns_each_letter_and_energy_never_rises(window, qtbot) -> None:
    lab = open_lab(window)
    lab.speed.setValue(0)  # as fast as possible
    names = window.controller.doc.hopfield.pattern_names
    for k, name in enumerate(names):
        lab.gallery.setCurrentRow(k)
        lab.noise.setValue(20)
        lab.load_corrupted.click()
        pattern = np.array(window.controller.doc.hopfield.patterns[k])
        assert np.count_nonzero(lab.state() != pattern) == 20
        lab.run_button.click()
        assert lab.runner is not None and not lab.step_button.isEnabled()
        qtbot.waitUntil(lambda: lab.recall is None, timeout=10000)
        assert lab.last_verdict == ("pattern", k)
        assert f"Recalled pattern {name}" in lab.verdict.text()
        assert (np.diff(lab.energies) <= 1e-9).all() and lab.energies[-1] < lab.energies[0]
        assert lab.overlaps[-1][k] == 1.0 and lab.overlaps[0][k] == 0.6  # 20 of 100 bits flipped
        assert (lab.state() == pattern).all()  # the recalled state is the document's now
        assert lab.step_button.isEnabled()


def test_recall_is_animated_by_a_worker_thread_at_the_chosen_speed(window, qtbot) -> None:
    lab = open_lab(window)
    lab.noise.setValue(20)
    lab.gallery.setCurrentRow(0)
    lab.load_corrupted.click()
    lab.speed.setValue(4)  # 400 unit updates a second: a sweep of 100 units takes a quarter second
    lab.run_button.click()
    worker = lab.runner._thread
    assert worker is not threading.current_thread() and worker.is_alive()
    qtbot.waitUntil(lambda: lab.recall is None, timeout=10000)
    updates = lab.updates
    assert lab.last_verdict == ("pattern", 0) and updates[-1] % 100 == 0
    assert lab.frames_drawn >= 5  # drawn as it goes (≥ 0.5 s of recall at 30 ms a frame), not once
    # ~7 units a frame; a frame the loaded machine drew late may carry more, the typical one not
    assert (np.diff(updates) > 0).all() and np.median(np.diff(updates)) <= 10
    assert (np.diff(lab.energies) <= 1e-9).all()
    lab.gallery.setCurrentRow(0)
    lab.load_corrupted.click()
    lab.speed.setValue(1)
    lab.run_button.click()
    qtbot.wait(100)
    lab.speed.setValue(0)  # the speed applies live: the rest runs at once
    qtbot.waitUntil(lambda: lab.recall is None, timeout=3000)  # at 1 sweep/s it would take seconds
    assert lab.last_verdict[0] != "unsettled"


def test_step_updates_exactly_one_unit_and_sweep_finishes_the_sweep(window) -> None:
    lab = open_lab(window)
    lab.noise.setValue(40)
    lab.gallery.setCurrentRow(2)
    lab.load_corrupted.click()
    before = lab.state()
    flips = 0
    for k in range(1, 31):
        lab.step_button.click()
        assert lab.recall.updates == k and lab.recall.position == k
        now = lab.grid.state
        assert np.count_nonzero(now != before) <= 1  # one unit at most changed
        flips += int(np.count_nonzero(now != before))
        before = now.copy()
    assert flips > 0 and len(lab.energies) == 31
    lab.sweep_button.click()
    assert lab.recall.position == 0 and lab.recall.updates == 100
    lab.mode.setCurrentText("sync")
    lab.stop_button.click()
    assert lab.recall is None and window.controller.stack.undo_text == "Recall (stopped)"
    lab.load_corrupted.click()
    before = lab.state()
    lab.step_button.click()  # a synchronous step updates all units at once
    assert lab.updates.tolist() == [0, 1] and np.count_nonzero(lab.grid.state != before) > 1


def test_a_mixture_state_is_called_spurious(window) -> None:
    lab = open_lab(window)
    patterns = np.array(window.controller.doc.hopfield.patterns)
    mixture = np.sign(patterns[0] + patterns[1] + patterns[2]).astype(np.int8)
    lab._set_state(mixture, "Load a mixture")
    lab.sweep()
    while lab.recall is not None:
        lab.sweep()
    weights = hopfield.store(patterns)
    expected = hopfield.recall(weights, patterns, mixture, rng=np.random.default_rng(0)).verdict
    assert expected == "spurious" and lab.last_verdict == ("spurious", None)
    assert "spurious state" in lab.verdict.text()


def test_sync_recall_and_save_open_round_trip(window, tmp_path) -> None:
    lab = open_lab(window)
    lab.mode.setCurrentText("sync")
    lab.gallery.setCurrentRow(1)
    lab.load_corrupted.click()
    lab.speed.setValue(1)
    lab.run()
    assert lab.frame_timer.isActive() and lab.runner.running
    lab.stop()
    assert not lab.frame_timer.isActive() and lab.runner is None and lab.recall is None
    path = tmp_path / "memory.json"
    window.ask_save_path = lambda: path
    assert window.save()
    saved = document_to_data(window.controller.doc)
    window.new_document()
    assert window.open_path(path)
    assert document_to_data(window.controller.doc) == saved
    assert window.centre.currentWidget() is lab and lab.gallery.count() == 4


def test_switching_an_empty_network_to_hopfield_mode_gives_a_grid_to_paint(window) -> None:
    from playground.document.model import Document

    window.controller.reset(Document(title="Untitled"), None)
    window.choose_mode("hopfield")
    assert window.controller.doc.hopfield is not None
    assert window.centre.currentWidget() is window.hopfield_lab
    assert window.hopfield_lab.grid.rows == 10


def test_capacity_sweep_reports_progress_collapses_near_0_138_and_can_be_cancelled(window, qtbot) -> None:
    lab = open_lab(window)
    sweep = lab.capacity
    sweep.trials.setValue(10)
    seen = []
    sweep.progressed.connect(lambda done, total: seen.append((done, total)))
    sweep.start()
    qtbot.waitUntil(lambda: sweep._thread is None, timeout=60000)
    rows = sweep.rows
    assert seen and seen[-1][0] == seen[-1][1] == 150 and sweep.progress.value() == 150
    low = [r["recall_rate"] for r in rows if r["load"] <= 0.06]
    high = [r["recall_rate"] for r in rows if r["load"] >= 0.25]
    assert min(low) >= 0.9 and max(high) <= 0.3
    xs, _ = sweep.curve.getData()
    assert len(xs) == len(rows) == 15
    sweep.trials.setValue(200)
    sweep.start()
    qtbot.waitUntil(lambda: seen[-1][1] == 15 * 200, timeout=30000)  # the new sweep has begun
    sweep.cancel()
    qtbot.waitUntil(lambda: sweep._thread is None, timeout=20000)
    assert len(sweep.rows) < 15 and "cancelled" in sweep.caption.text()


def test_weight_matrix_view_shows_the_symmetric_weights(window) -> None:
    lab = open_lab(window)
    image = lab.weights_image.image
    assert image.shape == (100, 100)
    np.testing.assert_array_equal(image, image.T)
    assert (np.diag(image) == 0).all()


def test_built_in_pattern_sets_load_with_one_click_as_one_undo_step(window) -> None:
    lab = open_lab(window)
    lab.pattern_sets.setCurrentIndex(lab.pattern_sets.findData("digits"))
    lab.load_set_button.click()
    h = window.controller.doc.hopfield
    assert h.pattern_names == [str(d) for d in range(10)] and tuple(h.shape) == (10, 10)
    assert lab.gallery.count() == 10
    assert window.controller.stack.undo_text.startswith("Load the Digits")
    window.controller.undo()
    assert window.controller.doc.hopfield.pattern_names == ["A", "C", "T", "X"]


def test_small_memories_draw_units_and_symmetric_links_on_the_network_tab(window) -> None:
    lab = open_lab(window)
    assert not lab.links.units  # 100 units: left to the weight matrix
    assert "Weights tab" in lab.links.scene().items()[0].toPlainText()
    lab.rows_spin.setValue(4)
    lab.cols_spin.setValue(4)
    lab.resize_button.click()
    assert len(lab.links.units) == 16 and not lab.links.links  # nothing stored: no links
    lab.buttons["Randomise"].click()
    lab.store_button.click()
    state = lab.state()
    assert len(lab.links.links) == 16 * 15 // 2  # one pattern: every pair linked, each once
    link = lab.links.links[(0, 1)]
    assert f"{state[0] * state[1] / 16:+.4g}" in link.toolTip() and "both ways" in link.toolTip()
    assert link.pen().color().name() == ("#2f6fd6" if state[0] == state[1] else "#e4572e")
    fills = [u.brush().color().name() for u in lab.links.units]
    assert fills == ["#1f3b73" if v > 0 else "#f4f4f4" for v in state]
    lab.buttons["Invert"].click()
    assert lab.links.units[0].brush().color().name() == ("#f4f4f4" if state[0] > 0 else "#1f3b73")


def test_the_hidden_lab_does_not_widen_the_window_in_the_other_modes(window) -> None:
    window.open_example("spiral")
    assert window.centre.currentWidget() is window.view
    assert window.minimumSizeHint().width() <= 1024  # fits a 1366-pixel laptop screen with room
    open_lab(window)
    assert window.centre.minimumSizeHint() == window.hopfield_lab.minimumSizeHint()


def test_a_memory_file_with_a_short_pattern_or_asymmetric_weights_opens_flagged_and_refuses_recall(
        window, tmp_path) -> None:
    import json

    from playground.document.examples import example_path

    for edit, reason in [
        (lambda h: h["patterns"].append([1, -1, 1]), "pattern 5 has 3 values; the 10×10 grid needs 100"),
        (lambda h: h.__setitem__("weights", [[0.0 if i == j else (1.0 if i < j else 2.0)
                                              for j in range(100)] for i in range(100)]),
         "Hopfield weights must be symmetric: w[0][1] = 1 but w[1][0] = 2"),
    ]:
        data = json.loads(example_path("hopfield-letters").read_text())
        edit(data["hopfield"])
        path = tmp_path / "memory.json"
        path.write_text(json.dumps(data))
        assert window.open_path(path)  # opened to be fixed, nothing lost
        lab = window.hopfield_lab
        assert window.problems_label.text() == "⚠ 1 problem(s)"
        lab.run_button.click()
        assert lab.recall is None and lab.runner is None
        assert lab.verdict.text() == f"Cannot recall: {reason}"
