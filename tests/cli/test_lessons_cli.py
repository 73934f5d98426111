"""`nn-playground lessons`: the registry listed, lesson files checked (exit 2, one line each)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from playground.document.lessons import lessons_dir, list_lessons
from tests.cli.test_cli import cli

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import fuzzcases  # noqa: E402


def test_lessons_lists_every_shipped_lesson_in_teaching_order() -> None:
    rows = [line.split("\t") for line in cli("lessons").stdout.splitlines()]
    lessons = list_lessons()
    assert [r[0] for r in rows] == [x.name for x in lessons]
    assert [r[1] for r in rows] == [x.title for x in lessons]
    assert [r[2] for r in rows] == [f"{len(x.steps)} steps" for x in lessons]
    assert [r[3] for r in rows] == [x.example for x in lessons]
    assert "lessons" in cli("--help").stdout


def test_check_accepts_good_files_and_refuses_bad_ones_in_one_line_each(tmp_path) -> None:
    good = sorted(lessons_dir().glob("*.json"))
    proc = cli("lessons", "--check", *map(str, good))
    assert proc.stdout.count("ok\t") == len(good) and not proc.stderr
    bad = tmp_path / "bad.json"
    data = json.loads(good[0].read_text(encoding="utf-8"))
    data["steps"][0]["checks"] = [{"kind": "loss_below", "value": "low"}]
    data["hide"] = ["everything"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = cli("lessons", "--check", str(good[0]), str(bad), str(tmp_path / "missing.json"),
               check=False)
    assert proc.returncode == 2 and proc.stdout.count("ok\t") == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in proc.stderr
    assert "bad.json: $.hide[0]: unknown control 'everything'" in lines[0]
    assert "$.steps[0].checks[0].value: expected a number" in lines[0]
    assert lines[1] == f"nn-playground: no such file: {tmp_path / 'missing.json'}"


def test_damaged_lesson_files_exit_2_with_one_line(tmp_path) -> None:
    paths = []
    for seed in range(40):
        data = fuzzcases.lesson_case(seed)
        if fuzzcases.lesson_verdict(data) == "rejected":
            path = tmp_path / f"damaged{seed}.json"
            path.write_bytes(data)
            paths.append(path)
    assert len(paths) > 10
    random.Random(0).shuffle(paths)
    for path in paths[:12]:
        proc = cli("lessons", "--check", str(path), check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("nn-playground: ")
