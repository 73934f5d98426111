"""The main window's docks as one table: the window builds them, the View menu lists them and the
Hopfield lab hides the ones it does not use, all from ``DOCKS``."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget


class DockSpec(NamedTuple):
    """One dock: the View menu, the layout and the Hopfield lab's hiding all read this table."""

    key: str
    title: str
    area: Qt.DockWidgetArea
    max_width: int = 0  # 0: as wide as the window gives it
    tab_with: str = ""  # shares a place with this dock, as a tab behind it
    below: str = ""  # placed under this dock, in the same column
    in_lab: bool = False  # shown while the Hopfield lab fills the centre
    scroll: bool = False  # a tall form: it scrolls rather than make the window taller than 800 px
    closed: bool = False  # not shown until asked for (View menu, or its own menu entry)


LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)
# The side columns run the window's full height and the bottom area sits under the canvas only,
# so the decision boundary gets the right column's lower half, near square at 1280 × 800, and the
# loss curve the canvas's width.
DOCKS = (
    DockSpec("palette", "Neurons", LEFT, 320),
    DockSpec("inspector", "Inspector", LEFT, 320, scroll=True),
    DockSpec("dataset", "Data", RIGHT, 380, scroll=True),
    DockSpec("training", "Training", RIGHT, tab_with="dataset", scroll=True),
    DockSpec("glassbox", "Glass box", RIGHT, 420, tab_with="dataset", scroll=True),
    DockSpec("lesson", "Lesson", RIGHT, tab_with="dataset", in_lab=True, closed=True),  # a lesson open
    DockSpec("output", "Output", RIGHT, below="dataset"),
    DockSpec("loss", "Loss", BOTTOM),
    # beside the loss when opened (Data → Data Table); closed at first. Not a tab of the loss: a
    # second tab group made Qt 6 leave a stray copy of its tab bar on the window
    DockSpec("table", "Data table", BOTTOM, closed=True),
)
# saved window states of another layout are not restored (QMainWindow.saveState's version)
LAYOUT_VERSION = 2


class LazyPanel(QWidget):
    """A dock's widget whose content is made the first time the dock is shown (or ``content()``
    is asked for): a dock closed at start-up, or a tab behind another, costs the first window
    nothing."""

    content_made = Signal()  # once, after the content is in place (a scroll area re-fits to it)

    def __init__(self, make: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def made(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._make()
            self.layout().addWidget(self._content)
            self._content.show()  # now, not when Qt's queued show of an added child comes round
            self.layout().activate()  # and at its size: a caller may paint it at once
            self.content_made.emit()
        return self._content

    def follow(self, dock: QDockWidget) -> None:
        """Make the content when ``dock`` first becomes visible: opened, or its tab raised. (Not
        on the panel's own show: Qt shows the panels of tabs behind the front one too.)"""
        dock.visibilityChanged.connect(lambda visible: visible and self.content())
