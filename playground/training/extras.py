"""What the training loop computes per snapshot for the plots, in the worker (Qt-free).

Decision grid and per-neuron maps for 2-input problems, the fitted curve for 1-input regression,
a test confusion matrix for the rest, and the perceptron's separating lines. They travel as one
typed record, ``PlotExtras``: the wire encodes its fields and the views read them by attribute.
The views import this module for ``PlotExtras`` alone, so what computes the extras is imported
when a worker asks for them.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.datasets import Dataset
from engine.features import NO_PREPROCESS, Preprocess, Preprocessed
from playground.document.build import PreparedTraining, TrainingJob, build_run

if TYPE_CHECKING:
    from engine.session import Session

GRID = 50  # decision-boundary resolution
THUMB = 24  # per-neuron thumbnails
NEURON_INTERVAL = 0.2  # seconds between per-neuron maps: the canvas shows them at 4 Hz, not 30


@dataclass(frozen=True)
class PlotExtras:
    """One snapshot's plot data; a field is None when this problem or this frame has none.

    Every field is an array (or None), so the wire can carry any of them without knowing them."""

    grid: np.ndarray | None = None  # (outputs, GRID, GRID) decision maps over the data's plane
    neurons: np.ndarray | None = None  # (nodes, THUMB, THUMB) per-neuron maps, a few times a second
    lines: np.ndarray | None = None  # (outputs, 3) perceptron lines a·x + b·y + c = 0
    curve_x: np.ndarray | None = None  # the fitted curve of a 1-input regression
    curve_y: np.ndarray | None = None
    confusion: np.ndarray | None = None  # (K, K) test confusion matrix


def merge_extras(older: PlotExtras | None, newer: PlotExtras | None) -> PlotExtras | None:
    """The newer record, with the older one's fields where the newer has none (maps made less
    often than frames survive a skipped frame)."""
    if older is None or newer is None:
        return newer if older is None else older
    return PlotExtras(**{
        f.name: getattr(older, f.name) if getattr(newer, f.name) is None else getattr(newer, f.name)
        for f in dataclasses.fields(PlotExtras)
    })


def _curve_x(data: Dataset) -> np.ndarray | None:
    """The inputs the fitted curve of a 1-input regression is drawn at (None for other data)."""
    if data.n_inputs != 1 or data.task != "regression":
        return None
    lo = float(min(data.X_train.min(), data.X_test.min(initial=np.inf)))
    hi = float(max(data.X_train.max(), data.X_test.max(initial=-np.inf)))
    return np.linspace(lo, hi, 200).reshape(-1, 1)


def extras_for(data: Dataset, clock: Callable[[], float] = time.monotonic,
               prep: Preprocess = NO_PREPROCESS) -> Callable[[Session, bool], PlotExtras]:
    """What the worker computes per snapshot for the plots (copies, made in the worker thread).

    ``data`` is raw; the learner is seen through ``prep``, so the maps cover the data's plane and
    a feature input (x₁², …) gets its own thumbnail.

    The per-neuron maps (one forward pass per neuron's grid) are made at most every
    NEURON_INTERVAL seconds, and always for the last snapshot of a run. The plane and curve follow
    the session's data, which points drawn during a run replace."""
    from engine.grid import decision_grid, neuron_grids  # the worker's: not the window's start
    from engine.metrics import confusion_matrix
    from engine.perceptron import Perceptron

    neurons_made = -math.inf
    shown: list = [data, _curve_x(data)]  # the data the curve was made for, and the curve

    def extras(session: Session, final: bool = False) -> PlotExtras:
        nonlocal neurons_made
        raw = session.learner
        learner = raw if prep.identity else Preprocessed(raw, prep)
        # the plots draw raw points: drawn points replace the session's data, which is raw only
        # without preprocessing; with it the plane stays the run's first
        d = session.data if prep.identity else data
        if d is not shown[0]:
            shown[:] = [d, _curve_x(d)]
        curve_x = shown[1]
        two_d = d.n_inputs == 2 and d.x_range is not None
        out: dict[str, np.ndarray] = {}
        if two_d:
            y_range = d.y_range or d.x_range
            out["grid"] = decision_grid(learner, d.x_range, y_range, GRID)
            now = clock()
            if hasattr(raw, "node_outputs") and (final or now - neurons_made >= NEURON_INTERVAL):
                neurons_made = now
                out["neurons"] = neuron_grids(learner, d.x_range, y_range, THUMB)
            if isinstance(raw, Perceptron) and prep.identity:
                out["lines"] = np.column_stack([raw.W[:2].T, raw.b + raw.W[2:].sum(axis=0)])
        if curve_x is not None:
            out["curve_x"], out["curve_y"] = curve_x[:, 0], learner.forward(curve_x)[:, 0]
        net = session.data  # as the network reads it
        if net.task != "regression" and len(net.X_test) and not two_d:
            out["confusion"] = confusion_matrix(net.Y_test, raw.forward(net.X_test), net.task)
        return PlotExtras(**out)

    return extras


def job_extras(job: TrainingJob, clock: Callable[[], float] = time.monotonic
               ) -> Callable[[Session, bool], PlotExtras]:
    """The plot extras of a job: its raw data seen through its features and scaling (a run, the
    idle preview and ``render`` all draw the same maps)."""
    return extras_for(job.data, clock, job.prep)


def live_run(job: TrainingJob) -> PreparedTraining:
    """The job built into a run as the app trains it: what it adds to a headless run is plot data
    per snapshot, and a pause (not an end) when it diverges. Both runners call this."""
    prepared = build_run(job)
    prepared.options.extras = job_extras(job)
    prepared.options.pause_on_divergence = True
    return prepared
