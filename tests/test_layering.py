"""Architecture rules that code review forgets: no Qt below the app, no pickle or eval anywhere."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engine_document_and_cli_load_no_qt_module() -> None:
    code = (
        "import sys, json, engine, engine.datasets, engine.hopfield, engine.trainer, engine.export, "
        "engine.grid, playground.document.build, playground.document.commands, "
        "playground.document.fileformat, playground.document.validation, playground.cli, "
        "playground.exporters.registry, playground.exporters.onnx_import\n"
        "from playground.cli import main\n"
        "main(['examples'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]\n"
        "print(json.dumps(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == []


def test_the_cli_imports_the_qt_layer_only_inside_the_commands_that_need_it() -> None:
    """Module level: stdlib, numpy, engine and playground.document (and so inside the other
    commands). Opening the app and `render` (which draws with the app's views, off screen) import
    the Qt layer inside their function."""
    allowed = set(sys.stdlib_module_names) | {"numpy", "engine", "__future__"}
    # Qt-free playground packages (test_engine_document_and_cli_load_no_qt_module imports them)
    QT_FREE = ("playground.document", "playground.cli_", "playground.exporters")
    lazy = {"open_app": "playground.app", "cmd_render": "playground.images.headless"}
    tree = ast.parse((ROOT / "playground" / "cli.py").read_text(encoding="utf-8"))
    for path in (ROOT / "playground").glob("cli*.py"):  # cli.py and its command modules (cli_csv.py)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [f"{node.module}.{a.name}" for a in node.names]
                for name in names:
                    assert (name.split(".")[0] in allowed or name.startswith(QT_FREE)), \
                        f"{path.name} imports {name}"
    for func in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        inner = [n.module for n in ast.walk(func) if isinstance(n, ast.ImportFrom)]
        inner += [a.name for n in ast.walk(func) if isinstance(n, ast.Import) for a in n.names]
        if func.name in lazy:
            assert inner == [lazy[func.name]], func.name
        else:  # a command may import what only it needs (lessons, the explainer), never Qt
            assert all(name.split(".")[0] in allowed or name.startswith(QT_FREE) for name in inner), \
                (func.name, inner)


def test_engine_imports_only_numpy_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"numpy", "engine"}
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_no_pickle_eval_or_exec_in_shipped_code() -> None:
    banned_modules = {"pickle", "cPickle", "shelve", "marshal", "dill"}
    for folder in ("engine", "playground"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                    assert not banned_modules & {(m or "").split(".")[0] for m in mods}, path
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    assert node.func.id not in ("eval", "exec", "__import__"), path
                if isinstance(node, ast.keyword) and node.arg == "allow_pickle":
                    assert isinstance(node.value, ast.Constant) and node.value.value is False, path


def test_engine_benchmark_runs_and_ends_with_its_json_line() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "engine_bench.py"), "--quick"],
                          capture_output=True, text=True, check=True, timeout=300)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    results = out["results"]
    assert {"xor_2_4_1_full_batch", "digits_64_64_10_full_batch", "hopfield_sync_recall_1024",
            "decision_grid_200_f32", "mlp_2_128_128_1_500pts_f32"} <= set(results)
    assert out["machine"]["OPENBLAS_NUM_THREADS"] == "1" and len(out["load"]) == 3
    # a ratio compares like with like only if both sides computed the same weights
    trained = {name: r["max_diff"] for name, r in results.items() if "max_diff" in r}
    assert {"xor_2_4_1_full_batch", "digits_64_64_10_full_batch"} <= set(trained)
    assert all(diff < (1e-5 if name.endswith("f32") else 1e-12) for name, diff in trained.items()), trained
    for r in results.values():
        assert r["ratio_p10"] <= r["ratio"] <= r["ratio_p90"]
