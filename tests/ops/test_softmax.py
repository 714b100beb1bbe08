"""Tests of the softmax family and the loss-style ops (gluonic/ops/softmax.py).

Forward passes are checked against NumPy with the shared harness. ``SoftmaxOutput`` and
the regression outputs have MXNet's special backward (a loss gradient that ignores the
incoming gradient), so their gradients are checked against an independent NumPy
version of MXNet's formula and against numbers produced by MXNet 1.9.1.
"""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)
X = RNG.randn(2, 3, 4).astype(np.float32)


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_log_softmax(x, axis=-1):
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


# ------------------------------------------------------------------ softmax / log_softmax / softmin
FAMILY = {
    "softmax": lambda x, axis: np_softmax(x, axis),
    "log_softmax": lambda x, axis: np_log_softmax(x, axis),
    "softmin": lambda x, axis: np_softmax(-x, axis),
}


@pytest.mark.parametrize("op", sorted(FAMILY))
@pytest.mark.parametrize("axis", [-1, 0, 1, 2, -2])
def test_softmax_family_axis(op, axis):
    check_op(op, [X], lambda x: FAMILY[op](x.astype(np.float64), axis).astype(x.dtype), {"axis": axis})


@pytest.mark.parametrize("op", sorted(FAMILY))
def test_softmax_family_temperature(op):
    check_op(op, [X], lambda x: FAMILY[op](x.astype(np.float64) / 2.5, -1).astype(x.dtype),
             {"temperature": 2.5})


@pytest.mark.parametrize("op", sorted(FAMILY))
@pytest.mark.parametrize("in_dtype, out_dtype", [
    (np.float16, "float32"), (np.float32, "float64"), (np.float64, "float32"), (np.float64, None), (np.float16, None),
])
def test_softmax_family_dtype(op, in_dtype, out_dtype):
    x = X.astype(in_dtype)
    expected = np.dtype(out_dtype) if out_dtype else x.dtype
    tol = 2e-3 if np.float16 in (x.dtype, expected) else 1e-6
    check_op(op, [x], lambda x: FAMILY[op](x.astype(np.float64), -1).astype(expected), {"dtype": out_dtype},
             rtol=tol, atol=tol, grad=False)


def _masked_softmax(x, length, axis):
    x = np.moveaxis(x.astype(np.float64), axis, -1)
    out = np.zeros_like(x)
    for idx in np.ndindex(*x.shape[:-1]):
        n = int(length[idx])
        if n > 0:
            out[idx][:n] = np_softmax(x[idx][:n])
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("axis, length", [
    (-1, np.array([[1, 2, 3], [4, 0, 2]], dtype=np.int32)),
    (1, np.array([[3, 1, 0, 2], [2, 2, 3, 1]], dtype=np.int64)),
    (0, np.array([[1, 2, 0, 2], [2, 1, 1, 2], [0, 0, 1, 2]], dtype=np.int32)),
])
def test_softmax_length(axis, length):
    check_op("softmax", [X, length], lambda x, n: _masked_softmax(x, n, axis).astype(x.dtype),
             {"axis": axis, "use_length": True}, grad=[0])


def test_softmax_length_matches_mxnet():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10
    out = run("softmax", [x, np.array([[1, 2, 3], [4, 0, 2]], dtype=np.int32)], {"use_length": True})[0]
    expected = [[[1, 0, 0, 0], [0.47502083, 0.5249792, 0, 0], [0.30060962, 0.33222497, 0.3671654, 0]],
                [[0.21383823, 0.23632777, 0.26118258, 0.2886514], [0, 0, 0, 0], [0.47502083, 0.5249792, 0, 0]]]
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6, atol=1e-7)


def test_softmax_positional_attrs_follow_mxnet_order():
    # softmax(data, length, axis, temperature, ...); log_softmax(data, axis, temperature, ...)
    x = mx.nd.array(X)
    np.testing.assert_allclose(mx.nd.softmax(x, None, 0, 2.0).asnumpy(), np_softmax(X / 2.0, 0), rtol=1e-5)
    np.testing.assert_allclose(mx.nd.log_softmax(x, 0, 2.0).asnumpy(), np_log_softmax(X / 2.0, 0), rtol=1e-5)


def test_softmax_errors():
    check_op_error("softmax", [X.astype(np.int32)], match="floating-point.*Received: int32", error=TypeError)
    check_op_error("softmax", [X], {"axis": 3}, match="axis 3 is out of range for 3-D data", error=IndexError)
    check_op_error("log_softmax", [X], {"axis": -4}, match="axis -4 is out of range", error=IndexError)
    check_op_error("softmax", [X], {"dtype": "int32"}, match="dtype must be a floating-point type", error=TypeError)
    check_op_error("softmax", [X], {"use_length": True}, match="needs the length input")
    check_op_error("softmax", [X, np.ones((2, 3), np.int32)], {}, match="use_length=True")
    check_op_error("softmax", [X, np.ones((2, 3), np.float32)], {"use_length": True}, match="integer dtype",
                   error=TypeError)
    check_op_error("softmax", [X, np.ones((2, 4), np.int32)], {"use_length": True},
                   match=r"shape of data without axis 2, \(2, 3\).*length\(2, 4\)")
    check_op_error("log_softmax", [X], {"use_length": True}, match="does not take a length input")


# ------------------------------------------------------------------ SoftmaxActivation
def test_softmax_activation():
    check_op("SoftmaxActivation", [X], lambda x: np_softmax(x.astype(np.float64), -1).astype(x.dtype))
    check_op("SoftmaxActivation", [X], lambda x: np_softmax(x.astype(np.float64), 1).astype(x.dtype),
             {"mode": "channel"})
    x2 = X[0]
    check_op("SoftmaxActivation", [x2], lambda x: np_softmax(x.astype(np.float64), 1).astype(x.dtype),
             {"mode": "channel"})


def test_softmax_activation_errors():
    check_op_error("SoftmaxActivation", [X[0, 0]], {"mode": "channel"}, match="at least 2 dimensions")
    check_op_error("SoftmaxActivation", [X], {"mode": "pixel"}, match=r"\['channel', 'instance'\]")


# ------------------------------------------------------------------ SoftmaxOutput
def ref_softmax_output_grad(x, label, head, grad_scale=1.0, ignore_label=-1.0, multi_output=False, use_ignore=False,
                            preserve_shape=False, normalization="null", out_grad=False, smooth_alpha=0.0):
    """MXNet's SoftmaxOutput gradient, written row by row (rows = one softmax each)."""
    x = x.astype(np.float64)
    if multi_output:
        moved = np.moveaxis(x, 1, -1)
        rows = np_softmax(moved.reshape(-1, x.shape[1]))
        positions = int(np.prod(x.shape[2:]))
    elif preserve_shape:
        rows, positions = np_softmax(x.reshape(-1, x.shape[-1])), 1
    else:
        rows, positions = np_softmax(x.reshape(x.shape[0] if x.ndim > 1 else 1, -1)), 1

    def back(r):
        if multi_output:
            return np.moveaxis(r.reshape(moved.shape), -1, 1)
        return r.reshape(x.shape)

    if label.shape == x.shape:
        grad = (back(rows) - label) * grad_scale
        return grad * head if out_grad else grad
    labels = label.reshape(-1).astype(np.float64)
    k = rows.shape[1]
    grad = rows.copy()
    for r, lab in enumerate(labels):
        target = np.full(k, smooth_alpha / (k - 1) if smooth_alpha else 0.0)
        if 0 <= int(lab) < k:
            target[int(lab)] = 1.0 - smooth_alpha
        grad[r] -= target
        if use_ignore and lab == ignore_label:
            grad[r] = 0
    if normalization == "valid":
        grad /= max(int((labels != ignore_label).sum()), 1)
    elif normalization == "batch":
        grad /= labels.size
    elif multi_output:
        grad /= positions
    grad = back(grad * grad_scale)
    return grad * head if out_grad else grad


def softmax_output_grad(x, label, head, **attrs):
    data = mx.nd.array(x, dtype=x.dtype)
    data.attach_grad()
    with mx.autograd.record():
        out = mx.nd.SoftmaxOutput(data, mx.nd.array(label, dtype=label.dtype), **attrs)
    out.backward(mx.nd.array(head, dtype=x.dtype))
    return out.asnumpy(), data.grad.asnumpy()


X2 = RNG.randn(5, 4)
L2 = np.array([0, 3, -1, 2, 1], dtype=np.float64)
X4 = RNG.randn(2, 3, 2, 2)
L4 = np.array([[[0, 2], [-1, 1]], [[1, 1], [0, -1]]], dtype=np.float64)
X3 = RNG.randn(2, 3, 4)
L3 = np.array([[0, 3, 1], [-1, 2, 2]], dtype=np.float64)
PROB2 = np_softmax(RNG.randn(5, 4))

SOFTMAX_OUTPUT_CASES = [
    (X2, L2, {}),
    (X2, L2, {"grad_scale": 2.0, "normalization": "batch"}),
    (X2, L2, {"use_ignore": True, "normalization": "valid"}),
    (X2, L2, {"normalization": "valid"}),
    (X2, L2, {"use_ignore": True, "ignore_label": 2, "smooth_alpha": 0.3}),
    (X2, np.array([0, 7, -3, 2, 1.0]), {}),
    (X2, L2, {"out_grad": True, "grad_scale": 0.5}),
    (X2, PROB2, {"grad_scale": 3.0, "normalization": "batch"}),
    (X2, PROB2, {"out_grad": True}),
    (X4, L4, {"multi_output": True}),
    (X4, L4.reshape(2, 4), {"multi_output": True, "normalization": "batch"}),
    (X4, L4, {"multi_output": True, "normalization": "valid", "use_ignore": True, "grad_scale": 3.0}),
    (X4, L4, {"multi_output": True, "smooth_alpha": 0.2, "use_ignore": True}),
    (X3, L3, {"preserve_shape": True, "normalization": "batch"}),
    (X3, L3, {"preserve_shape": True, "normalization": "valid", "use_ignore": True, "out_grad": True}),
    (X3, np.array([5, 11.0]), {"grad_scale": 2.0}),
]


@pytest.mark.parametrize("x, label, attrs", SOFTMAX_OUTPUT_CASES)
def test_softmax_output_gradient(x, label, attrs):
    head = RNG.uniform(0.5, 2.0, size=x.shape)
    out, grad = softmax_output_grad(x, label, head, **attrs)
    np.testing.assert_allclose(grad, ref_softmax_output_grad(x, label, head, **attrs), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("x, label, attrs", SOFTMAX_OUTPUT_CASES)
def test_softmax_output_forward(x, label, attrs):
    if attrs.get("multi_output"):
        ref = lambda x, label: np_softmax(x, 1)  # noqa: E731
    elif attrs.get("preserve_shape"):
        ref = lambda x, label: np_softmax(x, -1)  # noqa: E731
    else:
        ref = lambda x, label: np_softmax(x.reshape(x.shape[0], -1), 1).reshape(x.shape)  # noqa: E731
    check_op("SoftmaxOutput", [x.astype(np.float32), label.astype(np.float32)],
             lambda x, label: ref(x.astype(np.float64), label).astype(np.float32), attrs, grad=False)


def test_softmax_output_matches_mxnet():
    """Gradients recorded with MXNet 1.9.1 (head gradient 5, which MXNet ignores)."""
    x = np.linspace(-1, 1.2, 12, dtype=np.float32).reshape(3, 4)
    _, grad = softmax_output_grad(x, np.array([0, -1, 3], np.float32), np.full((3, 4), 5, np.float32),
                                  use_ignore=True, normalization="valid", grad_scale=2.0)
    np.testing.assert_allclose(grad, [[-0.819343, 0.220655, 0.269509, 0.329179], [0, 0, 0, 0],
                                      [0.180657, 0.220655, 0.269509, -0.670821]], atol=2e-6)
    x = np.linspace(-1, 1.2, 12, dtype=np.float32).reshape(2, 3, 2)
    label = np.array([[0, 2], [1, 1]], np.float32)
    _, grad = softmax_output_grad(x, label, np.full(x.shape, 5, np.float32), multi_output=True)
    np.testing.assert_allclose(grad, [[[-0.394009, 0.105991], [0.158121, 0.158121], [0.235888, -0.264112]],
                                      [[0.105991, 0.105991], [-0.341879, -0.341879], [0.235888, 0.235888]]], atol=2e-6)
    _, grad = softmax_output_grad(x, label, np.full(x.shape, 5, np.float32), multi_output=True, normalization="batch")
    np.testing.assert_allclose(grad, [[[-0.197004, 0.052996], [0.07906, 0.07906], [0.117944, -0.132056]],
                                      [[0.052996, 0.052996], [-0.17094, -0.17094], [0.117944, 0.117944]]], atol=2e-6)
    x = x.reshape(2, 2, 3)
    _, grad = softmax_output_grad(x, label, np.full(x.shape, 5, np.float32), preserve_shape=True, smooth_alpha=0.1)
    np.testing.assert_allclose(grad, [[[-0.630692, 0.278933, 0.35176], [0.219307, 0.278933, -0.49824]],
                                      [[0.219307, -0.571067, 0.35176], [0.219307, -0.571067, 0.35176]]], atol=2e-6)


def test_softmax_output_alias_label_dtype_and_no_record():
    x = X2.astype(np.float32)
    a = run("Softmax", [x, L2.astype(np.int32)])[0].asnumpy()
    b = run("SoftmaxOutput", [x, L2.astype(np.float32)])[0].asnumpy()
    np.testing.assert_array_equal(a, b)
    _, grad = softmax_output_grad(x, L2.astype(np.int64), np.ones_like(x))
    np.testing.assert_allclose(grad, ref_softmax_output_grad(x, L2, 1.0), rtol=1e-5, atol=1e-6)


def test_softmax_output_errors():
    check_op_error("SoftmaxOutput", [X2, np.zeros(4)], match=r"label must have shape \(5,\).*label\(4,\)")
    check_op_error("SoftmaxOutput", [X2, np.zeros((5, 2))], match=r"label must have shape \(5,\)")
    check_op_error("SoftmaxOutput", [X3, np.zeros((2, 3))], match="multi_output=True.*preserve_shape=True")
    check_op_error("SoftmaxOutput", [X4, np.zeros((2, 1, 2))], {"multi_output": True},
                   match=r"\(2, 2, 2\) or \(2, 4\).*label\(2, 1, 2\)")
    check_op_error("SoftmaxOutput", [X3, np.zeros((2, 4))], {"preserve_shape": True}, match=r"shape \(2, 3\)")
    check_op_error("SoftmaxOutput", [X2], match="required input 'label' is missing")
    check_op_error("SoftmaxOutput", [X2, L2], {"normalization": "mean"}, match=r"\['batch', 'null', 'valid'\]")


# ------------------------------------------------------------------ regression outputs
REGRESSION = {
    "LinearRegressionOutput": (lambda x: x, lambda out, label: out - label),
    "LogisticRegressionOutput": (lambda x: 1 / (1 + np.exp(-x)), lambda out, label: out - label),
    "MAERegressionOutput": (lambda x: x, lambda out, label: np.sign(out - label)),
}


@pytest.mark.parametrize("op", sorted(REGRESSION))
@pytest.mark.parametrize("shape, label_shape, grad_scale", [
    ((3, 2), (3, 2), 2.0), ((3, 1), (3,), 1.0), ((4,), (4,), 0.5), ((3, 2, 2), (3, 4), 1.0),
])
def test_regression_output(op, shape, label_shape, grad_scale):
    fwd, diff = REGRESSION[op]
    x, label = RNG.randn(*shape), RNG.randn(*label_shape)
    check_op(op, [x.astype(np.float32), label.astype(np.float32)],
             lambda x, label: fwd(x.astype(np.float64)).astype(np.float32), {"grad_scale": grad_scale}, grad=False)
    data = mx.nd.array(x, dtype=np.float64)
    data.attach_grad()
    with mx.autograd.record():
        out = getattr(mx.nd, op)(data, mx.nd.array(label, dtype=np.float64), grad_scale=grad_scale)
    out.backward(mx.nd.array(RNG.uniform(0.5, 2, size=shape), dtype=np.float64))  # ignored
    per_sample = label.size / label.shape[0]
    expected = diff(fwd(x), label.reshape(shape)) * grad_scale / per_sample
    np.testing.assert_allclose(data.grad.asnumpy(), expected, rtol=1e-12)


def test_regression_output_errors():
    for op in REGRESSION:
        check_op_error(op, [np.zeros((3, 2), np.float32), np.zeros(3, np.float32)],
                       match=r"label must have the shape of data.*data\(3, 2\), label\(3,\)")
        check_op_error(op, [np.zeros((3, 2), np.float32), np.zeros(6, np.float32)], match="label")


# ------------------------------------------------------------------ softmax_cross_entropy, smooth_l1
def test_softmax_cross_entropy():
    x, label = RNG.randn(4, 5), np.array([0, 4, 2, 2], dtype=np.float32)

    def ref(x, label):
        return np.array([-np_log_softmax(x.astype(np.float64), 1)[np.arange(4), label.astype(int)].sum()], x.dtype)

    check_op("softmax_cross_entropy", [x.astype(np.float32), label], ref, grad=[0])
    check_op("softmax_cross_entropy", [x, label.astype(np.int32)], ref, rtol=1e-12)


def test_softmax_cross_entropy_matches_mxnet_and_out_of_range_labels():
    x = np.linspace(-1, 1.2, 12, dtype=np.float32).reshape(3, 4)
    loss = run("softmax_cross_entropy", [x, np.array([0, 2.7, 3], np.float32)])[0].asnumpy()
    expected = -np_log_softmax(x.astype(np.float64), 1)[[0, 1, 2], [0, 2, 3]].sum()
    np.testing.assert_allclose(loss, [expected], rtol=1e-6)
    loss = run("softmax_cross_entropy", [x, np.array([0, 9, -1], np.float32)])[0].asnumpy()
    np.testing.assert_allclose(loss, [-np_log_softmax(x.astype(np.float64), 1)[0, 0]], rtol=1e-6)


def test_softmax_cross_entropy_errors():
    check_op_error("softmax_cross_entropy", [X, np.zeros(2)], match=r"expected data \(N, K\) and label \(N,\)")
    check_op_error("softmax_cross_entropy", [X[0], np.zeros((1, 3))], match=r"label\(1, 3\)")
    check_op_error("softmax_cross_entropy", [X[0], np.zeros(4)], match=r"data\(3, 4\), label\(4,\)")


def _smooth_l1(x, sigma=1.0):
    s2 = sigma * sigma
    return np.where(np.abs(x) < 1 / s2, 0.5 * s2 * x * x, np.abs(x) - 0.5 / s2)


@pytest.mark.parametrize("sigma", [1.0, 2.0, 0.5])
def test_smooth_l1(sigma):
    x = np.array([-3, -1.3, -0.7, -0.2, -0.05, 0.05, 0.1, 0.4, 0.9, 1.2, 5.0], dtype=np.float32)
    check_op("smooth_l1", [x], lambda x: _smooth_l1(x.astype(np.float64), sigma).astype(x.dtype), {"scalar": sigma})


def test_smooth_l1_default_and_int():
    x = np.array([-3, -1, 0, 1, 3], dtype=np.int32)
    check_op("smooth_l1", [x], lambda x: _smooth_l1(x.astype(np.float64), 2.0).astype(np.int32), {"scalar": 2.0})
    y = mx.nd.smooth_l1(mx.nd.array([0.5, 2.0]))
    np.testing.assert_allclose(y.asnumpy(), [0.125, 1.5])
