"""The headless CLI, run as a user would: every shipped example reproduces its tutorial figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import hopfield
from engine.export_reader import read_export


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def train(name: str, tmp_path, *extra: str) -> tuple[dict, str]:
    out = str(tmp_path / f"{name}.json")
    proc = cli("train", name, "--out", out, *extra)
    return json.loads(proc.stdout.strip().splitlines()[-1]), out


def outputs(source: str, *rows: str) -> np.ndarray:
    args = [part for row in rows for part in ("--input", row)]
    return np.array([[float(v) for v in line.split()] for line in cli("predict", source, *args)
                     .stdout.splitlines()])


def test_examples_lists_every_shipped_example_with_a_title() -> None:
    lines = cli("examples").stdout.splitlines()
    names = [line.split("\t")[0] for line in lines]
    assert all(len(line.split("\t")) == 2 for line in lines)
    for required in ("nine-line-neuron", "neuron-feedforward", "network-feedforward", "gender-sgd",
                     "two-layer-from-scratch", "perceptron-and", "perceptron-or", "perceptron-nand",
                     "perceptron-xor", "line-fit", "xor", "circle", "spiral", "gauss",
                     "regression-plane", "digits", "iris", "hopfield-letters"):
        assert required in names


def test_nine_line_neuron(tmp_path) -> None:
    result, out = train("nine-line-neuron", tmp_path)
    assert result["epochs"] == 10000
    assert outputs(out, "1,0,0")[0, 0] == pytest.approx(0.99993704, abs=5e-9)


def test_feedforward_tutorial_values() -> None:
    assert outputs("neuron-feedforward", "2,3")[0, 0] == pytest.approx(0.9990889488055994, abs=1e-12)
    assert outputs("network-feedforward", "2,3")[0, 0] == pytest.approx(0.7216325609518421, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gender_sgd_tells_emily_from_frank(tmp_path, seed: int) -> None:
    _, out = train("gender-sgd", tmp_path, "--seed", str(seed))
    emily, frank = outputs(out, "-7,-3", "20,2")[:, 0]
    assert emily > 0.94 and frank < 0.06


def test_two_layer_from_scratch_sse_falls_every_epoch(tmp_path) -> None:
    result, out = train("two-layer-from-scratch", tmp_path, "--export", str(tmp_path / "w.npz"))
    assert result["epochs"] == 1500 and result["loss"] < 0.005 / 2  # reported as ½·SSE
    got = outputs(out, "0,0,1", "0,1,1", "1,0,1", "1,1,1")[:, 0]
    np.testing.assert_allclose(got, [0, 1, 1, 0], atol=0.05)
    assert read_export(tmp_path / "w.npz")["mode"] == "mlp"


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_perceptron_gates_converge(tmp_path, gate: str) -> None:
    result, _ = train(f"perceptron-{gate}", tmp_path)
    assert result["stopped"] == "converged" and result["epochs"] < 100
    assert result["train_accuracy"] == 1.0


def test_perceptron_xor_is_not_separable(tmp_path) -> None:
    proc = cli("train", "perceptron-xor")
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["stopped"] == "not_separable" and result["train_accuracy"] <= 0.75
    assert "not linearly separable" in proc.stderr


def test_line_fit_recovers_slope_and_intercept(tmp_path) -> None:
    _, out = train("line-fit", tmp_path)
    b, w_plus_b = outputs(out, "0", "1")[:, 0]
    assert abs((w_plus_b - b) - 2) < 0.15 and abs(b - 1) < 0.1


def test_xor_2_2_1_tanh_gets_all_four_right(tmp_path) -> None:
    _, out = train("xor", tmp_path)
    got = outputs(out, "0,0", "0,1", "1,0", "1,1")[:, 0]
    assert list(got > 0.5) == [False, True, True, False]


@pytest.mark.parametrize(("name", "floor"), [("circle", 0.95), ("gauss", 0.95), ("spiral", 0.9),
                                             ("digits", 0.95), ("iris", 0.9)])
def test_classification_examples_reach_their_test_accuracy(tmp_path, name: str, floor: float) -> None:
    result, _ = train(name, tmp_path)
    assert result["test_accuracy"] >= floor


def test_regression_plane_fits(tmp_path) -> None:
    result, _ = train("regression-plane", tmp_path)
    assert result["loss"] < 0.01 and result["train_accuracy"] is None


def test_mse_display_value() -> None:
    from engine.losses import get_loss
    assert get_loss("mse").value(np.array([[1.0], [0], [0], [1]]), np.zeros((4, 1))) == 0.5


def test_hopfield_letters_recall_and_capacity() -> None:
    for k in range(4):
        result = json.loads(cli("recall", "hopfield-letters", "--pattern", str(k), "--noise", "0.2",
                                "--seed", str(k)).stdout)
        assert (result["verdict"], result["index"], result["overlap"]) == ("pattern", k, 1.0)
        assert result["flipped_bits"] == 20 and result["energy_non_increasing"]
    rows = [json.loads(line) for line in cli("capacity", "--n", "100", "--loads", "0.05,0.3",
                                             "--trials", "30").stdout.splitlines()]
    assert rows[0]["recall_rate"] >= 0.95 and rows[1]["recall_rate"] <= 0.2


@pytest.mark.parametrize("args", [
    ["train", "no-such-example"],
    ["predict", "xor", "--input", "1,2,3"],
    ["predict", "xor", "--input", "one,two"],
    ["train", "xor", "--epochs", "-4"],
    ["train", "xor", "--learning-rate", "0"],
    ["train", "xor", "--optimizer", "rmsprop"],
    ["train", "xor", "--shuffle", "maybe"],
    ["train", "xor", "--export", "weights.pickle"],
    ["recall", "hopfield-letters", "--pattern", "Q"],
    ["recall", "xor", "--pattern", "0"],
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args: list[str], tmp_path) -> None:
    proc = subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


@pytest.mark.parametrize("content", ["{not json", '{"format": "nn-playground", "schema_version": 7}',
                                     '{"format": "nn-playground", "schema_version": 1, "mode": "cnn"}'])
def test_validate_reports_problems_with_exit_2(tmp_path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    proc = cli("validate", str(path), check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert cli("validate", str(tmp_path / "../bad.json"), check=False).returncode == 2


def test_every_training_setting_has_a_flag_and_it_reaches_the_saved_project(tmp_path) -> None:
    from engine.settings import SETTINGS
    from playground.document.fileformat import load_document

    help_text = cli("train", "--help").stdout
    assert all(s.flag in help_text for s in SETTINGS)
    _, out = train("xor", tmp_path, "--epochs", "3", "--optimizer", "momentum", "--nesterov", "yes",
                   "--learning-rate", "0.25", "--batch-size", "2", "--patience", "none")
    t = load_document(out).training
    assert (t.optimizer, t.nesterov, t.learning_rate, t.batch_size, t.patience) == \
        ("momentum", True, 0.25, 2, None)
    bad = cli("train", "xor", "--learning-rate", "-1", check=False)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "nn-playground: --learning-rate -1: must be greater than 0, not -1.0"


def test_validate_ok_and_trained_project_round_trip(tmp_path) -> None:
    _, out = train("xor", tmp_path, "--epochs", "5")
    assert cli("validate", out).stdout.strip() == "ok"


def test_a_diverging_learning_rate_stops_with_the_last_finite_weights(tmp_path) -> None:
    from playground.document.examples import example_path
    from playground.document.fileformat import load_document, save_document

    doc = load_document(example_path("regression-plane"))
    doc.training.learning_rate, doc.training.optimizer = 1e4, "sgd"
    for n in doc.neurons.values():
        if n.role != "input":
            n.activation = "linear"
    src = tmp_path / "hot.json"
    save_document(doc, src)
    out = tmp_path / "after.json"
    proc = cli("train", str(src), "--out", str(out))
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["stopped"] == "diverged"
    assert "learning rate" in proc.stderr and "try a learning rate of 1000" in proc.stderr
    trained = load_document(out)
    assert all(np.isfinite(c.weight) for c in trained.connections.values())


def test_export_command_writes_any_mode(tmp_path) -> None:
    cli("export", "hopfield-letters", str(tmp_path / "h.npz"))
    memory = read_export(tmp_path / "h.npz")
    assert memory["mode"] == "hopfield" and np.array(memory["weights"]).shape == (100, 100)
    cli("export", "neuron-feedforward", str(tmp_path / "n.json"))
    from engine.export import predict

    data = read_export(tmp_path / "n.json")
    assert predict(data, np.array([[2.0, 3.0]]))[0, 0] == pytest.approx(0.9990889488055994, abs=1e-12)


def test_a_reader_that_stops_early_gets_no_error_message() -> None:
    """`nn-playground examples | grep -q xor` must not print a broken-pipe error (CI once did)."""
    proc = subprocess.Popen([sys.executable, "-m", "playground", "examples"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader goes away before the first line arrives
    _, err = proc.communicate(timeout=120)
    assert err.decode().strip() == ""
    assert proc.returncode == 1


def test_training_a_hopfield_project_stores_its_patterns_and_exports_them(tmp_path) -> None:
    from playground.document.examples import example_path
    from playground.document.fileformat import load_document

    proc = cli("train", "hopfield-letters", "--export", str(tmp_path / "m.npz"), "--out",
               str(tmp_path / "m.json"))
    assert json.loads(proc.stdout) == {"stored_patterns": 4, "units": 100, "rule": "hebbian", "load": 0.04}
    patterns = np.array(load_document(example_path("hopfield-letters")).hopfield.patterns)
    np.testing.assert_allclose(read_export(tmp_path / "m.npz")["weights"], hopfield.store(patterns))
    assert load_document(tmp_path / "m.json").hopfield.patterns == patterns.tolist()


@pytest.mark.parametrize(("edit", "message"), [
    (lambda h: h["patterns"].append([1, -1, 1]), "has 3 values; the 10×10 grid needs 100"),
    (lambda h: h["patterns"][0].__setitem__(5, 0.5), "expected +1 or −1, found 0.5"),
    (lambda h: h.__setitem__("weights", [[0.0 if i == j else (1.0 if i < j else 2.0) for j in range(100)]
                                         for i in range(100)]),
     "must be symmetric: (0, 1) is 1.0 but (1, 0) is 2.0"),
])
def test_a_hopfield_file_with_bad_patterns_or_weights_is_refused_clearly(tmp_path, edit, message) -> None:
    from playground.document.examples import example_path

    data = json.loads(example_path("hopfield-letters").read_text())
    edit(data["hopfield"])
    path = tmp_path / "bad-memory.json"
    path.write_text(json.dumps(data))
    proc = cli("validate", str(path), check=False)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # like every command: problems on stderr, results on stdout
    proc = cli("recall", str(path), "--pattern", "0", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.strip()


@pytest.mark.parametrize("args", [
    ("validate", "BAD"),  # a file with two problems: each its own line
    ("validate", "no-such-file.json"),
    ("train", "no-such-example"),
    ("train", "xor", "--learning-rate", "-1"),
    ("train", "xor", "--no-such-flag"),  # argparse's own errors too
    ("predict", "xor", "--input", "1,x"),
    ("recall", "xor", "--pattern", "0"),
    ("capacity", "--n", "ten"),
])
def test_every_error_has_one_form_nn_playground_colon_on_stderr_exit_2(tmp_path, args) -> None:
    """Issue 12: `validate` printed "error: …" while the rest said "nn-playground: …"."""
    bad = tmp_path / "bad.json"
    data = json.loads((Path(__file__).parents[2] / "resources/examples/xor.json").read_text())
    data["neurons"][2]["activation"] = "mish"
    data["connections"][0]["target"] = "o9"
    bad.write_text(json.dumps(data))
    proc = cli(*[str(bad) if a == "BAD" else a for a in args], check=False)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and proc.stdout == "" and lines, proc.stderr
    assert all(line.startswith("nn-playground: ") for line in lines), proc.stderr
    if args[-1] == "BAD":
        assert len(lines) >= 2 and any("$.neurons[2].activation" in line for line in lines)
