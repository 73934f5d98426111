"""pyqtgraph's right-click Export… entry for SVG, drawn by the app's own writer
(``playground/images/render.py``: QSvgGenerator, vectors). Its own module because defining an
``Exporter`` subclass imports pyqtgraph's exporters, which start-up does not need."""

from __future__ import annotations

from pathlib import Path

from pyqtgraph.exporters import Exporter
from PySide6.QtWidgets import QMessageBox

from engine.errors import EngineError
from playground.images.render import FORMATS, save_picture, scene_picture


class QtSvgExporter(Exporter):
    """The plot (or the part the dialog selected) as a vector drawing, via QSvgGenerator."""

    Name = "SVG vector drawing (nn-playground)"
    allowCopy = False

    def parameters(self) -> None:
        return None

    def export(self, fileName: str | None = None, toBytes: bool = False, copy: bool = False) -> None:
        svg = FORMATS["svg"]
        if fileName is None:
            self.fileSaveDialog(filter=f"{svg.description} (*{svg.suffix})")
            return
        path = Path(fileName)
        if path.suffix.lower() != svg.suffix:
            path = path.with_suffix(svg.suffix)
        picture = scene_picture(self.getScene(), self.getSourceRect(), "Plot")
        try:
            save_picture(picture, path)
        except (EngineError, OSError) as exc:
            QMessageBox.critical(None, "Cannot export image", str(exc))
