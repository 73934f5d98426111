"""The ``nn-playground`` command: with no argument it opens the app at once; with any, the command
line (``playground.cli``) reads them (a project file or example name there opens the app too).

The bare launch is what a user waits for, so it loads only what the first window needs: not the
CLI's commands and parser, nor the training engine (imported when a run or a preview first needs
it). And it imports the window's Qt-free modules before Qt: PySide6's ``__feature__`` import hook
reads the source of every module imported after it (about 0.2 ms a module here), so these cost
less first. ``tests/test_launcher.py`` checks that ``QT_FREE_FIRST`` still covers them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

# The Qt-free modules the first window imports, by the roots that pull in the rest. A module missing
# here still loads (after Qt, a little slower); the test names it.
QT_FREE_FIRST = (
    "html",
    "concurrent.futures.thread",
    "playground.document.build",
    "playground.document.edits",
    "playground.document.feature_edits",
    "playground.document.fileformat",
    "playground.document.examples",
    "playground.document.journal",
    "playground.document.glassbox",
    "playground.exporters.registry",
    "playground.training.history",
    "playground.training.mailbox",
    "playground.plots.envelope",
    "playground.glassbox.labels",
    "playground.canvas",
    "playground.images",
    "playground.panels",
    "engine.hints",
)


def import_qt_free_first() -> None:
    """Import the first window's Qt-free modules, before anything imports PySide6."""
    for name in QT_FREE_FIRST:
        importlib.import_module(name)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv:
        from playground.cli import main as cli_main

        return cli_main(argv)
    import_qt_free_first()
    from playground.app import launch

    return launch([])


if __name__ == "__main__":
    sys.exit(main())
