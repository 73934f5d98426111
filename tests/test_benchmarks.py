"""The benchmarks' contracts: what each prints as JSON, and that its sides compute the same thing.

No figure is asserted here (timings on a shared machine are noise); the speed claims live in
``benchmarks/README.md`` and are re-measured by running the scripts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import engine_bench  # noqa: E402

RATIO_KEYS = {"engine_us", "floor_us", "ratio", "ratio_p10", "ratio_p90"}


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


# the whole engine bench's JSON line is checked in tests/test_layering.py (it runs --quick)
@pytest.mark.parametrize("sizes,hidden,output,batch", [([2, 4, 1], "tanh", "sigmoid", None),
                                                      ([3, 5, 4], "sigmoid", "softmax", None),
                                                      ([2, 6, 6, 1], "tanh", "sigmoid", 3)])
def test_the_floor_takes_the_engine_s_steps_and_a_wrong_floor_is_caught(sizes, hidden, output, batch) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, sizes[0]))
    Y = (np.eye(sizes[-1])[rng.integers(sizes[-1], size=12)] if output == "softmax"
         else (X[:, :1] > 0).astype(float))
    result = engine_bench.mlp_workload(sizes, hidden, output, X, Y, batch, 0.01, rounds=2)
    assert set(result) >= RATIO_KEYS and result["max_diff"] <= 1e-12
    floor = engine_bench.FloorMLP(sizes, hidden, output, rng)
    floor.lr[...] = 0.2  # not the engine's rate: the check must refuse to time it
    from engine.mlp import MLP
    from engine.optimizers import make_optimizer
    from engine.settings import TrainingSettings

    mlp = MLP.from_spec(engine_bench.layered(sizes, hidden, output))
    opt = make_optimizer(TrainingSettings(optimizer="sgd", learning_rate=0.1))
    loss = "cce" if output == "softmax" else "bce"
    XT, YT = floor.load(X, Y)
    with pytest.raises(SystemExit, match="do not compute the same thing"):
        engine_bench.cross_check(mlp, floor, lambda: mlp.train_epoch(X, Y, loss, opt, 0, False, rng),
                                 lambda: floor.step(XT, YT), {})


def test_hopfield_and_grid_floors_end_where_the_engine_does() -> None:
    for n in (16, 64):
        assert {"ratio", "ratio_p10"} <= set(engine_bench.sync_recall_workload(n, 0.01, 2))
        assert {"ratio", "ratio_p10"} <= set(engine_bench.async_sweep_workload(n, 0.01, 2))
    X = np.random.default_rng(1).normal(size=(50, 2))
    grid = engine_bench.grid_workload(np.float32, 0.01, 2, X, (X[:, :1] > 0).astype(float))
    assert grid["max_diff"] <= 1e-5


def test_startup_bench_times_both_children_to_their_ready_line() -> None:
    import startup_bench

    r = startup_bench.measure(1, "offscreen")
    assert r["app_s"] > 0 and r["baseline_s"] > 0
    assert r["ratio"] == pytest.approx(r["app_s"] / r["baseline_s"], rel=1e-2)
    assert {"ratio_min", "ratio_max", "rounds", "platform", "load"} <= set(r)


def test_gui_bench_reports_every_runner_beside_and_without_a_neighbour() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "benchmarks/gui_bench.py", "--seconds", "0.6", "--examples", "xor",
                           "--runners", "thread"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    out = last_json(proc.stdout)["results"]["xor"]
    assert set(out) == {"thread/quiet", "thread/busy"}
    for r in out.values():
        assert {"lateness_p50_ms", "lateness_p99_ms", "idle_lateness_p99_ms", "app_epochs_per_s",
                "headless_epochs_per_s", "ratio", "ratio_min", "ratio_max", "plot_fps", "load"} <= set(r)
        assert r["app_epochs_per_s"] > 0 and r["headless_epochs_per_s"] > 0
