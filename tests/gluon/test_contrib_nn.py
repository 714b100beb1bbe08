"""Tests of ``gluon.contrib.nn`` (expected values from MXNet 1.9.1)."""
import inspect

import numpy as np
import pytest

import gluonic as mx
import gluonic.gluon.contrib  # noqa: F401  (gluon.contrib is not imported by gluon yet)
from gluonic.base import GluonicValueError
from gluonic.gluon import nn
from gluonic.gluon.contrib import nn as cnn
from gluonic.test_utils import check_numeric_gradient
from tests.gluon.test_nn_conv import MANIFEST, check_deferred_shapes, check_golden

CONTRIB_CASES = sorted(k for k, v in MANIFEST.items() if "cnn." in v["expr"])


@pytest.mark.parametrize("case", CONTRIB_CASES)
def test_golden(case):
    check_golden(case)


@pytest.mark.parametrize("case", CONTRIB_CASES)
def test_deferred_shapes_match_mxnet(case):
    check_deferred_shapes(case)


def test_namespace():
    assert mx.gluon.contrib.nn is cnn
    assert cnn.__all__ == ["Concurrent", "HybridConcurrent", "Identity", "SyncBatchNorm", "PixelShuffle1D",
                           "PixelShuffle2D", "PixelShuffle3D"]
    assert cnn.Identity is nn.Identity and cnn.SyncBatchNorm is nn.SyncBatchNorm


@pytest.mark.parametrize("name, sig", [
    ("Concurrent", "(axis=-1, prefix=None, params=None)"),
    ("HybridConcurrent", "(axis=-1, prefix=None, params=None)"),
    ("Identity", "(prefix=None, params=None)"),
    ("PixelShuffle1D", "(factor)"),
    ("PixelShuffle2D", "(factor)"),
    ("PixelShuffle3D", "(factor)"),
    ("SyncBatchNorm", "(in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-05, center=True, scale=True, "
                      "use_global_stats=False, beta_initializer='zeros', gamma_initializer='ones', "
                      "running_mean_initializer='zeros', running_variance_initializer='ones', **kwargs)"),
])
def test_signature(name, sig):
    assert str(inspect.signature(getattr(cnn, name))) == sig


# --------------------------------------------------------------------------- Concurrent

def test_hybrid_concurrent_repr_names_and_output():
    net = cnn.HybridConcurrent(axis=1)
    with net.name_scope():
        net.add(nn.Dense(3), cnn.Identity())
    assert net.name.startswith("hybridconcurrent")
    assert repr(net) == "HybridConcurrent(\n  (0): Dense(None -> 3, linear)\n  (1): Identity(\n  \n  )\n)"
    net.initialize()
    x = mx.nd.array(np.arange(8).reshape((2, 4)))
    y = net(x)
    assert y.shape == (2, 7)
    np.testing.assert_allclose(y.asnumpy()[:, 3:], x.asnumpy())
    np.testing.assert_allclose(y.asnumpy()[:, :3], net[0](x).asnumpy())


def test_concurrent_takes_plain_blocks_and_default_axis():
    class Twice(mx.gluon.Block):
        def forward(self, x):
            return x * 2

    net = cnn.Concurrent()
    net.add(Twice(), cnn.Identity())
    assert net.axis == -1 and len(net) == 2
    y = net(mx.nd.ones((2, 3)))
    np.testing.assert_allclose(y.asnumpy(), np.array([[2, 2, 2, 1, 1, 1]] * 2))
    with pytest.raises(GluonicValueError):
        cnn.HybridConcurrent().add(Twice())


def test_hybrid_concurrent_gradient_and_symbol():
    net = cnn.HybridConcurrent(axis=1, prefix="cat_")
    with net.name_scope():
        net.add(nn.Conv2D(2, 3, padding=1, in_channels=2), nn.MaxPool2D(3, 1, 1), cnn.Identity())
    net.initialize(mx.init.Uniform(1.0))
    net.cast("float64")
    x = np.random.RandomState(3).permutation(2 * 2 * 4 * 4).reshape((2, 2, 4, 4)) / 9.0
    check_numeric_gradient(lambda x: net(x), [x], dtype=np.float64, rtol=1e-4, atol=1e-6)
    out = net(mx.sym.var("data"))
    assert out.list_arguments() == ["data", "cat_conv0_weight", "cat_conv0_bias"]
    assert out.infer_shape(data=(2, 2, 4, 4))[1] == [(2, 6, 4, 4)]


# --------------------------------------------------------------------------- PixelShuffle

def _shuffle_ref(x, factors):
    """NumPy reference: out[n, c, i*f + a, ...] = x[n, c*prod(f) + flat(a, ...), i, ...]."""
    n, c = x.shape[:2]
    sizes = x.shape[2:]
    k = len(factors)
    y = x.reshape((n, c // int(np.prod(factors)), *factors, *sizes))
    # axes: n, c, f1..fk, s1..sk → n, c, s1, f1, s2, f2, ...
    order = [0, 1] + [a for i in range(k) for a in (2 + k + i, 2 + i)]
    return y.transpose(order).reshape((n, y.shape[1], *[s * f for s, f in zip(sizes, factors)]))


@pytest.mark.parametrize("cls, factor, shape, factors", [
    (cnn.PixelShuffle1D, 2, (2, 6, 5), (2,)),
    (cnn.PixelShuffle2D, 2, (1, 8, 3, 2), (2, 2)),
    (cnn.PixelShuffle2D, [3, 1], (2, 6, 2, 3), (3, 1)),
    (cnn.PixelShuffle3D, 2, (1, 16, 2, 1, 2), (2, 2, 2)),
    (cnn.PixelShuffle3D, (1, 3, 2), (1, 12, 2, 2, 1), (1, 3, 2)),
])
def test_pixel_shuffle_matches_reference(cls, factor, shape, factors):
    x = np.random.RandomState(4).standard_normal(shape)
    layer = cls(factor)
    np.testing.assert_array_equal(layer(mx.nd.array(x, dtype="float64")).asnumpy(), _shuffle_ref(x, factors))
    check_numeric_gradient(lambda x: layer(x), [x], dtype=np.float64, rtol=1e-4, atol=1e-6)


def test_pixel_shuffle_repr_and_errors():
    assert repr(cnn.PixelShuffle1D(2)) == "PixelShuffle1D(2)"
    assert repr(cnn.PixelShuffle2D(2)) == "PixelShuffle2D((2, 2))"
    assert repr(cnn.PixelShuffle2D((2, 3))) == "PixelShuffle2D((2, 3))"
    assert repr(cnn.PixelShuffle3D(2)) == "PixelShuffle3D((2, 2, 2))"
    assert cnn.PixelShuffle2D(2).name.startswith("pixelshuffle2d")
    with pytest.raises(GluonicValueError, match="factor must be"):
        cnn.PixelShuffle2D((2, 2, 2))
    with pytest.raises(GluonicValueError, match="factor must be"):
        cnn.PixelShuffle1D(0)
    with pytest.raises(mx.MXNetError):
        cnn.PixelShuffle2D(5)(mx.nd.ones((2, 12, 2, 3)))  # 12 channels don't split by 25


def test_pixel_shuffle_symbol():
    out = cnn.PixelShuffle3D((1, 2, 3))(mx.sym.var("data"))
    assert out.infer_shape(data=(1, 12, 2, 2, 2))[1] == [(1, 2, 2, 4, 6)]


# --------------------------------------------------------------------------- SyncBatchNorm

def test_sync_batch_norm_single_device():
    bn = cnn.SyncBatchNorm(num_devices=1)
    assert list(bn.collect_params().keys()) == [
        "syncbatchnorm0_gamma", "syncbatchnorm0_beta", "syncbatchnorm0_running_mean", "syncbatchnorm0_running_var"]
    bn.initialize()
    x = mx.nd.array(np.random.RandomState(5).standard_normal((4, 3, 2)))
    with mx.autograd.record():
        y = bn(x).asnumpy()
    xs = x.asnumpy()
    ref = (xs - xs.mean((0, 2), keepdims=True)) / np.sqrt(xs.var((0, 2), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
