"""`nn-playground render`: a saved project drawn off screen as SVG or PNG, each view."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from playground.cli import RENDER_VIEWS, main

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def tags(path: Path) -> Counter:
    return Counter(el.tag.removeprefix(SVG) for el in ET.parse(path).getroot().iter())


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """The spiral example after `train --out`, as the command is meant to be used."""
    out = tmp_path_factory.mktemp("render") / "spiral.json"
    assert main(["train", "spiral", "--epochs", "30", "--out", str(out)]) == 0
    return out


def test_render_draws_the_canvas_as_a_vector_drawing_from_a_fresh_process(trained, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    out = tmp_path / "net.svg"
    proc = subprocess.run([sys.executable, "-m", "playground", "render", str(trained), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out) and proc.stderr == ""  # no Qt chatter for the user
    t = tags(out)
    assert t["circle"] == 19 and t["polyline"] == 88 and t["image"] == 0


@pytest.mark.parametrize("view", RENDER_VIEWS)
def test_every_view_renders_as_svg_and_as_png_at_its_size_and_scale(trained, tmp_path, view, qapp) -> None:
    from PySide6.QtGui import QImage

    svg, png = tmp_path / f"{view}.svg", tmp_path / f"{view}.png"
    assert main(["render", str(trained), "--view", view, "--out", str(svg), "--size", "400x300"]) == 0
    assert main(["render", str(trained), "--view", view, "--out", str(png), "--size", "400x300",
                 "--scale", "2"]) == 0
    t = tags(svg)
    image = QImage(str(png))
    if view == "canvas":  # the drawing's own size
        assert t["circle"] == 19 and t["text"] >= 38
        assert image.width() > 600 and image.height() > 600
    else:
        assert (image.width(), image.height()) == (800, 600)
        assert t["polyline"] > 10 and t["text"] > 5  # axes and ticks as vectors and text
    if view == "boundary":
        assert t["path"] >= 500  # every data point a shape
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # not blank


def test_the_registry_of_views_and_the_cli_agree() -> None:
    from playground.images.headless import VIEWS

    assert tuple(VIEWS) == RENDER_VIEWS


@pytest.mark.parametrize(("args", "message"), [
    (["xor", "--out", "x.bmp"], "x.bmp: cannot tell the image format from the name (use .png, .svg)"),
    (["hopfield-letters", "--view", "loss", "--out", "x.svg"], "a Hopfield project has no loss view"),
    (["hopfield-letters", "--out", "x.svg"], "a Hopfield project has no network canvas"),
    (["digits", "--view", "boundary", "--out", "x.svg"], "the boundary view needs a dataset with two inputs"),
    (["xor", "--out", "x.png", "--size", "big"], "--size 'big': expected WIDTHxHEIGHT"),
    (["xor", "--out", "x.png", "--scale", "0"], "scale must be greater than 0"),
    (["xor", "--out", "missing/x.png"], "x.png"),
])
def test_bad_render_requests_exit_2_with_one_line(args, message, tmp_path, capsys, qapp, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert not list(tmp_path.rglob("x.*"))


def test_the_render_help_names_every_image_format(capsys) -> None:
    """The CLI cannot import the Qt format table, so a test keeps its help in step with it."""
    from playground.images.render import FORMATS

    with pytest.raises(SystemExit):
        main(["render", "--help"])
    text = capsys.readouterr().out
    assert all(f"FILE{f.suffix}" in text for f in FORMATS.values())
