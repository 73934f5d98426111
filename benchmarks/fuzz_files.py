"""Fuzz every file reader at scale: ``python benchmarks/fuzz_files.py [--cases 10000] [--cli 300]``.

Runs the generators of ``fuzzcases.py`` (damaged project files, pattern sets, dataset files and
weight exports) through the same readers the app uses, each case under a 10 s alarm and the whole
process under a 2 GiB address-space limit, then a sample of project files through the real command
line (`nn-playground validate` and `train`: exit 0 or 2, one line, never a traceback), then kills a
process saving in a loop (`--kills`). The last line is JSON: {"tried", "accepted", "rejected",
"crashed", "hung", "cli_tried", "cli_bad", "kills", "kills_intact", "temp_files_left", per kind}.
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fuzzcases

CASE_SECONDS = 10
MEMORY_BYTES = 2 * 2**30


class Hung(Exception):
    pass


def _alarm(signum, frame):
    raise Hung


def fuzz_kind(kind: str, cases: int, first_seed: int) -> tuple[collections.Counter, list[str]]:
    make, judge = fuzzcases.KINDS[kind]
    counts: collections.Counter = collections.Counter()
    crashes: list[str] = []
    for seed in range(first_seed, first_seed + cases):
        signal.alarm(CASE_SECONDS)
        try:
            verdict = judge(make(seed))
        except Hung:
            verdict = "hung"
        finally:
            signal.alarm(0)
        if verdict.startswith("crashed"):
            crashes.append(f"{kind} seed {seed}: {verdict.strip().splitlines()[-1]}")
            verdict = "crashed"
        counts[verdict] += 1
    return counts, crashes


def fuzz_cli(cases: int, first_seed: int) -> tuple[int, list[str]]:
    """Project cases through the real CLI: exit 0 or 2 with a message, never a traceback."""
    bad: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(first_seed, first_seed + cases):
            path = Path(tmp) / f"case{seed}.json"
            path.write_bytes(fuzzcases.project_case(seed))
            for args in (["validate", str(path)], ["train", str(path), "--epochs", "2"]):
                proc = subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True,
                                      text=True, timeout=60, cwd=fuzzcases.ROOT)
                if proc.returncode not in (0, 2) or "Traceback" in proc.stderr or \
                        (proc.returncode == 2 and not proc.stderr.strip()):
                    bad.append(f"seed {seed} {args[0]}: exit {proc.returncode}: "
                               f"{proc.stderr.strip().splitlines()[-1:]}")
    return cases, bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000, help="cases per file kind")
    parser.add_argument("--cli", type=int, default=300, help="project cases through the CLI")
    parser.add_argument("--kinds", default=",".join(fuzzcases.KINDS), help="comma-separated file kinds")
    parser.add_argument("--kills", type=int, default=120, help="SIGKILLs of a process saving in a loop")
    parser.add_argument("--seed", type=int, default=1_000_000, help="first seed (the suite uses 0…)")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _alarm)
    total: collections.Counter = collections.Counter()
    per_kind = {}
    crashes: list[str] = []
    for kind in args.kinds.split(","):
        started = time.perf_counter()
        counts, found = fuzz_kind(kind, args.cases, args.seed)
        per_kind[kind] = dict(counts)
        total.update(counts)
        crashes += found
        print(f"{kind:9} {dict(counts)} in {time.perf_counter() - started:.0f} s", flush=True)
    cli_tried, cli_bad = fuzz_cli(args.cli, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        kills = fuzzcases.kill_during_save(args.kills, Path(tmp), args.seed)
    print(f"kills     {kills}", flush=True)
    for line in crashes[:20] + cli_bad[:20]:
        print(line)
    print(json.dumps({"tried": sum(total.values()), "accepted": total["accepted"],
                      "rejected": total["rejected"], "crashed": total["crashed"], "hung": total["hung"],
                      "cli_tried": cli_tried, "cli_bad": len(cli_bad), "kills": kills["kills"],
                      "kills_intact": kills["intact"], "temp_files_left": kills["temp_files_after"],
                      "kinds": per_kind}))
    broken = kills["intact"] != kills["kills"] or kills["temp_files_after"]
    return 0 if not (total["crashed"] or total["hung"] or cli_bad or broken) else 1


if __name__ == "__main__":
    sys.exit(main())
