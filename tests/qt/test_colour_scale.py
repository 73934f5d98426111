"""The colour scale beside the decision boundary reads the same values as the boundary's colours."""

from __future__ import annotations

import numpy as np
import pytest

from engine.datasets import make_dataset
from playground.plots.output import BoundaryView


@pytest.mark.parametrize(("name", "activation"),
                         [("xor", "sigmoid"), ("xor", "tanh"), ("regression-plane", "linear")])
def test_the_scale_spans_the_levels_the_boundary_is_coloured_with(qtbot, name: str, activation: str) -> None:
    view = BoundaryView()
    qtbot.addWidget(view)
    view.resize(420, 360)
    view.show()
    qtbot.waitExposed(view)
    data = make_dataset(name)
    view.set_data(data, activation)
    low, high = view.levels
    if data.task == "regression":
        assert (low, high) == pytest.approx((data.Y_train.min(), data.Y_train.max()))
    else:
        assert (low, high) == ((-1.0 if activation == "tanh" else 0.0), 1.0)
    scale = view.colour_scale
    assert scale.axis.range == pytest.approx([low, high])  # the axis labels the same values
    rect = scale.strip.mapRectToView(scale.strip.boundingRect())
    assert sorted((rect.top(), rect.bottom())) == pytest.approx([low, high])  # the strip covers them
    # the same colours as the boundary image
    lut = view.image.getColorMap().getLookupTable(nPts=256, alpha=False)
    strip = scale.strip.getColorMap().getLookupTable(nPts=256, alpha=False)
    assert np.array_equal(lut, strip)
    # it sits right of the plot's view, inside the plot
    box = view.plot.getPlotItem().getViewBox()
    assert scale.sceneBoundingRect().left() >= box.sceneBoundingRect().right() - 1
    assert scale.isVisible() and scale.sceneBoundingRect().width() > 12
