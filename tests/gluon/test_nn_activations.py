"""Activation layers: formulas, gradients, parameters and reprs (MXNet 1.9.1 equality is checked
by the golden cases in test_nn_basic.py)."""
import math

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import ndarray as nd
from gluonic import symbol as sym
from gluonic.gluon import nn
from gluonic.test_utils import assert_almost_equal, check_numeric_gradient

_X = np.array([[-2.0, -0.5, -1e-3, 0.3, 1.7], [0.9, -1.2, 2.5, -3.0, 0.05]])
_ERF = np.vectorize(math.erf)
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


CASES = [
    ("leaky", lambda: nn.LeakyReLU(0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    ("leaky0", lambda: nn.LeakyReLU(0), lambda x: np.maximum(x, 0)),
    ("elu", lambda: nn.ELU(), lambda x: np.where(x > 0, x, np.expm1(x))),
    ("elu_alpha", lambda: nn.ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    ("selu", lambda: nn.SELU(), lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x))),
    ("gelu", lambda: nn.GELU(), lambda x: x * 0.5 * (1 + _ERF(x / np.sqrt(2)))),
    ("swish", lambda: nn.Swish(), lambda x: x * _sigmoid(x)),
    ("swish_beta", lambda: nn.Swish(beta=2.0), lambda x: x * _sigmoid(2.0 * x)),
    ("silu", lambda: nn.SiLU(), lambda x: x * _sigmoid(x)),
    ("relu", lambda: nn.Activation("relu"), lambda x: np.maximum(x, 0)),
    ("softsign", lambda: nn.Activation("softsign"), lambda x: x / (1 + np.abs(x))),
]


@pytest.mark.parametrize("name,make,ref", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_formula(name, make, ref):
    layer = make()
    layer.initialize()
    assert_almost_equal(layer(nd.array(_X)), ref(_X), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,make,ref", CASES, ids=[c[0] for c in CASES])
def test_numeric_gradient(name, make, ref):
    layer = make()
    layer.initialize()
    x = np.ascontiguousarray(_X[:, [0, 1, 3, 4]])  # away from the kink at 0
    check_numeric_gradient(lambda a: layer(a), [x], rtol=1e-2, atol=1e-3)


def test_selu_gradient_is_exact_for_negative_inputs():
    """MXNet 1.9.1's SELU gradient is wrong for x < 0; here it is scale * alpha * exp(x)."""
    x = nd.array([-1.0, -0.2, 0.5])
    x.attach_grad()
    with autograd.record():
        y = nn.SELU()(x)
    y.backward()
    expect = _SELU_SCALE * np.where(x.asnumpy() > 0, 1.0, _SELU_ALPHA * np.exp(x.asnumpy()))
    assert_almost_equal(x.grad, expect, rtol=1e-5)


def test_prelu_params_and_gradient():
    with mx.name.NameManager():
        shared, per_channel = nn.PReLU(), nn.PReLU(in_channels=3, alpha_initializer=mx.init.Constant(0.1))
    assert {k: v.shape for k, v in shared.collect_params().items()} == {"prelu0_alpha": (1,)}
    assert {k: v.shape for k, v in per_channel.collect_params().items()} == {"prelu1_alpha": (3,)}
    shared.initialize()
    per_channel.initialize()
    assert shared.alpha.data().asnumpy().tolist() == [0.25]
    x = np.random.RandomState(0).normal(size=(2, 3, 2))
    y = per_channel(nd.array(x))
    assert_almost_equal(y, np.where(x > 0, x, 0.1 * x), rtol=1e-6)
    check_numeric_gradient(lambda a, alpha: per_channel.hybrid_forward(nd, a, alpha),
                           [x, np.array([0.1, 0.2, 0.3])], rtol=1e-2, atol=1e-3)
    xs = nd.array(x)
    with autograd.record():
        out = shared(xs)
    out.backward()
    assert_almost_equal(shared.alpha.grad(), [np.minimum(x, 0).sum()], rtol=1e-5)


def test_reprs_and_names_like_mxnet():
    with mx.name.NameManager():
        assert repr(nn.LeakyReLU(0.1)) == "LeakyReLU(0.1)"
        assert repr(nn.Activation("relu")) == "Activation(relu)"
        for cls in (nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.Swish, nn.SiLU):
            layer = cls()
            assert repr(layer) == f"{cls.__name__}(\n\n)"
            assert layer.name == cls.__name__.lower() + "0"


def test_leaky_relu_rejects_negative_alpha():
    with pytest.raises(ValueError, match="no less than 0"):
        nn.LeakyReLU(-0.1)


def test_activations_trace_with_symbols():
    with mx.name.NameManager():
        layers = [nn.LeakyReLU(0.1), nn.PReLU(), nn.ELU(), nn.SELU(), nn.GELU(), nn.Swish(), nn.SiLU()]
        names = [layer(sym.var("data")).name for layer in layers]
    assert names == ["leakyrelu0_fwd", "prelu0_fwd", "elu0_leakyrelu0", "selu0_fwd", "gelu0_fwd",
                     "swish0__mul0", "silu0__mul0"]  # MXNet 1.9 names a * b "_mul"


def test_in_sequential_with_deferred_dense():
    with mx.name.NameManager():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4), nn.PReLU(), nn.Dense(3), nn.GELU(), nn.Dense(2), nn.SiLU())
    net.initialize()
    assert net(nd.ones((5, 6))).shape == (5, 2)
    assert list(net.collect_params())[2] == "hybridsequential0_prelu0_alpha"
