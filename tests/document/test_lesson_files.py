"""Lesson files: the shipped ones validate and their numbers are the engine's; bad ones are refused
with one clear message per problem; the check registry measures what it says."""

from __future__ import annotations

import copy
import json
import math
import random
import re
import sys
from pathlib import Path

import pytest

from engine.trainer import run
from playground.document import build
from playground.document.errors import FileFormatError
from playground.document.examples import example_path
from playground.document.fileformat import load_document
from playground.document.lesson_checks import (
    ACTIONS,
    CHECKS,
    CONTROLS,
    PLACEHOLDERS,
    Observation,
    Probe,
    document_values,
    fill,
)
from playground.document.lessons import (
    ORDER,
    SCHEMA_VERSION,
    lesson_from_data,
    lessons_dir,
    list_lessons,
    load_lesson,
    loads_lesson,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzzcases  # noqa: E402

LESSON_FILES = sorted(lessons_dir().glob("*.json"))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def base(example: str = "network-feedforward", **step: object) -> dict:
    """A minimal valid lesson on a shipped example, with one step made of ``step``."""
    return {"format": "nn-playground-lesson", "schema_version": 1, "title": "t",
            "project": {"example": example},
            "steps": [{"title": "s", "text": "x", **step}]}


def problems(data: object) -> list[str]:
    with pytest.raises(FileFormatError) as info:
        lesson_from_data(data)
    return info.value.errors


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_each_shipped_lesson_validates_and_fills_every_placeholder(path: Path) -> None:
    lesson = load_lesson(path)
    assert lesson.name in ORDER and lesson.steps
    probe = Probe(Observation(lesson.document()))
    for step in lesson.steps:
        text = fill(step.text, probe)
        assert "{" not in text and "—" not in text, text  # every number measured, none missing
        # Numbers the app measures are not typed in: a result with 3+ decimals only from a placeholder.
        assert not re.search(r"\d\.\d{3,}", step.text), step.text


def test_every_shipped_lesson_is_listed_in_teaching_order() -> None:
    names = [lesson.name for lesson in list_lessons()]
    assert names == list(ORDER) == sorted(names, key=ORDER.index)
    assert len(names) == len(LESSON_FILES) == 9


def test_placeholders_are_the_tutorials_figures_computed_by_hand() -> None:
    """The feed-forward tutorial's numbers, written out with math.exp, not the engine."""
    doc = load_document(example_path("network-feedforward"))
    probe = Probe(Observation(doc))
    h = sigmoid(0 * 2 + 1 * 3 + 0)
    assert fill("{sum:h1@2,3}", probe) == "3"
    assert fill("{output:h1@2,3}", probe) == f"{h:.8g}"
    assert probe.neuron("o1", [2, 3])[1] == pytest.approx(sigmoid(0 * h + 1 * h), abs=1e-15)
    assert probe.neuron("o1", [2, 3])[1] == pytest.approx(0.7216325609518421, abs=1e-12)
    assert fill("{weight:h2>o1} {bias:o1} {setting:learning_rate}", probe) == "1 0 0.03"


def test_nine_line_neuron_answer_after_training_is_the_tutorials() -> None:
    doc = load_document(example_path("nine-line-neuron"))
    prepared = build.prepare_training(doc)
    result = run(prepared.session, prepared.options)
    build.apply_trained(doc, prepared, result.epochs)
    probe = Probe(Observation(doc, epochs=result.epochs))
    assert fill("{output:o1@1,0,0}", probe) == "0.99993704"
    w = probe.values()[0]
    z = sum(w[c.id] * x for c, x in zip(doc.incoming("o1"), (1, 0, 0), strict=True))
    assert probe.neuron("o1", [1, 0, 0]) == pytest.approx((z, sigmoid(z)), abs=1e-12)
    ok, now = CHECKS["neuron_output_above"].evaluate(
        probe, {"neuron": "o1", "input": [1, 0, 0], "value": 0.999})
    assert ok and now == "now 0.99993704"
    assert CHECKS["epochs_at_least"].evaluate(probe, {"value": 10000})[0]
    assert not CHECKS["epochs_at_least"].evaluate(probe, {"value": 10001})[0]


def test_loss_and_accuracy_checks_read_the_engines_metrics() -> None:
    doc = load_document(example_path("xor"))
    metrics = build.prepare_training(doc).session.evaluate()
    probe = Probe(Observation(doc))
    assert CHECKS["loss_below"].evaluate(probe, {"value": metrics.train_loss + 1e-9})[0]
    assert not CHECKS["loss_below"].evaluate(probe, {"value": metrics.train_loss})[0]
    ok, now = CHECKS["accuracy_at_least"].evaluate(probe, {"value": 0.5, "on": "train"})
    assert ok and now == "now 50 %"
    assert not CHECKS["accuracy_at_least"].evaluate(probe, {"value": 0.75, "on": "train"})[0]
    given = Observation(doc, metrics=type(metrics)(0.001, None, 1.0, None))  # a running snapshot's
    assert CHECKS["loss_below"].evaluate(Probe(given), {"value": 0.01})[0]


def test_change_and_since_the_step_checks() -> None:
    doc = load_document(example_path("network-feedforward"))
    obs = Observation(doc, start=document_values(doc))
    assert not CHECKS["weights_changed"].evaluate(Probe(obs), {})[0]
    next(iter(doc.connections.values())).weight = 0.5
    assert CHECKS["weights_changed"].evaluate(Probe(obs), {}) == (True, "1 changed")
    assert not CHECKS["run_ended"].evaluate(Probe(obs), {"reason": "converged"})[0]
    obs.run_ended = "converged"
    assert CHECKS["run_ended"].evaluate(Probe(obs), {"reason": "converged"})[0]
    assert not CHECKS["run_ended"].evaluate(Probe(obs), {"reason": "not_separable"})[0]
    assert CHECKS["mode_is"].evaluate(Probe(obs), {"mode": "mlp"})[0]
    assert not CHECKS["setting_is"].evaluate(Probe(obs), {"name": "learning_rate", "value": 0.1})[0]
    doc.training.learning_rate = 0.1
    assert CHECKS["setting_is"].evaluate(Probe(obs), {"name": "learning_rate", "value": 0.1})[0]


def test_recall_check_needs_a_recall_that_ended_in_that_pattern() -> None:
    doc = load_document(example_path("hopfield-letters"))
    params = {"pattern": "A"}
    assert not CHECKS["recalls_pattern"].evaluate(Probe(Observation(doc)), params)[0]
    names = doc.hopfield.pattern_names
    wrong = Observation(doc, recall=("pattern", names.index("X")))
    assert CHECKS["recalls_pattern"].evaluate(Probe(wrong), params) == (False, "last recall: pattern X")
    spurious = Observation(doc, recall=("spurious", None))
    assert not CHECKS["recalls_pattern"].evaluate(Probe(spurious), params)[0]
    right = Observation(doc, recall=("pattern", names.index("A")))
    assert CHECKS["recalls_pattern"].evaluate(Probe(right), params)[0]


def test_every_kind_is_documented() -> None:
    text = (ROOT / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    for table in (CHECKS, ACTIONS, PLACEHOLDERS, CONTROLS):
        for name in table:
            assert f"`{name}`" in text, name


def test_an_inline_project_is_checked_and_each_document_is_a_fresh_copy() -> None:
    data = base()
    data["project"] = {"inline": json.loads(example_path("xor").read_text(encoding="utf-8"))}
    lesson = lesson_from_data(data)
    assert lesson.example is None and lesson.document() is not lesson.document()
    assert lesson.document().connections == lesson.project.connections
    data["project"]["inline"]["neurons"][0]["activation"] = "fancy"
    (problem,) = problems(data)
    assert problem.startswith("$.project.inline.neurons[0].activation: unknown activation 'fancy'")


@pytest.mark.parametrize(("change", "expected"), [
    ({"checks": [{"kind": "loss_under", "value": 1}]},
     "$.steps[0].checks[0].kind: unknown check 'loss_under'"),
    ({"checks": [{"kind": "loss_below"}]}, "$.steps[0].checks[0]: missing required field 'value'"),
    ({"checks": [{"kind": "loss_below", "value": 1, "x": 2}]}, "$.steps[0].checks[0].x: unknown field"),
    ({"checks": [{"kind": "weight_between", "wire": "x1>o1", "low": 0, "high": 1}]},
     "$.steps[0].checks[0].wire: the project has no wire 'x1>o1'"),
    ({"checks": [{"kind": "neuron_output_above", "neuron": "o1", "input": [1], "value": 0}]},
     "$.steps[0].checks[0].input: expected 2 items, found 1"),
    ({"checks": [{"kind": "accuracy_at_least", "value": 95}]},
     "$.steps[0].checks[0].value: must be at most 1"),
    ({"checks": [{"kind": "recalls_pattern", "pattern": "A"}]},
     "$.steps[0].checks[0].pattern: unknown pattern 'A' (known: )"),
    ({"try": [{"do": "set_setting", "name": "optimizer", "value": "rmsprop"}]},
     "$.steps[0].try[0].value: unknown"),
    ({"try": [{"do": "fly"}]}, "$.steps[0].try[0].do: unknown action 'fly'"),
    ({"hide": ["menu"]}, "$.steps[0].hide[0]: unknown control 'menu'"),
    ({"text": "now {los}"}, "$.steps[0].text {los}: unknown placeholder 'los'"),
    ({"text": "{output:h9@2,3}"}, "$.steps[0].text {output:h9@2,3}: the project has no neuron 'h9'"),
    ({"text": "{output:o1@2}"}, "$.steps[0].text {output:o1@2}: expected 2 items, found 1"),
    ({"text": "{output:o1}"}, "write the input row as numbers after '@'"),
    ({"text": "{loss:o1}"}, "'loss' takes no argument"),
    ({"text": "{weight}"}, "'weight' needs an argument (wire)"),
])
def test_bad_steps_are_refused_naming_the_path(change: dict, expected: str) -> None:
    found = problems(base(**change))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(("data", "expected"), [
    ([], "$: expected an object"),
    ({"format": "nn-playground"}, "$.format: this is not an nn-playground lesson"),
    ({**base(), "schema_version": SCHEMA_VERSION + 1}, "this lesson was written by a newer version"),
    ({**base(), "schema_version": "1"}, "$.schema_version: expected a whole number"),
    ({**base(), "steps": []}, "$.steps: a lesson needs at least one step"),
    ({**base(), "project": {"example": "nope"}}, "$.project.example: there is no shipped example"),
    ({**base(), "project": {}}, "$.project: give either a shipped 'example' name or an 'inline'"),
    ({**base(), "steps": [{"title": "s", "text": "x"}] * 51}, "$.steps: has 51 items; the limit is 50"),
])
def test_bad_lessons_are_refused_with_one_clear_message(data: object, expected: str) -> None:
    found = problems(data)
    assert found[0].startswith(expected), found


def test_text_level_damage_is_one_message() -> None:
    good = (lessons_dir() / "xor-hidden.json").read_text(encoding="utf-8")
    for text, expected in [(good[:200], "not valid JSON"), (good.replace("1,", "NaN,", 1), "NaN"),
                           ('{"a": ' * 40 + "1" + "}" * 40, "nested more than 32"),
                           (good.replace('"title"', '"title": "x", "title"', 1), "appears twice")]:
        with pytest.raises(FileFormatError) as info:
            loads_lesson(text)
        assert len(info.value.errors) == 1 and expected in info.value.errors[0]


def test_seeded_mutations_are_accepted_and_usable_or_refused_clearly() -> None:
    """A few hundred damaged lessons: never a crash, and every refusal is readable lines."""
    verdicts = [fuzzcases.lesson_verdict(fuzzcases.lesson_case(seed)) for seed in range(300)]
    crashes = [v for v in verdicts if v.startswith("crashed")]
    assert not crashes, crashes[0]
    assert verdicts.count("rejected") > 100 and verdicts.count("accepted") > 10
    rng = random.Random(7)
    for _ in range(100):
        tree = fuzzcases.mutate_tree(copy.deepcopy(json.loads(LESSON_FILES[0].read_text())), rng)
        try:
            lesson_from_data(tree)
        except FileFormatError as exc:
            assert exc.errors and all(e and "\n" not in e and "Traceback" not in e
                                      for e in exc.errors)


def test_a_running_trainings_values_are_what_the_checks_read() -> None:
    """While a run goes on the document keeps its old weights; the snapshot's values count."""
    doc = load_document(example_path("gender-sgd"))
    trained = load_document(example_path("gender-sgd"))
    prepared = build.prepare_training(trained)
    run(prepared.session, prepared.options)
    values = prepared.session.values()
    build.apply_trained(trained, prepared, 1000)
    live = Probe(Observation(doc, values=values))
    assert live.neuron("o1", [-7, -3]) == Probe(Observation(trained)).neuron("o1", [-7, -3])
    assert live.neuron("o1", [-7, -3]) != Probe(Observation(doc)).neuron("o1", [-7, -3])
    assert fill("{weight:h1>o1}", live) == fill("{weight:h1>o1}", Probe(Observation(trained)))
