"""Hints for a learner watching a run: is the loss rising, stuck at chance level, or flat?

A pure function of the training-loss curve (one value per epoch) and the loss a network would
have by guessing, so it is tested on recorded curves and the app only shows what it returns.
It speaks only when sure: a run that is fine never gets a hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from engine.losses import get_loss

RECENT = 30  # epochs whose median is "the loss now" (per-sample SGD bounces from epoch to epoch)
PLATEAU = 400  # epochs a loss must hardly move for before it counts as stuck
ABOVE_CHANCE = 1.5  # the loss now is this many times worse than guessing: steps overshoot
RISEN = 3.0  # the loss now is this many times its best so far: it climbed back up
NOTICEABLE = 0.2  # ... and at least this share of the guessing loss (tiny losses wobble harmlessly)
STILL = 0.05  # a plateau improved by less than this share over its second half
STUCK_LEVEL = 0.2  # a plateau is stuck when its loss is above this share of the guessing loss
AT_CHANCE = 0.9  # ... and at chance level above this share


class Hint(NamedTuple):
    """What to tell the learner: ``kind`` is "too_high", "chance" or "plateau"; ``action`` the
    one-click remedy ("lower_rate": learning rate × 0.1, or "reset": new weights)."""

    kind: str
    text: str  # the explanation, in a learner's words
    action: str
    short: str = ""  # one line that fits a small plot's bar (the text is its tooltip)


def chance_loss(loss_name: str, Y: np.ndarray) -> float:
    """The loss of the best guess that ignores the inputs: every output at its mean target (the
    base rate of each class, the mean of a regression target)."""
    Y = np.asarray(Y, dtype=np.float64)
    guess = np.broadcast_to(Y.mean(axis=0), Y.shape)
    return float(get_loss(loss_name).value(Y, guess))


def diagnose(losses: Sequence[float] | np.ndarray, chance: float, learning_rate: float) -> Hint | None:
    """A hint for a run whose training losses so far are ``losses`` (oldest first), or None.

    Too high a learning rate: the recent loss is well above guessing, or it climbed far above its
    best. Stuck: over the last PLATEAU epochs the loss hardly improved while still far from
    solved (at chance level: the network answers the average for every input)."""
    y = np.asarray(losses, dtype=np.float64)
    y = y[np.isfinite(y)]
    if len(y) < RECENT or not chance > 0:
        return None
    now = float(np.median(y[-RECENT:]))
    best = float(y.min())
    lower = f"{learning_rate * 0.1:.3g}"
    if now > ABOVE_CHANCE * chance:
        return Hint("too_high", f"The loss ({now:.3g}) is worse than guessing ({chance:.3g}): the steps are "
                    f"so big that they jump past the valley. Try a learning rate ten times smaller "
                    f"({lower}).", "lower_rate",
                    f"Learning rate too high? The loss ({now:.3g}) is worse than guessing ({chance:.3g}).")
    if now > RISEN * best and now > NOTICEABLE * chance:
        return Hint("too_high", f"The loss went down to {best:.3g} and climbed back to {now:.3g}: the "
                    f"learning rate is probably too high. Try ten times smaller ({lower}).",
                    "lower_rate",
                    f"Learning rate too high? The loss climbed back from {best:.3g} to {now:.3g}.")
    if len(y) < PLATEAU:
        return None
    window = y[-PLATEAU:]
    first, second = float(np.median(window[: PLATEAU // 2])), float(np.median(window[PLATEAU // 2:]))
    if first <= 0 or (first - second) / first >= STILL or second < STUCK_LEVEL * chance:
        return None
    if second >= AT_CHANCE * chance:
        return Hint("chance", f"For {PLATEAU} epochs the loss has stayed at {second:.3g}, the level of "
                    "guessing: the network gives about the same answer for every input. It is stuck "
                    "where the slope is flat; Reset for new starting weights.", "reset",
                    f"Stuck at chance level: the loss ({second:.3g}) is what guessing gives.")
    return Hint("plateau", f"For {PLATEAU} epochs the loss has hardly moved from {second:.3g}: the "
                "network seems stuck in a flat region. Reset for new starting weights (or try more "
                "hidden neurons).", "reset",
                f"Stuck? The loss has hardly moved from {second:.3g} for {PLATEAU} epochs.")
