"""Edit rules the app applies before it pushes a command: which wires are allowed, what a mode
switch needs, clipboard fragments, neurons that match a dataset. Pure Python, so they are tested
without Qt and the canvas can explain every refusal."""

from __future__ import annotations

from typing import Any

from engine.activations import ACTIVATIONS
from engine.datasets import DATASETS
from engine.features import FEATURES
from engine.graph import reachable
from playground.document import points
from playground.document.commands import (
    AddNeuron,
    Command,
    CompositeCommand,
    Connect,
    SetNeuronProperties,
)
from playground.document.layout import ROW_GAP, fresh
from playground.document.model import Connection, Document, Neuron
from playground.document.roles import ROLES
from playground.document.validation import validate

FRAGMENT_FORMAT = "nn-playground-fragment"


def wire_refusal(doc: Document, source: str, target: str) -> str | None:
    """Why ``source → target`` may not be drawn, or None when it may."""
    name = doc.display_name
    if source == target:
        return f"{name(source)} cannot be wired to itself"
    if doc.find_connection(source, target):
        return f"{name(source)} → {name(target)} already exists"
    if doc.mode == "hopfield":
        if doc.find_connection(target, source):
            return f"{name(source)} and {name(target)} are already linked (Hopfield links are symmetric)"
        return None
    role_t, role_s = ROLES.get(doc.neurons[target].role), ROLES.get(doc.neurons[source].role)
    if role_t is not None and not role_t.accepts_input:
        return f"{name(target)} is an {role_t.name} neuron: no wire can lead into it"
    if role_s is not None and not role_s.feeds:
        return f"{name(source)} is an {role_s.name} neuron: it cannot feed another neuron"
    ids = list(doc.neurons)
    index = {nid: k for k, nid in enumerate(ids)}
    edges = [(index[c.source], index[c.target]) for c in doc.connections.values()]
    if index[source] in reachable(len(ids), edges, [index[target]]):
        return f"{name(source)} → {name(target)} would close a cycle ({doc.mode} networks feed forward)"
    return None


def mode_problems(doc: Document, mode: str) -> list[str]:
    """What in the current graph does not fit ``mode``; empty when it fits as it is.

    Validation decides (the document validated as if in ``mode``), so the mode switch, the status
    bar and the CLI's ``validate`` use the same words."""
    return [p.message for p in validate(doc, mode) if p.mode_fit]


def mode_conversion(doc: Document, mode: str) -> list[Command]:
    """The edits that fix what can be fixed without deleting anything (activations only)."""
    cmds: list[Command] = []
    for n in doc.neurons.values():
        role, act = ROLES.get(n.role), ACTIVATIONS.get(n.activation)
        if role is None or not role.is_unit or act is None:
            continue
        if mode == "perceptron" and role.is_output and act.differentiable:
            cmds.append(SetNeuronProperties(doc, n.id, activation=role.activation_for(mode)))
        if mode == "mlp" and not act.differentiable:
            cmds.append(SetNeuronProperties(doc, n.id, activation=role.activation_for(mode)))
    return cmds


def fragment_of(doc: Document, neuron_ids: list[str]) -> dict[str, Any]:
    """The selected neurons and the wires between them, as plain data for the clipboard."""
    ids = [nid for nid in doc.neurons if nid in set(neuron_ids)]
    wires = [c for c in doc.connections.values() if c.source in ids and c.target in ids]
    return {
        "format": FRAGMENT_FORMAT,
        "neurons": [
            {
                "id": n.id,
                "role": n.role,
                "label": n.label,
                "position": list(n.position),
                "activation": n.activation,
                "bias": n.bias,
                "has_bias": n.has_bias,
            }
            for n in (doc.neurons[i] for i in ids)
        ],
        "connections": [{"source": c.source, "target": c.target, "weight": c.weight} for c in wires],
    }


def paste_command(
    doc: Document, fragment: Any, offset: tuple[float, float]
) -> tuple[Command, list[str]] | None:
    """One undoable paste with fresh ids, or None when ``fragment`` is not ours."""
    if not isinstance(fragment, dict) or fragment.get("format") != FRAGMENT_FORMAT:
        return None
    taken_n, taken_c = set(doc.neurons), set(doc.connections)
    new_ids: dict[str, str] = {}
    cmds: list[Command] = []
    try:
        for n in fragment["neurons"]:
            nid = fresh(_prefix(n["role"]), taken_n)
            new_ids[n["id"]] = nid
            x, y = (float(v) for v in n["position"])
            label = n["label"] if n["label"] not in {m.label for m in doc.neurons.values()} else nid
            cmds.append(
                AddNeuron(
                    Neuron(
                        nid,
                        n["role"],
                        label,
                        (x + offset[0], y + offset[1]),
                        n["activation"],
                        n["bias"],
                        bool(n["has_bias"]),
                    )
                )
            )
        for c in fragment["connections"]:
            weight = None if c["weight"] is None else float(c["weight"])
            cmds.append(
                Connect(Connection(fresh("c", taken_c), new_ids[c["source"]], new_ids[c["target"]], weight))
            )
    except (KeyError, TypeError, ValueError):
        return None
    count = len(new_ids)
    if not count:
        return None
    text = "Paste neuron" if count == 1 else f"Paste {count} neurons"
    return CompositeCommand(text, cmds), list(new_ids.values())


def _prefix(role: str) -> str:
    return ROLES[role].id_prefix if role in ROLES else "n"


def dataset_widths(doc: Document) -> tuple[int, int] | None:
    """(inputs, outputs) the document's dataset needs, or None without a dataset."""
    ds = doc.dataset
    if ds is None:
        return None
    if ds.inline is not None:
        n_in, n_out = points.widths(ds.inline)
        return n_in + len(ds.features), n_out
    info = DATASETS.get(ds.name or "")
    return (info.n_inputs + len(ds.features), info.n_outputs) if info else None


def dataset_labels(doc: Document) -> tuple[list[str], list[str]]:
    """Labels for the input and output neurons: the data's column names, then the features'
    (empty lists where the data names none)."""
    ds = doc.dataset
    if ds is None:
        return [], []
    names_in = list(ds.inline.input_names or []) if ds.inline is not None else []
    names_out = list(ds.inline.output_names or []) if ds.inline is not None else []
    if ds.features:
        names_in = (names_in or ["x₁", "x₂"])[:2] + [FEATURES[f].label for f in ds.features
                                                     if f in FEATURES]
    return names_in, names_out


def width_mismatch(doc: Document) -> str | None:
    """A sentence saying how the drawn inputs/outputs differ from the dataset's, or None."""
    widths = dataset_widths(doc)
    if widths is None or doc.mode == "hopfield":
        return None
    facts = [ROLES[n.role] for n in doc.neurons.values() if n.role in ROLES]
    have = sum(r.compile_kind == "input" for r in facts), sum(r.is_output for r in facts)
    if have == widths:
        return None
    return (
        f"the dataset has {widths[0]} input(s) and {widths[1]} output(s); the network has "
        f"{have[0]} input and {have[1]} output neurons"
    )


def matching_io_command(doc: Document) -> Command | None:
    """Add the input/output neurons the dataset needs (never deletes; extra ones stay)."""
    widths = dataset_widths(doc)
    if widths is None:
        return None
    cmds: list[Command] = []
    taken = set(doc.neurons)
    xs = [n.position[0] for n in doc.neurons.values()] or [0.0]
    labels = dataset_labels(doc)
    for role, want, x, names in (
        ("input", widths[0], min(xs) if doc.neurons else 0.0, labels[0]),
        ("output", widths[1], max(xs) if doc.neurons else 320.0, labels[1]),
    ):
        have = doc.by_role(role)
        for n, name in zip(have, names, strict=False):  # unlabelled ones take the column's name
            if n.label in ("", n.id) and name != n.label:
                cmds.append(SetNeuronProperties(doc, n.id, label=name))
        bottom = max((n.position[1] for n in have), default=-ROW_GAP)
        act = ROLES[role].activation_for(doc.mode)
        if role == "output" and widths[1] > 1 and doc.mode != "perceptron":
            act = "softmax"  # one-hot targets: the output level shares one distribution
        for k in range(want - len(have)):
            nid = fresh(_prefix(role), taken)
            index = len(have) + k
            label = names[index] if index < len(names) else nid
            cmds.append(
                AddNeuron(
                    Neuron(nid, role, label, (x, bottom + (k + 1) * ROW_GAP), act,
                           has_bias=ROLES[role].is_unit)
                )
            )
    if not cmds:
        return None
    return CompositeCommand("Create matching inputs/outputs", cmds)
