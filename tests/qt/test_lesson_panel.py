"""Lessons in the window, driven as a learner would: the menu, each lesson's checks ticking when
the learner does what the step asks and not before, hidden controls, progress, bad files."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from playground.document.lesson_checks import ACTIONS, CONTROLS
from playground.document.lessons import lesson_from_data, lessons_dir, list_lessons
from playground.main_window import MainWindow
from tests.qt.conftest import open_window

LESSONS = {lesson.name: lesson for lesson in list_lessons()}


@pytest.fixture
def win(qtbot, settings) -> MainWindow:
    w = open_window(qtbot, settings, runner="thread")
    qtbot.waitExposed(w)
    yield w
    w.training.stop()
    w.hopfield_lab.stop()


def click_try(qtbot, win: MainWindow, label: str) -> None:
    """Press the panel's "try this" button with this label, and wait for what it started."""
    buttons = {b.text(): b for b in win.lesson_panel.action_buttons}
    qtbot.waitUntil(buttons[label].isVisible)  # a new step's buttons are shown by the event loop
    qtbot.mouseClick(buttons[label], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.training.state == "idle" and win.hopfield_lab.runner is None,
                    timeout=120_000)  # the machine may be busy: digits trains 40 epochs


def ticks(win: MainWindow) -> list[bool]:
    return [ok for ok, _ in win.lessons.evaluate()]


def set_weight(win: MainWindow, source: str, target: str, value: float) -> None:
    (cid,) = [c.id for c in win.controller.doc.outgoing(source) if c.target == target]
    win.controller.set_weight(cid, value)


def type_input(qtbot, win: MainWindow, k: int, text: str) -> None:
    """Type a number into the lesson panel's box for input k, as a learner would."""
    box = win.lesson_panel.input_boxes[k]
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def train(label: str = "Play") -> Callable:
    return lambda qtbot, win: click_try(qtbot, win, label)


def corrupt_and_recall(pattern: str) -> Callable:
    def drive(qtbot, win: MainWindow) -> None:
        win.hopfield_lab.rng = np.random.default_rng(3)  # the lab draws fresh noise each session
        click_try(qtbot, win, f"Load a corrupted {pattern}")
        click_try(qtbot, win, "Recall")
    return drive


def epochs(n: int) -> Callable:
    def drive(qtbot, win: MainWindow) -> None:
        for _ in range(n):
            click_try(qtbot, win, "Step one epoch")
    return drive


def smaller_rate(qtbot, win: MainWindow) -> None:
    for label in ("Set learning rate to 0.001", "Reset to the same initial weights", "Play"):
        click_try(qtbot, win, label)


def xor_data(qtbot, win: MainWindow) -> None:
    for label in ("Use the gate-xor data", "Reset (new random weights)", "Play"):
        click_try(qtbot, win, label)


# For each lesson, what the learner does at each step that has checks (None: nothing, its checks
# are ticked by what the earlier steps did).
DRIVE: dict[str, dict[int, Callable | None]] = {
    "nine-line-neuron": {1: train(), 2: None},
    "feed-forward": {1: lambda qtbot, win: type_input(qtbot, win, 1, "3"),
                     2: lambda qtbot, win: win.controller.set_neuron("h1", bias=4.0),
                     3: lambda qtbot, win: set_weight(win, "h1", "o1", 1.0)},
    "height-weight": {1: train("Step one sample"), 2: train(), 3: None},
    "two-layer": {1: epochs(5), 2: train()},
    "perceptron": {0: train(), 1: xor_data},
    "line-fit": {1: train(), 2: smaller_rate},
    "xor-hidden": {1: train(), 2: None},
    "digits": {1: train()},
    "hopfield": {1: corrupt_and_recall("A"), 2: corrupt_and_recall("X")},
}


def test_every_lesson_has_a_drive_for_each_step_with_checks() -> None:
    assert set(DRIVE) == set(LESSONS)
    for name, lesson in LESSONS.items():
        assert set(DRIVE[name]) == {k for k, s in enumerate(lesson.steps) if s.checks}, name


def test_the_lessons_menu_is_built_from_the_registry(win) -> None:
    assert not win.lessons_menu.actions()  # read when it is first shown, not at start-up
    win.lessons_menu.aboutToShow.emit()
    titles = [a.text() for a in win.lessons_menu.actions() if a.text() and not a.isSeparator()]
    assert titles[:len(LESSONS)] == [lesson.title for lesson in LESSONS.values()]
    assert titles[len(LESSONS):] == ["Open Lesson &File…", "&Leave Lesson"]
    assert set(win.lessons.handlers) == set(ACTIONS) and set(win.lessons.controls) == set(CONTROLS)


@pytest.mark.parametrize("name", list(DRIVE))
def test_each_lessons_checks_tick_when_driven_and_not_before(qtbot, win, name: str) -> None:
    lesson = LESSONS[name]
    win.lessons_menu.aboutToShow.emit()
    menu_action = next(a for a in win.lessons_menu.actions() if a.text() == lesson.title)
    menu_action.trigger()
    assert win.lessons.lesson == lesson and win.docks["lesson"].isVisible()
    drives = DRIVE[name]
    for k in drives:  # on the fresh project, no step with checks is done yet
        win.lessons.go(k)
        assert not all(ticks(win)), (k, win.lessons.last_lines)
    assert not win.lessons.done
    win.lessons.go(0)
    for k, step in enumerate(lesson.steps):
        assert win.lessons.index == k and win.lesson_panel.step_title.text() == step.title
        if drives.get(k) is not None:  # not one check of a step ticks before the learner acts
            assert not any(ticks(win)), (k, win.lessons.last_lines)
            drives[k](qtbot, win)
        if step.checks:
            qtbot.waitUntil(lambda: all(ticks(win)), timeout=30_000)
            assert k in win.lessons.done
            assert "Done" in win.lesson_panel.status.text()
            assert all(label.text().startswith("✓") for label in win.lesson_panel.check_labels)
        assert "{" not in win.lesson_panel.text.text()
        qtbot.mouseClick(win.lesson_panel.next, Qt.MouseButton.LeftButton)
    assert win.lessons.lesson is None and not win.docks["lesson"].isVisible()  # finished
    win.lessons.fill_menu()
    assert f"{lesson.title}  ✓" in [a.text() for a in win.lessons_menu.actions()]


def test_text_numbers_follow_the_document_live(qtbot, win) -> None:
    win.lessons.open(LESSONS["feed-forward"])
    win.lessons.go(2)
    assert "h1 = 0.95257413" in win.lesson_panel.text.text()
    win.controller.set_neuron("h1", bias=4.0)  # what the Inspector sends
    qtbot.waitUntil(lambda: "h1 = 0.99908895" in win.lesson_panel.text.text())
    assert "z = 7" in win.lesson_panel.text.text()
    win.controller.undo()
    qtbot.waitUntil(lambda: "h1 = 0.95257413" in win.lesson_panel.text.text())


def test_find_an_input_ticks_for_the_row_the_learner_types(qtbot, win) -> None:
    win.lessons.open(LESSONS["feed-forward"])
    win.lessons.go(1)
    boxes = win.lesson_panel.input_boxes
    assert [b.prefix() for b in boxes] == ["x1 = ", "x2 = "]
    qtbot.waitUntil(boxes[1].isVisible)
    assert win.lessons.last_lines == [(False, "Find an input for which h1 outputs more than 0.9 — "
                                              "now 0.5 for (0, 0)")]
    type_input(qtbot, win, 0, "100")  # x1's weight is 0: no use
    qtbot.waitUntil(lambda: "for (100, 0)" in win.lessons.last_lines[0][1])
    assert not win.lessons.last_lines[0][0]
    type_input(qtbot, win, 1, "2.5")
    qtbot.waitUntil(lambda: win.lessons.last_lines[0][0])
    assert win.lessons.last_lines[0][1].endswith(f"now {1 / (1 + math.exp(-2.5)):.8g} for (100, 2.5)")
    win.lessons.go(2)
    assert not win.lesson_panel.input_boxes  # only a step that asks for an input shows the boxes


def test_try_this_select_shows_the_neuron_in_the_inspector(qtbot, win) -> None:
    win.lessons.open(LESSONS["feed-forward"])
    click_try(qtbot, win, "Select h1")
    assert win.scene.selected_ids() == (["h1"], [])
    qtbot.waitUntil(lambda: win.inspector.label_edit.text() == "h1")
    assert win.inspector.bias_edit.value == 0.0


def test_a_pattern_the_learner_removed_is_said_not_crashed(qtbot, win) -> None:
    win.lessons.open(LESSONS["hopfield"])
    win.lessons.go(1)
    win.controller.set_hopfield("Forget", patterns=[], pattern_names=[])
    state = list(win.controller.doc.hopfield.state or [])
    click_try(qtbot, win, "Load a corrupted A")
    assert "No stored pattern is called A" in win.statusBar().currentMessage()
    assert list(win.controller.doc.hopfield.state or []) == state


def test_checks_tick_live_while_a_run_goes_on(qtbot, win) -> None:
    win.lessons.open(LESSONS["nine-line-neuron"])
    win.lessons.go(1)
    win.controller.set_training(epochs=400_000)  # long enough to be seen running
    win.training.set_speed(20_000)
    click = win.lesson_panel.action_buttons[0]
    qtbot.mouseClick(click, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.lessons.last_lines[1][0], timeout=20_000)  # loss below 0.001
    assert win.training.state == "running"  # ticked by the run's snapshot, not by a commit
    assert win.controller.doc.connections["c1"].weight == pytest.approx(-0.165955990594852)
    win.training.stop()


def test_hidden_controls_are_applied_per_step_and_restored_on_leaving(qtbot, win) -> None:
    assert win.act_step.isVisible() and win.docks["training"].toggleViewAction().isChecked()
    win.lessons.open(LESSONS["feed-forward"])
    hidden = [win.docks[k] for k in ("palette", "training", "loss")]
    assert not any(d.isVisible() for d in hidden)
    assert not win.act_step.isVisible() and not win.act_reset.isVisible()
    assert not win.act_reset_same.isVisible() and not win.act_layers.isVisible()
    assert win.docks["inspector"].isVisible() and win.docks["dataset"].toggleViewAction().isChecked()
    win.lessons.go(2)
    assert not win.act_step.isVisible()  # still hidden: the lesson hides it for every step
    qtbot.mouseClick(win.lesson_panel.leave, Qt.MouseButton.LeftButton)
    assert all(d.toggleViewAction().isChecked() for d in hidden)
    assert win.act_step.isVisible() and win.act_reset.isVisible() and win.act_layers.isVisible()


def test_a_mode_switch_does_not_bring_hidden_docks_back(qtbot, win) -> None:
    lesson = lesson_from_data({"format": "nn-playground-lesson", "schema_version": 1, "title": "t",
                               "project": {"example": "hopfield-letters"},
                               "hide": ["training", "palette"],
                               "steps": [{"title": "s", "text": "x"}]})
    win.lessons.open(lesson)
    assert win.centre.currentWidget() is win.hopfield_lab
    win.controller.set_mode("mlp", convert=False)  # the lab leaves and the window shows its docks
    assert win.docks["dataset"].toggleViewAction().isChecked()
    assert not win.docks["training"].toggleViewAction().isChecked()
    assert not win.docks["palette"].toggleViewAction().isChecked()
    win.lessons.leave()
    assert win.docks["training"].toggleViewAction().isChecked()


def test_a_dock_the_learner_had_closed_stays_closed(qtbot, win) -> None:
    win.docks["loss"].close()
    win.lessons.open(LESSONS["feed-forward"])
    win.lessons.leave()
    assert not win.docks["loss"].toggleViewAction().isChecked()
    assert win.docks["output"].toggleViewAction().isChecked()


def test_progress_is_kept_per_lesson(qtbot, win, settings) -> None:
    win.lessons.open(LESSONS["feed-forward"])
    win.controller.set_neuron("h1", bias=4.0)
    win.lessons.go(2)
    assert win.lessons.done == {2}
    win.lessons.go(3)
    win.lessons.leave()
    win.lessons.open(LESSONS["two-layer"])
    assert win.lessons.index == 0 and not win.lessons.done
    win.lessons.leave()
    win.lessons.fill_menu()
    assert "Feed-forward by hand  (1/4)" in [a.text() for a in win.lessons_menu.actions()]
    other = MainWindow(settings, runner="thread")  # a new session reads the same settings
    qtbot.addWidget(other)
    other.ask_save_changes = lambda: "discard"
    other.lessons.open(LESSONS["feed-forward"])
    assert other.lessons.index == 3 and other.lessons.done == {2}
    assert other.lesson_panel.progress.format() == "Step 4 of 4 · 1 done"
    assert other.lesson_panel.back.isEnabled() and other.lesson_panel.next.text() == "Finish ✓"


def test_opening_another_project_leaves_the_lesson(qtbot, win) -> None:
    win.lessons.open(LESSONS["feed-forward"])
    assert not win.docks["palette"].isVisible()
    win.open_example("xor")
    assert win.lessons.lesson is None and win.docks["palette"].isVisible()
    assert win.lesson_panel.title.text() == "No lesson open"


def test_a_bad_lesson_file_gives_one_message_and_changes_nothing(qtbot, win, tmp_path) -> None:
    win.open_example("xor")
    bad = tmp_path / "mine.json"
    text = (lessons_dir() / "xor-hidden.json").read_text(encoding="utf-8")
    bad.write_text(text.replace('"accuracy_at_least"', '"accuracy_at_most"'), encoding="utf-8")
    assert not win.lessons.open_file(bad)
    (message,) = win.errors_shown
    assert "unknown check 'accuracy_at_most'" in message and "mine.json" in message
    assert win.controller.example_name == "xor" and win.lessons.lesson is None
    good = tmp_path / "good.json"
    good.write_text(text, encoding="utf-8")
    assert win.lessons.open_file(good) and win.lessons.key == "file-good"


def test_the_lesson_dock_is_a_dock_of_the_table(win) -> None:
    assert isinstance(win.docks["lesson"], QDockWidget) and not win.docks["lesson"].isVisible()
    assert win.lesson_panel.title.text() == "No lesson open"


def test_a_window_closed_mid_lesson_starts_the_next_without_the_lesson_dock(qtbot, win, settings) -> None:
    """The saved window state has the Lesson dock open; the next session opens no lesson, so it
    must not show an empty Lesson tab over the Data tabs (nor build the panel for it)."""
    win.lessons.open(LESSONS["feed-forward"])
    assert win.docks["lesson"].isVisible()
    win.close()  # saves the window state, the lesson dock in it
    other = MainWindow(settings, runner="thread")
    qtbot.addWidget(other)
    other.ask_save_changes = lambda: "discard"
    other.show()
    qtbot.waitExposed(other)
    assert not other.docks["lesson"].isVisible() and other._lessons is None
    assert not other._lesson_dock_panel.made
    assert other.docks["dataset"].isVisible()  # the Data tab is the one in front
