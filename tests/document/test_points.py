"""Inline data edited by row (drawn points, table cells), its plane, its file form, and the data
a running job is given when points are drawn during training."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from engine.datasets import dataset_from_arrays, plane_of
from engine.errors import EngineError
from engine.trainer import Control, RunOptions, run
from playground.document import build, points
from playground.document.commands import EditData, UndoStack
from playground.document.fileformat import document_to_data, load_document, save_document
from playground.document.model import DatasetSpec, Document, InlineData
from playground.training import worker
from playground.training.wire import data_from_message, data_message


def two_classes() -> InlineData:
    return InlineData([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], [[0.0], [1.0], [1.0]], "binary",
                      [[5.0, 5.0]], [[0.0]], ["a", "b"], ["y"], plane=[-6.0, 6.0, -6.0, 6.0])


def test_rows_are_numbered_train_first_then_test() -> None:
    d = two_classes()
    moved = points.set_rows(d, inputs={3: [4.0, 4.0], 0: [0.5, 0.5]}, labels={1: 0})
    assert moved.inputs == [[0.5, 0.5], [1.0, 1.0], [2.0, 0.0]] and moved.test_inputs == [[4.0, 4.0]]
    assert moved.targets[1] == [0.0]
    assert d.inputs[0] == [0.0, 0.0] and d.test_inputs == [[5.0, 5.0]]  # the old rows untouched
    assert moved.inputs[1] is d.inputs[1]  # unchanged rows are shared, not copied
    gone = points.remove_rows(d, [1, 3])
    assert gone.inputs == [[0.0, 0.0], [2.0, 0.0]] and gone.test_inputs is None
    with pytest.raises(EngineError, match="no row 5"):
        points.set_rows(d, inputs={4: [0.0, 0.0]})


def test_split_moves_rows_between_train_and_test() -> None:
    d = points.set_split(two_classes(), [0, 2], test=True)
    assert d.inputs == [[1.0, 1.0]] and d.test_inputs == [[5.0, 5.0], [0.0, 0.0], [2.0, 0.0]]
    assert d.test_targets == [[0.0], [0.0], [1.0]]
    back = points.set_split(d, [1], test=False)  # row 1 is the first test row now
    assert back.inputs == [[1.0, 1.0], [5.0, 5.0]]


def test_targets_for_each_task() -> None:
    three = points.empty_plane("multiclass", 3)
    assert points.add_rows(three, [[1, 2]], 2).targets == [[0.0, 0.0, 1.0]]
    assert points.label_of("multiclass", [0.0, 0.0, 1.0]) == 2.0
    value = points.empty_plane("regression")
    assert points.add_rows(value, [[1, 2]], -0.25).targets == [[-0.25]]
    with pytest.raises(EngineError, match="class 2 does not exist"):
        points.add_rows(points.empty_plane("binary"), [[0, 0]], 2)
    two_values = InlineData([[0.0, 0.0]], [[1.0, 2.0]], "regression")
    with pytest.raises(EngineError, match="one target value; this data has 2"):
        points.add_rows(two_values, [[1, 1]], 0.5)
    assert points.widths(three) == (2, 3) and points.widths(points.clear(two_classes())) == (2, 1)


def test_the_brush_cloud_is_seeded_and_stays_within_its_radius() -> None:
    a = points.brush_cloud([1.0, 2.0], 0.5, 200, np.random.default_rng(3))
    b = points.brush_cloud([1.0, 2.0], 0.5, 200, np.random.default_rng(3))
    assert a == b
    offsets = np.array(a) - [1.0, 2.0]
    assert np.linalg.norm(offsets, axis=1).max() <= 0.5 + 1e-12
    assert 0.1 < np.linalg.norm(offsets, axis=1).mean() < 0.45


def test_inline_two_input_data_gets_a_plane_that_holds_every_point() -> None:
    X = np.array([[0.0, 0.0], [10.0, 2.0]])
    assert plane_of(X) == ((-1.0, 11.0), (-1.0, 11.0))  # a square around the values, padded
    assert plane_of(X, [-6, 6, -6, 6]) == ((-6.0, 10.0), (-6.0, 6.0))  # the stored plane, grown only
    data = dataset_from_arrays(X, [[0], [1]], "binary", plane=[-6, 6, -6, 6])
    assert data.x_range == (-6.0, 10.0) and data.y_range == (-6.0, 6.0)
    assert dataset_from_arrays([[1.0]], [[1.0]], "regression").x_range is None
    with pytest.raises(EngineError, match="no training points yet"):
        dataset_from_arrays([], [], "binary")


def test_an_empty_plane_previews_but_does_not_train() -> None:
    plane = points.empty_plane("binary")
    shown = points.preview(plane)
    assert shown.X_train.shape == (0, 2) and shown.x_range == (-6.0, 6.0)
    doc = Document(dataset=DatasetSpec(name=None, inline=plane))
    with pytest.raises(EngineError, match="draw some"):
        build.build_dataset(doc)


def test_converted_points_are_the_generated_dataset() -> None:
    doc = Document()  # xor, generated
    data = build.build_dataset(doc)
    inline = points.from_dataset(data)
    again = points.rows_dataset(inline)
    for name in ("X_train", "Y_train", "X_test", "Y_test"):
        np.testing.assert_array_equal(getattr(again, name), getattr(data, name))
    assert (again.x_range, again.y_range) == (data.x_range, data.y_range)


def test_drawn_data_and_an_empty_plane_round_trip_through_the_file(tmp_path) -> None:
    for inline in (two_classes(), points.empty_plane("multiclass", 4)):
        doc = Document(dataset=DatasetSpec(name=None, inline=inline))
        save_document(doc, tmp_path / "drawn.json")
        back = load_document(tmp_path / "drawn.json")
        assert back.dataset.inline == inline


@pytest.mark.parametrize("plane, message", [
    ([1, 2, 3], "expected 4 items, found 3"),
    ([0, -1, 0, 1], "x0 < x1 and y0 < y1"),
    ([0, 1, 0, "a"], "expected a number"),
])
def test_a_bad_plane_is_refused_with_its_path(tmp_path, plane, message) -> None:
    data = document_to_data(Document(dataset=DatasetSpec(name=None, inline=two_classes())))
    data["dataset"]["inline"]["plane"] = plane
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(Exception) as info:
        load_document(path)
    assert "$.dataset.inline.plane" in str(info.value) and message in str(info.value)


def test_edit_data_is_one_undo_step_per_stroke() -> None:
    doc = Document(dataset=DatasetSpec(name=None, inline=two_classes()))
    stack = UndoStack(doc)
    spec = lambda inline: DatasetSpec(name=None, inline=inline)  # noqa: E731
    for x in (1.0, 2.0, 3.0):  # one drag: three moves
        stack.push(EditData(doc, spec(points.set_rows(doc.dataset.inline, {0: [x, x]})),
                            "Move point", 7), merge=True)
    stack.push(EditData(doc, spec(points.remove_rows(doc.dataset.inline, [1])), "Delete 1 row", 8),
               merge=True)
    assert stack.entries == ["Move point", "Delete 1 row"]
    stack.undo()
    assert doc.dataset.inline.inputs[0] == [3.0, 3.0]
    stack.undo()
    assert doc.dataset.inline == two_classes()


def _session(inline: InlineData):
    doc = Document(dataset=DatasetSpec(name=None, inline=inline))
    from playground.document.layout import plan_layers

    plan = plan_layers(doc, [2, 4, 1], "tanh", "sigmoid", (0.0, 0.0))
    doc.neurons = {n.id: n for n in plan.neurons}
    doc.connections = {c.id: c for c in plan.connections}
    return build.prepare_training(doc)


def test_data_set_on_the_control_is_trained_on_from_the_next_epoch() -> None:
    prepared = _session(two_classes())
    new = points.rows_dataset(points.add_rows(two_classes(), [[3.0, 3.0]], 1))
    control = Control()
    control.set_data(points.rows_dataset(two_classes()))
    control.set_data(new)  # only the newest counts
    run(prepared.session, RunOptions(epochs=2), control)
    assert prepared.session.data is new
    assert control.take_data() is None


def test_a_session_refuses_data_of_other_columns() -> None:
    prepared = _session(two_classes())
    three = points.rows_dataset(points.add_rows(points.empty_plane("multiclass", 3), [[0, 0]], 1))
    with pytest.raises(EngineError, match="same inputs, outputs and task"):
        prepared.session.set_data(three)


def test_the_data_line_carries_a_dataset_exactly_to_the_training_process() -> None:
    data = points.rows_dataset(points.add_rows(two_classes(), [[0.1, 1 / 3]], 1))
    line = json.dumps(data_message(data))
    back = data_from_message(json.loads(line))
    for name in ("X_train", "Y_train", "X_test", "Y_test"):
        np.testing.assert_array_equal(getattr(back, name), getattr(data, name))
    assert (back.task, back.x_range, back.input_names) == (data.task, data.x_range, data.input_names)
    no_test = points.rows_dataset(InlineData([[0.0, 1.0]], [[1.0]], "binary"))
    assert data_from_message(json.loads(json.dumps(data_message(no_test)))).X_test.shape == (0, 2)
    control = Control()
    worker.follow_commands(io.StringIO(line + "\n"), control)
    np.testing.assert_array_equal(control.take_data().X_train, data.X_train)
