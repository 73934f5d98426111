"""The number types training computes in, by the name a project's ``training.precision`` gives.

A registry of its own so the settings table can offer its names without importing the MLP."""

from __future__ import annotations

import numpy as np

PRECISIONS: dict[str, type] = {"float64": np.float64, "float32": np.float32}
