"""Crash recovery: each running app keeps one journal of its unsaved document; a dead app's journal
is offered back on the next start.

A journal is one JSON file, written atomically, named after the process that owns it, so two app
instances never mix their journals and a journal whose process still runs is never offered.
Pure Python (the Qt side only decides *when* to write): ``playground/autosave.py``.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any, NamedTuple

from engine import strict_json
from engine.atomic import pid_alive, write_text_atomic
from engine.errors import EngineError
from playground.document.errors import DocumentError
from playground.document.fileformat import document_from_data
from playground.document.model import Document

KIND = "nn-playground-journal"
_serial = itertools.count(1)  # two windows of one process, started in the same millisecond
SUFFIX = ".journal.json"


class Recoverable(NamedTuple):
    """A journal left by an app that did not exit cleanly."""

    file: Path
    title: str
    saved_at: float  # seconds since the epoch
    path: str | None  # the project file it was opened from or saved to, if any
    document: Document
    epochs: int  # epochs trained since the last save, with weights in the document


class Journal:
    """This process's journal in ``folder``."""

    def __init__(self, folder: Path, pid: int | None = None) -> None:
        self.folder = Path(folder)
        self.pid = os.getpid() if pid is None else pid
        self.file = self.folder / f"{self.pid}-{int(time.time() * 1000)}-{next(_serial)}{SUFFIX}"

    def write(self, data: dict[str, Any], title: str, path: Path | None, epochs: int = 0) -> None:
        """Record a document (``document_to_data`` form) atomically; a reader sees old or new."""
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"kind": KIND, "pid": self.pid, "saved_at": time.time(), "title": title,
                  "path": None if path is None else str(path), "epochs": epochs, "document": data}
        write_text_atomic(self.file, json.dumps(record, allow_nan=False, ensure_ascii=False))

    def discard(self) -> None:
        """A clean exit or a save: nothing left to recover."""
        self.file.unlink(missing_ok=True)


def recoverable(folder: Path) -> list[Recoverable]:
    """Journals of processes that are gone, newest first; unreadable ones are skipped (and kept)."""
    found = []
    for file in sorted(Path(folder).glob(f"*{SUFFIX}")):
        try:
            record = strict_json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(record, dict) or record.get("kind") != KIND:
                continue
            pid = record.get("pid")
            if not isinstance(pid, int) or pid == os.getpid() or pid_alive(pid):
                continue
            doc = document_from_data(record.get("document"))
        except (OSError, UnicodeDecodeError, EngineError, DocumentError):
            continue
        path = record.get("path")
        saved_at = record.get("saved_at")
        epochs = record.get("epochs")
        found.append(Recoverable(
            file, str(record.get("title") or doc.title),
            float(saved_at) if isinstance(saved_at, int | float) else 0.0,
            path if isinstance(path, str) else None, doc,
            epochs if isinstance(epochs, int) else 0))
    return sorted(found, key=lambda r: -r.saved_at)
