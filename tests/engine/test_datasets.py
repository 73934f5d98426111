"""Datasets: seeded, the right shapes, and TensorFlow Playground's distributions."""

from __future__ import annotations

import numpy as np
import pytest

from engine.datasets import DATASETS, make_dataset
from engine.errors import EngineError
from playground.paths import datasets_dir

DATA = datasets_dir()  # the files ship with the app; the engine is told where they are


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_is_seeded_and_shaped_as_registered(name: str) -> None:
    info = DATASETS[name]
    a, b = (make_dataset(name, seed=5, data_dir=DATA) for _ in range(2))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.Y_test, b.Y_test)
    assert a.X_train.shape[1] == a.X_test.shape[1] == info.n_inputs
    assert a.Y_train.shape[1] == info.n_outputs
    total = len(a.X_train) + len(a.X_test)
    if info.n_points is not None:
        assert total == info.n_points
    assert len(a.X_train) == round(total * info.train_fraction)
    assert np.isfinite(a.X_train).all() and np.isfinite(a.Y_train).all()


def test_tfp_circle_labels_inner_disc_and_ring_without_noise() -> None:
    d = make_dataset("circle", n_points=1000, noise=0.0, train_fraction=1.0, seed=1)
    r = np.hypot(d.X_train[:, 0], d.X_train[:, 1])
    assert ((r < 2.5) | ((r > 3.5) & (r < 5))).all()
    np.testing.assert_array_equal(d.Y_train[:, 0] == 1, r < 2.5)
    assert abs((r < 2.5).mean() - 0.5) < 0.01


def test_tfp_xor_is_padded_away_from_the_axes_and_labelled_by_quadrant() -> None:
    d = make_dataset("xor", n_points=2000, noise=0.0, train_fraction=1.0, seed=2)
    X = d.X_train
    assert (np.abs(X) >= 0.3).all() and (np.abs(X) <= 5.3).all()
    np.testing.assert_array_equal(d.Y_train[:, 0] == 1, X[:, 0] * X[:, 1] >= 0)


def test_tfp_gauss_variance_grows_with_noise() -> None:
    for noise in (0.0, 0.5):
        d = make_dataset("gauss", n_points=20000, noise=noise, train_fraction=1.0, seed=3)
        pos = d.X_train[d.Y_train[:, 0] == 1]
        np.testing.assert_allclose(pos.mean(axis=0), [2, 2], atol=0.1)
        np.testing.assert_allclose(pos.var(axis=0), [0.5 + 7 * noise] * 2, rtol=0.05)


def test_tfp_spiral_arms_follow_the_formula_without_noise() -> None:
    d = make_dataset("spiral", n_points=200, noise=0.0, train_fraction=1.0, seed=0)
    X, y = d.X_train, d.Y_train[:, 0]
    arm = X[y == 1]
    r = np.hypot(arm[:, 0], arm[:, 1])
    t = np.arctan2(arm[:, 0], arm[:, 1]) % (2 * np.pi)  # point is (r sin t, r cos t)
    i = np.rint(r / 5 * 100).astype(int)
    np.testing.assert_allclose(np.sort(r), np.arange(100) / 100 * 5, atol=1e-12)
    expected = (1.75 * i / 100 * 2 * np.pi) % (2 * np.pi)
    diff = np.abs((t - expected + np.pi) % (2 * np.pi) - np.pi)
    assert (diff[r > 0] < 1e-9).all()


def test_tfp_regression_plane_and_multi_gauss_targets() -> None:
    d = make_dataset("regression-plane", noise=0.0, train_fraction=1.0, seed=4)
    np.testing.assert_allclose(d.Y_train[:, 0], d.X_train.sum(axis=1) / 10)
    assert len(d.X_train) == 1200
    g = make_dataset("regression-gauss", noise=0.0, train_fraction=1.0, seed=4)
    near = np.hypot(g.X_train[:, 0] + 4, g.X_train[:, 1] - 2.5) < 0.5  # the (−4, 2.5, +) bump
    assert (g.Y_train[near, 0] > 0.7).all()
    assert (np.abs(g.Y_train) <= 1).all()


def test_tutorial_tables_and_line_fit() -> None:
    hw = make_dataset("height-weight")
    np.testing.assert_array_equal(hw.X_train, [[-2, -1], [25, 6], [17, 4], [-15, -6]])
    np.testing.assert_array_equal(hw.Y_train[:, 0], [1, 0, 0, 1])  # female = 1
    line = make_dataset("line-fit", seed=0)
    x, y = line.X_train[:, 0], line.Y_train[:, 0]
    np.testing.assert_allclose(x, np.linspace(-1, 1, 100))
    slope, intercept = np.polyfit(x, y, 1)
    assert abs(slope - 2) < 0.2 and abs(intercept - 1) < 0.15


def test_digits_and_iris_come_from_the_shipped_files() -> None:
    digits = make_dataset("digits", seed=0, data_dir=DATA)
    assert len(digits.X_train) + len(digits.X_test) == 1797
    assert digits.X_train.min() >= 0 and digits.X_train.max() <= 1  # scaled to [0, 1]
    assert (digits.Y_train.sum(axis=1) == 1).all()
    iris = make_dataset("iris", seed=0, data_dir=DATA)
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert len(iris.X_train) + len(iris.X_test) == 150


def test_bad_parameters_are_refused_by_name() -> None:
    with pytest.raises(EngineError, match="noise"):
        make_dataset("circle", noise=0.9)
    with pytest.raises(EngineError, match=r"unknown|known"):
        make_dataset("moons")
    with pytest.raises(EngineError, match="training share"):
        make_dataset("circle", train_fraction=0)
