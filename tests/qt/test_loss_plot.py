"""The loss plot over long runs: every epoch kept, drawn through a min/max envelope."""

from __future__ import annotations

import numpy as np
import pytest

from playground.plots.envelope import PeakEnvelope
from playground.plots.loss import LossPlot
from playground.training.history import History


def brute_force(x: np.ndarray, y: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Min/max of every complete bin of ``size`` points, then the rest as it is."""
    whole = len(y) - len(y) % size
    bins = y[:whole].reshape(-1, size)
    xs = np.concatenate([np.repeat(x[:whole:size], 2), x[whole:]])
    ys = np.concatenate([np.column_stack([bins.min(axis=1), bins.max(axis=1)]).ravel(), y[whole:]])
    return xs, ys


@pytest.mark.parametrize("seed", range(4))
def test_the_envelope_grown_in_chunks_equals_binning_everything_at_once(seed: int) -> None:
    rng = np.random.default_rng(seed)
    envelope = PeakEnvelope(max_bins=64)
    y = rng.normal(size=20_000)
    x = np.arange(1.0, len(y) + 1)
    n = 0
    while n < len(y):
        n = min(len(y), n + int(rng.integers(1, 900)))
        xs, ys = envelope.view(x[:n], y[:n])
        assert n <= envelope.bin * 64 and (envelope.bin == 1 or n > envelope.bin * 32)
        want_x, want_y = brute_force(x[:n], y[:n], envelope.bin)
        # an odd bin merged away returns to the tail, so compare where both are binned
        k = min(len(want_x), len(xs) - (envelope.done == n))  # less the repeated last point
        np.testing.assert_array_equal(ys.max(), y[:n].max())
        np.testing.assert_array_equal(ys.min(), y[:n].min())
        assert xs[-1] == x[n - 1]
        assert np.all(np.diff(xs) >= 0)
        if envelope.done == n - n % envelope.bin:
            np.testing.assert_array_equal(xs[:k], want_x[:k])
            np.testing.assert_array_equal(ys[:k], want_y[:k])
    xs, _ = envelope.view(x[:10], y[:10])  # cleared and started again
    assert envelope.bin == 1 and len(xs) == 10


def test_a_million_epochs_are_all_kept_and_drawn_as_a_few_thousand_points(qtbot) -> None:
    history = History()
    plot = LossPlot(history)
    qtbot.addWidget(plot)
    plot.show()
    n = 1_000_000
    epochs = np.arange(1, n + 1)
    loss = 1 / np.sqrt(epochs)
    loss[654_321] = 5.0  # one spike among a million points must still show
    history.add_losses(1, loss, loss * 1.1)
    plot.refresh()
    assert history.train.size == n and history.epochs == n
    xs, ys = plot.train.getData()
    assert len(xs) <= 2 * 1024 + plot.train.envelope.bin
    assert ys.max() == 5.0 and ys.min() == loss.min() and xs[-1] == n
    x_range, _ = plot.plot.getPlotItem().getViewBox().viewRange()
    assert x_range[1] >= n  # the view spans the whole run (its height follows the recent losses)
    plot.log_scale.setChecked(True)
    history.add_losses(n + 1, loss[-100:], loss[-100:])
    plot.refresh()
    assert plot.train.getData()[0][-1] == n + 100


def test_the_loss_axes_show_plain_numbers_without_an_si_prefix(qtbot) -> None:
    from playground.plots.loss import curve_plot

    plot, train, _ = curve_plot("Loss", "loss")
    qtbot.addWidget(plot)
    train.setData([1, 2, 3], [0.001, 0.002, 0.003])
    plot.getPlotItem().getViewBox().autoRange()
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()
