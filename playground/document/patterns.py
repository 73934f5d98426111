"""Built-in Hopfield pattern sets (``resources/patterns/*.json``): plain JSON, checked on load."""

from __future__ import annotations

import json
from dataclasses import dataclass

from engine.errors import EngineError
from engine.hopfield import as_bipolar
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
    path = resources_dir() / "patterns" / f"{name}.json"
    if name not in list_pattern_sets():
        raise EngineError(f"no pattern set called '{name}' (have: {', '.join(list_pattern_sets())})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows, cols = (int(v) for v in data["shape"])
        patterns = [[int(v) for v in as_bipolar(p, f"pattern {k}")] for k, p in enumerate(data["patterns"])]
        names = [str(n) for n in data["names"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EngineError(f"the pattern set '{name}' is broken: {exc}") from None
    if any(len(p) != rows * cols for p in patterns) or len(names) != len(patterns):
        raise EngineError(f"the pattern set '{name}' does not match its {rows}×{cols} shape")
    return PatternSet(name, str(data.get("title", name)), (rows, cols), names, patterns)
