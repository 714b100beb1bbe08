"""Tests of the dense ops (gluonic/ops/dense.py) against NumPy references and MXNet 1.9.1 values."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, dtype=np.float32):
    return RNG.uniform(-1.5, 1.5, size=shape).astype(dtype)


# ------------------------------------------------------------------ references
def np_fc(x, w, b=None, *, flatten=True):
    if flatten:
        x = x.reshape(x.shape[0], -1)
    y = x.astype(np.float64) @ w.astype(np.float64).T
    if b is not None:
        y = y + b
    return y.astype(x.dtype)


def np_dot(a, b, ta=False, tb=False):
    if a.ndim == 1 and b.ndim == 1:
        return np.array([a @ b], dtype=a.dtype)
    la = 0 if (ta or a.ndim == 1) else a.ndim - 1
    rb = b.ndim - 1 if (tb and b.ndim > 1) else 0
    return np.tensordot(a, b, axes=(la, rb)).astype(a.dtype)


def np_gemm(A, B, C=None, *, ta=False, tb=False, alpha=1.0, beta=1.0, axis=-2):
    A1, B1 = np.swapaxes(A, axis, -2), np.swapaxes(B, axis, -2)
    if ta:
        A1 = np.swapaxes(A1, -1, -2)
    if tb:
        B1 = np.swapaxes(B1, -1, -2)
    out = alpha * (A1 @ B1)
    if C is not None:
        out = out + beta * np.swapaxes(C, axis, -2)
    return np.swapaxes(out, axis, -2).astype(A.dtype)


# ------------------------------------------------------------------ registration
def test_signatures_follow_mxnet():
    order = {
        "FullyConnected": ["data", "weight", "bias", "num_hidden", "no_bias", "flatten"],
        "Embedding": ["data", "weight", "input_dim", "output_dim", "dtype", "sparse_grad"],
        "dot": ["lhs", "rhs", "transpose_a", "transpose_b", "forward_stype"],
        "batch_dot": ["lhs", "rhs", "transpose_a", "transpose_b", "forward_stype"],
    }
    for name, params in order.items():
        assert list(inspect.signature(getattr(mx.nd, name)).parameters)[:len(params)] == params
    assert list(inspect.signature(mx.nd.linalg.gemm).parameters)[:8] == [
        "A", "B", "C", "transpose_a", "transpose_b", "alpha", "beta", "axis"]
    assert list(inspect.signature(mx.nd.linalg.gemm2).parameters)[:6] == [
        "A", "B", "transpose_a", "transpose_b", "alpha", "axis"]


def test_aliases_and_batch_rules():
    assert get("fully_connected") is get("FullyConnected")
    assert get("linalg_gemm2") is get("_linalg_gemm2")
    assert get("linalg_gemm") is get("_linalg_gemm")
    assert mx.nd.linalg_gemm2.op is get("_linalg_gemm2")
    assert get("FullyConnected").batch_rule.unbatched == (1, 2)
    assert get("Embedding").batch_rule.unbatched == (1,)


# ------------------------------------------------------------------ FullyConnected
@pytest.mark.parametrize("shape,flatten", [((3, 4), True), ((2, 3, 4), True), ((2, 1, 2, 3), True),
                                           ((2, 3, 4), False), ((4,), False), ((3,), True)])
def test_fully_connected(shape, flatten):
    x = rand(*shape)
    in_units = int(np.prod(shape[1:])) if flatten and len(shape) > 1 else (1 if flatten else shape[-1])
    w, b = rand(5, in_units), rand(5)
    check_op("FullyConnected", [x, w, b], lambda x, w, b: np_fc(x, w, b, flatten=flatten),
             {"num_hidden": 5, "flatten": flatten})


def test_fully_connected_no_bias_and_positional_attrs():
    x, w = rand(2, 3), rand(4, 3)
    check_op("FullyConnected", [x, w, None], lambda x, w, b: np_fc(x, w), {"num_hidden": 4, "no_bias": True})
    out = mx.nd.FullyConnected(mx.nd.array(x), mx.nd.array(w), None, 4, True)
    np.testing.assert_allclose(out.asnumpy(), np_fc(x, w), rtol=1e-5)
    assert mx.nd.fully_connected(mx.nd.array(x), mx.nd.array(w), num_hidden=4, no_bias=True).shape == (2, 4)


@pytest.mark.parametrize("dtype,tol", [(np.float16, 2e-2), (np.float64, 1e-12)])
def test_fully_connected_dtypes(dtype, tol):
    x, w, b = rand(3, 4, dtype=dtype), rand(2, 4, dtype=dtype), rand(2, dtype=dtype)
    check_op("FullyConnected", [x, w, b], lambda x, w, b: np_fc(x, w, b), {"num_hidden": 2},
             rtol=tol, atol=tol, grad=False)


def test_fully_connected_bfloat16():
    x, w = rand(3, 4), rand(2, 4)
    out = mx.nd.FullyConnected(mx.nd.array(x).astype("bfloat16"), mx.nd.array(w).astype("bfloat16"),
                               num_hidden=2, no_bias=True)
    assert str(out._tensor.dtype) == "torch.bfloat16"
    np.testing.assert_allclose(out.astype("float32").asnumpy(), np_fc(x, w), rtol=3e-2, atol=3e-2)


def test_fully_connected_errors():
    x = rand(2, 3, 4)
    check_op_error("FullyConnected", [x, rand(5, 11), rand(5)], {"num_hidden": 5},
                   match=r"expected weight of shape \(num_hidden, in_units\) = \(5, 12\).*Received: weight\(5, 11\)")
    check_op_error("FullyConnected", [x, rand(6, 12), rand(5)], {"num_hidden": 5}, match="expected weight of shape")
    check_op_error("FullyConnected", [x, rand(5, 12), rand(5)], {"num_hidden": 5, "flatten": False},
                   match=r"\(5, 4\) for data\(2, 3, 4\) with flatten=False")
    check_op_error("FullyConnected", [x, rand(5, 12), rand(4)], {"num_hidden": 5}, match=r"bias of shape \(5,\)")
    check_op_error("FullyConnected", [x, rand(5, 12), None], {"num_hidden": 5}, match="requires a bias")
    check_op_error("FullyConnected", [x, rand(5, 12), rand(5)], {"num_hidden": 5, "no_bias": True},
                   match="no_bias=True")
    check_op_error("FullyConnected", [x, rand(5, 12)], {}, match="num_hidden")


# ------------------------------------------------------------------ Embedding
def test_embedding_forward_and_weight_grad():
    idx = np.array([[0, 3, 1], [3, 3, 2]], dtype=np.float32)  # repeated rows accumulate gradients
    w = rand(4, 5)
    check_op("Embedding", [idx, w], lambda i, w: w[i.astype(np.int64)], {"input_dim": 4, "output_dim": 5}, grad=[1])


@pytest.mark.parametrize("idx_dtype", [np.int32, np.int64, np.uint8, np.float64])
def test_embedding_index_dtypes(idx_dtype):
    idx = np.array([2, 0, 1], dtype=idx_dtype)
    w = rand(3, 2, dtype=np.float64)
    check_op("Embedding", [idx, w], lambda i, w: w[i.astype(np.int64)], {"input_dim": 3, "output_dim": 2}, grad=[1])


def test_embedding_truncates_and_clips_like_mxnet():
    w = np.arange(12, dtype=np.float32).reshape(4, 3)
    # MXNet 1.9.1: indices [0, 1.7, 2.5, 3.9] -> rows 0, 1, 2, 3; [-1, 4, 7, -3.5] -> rows 0, 3, 3, 0
    out = run("Embedding", [np.array([0, 1.7, 2.5, 3.9], np.float32), w], {"input_dim": 4, "output_dim": 3})[0]
    np.testing.assert_array_equal(out.asnumpy(), w[[0, 1, 2, 3]])
    out = run("Embedding", [np.array([-1, 4, 7, -3.5], np.float32), w], {"input_dim": 4, "output_dim": 3})[0]
    np.testing.assert_array_equal(out.asnumpy(), w[[0, 3, 3, 0]])


def test_embedding_output_dtype_is_weight_dtype():
    w = rand(3, 2, dtype=np.float16)
    out = run("Embedding", [np.array([1, 2], np.float32), w], {"input_dim": 3, "output_dim": 2, "dtype": "float32"})[0]
    assert out.dtype == np.float16


def test_embedding_errors():
    check_op_error("Embedding", [np.array([0, 1], np.float32), rand(4, 3)], {"input_dim": 5, "output_dim": 3},
                   match=r"expected weight of shape \(input_dim, output_dim\) = \(5, 3\).*weight\(4, 3\)")
    check_op_error("Embedding", [np.array([0, 1], np.float32), rand(4, 3)], {"input_dim": 4, "output_dim": 2},
                   match="expected weight of shape")


# ------------------------------------------------------------------ dot
@pytest.mark.parametrize("sa,sb,ta,tb", [
    ((3, 4), (4, 5), False, False), ((4, 3), (4, 5), True, False), ((3, 4), (5, 4), False, True),
    ((4, 3), (5, 4), True, True), ((2, 3, 4), (4, 5, 2), False, False), ((2, 3, 4), (2, 5), True, False),
    ((2, 3, 4), (5, 2, 2), True, True), ((2, 3, 4), (6, 5, 4), False, True), ((3,), (3,), False, False),
    ((3,), (3, 2), False, False), ((2, 3), (3,), False, False), ((3,), (2, 3), False, True),
    ((3, 2), (3,), True, False), ((3,), (3, 4, 2), False, False),
])
def test_dot(sa, sb, ta, tb):
    check_op("dot", [rand(*sa, dtype=np.float64), rand(*sb, dtype=np.float64)],
             lambda a, b: np_dot(a, b, ta, tb), {"transpose_a": ta, "transpose_b": tb})


def test_dot_shapes_from_mxnet():
    # MXNet 1.9.1 shapes: transpose_a contracts the FIRST axis of lhs, the rest stays in order
    assert run("dot", [rand(2, 3, 4), rand(2, 5)], {"transpose_a": True})[0].shape == (3, 4, 5)
    assert run("dot", [rand(2, 3, 4), rand(5, 6, 2)], {"transpose_a": True, "transpose_b": True})[0].shape == (3, 4, 5, 6)
    assert run("dot", [rand(3), rand(3)])[0].shape == (1,)


def test_dot_float32_and_int():
    check_op("dot", [rand(3, 4), rand(4, 2)], np_dot, rtol=1e-5, grad=False)
    a = RNG.randint(-3, 4, size=(2, 3)).astype(np.int32)
    b = RNG.randint(-3, 4, size=(3, 4)).astype(np.int32)
    check_op("dot", [a, b], lambda a, b: (a @ b).astype(np.int32), grad=False)


def test_dot_errors():
    for shapes in [((3,), (3,)), ((2, 3), (3, 2)), ((2, 2, 3), (3, 2))]:  # as MXNet: no silent promotion
        check_op_error("dot", [rand(*shapes[0]), rand(*shapes[1], dtype=np.float64)], match="same dtype")
    check_op_error("batch_dot", [rand(1, 2, 3), rand(1, 3, 2, dtype=np.float64)], match="same dtype")
    check_op_error("dot", [rand(2, 3), rand(4, 2)], match=r"contracted axes differ.*lhs\(2, 3\), rhs\(4, 2\)")
    check_op_error("dot", [rand(2, 3), rand(2, 3)], {"transpose_b": False}, match="contracted axes differ")


# ------------------------------------------------------------------ batch_dot
@pytest.mark.parametrize("sa,sb,ta,tb", [
    ((2, 3, 4), (2, 4, 5), False, False), ((2, 4, 3), (2, 4, 5), True, False),
    ((2, 3, 4), (2, 5, 4), False, True), ((2, 4, 3), (2, 5, 4), True, True),
    ((2, 2, 3, 4), (2, 2, 4, 2), False, False),
])
def test_batch_dot(sa, sb, ta, tb):
    def ref(a, b):
        return np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)

    check_op("batch_dot", [rand(*sa, dtype=np.float64), rand(*sb, dtype=np.float64)], ref,
             {"transpose_a": ta, "transpose_b": tb})


def test_batch_dot_errors():
    check_op_error("batch_dot", [rand(3, 4), rand(4, 5)], match="N >= 3")
    check_op_error("batch_dot", [rand(2, 3, 4), rand(1, 4, 5)], match="equal leading")
    check_op_error("batch_dot", [rand(2, 3, 4), rand(2, 3, 5)], match=r"contracted axes differ.*rhs\(2, 3, 5\)")


# ------------------------------------------------------------------ linalg gemm / gemm2
@pytest.mark.parametrize("sa,sb,ta,tb,axis", [
    ((3, 4), (4, 5), False, False, -2), ((4, 3), (5, 4), True, True, -2), ((2, 3, 4), (2, 4, 5), False, False, -2),
    ((3, 2, 4), (4, 2, 6), False, False, 0), ((2, 3, 7, 4), (2, 6, 7, 4), False, True, 1),
    ((2, 5, 3, 4), (2, 6, 3, 5), True, True, 1), ((3, 2, 4), (4, 2, 6), False, False, -3),
])
def test_linalg_gemm2(sa, sb, ta, tb, axis):
    attrs = {"transpose_a": ta, "transpose_b": tb, "alpha": 1.5, "axis": axis}
    check_op("_linalg_gemm2", [rand(*sa, dtype=np.float64), rand(*sb, dtype=np.float64)],
             lambda a, b: np_gemm(a, b, ta=ta, tb=tb, alpha=1.5, axis=axis), attrs)


@pytest.mark.parametrize("sa,sb,sc,ta,tb,axis", [
    ((3, 4), (4, 5), (3, 5), False, False, -2), ((2, 4, 3), (2, 5, 4), (2, 3, 5), True, True, -2),
    ((2, 5, 3, 4), (2, 6, 3, 5), (2, 4, 3, 6), True, True, 1),
])
def test_linalg_gemm(sa, sb, sc, ta, tb, axis):
    attrs = {"transpose_a": ta, "transpose_b": tb, "alpha": 2.0, "beta": -1.5, "axis": axis}
    check_op("_linalg_gemm", [rand(*sa, dtype=np.float64), rand(*sb, dtype=np.float64), rand(*sc, dtype=np.float64)],
             lambda a, b, c: np_gemm(a, b, c, ta=ta, tb=tb, alpha=2.0, beta=-1.5, axis=axis), attrs)


def test_linalg_gemm_mxnet_doc_example():
    A = np.ones((2, 2), np.float32)
    B = np.ones((3, 2), np.float32)
    C = np.ones((2, 3), np.float32)
    out = mx.nd.linalg.gemm(mx.nd.array(A), mx.nd.array(B), mx.nd.array(C), transpose_b=True, alpha=2.0, beta=10.0)
    np.testing.assert_allclose(out.asnumpy(), np.full((2, 3), 14.0))


def test_linalg_gemm_errors():
    check_op_error("_linalg_gemm2", [rand(2, 3, 4), rand(2, 4, 5)], {"axis": -1}, match="row axis")
    check_op_error("_linalg_gemm2", [rand(3), rand(3)], match="same number")
    check_op_error("_linalg_gemm2", [rand(2, 3, 4), rand(1, 4, 5)], match="batch axes must be equal")
    check_op_error("_linalg_gemm2", [rand(2, 3, 4), rand(2, 3, 5)], match="incompatible matrix shapes")
    check_op_error("_linalg_gemm", [rand(2, 3, 4), rand(2, 4, 5), rand(2, 3, 1)], match=r"C must have the shape.*\(2, 3, 5\)")
