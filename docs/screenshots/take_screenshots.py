"""Retake the README's screenshots from the real window in a real X server.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/take_screenshots.py

Spiral mid-training (the live canvas, loss and boundary), the hint a too-high learning rate gets,
digits' accuracy curves and confusion matrix, the Hopfield lab mid-recall, its capacity sweep,
the lab's network view of a 4×4 memory, and the glass box's walk-through. Each shot is taken
while the run is still going.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shots import HERE, shot_window, wait


def main() -> int:
    win = shot_window(["spiral"])
    wait(1.0)
    win.training.play()
    wait(2.5)  # mid-training: the boundary has begun to curl, the loss is still falling
    win.grab().save(str(HERE / "spiral-training.png"))
    win.training.stop()

    win.open_example("spiral")
    win.controller.set_training(learning_rate=50.0)
    wait(0.5)
    win.training.play()
    deadline = time.monotonic() + 20
    while not win.loss_plot.hint_bar.isVisible() and time.monotonic() < deadline:
        wait(0.1)
    wait(0.5)
    win.grab().save(str(HERE / "learning-rate-hint.png"))
    win.training.stop()

    win.open_example("digits")
    wait(0.5)
    win.controller.set_training(epochs=15)
    win.training.play()
    deadline = time.monotonic() + 60
    while win.training.state != "idle" and time.monotonic() < deadline:
        wait(0.1)
    wait(0.5)
    win.grab().save(str(HERE / "digits-scores.png"))

    win.open_example("hopfield-letters")
    lab = win.hopfield_lab
    wait(0.5)
    lab.gallery.setCurrentRow(0)
    lab.noise.setValue(30)
    lab.load_corrupted.click()
    lab.speed.setValue(1)
    lab.run_button.click()
    wait(1.6)  # mid-recall: part of "A" is clean, the energy is falling
    win.grab().save(str(HERE / "hopfield-lab.png"))
    lab.stop()

    lab.tabs.setCurrentWidget(lab.capacity)
    lab.capacity.start()
    deadline = time.monotonic() + 120
    while lab.capacity._thread is not None and time.monotonic() < deadline:
        wait(0.1)
    win.grab().save(str(HERE / "hopfield-capacity.png"))

    lab.rows_spin.setValue(4)
    lab.cols_spin.setValue(4)
    lab.resize_button.click()
    for _ in range(2):
        lab.buttons["Randomise"].click()
        lab.store_button.click()
    lab.tabs.setCurrentWidget(lab.links)
    wait(0.5)
    win.grab().save(str(HERE / "hopfield-network.png"))

    win.open_example("xor")  # the glass box at 1280×800, mid-backward-pass
    win.resize(1280, 800)
    for _ in range(40):
        win.training.step_epoch()
    win.glass.pick(2)
    win.glass.start()
    for _ in range(5):  # three neurons forward, the loss, o1 backward: now δ of h2
        win.glass.act_next.trigger()
    win.docks["glassbox"].raise_()
    wait(0.5)
    win.grab().save(str(HERE / "walkthrough-backward.png"))
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
