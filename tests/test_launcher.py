"""The ``nn-playground`` command: a bare launch opens the app without the CLI and with the first
window's Qt-free modules imported before Qt; any argument goes to the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_child(code: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True).stdout.splitlines()


def test_the_qt_free_list_covers_every_qt_free_module_of_ours_the_first_window_imports(tmp_path) -> None:
    """What PySide6's import hook would read again: a new Qt-free module on the window's path
    belongs in ``QT_FREE_FIRST`` (or under one of its roots)."""
    code = (
        "import sys, json, tempfile\n"
        "from playground.launcher import import_qt_free_first\n"
        "import_qt_free_first()\n"
        "qt_before = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]\n"
        "first = set(sys.modules)\n"
        "from PySide6.QtCore import QSettings\n"
        "from playground.app import create_window\n"
        "w = create_window([], QSettings(tempfile.mkdtemp() + '/s.ini', QSettings.Format.IniFormat))\n"
        "late = []\n"
        "for name in sorted(set(sys.modules) - first):\n"
        "    path = getattr(sys.modules[name], '__file__', None) or ''\n"
        "    if name.split('.')[0] in ('engine', 'playground') and path.endswith('.py'):\n"
        "        text = open(path, encoding='utf-8').read()\n"
        "        if 'PySide6' not in text and 'pyqtgraph' not in text:\n"
        "            late.append(name)\n"
        "print(json.dumps([qt_before, late]))\n"
    )
    qt_before, late = json.loads(run_child(code, tmp_path)[-1])
    assert qt_before == []  # the Qt-free list really is Qt-free
    assert late == [], f"add these to playground.launcher.QT_FREE_FIRST: {late}"


def test_a_bare_launch_opens_the_app_without_the_cli_and_arguments_go_to_the_cli(tmp_path) -> None:
    code = (
        "import sys, json\n"
        "import playground.app\n"
        "seen = []\n"
        "playground.app.launch = lambda argv: seen.append((argv, 'playground.cli' in sys.modules)) or 0\n"
        "from playground.launcher import main\n"
        "status = main([])\n"
        "print(json.dumps([status, seen]))\n"
        "status = main(['examples'])\n"
        "print(json.dumps([status, 'playground.cli' in sys.modules]))\n"
    )
    out = run_child(code, tmp_path)
    assert json.loads(out[0]) == [0, [[[], False]]]  # the app, and no parser or command imported
    assert any(line.startswith("xor\t") for line in out)  # `nn-playground examples` listed them
    assert json.loads(out[-1]) == [0, True]


def test_python_dash_m_playground_is_the_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "playground", "examples"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert any(line.startswith("xor\t") for line in proc.stdout.splitlines())
