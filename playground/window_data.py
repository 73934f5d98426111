"""The window's data files: File → Import Data…, a ``.csv`` dropped on the window, Export Data….

Composed into the main window with the two actions it adds to the File menu. The ``ask_*``
methods are the seams tests answer through (a file dialog, the import dialog). The CSV reader and
the dialog are imported on first use, not with the first window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow

from engine.errors import EngineError
from playground.controller import Controller
from playground.document.errors import DocumentError
from playground.document.model import DatasetSpec

CSV_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


class DataFiles(QObject):
    """Import/export of datasets for one window; filters the window's drag-and-drop events."""

    def __init__(self, window: QMainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.act_import = QAction("&Import Data…", window)
        self.act_import.setShortcut("Ctrl+I")
        self.act_import.setStatusTip("Read a CSV file as this project's dataset")
        self.act_import.triggered.connect(lambda checked=False: self.import_dialog())
        self.act_export = QAction("Export &Data…", window)
        self.act_export.setStatusTip("Write the dataset (with a split column) as CSV")
        self.act_export.triggered.connect(lambda checked=False: self.export_data())
        window.addActions([self.act_import, self.act_export])
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- seams -------------------------------------------------------------------------------------
    def ask_import_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import data", "", CSV_FILTER)
        return Path(name) if name else None

    def ask_import(self, path: Path, data: bytes) -> tuple[DatasetSpec, bool] | None:
        """The import dialog: (dataset, create matching inputs/outputs) or None if cancelled."""
        from playground.dialogs.import_data import ImportDataDialog

        dialog = ImportDataDialog(path, data, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.spec is None:
            return None
        return dialog.spec, dialog.match_io.isChecked()

    def ask_export_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, "Export data", "data.csv", CSV_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".csv")

    # -- commands ----------------------------------------------------------------------------------
    def import_dialog(self, path: Path | None = None) -> bool:
        """Ask for a file (unless given), show the dialog, push the import as one undo step."""
        from playground.document.csv_import import import_command, read_csv_bytes

        path = path or self.ask_import_path()
        if path is None:
            return False
        try:
            data = read_csv_bytes(path)
        except EngineError as exc:
            self.window.show_error("Cannot import", str(exc))
            return False
        answer = self.ask_import(path, data)
        if answer is None:
            return False
        spec, match_io = answer
        self.controller.push(import_command(self.controller.doc, spec, path.name, match_io))
        rows = len(spec.inline.inputs) + len(spec.inline.test_inputs or [])
        self.window.statusBar().showMessage(f"Imported {rows:,} rows from {path.name}", 6000)
        return True

    def export_data(self) -> bool:
        from playground.document.csv_import import export_csv

        path = self.ask_export_path()
        if path is None:
            return False
        try:
            rows = export_csv(self.controller.doc, path)
        except (EngineError, DocumentError) as exc:
            self.window.show_error("Cannot export the data", str(exc))
            return False
        self.window.statusBar().showMessage(f"Exported {rows:,} rows to {path}", 6000)
        return True

    # -- drag and drop -----------------------------------------------------------------------------
    @staticmethod
    def dropped_csv(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return paths[0] if len(paths) == 1 and paths[0].suffix.lower() in CSV_SUFFIXES else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self.dropped_csv(event) is not None:
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            path = self.dropped_csv(event)
            if path is not None:
                event.acceptProposedAction()
                self.import_dialog(path)
                return True
        return False
