"""The hint detector on recorded loss curves (issue 12, item 5): it speaks for a too-high
learning rate and for a stuck run, and never for a run that is fine — at no epoch of it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.hints import PLATEAU, RECENT, chance_loss, diagnose
from tests.engine.record_loss_curves import record

CURVES = json.loads((Path(__file__).parent / "data" / "loss_curves.json").read_text())


def hints_over_the_run(curve: dict) -> list[tuple[int, str]]:
    """(epoch, kind) of every hint, asking after each epoch as the app does per snapshot."""
    losses = curve["losses"]
    return [(t, h.kind) for t in range(1, len(losses) + 1)
            if (h := diagnose(losses[:t], curve["chance"], curve["learning_rate"])) is not None]


@pytest.mark.parametrize("name", [n for n, c in CURVES.items() if c["expected"] is None])
def test_a_run_that_is_fine_never_gets_a_hint(name: str) -> None:
    assert hints_over_the_run(CURVES[name]) == []


@pytest.mark.parametrize("name", [n for n, c in CURVES.items() if c["expected"] is not None])
def test_a_run_in_trouble_gets_its_hint_and_keeps_it(name: str) -> None:
    curve = CURVES[name]
    fired = hints_over_the_run(curve)
    assert fired, name
    assert {kind for _, kind in fired} == {curve["expected"]}
    first = fired[0][0]
    assert first <= (RECENT if curve["expected"] == "too_high" else 3 * PLATEAU)  # soon enough
    assert len(fired) >= 0.8 * (len(curve["losses"]) - first)  # not a flicker


def test_the_words_and_actions() -> None:
    lr50 = diagnose(CURVES["spiral-lr50"]["losses"], CURVES["spiral-lr50"]["chance"], 50.0)
    assert lr50.action == "lower_rate" and "(5)" in lr50.text and "worse than guessing" in lr50.text
    stuck = diagnose(CURVES["xor-seed4"]["losses"], CURVES["xor-seed4"]["chance"], 0.1)
    assert stuck.action == "reset" and "Reset" in stuck.text and "flat" in stuck.text
    chance = diagnose(CURVES["xor-seed17"]["losses"], CURVES["xor-seed17"]["chance"], 0.1)
    assert chance.action == "reset" and "guessing" in chance.text
    for hint in (lr50, stuck, chance):
        assert 0 < len(hint.short) <= 80  # fits a bar over a small loss plot


def test_rising_after_a_good_start_is_too_high_but_tiny_wobbles_are_not() -> None:
    down_then_up = np.concatenate([np.linspace(0.6, 0.05, 60), np.full(RECENT, 0.4)])
    assert diagnose(down_then_up, 0.69, 1.0).kind == "too_high"
    wobble = np.concatenate([np.linspace(0.6, 1e-4, 60), np.full(RECENT, 5e-4)])  # 5× a tiny best
    assert diagnose(wobble, 0.69, 1.0) is None
    assert diagnose([np.nan] * 100, 0.69, 1.0) is None and diagnose([0.5] * 10, 0.69, 1.0) is None


def test_the_guessing_loss_is_the_loss_of_the_mean_answer() -> None:
    Y = np.array([[0.0], [1.0], [1.0], [1.0]])
    assert chance_loss("mse", Y) == pytest.approx(0.1875)  # the variance of the targets
    assert chance_loss("bce", Y) == pytest.approx(-(0.75 * np.log(0.75) + 0.25 * np.log(0.25)))
    onehot = np.eye(3)[[0, 1, 2, 2]]
    assert chance_loss("cce", onehot) == pytest.approx(-(2 * 0.25 * np.log(0.25) + 0.5 * np.log(0.5)))


def test_the_recording_is_what_the_engine_trains() -> None:
    curve = CURVES["xor-seed17"]
    losses, chance, lr = record(curve["example"], len(curve["losses"]), curve["settings"])
    np.testing.assert_allclose(losses, curve["losses"], rtol=1e-5, atol=1e-12)
    assert chance == curve["chance"] and lr == curve["learning_rate"]
