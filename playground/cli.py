"""The headless command line: list, new (from CSV), train, predict, explain, validate, export, render (and
Hopfield recall/capacity).

Bad input exits 2 with a reason on stderr, every line of it in one form, ``nn-playground: …``
(``say``); exit 1 is reserved for bugs. Uses only the
engine and the document layer, so it never imports Qt unless asked to open the app or to
render (both import it inside their function). ``nn-playground`` with no command opens the app
through this module, so what only one command needs (lessons, the explainer) is imported by it.
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
from typing import NoReturn

import numpy as np

from engine import hopfield
from engine.errors import EngineError
from engine.settings import SETTINGS
from engine.trainer import Snapshot, run
from playground.document import build
from playground.document.errors import DocumentError, FileFormatError
from playground.document.examples import example_path, list_examples
from playground.document.fileformat import load_document, save_document
from playground.document.model import Document
from playground.document.validation import validate
from playground.exporters import registry as exporters

EXIT_BAD_INPUT = 2
PROG = "nn-playground"


class CliError(Exception):
    """A user mistake on the command line: reported in one line, exit 2."""


def say(text: str, kind: str = "") -> None:
    """One line on stderr in the form every error and warning of the CLI takes."""
    print(f"{PROG}: {kind + ': ' if kind else ''}{text}", file=sys.stderr)


class Parser(argparse.ArgumentParser):
    """argparse's usage errors in the CLI's one form (not "prog sub: error: …"), exit 2."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        say(f"{message} (see '{PROG} {command + ' ' if command else ''}--help')")
        sys.exit(EXIT_BAD_INPUT)


def load_source(source: str) -> Document:
    """An example name, a project file path, or a model file an importer reads (.onnx)."""
    path = example_path(source)
    if path is None:
        path = Path(source)
        if not path.exists():
            names = ", ".join(e.name for e in list_examples())
            raise CliError(f"'{source}' is neither a file nor an example (examples: {names})")
        importer = exporters.importer_for(path)
        if importer is not None:
            return importer.read(path)
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
    from playground.document.lessons import list_lessons, load_lesson

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
    if args.export:
        exporters.check_export(doc, Path(args.export))  # said before training, not after
    if doc.mode == "hopfield":
        return store_hopfield(doc, args)
    apply_setting_flags(doc, args)
    prepared = build.prepare_training(doc)
    result = run(prepared.session, prepared.options, publish=StderrProgress(doc.training.epochs))
    if result.message:  # how the run ended (a perceptron's verdict, a divergence), in the one form
        say(result.message)
    build.apply_trained(doc, prepared, result.epochs)
    if args.out:
        save_document(doc, Path(args.out))
    if args.export:
        exporters.export(doc, Path(args.export))
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
        say("--epochs does not apply to a Hopfield memory (it stores in one shot)", "note")
    weights, patterns = build.hopfield_memory(doc)
    if not len(patterns):
        raise CliError("this Hopfield project stores no patterns: nothing to train")
    if args.out:
        save_document(doc, Path(args.out))
    if args.export:
        exporters.export(doc, Path(args.export))
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
    """The project's current weights (untrained values drawn from its seed) in one registry format."""
    doc = load_source(args.source)
    for path in exporters.export(doc, Path(args.out), args.format):
        print(path)
    return 0


RENDER_VIEWS = ("canvas", "boundary", "loss")  # playground/images/headless.py draws each


def cmd_render(args: argparse.Namespace) -> int:
    """A view of the project drawn by the app's own views, off screen. Qt is imported only here,
    so every other command stays Qt-free."""
    doc = load_source(args.source)
    size = parse_size(args.size)
    from playground.images.headless import render_document

    render_document(doc, args.view, Path(args.out), args.scale, size)
    print(args.out)
    return 0


def parse_size(text: str) -> tuple[int, int]:
    """--size WIDTHxHEIGHT in pixels, e.g. 640x480."""
    parts = text.lower().split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise CliError(f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 640x480") from None
    if not (16 <= width <= 8000 and 16 <= height <= 8000):
        raise CliError(f"--size {text!r}: width and height must be 16 to 8000 pixels")
    return width, height


def cmd_validate(args: argparse.Namespace) -> int:
    """Every problem, one line each in the CLI's one form (a file's problems start with its name)."""
    try:
        doc = load_document(Path(args.file))
    except FileFormatError as exc:
        for problem in exc.errors:
            say(one_line(problem))
        return EXIT_BAD_INPUT
    problems = validate(doc)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        if p.severity != "error":
            say(f"{args.file}: {p.message}", "warning")
    if errors:
        for p in errors:
            say(f"{args.file}: {p.message}")
        return EXIT_BAD_INPUT
    print("ok")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Every number of one training step on one example (docs/explain.md), as JSON or equations."""
    from engine import explain_text
    from playground.document import glassbox

    doc = load_source(args.source)
    x = parse_inputs([args.input])[0]
    if doc.mode == "hopfield":
        units = None if args.unit is None else [args.unit]
        steps = glassbox.explain_units(doc, x, units)
        if args.text:
            for step in steps:
                print("\n".join(explain_text.hopfield_lines(step)))
        else:
            print(json.dumps({"kind": "hopfield", "state": x,
                              "units": [s.to_json() for s in steps]}, allow_nan=False))
        return 0
    target = None
    if args.target:  # numbers, or the name of one of the data's classes ("--target setosa")
        target = glassbox.class_target(doc, args.target)
        if target is None:
            try:
                target = parse_inputs([args.target], option="--target")[0]
            except CliError:
                names = glassbox.class_names(doc)
                if not names:
                    raise
                raise CliError(f"--target {args.target!r}: expected numbers separated by commas or a "
                               f"class ({', '.join(names)})") from None
    example = glassbox.explain_example(doc, x, target)
    if args.text:
        print("\n".join(explain_text.equations(example.explanation)))
    else:
        data = example.to_json()
        try:
            print(json.dumps(data, allow_nan=False))
        except ValueError:
            raise CliError("the step is not finite (the weights overflow on this input)") from None
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
        say(f"the recall did not settle within {args.max_sweeps} sweeps", "note")
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
    import playground.cli_csv as cli_csv  # its CSV reader is no part of opening the app

    parser = Parser(
        prog=PROG,
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
    p.add_argument("--export", metavar="FILE", help="export the trained network; the format comes from "
                   f"the suffix ({', '.join(e.suffix for e in exporters.EXPORTERS.values())})")
    add_setting_flags(p)
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("predict", help="run inputs through a network")
    p.add_argument("source", help="example name, project file or .onnx model")
    p.add_argument("--input", action="append", required=True, metavar="X1,X2,...",
                   help="one input row; repeat for more rows")
    p.set_defaults(func=cmd_predict)
    p = sub.add_parser("explain", help="every number of one training step on one example")
    p.add_argument("source", help="example name or project file")
    p.add_argument("--input", required=True, metavar="X1,X2,...",
                   help="the example's inputs (Hopfield: the ±1 state)")
    p.add_argument("--target", metavar="Y1,...|CLASS",
                   help="its target, as numbers or a class name (default: the dataset's label when "
                        "the input is a data point)")
    p.add_argument("--unit", type=int, help="Hopfield: explain only this unit (0-based)")
    p.add_argument("--text", action="store_true", help="print the equations instead of JSON")
    p.set_defaults(func=cmd_explain)
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
    p = sub.add_parser("export", help="write a project's network as ONNX, PyTorch, a numpy script, "
                       ".npz or JSON", description=f"Formats: {exporters.cli_help()}.")
    p.add_argument("source", help="example name or project file")
    p.add_argument("out", metavar="FILE", help="the file to write; its suffix chooses the format")
    p.add_argument("--format", choices=list(exporters.EXPORTERS),
                   help="the format (default: from FILE's suffix)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("render", help="draw a project's canvas, decision boundary or loss curve "
                       "as .svg or .png (loss: trains a copy as `train` would; the file keeps no history)")
    p.add_argument("source", help="example name or project file (e.g. saved by train --out)")
    p.add_argument("--out", required=True, help="FILE.svg (vector) or FILE.png")
    p.add_argument("--view", choices=RENDER_VIEWS, default="canvas", help="what to draw (default canvas)")
    p.add_argument("--scale", type=float, default=1.0, help="PNG pixels per screen pixel, e.g. 3 for "
                   "print (default 1)")
    p.add_argument("--size", default="640x480", help="a plot's size in pixels (default 640x480; the "
                   "canvas takes the drawing's own size)")
    p.set_defaults(func=cmd_render)
    cli_csv.add_parser(sub)  # new --csv FILE --target COLUMN
    p = sub.add_parser("validate", help="check a project file")
    p.add_argument("file")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # the app with its first example: no parser to build, no command to look up
        return open_app(argv)
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
        say(one_line(exc))
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


VALUE_OPTIONS = {"--input", "--pattern", "--target"}


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
