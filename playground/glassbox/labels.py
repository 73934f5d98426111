"""What the canvas shows at each stage of the walk-through: label texts by neuron and wire id.

Pure functions of an explained step and a stage (no Qt), so the tests can read exactly what the
canvas was told to draw. Rounded with ``explain_text.number``; the tooltip has full precision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from engine.explain_text import number, operand

if TYPE_CHECKING:
    from engine.explain import Explanation
    from playground.document.glassbox import ExplainedExample

Texts = dict[str, tuple[str, str]]  # id → (shown, tooltip)
WIRE_LABEL_LIMIT = 150  # more wire labels than this are unreadable (and slow to place)


class Stage(NamedTuple):
    """One step of the walk-through: ``kind`` forward/loss/backward/update/applied, ``node`` the
    active spec node (forward and backward)."""

    kind: str
    node: int | None = None


def _pair(lines: list[tuple[str, float | None]], per_line: int = 2) -> tuple[str, str]:
    """Rounded "name = value" pairs, two to a line (compact on the canvas); the tooltip has one
    full-precision value per line."""
    kept = [(name, v) for name, v in lines if v is not None]
    rows = [kept[k:k + per_line] for k in range(0, len(kept), per_line)]
    shown = "\n".join("  ".join(f"{name} = {number(v)}" for name, v in row) for row in rows)
    full = "\n".join(f"{name} = {v!r}" for name, v in kept)
    return shown, full


def input_texts(example: ExplainedExample) -> Texts:
    """The example's values on the input neurons (and 1 on drawn bias neurons)."""
    ex, ids = example.explanation, example.compiled.node_ids
    return {ids[n.node]: _pair([("x", n.a)]) for n in ex.neurons if n.z is None}


def stage_texts(example: ExplainedExample, stages: list[Stage], index: int,
                before: ExplainedExample | None = None) -> tuple[Texts, Texts, str | None, list[str]]:
    """(neuron texts, wire texts, active neuron id, lit wire ids) for stage ``index``."""
    ex = example.explanation
    nids, cids = example.compiled.node_ids, example.compiled.edge_ids
    stage = stages[index]
    neurons, wires = input_texts(example), {}
    done_forward = {s.node for s in stages[: index + 1] if s.kind == "forward"}
    past_forward = stage.kind != "forward"
    done_backward = {s.node for s in stages[: index + 1] if s.kind == "backward"}
    if stage.kind in ("update", "applied"):
        done_backward = set(ex.order)
    for i in ex.order:
        n = ex.neurons[i]
        if not (past_forward or i in done_forward):
            continue
        lines: list[tuple[str, float | None]] = [("z", n.z), ("a", n.a)]
        if n.target is not None and past_forward:
            lines.append(("y", n.target))
        if i in done_backward:
            lines.append(("δ" if ex.kind == "mlp" else "t − y", n.delta))
        if stage.kind == "update" and n.bias is not None and n.bias_update is not None:
            lines.append(("Δb", n.bias_update))
        neurons[nids[i]] = _pair(lines)
    active = nids[stage.node] if stage.node is not None else None
    lit: list[str] = []
    if stage.kind == "forward":
        lit = [cids[t.edge] for t in ex.neurons[stage.node].terms]
        for t in ex.neurons[stage.node].terms:
            shown = f"w·x = {operand(t.w)}·{operand(t.x)} = {number(t.w * t.x)}"
            wires[cids[t.edge]] = (shown, f"w = {t.w!r}\nx = {t.x!r}\nw·x = {t.w * t.x!r}")
    elif stage.kind == "loss":
        for i in ex.order:
            if ex.neurons[i].target is not None:
                shown, full = neurons[nids[i]]
                neurons[nids[i]] = (f"{shown}  L = {number(ex.loss)}", f"{full}\nL = {ex.loss!r}")
        active = None
    elif stage.kind == "backward":
        lit = [cids[t.edge] for t in ex.neurons[stage.node].terms]
        for t in ex.neurons[stage.node].terms:  # each wire's gradient when its target's δ is known
            w = ex.wires[t.edge]
            wires[cids[w.edge]] = _pair([("∂L/∂w", w.grad)] if w.grad is not None
                                        else [("Δw", w.update)])  # the perceptron: no gradient
    elif stage.kind == "update":
        for w in ex.wires:
            wires[cids[w.edge]] = (f"Δw = {number(w.update)}",
                                   f"Δw = {w.update!r}\nw = {w.w!r}\nw + Δw = {w.w + w.update!r}")
    elif stage.kind == "applied" and before is not None:
        old = before.explanation
        for w, was in zip(ex.wires, old.wires, strict=True):
            wires[cids[w.edge]] = (f"w = {number(w.w)} (was {number(was.w)})",
                                   f"w = {w.w!r}\nbefore = {was.w!r}\nchange = {w.w - was.w!r}")
    if len(wires) > WIRE_LABEL_LIMIT:  # a big net: only the wires that move most get a label
        moved = sorted(ex.wires, key=lambda w: abs(w.update), reverse=True)[:WIRE_LABEL_LIMIT]
        keep = {cids[w.edge] for w in moved} | set(lit)
        wires = {cid: text for cid, text in wires.items() if cid in keep}
    return neurons, wires, active, lit


def stage_title(ex: Explanation, stages: list[Stage], index: int) -> str:
    """One line for the panel and status bar: where the walk-through is and what comes next."""
    stage = stages[index]
    forward = [s for s in stages if s.kind == "forward"]
    if stage.kind == "forward":
        k = forward.index(stage) + 1
        return f"Forward {k}/{len(forward)}: {ex.neurons[stage.node].name} adds up its inputs"
    if stage.kind == "loss":
        what = "errors" if ex.kind == "perceptron" else f"loss ({ex.loss_name})"
        return f"Output {what} = {number(ex.loss)}: now backward"
    if stage.kind == "backward":
        k = [s for s in stages if s.kind == "backward"].index(stage) + 1
        return f"Backward {k}/{len(forward)}: δ of {ex.neurons[stage.node].name}"
    if stage.kind == "update":
        rule = "η·(t − y)·x" if ex.kind == "perceptron" else f"{ex.optimizer}, η = {number(ex.learning_rate)}"
        return f"Update ({rule}): Next applies it as one undo step"
    return "Applied: each weight moved by its Δw (Undo takes it back)"
