"""Tests of Activation and LeakyReLU (gluonic/ops/activation.py) against NumPy/SciPy."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import erf

import gluonic as mx

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)
# values kept away from 0, where relu-like functions have a kink
X = (RNG.uniform(0.2, 2.0, size=(2, 3, 4)) * np.where(RNG.rand(2, 3, 4) > 0.5, 1, -1)).astype(np.float32)

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "softrelu": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
}


def _ref(fn):
    return lambda x, *rest: fn(x.astype(np.float64)).astype(x.dtype)


@pytest.mark.parametrize("act_type", sorted(ACTIVATIONS))
def test_activation(act_type):
    check_op("Activation", [X], _ref(ACTIVATIONS[act_type]), {"act_type": act_type})


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
@pytest.mark.parametrize("act_type", sorted(ACTIVATIONS))
def test_activation_dtypes(act_type, dtype):
    tol = 2e-3 if dtype == np.float16 else 1e-12
    check_op("Activation", [X.astype(dtype)], _ref(ACTIVATIONS[act_type]), {"act_type": act_type},
             rtol=tol, atol=tol, grad=False)


def test_activation_alias_and_positional_attr():
    x = mx.nd.array(X)
    np.testing.assert_array_equal(mx.nd.activation(x, "tanh").asnumpy(),
                                  mx.nd.Activation(x, act_type="tanh").asnumpy())


def test_activation_bfloat16():
    y = mx.nd.Activation(mx.nd.array(X).astype("bfloat16"), act_type="sigmoid")
    assert y.dtype == mx.nd.array(X).astype("bfloat16").dtype
    np.testing.assert_allclose(y.astype("float32").asnumpy(), ACTIVATIONS["sigmoid"](X), atol=1e-2)


def test_activation_errors():
    check_op_error("Activation", [X], {"act_type": "swish"},
                   match=r"act_type.*\['relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'\].*Received: act_type='swish'")
    check_op_error("Activation", [X], {}, match="required argument 'act_type'")
    check_op_error("Activation", [X.astype(np.int32)], {"act_type": "relu"}, match="floating-point.*Received: int32",
                   error=TypeError)


# ------------------------------------------------------------------ LeakyReLU
def _leaky(x, slope=0.25):
    return np.where(x > 0, x, slope * x)


def _elu(x, slope=0.25):
    return np.where(x > 0, x, slope * np.expm1(x))


def _selu(x):
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))


def _gelu(x):
    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


@pytest.mark.parametrize("act_type, fn, attrs", [
    ("leaky", _leaky, {}),
    ("leaky", lambda x: _leaky(x, 0.1), {"slope": 0.1}),
    ("elu", _elu, {}),
    ("elu", lambda x: _elu(x, 1.0), {"slope": 1.0}),
    ("selu", _selu, {}),
    ("gelu", _gelu, {}),
])
def test_leaky_relu(act_type, fn, attrs):
    check_op("LeakyReLU", [X], _ref(fn), {"act_type": act_type, **attrs})


def test_leaky_relu_default_is_leaky_and_attr_order():
    x = mx.nd.array(X)
    np.testing.assert_allclose(mx.nd.LeakyReLU(x).asnumpy(), _leaky(X), rtol=1e-6)
    # MXNet's positional order: data, gamma, act_type, slope, lower_bound, upper_bound
    np.testing.assert_allclose(mx.nd.LeakyReLU(x, None, "leaky", 0.5).asnumpy(), _leaky(X, 0.5), rtol=1e-6)


def test_leaky_relu_float16():
    check_op("LeakyReLU", [X.astype(np.float16)], _ref(_gelu), {"act_type": "gelu"}, rtol=2e-3, atol=2e-3, grad=False)


@pytest.mark.parametrize("gamma_shape", [(3,), (1,)])
def test_prelu(gamma_shape):
    gamma = RNG.uniform(0.1, 0.9, size=gamma_shape).astype(np.float32)

    def ref(x, g):
        g = g.reshape(1, -1, 1) if g.size > 1 else g.reshape(())
        return np.where(x > 0, x, g * x).astype(x.dtype)

    check_op("LeakyReLU", [X, gamma], ref, {"act_type": "prelu"})


def test_prelu_1d_data_uses_axis_0():
    x = np.array([-1.0, -2.0, 3.0], dtype=np.float32)
    gamma = np.array([0.5, 0.25, 0.1], dtype=np.float32)
    check_op("LeakyReLU", [x, gamma], lambda x, g: np.where(x > 0, x, g * x).astype(x.dtype), {"act_type": "prelu"})


def test_rrelu_prediction_uses_mean_slope():
    out, mask = run("LeakyReLU", [X], {"act_type": "rrelu"})
    np.testing.assert_allclose(out.asnumpy(), _leaky(X, (0.125 + 0.334) / 2), rtol=1e-6)
    np.testing.assert_array_equal(mask.asnumpy(), np.zeros_like(X))
    check_op("LeakyReLU", [X], lambda x: (_leaky(x, 0.2).astype(x.dtype), np.zeros_like(x)),
             {"act_type": "rrelu", "lower_bound": 0.1, "upper_bound": 0.3}, grad=False)


def test_rrelu_training_draws_slopes_and_differentiates():
    x = mx.nd.array(X)
    x.attach_grad()
    with mx.autograd.record():
        out, mask = mx.nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.2, upper_bound=0.5)
    out.backward()
    m = mask.asnumpy()
    assert m.min() >= 0.2 and m.max() <= 0.5 and np.unique(m).size > 10
    np.testing.assert_allclose(out.asnumpy(), np.where(X > 0, X, X * m), rtol=1e-6)
    np.testing.assert_allclose(x.grad.asnumpy(), np.where(X > 0, 1.0, m), rtol=1e-6)


def test_leaky_relu_errors():
    check_op_error("LeakyReLU", [X], {"act_type": "swish"},
                   match=r"\['elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'\].*Received: act_type='swish'")
    check_op_error("LeakyReLU", [X], {"act_type": "prelu"}, match="needs the gamma input")
    check_op_error("LeakyReLU", [X, np.ones(4, np.float32)], {"act_type": "prelu"},
                   match=r"gamma must have shape \(1,\) or \(3,\).*Received: data\(2, 3, 4\), gamma\(4,\)")
    check_op_error("LeakyReLU", [X, np.ones(1, np.float32)], {"act_type": "leaky"}, match="only with act_type='prelu'")
    check_op_error("LeakyReLU", [X.astype(np.int64)], {}, match="floating-point", error=TypeError)
