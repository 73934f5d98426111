"""`nn-playground new --csv`, then train and predict on the project; feature inputs end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.cli.test_cli import cli


def write_blobs(path, n: int = 120, seed: int = 0) -> None:
    """Two well-separated blobs named by text, with an ignored id column and a semicolon."""
    rng = np.random.default_rng(seed)
    lines = ["id;left;right;colour"]
    for k in range(n):
        colour = ("red", "blue")[k % 2]
        centre = -2.0 if colour == "red" else 2.0
        a, b = rng.normal(centre, 0.5, 2)
        lines.append(f"r{k};{a:.4f};{b:.4f};{colour}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_new_from_csv_then_train_and_predict_on_raw_values(tmp_path) -> None:
    csv = tmp_path / "blobs.csv"
    write_blobs(csv)
    project, trained = tmp_path / "blobs.json", tmp_path / "trained.json"
    made = json.loads(cli("new", "--csv", str(csv), "--target", "colour", "--ignore", "id",
                          "--hidden", "4", "--activation", "relu", "--scaling", "standardise",
                          "--out", str(project)).stdout)
    assert made["task"] == "binary" and made["inputs"] == ["left", "right"]
    assert made["classes"] == {"blue": 60, "red": 60} and made["train_rows"] == 96
    data = json.loads(project.read_text())
    assert [n["label"] for n in data["neurons"] if n["role"] == "input"] == ["left", "right"]
    assert data["dataset"]["scaling"]["method"] == "standardise"
    assert {n["activation"] for n in data["neurons"] if n["role"] == "hidden"} == {"relu"}
    assert cli("validate", str(project)).stdout.strip() == "ok"
    result = json.loads(cli("train", str(project), "--epochs", "200", "--out", str(trained)).stdout)
    assert result["test_accuracy"] == 1.0
    out = cli("predict", str(trained), "--input", "-2,-2", "--input", "2,2").stdout.split()
    assert float(out[0]) > 0.9 and float(out[1]) < 0.1  # "red" is class 1 (blue < red), on raw values


def test_numeric_target_means_regression_and_no_hidden_layer(tmp_path) -> None:
    csv = tmp_path / "line.csv"
    xs = np.linspace(-1, 1, 50)
    csv.write_text("x,y\n" + "".join(f"{float(x)!r},{float(3 * x - 1)!r}\n" for x in xs))
    out = tmp_path / "line.json"
    made = json.loads(cli("new", "--csv", str(csv), "--target", "y", "--hidden", "none",
                          "--out", str(out)).stdout)
    assert made["task"] == "regression"
    cli("train", str(out), "--epochs", "600", "--learning-rate", "0.05", "--out", str(out))
    (value,) = map(float, cli("predict", str(out), "--input", "0.5").stdout.split())
    assert abs(value - 0.5) < 0.05


@pytest.mark.parametrize(("content", "message"), [
    (b"a,b,y\n1,2,p\n3,x,q\n", "line 3, column 'b': 'x' is not a number (--drop-bad-rows leaves"),
    (b"a,b,y\n1,2,p\n3,4\n", "line 3: 2 values, but the header has 3 columns"),
    (b"", "the file is empty"),
    (b"a,b,y\n", "the file has a header but no data rows"),
    (b"a,b,y\n1,1e400,p\n2,3,q\n", "line 2, column 'b': '1e400' is not a finite number"),
])
def test_bad_csv_exits_2_with_one_line(tmp_path, content: bytes, message: str) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_bytes(content)
    proc = cli("new", "--csv", str(csv), "--target", "y", "--out", str(tmp_path / "p.json"), check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr
    assert proc.stderr.startswith("nn-playground: bad.csv: ")
    assert not (tmp_path / "p.json").exists()


def test_unknown_target_and_existing_default_out_are_refused(tmp_path) -> None:
    csv = tmp_path / "d.csv"
    write_blobs(csv, 10)
    proc = cli("new", "--csv", str(csv), "--target", "nope", "--out", str(tmp_path / "p.json"), check=False)
    assert proc.returncode == 2 and "no column 'nope' (columns: id, left, right, colour)" in proc.stderr
    (tmp_path / "d.json").write_text("keep me")
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "playground", "new", "--csv", "d.csv", "--target",
                           "colour"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and "d.json exists" in proc.stderr
    assert (tmp_path / "d.json").read_text() == "keep me"


def test_circle_features_reaches_95_percent_without_a_hidden_layer(tmp_path) -> None:
    out = tmp_path / "cf.json"
    result = json.loads(cli("train", "circle-features", "--out", str(out)).stdout)
    assert result["test_accuracy"] >= 0.95
    data = json.loads(out.read_text())
    assert data["dataset"]["features"] == ["x1_squared", "x2_squared"]
    assert not [n for n in data["neurons"] if n["role"] == "hidden"]
    printed = cli("predict", str(out), "--input", "0,0", "--input", "4.5,0").stdout
    inside, outside = map(float, printed.split())
    # the circle's inner points are class 1 (see engine/datasets/tfp.py)
    assert (inside > 0.5) != (outside > 0.5)


def test_feature_inputs_predict_through_the_engine_registry(tmp_path) -> None:
    """predict on raw (x1, x2) equals the network run by hand on [x1, x2, x1², x2²]."""
    from engine.features import with_features
    from playground.document import build
    from playground.document.examples import example_path
    from playground.document.fileformat import load_document

    doc = load_document(example_path("circle-features"))
    for k, c in enumerate(doc.connections.values()):
        c.weight = [0.5, -0.25, 1.0, -2.0][k]
    doc.neurons["o1"].bias = 0.1
    raw = np.array([[1.0, 2.0], [-3.0, 0.5]])
    z = with_features(raw, ["x1_squared", "x2_squared"]) @ np.array([0.5, -0.25, 1.0, -2.0]) + 0.1
    np.testing.assert_allclose(build.predict(doc, raw.tolist())[:, 0], 1 / (1 + np.exp(-z)))
    job = build.training_job(doc)
    assert job.network_data().input_names[2:] == ("x₁²", "x₂²") and job.data.n_inputs == 2


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_exports_carry_features_and_scaling_and_predict_on_raw_values(tmp_path, suffix: str) -> None:
    from engine.export import predict
    from engine.export_reader import read_export
    from playground.document import build
    from playground.document.fileformat import load_document

    csv = tmp_path / "blobs.csv"
    write_blobs(csv, 40)
    project = tmp_path / "p.json"
    cli("new", "--csv", str(csv), "--target", "colour", "--ignore", "id", "--features",
        "x1_x2,sin_x2", "--scaling", "minmax", "--out", str(project))
    export = tmp_path / f"w{suffix}"
    cli("train", str(project), "--epochs", "20", "--out", str(project), "--export", str(export))
    data = read_export(export)
    assert data["preprocess"]["features"] == ["x1_x2", "sin_x2"] and len(data["inputs"]) == 4
    raw = [[0.5, -1.0], [2.0, 2.0]]
    np.testing.assert_allclose(predict(data, np.array(raw)), build.predict(load_document(project), raw))
