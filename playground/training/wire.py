"""Snapshots as bytes between the training process and the app: length-prefixed ``.npz`` frames.

numpy arrays travel as arrays and everything else in a JSON header, read back with
``allow_pickle=False`` — the same rule as the files: nothing on this path unpickles anything.
"""

from __future__ import annotations

import io
import json
import struct
from typing import BinaryIO

import numpy as np

from engine.session import EpochMetrics
from engine.spec import TrainedValues
from engine.trainer import RunResult, Snapshot

LENGTH = struct.Struct("<Q")


def _nan_none(values: tuple[float | None, ...]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def encode_snapshot(snap: Snapshot) -> bytes:
    m = snap.metrics
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
        "extras": sorted(k for k, v in snap.extras.items() if not isinstance(v, tuple)),
        "pairs": sorted(k for k, v in snap.extras.items() if isinstance(v, tuple)),
    }
    arrays = {
        "train_losses": snap.train_losses,
        "test_losses": snap.test_losses,
        "weights": np.asarray(snap.values.weights, dtype=np.float64),
        "biases": _nan_none(snap.values.biases),
    }
    for key, value in snap.extras.items():
        if isinstance(value, tuple):
            arrays[f"pair0_{key}"], arrays[f"pair1_{key}"] = value
        else:
            arrays[f"extra_{key}"] = value
    return _frame(header, arrays)


def encode_result(result: RunResult) -> bytes:
    return _frame(
        {"kind": "result", "epochs": result.epochs, "reason": result.reason, "message": result.message}, {}
    )


def _frame(header: dict, arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, header=np.array(json.dumps(header, allow_nan=True)), **arrays)
    body = buffer.getvalue()
    return LENGTH.pack(len(body)) + body


def read_frame(stream: BinaryIO) -> Snapshot | RunResult | None:
    """The next snapshot or result from the stream; None at its end."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    with np.load(io.BytesIO(body), allow_pickle=False) as npz:
        header = json.loads(str(npz["header"]))
        if header["kind"] == "result":
            return RunResult(header["epochs"], header["reason"], None, header["message"])
        m = header["metrics"]
        metrics = None if m is None else EpochMetrics(*m)
        biases = tuple(
            None if none else float(b) for b, none in zip(npz["biases"], header["bias_is_none"], strict=True)
        )
        extras = {key: npz[f"extra_{key}"] for key in header["extras"]}
        extras.update({key: (npz[f"pair0_{key}"], npz[f"pair1_{key}"]) for key in header["pairs"]})
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
        )
