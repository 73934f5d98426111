"""Weight export round-trips through .npz (no pickle) and JSON; decision grids are row-major."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import EngineError
from engine.export import layered, predict, write_export
from engine.export_reader import read_export
from engine.grid import decision_grid, grid_points, neuron_grids
from engine.mlp import MLP
from engine.spec import Edge, NetworkSpec, Node


def skip_net() -> MLP:
    nodes = (Node("input", name="x1"), Node("input", name="x2"), Node("constant", name="b"),
             Node("unit", "tanh", name="h1"), Node("unit", "relu", name="h2"),
             Node("unit", "sigmoid", is_output=True, name="o"))
    edges = (Edge(0, 3), Edge(1, 3), Edge(2, 4), Edge(3, 4), Edge(1, 4), Edge(4, 5), Edge(0, 5))
    return MLP.from_spec(NetworkSpec(nodes, edges), rng=np.random.default_rng(4), init=("normal", "normal"))


@pytest.mark.parametrize("suffix", [".npz", ".json"])
def test_export_round_trip_predicts_like_the_engine(tmp_path, suffix: str) -> None:
    mlp = skip_net()
    data = layered(mlp.spec, mlp.trained_values(), [f"c{k}" for k in range(7)])
    path = tmp_path / f"w{suffix}"
    write_export(data, path)
    back = read_export(path)
    X = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_allclose(predict(back, X), mlp.forward(X), rtol=0, atol=1e-15)
    assert [c["id"] for c in back["connections"]] == [f"c{k}" for k in range(7)]
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as npz:
            assert all(npz[k].dtype != object for k in npz.files)


def test_export_refuses_other_suffixes_and_pickled_npz(tmp_path) -> None:
    with pytest.raises(EngineError, match=r"\.json or \.npz"):
        write_export({}, tmp_path / "w.pkl")
    evil = tmp_path / "evil.npz"
    np.savez(evil, header=np.array([{"a": 1}], dtype=object))
    with pytest.raises(EngineError, match="cannot read"):
        read_export(evil)


def test_decision_grid_is_one_row_major_pass_matching_pointwise_forward() -> None:
    mlp = skip_net()
    grid = decision_grid(mlp, (-1.0, 1.0), (-2.0, 2.0), n=9)
    assert grid.shape == (1, 9, 9)
    # row index follows y, column index x
    point = np.array([[np.linspace(-1, 1, 9)[2], np.linspace(-2, 2, 9)[7]]])
    assert grid.dtype == np.float32  # a picture: float32 is 4× cheaper in tanh and looks the same
    assert grid[0, 7, 2] == pytest.approx(mlp.forward(point)[0, 0], abs=1e-6)
    exact = decision_grid(mlp, (-1.0, 1.0), (-2.0, 2.0), n=9, dtype=np.float64)
    assert exact[0, 7, 2] == pytest.approx(mlp.forward(point)[0, 0], abs=1e-15)
    np.testing.assert_allclose(grid, exact, atol=1e-6)
    assert grid_points((0, 1), (0, 1), 3).shape == (9, 2)
    per_neuron = neuron_grids(mlp, (-1.0, 1.0), (-2.0, 2.0), n=9)
    assert per_neuron.shape == (6, 9, 9)  # one map per node, in spec order
    np.testing.assert_allclose(per_neuron[5], grid[0], atol=1e-15)  # the output node's own map
