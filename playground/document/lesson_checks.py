"""What a lesson can check, say and do: the registries its file format and its panel are built from.

A lesson step names checks (``loss_below``…), placeholders in its text (``{loss}``…), "try this"
actions (``play``…) and controls to hide by the keys of the tables here; the file checker, the
docs and the app's panel all read these tables, so a new kind is one entry (plus the app's
handler for an action). Checks and placeholders read an ``Observation`` through a ``Probe``: the
numbers come from the engine run on the document (or a running training's newest values), never
from the lesson file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.errors import EngineError
from engine.mlp import MLP
from engine.session import EpochMetrics
from engine.settings import BY_NAME
from engine.spec import TrainedValues
from playground.document import build, names
from playground.document.compile import compile_network
from playground.document.errors import DocumentError
from playground.document.model import Document
from playground.document.validation import pattern_name

# -- parameters --------------------------------------------------------------------------------------
# kind → what a value of that kind must be; the file checker (lessons.py) checks each against the
# lesson's own project, so a wire or neuron that the project does not have is refused on load.
PARAM_KINDS = {
    "number": "a finite number",
    "fraction": "a number from 0 to 1",
    "count": "a whole number ≥ 0",
    "neuron": "the id of a neuron of the project",
    "wire": "a wire of the project as 'source>target' (neuron ids)",
    "inputs": "one number per input neuron of the project",
    "pattern": "the name of a pattern the project's Hopfield memory stores",
    "setting": "the name of a training setting",
    "setting_value": "a value the setting named by 'name' accepts",
    "mode": f"one of {', '.join(names.MODES)}",
    "dataset": "the name of a built-in dataset",
    "reason": "why a run ended",
    "side": "train or test",
}
SIDES = ("train", "test")
# The stop reasons of engine/trainer.py a learner can aim for (stopped and crashed are no goal).
REASONS = ("converged", "not_separable", "epochs", "target", "early_stop", "diverged")


@dataclass(frozen=True)
class Param:
    kind: str
    optional: bool = False
    default: Any = None


# -- what the app tells the checks ---------------------------------------------------------------
@dataclass
class Observation:
    """The app's state as the checks see it; everything "since the step began" is the app's job."""

    doc: Document
    values: TrainedValues | None = None  # a running training's newest values (None: the document's)
    metrics: EpochMetrics | None = None  # a running training's newest metrics (None: measure)
    epochs: int = 0  # epochs trained in this history
    run_ended: str | None = None  # the stop reason of a run that ended since the step began
    recall: tuple[str, int | None] | None = None  # (verdict, pattern index) of a recall since then
    start: dict[str, float | None] = field(default_factory=dict)  # values when the step began
    chosen: Sequence[float] | None = None  # the input row the learner typed on the lesson panel


def document_values(doc: Document) -> dict[str, float | None]:
    """Every weight and bias of a document by id: what ``weights_changed`` compares."""
    return {**{f"w:{c.id}": c.weight for c in doc.connections.values()},
            **{f"b:{n.id}": n.bias for n in doc.neurons.values()}}


class Probe:
    """Measures an observation once, lazily: metrics and neuron values are computed when asked."""

    def __init__(self, obs: Observation) -> None:
        self.obs = obs
        self._metrics: EpochMetrics | None = obs.metrics
        self._measured = obs.metrics is not None
        self._net: tuple[Any, Any, TrainedValues] | None = None

    @property
    def measured(self) -> bool:
        """Whether ``metrics`` was computed (or given): the app caches what it measured."""
        return self._measured

    def metrics(self) -> EpochMetrics | None:
        """Loss and scores of the network on its data; None when it cannot train (it says why
        elsewhere: the window's problems label)."""
        if not self._measured:
            self._measured = True
            try:
                prepared = build.prepare_training(self.obs.doc)
                with np.errstate(all="ignore"):
                    self._metrics = prepared.session.evaluate()
            except (EngineError, DocumentError):
                self._metrics = None
        return self._metrics

    def _network(self) -> tuple[Any, Any, TrainedValues]:
        if self._net is None:
            compiled = compile_network(self.obs.doc)
            learner = build.build_learner(self.obs.doc, compiled)
            if self.obs.values is not None and isinstance(learner, MLP):
                learner.set_values(self.obs.values)
            self._net = (compiled, learner, learner.trained_values())
        return self._net

    def values(self) -> tuple[dict[str, float], dict[str, float]]:
        """(weight by connection id, bias by neuron id) as the network uses them now: values the
        file leaves null are the ones the seed draws."""
        compiled, _, values = self._network()
        weights = dict(zip(compiled.edge_ids, values.weights, strict=True))
        biases = {nid: b for nid, b in zip(compiled.node_ids, values.biases, strict=True)
                  if b is not None}
        return weights, biases

    def neuron(self, nid: str, inputs: Sequence[float]) -> tuple[float, float]:
        """(weighted sum z, output a) of one neuron for one input row."""
        compiled, learner, _ = self._network()
        X = np.asarray([inputs], dtype=float)
        with np.errstate(all="ignore"):
            if isinstance(learner, MLP):
                outputs = learner.node_outputs(X)[0]
            else:  # a perceptron: inputs, constants and its threshold outputs
                spec = compiled.spec
                outputs = np.ones(len(spec.nodes))
                outputs[spec.input_indices] = X[0]
                outputs[spec.output_indices] = learner.forward(X)[0]
        index = {n: k for k, n in enumerate(compiled.node_ids)}
        weights, biases = self.values()
        doc = self.obs.doc
        z = biases.get(nid, 0.0) + sum(weights[c.id] * outputs[index[c.source]]
                                       for c in doc.incoming(nid))
        return float(z), float(outputs[index[nid]])

    def pattern(self, name: str) -> int | None:
        h = self.obs.doc.hopfield
        if h is None:
            return None
        known = [pattern_name(h, k) for k in range(len(h.patterns))]
        return known.index(name) if name in known else None


def number(value: float | None, digits: int = 6) -> str:
    """How lessons show a number: significant digits, a real minus sign."""
    if value is None or not np.isfinite(value):
        return "—"
    return f"{value:.{digits}g}".replace("-", "−")


def setting_value(doc: Document, name: str) -> Any:
    """A training setting's value by its declared name (read from the record, never getattr)."""
    return dataclasses.asdict(doc.training)[name]


def wire_id(doc: Document, wire: str) -> str | None:
    """The connection id of 'source>target', or None."""
    source, _, target = wire.partition(">")
    for c in doc.outgoing(source):
        if c.target == target:
            return c.id
    return None


# -- checks --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckKind:
    """One kind of check: its parameters, its sentence, and how it measures (ticked, now)."""

    name: str
    params: Mapping[str, Param]
    describe: Callable[[dict], str]
    evaluate: Callable[[Probe, dict], tuple[bool, str]]
    help: str
    asks_input: bool = False  # the panel offers one box per input neuron for the learner's row


def _score(p: Probe, side: str) -> float | None:
    m = p.metrics()
    return None if m is None else (m.train_score if side == "train" else m.test_score)


def _loss(p: Probe) -> float | None:
    m = p.metrics()
    return None if m is None else m.train_loss


def _compare(value: float | None, ok: Callable[[float], bool], digits: int = 6,
             percent: bool = False) -> tuple[bool, str]:
    if value is None or not np.isfinite(value):
        return False, "not measured yet"
    shown = f"{number(100 * value, 4)} %" if percent else number(value, digits)
    return bool(ok(value)), f"now {shown}"


def _output(p: Probe, a: dict) -> float:
    return p.neuron(a["neuron"], a["input"])[1]


def _wire_value(p: Probe, a: dict) -> float:
    return p.values()[0][wire_id(p.obs.doc, a["wire"])]


def _found(p: Probe, a: dict) -> tuple[bool, str]:
    row = p.obs.chosen
    if row is None:
        return False, "type an input row on the panel"
    output = p.neuron(a["neuron"], row)[1]
    shown = ", ".join(number(v) for v in row)
    return output > a["value"], f"now {number(output, 8)} for ({shown})"


def _changed(p: Probe, _: dict) -> tuple[bool, str]:
    now = document_values(p.obs.doc)
    if p.obs.values is not None:  # a running training: its newest values count
        weights, biases = p.values()
        now.update({f"w:{k}": v for k, v in weights.items()})
        now.update({f"b:{k}": v for k, v in biases.items()})
    changed = sum(1 for k, v in now.items() if k in p.obs.start and p.obs.start[k] != v)
    return changed > 0, f"{changed} changed"


def _recalled(p: Probe, a: dict) -> tuple[bool, str]:
    rec = p.obs.recall
    if rec is None:
        return False, "no recall yet"
    verdict, index = rec
    target = p.pattern(a["pattern"])
    if verdict == "pattern" and index == target:
        return True, f"recalled {a['pattern']}"
    h = p.obs.doc.hopfield
    got = pattern_name(h, index) if h is not None and index is not None else ""
    return False, f"last recall: {verdict.replace('_', ' ')} {got}".strip()


def _setting_is(p: Probe, a: dict) -> tuple[bool, str]:
    now = setting_value(p.obs.doc, a["name"])
    return now == BY_NAME[a["name"]].coerce(a["value"]), f"now {now}"


def _between(a: dict) -> Callable[[float], bool]:
    return lambda v: a["low"] <= v <= a["high"]


CHECKS: dict[str, CheckKind] = {k.name: k for k in (
    CheckKind("loss_below", {"value": Param("number")},
              lambda a: f"Loss below {number(a['value'])}",
              lambda p, a: _compare(_loss(p), lambda v: v < a["value"]),
              "the training loss (the project's loss function) is below value"),
    CheckKind("accuracy_at_least", {"value": Param("fraction"), "on": Param("side", True, "train")},
              lambda a: f"{a['on'].title()} accuracy at least {number(100 * a['value'], 4)} %",
              lambda p, a: _compare(_score(p, a["on"]), lambda v: v >= a["value"] - 1e-12,
                                    percent=True),
              "the share of correctly classified samples of the training (or test) data"),
    CheckKind("epochs_at_least", {"value": Param("count")},
              lambda a: f"Trained at least {a['value']:,} epochs",
              lambda p, a: (p.obs.epochs >= a["value"], f"now {p.obs.epochs:,}"),
              "epochs trained since the project was opened or reset"),
    CheckKind("neuron_output_above",
              {"neuron": Param("neuron"), "input": Param("inputs"), "value": Param("number")},
              lambda a: f"{a['neuron']} outputs more than {number(a['value'])} for "
                        f"({', '.join(number(v) for v in a['input'])})",
              lambda p, a: _compare(_output(p, a), lambda v: v > a["value"], 8),
              "the neuron's output for the given input row"),
    CheckKind("neuron_output_below",
              {"neuron": Param("neuron"), "input": Param("inputs"), "value": Param("number")},
              lambda a: f"{a['neuron']} outputs less than {number(a['value'])} for "
                        f"({', '.join(number(v) for v in a['input'])})",
              lambda p, a: _compare(_output(p, a), lambda v: v < a["value"], 8),
              "the neuron's output for the given input row"),
    CheckKind("find_input", {"neuron": Param("neuron"), "value": Param("number")},
              lambda a: f"Find an input for which {a['neuron']} outputs more than "
                        f"{number(a['value'])}",
              _found,
              "the neuron's output for the input row the learner types on the lesson panel",
              asks_input=True),
    CheckKind("weight_between",
              {"wire": Param("wire"), "low": Param("number"), "high": Param("number")},
              lambda a: f"Weight {a['wire'].replace('>', '→')} between {number(a['low'])} and "
                        f"{number(a['high'])}",
              lambda p, a: _compare(_wire_value(p, a), _between(a)),
              "the wire's weight lies in [low, high]"),
    CheckKind("bias_between",
              {"neuron": Param("neuron"), "low": Param("number"), "high": Param("number")},
              lambda a: f"Bias of {a['neuron']} between {number(a['low'])} and {number(a['high'])}",
              lambda p, a: _compare(p.values()[1].get(a["neuron"]), _between(a)),
              "the neuron's bias lies in [low, high]"),
    CheckKind("run_ended", {"reason": Param("reason")},
              lambda a: {"converged": "A run converged", "not_separable":
                         "A run ended: not linearly separable", "diverged": "A run diverged"}.get(
                             a["reason"], f"A run ended: {a['reason'].replace('_', ' ')}"),
              lambda p, a: (p.obs.run_ended == a["reason"],
                            f"last run: {(p.obs.run_ended or 'none yet').replace('_', ' ')}"),
              "a training run ended, since this step began, for this reason"),
    CheckKind("mode_is", {"mode": Param("mode")},
              lambda a: f"The network is in {a['mode']} mode",
              lambda p, a: (p.obs.doc.mode == a["mode"], f"now {p.obs.doc.mode}"),
              "the document's mode"),
    CheckKind("weights_changed", {},
              lambda a: "A weight or bias changed",
              _changed,
              "any weight or bias differs from its value when the step began"),
    CheckKind("recalls_pattern", {"pattern": Param("pattern")},
              lambda a: f"A recall ended in pattern {a['pattern']}",
              _recalled,
              "a Hopfield recall, since this step began, settled exactly in the pattern"),
    CheckKind("setting_is", {"name": Param("setting"), "value": Param("setting_value")},
              lambda a: f"{BY_NAME[a['name']].label} is {a['value']}",
              _setting_is,
              "a training setting has this value (checked by the setting's own declaration)"),
)}


# -- placeholders in step texts --------------------------------------------------------------------
@dataclass(frozen=True)
class Placeholder:
    name: str
    arg: str | None  # the parameter kind of the text after the colon, None: no argument
    value: Callable[[Probe, Any], str]
    help: str


def _metric(pick: Callable[[EpochMetrics], float | None], scale: float = 1.0, digits: int = 6
            ) -> Callable[[Probe, Any], str]:
    def value(p: Probe, _: Any) -> str:
        m = p.metrics()
        v = None if m is None else pick(m)
        return number(None if v is None else scale * v, digits)
    return value


PLACEHOLDERS: dict[str, Placeholder] = {k.name: k for k in (
    Placeholder("loss", None, _metric(lambda m: m.train_loss), "the training loss"),
    Placeholder("accuracy", None, _metric(lambda m: m.train_score, 100, 4),
                "training accuracy in per cent"),
    Placeholder("test_accuracy", None, _metric(lambda m: m.test_score, 100, 4),
                "test accuracy in per cent"),
    Placeholder("epochs", None, lambda p, _: f"{p.obs.epochs:,}", "epochs trained"),
    Placeholder("output", "neuron@inputs", lambda p, a: number(p.neuron(*a)[1], 8),
                "a neuron's output for an input row, e.g. {output:o1@1,0,0}"),
    Placeholder("sum", "neuron@inputs", lambda p, a: number(p.neuron(*a)[0]),
                "a neuron's weighted sum z = Σ w·x + b for an input row"),
    Placeholder("weight", "wire", lambda p, a: number(p.values()[0][wire_id(p.obs.doc, a)]),
                "a wire's weight, e.g. {weight:x1>o1}"),
    Placeholder("bias", "neuron", lambda p, a: number(p.values()[1].get(a, 0.0)),
                "a neuron's bias"),
    Placeholder("setting", "setting", lambda p, a: str(setting_value(p.obs.doc, a)),
                "a training setting's value, e.g. {setting:learning_rate}"),
    Placeholder("patterns", None,
                lambda p, _: str(len(p.obs.doc.hopfield.patterns) if p.obs.doc.hopfield else 0),
                "how many patterns the Hopfield memory stores"),
    Placeholder("units", None,
                lambda p, _: str(int(np.prod(p.obs.doc.hopfield.shape)) if p.obs.doc.hopfield else 0),
                "how many units the Hopfield memory has"),
)}
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([^{}]*))?\}")


def placeholder_arg(name: str, text: str | None) -> Any:
    """The parsed argument of a placeholder ('o1@1,0,0' → ('o1', [1.0, 0.0, 0.0]))."""
    if PLACEHOLDERS[name].arg == "neuron@inputs":
        nid, _, row = (text or "").partition("@")
        return nid, [float(v) for v in row.split(",")]
    return text


def fill(text: str, probe: Probe) -> str:
    """A step text with its placeholders replaced by the app's numbers (checked on load)."""
    def one(match: re.Match) -> str:
        name, arg = match.group(1), match.group(2)
        try:
            return PLACEHOLDERS[name].value(probe, placeholder_arg(name, arg))
        except (EngineError, DocumentError, KeyError, ValueError):
            return "—"  # the learner's edits made it unmeasurable (a deleted wire, a cycle)
    return PLACEHOLDER.sub(one, text)


# -- "try this" actions and hideable controls (the app maps each key to a handler / widget) --------
@dataclass(frozen=True)
class ActionKind:
    name: str
    params: Mapping[str, Param]
    label: Callable[[dict], str]


ACTIONS: dict[str, ActionKind] = {k.name: k for k in (
    ActionKind("play", {}, lambda a: "Play"),
    ActionKind("step_epoch", {}, lambda a: "Step one epoch"),
    ActionKind("step_sample", {}, lambda a: "Step one sample"),
    ActionKind("reset", {}, lambda a: "Reset (new random weights)"),
    ActionKind("reset_same", {}, lambda a: "Reset to the same initial weights"),
    ActionKind("set_setting", {"name": Param("setting"), "value": Param("setting_value")},
               lambda a: f"Set {BY_NAME[a['name']].label.lower()} to {a['value']}"),
    ActionKind("set_dataset", {"name": Param("dataset")}, lambda a: f"Use the {a['name']} data"),
    ActionKind("select", {"neuron": Param("neuron")}, lambda a: f"Select {a['neuron']}"),
    ActionKind("load_corrupted", {"pattern": Param("pattern")},
               lambda a: f"Load a corrupted {a['pattern']}"),
    ActionKind("recall", {}, lambda a: "Recall"),
)}
CONTROLS = {  # key → what it hides
    "palette": "the Neurons dock",
    "inspector": "the Inspector dock",
    "dataset": "the Data dock",
    "training": "the Training dock",
    "loss": "the Loss plot",
    "output": "the Output plot",
    "layer_builder": "the Layer Builder action",
    "step_epoch": "Step one Epoch",
    "step_sample": "Step one Sample",
    "reset": "both Reset actions",
}
