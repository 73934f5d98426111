"""The registry drives CLI, docs and menus; the docs' examples run; bad requests are one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from playground.cli import main, make_parser
from playground.document import build
from playground.exporters.activation_map import ACTIVATION_EXPORTS
from playground.exporters.registry import EXPORTERS, docs_table, export
from tests.exporters.graphs import example

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "export-format.md"
RUN_BLOCK = re.compile(r"<!-- run: (\w+) -->\n```python\n(.*?)```", re.S)
# the file each documented example reads, written by that format's exporter
DOC_FILES = {"onnx": "spiral.onnx", "torch": "spiral.safetensors", "script": "spiral_numpy.py",
             "npz": "spiral.npz", "json": "spiral.json"}
DOC_ROWS = [[0.5, -0.25], [-2.0, 3.0]]


def test_every_activation_has_its_onnx_torch_and_numpy_form() -> None:
    assert list(ACTIVATION_EXPORTS) == list(ACTIVATIONS)


def test_the_docs_table_is_the_registry() -> None:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("-->\n", 1)[1].split("\n<!-- formats:end -->")[0] if "formats:start" in text else ""
    assert table.strip() == docs_table()
    assert set(DOC_FILES) == set(EXPORTERS)


def blocks() -> list[tuple[str, str, str]]:
    out = []
    for path in (DOCS, ROOT / "README.md"):
        out += [(path.name, fmt, code) for fmt, code in RUN_BLOCK.findall(path.read_text(encoding="utf-8"))]
    return out


def test_every_format_has_a_documented_example_that_runs() -> None:
    assert {fmt for name, fmt, _ in blocks() if name == DOCS.name} == set(EXPORTERS)
    assert any(name == "README.md" and fmt == "onnx" for name, fmt, _ in blocks())


@pytest.mark.parametrize(("where", "fmt", "code"), blocks(), ids=lambda v: v if len(v) < 20 else "")
def test_a_documented_example_prints_what_predict_computes(where, fmt, code, tmp_path) -> None:
    if fmt == "torch":
        pytest.importorskip("torch", reason="torch is not installed")
    if fmt == "onnx":
        pytest.importorskip("onnxruntime", reason="the [export] extra is not installed")
    doc = example("spiral")
    export(doc, tmp_path / DOC_FILES[fmt])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    printed = [float(v) for v in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", proc.stdout)]
    np.testing.assert_allclose(printed, build.predict(doc, DOC_ROWS)[:, 0], rtol=1e-6)


def test_cli_help_lists_every_format() -> None:
    help_text = " ".join(make_parser()._subparsers._group_actions[0].choices["export"].format_help().split())
    for e in EXPORTERS.values():
        assert e.name in help_text and e.suffix in help_text


def test_cli_export_takes_the_format_from_the_suffix_or_the_flag(tmp_path, capsys) -> None:
    assert main(["export", "xor", str(tmp_path / "x.onnx")]) == 0
    assert (tmp_path / "x.onnx").read_bytes()[:2] != b"{\""  # a protobuf, not JSON
    assert main(["export", "xor", str(tmp_path / "t.safetensors")]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / "x.onnx"), str(tmp_path / "t.safetensors"),
                                               str(tmp_path / "t.py")]
    assert main(["export", "xor", str(tmp_path / "s.py"), "--format", "script"]) == 0
    assert main(["predict", str(tmp_path / "x.onnx"), "--input", "0,1"]) == 0  # an .onnx as a source
    want = build.predict(example("xor"), [[0, 1]])[0, 0]
    assert float(capsys.readouterr().out.split()[-1]) == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize(("args", "words"), [
    (["export", "xor", "x.weights"], "cannot tell the export format from '.weights'"),
    (["export", "xor", "x.json", "--format", "onnx"], "ONNX model files end in .onnx"),
    (["export", "hopfield-letters", "h.onnx"], "a Hopfield memory recalls by updating its units"),
    (["train", "xor", "--export", "x.weights"], "cannot tell the export format"),
    (["train", "hopfield-letters", "--export", "h.py", "--out", "h.json"], "a Hopfield memory recalls"),
    (["predict", "broken.onnx", "--input", "0,1"], "broken.onnx is not an ONNX model"),
])
def test_bad_requests_exit_2_with_one_line(args, words, tmp_path) -> None:
    (tmp_path / "broken.onnx").write_bytes(b"\xff\x00 not a model")
    proc = subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and words in proc.stderr and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert not [p for p in tmp_path.iterdir() if p.name != "broken.onnx"]  # nothing half-written


@pytest.mark.parametrize(("module", "suffix"), [("onnx", ".onnx"), ("safetensors", ".safetensors")])
def test_a_missing_optional_package_is_one_line_naming_the_extra(module, suffix, tmp_path) -> None:
    code = (f"import sys; sys.modules[{module!r}] = None; sys.modules[{module + '.numpy'!r}] = None\n"
            "from playground.cli import main\n"
            f"sys.exit(main(['export', 'xor', 'out{suffix}']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (f"nn-playground: {'ONNX' if module == 'onnx' else 'PyTorch'} export needs "
                                   f"the Python package '{module}': pip install 'nn-playground[export]'")
