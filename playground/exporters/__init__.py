"""Model export and import (ONNX, PyTorch, numpy script, .npz, JSON): pure Python, no Qt.

It sits beside the document layer: the CLI and the app both use ``registry``; the optional
packages a format needs are imported only when it runs (``extras.require``).
"""
