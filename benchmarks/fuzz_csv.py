"""Fuzz the CSV importer by the ten thousand, through the CLI, and time the biggest project.

    python benchmarks/fuzz_csv.py [--cases 20000] [--cli 200] [--seed 1000000]

Cases and verdicts are ``fuzzcases.py``'s ``csv`` kind, run by ``fuzz_files.fuzz_kind`` (each case
under an alarm, the process under a memory cap). Then ``nn-playground new --csv`` on damaged
files must exit 0 or 2 with one line, never a traceback; last, a 100,000 × 50 import is saved and
opened, and the times printed (the documented size limit's "about a second").
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fuzz_files
import fuzzcases
import numpy as np


def fuzz_cli(cases: int, first_seed: int) -> list[str]:
    bad: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(first_seed, first_seed + cases):
            path = Path(tmp) / f"case{seed}.csv"
            path.write_bytes(fuzzcases.csv_case(seed))
            proc = subprocess.run([sys.executable, "-m", "playground", "new", "--csv", str(path),
                                   "--target", "1", "--out", str(Path(tmp) / "p.json")],
                                  capture_output=True, text=True, timeout=60, cwd=fuzzcases.ROOT)
            lines = proc.stderr.strip().splitlines()
            if proc.returncode not in (0, 2) or "Traceback" in proc.stderr or \
                    (proc.returncode == 2 and len(lines) != 1):
                bad.append(f"seed {seed}: exit {proc.returncode}: {lines[-1:]}")
    return bad


def time_biggest(rows: int = 100_000, columns: int = 50) -> dict[str, float]:
    """Import, save and open a project at the documented limit; seconds for each step."""
    from playground.document import build
    from playground.document.csv_import import ImportChoice, csv_project, dataset_from_table, read_csv_file
    from playground.document.fileformat import load_document, save_document

    rng = np.random.default_rng(0)
    X = np.round(rng.normal(size=(rows, columns)), 4)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "big.csv"
        header = ",".join(f"c{j}" for j in range(columns)) + ",y\n"
        body = "\n".join(",".join(map(repr, r)) + ("," + "ab"[k % 2]) for k, r in enumerate(X.tolist()))
        csv.write_text(header + body + "\n")
        clock = Clock()
        table = read_csv_file(csv)
        spec, _ = dataset_from_table(table, ImportChoice(["input"] * columns + ["target"]))
        clock.lap("import")
        project = Path(tmp) / "big.json"
        save_document(csv_project(spec, [8], "tanh", "big"), project)
        clock.lap("save")
        doc = load_document(project)
        clock.lap("open")
        build.build_dataset(doc)
        clock.lap("build")
        size, csv_size = project.stat().st_size, csv.stat().st_size
    return {"csv_mb": round(csv_size / 1e6, 1), "project_mb": round(size / 1e6, 1), **clock.laps}


class Clock:
    """Wall and CPU seconds per step: on a shared machine the CPU time is the figure that repeats."""

    def __init__(self) -> None:
        self.laps: dict[str, str] = {}
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = f"{wall - self.wall:.2f} s wall, {cpu - self.cpu:.2f} s CPU"
        self.wall, self.cpu = wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--cli", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1_000_000, help="first seed (the suite uses 0…)")
    parser.add_argument("--only-timing", action="store_true", help="just time the biggest project")
    args = parser.parse_args()
    if args.only_timing:
        print(json.dumps(time_biggest()))
        return 0
    resource.setrlimit(resource.RLIMIT_AS, (fuzz_files.MEMORY_BYTES, fuzz_files.MEMORY_BYTES))
    signal.signal(signal.SIGALRM, fuzz_files._alarm)
    started = time.perf_counter()
    counts, crashes = fuzz_files.fuzz_kind("csv", args.cases, args.seed)
    print(f"csv       {dict(counts)} in {time.perf_counter() - started:.0f} s", flush=True)
    cli_bad = fuzz_cli(args.cli, args.seed)
    timing = time_biggest()
    for line in crashes[:20] + cli_bad[:20]:
        print(line)
    print(json.dumps({"tried": sum(counts.values()), **dict(counts), "cli_tried": args.cli,
                      "cli_bad": len(cli_bad), "biggest": timing}))
    return 0 if not (crashes or counts["hung"] or cli_bad) else 1


if __name__ == "__main__":
    sys.exit(main())
