"""How a project file holds imported data: inline matrices (compact when big), features, scaling.

A matrix is either rows of numbers (readable, for small data) or, above ``COMPACT_CELLS``, one
object ``{"dtype": "float64", "shape": [rows, columns], "base64": …}`` (little-endian, row-major):
a JSON list of 5 million numbers takes seconds to parse, the same bytes in base64 a few hundredths.
Both forms are checked completely (shape, limits, every value finite) before anything is built.
See docs/file-format.md ("Inline data").
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import numpy as np

from engine.features import FEATURES, SCALINGS
from playground.document import limits
from playground.document.model import DatasetSpec, Scaling
from playground.document.schema import Checker

COMPACT_CELLS = 1_000  # matrices with more cells are saved in the base64 form
_COMPACT_KEYS = ("dtype", "shape", "base64")


def matrix_to_json(rows: Any) -> Any:
    """The JSON form of a matrix: its rows, or the compact object when it is big."""
    if rows is None:
        return None
    arr = np.asarray(rows, dtype="<f8")
    if arr.size <= COMPACT_CELLS:
        return [list(map(float, r)) for r in rows]
    return {"dtype": "float64", "shape": list(arr.shape),
            "base64": base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")}


def _compact_array(value: dict) -> np.ndarray:
    """The compact object's array (only after ``check_matrix`` passed it)."""
    return np.frombuffer(base64.b64decode(value["base64"], validate=True), dtype="<f8").reshape(
        value["shape"])


def check_matrix(c: Checker, value: Any, path: str, nullable: bool = False) -> bool:
    """Rows of finite numbers within the limits, in either form."""
    if not isinstance(value, dict):
        return c.matrix(value, path, nullable=nullable, max_rows=limits.MAX_ROWS,
                        max_columns=limits.MAX_COLUMNS) and (
            value is None or _cells_ok(c, path, sum(len(r) for r in value)))
    if not c.obj(value, path, _COMPACT_KEYS):
        return False
    if value["dtype"] != "float64":
        c.fail(f"{path}.dtype", f"unknown dtype {value['dtype']!r} (known: float64)")
        return False
    shape = value["shape"]
    highs = (limits.MAX_ROWS, limits.MAX_COLUMNS)
    if not c.array(shape, f"{path}.shape", length=2) or not all(
            c.number(v, f"{path}.shape[{k}]", low=1, high=highs[k], integer=True)
            for k, v in enumerate(shape)):
        return False
    if not _cells_ok(c, path, shape[0] * shape[1]):
        return False
    text = value["base64"]
    if not isinstance(text, str) or len(text) != 4 * -(-shape[0] * shape[1] * 8 // 3):
        c.fail(f"{path}.base64", f"expected the base64 text of {shape[0]}×{shape[1]} float64 "
                                 f"values ({4 * -(-shape[0] * shape[1] * 8 // 3):,} characters)")
        return False
    try:
        arr = _compact_array(value)
    except (binascii.Error, ValueError):
        c.fail(f"{path}.base64", "is not valid base64 text")
        return False
    if not np.isfinite(arr).all():
        row = int(np.flatnonzero(~np.isfinite(arr).all(axis=1))[0])
        c.fail(f"{path}", f"row {row} holds a value that is not a finite number")
        return False
    return True


def _cells_ok(c: Checker, path: str, cells: int) -> bool:
    if cells > limits.MAX_CELLS:
        c.fail(path, f"holds {cells:,} values; the limit is {limits.MAX_CELLS:,}")
        return False
    return True


def matrix_from_json(value: Any) -> list[list[float]] | None:
    """Rows of floats from either form (after ``check_matrix``)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return _compact_array(value).tolist()
    return [[float(v) for v in row] for row in value]


def check_preprocessing(c: Checker, ds: dict, path: str) -> None:
    """``features`` (names from the engine's registry, each once) and ``scaling``."""
    features = ds.get("features", [])
    if c.array(features, f"{path}.features", max_len=len(FEATURES)):
        for k, name in enumerate(features):
            c.string(name, f"{path}.features[{k}]", tuple(FEATURES), "feature")
        if len(set(map(str, features))) != len(features):
            c.fail(f"{path}.features", "names a feature twice")
    scaling = ds.get("scaling")
    q = f"{path}.scaling"
    if scaling is None or not c.obj(scaling, q, ("method", "offset", "scale")):
        return
    c.string(scaling["method"], f"{q}.method", tuple(SCALINGS), "scaling")
    width = None
    for key in ("offset", "scale"):
        if c.array(scaling[key], f"{q}.{key}", c.number, max_len=limits.MAX_COLUMNS):
            width = len(scaling[key]) if width is None else width
            if len(scaling[key]) != width:
                c.fail(q, "offset and scale must have one value per network input each")
    if isinstance(scaling["scale"], list) and any(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v <= 0 for v in scaling["scale"]):
        c.fail(f"{q}.scale", "every scale must be greater than 0")


def preprocessing_to_json(spec: DatasetSpec) -> dict:
    """The file's ``features`` and ``scaling`` keys (left out when unused, as older files are)."""
    out: dict[str, Any] = {}
    if spec.features:
        out["features"] = list(spec.features)
    if spec.scaling is not None:
        s = spec.scaling
        out["scaling"] = {"method": s.method, "offset": list(s.offset), "scale": list(s.scale)}
    return out


def scaling_from_json(value: Any) -> Scaling | None:
    if value is None:
        return None
    return Scaling(value["method"], [float(v) for v in value["offset"]],
                   [float(v) for v in value["scale"]])
