"""Every file the app reads, damaged: each case is accepted (and then works) or refused clearly.

The generators live in benchmarks/fuzzcases.py; benchmarks/fuzz_files.py runs them by the ten
thousand. Here a seeded few hundred, plus one case for each class of damage found so far.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzzcases  # noqa: E402

from engine.datasets import make_dataset  # noqa: E402
from engine.errors import EngineError  # noqa: E402
from engine.export_reader import read_export  # noqa: E402
from playground.document.errors import FileFormatError  # noqa: E402
from playground.document.examples import example_path  # noqa: E402
from playground.document.fileformat import document_to_data, loads_document  # noqa: E402


@pytest.mark.parametrize("kind", sorted(fuzzcases.KINDS))
def test_seeded_damaged_files_are_accepted_or_refused_never_crash(kind: str) -> None:
    make, judge = fuzzcases.KINDS[kind]
    verdicts = [judge(make(seed)) for seed in range(120)]
    crashes = [v for v in verdicts if v.startswith("crashed")]
    assert not crashes, crashes[0]
    assert verdicts.count("rejected") > 10 and verdicts.count("accepted") > 0


def xor_data() -> dict:
    return document_to_data(loads_document(example_path("xor").read_text()))


def refused(text: str) -> list[str]:
    with pytest.raises(FileFormatError) as info:
        loads_document(text)
    return info.value.errors


def test_deep_nesting_big_integers_and_empty_sections_are_refused_by_name() -> None:
    data = xor_data()
    data["description"] = "DEEP"
    text = json.dumps(data).replace('"DEEP"', "[" * 3000 + "]" * 3000)
    assert refused(text)[0].endswith("nested more than 32 levels deep")
    data["training"]["seed"] = 10**400
    assert refused(json.dumps(data)) == ["$.training.seed: is too large (at most 1e+15 in size)"]
    data = xor_data()
    data["dataset"] = {"seed": 0, "inline": {}}
    assert "$.dataset.inline: missing required field 'inputs'" in refused(json.dumps(data))
    data = xor_data()
    data["mode"], data["hopfield"] = "hopfield", {}
    assert refused(json.dumps(data)) == ["$.hopfield: missing required field 'shape'"]


def test_limits_are_checked_before_anything_is_built_and_named() -> None:
    data = xor_data()
    data["mode"], data["hopfield"] = "hopfield", {"shape": [100_000, 100_000]}
    assert refused(json.dumps(data))[0] == "$.hopfield.shape[0]: must be at most 64, not 100000"
    data = xor_data()
    data["neurons"][0]["label"] = "x" * 1_000_000
    assert refused(json.dumps(data)) == ["$.neurons[0].label: is 1,000,000 characters long; the limit is 200"]
    data = xor_data()
    data["neurons"] = data["neurons"] * 1001
    assert refused(json.dumps(data))[0] == "$.neurons: has 5,005 items; the limit is 2,000"


def test_a_lone_surrogate_and_a_repeated_key_are_refused_with_their_path() -> None:
    data = xor_data()
    data["title"] = "\ud800"
    text = json.dumps(data)  # ASCII escapes: this is how such a file reads
    assert refused(text) == ["$.title: holds an invalid character (a lone UTF-16 surrogate such as \\ud800)"]
    text = json.dumps(xor_data()).replace('"seed": 0', '"seed": 0, "seed": 3', 1)
    assert refused(text) == ["$.dataset: the key 'seed' appears twice (each field may be given once)"]


def test_a_tiny_npz_claiming_a_huge_array_is_refused_without_allocating(tmp_path) -> None:
    buffer = io.BytesIO()
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (100_000, 100_000)  # 74 GiB of float64 claimed by a few bytes
    with zipfile.ZipFile(buffer, "w") as archive:
        with archive.open("weights.npy", "w") as fh:
            np.lib.format.write_array_header_1_0(fh, header)
            fh.write(b"\0" * 8)
        archive.writestr("header.npy", b"")
    path = tmp_path / "evil.npz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(EngineError, match="claims 80,000,000,000 bytes"):
        read_export(path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(EngineError, match=r"not a readable \.npz archive"):
        read_export(path)


def test_damaged_shipped_data_files_name_the_file(tmp_path) -> None:
    (tmp_path / "iris.csv").write_text("")
    with pytest.raises(EngineError, match=r"iris\.csv"):
        make_dataset("iris", data_dir=tmp_path)
    good = (ROOT / "resources" / "datasets" / "digits.csv.gz").read_bytes()
    (tmp_path / "digits.csv.gz").write_bytes(good[: len(good) // 2])
    with pytest.raises(EngineError, match=r"digits\.csv\.gz"):
        make_dataset("digits", data_dir=tmp_path)


def test_a_run_diverging_at_once_still_ends_with_strict_json(tmp_path) -> None:
    data = xor_data()
    data["training"].update(learning_rate=1e300, optimizer="sgd", epochs=3)
    for n in data["neurons"]:
        if n["role"] != "input":
            n["activation"] = "linear"
    for c in data["connections"]:
        c["weight"] = 1e300
    src = tmp_path / "hot.json"
    src.write_text(json.dumps(data))
    proc = subprocess.run([sys.executable, "-m", "playground", "train", str(src)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    last = json.loads(proc.stdout.splitlines()[-1], parse_constant=lambda c: pytest.fail(c))
    assert last["stopped"] == "diverged" and last["loss"] is None and "not finite" in last["note"]


def test_a_failed_save_names_the_users_file_and_the_reason_and_leaves_no_temp_file(tmp_path,
                                                                                 monkeypatch) -> None:
    import errno
    import os

    from playground.document.fileformat import save_document

    doc = loads_document(example_path("xor").read_text())
    with pytest.raises(OSError) as info:
        save_document(doc, tmp_path / "missing" / "p.json")
    assert str(info.value) == f"cannot write {tmp_path / 'missing' / 'p.json'}: its folder does not exist"
    target = tmp_path / "p.json"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="the disk is full") as info:
        save_document(doc, target)
    assert str(target) in str(info.value) and ".tmp" not in str(info.value)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


def test_kills_during_saves_leave_the_old_or_the_new_file_and_no_temp_files(tmp_path) -> None:
    result = fuzzcases.kill_during_save(5, tmp_path)
    assert result == {"kills": 5, "intact": 5, "temp_files_before_sweep": result["temp_files_before_sweep"],
                      "temp_files_after": 0}


def test_a_dead_writers_temp_file_is_swept_by_the_next_save(tmp_path) -> None:
    import os

    from playground.document.fileformat import save_document

    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    orphan = tmp_path / f".p.json.{int(proc.stdout)}.abc.tmp"
    orphan.write_text("half a file")
    mine = tmp_path / f".p.json.{os.getpid()}.xyz.tmp"  # a live writer's: left alone
    mine.write_text("in progress")
    save_document(loads_document(example_path("xor").read_text()), tmp_path / "p.json")
    assert not orphan.exists() and mine.exists()


def test_saving_keeps_the_files_mode_and_writes_through_a_symlink(tmp_path) -> None:
    import os
    import stat

    from playground.document.fileformat import load_document, save_document

    doc = loads_document(example_path("xor").read_text())
    target = tmp_path / "real.json"
    save_document(doc, target)
    os.chmod(target, 0o644)
    doc.title = "changed"
    save_document(doc, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not the temp file's 0600
    link = tmp_path / "link.json"
    link.symlink_to(target)
    doc.title = "through the link"
    save_document(doc, link)
    assert link.is_symlink() and load_document(target).title == "through the link"
    fresh = tmp_path / "new.json"
    old = os.umask(0o027)
    try:
        save_document(doc, fresh)
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
