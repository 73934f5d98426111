"""The training process: ``python -m playground.training.worker``, driven over its stdin/stdout.

stdin: one JSON line with the project (``{"document": …, "speed": …}``), then control lines
(``{"cmd": "pause" | "resume" | "stop" | "patch" | "speed", …}``). stdout: length-prefixed
``.npz`` frames (``wire.py``): snapshots, then the result. It imports no Qt, so it starts fast and
trains on its own core while the app's GUI thread keeps the other.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import BinaryIO, TextIO

from engine.trainer import Control, Snapshot, run
from playground.document import build
from playground.document.fileformat import document_from_data
from playground.training.extras import prepare_live_run
from playground.training.wire import encode_result, encode_snapshot


def follow_commands(stdin: TextIO, control: Control) -> None:
    """Apply control lines until stdin closes (the app went away: stop)."""
    for line in stdin:
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        cmd = msg.get("cmd")
        if cmd == "pause":
            control.pause()
        elif cmd == "resume":
            control.resume()
        elif cmd == "patch":
            control.patch(str(msg["name"]), msg["value"])  # typed by the session
        elif cmd == "speed":
            control.max_epochs_per_second = msg.get("value")
        elif cmd == "stop":
            break
    control.stop()


def main(stdin: TextIO = sys.stdin, stdout: BinaryIO = sys.stdout.buffer) -> int:
    start = json.loads(stdin.readline())
    doc = document_from_data(start["document"])
    prepared = build.prepare_training(doc)
    prepare_live_run(prepared)
    control = Control()
    control.max_epochs_per_second = start.get("speed")
    threading.Thread(target=follow_commands, args=(stdin, control), daemon=True).start()
    lock = threading.Lock()

    def publish(snap: Snapshot) -> None:
        frame = encode_snapshot(snap)
        with lock:
            stdout.write(frame)
            stdout.flush()

    result = run(prepared.session, prepared.options, control, publish)
    with lock:
        stdout.write(encode_result(result))
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
