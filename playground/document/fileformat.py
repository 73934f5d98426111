"""The project file: versioned JSON, checked completely before anything is built, saved atomically.

See docs/file-format.md. No pickle, eval or getattr on anything read from a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from typing import Any

from engine import strict_json
from engine.atomic import write_text_atomic
from engine.errors import EngineError
from engine.settings import BY_NAME
from playground.document import dataform, limits, names
from playground.document.errors import FileFormatError
from playground.document.model import (
    Connection,
    DatasetSpec,
    Document,
    HopfieldSettings,
    InlineData,
    Neuron,
    TrainingSettings,
)
from playground.document.reading import load_checked
from playground.document.schema import Checker

FORMAT = "nn-playground"
SCHEMA_VERSION = 1
# version -> function upgrading a parsed file of that version to version + 1
MIGRATIONS: dict[int, Any] = {}

_TOP = ("format", "schema_version", "mode", "neurons", "connections")
_TOP_OPTIONAL = ("title", "description", "dataset", "training", "hopfield")


def loads_document(text: str) -> Document:
    """Parse and check a project; FileFormatError lists every problem with its JSON path."""
    try:
        data = strict_json.loads(text)
    except EngineError as exc:
        raise FileFormatError([str(exc)]) from None
    return document_from_data(data)


def load_document(path: str | os.PathLike[str]) -> Document:
    return load_checked(path, "a project file", loads_document)


def document_from_data(data: Any) -> Document:
    c = Checker()
    if not isinstance(data, dict):
        raise FileFormatError([f"$: expected an object, found {type(data).__name__}"])
    if data.get("format") != FORMAT:
        raise FileFormatError([f"$.format: this is not an nn-playground project "
                               f"(expected \"format\": \"{FORMAT}\")"])
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FileFormatError(["$.schema_version: expected a whole number ≥ 1"])
    if version > SCHEMA_VERSION:
        raise FileFormatError([f"this file was written by a newer version of nn-playground "
                               f"(schema {version}); this version reads schema {SCHEMA_VERSION}"])
    while version < SCHEMA_VERSION:
        data, version = MIGRATIONS[version](data), version + 1
    _check(c, data)
    if c.errors:
        raise FileFormatError(c.errors)
    return _build(data)


def _check(c: Checker, d: dict) -> None:
    c.obj(d, "$", _TOP, _TOP_OPTIONAL)
    c.string(d.get("title", ""), "$.title")
    c.string(d.get("description", ""), "$.description", max_len=limits.MAX_DESCRIPTION)
    c.string(d.get("mode"), "$.mode", names.MODES, "mode")
    ids: set[str] = set()
    if c.array(d.get("neurons"), "$.neurons", max_len=limits.MAX_NEURONS):
        for k, n in enumerate(d["neurons"]):
            p = f"$.neurons[{k}]"
            if not c.obj(n, p, ("id", "role"), ("label", "position", "activation", "bias",
                                                "has_bias")):
                continue
            if c.string(n["id"], f"{p}.id", allow_empty=False) if "id" in n else False:
                if n["id"] in ids:
                    c.fail(f"{p}.id", f"duplicate neuron id '{n['id']}'")
                ids.add(n["id"])
            c.string(n.get("role"), f"{p}.role", names.ROLES, "role")
            c.string(n.get("label", ""), f"{p}.label")
            c.array(n.get("position", [0, 0]), f"{p}.position", c.number, length=2)
            c.string(n.get("activation", "tanh"), f"{p}.activation", names.ACTIVATIONS, "activation")
            c.number(n.get("bias"), f"{p}.bias", nullable=True)
            c.boolean(n.get("has_bias", True), f"{p}.has_bias")
    conn_ids: set[str] = set()
    if c.array(d.get("connections"), "$.connections", max_len=limits.MAX_CONNECTIONS):
        for k, w in enumerate(d["connections"]):
            p = f"$.connections[{k}]"
            if not c.obj(w, p, ("id", "source", "target"), ("weight",)):
                continue
            if c.string(w.get("id"), f"{p}.id", allow_empty=False):
                if w["id"] in conn_ids:
                    c.fail(f"{p}.id", f"duplicate connection id '{w['id']}'")
                conn_ids.add(w["id"])
            for end in ("source", "target"):
                if c.string(w.get(end), f"{p}.{end}") and w[end] not in ids:
                    c.fail(f"{p}.{end}", f"no neuron has the id '{w[end]}'")
            c.number(w.get("weight"), f"{p}.weight", nullable=True)
    _check_dataset(c, d.get("dataset"))
    _check_training(c, d.get("training", {}))
    _check_hopfield(c, d.get("hopfield"))


def _check_dataset(c: Checker, ds: Any) -> None:
    p = "$.dataset"
    if ds is None:
        return
    if not c.obj(ds, p, ("seed",), ("name", "params", "train_fraction", "inline", "features",
                                    "scaling")):
        return
    dataform.check_preprocessing(c, ds, p)
    c.number(ds.get("seed"), f"{p}.seed", low=0, integer=True)
    if ("name" in ds) == ("inline" in ds):
        c.fail(p, "give either a built-in dataset 'name' or 'inline' data, not both or neither")
    if "name" in ds:
        c.string(ds["name"], f"{p}.name", names.DATASETS, "dataset")
        params = ds.get("params", {})
        if c.obj(params, f"{p}.params", (), ("n_points", "noise")):
            c.number(params.get("n_points", 4), f"{p}.params.n_points", low=4, integer=True,
                     high=limits.MAX_POINTS)
            c.number(params.get("noise", 0), f"{p}.params.noise", low=0)
        c.number(ds.get("train_fraction"), f"{p}.train_fraction", low=0, high=1, nullable=True,
                 low_open=True)
    if "inline" in ds:
        q = f"{p}.inline"
        inline = ds["inline"]
        if c.obj(inline, q, ("inputs", "targets", "task"),
                 ("test_inputs", "test_targets", "input_names", "output_names", "class_names",
                  "plane")):
            for key in ("inputs", "targets", "test_inputs", "test_targets"):
                dataform.check_matrix(c, inline.get(key), f"{q}.{key}", nullable=key.startswith("test"))
            c.string(inline["task"], f"{q}.task", names.TASKS, "task")
            for key in ("input_names", "output_names", "class_names"):
                c.array(inline.get(key), f"{q}.{key}", c.string, nullable=True,
                        max_len=limits.MAX_COLUMNS)
            _check_plane(c, inline.get("plane"), f"{q}.plane")


def _check_plane(c: Checker, plane: Any, path: str) -> None:
    """[x0, x1, y0, y1], each range running forwards."""
    before = len(c.errors)
    if plane is None or not c.array(plane, path, c.number, length=4) or len(c.errors) > before:
        return
    if not (plane[0] < plane[1] and plane[2] < plane[3]):
        c.fail(path, "must be [x0, x1, y0, y1] with x0 < x1 and y0 < y1")


def _check_training(c: Checker, t: Any) -> None:
    p = "$.training"
    if not c.obj(t, p, (), tuple(BY_NAME)):
        return
    for key, value in t.items():
        if key in BY_NAME:
            c.setting(value, f"{p}.{key}", BY_NAME[key])


def _check_hopfield(c: Checker, h: Any) -> None:
    p = "$.hopfield"
    if h is None:
        return
    if not c.obj(h, p, ("shape",), ("rule", "patterns", "pattern_names", "state", "weights")):
        return
    c.array(h["shape"], f"{p}.shape",
            lambda v, q: c.number(v, q, low=1, high=limits.MAX_GRID_SIDE, integer=True), length=2)
    c.string(h.get("rule", "hebbian"), f"{p}.rule", names.HOPFIELD_RULES, "rule")
    bipolar = lambda v, q: (v in (-1, 1) and not isinstance(v, bool)) or c.fail(  # noqa: E731
        q, f"expected +1 or −1, found {v!r}")
    units = limits.MAX_GRID_SIDE ** 2
    c.array(h.get("patterns", []), f"{p}.patterns", lambda row, q: c.array(row, q, bipolar, max_len=units),
            max_len=limits.MAX_PATTERNS)
    c.array(h.get("pattern_names", []), f"{p}.pattern_names", c.string, max_len=limits.MAX_PATTERNS)
    c.array(h.get("state"), f"{p}.state", bipolar, nullable=True, max_len=units)
    c.matrix(h.get("weights"), f"{p}.weights", nullable=True, max_rows=units, max_columns=units)


def _build(d: dict) -> Document:
    neurons = {}
    for n in d["neurons"]:
        neurons[n["id"]] = Neuron(
            id=n["id"], role=n["role"], label=n.get("label", ""),
            position=tuple(float(v) for v in n.get("position", (0, 0))),
            activation=n.get("activation", "tanh"), bias=_float(n.get("bias")),
            has_bias=n.get("has_bias", True))
    connections = {w["id"]: Connection(w["id"], w["source"], w["target"], _float(w.get("weight")))
                   for w in d["connections"]}
    ds = d.get("dataset")
    dataset = None
    if ds is not None:
        inline = None
        if "inline" in ds:
            matrices = ("inputs", "targets", "test_inputs", "test_targets")
            inline = InlineData(**{k: dataform.matrix_from_json(v) if k in matrices else v
                                   for k, v in ds["inline"].items()})
        dataset = DatasetSpec(ds.get("name"), dict(ds.get("params", {})), ds.get("train_fraction"),
                              ds["seed"], inline, list(ds.get("features", [])),
                              dataform.scaling_from_json(ds.get("scaling")))
    training = TrainingSettings(**{k: BY_NAME[k].coerce(v) for k, v in d.get("training", {}).items()})
    h = d.get("hopfield")
    hopfield = None if h is None else HopfieldSettings(
        shape=tuple(h["shape"]), rule=h.get("rule", "hebbian"), patterns=h.get("patterns", []),
        pattern_names=h.get("pattern_names", []), state=h.get("state"), weights=h.get("weights"))
    return Document(d.get("title", "Untitled"), d.get("description", ""), d["mode"], neurons,
                    connections, dataset, training, hopfield)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def document_to_data(doc: Document) -> dict:
    ds = None
    if doc.dataset is not None:
        ds = {"seed": doc.dataset.seed}
        if doc.dataset.inline is not None:
            inline = doc.dataset.inline
            ds["inline"] = {f.name: dataform.matrix_to_json(getattr(inline, f.name))
                            if f.name in ("inputs", "targets", "test_inputs", "test_targets")
                            else getattr(inline, f.name) for f in fields(inline)
                            if getattr(inline, f.name) is not None}
        else:
            ds.update(name=doc.dataset.name, params=dict(doc.dataset.params),
                      train_fraction=doc.dataset.train_fraction)
        ds.update(dataform.preprocessing_to_json(doc.dataset))
    h = doc.hopfield
    return {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "title": doc.title,
        "description": doc.description, "mode": doc.mode,
        "neurons": [{"id": n.id, "role": n.role, "label": n.label, "position": list(n.position),
                     "activation": n.activation, "bias": n.bias, "has_bias": n.has_bias}
                    for n in doc.neurons.values()],
        "connections": [{"id": c.id, "source": c.source, "target": c.target, "weight": c.weight}
                        for c in doc.connections.values()],
        "dataset": ds,
        "training": asdict(doc.training),
        "hopfield": None if h is None else {**asdict(h), "shape": list(h.shape)},
    }


def dump_document(doc: Document) -> str:
    """JSON text; ValueError if a number is not finite (nothing is written then)."""
    try:
        return json.dumps(document_to_data(doc), indent=1, allow_nan=False, ensure_ascii=False) + "\n"
    except ValueError:
        raise FileFormatError(["cannot save: a weight, bias or setting is not a finite number"]) \
            from None


def save_document(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write atomically: a temp file in the same folder, fsync, then rename over the target."""
    text = dump_document(doc)  # fails before any file is touched
    write_text_atomic(path, text)
