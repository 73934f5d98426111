"""Legends in the plot's title row, never over the data.

pyqtgraph's legend floats inside the view box, where rising accuracy curves and Hopfield overlaps
(both end near the top) run under it. The curves' names go into the title instead, each in its
curve's colour, so no curve is ever hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pyqtgraph as pg

LINE, DOT = "&#9473;&#9473;", "&#9679;"  # a curve's swatch, a class's (its points' colour)


def legend_html(entries: Sequence[tuple[str, str]], swatch: str = LINE) -> str:
    """(colour, name) pairs as coloured swatches with their names."""
    return "&nbsp;&nbsp;".join(f"<span style='color:{colour}'>{swatch}</span>&nbsp;{escape(name)}"
                               for colour, name in entries)


def set_title_legend(plot: pg.PlotWidget | pg.PlotItem, title: str,
                     entries: Sequence[tuple[str, str]], new_line: bool = False,
                     swatch: str = LINE) -> None:
    """The title, then the legend (on its own line when it would make the title too wide)."""
    gap = "<br>" if new_line else "&nbsp;&nbsp;&nbsp;"
    plot.setTitle(f"{escape(title)}{gap}<span style='font-size:9pt'>{legend_html(entries, swatch)}</span>"
                  if entries else escape(title))
