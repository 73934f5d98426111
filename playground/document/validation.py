"""Is this document usable in a mode? Problems name the neurons, so users can find them.

The one place that decides what fits a mode: the status bar, ``Check Network``, the CLI's
``validate``, the compiler and the mode switch (``edits.mode_problems``) all read these problems,
so they say the same words. Sentences for rules the engine also guards come from ``engine.rules``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from engine import rules
from engine.activations import ACTIVATIONS, Activation
from engine.graph import find_cycle, reachable
from playground.document.model import Document, HopfieldSettings
from playground.document.roles import ROLES, Role


class Problem(NamedTuple):
    severity: str  # error | warning
    message: str
    ids: tuple[str, ...] = ()
    mode_fit: bool = False  # about the graph fitting its mode: what a mode switch reports


def _names(doc: Document, ids: list[str]) -> str:
    return ", ".join(doc.display_name(i) for i in ids)


def validate(doc: Document, mode: str | None = None) -> list[Problem]:
    """Every problem of the document in ``mode`` (default: its own mode), errors first."""
    mode = doc.mode if mode is None else mode
    problems = _wiring(doc, mode)
    if mode in ("mlp", "perceptron"):
        problems += _feed_forward(doc, mode)
    elif mode == "hopfield":
        problems += _hopfield(doc)
    return sorted(problems, key=lambda p: p.severity != "error")


def errors(doc: Document) -> list[Problem]:
    return [p for p in validate(doc) if p.severity == "error"]


def _role_ids(doc: Document, has: Callable[[Role], bool]) -> list[str]:
    """Neurons whose (registered) role ``has`` a fact, in document order."""
    return [n.id for n in doc.neurons.values() if n.role in ROLES and has(ROLES[n.role])]


def _wiring(doc: Document, mode: str) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for n in doc.neurons.values():
        role = ROLES.get(n.role)
        if role is None:
            out.append(Problem("error", f"{doc.display_name(n.id)} has an unknown role '{n.role}'",
                               (n.id,)))
        elif role.is_unit and n.activation not in ACTIVATIONS:
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
        if mode == "hopfield":
            continue
        target, source = ROLES.get(doc.neurons[c.target].role), ROLES.get(doc.neurons[c.source].role)
        if target is not None and not target.accepts_input:
            out.append(Problem("error", f"{dst} is an {target.name} neuron: no wire "
                                        f"can lead into it (from {src})", (c.id, c.target)))
        if source is not None and not source.feeds:
            out.append(Problem("error", f"{source.name} {src} cannot feed another neuron ({dst})",
                               (c.id, c.source)))
    return out


def _feed_forward(doc: Document, mode: str) -> list[Problem]:
    out: list[Problem] = []
    ids = list(doc.neurons)
    index = {nid: k for k, nid in enumerate(ids)}
    edges = [(index[c.source], index[c.target]) for c in doc.connections.values()
             if c.source in index and c.target in index and c.source != c.target]
    cycle = find_cycle(len(ids), edges)
    if cycle:
        names = [doc.display_name(ids[k]) for k in [*cycle, cycle[0]]]
        out.append(Problem("error", rules.cycle(names), tuple(ids[k] for k in cycle)))
    inputs = _role_ids(doc, lambda r: r.compile_kind == "input")
    outputs = _role_ids(doc, lambda r: r.is_output)
    hidden = _role_ids(doc, lambda r: r.is_unit and not r.is_output)
    if not inputs:
        out.append(Problem("error", "the network has no input neuron"))
    if not outputs:
        out.append(Problem("error", rules.NO_OUTPUT))
    out += _activations(doc, mode, hidden, outputs)
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


def _activations(doc: Document, mode: str, hidden: list[str], outputs: list[str]) -> list[Problem]:
    """What the units' activations allow in ``mode``: the registry says which fit where."""
    out: list[Problem] = []

    def flag(ids: list[str], message: str, severity: str = "error", mode_fit: bool = True) -> None:
        if ids:
            out.append(Problem(severity, message, tuple(ids), mode_fit))

    def act(nid: str) -> Activation | None:
        return ACTIVATIONS.get(doc.neurons[nid].activation)

    if mode == "perceptron":
        flag(hidden, rules.perceptron_hidden(doc.display_name(h) for h in hidden))
        wrong = [o for o in outputs if act(o) is not None and act(o).differentiable]
        flag(wrong, rules.perceptron_outputs(doc.display_name(o) for o in wrong))
    elif mode == "mlp":  # legal, but nothing behind such a unit can learn
        flat = [u for u in [*hidden, *outputs] if act(u) is not None and not act(u).differentiable]
        flag(flat, rules.no_gradient(doc.display_name(u) for u in flat), "warning")
    coupled = [h for h in hidden if act(h) is not None and act(h).output_only]
    for name in dict.fromkeys(doc.neurons[h].activation for h in coupled):
        ids = [h for h in coupled if doc.neurons[h].activation == name]
        flag(ids, rules.output_only(name, (doc.display_name(h) for h in ids)), mode_fit=False)
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
                                        f"{back}", (s, t), mode_fit=True))
    return out if doc.hopfield is None else out + hopfield_problems(doc.hopfield)


def pattern_name(h: HopfieldSettings, k: int) -> str:
    """What users call pattern ``k`` (0-based here): its name, else 'pattern k+1'."""
    return h.pattern_names[k] if k < len(h.pattern_names) else f"pattern {k + 1}"


def hopfield_problems(h: HopfieldSettings) -> list[Problem]:
    """The memory's own settings: grid, patterns, state and stored weights."""
    out: list[Problem] = []
    rows, cols = h.shape
    n = rows * cols
    if rows < 1 or cols < 1:
        out.append(Problem("error", f"the Hopfield grid must be at least 1×1, not {rows}×{cols}"))
        return out
    out += pattern_problems(h)
    if h.state is not None and (len(h.state) != n or not set(h.state) <= BIPOLAR):
        out.append(Problem("error", f"the current state must be {n} values of +1 or −1"))
    if h.weights is not None:
        out += _hopfield_matrix(h.weights, n)
    return out


def pattern_problems(h: HopfieldSettings) -> list[Problem]:
    """Patterns that do not fit the grid or are not ±1 (the grid is at least 1×1)."""
    out: list[Problem] = []
    rows, cols = h.shape
    n = rows * cols
    for k, p in enumerate(h.patterns):
        name = pattern_name(h, k)
        if len(p) != n:
            out.append(Problem("error", f"{name} has {len(p)} values; the {rows}×{cols} grid "
                                        f"needs {n}"))
        elif not set(p) <= BIPOLAR:  # a set per row: 40 patterns of 1024 in µs, not ms
            out.append(Problem("error", f"{name} must hold only +1 and −1"))
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
