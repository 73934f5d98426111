"""The main window's files: new/open/save with unsaved-change prompts, examples, recent files,
export, and the settings that persist between sessions."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from engine.errors import EngineError
from engine.export import write_export
from playground.document import build
from playground.document.errors import DocumentError, FileFormatError
from playground.document.examples import example_path
from playground.document.journal import Recoverable, recoverable
from playground.document.model import Document

if TYPE_CHECKING:  # the window's parts, named for the reader (importing them here would cycle)
    from playground.autosave import Autosave
    from playground.canvas.view import NetworkView
    from playground.controller import Controller
    from playground.training.controller import TrainingController

APP_NAME = "Neural Network Playground"
MAX_RECENT = 8
PROJECT_FILTER = "Playground projects (*.json);;All files (*)"
EXPORT_FILTER = "NumPy archive (*.npz);;Layered JSON (*.json)"


def with_suffix_of(name: str, chosen_filter: str) -> Path:
    """A name typed without a suffix gets the one of the file type chosen in the dialog."""
    path = Path(name)
    if path.suffix:
        return path
    match = re.search(r"\(\*(\.\w+)", chosen_filter or "")
    return path.with_suffix(match.group(1) if match else ".json")


class FileActions:
    """Mixed into MainWindow; the ``ask_*`` methods are the seams tests answer through.

    It is a mixin, not a composed object, because those seams and the file commands are the
    window's own public surface; what it needs from the window is declared here."""

    controller: Controller
    settings: QSettings
    training: TrainingController
    autosave: Autosave
    view: NetworkView
    recent_menu: QMenu

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or unchanged)."""
        if not self.controller.modified:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def ask_save_changes(self) -> str:
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {self.controller.display_name}?",
            buttons,
            QMessageBox.StandardButton.Save,
        )
        return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
            answer, "cancel"
        )

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Open project", self._last_dir(), PROJECT_FILTER)
        return Path(name) if name else None

    def ask_save_path(self) -> Path | None:
        start = str(self.controller.path or Path(self._last_dir()) / "network.json")
        name, chosen = QFileDialog.getSaveFileName(self, "Save project", start, PROJECT_FILTER)
        return with_suffix_of(name, chosen) if name else None

    def show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    def ask_export_path(self) -> Path | None:
        start = str(Path(self._last_dir()) / "weights.npz")
        name, chosen = QFileDialog.getSaveFileName(self, "Export weights", start, EXPORT_FILTER)
        return with_suffix_of(name, chosen) if name else None

    def export_weights(self) -> bool:
        """Weights as they are now (a running training commits first), in the documented format."""
        self.training.stop()
        path = self.ask_export_path()
        if path is None:
            return False
        try:
            write_export(build.export_document(self.controller.doc), path)
        except (EngineError, DocumentError) as exc:
            self.show_error("Cannot export", str(exc))
            return False
        self.statusBar().showMessage(f"Exported weights to {path}", 5000)
        return True

    def new_document(self) -> None:
        if self.maybe_save():
            self.controller.reset(Document(title="Untitled"), None)
            self.view.fit_all()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path is not None:
            self.open_path(path)

    def example_dialog(self) -> None:
        if not self.maybe_save():
            return
        from playground.dialogs.examples import ExampleGallery  # made when asked for (start-up)

        gallery = ExampleGallery(self)
        if gallery.exec() and gallery.chosen():
            self.open_example(gallery.chosen())

    def open_path(self, path: Path) -> bool:
        """Open a project; on any problem show the messages and keep the current document."""
        try:
            self.controller.open(path)
        except (FileFormatError, DocumentError) as exc:
            problems = getattr(exc, "errors", None) or [str(exc)]
            self.show_error(
                "Cannot open project",
                f"{path.name} could not be opened:\n\n" + "\n".join(f"• {p}" for p in problems[:20]),
            )
            return False
        self._remember(path)
        self.fit_soon()
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def open_example(self, name: str) -> bool:
        path = example_path(name)
        if path is None:
            self.show_error("Cannot open example", f"There is no example called '{name}'.")
            return False
        self.controller.open(path, example=name)
        self.fit_soon()
        self.statusBar().showMessage(f"Example: {self.controller.doc.title}", 5000)
        return True

    def open_source(self, source: str) -> bool:
        """A command-line argument: a project file, else an example name."""
        if Path(source).exists() or source.endswith(".json"):
            return self.open_path(Path(source))
        return self.open_example(source)

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(self.controller.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self._save_to(path) if path is not None else False

    def _save_to(self, path: Path) -> bool:
        try:
            self.controller.save(path)
        except (FileFormatError, OSError) as exc:
            text = "\n".join(getattr(exc, "errors", [])) or str(exc)
            self.show_error("Cannot save", f"{path.name} was not saved:\n\n{text}\n\n"
                                           "Your work is still open and unsaved.")
            return False
        self._remember(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # -- settings -------------------------------------------------------------------------------------------
    def _last_dir(self) -> str:
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

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)
        self._fill_recent_menu()


    # -- crash recovery ------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer each journal a dead app left, newest first; True if one was restored."""
        for rec in recoverable(self.autosave.journal.folder):
            answer = self.ask_restore(rec)
            if answer == "discard":
                rec.file.unlink(missing_ok=True)
            elif answer == "restore":
                self.controller.reset(rec.document, Path(rec.path) if rec.path else None)
                self.controller.stack.clean_index = None  # unsaved until the user saves it
                self.controller.history_changed.emit()
                self.autosave.write_now()  # journaled under this app before the old one goes
                self.autosave.flush()
                rec.file.unlink(missing_ok=True)
                self.fit_soon()
                self.statusBar().showMessage(f"Restored '{rec.title}' from "
                                             f"{time.strftime('%H:%M:%S', time.localtime(rec.saved_at))}"
                                             " — not saved yet", 10000)
                return True
        return False

    def ask_restore(self, rec: Recoverable) -> str:
        """'restore', 'discard' or 'later' (kept for the next start)."""
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(rec.saved_at))
        where = rec.path or "never saved"
        trained = f"<br>with {rec.epochs:,} epochs of training" if rec.epochs else ""
        box = QMessageBox(self)
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
