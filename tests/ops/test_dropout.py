"""Tests of Dropout (gluonic/ops/dropout.py): identity in prediction, scaled random masks in training."""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)
X = RNG.uniform(0.5, 1.5, size=(4, 5, 6)).astype(np.float32)


def _train_dropout(x, **attrs):
    data = mx.nd.array(x, dtype=x.dtype)
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.Dropout(data, **attrs)
    head = RNG.uniform(0.5, 1.5, size=x.shape)
    out.backward(mx.nd.array(head, dtype=x.dtype))
    return out.asnumpy(), data.grad.asnumpy(), head


@pytest.mark.parametrize("attrs", [{}, {"p": 0.3, "axes": (1,)}, {"p": 0.9, "cudnn_off": True}])
def test_dropout_is_identity_in_prediction(attrs):
    check_op("Dropout", [X], lambda x: x, attrs, grad=False)
    check_op("dropout", [X.astype(np.float16)], lambda x: x, attrs, grad=False)


def test_dropout_prediction_returns_a_copy():
    x = mx.nd.array(X)
    y = mx.nd.Dropout(x)
    y[:] = 0
    np.testing.assert_array_equal(x.asnumpy(), X)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_training(p):
    x = RNG.uniform(0.5, 1.5, size=(40, 50))
    out, grad, head = _train_dropout(x, p=p)
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / (1 - p), rtol=1e-12)
    np.testing.assert_allclose(grad, np.where(kept, head / (1 - p), 0), rtol=1e-12)
    assert abs((~kept).mean() - p) < 0.05  # 2000 draws: the standard deviation is at most 0.011


@pytest.mark.parametrize("axes", [(1,), (0, 2), (-1,)])
def test_dropout_axes_share_the_mask(axes):
    out, grad, head = _train_dropout(X.astype(np.float64), p=0.5, axes=axes)
    scale = out / X
    assert set(np.unique(scale).round(12)) <= {0.0, 2.0}
    for ax in axes:
        np.testing.assert_array_equal(scale, np.broadcast_to(scale.take([0], axis=ax), scale.shape))
    np.testing.assert_allclose(grad, scale * head, rtol=1e-12)


def test_dropout_mode_always_runs_outside_training():
    out = run("Dropout", [X], {"mode": "always", "p": 0.5})[0].asnumpy()
    assert (out == 0).any() and set(np.unique(out / X).round(5)) <= {0.0, 2.0}


def test_dropout_edge_probabilities():
    out, grad, head = _train_dropout(X, p=0.0)
    np.testing.assert_array_equal(out, X)
    np.testing.assert_allclose(grad, head, rtol=1e-6)
    out, grad, _ = _train_dropout(X, p=1.0)  # MXNet 1.9 gives NaN here
    np.testing.assert_array_equal(out, np.zeros_like(X))
    np.testing.assert_array_equal(grad, np.zeros_like(X))


def test_dropout_float16_training():
    out, _, _ = _train_dropout(X.astype(np.float16), p=0.5)
    assert out.dtype == np.float16
    assert set(np.unique(out / X.astype(np.float16)).round(2)) <= {0.0, 2.0}


def test_dropout_is_deterministic_under_a_seed():
    with mx.autograd.train_mode():
        mx.random.seed(7)
        a = mx.nd.Dropout(mx.nd.array(X)).asnumpy()
        mx.random.seed(7)
        b = mx.nd.Dropout(mx.nd.array(X)).asnumpy()
        c = mx.nd.Dropout(mx.nd.array(X)).asnumpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(b, c)


def test_dropout_errors():
    check_op_error("Dropout", [X], {"p": 1.5}, match=r"p must be in \[0, 1\]. Received: p=1.5")
    check_op_error("Dropout", [X], {"p": -0.1}, match=r"p must be in \[0, 1\]")
    check_op_error("Dropout", [X], {"axes": (3,)}, match=r"axes must be in \[-3, 3\)", error=IndexError)
    check_op_error("Dropout", [X], {"mode": "sometimes"}, match=r"\['always', 'training'\]")
    check_op_error("Dropout", [X.astype(np.int32)], match="floating-point.*Received: int32", error=TypeError)
