"""`nn-playground explain`: the JSON contract, the equations, the default target and bad input."""

from __future__ import annotations

import json
import math

import pytest

from engine import hopfield
from tests.cli.test_cli import cli


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_json_has_every_number_of_the_tutorial_network() -> None:
    """network-feedforward: weights 0 and 1, biases 0, so h = σ(3) and o = σ(σ(3)) by hand."""
    data = json.loads(cli("explain", "network-feedforward", "--input", "2,3", "--target", "1").stdout)
    assert data["kind"] == "mlp" and data["inputs"] == [2.0, 3.0] and data["target"] == [1.0]
    by_id = {n["id"]: n for n in data["neurons"]}
    h, o = sigmoid(3.0), sigmoid(sigmoid(3.0))
    assert by_id["h1"]["z"] == pytest.approx(3.0) and by_id["h1"]["a"] == pytest.approx(h)
    assert by_id["o1"]["a"] == pytest.approx(o) and data["outputs"] == [pytest.approx(o)]
    assert data["loss_name"] == "mse" and data["loss"] == pytest.approx((1 - o) ** 2)
    delta_o = 2 * (o - 1) * o * (1 - o)
    assert by_id["o1"]["grad_a"] == pytest.approx(2 * (o - 1))
    assert by_id["o1"]["delta"] == pytest.approx(delta_o)
    lr = data["learning_rate"]
    for wire in data["wires"]:
        target = data["neurons"][wire["target"]]
        assert wire["grad"] == pytest.approx(target["delta"] * wire["x"])
        if data["optimizer"] == "sgd":
            assert wire["update"] == pytest.approx(-lr * wire["grad"])
    assert [data["neurons"][i]["id"] for i in data["order"]] == ["h1", "h2", "o1"]
    assert {"id", "source", "target", "w", "x", "grad", "update", "state"} <= set(data["wires"][0])


def test_text_prints_the_equations_a_learner_writes() -> None:
    lines = cli("explain", "network-feedforward", "--input", "2,3", "--target", "1",
                "--text").stdout.splitlines()
    assert "h1: z = 0·2 + 1·3 + 0 = 3; a = σ(3) = 0.953" in lines
    assert "o1: z = 0·0.953 + 1·0.953 + 0 = 0.953; a = σ(0.953) = 0.722" in lines
    assert any(line.startswith("o1: ∂L/∂a = 2·(ŷ − y)/K = −0.557; f'(z) = σ(z)·(1 − σ(z))")
               for line in lines)


def test_target_defaults_to_the_datasets_label() -> None:
    """XOR's (1, 0) is labelled 1; the JSON says so without --target."""
    data = json.loads(cli("explain", "xor", "--input", "1,0").stdout)
    assert data["target"] == [1.0]
    assert json.loads(cli("explain", "xor", "--input", "1,1").stdout)["target"] == [0.0]


def test_target_may_be_a_class_name() -> None:
    """iris's classes by name: one-hot targets, the same step as the numbers give."""
    by_name = json.loads(cli("explain", "iris", "--input", "5.1,3.5,1.4,0.2", "--target", "virginica").stdout)
    by_numbers = json.loads(cli("explain", "iris", "--input", "5.1,3.5,1.4,0.2", "--target", "0,0,1").stdout)
    assert by_name["target"] == [0.0, 0.0, 1.0] and by_name == by_numbers


def test_perceptron_shows_the_rosenblatt_update() -> None:
    data = json.loads(cli("explain", "perceptron-and", "--input", "1,1").stdout)
    assert data["kind"] == "perceptron" and data["optimizer"] == "rosenblatt"
    out = data["neurons"][data["order"][0]]
    error = out["target"] - out["a"]
    assert out["delta"] == error
    for wire in data["wires"]:
        assert wire["update"] == pytest.approx(data["learning_rate"] * error * wire["x"])
    text = cli("explain", "perceptron-and", "--input", "1,1", "--text").stdout
    assert "error = t − y = 1 − 0 = 1" in text


def test_hopfield_unit_field_decision_and_energy() -> None:
    state = [1] * 100
    data = json.loads(cli("explain", "hopfield-letters", "--input", ",".join(map(str, state)),
                          "--unit", "3").stdout)
    (unit,) = data["units"]
    assert unit["unit"] == 3
    assert unit["h"] == pytest.approx(sum(t["w"] * t["x"] for t in unit["terms"]))
    assert unit["decision"] == (1 if unit["h"] > 0 else -1)
    assert unit["flip_energy_change"] == pytest.approx(2 * unit["h"])
    weights = hopfield.store([[1] * 100])  # the energy is a real number (strict JSON)
    assert isinstance(unit["energy"], float) and weights.shape == (100, 100)


@pytest.mark.parametrize(("args", "message"), [
    (["xor", "--input", "1,x"], "expected numbers separated by commas"),
    (["xor", "--input", "1"], "the input has 1 values, but the network reads 2 data columns"),
    (["xor", "--input", "0.3,0.2"], "not a point of the dataset"),
    (["xor", "--input", "1,0", "--target", "1,2"], "the target has 2 values"),
    (["iris", "--input", "5.1,3.5,1.4,0.2", "--target", "rose"], "a class (setosa, versicolor, virginica)"),
    (["no-such-example", "--input", "1,0"], "neither a file nor an example"),
    (["hopfield-letters", "--input", "1,1"], "the state has 2 values"),
    (["hopfield-letters", "--input", ",".join(["1"] * 99 + ["0.5"])], "is not +1 or -1"),
    (["hopfield-letters", "--input", ",".join(["1"] * 100), "--unit", "100"], "unit 100 does not"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    proc = cli("explain", *args, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
