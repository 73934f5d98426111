"""The one place views send intents to: it turns them into undoable commands on the document.

Views never edit the document; they call a method here and redraw when the document's events
arrive. Refusals come back as a status message that says why.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine.errors import EngineError
from playground.document import edits
from playground.document.commands import (
    AddNeuron,
    Command,
    CompositeCommand,
    Connect,
    EditData,
    MoveNeurons,
    RemoveItems,
    ReplaceDocument,
    SetConnectionWeight,
    SetMode,
    SetNeuronProperties,
    SetSection,
    SetTraining,
    UndoStack,
)
from playground.document.feature_edits import scaling_command, toggle_feature_command
from playground.document.fileformat import load_document, save_document
from playground.document.layout import auto_layout, fresh, parse_shape, plan_layers
from playground.document.model import (
    Connection,
    DatasetSpec,
    Document,
    HopfieldSettings,
    InlineData,
    Neuron,
)
from playground.document.roles import ROLES


class Controller(QObject):
    """Owns the document, its undo history and its file; every edit goes through ``push``."""

    history_changed = Signal()  # undo/redo availability, texts, modified flag; also "a command is done"
    document_reset = Signal()  # a new or opened document: views rebuild, selection clears
    status = Signal(str)  # a message for the status bar (refusals say why)
    selection_requested = Signal(list)  # ids the views should select (after paste, add, …)

    def __init__(self, doc: Document | None = None) -> None:
        super().__init__()
        self.doc = doc or Document()
        self.stack = UndoStack(self.doc)
        self.path: Path | None = None
        self.example_name: str | None = None
        # Called before every edit (None for undo/redo): a running training stops and commits first.
        self.before_edit: Callable[[Command | None], object] | None = None
        self._strokes = itertools.count(1)

    # -- history ----------------------------------------------------------------------------
    def push(self, cmd: Command, merge: bool = False) -> None:
        if self.before_edit is not None:
            self.before_edit(cmd)
        self.stack.push(cmd, merge)
        self.history_changed.emit()

    def undo(self) -> None:
        if self.before_edit is not None:
            self.before_edit(None)
        if self.stack.can_undo:
            text = self.stack.undo_text
            self.stack.undo()
            self.status.emit(f"Undid: {text}")
            self.history_changed.emit()

    def redo(self) -> None:
        if self.before_edit is not None:
            self.before_edit(None)
        if self.stack.can_redo:
            text = self.stack.redo_text
            self.stack.redo()
            self.status.emit(f"Redid: {text}")
            self.history_changed.emit()

    @property
    def modified(self) -> bool:
        return not self.stack.is_clean

    # -- neurons and wires --------------------------------------------------------------------
    def add_neuron(self, role: str, position: tuple[float, float]) -> str:
        """Add a neuron of a registered role with its prefix, default activation and bias."""
        r = ROLES[role]
        nid = fresh(r.id_prefix, set(self.doc.neurons))
        self.push(
            AddNeuron(
                Neuron(
                    nid,
                    role,
                    label=nid,
                    position=position,
                    activation=r.activation_for(self.doc.mode),
                    has_bias=r.is_unit,
                )
            )
        )
        self.selection_requested.emit([nid])
        return nid

    def connect(self, source: str, target: str) -> str | None:
        """Draw a wire, or say in the status bar why it is refused."""
        reason = edits.wire_refusal(self.doc, source, target)
        if reason:
            self.status.emit(f"Cannot connect: {reason}")
            return None
        cid = self.doc.new_connection_id()
        self.push(Connect(Connection(cid, source, target), self.doc))
        return cid

    def delete(self, neuron_ids: list[str], wire_ids: list[str]) -> None:
        neuron_ids = [n for n in neuron_ids if n in self.doc.neurons]
        wire_ids = [c for c in wire_ids if c in self.doc.connections]
        if neuron_ids or wire_ids:
            self.push(RemoveItems(neuron_ids, wire_ids))

    def move(self, moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]) -> None:
        moves = {nid: m for nid, m in moves.items() if nid in self.doc.neurons and m[0] != m[1]}
        if moves:
            self.push(MoveNeurons(moves))

    def set_neuron(self, nid: str, **changes: object) -> None:
        neuron = self.doc.neurons.get(nid)
        if neuron is None:
            return
        changes = {k: v for k, v in changes.items() if getattr(neuron, k) != v}
        if changes:
            self.push(SetNeuronProperties(self.doc, nid, **changes))

    def set_weight(self, cid: str, weight: float | None) -> None:
        conn = self.doc.connections.get(cid)
        if conn is not None and conn.weight != weight:
            self.push(SetConnectionWeight(self.doc, cid, weight))

    # -- clipboard ------------------------------------------------------------------------------
    def fragment(self, neuron_ids: list[str]) -> dict:
        return edits.fragment_of(self.doc, neuron_ids)

    def paste(self, fragment: object, offset: tuple[float, float] = (30.0, 30.0)) -> list[str]:
        made = edits.paste_command(self.doc, fragment, offset)
        if made is None:
            self.status.emit("Nothing to paste: copy some neurons first")
            return []
        cmd, ids = made
        self.push(cmd)
        self.selection_requested.emit(ids)
        return ids

    # -- whole-network edits ------------------------------------------------------------------------
    def build_layers(
        self,
        shape: str,
        activation: str,
        output_activation: str,
        replace: bool,
        origin: tuple[float, float] = (0.0, 0.0),
    ) -> list[str]:
        """The layer builder: a fully connected net, added or replacing, as one undo step."""
        sizes = parse_shape(shape)  # EngineError with a readable message
        base = Document(mode=self.doc.mode) if replace else self.doc
        plan = plan_layers(base, sizes, activation, output_activation, origin)
        if replace:
            new = self.doc.copy()
            new.neurons = {n.id: n for n in plan.neurons}
            new.connections = {c.id: c for c in plan.connections}
            self.push(ReplaceDocument(self.doc, new, f"Build {shape} network"))
        else:
            cmds: list[Command] = [AddNeuron(n) for n in plan.neurons]
            cmds += [Connect(c) for c in plan.connections]
            self.push(CompositeCommand(f"Build {shape} layers", cmds))
        ids = [n.id for n in plan.neurons]
        self.selection_requested.emit(ids)
        return ids

    def auto_layout(self) -> None:
        positions = auto_layout(self.doc)
        self.move({nid: (self.doc.neurons[nid].position, pos) for nid, pos in positions.items()})
        self.status.emit("Laid out by depth")

    def set_mode(self, mode: str, convert: bool) -> None:
        """Switch mode; with ``convert``, also fix activations so the graph fits (one step)."""
        if mode == self.doc.mode:
            return
        cmds: list[Command] = edits.mode_conversion(self.doc, mode) if convert else []
        if mode == "hopfield" and self.doc.hopfield is None:  # a fresh 10×10 grid to paint on
            cmds.append(SetSection(self.doc, "hopfield", HopfieldSettings()))
        switch = SetMode(self.doc, mode)
        self.push(CompositeCommand(switch.text, [*cmds, switch]) if cmds else switch)

    def set_training(self, **changes: object) -> None:
        """Change training settings (one undo step; the runner applies lr, batch and L1/L2 live)."""
        current = self.doc.training
        changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if changes:
            self.push(SetTraining(self.doc, **changes))

    def set_hopfield(self, text: str, **changes: object) -> None:
        """Edit the Hopfield memory (grid, patterns, state, rule) as one named undo step."""
        current = self.doc.hopfield or HopfieldSettings()
        self.push(SetSection(self.doc, "hopfield", dataclasses.replace(current, **changes), text))

    def set_dataset(self, spec: DatasetSpec) -> None:
        if spec != self.doc.dataset:
            self.push(SetSection(self.doc, "dataset", copy.deepcopy(spec), "Change dataset"))

    def set_feature(self, name: str, on: bool) -> None:
        """A feature input (x₁², …) on or off: the dataset and its input neuron, one undo step."""
        try:
            cmd = toggle_feature_command(self.doc, name, on)
        except EngineError as exc:
            self.status.emit(f"Feature not changed: {exc}")
            return
        if cmd is not None:
            self.push(cmd)

    def set_scaling(self, method: str | None) -> None:
        """Standardise / min-max the network's inputs (fitted on the training rows), or not."""
        try:
            cmd = scaling_command(self.doc, method)
        except EngineError as exc:
            self.status.emit(f"Scaling not changed: {exc}")
            return
        if cmd is not None:
            self.push(cmd)

    def new_stroke(self) -> int:
        """A number for one drag or brush stroke: its edits merge into one undo step."""
        return next(self._strokes)

    def edit_data(self, inline: InlineData, text: str, stroke: int | None = None) -> None:
        """The dataset becomes these inline rows (drawn, moved, typed): one undo step, or one per
        stroke when the moves of a drag or a brush share its ``stroke`` number."""
        spec = dataclasses.replace(self.doc.dataset or DatasetSpec(), name=None, params={},
                                   train_fraction=None, inline=inline)
        self.push(EditData(self.doc, spec, text, stroke), merge=stroke is not None)

    def create_matching_io(self) -> None:
        cmd = edits.matching_io_command(self.doc)
        if cmd is None:
            self.status.emit("The inputs and outputs already cover the dataset")
        else:
            self.push(cmd)

    # -- files ------------------------------------------------------------------------------------
    def reset(self, doc: Document, path: Path | None, example: str | None = None) -> None:
        """Take over a new or opened document: a fresh history, clean."""
        self.doc.replace_with(doc)
        self.stack = UndoStack(self.doc)
        self.path, self.example_name = path, example
        self.document_reset.emit()
        self.history_changed.emit()

    def open(self, path: Path, example: str | None = None) -> None:
        """Load and validate first: a broken file raises and the current document stays."""
        doc = load_document(path)
        self.reset(doc, None if example else path, example)

    def save(self, path: Path) -> None:
        save_document(self.doc, path)
        self.path, self.example_name = path, None
        self.stack.set_clean()
        self.history_changed.emit()

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return f"{self.example_name} (example)" if self.example_name else "Untitled"
