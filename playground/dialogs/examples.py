"""Open Example…: a gallery of every shipped example with its title, description and a thumbnail."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.canvas.items import NeuronItem, WireItem
from playground.document.examples import example_path, list_examples
from playground.document.fileformat import load_document
from playground.document.model import Document

THUMB = QSize(160, 110)


def network_thumbnail(doc: Document, size: QSize = THUMB) -> QPixmap:
    """Paint the network with the canvas's own items into a pixmap."""
    from PySide6.QtWidgets import QGraphicsScene

    scene = QGraphicsScene()
    items = {nid: NeuronItem(n) for nid, n in doc.neurons.items()}
    for item in items.values():
        scene.addItem(item)
    for c in doc.connections.values():
        if c.source in items and c.target in items:
            wire = WireItem(c, items[c.source], items[c.target])
            wire.update_from(c, directed=doc.mode != "hopfield")
            scene.addItem(wire)
    pix = QPixmap(size)
    pix.fill(QColor("white"))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if items:
        scene.render(
            painter,
            QRectF(4, 4, size.width() - 8, size.height() - 8),
            scene.itemsBoundingRect().adjusted(-10, -10, 10, 10),
        )
    else:
        painter.setPen(QColor("#555"))
        rows, cols = doc.hopfield.shape if doc.hopfield else (0, 0)
        painter.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, f"Hopfield\n{rows}×{cols} units")
    painter.end()
    return pix


class ExampleGallery(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Example")
        self.resize(820, 560)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 30, THUMB.height() + 50))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setMovement(QListWidget.Movement.Static)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(48)
        for info in list_examples():
            doc = load_document(example_path(info.name))
            item = QListWidgetItem(QIcon(network_thumbnail(doc)), info.title)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(f"<b>{info.title}</b> ({info.name})<br>{doc.description}")
            item.setData(Qt.ItemDataRole.UserRole + 1, doc.description)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.description.setText(f"<b>{item.text()}</b> — {item.data(Qt.ItemDataRole.UserRole + 1)}")

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
