"""Engine speed against the bare numpy floor, measured in the same run (ratios, not absolute times).

The floor for each workload is hand-written numpy doing the operations one step needs on the same
shapes — what any numpy implementation must at least pay. Run:

    .venv/bin/python benchmarks/engine_bench.py [--quick]

The last line is one JSON object: workload -> {"engine_us", "floor_us", "ratio"}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app does: small work, one core (before numpy)
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers

from engine import hopfield
from engine.datasets import make_dataset
from engine.grid import decision_grid, grid_points
from engine.mlp import MLP
from engine.optimizers import make_optimizer
from engine.settings import TrainingSettings
from engine.spec import Edge, NetworkSpec, Node
from playground.paths import datasets_dir


def layered(sizes: list[int], hidden: str, output: str) -> NetworkSpec:
    """A fully connected layered spec, as the layer builder makes it."""
    nodes: list[Node] = []
    layers: list[list[int]] = []
    for depth, size in enumerate(sizes):
        ids = list(range(len(nodes), len(nodes) + size))
        last = depth == len(sizes) - 1
        for _ in ids:
            nodes.append(Node("input") if depth == 0 else Node("unit", output if last else hidden,
                                                                  is_output=last))
        layers.append(ids)
    edges = [Edge(s, t) for a, b in pairwise(layers) for s in a for t in b]
    return NetworkSpec(tuple(nodes), tuple(edges))


def calls_per_round(fn: Callable[[], object], seconds: float) -> int:
    """How many calls fill about `seconds` (after one warm-up call)."""
    fn()
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return max(calls, 1)


def round_us(fn: Callable[[], object], calls: int) -> float:
    """Mean time per call over one round of `calls` calls, in µs."""
    t = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t) / calls * 1e6


ROUNDS = 25  # interleaved rounds per workload (--quick: 5)


# -- floors: the fewest, cheapest numpy calls a step needs (../shared/PERF-NOTES.md) ---------------
class FloorMLP:
    """Dense layers, tanh/sigmoid hidden, sigmoid+BCE or softmax+CCE output, plain SGD, with
    nothing allocated inside a step: feature-major ``(units, batch)`` buffers, a row of ones under
    each level's activations so the bias is the weight matrix's last column (its gradient comes
    out of the same dot), bound ``W.dot(A, out=Z)``, 0-d array scalars, the learning rate folded
    into the output delta, one ``np.subtract(W, G, W)`` per layer."""

    def __init__(self, sizes: list[int], hidden: str, output: str, rng: np.random.Generator,
                 dtype: type = np.float64) -> None:
        self.sizes, self.hidden, self.output, self.dtype = sizes, hidden, output, dtype
        self.W = [rng.normal(0, 0.5, (b, a + 1)).astype(dtype) for a, b in pairwise(sizes)]
        self.G = [np.empty_like(W) for W in self.W]
        self.lr = np.array(0.1, dtype)
        self.one = np.array(1.0, dtype)
        self.half = np.array(0.5, dtype)
        self._batch: dict[int, tuple] = {}

    def buffers(self, batch: int) -> tuple:
        if batch not in self._batch:
            A = [np.ones((n + 1, batch), self.dtype) for n in self.sizes]
            T = [np.empty((n, batch), self.dtype) for n in self.sizes]
            B = [np.empty((n, batch), self.dtype) for n in self.sizes]
            row = np.empty((1, batch), self.dtype)
            self._batch[batch] = (A, T, B, row, np.array(1.0 / batch if self.output == "softmax"
                                                          else 1.0 / (batch * self.sizes[-1]), self.dtype))
        return self._batch[batch]

    def load(self, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """X, Y feature-major once, outside any timed step (the engine keeps its data so too)."""
        XT = np.ones((X.shape[1] + 1, len(X)), self.dtype)
        XT[:-1] = X.T
        return XT, np.ascontiguousarray(Y.T, self.dtype)

    def _sigmoid(self, z: np.ndarray) -> None:
        np.multiply(z, self.half, out=z)
        np.tanh(z, out=z)
        np.add(z, self.one, out=z)
        np.multiply(z, self.half, out=z)

    def forward(self, A0: np.ndarray) -> list[np.ndarray]:
        A, _, _, row, _ = self.buffers(A0.shape[1])
        A = [A0, *A[1:]]
        last = len(self.W) - 1
        for k, W in enumerate(self.W):
            z = A[k + 1][:-1]
            W.dot(A[k], out=z)
            if k < last:
                if self.hidden == "tanh":
                    np.tanh(z, out=z)
                else:
                    self._sigmoid(z)
            elif self.output == "softmax":
                z.max(axis=0, out=row[0])
                np.subtract(z, row, out=z)
                np.exp(z, out=z)
                z.sum(axis=0, out=row[0])
                np.divide(z, row, out=z)
            else:
                self._sigmoid(z)
        return A

    def step(self, A0: np.ndarray, YT: np.ndarray) -> None:
        A = self.forward(A0)
        _, T, B, _, inv = self.buffers(A0.shape[1])
        delta = B[-1]
        np.subtract(A[-1][:-1], YT, out=delta)
        np.multiply(delta, self.lr * inv, out=delta)  # lr folded into the output delta
        for k in range(len(self.W) - 1, -1, -1):
            W = self.W[k]
            delta.dot(A[k].T, out=self.G[k])
            if k:
                back, a, t = B[k], A[k][:-1], T[k]
                W[:, :-1].T.dot(delta, out=back)
                if self.hidden == "tanh":
                    np.multiply(a, a, out=t)
                    np.subtract(self.one, t, out=t)
                else:
                    np.subtract(self.one, a, out=t)
                    np.multiply(t, a, out=t)
                np.multiply(back, t, out=back)
                delta = back
            np.subtract(W, self.G[k], out=W)

    def outputs(self, X: np.ndarray) -> np.ndarray:
        """Batch-major outputs (for the grid: the transposes are charged to the floor)."""
        XT, _ = self.load(X, np.zeros((len(X), 1)))
        return self.forward(XT)[-1][:-1].T


def mlp_workload(sizes: list[int], hidden: str, output: str, X: np.ndarray, Y: np.ndarray,
                 batch: int | None, budget: float, dtype: type = np.float64,
                 rounds: int = ROUNDS) -> dict[str, float]:
    rng = np.random.default_rng(0)
    loss = "cce" if output == "softmax" else "bce"
    mlp = MLP.from_spec(layered(sizes, hidden, output), dtype, rng=rng)
    opt = make_optimizer(TrainingSettings(optimizer="sgd", learning_rate=0.1))
    floor = FloorMLP(sizes, hidden, output, rng, dtype)
    X, Y = X.astype(dtype), Y.astype(dtype)
    X.flags.writeable = Y.flags.writeable = False  # a dataset's arrays: the engine keeps a copy
    XT, YT = floor.load(X, Y)
    if batch is None:
        engine = lambda: mlp.train_epoch(X, Y, loss, opt, 0, False, rng)  # noqa: E731
        bare = lambda: floor.step(XT, YT)  # noqa: E731
    else:
        engine = lambda: mlp.train_epoch(X, Y, loss, opt, batch_size=batch, shuffle=False,  # noqa: E731
                                         rng=rng)

        def bare() -> None:
            for s in range(0, len(X), batch):
                floor.step(XT[:, s:s + batch], YT[:, s:s + batch])
    others = peers.available(peers.TRAINING, sizes, hidden, output, X, Y, batch, dtype)
    max_diff = cross_check(mlp, floor, engine, bare, others)
    result = compare(engine, bare, budget, others, rounds)
    return {**result, **max_diff}


def cross_check(mlp: MLP, floor: FloorMLP, engine: Callable[[], object], bare: Callable[[], object],
                others: dict[str, peers.Step], steps: int = 3) -> dict[str, float]:
    """Largest weight difference to the engine after ``steps`` steps from the same start, for the
    floor and each peer: timing sides only means something when they compute the same thing.
    Everyone starts again from there afterwards (each side's own start)."""
    for k, W in enumerate(floor.W):
        W[:, :-1], W[:, -1] = mlp.weights[k].T, mlp.biases[k]
    start = mlp.snapshot(), [W.copy() for W in floor.W]
    peer_starts = {}
    for name, step in others.items():
        peer_starts[name] = step.save()
        step.set_weights([W.copy() for W in floor.W])
    for _ in range(steps):
        engine()
        bare()
        for step in others.values():
            step()
    engine_w = [np.column_stack([mlp.weights[k].T, mlp.biases[k]]) for k in range(len(floor.W))]
    diffs = {"max_diff": max(float(np.abs(a - b).max()) for a, b in zip(engine_w, floor.W, strict=True))}
    for name, step in others.items():
        diffs[f"{name}_max_diff"] = max(float(np.abs(a - b).max())
                                        for a, b in zip(engine_w, step.get_weights(), strict=True))
        step.restore(peer_starts[name])
    mlp.restore(start[0])
    for W, W0 in zip(floor.W, start[1], strict=True):
        W[...] = W0
    for name, value in diffs.items():
        if value > (1e-3 if mlp.dtype == np.float32 else 1e-9):
            raise SystemExit(f"{name}: weights after {steps} steps differ by {value:g}: "
                             "the sides do not compute the same thing")
    return diffs


def compare(engine: Callable[[], object], bare: Callable[[], object], budget: float,
            peers: dict[str, Callable[[], object]] | None = None,
            rounds: int = ROUNDS) -> dict[str, float]:
    """Paired per-round ratios: each round times the engine, the floor and any peer back to back,
    and the ratio of that round's times is one sample. On a shared VM the speed drifts over
    seconds; a round sees one speed, so its ratio is what to compare. Reports the median ratio
    and its spread (10th–90th percentile), and the median µs of each side."""
    sides = {"engine": engine, "floor": bare, **(peers or {})}
    calls = {name: calls_per_round(fn, budget / (rounds * len(sides))) for name, fn in sides.items()}
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, fn in sides.items():
            times[name].append(round_us(fn, calls[name]))
    floor = np.array(times["floor"])
    result: dict[str, float] = {"floor_us": round(float(np.median(floor)), 2)}
    for name in sides:
        if name == "floor":
            continue
        ratios = np.array(times[name]) / floor
        key = "" if name == "engine" else f"{name}_"
        result[f"{key}us" if key else "engine_us"] = round(float(np.median(times[name])), 2)
        result[f"{key}ratio"] = round(float(np.median(ratios)), 3)
        result[f"{key}ratio_p10"] = round(float(np.percentile(ratios, 10)), 3)
        result[f"{key}ratio_p90"] = round(float(np.percentile(ratios, 90)), 3)
    return result


def hopfield_net(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights storing n/20 random patterns, and a 10 %-corrupted copy of the first as the start."""
    rng = np.random.default_rng(n)
    patterns = hopfield.random_patterns(max(1, n // 20), n, rng)
    start, _ = hopfield.corrupt(patterns[0], 0.1, rng)
    return hopfield.store(patterns), patterns, start


def sync_recall_workload(n: int, budget: float, rounds: int) -> dict[str, float]:
    """A whole synchronous recall (to a fixed point or a 2-cycle) from the same start each call.
    The engine's ``Recall`` is built once (set-up out of the hot path) and restarted; the floor
    does the same math per update in preallocated rows — fields, next state (a zero field keeps
    the unit), flips, settled and 2-cycle tests, energy — with one ``dot`` against the 3-row ring."""
    W, _, start = hopfield_net(n)
    recall = hopfield.Recall(W, start, "sync")

    def engine() -> np.ndarray:
        recall.restart(start)
        recall.run()
        return recall.state

    ring = np.zeros((3, n))
    h, counts = np.empty(n), np.empty(3)
    s0 = start.astype(np.float64)

    def bare() -> np.ndarray:
        now, before, free = 0, 1, 2
        np.copyto(ring[0], s0)
        W.dot(ring[0], out=h)
        energy = -0.5 * float(ring[0].dot(h))
        for step in range(200):
            new = ring[free]
            np.sign(h, out=new)
            ring.dot(new, out=counts)
            if counts[free] < n:
                ties = new == 0
                new[ties] = ring[now][ties]
                ring.dot(new, out=counts)
            settled = counts[now] == n
            cycle = step > 0 and counts[before] == n
            before, now, free = now, free, before
            W.dot(new, out=h)
            energy = -0.5 * float(new.dot(h))
            if settled or cycle:
                break
        return ring[now] + 0 * energy

    if not np.array_equal(engine(), bare()):
        raise SystemExit("the synchronous recall floor does not end where the engine does")
    return compare(engine, bare, budget, rounds=rounds)


def async_sweep_workload(n: int, budget: float, rounds: int) -> dict[str, float]:
    """One asynchronous sweep in a fresh random order from the same start each call, both sides
    keeping the local fields and updating them by one row of W per flip (W is symmetric)."""
    W, _, start = hopfield_net(n)
    recall = hopfield.Recall(W, start, "async", np.random.default_rng(7))

    def engine() -> np.ndarray:
        recall.restart(start)
        recall.sweep()
        return recall.state

    rng = np.random.default_rng(7)
    s, h, change = np.empty(n), np.empty(n), np.empty(n)
    s0 = start.astype(np.float64)
    rng.permutation(n)  # the engine's constructor drew one order

    def bare() -> np.ndarray:
        np.copyto(s, s0)
        W.dot(s, out=h)
        for i in rng.permutation(n).tolist():
            hi, old = h[i], s[i]
            new = 1.0 if hi > 0 else -1.0 if hi < 0 else old
            if new != old:
                np.multiply(W[i], new - old, out=change)
                np.add(h, change, out=h)
                s[i] = new
        rng.permutation(n)  # the engine draws the next sweep's order at the end of one
        return s

    if not np.array_equal(engine(), bare()):
        raise SystemExit("the asynchronous sweep floor does not end where the engine does")
    return compare(engine, bare, budget, rounds=rounds)


CAPACITY_LOADS = tuple(np.round(np.linspace(0.02, 0.3, 15), 3))  # the lab's sweep: 15 loads


def floor_capacity_sweep(n: int, trials: int, noise: float, seed: int) -> list[float]:
    """The lab's capacity sweep in bare numpy, drawing the same random numbers in the same order."""
    rng = np.random.default_rng(seed)
    rates = []
    for load in CAPACITY_LOADS:
        count, hits = max(1, round(load * n)), 0
        for _ in range(trials):
            p = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n)).astype(np.float64)
            W = p.T @ p / n
            np.fill_diagonal(W, 0.0)
            target = int(rng.integers(count))
            s = p[target].copy()
            s[rng.choice(n, size=round(noise * n), replace=False)] *= -1
            h = W.dot(s)
            order = rng.permutation(n)
            for _ in range(200):
                flips = 0
                for i in order.tolist():
                    new = 1.0 if h[i] > 0 else -1.0 if h[i] < 0 else s[i]
                    if new != s[i]:
                        h += W[:, i] * (new - s[i])
                        s[i] = new
                        flips += 1
                order = rng.permutation(n)
                if flips == 0:
                    break
            hits += bool(np.array_equal(s, p[target]))
        rates.append(hits / trials)
    return rates


def capacity_workload(n: int, budget: float, rounds: int) -> dict[str, float]:
    """The whole capacity sweep (15 loads × 20 trials, 10 % noise) against its numpy floor."""
    def engine() -> list[float]:
        rows = hopfield.capacity_sweep(n, CAPACITY_LOADS, trials=20, noise=0.1, rng=np.random.default_rng(3))
        return [r["recall_rate"] for r in rows]

    def bare() -> list[float]:
        return floor_capacity_sweep(n, 20, 0.1, 3)

    if engine() != bare():  # same random draws, so the same trajectories: the same work
        raise SystemExit("the capacity sweep floor does not reproduce the engine's recall rates")
    return compare(engine, bare, budget, rounds=rounds)


def print_table(results: dict[str, dict[str, float]]) -> None:
    names = [k[:-6] for r in results.values() for k in r if k.endswith("_ratio") and k != "ratio"]
    peer_names = list(dict.fromkeys(names))
    print(f"{'workload':36} {'engine µs':>10} {'floor µs':>10} {'ratio':>6} {'p10–p90':>11}"
          + "".join(f" {name + ' ratio':>14}" for name in peer_names))
    for name, r in results.items():
        others = "".join(f" {r.get(p + '_ratio', float('nan')):14.2f}" for p in peer_names)
        if "ratio" not in r:
            continue
        spread = f"{r['ratio_p10']:.2f}–{r['ratio_p90']:.2f}"
        print(f"{name:36} {r['engine_us']:10.1f} {r['floor_us']:10.1f} {r['ratio']:6.2f} {spread:>11}"
              + others)


def grid_workload(dtype: type, budget: float, rounds: int, X: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    """A 200 × 200 decision grid of the 2-8-8-1 net: the engine's whole call (points made, output
    reshaped) against the floor's forward over points already feature-major in ``dtype``."""
    rng = np.random.default_rng(2)
    net = MLP.from_spec(layered([2, 8, 8, 1], "tanh", "sigmoid"), rng=rng)
    floor = FloorMLP([2, 8, 8, 1], "tanh", "sigmoid", rng, dtype)
    for k, W in enumerate(floor.W):
        W[:, :-1], W[:, -1] = net.weights[k].T, net.biases[k]
    points = grid_points((-6, 6), (-6, 6), 200, dtype)
    PT, _ = floor.load(points, np.zeros((len(points), 1)))
    engine = lambda: decision_grid(net, (-6, 6), (-6, 6), 200, dtype)  # noqa: E731
    diff = float(np.abs(engine()[0].ravel() - floor.forward(PT)[-1][0]).max())
    if diff > (1e-5 if dtype == np.float32 else 1e-12):
        raise SystemExit(f"the decision grid differs from the floor's by {diff:g}")
    others = peers.available(peers.GRID, [2, 8, 8, 1], "tanh", X, Y, points, dtype)
    return {**compare(engine, lambda: floor.forward(PT), budget, others, rounds), "max_diff": diff}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short rounds (a smoke test)")
    parser.add_argument("--only", default="", help="run only workloads whose name contains this")
    args = parser.parse_args()
    budget, rounds = (0.15, 5) if args.quick else (1.5 * 25 / 9, ROUNDS)
    rng = np.random.default_rng(1)
    results: dict[str, dict[str, float]] = {}
    xor_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    xor_Y = np.array([[0], [1], [1], [0]], float)
    X500 = rng.normal(size=(500, 2))
    Y500 = (X500[:, :1] * X500[:, 1:] > 0).astype(float)
    X10k = rng.normal(size=(10_000, 2))
    Y10k = (X10k[:, :1] * X10k[:, 1:] > 0).astype(float)
    digits = make_dataset("digits", data_dir=datasets_dir())
    f64, f32 = np.float64, np.float32
    workloads: dict[str, Callable[[], dict[str, float]]] = {
        "xor_2_4_1_full_batch": lambda: mlp_workload([2, 4, 1], "tanh", "sigmoid", xor_X, xor_Y, None,
                                                     budget, f64, rounds),
        "mlp_2_8_8_1_500pts": lambda: mlp_workload([2, 8, 8, 1], "tanh", "sigmoid", X500, Y500, None,
                                                   budget, f64, rounds),
        "mlp_2_16_16_16_1_batch10_epoch": lambda: mlp_workload([2, 16, 16, 16, 1], "tanh", "sigmoid",
                                                               X500, Y500, 10, budget, f64, rounds),
        "digits_64_64_10_full_batch": lambda: mlp_workload([64, 64, 10], "sigmoid", "softmax",
                                                           digits.X_train, digits.Y_train, None,
                                                           budget, f64, rounds),
        "decision_grid_200_f64": lambda: grid_workload(f64, budget, rounds, X500, Y500),
        "decision_grid_200_f32": lambda: grid_workload(f32, budget, rounds, X500, Y500),
        # where PyTorch won against float64: 128-wide layers and 10,000 points, now in float32
        "mlp_2_128_128_1_500pts_f32": lambda: mlp_workload([2, 128, 128, 1], "tanh", "sigmoid", X500,
                                                           Y500, None, budget, f32, rounds),
        "mlp_2_8_8_1_10k_pts_f32": lambda: mlp_workload([2, 8, 8, 1], "tanh", "sigmoid", X10k, Y10k,
                                                        None, budget, f32, rounds),
        "mlp_2_128_128_1_500pts_f64": lambda: mlp_workload([2, 128, 128, 1], "tanh", "sigmoid", X500,
                                                           Y500, None, budget, f64, rounds),
        "mlp_2_8_8_1_10k_pts_f64": lambda: mlp_workload([2, 8, 8, 1], "tanh", "sigmoid", X10k, Y10k,
                                                        None, budget, f64, rounds),
    }
    for n in (100, 400, 1024):
        workloads[f"hopfield_sync_recall_{n}"] = lambda n=n: sync_recall_workload(n, budget, rounds)
        workloads[f"hopfield_async_sweep_{n}"] = lambda n=n: async_sweep_workload(n, budget, rounds)
    workloads["hopfield_capacity_sweep_100"] = lambda: capacity_workload(100, budget, rounds)
    for name, make in workloads.items():
        if args.only in name:
            results[name] = make()
    print_table(results)
    print(json.dumps({"machine": machine(), "load": load(), "rounds": rounds, "results": results}))
    return 0


def machine() -> dict[str, object]:
    """What the figures were measured on: they mean nothing without it."""
    import platform

    info: dict[str, object] = {"python": platform.python_version(), "numpy": np.__version__,
                               "cpus": os.cpu_count(),
                               "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} thread(s))"
                        for p in threadpool_info()]
    except ImportError:
        config = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        info["blas"] = f"{config.get('name')} {config.get('version')}"
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        pass
    try:
        import sklearn

        info["sklearn"] = sklearn.__version__
    except ImportError:
        pass
    return info


def load() -> list[float]:
    """The 1/5/15-minute load averages while measuring (the machine is shared)."""
    return [round(v, 2) for v in os.getloadavg()]


if __name__ == "__main__":
    sys.exit(main())
