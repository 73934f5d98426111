"""Digits and iris from the CSV files in resources/datasets (read as text, never pickled)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from engine.errors import EngineError


def _rows(path: Path, name: str) -> list[list[str]]:
    if not path.is_file():
        raise EngineError(f"dataset '{name}' needs its data file: {path} not found")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            return [line.strip().split(",") for line in fh if line.strip()]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:  # a truncated .gz: EOFError
        raise EngineError(f"cannot read {path}: {exc}") from None


def _numbers(rows: list[list[str]], width: int, path: Path, first_line: int) -> np.ndarray:
    if not rows:
        raise EngineError(f"{path.name} has no data rows: the file is empty or cut short")
    out = np.empty((len(rows), width))
    for k, row in enumerate(rows):
        line = k + first_line
        if len(row) != width:
            raise EngineError(f"{path.name} line {line}: expected {width} values, found {len(row)}")
        try:
            out[k] = [float(v) for v in row]
        except ValueError:
            raise EngineError(f"{path.name} line {line}: not all values are numbers") from None
        if not np.isfinite(out[k]).all():
            raise EngineError(f"{path.name} line {line}: a value is not finite")
    return out


def _labels(values: np.ndarray, k: int, path: Path, first_line: int) -> np.ndarray:
    bad = np.flatnonzero((values != np.round(values)) | (values < 0) | (values >= k))
    if len(bad):
        raise EngineError(f"{path.name} line {bad[0] + first_line}: the label must be 0..{k - 1}")
    return values.astype(int)


def load_digits(data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """1797 × 64 pixels scaled to [0, 1], labels 0..9."""
    path = data_dir / "digits.csv.gz"
    table = _numbers(_rows(path, "digits"), 65, path, 1)
    return table[:, :64] / 16.0, _labels(table[:, 64], 10, path, 1)


def load_iris(data_dir: Path) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """150 × 4 features scaled to [0, 1] by the file's min/max, labels 0..2, class names."""
    path = data_dir / "iris.csv"
    rows = _rows(path, "iris")
    header = rows[0] if rows else []
    if len(header) < 3 or not header[0].isdigit():
        raise EngineError(f"{path.name} line 1: expected a header like '150,4,setosa,...'")
    classes = tuple(header[2:])
    table = _numbers(rows[1:], 5, path, 2)
    X = table[:, :4]
    lo, hi = X.min(axis=0), X.max(axis=0)
    X = (X - lo) / np.where(hi > lo, hi - lo, 1.0)
    return X, _labels(table[:, 4], len(classes), path, 2), classes
