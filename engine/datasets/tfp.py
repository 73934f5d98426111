"""TensorFlow Playground's generators, with the same distributions (labels ±1 there, 0/1 here)."""

from __future__ import annotations

import numpy as np


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inner disc (r < 2.5) against a ring (3.5 < r < 5); noise perturbs the label test only."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x, y = r * np.sin(angle), r * np.cos(angle)
    nx, ny = rng.uniform(-radius, radius, (2, n)) * noise
    label = np.hypot(x + nx, y + ny) < radius * 0.5
    return np.column_stack([x, y]), label.astype(np.float64).reshape(-1, 1)


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform on [−5, 5]², pushed 0.3 away from the axes; label by the sign of x·y."""
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)
    noisy = pts + rng.uniform(-5, 5, (n, 2)) * noise
    label = noisy[:, 0] * noisy[:, 1] >= 0
    return pts, label.astype(np.float64).reshape(-1, 1)


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two clouds N((2, 2), v·I) labelled 1 and N((−2, −2), v·I) labelled 0, v = 0.5 + 7·noise."""
    variance = 0.5 + 7.0 * noise
    half = n // 2
    pos = rng.normal(2.0, np.sqrt(variance), (half, 2))
    neg = rng.normal(-2.0, np.sqrt(variance), (n - half, 2))
    labels = np.concatenate([np.ones(half), np.zeros(n - half)])
    return np.vstack([pos, neg]), labels.reshape(-1, 1)


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two arms: r = 5i/m, t = 1.75·(i/m)·2π + Δ, plus noise·U(−1, 1) per coordinate."""
    m = n // 2
    arms, labels = [], []
    for delta, label in ((0.0, 1.0), (np.pi, 0.0)):
        i = np.arange(m)
        r = i / m * 5.0
        t = 1.75 * i / m * 2 * np.pi + delta
        pts = np.column_stack([r * np.sin(t), r * np.cos(t)])
        pts += rng.uniform(-1, 1, (m, 2)) * noise
        arms.append(pts)
        labels.append(np.full(m, label))
    return np.vstack(arms), np.concatenate(labels).reshape(-1, 1)


def regression_plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x, y ~ U(−6, 6); target (x + nx + y + ny) / 10."""
    pts = rng.uniform(-6, 6, (n, 2))
    noisy = pts + rng.uniform(-6, 6, (n, 2)) * noise
    return pts, ((noisy[:, 0] + noisy[:, 1]) / 10.0).reshape(-1, 1)


GAUSS_CENTRES = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def regression_gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Six signed bumps max(0, 1 − d/2); the target is the bump of largest magnitude."""
    pts = rng.uniform(-6, 6, (n, 2))
    noisy = pts + rng.uniform(-6, 6, (n, 2)) * noise
    bumps = np.stack([
        sign * np.maximum(0.0, 1.0 - np.hypot(noisy[:, 0] - cx, noisy[:, 1] - cy) / 2.0)
        for cx, cy, sign in GAUSS_CENTRES
    ])
    pick = np.argmax(np.abs(bumps), axis=0)
    return pts, bumps[pick, np.arange(n)].reshape(-1, 1)
