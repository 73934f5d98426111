"""One home per fact: validation decides what fits a mode (the mode switch, the engine's guards
and the CLI say its words), roles come from the role registry, activations from the engine's,
and both writers share one atomic write."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.errors import EngineError
from engine.export import write_export
from engine.export_reader import read_export
from engine.perceptron import Perceptron
from playground import cli
from playground.document import edits
from playground.document.build import hopfield_memory
from playground.document.compile import compile_network
from playground.document.fileformat import dump_document, load_document, loads_document, save_document
from playground.document.layout import auto_layout
from playground.document.model import Connection, DatasetSpec, Document, HopfieldSettings, Neuron
from playground.document.roles import ROLES
from playground.document.validation import errors, validate


def net(mode: str, hidden: str | None = "tanh", out: str = "tanh") -> Document:
    """x1, x2 → h1 → o1 plus x1 → o1 (labels differ from ids: messages must use labels)."""
    doc = Document(title="t", mode=mode)
    neurons = [("x1", "input", "linear"), ("x2", "input", "linear"), ("o1", "output", out)]
    wires = [("x1", "o1")]
    if hidden is not None:
        neurons.append(("h1", "hidden", hidden))
        wires += [("x1", "h1"), ("x2", "h1"), ("h1", "o1")]
    for nid, role, act in neurons:
        doc.insert_neuron(Neuron(nid, role, label=f"{nid}-label", activation=act))
    for k, (s, t) in enumerate(wires):
        doc.insert_connection(Connection(f"c{k}", s, t))
    return doc


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mode_switch_validation_and_cli_say_the_same_words_for_a_perceptron(tmp_path, capsys) -> None:
    doc = net("mlp")
    switching = edits.mode_problems(doc, "perceptron")
    assert switching == [
        "perceptron mode allows no hidden neurons: h1-label",
        "perceptron outputs use the step or sign activation: o1-label",
    ]
    doc.mode = "perceptron"
    assert [p.message for p in errors(doc)] == switching  # the status bar's list
    assert edits.mode_problems(doc, "perceptron") == switching
    path = tmp_path / "p.json"
    save_document(doc, path)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 2 and out == "" and err.splitlines() == [f"nn-playground: {path}: {m}" for m in switching]


def test_the_engine_guard_says_the_validation_sentence() -> None:
    doc = net("perceptron", hidden=None)
    (problem,) = errors(doc)
    doc.mode = "mlp"  # compile without validation's perceptron rules, then ask the engine
    spec = compile_network(doc).spec
    with pytest.raises(EngineError) as err:
        Perceptron.from_spec(spec)
    assert str(err.value) == problem.message == "perceptron outputs use the step or sign activation: o1-label"


def test_an_mlp_with_a_threshold_unit_is_warned_and_the_conversion_fixes_it(tmp_path, capsys) -> None:
    doc = net("perceptron", hidden="sign", out="step")
    problems = edits.mode_problems(doc, "mlp")
    assert problems == ["step and sign have no gradient, so backpropagation cannot train: "
                        "h1-label, o1-label"]
    for cmd in edits.mode_conversion(doc, "mlp"):
        cmd.do(doc)
    assert (doc.neurons["h1"].activation, doc.neurons["o1"].activation) == ("tanh", "sigmoid")
    assert edits.mode_problems(doc, "mlp") == []
    doc = net("mlp", hidden="sign")
    (warning,) = validate(doc)
    assert warning.severity == "warning" and warning.message == problems[0].replace(", o1-label", "")
    path = tmp_path / "m.json"
    save_document(doc, path)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 0 and out == "ok\n" and err == f"nn-playground: warning: {path}: {warning.message}\n"


def test_a_softmax_hidden_unit_is_refused_with_the_engines_words() -> None:
    doc = net("mlp", hidden="softmax", out="sigmoid")
    (problem,) = errors(doc)
    assert problem.message == "softmax is only for output neurons: h1-label"
    assert edits.mode_problems(doc, "mlp") == []  # not a mode-fit problem: no mode allows it


def hopfield_doc(patterns: list[list[int]], names: list[str] | None = None) -> Document:
    return Document(title="m", mode="hopfield", dataset=None,
                    hopfield=HopfieldSettings(shape=(1, 3), patterns=patterns,
                                              pattern_names=names or []))


def test_a_wrong_length_hopfield_pattern_is_pattern_1_in_every_path(tmp_path, capsys) -> None:
    doc = hopfield_doc([[1, -1], [1, 1, -1]])
    expected = "pattern 1 has 2 values; the 1×3 grid needs 3"
    assert [p.message for p in errors(doc)] == [expected]
    with pytest.raises(EngineError) as err:
        hopfield_memory(doc)
    assert str(err.value) == expected
    path = tmp_path / "h.json"
    save_document(doc, path)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 2 and out == "" and err == f"nn-playground: {path}: {expected}\n"
    code, _, err_text = run_cli(capsys, "recall", str(path), "--pattern", "0")
    assert code == 2 and expected in err_text
    named = hopfield_doc([[1, -1, 1], [1, 1]], ["A"])  # unnamed ones still count from 1
    assert [p.message for p in errors(named)] == ["pattern 2 has 2 values; the 1×3 grid needs 3"]


def test_hopfield_memory_still_builds_from_valid_patterns() -> None:
    weights, patterns = hopfield_memory(hopfield_doc([[1, -1, 1], [-1, -1, 1]]))
    assert patterns.tolist() == [[1, -1, 1], [-1, -1, 1]]
    np.testing.assert_allclose(weights, weights.T)


def test_every_registered_activation_round_trips_through_the_file_format() -> None:
    doc = Document(title="all")
    doc.insert_neuron(Neuron("x1", "input", label="x1"))
    for k, name in enumerate(ACTIVATIONS):
        doc.insert_neuron(Neuron(f"o{k}", "output", label=f"o{k}", activation=name))
        doc.insert_connection(Connection(f"c{k}", "x1", f"o{k}"))
    again = loads_document(dump_document(doc))
    assert [n.activation for n in again.by_role("output")] == list(ACTIVATIONS)
    assert not errors(again)


@pytest.fixture
def gate_role(monkeypatch):
    """A made-up role registered for one test: a hidden-like unit with its own prefix."""
    role = ROLES["hidden"]._replace(name="gate", title="Gate", hint="a test role",
                                    id_prefix="g", default_activation="swish")
    monkeypatch.setitem(ROLES, "gate", role)
    return role


def test_a_registered_role_is_compiled_validated_and_laid_out_by_its_facts(gate_role) -> None:
    doc = net("mlp")
    doc.insert_neuron(Neuron("g1", "gate", label="g1", activation="swish"))
    doc.insert_connection(Connection("c9", "x2", "g1"))
    doc.insert_connection(Connection("c10", "g1", "o1"))
    compiled = compile_network(doc)
    spec = compiled.spec
    g = compiled.node_ids.index("g1")
    assert spec.nodes[g].kind == "unit" and spec.nodes[g].activation == "swish"
    assert compiled.node_ids[-1] == "o1"  # outputs last, whatever the registry holds
    assert edits.mode_problems(doc, "perceptron")[0] == \
        "perceptron mode allows no hidden neurons: h1-label, g1"
    assert auto_layout(doc)["g1"][0] == auto_layout(doc)["h1"][0]  # same depth, same column
    assert edits.wire_refusal(doc, "o1", "g1") == \
        "o1-label is an output neuron: it cannot feed another neuron"


def test_pasted_and_matching_neurons_take_the_registry_prefix_and_activation(gate_role) -> None:
    doc = net("perceptron")
    frag = {"format": edits.FRAGMENT_FORMAT, "neurons": [
        {"id": "q", "role": "gate", "label": "q", "position": [0, 0], "activation": "swish",
         "bias": None, "has_bias": True}], "connections": []}
    _, ids = edits.paste_command(doc, frag, (10.0, 10.0))
    assert ids == ["g1"]
    doc = net("perceptron", hidden=None)
    doc.dataset = DatasetSpec(name="gate-xor")
    doc.neurons.pop("o1")
    doc.connections.clear()
    doc.neurons.pop("x2")
    edits.matching_io_command(doc).do(doc)
    x2 = doc.neurons["x2"]
    (out,) = doc.by_role("output")
    assert (x2.activation, x2.has_bias) == ("linear", False)  # the input role's facts
    assert (out.id, out.activation, out.has_bias) == ("o1", "step", True)  # a perceptron output


def test_both_writers_leave_the_old_file_when_the_rename_fails(tmp_path, monkeypatch) -> None:
    import os

    project, export = tmp_path / "p.json", tmp_path / "w.json"
    doc = net("mlp")
    save_document(doc, project)
    data = {"format": "x", "mode": "mlp", "layers": []}
    write_export(data, export)
    before = project.read_bytes(), export.read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    doc.title = "changed"
    with pytest.raises(OSError):
        save_document(doc, project)
    with pytest.raises(EngineError, match="the disk is full"):
        write_export({**data, "mode": "changed"}, export)
    assert (project.read_bytes(), export.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json", "w.json"]  # no temp files
    monkeypatch.undo()
    write_export({**data, "mode": "changed"}, export)
    assert json.loads(export.read_text())["mode"] == "changed"
    assert load_document(project).title == "t"


def test_an_npz_export_goes_through_the_same_atomic_write(tmp_path) -> None:
    data = {"format": "nn-playground-weights", "version": 1, "mode": "hopfield", "shape": [1, 2],
            "weights": [[0.0, 1.0], [1.0, 0.0]], "thresholds": [0.0, 0.0], "patterns": [[1, -1]]}
    write_export(data, tmp_path / "m.npz")
    np.testing.assert_array_equal(read_export(tmp_path / "m.npz")["weights"], data["weights"])
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_width_mismatch_counts_data_inputs_and_outputs_by_role_facts(gate_role) -> None:
    doc = net("mlp")  # the default dataset is xor: 2 inputs, 1 output
    assert edits.width_mismatch(doc) is None
    doc.insert_neuron(Neuron("g1", "gate", label="g1"))  # a unit that is no output: not counted
    doc.insert_neuron(Neuron("b1", "bias", label="b1"))
    assert edits.width_mismatch(doc) is None
    doc.neurons.pop("x2")
    assert edits.width_mismatch(doc) == ("the dataset has 2 input(s) and 1 output(s); the network "
                                         "has 1 input and 1 output neurons")
