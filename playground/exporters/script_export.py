"""The network as one stand-alone Python file: numpy only, weights embedded, ``predict(X)``.

``python model.py < rows.csv`` prints one CSV row of outputs per input row. Floats are written
with ``repr`` (exact round trip), so the script computes what the playground computes.
"""

from __future__ import annotations

from pathlib import Path

from engine.atomic import write_text_atomic
from playground.exporters.activation_map import ACTIVATION_EXPORTS
from playground.exporters.ir import FEATURE_FORMS, INPUT, NetworkIR

TEMPLATE = '''#!/usr/bin/env python3
"""{title}: a network exported from nn-playground {version} as plain numpy.

    from {module} import predict; predict([[{example}]])   # rows of {n_in} inputs → rows of {n_out} outputs
    python {module}.py < rows.csv                            # one CSV row of outputs per input row

Inputs: {inputs}. Outputs: {outputs}.
"""

import csv
import sys

import numpy as np

INPUTS = {input_list!r}
OUTPUTS = {output_list!r}

# Each stage: activation(concat(sources) @ weight.T + bias); weight is units × source columns,
# 0.0 where the drawn network has no wire.
STAGES = [
{stages}]
OUTPUT_SOURCES = {output_sources!r}
OUTPUT_ORDER = {order!r}  # columns of the concatenated output sources, in output order (None: as is)
FEATURES = {features!r}  # derived inputs appended first: ("mul", i, j) is x_i * x_j, ("sin", i, _) sin(x_i)
SCALING = {scaling!r}  # then (offset, factor) pairs: x' = (x - offset) * factor


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {{
{activations}}}


def predict(X):
    """Outputs (n × {n_out}) for rows of inputs (n × {n_in})."""
    x = np.asarray(X, dtype=np.float64).reshape(-1, len(INPUTS))
    if FEATURES:
        x = np.column_stack([x] + [x[:, i] * x[:, j] if op == "mul" else np.sin(x[:, i])
                                   for op, i, j in FEATURES])
    for offset, factor in SCALING:
        x = (x - np.array(offset)) * np.array(factor)
    tensors = {{"{input}": x}}
    for stage in STAGES:
        a = np.hstack([tensors[name] for name in stage["sources"]])
        z = a @ np.array(stage["weight"]).reshape(-1, a.shape[1]).T + np.array(stage["bias"])
        tensors[stage["name"]] = ACTIVATIONS[stage["activation"]](z)
    out = np.hstack([tensors[name] for name in OUTPUT_SOURCES])
    return out if OUTPUT_ORDER is None else out[:, OUTPUT_ORDER]


def main():
    rows = []
    for number, row in enumerate(csv.reader(sys.stdin), 1):
        if not row or not "".join(row).strip():
            continue
        try:
            rows.append([float(v) for v in row])
        except ValueError:
            if number == 1:
                continue  # a header line
            sys.exit(f"line {{number}}: expected numbers separated by commas")
        if len(rows[-1]) != len(INPUTS):
            sys.exit(f"line {{number}}: expected {{len(INPUTS)}} numbers, got {{len(rows[-1])}}")
    writer = csv.writer(sys.stdout, lineterminator="\\n")
    for out in predict(rows) if rows else []:
        writer.writerow([repr(float(v)) for v in out])


if __name__ == "__main__":
    main()
'''


def script_source(ir: NetworkIR, module: str = "model") -> str:
    """The text of the stand-alone script."""
    stages = "".join(
        f"    {{'name': {s.name!r}, 'activation': {s.activation!r}, 'units': {list(s.units)!r},\n"
        f"     'sources': {list(s.sources)!r},\n"
        f"     'weight': {s.weight.tolist()!r},\n"
        f"     'bias': {s.bias.tolist()!r}}},\n"
        for s in ir.stages)
    used = dict.fromkeys(s.activation for s in ir.stages)
    activations = "".join(f"    {name!r}: lambda z: {ACTIVATION_EXPORTS[name].numpy},\n" for name in used)
    return TEMPLATE.format(
        title=docstring_text(ir.title or "Network"), version=ir.version, module=module,
        example=", ".join(["0.0"] * len(ir.input_names)), n_in=len(ir.input_names),
        n_out=len(ir.output_names), inputs=", ".join(ir.input_names), outputs=", ".join(ir.output_names),
        input_list=list(ir.input_names), output_list=list(ir.output_names), stages=stages,
        output_sources=list(ir.outputs), order=None if ir.order is None else list(ir.order),
        scaling=[(p.offset.tolist(), p.factor.tolist()) for p in ir.preprocess],
        features=[FEATURE_FORMS[name] for name in ir.features],
        activations=activations, input=INPUT)


def docstring_text(text: str) -> str:
    """A title on one line that cannot end the docstring it is put in."""
    return " ".join(text.replace("\\", "/").replace('"', "'").split())


def write_script(ir: NetworkIR, path: Path) -> list[Path]:
    write_text_atomic(path, script_source(ir, module=path.stem))
    return [path]
