"""What every screenshot script shares: the folder, a window as a user opens it, and waiting
with the real event loop running (timers, worker frames, repaints)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playground.app import create_window

HERE = Path(__file__).resolve().parent


def wait(seconds: float) -> None:
    """Let the real event loop run for a while."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.instance().processEvents()
        time.sleep(0.005)


def shot_window(args: Sequence[str] = (), folder: Path | None = None):
    """The app's window at 1280 × 800 (the smallest screen it must fit), fresh settings in
    ``folder`` (a temporary one by default), closing without questions."""
    folder = folder or Path(tempfile.mkdtemp())
    settings = QSettings(str(folder / "shots.ini"), QSettings.Format.IniFormat)
    win = create_window(list(args), settings)
    win.ask_save_changes = lambda: "discard"
    win.resize(1280, 800)
    return win
