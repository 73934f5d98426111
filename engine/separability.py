"""Is a two-class set in the plane linearly separable? Exactly, not by running out of epochs.

Two finite point sets can be split by a line (strictly) exactly when their convex hulls are
disjoint, and then a separating line is perpendicular to one of a few candidate directions: the
normals of the hulls' edges and the directions between their vertices (which covers hulls that
are a point or a segment). The perceptron's verdict uses this for 2-D inputs, so "not linearly
separable" is said only when it is proven.
"""

from __future__ import annotations

import numpy as np


def convex_hull(points: np.ndarray) -> np.ndarray:
    """The hull's vertices in counter-clockwise order (Andrew's monotone chain); duplicates and
    collinear points dropped; one or two rows for a point or a segment."""
    pts = np.unique(np.asarray(points, dtype=np.float64).reshape(-1, 2), axis=0)
    if len(pts) <= 2:
        return pts

    def half(rows: np.ndarray) -> list[np.ndarray]:
        chain: list[np.ndarray] = []
        for p in rows:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _cross(o: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def separable(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether some line has every point of ``a`` strictly on one side and ``b`` on the other."""
    ha, hb = convex_hull(a), convex_hull(b)
    if not len(ha) or not len(hb):
        return True
    directions = [np.diff(np.vstack([h, h[:1]]), axis=0) for h in (ha, hb) if len(h) > 1]
    directions.append((hb[None, :, :] - ha[:, None, :]).reshape(-1, 2))
    d = np.vstack(directions)
    axes = np.vstack([d, np.column_stack([-d[:, 1], d[:, 0]])])  # each direction and its normal
    axes = axes[np.linalg.norm(axes, axis=1) > 0]
    pa, pb = ha @ axes.T, hb @ axes.T
    scale = 1e-12 * max(1.0, float(np.abs(np.vstack([ha, hb])).max()))
    gap = np.maximum(pb.min(axis=0) - pa.max(axis=0), pa.min(axis=0) - pb.max(axis=0))
    return bool((gap > scale * np.linalg.norm(axes, axis=1)).any())
