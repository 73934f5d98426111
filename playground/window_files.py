"""The main window's files: new/open/save with unsaved-change prompts, examples, recent files,
export, the settings that persist between sessions and crash recovery — a part the window is
composed of (``ProjectFiles``), plus the modal questions it asks through the window."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStatusBar, QWidget

from engine.errors import EngineError
from playground.docks import LAYOUT_VERSION
from playground.document.errors import DocumentError, FileFormatError
from playground.document.examples import example_path
from playground.document.journal import Recoverable, recoverable
from playground.document.model import Document
from playground.exporters import registry as exporters

if TYPE_CHECKING:  # the window's parts, named for the reader (importing them here would cycle)
    from playground.autosave import Autosave
    from playground.canvas.view import NetworkView
    from playground.controller import Controller
    from playground.training.controller import TrainingController

APP_NAME = "Neural Network Playground"
MAX_RECENT = 8
PROJECT_FILTER = "Playground projects (*.json);;All files (*)"
OPEN_FILTER = exporters.open_filter(PROJECT_FILTER)  # projects and the models an importer reads
EXPORT_FILTER = exporters.export_filter()


def with_suffix_of(name: str, chosen_filter: str) -> Path:
    """A name typed without a suffix gets the one of the file type chosen in the dialog."""
    path = Path(name)
    if path.suffix:
        return path
    match = re.search(r"\(\*(\.\w+)", chosen_filter or "")
    return path.with_suffix(match.group(1) if match else ".json")


class FileQuestions(Protocol):
    """What the files need from the window: its questions (the seams tests answer through), its
    error box, its status bar and its fit-to-view."""

    def ask_save_changes(self) -> str: ...
    def ask_open_path(self) -> Path | None: ...
    def ask_save_path(self) -> Path | None: ...
    def ask_export_path(self, name: str | None = None) -> Path | None: ...
    def ask_restore(self, rec: Recoverable) -> str: ...
    def show_error(self, title: str, message: str) -> None: ...
    def statusBar(self) -> QStatusBar: ...
    def fit_soon(self) -> None: ...
    def restoreGeometry(self, geometry: QByteArray) -> bool: ...
    def restoreState(self, state: QByteArray, version: int = 0) -> bool: ...


# -- the questions themselves (modal dialogs; the window's ask_* methods call these) ----------------
def ask_save_changes(parent: QWidget, name: str) -> str:
    """'save', 'discard' or 'cancel'."""
    buttons = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    answer = QMessageBox.question(parent, APP_NAME, f"Save the changes to {name}?", buttons,
                                  QMessageBox.StandardButton.Save)
    return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
        answer, "cancel"
    )


def ask_open_path(parent: QWidget, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open project or model", folder, OPEN_FILTER)
    return Path(name) if name else None


def ask_save_path(parent: QWidget, start: str, title: str = "Save project",
                  filters: str = PROJECT_FILTER) -> Path | None:
    name, chosen = QFileDialog.getSaveFileName(parent, title, start, filters)
    return with_suffix_of(name, chosen) if name else None


def ask_restore(parent: QWidget, rec: Recoverable) -> str:
    """'restore', 'discard' or 'later' (kept for the next start)."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(rec.saved_at))
    where = rec.path or "never saved"
    trained = f"<br>with {rec.epochs:,} epochs of training" if rec.epochs else ""
    box = QMessageBox(parent)
    box.setWindowTitle("Recover unsaved work")
    box.setText(f"<b>{rec.title}</b> was not saved when {APP_NAME} last closed.")
    box.setInformativeText(f"Last change: {when}<br>File: {where}{trained}<br><br>"
                           "Restore it? It opens unsaved; nothing is written until you save.")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "restore" if box.clickedButton() is restore else \
        "discard" if box.clickedButton() is discard else "later"


class ProjectFiles:
    """The File menu's work: new/open/save/export with unsaved-change prompts, recent files,
    the settings that persist between sessions, and crash recovery. Every question to the user
    goes through ``window`` (a ``FileQuestions``), so tests answer them without a dialog."""

    def __init__(self, window: FileQuestions, controller: Controller, settings: QSettings,
                 training: TrainingController, autosave: Autosave, view: NetworkView,
                 recent_menu: QMenu) -> None:
        self.window = window
        self.controller = controller
        self.settings = settings
        self.training = training
        self.autosave = autosave
        self.view = view
        self.recent_menu = recent_menu

    def status(self, text: str, ms: int = 5000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or unchanged)."""
        if not self.controller.modified:
            return True
        answer = self.window.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def save_path_start(self) -> str:
        return str(self.controller.path or Path(self.last_dir()) / "network.json")

    def export_path_start(self, exporter: exporters.Exporter) -> Path:
        """The export dialog's first suggestion: the last folder, the project's title, the suffix."""
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.controller.doc.title)
        return Path(self.last_dir()) / f"{stem.strip('_').lower() or 'network'}{exporter.suffix}"

    def export_weights(self, name: str | None = None) -> bool:
        """The network as it is now (a running training commits first), in a registry format:
        ``name``, or the one the file's suffix says."""
        self.training.stop()
        path = self.window.ask_export_path(name) if name else self.window.ask_export_path()  # stubs: bare
        if path is None:
            return False
        try:
            written = exporters.export(self.controller.doc, path, name)
        except (EngineError, DocumentError) as exc:
            self.window.show_error("Cannot export", str(exc))
            return False
        also = f" (and {', '.join(p.name for p in written[1:])})" if len(written) > 1 else ""
        self.status(f"Exported to {path}{also}", 5000)
        return True

    def new_document(self) -> None:
        if self.maybe_save():
            self.controller.reset(Document(title="Untitled"), None)
            self.view.fit_all()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.window.ask_open_path()
        if path is not None:
            self.open_path(path)

    def example_dialog(self) -> None:
        if not self.maybe_save():
            return
        from playground.dialogs.examples import ExampleGallery  # made when asked for (start-up)

        gallery = ExampleGallery(self.window)
        if gallery.exec() and gallery.chosen():
            self.open_example(gallery.chosen())

    def open_path(self, path: Path) -> bool:
        """Open a project; on any problem show the messages and keep the current document."""
        if exporters.importer_for(path) is not None:
            return self.import_model(path)
        try:
            self.controller.open(path)
        except (FileFormatError, DocumentError) as exc:
            problems = getattr(exc, "errors", None) or [str(exc)]
            self.window.show_error(
                "Cannot open project",
                f"{path.name} could not be opened:\n\n" + "\n".join(f"• {p}" for p in problems[:20]),
            )
            return False
        self._remember(path)
        self.window.fit_soon()
        self.status(f"Opened {path}", 5000)
        return True

    def import_model(self, path: Path) -> bool:
        """A model file (ONNX) as a new, unsaved project laid out by depth; a refusal says why."""
        try:
            doc = exporters.importer_for(path).read(path)
        except (DocumentError, EngineError) as exc:
            self.window.show_error("Cannot open model", f"{path.name} could not be opened:\n\n{exc}")
            return False
        self.controller.reset(doc, None)
        self.controller.stack.clean_index = None  # nothing saved yet: closing asks first
        self.controller.history_changed.emit()
        self._remember(path)
        self.window.fit_soon()
        self.status(f"Imported {path.name}: {len(doc.neurons)} neurons, {len(doc.connections)} wires "
                    "— choose a dataset to train it", 8000)
        return True

    def open_example(self, name: str) -> bool:
        path = example_path(name)
        if path is None:
            self.window.show_error("Cannot open example", f"There is no example called '{name}'.")
            return False
        self.controller.open(path, example=name)
        self.window.fit_soon()
        self.status(f"Example: {self.controller.doc.title}", 5000)
        return True

    def open_source(self, source: str) -> bool:
        """A command-line argument: a project file, else an example name."""
        if Path(source).exists() or source.endswith(".json"):
            return self.open_path(Path(source))
        return self.open_example(source)

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self.save_to(self.controller.path)

    def save_as(self) -> bool:
        path = self.window.ask_save_path()
        return self.save_to(path) if path is not None else False

    def save_to(self, path: Path) -> bool:
        try:
            self.controller.save(path)
        except (FileFormatError, OSError) as exc:
            text = "\n".join(getattr(exc, "errors", [])) or str(exc)
            self.window.show_error("Cannot save", f"{path.name} was not saved:\n\n{text}\n\n"
                                           "Your work is still open and unsaved.")
            return False
        self._remember(path)
        self.status(f"Saved {path}", 5000)
        return True

    # -- settings -------------------------------------------------------------------------------------------
    def last_dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v]

    def _remember(self, path: Path) -> None:
        path = path.resolve()
        recent = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self.settings.setValue("last_dir", str(path.parent))
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for name in self.recent_files():
            self.recent_menu.addAction(Path(name).name, lambda n=name: self._open_recent(Path(n))).setToolTip(
                name
            )
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def _open_recent(self, path: Path) -> None:
        if self.maybe_save():
            self.open_path(path)

    def restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        state = self.settings.value("window_state")
        if state is not None:
            self.window.restoreState(state, LAYOUT_VERSION)  # another layout's state: ignored
        self._fill_recent_menu()


    # -- crash recovery ------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer each journal a dead app left, newest first; True if one was restored."""
        for rec in recoverable(self.autosave.journal.folder):
            answer = self.window.ask_restore(rec)
            if answer == "discard":
                rec.file.unlink(missing_ok=True)
            elif answer == "restore":
                self.controller.reset(rec.document, Path(rec.path) if rec.path else None)
                self.controller.stack.clean_index = None  # unsaved until the user saves it
                self.controller.history_changed.emit()
                self.autosave.write_now()  # journaled under this app before the old one goes
                self.autosave.flush()
                rec.file.unlink(missing_ok=True)
                self.window.fit_soon()
                self.status(f"Restored '{rec.title}' from "
                                             f"{time.strftime('%H:%M:%S', time.localtime(rec.saved_at))}"
                                             " — not saved yet", 10000)
                return True
        return False
