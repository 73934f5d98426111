"""``nn-playground render``: a saved project drawn by the app's own views, off screen.

The CLI imports this module only inside the command, so every other command stays Qt-free. The
views are the ones the window shows (canvas scene, output plot, loss plot), built without a
window: the picture in a report is the picture on screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.errors import EngineError
from engine.trainer import Snapshot, run
from playground.document import build
from playground.document.model import Document

if TYPE_CHECKING:
    from playground.images.render import Picture

DEFAULT_SIZE = (640, 480)  # a plot's size in pixels when none is given


def application():
    """A QApplication on the offscreen platform unless the caller chose one."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler

    from playground.main_window import application as app

    qInstallMessageHandler(_quiet_offscreen)
    return app()


def _quiet_offscreen(mode, context, message: str) -> None:
    """The offscreen platform's notes about what it cannot do are not the user's business; any
    other Qt message still reaches stderr."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _canvas(doc: Document, size: tuple[int, int]):
    from playground.canvas.scene import NetworkScene
    from playground.controller import Controller
    from playground.images.views import canvas_picture

    if doc.mode == "hopfield":
        raise EngineError("a Hopfield project has no network canvas: the app's File → Export "
                          "Image… saves the Hopfield lab's views")
    scene = NetworkScene(Controller(doc))
    return canvas_picture(scene, doc.title), scene


def _trainable(doc: Document, view: str) -> build.PreparedTraining:
    if doc.mode == "hopfield":
        raise EngineError(f"a Hopfield project has no {view} view (render its canvas)")
    return build.prepare_training(doc)


def _boundary(doc: Document, size: tuple[int, int]):
    from playground.images.render import laid_out, widget_picture
    from playground.plots.output import OutputPlot
    from playground.training.extras import job_extras
    from playground.training.history import History

    prepared = _trainable(doc, "boundary")
    data = prepared.job.data
    if data.n_inputs != 2 or data.x_range is None:
        raise EngineError(f"the boundary view needs a dataset with two inputs (this one has "
                          f"{data.n_inputs})")
    session = prepared.session
    extras = job_extras(prepared.job)(session, True)
    plot = OutputPlot(History())
    plot.set_job(prepared.job)
    empty = np.zeros(0)
    plot.update_from(Snapshot(0, 1, empty, empty, None, 0.0, session.learner.trained_values(), extras))
    laid_out(plot, plot.boundary.plot, size)
    return widget_picture(plot.boundary.plot, f"{doc.title}: decision boundary"), plot


def _loss(doc: Document, size: tuple[int, int]):
    """The file keeps no loss history, so this trains a copy exactly as ``train`` would and
    plots that run (the project itself is not changed)."""
    from playground.images.render import laid_out, widget_picture
    from playground.plots.loss import LossPlot
    from playground.training.history import History

    prepared = _trainable(doc, "loss")
    history = History()

    def publish(snap: Snapshot) -> None:
        history.add_losses(snap.first_epoch, snap.train_losses, snap.test_losses)

    run(prepared.session, prepared.options, publish=publish)
    plot = LossPlot(history)
    plot.refresh()
    laid_out(plot, plot.plot, size)
    return widget_picture(plot.plot, f"{doc.title}: loss"), plot


# The CLI's --view choices (playground/cli.py lists the same names; a test holds them equal). Each
# returns the picture and the Qt object that must stay alive until it is painted.
VIEWS: dict[str, Callable[[Document, tuple[int, int]], tuple[Picture, object]]] = {
    "canvas": _canvas, "boundary": _boundary, "loss": _loss}


def render_document(doc: Document, view: str, out: Path, scale: float = 1.0,
                    size: tuple[int, int] = DEFAULT_SIZE) -> None:
    """Draw one view of ``doc`` into ``out`` (.png or .svg, by its suffix)."""
    from playground.images.render import format_for, save_picture

    format_for(out)  # a wrong suffix is told before any training
    application()
    picture, _alive = VIEWS[view](doc, size)  # the views stay alive while they are painted
    save_picture(picture, out, scale)
