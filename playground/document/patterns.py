"""Built-in Hopfield pattern sets (``resources/patterns/*.json``): plain JSON, checked on load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine import strict_json
from engine.errors import EngineError
from playground.document.limits import MAX_DESCRIPTION, MAX_GRID_SIDE, MAX_PATTERNS
from playground.document.schema import Checker, kind
from playground.paths import resources_dir


@dataclass(frozen=True)
class PatternSet:
    name: str
    title: str
    shape: tuple[int, int]
    names: list[str]
    patterns: list[list[int]]


def list_pattern_sets() -> list[str]:
    return sorted(p.stem for p in (resources_dir() / "patterns").glob("*.json"))


def load_pattern_set(name: str) -> PatternSet:
    """A set by name, or EngineError saying what is wrong with its file."""
    if name not in list_pattern_sets():
        raise EngineError(f"no pattern set called '{name}' (have: {', '.join(list_pattern_sets())})")
    return read_pattern_file(resources_dir() / "patterns" / f"{name}.json")


def read_pattern_file(path: Path) -> PatternSet:
    """A pattern-set file, checked completely; EngineError names the file and the problem."""
    name = path.stem
    try:
        data = strict_json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EngineError(f"the pattern set '{name}' cannot be read: {exc}") from None
    except EngineError as exc:
        raise EngineError(f"the pattern set '{name}' is broken: {exc}") from None
    c = Checker()
    if c.obj(data, "$", ("shape", "patterns", "names"), ("title", "source")):
        side = lambda v, q: c.number(v, q, low=1, high=MAX_GRID_SIDE, integer=True)  # noqa: E731
        bipolar = lambda v, q: (v in (-1, 1) and not isinstance(v, bool)) or c.fail(  # noqa: E731
            q, f"expected +1 or −1, found {kind(v)}")
        c.array(data["shape"], "$.shape", side, length=2)
        c.array(data["patterns"], "$.patterns", lambda row, q: c.array(row, q, bipolar,
                                                                        max_len=MAX_GRID_SIDE**2),
                max_len=MAX_PATTERNS)
        c.array(data["names"], "$.names", c.string, max_len=MAX_PATTERNS)
        c.string(data.get("title", name), "$.title")
        c.string(data.get("source", ""), "$.source", max_len=MAX_DESCRIPTION)
    if c.errors:
        raise EngineError(f"the pattern set '{name}' is broken: {c.errors[0]}")
    rows, cols = data["shape"]
    patterns = [[int(v) for v in p] for p in data["patterns"]]
    names = list(data["names"])
    if any(len(p) != rows * cols for p in patterns) or len(names) != len(patterns):
        raise EngineError(f"the pattern set '{name}' does not match its {rows}×{cols} shape")
    return PatternSet(name, data.get("title", name), (rows, cols), names, patterns)
