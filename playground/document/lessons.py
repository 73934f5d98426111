"""Lesson files: versioned JSON, checked completely (against the lesson's own project) before use.

A lesson is a project (a shipped example or an inline project) and a sequence of steps, each with
a short text, "try this" actions, checks and controls to hide; the kinds are the tables of
``lesson_checks``. See docs/lesson-format.md. The shipped lessons live in ``resources/lessons/``
and are listed in teaching order by ``list_lessons`` (the Lessons menu and ``nn-playground
lessons`` both read it).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import strict_json
from engine.errors import EngineError
from engine.settings import BY_NAME
from playground.document import limits, names
from playground.document.errors import FileFormatError
from playground.document.examples import example_path
from playground.document.fileformat import document_from_data, load_document
from playground.document.lesson_checks import (
    ACTIONS,
    CHECKS,
    CONTROLS,
    PLACEHOLDER,
    PLACEHOLDERS,
    REASONS,
    SIDES,
    Param,
    wire_id,
)
from playground.document.model import Document
from playground.document.reading import load_checked
from playground.document.schema import Checker
from playground.document.validation import errors as validation_errors
from playground.document.validation import pattern_name
from playground.paths import resources_dir

FORMAT = "nn-playground-lesson"
SCHEMA_VERSION = 1
MIGRATIONS: dict[int, Any] = {}  # version -> function upgrading a parsed lesson to version + 1

# The order learners meet them in (the tutorials' order); unknown names follow alphabetically.
ORDER = (
    "nine-line-neuron", "feed-forward", "height-weight", "two-layer", "perceptron", "line-fit",
    "xor-hidden", "digits", "hopfield",
)


@dataclass(frozen=True)
class Spec:
    """A check or an action: its kind and its parameters (defaults filled in)."""

    kind: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    actions: tuple[Spec, ...] = ()
    checks: tuple[Spec, ...] = ()
    hide: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    summary: str
    example: str | None  # the shipped example it opens, or None for an inline project
    project: Document  # a checked copy; ``document()`` hands out fresh ones
    steps: tuple[Step, ...]
    hide: tuple[str, ...] = ()

    def document(self) -> Document:
        return copy.deepcopy(self.project)


def lessons_dir() -> Path:
    return resources_dir() / "lessons"


def list_lessons() -> list[Lesson]:
    """Every shipped lesson, checked, in teaching order (a broken one raises FileFormatError)."""
    lessons = [load_lesson(path) for path in lessons_dir().glob("*.json")]
    rank = {name: k for k, name in enumerate(ORDER)}
    return sorted(lessons, key=lambda x: (rank.get(x.name, len(ORDER)), x.name))


def lesson_path(name: str) -> Path | None:
    path = lessons_dir() / f"{name}.json"
    return path if path.is_file() and "/" not in name and "\\" not in name else None


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Read and check a lesson file; FileFormatError lists every problem with its JSON path."""
    return load_checked(path, "a lesson file", lambda text: loads_lesson(text, Path(path).stem))


def loads_lesson(text: str, name: str = "lesson") -> Lesson:
    try:
        data = strict_json.loads(text)
    except EngineError as exc:
        raise FileFormatError([str(exc)]) from None
    return lesson_from_data(data, name)


def lesson_from_data(data: Any, name: str = "lesson") -> Lesson:
    if not isinstance(data, dict):
        raise FileFormatError([f"$: expected an object, found {type(data).__name__}"])
    if data.get("format") != FORMAT:
        raise FileFormatError([f"$.format: this is not an nn-playground lesson "
                               f"(expected \"format\": \"{FORMAT}\")"])
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FileFormatError(["$.schema_version: expected a whole number ≥ 1"])
    if version > SCHEMA_VERSION:
        raise FileFormatError([f"this lesson was written by a newer version of nn-playground "
                               f"(lesson schema {version}); this version reads schema "
                               f"{SCHEMA_VERSION}"])
    while version < SCHEMA_VERSION:
        data, version = MIGRATIONS[version](data), version + 1
    c = Checker()
    c.obj(data, "$", ("format", "schema_version", "title", "project", "steps"),
          ("summary", "hide"))
    c.string(data.get("title"), "$.title", allow_empty=False)
    c.string(data.get("summary", ""), "$.summary", max_len=limits.MAX_LESSON_TEXT)
    _check_hide(c, data.get("hide", []), "$.hide")
    example, doc = _project(c, data.get("project"))
    if c.array(data.get("steps"), "$.steps", max_len=limits.MAX_LESSON_STEPS):
        if not data["steps"]:
            c.fail("$.steps", "a lesson needs at least one step")
        for k, step in enumerate(data["steps"]):
            _check_step(c, step, f"$.steps[{k}]", doc)
    if c.errors:
        raise FileFormatError(c.errors)
    return Lesson(name, data["title"], data.get("summary", ""), example, doc,
                  tuple(_step(s) for s in data["steps"]), tuple(data.get("hide", [])))


def _project(c: Checker, project: Any) -> tuple[str | None, Document]:
    """The lesson's project, checked as a project file is; an empty document if it is unusable."""
    p = "$.project"
    if not c.obj(project, p, (), ("example", "inline")) or ("example" in project) == (
            "inline" in project):
        if isinstance(project, dict):
            c.fail(p, "give either a shipped 'example' name or an 'inline' project")
        return None, Document()
    if "example" in project:
        if not c.string(project["example"], f"{p}.example", allow_empty=False):
            return None, Document()
        path = example_path(project["example"])
        if path is None:
            c.fail(f"{p}.example", f"there is no shipped example called '{project['example']}'")
            return None, Document()
        return project["example"], _fitting(c, p, load_document(path))
    try:
        return None, _fitting(c, p, document_from_data(project["inline"]))
    except FileFormatError as exc:
        c.errors.extend(f"{p}.inline{e[1:]}" if e.startswith("$") else f"{p}.inline: {e}"
                        for e in exc.errors)
        return None, Document()


def _fitting(c: Checker, p: str, doc: Document) -> Document:
    """A lesson starts from a project that works: one its mode's validation passes."""
    for problem in validation_errors(doc):
        c.fail(p, f"the project does not work as it is: {problem.message}")
    return doc


def _check_hide(c: Checker, hide: Any, path: str) -> None:
    c.array(hide, path, lambda v, q: c.string(v, q, tuple(CONTROLS), "control"),
            max_len=len(CONTROLS))


def _check_step(c: Checker, step: Any, p: str, doc: Document) -> None:
    if not c.obj(step, p, ("title", "text"), ("try", "checks", "hide")):
        return
    c.string(step["title"], f"{p}.title", allow_empty=False)
    if c.string(step["text"], f"{p}.text", allow_empty=False, max_len=limits.MAX_LESSON_TEXT):
        _check_text(c, step["text"], f"{p}.text", doc)
    _check_hide(c, step.get("hide", []), f"{p}.hide")
    for key, table, tag in (("try", ACTIONS, "do"), ("checks", CHECKS, "kind")):
        items = step.get(key, [])
        if c.array(items, f"{p}.{key}", max_len=limits.MAX_LESSON_ITEMS):
            for k, item in enumerate(items):
                _check_spec(c, item, f"{p}.{key}[{k}]", table, tag, doc)


def _check_spec(c: Checker, item: Any, p: str, table: Mapping[str, Any], tag: str,
                doc: Document) -> None:
    """One check or action: a known kind and exactly its parameters, each valid for ``doc``."""
    if not isinstance(item, dict) or tag not in item:
        c.obj(item, p, (tag,), ())
        return
    if not c.string(item[tag], f"{p}.{tag}", tuple(table), "check" if tag == "kind" else "action"):
        return
    params = table[item[tag]].params
    if not c.obj(item, p, (tag, *(k for k, v in params.items() if not v.optional)),
                 tuple(k for k, v in params.items() if v.optional)):
        return
    for key, param in params.items():
        if key in item:
            _check_param(c, item[key], f"{p}.{key}", param, doc, item)


def _check_param(c: Checker, v: Any, p: str, param: Param, doc: Document, item: dict) -> None:
    k = param.kind
    if k == "number":
        c.number(v, p)
    elif k == "fraction":
        c.number(v, p, low=0, high=1)
    elif k == "count":
        c.number(v, p, low=0, integer=True)
    elif k == "neuron":
        if c.string(v, p) and v not in doc.neurons:
            c.fail(p, f"the project has no neuron '{v}'")
    elif k == "wire":
        if c.string(v, p) and wire_id(doc, v) is None:
            c.fail(p, f"the project has no wire '{v}' (write it as 'source>target')")
    elif k == "inputs":
        n = len(doc.by_role("input"))
        c.array(v, p, c.number, length=n) if n else c.fail(p, "the project has no input neurons")
    elif k == "pattern":
        h = doc.hopfield
        known = [pattern_name(h, j) for j in range(len(h.patterns))] if h else []
        c.string(v, p, known, "pattern")
    elif k == "setting":
        c.string(v, p, tuple(BY_NAME), "setting")
    elif k == "setting_value":
        if isinstance(item.get("name"), str) and item["name"] in BY_NAME:
            c.setting(v, p, BY_NAME[item["name"]])
    else:
        choices = {"mode": names.MODES, "dataset": names.DATASETS, "reason": REASONS,
                   "side": SIDES}[k]
        c.string(v, p, choices, k)


def _check_text(c: Checker, text: str, p: str, doc: Document) -> None:
    """Every {placeholder} known and its argument valid for the project (no number typed in)."""
    for match in PLACEHOLDER.finditer(text):
        name, arg = match.group(1), match.group(2)
        where = f"{p} {match.group(0)}"
        if name not in PLACEHOLDERS:
            c.fail(where, f"unknown placeholder '{name}' (known: {', '.join(PLACEHOLDERS)})")
            continue
        kind = PLACEHOLDERS[name].arg
        if kind is None:
            if arg is not None:
                c.fail(where, f"'{name}' takes no argument")
        elif arg is None:
            c.fail(where, f"'{name}' needs an argument ({kind})")
        elif kind == "neuron@inputs":
            nid, _, row = arg.partition("@")
            try:
                values = [float(x) for x in row.split(",")]
            except ValueError:
                values = None
            _check_param(c, nid, where, Param("neuron"), doc, {})
            if values is None:
                c.fail(where, "write the input row as numbers after '@', e.g. o1@1,0,0")
            else:
                _check_param(c, values, where, Param("inputs"), doc, {})
        else:
            _check_param(c, arg, where, Param(kind), doc, {})


def _step(s: dict) -> Step:
    def specs(items: list[dict], table: Mapping[str, Any], tag: str) -> tuple[Spec, ...]:
        out = []
        for item in items:
            params = table[item[tag]].params
            out.append(Spec(item[tag], {k: item.get(k, v.default) for k, v in params.items()}))
        return tuple(out)
    return Step(s["title"], s["text"], specs(s.get("try", []), ACTIONS, "do"),
                specs(s.get("checks", []), CHECKS, "kind"), tuple(s.get("hide", [])))
