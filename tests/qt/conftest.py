"""Qt fixtures: a main window with its own throw-away settings, and helpers that act like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from playground.document.roles import ROLES
from playground.main_window import MainWindow


@pytest.fixture(autouse=True)
def clear_clipboard(qapp):
    """Mime data left on the clipboard crashes Qt's teardown at interpreter exit."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, settings: QSettings, runner: str = "process") -> MainWindow:
    """A shown main window that no modal dialog can block: errors are recorded, closing discards."""
    win = MainWindow(settings, runner=runner)
    win.errors_shown = []
    win.show_error = lambda title, message: win.errors_shown.append(message)
    win.ask_save_changes = lambda: "discard"
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, settings) -> MainWindow:
    win = open_window(qtbot, settings)
    qtbot.waitExposed(win)
    return win


def view_point(win: MainWindow, x: float, y: float) -> QPoint:
    return win.view.mapFromScene(QPointF(x, y))


def drop_role(win: MainWindow, role: str, x: float, y: float) -> None:
    """What a drag from the palette delivers: enter, move and drop with our MIME type."""
    mime = win.palette.mimeData([win.palette.item(list(ROLES).index(role))])
    target = win.view.viewport()
    pos = QPointF(view_point(win, x, y))
    action = Qt.DropAction.CopyAction
    events = (QDragEnterEvent(pos.toPoint(), action, mime, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier),
              QDragMoveEvent(pos.toPoint(), action, mime, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier),
              QDropEvent(pos, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    for event in events:
        QApplication.sendEvent(target, event)
    # the canvas, not this helper, decides: it must have accepted the palette's drag and its drop
    assert all(event.isAccepted() for event in events), role


def mouse(win: MainWindow, kind: QEvent.Type, x: float, y: float, button=Qt.MouseButton.LeftButton,
          buttons=None, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    local = QPointF(view_point(win, x, y))
    glob = QPointF(win.view.viewport().mapToGlobal(local.toPoint()))
    if buttons is None:
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    event = QMouseEvent(kind, local, glob, button, buttons, modifiers)
    QApplication.sendEvent(win.view.viewport(), event)


def drag(win: MainWindow, start: tuple[float, float], end: tuple[float, float],
         modifiers=Qt.KeyboardModifier.NoModifier, button=Qt.MouseButton.LeftButton, steps: int = 6) -> None:
    """Press, move in steps, release: a real drag as the view sees it."""
    mouse(win, QEvent.Type.MouseButtonPress, *start, button=button, modifiers=modifiers)
    for k in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * k / steps
        y = start[1] + (end[1] - start[1]) * k / steps
        mouse(win, QEvent.Type.MouseMove, x, y, button=Qt.MouseButton.NoButton, buttons=button,
              modifiers=modifiers)
    mouse(win, QEvent.Type.MouseButtonRelease, *end, button=button, modifiers=modifiers)


def rim(pos: tuple[float, float]) -> tuple[float, float]:
    """A point on a neuron's rim, where a press starts a wire."""
    return pos[0] + 19.0, pos[1]
