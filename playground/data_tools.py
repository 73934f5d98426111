"""Own data in the window: draw mode on the decision plot, its controls in the Data panel, the
Data table dock and the Data menu, built and wired in one place (the window adds three lines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from playground.controller import Controller
from playground.data_editing import TOOLS, CurrentData, DataEditor, DataSelection, DrawState
from playground.docks import LazyPanel
from playground.document import points
from playground.plots.draw import PointEditor
from playground.plots.output import CLASS_RGB, OutputPlot

if TYPE_CHECKING:
    from playground.panels.data_table import DataTable

# (menu text, task, classes) of an empty plane to draw on
PLANES = (("Two Classes", "binary", 2), ("Three Classes", "multiclass", 3),
          ("Values (Regression)", "regression", 0))


def class_icon(k: int) -> QIcon:
    """The class's colour as the plots draw it."""
    pixmap = QPixmap(QSize(12, 12))
    pixmap.fill(QColor(*(int(v) for v in CLASS_RGB[k % len(CLASS_RGB)])))
    return QIcon(pixmap)


class DrawControls(QGroupBox):
    """The Data panel's draw section: mode, tool, class or value, and the whole-data edits."""

    def __init__(self, tools: DataTools, parent: QWidget | None = None) -> None:
        super().__init__("Draw data", parent)
        self.tools, state = tools, tools.state
        self.draw_button = QToolButton()
        self.draw_button.setDefaultAction(tools.act_draw)
        self.tool = QComboBox()
        for key, text in TOOLS.items():
            self.tool.addItem(text.split(":")[0], key)
            self.tool.setItemData(self.tool.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.classes = QComboBox()
        self.classes.setToolTip("The class new points get (colours as on the plot)")
        self.value = QDoubleSpinBox()
        self.value.setRange(-1e6, 1e6)
        self.value.setDecimals(3)
        self.value.setToolTip("The target value new points get (regression)")
        self.label_stack = QStackedWidget()
        self.label_stack.addWidget(self.classes)
        self.label_stack.addWidget(self.value)
        self.edit_button = QPushButton("Edit these points")
        self.edit_button.setToolTip("Turn the generated dataset into your own points to edit")
        self.plane_button = QPushButton("Empty plane")
        self.plane_button.setMenu(tools.plane_menu)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove every point (one undo step)")
        self.setToolTip("On the decision plot: click adds a point, drag moves one, right-click or Del "
                        "removes; the brush sprays a small cloud. Each stroke is one undo step.")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.draw_button, 0, 0)
        grid.addWidget(self.tool, 0, 1)
        grid.addWidget(self.label_stack, 0, 2)
        grid.addWidget(self.edit_button, 1, 0)
        grid.addWidget(self.plane_button, 1, 1)
        grid.addWidget(self.clear_button, 1, 2)
        self.tool.activated.connect(lambda _: state.update(tool=self.tool.currentData()))
        self.classes.activated.connect(lambda _: state.update(label=float(self.classes.currentIndex())))
        self.value.valueChanged.connect(lambda v: state.update(label=float(v)))
        self.edit_button.clicked.connect(tools.editor.edit_these_points)
        self.clear_button.clicked.connect(tools.editor.clear)
        tools.current.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Classes (names and colours) of the data on show; a value box for regression."""
        data, inline = self.tools.current.data, self.tools.current.inline
        regression = data is not None and data.task == "regression"
        self.label_stack.setCurrentWidget(self.value if regression else self.classes)
        names = [] if data is None or regression else list(data.class_names or ("0", "1"))
        if [self.classes.itemText(k) for k in range(self.classes.count())] != names:
            self.classes.clear()
            for k, name in enumerate(names):
                self.classes.addItem(class_icon(k), name)
            label = int(self.tools.state.label)
            self.classes.setCurrentIndex(label if label < len(names) else 0)
            if not regression and label >= len(names):
                self.tools.state.update(label=0.0)
        self.edit_button.setEnabled(data is not None and inline is None)
        self.clear_button.setEnabled(inline is not None and self.tools.current.n_rows() > 0)


class DataTools(QObject):
    def __init__(self, controller: Controller, output: OutputPlot, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.current = CurrentData(controller, self)
        self.selection = DataSelection(self)
        self.state = DrawState(self)
        self.editor = DataEditor(controller, self.current, self.selection, self)
        self.act_draw = QAction("&Draw Data", self, checkable=True)
        self.act_draw.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.act_draw.setToolTip("Draw points on the decision plot (Ctrl+Shift+D)")
        self.act_draw.toggled.connect(self._draw_toggled)
        self.act_edit = QAction("&Edit These Points", self)
        self.act_edit.triggered.connect(self.editor.edit_these_points)
        self.act_clear = QAction("&Clear Points", self)
        self.act_clear.triggered.connect(self.editor.clear)
        self.plane_menu = QMenu("New Empty &Plane")
        for text, task, classes in PLANES:
            self.plane_menu.addAction(text, lambda t=task, k=classes: self._new_plane(t, k))
        self.points = PointEditor(controller, self.current, self.selection, self.state, self.editor,
                                  output, self)
        self.table_panel = LazyPanel(self._make_table)  # the Data table dock's widget
        self.controls = DrawControls(self)
        self.current.changed.connect(self._data_changed)

    @property
    def table(self) -> DataTable:
        """The data table, made when its dock first opens (it is closed at start) or it is asked for."""
        return self.table_panel.content()

    def _make_table(self) -> DataTable:
        from playground.panels.data_table import DataTable

        return DataTable(self.current, self.selection, self.editor, self.state)

    def menu(self, parent: QWidget) -> QMenu:
        """The window's Data menu."""
        menu = QMenu("&Data", parent)
        menu.addAction(self.act_draw)
        menu.addMenu(self.plane_menu)
        menu.addActions([self.act_edit, self.act_clear])
        return menu

    def drawable(self) -> bool:
        data = self.current.data
        return data is not None and data.n_inputs == 2 and data.x_range is not None

    def _draw_toggled(self, on: bool) -> None:
        if on and not self.drawable():
            self.act_draw.setChecked(False)
            why = self.current.problem or "drawing needs data with two inputs (a plane)"
            self.controller.status.emit(f"Cannot draw here: {why}; start an empty plane instead")
            return
        self.state.update(enabled=on)
        if on:
            self.controller.status.emit("Draw mode: click the plot to add points of the chosen class")

    def _new_plane(self, task: str, classes: int) -> None:
        self.editor.new_plane(task, classes)
        self.act_draw.setChecked(True)

    def _data_changed(self) -> None:
        if self.act_draw.isChecked() and not self.drawable():
            self.act_draw.setChecked(False)  # e.g. a switch to digits: nothing to draw on
        n_classes = points.n_classes(self.current.inline) if self.current.inline else 0
        self.act_clear.setEnabled(self.current.inline is not None and self.current.n_rows() > 0)
        self.act_edit.setEnabled(self.current.data is not None and self.current.inline is None)
        if n_classes and self.state.label >= n_classes:
            self.state.update(label=0.0)
