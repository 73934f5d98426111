"""Random free-drawn projects for the export tests: skip links, mixed activations, bias neurons."""

from __future__ import annotations

import numpy as np

from engine.activations import ACTIVATIONS, hidden_activations
from playground.document.examples import example_path, list_examples
from playground.document.fileformat import load_document
from playground.document.model import Connection, Document, Neuron

OUTPUT_ACTIVATIONS = [a.name for a in ACTIVATIONS.values() if not a.output_only]


def random_document(seed: int) -> Document:
    """3 inputs, maybe a bias neuron, 6 hidden units, 3 outputs; any earlier → later wire.

    Outputs are a softmax group on every third seed, else mixed activations (so the output
    columns come from several stages, in an order the exporter must restore)."""
    rng = np.random.default_rng(seed)
    doc = Document(title=f"random {seed}", dataset=None)
    ids = []

    def add(nid: str, role: str, activation: str = "linear", has_bias: bool = True) -> None:
        bias = float(rng.normal()) if has_bias and role in ("hidden", "output") else None
        doc.neurons[nid] = Neuron(nid, role, nid, activation=activation, has_bias=has_bias, bias=bias)
        ids.append(nid)

    for k in range(3):
        add(f"x{k + 1}", "input")
    if seed % 2:
        add("b1", "bias")
    sources = list(ids)
    hidden = hidden_activations()
    for k in range(6):
        add(f"h{k + 1}", "hidden", hidden[int(rng.integers(len(hidden)))], bool(rng.random() < 0.8))
    softmax = seed % 3 == 0
    for k in range(3):
        act = "softmax" if softmax else OUTPUT_ACTIVATIONS[int(rng.integers(len(OUTPUT_ACTIVATIONS)))]
        add(f"o{k + 1}", "output", act)
    for t in ids[len(sources):]:
        earlier = [s for s in ids[: ids.index(t)] if not s.startswith("o")]
        chosen = [s for s in earlier if rng.random() < 0.45] or [earlier[int(rng.integers(3))]]
        for s in chosen:
            cid = doc.new_connection_id()
            doc.connections[cid] = Connection(cid, s, t, float(rng.normal() * 1.5))
    return doc


SEEDS = list(range(24))
FEED_FORWARD_EXAMPLES = [e.name for e in list_examples()
                         if load_document(example_path(e.name)).mode != "hopfield"]


def example(name: str) -> Document:
    return load_document(example_path(name))


def rows(doc: Document, n: int = 64, seed: int = 7) -> np.ndarray:
    """Inputs spread wide enough to reach every activation's saturated ends."""
    # the data's raw columns: feature inputs (x₁², …) are computed from them by every exporter
    features = doc.dataset.features if doc.dataset else ()
    width = sum(nn.role == "input" for nn in doc.neurons.values()) - len(features)
    return np.random.default_rng(seed).normal(scale=2.5, size=(n, width))


WIDE = np.concatenate([np.linspace(-60, 60, 241), [-800.0, 800.0, 1e-9, -1e-9, 0.0]])[:, None]


def all_activations_document() -> Document:
    """One input wired to one output per activation of the registry (softmax needs a group: left out
    here, the random graphs and the digits/iris examples cover it)."""
    doc = Document(title="all activations", dataset=None)
    doc.neurons["x1"] = Neuron("x1", "input", "x1", activation="linear")
    for k, name in enumerate(a for a in ACTIVATIONS if a != "softmax"):
        doc.neurons[f"o{k}"] = Neuron(f"o{k}", "output", name, activation=name, bias=0.0)
        doc.connections[f"c{k}"] = Connection(f"c{k}", "x1", f"o{k}", 1.0)
    return doc
