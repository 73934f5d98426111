"""Trained weights out of the playground: layered JSON and ``.npz``, both readable without us.

Both formats describe the network layer by layer (depth levels, outputs last), so a reader can
run it with a few lines of numpy; ``predict`` below is exactly those lines. See docs/export-format.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.activations import get_activation
from engine.atomic import write_atomic, write_text_atomic
from engine.errors import EngineError
from engine.features import Preprocess, preprocess_from_dict
from engine.graph import depths
from engine.spec import NetworkSpec, TrainedValues

FORMAT = "nn-playground-weights"
VERSION = 1


def layered(spec: NetworkSpec, values: TrainedValues, edge_ids: Sequence[str] = (),
            prep: Preprocess | None = None) -> dict:
    """The network as layers: each reads every node of the shallower layers through W (0 = no wire).

    ``prep`` (features, scaling) travels as the ``preprocess`` record, so the export predicts on raw
    data exactly as the project does."""
    floor = [1 if node.kind == "unit" else 0 for node in spec.nodes]  # unwired units: act(bias)
    level = depths(len(spec.nodes), [(e.source, e.target) for e in spec.edges], floor)
    top = max([level[i] for i, n in enumerate(spec.nodes) if n.kind == "unit"], default=0)
    for i in spec.output_indices:
        level[i] = top
    names = [n.name or f"n{i}" for i, n in enumerate(spec.nodes)]
    order = sorted(range(len(spec.nodes)), key=lambda i: (level[i], i))
    incoming = {(e.source, e.target): values.weights[k] for k, e in enumerate(spec.edges)}
    inputs = [i for i in order if spec.nodes[i].kind == "input"]
    constants = [i for i in order if spec.nodes[i].kind == "constant"]
    layers, seen = [], inputs + constants  # the column order ``predict`` rebuilds
    for depth in range(1, top + 1):
        units = [i for i in order if level[i] == depth]
        weights = [[incoming.get((s, u), 0.0) for u in units] for s in seen]
        mask = [[(s, u) in incoming for u in units] for s in seen]
        layers.append({
            "units": [names[u] for u in units],
            "activations": [spec.nodes[u].activation for u in units],
            "sources": [names[s] for s in seen],
            "weights": weights,
            "mask": mask,
            "biases": [values.biases[u] or 0.0 for u in units],
        })
        seen += units
    header = {
        "format": FORMAT, "version": VERSION, "mode": "mlp",
        "inputs": [names[i] for i in inputs],
        "constants": [names[i] for i in constants],
        "outputs": [names[i] for i in spec.output_indices],
        "layers": layers,
    }
    if prep is not None and not prep.identity:
        header["preprocess"] = prep.to_dict()
    if edge_ids:
        header["connections"] = [
            {"id": cid, "source": names[e.source], "target": names[e.target],
             "weight": values.weights[k]}
            for k, (cid, e) in enumerate(zip(edge_ids, spec.edges, strict=True))
        ]
    return header


def hopfield_layered(weights: np.ndarray, thresholds: np.ndarray, patterns: np.ndarray,
                     shape: Sequence[int]) -> dict:
    """A Hopfield net as plain arrays: symmetric weights, thresholds, the stored patterns."""
    return {
        "format": FORMAT, "version": VERSION, "mode": "hopfield", "shape": list(shape),
        "weights": weights.tolist(), "thresholds": thresholds.tolist(),
        "patterns": patterns.astype(int).tolist(),
    }


def write_export(data: dict, path: str | os.PathLike[str]) -> None:
    """Write ``.json`` or ``.npz`` (chosen by the suffix) atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".npz"):
        raise EngineError(f"export to .json or .npz, not '{path.suffix or path.name}'")
    try:
        if suffix == ".json":
            write_text_atomic(path, json.dumps(data, indent=1, allow_nan=False))
        else:
            write_atomic(path, lambda fh: np.savez(fh, **_npz_arrays(data)))
    except OSError as exc:  # a WriteError already names the file and the reason
        raise EngineError(str(exc)) from None


def _npz_arrays(data: dict) -> dict[str, np.ndarray]:
    """Numeric arrays as arrays; everything else in a JSON header stored as a unicode scalar."""
    arrays: dict[str, np.ndarray] = {}
    header = {k: v for k, v in data.items() if k not in ("layers", "weights", "thresholds", "patterns")}
    if data["mode"] == "mlp":
        header["layers"] = []
        for k, layer in enumerate(data["layers"]):
            arrays[f"layer{k}_weights"] = np.array(layer["weights"], dtype=np.float64).reshape(
                len(layer["sources"]), len(layer["units"]))
            arrays[f"layer{k}_mask"] = np.array(layer["mask"], dtype=bool).reshape(
                arrays[f"layer{k}_weights"].shape)
            arrays[f"layer{k}_biases"] = np.array(layer["biases"], dtype=np.float64)
            header["layers"].append({key: layer[key] for key in ("units", "activations", "sources")})
    else:
        for key in ("weights", "thresholds", "patterns"):
            arrays[key] = np.array(data[key], dtype=np.float64 if key != "patterns" else np.int8)
    arrays["header"] = np.array(json.dumps(header))
    return arrays


def predict(data: dict, X: np.ndarray) -> np.ndarray:
    """Run an exported MLP on rows of inputs: the whole forward pass in numpy. An export with a
    ``preprocess`` record takes the data's raw columns and derives/scales them first."""
    X = np.asarray(X, dtype=np.float64)
    if "preprocess" in data:
        prep = preprocess_from_dict(data["preprocess"], len(data["inputs"]))
        if X.ndim != 2 or X.shape[1] != len(data["inputs"]) - len(prep.features):
            raise EngineError(f"expected rows of {len(data['inputs']) - len(prep.features)} raw values")
        X = prep.apply(X)
    acts = [X, np.ones((len(X), len(data["constants"])))]
    for layer in data["layers"]:
        z = np.hstack(acts) @ np.array(layer["weights"]).reshape(-1, len(layer["units"]))
        z = z + np.array(layer["biases"])
        a = np.empty_like(z)
        groups: dict[str, list[int]] = {}
        for j, name in enumerate(layer["activations"]):
            groups.setdefault(name, []).append(j)
        for name, cols in groups.items():
            a[:, cols] = get_activation(name).forward(z[:, cols])
        acts.append(a)
    produced = [name for layer in data["layers"] for name in layer["units"]]
    out = np.hstack(acts[2:]) if len(acts) > 2 else np.zeros((len(X), 0))
    return out[:, [produced.index(name) for name in data["outputs"]]]
