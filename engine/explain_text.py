"""The glass box in words: an explained step as the equations a learner would write by hand.

The CLI's ``explain --text``, the app's formula panel and its hover card all print through these
functions, so every place shows the same rounding and the same notation (registry formulas:
``Activation.call``/``derivative_formula``, ``Loss.gradient_formula``, ``Optimizer.formula``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from engine.activations import get_activation
from engine.losses import get_loss
from engine.optimizers import OPTIMIZERS

if TYPE_CHECKING:  # only read, never built here: the app's first window need not import them
    from engine.explain import Explanation, HopfieldStep, NeuronStep, WireStep

MINUS = "−"
SHOWN_TERMS = 12  # a Hopfield unit of a 10×10 grid has 99 links: the sum shows the first ones


def number(value: float | None, digits: int = 3) -> str:
    """Rounded for reading: 3 significant digits, no exponent between 0.001 and 10 000,
    a real minus sign; the full value is one hover away in the app."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    size = abs(value)
    if 1e-3 <= size < 1e4:
        decimals = max(0, digits - 1 - math.floor(math.log10(size)))
        text = f"{size:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{size:.{digits - 1}e}".replace("e-0", "e−").replace("e-", "e−").replace("e+0", "e")
    if text == "0":
        return "0"
    return MINUS + text if value < 0 else text


def operand(value: float) -> str:
    """A number inside a product: negative ones in brackets, "(−0.31)·0"."""
    text = number(value)
    return f"({text})" if text.startswith(MINUS) else text


def fill(template: str, z: float | None, a: float) -> str:
    """A registry template with numbers: bracketed only where the template does not bracket."""
    text = template
    for key, value in (("z", z), ("a", a)):
        if value is not None:
            text = text.replace(f"({{{key}}})", f"({number(value)})")
            text = text.replace(f"{{{key}}}", operand(value))
    return text


def name_of(ex: Explanation, node: int) -> str:
    return ex.neurons[node].name or f"node {node}"


def weighted_sum(n: NeuronStep) -> str:
    """z = 0.52·1 + (−0.31)·0 + 0.10 = 0.62"""
    parts = [f"{operand(t.w)}·{operand(t.x)}" for t in n.terms]
    if n.bias is not None:
        parts.append(operand(n.bias))
    return f"z = {' + '.join(parts) or '0'} = {number(n.z)}"


def forward_line(ex: Explanation, node: int) -> str:
    """h1: z = 0.52·1 + (−0.31)·0 + 0.10 = 0.62; a = tanh(0.62) = 0.551"""
    n = ex.neurons[node]
    if n.z is None:
        return f"{name_of(ex, node)}: a = {number(n.a)}"
    call = fill(get_activation(n.activation).call, n.z, n.a)
    return f"{name_of(ex, node)}: {weighted_sum(n)}; a = {call} = {number(n.a)}"


def loss_line(ex: Explanation) -> str:
    """The loss at the outputs, with ŷ and y."""
    pairs = ", ".join(f"ŷ = {number(o)}, y = {number(t)}" for o, t in zip(ex.outputs, ex.target,
                                                                            strict=True))
    if ex.kind == "perceptron":
        return f"errors: {number(ex.loss)} output(s) wrong ({pairs})"
    loss = get_loss(ex.loss_name)
    penalty = f" + penalty {number(ex.penalty)}" if ex.penalty else ""
    return f"loss {ex.loss_name}: {loss.formula} = {number(ex.loss)}{penalty} ({pairs})"


def derivative(n: NeuronStep) -> str:
    """f'(z) in the tutorials' form, then with numbers: σ(z)·(1 − σ(z)) = 0.7·(1 − 0.7) = 0.21"""
    act = get_activation(n.activation)
    call = fill(act.derivative_call, n.z, n.a)
    return f"f'(z) = {act.derivative_formula} = {call} = {number(n.slope)}"


def backward_line(ex: Explanation, node: int) -> str:
    """δ = ∂L/∂z for one unit, by the rule that formed it."""
    n = ex.neurons[node]
    head = f"{name_of(ex, node)}: "
    if n.delta_rule == "rosenblatt":
        return head + f"error = t − y = {operand(n.target)} − {operand(n.a)} = {number(n.delta)}"
    if n.delta_rule == "fused":  # sigmoid + bce: mean over K outputs; softmax + cce: a sum
        k = len(ex.outputs) if n.activation == "sigmoid" else 1
        scale = f"/{k}" if k > 1 else ""
        diff = f"{operand(n.a)} − {operand(n.target)}"
        return head + (f"δ = (ŷ − y){scale} = ({diff}){scale} = {number(n.delta)} "
                       f"({n.activation} and {ex.loss_name} cancel: no f'(z) factor)")
    if n.target is not None:
        grad = f"∂L/∂a = {get_loss(ex.loss_name).gradient_formula} = {number(n.grad_a)}"
    else:
        outgoing = [w for w in ex.wires if w.source == node]
        terms = " + ".join(f"{operand(w.w)}·{operand(ex.neurons[w.target].delta)}" for w in outgoing)
        grad = f"∂L/∂a = Σ w·δ = {terms or '0'} = {number(n.grad_a)}"
    if n.delta_rule == "jacobian":
        return head + f"{grad}; δ = a·(∂L/∂a − Σ aₖ·∂L/∂aₖ) = {number(n.delta)}"
    return head + f"{grad}; {derivative(n)}; δ = ∂L/∂a·f'(z) = {number(n.delta)}"


def wire_line(ex: Explanation, edge: int) -> str:
    """w·x forward; ∂L/∂w = δ·a and the update backward."""
    w = ex.wires[edge]
    head = f"{name_of(ex, w.source)}→{name_of(ex, w.target)}: w·x = {operand(w.w)}·{operand(w.x)} " \
           f"= {number(w.w * w.x)}"
    error = ex.neurons[w.target].delta
    return f"{head}; {gradient_text(ex, w)}; {update_text(ex, w.update, w.grad, w.x, error)}"


def gradient_text(ex: Explanation, w: WireStep) -> str:
    if w.grad is None:
        return "(no gradient: the perceptron rule)"
    delta = ex.neurons[w.target].delta
    return f"∂L/∂w = δ·x = {operand(delta)}·{operand(w.x)} = {number(w.grad)}"


def update_text(ex: Explanation, update: float | None, grad: float | None,
                x: float = 1.0, error: float | None = None) -> str:
    """Δw with the learning rate substituted where the rule is that simple (SGD, Rosenblatt)."""
    eta = number(ex.learning_rate)
    if update is None:
        return "no bias"
    if ex.kind == "perceptron":
        return f"Δ = η·(t − y)·x = {eta}·{operand(error or 0.0)}·{operand(x)} = {number(update)}"
    if ex.optimizer == "sgd" and grad is not None:
        return f"Δ = −η·g = −{eta}·{operand(grad)} = {number(update)}"
    return f"Δ = {number(update)} ({ex.optimizer}: {OPTIMIZERS[ex.optimizer].formula})"


def bias_line(ex: Explanation, node: int) -> str:
    n = ex.neurons[node]
    if n.bias is None:
        return f"{name_of(ex, node)}: no bias"
    grad = "" if n.bias_grad is None else f"∂L/∂b = δ = {number(n.bias_grad)}; "
    return f"{name_of(ex, node)}: b = {number(n.bias)}; {grad}" \
           f"{update_text(ex, n.bias_update, n.bias_grad, 1.0, n.delta)}"


def equations(ex: Explanation) -> list[str]:
    """The whole step in reading order: forward, loss, backward, gradients and updates."""
    lines = ["forward:"] + [forward_line(ex, i) for i in ex.order]
    lines += [loss_line(ex), "backward:"] + [backward_line(ex, i) for i in reversed(ex.order)]
    lines += ["wires:"] + [wire_line(ex, k) for k in range(len(ex.wires))]
    lines += ["biases:"] + [bias_line(ex, i) for i in ex.order]
    if ex.kind == "mlp":
        lines.append(f"update rule ({ex.optimizer}, η = {number(ex.learning_rate)}): "
                     f"{OPTIMIZERS[ex.optimizer].formula}")
    return lines


def hopfield_lines(step: HopfieldStep, name: str = "") -> list[str]:
    """Local field, the sign decision and the energy change of flipping, for one unit."""
    unit = name or f"unit {step.unit}"
    shown = [f"{operand(t.w)}·{operand(t.x)}" for t in step.terms[:SHOWN_TERMS]]
    more = len(step.terms) - SHOWN_TERMS
    terms = " + ".join(shown + ([f"… ({more} more)"] if more > 0 else [])) or "0"
    theta = f" − {operand(step.threshold)}" if step.threshold else ""
    verdict = "flips" if step.flips else "stays"
    return [
        f"{unit}: h = Σ wᵢⱼ·sⱼ{theta} = {terms}{theta} = {number(step.h)}",
        f"decision: s = sign(h) = {number(step.decision)} (now {number(step.state)}: it {verdict})",
        f"energy E = −½·sᵀWs = {number(step.energy)}; flipping it changes E by "
        f"ΔE = 2·sᵢ·h = 2·{operand(step.state)}·{operand(step.h)} = {number(step.flip_energy_change)}",
    ]
