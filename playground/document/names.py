"""The names a project file may use, taken from the engine's registries (one source of truth)."""

from engine.activations import ACTIVATIONS as _ACTIVATIONS
from engine.datasets import DATASETS as _DATASETS
from engine.datasets.base import TASKS
from engine.hopfield import RULES as HOPFIELD_RULES
from engine.initializers import INITIALIZERS as _INITIALIZERS
from engine.losses import LOSSES as _LOSSES
from engine.optimizers import OPTIMIZERS as _OPTIMIZERS
from playground.document.roles import ROLES as _ROLES

ACTIVATIONS = tuple(_ACTIVATIONS)
LOSSES = tuple(_LOSSES)
OPTIMIZERS = tuple(_OPTIMIZERS)
INITIALIZERS = tuple(_INITIALIZERS)
DATASETS = tuple(_DATASETS)
MODES = ("perceptron", "mlp", "hopfield")
ROLES = tuple(_ROLES)

__all__ = ["ACTIVATIONS", "DATASETS", "HOPFIELD_RULES", "INITIALIZERS", "LOSSES", "MODES", "OPTIMIZERS",
           "ROLES", "TASKS"]
