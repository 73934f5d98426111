"""Turning a feature input (x₁², sin(x₁), …) on or off, or choosing the input scaling: one undo
step each, as TensorFlow Playground does.

On: the dataset lists the feature, and an input neuron labelled with it appears below the inputs,
wired to every neuron the first input feeds. Off: the feature and that neuron (with its wires)
go. A stored scaling is refitted on the training rows, since the network's inputs changed.
"""

from __future__ import annotations

import dataclasses

from engine.errors import EngineError
from engine.features import FEATURES, check_features, fit
from playground.document.build import build_dataset
from playground.document.commands import (
    AddNeuron,
    Command,
    CompositeCommand,
    Connect,
    RemoveItems,
    SetSection,
)
from playground.document.layout import ROW_GAP, fresh
from playground.document.model import Connection, DatasetSpec, Document, Neuron, Scaling

KEEP = "keep"  # with_features: the dataset's current scaling method


def with_features(doc: Document, features: list[str], method: str | None = KEEP) -> DatasetSpec:
    """The document's dataset with these features and scaling ``method`` (None: none), the scaling
    refitted on the training rows."""
    spec = doc.dataset
    if spec is None:
        raise EngineError("this project has no dataset")
    data = build_dataset(doc)
    check_features(features, data.n_inputs)
    if method == KEEP:
        method = spec.scaling.method if spec.scaling is not None else None
    scaling = None
    if method is not None:
        prep = fit(data.X_train, features, method)
        scaling = Scaling(method, list(prep.offset), list(prep.scale))
    return dataclasses.replace(spec, features=list(features), scaling=scaling)


def scaling_command(doc: Document, method: str | None) -> Command | None:
    """Input scaling chosen in the Data panel: fitted on the training rows now, one undo step."""
    spec = doc.dataset
    current = spec.scaling.method if spec is not None and spec.scaling is not None else None
    if spec is None or method == current:
        return None
    title = f"Scale inputs: {method}" if method else "No input scaling"
    return SetSection(doc, "dataset", with_features(doc, list(spec.features), method), title)


def feature_neuron(doc: Document, name: str) -> Neuron | None:
    """The input neuron that reads feature ``name`` (found by its label)."""
    label = FEATURES[name].label
    return next((n for n in doc.by_role("input") if n.label == label), None)


def toggle_feature_command(doc: Document, name: str, on: bool) -> Command | None:
    """The one command for a feature check box; None when nothing would change."""
    spec = doc.dataset
    current = list(spec.features) if spec is not None else []
    if (name in current) == on:
        return None
    # appended in the order switched on: input neurons read the columns in their document order
    features = [*current, name] if on else [f for f in current if f != name]
    title = f"{'Add' if on else 'Remove'} feature {FEATURES[name].label}"
    cmds: list[Command] = [SetSection(doc, "dataset", with_features(doc, features), title)]
    existing = feature_neuron(doc, name)
    if not on and existing is not None:
        cmds.append(RemoveItems([existing.id]))
    elif on and existing is None:
        inputs = doc.by_role("input")
        x = min((n.position[0] for n in inputs), default=0.0)
        y = max((n.position[1] for n in inputs), default=-ROW_GAP) + ROW_GAP
        nid = fresh("x", set(doc.neurons))
        cmds.append(AddNeuron(Neuron(nid, "input", FEATURES[name].label, (x, y), has_bias=False)))
        targets = [c.target for c in doc.outgoing(inputs[0].id)] if inputs else []
        taken = set(doc.connections)
        cmds += [Connect(Connection(fresh("c", taken), nid, t)) for t in targets]
    return CompositeCommand(title, cmds)
