"""Neural Network Playground: the document layer, the CLI and (in sub-packages) the Qt app.

This module must stay Qt-free so that the CLI and ``playground.document`` import no Qt.
"""

__version__ = "0.1.0"
