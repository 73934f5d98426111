"""File → Export Image… and Train → Record Training GIF…: the window's image commands.

Composed by the main window; the dialogs are behind ``ask_*`` seams so tests answer them the way
the window's file prompts are answered. The rendering and GIF modules are imported when a command
runs: the first window shows only the two menu entries.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QProgressDialog,
    QSpinBox,
)

from engine.errors import EngineError
from playground.window_files import with_suffix_of

if TYPE_CHECKING:
    from playground.images.gif import GifOptions, GifRecorder, RecordingStage
    from playground.images.render import Picture
    from playground.main_window import MainWindow

GIF_FILTER = "Animated GIF (*.gif)"


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ExportImageDialog(QDialog):
    """Which view, and how many pixels per screen pixel for a PNG (an SVG is a vector drawing)."""

    def __init__(self, window: MainWindow, scale: float = 1.0) -> None:
        from playground.images.views import shown_views

        super().__init__(window)
        self.setWindowTitle("Export Image")
        self.window_ = window
        self.view = QComboBox()
        for view in shown_views(window):
            self.view.addItem(view.title, view.key)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.25, 8.0)
        self.scale.setSingleStep(0.5)
        self.scale.setDecimals(2)
        self.scale.setSuffix(" ×")
        self.scale.setValue(scale)
        self.scale.setToolTip("PNG only: 2–4× for print; an SVG drawing scales without loss")
        self.size_label = QLabel()
        form = QFormLayout(self)
        form.addRow("View:", self.view)
        form.addRow("PNG scale:", self.scale)
        form.addRow("", self.size_label)
        form.addRow(ok_cancel(self, "Export…"))
        self.view.currentIndexChanged.connect(self._show_size)
        self.scale.valueChanged.connect(self._show_size)
        self._show_size()

    def key(self) -> str:
        return self.view.currentData()

    def _show_size(self) -> None:
        from playground.images.views import IMAGE_VIEWS

        size = IMAGE_VIEWS[self.key()].picture(self.window_).size
        s = self.scale.value()
        self.size_label.setText(f"PNG {round(size.width() * s)} × {round(size.height() * s)} px; "
                                f"SVG {size.width()} × {size.height()} (vector)")


class GifDialog(QDialog):
    def __init__(self, window: MainWindow, options: GifOptions) -> None:
        from playground.images.gif import GIF_LIMITS

        super().__init__(window)
        self.setWindowTitle("Record Training GIF")
        self.frames, self.every, self.height = QSpinBox(), QSpinBox(), QSpinBox()
        self.fps = QDoubleSpinBox()
        for name, box in (("frames", self.frames), ("every", self.every), ("fps", self.fps),
                          ("height", self.height)):
            low, high, _ = GIF_LIMITS[name]
            box.setRange(low, high)
            box.setValue(getattr(options, name))
        self.every.setSuffix(" epochs")
        self.height.setSuffix(" px")
        form = QFormLayout(self)
        note = QLabel("Output plot, loss curve and network side by side, taken from the run's "
                      "snapshots (at most ten frames a second): at full speed frames may lie further apart "
                      "than asked; slow the run down for an even spacing. Training starts (or goes "
                      "on) when you press Record; the GIF is written when the frames are taken or "
                      "the run ends.")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("Frames:", self.frames)
        form.addRow("One frame every:", self.every)
        form.addRow("Playback (frames/s):", self.fps)
        form.addRow("Panel height:", self.height)
        form.addRow(ok_cancel(self, "Record…"))

    def options(self) -> GifOptions:
        from playground.images.gif import GifOptions

        return GifOptions(self.frames.value(), self.every.value(), self.fps.value(), self.height.value())


class ImageActions(QObject):
    """The actions, their dialogs and the recording under way (at most one)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.recorder: GifRecorder | None = None
        self.stage: RecordingStage | None = None
        self.progress: QProgressDialog | None = None
        self.act_export_image = window._action(
            "Export &Image…", self.export_image_dialog, "Ctrl+Shift+P",
            "Save the canvas, a plot, a Hopfield view or the whole window as PNG or SVG")
        self.act_record_gif = window._action(
            "Record Training &GIF…", self.record_gif_dialog, "Ctrl+Shift+G",
            "Record the output plot, loss curve and network as an animated GIF while it trains")
        window.controller.document_reset.connect(self._enable)
        window.controller.history_changed.connect(self._enable)

    def folder(self) -> Path:
        """Where the file choosers start: the folder of the last project opened or saved (the
        window's file commands keep it)."""
        return Path(self.window.files.last_dir())

    def _enable(self) -> None:
        self.act_record_gif.setEnabled(self.window.controller.doc.mode != "hopfield")

    # -- still images ----------------------------------------------------------------------------
    def picture(self, key: str) -> Picture:
        from playground.images.views import IMAGE_VIEWS

        return IMAGE_VIEWS[key].picture(self.window)

    def export_image(self, key: str, path: Path, scale: float = 1.0) -> bool:
        """One view into ``path`` (format by suffix); a problem is one message, the app goes on."""
        from playground.images.render import format_for, save_picture
        from playground.images.views import IMAGE_VIEWS

        view = IMAGE_VIEWS[key]
        if not view.shown(self.window):
            self.window.show_error("Cannot export image", f"The {view.title.lower()} is not on screen: "
                                   "show it first (View menu, or its tab), then export it.")
            return False
        try:
            picture = view.picture(self.window)
            save_picture(picture, path, scale)
        except (EngineError, OSError) as exc:
            self.window.show_error("Cannot export image", str(exc))
            return False
        size = picture.size
        if format_for(path).scalable:
            size = size * scale
        self.window.statusBar().showMessage(
            f"Exported {view.title.lower()} to {path} ({size.width()} × {size.height()})", 6000)
        return True

    def ask_image_export(self) -> tuple[str, Path, float] | None:
        """(view, file, scale) from the dialog and a file chooser, or None."""
        from playground.images.render import file_filter

        w = self.window
        dialog = ExportImageDialog(w, float(w.settings.value("image_scale", 1.0)))
        if not dialog.exec():
            return None
        key, scale = dialog.key(), dialog.scale.value()
        w.settings.setValue("image_scale", scale)
        start = str(self.folder() / f"{key}.png")
        name, chosen = QFileDialog.getSaveFileName(w, "Export image", start, file_filter())
        if not name:
            return None
        return key, with_suffix_of(name, chosen), scale

    def export_image_dialog(self) -> None:
        answer = self.ask_image_export()
        if answer is not None:
            self.export_image(*answer)

    # -- animation ---------------------------------------------------------------------------------
    def record_gif(self, path: Path, options: GifOptions, play: bool = True) -> GifRecorder | None:
        """Start recording (and training, if it is idle); None after saying why it cannot."""
        from playground.images.gif import GifRecorder, RecordingStage, pillow
        from playground.images.views import canvas_picture

        w = self.window
        problem = options.problem()
        if self.recorder is not None and self.recorder.active:
            problem = "a recording is already under way"
        elif w.controller.doc.mode == "hopfield":
            problem = "a Hopfield memory stores in one shot: there is no training run to record"
        if problem is None:
            try:
                pillow()
            except EngineError as exc:
                problem = str(exc)
        if problem is not None:
            w.show_error("Cannot record a GIF", problem[0].upper() + problem[1:] + ".")
            return None
        self.stage = stage = RecordingStage(w.training.history, options.height)
        if w.training.job is not None and w.training.state != "idle":
            stage.set_job(w.training.job)
        w.training.run_started.connect(stage.set_job)

        def frame(snap) -> list[Picture]:
            w.training_views.show_now()  # the canvas's wires at this snapshot's weights
            return [*stage.show(snap), canvas_picture(w.scene)]

        self.recorder = recorder = GifRecorder(path, options, w.training.snapshot, frame,
                                               lambda snap: w.training.epoch_offset + snap.epoch, self)
        recorder.done.connect(self._recording_done)
        w.training.state_changed.connect(self._training_state)
        self._show_progress(recorder, path)
        if play and w.training.state != "running":
            w.training.play()  # a project that cannot train says why (training's own dialog)
            if w.training.state == "idle":
                recorder.cancel()
                return None
        return recorder

    def _show_progress(self, recorder: GifRecorder, path: Path) -> None:
        bar = QProgressDialog(f"Recording {path.name}: waiting for the run…", "Cancel", 0,
                              recorder.options.frames, self.window)
        bar.setWindowTitle("Record Training GIF")
        bar.setWindowModality(Qt.WindowModality.NonModal)  # the user may pause, change the rate…
        bar.setMinimumDuration(0)
        bar.setAutoClose(False)
        bar.setAutoReset(False)
        bar.canceled.connect(recorder.cancel)
        recorder.progress.connect(lambda k, n: (bar.setValue(k),
                                                bar.setLabelText(f"Recording {path.name}: frame {k} of {n}")))
        recorder.writing.connect(lambda: (bar.setRange(0, 0), bar.setLabelText(f"Writing {path.name}…")))
        bar.show()
        self.progress = bar

    def _training_state(self, state: str) -> None:
        if state == "idle" and self.recorder is not None and self.recorder.active:
            self.recorder.finish("the run stopped")

    def _recording_done(self, message: str) -> None:
        w = self.window
        with contextlib.suppress(RuntimeError, TypeError):
            w.training.state_changed.disconnect(self._training_state)
        if self.stage is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                w.training.run_started.disconnect(self.stage.set_job)
            self.stage.close()
            self.stage = None
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        w.statusBar().showMessage(message, 10000)

    def ask_gif(self) -> tuple[GifOptions, Path] | None:
        from playground.images.gif import GifOptions

        w = self.window
        dialog = GifDialog(w, GifOptions())
        if not dialog.exec():
            return None
        start = str(self.folder() / "training.gif")
        name, chosen = QFileDialog.getSaveFileName(w, "Record training GIF", start, GIF_FILTER)
        return (dialog.options(), with_suffix_of(name, chosen)) if name else None

    def record_gif_dialog(self) -> None:
        answer = self.ask_gif()
        if answer is not None:
            self.record_gif(answer[1], answer[0])

