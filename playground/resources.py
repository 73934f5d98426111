"""Find the shipped ``resources/`` folder, in a source checkout and after a plain ``pip install``."""

from __future__ import annotations

from importlib import resources as importlib_resources
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding ``examples/``, ``datasets/`` and ``patterns/``."""
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / "examples").is_dir():
        return checkout
    installed = Path(str(importlib_resources.files("playground.resources")))
    return installed


def datasets_dir() -> Path:
    return resources_dir() / "datasets"


def examples_dir() -> Path:
    return resources_dir() / "examples"
