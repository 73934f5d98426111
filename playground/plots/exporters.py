"""pyqtgraph's right-click Export… menu, without the entries that crash here, plus an SVG entry
that works.

pyqtgraph 0.14's SVG exporter raises on PySide6 6.11 (a known bug, fixed upstream but unreleased:
``correctCoordinates`` cannot parse Qt's SVG), and its Matplotlib exporter needs matplotlib, which
we do not ship. Both are taken out of the menu when its dialog first opens; CSV and image export
stay, and ``svg_exporter.QtSvgExporter`` offers SVG again through the app's own writer
(``playground/images/render.py``).
"""

from __future__ import annotations

import importlib.util


def _drop_broken() -> None:
    from pyqtgraph.exporters import Exporter, MatplotlibExporter, SVGExporter

    from playground.plots.svg_exporter import QtSvgExporter

    broken = [SVGExporter]
    if importlib.util.find_spec("matplotlib") is None:
        broken.append(MatplotlibExporter)
    for cls in broken:
        if cls in Exporter.Exporters:
            Exporter.Exporters.remove(cls)
    if QtSvgExporter not in Exporter.Exporters:
        QtSvgExporter.register()


def remove_broken_exporters() -> None:
    """Take the broken entries out when the Export… dialog is first opened: that is when
    pyqtgraph loads its exporters (~0.1 s of imports, XML among them), so start-up does not."""
    from pyqtgraph.GraphicsScene import GraphicsScene

    original = GraphicsScene.showExportDialog
    if getattr(original, "drops_broken_exporters", False):
        return

    def show_export_dialog(self: GraphicsScene) -> None:
        _drop_broken()
        original(self)

    show_export_dialog.drops_broken_exporters = True
    GraphicsScene.showExportDialog = show_export_dialog
