"""The main window's docks as one table: the window builds them, the View menu lists them and the
Hopfield lab hides the ones it does not use, all from ``DOCKS``."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt


@dataclass(frozen=True)
class DockSpec:
    """One dock: the View menu, the layout and the Hopfield lab's hiding all read this table."""

    key: str
    title: str
    area: Qt.DockWidgetArea
    max_width: int = 0  # 0: as wide as the window gives it
    tab_with: str = ""  # shares a place with this dock, as a tab behind it
    in_lab: bool = False  # shown while the Hopfield lab fills the centre


LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)
DOCKS = (
    DockSpec("palette", "Neurons", LEFT, 320),
    DockSpec("inspector", "Inspector", LEFT, 320),
    DockSpec("dataset", "Data", RIGHT, 380),
    DockSpec("training", "Training", RIGHT, tab_with="dataset"),
    DockSpec("glassbox", "Glass box", RIGHT, 420, tab_with="dataset"),
    DockSpec("lesson", "Lesson", RIGHT, tab_with="dataset", in_lab=True),  # while a lesson is open
    DockSpec("loss", "Loss", BOTTOM),
    DockSpec("output", "Output", BOTTOM),
    DockSpec("table", "Data table", BOTTOM, tab_with="loss"),
)
