"""Feature inputs (x₁², sin x₂, …) and a stored input scaling travel into every model export:
each exported model reads the data's raw columns and predicts what the project predicts."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys

import numpy as np
import pytest

from engine.features import FEATURES
from playground.document import build
from playground.document.model import Scaling
from playground.exporters.ir import FEATURE_FORMS, network_ir
from playground.exporters.registry import export
from tests.exporters.graphs import example, rows


def test_every_feature_has_an_export_form() -> None:
    assert set(FEATURE_FORMS) == set(FEATURES)
    X = np.random.default_rng(0).normal(size=(20, 2))
    from playground.exporters.ir import feature_column
    for name, feature in FEATURES.items():
        np.testing.assert_array_equal(feature_column(name, X), feature.compute(X))


def scaled(doc):
    n = sum(n.role == "input" for n in doc.neurons.values())
    doc.dataset = dataclasses.replace(doc.dataset, scaling=Scaling(
        "standardise", [0.1 * k for k in range(n)], [1.0 + 0.5 * k for k in range(n)]))
    return doc


def test_the_ir_reads_raw_columns_and_predicts_as_the_project() -> None:
    doc = scaled(example("circle-features"))
    ir = network_ir(doc)
    assert len(ir.input_names) == 2 and ir.features == ("x1_squared", "x2_squared")
    X = rows(doc)
    assert X.shape[1] == 2
    np.testing.assert_allclose(ir.predict(X), build.predict(doc, X.tolist()), rtol=0, atol=1e-12)


@pytest.mark.parametrize("suffix", [".onnx", ".py", ".pt.py"])
def test_each_model_export_applies_features_and_scaling(suffix, tmp_path) -> None:
    doc = scaled(example("circle-features"))
    X = rows(doc)
    want = np.asarray(build.predict(doc, X.tolist()))
    if suffix == ".onnx":
        ort = pytest.importorskip("onnxruntime", reason="the [export] extra is not installed")
        path = tmp_path / "m.onnx"
        export(doc, path)
        got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
            ["output"], {"input": X})[0]
    elif suffix == ".py":
        path = tmp_path / "m.py"
        export(doc, path, "script")
        spec = importlib.util.spec_from_file_location("m_script", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        got = module.predict(X)
    else:
        torch = pytest.importorskip("torch", reason="torch is not installed")
        pytest.importorskip("safetensors")
        export(doc, tmp_path / "mt.safetensors", "torch")
        sys.path.insert(0, str(tmp_path))
        try:
            spec = importlib.util.spec_from_file_location("mt", tmp_path / "mt.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            got = module.load().eval()(torch.tensor(X, dtype=torch.float64)).detach().numpy()
        finally:
            sys.path.remove(str(tmp_path))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
