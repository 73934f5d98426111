"""PySide6 6.12.0 leaks a reference to True on every signal emit and aborts Python 3.11 (QT-NOTES).

The test checks the leak itself, not the version number: a version check would only restate the
pin in pyproject.toml, while this fails on any build that leaks."""

from __future__ import annotations

import sys

import pytest

QtCore = pytest.importorskip("PySide6.QtCore")


class Emitter(QtCore.QObject):
    fired = QtCore.Signal(int)


def test_ten_thousand_emits_do_not_move_the_refcount_of_true(qapp) -> None:
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for k in range(10_000):
        emitter.fired.emit(k)
    assert len(received) == 10_000
    assert abs(sys.getrefcount(True) - before) < 50
