"""Jobs and snapshots as bytes between the app and the training process: length-prefixed ``.npz``.

numpy arrays travel as arrays and everything else in a JSON header, read back with
``allow_pickle=False`` — the same rule as the files: nothing on this path unpickles anything.
Records (the job's parts, the plot extras) are packed generically from their dataclass fields, so
a new field travels without a change here; only the record's own field names are ever looked up.
"""

from __future__ import annotations

import dataclasses
import io
import json
import struct
from collections.abc import Sequence
from typing import Any, BinaryIO, TypeVar

import numpy as np

from engine.datasets import Dataset
from engine.features import Preprocess
from engine.session import EpochMetrics, RunState
from engine.settings import TrainingSettings
from engine.spec import Edge, NetworkSpec, Node, TrainedValues
from engine.trainer import RunResult, Snapshot
from playground.document.build import TrainingJob
from playground.document.compile import CompiledNetwork
from playground.training.extras import PlotExtras

LENGTH = struct.Struct("<Q")
R = TypeVar("R")


# -- records ----------------------------------------------------------------------------------------
def pack(record: object, prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """A dataclass's plain fields as a JSON-able dict; its array fields go into ``arrays`` under
    ``prefix + name`` (None fields are left out of both)."""
    header: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, np.ndarray):
            arrays[prefix + f.name] = value
        elif value is not None:
            header[f.name] = value
    return header


def unpack(cls: type[R], header: dict[str, Any], npz: Any, prefix: str) -> R:
    """The record ``pack`` wrote: fields found neither in the header nor the arrays keep their
    defaults (JSON lists come back as tuples, as the records hold them)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if prefix + f.name in npz:
            values[f.name] = npz[prefix + f.name]
        elif f.name in header:
            values[f.name] = _tuples(header[f.name])
    return cls(**values)


def pack_rows(cls: type, records: Sequence[object]) -> dict[str, list[Any]]:
    """Records of one plain dataclass as one JSON list per field: thousands of wires pack in a
    few milliseconds, where a dict per record took tens."""
    return {f.name: [getattr(r, f.name) for r in records] for f in dataclasses.fields(cls)}


def unpack_rows(cls: type[R], columns: dict[str, list[Any]]) -> tuple[R, ...]:
    names = [f.name for f in dataclasses.fields(cls) if f.name in columns]
    return tuple(cls(**dict(zip(names, row, strict=True))) for row in zip(*(columns[n] for n in names),
                                                                       strict=True))


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


# -- a run's state (both ways: into the next run, back from the last snapshot) ----------------------
def pack_state(state: RunState | None, arrays: dict[str, np.ndarray]) -> dict[str, Any] | None:
    """The optimizer's arrays under ``state_…``; values, seed and the rng's state in the header."""
    if state is None:
        return None
    for key, value in state.slots.items():
        arrays["state_" + key] = value
    return {"weights": list(state.values.weights), "biases": list(state.values.biases),
            "seed": state.seed, "optimizer": state.optimizer, "rng": state.rng,
            "slots": list(state.slots)}


def unpack_state(header: dict[str, Any] | None, npz: Any) -> RunState | None:
    if header is None:
        return None
    values = TrainedValues(tuple(header["weights"]), tuple(header["biases"]))
    slots = {key: npz["state_" + key] for key in header["slots"]}
    return RunState(values, int(header["seed"]), str(header["optimizer"]), header["rng"], slots)


# -- the job (app → process) ------------------------------------------------------------------------
def encode_job(job: TrainingJob) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    spec = job.compiled.spec
    header = {
        "kind": "job",
        "job": {"kind": job.kind, "speed": job.speed},
        "config": pack(job.config, "config_", arrays),
        "data": pack(job.data, "data_", arrays),
        "prep": pack(job.prep, "prep_", arrays),
        "nodes": pack_rows(Node, spec.nodes),
        "edges": pack_rows(Edge, spec.edges),
        "node_ids": job.compiled.node_ids,
        "edge_ids": job.compiled.edge_ids,
        "resume": pack_state(job.resume, arrays),
    }
    return _frame(header, arrays)


def _decode_job(header: dict[str, Any], npz: Any) -> TrainingJob:
    spec = NetworkSpec(unpack_rows(Node, header["nodes"]), unpack_rows(Edge, header["edges"]))
    compiled = CompiledNetwork(spec, tuple(header["node_ids"]), tuple(header["edge_ids"]))
    j = header["job"]
    return TrainingJob(str(j["kind"]), compiled, unpack(Dataset, header["data"], npz, "data_"),
                       unpack(TrainingSettings, header["config"], npz, "config_"), j["speed"],
                       resume=unpack_state(header.get("resume"), npz),
                       prep=unpack(Preprocess, header.get("prep", {}), npz, "prep_"))


# -- data drawn during a run (app → process, one JSON control line) --------------------------------
def data_message(data: Dataset) -> dict[str, Any]:
    """A ``data`` control line: the dataset's fields, arrays as lists of rows (JSON keeps every
    float exactly)."""
    arrays: dict[str, np.ndarray] = {}
    header = pack(data, "", arrays)
    return {"cmd": "data", "fields": header, "arrays": {k: v.tolist() for k, v in arrays.items()},
            "widths": {k: v.shape[1] for k, v in arrays.items()}}


def data_from_message(msg: dict[str, Any]) -> Dataset:
    """The dataset a ``data`` line carries (empty test sets keep their width)."""
    arrays = {k: np.asarray(v, dtype=np.float64).reshape(-1, msg["widths"][k])
              for k, v in msg["arrays"].items()}
    return unpack(Dataset, msg["fields"], arrays, "")


# -- snapshots and the result (process → app) -------------------------------------------------------
def _nan_none(values: tuple[float | None, ...]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def encode_snapshot(snap: Snapshot) -> bytes:
    m = snap.metrics
    arrays = {
        "train_losses": snap.train_losses,
        "test_losses": snap.test_losses,
        "weights": np.asarray(snap.values.weights, dtype=np.float64),
        "biases": _nan_none(snap.values.biases),
    }
    extras = snap.extras
    if extras is not None and not isinstance(extras, PlotExtras):
        raise TypeError(f"snapshot extras must be PlotExtras, not {type(extras).__name__}")
    header = {
        "kind": "snapshot",
        "epoch": snap.epoch,
        "first_epoch": snap.first_epoch,
        "epochs_per_second": snap.epochs_per_second,
        "finished": snap.finished,
        "reason": snap.reason,
        "message": snap.message,
        "metrics": None if m is None else [m.train_loss, m.test_loss, m.train_score, m.test_score],
        "bias_is_none": [b is None for b in snap.values.biases],
        "extras": None if extras is None else pack(extras, "extra_", arrays),
        "state": pack_state(snap.state, arrays),
    }
    return _frame(header, arrays)


def encode_result(result: RunResult) -> bytes:
    return _frame(
        {"kind": "result", "epochs": result.epochs, "reason": result.reason, "message": result.message}, {}
    )


def _decode_snapshot(header: dict[str, Any], npz: Any) -> Snapshot:
    m = header["metrics"]
    metrics = None if m is None else EpochMetrics(*m)
    biases = tuple(
        None if none else float(b) for b, none in zip(npz["biases"], header["bias_is_none"], strict=True)
    )
    extras = None if header["extras"] is None else unpack(PlotExtras, header["extras"], npz, "extra_")
    return Snapshot(
        header["epoch"],
        header["first_epoch"],
        npz["train_losses"],
        npz["test_losses"],
        metrics,
        header["epochs_per_second"],
        TrainedValues(tuple(npz["weights"].tolist()), biases),
        extras,
        header["finished"],
        header["reason"],
        header["message"],
        unpack_state(header.get("state"), npz),
    )


# -- frames -----------------------------------------------------------------------------------------
def _frame(header: dict, arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    text = json.dumps(header, allow_nan=True, separators=(",", ":")).encode("utf-8")
    np.savez(buffer, header=np.frombuffer(text, dtype=np.uint8), **arrays)  # UTF-8: a quarter of str's
    body = buffer.getvalue()
    return LENGTH.pack(len(body)) + body


def _read(stream: BinaryIO) -> TrainingJob | Snapshot | RunResult | None:
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    with np.load(io.BytesIO(body), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
    if header["kind"] == "result":
        return RunResult(header["epochs"], header["reason"], None, header["message"])
    if header["kind"] == "job":
        return _decode_job(header, arrays)
    return _decode_snapshot(header, arrays)


def read_frame(stream: BinaryIO) -> Snapshot | RunResult | None:
    """The next snapshot or result from the stream; None at its end."""
    frame = _read(stream)
    if isinstance(frame, TrainingJob):
        raise ValueError("expected a snapshot or a result, found a job")
    return frame


def read_job(stream: BinaryIO) -> TrainingJob:
    """The job a training process was started with (the first frame on its stdin)."""
    frame = _read(stream)
    if not isinstance(frame, TrainingJob):
        raise ValueError("the training process expects a job as its first frame")
    return frame
