"""Autosave journals unsaved work within the throttle and forgets it on save; recovery asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playground.document.fileformat import document_to_data
from playground.document.journal import SUFFIX, Journal


def journals(window) -> list:
    return sorted(window.autosave.journal.folder.glob(f"*{SUFFIX}"))


def test_an_edit_is_journaled_within_the_throttle_and_a_save_discards_it(window, qtbot, tmp_path) -> None:
    window.autosave.timer.setInterval(200)
    window.controller.add_neuron("hidden", (10.0, 20.0))
    assert window.autosave.timer.isActive()
    qtbot.waitUntil(lambda: bool(journals(window)), timeout=3000)
    window.autosave.flush()
    record = json.loads(journals(window)[0].read_text())
    assert record["document"] == document_to_data(window.controller.doc)
    assert window.files.save_to(tmp_path / "p.json")
    window.autosave.flush()
    assert journals(window) == []  # saved: nothing to recover
    window.controller.add_neuron("hidden", (50.0, 20.0))
    qtbot.waitUntil(lambda: bool(journals(window)), timeout=3000)
    window.controller.undo()  # back to the saved state
    assert journals(window) == []


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return int(proc.stdout)


def test_a_dead_apps_journal_is_offered_and_discard_or_later_act_as_said(window) -> None:
    folder = window.autosave.journal.folder
    other = Journal(folder, pid=dead_pid())
    window.controller.set_training(learning_rate=0.5)
    other.write(document_to_data(window.controller.doc), "lost work", None)
    window.ask_restore = lambda rec: "later"
    assert not window.offer_recovery() and other.file.exists()
    alive = Journal(folder, pid=window.autosave.journal.pid)  # this process: never offered
    alive.write(document_to_data(window.controller.doc), "mine", None)
    seen = []
    window.ask_restore = lambda rec: seen.append(rec.title) or "discard"
    assert not window.offer_recovery()
    assert seen == ["lost work"] and not other.file.exists() and alive.file.exists()


def test_at_launch_the_recovery_question_has_a_blank_project_behind_it(qtbot, settings, monkeypatch) -> None:
    """A launch starts from a data-less placeholder (app.create_window); asked about a journal,
    the user sees a blank project behind the question, as before, not "No dataset"."""
    from playground.app import create_window
    from playground.document.model import Document
    from playground.main_window import MainWindow

    folder = Path(settings.fileName()).parent / "recovery"  # where a window with these settings journals
    Journal(folder, pid=dead_pid()).write(document_to_data(Document()), "lost", None)
    behind = []
    monkeypatch.setattr(MainWindow, "ask_restore",
                        lambda win, rec: behind.append((win.controller.doc.dataset,
                                                        win.dataset_panel.caption.text())) or "later")
    win = create_window([], settings)
    qtbot.addWidget(win)
    win.ask_save_changes = lambda: "discard"
    [(dataset, caption)] = behind
    assert dataset == Document().dataset and "No dataset" not in caption
    assert win.controller.example_name == "xor"  # "later": the launch goes on to its example


def test_file_open_of_damaged_projects_shows_one_message_and_keeps_the_network(window, tmp_path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import fuzzcases

    window.open_example("spiral")
    before = document_to_data(window.controller.doc)
    refused = 0
    for seed in range(60):
        data = fuzzcases.project_case(seed)
        if fuzzcases.project_verdict(data) != "rejected":
            continue
        path = tmp_path / f"bad{seed}.json"
        path.write_bytes(data)
        shown = len(window.errors_shown)
        assert not window.open_path(path)
        assert len(window.errors_shown) == shown + 1, seed
        assert document_to_data(window.controller.doc) == before
        refused += 1
    assert refused > 30
