"""The shipped examples: project files in ``resources/examples/``, found by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from playground.paths import examples_dir

# The order learners meet them in: tutorials first, then the playground problems.
ORDER = (
    "nine-line-neuron", "neuron-feedforward", "network-feedforward", "gender-sgd",
    "two-layer-from-scratch", "perceptron-and", "perceptron-or", "perceptron-nand",
    "perceptron-xor", "line-fit", "xor", "circle", "circle-features", "gauss", "spiral", "regression-plane",
    "digits", "iris", "hopfield-letters",
)


class ExampleInfo(NamedTuple):
    name: str
    title: str
    description: str
    mode: str
    path: Path


def list_examples() -> list[ExampleInfo]:
    """Every example file, in teaching order (unknown names last, alphabetically)."""
    infos = []
    for path in examples_dir().glob("*.json"):
        head = json.loads(path.read_text(encoding="utf-8"))
        infos.append(ExampleInfo(path.stem, head.get("title", path.stem),
                                 head.get("description", ""), head.get("mode", "mlp"), path))
    rank = {name: k for k, name in enumerate(ORDER)}
    return sorted(infos, key=lambda e: (rank.get(e.name, len(ORDER)), e.name))


def example_path(name: str) -> Path | None:
    """The file of the example called ``name``, or None if there is none."""
    path = examples_dir() / f"{name}.json"
    return path if path.is_file() and "/" not in name and "\\" not in name else None
