"""From a document to runnable engine objects: data, learner, session, and back again.

A run is described once, as a ``TrainingJob`` (compiled network, data arrays, settings), and
``build_run`` is the one function that turns a job into engine objects: the CLI, the app's thread
runner and its training process all call it, so a project trains the same way everywhere.

The window's first paint needs only the data functions here; the training engine (learners,
sessions, the compiler, export, Hopfield) is imported by the functions that use it, so opening the
app does not load it (``tests/qt/test_main_window.py`` lists what a first window leaves unimported).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.datasets import Dataset, make_dataset
from engine.errors import EngineError
from engine.features import FEATURES, NO_PREPROCESS, Preprocess, Preprocessed
from engine.precision import PRECISIONS
from playground.document import points
from playground.document.model import DatasetSpec, Document
from playground.document.validation import pattern_name, pattern_problems
from playground.paths import datasets_dir

if TYPE_CHECKING:  # imported where used: see the module's docstring
    from engine.mlp import MLP
    from engine.perceptron import Perceptron
    from engine.session import RunState, Session
    from engine.settings import TrainingSettings
    from engine.spec import NetworkSpec, TrainedValues
    from engine.trainer import RunOptions
    from playground.document.compile import CompiledNetwork


@dataclass(frozen=True)
class TrainingJob:
    """What one run needs and nothing more: checked in the GUI, built into a run where it trains.

    The GUI's views read ``compiled`` (the id maps) and ``data`` from it; a runner needs all of it.
    No document and no file: a training process builds the run from these values alone."""

    kind: str  # "mlp" or "perceptron"
    compiled: CompiledNetwork  # the spec (with the document's values; None = drawn) and its ids
    data: Dataset
    config: TrainingSettings  # the run's own copy (initialisers and seed included)
    speed: float | None = None  # epochs per second cap at the start; None: as fast as possible
    resume: RunState | None = None  # where the run that stopped at these weights left off
    prep: Preprocess = NO_PREPROCESS  # data columns -> network inputs (features, scaling)

    def network_data(self) -> Dataset:
        """The data as the network reads it (``data`` stays raw: the plots draw raw points)."""
        return network_data(self.data, self.prep)


@dataclass
class PreparedTraining:
    """A job built into engine objects: the session ``engine.trainer.run`` trains."""

    job: TrainingJob
    session: Session
    options: RunOptions

    @property
    def compiled(self) -> CompiledNetwork:
        return self.job.compiled


def build_dataset(doc: Document) -> Dataset:
    """The document's data: a seeded built-in dataset or the inline arrays."""
    return dataset_of(doc.dataset)


def dataset_of(spec: DatasetSpec | None) -> Dataset:
    """The data a dataset section describes (a command's new section, before it is done)."""
    if spec is None or (spec.inline is None and not spec.name):
        raise EngineError("this project has no dataset: choose one before training")
    if spec.inline is not None:
        return points.rows_dataset(spec.inline)
    params = dict(spec.params or {})
    return make_dataset(
        spec.name, n_points=params.get("n_points"), noise=params.get("noise"),
        train_fraction=spec.train_fraction, seed=spec.seed, data_dir=datasets_dir(),
    )


def preprocess_of(doc: Document) -> Preprocess:
    """The document's preprocessing as the engine applies it (features by name, stored scaling)."""
    spec = doc.dataset
    if spec is None:
        return Preprocess()
    s = spec.scaling
    return Preprocess(tuple(spec.features), None if s is None else s.method,
                      () if s is None else tuple(s.offset), () if s is None else tuple(s.scale))


def network_data(data: Dataset, prep: Preprocess) -> Dataset:
    """``data`` with its input columns run through ``prep`` (the same object when it is identity)."""
    if prep.identity:
        return data
    names = data.input_names + tuple(FEATURES[f].label for f in prep.features)
    return dataclasses.replace(data, X_train=prep.apply(data.X_train), X_test=prep.apply(data.X_test),
                               input_names=names)


def _learner(kind: str, spec: NetworkSpec, settings: TrainingSettings) -> MLP | Perceptron:
    """The learner of a spec; values left None are drawn from the seed with the initialisers."""
    from engine.mlp import MLP
    from engine.perceptron import Perceptron

    rng = np.random.default_rng(settings.seed)
    init = (settings.init_weights, settings.init_biases)
    if kind == "perceptron":
        return Perceptron.from_spec(spec, rng=rng, init=init)
    return MLP.from_spec(spec, PRECISIONS[settings.precision], rng=rng, init=init)


def build_learner(doc: Document, compiled: CompiledNetwork | None = None) -> MLP | Perceptron:
    """The learner with the document's values; values left null are drawn from the seed."""
    from playground.document.compile import compile_network

    compiled = compiled or compile_network(doc)
    return _learner(doc.mode, compiled.spec, doc.training)


def training_job(doc: Document, speed: float | None = None) -> TrainingJob:
    """Compile and build the data once, and check that they can train together (no learner yet).

    Raises EngineError/DocumentError with the message the app shows as "Cannot train yet"."""
    from playground.document.compile import compile_network

    if doc.mode == "hopfield":
        raise EngineError("a Hopfield network is not trained by epochs: store patterns instead")
    compiled = compile_network(doc)
    data = build_dataset(doc)
    prep = preprocess_of(doc)
    check_widths(compiled, network_data(data, prep))
    if doc.mode == "perceptron" and data.task == "regression":
        raise EngineError("a perceptron classifies: choose a classification dataset")
    return TrainingJob(doc.mode, compiled, data, dataclasses.replace(doc.training), speed, prep=prep)


def build_run(job: TrainingJob) -> PreparedTraining:
    """The one place a job becomes a learner, a session and run options."""
    from engine.perceptron import Perceptron
    from engine.session import MLPSession, PerceptronSession
    from engine.trainer import RunOptions

    learner = _learner(job.kind, job.compiled.spec, job.config)
    session: Session
    if isinstance(learner, Perceptron):
        session = PerceptronSession(learner, job.network_data(), job.config)
    else:
        session = MLPSession(learner, job.network_data(), job.config, job.resume)
    options = RunOptions()  # the cap and stop rules are the session's settings
    return PreparedTraining(job, session, options)


def initial_values(job: TrainingJob) -> TrainedValues:
    """The values a run of ``job`` starts from (the app's "reset to the same initial weights")."""
    return _learner(job.kind, job.compiled.spec, job.config).trained_values()


def prepare_training(doc: Document) -> PreparedTraining:
    """Compile, build data and learner, and wrap them for ``engine.trainer.run``."""
    return build_run(training_job(doc))


def check_widths(compiled: CompiledNetwork, data: Dataset) -> None:
    """Name the mismatch between the drawn inputs/outputs and the dataset's columns."""
    spec = compiled.spec
    n_in, n_out = data.X_train.shape[1], data.Y_train.shape[1]
    if spec.n_inputs != n_in or spec.n_outputs != n_out:
        raise EngineError(
            f"the network has {spec.n_inputs} input and {spec.n_outputs} output neurons, but "
            f"the dataset has {n_in} inputs and {n_out} outputs"
        )


def apply_trained(doc: Document, prepared: PreparedTraining, epochs: int) -> None:
    """Write the trained values into the document (one undoable command, done here)."""
    from playground.document.compile import apply_trained_values

    command = apply_trained_values(doc, prepared.compiled, prepared.session.values(), epochs)
    command.do(doc)


def export_data(prepared: PreparedTraining) -> dict:
    """Layered export of the trained network, with connection ids."""
    from engine.export import layered

    return layered(prepared.compiled.spec, prepared.session.values(), prepared.compiled.edge_ids,
                   prepared.job.prep)


def export_document(doc: Document) -> dict:
    """The document's current weights in the export format (layered MLP/perceptron, or Hopfield)."""
    from engine.export import hopfield_layered, layered
    from playground.document.compile import compile_network

    if doc.mode == "hopfield":
        weights, patterns = hopfield_memory(doc)
        return hopfield_layered(weights, np.zeros(len(weights)), patterns, doc.hopfield.shape)
    compiled = compile_network(doc)
    learner = build_learner(doc, compiled)
    return layered(compiled.spec, learner.trained_values(), compiled.edge_ids, preprocess_of(doc))


def predict(doc: Document, rows: Sequence[Sequence[float]]) -> np.ndarray:
    """Outputs for raw input rows (the data's columns: features and scaling are applied here)."""
    from playground.document.compile import compile_network

    if doc.mode == "hopfield":
        raise EngineError("a Hopfield network recalls patterns: use 'nn-playground recall'")
    compiled = compile_network(doc)
    learner = build_learner(doc, compiled)
    prep = preprocess_of(doc)
    width = compiled.spec.n_inputs - len(prep.features)
    for k, row in enumerate(rows, 1):
        if len(row) != width:
            raise EngineError(f"input {k} has {len(row)} values, but the network reads {width} "
                              f"data columns")
    model = Preprocessed(learner, prep)
    return model.forward(np.asarray(rows, dtype=np.float64).reshape(len(rows), width))


def hopfield_memory(doc: Document) -> tuple[np.ndarray, np.ndarray]:
    """(weights, patterns) of a Hopfield project: stored weights if present, else the rule's."""
    from engine import hopfield

    h = doc.hopfield
    if doc.mode != "hopfield" or h is None:
        raise EngineError("this project is not a Hopfield network")
    n = h.shape[0] * h.shape[1]
    problems = pattern_problems(h) if n > 0 else []  # validation's words: the CLI says them too
    if problems:
        raise EngineError(problems[0].message)
    patterns = np.array([hopfield.as_bipolar(p, pattern_name(h, k)) for k, p in enumerate(h.patterns)],
                        dtype=np.int8).reshape(-1, n)
    if h.weights is not None:
        weights = hopfield.check_weights(np.array(h.weights, dtype=np.float64))
    elif len(patterns):
        weights = hopfield.store(patterns, h.rule)
    else:
        weights = np.zeros((n, n))
    if weights.shape != (n, n):
        raise EngineError(f"the weight matrix must be {n}×{n} for the {h.shape[0]}×{h.shape[1]} grid")
    return weights, patterns
