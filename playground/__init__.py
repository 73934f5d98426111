"""Neural Network Playground: the document layer, the CLI and (in sub-packages) the Qt app.

This module must stay Qt-free so that the CLI and ``playground.document`` import no Qt.
"""

import os

# Playground-sized matrices gain nothing from a second BLAS thread, and an idle OpenBLAS thread keeps
# spinning for ~0.1 s after each call — on a 2-core desktop the GUI thread feels that (PERF-NOTES).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
