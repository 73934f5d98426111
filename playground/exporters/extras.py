"""Optional packages (onnx, onnxruntime, safetensors, torch), imported only when a format needs them.

A missing one is one ``EngineError`` line naming the pip extra: the CLI prints it and exits 2, the
app shows it in a message box.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from engine.errors import EngineError

EXTRA = "export"


class MissingExtra(EngineError):
    """An optional package is not installed."""


def require(module: str, purpose: str) -> ModuleType:
    """``import module``, or one line saying which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise MissingExtra(f"{purpose} needs the Python package '{package}': "
                           f"pip install 'nn-playground[{EXTRA}]'") from None
