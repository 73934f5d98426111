"""File → Import Data…: a CSV previewed, its columns given roles, split and scaled, then imported.

The dialog only collects an ``ImportChoice``; ``csv_import.dataset_from_table`` (the same function
the command line uses) makes the dataset, and the window pushes it as one undo step. Every change
re-checks the choice, so the summary line says what will happen, or which line and column stop it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.csvdata import DELIMITERS, CsvError, CsvTable, column_is_numeric, default_roles, read_table
from engine.errors import EngineError
from engine.features import SCALING_CHOICES
from playground.document import limits
from playground.document.csv_import import DEFAULT_TRAIN_FRACTION, ImportChoice, dataset_from_table
from playground.document.model import DatasetSpec

PREVIEW_ROWS = 20
TARGET_TITLES = {"auto": "Detect (text: classes, numbers: regression)", "classes": "Classes",
                 "regression": "Regression"}


class ImportDataDialog(QDialog):
    """Reads the file once; delimiter, header and roles re-parse the bytes it keeps."""

    def __init__(self, path: Path, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import Data — {path.name}")
        self.path, self.data = path, data
        self.table: CsvTable | None = None
        self.spec: DatasetSpec | None = None
        self.delimiter = QComboBox()
        self.delimiter.addItem("Detect", None)
        for char, name in DELIMITERS.items():
            self.delimiter.addItem(name.capitalize(), char)
        self.header = QComboBox()
        for text, value in (("Detect", None), ("First row is a header", True), ("No header", False)):
            self.header.addItem(text, value)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column", "Values", "Role"])
        self.columns.horizontalHeader().setStretchLastSection(True)
        self.target_kind = QComboBox()
        for key, text in TARGET_TITLES.items():
            self.target_kind.addItem(text, key)
        self.drop_bad = QCheckBox("Drop rows with missing or non-numeric cells")
        self.train_share = QDoubleSpinBox()
        self.train_share.setRange(0.05, 1.0)
        self.train_share.setSingleStep(0.05)
        self.train_share.setValue(DEFAULT_TRAIN_FRACTION)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.scaling = QComboBox()
        for key, text in SCALING_CHOICES.items():
            self.scaling.addItem(text, key)
        self.match_io = QCheckBox("Create matching inputs/outputs (named after the columns)")
        self.match_io.setChecked(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("Delimiter"))
        top.addWidget(self.delimiter)
        top.addWidget(QLabel("Header"))
        top.addWidget(self.header)
        self.encoding = QLabel()
        top.addWidget(self.encoding, 1)
        form = QFormLayout()
        form.addRow("Target", self.target_kind)
        form.addRow("", self.drop_bad)
        form.addRow("Training share", self.train_share)
        form.addRow("Split seed", self.seed)
        form.addRow("Input scaling", self.scaling)
        form.addRow("", self.match_io)
        middle = QHBoxLayout()
        middle.addWidget(self.columns, 1)
        middle.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(f"First {PREVIEW_ROWS} rows"))
        layout.addWidget(self.preview, 1)
        layout.addLayout(middle, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(860, 620)
        self.delimiter.currentIndexChanged.connect(self.reparse)
        self.header.currentIndexChanged.connect(self.reparse)
        for box in (self.target_kind, self.scaling):
            box.currentIndexChanged.connect(self.recheck)
        self.drop_bad.toggled.connect(self.recheck)
        self.train_share.valueChanged.connect(self.recheck)
        self.seed.valueChanged.connect(self.recheck)
        self.reparse()

    # -- the table ---------------------------------------------------------------------------------
    def reparse(self) -> None:
        """Read the bytes again with the chosen delimiter and header; roles start from defaults."""
        try:
            self.table = read_table(self.data, self.delimiter.currentData(), self.header.currentData(),
                                    max_rows=limits.MAX_ROWS)
        except CsvError as exc:
            self.table = None
            self._fill([], [])
            self._say(f"{self.path.name}: {exc}", ok=False)
            return
        t = self.table
        self.encoding.setText(f"{len(t.rows):,} rows · {DELIMITERS.get(t.delimiter, repr(t.delimiter))}"
                              f" · {t.encoding}")
        self._fill(list(t.header), t.rows[:PREVIEW_ROWS])
        self.columns.blockSignals(True)
        self.columns.setRowCount(t.width)
        for j, (name, role) in enumerate(zip(t.header, default_roles(t), strict=True)):
            self.columns.setItem(j, 0, QTableWidgetItem(name))
            kind = "numbers" if column_is_numeric(t, j) else "text"
            self.columns.setItem(j, 1, QTableWidgetItem(kind))
            combo = QComboBox()
            combo.addItems(["input", "target", "ignore"])
            combo.setCurrentText(role)
            combo.currentIndexChanged.connect(self.recheck)
            self.columns.setCellWidget(j, 2, combo)
        self.columns.blockSignals(False)
        self.columns.resizeColumnsToContents()
        self.recheck()

    def _fill(self, header: list[str], rows: list[list[str]]) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(header))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(header)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                self.preview.setItem(i, j, QTableWidgetItem(cell if len(cell) < 200 else cell[:197] + "…"))

    def roles(self) -> list[str]:
        return [self.columns.cellWidget(j, 2).currentText() for j in range(self.columns.rowCount())]

    def set_role(self, column: str, role: str) -> None:
        """Give a column a role by name (what a user does with the column's combo box)."""
        assert self.table is not None
        self.columns.cellWidget(self.table.header.index(column), 2).setCurrentText(role)

    def choice(self) -> ImportChoice:
        return ImportChoice(self.roles(), self.target_kind.currentData(), self.drop_bad.isChecked(),
                            round(self.train_share.value(), 4), self.seed.value(),
                            self.scaling.currentData())

    # -- the outcome -------------------------------------------------------------------------------
    def recheck(self) -> None:
        """Build the dataset for the current choice; say what it is (class balance) or what stops it."""
        self.spec = None
        if self.table is None:
            return
        try:
            spec, arrays = dataset_from_table(self.table, self.choice())
        except EngineError as exc:
            self._say(str(exc), ok=False)
            return
        self.spec = spec
        n = len(arrays.X)
        parts = [f"{n:,} rows → {len(spec.inline.inputs):,} training, "
                 f"{len(spec.inline.test_inputs or []):,} test; {len(arrays.input_names)} inputs"]
        if arrays.task == "regression":
            parts.append(f"regression on {', '.join(arrays.output_names)}")
        else:
            balance = ", ".join(f"{name} {count:,} ({100 * count / n:.0f} %)"
                                for name, count in zip(arrays.class_names, arrays.class_counts, strict=True))
            parts.append(f"{len(arrays.class_names)} classes: {balance}")
        if arrays.dropped_lines:
            shown = ", ".join(map(str, arrays.dropped_lines[:8]))
            more = "…" if len(arrays.dropped_lines) > 8 else ""
            count = len(arrays.dropped_lines)
            parts.append(f"{count:,} row{'s' if count != 1 else ''} dropped "
                         f"(line{'s' if count != 1 else ''} {shown}{more})")
        self._say("; ".join(parts) + ".", ok=True)

    def _say(self, text: str, ok: bool) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("" if ok else "color: #b00020; font-weight: bold;")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
