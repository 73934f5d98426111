"""The views a user can export as an image: one table, ``IMAGE_VIEWS``, that the Export Image
dialog lists (and the GIF recorder and the CLI take their pictures from)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from playground.canvas.items import NeuronItem, WireItem
from playground.canvas.scene import NetworkScene
from playground.images.render import Picture, scene_picture, widget_picture
from playground.plots.output import OutputPlot

if TYPE_CHECKING:
    from playground.main_window import MainWindow

MARGIN = 24.0  # scene units around the drawing
EMPTY = QRectF(-160, -100, 320, 200)  # what an empty canvas exports


@contextmanager
def unselected(scene: NetworkScene) -> Iterator[None]:
    """Draw without the selection's highlight (a figure for a report), then put it back, with no
    selectionChanged: the inspector and the actions must not notice."""
    items = scene.selectedItems()
    if not items:
        yield
        return
    highlighted = dict.fromkeys(i for i in items if isinstance(i, WireItem))
    blocked = scene.blockSignals(True)
    try:
        for item in items:
            item.setSelected(False)
        scene.batch.select({})
        yield
    finally:
        for item in items:
            item.setSelected(True)
        scene.batch.select(highlighted)
        scene.blockSignals(blocked)


def canvas_picture(scene: NetworkScene, title: str = "Network") -> Picture:
    """The whole drawing (not just what the view shows), neurons, wires and labels."""
    rect = QRectF()
    for item in scene.items():
        if isinstance(item, NeuronItem | WireItem):
            rect = rect.united(item.sceneBoundingRect())
    rect = EMPTY if rect.isEmpty() else rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    return scene_picture(scene, rect, title, context=lambda: unselected(scene))


def output_widget(plot: OutputPlot) -> QWidget:
    """The plot the Output dock shows now, without its check boxes (the score page: both plots)."""
    page = plot.currentWidget()
    if page is plot.boundary or page is plot.curve:
        return page.plot
    return page


@dataclass(frozen=True)
class ImageView:
    """One exportable view: offered in its modes while it is on screen (a hidden dock or tab is
    not laid out, so it would export a stale picture)."""

    key: str
    title: str
    modes: Callable[[MainWindow], bool]
    widget: Callable[[MainWindow], QWidget]  # what the user sees of it
    draw: Callable[[MainWindow], Picture] | None = None  # None: the widget as it is drawn

    def shown(self, window: MainWindow) -> bool:
        return self.modes(window) and self.widget(window).isVisible()

    def picture(self, window: MainWindow) -> Picture:
        if self.draw is not None:
            return self.draw(window)
        return widget_picture(self.widget(window), self.title)


def _network(w: MainWindow) -> bool:
    return w.controller.doc.mode != "hopfield"


def _lab(w: MainWindow) -> bool:
    return w.controller.doc.mode == "hopfield"


IMAGE_VIEWS: dict[str, ImageView] = {v.key: v for v in (
    ImageView("canvas", "Network canvas", _network, lambda w: w.view,
              lambda w: canvas_picture(w.scene, w.controller.doc.title)),
    ImageView("loss", "Loss plot", _network, lambda w: w.loss_plot.plot),
    ImageView("output", "Output plot (decision boundary)", _network, lambda w: output_widget(w.output_plot)),
    ImageView("hopfield_lab", "Hopfield lab (all of it)", _lab, lambda w: w.hopfield_lab),
    ImageView("hopfield_state", "Hopfield state grid", _lab, lambda w: w.hopfield_lab.grid),
    ImageView("hopfield_energy", "Hopfield energy plot", _lab, lambda w: w.hopfield_lab.energy_plot),
    ImageView("hopfield_overlap", "Hopfield overlap plot", _lab, lambda w: w.hopfield_lab.overlap_plot),
    ImageView("hopfield_weights", "Hopfield weight matrix", _lab, lambda w: w.hopfield_lab.weights_plot),
    ImageView("hopfield_links", "Hopfield links", _lab, lambda w: w.hopfield_lab.links),
    ImageView("hopfield_capacity", "Hopfield capacity sweep", _lab, lambda w: w.hopfield_lab.capacity),
    ImageView("window", "Whole window", lambda w: True, lambda w: w),
)}


def shown_views(window: MainWindow) -> list[ImageView]:
    return [v for v in IMAGE_VIEWS.values() if v.shown(window)]
