"""Small heatmaps of one neuron's output over the input plane, for the canvas."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from engine.activations import output_range
from playground.plots.output import BOUNDARY_MAP

_LUT = BOUNDARY_MAP.getLookupTable(0.0, 1.0, 256, alpha=True)  # (256, 4) ubyte


def activation_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour scale: the activation's own range, or symmetric around zero when unbounded."""
    bounds = output_range(activation)
    if bounds is not None:
        return bounds
    top = float(np.max(np.abs(values))) or 1.0  # linear, relu, …
    return -top, top


def _disc_alpha(h: int, w: int) -> np.ndarray:
    """Alpha 0 outside the inscribed circle: the canvas then draws the map without a clip path."""
    yy, xx = np.mgrid[0:h, 0:w]
    inside = (xx - (w - 1) / 2) ** 2 + (yy - (h - 1) / 2) ** 2 <= (min(h, w) / 2) ** 2
    return np.where(inside, 220, 0).astype(np.ubyte)


def grid_image(values: np.ndarray, activation: str) -> QImage:
    """An RGBA disc of a (n, n) grid whose row index follows y upwards (so rows are flipped)."""
    low, high = activation_range(activation, values)
    t = np.clip((values - low) / (high - low), 0.0, 1.0)
    rgba = np.ascontiguousarray(_LUT[(t * 255).astype(np.intp)][::-1])
    rgba[..., 3] = _disc_alpha(*values.shape)
    h, w = values.shape
    return QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
