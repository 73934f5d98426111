"""How long from launch to a usable window, against the least any PySide6 + pyqtgraph app pays.

Each round launches two fresh interpreters back to back (interleaved, so both see the machine's
drift alike) and times, from the launch to the child's "ready" line:

- **app**: what ``nn-playground`` with no argument does (``playground.launcher.main``): import the
  first window's Qt-free modules, then ``playground.app.create_window``: the main window shown
  with the xor example open, and the event loop run until the first paint is done;
- **baseline**: import numpy, PySide6 and pyqtgraph, create the QApplication, show one window
  with a pyqtgraph plot of three points, run the event loop until painted. numpy comes first as
  in the app: PySide6 reads the source of every module imported after it (its ``__feature__``
  import hook), so that order is the cheapest either can take.

The ratio app ÷ baseline of each round is one sample (target ≤ 1.3). Warm runs: our modules are
byte-compiled first (as pip does for an installed wheel and ``.ci/setup-venv.sh`` for the
checkout), and one unmeasured launch of each fills the OS file cache. Run:

    .venv/bin/python benchmarks/startup_bench.py [--rounds 9] [--platform offscreen|xcb] [--against DIR]

``--against DIR`` times another checkout's app (its own copy of this script's app child) in the
same rounds: an A/B of a change that the machine's drift cannot fake.

The last line is one JSON object: {"app_s", "baseline_s", "ratio", "ratio_min", "ratio_max",
"rounds", "platform", "load"}, with "against", "against_s", "against_ratio" and "app_vs_against" for an A/B.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# both children print "ready" once the shown window has painted: a zero-delay timer fires after
# the events queued by show() (expose, paint) have been handled
READY = "QTimer.singleShot(0, lambda: (print('ready', flush=True), QApplication.quit())); QApplication.exec()"

CHILDREN = {
    "app": (
        "from playground.launcher import import_qt_free_first\n"
        "import_qt_free_first()\n"
        "from PySide6.QtCore import QSettings, QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import sys, tempfile\n"
        "from playground.app import create_window\n"
        "settings = QSettings(tempfile.mkdtemp() + '/s.ini', QSettings.Format.IniFormat)\n"
        "window = create_window([], settings)\n" + READY
    ),
    "baseline": (
        "import numpy\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import pyqtgraph as pg\n"
        "app = QApplication([])\n"
        "plot = pg.PlotWidget()\n"
        "plot.plot([1, 2, 3])\n"
        "plot.show()\n" + READY
    ),
}


def launch(code: str, env: dict[str, str], root: Path = ROOT) -> float:
    """Seconds from starting the interpreter to its "ready" line (``root``: the checkout it runs)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=root, env={**env, "PYTHONPATH": str(root)},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.strip() == "ready":
            elapsed = time.perf_counter() - start
            break
    else:
        raise SystemExit(f"a child never became ready (exit {proc.wait()})")
    proc.wait(timeout=30)
    return elapsed


def other_app(root: Path) -> str:
    """The app child of another checkout's own copy of this script (its launch path)."""
    path = root / "benchmarks" / "startup_bench.py"
    spec = importlib.util.spec_from_file_location("other_startup_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CHILDREN["app"]


def measure(rounds: int, platform: str, against: Path | None = None) -> dict[str, object]:
    home = tempfile.mkdtemp()  # no recovery journals or settings of a real user
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "HOME": home, "XDG_DATA_HOME": home,
           "XDG_CONFIG_HOME": home}
    children = [(name, code, ROOT) for name, code in CHILDREN.items()]
    if against is not None:  # A/B: another checkout's app in the same rounds
        children.append(("against", other_app(against), against))
    for _, _, root in children:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "engine", "playground"], cwd=root,
                       check=True, stdout=subprocess.DEVNULL)
    for _, code, root in children:  # warm the file cache
        launch(code, env, root)
    times: dict[str, list[float]] = {name: [] for name, _, _ in children}
    for _ in range(rounds):
        for name, code, root in children:
            times[name].append(launch(code, env, root))
    ratios = np.array(times["app"]) / np.array(times["baseline"])
    extra = {}
    if against is not None:
        against_s = np.array(times["against"])
        theirs = against_s / np.array(times["baseline"])
        extra = {"against": str(against), "against_s": round(float(np.median(times["against"])), 3),
                 "against_ratio": round(float(np.median(theirs)), 3),
                 "app_vs_against": round(float(np.median(np.array(times["app"]) / against_s)), 3)}
    return {**extra, "app_s": round(float(np.median(times["app"])), 3),
            "baseline_s": round(float(np.median(times["baseline"])), 3),
            "ratio": round(float(np.median(ratios)), 3), "ratio_min": round(float(ratios.min()), 3),
            "ratio_max": round(float(ratios.max()), 3), "rounds": rounds, "platform": platform,
            "load": [round(v, 2) for v in os.getloadavg()]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--platform", default="offscreen")
    parser.add_argument("--against", type=Path, help="another checkout whose app is timed in the same "
                        "rounds (A/B), e.g. a worktree of main")
    args = parser.parse_args()
    r = measure(args.rounds, args.platform, args.against)
    print(f"usable window {r['app_s']:.2f} s, PySide6 + pyqtgraph + one plot window {r['baseline_s']:.2f} s: "
          f"ratio {r['ratio']:.2f} ({r['ratio_min']:.2f}–{r['ratio_max']:.2f}, {r['rounds']} rounds)")
    if "against" in r:
        print(f"{r['against']}: usable window {r['against_s']:.2f} s, ratio {r['against_ratio']:.2f}; "
              f"this checkout ÷ that one, paired: {r['app_vs_against']:.3f}")
    print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
