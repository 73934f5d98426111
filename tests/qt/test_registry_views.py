"""The views list what the registries hold: a new activation or role shows up in the inspector,
layer builder, palette, context menu and canvas without touching them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu

from engine.activations import ACTIVATIONS, hidden_activations
from playground.canvas.items import COLOURS, role_caption, role_colour
from playground.dialogs.layer_builder import LayerBuilderDialog
from playground.document.model import Document
from playground.document.roles import ROLES
from playground.panels.palette import Palette
from tests.qt.conftest import drop_role


@pytest.fixture
def gate_role(monkeypatch):
    """A made-up role, registered before the window is built (request it before ``window``)."""
    role = ROLES["hidden"]._replace(name="gate", title="Gate", hint="a test role",
                                    id_prefix="g", default_activation="swish", colour_key="output",
                                    caption="g·{activation}")
    monkeypatch.setitem(ROLES, "gate", role)
    return role


def combo_items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_inspector_offers_every_differentiable_activation_and_applies_a_new_one(window) -> None:
    window.open_example("xor")
    hidden = window.controller.doc.by_role("hidden")[0]
    window.scene.select_ids([hidden.id])
    combo = window.inspector.activation_combo
    offered = combo_items(combo)
    assert {a.name for a in ACTIVATIONS.values() if a.differentiable} <= set(offered)
    assert offered == list(ACTIVATIONS)  # thresholds too: perceptron outputs need them
    for name in ("leaky_relu", "elu", "softplus", "swish", "gaussian", "sine"):
        combo.setCurrentText(name)
        combo.activated.emit(combo.currentIndex())
        assert window.controller.doc.neurons[hidden.id].activation == name


def test_the_layer_builder_offers_the_hidden_activations_and_builds_with_one(window, qtbot) -> None:
    dialog = LayerBuilderDialog(window, "mlp")
    qtbot.addWidget(dialog)
    assert combo_items(dialog.activation) == hidden_activations()
    assert combo_items(dialog.output_activation) == list(ACTIVATIONS)
    assert LayerBuilderDialog(window, "perceptron").output_activation.currentText() == "step"
    dialog.activation.setCurrentText("sine")
    window.build_layers(dialog.shape.text(), dialog.activation.currentText(),
                        dialog.output_activation.currentText(), True)
    hidden = window.controller.doc.by_role("hidden")
    assert len(hidden) == 4 and {n.activation for n in hidden} == {"sine"}


def test_a_registered_role_appears_in_the_palette(gate_role, qtbot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    rows = [palette.item(i).text() for i in range(palette.count())]
    assert rows == [r.title for r in ROLES.values()] and rows[-1] == "Gate"
    assert palette.role_of(len(rows) - 1) == "gate"
    assert "a test role" in palette.item(len(rows) - 1).toolTip()


def test_a_registered_role_is_offered_dropped_drawn_and_edited_everywhere(gate_role, window) -> None:
    window.controller.reset(Document(title="Untitled"), None)
    assert "gate" in combo_items(window.inspector.role_combo)
    drop_role(window, "gate", 0, 0)  # a real drop from the palette's row
    (n,) = window.controller.doc.neurons.values()
    assert (n.id, n.role, n.activation, n.has_bias) == ("g1", "gate", "swish", True)
    item = window.scene.neurons["g1"]
    assert role_colour(item.role) == COLOURS["output"]
    assert role_caption(item.role, item.activation) == "g·swish"
    assert "activation: swish" in item.toolTip()  # a unit: its tooltip shows the activation
    menu = QMenu()
    window.fill_context_menu(menu, QPointF(80, 0))
    next(a for a in menu.actions() if a.text() == "Add gate neuron here").trigger()
    assert "g2" in window.controller.doc.neurons


def test_captions_and_colours_come_from_the_role_records() -> None:
    assert [role_caption(r, "tanh") for r in ("input", "hidden", "output", "bias")] == \
        ["in", "tanh", "out·tanh", "1"]
    assert role_colour("bias") == COLOURS["bias"] and role_colour("nonsense") != COLOURS["hidden"]


def test_thumbnail_colour_scales_come_from_the_activation_ranges() -> None:
    import numpy as np

    from playground.plots.thumbnails import activation_range

    values = np.array([[-3.0, 0.5], [2.0, 0.0]])
    assert activation_range("tanh", values) == (-1.0, 1.0)
    assert activation_range("sine", values) == (-1.0, 1.0)
    assert activation_range("gaussian", values) == (0.0, 1.0)
    assert activation_range("step", values) == (0.0, 1.0)
    assert activation_range("swish", values) == (-3.0, 3.0)  # unbounded: symmetric around zero
