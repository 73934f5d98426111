"""Atomic file writing: a reader (or a crash) never sees half a file.

The bytes go to a temp file in the target's folder (so the rename cannot cross file systems),
are fsynced, then ``os.replace`` swaps it in; on any failure the temp file is removed and the old
file is untouched. Project files and exports both write through here.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

REASONS = {
    errno.EACCES: "permission denied", errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only", errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder", errno.EISDIR: "that is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


class WriteError(OSError):
    """A file could not be written: names the user's file (never the temp file) and why."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def write_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(fh)`` on a temp file beside ``path``, then rename it over ``path``.

    A symlink is written through (its target is replaced, the link stays), and the file keeps
    its permissions (a new one gets the umask's), not the temp file's 0600.
    Any OSError becomes a ``WriteError`` that names ``path`` and the reason in words."""
    path = Path(path)
    shown = path  # errors name what the user chose, not the link's target
    tmp: str | None = None
    try:
        if path.is_symlink():
            path = path.resolve()
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
        _sweep_orphans(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        reason = REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise WriteError(exc.errno, reason, str(shown)) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` would, for a moment, for
    every thread — the autosave thread writes while the GUI saves)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _sweep_orphans(path: Path) -> None:
    """Remove temp files that killed writers left beside ``path`` (named by their process id),
    so kills during saves cannot pile them up; a live writer's temp file is left alone."""
    for orphan in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = orphan.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            orphan.unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """``write_atomic`` for UTF-8 text."""
    data = text.encode("utf-8")
    write_atomic(path, lambda fh: fh.write(data))
