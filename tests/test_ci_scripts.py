"""The set-up scripts: a second launch must not re-run pip when nothing changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_setup_venv_installs_once_and_again_only_when_pyproject_changes(tmp_path) -> None:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "setup-venv.sh", tmp_path / ".ci")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = tmp_path / "calls.log"
    fake = bin_dir / "python"  # records what it was asked to do, and "installs" the entry point
    fake.write_text(f"#!/bin/sh\necho \"$*\" >>{log}\ntouch {bin_dir / 'nn-playground'}\n"
                    f"chmod +x {bin_dir / 'nn-playground'}\n")
    fake.chmod(0o755)

    def run() -> list[str]:
        log.write_text("")
        subprocess.run(["bash", ".ci/setup-venv.sh", "[test]"], cwd=tmp_path, check=True)
        return [line for line in log.read_text().splitlines() if "pip install" in line]

    assert len(run()) == 1  # new venv: installs
    assert run() == []  # nothing changed: no pip at all
    with open(tmp_path / "pyproject.toml", "a") as fh:
        fh.write("\n# a new dependency\n")
    assert len(run()) == 1  # changed: installs again


def test_the_wheel_ships_every_package() -> None:
    """The wheel lists its packages by hand (resources/ is mapped into playground.resources): a
    package folder missing from that list is missing from every non-editable install."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for top in ("engine", "playground") for p in (ROOT / top).rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
