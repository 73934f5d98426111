"""Neuron roles, each one record that owns its facts: every list of roles is a query of ``ROLES``.

The palette, inspector, context menus, canvas, layout, compiler, validation and edit rules read
these fields instead of naming roles, so adding a role is one entry here (plus a colour for its
``colour_key`` in the canvas). Pure Python: colours are named by key, the Qt layer maps them.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.activations import threshold_activations


class Role(NamedTuple):
    name: str  # the key stored in files
    title: str  # shown in the palette
    hint: str  # the palette's tooltip
    id_prefix: str  # new neurons are called <prefix>1, <prefix>2, …
    default_activation: str
    is_unit: bool  # computes act(Σ w·x + b): has an activation and a bias
    accepts_input: bool  # wires may lead into it
    feeds: bool  # may feed other neurons
    compile_kind: str  # the engine node kind: input | constant | unit
    colour_key: str  # the canvas maps it to a colour
    caption: str  # under the neuron; "{activation}" is replaced by its activation
    is_output: bool = False  # the network's answer: a column of the targets
    marker: str = "circle"  # circle | square

    def activation_for(self, mode: str) -> str:
        """A new neuron's activation: perceptron outputs start as the first threshold (step)."""
        if mode == "perceptron" and self.is_output:
            return threshold_activations()[0]
        return self.default_activation


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("input", "Input", "reads one column of the data", "x", "linear", is_unit=False,
         accepts_input=False, feeds=True, compile_kind="input", colour_key="input", caption="in"),
    Role("hidden", "Hidden", "computes act(Σ w·x + b)", "h", "tanh", is_unit=True,
         accepts_input=True, feeds=True, compile_kind="unit", colour_key="hidden",
         caption="{activation}"),
    Role("output", "Output", "the network's answer", "o", "sigmoid", is_unit=True,
         accepts_input=True, feeds=False, compile_kind="unit", colour_key="output",
         caption="out·{activation}", is_output=True),
    Role("bias", "Bias", "always outputs 1", "b", "linear", is_unit=False, accepts_input=False,
         feeds=True, compile_kind="constant", colour_key="bias", caption="1", marker="square"),
)}

_KIND_ORDER = {"input": 0, "constant": 1, "unit": 2}


def role(name: str) -> Role | None:
    """The record of ``name``, or None for a role no registry entry knows (a damaged document)."""
    return ROLES.get(name)


def is_unit(neuron: object) -> bool:
    """Whether a neuron (or None) computes act(Σ w·x + b): it has a bias and a map to show."""
    r = ROLES.get(getattr(neuron, "role", None)) if neuron is not None else None
    return r is not None and r.is_unit


def compile_rank(name: str) -> tuple[int, bool]:
    """Spec order: inputs (the data columns), constants, hidden units, outputs."""
    r = ROLES[name]
    return _KIND_ORDER[r.compile_kind], r.is_output

