"""PyTorch and scikit-learn doing the engine bench's MLP workloads, when they happen to be installed.

They are not dependencies of the playground: a peer whose import fails is skipped quietly. Each
does what the floor does — same layer sizes, tanh/logistic hidden units, sigmoid+BCE or
softmax+CCE output, plain SGD at lr 0.1, float64, one thread — through its own public API.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

Step = Callable[[], object]


def _sklearn_classifier(sizes: list[int], hidden: str, batch: int) -> object:
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]),
                         activation="tanh" if hidden == "tanh" else "logistic", solver="sgd",
                         learning_rate_init=0.1, momentum=0.0, nesterovs_momentum=False,
                         alpha=0.0, batch_size=batch, shuffle=False, random_state=0)


def _labels(Y: np.ndarray) -> np.ndarray:
    """Class labels as scikit-learn and PyTorch's cross-entropy want them."""
    return Y.argmax(axis=1) if Y.shape[1] > 1 else Y[:, 0]


def sklearn_training(sizes: list[int], hidden: str, output: str, X: np.ndarray, Y: np.ndarray,
                     batch: int | None) -> Step:
    """One `partial_fit` = one pass over X in batches: one step for full batch, like the floor."""
    clf = _sklearn_classifier(sizes, hidden, batch or len(X))
    y = _labels(Y)
    clf.partial_fit(X, y, classes=np.unique(y))
    return lambda: clf.partial_fit(X, y)


def _torch_net(sizes: list[int], hidden: str) -> object:
    import torch

    torch.set_num_threads(1)
    layers: list[torch.nn.Module] = []
    for k, (a, b) in enumerate(pairwise(sizes)):
        layers.append(torch.nn.Linear(a, b, dtype=torch.float64))
        if k < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def torch_training(sizes: list[int], hidden: str, output: str, X: np.ndarray, Y: np.ndarray,
                   batch: int | None) -> Step:
    import torch

    net = _torch_net(sizes, hidden)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    softmax = output == "softmax"
    loss_fn = torch.nn.CrossEntropyLoss() if softmax else torch.nn.BCEWithLogitsLoss()
    Xt = torch.from_numpy(X)
    Yt = torch.from_numpy(_labels(Y)) if softmax else torch.from_numpy(Y)
    size = batch or len(X)
    batches = [(Xt[s:s + size], Yt[s:s + size]) for s in range(0, len(X), size)]

    def step() -> None:
        for xb, yb in batches:
            opt.zero_grad()
            loss_fn(net(xb), yb).backward()
            opt.step()
    return step


def sklearn_grid(sizes: list[int], hidden: str, X: np.ndarray, Y: np.ndarray,
                 grid: np.ndarray) -> Step:
    clf = _sklearn_classifier(sizes, hidden, len(X))
    y = _labels(Y)
    clf.partial_fit(X, y, classes=np.unique(y))
    return lambda: clf.predict_proba(grid)


def torch_grid(sizes: list[int], hidden: str, X: np.ndarray, Y: np.ndarray,
               grid: np.ndarray) -> Step:
    import torch

    net = _torch_net(sizes, hidden)
    points = torch.from_numpy(grid)

    def forward() -> None:
        with torch.no_grad():
            torch.sigmoid(net(points))
    return forward


def available(makers: dict[str, Callable[..., Step]], *args: object) -> dict[str, Step]:
    """The peers that import here, each set up for the workload."""
    steps: dict[str, Step] = {}
    for name, make in makers.items():
        try:
            steps[name] = make(*args)
        except ImportError:
            continue
    return steps


TRAINING = {"torch": torch_training, "sklearn": sklearn_training}
GRID = {"torch": torch_grid, "sklearn": sklearn_grid}
