"""Atomic file writing: a reader (or a crash) never sees half a file.

The bytes go to a temp file in the target's folder (so the rename cannot cross file systems),
are fsynced, then ``os.replace`` swaps it in; on any failure the temp file is removed and the old
file is untouched. Project files and exports both write through here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(fh)`` on a temp file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """``write_atomic`` for UTF-8 text."""
    data = text.encode("utf-8")
    write_atomic(path, lambda fh: fh.write(data))
