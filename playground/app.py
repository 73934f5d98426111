"""Start the desktop app: ``nn-playground`` opens the xor example, ``nn-playground FILE`` a project."""

from __future__ import annotations

import sys

from playground.main_window import MainWindow, application


def launch(argv: list[str]) -> int:
    app = application()
    window = MainWindow()
    window.show()
    if not window.open_source(argv[0] if argv else "xor"):
        window.open_example("xor")
    return app.exec()


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
