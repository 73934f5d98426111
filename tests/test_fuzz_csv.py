"""The CSV importer fuzzed: a seeded 2,000 malformed files, each accepted or refused clearly.

The generator and verdict are ``benchmarks/fuzzcases.py``'s ``csv`` kind (shared with the project
file fuzz); ``benchmarks/fuzz_csv.py`` runs it by the ten thousand and through the CLI.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzzcases  # noqa: E402


def test_two_thousand_seeded_malformed_csvs_never_crash() -> None:
    counts: collections.Counter = collections.Counter()
    for seed in range(2_000):
        verdict = fuzzcases.csv_verdict(fuzzcases.csv_case(seed))
        assert not verdict.startswith("crashed"), f"seed {seed}: {verdict}"
        counts[verdict] += 1
    assert counts["rejected"] > 500 and counts["accepted"] > 500  # both paths are exercised


def test_the_verdict_catches_a_reader_that_lets_nan_through(monkeypatch) -> None:
    """The fuzz can fail: a reader that stopped checking finiteness is reported as a crash."""
    import numpy as np

    from engine import csvdata

    monkeypatch.setattr(csvdata, "_as_floats", lambda cells: (
        np.array([float(c) if csvdata.is_number(c) else np.nan for c in cells]), []))
    verdict = fuzzcases.csv_verdict(b"a,y\n1,2\nnan,3\n4,5\n")
    assert verdict.startswith("crashed")
