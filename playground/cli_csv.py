"""``nn-playground new --csv FILE --target COLUMN``: a project from a CSV file, data inlined.

Kept beside ``cli.py`` (which registers it) so the command line stays one small module per job.
A bad CSV is an ``EngineError`` naming its line and column: ``cli.main`` prints it, exit 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from engine.activations import hidden_activations
from engine.csvdata import DELIMITERS, TARGET_KINDS, CsvError
from engine.features import FEATURES, SCALINGS
from playground.document.csv_import import (
    DEFAULT_TRAIN_FRACTION,
    ImportChoice,
    column_index,
    csv_project,
    dataset_from_table,
    read_csv_file,
)
from playground.document.fileformat import save_document

_TABS = {"tab": "\t", "\\t": "\t", **{name: char for char, name in DELIMITERS.items()}}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="make a project from a CSV file (the data inlined)")
    p.add_argument("--csv", required=True, metavar="FILE.csv", help="the data")
    p.add_argument("--target", required=True, metavar="COLUMN",
                   help="the column to predict (its name, or its number from 1)")
    p.add_argument("--hidden", default="8", metavar="N,N,...",
                   help="hidden layer sizes (default 8; 'none' for no hidden layer)")
    p.add_argument("--activation", default="tanh", choices=hidden_activations(),
                   help="hidden activation (default tanh)")
    p.add_argument("--out", metavar="PROJECT.json",
                   help="where to save (default: the CSV's name with .json, never overwriting)")
    p.add_argument("--ignore", default="", metavar="COL,COL",
                   help="columns to leave out (every other column is an input)")
    p.add_argument("--task", choices=TARGET_KINDS, default="auto",
                   help="auto: text targets are classes, numbers regression")
    p.add_argument("--drop-bad-rows", action="store_true",
                   help="leave out rows with a missing or non-numeric input instead of stopping")
    p.add_argument("--delimiter", metavar="CHAR", help="default: detected (comma, semicolon, tab…)")
    p.add_argument("--header", choices=("yes", "no"), help="default: detected")
    p.add_argument("--encoding", help="default: from the BOM, else UTF-8, else Windows-1252")
    p.add_argument("--scaling", choices=tuple(SCALINGS), help="scale the inputs (fitted on training rows)")
    p.add_argument("--features", default="", metavar="NAME,NAME",
                   help=f"derived inputs for 2-D data ({', '.join(FEATURES)})")
    p.add_argument("--train-fraction", type=float, default=DEFAULT_TRAIN_FRACTION,
                   help=f"share of rows to train on (default {DEFAULT_TRAIN_FRACTION})")
    p.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    p.set_defaults(func=cmd_new)


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_hidden(text: str) -> list[int]:
    if text.strip().lower() in ("", "none", "0"):
        return []
    try:
        sizes = [int(part) for part in _names(text)]
    except ValueError:
        raise CsvError(f"--hidden {text!r}: expected sizes like 8,8 or 'none'") from None
    if any(not 1 <= s <= 256 for s in sizes):
        raise CsvError("--hidden: every layer needs 1 to 256 neurons")
    return sizes


def cmd_new(args: argparse.Namespace) -> int:
    hidden = parse_hidden(args.hidden)
    source = Path(args.csv)
    out = Path(args.out) if args.out else Path(source.stem + ".json")
    if not args.out and out.exists():
        raise CsvError(f"{out} exists: give --out to choose where to save")
    delimiter = _TABS.get(args.delimiter, args.delimiter) if args.delimiter else None
    header = None if args.header is None else args.header == "yes"
    table = read_csv_file(source, delimiter, header, args.encoding)
    roles = ["input"] * table.width
    for name in _names(args.ignore):
        roles[column_index(table, name)] = "ignore"
    roles[column_index(table, args.target)] = "target"
    choice = ImportChoice(roles, args.task, args.drop_bad_rows, args.train_fraction, args.seed,
                          args.scaling, _names(args.features))
    try:
        spec, arrays = dataset_from_table(table, choice)
    except CsvError as exc:  # the dialog's check box is --drop-bad-rows here
        text = str(exc).replace("you can drop such rows", "--drop-bad-rows leaves such rows out")
        raise CsvError(f"{source.name}: {text}") from None
    doc = csv_project(spec, hidden, args.activation, source.stem)
    save_document(doc, out)
    print(json.dumps({
        "project": str(out), "task": arrays.task, "rows": len(arrays.X),
        "train_rows": len(spec.inline.inputs), "inputs": list(arrays.input_names) + choice.features,
        "outputs": list(arrays.output_names), "classes": dict(zip(arrays.class_names,
                                                                   arrays.class_counts, strict=True)),
        "dropped_lines": list(arrays.dropped_lines[:20]), "dropped_rows": len(arrays.dropped_lines),
    }, ensure_ascii=False))
    return 0
