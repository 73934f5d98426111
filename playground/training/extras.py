"""What the training loop computes per snapshot for the plots, in the worker (Qt-free).

Decision grid and per-neuron maps for 2-input problems, the fitted curve for 1-input regression,
a test confusion matrix for the rest, and the perceptron's separating lines.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from engine.datasets import Dataset
from engine.grid import decision_grid, neuron_grids
from engine.metrics import confusion_matrix
from engine.perceptron import Perceptron

GRID = 50  # decision-boundary resolution
THUMB = 24  # per-neuron thumbnails
NEURON_INTERVAL = 0.2  # seconds between per-neuron maps: the canvas shows them at 4 Hz, not 30


def extras_for(data: Dataset, clock: Callable[[], float] = time.monotonic) -> Callable[..., dict]:
    """What the worker computes per snapshot for the plots (copies, made in the worker thread).

    The per-neuron maps (one forward pass per neuron's grid) are made at most every
    NEURON_INTERVAL seconds, and always for the last snapshot of a run."""
    two_d = data.n_inputs == 2 and data.x_range is not None
    curve_x = None
    if data.n_inputs == 1 and data.task == "regression":
        lo = float(min(data.X_train.min(), data.X_test.min(initial=np.inf)))
        hi = float(max(data.X_train.max(), data.X_test.max(initial=-np.inf)))
        curve_x = np.linspace(lo, hi, 200).reshape(-1, 1)

    neurons_made = -math.inf

    def extras(session, final: bool = False) -> dict[str, np.ndarray]:
        nonlocal neurons_made
        learner = session.learner
        out: dict[str, np.ndarray] = {}
        if two_d:
            y_range = data.y_range or data.x_range
            out["grid"] = decision_grid(learner, data.x_range, y_range, GRID)
            now = clock()
            if hasattr(learner, "node_outputs") and (final or now - neurons_made >= NEURON_INTERVAL):
                neurons_made = now
                out["neurons"] = neuron_grids(learner, data.x_range, y_range, THUMB)
            if isinstance(learner, Perceptron):
                out["lines"] = np.column_stack([learner.W[:2].T, learner.b + learner.W[2:].sum(axis=0)])
        if curve_x is not None:
            out["curve"] = (curve_x[:, 0], learner.forward(curve_x)[:, 0])
        if data.task != "regression" and len(data.X_test) and not two_d:
            out["confusion"] = confusion_matrix(data.Y_test, learner.forward(data.X_test), data.task)
        return out

    return extras


def prepare_live_run(prepared) -> None:
    """What a run in the app adds to a headless one: plot data per snapshot, and a pause (not an
    end) when it diverges. Both runners and the worker process call this."""
    prepared.options.extras = extras_for(prepared.session.data)
    prepared.options.pause_on_divergence = True
