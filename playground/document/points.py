"""Edits of inline data by row: the drawn points and the data table share these (pure Python).

Rows are numbered globally: the training rows first, then the test rows, the order a ``Dataset``
built from the data keeps (``X_train`` then ``X_test``). Every function returns a new
``InlineData`` that shares the unchanged row lists with the old one, so an edit of one point in
100,000 copies one list of references, not the data; rows are never changed in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from engine.datasets import Dataset, dataset_from_arrays
from engine.errors import EngineError
from playground.document.model import InlineData

EMPTY_PLANE = (-6.0, 6.0, -6.0, 6.0)  # TensorFlow Playground's plane: a new drawing starts here
CLASS_NAMES = "ABCDEFGHIJ"  # an empty multi-class plane's class names


def widths(inline: InlineData) -> tuple[int, int]:
    """(inputs, outputs): from the rows, or from the names while there are no rows yet."""
    rows = inline.inputs or inline.test_inputs or []
    targets = inline.targets or inline.test_targets or []
    n_in = len(rows[0]) if rows else len(inline.input_names or ())
    n_out = len(targets[0]) if targets else len(inline.output_names or ())
    return n_in, n_out


def counts(inline: InlineData) -> tuple[int, int]:
    """(training rows, test rows)."""
    return len(inline.inputs), len(inline.test_inputs or [])


def n_classes(inline: InlineData) -> int:
    """Classes a point can be drawn in (0 for regression)."""
    if inline.task == "regression":
        return 0
    return 2 if inline.task == "binary" else widths(inline)[1]


def empty_plane(task: str, classes: int = 2) -> InlineData:
    """No points yet, on TensorFlow Playground's plane: two classes, K classes, or regression."""
    if task == "multiclass":
        if not 2 < classes <= len(CLASS_NAMES):
            raise EngineError(f"a multi-class plane has 3 to {len(CLASS_NAMES)} classes")
        names = list(CLASS_NAMES[:classes])
    else:
        names = ["y"]
    return InlineData([], [], task, None, None, ["x1", "x2"], names, plane=list(EMPTY_PLANE))


def from_dataset(data: Dataset) -> InlineData:
    """A dataset's points as inline rows ("Edit these points"): same split, names and plane."""
    plane = None
    if data.x_range is not None:
        y_range = data.y_range or data.x_range
        plane = [*map(float, data.x_range), *map(float, y_range)]
    has_test = len(data.X_test) > 0
    return InlineData(
        data.X_train.tolist(), data.Y_train.tolist(), data.task,
        data.X_test.tolist() if has_test else None, data.Y_test.tolist() if has_test else None,
        list(data.input_names), list(data.output_names),
        class_names=list(data.class_names) if data.task != "regression" else None, plane=plane)


def target_row(inline: InlineData, label: float) -> list[float]:
    """The target of a point of class ``label`` (or of value ``label`` for regression)."""
    if inline.task == "regression":
        if widths(inline)[1] > 1:
            raise EngineError(f"a point gets one target value; this data has {widths(inline)[1]} "
                              "target columns")
        return [float(label)]
    k = int(label)
    if not 0 <= k < n_classes(inline):
        raise EngineError(f"class {k} does not exist here (classes 0 to {n_classes(inline) - 1})")
    if inline.task == "binary":
        return [float(k)]
    row = [0.0] * widths(inline)[1]
    row[k] = 1.0
    return row


def label_of(task: str, target: Sequence[float]) -> float:
    """The class index (or regression value) a target row stands for."""
    if task == "multiclass":
        return float(int(np.argmax(target)))
    return float(target[0])


def _split(inline: InlineData) -> tuple[list, list, list, list]:
    return (list(inline.inputs), list(inline.targets), list(inline.test_inputs or []),
            list(inline.test_targets or []))


def _join(inline: InlineData, xs: list, ys: list, xt: list, yt: list) -> InlineData:
    return replace(inline, inputs=xs, targets=ys, test_inputs=xt or None, test_targets=yt or None)


def add_rows(inline: InlineData, inputs: Iterable[Sequence[float]], label: float,
             test: bool = False) -> InlineData:
    """New points of one class (or value), appended to the training rows (or the test rows)."""
    xs, ys, xt, yt = _split(inline)
    target = target_row(inline, label)
    rows = [[float(v) for v in row] for row in inputs]
    if test:
        xt += rows
        yt += [list(target) for _ in rows]
    else:
        xs += rows
        ys += [list(target) for _ in rows]
    return _join(inline, xs, ys, xt, yt)


def set_rows(inline: InlineData, inputs: dict[int, Sequence[float]] | None = None,
             labels: dict[int, float] | None = None) -> InlineData:
    """New inputs and/or labels for rows by global index (a drag, a cell typed in the table)."""
    xs, ys, xt, yt = _split(inline)
    n = len(xs)
    for rows, values, make in ((xs, inputs or {}, lambda v: [float(a) for a in v]),
                               (ys, labels or {}, lambda v: target_row(inline, v))):
        other = xt if rows is xs else yt
        for index, value in values.items():
            if not 0 <= index < n + len(other):
                raise EngineError(f"there is no row {index + 1}")
            target = rows if index < n else other
            target[index if index < n else index - n] = make(value)
    return _join(inline, xs, ys, xt, yt)


def remove_rows(inline: InlineData, rows: Iterable[int]) -> InlineData:
    """Delete rows by global index."""
    gone = set(rows)
    xs, ys, xt, yt = _split(inline)
    n = len(xs)
    keep = [k for k in range(n) if k not in gone]
    keep_t = [k for k in range(len(xt)) if k + n not in gone]
    return _join(inline, [xs[k] for k in keep], [ys[k] for k in keep], [xt[k] for k in keep_t],
                 [yt[k] for k in keep_t])


def set_split(inline: InlineData, rows: Iterable[int], test: bool) -> InlineData:
    """Move rows to the test set (or back to training); they go to the end of the other part."""
    chosen = sorted(set(rows))
    xs, ys, xt, yt = _split(inline)
    n = len(xs)
    moving = [k for k in chosen if (k >= n) != test and 0 <= k < n + len(xt)]
    if not moving:
        return inline
    take = [(xs[k], ys[k]) if k < n else (xt[k - n], yt[k - n]) for k in moving]
    rest = remove_rows(inline, moving)
    xs, ys, xt, yt = _split(rest)
    (xt if test else xs).extend(x for x, _ in take)
    (yt if test else ys).extend(y for _, y in take)
    return _join(rest, xs, ys, xt, yt)


def clear(inline: InlineData) -> InlineData:
    """Every point gone; the columns, names and plane stay."""
    n_in, n_out = widths(inline)
    names_in = inline.input_names or [f"x{k + 1}" for k in range(n_in)]
    names_out = inline.output_names or [f"y{k + 1}" for k in range(n_out)]
    return replace(inline, inputs=[], targets=[], test_inputs=None, test_targets=None,
                   input_names=list(names_in), output_names=list(names_out))


def brush_cloud(centre: Sequence[float], radius: float, n: int, rng: np.random.Generator
                ) -> list[list[float]]:
    """A small cloud of ``n`` points around ``centre``: a Gaussian of spread ``radius / 2``,
    clipped to the brush's disc (seeded, so a stroke replays the same)."""
    offsets = rng.normal(0.0, radius / 2, size=(n, 2))
    norms = np.linalg.norm(offsets, axis=1, keepdims=True)
    offsets = np.where(norms > radius, offsets * (radius / np.maximum(norms, 1e-12)), offsets)
    return (np.asarray(centre, dtype=np.float64) + offsets).tolist()


def rows_dataset(inline: InlineData) -> Dataset:
    """The inline rows as the engine's checked ``Dataset`` (EngineError without training rows)."""
    d = inline
    return dataset_from_arrays(d.inputs, d.targets, d.task, d.test_inputs, d.test_targets,
                               d.input_names, d.output_names, d.class_names, d.plane)


def preview(inline: InlineData) -> Dataset:
    """The data to show while editing: as built for training, or the bare plane with no rows
    (training refuses empty data; a plane to draw on is not refused)."""
    if counts(inline) != (0, 0):
        return rows_dataset(inline)
    n_in, n_out = widths(inline)
    x0, x1, y0, y1 = inline.plane or EMPTY_PLANE
    empty_x, empty_y = np.zeros((0, n_in)), np.zeros((0, n_out))
    classes = ("0", "1") if inline.task == "binary" else tuple(inline.output_names or ()) \
        if inline.task == "multiclass" else ()
    return Dataset(empty_x, empty_y, empty_x, empty_y, inline.task,
                   tuple(inline.input_names or ()), tuple(inline.output_names or ()), classes,
                   (x0, x1) if n_in == 2 else None, (y0, y1) if n_in == 2 else None)
