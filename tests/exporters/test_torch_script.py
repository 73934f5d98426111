"""The stand-alone numpy script (run in a subprocess) and the PyTorch module (where torch exists)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from playground.document import build
from playground.exporters.registry import export
from tests.exporters.graphs import SEEDS, WIDE, all_activations_document, example, random_document, rows

SCRIPT_CASES = ["spiral", "digits", "perceptron-and", "iris"]


def csv_rows(X: np.ndarray) -> str:
    return "x1,x2\n" * 0 + "\n".join(",".join(repr(v) for v in row) for row in X.tolist()) + "\n"


@pytest.mark.parametrize("case", SCRIPT_CASES + [f"random{s}" for s in SEEDS[:8]])
def test_the_script_reads_csv_on_stdin_and_prints_what_predict_computes(case, tmp_path) -> None:
    doc = random_document(int(case[6:])) if case.startswith("random") else example(case)
    path = tmp_path / "net_model.py"
    export(doc, path)
    X = rows(doc, n=40)
    proc = subprocess.run([sys.executable, str(path)], input=csv_rows(X), capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, check=True)
    got = np.array([[float(v) for v in line.split(",")] for line in proc.stdout.splitlines()])
    np.testing.assert_allclose(got, build.predict(doc, X.tolist()), rtol=0, atol=1e-6)
    imports = {a.name.split(".")[0] for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Import) for a in node.names}
    imports |= {node.module.split(".")[0] for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.ImportFrom)}
    assert imports <= {"csv", "sys", "numpy"}


def test_every_activation_in_the_script_over_a_wide_range(tmp_path) -> None:
    doc = all_activations_document()
    export(doc, tmp_path / "acts.py")
    got = load_module(tmp_path / "acts.py").predict(WIDE)
    np.testing.assert_allclose(got, build.predict(doc, WIDE.tolist()), rtol=0, atol=1e-6)
    assert np.isfinite(got).all()


def test_the_script_skips_a_header_and_says_what_is_wrong_with_a_bad_row(tmp_path) -> None:
    path = tmp_path / "xor_net.py"
    export(example("xor"), path)
    ok = subprocess.run([sys.executable, str(path)], input="x1,x2\n0,1\n\n1,1\n", capture_output=True,
                        text=True, timeout=120)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 2
    want = build.predict(example("xor"), [[0, 1], [1, 1]])[:, 0]
    np.testing.assert_allclose([float(v) for v in ok.stdout.split()], want, atol=1e-12)
    bad = subprocess.run([sys.executable, str(path)], input="0,1\n1,2,3\n", capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 1 and bad.stderr.strip() == "line 2: expected 2 numbers, got 3"


def test_predict_can_be_imported_from_the_script(tmp_path) -> None:
    path = tmp_path / "spiral_net.py"
    export(example("spiral"), path)
    module = load_module(path)
    X = rows(example("spiral"), n=5)
    np.testing.assert_allclose(module.predict(X), build.predict(example("spiral"), X.tolist()), atol=1e-12)


def load_module(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- PyTorch ------------------------------------------------------------------------------------

def torch_or_skip():
    return pytest.importorskip(
        "torch", reason="torch is not installed (CI installs the CPU wheel torch==2.13.0 when it is "
        "on disk; elsewhere: pip install torch --index-url https://download.pytorch.org/whl/cpu)")


@pytest.mark.parametrize("case", ["spiral", "digits", "perceptron-or"] + [f"random{s}" for s in SEEDS[:8]])
def test_the_torch_module_reproduces_predictions(case, tmp_path) -> None:
    torch = torch_or_skip()
    doc = random_document(int(case[6:])) if case.startswith("random") else example(case)
    path = tmp_path / "model.safetensors"
    assert export(doc, path) == [path, tmp_path / "model.py"]
    model = load_module(tmp_path / "model.py").load()
    X = rows(doc)
    with torch.no_grad():
        got = model(torch.tensor(X, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(got, build.predict(doc, X.tolist()), rtol=0, atol=1e-6)


def test_every_activation_in_torch_over_a_wide_range(tmp_path) -> None:
    torch = torch_or_skip()
    doc = all_activations_document()
    export(doc, tmp_path / "acts.safetensors")
    with torch.no_grad():
        got = load_module(tmp_path / "acts.py").load()(torch.tensor(WIDE)).numpy()
    np.testing.assert_allclose(got, build.predict(doc, WIDE.tolist()), rtol=0, atol=1e-6)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_training_further_in_torch_keeps_the_missing_wires_at_zero(optimizer, tmp_path) -> None:
    torch = torch_or_skip()
    doc = random_document(4)
    export(doc, tmp_path / "model.safetensors")
    model = load_module(tmp_path / "model.py").load()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    masks = {name: m for name, m in model.named_buffers() if name.endswith("mask")}
    assert masks and all((m == 0).any() for m in masks.values())  # there are missing wires
    rng = np.random.default_rng(0)
    X = torch.tensor(rng.normal(size=(64, 3)))
    Y = torch.tensor(rng.random(size=(64, 3)))
    make = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    opt = make(model.parameters(), lr=0.05)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    changed = 0
    for name, mask in masks.items():
        weight = model.state_dict()[name.replace("mask", "weight")]
        assert torch.all(weight[mask == 0] == 0), name
        changed += int((weight != before[name.replace("mask", "weight")]).sum())
    assert changed > 0 and losses[-1] < losses[0]  # it did train
    assert all(torch.equal(model.state_dict()[n], before[n]) for n in masks)  # masks are not trained
