"""The wording of the engine's structural rules, shared with the document's validation.

The engine guards its API with these checks and the document validates the same rules earlier
(naming neurons by label); both build their messages here so a user reads one sentence for one
rule, whichever layer caught it. The activation names in them come from the registry.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.activations import threshold_activations


def _join(names: Iterable[str]) -> str:
    return ", ".join(names)


def perceptron_hidden(names: Iterable[str]) -> str:
    return f"perceptron mode allows no hidden neurons: {_join(names)}"


def perceptron_outputs(names: Iterable[str]) -> str:
    return (f"perceptron outputs use the {' or '.join(threshold_activations())} activation: "
            f"{_join(names)}")


def output_only(activation: str, names: Iterable[str]) -> str:
    return f"{activation} is only for output neurons: {_join(names)}"


def no_gradient(names: Iterable[str]) -> str:
    return (f"{' and '.join(threshold_activations())} have no gradient, so backpropagation cannot train: "
            f"{_join(names)}")


def cycle(names: Iterable[str]) -> str:
    return f"the wires form a cycle: {' → '.join(names)}"


NO_OUTPUT = "the network has no output neuron"
