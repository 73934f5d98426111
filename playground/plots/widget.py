"""Every plot of the app is made here: a ``pg.PlotWidget`` whose view box builds its right-click
menu when first asked for it, or, for a small preview, a ``PointsView`` without a PlotItem.

pyqtgraph builds each view box's menu (a dozen widgets: axis ranges, mouse mode, link views) in
its constructor, ~2 ms a plot; the first window shows three plots and few users ever open a menu.
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


class PointsView(pg.GraphicsView):
    """Points over two axes and nothing else: a view box with a left and a bottom axis.

    The Data tab's preview needs no title, log mode, options menu or hidden top and right axes; a
    PlotItem builds them all (its options form alone is ~5 ms), about 9 ms of the first window."""

    def __init__(self) -> None:
        super().__init__(background="w")
        layout = pg.GraphicsLayout()
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        self.setCentralItem(layout)
        # a still preview (the mouse does nothing on it): no view-box menu, whose Export… would
        # find no PlotItem to export from (File → Export Image has the views)
        self.vb = pg.ViewBox(enableMenu=False)
        self.axes = {"left": pg.AxisItem("left"), "bottom": pg.AxisItem("bottom")}
        for axis in self.axes.values():
            axis.linkToView(self.vb)
        layout.addItem(self.axes["left"], 0, 0)
        layout.addItem(self.vb, 0, 1)
        layout.addItem(self.axes["bottom"], 1, 1)

    def addItem(self, item) -> None:
        self.vb.addItem(item)

    def setMouseEnabled(self, x: bool, y: bool) -> None:
        self.vb.setMouseEnabled(x, y)
