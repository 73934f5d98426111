"""The Training panel is generated from the settings table: every setting has an editor that edits
the document as an undo step, and settings of one optimizer show only with it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from engine.settings import SETTINGS


def visible(win, name: str) -> bool:
    return win.training_panel.editor(name).widget.isVisibleTo(win.training_panel)


def test_every_setting_has_an_editor_showing_the_documents_value(window) -> None:
    panel = window.training_panel
    assert set(panel.editors) == {s.name for s in SETTINGS}
    t = window.controller.doc.training
    for s in SETTINGS:
        editor = panel.editor(s.name)
        shown = {"choice": lambda e: e.input.currentText(), "bool": lambda e: e.input.isChecked()}
        if s.kind in shown:
            assert shown[s.kind](editor) == getattr(t, s.name), s.name
        elif not s.nullable:
            assert editor.input.value() == getattr(t, s.name), s.name


def test_momentum_and_nesterov_show_with_their_optimizer_and_edit_as_one_undo_step(window, qtbot) -> None:
    panel, doc = window.training_panel, window.controller.doc
    assert doc.training.optimizer == "sgd"
    assert not visible(window, "momentum") and not visible(window, "beta1")
    box = panel.editor("optimizer").input
    box.setCurrentIndex(box.findText("momentum"))
    box.activated.emit(box.currentIndex())
    assert doc.training.optimizer == "momentum"
    assert visible(window, "momentum") and visible(window, "nesterov") and not visible(window, "beta2")
    spin = panel.editor("momentum").input
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.5")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert doc.training.momentum == 0.5
    check = panel.editor("nesterov").input
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))
    assert doc.training.nesterov is True
    window.controller.undo()
    assert doc.training.nesterov is False and doc.training.momentum == 0.5
    window.controller.undo()
    assert doc.training.momentum == 0.9  # the panel follows undo too
    assert panel.editor("momentum").input.value() == 0.9


def test_adam_epsilon_is_shown_as_typed_and_accepts_scientific_notation(window, qtbot) -> None:
    panel, doc = window.training_panel, window.controller.doc
    window.controller.set_training(optimizer="adam")
    assert visible(window, "epsilon") and visible(window, "beta1")
    spin = panel.editor("epsilon").input
    assert spin.text() == "1e-08"
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "2e-6")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert doc.training.epsilon == 2e-6


def test_target_loss_checkbox_turns_the_setting_on_and_off(window, qtbot) -> None:
    panel, doc = window.training_panel, window.controller.doc
    editor = panel.editor("target_loss")
    assert doc.training.target_loss is None and not editor.input.isEnabled()
    editor.toggle.setChecked(True)
    assert doc.training.target_loss == editor.input.value() and editor.input.isEnabled()
    editor.toggle.setChecked(False)
    assert doc.training.target_loss is None


def test_a_perceptron_shows_only_the_settings_its_rule_reads(window) -> None:
    window.open_example("perceptron-and")
    shown = {s.name for s in SETTINGS if visible(window, s.name)}
    assert shown == {s.name for s in SETTINGS if "perceptron" in s.modes}
    assert {"learning_rate", "epochs", "seed"} <= shown
    assert not {"loss", "optimizer", "batch_size", "l2", "beta1"} & shown
    window.open_example("xor")
    assert visible(window, "loss") and visible(window, "batch_size")


def test_an_untouched_box_keeps_every_digit_of_its_value(window, qtbot) -> None:
    window.controller.set_training(learning_rate=0.1234567)
    spin = window.training_panel.editor("learning_rate").input
    assert spin.text() == "0.1234567"
    spin.setFocus()
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert window.controller.doc.training.learning_rate == 0.1234567
    assert not window.controller.stack.can_redo and window.controller.stack.undo_text != ""


def test_an_out_of_range_number_says_why_it_was_not_taken(window, qtbot) -> None:
    said: list[str] = []
    window.controller.status.connect(said.append)
    spin = window.training_panel.editor("learning_rate").input
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert window.controller.doc.training.learning_rate == 0.03  # kept
    assert said and said[-1] == "Learning rate not changed: must be greater than 0, not 0.0"


def test_the_training_tab_made_late_still_keeps_its_form_whole(window, qtbot) -> None:
    """The form is made when its tab is raised; then its scroll area fits it, so a floated,
    narrowed dock cannot cut the inputs off (only the height scrolls)."""
    dock = window.docks["training"]
    dock.raise_()
    qtbot.waitUntil(lambda: window._training_dock_panel.made)
    dock.setFloating(True)
    dock.resize(200, 500)
    qtbot.wait(50)
    form = window.training_panel
    assert dock.widget().viewport().width() >= form.minimumSizeHint().width()
