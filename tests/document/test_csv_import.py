"""Imported data in a project: split, scaling stored and reused, the file form, one undo step."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.csvdata import read_table
from engine.datasets.base import split
from playground.document import build, limits
from playground.document.commands import UndoStack
from playground.document.csv_import import (
    ImportChoice,
    csv_project,
    dataset_from_table,
    export_csv,
    import_command,
    read_csv_file,
)
from playground.document.errors import FileFormatError
from playground.document.examples import example_path
from playground.document.fileformat import document_to_data, dump_document, load_document, loads_document


def table(n: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = ["height,weight,name,kind"] + [
        f"{rng.normal(170, 10):.3f},{rng.normal(70, 8):.3f},p{k},{'ab'[k % 2]}" for k in range(n)]
    return read_table(("\n".join(rows) + "\n").encode())


def test_split_and_scaling_are_fitted_on_the_training_rows_only() -> None:
    t = table()
    choice = ImportChoice(["input", "input", "ignore", "target"], train_fraction=0.75, seed=3,
                          scaling="standardise")
    spec, arrays = dataset_from_table(t, choice)
    X, _, Xt, _ = split(arrays.X, arrays.Y, 0.75, np.random.default_rng(3))
    np.testing.assert_array_equal(spec.inline.inputs, X)  # the seed's split, as for generated data
    np.testing.assert_array_equal(spec.inline.test_inputs, Xt)
    np.testing.assert_allclose(spec.scaling.offset, X.mean(axis=0))  # training rows, not all rows
    np.testing.assert_allclose(spec.scaling.scale, X.std(axis=0))
    assert not np.allclose(spec.scaling.offset, arrays.X.mean(axis=0))
    assert spec.inline.class_names == ["a", "b"] and spec.inline.task == "binary"
    again, _ = dataset_from_table(t, choice)
    assert again == spec


def test_scaling_is_stored_in_the_file_and_predict_reads_raw_values(tmp_path) -> None:
    spec, _ = dataset_from_table(table(), ImportChoice(["input", "input", "ignore", "target"],
                                                       scaling="minmax"))
    doc = csv_project(spec, [3], "tanh", "people")
    for k, c in enumerate(doc.connections.values()):
        c.weight = 0.1 * (k + 1)
    for n in doc.neurons.values():
        if n.role != "input":
            n.bias = 0.05
    path = tmp_path / "p.json"
    path.write_text(dump_document(doc))
    back = load_document(path)
    assert back.dataset.scaling == spec.scaling
    raw = np.array([[180.0, 65.0], [150.0, 90.0]])
    got = build.predict(back, raw.tolist())
    lo, span = np.array(spec.scaling.offset), np.array(spec.scaling.scale)
    learner = build.build_learner(back)
    np.testing.assert_allclose(got, learner.forward((raw - lo) / span))
    job = build.training_job(back)
    np.testing.assert_allclose(job.network_data().X_train, (np.array(spec.inline.inputs) - lo) / span)
    np.testing.assert_array_equal(job.data.X_train, spec.inline.inputs)  # the plots stay raw


def test_labels_come_from_the_columns_and_the_import_is_one_undo_step() -> None:
    doc = loads_document(example_path("xor").read_text())
    before = document_to_data(doc)
    spec, _ = dataset_from_table(read_table(b"a,b,c,kind\n1,2,3,x\n4,5,6,y\n7,8,9,z\n3,3,3,x\n"),
                                 ImportChoice(["input", "input", "input", "target"], train_fraction=1.0))
    stack = UndoStack(doc)
    stack.push(import_command(doc, spec, "t.csv", match_io=True))
    inputs = [n.label for n in doc.by_role("input")]
    outputs = [n.label for n in doc.by_role("output")]
    assert inputs == ["a", "b", "c"] and outputs == ["x", "y", "z"]
    assert build.build_dataset(doc).class_names == ("x", "y", "z")
    assert len(stack.commands) == 1 and stack.commands[0].text == "Import data from t.csv"
    stack.undo()
    assert document_to_data(doc) == before


def test_big_data_is_saved_compactly_and_reads_back_exactly(tmp_path) -> None:
    rng = np.random.default_rng(1)
    rows = ["x1,x2,y"] + [",".join(repr(float(v)) for v in row) for row in rng.normal(size=(2_000, 3))]
    csv = tmp_path / "big.csv"
    csv.write_text("\n".join(rows))
    spec, arrays = dataset_from_table(read_csv_file(csv), ImportChoice(["input", "input", "target"]))
    assert arrays.task == "regression"
    doc = csv_project(spec, [], "tanh", "big")
    text = dump_document(doc)
    inline = json.loads(text)["dataset"]["inline"]
    assert set(inline["inputs"]) == {"dtype", "shape", "base64"} and inline["inputs"]["shape"] == [1600, 2]
    assert isinstance(inline["targets"], dict) and isinstance(inline["test_targets"], list)
    back = loads_document(text)
    assert back.dataset.inline == doc.dataset.inline
    small, _ = dataset_from_table(read_table(b"a,y\n1,2\n3,4\n5,6\n"), ImportChoice(["input", "target"]))
    assert json.loads(dump_document(csv_project(small, [], "tanh", "s")))["dataset"]["inline"]["inputs"] \
        == small.inline.inputs  # small data stays readable rows


def refusals(mutate) -> list[str]:
    spec, _ = dataset_from_table(table(), ImportChoice(["input", "input", "ignore", "target"],
                                                       scaling="standardise"))
    data = document_to_data(csv_project(spec, [], "tanh", "t"))
    data["dataset"]["inline"]["inputs"] = {"dtype": "float64", "shape": [32, 2],
                                           "base64": __import__("base64").b64encode(
                                               np.ones((32, 2)).tobytes()).decode()}
    mutate(data["dataset"])
    with pytest.raises(FileFormatError) as info:
        loads_document(json.dumps(data))
    return info.value.errors


def test_the_file_checks_features_scaling_and_compact_matrices_by_path() -> None:
    assert refusals(lambda d: d.update(features=["x3"])) == [
        "$.dataset.features[0]: unknown feature 'x3' (known: x1_squared, x2_squared, x1_x2, sin_x1, sin_x2)"]
    assert refusals(lambda d: d["scaling"].update(scale=[1.0, 0.0])) == [
        "$.dataset.scaling.scale: every scale must be greater than 0"]
    assert refusals(lambda d: d["scaling"].update(offset=[1.0])) == [
        "$.dataset.scaling: offset and scale must have one value per network input each"]
    assert refusals(lambda d: d["inline"]["inputs"].update(shape=[31, 2]))[0].startswith(
        "$.dataset.inline.inputs.base64: expected the base64 text of 31×2 float64 values")
    nan = __import__("base64").b64encode(np.full((32, 2), np.nan).tobytes()).decode()
    assert refusals(lambda d: d["inline"]["inputs"].update(base64=nan)) == [
        "$.dataset.inline.inputs: row 0 holds a value that is not a finite number"]
    assert refusals(lambda d: d["inline"]["inputs"].update(shape=[100_001, 2]))[0] == \
        "$.dataset.inline.inputs.shape[0]: must be at most 100000, not 100001"
    big = limits.MAX_CELLS // 100 + 1
    assert refusals(lambda d: d["inline"]["inputs"].update(shape=[big, 100])) == [
        f"$.dataset.inline.inputs: holds {big * 100:,} values; the limit is {limits.MAX_CELLS:,}"]


def test_100000_rows_by_50_columns_fit_in_a_project() -> None:
    assert limits.MAX_ROWS >= 100_000 and limits.MAX_CELLS >= 100_000 * 50


def test_export_data_writes_the_split_and_imports_back(tmp_path) -> None:
    doc = loads_document(example_path("circle").read_text())
    out = tmp_path / "circle.csv"
    assert export_csv(doc, out) == 500
    t = read_csv_file(out)
    assert t.header == ("x1", "x2", "y", "split")
    assert sum(r[3] == "test" for r in t.rows) == len(build.build_dataset(doc).X_test)
    _, arrays = dataset_from_table(t, ImportChoice(["input", "input", "target", "ignore"], "classes"))
    data = build.build_dataset(doc)
    np.testing.assert_array_equal(arrays.X, np.vstack([data.X_train, data.X_test]))
    assert arrays.task == "binary" and arrays.class_names == ("0", "1")
