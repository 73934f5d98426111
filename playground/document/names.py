"""The names a project file may use: one place, checked by the file format and the validator.

They mirror the engine's registries; a test keeps the two in step.
"""

ACTIVATIONS = ("linear", "step", "sign", "sigmoid", "tanh", "relu", "softmax")
LOSSES = ("mse", "sse", "bce", "cce")
OPTIMIZERS = ("sgd", "momentum", "adam")
INITIALIZERS = ("zeros", "normal", "uniform01", "uniform_pm1", "xavier", "he")
MODES = ("perceptron", "mlp", "hopfield")
ROLES = ("input", "hidden", "output", "bias")
TASKS = ("binary", "multiclass", "regression")
HOPFIELD_RULES = ("hebbian", "storkey")
DATASETS = ("gate-and", "gate-or", "gate-nand", "gate-xor", "circle", "xor", "gauss", "spiral",
            "regression-plane", "regression-gauss", "nine-line", "two-layer", "height-weight",
            "line-fit", "digits", "iris")
