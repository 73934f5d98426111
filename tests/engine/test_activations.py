"""The activation registry: every record's derivative, range and flags, checked against numbers
computed another way; unknown names are refused through the one lookup."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.activations import (
    ACTIVATIONS,
    get_activation,
    hidden_activations,
    output_range,
    softmax_backward,
    threshold_activations,
)
from engine.datasets import get_info
from engine.errors import EngineError
from engine.initializers import get_initializer
from engine.losses import get_loss
from engine.registry import lookup

# 0, the kinks' neighbourhoods, moderate and large |z| (where naive formulas overflow)
Z = np.array([-60.0, -30.0, -12.0, -3.0, -1.2785, -1.0, -0.3, -1e-3, 0.0, 1e-3, 0.3, 1.0, 2.5,
              7.0, 30.0, 60.0])
ELEMENTWISE = [a for a in ACTIVATIONS.values() if a.differentiable and a.jacobian_backward is None]


@pytest.mark.parametrize("act", ELEMENTWISE, ids=lambda a: a.name)
def test_derivative_matches_finite_differences_from_zero_to_large_z(act) -> None:
    h = 1e-6
    z = Z.reshape(1, -1)
    got = act.derivative(z, act.forward(z))[0]
    up, mid, down = act.forward(z + h)[0], act.forward(z)[0], act.forward(z - h)[0]
    central, right, left = (up - down) / (2 * h), (up - mid) / h, (mid - down) / h
    for k, zk in enumerate(Z):
        if abs(right[k] - left[k]) > 1e-3:  # a kink (relu, leaky_relu at 0): one side's slope
            assert min(abs(got[k] - right[k]), abs(got[k] - left[k])) < 1e-4, (act.name, zk)
        else:
            assert got[k] == pytest.approx(central[k], rel=1e-5, abs=1e-7), (act.name, zk)


@pytest.mark.parametrize("act", ACTIVATIONS.values(), ids=lambda a: a.name)
def test_outputs_stay_in_the_declared_range_and_are_finite(act) -> None:
    z = np.linspace(-800.0, 800.0, 4001).reshape(-1, 1)
    z = np.hstack([z, -z, np.zeros_like(z)])  # softmax needs rows of several units
    a = act.forward(z)
    lo, hi = act.output_range
    assert np.isfinite(a).all()
    assert a.min() >= lo - 1e-12 and a.max() <= hi + 1e-12
    if act.bounded:  # a bounded range is tight: plots colour by it
        assert a.min() <= lo + 1e-3 and a.max() >= hi - 1e-3
        assert output_range(act.name) == (lo, hi)
    else:
        assert output_range(act.name) is None


def test_the_new_activations_compute_their_textbook_formulas() -> None:
    z = np.array([[-5.0, -0.5, 0.0, 0.5, 5.0]])
    sig = 1.0 / (1.0 + np.exp(-z))
    expected = {
        "leaky_relu": np.where(z > 0, z, 0.01 * z),
        "elu": np.where(z > 0, z, np.exp(z) - 1.0),
        "softplus": np.log(1.0 + np.exp(z)),
        "swish": z * sig,
        "gaussian": np.exp(-z ** 2),
        "sine": np.sin(z),
    }
    for name, want in expected.items():
        np.testing.assert_allclose(get_activation(name).forward(z), want, rtol=1e-12, atol=1e-15)
    big = get_activation("softplus").forward(np.array([[1000.0, -1000.0]]))
    assert big[0, 0] == 1000.0 and big[0, 1] == 0.0  # no overflow, no log(0)
    tiny = get_activation("softplus").forward(np.array([[-40.0]]))
    assert tiny[0, 0] == pytest.approx(math.exp(-40.0), rel=1e-12)  # log1p keeps the digits


def test_softmax_backward_is_the_jacobian_vector_product() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 3))
    g = rng.normal(size=(4, 3))
    soft = get_activation("softmax")
    a = soft.forward(z)
    for r in range(4):
        jac = np.diag(a[r]) - np.outer(a[r], a[r])
        np.testing.assert_allclose(soft.backward(z, a, g)[r], jac @ g[r], rtol=1e-12)
    np.testing.assert_array_equal(soft.backward(z, a, g), softmax_backward(a, g))


def test_queries_of_the_registry_replace_the_old_name_lists() -> None:
    assert threshold_activations() == ["step", "sign"]
    assert "softmax" not in hidden_activations() and "step" not in hidden_activations()
    assert {"leaky_relu", "elu", "softplus", "swish", "gaussian", "sine"} <= set(hidden_activations())
    assert [a.name for a in ACTIVATIONS.values() if a.output_only] == ["softmax"]
    assert output_range("tanh") == (-1.0, 1.0) and output_range("relu") is None
    assert output_range("no-such") is None


@pytest.mark.parametrize(("get", "kind", "known"), [
    (get_activation, "activation", "linear"),
    (get_loss, "loss", "mse"),
    (get_initializer, "initialiser", "xavier"),
    (get_info, "dataset", "xor"),
])
def test_every_getter_refuses_an_unknown_name_with_the_known_ones(get, kind, known) -> None:
    with pytest.raises(EngineError, match=rf"^unknown {kind} 'foo' \(known: .*{known}.*\)$"):
        get("foo")
    with pytest.raises(EngineError, match=rf"^unknown {kind} \[1\]"):  # unhashable, from a file
        get([1])


def test_lookup_lists_the_registry_in_order() -> None:
    with pytest.raises(EngineError) as err:
        lookup({"a": 1, "b": 2}, "colour", "c")
    assert str(err.value) == "unknown colour 'c' (known: a, b)"
    assert lookup({"a": 1}, "colour", "a") == 1
