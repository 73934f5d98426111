"""Decision grids: a network evaluated over an n×n plane of its two inputs in one pass."""

from __future__ import annotations

import numpy as np


def grid_points(x_range: tuple[float, float], y_range: tuple[float, float], n: int,
                dtype: type = np.float64) -> np.ndarray:
    """(n·n, 2) points, row-major: row index follows y (bottom to top), column index x."""
    xs = np.linspace(x_range[0], x_range[1], n, dtype=dtype)
    ys = np.linspace(y_range[0], y_range[1], n, dtype=dtype)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def decision_grid(model, x_range: tuple[float, float], y_range: tuple[float, float],
                  n: int = 100) -> np.ndarray:
    """(n_outputs, n, n): each output over the plane, ready for a row-major image."""
    out = model.forward(grid_points(x_range, y_range, n))
    return np.ascontiguousarray(out.T.reshape(-1, n, n))


def neuron_grids(model, x_range: tuple[float, float], y_range: tuple[float, float],
                 n: int = 40) -> np.ndarray:
    """(n_nodes, n, n): every neuron's own output over the plane (the per-neuron thumbnails)."""
    out = model.node_outputs(grid_points(x_range, y_range, n))
    return np.ascontiguousarray(out.T.reshape(-1, n, n))
