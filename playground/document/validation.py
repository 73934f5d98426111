"""Is this document usable in its mode? Problems name the neurons, so users can find them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.graph import find_cycle, reachable
from playground.document.model import Document
from playground.document.names import ACTIVATIONS


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    message: str
    ids: tuple[str, ...] = ()


def _names(doc: Document, ids: list[str]) -> str:
    return ", ".join(doc.display_name(i) for i in ids)


def validate(doc: Document) -> list[Problem]:
    """Every problem of the document for its current mode (errors first)."""
    problems = _wiring(doc)
    if doc.mode in ("mlp", "perceptron"):
        problems += _feed_forward(doc)
    elif doc.mode == "hopfield":
        problems += _hopfield(doc)
    return sorted(problems, key=lambda p: p.severity != "error")


def errors(doc: Document) -> list[Problem]:
    return [p for p in validate(doc) if p.severity == "error"]


def _wiring(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for n in doc.neurons.values():
        if n.role != "input" and n.role != "bias" and n.activation not in ACTIVATIONS:
            out.append(Problem("error", f"{doc.display_name(n.id)} has an unknown activation "
                                        f"'{n.activation}'", (n.id,)))
    for c in doc.connections.values():
        missing = [x for x in (c.source, c.target) if x not in doc.neurons]
        if missing:
            out.append(Problem("error", f"wire {c.id} refers to a neuron that does not exist: "
                                        f"{', '.join(missing)}", (c.id,)))
            continue
        src, dst = doc.display_name(c.source), doc.display_name(c.target)
        if c.source == c.target:
            out.append(Problem("error", f"{src} is wired to itself", (c.id, c.source)))
        if (c.source, c.target) in seen:
            out.append(Problem("error", f"{src} and {dst} are wired twice", (c.id,)))
        seen.add((c.source, c.target))
        if c.weight is not None and not math.isfinite(c.weight):
            out.append(Problem("error", f"the weight {src} → {dst} is not a finite number", (c.id,)))
        if doc.mode == "hopfield":
            continue
        if doc.neurons[c.target].role in ("input", "bias"):
            out.append(Problem("error", f"{dst} is an {doc.neurons[c.target].role} neuron: no wire "
                                        f"can lead into it (from {src})", (c.id, c.target)))
        if doc.neurons[c.source].role == "output":
            out.append(Problem("error", f"output {src} cannot feed another neuron ({dst})",
                               (c.id, c.source)))
    return out


def _feed_forward(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    ids = list(doc.neurons)
    index = {nid: k for k, nid in enumerate(ids)}
    edges = [(index[c.source], index[c.target]) for c in doc.connections.values()
             if c.source in index and c.target in index and c.source != c.target]
    cycle = find_cycle(len(ids), edges)
    if cycle:
        names = " → ".join(doc.display_name(ids[k]) for k in [*cycle, cycle[0]])
        out.append(Problem("error", f"the wires form a cycle: {names}", tuple(ids[k] for k in cycle)))
    inputs = [n.id for n in doc.by_role("input")]
    outputs = [n.id for n in doc.by_role("output")]
    hidden = [n.id for n in doc.by_role("hidden")]
    if not inputs:
        out.append(Problem("error", "the network has no input neuron"))
    if not outputs:
        out.append(Problem("error", "the network has no output neuron"))
    if doc.mode == "perceptron":
        if hidden:
            out.append(Problem("error", f"perceptron mode allows no hidden neurons: "
                                        f"{_names(doc, hidden)}", tuple(hidden)))
        wrong = [o for o in outputs if doc.neurons[o].activation not in ("step", "sign")]
        if wrong:
            out.append(Problem("error", f"perceptron outputs use the step or sign activation: "
                                        f"{_names(doc, wrong)}", tuple(wrong)))
    soft = [h for h in hidden if doc.neurons[h].activation == "softmax"]
    if soft:
        out.append(Problem("error", f"softmax is only for output neurons: {_names(doc, soft)}",
                           tuple(soft)))
    if cycle:
        return out
    from_inputs = reachable(len(ids), edges, [index[i] for i in inputs])
    for o in outputs:
        if index[o] not in from_inputs:
            out.append(Problem("error", f"output {doc.display_name(o)} is not reachable from any "
                                        f"input", (o,)))
    backwards = [(t, s) for s, t in edges]
    to_outputs = reachable(len(ids), backwards, [index[o] for o in outputs])
    dead = [h for h in hidden if index[h] not in to_outputs]
    if dead:
        out.append(Problem("warning", f"no path leads from {_names(doc, dead)} to an output",
                           tuple(dead)))
    return out


BIPOLAR = frozenset((-1, 1))


def _hopfield(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    pairs: dict[tuple[str, str], float | None] = {}
    for c in doc.connections.values():
        if c.source in doc.neurons and c.target in doc.neurons:
            pairs[(c.source, c.target)] = c.weight
    for (s, t), w in pairs.items():
        back = pairs.get((t, s), w)  # a one-way wire counts as an undirected, symmetric link
        if s < t and back != w:
            out.append(Problem("error", f"Hopfield weights must be symmetric: "
                                        f"{doc.display_name(s)} → {doc.display_name(t)} is {w}, "
                                        f"but {doc.display_name(t)} → {doc.display_name(s)} is "
                                        f"{back}", (s, t)))
    h = doc.hopfield
    if h is None:
        return out
    rows, cols = h.shape
    n = rows * cols
    if rows < 1 or cols < 1:
        out.append(Problem("error", f"the Hopfield grid must be at least 1×1, not {rows}×{cols}"))
        return out
    for k, p in enumerate(h.patterns):
        name = h.pattern_names[k] if k < len(h.pattern_names) else f"pattern {k + 1}"
        if len(p) != n:
            out.append(Problem("error", f"{name} has {len(p)} values; the {rows}×{cols} grid "
                                        f"needs {n}"))
        elif not set(p) <= BIPOLAR:  # a set per row: 40 patterns of 1024 in µs, not ms
            out.append(Problem("error", f"{name} must hold only +1 and −1"))
    if h.state is not None and (len(h.state) != n or not set(h.state) <= BIPOLAR):
        out.append(Problem("error", f"the current state must be {n} values of +1 or −1"))
    if h.weights is not None:
        out += _hopfield_matrix(h.weights, n)
    return out


def _hopfield_matrix(w: list[list[float]], n: int) -> list[Problem]:
    if len(w) != n or any(len(row) != n for row in w):
        return [Problem("error", f"the Hopfield weight matrix must be {n}×{n}")]
    for i in range(n):
        if w[i][i] != 0:
            return [Problem("error", f"Hopfield units have no self-links: weight ({i}, {i}) must "
                                     f"be 0, not {w[i][i]}")]
        for j in range(i + 1, n):
            if w[i][j] != w[j][i]:
                return [Problem("error", f"the Hopfield weight matrix must be symmetric: "
                                         f"({i}, {j}) is {w[i][j]} but ({j}, {i}) is {w[j][i]}")]
    return []
