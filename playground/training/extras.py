"""What the training loop computes per snapshot for the plots, in the worker (Qt-free).

Decision grid and per-neuron maps for 2-input problems, the fitted curve for 1-input regression,
a test confusion matrix for the rest, and the perceptron's separating lines. They travel as one
typed record, ``PlotExtras``: the wire encodes its fields and the views read them by attribute.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.datasets import Dataset
from engine.features import NO_PREPROCESS, Preprocess, Preprocessed
from engine.grid import decision_grid, neuron_grids
from engine.metrics import confusion_matrix
from engine.perceptron import Perceptron
from engine.session import Session
from playground.document.build import PreparedTraining, TrainingJob, build_run

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


def extras_for(data: Dataset, clock: Callable[[], float] = time.monotonic,
               prep: Preprocess = NO_PREPROCESS) -> Callable[[Session, bool], PlotExtras]:
    """What the worker computes per snapshot for the plots (copies, made in the worker thread).

    ``data`` is raw; the learner is seen through ``prep``, so the maps cover the data's plane and
    a feature input (x₁², …) gets its own thumbnail.

    The per-neuron maps (one forward pass per neuron's grid) are made at most every
    NEURON_INTERVAL seconds, and always for the last snapshot of a run."""
    two_d = data.n_inputs == 2 and data.x_range is not None
    curve_x = None
    if data.n_inputs == 1 and data.task == "regression":
        lo = float(min(data.X_train.min(), data.X_test.min(initial=np.inf)))
        hi = float(max(data.X_train.max(), data.X_test.max(initial=-np.inf)))
        curve_x = np.linspace(lo, hi, 200).reshape(-1, 1)

    neurons_made = -math.inf

    def extras(session: Session, final: bool = False) -> PlotExtras:
        nonlocal neurons_made
        raw = session.learner
        learner = raw if prep.identity else Preprocessed(raw, prep)
        out: dict[str, np.ndarray] = {}
        if two_d:
            y_range = data.y_range or data.x_range
            out["grid"] = decision_grid(learner, data.x_range, y_range, GRID)
            now = clock()
            if hasattr(raw, "node_outputs") and (final or now - neurons_made >= NEURON_INTERVAL):
                neurons_made = now
                out["neurons"] = neuron_grids(learner, data.x_range, y_range, THUMB)
            if isinstance(raw, Perceptron) and prep.identity:
                out["lines"] = np.column_stack([raw.W[:2].T, raw.b + raw.W[2:].sum(axis=0)])
        if curve_x is not None:
            out["curve_x"], out["curve_y"] = curve_x[:, 0], learner.forward(curve_x)[:, 0]
        if data.task != "regression" and len(data.X_test) and not two_d:
            out["confusion"] = confusion_matrix(data.Y_test, learner.forward(data.X_test), data.task)
        return PlotExtras(**out)

    return extras


def live_run(job: TrainingJob) -> PreparedTraining:
    """The job built into a run as the app trains it: what it adds to a headless run is plot data
    per snapshot, and a pause (not an end) when it diverges. Both runners call this."""
    prepared = build_run(job)
    prepared.options.extras = extras_for(job.data, prep=job.prep)
    prepared.options.pause_on_divergence = True
    return prepared
