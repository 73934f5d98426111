"""Hopfield associative memory: bipolar units, Hebbian/Storkey storage, recall, energy, verdicts.

States are ±1 vectors. A unit whose local field is exactly zero keeps its state, so stored
patterns stay fixed points and asynchronous updates never raise the energy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError

RULES = ("hebbian", "storkey")
MODES = ("async", "sync")
VERDICTS = ("pattern", "inverse", "spurious", "oscillating", "unsettled")
CAPACITY_GUIDELINE = 0.138  # Amit, Gutfreund and Sompolinsky's critical load P/N


def as_bipolar(values: Sequence[float] | np.ndarray, what: str = "state") -> np.ndarray:
    """A ±1 int8 vector, or an EngineError naming the first value that is not ±1."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    bad = np.flatnonzero((arr != 1) & (arr != -1))
    if bad.size:
        raise EngineError(f"{what} value {arr[bad[0]]:g} at position {bad[0]} is not +1 or -1")
    return arr.astype(np.int8)


def hebbian_weights(patterns: np.ndarray) -> np.ndarray:
    """W = (1/N) Σ ξξᵀ with a zero diagonal: symmetric by construction."""
    p = np.asarray(patterns, dtype=np.float64)
    w = p.T @ p / p.shape[1]
    np.fill_diagonal(w, 0.0)
    return w


def storkey_weights(patterns: np.ndarray) -> np.ndarray:
    """Storkey's incremental rule: more capacity than Hebb, still local and symmetric."""
    p = np.asarray(patterns, dtype=np.float64)
    n = p.shape[1]
    w = np.zeros((n, n))
    for xi in p:
        h = w @ xi
        local = h[:, None] - w * xi[None, :]  # h_ij = Σ_{k≠i,j} w_ik ξ_k (diagonal is zero)
        w = w + (np.outer(xi, xi) - xi[:, None] * local.T - local * xi[None, :]) / n
        np.fill_diagonal(w, 0.0)
    return (w + w.T) / 2  # exact symmetry despite rounding


def store(patterns: Sequence[Sequence[int]] | np.ndarray, rule: str = "hebbian") -> np.ndarray:
    """Weights that store the ±1 patterns by the named rule."""
    if rule not in RULES:
        raise EngineError(f"unknown Hopfield rule '{rule}' (choose from {', '.join(RULES)})")
    p = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    if p.size == 0:
        raise EngineError("store at least one pattern")
    bad = np.argwhere((p != 1) & (p != -1))  # one check for all rows: sweeps store thousands
    if bad.size:
        k, i = (int(v) for v in bad[0])
        raise EngineError(f"pattern {k} value {p[k, i]:g} at position {i} is not +1 or -1")
    return hebbian_weights(p) if rule == "hebbian" else storkey_weights(p)


def check_weights(weights: np.ndarray) -> np.ndarray:
    """Refuse matrices that are not square, finite, symmetric with a zero diagonal."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise EngineError(f"a Hopfield weight matrix must be square, not {w.shape}")
    if not np.all(np.isfinite(w)):
        raise EngineError("the Hopfield weight matrix holds NaN or infinite values")
    if np.any(np.diag(w) != 0):
        i = int(np.flatnonzero(np.diag(w))[0])
        raise EngineError(f"Hopfield unit {i} has a self-link (w[{i}][{i}] = {w[i, i]:g})")
    asym = np.argwhere(w != w.T)
    if asym.size:
        i, j = (int(v) for v in asym[0])
        raise EngineError(f"Hopfield weights must be symmetric: w[{i}][{j}] = {w[i, j]:g} but "
                          f"w[{j}][{i}] = {w[j, i]:g}")
    return w


def energy(weights: np.ndarray, state: np.ndarray, thresholds: np.ndarray | None = None) -> float:
    """E = −½ sᵀWs + θ·s."""
    s = np.asarray(state, dtype=np.float64)
    e = -0.5 * float(s @ weights @ s)
    return e + float(thresholds @ s) if thresholds is not None else e


def overlaps(patterns: np.ndarray, state: np.ndarray) -> np.ndarray:
    """m_μ = (1/N) ξ_μ · s for every stored pattern: 1 is the pattern, −1 its inverse."""
    p = np.atleast_2d(np.asarray(patterns, dtype=np.float64))
    return p @ np.asarray(state, dtype=np.float64) / p.shape[1]


def classify(patterns: np.ndarray, state: np.ndarray) -> tuple[str, int | None]:
    """("pattern", k), ("inverse", k) or ("spurious", None) for a settled state."""
    if len(patterns) == 0:
        return "spurious", None
    m = overlaps(patterns, state)
    for k, value in enumerate(m):
        if value == 1.0:
            return "pattern", k
    for k, value in enumerate(m):
        if value == -1.0:
            return "inverse", k
    return "spurious", None


def corrupt(pattern: np.ndarray, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A copy with exactly round(fraction·N) distinct bits flipped, and that count."""
    if not 0.0 <= fraction <= 1.0:
        raise EngineError(f"noise must be between 0 and 1, not {fraction:g}")
    s = as_bipolar(pattern, "pattern").copy()
    k = round(fraction * s.size)
    s[rng.choice(s.size, size=k, replace=False)] *= -1
    return s, k


class Recall:
    """One recall run from a start state, steppable by unit, sweep or synchronous update.

    The weights are symmetric with a zero diagonal (``store`` and ``check_weights`` make sure),
    so unit i's column is its row: the local fields are kept up to date with one contiguous row
    per flip (h += 2·sᵢ·W[i]), and an asynchronous sweep costs O(N) per flip, not O(N²) per unit.
    Building one costs a few allocations; ``restart`` runs another recall in the same buffers
    (the lab and the capacity sweep recall many times on one net).
    """

    def __init__(self, weights: np.ndarray, start: np.ndarray, mode: str = "async",
                 rng: np.random.Generator | None = None,
                 thresholds: np.ndarray | None = None) -> None:
        if mode not in MODES:
            raise EngineError(f"unknown recall mode '{mode}' (choose async or sync)")
        self.weights = np.asarray(weights, dtype=np.float64)
        n = self.weights.shape[0]
        self.thresholds = np.zeros(n) if thresholds is None else np.asarray(thresholds, float)
        self._has_thresholds = bool(np.any(self.thresholds))
        self.mode = mode
        self._rng = rng  # made on first use: a synchronous recall never draws
        # three rows (state, previous, next) that synchronous updates rotate through, the fields,
        # and a row for one flip's field change: nothing is allocated per step
        self._ring = np.zeros((3, n))
        self._rows = list(self._ring)
        self.fields = np.empty(n)
        self._change = np.empty(n)
        self.restart(start)

    @property
    def rng(self) -> np.random.Generator:
        if self._rng is None:
            self._rng = np.random.default_rng(0)
        return self._rng

    def restart(self, start: np.ndarray) -> None:
        """A new recall from ``start`` on the same net, in the same buffers (the generator goes on)."""
        n = self.weights.shape[0]
        state = self._rows[0]
        values = np.asarray(start)
        if values.size != n:
            raise EngineError(f"the start state has {values.size} units, the network {n}")
        np.copyto(state, values.reshape(n), casting="unsafe")
        if np.count_nonzero(np.abs(state) == 1.0) != n:
            as_bipolar(values)  # raises, naming the first value that is not ±1
        self.state = state
        self._now, self._before, self._free = 0, 1, 2
        self._has_previous = False
        fields = self.weights.dot(state, out=self.fields)
        self.energy = -0.5 * float(state.dot(fields))
        if self._has_thresholds:
            self.energy += float(self.thresholds.dot(state))
            fields -= self.thresholds
        self.energy_non_increasing = True
        self.updates = 0  # unit updates (async) or synchronous steps (sync)
        self.oscillating = False
        self.settled = False
        self._order = self.rng.permutation(n) if self.mode == "async" else None
        self._position = 0
        self._flips_this_sweep = 0

    @property
    def size(self) -> int:
        return self.state.size

    @property
    def position(self) -> int:
        """How many units of the current asynchronous sweep have been updated."""
        return self._position

    def _next_order(self) -> None:
        self._position, self._flips_this_sweep = 0, 0
        self._order = self.rng.permutation(self.size)

    def step_unit(self) -> int | None:
        """Update the next unit of the current random sweep; return its index if it flipped."""
        if self._order is None:
            self._next_order()
        i = int(self._order[self._position])
        h = self.fields[i]
        new = 1.0 if h > 0 else -1.0 if h < 0 else self.state[i]
        flipped = None
        if new != self.state[i]:
            delta = new - self.state[i]
            self.state[i] = new
            np.multiply(self.weights[i], delta, out=self._change)
            self.fields += self._change
            change = -delta * h  # ΔE for a zero-diagonal symmetric W
            self.energy += change
            self.energy_non_increasing &= change <= 1e-12
            self._flips_this_sweep += 1
            flipped = i
        self.updates += 1
        self._position += 1
        if self._position == self.size:
            self.settled = self._flips_this_sweep == 0
            self._next_order()
        return flipped

    def sweep(self) -> int:
        """The rest of the current asynchronous sweep; the number of flips in it."""
        # step_unit's logic inlined with local names and bound methods: a sweep is N Python
        # iterations, so each attribute lookup counts
        if self._order is None:
            self._next_order()
        state, fields, rows, change_row = self.state, self.fields, self.weights, self._change
        multiply, add = np.multiply, fields.__iadd__
        flips, change_sum, rising = 0, 0.0, False
        for i in self._order[self._position:].tolist():
            h = fields[i]
            old = state[i]
            new = 1.0 if h > 0 else -1.0 if h < 0 else old
            if new != old:
                delta = new - old
                state[i] = new
                multiply(rows[i], delta, out=change_row)
                add(change_row)
                change = -delta * h
                change_sum += change
                rising |= change > 1e-12
                flips += 1
        self.energy += change_sum
        self.energy_non_increasing &= not rising
        self.updates += self.size - self._position
        self.settled = self._flips_this_sweep + flips == 0
        self._next_order()
        return flips

    def sync_step(self) -> int:
        """All units at once from the same fields; detects a settled state or a 2-cycle."""
        rows = self._rows
        if self.state is not rows[self._now]:  # a caller replaced the state: start the ring again
            rows[0][:] = self.state
            self._now, self._before, self._free, self._has_previous = 0, 1, 2, False
            self.state = rows[0]
        now, before, free = self._now, self._before, self._free
        new = rows[free]
        np.sign(self.fields, out=new)
        # one product against [state, previous, new]: for ±1 vectors a·b = N − 2·(differences),
        # and new·new counts the units with a non-zero field
        dots = self._ring.dot(new).tolist()
        n = new.size
        if dots[free] < n:  # a zero field keeps the unit's state
            ties = new == 0
            new[ties] = rows[now][ties]
            dots = self._ring.dot(new).tolist()
        flips = round((n - dots[now]) / 2)
        self.settled = flips == 0
        self.oscillating = not self.settled and self._has_previous and dots[before] == n
        self._before, self._now, self._free = now, free, before
        self._has_previous = True
        self.state = new
        fields = self.weights.dot(new, out=self.fields)
        previous_energy = self.energy
        self.energy = -0.5 * float(new.dot(fields))
        if self._has_thresholds:
            self.energy += float(self.thresholds.dot(new))
            fields -= self.thresholds
        self.energy_non_increasing &= self.energy <= previous_energy + 1e-9
        self.updates += 1
        return flips

    def _run_sync(self, max_steps: int) -> str:
        """``run`` for synchronous updates: ``sync_step``'s logic with local names (a recall of
        N = 100 is a few µs a step, so attribute look-ups would be a quarter of it)."""
        if self.state is not self._rows[self._now]:
            self.sync_step()  # puts a replaced state into the ring (and takes the first step)
            if self.settled or self.oscillating:
                return "settled" if self.settled else "oscillating"
            max_steps -= 1
        rows, ring, weights, fields = self._rows, self._ring, self.weights, self.fields
        ring_dot, sign, weights_dot = ring.dot, np.sign, weights.dot
        now, before, free, has_previous = self._now, self._before, self._free, self._has_previous
        n, energy, rising, steps = self.size, self.energy, False, 0
        outcome = "unsettled"
        for _ in range(max_steps):
            new = rows[free]
            sign(fields, out=new)
            dots = ring_dot(new).tolist()
            if dots[free] < n:  # a zero field keeps the unit's state
                ties = new == 0
                new[ties] = rows[now][ties]
                dots = ring_dot(new).tolist()
            settled = dots[now] == n
            oscillating = not settled and has_previous and dots[before] == n
            before, now, free, has_previous = now, free, before, True
            weights_dot(new, out=fields)
            previous, energy = energy, -0.5 * float(new.dot(fields))
            rising |= energy > previous + 1e-9
            steps += 1
            if settled or oscillating:
                outcome = "settled" if settled else "oscillating"
                self.settled, self.oscillating = settled, oscillating
                break
        else:
            self.settled = self.oscillating = False
        self._now, self._before, self._free, self._has_previous = now, before, free, has_previous
        self.state, self.energy = rows[now], energy
        self.energy_non_increasing &= not rising
        self.updates += steps
        return outcome

    def step(self) -> int:
        """One sync update (sync) or the rest of a sweep (async); returns the flips."""
        return self.sweep() if self.mode == "async" else self.sync_step()

    def run(self, max_sweeps: int = 200,
            on_step: Callable[[Recall], None] | None = None) -> str:
        """Step until settled, oscillating or the cap; return "settled"/"oscillating"/"unsettled"."""
        if self.mode == "sync" and on_step is None and not self._has_thresholds:
            return self._run_sync(max_sweeps)
        step = self.sweep if self.mode == "async" else self.sync_step
        for _ in range(max_sweeps):
            step()
            if on_step is not None:
                on_step(self)
            if self.settled:
                return "settled"
            if self.oscillating:
                return "oscillating"
        return "unsettled"


@dataclass(frozen=True)
class RecallResult:
    verdict: str
    index: int | None
    overlap: float  # with the pattern the start was made from (or the best match)
    flipped_bits: int
    updates: int
    energy_non_increasing: bool
    state: np.ndarray


def recall(weights: np.ndarray, patterns: np.ndarray, start: np.ndarray, *, mode: str = "async",
           rng: np.random.Generator | None = None, max_sweeps: int = 200,
           reference: int | None = None, flipped_bits: int = 0) -> RecallResult:
    """Run a recall to the end and classify the state it ends in."""
    run = Recall(weights, start, mode, rng)
    outcome = run.run(max_sweeps)
    if outcome == "settled":
        verdict, index = classify(patterns, run.state)
    else:
        verdict, index = outcome, None
    m = overlaps(patterns, run.state)
    ref = reference if reference is not None else int(np.argmax(np.abs(m)))
    return RecallResult(verdict, index, float(m[ref]), flipped_bits, run.updates,
                        bool(run.energy_non_increasing), run.state.astype(np.int8))


def random_patterns(count: int, n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n))


def capacity_sweep(
    n: int, loads: Sequence[float], *, trials: int = 20, noise: float = 0.1,
    rng: np.random.Generator | None = None, rule: str = "hebbian",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[dict]:
    """Recall success versus load P/N: per trial, fresh random patterns, one noisy start.

    Success means an exact return to the pattern the start was corrupted from.
    """
    if n < 2 or trials < 1:
        raise EngineError("a capacity sweep needs at least 2 units and 1 trial")
    rng = rng or np.random.default_rng(0)
    rows = []
    total, done = len(loads) * trials, 0
    for load in loads:
        if load <= 0:
            raise EngineError(f"loads must be positive, not {load:g}")
        count = max(1, round(load * n))
        hits = 0
        for _ in range(trials):
            if cancelled is not None and cancelled():
                return rows
            patterns = random_patterns(count, n, rng)
            weights = store(patterns, rule)
            target = int(rng.integers(count))
            start, _ = corrupt(patterns[target], noise, rng)
            run = Recall(weights, start, "async", rng)
            run.run()
            hits += bool(np.array_equal(run.state, patterns[target]))
            done += 1
            if progress is not None:
                progress(done, total)
        rows.append({"load": float(load), "patterns": count, "recall_rate": hits / trials})
    return rows
