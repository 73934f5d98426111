"""Find the shipped ``resources/`` folder, in a source checkout and after a plain ``pip install``.

Installed, ``resources/`` becomes the data folder ``playground/resources`` beside this module.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """The folder holding ``examples/``, ``datasets/`` and ``patterns/``."""
    for candidate in (_HERE.parent / "resources", _HERE / "resources"):
        if (candidate / "examples").is_dir():
            return candidate
    raise FileNotFoundError(f"the app's resources folder is missing (looked beside {_HERE})")


def datasets_dir() -> Path:
    return resources_dir() / "datasets"


def examples_dir() -> Path:
    return resources_dir() / "examples"
