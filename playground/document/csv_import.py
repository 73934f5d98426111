"""A CSV file into a project's dataset (inline, split, scaled), and a dataset back out to CSV.

Pure Python: the app's Import Data dialog, drag-and-drop and ``nn-playground new --csv`` all go
through ``ImportChoice`` → ``dataset_from_table`` → ``import_command`` / ``csv_project``, so the
three give the same dataset for the same choices.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine import features as feature_registry
from engine.atomic import write_text_atomic
from engine.csvdata import MAX_BYTES, CsvArrays, CsvError, CsvTable, dataset_csv, read_table, table_arrays
from engine.datasets.base import split
from playground.document import limits
from playground.document.build import build_dataset
from playground.document.commands import Command, CompositeCommand, SetSection
from playground.document.edits import matching_io_command
from playground.document.layout import plan_layers
from playground.document.model import DatasetSpec, Document, InlineData, Scaling

DEFAULT_TRAIN_FRACTION = 0.8


@dataclass
class ImportChoice:
    """Everything the user decides about one import (the dialog's fields, the CLI's flags)."""

    roles: list[str]  # per column: input | target | ignore
    target_kind: str = "auto"  # auto | classes | regression
    drop_bad_rows: bool = False
    train_fraction: float = DEFAULT_TRAIN_FRACTION
    seed: int = 0
    scaling: str | None = None  # None | standardise | minmax
    features: list[str] = field(default_factory=list)


def read_csv_bytes(path: Path) -> bytes:
    """The file's bytes (refused above the size limit before reading), or a CsvError in words."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before reading it into memory
            raise CsvError(f"{path.name}: the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
        data = path.read_bytes()
    except IsADirectoryError:
        raise CsvError(f"{path} is a folder, not a CSV file") from None
    except FileNotFoundError:
        raise CsvError(f"no such file: {path}") from None
    except OSError as exc:
        raise CsvError(f"cannot read {path}: {exc.strerror}") from None
    return data


def read_csv_file(path: str | os.PathLike[str], delimiter: str | None = None,
                  header: bool | None = None, encoding: str | None = None) -> CsvTable:
    """The file as a table; a missing/unreadable file or bad CSV is a CsvError naming the file."""
    path = Path(path)
    data = read_csv_bytes(path)
    try:
        return read_table(data, delimiter, header, encoding, max_rows=limits.MAX_ROWS)
    except CsvError as exc:
        raise CsvError(f"{path.name}: {exc}") from None


def column_index(table: CsvTable, name: str) -> int:
    """A column by its name (or its 1-based number), for ``--target``."""
    if name in table.header:
        return table.header.index(name)
    if name.isdigit() and 1 <= int(name) <= table.width:
        return int(name) - 1
    raise CsvError(f"no column '{name}' (columns: {', '.join(table.header)})")


def dataset_from_table(table: CsvTable, choice: ImportChoice) -> tuple[DatasetSpec, CsvArrays]:
    """The inline dataset for these choices: rows split by the seed, the scaling fitted on the
    training rows only."""
    arrays = table_arrays(table, choice.roles, choice.target_kind, choice.drop_bad_rows)
    for what, m in (("input", arrays.X), ("target", arrays.Y)):
        if m.shape[1] > limits.MAX_COLUMNS or m.size > limits.MAX_CELLS:
            raise CsvError(f"{m.shape[0]:,} rows × {m.shape[1]} {what} columns is more than a "
                           f"project holds ({limits.MAX_COLUMNS} columns, {limits.MAX_CELLS:,} values)")
    if not 0 < choice.train_fraction <= 1:
        raise CsvError("the training share must be more than 0 and at most 1")
    rng = np.random.default_rng(choice.seed)
    X, Y, Xt, Yt = split(arrays.X, arrays.Y, choice.train_fraction, rng)
    prep = feature_registry.fit(X, choice.features, choice.scaling)
    scaling = None if prep.scaling is None else Scaling(prep.scaling, list(prep.offset),
                                                        list(prep.scale))
    inline = InlineData(X.tolist(), Y.tolist(), arrays.task, Xt.tolist() if len(Xt) else None,
                        Yt.tolist() if len(Yt) else None, list(arrays.input_names),
                        list(arrays.output_names), list(arrays.class_names) or None)
    spec = DatasetSpec(None, {}, choice.train_fraction, choice.seed, inline, list(choice.features),
                       scaling)
    return spec, arrays


def import_command(doc: Document, spec: DatasetSpec, source: str, match_io: bool) -> Command:
    """One undo step: the new dataset and, if asked, the input/output neurons it needs."""
    set_data = SetSection(doc, "dataset", spec, f"Import data from {source}")
    if not match_io:
        return set_data
    after = doc.copy()
    after.dataset = spec
    io = matching_io_command(after)
    return CompositeCommand(set_data.text, [set_data] + ([io] if io is not None else []))


def csv_project(spec: DatasetSpec, hidden: list[int], activation: str, title: str) -> Document:
    """A new MLP project for an imported dataset: inputs and outputs named after its columns."""
    doc = Document(title=title, mode="mlp")
    doc.dataset = spec
    inline = spec.inline
    n_in = len(inline.inputs[0]) + len(spec.features)
    n_out = len(inline.targets[0])
    output = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}[inline.task]
    plan = plan_layers(doc, [n_in, *hidden, n_out], activation, output)
    doc.neurons = {n.id: n for n in plan.neurons}
    doc.connections = {c.id: c for c in plan.connections}
    io = matching_io_command(doc)  # labels the inputs and outputs by the columns' names
    if io is not None:
        io.do(doc)
    loss = {"binary": "bce", "multiclass": "cce", "regression": "mse"}[inline.task]
    doc.training.loss, doc.training.optimizer, doc.training.learning_rate = loss, "adam", 0.01
    return doc


def export_csv(doc: Document, path: str | os.PathLike[str]) -> int:
    """Write the project's current dataset (train and test rows, a ``split`` column); the rows."""
    d = build_dataset(doc)
    text = dataset_csv(d.X_train, d.Y_train, d.X_test, d.Y_test, d.task, d.input_names,
                       d.output_names, d.class_names)
    write_text_atomic(path, text)
    return len(d.X_train) + len(d.X_test)
