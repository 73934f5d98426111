"""The headless command line: list, train, predict, validate (and Hopfield recall/capacity).

Bad input exits 2 with a one-line reason on stderr; exit 1 is reserved for bugs. Uses only the
engine and the document layer, so it never imports Qt unless asked to open the app.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine import hopfield
from engine.errors import EngineError
from engine.export import write_export
from engine.settings import SETTINGS
from engine.trainer import Snapshot, run
from playground.document import build
from playground.document.errors import DocumentError, FileFormatError
from playground.document.examples import example_path, list_examples
from playground.document.fileformat import load_document, save_document
from playground.document.lessons import list_lessons, load_lesson
from playground.document.model import Document
from playground.document.validation import validate

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A user mistake on the command line: reported in one line, exit 2."""


def load_source(source: str) -> Document:
    """An example name or a project file path."""
    path = example_path(source)
    if path is None:
        path = Path(source)
        if not path.exists():
            names = ", ".join(e.name for e in list_examples())
            raise CliError(f"'{source}' is neither a file nor an example (examples: {names})")
    return load_document(path)


def parse_inputs(texts: Sequence[str], option: str = "--input") -> list[list[float]]:
    """Comma-separated finite numbers, one row per text."""
    rows = []
    for text in texts:
        try:
            row = [float(part) for part in text.split(",")]
        except ValueError:
            raise CliError(f"{option} {text!r}: expected numbers separated by commas") from None
        if not all(math.isfinite(v) for v in row):
            raise CliError(f"{option} {text!r}: numbers must be finite")
        rows.append(row)
    return rows


def cmd_lessons(args: argparse.Namespace) -> int:
    """List the shipped lessons, or check lesson files (one line per bad file on stderr, exit 2)."""
    if args.check:
        failed = False
        for name in args.check:
            try:
                lesson = load_lesson(Path(name))
            except FileFormatError as exc:
                failed = True
                print(f"nn-playground: {one_line(exc)}", file=sys.stderr)
                continue
            print(f"ok\t{name}\t{lesson.title} ({len(lesson.steps)} steps)")
        return EXIT_BAD_INPUT if failed else 0
    for lesson in list_lessons():
        project = lesson.example or "inline project"
        print(f"{lesson.name}\t{lesson.title}\t{len(lesson.steps)} steps\t{project}")
    return 0


def cmd_examples(_: argparse.Namespace) -> int:
    for info in list_examples():
        print(f"{info.name}\t{info.title}")
    return 0


class StderrProgress:
    """Progress on stderr, once a second, only when a run takes longer than a second."""

    def __init__(self, total: int) -> None:
        self.total, self.started, self.shown = total, time.monotonic(), 0.0

    def __call__(self, snap: Snapshot) -> None:
        now = time.monotonic()
        if snap.finished or now - self.started < 1.0 or now - self.shown < 1.0:
            return
        self.shown = now
        loss = snap.metrics.train_loss if snap.metrics else float("nan")
        print(f"epoch {snap.epoch}/{self.total}  loss {loss:.6g}  "
              f"({snap.epochs_per_second:,.0f} epochs/s)", file=sys.stderr, flush=True)


def cmd_train(args: argparse.Namespace) -> int:
    doc = load_source(args.source)
    if doc.mode == "hopfield":
        return store_hopfield(doc, args)
    apply_setting_flags(doc, args)
    prepared = build.prepare_training(doc)
    result = run(prepared.session, prepared.options, publish=StderrProgress(doc.training.epochs))
    if result.message:
        print(result.message, file=sys.stderr)
    build.apply_trained(doc, prepared, result.epochs)
    if args.out:
        save_document(doc, Path(args.out))
    if args.export:
        write_export(build.export_data(prepared), Path(args.export))
    m = result.metrics
    classes = prepared.session.task != "regression"
    values = {"loss": m.train_loss if m else None,
              "train_accuracy": m.train_score if m and classes else None,
              "test_accuracy": m.test_score if m and classes else None}
    line = {"epochs": result.epochs, **{k: finite_or_none(v) for k, v in values.items()},
            "stopped": result.reason}
    not_finite = [k for k, v in values.items() if v is not None and line[k] is None]
    if not_finite:  # strict JSON has no Infinity: say so in words instead
        line["note"] = f"{', '.join(not_finite)} not finite (the run diverged)"
    print(json.dumps(line, allow_nan=False))
    return 0


def finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per declared training setting (engine/settings.py), e.g. --learning-rate 0.1."""
    group = parser.add_argument_group("training settings (default: the project's)")
    for s in SETTINGS:
        extra = f" ({', '.join(s.options())})" if s.kind == "choice" else \
            " ('none' turns it off)" if s.nullable else ""
        group.add_argument(s.flag, dest=f"setting_{s.name}", metavar=s.kind.upper(),
                           help=f"{s.tooltip}{extra}")


def apply_setting_flags(doc: Document, args: argparse.Namespace) -> None:
    """The settings given on the command line into the project, each checked by its declaration."""
    for s in SETTINGS:
        text = getattr(args, f"setting_{s.name}", None)
        if text is not None:
            try:
                setattr(doc.training, s.name, s.parse(text))
            except EngineError as exc:
                raise CliError(f"{s.flag} {text}: {str(exc).split(': ', 1)[-1]}") from None


def store_hopfield(doc: Document, args: argparse.Namespace) -> int:
    """Training a Hopfield memory is storing its patterns in one shot, by the project's rule."""
    if args.setting_epochs is not None:
        print("note: --epochs does not apply to a Hopfield memory (it stores in one shot)", file=sys.stderr)
    weights, patterns = build.hopfield_memory(doc)
    if not len(patterns):
        raise CliError("this Hopfield project stores no patterns: nothing to train")
    if args.out:
        save_document(doc, Path(args.out))
    if args.export:
        write_export(build.export_document(doc), Path(args.export))
    units = weights.shape[0]
    print(json.dumps({"stored_patterns": len(patterns), "units": units, "rule": doc.hopfield.rule,
                      "load": round(len(patterns) / units, 4)}))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    doc = load_source(args.source)
    rows = parse_inputs(args.input)
    for outputs in build.predict(doc, rows):
        print(" ".join(repr(float(v)) for v in outputs))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The project's current weights (any mode, untrained values drawn from its seed)."""
    doc = load_source(args.source)
    write_export(build.export_document(doc), Path(args.out))
    print(args.out)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        doc = load_document(Path(args.file))
    except FileFormatError as exc:
        for problem in exc.errors:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    problems = validate(doc)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        if p.severity != "error":
            print(f"warning: {p.message}", file=sys.stderr)
    if errors:
        for p in errors:
            print(f"error: {p.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print("ok")
    return 0


def pattern_index(doc: Document, text: str) -> int:
    """--pattern takes a 0-based index or a pattern's name (e.g. A)."""
    names = doc.hopfield.pattern_names if doc.hopfield else []
    count = len(doc.hopfield.patterns) if doc.hopfield else 0
    if text in names:
        return names.index(text)
    try:
        k = int(text)
    except ValueError:
        k = -1
    if not 0 <= k < count:
        raise CliError(f"--pattern {text!r}: choose an index 0..{count - 1} or a name "
                       f"({', '.join(names) or 'none stored'})")
    return k


def cmd_recall(args: argparse.Namespace) -> int:
    doc = load_source(args.source)
    weights, patterns = build.hopfield_memory(doc)
    if len(patterns) == 0:
        raise CliError("this Hopfield project stores no patterns")
    k = pattern_index(doc, args.pattern)
    rng = np.random.default_rng(args.seed)
    start, flipped = hopfield.corrupt(patterns[k], args.noise, rng)
    result = hopfield.recall(weights, patterns, start, mode=args.mode, rng=rng,
                             max_sweeps=args.max_sweeps, reference=k, flipped_bits=flipped)
    if result.verdict == "unsettled":
        print(f"the recall did not settle within {args.max_sweeps} sweeps", file=sys.stderr)
    print(json.dumps({
        "verdict": result.verdict, "index": result.index, "overlap": result.overlap,
        "flipped_bits": result.flipped_bits, "updates": result.updates,
        "energy_non_increasing": result.energy_non_increasing,
    }))
    return 0


def cmd_capacity(args: argparse.Namespace) -> int:
    loads = parse_inputs([args.loads], option="--loads")[0]
    rows = hopfield.capacity_sweep(args.n, loads, trials=args.trials, noise=args.noise,
                                   rng=np.random.default_rng(args.seed), rule=args.rule)
    for row in rows:
        print(json.dumps(row))
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-playground",
        description="Neural Network Playground. With no command (or a project file or example "
        "name) it opens the desktop app; the commands below run headless.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("examples", help="list the shipped examples").set_defaults(func=cmd_examples)
    p = sub.add_parser("lessons", help="list the guided lessons (or --check lesson files)")
    p.add_argument("--check", nargs="+", metavar="FILE", help="validate these lesson files")
    p.set_defaults(func=cmd_lessons)
    p = sub.add_parser("train", help="train an example or project file")
    p.add_argument("source", help="example name or project file")
    p.add_argument("--out", help="save the trained project to this .json file")
    p.add_argument("--export", help="export the trained weights to a .npz or .json file")
    add_setting_flags(p)
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("predict", help="run inputs through a network")
    p.add_argument("source", help="example name or project file")
    p.add_argument("--input", action="append", required=True, metavar="X1,X2,...",
                   help="one input row; repeat for more rows")
    p.set_defaults(func=cmd_predict)
    p = sub.add_parser("recall", help="corrupt a stored Hopfield pattern and recall it")
    p.add_argument("source", help="example name or Hopfield project file")
    p.add_argument("--pattern", required=True, help="0-based index or name of the pattern")
    p.add_argument("--noise", type=float, default=0.2, help="share of bits to flip (default 0.2)")
    p.add_argument("--mode", choices=hopfield.MODES, default="async")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-sweeps", type=int, default=200, help="give up after this many sweeps")
    p.set_defaults(func=cmd_recall)
    p = sub.add_parser("capacity", help="Hopfield recall success versus load P/N")
    p.add_argument("--n", type=int, default=100, help="number of units (default 100)")
    p.add_argument("--loads", default="0.05,0.1,0.138,0.2,0.3", help="comma-separated P/N values")
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--noise", type=float, default=0.1)
    p.add_argument("--rule", choices=hopfield.RULES, default="hebbian")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_capacity)
    p = sub.add_parser("export", help="write a project's weights as .npz or layered .json")
    p.add_argument("source", help="example name or project file")
    p.add_argument("out", help="FILE.npz or FILE.json")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("validate", help="check a project file")
    p.add_argument("file")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    if not argv or argv[0] not in command_names(parser) | {"-h", "--help"}:
        return open_app(argv)
    args = parser.parse_args(glue_negative_values(argv))
    try:
        status = args.func(args)
        sys.stdout.flush()  # inside the try, so a reader that went away is handled here
        return status
    except BrokenPipeError:
        # `nn-playground examples | head -1`: the reader has all it wanted; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CliError, DocumentError, EngineError, OSError) as exc:
        print(f"nn-playground: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    """The sub-command names, so anything else on the command line is a file for the app."""
    for action in parser._subparsers._group_actions:
        return set(action.choices)
    return set()


def glue_negative_values(argv: list[str]) -> list[str]:
    """Turn `--input -7,-3` into `--input=-7,-3`: argparse would read `-7,-3` as an option."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


VALUE_OPTIONS = {"--input", "--pattern"}


def one_line(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    if isinstance(exc, OSError) and exc.filename:
        text = f"{exc.strerror or text}: {exc.filename}"
    return " ".join(text.split())


def open_app(argv: list[str]) -> int:
    """Open the desktop app (with a file or example), imported only now so the CLI stays Qt-free."""
    from playground.app import launch

    return launch(argv)


if __name__ == "__main__":
    sys.exit(main())
