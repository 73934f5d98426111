"""Every plot of the app is made here: a ``pg.PlotWidget`` whose view box builds its right-click
menu when first asked for it.

pyqtgraph builds each view box's menu (a dozen widgets: axis ranges, mouse mode, link views) in
its constructor, ~2 ms a plot; the first window shows four plots and few users ever open a menu.
"""

from __future__ import annotations

import pyqtgraph as pg


class LazyMenuViewBox(pg.ViewBox):
    """A view box with its menu enabled but built on the first right-click (or menu query)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{**kwargs, "enableMenu": False})
        self.state["enableMenu"] = True  # enabled; ``self.menu`` stays None until it is needed

    def getMenu(self, ev=None):
        if self.menu is None and self.menuEnabled():
            self._applyMenuEnabled()  # pyqtgraph's own way to build it, view lists included
        return self.menu

    def getContextMenus(self, event):
        menu = self.getMenu(event)
        return menu.actions() if menu is not None else []


def plot_widget(**kwargs) -> pg.PlotWidget:
    """A ``pg.PlotWidget`` (same keywords) with a menu built on demand."""
    return pg.PlotWidget(viewBox=LazyMenuViewBox(), **kwargs)
