"""File → Export (one entry per registry format) and File → Open of an .onnx model, driven as a user."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from playground.document import build
from playground.exporters.registry import EXPORTERS


def file_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")


def test_the_export_menu_lists_every_format_and_its_dialog_offers_it(window, tmp_path, monkeypatch) -> None:
    export_menu = next(a.menu() for a in file_menu(window).actions() if a.text() == "E&xport")
    assert [a.text() for a in export_menu.actions()] == [f"{e.title}…" for e in EXPORTERS.values()]
    window.open_example("spiral")
    asked = []

    def dialog(parent, caption, start, filters, *rest, **kw):
        asked.append((start, filters))
        return str(tmp_path / "spiral_net"), filters  # typed without a suffix
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    for action, exporter in zip(export_menu.actions(), EXPORTERS.values(), strict=True):
        action.trigger()
        start, offered = asked[-1]
        assert start.endswith(f"spiral{exporter.suffix}") and offered == exporter.file_filter
        assert (tmp_path / f"spiral_net{exporter.suffix}").is_file(), exporter.name
        if exporter.name == "torch":
            assert "class Model(nn.Module)" in (tmp_path / "spiral_net.py").read_text()
            assert "(and spiral_net.py)" in window.statusBar().currentMessage()
    assert window.errors_shown == []


def test_export_model_offers_all_formats_and_refuses_hopfield(window, tmp_path, monkeypatch) -> None:
    answer = (str(tmp_path / "m.onnx"), "")
    filters = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, caption, start, f, *a, **k: (filters.append(f), answer)[1])
    window.open_example("xor")
    window.act_export.trigger()
    assert filters[-1].split(";;") == [e.file_filter for e in EXPORTERS.values()]
    assert (tmp_path / "m.onnx").is_file()
    window.open_example("hopfield-letters")
    answer = (str(tmp_path / "h.onnx"), "")
    window.act_export.trigger()
    assert "a Hopfield memory recalls" in window.errors_shown[-1] and not (tmp_path / "h.onnx").exists()


def test_open_accepts_an_onnx_model_as_a_new_unsaved_project(window, tmp_path, monkeypatch) -> None:
    pytest.importorskip("onnx", reason="the [export] extra is not installed")
    from playground.cli import load_source
    from playground.exporters.registry import export

    spiral = load_source("spiral")
    export(spiral, tmp_path / "spiral.onnx")
    offered = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda parent, caption, start, f, *a, **k:
                        (offered.append(f), (str(tmp_path / "spiral.onnx"), ""))[1])
    window.act_open.trigger()
    assert "*.onnx" in offered[-1]
    doc = window.controller.doc
    assert doc.title == "Spiral" and len(doc.neurons) == len(spiral.neurons)
    assert window.controller.modified and window.controller.path is None  # Save asks where
    X = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_allclose(build.predict(doc, X.tolist()), build.predict(spiral, X.tolist()), atol=1e-12)
    assert len(window.scene.items()) > len(doc.neurons)  # drawn on the canvas
    assert "Imported spiral.onnx" in window.statusBar().currentMessage()


def test_a_refused_model_keeps_the_current_project_and_says_why(window, tmp_path) -> None:
    window.open_example("xor")
    before = window.controller.doc.copy()
    (tmp_path / "bad.onnx").write_bytes(b"\xff\x00 not a model")
    assert not window.open_path(tmp_path / "bad.onnx")
    assert "bad.onnx is not an ONNX model" in window.errors_shown[-1]
    assert window.controller.doc == before
