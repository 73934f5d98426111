"""The training process: ``python -m playground.training.worker``, driven over its stdin/stdout.

stdin: one job frame (``wire.encode_job``: the compiled network, the data arrays and the
settings, so nothing is compiled or read from a file again here), then JSON control lines
(``{"cmd": "pause" | "resume" | "stop" | "patch" | "speed" | "data", …}``). stdout: length-prefixed
``.npz`` frames (``wire.py``): snapshots, then the result. It imports no Qt, so it starts fast and
trains on its own core while the app's GUI thread keeps the other.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable
from typing import BinaryIO

from engine.errors import EngineError
from engine.trainer import Control, RunResult, Snapshot, run
from playground.training.extras import live_run
from playground.training.wire import data_from_message, encode_result, encode_snapshot, read_job


def follow_commands(stdin: Iterable[bytes | str], control: Control) -> None:
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
        elif cmd == "data":
            control.set_data(data_from_message(msg))  # checked by the session at the boundary
        elif cmd == "speed":
            control.max_epochs_per_second = msg.get("value")
        elif cmd == "stop":
            break
    control.stop()


def main(stdin: BinaryIO = sys.stdin.buffer, stdout: BinaryIO = sys.stdout.buffer) -> int:
    job = read_job(stdin)
    lock = threading.Lock()

    def write(frame: bytes) -> None:
        with lock:
            stdout.write(frame)
            stdout.flush()

    try:
        prepared = live_run(job)
    except EngineError as exc:  # the app checked the job; say what the engine still refused
        write(encode_result(RunResult(0, "stopped", None, f"cannot train: {exc}")))
        return 0
    control = Control()
    control.max_epochs_per_second = job.speed
    threading.Thread(target=follow_commands, args=(stdin, control), daemon=True).start()

    def publish(snap: Snapshot) -> None:
        write(encode_snapshot(snap))

    write(encode_result(run(prepared.session, prepared.options, control, publish)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
