"""Decision grids: a network evaluated over an n×n plane of its two inputs in one pass.

Grids are pictures, so they are computed in float32 (``GRID_DTYPE``): tanh costs about a quarter
per element of float64's, and a colour map cannot show the digits float64 would add.
"""

from __future__ import annotations

import numpy as np

from engine.mlp import MLP

GRID_DTYPE = np.float32


def grid_points(x_range: tuple[float, float], y_range: tuple[float, float], n: int,
                dtype: type = np.float64) -> np.ndarray:
    """(n·n, 2) points, row-major: row index follows y (bottom to top), column index x."""
    return grid_features(x_range, y_range, n, dtype).T


def grid_features(x_range: tuple[float, float], y_range: tuple[float, float], n: int,
                  dtype: type = np.float64) -> np.ndarray:
    """The same points feature-major, (2, n·n): x in the first row, y in the second."""
    out = np.empty((2, n * n), dtype)
    out[0].reshape(n, n)[...] = np.linspace(x_range[0], x_range[1], n, dtype=dtype)
    out[1].reshape(n, n)[...] = np.linspace(y_range[0], y_range[1], n, dtype=dtype)[:, None]
    return out


def decision_grid(model, x_range: tuple[float, float], y_range: tuple[float, float],
                  n: int = 100, dtype: type = GRID_DTYPE) -> np.ndarray:
    """(n_outputs, n, n): each output over the plane, ready for a row-major image."""
    if isinstance(model, MLP):
        return model.forward_features(grid_features(x_range, y_range, n, dtype), dtype).reshape(-1, n, n)
    out = model.forward(grid_points(x_range, y_range, n))
    return np.ascontiguousarray(out.T.reshape(-1, n, n))


def neuron_grids(model: MLP, x_range: tuple[float, float], y_range: tuple[float, float],
                 n: int = 40, dtype: type = GRID_DTYPE) -> np.ndarray:
    """(n_nodes, n, n): every neuron's own output over the plane (the per-neuron thumbnails)."""
    points = grid_features(x_range, y_range, n, dtype)
    return model.node_outputs_features(points, dtype).reshape(-1, n, n)
