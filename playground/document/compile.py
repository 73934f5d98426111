"""Document → engine spec, and trained values → an undoable write-back by id.

Input neurons keep document order: that order is the order of the data columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.spec import Edge, NetworkSpec, Node, TrainedValues
from playground.document.commands import ApplyTrainedValues
from playground.document.errors import DocumentError
from playground.document.model import Document
from playground.document.roles import ROLES, compile_rank
from playground.document.validation import errors


@dataclass(frozen=True)
class CompiledNetwork:
    spec: NetworkSpec
    node_ids: tuple[str, ...]  # neuron id per spec node
    edge_ids: tuple[str, ...]  # connection id per spec edge


def compile_network(doc: Document) -> CompiledNetwork:
    """The spec the engine builds learners from; DocumentError lists what blocks it."""
    problems = errors(doc)
    if problems:
        raise DocumentError("; ".join(p.message for p in problems))
    ordered = sorted(doc.neurons.values(), key=lambda n: compile_rank(n.role))  # stable
    index = {n.id: k for k, n in enumerate(ordered)}
    nodes = tuple(
        Node(kind=ROLES[n.role].compile_kind,
             activation=n.activation if ROLES[n.role].is_unit else "linear",
             has_bias=n.has_bias, bias=n.bias, is_output=ROLES[n.role].is_output,
             name=n.label or n.id)
        for n in ordered
    )
    conns = list(doc.connections.values())
    edges = tuple(Edge(index[c.source], index[c.target], c.weight) for c in conns)
    return CompiledNetwork(NetworkSpec(nodes, edges), tuple(n.id for n in ordered),
                           tuple(c.id for c in conns))


def apply_trained_values(doc: Document, compiled: CompiledNetwork, values: TrainedValues,
                         epochs: int) -> ApplyTrainedValues:
    """The command that writes a run's values back (the caller pushes or does it)."""
    weights = dict(zip(compiled.edge_ids, values.weights, strict=True))
    biases = {nid: b for nid, b in zip(compiled.node_ids, values.biases, strict=True)
              if b is not None}
    return ApplyTrainedValues(doc, weights, biases, epochs)
