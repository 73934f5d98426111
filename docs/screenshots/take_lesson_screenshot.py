"""Retake the README's lesson screenshot from the real window in a real X server.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/take_lesson_screenshot.py

The two-layer lesson at its last step, mid-run: one check ticked, the other still counting down.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shots import HERE, shot_window, wait

from playground.document.lessons import lesson_path, load_lesson


def main() -> int:
    win = shot_window()
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
