"""How a free-drawn feed-forward graph becomes dense, masked matrices.

Every unit gets a depth (longest path from an input); equal depths form a level; output units all
sit in the last level. Level l reads each shallower level k it has wires from through a block
W[k→l] and a boolean mask of the wires that exist, so skip connections cost one extra dot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine import rules
from engine.activations import get_activation
from engine.errors import EngineError
from engine.graph import depths, find_cycle
from engine.spec import NetworkSpec


@dataclass
class Level:
    nodes: list[int]  # spec node indices, in column order
    groups: list[tuple[str, slice | np.ndarray]] = field(default_factory=list)  # activation, cols
    bias_mask: np.ndarray | None = None  # 1.0 where the unit has a bias


@dataclass
class Block:
    source: int  # source level
    target: int  # target level
    mask: np.ndarray  # bool, (len(source level), len(target level))


@dataclass
class Layout:
    levels: list[Level]
    blocks: list[Block]
    column: dict[int, tuple[int, int]]  # spec node -> (level, column)
    n_inputs: int
    n_constants: int


def _name(spec: NetworkSpec, i: int) -> str:
    return spec.nodes[i].name or f"node {i}"


def _check(spec: NetworkSpec) -> None:
    n = len(spec.nodes)
    for e in spec.edges:
        if not (0 <= e.source < n and 0 <= e.target < n):
            raise EngineError(f"a wire refers to a node that does not exist ({e.source}→{e.target})")
        if spec.nodes[e.target].kind != "unit":
            raise EngineError(f"a wire leads into {_name(spec, e.target)}, which is an input")
        if spec.nodes[e.source].is_output:
            raise EngineError(f"output {_name(spec, e.source)} cannot feed another neuron")
    cycle = find_cycle(n, [(e.source, e.target) for e in spec.edges])
    if cycle:
        raise EngineError(rules.cycle(_name(spec, i) for i in [*cycle, cycle[0]]))
    if spec.n_outputs == 0:
        raise EngineError(rules.NO_OUTPUT)
    for i, node in enumerate(spec.nodes):
        if node.kind == "unit" and get_activation(node.activation).output_only and not node.is_output:
            raise EngineError(rules.output_only(node.activation, [_name(spec, i)]))


def build_layout(spec: NetworkSpec) -> Layout:
    """Levels, blocks and masks for ``spec`` (EngineError names what is wrong)."""
    _check(spec)
    n = len(spec.nodes)
    units = [i for i, node in enumerate(spec.nodes) if node.kind == "unit"]
    floor = [1 if node.kind == "unit" else 0 for node in spec.nodes]  # unwired units compute act(bias)
    depth = depths(n, [(e.source, e.target) for e in spec.edges], floor)
    top = max(depth[i] for i in units)
    for i in spec.output_indices:
        depth[i] = top
    inputs = spec.input_indices
    constants = [i for i, node in enumerate(spec.nodes) if node.kind == "constant"]
    levels = [Level(inputs + constants)]
    for d in range(1, top + 1):
        nodes = [i for i in units if depth[i] == d]
        if d == top:  # outputs first, in spec order, then any dead-end units
            nodes = spec.output_indices + [i for i in nodes if not spec.nodes[i].is_output]
        levels.append(Level(nodes))
    levels = [levels[0]] + [lv for lv in levels[1:] if lv.nodes]
    column = {node: (k, c) for k, lv in enumerate(levels) for c, node in enumerate(lv.nodes)}
    for lv in levels[1:]:
        acts = [spec.nodes[i].activation for i in lv.nodes]
        names = list(dict.fromkeys(acts))
        if len(names) == 1:
            lv.groups = [(names[0], slice(None))]
        else:
            lv.groups = [(a, np.array([c for c, b in enumerate(acts) if b == a])) for a in names]
        lv.bias_mask = np.array([1.0 if spec.nodes[i].has_bias else 0.0 for i in lv.nodes])
    masks: dict[tuple[int, int], np.ndarray] = {}
    for e in spec.edges:
        (ks, cs), (kt, ct) = column[e.source], column[e.target]
        key = (ks, kt)
        if key not in masks:
            masks[key] = np.zeros((len(levels[ks].nodes), len(levels[kt].nodes)), dtype=bool)
        if masks[key][cs, ct]:
            raise EngineError(f"two wires join {_name(spec, e.source)} and {_name(spec, e.target)}")
        masks[key][cs, ct] = True
    blocks = [Block(s, t, m) for (s, t), m in sorted(masks.items(), key=lambda kv: kv[0][::-1])]
    return Layout(levels, blocks, column, len(inputs), len(constants))
