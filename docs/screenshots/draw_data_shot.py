"""Retake the README's shot of a drawn dataset being learned, from the real window under Xvfb.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/draw_data_shot.py

An empty two-class plane, a ring of one class and a blob of the other brushed on with the mouse,
a 2-8-8-1 network training on it while a cloud is brushed into a corner: the boundary follows it,
and the new rows are selected in the Data table (ringed on the plot).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shots import HERE, shot_window, wait


def stroke(win, path: list[tuple[float, float]]) -> None:
    """A press, moves along ``path`` and a release on the decision plot, as the mouse sends them."""
    plot = win.output_plot.boundary.plot
    vb = plot.getPlotItem().getViewBox()

    def send(kind: QEvent.Type, x: float, y: float) -> None:
        local = QPointF(plot.mapFromScene(vb.mapViewToScene(QPointF(x, y))))
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else \
            Qt.MouseButton.LeftButton
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        QApplication.sendEvent(plot.viewport(), QMouseEvent(
            kind, local, QPointF(plot.viewport().mapToGlobal(local.toPoint())), button, buttons,
            Qt.KeyboardModifier.NoModifier))
        wait(0.01)

    send(QEvent.Type.MouseButtonPress, *path[0])
    for x, y in path[1:]:
        send(QEvent.Type.MouseMove, x, y)
    send(QEvent.Type.MouseButtonRelease, *path[-1])


def pick(win, tool: int, label: int) -> None:
    controls = win.data_tools.controls
    controls.tool.setCurrentIndex(tool)
    controls.tool.activated.emit(tool)
    controls.classes.setCurrentIndex(label)
    controls.classes.activated.emit(label)


def main() -> int:
    win = shot_window()
    wait(1.0)
    # the Data table open beside the loss; Output, under the Data tabs, given most of the column
    win.docks["table"].show()
    wait(0.3)
    win.resizeDocks([win.docks["dataset"], win.docks["output"]], [230, 490], Qt.Orientation.Vertical)
    win.resizeDocks([win.docks["palette"], win.docks["output"]], [200, 470], Qt.Orientation.Horizontal)
    wait(0.5)
    c = win.controller
    win.data_tools.plane_menu.actions()[0].trigger()  # Data → New Empty Plane → Two Classes
    c.build_layers("2-8-8-1", "tanh", "sigmoid", replace=True)
    c.set_training(optimizer="adam", learning_rate=0.03, epochs=1_000_000, batch_size=10)
    win.scene.select_ids([])
    wait(0.3)
    win.view.fit_all()
    wait(0.3)
    pick(win, 1, 0)  # brush, class 0: a ring
    angles = np.linspace(0, 2 * np.pi, 40)
    stroke(win, [(4.2 * np.cos(a), 4.2 * np.sin(a)) for a in angles])
    pick(win, 1, 1)  # class 1: a blob in the middle
    stroke(win, [(1.2 * np.cos(a) - 0.3, 1.2 * np.sin(a)) for a in np.linspace(0, 4 * np.pi, 30)])
    win.scene.select_ids([])
    win.training.play()
    wait(3.0)
    before = len(c.doc.dataset.inline.inputs)
    pick(win, 1, 1)  # while it trains: a class-1 cloud brushed into the top right corner
    stroke(win, [(4.9, 5.3), (5.3, 5.3), (5.3, 4.9)])
    wait(8.0)  # the boundary reaches out to it
    win.data_tools.selection.set(np.arange(before, len(c.doc.dataset.inline.inputs)))
    win.scene.select_ids([])
    wait(0.5)
    win.grab().save(str(HERE / "drawn-data-training.png"))
    win.training.stop()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
