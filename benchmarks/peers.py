"""PyTorch and scikit-learn doing the engine bench's MLP workloads, when they happen to be installed.

They are not dependencies of the playground: a peer whose import fails is skipped quietly. Each
does what the floor does — same layer sizes, tanh/logistic hidden units, sigmoid+BCE or
softmax+CCE output, plain SGD at lr 0.1, the same dtype, one thread — through its own public API.
A training peer is a ``PeerStep``: callable for one timed step, and able to take and give its
weights as the floor's ``(out, in + 1)`` matrices (bias last), so the bench cross-checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np


class PeerStep:
    """One timed step of a peer, plus access to its weights for the cross-check."""

    def __init__(self, step: Callable[[], object], get: Callable[[], list[np.ndarray]],
                 put: Callable[[list[np.ndarray]], None]) -> None:
        self._step, self.get_weights, self.set_weights = step, get, put

    def __call__(self) -> object:
        return self._step()

    def save(self) -> list[np.ndarray]:
        return [w.copy() for w in self.get_weights()]

    def restore(self, saved: list[np.ndarray]) -> None:
        self.set_weights(saved)


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
                     batch: int | None, dtype: type = np.float64) -> PeerStep:
    """One `partial_fit` = one pass over X in batches: one step for full batch, like the floor."""
    if dtype != np.float64:
        raise ImportError("scikit-learn's MLP is compared in float64 only")
    clf = _sklearn_classifier(sizes, hidden, batch or len(X))
    y = _labels(Y)
    clf.partial_fit(X, y, classes=np.unique(y))

    def get() -> list[np.ndarray]:
        return [np.column_stack([c.T, b]) for c, b in zip(clf.coefs_, clf.intercepts_, strict=True)]

    def put(weights: list[np.ndarray]) -> None:
        for k, W in enumerate(weights):
            clf.coefs_[k][...] = W[:, :-1].T
            clf.intercepts_[k][...] = W[:, -1]
    return PeerStep(lambda: clf.partial_fit(X, y), get, put)


def _torch_net(sizes: list[int], hidden: str, dtype: type) -> object:
    import torch

    torch.set_num_threads(1)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    layers: list[torch.nn.Module] = []
    for k, (a, b) in enumerate(pairwise(sizes)):
        layers.append(torch.nn.Linear(a, b, dtype=tdtype))
        if k < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def _torch_access(net: object) -> tuple[Callable[[], list[np.ndarray]], Callable[[list[np.ndarray]], None]]:
    import torch

    linear = [m for m in net if isinstance(m, torch.nn.Linear)]

    def get() -> list[np.ndarray]:
        return [np.column_stack([m.weight.detach().numpy(), m.bias.detach().numpy()]) for m in linear]

    def put(weights: list[np.ndarray]) -> None:
        with torch.no_grad():
            for m, W in zip(linear, weights, strict=True):
                m.weight.copy_(torch.from_numpy(np.ascontiguousarray(W[:, :-1])))
                m.bias.copy_(torch.from_numpy(np.ascontiguousarray(W[:, -1])))
    return get, put


def torch_training(sizes: list[int], hidden: str, output: str, X: np.ndarray, Y: np.ndarray,
                   batch: int | None, dtype: type = np.float64) -> PeerStep:
    import torch

    net = _torch_net(sizes, hidden, dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    softmax = output == "softmax"
    loss_fn = torch.nn.CrossEntropyLoss() if softmax else torch.nn.BCEWithLogitsLoss()
    Xt = torch.from_numpy(np.array(X, dtype))
    Yt = torch.from_numpy(_labels(Y).astype(np.int64)) if softmax else torch.from_numpy(np.array(Y, dtype))
    size = batch or len(X)
    batches = [(Xt[s:s + size], Yt[s:s + size]) for s in range(0, len(X), size)]

    def step() -> None:
        for xb, yb in batches:
            opt.zero_grad()
            loss_fn(net(xb), yb).backward()
            opt.step()
    return PeerStep(step, *_torch_access(net))


def sklearn_grid(sizes: list[int], hidden: str, X: np.ndarray, Y: np.ndarray,
                 grid: np.ndarray, dtype: type = np.float64) -> Step:
    if dtype != np.float64:
        raise ImportError("scikit-learn's MLP is compared in float64 only")
    clf = _sklearn_classifier(sizes, hidden, len(X))
    y = _labels(Y)
    clf.partial_fit(X, y, classes=np.unique(y))
    return lambda: clf.predict_proba(grid)


def torch_grid(sizes: list[int], hidden: str, X: np.ndarray, Y: np.ndarray,
               grid: np.ndarray, dtype: type = np.float64) -> Step:
    import torch

    net = _torch_net(sizes, hidden, dtype)
    points = torch.from_numpy(np.array(grid, dtype))

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
