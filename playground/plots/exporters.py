"""pyqtgraph's right-click Export… menu, without the entries that crash here.

pyqtgraph 0.14's SVG exporter raises on PySide6 6.11 (a known bug, fixed upstream but unreleased:
``correctCoordinates`` cannot parse Qt's SVG), and its Matplotlib exporter needs matplotlib, which
we do not ship. Both are taken out of the menu once, at start-up; CSV and image export stay.
"""

from __future__ import annotations

import importlib.util

from pyqtgraph.exporters import Exporter, MatplotlibExporter, SVGExporter


def remove_broken_exporters() -> None:
    broken = [SVGExporter]
    if importlib.util.find_spec("matplotlib") is None:
        broken.append(MatplotlibExporter)
    for cls in broken:
        if cls in Exporter.Exporters:
            Exporter.Exporters.remove(cls)
