"""The palette: neuron kinds to drag onto the canvas (a real drag with our own MIME type)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from playground.canvas.items import ROLE_COLOURS
from playground.canvas.scene import NEURON_MIME

KINDS = [
    ("input", "Input", "reads one column of the data"),
    ("hidden", "Hidden", "computes act(Σ w·x + b)"),
    ("output", "Output", "the network's answer"),
    ("bias", "Bias", "always outputs 1"),
]


def role_icon(role: str, size: int = 28) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = ROLE_COLOURS[role]
    fill = QColor(colour)
    fill.setAlpha(120)
    painter.setBrush(fill)
    painter.setPen(QPen(colour.darker(140), 2))
    if role == "bias":
        painter.drawRoundedRect(3, 3, size - 6, size - 6, 4, 4)
    else:
        painter.drawEllipse(3, 3, size - 6, size - 6)
    painter.end()
    return QIcon(pix)


def neuron_mime(role: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(NEURON_MIME, role.encode("ascii"))
    mime.setText(f"{role} neuron")
    return mime


class Palette(QListWidget):
    """Drag a kind onto the canvas; double-click adds one at the centre of the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(28, 28))
        self.setSpacing(2)
        for role, title, hint in KINDS:
            item = QListWidgetItem(role_icon(role), title)
            item.setData(Qt.ItemDataRole.UserRole, role)
            item.setToolTip(f"{title} neuron: {hint}. Drag it onto the canvas.")
            self.addItem(item)
        self.setMaximumHeight(4 * 40 + 10)

    def mimeTypes(self) -> list[str]:
        return [NEURON_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        role = items[0].data(Qt.ItemDataRole.UserRole) if items else "hidden"
        return neuron_mime(role)

    def role_of(self, row: int) -> str:
        return self.item(row).data(Qt.ItemDataRole.UserRole)
