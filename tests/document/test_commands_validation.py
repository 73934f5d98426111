"""Undoable commands, events, validation messages and compile/write-back, all without Qt."""

from __future__ import annotations

import numpy as np

from playground.document.commands import (
    AddNeuron,
    ApplyTrainedValues,
    Connect,
    MoveNeurons,
    RemoveItems,
    SetConnectionWeight,
    SetMode,
    SetNeuronProperties,
    UndoStack,
)
from playground.document.compile import compile_network
from playground.document.fileformat import document_to_data
from playground.document.model import Connection, Document, HopfieldSettings, Neuron
from playground.document.validation import errors, validate


def xor_net() -> Document:
    doc = Document(title="t")
    for nid, role, act in [("x1", "input", "linear"), ("x2", "input", "linear"), ("h1", "hidden", "tanh"),
                           ("h2", "hidden", "tanh"), ("o1", "output", "sigmoid")]:
        doc.insert_neuron(Neuron(nid, role, label=nid, activation=act))
    for k, (s, t) in enumerate([("x1", "h1"), ("x2", "h1"), ("x1", "h2"), ("x2", "h2"), ("h1", "o1"),
                                ("h2", "o1")]):
        doc.insert_connection(Connection(f"c{k}", s, t))
    return doc


def test_every_command_undoes_to_the_exact_previous_document() -> None:
    doc = xor_net()
    stack = UndoStack(doc)
    states = [document_to_data(doc)]
    steps = [  # built one at a time: a command records the state it changes when it is made
        lambda: AddNeuron(Neuron("h3", "hidden", label="h3", position=(10, 20))),
        lambda: Connect(Connection("c9", "x1", "h3"), doc),
        lambda: MoveNeurons({"h1": ((0, 0), (5, 6)), "h2": ((0, 0), (7, 8))}),
        lambda: SetNeuronProperties(doc, "h1", activation="relu", bias=0.25),
        lambda: SetConnectionWeight(doc, "c0", -1.5),
        lambda: RemoveItems(["h2"], ["c4"]),
        lambda: SetMode(doc, "perceptron"),
        lambda: ApplyTrainedValues(doc, {"c0": 2.0, "c9": 3.0}, {"o1": 0.5}, 1240),
    ]
    for make in steps:
        stack.push(make())
        states.append(document_to_data(doc))
    assert "h2" not in doc.neurons and not doc.wires_of(["h2"])  # wires went with the neuron
    assert stack.entries[1] == "Connect x1 → h3"
    assert stack.entries[-1] == "Train 1,240 epochs"
    for expected in reversed(states[:-1]):
        stack.undo()
        assert document_to_data(doc) == expected
    assert list(doc.connections) == ["c0", "c1", "c2", "c3", "c4", "c5"]  # order restored too
    for expected in states[1:]:
        stack.redo()
        assert document_to_data(doc) == expected


def test_typing_a_weight_merges_into_one_undo_step_and_clean_state_tracks_saves() -> None:
    doc = xor_net()
    stack = UndoStack(doc)
    stack.set_clean()
    for value in (1.0, 1.5, 1.25):
        stack.push(SetConnectionWeight(doc, "c0", value), merge=True)
    assert len(stack.entries) == 1 and not stack.is_clean
    stack.undo()
    assert doc.connections["c0"].weight is None and stack.is_clean


def test_mutators_emit_events_for_views() -> None:
    doc = xor_net()
    seen = []
    doc.events.subscribe(lambda e: seen.append((e.kind, e.ids)))
    stack = UndoStack(doc)
    stack.push(RemoveItems(["h1"]))
    kinds = [k for k, _ in seen]
    assert ("neuron_removed", ("h1",)) in seen and kinds.count("connection_removed") == 3


def messages(doc: Document) -> str:
    return "\n".join(p.message for p in validate(doc))


def test_validation_names_the_neurons_in_cycles_and_perceptron_hidden_units() -> None:
    doc = xor_net()
    doc.insert_connection(Connection("back", "o1", "h1"))
    text = "\n".join(p.message for p in errors(doc))
    assert "cycle" in text and "h1" in text and "o1" in text
    doc = xor_net()
    doc.mode = "perceptron"
    assert "perceptron mode allows no hidden neurons: h1, h2" in messages(doc)


def test_validation_reports_dangling_ids_unreachable_outputs_and_hopfield_asymmetry() -> None:
    doc = xor_net()
    doc.connections["c5"] = Connection("c5", "h2", "ghost")
    assert "ghost" in messages(doc)
    doc = xor_net()
    doc.insert_neuron(Neuron("o2", "output", label="o2", activation="sigmoid"))
    assert "o2" in messages(doc)
    doc = Document(mode="hopfield", dataset=None,
                   hopfield=HopfieldSettings(shape=(1, 2), patterns=[[1, -1]]))
    doc.insert_neuron(Neuron("u1", "hidden", label="u1"))
    doc.insert_neuron(Neuron("u2", "hidden", label="u2"))
    doc.insert_connection(Connection("a", "u1", "u2", 0.5))
    doc.insert_connection(Connection("b", "u2", "u1", -0.5))
    assert "symmetric" in messages(doc) and "u1" in messages(doc)
    doc.hopfield.patterns = [[1, 0]]
    assert "+1 and −1" in messages(doc)
    doc.hopfield.patterns, doc.hopfield.state = [[1, -1], [-1, -1]], [1, 0.5]
    assert "+1 and −1" not in messages(doc) and "current state must be 2 values" in messages(doc)
    doc.hopfield.state = [-1, 1]
    assert "current state" not in messages(doc)


def test_compile_orders_the_spec_and_writes_trained_values_back_by_connection_id() -> None:
    doc = xor_net()
    compiled = compile_network(doc)
    assert compiled.spec.n_inputs == 2 and compiled.spec.n_outputs == 1
    assert sorted(compiled.edge_ids) == sorted(doc.connections)
    from playground.document.build import build_learner
    learner = build_learner(doc, compiled)
    values = learner.trained_values()
    from playground.document.compile import apply_trained_values
    apply_trained_values(doc, compiled, values, 5).do(doc)
    for k, cid in enumerate(compiled.edge_ids):
        assert doc.connections[cid].weight == values.weights[k]
    again = build_learner(doc)
    X = np.array([[0, 0], [1, 0]], float)
    np.testing.assert_array_equal(again.forward(X), learner.forward(X))
