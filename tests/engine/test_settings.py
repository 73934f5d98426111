"""The training-settings table: every consumer follows it, and a live change reaches the optimizer."""

from __future__ import annotations

import copy
import json
from dataclasses import fields

import numpy as np
import pytest

from engine.errors import EngineError
from engine.mlp import MLP
from engine.optimizers import make_optimizer
from engine.session import MLPSession
from engine.settings import BY_NAME, LIVE, SETTINGS, TrainingSettings
from engine.spec import Edge, NetworkSpec, Node
from engine.trainer import Control, RunOptions, run
from playground.document.errors import FileFormatError
from playground.document.examples import example_path
from playground.document.fileformat import document_to_data, dump_document, loads_document


def xor_session(**settings) -> MLPSession:
    from engine.datasets import dataset_from_arrays

    nodes = (Node("input"), Node("input"), Node("unit", "tanh"), Node("unit", "tanh"),
             Node("unit", "sigmoid", is_output=True))
    edges = (Edge(0, 2), Edge(1, 2), Edge(0, 3), Edge(1, 3), Edge(2, 4), Edge(3, 4))
    mlp = MLP.from_spec(NetworkSpec(nodes, edges), rng=np.random.default_rng(4))
    data = dataset_from_arrays([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], "binary")
    return MLPSession(mlp, data, TrainingSettings(loss="bce", batch_size=0, **settings))


def test_the_table_declares_every_field_once_and_its_defaults_are_valid() -> None:
    assert [s.name for s in SETTINGS] == [f.name for f in fields(TrainingSettings)]
    for s in SETTINGS:
        assert s.label and s.tooltip, s.name
        assert s.problem(s.default) is None, s.name
    assert set(LIVE) == {"learning_rate", "batch_size", "l1", "l2"}


def out_of_range(s) -> object:
    if s.kind == "choice":
        return "no-such-name"
    if s.kind == "bool":
        return 1
    if s.low is not None:
        return s.low if s.low_open else s.low - 1
    return "text"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_the_file_checker_rejects_a_bad_value_of_every_setting_by_its_path(setting) -> None:
    data = document_to_data(loads_document(example_path("xor").read_text()))
    data["training"][setting.name] = out_of_range(setting)
    with pytest.raises(FileFormatError) as info:
        loads_document(json.dumps(data))
    assert any(e.startswith(f"$.training.{setting.name}:") for e in info.value.errors), info.value.errors


def test_a_zero_learning_rate_is_refused_by_the_file_and_the_engine() -> None:
    data = document_to_data(loads_document(example_path("xor").read_text()))
    data["training"]["learning_rate"] = 0
    with pytest.raises(FileFormatError, match=r"learning_rate: must be greater than 0"):
        loads_document(json.dumps(data))
    with pytest.raises(EngineError, match="learning rate"):
        make_optimizer(TrainingSettings(learning_rate=0.0))


def test_every_setting_round_trips_through_a_file() -> None:
    doc = loads_document(example_path("xor").read_text())
    changed = TrainingSettings(loss="bce", optimizer="momentum", learning_rate=0.125, momentum=0.5,
                               nesterov=True, beta1=0.8, beta2=0.99, epsilon=1e-7, batch_size=3,
                               shuffle=False, epochs=77, seed=9, l1=0.001, l2=0.002, target_loss=0.05,
                               patience=12, init_weights="he", init_biases="normal",
                               precision="float32")
    assert all(getattr(changed, s.name) != s.default for s in SETTINGS)
    doc.training = changed
    assert loads_document(dump_document(doc)).training == changed


def test_old_files_without_the_new_settings_still_open_with_the_defaults() -> None:
    data = document_to_data(loads_document(example_path("xor").read_text()))
    for name in ("nesterov", "beta1", "beta2", "epsilon"):
        del data["training"][name]
    t = loads_document(json.dumps(data)).training
    assert (t.nesterov, t.beta1, t.beta2, t.epsilon) == (False, 0.9, 0.999, 1e-8)


def test_a_live_learning_rate_reaches_the_optimizer_of_a_running_loop() -> None:
    """Patch lr through Control as the app does; the next step must be p − lr_new·∇."""
    session = xor_session(learning_rate=0.5)
    reference = copy.deepcopy(session)
    control = Control()
    control.patch("learning_rate", 0.02)
    run(session, RunOptions(epochs=1), control)
    d = reference.data
    _, grads = reference.learner.gradients(d.X_train, d.Y_train, "bce")
    for got, p, g in zip(session.learner.params, reference.learner.params, grads, strict=True):
        np.testing.assert_allclose(got, p - 0.02 * g, rtol=1e-12, atol=1e-15)
    assert session.optimizer.lr == 0.02


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_a_live_rate_change_keeps_the_optimizer_state(optimizer: str) -> None:
    """Two epochs with a change between them equal the same two steps made by hand."""
    session = xor_session(optimizer=optimizer, learning_rate=0.1)
    twin = xor_session(optimizer=optimizer, learning_rate=0.1)
    session.train_epoch()
    session.patch("learning_rate", 0.3)
    session.train_epoch()
    twin.train_epoch()
    twin.config.learning_rate = 0.3
    twin.train_epoch()
    assert np.array_equal(session.learner.flat, twin.learner.flat)
    state = session.optimizer.velocity if optimizer == "momentum" else session.optimizer.m
    assert state is not None and np.any(state[0] != 0)


def test_a_live_batch_size_sent_as_a_float_becomes_a_whole_number() -> None:
    session = xor_session()
    session.patch("batch_size", 5.0)
    assert session.config.batch_size == 5 and isinstance(session.config.batch_size, int)
    with pytest.raises(EngineError, match="batch size"):
        session.patch("batch_size", 2.5)
    with pytest.raises(EngineError, match="cannot change during this run"):
        session.patch("loss", "mse")


def test_nesterov_momentum_takes_the_lookahead_step() -> None:
    """p ← p + μ·v − lr·g with v ← μ·v − lr·g, checked on f(p) = ½p² (gradient p) by hand."""
    settings = TrainingSettings(optimizer="momentum", learning_rate=0.1, momentum=0.9, nesterov=True)
    opt = make_optimizer(settings)
    p = np.array([1.0])
    v, q = 0.0, 1.0
    for _ in range(3):
        opt.step([p], [p.copy()])
        g = q
        v = 0.9 * v - 0.1 * g
        q = q + 0.9 * v - 0.1 * g
    assert p[0] == pytest.approx(q, rel=1e-15)
    plain = make_optimizer(TrainingSettings(optimizer="momentum", learning_rate=0.1))
    r = np.array([1.0])
    for _ in range(3):
        plain.step([r], [r.copy()])
    assert r[0] != pytest.approx(p[0])


def test_adam_reads_its_betas_and_epsilon_from_the_settings() -> None:
    settings = TrainingSettings(optimizer="adam", learning_rate=0.1, beta1=0.5, beta2=0.75, epsilon=0.25)
    opt = make_optimizer(settings)
    p, g = np.array([2.0]), np.array([0.5])
    opt.step([p], [g])
    m, v = 0.5 * 0.5, 0.25 * 0.25
    m_hat, v_hat = m / (1 - 0.5), v / (1 - 0.75)
    assert p[0] == pytest.approx(2.0 - 0.1 * m_hat / (np.sqrt(v_hat) + 0.25 * np.sqrt(1 / (1 - 0.75))),
                                 rel=1e-12)


def test_parse_and_coerce_speak_the_settings_words() -> None:
    assert BY_NAME["patience"].parse("none") is None
    assert BY_NAME["shuffle"].parse("no") is False
    assert BY_NAME["learning_rate"].parse("0.5") == 0.5
    with pytest.raises(EngineError, match="epoch cap: 'many' is not a whole number"):
        BY_NAME["epochs"].parse("many")


def test_the_file_format_doc_lists_every_setting() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "file-format.md").read_text(encoding="utf-8")
    section = text.split("## Training", 1)[1].split("\n## ", 1)[0]
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in section]
    assert not missing, f"docs/file-format.md does not document {missing}"


@pytest.mark.parametrize("example", ["spiral", "digits"])
def test_a_float32_project_trains_in_float32_to_the_float64_result(example: str) -> None:
    """The precision setting reaches the learner: float32 arithmetic all through the step, and
    the same net learns the same thing (the weights agree to float32's precision after a while)."""
    from playground.document.build import build_run, training_job

    doc = loads_document(example_path(example).read_text())
    assert doc.training.precision == "float64"  # the default: the seed figures need it
    runs = {}
    for precision in ("float64", "float32"):
        doc.training.precision = precision
        prepared = build_run(training_job(doc))
        session = prepared.session
        assert session.learner.flat.dtype == np.dtype(precision)
        for _ in range(5):
            session.train_epoch()
        runs[precision] = np.array(session.values().weights)
    np.testing.assert_allclose(runs["float32"], runs["float64"], atol=2e-3)
    assert np.abs(runs["float32"] - runs["float64"]).max() > 0  # it did compute in float32
