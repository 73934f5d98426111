"""Accuracy, R² and confusion matrices: what the status bar and the CLI report."""

from __future__ import annotations

import numpy as np


def predicted_classes(outputs: np.ndarray, task: str) -> np.ndarray:
    """Class index per row: threshold 0.5 for one 0/1 column, arg-max for one-hot columns."""
    if task == "binary":
        return (outputs[:, 0] > 0.5).astype(np.int64)
    return np.argmax(outputs, axis=1)


def target_classes(targets: np.ndarray, task: str) -> np.ndarray:
    """Class index per row of the targets (0/1 column or one-hot)."""
    if task == "binary":
        return (targets[:, 0] > 0.5).astype(np.int64)
    return np.argmax(targets, axis=1)


def accuracy(targets: np.ndarray, outputs: np.ndarray, task: str) -> float | None:
    """Share of rows classified right; None for regression or an empty set."""
    if task == "regression" or len(targets) == 0:
        return None
    hits = predicted_classes(outputs, task) == target_classes(targets, task)
    return float(np.mean(hits))


def r_squared(targets: np.ndarray, outputs: np.ndarray) -> float | None:
    """Coefficient of determination over all output columns; None for an empty set."""
    if len(targets) == 0:
        return None
    residual = float(np.sum((targets - outputs) ** 2))
    total = float(np.sum((targets - targets.mean(axis=0)) ** 2))
    if total == 0.0:
        return 1.0 if residual == 0.0 else 0.0
    return 1.0 - residual / total


def score(targets: np.ndarray, outputs: np.ndarray, task: str) -> float | None:
    """The headline score: accuracy for classification, R² for regression."""
    if task == "regression":
        return r_squared(targets, outputs)
    return accuracy(targets, outputs, task)


def confusion_matrix(targets: np.ndarray, outputs: np.ndarray, task: str) -> np.ndarray:
    """Counts[true class, predicted class] for a classification task."""
    n_classes = 2 if task == "binary" else targets.shape[1]
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (target_classes(targets, task), predicted_classes(outputs, task)), 1)
    return counts
