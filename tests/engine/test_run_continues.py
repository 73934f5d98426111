"""A run continues its shuffle stream and optimizer memory across stops (issue 12, item 2).

Training N epochs in pieces, each piece a new session started from the last one's weights and
``run_state()``, must give bit-identical weights to one session trained N epochs at once."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from engine.session import MLPSession
from engine.trainer import RunOptions, run
from playground.document import build
from playground.document.examples import example_path
from playground.document.fileformat import load_document


def xor_job(optimizer: str, **settings) -> build.TrainingJob:
    doc = load_document(example_path("xor"))
    doc.training = dataclasses.replace(doc.training, optimizer=optimizer, shuffle=True, batch_size=2,
                                       learning_rate=0.05 if optimizer == "adam" else 0.5,
                                       **settings)
    return build.training_job(doc)


def train(job: build.TrainingJob, epochs: int) -> MLPSession:
    session = build.build_run(job).session
    run(session, RunOptions(epochs=epochs, stop_rules=False))
    return session


def continued(job: build.TrainingJob, session: MLPSession) -> build.TrainingJob:
    """The next piece: a job from the weights the last piece stopped at, with its state."""
    values = session.values()
    spec = job.compiled.spec
    nodes = tuple(dataclasses.replace(n, bias=b) if b is not None else n
                  for n, b in zip(spec.nodes, values.biases, strict=True))
    edges = tuple(dataclasses.replace(e, weight=w) for e, w in zip(spec.edges, values.weights,
                                                                   strict=True))
    compiled = dataclasses.replace(job.compiled, spec=dataclasses.replace(spec, nodes=nodes, edges=edges))
    return dataclasses.replace(job, compiled=compiled, resume=session.run_state())


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("pieces", [[30], [1] * 30, [7, 1, 22], [15, 15]])
def test_pieces_train_to_the_same_weights_as_one_run(optimizer, pieces) -> None:
    whole = train(xor_job(optimizer), 30).values()
    job = xor_job(optimizer)
    session = None
    for n in pieces:
        session = train(job if session is None else continued(job, session), n)
    assert session.values() == whole  # bit-identical, not close


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_without_the_state_a_second_piece_differs(optimizer) -> None:
    """The state carries something: dropping it (the old behaviour) changes the weights."""
    job = xor_job(optimizer)
    first = train(job, 15)
    cold = dataclasses.replace(continued(job, first), resume=None)
    assert train(cold, 15).values() != train(xor_job(optimizer), 30).values()


def test_a_state_from_other_weights_or_another_seed_is_not_used() -> None:
    job = xor_job("adam")
    first = train(job, 10)
    state = first.run_state()
    assert state.slots["t"] == 10 * 2  # two batches of two per epoch
    nxt = continued(job, first)
    assert build.build_run(nxt).session.optimizer.t == 20
    other_seed = dataclasses.replace(nxt, config=dataclasses.replace(nxt.config, seed=nxt.config.seed + 1))
    assert build.build_run(other_seed).session.optimizer.t == 0
    edited = dataclasses.replace(nxt, resume=dataclasses.replace(
        state, values=dataclasses.replace(state.values, weights=(0.0, *state.values.weights[1:]))))
    assert build.build_run(edited).session.optimizer.t == 0


def test_the_shuffle_stream_continues_rather_than_restarting() -> None:
    job = xor_job("sgd")
    first = train(job, 3)
    resumed = build.build_run(continued(job, first)).session
    assert resumed.rng.bit_generator.state == first.rng.bit_generator.state
    assert resumed.rng.bit_generator.state != np.random.default_rng(job.config.seed).bit_generator.state
