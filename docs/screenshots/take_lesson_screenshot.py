"""Retake the README's lesson screenshot from the real window in a real X server.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/take_lesson_screenshot.py

The two-layer lesson at its last step, mid-run: one check ticked, the other still counting down.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playground.app import create_window
from playground.document.lessons import lesson_path, load_lesson

HERE = Path(__file__).resolve().parent


def wait(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.instance().processEvents()
        time.sleep(0.005)


def main() -> int:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "shots.ini"), QSettings.Format.IniFormat)
    win = create_window([], settings)
    win.ask_save_changes = lambda: "discard"
    win.resize(1280, 800)
    wait(0.5)
    win.lessons.open(load_lesson(lesson_path("two-layer")))
    win.lessons.go(1)
    for _ in range(5):
        win.lesson_panel.action_buttons[0].click()
    win.lessons.next()
    win.training.set_speed(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
    wait(0.5)
    win.lesson_panel.action_buttons[0].click()  # Play, slowly, so the shot is mid-run
    wait(float(sys.argv[2]) if len(sys.argv) > 2 else 2.5)
    win.grab().save(str(HERE / "lesson.png"))
    win.training.stop()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
