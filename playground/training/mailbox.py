"""A one-slot mailbox between the training thread and the GUI (Qt-free, so it is unit-tested).

The worker puts snapshots at its own pace; the GUI takes the newest when it gets round to it. A
snapshot the GUI has not taken yet is merged into the next one, so loss points are never dropped
even when frames are.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import TYPE_CHECKING

import numpy as np

from playground.training.extras import merge_extras

if TYPE_CHECKING:
    from engine.trainer import Snapshot


def merge(older: Snapshot, newer: Snapshot) -> Snapshot:
    """The newer snapshot, carrying the older one's not-yet-shown loss points in front."""
    return dataclasses.replace(
        newer,
        extras=merge_extras(older.extras, newer.extras),  # maps the newer one lacks (made less often) stay
        first_epoch=older.first_epoch if len(older.train_losses) else newer.first_epoch,
        train_losses=np.concatenate([older.train_losses, newer.train_losses]),
        test_losses=np.concatenate([older.test_losses, newer.test_losses]),
    )


class Mailbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Snapshot | None = None

    def put(self, snap: Snapshot) -> bool:
        """Store ``snap``; True when the slot was empty (then the GUI must be told)."""
        with self._lock:
            was_empty = self._pending is None
            self._pending = snap if was_empty else merge(self._pending, snap)
            return was_empty

    def take(self) -> Snapshot | None:
        with self._lock:
            snap, self._pending = self._pending, None
            return snap
