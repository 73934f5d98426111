"""Run by tests/e2e/test_real_app.py under Xvfb: the real app, driven with mouse events.

Usage: python app_driver.py OUTDIR. Writes OUTDIR/result.json and OUTDIR/*.png.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication

from playground.app import create_window
from playground.document.fileformat import document_to_data


def main(out: Path) -> int:
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    win = create_window([], settings)  # the real start-up path: xor example loaded
    win.resize(1280, 800)
    app = QApplication.instance()
    for _ in range(20):
        app.processEvents()
    started_with = win.controller.doc.title
    win.ask_save_changes = lambda: "discard"
    win.new_document()
    viewport = win.view.viewport()

    def send(kind: QEvent.Type, x: float, y: float, buttons=Qt.MouseButton.LeftButton) -> None:
        local = QPointF(win.view.mapFromScene(QPointF(x, y)))
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else buttons
        event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(local.toPoint())), button, held,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
        app.processEvents()

    for x, y in [(-120, -50), (-120, 50), (0, 0), (120, 0)]:  # double-click empty canvas: hidden neurons
        send(QEvent.Type.MouseButtonDblClick, x, y)
    ids = list(win.controller.doc.neurons)
    win.controller.set_neuron(ids[0], role="input", activation="linear", has_bias=False)
    win.controller.set_neuron(ids[1], role="input", activation="linear", has_bias=False)
    win.controller.set_neuron(ids[3], role="output", activation="sigmoid")
    for (sx, sy), (tx, ty) in [((-120, -50), (0, 0)), ((-120, 50), (0, 0)), ((0, 0), (120, 0))]:
        send(QEvent.Type.MouseButtonPress, sx + 19, sy)  # on the rim: a wire starts
        for k in range(1, 6):
            send(QEvent.Type.MouseMove, sx + (tx - sx) * k / 5, sy + (ty - sy) * k / 5)
        send(QEvent.Type.MouseButtonRelease, tx, ty)
    win.view.fit_all()
    path = out / "built.json"
    win.ask_save_path = lambda: path
    saved = win.save()
    before = document_to_data(win.controller.doc)
    win.new_document()
    reopened = win.open_path(path)
    for _ in range(20):
        app.processEvents()
    after = document_to_data(win.controller.doc)
    win.grab().save(str(out / "window.png"))
    QGuiApplication.primaryScreen().grabWindow(0).save(str(out / "screen.png"))
    result = {
        "platform": QGuiApplication.platformName(),
        "started_with": started_with,
        "neurons": len(after["neurons"]),
        "connections": sorted((c["source"], c["target"]) for c in after["connections"]),
        "saved": saved, "reopened": reopened, "round_trip_equal": before == after,
        "title": win.windowTitle(),
    }
    (out / "result.json").write_text(json.dumps(result))
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
