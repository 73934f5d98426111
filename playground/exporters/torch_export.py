"""The network as PyTorch code: a readable ``model.py`` (an ``nn.Module``) and its weights as
``safetensors``, written from numpy without torch.

Every stage is a ``MaskedLinear``: an ``nn.Linear`` whose mask of existing wires is a registered
buffer multiplied into the weight in ``forward``, so missing wires stay exactly zero however the
user keeps training. Parameters are float64 so the module reproduces the playground's numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from engine.atomic import write_atomic, write_text_atomic
from playground.exporters.activation_map import ACTIVATION_EXPORTS
from playground.exporters.extras import require
from playground.exporters.ir import FEATURE_FORMS, INPUT, NetworkIR
from playground.exporters.script_export import docstring_text

HEADER = '''"""{title}: a network exported from nn-playground {version} as a PyTorch module.

    from {module} import load
    model = load()                      # weights from {module}.safetensors beside this file
    y = model(torch.tensor([[{example}]], dtype=torch.float64))

Inputs: {inputs}. Outputs: {outputs}.
"""

from pathlib import Path

import torch
from safetensors.torch import load_file
from torch import nn

INPUTS = {input_list!r}
OUTPUTS = {output_list!r}


class MaskedLinear(nn.Linear):
    """nn.Linear whose missing wires stay zero: the mask (a buffer, not trained) gates the weight."""

    def __init__(self, in_features, out_features):
        super().__init__(in_features, out_features, dtype=torch.float64)
        self.register_buffer("mask", torch.ones(out_features, in_features, dtype=torch.float64))

    def forward(self, x):
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
{scaling_buffers}{layers}
    def forward(self, {input}):
{scaling}{body}


def load(path=None):
    """The model with its trained weights (default: the .safetensors file next to this one)."""
    model = Model()
    model.load_state_dict(load_file(str(path or Path(__file__).with_suffix(".safetensors"))))
    return model
'''

Z = re.compile(r"\bz\b")


def module_source(ir: NetworkIR, module: str = "model") -> str:
    """The text of ``model.py``."""
    layers = "".join(f"        self.{s.name} = MaskedLinear({s.weight.shape[1]}, {s.weight.shape[0]})  "
                     f"# {', '.join(s.units)}\n" for s in ir.stages)
    body = []
    for s in ir.stages:
        a = s.sources[0] if len(s.sources) == 1 else f"torch.cat([{', '.join(s.sources)}], dim=1)"
        expression = ACTIVATION_EXPORTS[s.activation].torch
        if len(s.sources) == 1 and len(Z.findall(expression)) == 1:
            expression = Z.sub(f"self.{s.name}({a})", expression)
        else:  # a skip link's concatenation, or an expression that reads z twice: name z first
            body.append(f"        z = self.{s.name}({a})")
        body.append(f"        {s.name} = {expression}  # {s.activation}")
    out = ir.outputs[0] if len(ir.outputs) == 1 else f"torch.cat([{', '.join(ir.outputs)}], dim=1)"
    body.append(f"        return {out}" + ("" if ir.order is None else f"[:, {list(ir.order)}]"))
    scaling_buffers = "".join(
        f'        self.register_buffer("scale{k}_{part}", '
        f'torch.{fill}({len(p.offset)}, dtype=torch.float64))\n'
        for k, p in enumerate(ir.preprocess) for part, fill in (("offset", "zeros"), ("factor", "ones")))
    scaling = "".join(f"        {INPUT} = ({INPUT} - self.scale{k}_offset) * self.scale{k}_factor\n"
                      for k in range(len(ir.preprocess)))
    if ir.features:  # feature inputs appended to the raw columns, before any scaling
        derived = [f"{INPUT}[:, {i}:{i + 1}] * {INPUT}[:, {j}:{j + 1}]" if op == "mul"
                   else f"torch.sin({INPUT}[:, {i}:{i + 1}])"
                   for op, i, j in (FEATURE_FORMS[name] for name in ir.features)]
        scaling = (f"        {INPUT} = torch.cat([{INPUT}, {', '.join(derived)}], dim=1)  "
                   f"# {', '.join(ir.features)}\n" + scaling)
    return HEADER.format(
        title=docstring_text(ir.title or "Network"), version=ir.version, module=module,
        example=", ".join(["0.0"] * len(ir.input_names)), inputs=", ".join(ir.input_names),
        outputs=", ".join(ir.output_names), input_list=list(ir.input_names),
        output_list=list(ir.output_names), layers=layers, body="\n".join(body), input=INPUT,
        scaling_buffers=scaling_buffers, scaling=scaling)


def state_dict(ir: NetworkIR) -> dict[str, np.ndarray]:
    """The module's state as numpy arrays, under the names ``Model`` gives them."""
    tensors: dict[str, np.ndarray] = {}
    for k, p in enumerate(ir.preprocess):
        tensors[f"scale{k}_offset"] = np.asarray(p.offset, np.float64)
        tensors[f"scale{k}_factor"] = np.asarray(p.factor, np.float64)
    for s in ir.stages:
        tensors[f"{s.name}.weight"] = np.ascontiguousarray(s.weight, np.float64)
        tensors[f"{s.name}.bias"] = np.ascontiguousarray(s.bias, np.float64)
        tensors[f"{s.name}.mask"] = s.mask.astype(np.float64)
    return tensors


def write_torch(ir: NetworkIR, path: Path) -> list[Path]:
    """``NAME.safetensors`` (the weights) and ``NAME.py`` (the module) side by side."""
    safetensors = require("safetensors.numpy", "PyTorch export")
    data = safetensors.save(state_dict(ir), metadata={"title": ir.title, "app_version": ir.version})
    code = path.with_suffix(".py")
    write_atomic(path, lambda fh: fh.write(data))
    write_text_atomic(code, module_source(ir, module=code.stem))
    return [path, code]
