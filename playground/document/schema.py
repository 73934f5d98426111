"""A tiny checker for parsed JSON: every problem is collected with its JSON path.

Nothing is built until the whole file has been checked, so a bad file never half-loads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.settings import Setting, json_kind, number_problem
from playground.document.limits import MAX_TEXT


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(self, value: Any, path: str, required: Sequence[str], optional: Sequence[str] = ()
            ) -> bool:
        """An object with these keys and no others."""
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, found {kind(value)}")
            return False
        missing = [key for key in required if key not in value]
        for key in missing:
            self.fail(path, f"missing required field '{key}'")
        for key in value:
            if key not in required and key not in optional:
                self.fail(f"{path}.{key}", "unknown field")
        return not missing  # callers read the required keys next

    def string(self, value: Any, path: str, choices: Sequence[str] | None = None,
               what: str = "value", allow_empty: bool = True, max_len: int = MAX_TEXT) -> bool:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, found {kind(value)}")
            return False
        if len(value) > max_len:
            self.fail(path, f"is {len(value):,} characters long; the limit is {max_len:,}")
            return False
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                self.fail(path, "holds an invalid character (a lone UTF-16 surrogate such as \\ud800)")
                return False
        if not allow_empty and not value:
            self.fail(path, "must not be empty")
            return False
        if choices is not None and value not in choices:
            self.fail(path, f"unknown {what} '{value}' (known: {', '.join(choices)})")
            return False
        return True

    def number(self, value: Any, path: str, low: float | None = None, high: float | None = None,
               nullable: bool = False, integer: bool = False, low_open: bool = False) -> bool:
        message = number_problem(value, low, high, nullable=nullable, integer=integer,
                                 low_open=low_open)
        if message:
            self.fail(path, message)
        return message is None

    def setting(self, value: Any, path: str, setting: Setting) -> bool:
        """A training setting, checked by its own declaration (engine/settings.py)."""
        message = setting.problem(value)
        if message:
            self.fail(path, message)
        return message is None

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, found {kind(value)}")
            return False
        return True

    def array(self, value: Any, path: str, item: Callable[[Any, str], Any] | None = None,
              length: int | None = None, nullable: bool = False, max_len: int | None = None) -> bool:
        if value is None and nullable:
            return True
        if not isinstance(value, list):
            self.fail(path, f"expected an array, found {kind(value)}")
            return False
        if max_len is not None and len(value) > max_len:
            self.fail(path, f"has {len(value):,} items; the limit is {max_len:,}")
            return False
        if length is not None and len(value) != length:
            self.fail(path, f"expected {length} items, found {len(value)}")
            return False
        if item is not None:
            for k, v in enumerate(value):
                item(v, f"{path}[{k}]")
        return True

    def matrix(self, value: Any, path: str, nullable: bool = False, max_rows: int | None = None,
               max_columns: int | None = None) -> bool:
        """Rows of finite numbers, all the same length."""
        if value is None and nullable:
            return True
        before = len(self.errors)
        rows_ok = self.array(value, path, lambda row, p: self.array(row, p, self.number, max_len=max_columns),
                             max_len=max_rows)
        if rows_ok and len({len(row) for row in value if isinstance(row, list)}) > 1:
            self.fail(path, "rows have different lengths")
        return len(self.errors) == before


kind = json_kind  # how JSON would name a value's type, for messages
