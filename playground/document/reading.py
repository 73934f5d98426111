"""Reading one of our JSON files from disk: the words for what went wrong are the same for a
project and a lesson, so they are written once here."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from playground.document.errors import FileFormatError

T = TypeVar("T")


def load_checked(path: str | os.PathLike[str], kind: str, parse: Callable[[str], T]) -> T:
    """``parse`` the file's UTF-8 text; every problem is a FileFormatError line naming the file
    (``kind`` says what a folder given instead is not, e.g. "a project file")."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise FileFormatError([f"no such file: {path}"]) from None
    except IsADirectoryError:
        raise FileFormatError([f"{path} is a folder, not {kind}"]) from None
    except UnicodeDecodeError:
        raise FileFormatError([f"{path} is not a text (UTF-8) file"]) from None
    except OSError as exc:
        raise FileFormatError([f"cannot read {path}: {exc.strerror}"]) from None
    try:
        return parse(text)
    except FileFormatError as exc:
        raise FileFormatError([f"{path.name}: {e}" for e in exc.errors]) from None
