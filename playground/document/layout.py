"""Geometry without Qt: auto-layout by depth and the layer builder's fully connected nets."""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

from engine.errors import EngineError
from engine.graph import depths
from playground.document.model import Connection, Document, Neuron
from playground.document.roles import ROLES

COLUMN_GAP = 160.0
ROW_GAP = 70.0


def neuron_depths(doc: Document) -> dict[str, int]:
    """Longest path from an input (or bias) per neuron; outputs last, inputs and biases first."""
    ids = list(doc.neurons)
    index = {nid: k for k, nid in enumerate(ids)}
    edges = [
        (index[c.source], index[c.target])
        for c in doc.connections.values()
        if c.source in index and c.target in index
    ]
    found = depths(len(ids), edges)  # on a cycle: partial depths, good enough to place neurons
    out = {nid: found[index[nid]] for nid in ids}
    top = max(out.values(), default=0)
    for n in doc.neurons.values():
        role = ROLES.get(n.role)
        if role is None:
            continue
        if role.is_output:  # outputs always form the last column
            out[n.id] = max(top, 1)
        elif not role.accepts_input:  # inputs and biases: the first
            out[n.id] = 0
    return out


def auto_layout(doc: Document, origin: tuple[float, float] = (0.0, 0.0)) -> dict[str, tuple[float, float]]:
    """New positions: one column per depth, each column centred vertically, order kept."""
    columns: dict[int, list[str]] = {}
    for nid, depth in neuron_depths(doc).items():
        columns.setdefault(depth, []).append(nid)
    positions = {}
    for depth, ids in columns.items():
        ids.sort(key=lambda nid: (_is_constant(doc.neurons[nid].role), doc.neurons[nid].position[1]))
        top = origin[1] - (len(ids) - 1) * ROW_GAP / 2
        for row, nid in enumerate(ids):
            positions[nid] = (origin[0] + depth * COLUMN_GAP, top + row * ROW_GAP)
    return positions


def _is_constant(role: str) -> bool:
    """Constants (biases) sit below the inputs of their column."""
    return role in ROLES and ROLES[role].compile_kind == "constant"


class LayerPlan(NamedTuple):
    neurons: list[Neuron]
    connections: list[Connection]


def parse_shape(text: str) -> list[int]:
    """'2-4-4-1' → [2, 4, 4, 1]; at least an input and an output layer, 1..256 neurons each."""
    parts = [p.strip() for p in text.replace(",", "-").replace(" ", "-").split("-") if p.strip()]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise EngineError(f"'{text}' is not a shape like 2-4-4-1 (whole numbers joined by '-')") from None
    if len(sizes) < 2:
        raise EngineError("a shape needs at least an input and an output layer, e.g. 2-1")
    if any(not 1 <= s <= 256 for s in sizes):
        raise EngineError("every layer needs 1 to 256 neurons")
    return sizes


def plan_layers(
    doc: Document,
    sizes: list[int],
    activation: str,
    output_activation: str,
    origin: tuple[float, float] = (0.0, 0.0),
) -> LayerPlan:
    """Neurons and wires of a fully connected net with ids fresh in ``doc``."""
    taken_neurons = set(doc.neurons)
    taken_wires = set(doc.connections)
    neurons: list[Neuron] = []
    layers: list[list[str]] = []
    last = len(sizes) - 1
    for depth, size in enumerate(sizes):
        role = ROLES["input" if depth == 0 else "output" if depth == last else "hidden"]
        prefix = role.id_prefix
        if role.name == "hidden" and last > 2:  # several hidden layers: h1_1, h2_1, …
            prefix = f"{prefix}{depth}_"
        act = output_activation if role.is_output else activation if role.is_unit else role.default_activation
        ids = []
        top = origin[1] - (size - 1) * ROW_GAP / 2
        for k in range(size):
            nid = fresh(prefix, taken_neurons)
            ids.append(nid)
            label = nid if role.name != "hidden" or last > 2 else f"{role.id_prefix}{k + 1}"
            neurons.append(
                Neuron(
                    nid,
                    role.name,
                    label=label,
                    activation=act,
                    position=(origin[0] + depth * COLUMN_GAP, top + k * ROW_GAP),
                    has_bias=role.is_unit,
                )
            )
        layers.append(ids)
    wires = [Connection(fresh("c", taken_wires), s, t) for a, b in pairwise(layers) for s in a for t in b]
    return LayerPlan(neurons, wires)


def fresh(prefix: str, taken: set[str]) -> str:
    """The first ``prefix1``, ``prefix2``, … not in ``taken`` (and reserve it)."""
    k = 1
    while f"{prefix}{k}" in taken:
        k += 1
    taken.add(f"{prefix}{k}")
    return f"{prefix}{k}"
