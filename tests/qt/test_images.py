"""Export Image (PNG at a scale, SVG as a vector drawing) and the training GIF, driven in the window."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QPushButton

from engine.trainer import Snapshot
from playground.canvas.items import role_colour, role_fill_alpha
from playground.document.roles import ROLES
from playground.images.actions import ExportImageDialog, GifDialog
from playground.images.gif import CAPTION, MIN_WIDTH, PILLOW_MISSING, GifOptions, GifRecorder
from playground.images.render import Picture
from playground.images.views import IMAGE_VIEWS, shown_views
from playground.plots.loss import TRAIN_COLOUR
from playground.plots.output import CLASS_RGB
from tests.qt.conftest import open_window

SVG = "{http://www.w3.org/2000/svg}"


def svg_tags(path: Path) -> Counter:
    root = ET.parse(path).getroot()  # it must be well-formed XML
    assert root.tag == f"{SVG}svg"
    return Counter(el.tag.removeprefix(SVG) for el in root.iter())


def svg_texts(path: Path) -> list[str]:
    return [el.text or "" for el in ET.parse(path).getroot().iter(f"{SVG}text")]


def pixels(path: Path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8)
    return data.reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()].reshape(
        image.height(), image.width(), 3).copy()  # a view would outlive the QImage's buffer


def circle_neurons(doc) -> int:
    return sum(1 for n in doc.neurons.values() if ROLES[n.role].marker != "square")


@pytest.fixture
def spiral(window):
    window.open_example("spiral")
    return window


def test_the_canvas_svg_is_a_vector_drawing_of_every_neuron_wire_and_label(spiral, tmp_path) -> None:
    doc = spiral.controller.doc
    path = tmp_path / "net.svg"
    assert spiral.images.export_image("canvas", path)
    tags = svg_tags(path)
    assert tags["circle"] == circle_neurons(doc) == len(doc.neurons) == 19
    assert tags["polyline"] == len(doc.connections) == 88  # one line per wire
    assert tags["polygon"] == len(doc.connections)  # and its arrowhead
    assert tags["image"] == 0  # no bitmap anywhere
    texts = svg_texts(path)
    assert all((n.label or n.id) in texts for n in doc.neurons.values())
    assert texts.count("tanh") == 16 and "out·sigmoid" in texts  # the captions under the neurons


def test_the_canvas_exports_without_the_selection_and_keeps_it(spiral, tmp_path) -> None:
    scene = spiral.scene
    scene.select_all()
    before = scene.selected_ids()
    changes = []
    scene.selectionChanged.connect(lambda: changes.append(1))
    spiral.images.export_image("canvas", tmp_path / "net.svg")
    tags = svg_tags(tmp_path / "net.svg")
    assert tags["polyline"] == len(spiral.controller.doc.connections)  # no highlight lines drawn
    assert scene.selected_ids() == before and not changes
    assert len(scene.batch.highlight.wires) == len(before[1])


def test_live_thumbnails_are_in_the_png_but_not_in_the_vector_drawing(spiral, tmp_path) -> None:
    thumb = QImage(8, 8, QImage.Format.Format_RGB32)
    thumb.fill(QColor("#00ff00"))
    spiral.scene.show_thumbnails({nid: thumb for nid in spiral.controller.doc.neurons})
    spiral.images.export_image("canvas", tmp_path / "net.svg")
    spiral.images.export_image("canvas", tmp_path / "net.png")
    assert svg_tags(tmp_path / "net.svg")["image"] == 0
    green = (pixels(tmp_path / "net.png") == (0, 255, 0)).all(axis=2).sum()
    assert green > 19 * 40 * 40 * 0.5  # every neuron's 44 px disc is covered by its thumbnail


@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_a_png_is_the_views_size_times_the_scale_and_not_blank(spiral, tmp_path, scale) -> None:
    picture = spiral.images.picture("canvas")
    path = tmp_path / "net.png"
    assert spiral.images.export_image("canvas", path, scale)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (round(picture.size.width() * scale),
                                                round(picture.size.height() * scale))
    rgb = pixels(path)
    alpha = role_fill_alpha("input") / 255  # the fill as it looks over white
    fill = np.array(role_colour("input").getRgb()[:3]) * alpha + 255 * (1 - alpha)
    assert (np.abs(rgb - fill).sum(axis=2) < 12).sum() > 2 * 30 * 30 * scale ** 2  # two input discs
    assert (rgb != 255).any(axis=2).mean() > 0.05  # drawn on, not blank
    # a scaled export is painted at that resolution (a sharp rim), not an enlarged 1x image
    assert image.dotsPerMeterX() == round(96 * scale / 0.0254)


def test_the_loss_and_output_plots_export_as_vectors(spiral, qtbot, tmp_path) -> None:
    h = spiral.training.history
    h.add_losses(1, np.linspace(0.7, 0.1, 60), np.linspace(0.8, 0.2, 60))
    spiral.loss_plot.refresh()
    spiral.images.export_image("loss", tmp_path / "loss.svg")
    tags = svg_tags(tmp_path / "loss.svg")
    assert tags["polyline"] >= 2 and tags["image"] == 0  # curves and axes, no cached pixmaps
    assert "epoch" in [t.strip() for t in svg_texts(tmp_path / "loss.svg")]
    spiral.training.step_epoch()  # the output plot gets its decision boundary and the data
    qtbot.waitUntil(lambda: spiral.output_plot.boundary.grid is not None, timeout=10000)
    spiral.images.export_image("output", tmp_path / "out.svg")
    tags = svg_tags(tmp_path / "out.svg")
    data = spiral.output_plot.boundary.data
    assert tags["path"] >= len(data.X_train) + len(data.X_test)  # every point a shape
    assert tags["image"] <= 2  # the heat map and the colour bar: bitmaps by nature
    plot = spiral.output_plot.boundary.plot
    spiral.images.export_image("output", tmp_path / "out.png", 2)
    assert QImage(str(tmp_path / "out.png")).size() == plot.size() * 2


def test_the_whole_window_at_twice_its_size(spiral, tmp_path) -> None:
    assert spiral.images.export_image("window", tmp_path / "w.png", 2.0)
    image = QImage(str(tmp_path / "w.png"))
    assert image.size() == spiral.size() * 2
    rgb = pixels(tmp_path / "w.png").astype(np.uint32)
    assert len(np.unique((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])) > 50  # colours
    assert spiral.images.export_image("window", tmp_path / "w.svg")
    assert svg_tags(tmp_path / "w.svg")["text"] > 20  # menus, docks and plots as text, not one screenshot


def test_the_hopfield_lab_views_export(window, qtbot, tmp_path) -> None:
    window.open_example("hopfield-letters")
    lab = window.hopfield_lab
    keys = [v.key for v in shown_views(window)]
    assert "canvas" not in keys and "loss" not in keys and "hopfield_lab" in keys
    exported = set()
    for tab in range(lab.tabs.count()):  # a view behind another tab is offered once it is shown
        lab.tabs.setCurrentIndex(tab)
        qtbot.wait(20)
        for key in [v.key for v in shown_views(window)]:
            assert window.images.export_image(key, tmp_path / f"{key}.png"), window.errors_shown
            assert (pixels(tmp_path / f"{key}.png") != 255).any(axis=2).mean() > 0.01, key
            assert window.images.export_image(key, tmp_path / f"{key}.svg")
            svg_tags(tmp_path / f"{key}.svg")
            exported.add(key)
    assert {k for k in IMAGE_VIEWS if k.startswith("hopfield")} <= exported
    assert svg_tags(tmp_path / "hopfield_weights.svg")["text"] > 3  # the axes as text


def test_a_hidden_view_is_not_offered_and_says_how_to_show_it(spiral, tmp_path) -> None:
    spiral.docks["loss"].close()
    assert "loss" not in [v.key for v in shown_views(spiral)]
    assert not spiral.images.export_image("loss", tmp_path / "loss.png")
    assert spiral.errors_shown == ["The loss plot is not on screen: show it first (View menu, or its "
                                   "tab), then export it."]
    assert not (tmp_path / "loss.png").exists()
    spiral.docks["loss"].show()
    assert spiral.images.export_image("loss", tmp_path / "loss.png")


def test_the_dialog_lists_the_views_and_shows_the_size(spiral, qtbot) -> None:
    dialog = ExportImageDialog(spiral, 1.0)
    qtbot.addWidget(dialog)
    titles = [dialog.view.itemText(k) for k in range(dialog.view.count())]
    assert titles == [v.title for v in shown_views(spiral)]
    dialog.view.setCurrentIndex(titles.index("Whole window"))
    dialog.scale.setValue(3)
    assert f"PNG {spiral.width() * 3} × {spiral.height() * 3} px" in dialog.size_label.text()


def test_the_menu_action_writes_what_the_user_chose(spiral, tmp_path, monkeypatch) -> None:
    path = tmp_path / "chosen.svg"
    monkeypatch.setattr(spiral.images, "ask_image_export", lambda: ("canvas", path, 1.0))
    assert spiral.images.act_export_image in spiral.menuBar().actions()[0].menu().actions()
    spiral.images.act_export_image.trigger()
    assert svg_tags(path)["circle"] == 19
    assert str(path) in spiral.statusBar().currentMessage()


def test_the_file_choosers_start_in_the_last_folder_and_add_the_chosen_suffix(spiral, tmp_path,
                                                                              monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from playground.images import actions

    spiral.settings.setValue("last_dir", str(tmp_path))
    asked = []

    def chooser(parent, title, start, filters):
        asked.append((start, filters))
        return str(tmp_path / "figure"), filters.split(";;")[-1]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", chooser)
    monkeypatch.setattr(actions.ExportImageDialog, "exec", lambda self: 1)
    monkeypatch.setattr(actions.GifDialog, "exec", lambda self: 1)
    assert spiral.images.ask_image_export() == ("canvas", tmp_path / "figure.svg", 1.0)
    assert asked[-1] == (str(tmp_path / "canvas.png"), "PNG image (*.png);;SVG vector drawing (*.svg)")
    assert spiral.images.ask_gif() == (GifOptions(), tmp_path / "figure.gif")
    assert asked[-1][0] == str(tmp_path / "training.gif")


def test_the_canvas_context_menu_and_the_train_menu_offer_the_image_commands(spiral) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    spiral.fill_context_menu(menu, QPointF(-1500, -1500))  # empty canvas
    assert spiral.images.act_export_image in menu.actions()
    train = next(a.menu() for a in spiral.menuBar().actions() if a.text() == "&Train")
    assert spiral.images.act_record_gif in train.actions()


def test_the_gif_dialog_gives_the_options_the_user_set(spiral, qtbot, tmp_path, monkeypatch) -> None:
    dialog = GifDialog(spiral, GifOptions())
    qtbot.addWidget(dialog)
    dialog.frames.setValue(7)
    dialog.every.setValue(25)
    dialog.fps.setValue(4)
    dialog.height.setValue(200)
    assert dialog.options() == GifOptions(frames=7, every=25, fps=4, height=200)
    started = []
    monkeypatch.setattr(spiral.images, "ask_gif", lambda: (dialog.options(), tmp_path / "run.gif"))
    monkeypatch.setattr(spiral.images, "record_gif", lambda path, options: started.append((path, options)))
    spiral.images.act_record_gif.trigger()
    assert started == [(tmp_path / "run.gif", GifOptions(7, 25, 4, 200))]


@pytest.mark.parametrize(("options", "problem"), [
    (GifOptions(frames=0), "frames must be 1 to 500"),
    (GifOptions(every=0), "epochs between frames must be 1 to 1,000,000"),
    (GifOptions(fps=100), "playback speed (frames per second) must be 0.5 to 50"),
    (GifOptions(height=10), "panel height (pixels) must be 64 to 1,200"),
])
def test_impossible_gif_options_are_refused_before_training(spiral, tmp_path, options, problem) -> None:
    assert spiral.images.record_gif(tmp_path / "x.gif", options) is None
    assert spiral.errors_shown == [problem[0].upper() + problem[1:] + "."]
    assert spiral.training.state == "idle"


def test_a_file_name_without_a_known_suffix_is_one_message(spiral, tmp_path) -> None:
    assert not spiral.images.export_image("canvas", tmp_path / "net.bmp")
    assert spiral.errors_shown == ["net.bmp: cannot tell the image format from the name (use .png, .svg)"]
    assert not (tmp_path / "net.bmp").exists()
    assert not spiral.images.export_image("canvas", tmp_path / "missing" / "net.png")
    assert "net.png" in spiral.errors_shown[-1]


# -- the training GIF -------------------------------------------------------------------------------
@pytest.fixture
def xor(qtbot, settings):
    win = open_window(qtbot, settings, "thread")
    win.open_example("xor")
    win.controller.set_training(epochs=100_000, target_loss=None)
    yield win
    win.training.stop()


def test_a_recorded_gif_has_the_requested_frames_side_by_side(xor, qtbot, tmp_path) -> None:
    from PIL import Image

    path = tmp_path / "run.gif"
    options = GifOptions(frames=5, every=3, fps=5, height=120)
    recorder = xor.images.record_gif(path, options)
    assert recorder is not None and xor.images.progress is not None
    qtbot.waitUntil(lambda: not recorder.active, timeout=30000)
    assert recorder.result.startswith("Recorded 5 frames"), recorder.result
    epochs_apart = np.diff(recorder.epochs)
    assert (epochs_apart >= 3).all()
    with Image.open(path) as gif:
        assert gif.n_frames == 5
        assert gif.info["duration"] == 200 and gif.info["loop"] == 0
        width, height = gif.size
        assert height == 120 + CAPTION
        gif.seek(4)
        rgb = np.asarray(gif.convert("RGB")).astype(int)
    # left to right: the decision boundary (the two class colours), the loss curve, the network
    thirds = [rgb[:120, : width // 3], rgb[:120, width // 3: 2 * width // 3], rgb[:120, 2 * width // 3:]]
    near = lambda part, colour: (np.abs(part - np.array(colour)).sum(axis=2) < 60).sum()  # noqa: E731
    assert near(thirds[0], CLASS_RGB[0]) > 10 and near(thirds[0], CLASS_RGB[1]) > 10  # the data points
    assert near(thirds[1], QColor(TRAIN_COLOUR).getRgb()[:3]) > 40
    assert near(thirds[2], role_colour("output").getRgb()[:3]) > 5
    assert xor.images.progress is None and xor.training.state == "running"  # training goes on
    assert str(path) in xor.statusBar().currentMessage()


def test_cancel_writes_nothing_and_a_stopped_run_keeps_its_frames(xor, qtbot, tmp_path) -> None:
    recorder = xor.images.record_gif(tmp_path / "a.gif", GifOptions(frames=400, every=1, height=80))
    qtbot.waitUntil(lambda: recorder.taken >= 2, timeout=20000)
    cancel = xor.images.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    assert recorder.result == "Recording cancelled: no GIF written." and not recorder.active
    qtbot.wait(200)
    assert not (tmp_path / "a.gif").exists()
    recorder = xor.images.record_gif(tmp_path / "b.gif", GifOptions(frames=400, every=1, height=80),
                                     play=False)
    qtbot.waitUntil(lambda: recorder.taken >= 2, timeout=20000)
    xor.training.stop()
    qtbot.waitUntil(lambda: not recorder.active, timeout=20000)
    from PIL import Image

    with Image.open(tmp_path / "b.gif") as gif:
        assert gif.n_frames == recorder.taken


def test_without_pillow_recording_says_which_extra_to_install(xor, monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)  # `import PIL` now raises ImportError
    assert xor.images.record_gif(tmp_path / "x.gif", GifOptions()) is None
    assert xor.errors_shown == [PILLOW_MISSING + "."]
    assert xor.training.state == "idle"  # told before any training starts
    assert "pip install 'nn-playground[gif]'" in PILLOW_MISSING


def test_a_project_that_cannot_train_records_nothing(xor, tmp_path) -> None:
    doc = xor.controller.doc
    xor.controller.delete([n.id for n in doc.neurons.values() if n.role == "output"], [])
    assert xor.images.record_gif(tmp_path / "x.gif", GifOptions()) is None
    assert len(xor.errors_shown) == 1 and xor.training.state == "idle"  # training said why, once
    assert xor.images.progress is None and not xor.images.recorder.active
    assert not (tmp_path / "x.gif").exists()


def test_a_hopfield_project_has_no_run_to_record(window, tmp_path) -> None:
    window.open_example("hopfield-letters")
    assert not window.images.act_record_gif.isEnabled()
    assert window.images.record_gif(tmp_path / "x.gif", GifOptions()) is None
    assert "stores in one shot" in window.errors_shown[-1]


def test_the_output_plot_of_a_many_input_problem_exports_its_score_page(window, tmp_path) -> None:
    from playground.document.build import training_job

    window.open_example("digits")
    window.output_plot.set_job(training_job(window.controller.doc))
    page = window.output_plot.scores
    assert window.output_plot.currentWidget() is page
    assert window.images.export_image("output", tmp_path / "scores.png")
    assert QImage(str(tmp_path / "scores.png")).size() == page.size()
    assert window.images.export_image("output", tmp_path / "scores.svg")
    texts = [t.strip() for t in svg_texts(tmp_path / "scores.svg")]
    assert "Accuracy" in texts and "Confusion matrix (test)" in texts


class Feed(QObject):
    snapshot = Signal(object)


def snap(epoch: int, finished: bool = False) -> Snapshot:
    empty = np.zeros(0)
    return Snapshot(epoch, epoch, empty, empty, None, 0.0, None, finished=finished)


def test_frames_follow_the_epoch_rate_the_time_floor_and_the_runs_end(qtbot, tmp_path) -> None:
    """Snapshots every 3 epochs, 15 ms apart; a frame every 10 epochs but at most every 100 ms."""
    from PIL import Image

    feed, now = Feed(), [0.0]
    square = Picture("square", QSize(40, 30), lambda p, vector: p.fillRect(0, 0, 40, 30, QColor("#2f6fd6")))
    recorder = GifRecorder(tmp_path / "f.gif", GifOptions(frames=50, every=10, height=30), feed.snapshot,
                           lambda s: [square], lambda s: s.epoch, clock=lambda: now[0])
    for epoch in range(0, 61, 3):
        feed.snapshot.emit(snap(epoch, finished=epoch == 60))
        now[0] += 0.015
    # by hand (epoch e arrives at t = e / 3 · 0.015): 0; then epoch ≥ 10 but t ≥ 0.1 → 21 (t = .105);
    # epoch ≥ 31 and t ≥ .205 → 42 (t = .21); then nothing is due before the run's last snapshot, 60
    assert recorder.epochs == [0, 21, 42, 60]
    qtbot.waitUntil(lambda: not recorder.active, timeout=10000)
    assert recorder.result == f"Recorded 4 frames (the run ended) to {tmp_path / 'f.gif'}"
    with Image.open(tmp_path / "f.gif") as gif:
        assert gif.n_frames == 4 and gif.size == (MIN_WIDTH, 30 + CAPTION)  # the caption fits
    feed.snapshot.emit(snap(70))  # a later run does not reach a finished recorder
    assert recorder.epochs[-1] == 60
