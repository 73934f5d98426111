"""Recording a training run as an animated GIF: output plot, loss curve and network side by side.

A frame is taken from the run's snapshots every ``every`` epochs (at most one per snapshot). The
plots are the GIF's own (``RecordingStage``, at the panel's size), the network is the canvas's
drawing. The GUI thread only paints the three into one image; turning
frames into a palette image and writing the GIF happen on a worker thread, and the run itself
trains in its own worker all along. Pillow is an optional extra, imported when a recording starts.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from engine.atomic import write_atomic
from engine.trainer import Snapshot
from playground.document.build import TrainingJob
from playground.images.render import ImageError, Picture, laid_out, widget_picture
from playground.images.views import output_widget
from playground.plots.loss import LossPlot
from playground.plots.output import OutputPlot
from playground.training.history import History

PILLOW_MISSING = "Recording a GIF needs the Pillow package: pip install 'nn-playground[gif]'"
CAPTION = 26  # pixels of text under the panels
# A frame costs the GUI thread ~30 ms (three views painted at 320 px): at most ten a second keeps
# the window responsive while snapshots arrive thirty times a second.
MIN_INTERVAL = 0.1
# Room for the whole caption: its epoch makes every frame differ from the one before, and Pillow
# merges identical neighbours (the GIF would have fewer frames than were taken).
MIN_WIDTH = 260
MAX_FRAMES = 500


def pillow():
    """PIL.Image, or one clear sentence saying which extra to install."""
    try:
        from PIL import Image
    except ImportError:
        raise ImageError(PILLOW_MISSING) from None
    return Image


@dataclass(frozen=True)
class GifOptions:
    frames: int = 40  # how many frames the GIF gets (fewer if the run ends first)
    every: int = 10  # epochs between two frames
    fps: float = 10.0  # playback speed
    height: int = 320  # each panel's height in pixels

    def problem(self) -> str | None:
        """The first value out of its range (``GIF_LIMITS``), in words, or None."""
        for name, (low, high, words) in GIF_LIMITS.items():
            if not low <= getattr(self, name) <= high:
                return f"{words} must be {_number(low)} to {_number(high)}"
        return None


def _number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


# Each option's range and name, read by the check above and by the dialog's spin boxes.
GIF_LIMITS: dict[str, tuple[float, float, str]] = {
    "frames": (1, MAX_FRAMES, "frames"),
    "every": (1, 1_000_000, "epochs between frames"),
    "fps": (0.5, 50, "playback speed (frames per second)"),
    "height": (64, 1200, "panel height (pixels)"),
}


def side_by_side(pictures: list[Picture], height: int, caption: str) -> QImage:
    """The pictures scaled to one height, left to right, with a caption line under them."""
    scales = [height / max(1, p.size.height()) for p in pictures]
    widths = [round(p.size.width() * s) for p, s in zip(pictures, scales, strict=True)]
    image = QImage(max(MIN_WIDTH, sum(widths)), height + CAPTION, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        x = 0
        for picture, scale, width in zip(pictures, scales, widths, strict=True):
            painter.save()
            painter.setClipRect(QRectF(x, 0, width, height))
            painter.translate(x, 0)
            painter.scale(scale, scale)
            picture.paint(painter, False)
            painter.restore()
            x += width
        font = QFont(painter.font())
        font.setPointSizeF(11)
        painter.setFont(font)
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(8, height, image.width() - 16, CAPTION),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, caption)
    finally:
        painter.end()
    return image


def palette_frame(data: bytes, width: int, height: int, stride: int):
    """An RGB frame as a 256-colour image (worker thread: no Qt here)."""
    Image = pillow()
    rgb = Image.frombuffer("RGB", (width, height), data, "raw", "RGB", stride, 1)
    return rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT)


class RecordingStage:
    """The GIF's own output and loss plots, never shown, laid out at the frame's panel size (the
    docks' shapes are whatever the window gives them); fed from the run's history and snapshots."""

    def __init__(self, history: History, height: int) -> None:
        self.output = OutputPlot(history)
        self.loss = LossPlot(history)
        laid_out(self.output, self.output.boundary.plot, (round(height * 1.15), height))
        laid_out(self.loss, self.loss.plot, (round(height * 1.4), height))

    def set_job(self, job: TrainingJob) -> None:
        self.output.set_job(job)

    def show(self, snap: Snapshot) -> list[Picture]:
        """This snapshot's output plot and the loss so far."""
        self.output.update_from(snap)
        self.loss.refresh()
        return [widget_picture(output_widget(self.output), "Output"), widget_picture(self.loss.plot, "Loss")]

    def close(self) -> None:
        for widget in (self.output, self.loss):
            widget.close()
            widget.deleteLater()


class Cancelled(Exception):
    """The user cancelled while the GIF was being written: the temp file goes, nothing replaced."""


def write_gif(path: Path, frames: list, fps: float, cancelled: threading.Event | None = None) -> None:
    """All frames into one looping GIF, written atomically (a cancel before the rename leaves the
    old file, if any, as it was)."""
    duration = round(1000 / fps)

    def write(fh) -> None:
        frames[0].save(fh, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0)
        if cancelled is not None and cancelled.is_set():
            raise Cancelled

    write_atomic(path, write)


class GifRecorder(QObject):
    """Follows a training run's snapshots and writes the GIF when it has its frames (or the run
    ends, or ``finish`` is called). ``cancel`` drops everything; nothing is written."""

    progress = Signal(int, int)  # frames taken, frames wanted
    writing = Signal()  # all frames taken; the file is being written
    done = Signal(str)  # the outcome in one sentence (written, cancelled, failed)

    def __init__(self, path: Path, options: GifOptions, snapshots: Signal,
                 frame: Callable[[Snapshot], list[Picture]], epoch: Callable[[Snapshot], int],
                 parent: QObject | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        pillow()  # missing Pillow is told before the run starts, not after it
        self.path, self.options = path, options
        self.frame, self.epoch, self.clock = frame, epoch, clock
        self.captured_at = -math.inf
        self.snapshots = snapshots
        self.frames: list[concurrent.futures.Future] = []
        self.next_epoch: int | None = None
        self.last_epoch: int | None = None
        self.epochs: list[int] = []  # the epoch of each frame taken
        self.result: str | None = None
        self.ended: str | None = None  # why capturing stopped
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="gif")
        self._writing: concurrent.futures.Future | None = None
        self._cancelled = threading.Event()
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_written)
        snapshots.connect(self.on_snapshot)

    @property
    def taken(self) -> int:
        return len(self.frames)

    @property
    def active(self) -> bool:
        return self.result is None

    def on_snapshot(self, snap: Snapshot) -> None:
        if self.ended is not None:
            return
        epoch = self.epoch(snap)
        due = (self.next_epoch is None or epoch >= self.next_epoch) and \
            self.clock() - self.captured_at >= MIN_INTERVAL
        if (due or snap.finished) and epoch != self.last_epoch:
            self.captured_at = self.clock()
            self.capture(snap, epoch)
        if self.taken >= self.options.frames:
            self.finish("all frames taken")
        elif snap.finished:
            self.finish("the run ended")

    def capture(self, snap: Snapshot, epoch: int) -> None:
        loss = snap.metrics.train_loss if snap.metrics is not None else None
        caption = f"epoch {epoch:,}" + (f" · loss {loss:.4g}" if loss is not None else "")
        image = side_by_side(self.frame(snap), self.options.height, caption)
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        data = bytes(image.constBits())  # a copy: the worker must not read Qt's memory
        self.frames.append(self._pool.submit(palette_frame, data, image.width(), image.height(),
                                             image.bytesPerLine()))
        self.last_epoch = epoch
        self.epochs.append(epoch)
        self.next_epoch = epoch + self.options.every
        self.progress.emit(self.taken, self.options.frames)

    def finish(self, why: str = "stopped") -> None:
        """Stop taking frames and write what was taken."""
        if self.ended is not None:
            return
        self.ended = why
        self._disconnect()
        if not self.frames:
            self._end(f"No GIF written: {why} before the first frame.")
            return
        frames, fps = list(self.frames), self.options.fps
        self._writing = self._pool.submit(
            lambda: write_gif(self.path, [f.result() for f in frames], fps, self._cancelled))
        self.writing.emit()
        self._poll.start()

    def cancel(self) -> None:
        if self.result is not None:
            return
        self.ended = "cancelled"
        self._cancelled.set()  # a write under way stops before its rename
        self._disconnect()
        self._end("Recording cancelled: no GIF written.")

    def _check_written(self) -> None:
        if self._writing is None or not self._writing.done():
            return
        self._poll.stop()
        error = self._writing.exception()
        if isinstance(error, Cancelled):
            return
        if error is None:
            self._end(f"Recorded {self.taken} frames ({self.ended}) to {self.path}")
        else:
            self._end(f"Cannot write {self.path.name}: {error}")

    def _end(self, message: str) -> None:
        self._poll.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.result = message
        self.done.emit(message)

    def _disconnect(self) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self.snapshots.disconnect(self.on_snapshot)
