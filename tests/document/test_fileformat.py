"""The project file: exact round trips, complete validation with JSON paths, atomic saves."""

from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.document.errors import FileFormatError
from playground.document.examples import example_path, list_examples
from playground.document.fileformat import (
    document_to_data,
    dump_document,
    load_document,
    loads_document,
    save_document,
)
from playground.document.model import Connection, Neuron
from playground.document.validation import errors


@pytest.mark.parametrize("name", [e.name for e in list_examples()])
def test_every_example_loads_validates_and_round_trips_byte_for_byte(name: str, tmp_path) -> None:
    doc = load_document(example_path(name))
    assert not errors(doc), [p.message for p in errors(doc)]
    assert doc.title and doc.description.count(".") >= 2  # a title and two sentences
    path = tmp_path / "copy.json"
    save_document(doc, path)
    again = load_document(path)
    assert document_to_data(again) == document_to_data(doc)
    assert dump_document(again) == path.read_text(encoding="utf-8")


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(weights=st.lists(finite, min_size=6, max_size=6), bias=finite, lr=st.floats(1e-9, 10.0))
def test_floats_round_trip_exactly(weights: list[float], bias: float, lr: float) -> None:
    doc = load_document(example_path("xor"))
    for conn, w in zip(doc.connections.values(), weights, strict=False):
        conn.weight = w
    next(iter(doc.by_role("output"))).bias = bias
    doc.training.learning_rate = lr
    back = loads_document(dump_document(doc))
    assert [c.weight for c in back.connections.values()] == [c.weight for c in doc.connections.values()]
    assert next(iter(back.by_role("output"))).bias == bias
    assert back.training.learning_rate == lr


def xor_data() -> dict:
    return json.loads(example_path("xor").read_text(encoding="utf-8"))


def problems(data: dict | str) -> list[str]:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(FileFormatError) as info:
        loads_document(text)
    return info.value.errors


def test_broken_json_is_reported_with_line_and_column() -> None:
    (msg,) = problems('{"format": "nn-playground",\n "schema_version": 1,,}')
    assert "not valid JSON" in msg and "line 2" in msg


def test_nan_and_infinity_are_refused() -> None:
    text = json.dumps(xor_data()).replace('"learning_rate": ', '"learning_rate": NaN, "x": ', 1)
    assert "finite" in problems(text)[0]


def test_unknown_names_wrong_types_and_keys_are_all_reported_with_json_paths() -> None:
    data = xor_data()
    data["neurons"][2]["activation"] = "mish"  # not in the registry
    data["neurons"][3]["position"] = "here"
    data["training"]["optimizer"] = "lbfgs"
    data["training"]["colour"] = "red"
    found = problems(data)
    assert len(found) == 4
    joined = "\n".join(found)
    assert "$.neurons[2].activation" in joined and "mish" in joined
    assert "$.neurons[3].position" in joined
    assert "$.training.optimizer" in joined and "lbfgs" in joined
    assert "$.training" in joined and "colour" in joined


def test_dangling_ids_and_duplicates_are_refused() -> None:
    data = xor_data()
    data["connections"][0]["target"] = "nobody"
    data["neurons"].append(copy.deepcopy(data["neurons"][0]))
    joined = "\n".join(problems(data))
    assert "$.connections[0].target" in joined and "nobody" in joined
    assert "duplicate" in joined


def test_a_newer_schema_and_a_foreign_file_are_refused_clearly() -> None:
    data = xor_data()
    data["schema_version"] = 99
    assert "newer version" in problems(data)[0]
    assert "not an nn-playground project" in problems({"format": "other"})[0]
    assert "expected an object" in problems("[1, 2]")[0]


def test_cycles_load_but_fail_validation_by_name(tmp_path) -> None:
    doc = load_document(example_path("xor"))
    out = doc.by_role("output")[0]
    hidden = doc.by_role("hidden")[0]
    doc.insert_connection(Connection("loop", out.id, hidden.id))
    path = tmp_path / "cycle.json"
    save_document(doc, path)
    text = "\n".join(p.message for p in errors(load_document(path)))
    assert "cycle" in text and out.label in text


def test_save_is_atomic_and_an_unsaveable_document_leaves_the_old_file(tmp_path) -> None:
    path = tmp_path / "p.json"
    doc = load_document(example_path("xor"))
    save_document(doc, path)
    before = path.read_bytes()
    doc.insert_neuron(Neuron("bad", "hidden", bias=math.inf))
    with pytest.raises(FileFormatError, match="finite"):
        save_document(doc, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temp file left behind


def test_missing_and_binary_files_give_one_clear_problem(tmp_path) -> None:
    with pytest.raises(FileFormatError, match="no such file"):
        load_document(tmp_path / "absent.json")
    blob = tmp_path / "blob.json"
    blob.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FileFormatError, match="UTF-8"):
        load_document(blob)


def test_the_documented_example_file_is_valid() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "file-format.md").read_text(encoding="utf-8")
    doc = loads_document(text.split("```json\n", 1)[1].split("```", 1)[0])
    assert not errors(doc) and len(doc.connections) == 6
