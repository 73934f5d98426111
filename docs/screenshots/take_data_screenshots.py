"""Retake the README's screenshots of imported data and feature inputs from the real window.

    xvfb-run -n 94 -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/take_data_screenshots.py

The Import Data dialog over the window (a two-moons CSV with text classes), the imported data
being learned (class names in the legend), and `circle-features` mid-training (thumbnails of the
x₁² and x₂² input neurons).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playground.dialogs.import_data import ImportDataDialog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shots import HERE, shot_window, wait


def moons_csv(folder: Path) -> Path:
    """Two interleaved half-moons named 'north' and 'south', with an id column to ignore."""
    rng = np.random.default_rng(4)
    t = rng.uniform(0, np.pi, 300)
    north = np.column_stack([np.cos(t[:150]), np.sin(t[:150])])
    south = np.column_stack([1 - np.cos(t[150:]), 0.5 - np.sin(t[150:])])
    X = np.vstack([north, south]) * 2.5 + rng.normal(0, 0.25, (300, 2))
    lines = ["id,east,up,moon"] + [f"p{k},{x:.3f},{y:.3f},{'north' if k < 150 else 'south'}"
                                    for k, (x, y) in enumerate(X)]
    path = folder / "moons.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    win = shot_window(folder=folder)
    win.controller.build_layers("2-6-6-1", "tanh", "sigmoid", replace=True)
    wait(1.0)
    path = moons_csv(folder)

    def answer(p, data):
        dialog = ImportDataDialog(p, data, win)
        dialog.scaling.setCurrentIndex(dialog.scaling.findData("standardise"))
        dialog.show()
        wait(0.6)
        shot = win.grab()
        from PySide6.QtGui import QPainter
        painter = QPainter(shot)
        painter.drawPixmap(dialog.pos() - win.pos(), dialog.grab())
        painter.end()
        shot.save(str(HERE / "import-data.png"))
        dialog.hide()
        return dialog.spec, True

    win.data_files.ask_import = answer
    win.data_files.import_dialog(path)
    win.controller.set_training(optimizer="adam", learning_rate=0.03, loss="bce", epochs=100_000)
    win.view.fit_all()
    wait(0.5)
    win.training.play()
    wait(4.0)
    win.grab().save(str(HERE / "imported-moons.png"))
    win.training.stop()

    win.open_example("circle-features")
    win.controller.set_training(epochs=100_000, learning_rate=0.01)
    wait(0.5)
    win.training.play()
    wait(2.5)
    win.grab().save(str(HERE / "circle-features.png"))
    win.training.stop()
    QTimer.singleShot(0, win.close)
    wait(0.3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
