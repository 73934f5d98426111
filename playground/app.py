"""Start the desktop app: ``nn-playground`` opens the xor example, ``nn-playground FILE`` a project."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings

from playground.document.journal import recoverable
from playground.document.model import Document
from playground.main_window import MainWindow, application


def create_window(argv: list[str], settings: QSettings | None = None) -> MainWindow:
    """The application and its shown main window with the file or example from ``argv``."""
    application()
    # a project or example replaces the first document before anything is painted: starting from
    # one without data spares building and plotting a blank project's xor points (~15 ms of a
    # launch) that nobody would see
    window = MainWindow(settings, document=Document(dataset=None))
    window.show()
    if recoverable(window.autosave.journal.folder):  # a crash left work: ask first, over a blank
        window.controller.reset(Document(), None)  # project (as File → New makes), not the placeholder
        if window.offer_recovery():
            return window
    if not window.open_source(argv[0] if argv else "xor"):
        window.open_example("xor")
    return window


def launch(argv: list[str]) -> int:
    window = create_window(argv)
    return window.app_exec()


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
