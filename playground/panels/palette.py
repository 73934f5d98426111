"""The palette: neuron kinds to drag onto the canvas (a real drag with our own MIME type)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from playground.canvas.items import role_colour
from playground.canvas.scene import NEURON_MIME
from playground.document.roles import ROLES


def role_icon(role: str, size: int = 28) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = role_colour(role)
    fill = QColor(colour)
    fill.setAlpha(120)
    painter.setBrush(fill)
    painter.setPen(QPen(colour.darker(140), 2))
    if ROLES[role].marker == "square":
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
    """Drag a kind onto the canvas; double-click adds one at the centre of the view.

    One row per registered role, read when the palette is built."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setIconSize(QSize(28, 28))
        self.setSpacing(2)
        for role in ROLES.values():
            item = QListWidgetItem(role_icon(role.name), role.title)
            item.setData(Qt.ItemDataRole.UserRole, role.name)
            item.setToolTip(f"{role.title} neuron: {role.hint}. Drag it onto the canvas.")
            self.addItem(item)
        rows = len(ROLES) * (self.sizeHintForRow(0) + 2 * self.spacing()) + 2 * self.frameWidth()
        self.setMaximumHeight(rows + 4)
        self.setMinimumHeight(rows + 4)  # every role in sight: no scrollbar hiding Bias

    def mimeTypes(self) -> list[str]:
        return [NEURON_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        role = items[0].data(Qt.ItemDataRole.UserRole) if items else "hidden"
        return neuron_mime(role)

    def role_of(self, row: int) -> str:
        return self.item(row).data(Qt.ItemDataRole.UserRole)
