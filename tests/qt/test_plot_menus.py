"""A plot's right-click menu is built on the first right-click, and then it is pyqtgraph's full menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from playground.plots.widget import PointsView, plot_widget


def test_a_right_click_builds_and_opens_the_plots_menu(qtbot) -> None:
    plot = plot_widget(background="w")
    qtbot.addWidget(plot)
    plot.resize(320, 240)
    plot.show()
    qtbot.waitExposed(plot)
    box = plot.getPlotItem().getViewBox()
    assert box.menu is None and box.menuEnabled()  # enabled, not built yet
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=plot.viewport().rect().center())
    qtbot.waitUntil(lambda: box.menu is not None and box.menu.isVisible())
    titles = [a.text() for a in box.menu.actions()]
    assert "View All" in titles and "Plot Options" in titles  # the view box's and the plot's entries
    box.menu.hide()


def test_a_plot_with_its_menu_turned_off_builds_none(qtbot) -> None:
    plot = plot_widget()
    qtbot.addWidget(plot)
    box = plot.getPlotItem().getViewBox()
    box.setMenuEnabled(False)
    assert box.getMenu() is None and box.getContextMenus(None) == []


def test_the_data_preview_opens_no_menu(qtbot) -> None:
    """A still preview: no view-box menu (its Export… would find no PlotItem to export from)."""
    plot = PointsView()
    qtbot.addWidget(plot)
    plot.resize(320, 240)
    plot.show()
    qtbot.waitExposed(plot)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=plot.viewport().rect().center())
    qtbot.wait(50)
    assert not [m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible()]
