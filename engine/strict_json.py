"""JSON as our files need it: strict, bounded, and every refusal in words a user can act on.

``json.loads`` alone accepts NaN and Infinity, lets a repeated key silently win, and raises
RecursionError on deep nesting; project files, pattern sets and weight exports all read through
``loads`` here instead, so each of those is one clear ``EngineError``.
"""

from __future__ import annotations

import json
from typing import Any

from engine.errors import EngineError

MAX_DEPTH = 32  # our formats nest 5 levels deep; anything far deeper is damage, not data


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed: numbers must be finite")


class _Repeated(dict):
    """A parsed object that held a key twice (only such objects get this type)."""

    repeated: str = ""


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in items:
        if key in out:
            marked = _Repeated(items)
            marked.repeated = key
            return marked
        out[key] = value
    return out


def loads(text: str) -> Any:
    """Parse ``text``; EngineError for invalid JSON, NaN/Infinity, a repeated key or deep nesting."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise EngineError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") \
            from None
    except RecursionError:
        raise EngineError(TOO_DEEP) from None
    except ValueError as exc:
        raise EngineError(f"not valid JSON: {exc}") from None
    _check_tree(data)
    return data


TOO_DEEP = f"not a file of ours: values are nested more than {MAX_DEPTH} levels deep"


def _check_tree(data: Any) -> None:
    """Depth and repeated keys, walked without recursion so a deep file cannot overflow here."""
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise EngineError(TOO_DEEP)
        if isinstance(value, _Repeated):
            raise EngineError(f"{path}: the key '{value.repeated}' appears twice (each field may "
                              f"be given once)")
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}", depth + 1) for k, v in value.items()
                         if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)
                         if isinstance(v, dict | list))
