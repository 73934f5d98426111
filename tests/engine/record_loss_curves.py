"""Records the training-loss curves the hint detector is tested on (tests/engine/data/).

Run ``.venv/bin/python -m tests.engine.record_loss_curves`` to record them again; the test
re-trains one of them to check the recording is what the engine does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from engine.hints import chance_loss
from engine.trainer import RunOptions, run
from playground.document import build
from playground.document.examples import example_path
from playground.document.fileformat import load_document

OUT = Path(__file__).parent / "data" / "loss_curves.json"
# (name, example, epochs, settings, what the detector must say: None or a hint kind)
CURVES = [
    ("spiral-lr50", "spiral", 300, {"learning_rate": 50.0}, "too_high"),
    ("regression-plane-lr50", "regression-plane", 200, {"learning_rate": 50.0}, "too_high"),
    ("circle-lr5", "circle", 300, {"learning_rate": 5.0}, "too_high"),
    ("xor-seed4", "xor", 2000, {"seed": 4}, "plateau"),
    ("xor-seed17", "xor", 2000, {"seed": 17}, "chance"),
    *((f"xor-seed{s}", "xor", 2000, {"seed": s}, None) for s in (0, 1, 2, 3, 5, 6)),
    ("spiral", "spiral", 1000, {}, None),
    ("circle", "circle", 300, {}, None),
    ("gauss", "gauss", 100, {}, None),
    ("regression-plane", "regression-plane", 200, {}, None),
    ("iris", "iris", 300, {}, None),
]


def record(example: str, epochs: int, settings: dict) -> tuple[list[float], float, float]:
    """(training losses per epoch, the guessing loss, the learning rate) of one headless run."""
    doc = load_document(example_path(example))
    doc.training = dataclasses.replace(doc.training, epochs=epochs, **settings)
    prepared = build.prepare_training(doc)
    losses: list[float] = []
    run(prepared.session, RunOptions(stop_rules=False),
        publish=lambda snap: losses.extend(snap.train_losses.tolist()))
    data = prepared.session.data
    return losses, chance_loss(doc.training.loss, data.Y_train), doc.training.learning_rate


def main() -> None:
    curves = {}
    for name, example, epochs, settings, expected in CURVES:
        losses, chance, lr = record(example, epochs, settings)
        curves[name] = {"example": example, "settings": settings, "chance": chance, "learning_rate": lr,
                        "expected": expected, "losses": [float(f"{v:.6g}") for v in np.asarray(losses)]}
    OUT.write_text(json.dumps(curves, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(curves)} curves")


if __name__ == "__main__":
    main()
