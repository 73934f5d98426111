"""Reading a weights export back (``.json`` or ``.npz``), checked before anything is trusted.

A damaged or hostile file must cost one clear ``EngineError``: not a zip error, not an
AttributeError from a list where an object belongs, and not a 74 GiB allocation because a 1 kB
``.npz`` header claims a huge array — every array's shape is read from its header and checked
against its size before numpy allocates it.
"""

from __future__ import annotations

import math
import os
import tokenize
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from engine import strict_json
from engine.activations import ACTIVATIONS
from engine.errors import EngineError
from engine.features import preprocess_from_dict

FORMAT = "nn-playground-weights"
MAX_ARRAY_BYTES = 512 * 2**20  # far above any playground network (a 64×64 Hopfield net is 128 MiB)


def read_export(path: str | os.PathLike[str]) -> dict:
    """The export at ``path`` in the layered-JSON shape, checked; EngineError says what is wrong."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".json":
            data = strict_json.loads(path.read_text(encoding="utf-8"))
        else:
            data = _read_npz(path)
        check_export(data)
        return data
    except EngineError as exc:
        raise EngineError(f"cannot read the export {path.name}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EngineError(f"cannot read the export {path.name}: {exc}") from None


def _read_npz(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            arrays = {info.filename[:-4]: _member(archive, info) for info in archive.infolist()
                      if info.filename.endswith(".npy")}
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, SyntaxError,
            tokenize.TokenError) as exc:  # numpy parses a damaged .npy header with tokenize
        raise EngineError(f"not a readable .npz archive ({exc})") from None
    if "header" not in arrays or arrays["header"].shape != () or arrays["header"].dtype.kind != "U":
        raise EngineError("the archive has no text header")
    data = strict_json.loads(str(arrays["header"]))
    if not isinstance(data, dict):
        raise EngineError("the header is not an object")
    if data.get("mode") == "mlp":
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise EngineError("$.layers: expected an array")
        for k, layer in enumerate(layers):
            if not isinstance(layer, dict):
                raise EngineError(f"$.layers[{k}]: expected an object")
            for key in ("weights", "mask", "biases"):
                layer[key] = _array(arrays, f"layer{k}_{key}").tolist()
    else:
        for key in ("weights", "thresholds", "patterns"):
            data[key] = _array(arrays, key).tolist()
    return data


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` member, its declared shape checked against its real size before loading."""
    with archive.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:
            raise ValueError(f"unknown .npy version {version}")
        shape, _, dtype = reader(fh)
        if dtype.hasobject:
            raise ValueError(f"{info.filename} holds Python objects, which are never loaded")
        size = math.prod(shape) * dtype.itemsize
        if size > MAX_ARRAY_BYTES or size > info.file_size:
            raise ValueError(f"{info.filename} claims {size:,} bytes of data but the file holds "
                             f"{info.file_size:,}")
    with archive.open(info) as fh:
        return np.lib.format.read_array(fh, allow_pickle=False)


def _array(arrays: dict[str, np.ndarray], key: str) -> np.ndarray:
    if key not in arrays:
        raise EngineError(f"the archive has no array '{key}'")
    return arrays[key]


# -- the structure predict() relies on -------------------------------------------------------------
def check_export(data: Any) -> None:
    """Raise EngineError (with a JSON path) unless ``data`` is a runnable export."""
    if not isinstance(data, dict):
        raise EngineError("$: expected an object")
    if data.get("format") != FORMAT:
        raise EngineError(f"$.format: this is not an nn-playground weights export (expected \"{FORMAT}\")")
    if data.get("mode") == "hopfield":
        _check_hopfield(data)
    elif data.get("mode") in ("mlp", "perceptron"):
        _check_layers(data)
    else:
        raise EngineError("$.mode: expected \"mlp\", \"perceptron\" or \"hopfield\"")


def _names(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EngineError(f"{path}: expected an array of names")
    return value


def _numbers(value: Any, path: str, shape: tuple[int, ...], kinds: str = "fiu") -> np.ndarray:
    """``value`` as a finite array of exactly ``shape`` (nested lists of numbers).

    Shape and types are checked on the lists first: numpy would turn a long string among the
    numbers into a fixed-width text array of gigabytes."""
    wanted = bool if kinds == "b" else (int, float)
    rows = value if len(shape) == 2 else [value]
    width = shape[-1]
    if not isinstance(rows, list) or (len(shape) == 2 and len(rows) != shape[0]) or not all(
            isinstance(row, list) and len(row) == width
            and all(isinstance(v, wanted) and (kinds == "b" or not isinstance(v, bool)) for v in row)
            for row in rows):
        raise EngineError(f"{path}: expected numbers of shape {shape}")
    try:
        array = np.array(value)
    except (ValueError, TypeError, OverflowError):
        raise EngineError(f"{path}: expected numbers of shape {shape}") from None
    if array.shape != shape or (array.size and array.dtype.kind not in kinds):
        raise EngineError(f"{path}: expected numbers of shape {shape}, found {array.shape}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise EngineError(f"{path}: every number must be finite")
    return array


def _check_layers(data: dict) -> None:
    known = _names(data.get("inputs"), "$.inputs") + _names(data.get("constants"), "$.constants")
    layers = data.get("layers")
    if not isinstance(layers, list):
        raise EngineError("$.layers: expected an array")
    for k, layer in enumerate(layers):
        p = f"$.layers[{k}]"
        if not isinstance(layer, dict):
            raise EngineError(f"{p}: expected an object")
        units = _names(layer.get("units"), f"{p}.units")
        sources = _names(layer.get("sources"), f"{p}.sources")
        activations = _names(layer.get("activations"), f"{p}.activations")
        if len(activations) != len(units) or not set(activations) <= set(ACTIVATIONS):
            raise EngineError(f"{p}.activations: one known activation per unit")
        if sources != known:
            raise EngineError(f"{p}.sources: a layer reads every earlier node, in order")
        _numbers(layer.get("weights"), f"{p}.weights", (len(sources), len(units)))
        _numbers(layer.get("mask"), f"{p}.mask", (len(sources), len(units)), "b")
        _numbers(layer.get("biases"), f"{p}.biases", (len(units),))
        known = known + units
    if "preprocess" in data:
        preprocess_from_dict(data["preprocess"], len(data["inputs"]))
    outputs = _names(data.get("outputs"), "$.outputs")
    produced = {name for layer in layers for name in layer["units"]}
    if not set(outputs) <= produced:
        raise EngineError("$.outputs: every output must be a unit of some layer")


def _check_hopfield(data: dict) -> None:
    weights = data.get("weights")
    n = len(weights) if isinstance(weights, list) else -1
    w = _numbers(weights, "$.weights", (n, n))
    if not np.array_equal(w, w.T):
        raise EngineError("$.weights: a Hopfield weight matrix must be symmetric")
    _numbers(data.get("thresholds"), "$.thresholds", (n,))
    patterns = data.get("patterns")
    count = len(patterns) if isinstance(patterns, list) else -1
    p = _numbers(patterns, "$.patterns", (count, n) if count else (0,), "iuf")
    if p.size and not np.isin(p, (-1, 1)).all():
        raise EngineError("$.patterns: every value must be +1 or −1")
