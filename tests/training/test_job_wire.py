"""The training job and the wire: what crosses into the training process and back, bit for bit."""

from __future__ import annotations

import builtins
import dataclasses
import gzip
import io
import os
import time

import numpy as np
import pytest

import engine.datasets.files as dataset_files
import playground.document.compile as compiler
from engine.spec import TrainedValues
from engine.trainer import RunResult, Snapshot, run
from playground.document import build, fileformat
from playground.document.examples import example_path
from playground.document.fileformat import load_document
from playground.training import worker
from playground.training.extras import PlotExtras, merge_extras
from playground.training.wire import encode_job, encode_snapshot, read_frame, read_job

FIELDS = [f.name for f in dataclasses.fields(PlotExtras)]


def job_of(example: str, epochs: int = 5, speed: float | None = None) -> build.TrainingJob:
    doc = load_document(example_path(example))
    doc.training = dataclasses.replace(doc.training, epochs=epochs)
    return build.training_job(doc, speed)


def snapshot(extras: PlotExtras | None) -> Snapshot:
    losses = np.array([0.5, 0.25, np.nextafter(0.25, 1.0)])
    return Snapshot(7, 5, losses, np.array([np.nan, 0.3, 0.2]), None, 12.5,
                    TrainedValues((0.1, -2.0, 1e-300), (None, 0.75, None)), extras, False, None, "")


def round_trip(snap: Snapshot) -> Snapshot:
    frame = read_frame(io.BytesIO(encode_snapshot(snap)))
    assert isinstance(frame, Snapshot)
    return frame


def full_extras() -> PlotExtras:
    """Every field set, with values a lossy encoding would change (subnormals, ints, shapes)."""
    rng = np.random.default_rng(3)
    values = {name: rng.standard_normal((k + 1, 3, 2)) * 10.0 ** rng.integers(-300, 300, (k + 1, 3, 2))
              for k, name in enumerate(FIELDS)}
    values["confusion"] = rng.integers(0, 50, (3, 3))
    return PlotExtras(**values)


def test_every_extras_field_round_trips_bit_exact() -> None:
    sent = full_extras()
    got = round_trip(snapshot(sent)).extras
    assert isinstance(got, PlotExtras)
    for name in FIELDS:
        a, b = getattr(sent, name), getattr(got, name)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name


@pytest.mark.parametrize("name", FIELDS)
def test_a_field_alone_arrives_alone(name: str) -> None:
    value = getattr(full_extras(), name)
    got = round_trip(snapshot(PlotExtras(**{name: value}))).extras
    np.testing.assert_array_equal(getattr(got, name), value)
    assert all(getattr(got, other) is None for other in FIELDS if other != name)


def test_a_snapshot_round_trips_with_no_extras_and_keeps_its_numbers() -> None:
    sent = snapshot(None)
    got = round_trip(sent)
    assert got.extras is None
    assert got.values == sent.values  # 1e-300 and the None biases included
    assert got.train_losses.tobytes() == sent.train_losses.tobytes()
    np.testing.assert_array_equal(got.test_losses, sent.test_losses)
    assert (got.epoch, got.first_epoch, got.epochs_per_second) == (7, 5, 12.5)


def test_merging_keeps_the_older_fields_the_newer_lacks() -> None:
    older, newer = PlotExtras(grid=np.zeros(1), neurons=np.ones(2)), PlotExtras(grid=np.full(1, 2.0))
    merged = merge_extras(older, newer)
    assert merged.grid is newer.grid and merged.neurons is older.neurons and merged.lines is None
    assert merge_extras(None, newer) is newer and merge_extras(older, None) is older


@pytest.mark.parametrize("example", ["iris", "xor", "perceptron-and", "line-fit"])
def test_a_job_round_trips_exactly(example: str) -> None:
    doc = load_document(example_path(example))
    if example == "xor":  # a job that starts from set values, not only from the seed
        next(iter(doc.connections.values())).weight = 0.1 + 0.2
    job = build.training_job(doc, speed=25.0)
    got = read_job(io.BytesIO(encode_job(job)))
    assert got.compiled == job.compiled and got.config == job.config
    assert (got.kind, got.speed) == (job.kind, job.speed)
    for f in dataclasses.fields(job.data):
        a, b = getattr(job.data, f.name), getattr(got.data, f.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), f.name
        else:
            assert a == b, f.name


def run_worker(stdin_bytes: bytes) -> list[Snapshot | RunResult]:
    """``worker.main`` in this process, its stdin a pipe kept open (closed stdin means stop)."""
    r, w = os.pipe()
    stdin = os.fdopen(r, "rb")  # closed below, after the worker's reader thread let go
    os.write(w, stdin_bytes)
    out = io.BytesIO()
    try:
        assert worker.main(stdin, out) == 0
    finally:
        os.close(w)
    time.sleep(0.05)  # the control thread sees the end of stdin and returns
    stdin.close()
    out.seek(0)
    frames = []
    while (frame := read_frame(out)) is not None:
        frames.append(frame)
    return frames


def test_the_worker_builds_the_run_from_the_job_without_reading_a_file(monkeypatch) -> None:
    job = job_of("iris", epochs=5)  # iris is read from a CSV file: the job carries its rows
    expected = build.build_run(job)
    run(expected.session, expected.options)
    frame = encode_job(job)

    def refuse(*args, **kwargs):
        raise AssertionError("the worker must build the run from the job alone")

    for module, name in ((compiler, "compile_network"), (build, "build_dataset"), (build, "training_job"),
                         (fileformat, "document_from_data"), (fileformat, "load_document"),
                         (dataset_files, "load_iris"), (gzip, "open"), (builtins, "open")):
        monkeypatch.setattr(module, name, refuse)
    frames = run_worker(frame)
    monkeypatch.undo()
    *snaps, result = frames
    assert isinstance(result, RunResult) and (result.epochs, result.reason) == (5, "epochs")
    assert snaps[-1].finished and snaps[-1].values == expected.session.values()
    assert snaps[-1].extras.confusion is not None  # the app's plot data, made in the worker


def test_the_worker_reports_a_job_the_engine_refuses() -> None:
    job = job_of("xor")
    bad = dataclasses.replace(job, kind="perceptron")  # xor has hidden neurons
    *snaps, result = run_worker(encode_job(bad))
    assert snaps == [] and result.epochs == 0
    assert result.message.startswith("cannot train: perceptron mode allows no hidden neurons")


def test_a_run_state_crosses_the_wire_both_ways_bit_exact() -> None:
    """The state a run stopped with goes back with its last snapshot and out with the next job."""
    doc = load_document(example_path("xor"))
    doc.training = dataclasses.replace(doc.training, optimizer="adam", learning_rate=0.05,
                                       batch_size=2, shuffle=True, epochs=7)
    job = build.training_job(doc)
    session = build.build_run(job).session
    run(session, build.build_run(job).options)
    state = session.run_state()
    back = round_trip(dataclasses.replace(snapshot(None), state=state)).state
    out = read_job(io.BytesIO(encode_job(dataclasses.replace(job, resume=state)))).resume
    for got in (back, out):
        assert (got.values, got.seed, got.optimizer, got.rng) == (state.values, state.seed,
                                                                  state.optimizer, state.rng)
        assert sorted(got.slots) == sorted(state.slots) == ["m.0", "t", "v.0"]
        for key, value in state.slots.items():
            assert got.slots[key].tobytes() == value.tobytes() and got.slots[key].dtype == value.dtype
    assert read_job(io.BytesIO(encode_job(job))).resume is None
def test_the_job_carries_its_preprocessing_to_the_training_process() -> None:
    """Features and a stored scaling survive the wire, so the process trains what the GUI checked."""
    from playground.document.model import Scaling

    doc = load_document(example_path("circle-features"))
    doc.dataset.scaling = Scaling("standardise", [0.0, 0.1, 8.0, 8.2], [3.0, 3.1, 7.5, 7.9])
    doc.training.epochs = 20
    job = build.training_job(doc)
    got = read_job(io.BytesIO(encode_job(job)))
    assert got.prep == job.prep and got.prep.features == ("x1_squared", "x2_squared")
    np.testing.assert_array_equal(got.network_data().X_train, job.network_data().X_train)
    a = run(build.build_run(job).session, build.build_run(job).options)
    b = run(build.build_run(got).session, build.build_run(got).options)
    assert a.metrics == b.metrics
