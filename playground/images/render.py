"""Pictures of the app's views written as PNG (scaled for print) or SVG (a vector drawing).

pyqtgraph's own SVG exporter raises on PySide6 6.11, so every SVG goes through Qt's
``QSvgGenerator``: the scene or widget paints into it with the same code that paints the screen,
and circles, lines and text arrive as SVG elements, not as a bitmap. Item caches are switched off
while a picture is painted (a cached item would otherwise be pasted in as a pixmap, blurred when
scaled). One table, ``FORMATS``, drives the suffixes, the file dialog's filter and the CLI help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from engine.atomic import write_atomic
from engine.errors import EngineError

MAX_SCALE = 8.0  # 8× a full window is ~10k × 6k pixels: print quality, still fits in memory
MAX_PIXELS = 120_000_000
SVG_DPI = 96  # Qt writes the size in mm; at the CSS 96 dpi a browser shows it at its pixel size


class ImageError(EngineError):
    """A picture that cannot be made (unknown suffix, too big): one sentence for the user."""


@dataclass(frozen=True)
class Picture:
    """Something to draw: its size in pixels and a function painting it into that box.

    ``paint(painter, vector)`` is told whether the target is a vector file, so a view can leave
    out what only makes sense on screen (the canvas's bitmap thumbnails)."""

    title: str
    size: QSize
    paint: Callable[[QPainter, bool], None]


@dataclass(frozen=True)
class ImageFormat:
    key: str
    description: str
    suffix: str
    scalable: bool  # a scale factor means something (pixels); a vector file has none
    encode: Callable[[Picture, float], bytes]


def encode_png(picture: Picture, scale: float = 1.0) -> bytes:
    """``scale`` × the view's size in pixels, painted at that resolution (not enlarged after)."""
    image = raster(picture, scale)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))  # so a print layout keeps the size in cm
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    return _bytes(lambda buffer: image.save(buffer, "PNG"))


def raster(picture: Picture, scale: float = 1.0, background: QColor | None = None) -> QImage:
    """The picture as an RGB image of ``scale`` × its size (white behind it)."""
    if not 0 < scale <= MAX_SCALE:
        raise ImageError(f"scale must be greater than 0 and at most {MAX_SCALE:g} (got {scale:g})")
    width, height = round(picture.size.width() * scale), round(picture.size.height() * scale)
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise ImageError(f"a {width} × {height} pixel image cannot be made: choose a smaller scale")
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(background or QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    try:
        picture.paint(painter, False)
    finally:
        painter.end()
    return image


def encode_svg(picture: Picture, scale: float = 1.0) -> bytes:
    """A vector drawing in the view's pixel coordinates (``scale`` does not apply)."""

    def write(buffer: QBuffer) -> bool:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(picture.size)
        generator.setResolution(SVG_DPI)
        generator.setViewBox(QRectF(0, 0, picture.size.width(), picture.size.height()))
        generator.setTitle(picture.title)
        generator.setDescription("Drawn by nn-playground")
        painter = QPainter(generator)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        try:
            painter.fillRect(QRectF(0, 0, picture.size.width(), picture.size.height()), QColor("white"))
            picture.paint(painter, True)
        finally:
            painter.end()
        return True

    return _bytes(write)


def _bytes(write: Callable[[QBuffer], bool]) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not write(buffer):
        raise ImageError("Qt could not encode the image")
    buffer.close()
    return bytes(data.data())


FORMATS: dict[str, ImageFormat] = {
    f.key: f for f in (
        ImageFormat("png", "PNG image", ".png", True, encode_png),
        ImageFormat("svg", "SVG vector drawing", ".svg", False, encode_svg),
    )
}


def file_filter() -> str:
    """The file dialog's filter, from ``FORMATS``."""
    return ";;".join(f"{f.description} (*{f.suffix})" for f in FORMATS.values())


def format_for(path: Path) -> ImageFormat:
    """The format a file name asks for, by its suffix."""
    for f in FORMATS.values():
        if path.suffix.lower() == f.suffix:
            return f
    known = ", ".join(f.suffix for f in FORMATS.values())
    raise ImageError(f"{path.name}: cannot tell the image format from the name (use {known})")


def save_picture(picture: Picture, path: Path, scale: float = 1.0) -> None:
    """Encode by the file's suffix and write it atomically (a failed export leaves no half file)."""
    data = format_for(path).encode(picture, scale)
    write_atomic(path, lambda fh: fh.write(data))


# -- what a picture can be made of -----------------------------------------------------------------
@contextmanager
def uncached(scenes: list[QGraphicsScene], scale: float = 1.0,
             views: list[QGraphicsView] = ()) -> Iterator[None]:
    """Caches off while painting, restored after: a cached item (or a view's cached background)
    would be pasted in as a pixmap. pyqtgraph items are told they are being exported (scatter
    points then draw as shapes, sized for ``scale``, instead of being copied from an atlas)."""
    changed: list[tuple[QGraphicsItem, QGraphicsItem.CacheMode]] = []
    exporting = []
    for scene in scenes:
        for item in scene.items():
            mode = item.cacheMode()
            if mode != QGraphicsItem.CacheMode.NoCache:
                changed.append((item, mode))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
            if isinstance(item, pg.GraphicsItem):
                exporting.append(item)
                item.setExportMode(True, {"antialias": True, "resolutionScale": scale})
    view_modes = [(view, view.cacheMode()) for view in views]
    for view, _ in view_modes:
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
    try:
        yield
    finally:
        for item, mode in changed:
            item.setCacheMode(mode)
        for item in exporting:
            item.setExportMode(False)
        for view, mode in view_modes:
            view.setCacheMode(mode)


@contextmanager
def pixmaps_hidden(scene: QGraphicsScene) -> Iterator[None]:
    """Bitmap items (live thumbnails) left out of a vector drawing."""
    hidden = [i for i in scene.items() if isinstance(i, QGraphicsPixmapItem) and i.isVisible()]
    for item in hidden:
        item.hide()
    try:
        yield
    finally:
        for item in hidden:
            item.show()


def views_in(widget: QWidget) -> list[QGraphicsView]:
    """Every graphics view inside a widget, itself included (pyqtgraph plots are graphics views)."""
    views = widget.findChildren(QGraphicsView)
    return [widget, *views] if isinstance(widget, QGraphicsView) else views


def widget_picture(widget: QWidget, title: str) -> Picture:
    """A widget as it is on screen, with its children (a plot, a panel, the whole window)."""
    widget.ensurePolished()
    size = QWidget.size(widget)  # unbound: a widget may name something else `size` (the Hopfield lab)
    if size.width() <= 1 or size.height() <= 1:
        size = widget.sizeHint()

    def paint(painter: QPainter, vector: bool) -> None:
        views = views_in(widget)
        scenes = list({id(s): s for v in views if (s := v.scene()) is not None}.values())
        with uncached(scenes, painter.worldTransform().m11(), views):
            QWidget.render(widget, painter, QPoint())  # not QGraphicsView.render: the whole widget

    return Picture(title, QSize(max(1, size.width()), max(1, size.height())), paint)


def laid_out(top: QWidget, shown: QWidget, size: tuple[int, int]) -> None:
    """Lay a never-shown widget out (pyqtgraph places axes and titles when shown) so that
    ``shown``, a part of ``top``, gets ``size``."""
    top.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    top.resize(*size)
    top.show()
    QApplication.processEvents()
    extra = top.size() - shown.size()  # the check boxes under a plot
    top.resize(size[0] + extra.width(), size[1] + extra.height())
    for _ in range(3):  # pyqtgraph settles its layout over a few turns of the event loop
        QApplication.processEvents()


def scene_picture(scene: QGraphicsScene, source: QRectF, title: str,
                  context: Callable[[], ExitStack] | None = None) -> Picture:
    """A rectangle of a scene drawn at 1 pixel per scene unit; ``context`` wraps the painting
    (e.g. hiding the selection)."""

    def paint(painter: QPainter, vector: bool) -> None:
        with ExitStack() as stack:
            if context is not None:
                stack.enter_context(context())
            stack.enter_context(uncached([scene], painter.worldTransform().m11()))
            if vector:
                stack.enter_context(pixmaps_hidden(scene))
            target = QRectF(0, 0, source.width(), source.height())
            scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)

    size = QSize(max(1, round(source.width())), max(1, round(source.height())))
    return Picture(title, size, paint)
