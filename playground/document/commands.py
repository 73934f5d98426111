"""Undoable edits of a Document, and a pure-Python undo stack (the Qt app adapts it).

Each command captures what it needs to undo itself exactly, ids and order included.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from playground.document.model import Connection, DatasetSpec, Document, Neuron


class Command:
    text = "Edit"

    def do(self, doc: Document) -> None:
        raise NotImplementedError

    def undo(self, doc: Document) -> None:
        raise NotImplementedError

    def merge_with(self, other: Command) -> bool:
        """Absorb a following command of the same kind (e.g. typing); False if it cannot."""
        return False


class AddNeuron(Command):
    def __init__(self, neuron: Neuron) -> None:
        self.neuron = copy.deepcopy(neuron)
        self.text = f"Add {neuron.role} neuron"

    def do(self, doc: Document) -> None:
        doc.insert_neuron(copy.deepcopy(self.neuron))

    def undo(self, doc: Document) -> None:
        doc.delete_neuron(self.neuron.id)


class Connect(Command):
    def __init__(self, conn: Connection, doc: Document | None = None) -> None:
        self.conn = copy.deepcopy(conn)
        names = (doc.display_name(conn.source), doc.display_name(conn.target)) if doc else (
            conn.source, conn.target)
        self.text = f"Connect {names[0]} → {names[1]}"

    def do(self, doc: Document) -> None:
        doc.insert_connection(copy.deepcopy(self.conn))

    def undo(self, doc: Document) -> None:
        doc.delete_connection(self.conn.id)


class RemoveItems(Command):
    """Delete neurons (with every wire touching them) and wires; undo puts each back in place."""

    def __init__(self, neuron_ids: Iterable[str] = (), connection_ids: Iterable[str] = ()) -> None:
        self.neuron_ids = list(dict.fromkeys(neuron_ids))
        self.connection_ids = list(dict.fromkeys(connection_ids))
        self.removed_neurons: list[tuple[int, Neuron]] = []
        self.removed_connections: list[tuple[int, Connection]] = []
        n, c = len(self.neuron_ids), len(self.connection_ids)
        if n and not c:
            self.text = "Delete neuron" if n == 1 else f"Delete {n} neurons"
        elif c and not n:
            self.text = "Delete wire" if c == 1 else f"Delete {c} wires"
        else:
            self.text = f"Delete {n} neuron{'s' * (n > 1)} and {c} wire{'s' * (c > 1)}"

    def do(self, doc: Document) -> None:
        wires = dict.fromkeys(self.connection_ids)
        wires.update(dict.fromkeys(c.id for c in doc.wires_of(self.neuron_ids)))
        self.removed_neurons, self.removed_connections = doc.take(self.neuron_ids, wires)

    def undo(self, doc: Document) -> None:
        # flat dataclasses: a shallow copy is a full copy, and 20x cheaper than deepcopy
        doc.put_back([(k, copy.copy(n)) for k, n in self.removed_neurons],
                     [(k, copy.copy(c)) for k, c in self.removed_connections])


class MoveNeurons(Command):
    def __init__(self, moves: Mapping[str, tuple[tuple[float, float], tuple[float, float]]]) -> None:
        self.moves = dict(moves)  # id -> (old position, new position)
        n = len(self.moves)
        self.text = "Move neuron" if n == 1 else f"Move {n} neurons"

    def do(self, doc: Document) -> None:
        for nid, (_, new) in self.moves.items():
            doc.update_neuron(nid, position=new)

    def undo(self, doc: Document) -> None:
        for nid, (old, _) in self.moves.items():
            doc.update_neuron(nid, position=old)


class SetNeuronProperties(Command):
    def __init__(self, doc: Document, neuron_id: str, **changes: Any) -> None:
        neuron = doc.neurons[neuron_id]
        self.neuron_id, self.new = neuron_id, changes
        self.old = {name: getattr(neuron, name) for name in changes}
        what = ", ".join(name.replace("_", " ") for name in changes)
        self.text = f"Set {what} of {doc.display_name(neuron_id)}"

    def do(self, doc: Document) -> None:
        doc.update_neuron(self.neuron_id, **self.new)

    def undo(self, doc: Document) -> None:
        doc.update_neuron(self.neuron_id, **self.old)


class SetConnectionWeight(Command):
    def __init__(self, doc: Document, conn_id: str, weight: float | None) -> None:
        conn = doc.connections[conn_id]
        self.conn_id, self.old, self.new = conn_id, conn.weight, weight
        self.text = f"Set weight {doc.display_name(conn.source)} → {doc.display_name(conn.target)}"

    def do(self, doc: Document) -> None:
        doc.update_connection(self.conn_id, self.new)

    def undo(self, doc: Document) -> None:
        doc.update_connection(self.conn_id, self.old)

    def merge_with(self, other: Command) -> bool:
        if isinstance(other, SetConnectionWeight) and other.conn_id == self.conn_id:
            self.new = other.new
            return True
        return False


SECTION_LABELS = {"mode": "mode", "dataset": "dataset", "training": "training settings",
                  "hopfield": "Hopfield settings", "title": "title", "description": "description"}


class SetSection(Command):
    """Replace one settings section: mode, dataset, training, hopfield, title or description."""

    def __init__(self, doc: Document, section: str, value: Any, text: str | None = None) -> None:
        self.section, self.old, self.new = section, copy.deepcopy(getattr(doc, section)), value
        self.text = text or f"Change {SECTION_LABELS[section]}"

    def do(self, doc: Document) -> None:
        doc.set_section(self.section, copy.deepcopy(self.new))

    def undo(self, doc: Document) -> None:
        doc.set_section(self.section, copy.deepcopy(self.old))


class EditData(Command):
    """The dataset replaced by an edited copy (points drawn, table cells typed), without deep
    copies: ``document.points`` builds the new rows sharing the unchanged ones, never changing a
    row in place. The moves of one stroke (a drag, a brush) merge into one undo step."""

    def __init__(self, doc: Document, new: DatasetSpec, text: str, stroke: int | None = None) -> None:
        self.old, self.new, self.text, self.stroke = doc.dataset, new, text, stroke

    def do(self, doc: Document) -> None:
        doc.set_section("dataset", self.new)

    def undo(self, doc: Document) -> None:
        doc.set_section("dataset", self.old)

    def merge_with(self, other: Command) -> bool:
        if isinstance(other, EditData) and self.stroke is not None and other.stroke == self.stroke:
            self.new = other.new
            return True
        return False


def SetMode(doc: Document, mode: str) -> SetSection:
    return SetSection(doc, "mode", mode, f"Switch to {mode} mode")


def SetTraining(doc: Document, **changes: Any) -> SetSection:
    names = ", ".join(name.replace("_", " ") for name in changes)
    return SetSection(doc, "training", replace(doc.training, **changes), f"Set {names}")


class ApplyTrainedValues(Command):
    """Write a run's weights and biases back by id: one undo step for a whole run."""

    def __init__(self, doc: Document, weights: Mapping[str, float], biases: Mapping[str, float],
                 epochs: int) -> None:
        self.weights, self.biases = dict(weights), dict(biases)
        self.old_weights = {cid: doc.connections[cid].weight for cid in self.weights}
        self.old_biases = {nid: doc.neurons[nid].bias for nid in self.biases}
        self.text = f"Train {epochs:,} epoch" + ("" if epochs == 1 else "s")

    def _write(self, doc: Document, weights: Mapping[str, Any], biases: Mapping[str, Any]) -> None:
        doc.set_values(dict(weights), dict(biases))

    def do(self, doc: Document) -> None:
        self._write(doc, self.weights, self.biases)

    def undo(self, doc: Document) -> None:
        self._write(doc, self.old_weights, self.old_biases)


class ReplaceDocument(Command):
    def __init__(self, doc: Document, new: Document, text: str = "Replace network") -> None:
        self.old, self.new, self.text = doc.copy(), new.copy(), text

    def do(self, doc: Document) -> None:
        doc.replace_with(self.new)

    def undo(self, doc: Document) -> None:
        doc.replace_with(self.old)


class CompositeCommand(Command):
    """Several commands as one undo step (paste, layer builder, convert mode)."""

    def __init__(self, text: str, commands: Iterable[Command]) -> None:
        self.text, self.commands = text, list(commands)

    def do(self, doc: Document) -> None:
        for cmd in self.commands:
            cmd.do(doc)

    def undo(self, doc: Document) -> None:
        for cmd in reversed(self.commands):
            cmd.undo(doc)


class UndoStack:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.commands: list[Command] = []
        self.index = 0  # commands[:index] are done
        self.clean_index: int | None = 0

    def push(self, cmd: Command, merge: bool = False) -> None:
        """Do ``cmd`` and record it (merged into the previous command when both allow it)."""
        cmd.do(self.doc)
        del self.commands[self.index:]
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None
        if merge and self.index and self.index != self.clean_index \
                and self.commands[-1].merge_with(cmd):
            return
        self.commands.append(cmd)
        self.index += 1

    def undo(self) -> None:
        if self.can_undo:
            self.index -= 1
            self.commands[self.index].undo(self.doc)

    def redo(self) -> None:
        if self.can_redo:
            self.commands[self.index].do(self.doc)
            self.index += 1

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.commands)

    @property
    def undo_text(self) -> str:
        return self.commands[self.index - 1].text if self.can_undo else ""

    @property
    def redo_text(self) -> str:
        return self.commands[self.index].text if self.can_redo else ""

    @property
    def entries(self) -> list[str]:
        return [cmd.text for cmd in self.commands]

    def set_clean(self) -> None:
        self.clean_index = self.index

    @property
    def is_clean(self) -> bool:
        return self.clean_index == self.index
