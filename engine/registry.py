"""The one look-up-or-error for every name registry (activations, losses, initialisers, …).

Names come from files and the command line, so an unknown one must say what is known instead of
surfacing as a KeyError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from engine.errors import EngineError

T = TypeVar("T")


def lookup(registry: Mapping[str, T], kind: str, name: object) -> T:
    """``registry[name]``, or ``EngineError("unknown <kind> 'name' (known: a, b, …)")``."""
    try:
        return registry[name]  # type: ignore[index]
    except (KeyError, TypeError):  # TypeError: an unhashable name read from a file
        raise EngineError(f"unknown {kind} {name!r} (known: {', '.join(registry)})") from None
