"""A neutral, numpy-free description of a feed-forward graph: what the document compiles into.

The engine builds its learners from this, and reports trained values back in the same order, so
the document can write them back by connection id without the engine knowing about ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal["input", "constant", "unit"]


@dataclass(frozen=True)
class Node:
    """One neuron. ``input`` nodes read a data column (in node order); ``constant`` nodes
    always output 1 (a drawn bias neuron); ``unit`` nodes compute act(Σ w·x + b)."""

    kind: NodeKind
    activation: str = "linear"
    has_bias: bool = True  # False: this unit has no bias term at all (stays 0, never trained)
    bias: float | None = None  # None: drawn from the bias initialiser when the learner is built
    is_output: bool = False
    name: str = ""  # for messages only


@dataclass(frozen=True)
class Edge:
    """A weighted wire from node index ``source`` to node index ``target``."""

    source: int
    target: int
    weight: float | None = None  # None: drawn from the weight initialiser when the learner is built


@dataclass(frozen=True)
class NetworkSpec:
    """Nodes and edges of a feed-forward graph. Output order = order of output nodes in ``nodes``."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = field(default_factory=tuple)

    @property
    def input_indices(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.kind == "input"]

    @property
    def output_indices(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.is_output]

    @property
    def n_inputs(self) -> int:
        return len(self.input_indices)

    @property
    def n_outputs(self) -> int:
        return len(self.output_indices)

    def values(self) -> TrainedValues | None:
        """The values a learner built from this spec starts with; None while any is still to be
        drawn (then the start depends on the seed, not on these numbers)."""
        weights = tuple(e.weight for e in self.edges)
        trained = [n.kind == "unit" and n.has_bias for n in self.nodes]
        biases = tuple(n.bias if t else None for n, t in zip(self.nodes, trained, strict=True))
        if None in weights or any(t and b is None for t, b in zip(trained, biases, strict=True)):
            return None
        return TrainedValues(weights, biases)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TrainedValues:
    """Values a learner hands back: one weight per spec edge, one bias per spec node (None where
    the node has no bias), in the spec's order."""

    weights: tuple[float, ...]
    biases: tuple[float | None, ...]  # None for input/constant nodes and units without a bias
