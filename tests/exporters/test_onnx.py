"""ONNX export checked by onnx.checker and onnxruntime, and ONNX import back onto the canvas."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.document import build
from playground.document.errors import DocumentError
from playground.exporters.onnx_export import IR_VERSION, MASK_KEY, OPSET
from playground.exporters.onnx_import import read_onnx
from playground.exporters.registry import export
from tests.exporters.graphs import (
    FEED_FORWARD_EXAMPLES,
    SEEDS,
    WIDE,
    all_activations_document,
    example,
    random_document,
    rows,
)

onnx = pytest.importorskip("onnx", reason="the [export] extra (onnx) is not installed")
ort = pytest.importorskip("onnxruntime", reason="the [export] extra (onnxruntime) is not installed")
from onnx import helper, numpy_helper  # noqa: E402

DOUBLE = onnx.TensorProto.DOUBLE


def run(path, X: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["output"], {"input": X})[0]


def exported(doc, tmp_path, name="model.onnx"):
    path = tmp_path / name
    assert export(doc, path) == [path]
    return path, onnx.load(str(path))


@pytest.mark.parametrize("name", FEED_FORWARD_EXAMPLES)
def test_every_example_runs_in_onnxruntime_as_predict_computes_it(name, tmp_path) -> None:
    doc = example(name)
    path, model = exported(doc, tmp_path)
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", OPSET)]
    assert model.ir_version == IR_VERSION and model.producer_name == "nn-playground"
    props = {p.key: p.value for p in model.metadata_props}
    assert props["title"] == doc.title and props["app_version"] == "0.1.0"
    assert [i.name for i in model.graph.input] == ["input"]
    assert [o.name for o in model.graph.output] == ["output"]
    gemms = [n for n in model.graph.node if n.op_type == "Gemm"]
    assert gemms and all(helper.get_attribute_value(a) == 1 for n in gemms for a in n.attribute
                         if a.name == "transB")
    # plain chains (feature inputs are joined to the raw columns by their own Concat)
    assert not {"MatMul", "Concat"} & {n.op_type for n in model.graph.node if n.output[0] != "with_features"}
    X = rows(doc)
    np.testing.assert_allclose(run(path, X), build.predict(doc, X.tolist()), rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_skip_link_graphs_run_in_onnxruntime_with_missing_wires_zero(seed, tmp_path) -> None:
    doc = random_document(seed)
    path, model = exported(doc, tmp_path)
    onnx.checker.check_model(model, full_check=True)
    assert "Concat" in {n.op_type for n in model.graph.node}  # skip links
    X = rows(doc)
    np.testing.assert_allclose(run(path, X), build.predict(doc, X.tolist()), rtol=0, atol=1e-6)
    props = {p.key: p.value for p in model.metadata_props}
    weights = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    wires = 0
    for key, text in props.items():
        if key.startswith(MASK_KEY):
            mask = np.array(json.loads(text), dtype=bool)
            W = weights[key.removeprefix(MASK_KEY)]
            assert W.shape == mask.shape and np.all(W[~mask] == 0.0)
            wires += int(mask.sum())
    bias_wires = sum(c.source == "b1" for c in doc.connections.values())  # folded into the biases
    assert wires == len(doc.connections) - bias_wires


def test_every_activation_runs_in_onnxruntime(tmp_path) -> None:
    """One output per activation of the registry over a wide range, saturated ends included."""
    doc = all_activations_document()
    X = WIDE
    path, _ = exported(doc, tmp_path)
    got, want = run(path, X), build.predict(doc, X.tolist())
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    assert np.isfinite(got).all()


def test_the_exported_model_imports_back_with_the_same_predictions_and_wires(tmp_path) -> None:
    for doc in [example("spiral"), example("perceptron-and"), example("digits")] + \
            [random_document(s) for s in SEEDS]:
        path, _ = exported(doc, tmp_path)
        back = read_onnx(path)
        X = rows(doc)
        np.testing.assert_allclose(build.predict(back, X.tolist()), build.predict(doc, X.tolist()),
                                   rtol=0, atol=1e-12)
        folded = sum(doc.neurons[c.source].role == "bias" for c in doc.connections.values())
        assert len(back.connections) == len(doc.connections) - folded, doc.title
        assert back.mode == doc.mode and back.title == doc.title
        assert [n.label for n in back.neurons.values() if n.role == "output"] == \
            [n.label for n in doc.neurons.values() if n.role == "output"]
        assert sorted(n.label for n in back.neurons.values()) == \
            sorted(n.label or n.id for n in doc.neurons.values() if n.role != "bias")


def test_imported_neurons_are_laid_out_by_depth_and_can_train(tmp_path) -> None:
    path, _ = exported(example("spiral"), tmp_path)
    back = read_onnx(path)
    columns = {}
    for n in back.neurons.values():
        columns.setdefault(n.position[0], set()).add(n.role)
    xs = sorted(columns)
    assert len(xs) == 4 and columns[xs[0]] == {"input"} and columns[xs[-1]] == {"output"}
    from playground.document.model import DatasetSpec

    back.dataset = DatasetSpec("spiral")
    prepared = build.prepare_training(back)  # ready to train further
    assert prepared.session is not None


# -- models not written by us -------------------------------------------------------------------

def model_of(nodes, initializers, n_in=2, n_out=1, path=None, dtype=np.float64):
    kind = DOUBLE if dtype == np.float64 else onnx.TensorProto.FLOAT
    graph = helper.make_graph(nodes, "foreign", [helper.make_tensor_value_info("x", kind, ["n", n_in])],
                              [helper.make_tensor_value_info("y", kind, ["n", n_out])],
                              [numpy_helper.from_array(np.asarray(v, dtype), k)
                               for k, v in initializers.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


@pytest.mark.parametrize("dtype", [np.float64, np.float32])  # what torch.onnx.export writes
def test_a_matmul_add_chain_with_a_concat_skip_link_imports(dtype, tmp_path) -> None:
    rng = np.random.default_rng(3)
    W1, b1, W2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(5, 1)), rng.normal(size=1)
    W1[1, 2] = 0.0  # a missing wire
    path = model_of([
        helper.make_node("MatMul", ["x", "W1"], ["m1"]), helper.make_node("Add", ["m1", "b1"], ["z1"]),
        helper.make_node("Relu", ["z1"], ["h"]),
        helper.make_node("Concat", ["x", "h"], ["xh"], axis=1),
        helper.make_node("MatMul", ["xh", "W2"], ["m2"]), helper.make_node("Add", ["b2", "m2"], ["z2"]),
        helper.make_node("Tanh", ["z2"], ["y"]),
    ], {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, path=tmp_path / "foreign.onnx", dtype=dtype)
    W1, b1, W2, b2 = (np.asarray(v, dtype).astype(np.float64) for v in (W1, b1, W2, b2))
    doc = read_onnx(path)
    assert len(doc.connections) == 5 + 5 and {n.activation for n in doc.by_role("hidden")} == {"relu"}
    assert [n.activation for n in doc.by_role("output")] == ["tanh"]
    X = rng.normal(size=(20, 2))
    h = np.maximum(X @ W1 + b1, 0)
    want = np.tanh(np.hstack([X, h]) @ W2 + b2)
    np.testing.assert_allclose(build.predict(doc, X.tolist()), want, atol=1e-12)
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(run_foreign(path, X.astype(dtype)), want, atol=tolerance)


def run_foreign(path, X):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(["y"], {"x": X})[0]


@pytest.mark.parametrize(("nodes", "named"), [
    ([helper.make_node("Gemm", ["x", "W"], ["z"], name="dense", transB=1),
      helper.make_node("HardSigmoid", ["z"], ["y"], name="odd_activation")], "odd_activation"),
    ([helper.make_node("Gemm", ["x", "W"], ["z"], name="dense", transB=1),
      helper.make_node("Exp", ["z"], ["y"], name="just_exp")], "just_exp"),
    ([helper.make_node("Conv", ["x", "W"], ["y"], name="conv1")], "conv1"),
    ([helper.make_node("Gemm", ["x", "x"], ["y"], name="data_weights", transB=1)], "data_weights"),
    ([helper.make_node("Gemm", ["x", "W"], ["y"], name="scaled", transB=1, alpha=2.0)], "scaled"),
    ([helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
      helper.make_node("Softmax", ["z"], ["s"], axis=1),
      helper.make_node("Gemm", ["s", "W1"], ["y"], transB=1)], "softmax"),  # on a hidden layer
])
def test_anything_else_is_refused_naming_the_node(nodes, named, tmp_path) -> None:
    path = model_of(nodes, {"W": np.ones((1, 2)), "W1": np.ones((1, 1))}, path=tmp_path / "odd.onnx")
    with pytest.raises(DocumentError, match=named):
        read_onnx(path)


def test_a_file_that_is_not_onnx_is_one_clear_message(tmp_path) -> None:
    path = tmp_path / "broken.onnx"
    path.write_bytes(b"\x08\x07garbage that is not a protobuf \xff\xff\xff")
    with pytest.raises(DocumentError, match="not an ONNX model"):
        read_onnx(path)


def test_weights_in_an_external_file_are_refused_not_read(tmp_path) -> None:
    W = numpy_helper.from_array(np.ones((1, 2)), "W")
    W.data_location = onnx.TensorProto.EXTERNAL
    W.ClearField("raw_data")
    W.external_data.add(key="location", value="/etc/passwd")
    graph = helper.make_graph([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)], "g",
                              [helper.make_tensor_value_info("x", DOUBLE, ["n", 2])],
                              [helper.make_tensor_value_info("y", DOUBLE, ["n", 1])], [W])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    (tmp_path / "ext.onnx").write_bytes(model.SerializeToString())
    with pytest.raises(DocumentError, match="in a separate file"):
        read_onnx(tmp_path / "ext.onnx")


def test_a_preprocessing_stage_runs_first_in_every_writer(tmp_path) -> None:
    """Input scaling (branch csv) plugs in as ``NetworkIR.preprocess``; the writers apply it."""
    import dataclasses
    import importlib.util
    import subprocess
    import sys

    from playground.exporters.ir import Scale, network_ir
    from playground.exporters.onnx_export import write_onnx
    from playground.exporters.script_export import write_script

    ir = network_ir(random_document(5))
    stage = Scale(np.array([1.0, -2.0, 0.5]), np.array([0.5, 2.0, 3.0]))
    scaled = dataclasses.replace(ir, preprocess=(stage,))
    X = rows(random_document(5), n=16)
    want = scaled.predict(X)
    np.testing.assert_allclose(want, ir.predict((X - [1.0, -2.0, 0.5]) * [0.5, 2.0, 3.0]), atol=1e-15)
    assert np.abs(want - ir.predict(X)).max() > 0.01  # the stage matters
    write_onnx(scaled, tmp_path / "s.onnx")
    np.testing.assert_allclose(run(tmp_path / "s.onnx", X), want, atol=1e-12)
    write_script(scaled, tmp_path / "s.py")
    out = subprocess.run([sys.executable, str(tmp_path / "s.py")], capture_output=True, text=True, check=True,
                         input="\n".join(",".join(map(repr, r)) for r in X.tolist()))
    np.testing.assert_allclose(np.loadtxt(out.stdout.splitlines(), delimiter=","), want, atol=1e-12)
    if importlib.util.find_spec("torch") is not None:
        import torch

        from playground.exporters.torch_export import write_torch
        write_torch(scaled, tmp_path / "t.safetensors")
        spec = importlib.util.spec_from_file_location("t", tmp_path / "t.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with torch.no_grad():
            got = module.load()(torch.tensor(X)).numpy()
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_damaged_models_are_refused_in_words_never_a_traceback(tmp_path) -> None:
    """Bytes flipped and files cut short: each opens or is one DocumentError, nothing else."""
    from engine.errors import EngineError

    path, _ = exported(random_document(3), tmp_path)
    data = path.read_bytes()
    rng = np.random.default_rng(0)
    refused = 0
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(int(rng.integers(1, 4))):
            damaged[int(rng.integers(len(damaged)))] = int(rng.integers(256))
        if rng.random() < 0.2:
            damaged = damaged[: int(rng.integers(len(damaged)))]
        path.write_bytes(bytes(damaged))
        try:
            read_onnx(path)
        except (DocumentError, EngineError):
            refused += 1
    assert refused > 30


def test_a_node_without_output_and_a_constant_of_unknown_type_are_refused(tmp_path) -> None:
    path = model_of([helper.make_node("Gemm", ["x", "W"], [], name="no_output", transB=1)],
                    {"W": np.ones((1, 2))}, path=tmp_path / "a.onnx")
    with pytest.raises(DocumentError, match="no_output"):
        read_onnx(path)
    model = onnx.load(str(path))
    model.graph.initializer[0].data_type = 71  # no such element type
    path.write_bytes(model.SerializeToString())
    with pytest.raises(DocumentError, match="'W' cannot be read as numbers"):
        read_onnx(path)
