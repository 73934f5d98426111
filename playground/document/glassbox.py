"""One example through a document's network, explained: what the CLI's ``explain`` prints and the
app's walk-through, formula panel and hover card show.

The network is built exactly as a run would build it (``build.training_job`` → ``build_run``),
so the explained step is the first step that run would take on this example.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from engine.errors import EngineError
from playground.document import build
from playground.document.commands import ApplyTrainedValues
from playground.document.model import Document

if TYPE_CHECKING:  # the engine's learners and explainer are imported on the first explanation
    from engine.explain import Explanation, HopfieldStep
    from playground.document.compile import CompiledNetwork


class ExplainedExample(NamedTuple):
    """An explained step and the document ids of its spec nodes and edges."""

    explanation: Explanation
    compiled: CompiledNetwork

    def node_index(self, neuron_id: str) -> int | None:
        ids = self.compiled.node_ids
        return ids.index(neuron_id) if neuron_id in ids else None

    def edge_index(self, connection_id: str) -> int | None:
        ids = self.compiled.edge_ids
        return ids.index(connection_id) if connection_id in ids else None

    def to_json(self) -> dict:
        """The explanation with each neuron's and wire's document id (docs/explain.md)."""
        data = self.explanation.to_json()
        for n, nid in zip(data["neurons"], self.compiled.node_ids, strict=True):
            n["id"] = nid
        for w, cid in zip(data["wires"], self.compiled.edge_ids, strict=True):
            w["id"] = cid
        return data


def default_target(doc: Document, x: Sequence[float]) -> list[float]:
    """The dataset's label for ``x`` when it is a training (or test) point, else an EngineError."""
    data = build.build_dataset(doc)
    row = np.asarray(x, dtype=np.float64)
    for X, Y in ((data.X_train, data.Y_train), (data.X_test, data.Y_test)):
        if len(X) and X.shape[1] == row.size:
            hits = np.flatnonzero(np.all(np.isclose(X, row, rtol=0, atol=1e-9), axis=1))
            if hits.size:
                return Y[hits[0]].tolist()
    raise EngineError("the input is not a point of the dataset: give its target with --target")


def class_names(doc: Document) -> tuple[str, ...]:
    """The data's class names (an imported file's own, or "0"/"1"); () for regression."""
    data = build.build_dataset(doc)
    return () if data.task == "regression" else tuple(data.class_names)


def class_target(doc: Document, name: str) -> list[float] | None:
    """The target row of the class called ``name``: [k] for two classes, one-hot for more; None
    when the data names no such class."""
    names = class_names(doc)
    if name not in names:
        return None
    k = names.index(name)
    if len(names) == 2 and build.build_dataset(doc).task == "binary":
        return [float(k)]
    return [1.0 if j == k else 0.0 for j in range(len(names))]


def explain_example(doc: Document, x: Sequence[float], target: Sequence[float] | None = None,
                    values: tuple[dict[str, float], dict[str, float]] | None = None) -> ExplainedExample:
    """One training step of the document's network (MLP or perceptron mode) on (x, target);
    ``values`` (weights, biases by id) stand in for the document's, e.g. a running training's."""
    from engine.explain import explain_mlp, explain_perceptron
    from engine.mlp import MLP

    if values is not None:
        doc = doc.copy()
        doc.set_values(*values)
    job = build.training_job(doc)
    width = job.compiled.spec.n_inputs - len(job.prep.features)  # x is raw: the data's columns
    if len(x) != width:
        raise EngineError(f"the input has {len(x)} values, but the network reads {width} data columns")
    y = list(target) if target is not None else default_target(doc, x)
    # the network sees x as a run feeds it: features appended, then the input scaling
    x = job.prep.apply(np.asarray(x, dtype=np.float64).reshape(1, width))[0].tolist()
    prepared = build.build_run(job)
    session, config = prepared.session, job.config
    learner = session.learner
    if isinstance(learner, MLP):
        ex = explain_mlp(learner, x, y, config.loss, session.optimizer, config.l1, config.l2)
    else:
        ex = explain_perceptron(learner, x, y, config.learning_rate)
    return ExplainedExample(ex, job.compiled)


def update_command(doc: Document, example: ExplainedExample) -> ApplyTrainedValues:
    """The one undoable command that applies the explained update to the document."""
    from engine.spec import TrainedValues
    from playground.document.compile import apply_trained_values

    ex = example.explanation
    weights = [w.w + w.update for w in ex.wires]
    biases = [None if n.bias is None or n.bias_update is None else n.bias + n.bias_update
              for n in ex.neurons]
    values = TrainedValues(tuple(weights), tuple(biases))
    command = apply_trained_values(doc, example.compiled, values, 1)
    command.text = "Apply one step on the example"
    return command


def explain_units(doc: Document, state: Sequence[float],
                  units: Sequence[int] | None = None) -> list[HopfieldStep]:
    """Local field, decision and flip energy of Hopfield units (all of them by default)."""
    from engine.explain import explain_hopfield

    weights, _ = build.hopfield_memory(doc)
    if len(state) != len(weights):
        raise EngineError(f"the state has {len(state)} values, but the network has {len(weights)} units")
    chosen = range(len(weights)) if units is None else units
    return [explain_hopfield(weights, state, u) for u in chosen]
