"""Every way a network leaves (and enters) the playground, one record each.

The File → Export menu and its file filters, ``nn-playground export --format`` and its help, and
the table in docs/export-format.md are all generated from ``EXPORTERS`` (a test checks the docs).
Adding a format is one record here plus its writer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from engine.errors import EngineError
from engine.registry import lookup
from playground.document import build
from playground.document.model import Document

ALL_MODES = ("mlp", "perceptron", "hopfield")
FEED_FORWARD = ("mlp", "perceptron")


class Exporter(NamedTuple):
    name: str  # --format value
    title: str  # menu entry and file-dialog filter
    suffix: str  # what FILE ends in; chooses the format when --format is not given
    summary: str  # one line for CLI help and the docs table
    write: Callable[[Document, Path], list[Path]]  # the files written (the first is FILE)
    needs: str = ""  # optional packages, for the docs table ("" = numpy only)
    modes: tuple[str, ...] = FEED_FORWARD

    @property
    def file_filter(self) -> str:
        return f"{self.title} (*{self.suffix})"


def _layered(doc: Document, path: Path) -> list[Path]:
    from engine.export import write_export  # the menus read this table at start; writing is later

    write_export(build.export_document(doc), path)
    return [path]


def _from_ir(module: str, writer: str) -> Callable[[Document, Path], list[Path]]:
    """The function ``writer`` of ``playground.exporters.<module>``, given the feed-forward
    stages. The module (and its optional package) is imported when it runs: the menu and the CLI's
    help need only these records, and the first window need not pay for the writers."""
    def write(doc: Document, path: Path) -> list[Path]:
        from playground.exporters.ir import network_ir

        write_ir = getattr(importlib.import_module(f"playground.exporters.{module}"), writer)
        return write_ir(network_ir(doc), path)
    return write


EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("onnx", "ONNX model", ".onnx",
             "ONNX opset 17 for onnxruntime, onnx2torch, Netron (Gemm per level, double precision)",
             _from_ir("onnx_export", "write_onnx"), needs="onnx"),
    Exporter("torch", "PyTorch module + safetensors", ".safetensors",
             "FILE.safetensors (weights) and FILE.py (an nn.Module; missing wires stay zero)",
             _from_ir("torch_export", "write_torch"), needs="safetensors"),
    Exporter("script", "Stand-alone numpy script", ".py",
             "one .py file with the weights embedded: predict(X), or CSV rows on stdin",
             _from_ir("script_export", "write_script")),
    Exporter("npz", "NumPy archive", ".npz", "layered weights and masks as arrays (any mode)",
             _layered, modes=ALL_MODES),
    Exporter("json", "Layered JSON", ".json", "layered weights and masks as JSON (any mode)",
             _layered, modes=ALL_MODES),
)}


def get_exporter(name: str) -> Exporter:
    return lookup(EXPORTERS, "export format", name)


def exporter_for(path: Path, name: str | None = None) -> Exporter:
    """The format named, else the one whose suffix ``path`` has."""
    if name:
        return get_exporter(name)
    for exporter in EXPORTERS.values():
        if path.suffix.lower() == exporter.suffix:
            return exporter
    *others, last = [e.suffix for e in EXPORTERS.values()]
    raise EngineError(f"cannot tell the export format from '{path.suffix or path.name}': "
                      f"end the file name in {', '.join(others)} or {last}")


def export(doc: Document, path: Path, name: str | None = None) -> list[Path]:
    """Write ``doc`` (its current weights) in the chosen format; the files written."""
    exporter = check_export(doc, path, name)
    try:
        return exporter.write(doc, path)
    except OSError as exc:  # a WriteError names the file and the reason
        raise EngineError(str(exc)) from None


def check_export(doc: Document, path: Path, name: str | None = None) -> Exporter:
    """The exporter for ``path``, or the reason it cannot hold ``doc`` (said before a long run)."""
    exporter = exporter_for(path, name)
    if doc.mode not in exporter.modes:
        from playground.exporters.ir import HOPFIELD_REFUSAL

        raise EngineError(f"{exporter.title} cannot hold this project: "
                          + (HOPFIELD_REFUSAL if doc.mode == "hopfield" else f"mode {doc.mode}"))
    if path.suffix.lower() != exporter.suffix:
        raise EngineError(f"{exporter.title} files end in {exporter.suffix}, not "
                          f"'{path.suffix or path.name}'")
    return exporter


def export_filter() -> str:
    """The export dialog's filters, in registry order."""
    return ";;".join(e.file_filter for e in EXPORTERS.values())


def for_filter(chosen: str) -> Exporter | None:
    """The exporter behind a filter the dialog reports as chosen."""
    return next((e for e in EXPORTERS.values() if e.file_filter == chosen), None)


def cli_help() -> str:
    """The formats for ``nn-playground export --help``."""
    return "; ".join(f"{e.name} ({e.suffix}): {e.summary}" for e in EXPORTERS.values())


class Importer(NamedTuple):
    name: str
    title: str
    suffix: str
    read: Callable[[Path], Document]  # a new, unsaved project; DocumentError names what is refused

    @property
    def file_filter(self) -> str:
        return f"{self.title} (*{self.suffix})"


def _read_onnx(path: Path) -> Document:
    from playground.exporters.onnx_import import read_onnx

    return read_onnx(path)


IMPORTERS: dict[str, Importer] = {i.name: i for i in (
    Importer("onnx", "ONNX models", ".onnx", _read_onnx),
)}


def importer_for(path: Path) -> Importer | None:
    """The importer for a model file (by suffix); None for a project file."""
    return next((i for i in IMPORTERS.values() if path.suffix.lower() == i.suffix), None)


def open_filter(project_filter: str) -> str:
    """The Open dialog's filters: projects, every importable model, then all files."""
    models = " ".join(f"*{i.suffix}" for i in IMPORTERS.values())
    return ";;".join([f"Projects and models (*.json {models})", project_filter.split(";;")[0],
                      *(i.file_filter for i in IMPORTERS.values()), "All files (*)"])


def docs_table() -> str:
    """The formats table of docs/export-format.md (a test checks the file holds exactly this)."""
    lines = ["| `--format` | suffix | what it writes | needs |", "|---|---|---|---|"]
    for e in EXPORTERS.values():
        needs = f"`pip install 'nn-playground[export]'` ({e.needs})" if e.needs else "numpy only"
        lines.append(f"| `{e.name}` | `{e.suffix}` | {e.summary} | {needs} |")
    return "\n".join(lines)
