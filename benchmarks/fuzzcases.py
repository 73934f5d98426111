"""Malformed inputs for every file the app reads, and the one verdict each must get.

Each generator turns a seed into bytes for one kind of file (project, pattern set, dataset file,
exported weights), starting from the real files we ship and damaging them the ways files get
damaged: wrong types, missing or extra keys, huge or deep values, truncation, bad bytes. ``verdict``
opens the bytes the way the app does and says "accepted" (and then it must also train, export and
save), "rejected" (a clear error of ours), or "crashed: <traceback>". Used by
``tests/test_fuzz_files.py`` (a few hundred cases) and ``benchmarks/fuzz_files.py`` (thousands).
"""

from __future__ import annotations

import copy
import gzip
import io
import json
import random
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.datasets import make_dataset  # noqa: E402
from engine.errors import EngineError  # noqa: E402
from engine.export import predict, write_export  # noqa: E402
from engine.export_reader import read_export  # noqa: E402
from playground.document import build  # noqa: E402
from playground.document.errors import DocumentError  # noqa: E402
from playground.document.fileformat import loads_document, save_document  # noqa: E402
from playground.document.patterns import read_pattern_file  # noqa: E402
from playground.document.validation import errors as validation_errors  # noqa: E402

CLEAR = (DocumentError, EngineError)
EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.json"))
PATTERNS = sorted((ROOT / "resources" / "patterns").glob("*.json"))
LESSONS = sorted((ROOT / "resources" / "lessons").glob("*.json"))
DATA = ROOT / "resources" / "datasets"

ODD_VALUES: list[object] = [
    None, True, False, 0, -1, 1, 2, 0.5, -0.0, 1e308, -1e308, 10**400, -(10**400), 2**63, "", "x",
    "\ud800", "é" * 3, "a" * 100_000, [], {}, [1, 2], [[1]], {"a": 1}, [None], [[]], [-1, 1],
    [[0, 1], [1]], 1e-320, "NaN", "1e999", 64, 65, 100_000, [100_000, 100_000], [0, 5], [3.5, 2],
]


def odd(rng: random.Random) -> object:
    return copy.deepcopy(rng.choice(ODD_VALUES))  # a fresh copy: shared lists could form cycles


# -- JSON trees -----------------------------------------------------------------------------------
def _paths(tree: object, here: tuple = ()) -> list[tuple]:
    out = [here]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _paths(v, (*here, k))
    elif isinstance(tree, list):
        for k, v in enumerate(tree[:8]):
            out += _paths(v, (*here, k))
    return out


def _parent(tree: object, path: tuple) -> tuple[object, object]:
    node = tree
    for key in path[:-1]:
        node = node[key]
    return node, path[-1]


def mutate_tree(tree: object, rng: random.Random) -> object:
    """One to three edits of a JSON tree: replace, delete, add, or grow a value."""
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(tree) if p]
        if not paths:
            return odd(rng)
        path = rng.choice(paths)
        parent, key = _parent(tree, path)
        action = rng.random()
        if action < 0.55:
            parent[key] = odd(rng)
        elif action < 0.7:
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif action < 0.8 and isinstance(parent, dict):
            parent[rng.choice(["extra", "weights", "inline", "hopfield", "state"])] = odd(rng)
        elif action < 0.9 and isinstance(parent[key], list) and parent[key]:
            parent[key] = copy.deepcopy(parent[key] * rng.choice([2, 50, 1000]))
        else:
            parent[key] = {} if isinstance(parent[key], dict) else [] if isinstance(parent[key], list) \
                else odd(rng)
    return tree


def damage_text(text: str, rng: random.Random) -> bytes:
    """Byte-level damage: truncation, deep nesting, duplicate keys, stray bytes, other encodings."""
    kind = rng.randrange(7)
    if kind == 0:
        return text.encode()[: rng.randrange(len(text) + 1)]
    if kind == 1:
        depth = rng.choice([100, 1000, 5000, 100_000])
        deep = '"description": ' + "[" * depth + "]" * depth + ', "d2"'
        return text.replace('"description"', deep, 1).encode()
    if kind == 2:
        return text.replace('{"format"', '{"mode": "mlp", "format"', 1).replace(
            '"mode": "mlp", "format"', '"mode": "hopfield", "format"', 1).encode() \
            if '"mode"' in text else text.encode()
    if kind == 3:
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 4:
        return text.encode("utf-16")
    if kind == 5:
        return b"\xef\xbb\xbf" + text.encode()
    key = rng.choice(['"seed"', '"id"', '"mode"', '"weight"', '"training"'])
    head, sep, tail = text.partition(key + ":")
    if not sep:
        return text.encode()
    value = tail.split(",", 1)[0].split("}", 1)[0]
    return (head + key + ":" + value + ", " + key + ":" + tail).encode()


def project_case(seed: int) -> bytes:
    rng = random.Random(seed)
    text = rng.choice(EXAMPLES).read_text(encoding="utf-8")
    if rng.random() < 0.3:
        return damage_text(text, rng)
    tree = mutate_tree(json.loads(text), rng)
    return json.dumps(tree).encode("utf-8", "surrogatepass")


def lesson_case(seed: int) -> bytes:
    """A shipped lesson, damaged; a third of them first carry their project inline."""
    rng = random.Random(seed)
    path = rng.choice(LESSONS)
    if rng.random() < 0.3:
        tree = json.loads(path.read_text(encoding="utf-8"))
        example = tree["project"]["example"]
        tree["project"] = {"inline": json.loads((ROOT / "resources" / "examples" /
                                                 f"{example}.json").read_text(encoding="utf-8"))}
        text = json.dumps(tree)
    else:
        text = path.read_text(encoding="utf-8")
    if rng.random() < 0.3:
        return damage_text(text, rng)
    tree = mutate_tree(json.loads(text), rng)
    return json.dumps(tree).encode("utf-8", "surrogatepass")


def pattern_case(seed: int) -> bytes:
    rng = random.Random(seed)
    text = rng.choice(PATTERNS).read_text(encoding="utf-8")
    if rng.random() < 0.3:
        return damage_text(text, rng)
    return json.dumps(mutate_tree(json.loads(text), rng)).encode("utf-8", "surrogatepass")


def dataset_case(seed: int) -> tuple[str, bytes]:
    """(file name, bytes) for the iris or digits file."""
    rng = random.Random(seed)
    name = rng.choice(["iris.csv", "digits.csv.gz"])
    raw = (DATA / name).read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode()
    lines = text.splitlines()
    kind = rng.randrange(8)
    if kind == 0:
        lines = lines[: rng.randrange(len(lines) + 1)]
    elif kind == 1:
        k = rng.randrange(len(lines))
        lines[k] = rng.choice(["", "1,2", "a,b,c,d,e", "1e400,0,0,0,0", "nan,1,1,1,1", ",,,,", "0,0,0,0,7",
                               "1," * 10_000, '"1","2"'])
    elif kind == 2:
        lines = [lines[0]] if lines else []
    elif kind == 3:
        lines = [line + ",1" for line in lines]
    elif kind == 4:
        lines.insert(rng.randrange(len(lines) + 1), "9" * 400 + ",1,1,1,1")
    body = ("\n".join(lines)).encode()
    if kind == 5:
        body = body[: rng.randrange(len(body) + 1)]
    if kind == 6:
        return name, bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    if name.endswith(".gz"):
        body = gzip.compress(body)
        if kind == 7:
            body = body[: rng.randrange(len(body) + 1)]
    return name, body


_EXPORTS: dict[str, bytes] = {}


def _export_bytes(source: str, suffix: str) -> bytes:
    key = source + suffix
    if key not in _EXPORTS:
        doc = loads_document((ROOT / "resources" / "examples" / f"{source}.json").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"w{suffix}"
            write_export(build.export_document(doc), path)
            _EXPORTS[key] = path.read_bytes()
    return _EXPORTS[key]


def weights_case(seed: int) -> tuple[str, bytes]:
    """(suffix, bytes) of a damaged weights export."""
    rng = random.Random(seed)
    source = rng.choice(["xor", "spiral", "hopfield-letters", "iris"])
    suffix = rng.choice([".json", ".npz"])
    raw = _export_bytes(source, suffix)
    if suffix == ".json":
        if rng.random() < 0.4:
            return suffix, damage_text(raw.decode(), rng)
        return suffix, json.dumps(mutate_tree(json.loads(raw), rng)).encode("utf-8", "surrogatepass")
    kind = rng.randrange(4)
    if kind == 0:
        return suffix, raw[: rng.randrange(len(raw) + 1)]
    if kind == 1:
        data = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return suffix, bytes(data)
    arrays = dict(np.load(io.BytesIO(raw), allow_pickle=False))
    key = rng.choice(sorted(arrays))
    if kind == 2:
        arrays[key] = rng.choice([np.zeros((0,)), np.zeros((3, 3, 3)), np.array(["x"]), np.zeros(7),
                                  np.array(np.nan), np.ones((2, 2), dtype=np.int8)])
    else:
        header = json.loads(str(arrays["header"]))
        arrays["header"] = np.array(json.dumps(mutate_tree(header, rng)))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return suffix, buffer.getvalue()


# -- verdicts --------------------------------------------------------------------------------------
def _guard(fn: Callable[[], str]) -> str:
    try:
        return fn()
    except CLEAR:
        return "rejected"
    except Exception:
        return "crashed: " + traceback.format_exc(limit=6)


def project_verdict(data: bytes) -> str:
    def check() -> str:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return "rejected"  # load_document says so; loads_document takes text
        doc = loads_document(text)
        with tempfile.TemporaryDirectory() as tmp:
            save_document(doc, Path(tmp) / "p.json")
        build.export_document(doc) if doc.mode == "hopfield" else None
        if not validation_errors(doc) and doc.mode != "hopfield":
            doc.training.epochs = min(doc.training.epochs, 2)
            prepared = build.prepare_training(doc)
            from engine.trainer import run

            run(prepared.session, prepared.options)
            build.export_data(prepared)
        return "accepted"
    return _guard(check)


def _read_as_file(name: str, data: bytes, read: Callable[[Path], object]) -> str:
    """Write ``data`` as ``name`` in a fresh folder and read it the way the app does."""
    def check() -> str:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            read(path)
        return "accepted"
    return _guard(check)


def _run_export(path: Path) -> None:
    export = read_export(path)
    if export["mode"] != "hopfield":
        predict(export, np.zeros((2, len(export["inputs"]))))


def lesson_verdict(data: bytes) -> str:
    """Accepted means usable: every step's text fills and every check measures on its project."""
    from playground.document.lesson_checks import CHECKS, Observation, Probe, fill
    from playground.document.lessons import load_lesson

    def use(path: Path) -> None:
        lesson = load_lesson(path)
        probe = Probe(Observation(lesson.document()))
        for step in lesson.steps:
            fill(step.text, probe)
            for spec in step.checks:
                CHECKS[spec.kind].evaluate(probe, dict(spec.params))
    return _read_as_file("lesson.json", data, use)


def pattern_verdict(data: bytes) -> str:
    return _read_as_file("set.json", data, read_pattern_file)


def dataset_verdict(case: tuple[str, bytes]) -> str:
    name, data = case
    kind = "iris" if name == "iris.csv" else "digits"
    return _read_as_file(name, data, lambda path: make_dataset(kind, data_dir=path.parent))


def weights_verdict(case: tuple[str, bytes]) -> str:
    suffix, data = case
    return _read_as_file(f"w{suffix}", data, _run_export)


# -- CSV imports -----------------------------------------------------------------------------------
CSV_CELLS = ["", " ", "nan", "NaN", "inf", "-inf", "1e400", "-1e400", "1e-400", "abc", '"', '""',
             "1,5", "0x10", "1_000", "é", "\x00", "\u2028", "  7  ", "+3", "-0", "1e308", "True"]


def csv_text(rng: random.Random) -> str:
    """A clean table: a few numeric columns and a text or numeric target, with a header or not."""
    width, rows = rng.randint(1, 5), rng.randint(1, 40)
    delim = rng.choice([",", ";", "\t", "|"])
    target = rng.choice(["text", "number", "two"])
    lines = [delim.join([f"x{j}" for j in range(width)] + ["y"])] if rng.random() < 0.8 else []
    for _ in range(rows):
        cells = [repr(round(rng.gauss(0, 3), 3)) for _ in range(width)]
        y = rng.choice(["cat", "dog", "emu"]) if target == "text" else \
            rng.choice(["0", "1"]) if target == "two" else repr(rng.random())
        lines.append(delim.join([*cells, y]))
    return rng.choice(["\n", "\r\n", "\r"]).join(lines) + ("\n" if rng.random() < 0.7 else "")


def csv_case(seed: int) -> bytes:
    """A CSV damaged the ways real files are: odd cells, ragged rows, quotes, BOMs, encodings,
    empty or header-only files, huge fields, NUL bytes, truncation, flipped bytes."""
    rng = random.Random(seed)
    text = csv_text(rng)
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(14)
    if kind == 0 and lines:  # an odd cell somewhere
        k = rng.randrange(len(lines))
        cells = lines[k].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(CSV_CELLS)
        lines[k] = ",".join(cells)
    elif kind == 1 and lines:  # a ragged row
        k = rng.randrange(len(lines))
        lines[k] = lines[k].rstrip("\r\n") + rng.choice([",9", ",,", ""]) + "\n" if rng.random() < 0.5 \
            else lines[k].split(",")[0] + "\n"
    elif kind == 2 and lines:  # an unbalanced or doubled quote
        k = rng.randrange(len(lines))
        lines.insert(k, rng.choice(['"a,b\n', '"x""y",1\n', '1,"2\n', '"', '""",\n']))
    elif kind == 3:
        return b"" if rng.random() < 0.5 else rng.choice([b"\n\n", b"  \n", b",,,\n", b"\xef\xbb\xbf"])
    elif kind == 4 and lines:  # only the header
        lines = lines[:1]
    elif kind == 5 and lines:  # a huge field
        k = rng.randrange(len(lines))
        lines[k] = "9" * rng.choice([1000, 140_000, 300_000]) + "," + lines[k]
    elif kind == 6:
        encoding = rng.choice(["utf-16", "utf-8-sig", "utf-32", "cp1252", "latin-1"])
        return text.replace("y", "ÿé").encode(encoding)
    elif kind == 7:  # a NUL byte
        data = bytearray(text.encode())
        data.insert(rng.randrange(len(data) + 1), 0)
        return bytes(data)
    elif kind == 8:
        return text.encode()[: rng.randrange(len(text) + 1)]
    elif kind == 9:  # flipped bytes
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 4)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif kind == 10 and lines:  # blank lines and a repeated header name
        lines.insert(rng.randrange(len(lines) + 1), "\n")
        lines[0] = lines[0].replace("x0", "y", 1)
    elif kind == 11:  # one class only, or a thousand
        lines = lines[:1] + [f"{k},{'same' if rng.random() < 0.5 else f'c{k}'}\n" for k in range(200)]
    elif kind == 12:  # an invalid UTF-8 lead byte after a UTF-8 BOM
        return b"\xef\xbb\xbf" + text.encode() + b"\xff\xfe,\x80"
    return "".join(lines).encode()


def csv_verdict(data: bytes) -> str:
    """Read the bytes as Import Data does: default roles, each target kind, with and without
    dropping bad rows. Accepted data must be finite and round-trip through a saved project."""
    from engine.csvdata import TARGET_KINDS, read_table, table_arrays
    from playground.document.csv_import import ImportChoice, csv_project, dataset_from_table
    from playground.document.fileformat import dump_document

    def check() -> str:
        table = read_table(data)
        roles = ["input"] * table.width
        roles[-1] = "target"
        outcome = "rejected"
        for kind in TARGET_KINDS:
            for drop in (False, True):
                try:
                    arrays = table_arrays(table, roles, kind, drop)
                except EngineError as exc:
                    if "\n" in str(exc) or not str(exc):
                        return f"crashed: a message that is not one line: {exc!r}"
                    continue
                if not (np.isfinite(arrays.X).all() and np.isfinite(arrays.Y).all()):
                    return "crashed: a non-finite value was accepted"
                if outcome == "rejected":  # the first accepted choice goes all the way to a file
                    spec, _ = dataset_from_table(table, ImportChoice(roles, kind, drop, 0.75, 0))
                    loads_document(dump_document(csv_project(spec, [2], "tanh", "fuzz")))
                outcome = "accepted"
        return outcome
    return _guard(check)


KINDS: dict[str, tuple[Callable[[int], object], Callable[[object], str]]] = {
    "project": (project_case, project_verdict),
    "patterns": (pattern_case, pattern_verdict),
    "lesson": (lesson_case, lesson_verdict),
    "dataset": (dataset_case, dataset_verdict),
    "weights": (weights_case, weights_verdict),
    "csv": (csv_case, csv_verdict),
}


# -- kills during saves ----------------------------------------------------------------------------
SAVER = """
import sys
from playground.document.fileformat import load_document, save_document
doc = load_document(sys.argv[1])
k = 0
while True:
    k += 1
    doc.title = "A" if k % 2 else "B"
    save_document(doc, sys.argv[2])
"""


def kill_during_save(rounds: int, folder: Path, seed: int = 0) -> dict[str, int]:
    """Kill a process that saves in a loop ``rounds`` times at random moments; after each kill the
    file must read back whole as one of the two versions, and temp files must not pile up."""
    import os
    import signal
    import subprocess
    import time

    rng = random.Random(seed)
    source = ROOT / "resources" / "examples" / "digits.json"  # big enough that a save takes ms
    target = folder / "project.json"
    save_document(loads_document(source.read_text(encoding="utf-8")), target)  # the old version
    intact = 0
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(source), str(target)], cwd=ROOT)
        time.sleep(0.4 + rng.random() * 0.3)  # past start-up, somewhere inside a save
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        try:
            title = loads_document(target.read_text(encoding="utf-8")).title
            intact += title in ("A", "B", "Handwritten digits")
        except (OSError, DocumentError):
            pass
    left = len(list(folder.glob(".project.json.*.tmp")))
    save_document(loads_document(target.read_text(encoding="utf-8")), target)  # a save sweeps orphans
    return {"kills": rounds, "intact": intact, "temp_files_before_sweep": left,
            "temp_files_after": len(list(folder.glob(".project.json.*.tmp")))}
