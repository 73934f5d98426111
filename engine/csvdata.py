"""A user's CSV file read into numbers: the stdlib ``csv`` module and numpy, nothing heavier.

Two steps, so the app can preview before it decides: ``read_table`` turns bytes into a table of
text cells (encoding, delimiter and header detected, each overridable), ``table_arrays`` turns the
table and a role per column (input / target / ignore) into the arrays a ``Dataset`` is built from.
Every problem is one ``CsvError`` naming the line and the column; nothing silently becomes NaN or 0.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.errors import EngineError

ROLES = ("input", "target", "ignore")
TARGET_KINDS = ("auto", "classes", "regression")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
MAX_BYTES = 200_000_000  # a file this big is not a playground dataset; refuse before decoding
MAX_CLASSES = 100
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class CsvError(EngineError):
    """A CSV problem in one line a user can act on (the line and column named)."""


@dataclass(frozen=True)
class CsvTable:
    """The file as text cells: ``header`` names every column, ``rows`` are all the same width,
    ``lines[k]`` is the line of the file row ``k`` ends on (for messages)."""

    header: tuple[str, ...]
    rows: list[list[str]]
    lines: list[int]
    delimiter: str
    has_header: bool
    encoding: str

    _columns: dict = field(default_factory=dict, compare=False, repr=False)  # parsed once, on demand

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, j: int) -> tuple[str, ...]:
        """Column ``j``'s cells (the table is transposed once, when first asked)."""
        if "text" not in self._columns:
            self._columns["text"] = list(zip(*self.rows, strict=True))
        return self._columns["text"][j]

    def numbers(self, j: int) -> tuple[np.ndarray, list[int]]:
        """Column ``j`` as floats and the rows whose cell is empty, not a number or not finite;
        kept, so the import dialog re-checks a changed role without parsing the file again."""
        if j not in self._columns:
            self._columns[j] = _as_floats(self.column(j))
        return self._columns[j]


@dataclass(frozen=True)
class CsvArrays:
    """The numbers of a table under one choice of roles: ready for ``dataset_from_arrays``."""

    X: np.ndarray
    Y: np.ndarray
    task: str  # binary | multiclass | regression
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    class_names: tuple[str, ...] = ()
    dropped_lines: tuple[int, ...] = ()  # lines left out because a cell was missing or bad
    class_counts: tuple[int, ...] = ()  # rows per class, in class order


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding): the BOM's encoding, else UTF-8, else Windows-1252 (spreadsheets' default)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise CsvError(f"unknown text encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise CsvError(f"the file is not valid {encoding} text (byte {exc.start + 1})") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise CsvError(f"the file starts like {name} text but is not (byte {exc.start + 1})"
                               ) from None
    for name in ("utf-8", "cp1252"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _records(text: str, delimiter: str, limit: int | None = None) -> tuple[list[list[str]], list[int]]:
    """Non-blank records and the line each ends on; a malformed one is a CsvError naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows.append(row)
            lines.append(reader.line_num)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            reason = f"a value is longer than {csv.field_size_limit():,} characters"
        raise CsvError(f"line {max(1, reader.line_num)}: {reason}") from None
    return rows, lines


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same number (> 1) of columns most often."""
    best, best_score = ",", (-1, -1)
    sample = text[:65536]
    for delim in DELIMITERS:
        try:
            rows, _ = _records(sample, delim, limit=30)
        except CsvError:
            continue
        if len(rows) > 1:
            rows = rows[:-1]  # the sample may cut the last one short
        widths = [len(r) for r in rows]
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delim, score
    return best


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def sniff_header(rows: Sequence[Sequence[str]]) -> bool:
    """A header if a column has text in the first row and numbers below it, or if every first-row
    cell is a distinct non-empty text that no cell below repeats."""
    if len(rows) < 2:
        return bool(rows) and not all(is_number(c) for c in rows[0])
    first, below = rows[0], rows[1:21]
    for j, cell in enumerate(first):
        column = [r[j] for r in below if j < len(r) and r[j].strip()]
        if not is_number(cell) and column and all(is_number(c) for c in column):
            return True
    cells = [c.strip() for c in first]
    if all(cells) and len(set(cells)) == len(cells) and not any(is_number(c) for c in cells):
        return not any(r[j].strip() == cells[j] for r in below for j in range(min(len(r), len(cells))))
    return False


def read_table(data: bytes, delimiter: str | None = None, header: bool | None = None,
               encoding: str | None = None, max_rows: int | None = None) -> CsvTable:
    """The file as a table of text; ``None`` for delimiter/header/encoding means "detect it"."""
    if len(data) > MAX_BYTES:
        raise CsvError(f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    text, used = decode(data, encoding)
    if not text.strip():
        raise CsvError("the file is empty")
    nul = text.find("\x00")
    if nul >= 0:
        raise CsvError(f"line {text.count(chr(10), 0, nul) + 1}: the line holds a NUL character "
                       f"(is this a binary file?)")
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    elif len(delimiter) != 1 or delimiter in "\"\r\n":
        raise CsvError(f"the delimiter must be one character (not a quote or a line break), "
                       f"not {delimiter!r}")
    rows, lines = _records(text, delimiter)
    if not rows:
        raise CsvError("the file is empty")
    has_header = sniff_header(rows) if header is None else header
    if has_header:
        names = tuple(c.strip() or f"column {j + 1}" for j, c in enumerate(rows[0]))
        rows, lines = rows[1:], lines[1:]
    else:
        names = tuple(f"column {j + 1}" for j in range(len(rows[0])))
    if not rows:
        raise CsvError("the file has a header but no data rows")
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise CsvError(f"line 1: the column name '{dup}' appears twice")
    if max_rows is not None and len(rows) > max_rows:
        raise CsvError(f"the file has {len(rows):,} data rows; the limit is {max_rows:,}")
    for row, line in zip(rows, lines, strict=True):
        if len(row) != len(names):
            raise CsvError(f"line {line}: {len(row)} values, but the "
                           f"{'header has' if has_header else 'first row has'} {len(names)} columns")
    return CsvTable(names, rows, lines, delimiter, has_header, used)


SAMPLE_ROWS = 1_000  # what the role defaults and the dialog's column kinds look at


def column_is_numeric(table: CsvTable, j: int) -> bool:
    """True if every non-empty sampled cell of column ``j`` is a finite number (the dialog's
    "numbers"/"text" column)."""
    cells = [r[j] for r in table.rows[:SAMPLE_ROWS] if r[j].strip()]
    return bool(cells) and _as_floats(cells)[1] == []


def numeric_share(table: CsvTable, j: int) -> float:
    """The share of column ``j``'s sampled cells that read as numbers (finite or not)."""
    rows = table.rows[:SAMPLE_ROWS]
    return sum(is_number(r[j]) for r in rows) / len(rows)


def default_roles(table: CsvTable) -> list[str]:
    """The last column is the target; mostly numeric columns are inputs (their odd cells are then
    reported), text columns ignored."""
    roles = ["input" if numeric_share(table, j) >= 0.5 else "ignore" for j in range(table.width)]
    roles[-1] = "target"
    return roles


def _as_floats(cells: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """The cells as floats, and the indices of cells that are empty, not numbers or not finite."""
    try:  # the common case in one C loop; a bad cell sends the column down the slow path
        values = np.fromiter(map(float, cells), dtype=np.float64, count=len(cells))
    except ValueError:
        values = np.empty(len(cells))
        for k, cell in enumerate(cells):
            try:
                values[k] = float(cell)
            except ValueError:
                values[k] = np.nan
    return values, np.flatnonzero(~np.isfinite(values)).tolist()


def _cell_problem(cell: str) -> str:
    text = cell.strip()
    if not text:
        return "the cell is empty"
    shown = text if len(text) <= 30 else text[:27] + "…"
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in shown)  # one line, always
    if is_number(text):
        return f"'{shown}' is not a finite number"
    return f"'{shown}' is not a number"


def table_arrays(table: CsvTable, roles: Sequence[str], target_kind: str = "auto",
                 drop_bad_rows: bool = False) -> CsvArrays:
    """Inputs and targets by role. A missing or bad cell is a CsvError naming its line and column,
    unless ``drop_bad_rows`` leaves such rows out (their lines are reported back)."""
    if len(roles) != table.width:
        raise CsvError(f"{len(roles)} column roles for {table.width} columns")
    for role in roles:
        if role not in ROLES:
            raise CsvError(f"unknown column role '{role}' (known: {', '.join(ROLES)})")
    if target_kind not in TARGET_KINDS:
        raise CsvError(f"unknown target kind '{target_kind}' (known: {', '.join(TARGET_KINDS)})")
    inputs = [j for j, r in enumerate(roles) if r == "input"]
    targets = [j for j, r in enumerate(roles) if r == "target"]
    if not inputs:
        raise CsvError("choose at least one input column")
    if not targets:
        raise CsvError("choose a target column")
    n = len(table.rows)
    columns = {j: table.column(j) for j in inputs + targets}
    numeric = {j: table.numbers(j) for j in inputs + targets}
    if target_kind == "auto":
        target_kind = "regression" if all(not numeric[j][1] for j in targets) else "classes"
    if target_kind == "classes" and len(targets) > 1:
        raise CsvError("classes come from one target column; choose one (or regression)")
    bad: dict[int, int] = {}  # row -> first bad column
    check = inputs + (targets if target_kind == "regression" else [])
    for j in check:
        for k in numeric[j][1]:
            bad.setdefault(k, j)
    if target_kind == "classes":
        for k, cell in enumerate(columns[targets[0]]):
            if not cell.strip():
                bad.setdefault(k, targets[0])
    if bad and not drop_bad_rows:
        k = min(bad)
        j = bad[k]
        more = len(bad) - 1
        tail = f" ({more:,} more row{'s' if more != 1 else ''} like it; you can drop such rows)" \
            if more else " (you can drop such rows)"
        raise CsvError(f"line {table.lines[k]}, column '{table.header[j]}': "
                       f"{_cell_problem(table.rows[k][j])}{tail}")
    keep = np.ones(n, dtype=bool)
    keep[list(bad)] = False
    if not keep.any():
        raise CsvError("every row has a missing or bad cell: nothing is left")
    X = np.column_stack([numeric[j][0][keep] for j in inputs])
    dropped = tuple(table.lines[k] for k in sorted(bad))
    in_names = tuple(table.header[j] for j in inputs)
    if target_kind == "regression":
        Y = np.column_stack([numeric[j][0][keep] for j in targets])
        return CsvArrays(X, Y, "regression", in_names, tuple(table.header[j] for j in targets),
                         dropped_lines=dropped)
    return _classes(X, [c.strip() for c, ok in zip(columns[targets[0]], keep, strict=True) if ok],
                    in_names, table.header[targets[0]], dropped)


def _class_order(names: set[str]) -> list[str]:
    """Numbers in numeric order (2 before 10), other names alphabetically."""
    if all(is_number(c) for c in names):
        return sorted(names, key=float)
    return sorted(names)


def _classes(X: np.ndarray, cells: list[str], in_names: tuple[str, ...], target: str,
             dropped: tuple[int, ...]) -> CsvArrays:
    names = _class_order(set(cells))
    if len(names) < 2:
        raise CsvError(f"the target column '{target}' holds only one class ('{names[0]}'): "
                       f"nothing to tell apart")
    if len(names) > MAX_CLASSES:
        raise CsvError(f"the target column '{target}' has {len(names):,} different values; at most "
                       f"{MAX_CLASSES} classes (is it a number to predict? choose regression)")
    index = {name: k for k, name in enumerate(names)}
    labels = np.fromiter((index[c] for c in cells), dtype=np.int64, count=len(cells))
    counts = tuple(int(c) for c in np.bincount(labels, minlength=len(names)))
    if len(names) == 2:
        Y = labels.reshape(-1, 1).astype(np.float64)
        return CsvArrays(X, Y, "binary", in_names, (target,), tuple(names), dropped, counts)
    Y = np.zeros((len(labels), len(names)))
    Y[np.arange(len(labels)), labels] = 1.0
    return CsvArrays(X, Y, "multiclass", in_names, tuple(names), tuple(names), dropped, counts)


def dataset_csv(X_train: np.ndarray, Y_train: np.ndarray, X_test: np.ndarray, Y_test: np.ndarray,
                task: str, input_names: Sequence[str], output_names: Sequence[str],
                class_names: Sequence[str] = ()) -> str:
    """The dataset as CSV text with a ``split`` column; classes by name, so it imports back."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    target_names = list(output_names) if task == "regression" else [
        output_names[0] if task == "binary" else "class"]
    taken = set(input_names) | set(target_names)
    split_name = "split" if "split" not in taken else "split_"
    writer.writerow([*input_names, *target_names, split_name])
    names = list(class_names) or [str(k) for k in range(max(2, Y_train.shape[1]))]
    for X, Y, part in ((X_train, Y_train, "train"), (X_test, Y_test, "test")):
        if task == "binary":
            labels = [[names[int(v > 0.5)]] for v in Y[:, 0]]
        elif task == "multiclass":
            labels = [[names[int(k)]] for k in Y.argmax(axis=1)]
        else:
            labels = [[repr(float(v)) for v in row] for row in Y]
        for x, label in zip(X, labels, strict=True):
            writer.writerow([repr(float(v)) for v in x] + label + [part])
    return out.getvalue()
