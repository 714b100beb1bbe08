"""Tests of the indexing ops (gluonic/ops/indexing.py) against NumPy and values observed in MXNet 1.9.1."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, dtype=np.float32):
    return RNG.uniform(-2, 2, size=shape).astype(dtype)


def grad_of(op, inputs, attrs, head=None, wrt=0):
    """Gradient of input ``wrt`` for ``backward(head)`` through ``nd.<op>``."""
    xs = [mx.nd.array(x, dtype=x.dtype) for x in inputs]
    xs[wrt].attach_grad()
    with mx.autograd.record():
        y = getattr(mx.nd, op)(*xs, **attrs)
    y.backward(None if head is None else mx.nd.array(head))
    return xs[wrt].grad.asnumpy()


# ------------------------------------------------------------------ slice
@pytest.mark.parametrize("begin,end,step", [
    ((0, 1), (2, 3), ()), ((None,), (None,), ()), ((1,), (0,), ()), ((0,), (5,), ()),
    ((-1, 0, -3), (None, None, -1), ()), ((None, None, None), (None, None, None), (-1, -1, -2)),
    ((1, 2, 3), (0, 0, 0), (-1, -1, -1)), ((-5,), (1,), ()), ((0, 5), (1, 6), ()),
    ((None, -1), (None, -10), (1, -1)), ((None, 10), (None, None), (1, -1)), ((None, -10), (None, None), (1, 2)),
    ((None, None, 1), (None, None, 4), (None, None, 2)), ((), (), ()), ((2, None, 3), (None, 0, None), (-2, -2, -3)),
])
def test_slice(begin, end, step):
    x = rand(2, 3, 4)
    steps = step or (None,) * len(begin)
    key = tuple(slice(b, e, s) for b, e, s in zip(begin, end, steps))
    check_op("slice", [x], lambda x: x[key], {"begin": begin, "end": end, "step": step})
    check_op("crop", [x], lambda x: x[key], {"begin": begin, "end": end, "step": step}, grad=False)


def test_slice_string_attrs_and_dtypes():
    x = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    out = run("slice", [x], {"begin": "(None, 1)", "end": "(None, None)", "step": "(None, -1)"})[0]
    np.testing.assert_array_equal(out.asnumpy(), x[:, 1::-1])
    check_op("slice", [x.astype(np.bool_)], lambda x: x[1:, ::2], {"begin": (1, None), "end": (None, None),
                                                                    "step": (1, 2)}, grad=False)


@pytest.mark.parametrize("attrs,match", [
    (dict(begin=(0, 0), end=(1, 1), step=(1,)), "same length"), (dict(begin=(0,), end=(2, 3)), "same length"),
    (dict(begin=(0,), end=(2,), step=(0,)), "step cannot be 0"), (dict(begin=(0,) * 4, end=(1,) * 4), "more slice bounds"),
])
def test_slice_errors(attrs, match):
    check_op_error("slice", [rand(2, 3, 4)], attrs, match=match)


@pytest.mark.parametrize("axis,begin,end", [(1, 1, 3), (-1, -3, None), (0, 0, 1), (2, 0, -1)])
def test_slice_axis(axis, begin, end):
    x = rand(2, 3, 4)
    key = (slice(None),) * (axis % 3) + (slice(begin, end),)
    check_op("slice_axis", [x], lambda x: x[key], {"axis": axis, "begin": begin, "end": end})


@pytest.mark.parametrize("attrs,match", [
    (dict(axis=1, begin=2, end=1), "non-empty range"), (dict(axis=1, begin=0, end=5), "non-empty range"),
    (dict(axis=1, begin=-5, end=2), "non-empty range"), (dict(axis=1, begin=1, end=1), "non-empty range"),
    (dict(axis=3, begin=0, end=1), "out of range"), (dict(axis=1, begin=0), "required argument 'end'"),
])
def test_slice_axis_errors(attrs, match):
    check_op_error("slice_axis", [rand(2, 3, 4)], attrs, match=match)


@pytest.mark.parametrize("like,axes,expected", [((1, 2, 3), (), (1, 2, 3)), ((1, 2, 3), (0, 2), (1, 3, 3)),
                                                ((1, 2, 3), (-1,), (2, 3, 3)), ((1, 7), (0,), (1, 3, 4))])
def test_slice_like(like, axes, expected):
    x = rand(2, 3, 4)
    key = tuple(slice(0, n) for n in expected)
    check_op("slice_like", [x, rand(*like)], lambda x, y: x[key], {"axes": axes}, grad=[0])


@pytest.mark.parametrize("like,axes,match", [((1, 2), (), "same number of axes"), ((3, 2, 3), (), "at most data's size"),
                                             ((1, 2, 3), (3,), "out of range"), ((1, 2), (2,), "must exist")])
def test_slice_like_errors(like, axes, match):
    check_op_error("slice_like", [rand(2, 3, 4), rand(*like)], {"axes": axes}, match=match)


# ------------------------------------------------------------------ take
def np_take(axis=0, mode="clip"):
    def ref(a, idx):
        n = a.shape[axis]
        i = np.trunc(idx).astype(np.int64)
        i = np.clip(i, 0, n - 1) if mode == "clip" else np.mod(i, n)
        return np.take(a, i, axis=axis)

    return ref


@pytest.mark.parametrize("mode", ["clip", "wrap"])
@pytest.mark.parametrize("axis,ishape", [(0, (4,)), (1, (2, 3)), (-1, (5,)), (2, (1, 1))])
def test_take(mode, axis, ishape):
    a = rand(3, 4, 3)
    idx = RNG.randint(-5, 8, size=ishape).astype(np.float32)
    check_op("take", [a, idx], np_take(axis, mode), {"axis": axis, "mode": mode}, grad=[0])


def test_take_values_match_mxnet():
    a = np.arange(5, dtype=np.float32)
    idx = np.array([1.7, -0.5, -1.5, 4.9, 7, -3], dtype=np.float32)
    np.testing.assert_array_equal(run("take", [a, idx])[0].asnumpy(), [1, 0, 0, 4, 4, 0])
    np.testing.assert_array_equal(run("take", [a, idx], {"mode": "wrap"})[0].asnumpy(), [1, 0, 4, 4, 2, 2])
    ok = run("take", [a, np.array([1, 2], dtype=np.int32)], {"mode": "raise"})[0]
    np.testing.assert_array_equal(ok.asnumpy(), [1, 2])


def test_take_dtypes_and_input_names():
    a = np.arange(12, dtype=np.int32).reshape(3, 4)
    check_op("take", [a, np.array([2, 0], dtype=np.int64)], np_take(), grad=False)
    assert list(inspect.signature(mx.nd.take).parameters)[:4] == ["a", "indices", "axis", "mode"]
    out = mx.nd.take(a=mx.nd.array(a), indices=mx.nd.array([1]))
    assert out.shape == (1, 4)


def test_take_gradient_accumulates_like_mxnet():
    a, idx = np.arange(5, dtype=np.float32), np.array([1, 1, 7, -2], dtype=np.float32)
    np.testing.assert_array_equal(grad_of("take", [a, idx], {}), [1, 2, 0, 0, 1])
    np.testing.assert_array_equal(grad_of("take", [a, idx], {"mode": "wrap"}), [0, 2, 1, 1, 0])
    np.testing.assert_array_equal(grad_of("take", [a, idx], {}, wrt=1), [0, 0, 0, 0])


@pytest.mark.parametrize("idx,attrs,match", [
    ([1, 7], {"mode": "raise"}, r"out of range \[0, 5\) with mode='raise'"),
    ([1, -1], {"mode": "raise"}, "out of range"),
    ([1], {"axis": 1}, "axis=1 is out of range"),
    ([1], {"mode": "bogus"}, "must be one of"),
])
def test_take_errors(idx, attrs, match):
    check_op_error("take", [np.arange(5, dtype=np.float32), np.array(idx, dtype=np.float32)], attrs, match=match)


# ------------------------------------------------------------------ pick
def np_pick(axis=-1, keepdims=False, mode="clip"):
    def ref(data, index):
        ax = axis % data.ndim
        n = data.shape[ax]
        i = np.trunc(index).astype(np.int64)
        i = np.clip(i, 0, n - 1) if mode == "clip" else np.mod(i, n)
        if i.ndim < data.ndim:
            i = np.expand_dims(i, ax)
        out = np.take_along_axis(data, i, axis=ax)
        out = out if keepdims else np.squeeze(out, axis=ax)
        return out.reshape(1) if out.ndim == 0 else out

    return ref


@pytest.mark.parametrize("mode", ["clip", "wrap"])
@pytest.mark.parametrize("axis,keepdims,ishape", [(-1, False, (3, 4)), (1, True, (3, 2)), (0, False, (4, 2)),
                                                  (1, False, (3, 1, 2)), (2, True, (3, 4, 1))])
def test_pick(mode, axis, keepdims, ishape):
    data = rand(3, 4, 2)
    index = RNG.randint(-3, 6, size=ishape).astype(np.float32)
    check_op("pick", [data, index], np_pick(axis, keepdims, mode), {"axis": axis, "keepdims": keepdims, "mode": mode},
             grad=[0])


def test_pick_values_match_mxnet():
    d = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([0, 5, -1], dtype=np.float32)
    np.testing.assert_array_equal(run("pick", [d, idx])[0].asnumpy(), [0, 7, 8])
    np.testing.assert_array_equal(run("pick", [d, idx], {"mode": "wrap"})[0].asnumpy(), [0, 5, 11])
    np.testing.assert_array_equal(run("pick", [d, np.array([0.7, 2.5, -0.3], np.float32)])[0].asnumpy(), [0, 6, 8])
    np.testing.assert_array_equal(run("pick", [d, np.array([[0], [1], [2]], np.float32)], {"axis": 1})[0].asnumpy(),
                                  [0, 5, 10])
    out = run("pick", [np.arange(4, dtype=np.float32), np.array([2], np.float32)], {"axis": 0})[0]
    assert out.shape == (1,) and out.asnumpy()[0] == 2


@pytest.mark.parametrize("ishape,attrs,match", [
    ((2,), {"axis": 1}, r"index must have shape \(3,\) or \(3, 1\)"),
    ((1, 3), {"axis": 1}, "index must have shape"),
    ((3,), {"axis": None}, "axis=None is not supported"),
    ((3,), {"axis": 2}, "out of range"),
])
def test_pick_errors(ishape, attrs, match):
    check_op_error("pick", [rand(3, 4), np.zeros(ishape, np.float32)], attrs, match=match)


# ------------------------------------------------------------------ gather_nd / scatter_nd
def test_gather_nd():
    data = rand(3, 4, 2)
    for idx in ([[0, 1, -1], [1, 2, -1]], [[0, 2, 2], [3, 1, 1], [1, 0, 0]], [[[0, 2], [1, 1]]]):
        idx = np.array(idx, dtype=np.float32)
        check_op("gather_nd", [data, idx], lambda d, i: d[tuple(i.astype(np.int64))], grad=[0])


def test_gather_nd_values_and_gradient():
    d = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([[0, 1, -1], [1, 2, -1]], np.float32)
    np.testing.assert_array_equal(run("gather_nd", [d, idx])[0].asnumpy(), [1, 6, 11])  # as MXNet 1.9.1
    np.testing.assert_array_equal(run("gather_nd", [d, np.array([[0.7, 1.9], [1.2, 2]], np.float32)])[0].asnumpy(),
                                  [1, 6])
    g = grad_of("gather_nd", [d, np.array([[0, 0, -1], [1, 1, -1]], np.float32)], {})
    expected = np.zeros((3, 4), np.float32)
    expected[0, 1], expected[2, 3] = 2, 1  # repeated indices accumulate; MXNet drops the negative one
    np.testing.assert_array_equal(g, expected)


@pytest.mark.parametrize("idx,match", [
    ([[0, 1, 5], [1, 2, 9]], r"out of range for the leading axes of size \(3, 4\)"),
    ([[0, 2], [1, 1], [1, 1]], "1 <= M <= 2"),
    ([0, 2], "at least 2 axes"),
])
def test_gather_nd_errors(idx, match):
    check_op_error("gather_nd", [rand(3, 4), np.array(idx, np.float32)], match=match)


def test_scatter_nd():
    data = np.array([2, 3, 0], np.float32)
    idx = np.array([[1, 1, 0], [0, 1, 0]], np.float32)
    check_op("scatter_nd", [data, idx], lambda d, i: np.array([[0, 0], [2, 3]], np.float32), {"shape": (2, 2)},
             grad=[0])
    data2 = rand(2, 3)
    idx2 = np.array([[2, 0]], np.float32)

    def ref(d, i):
        out = np.zeros((4, 3), np.float32)
        out[i[0].astype(np.int64)] = d
        return out

    check_op("scatter_nd", [data2, idx2], ref, {"shape": (4, 3)}, grad=[0])
    g = grad_of("scatter_nd", [data, idx], {"shape": (2, 2)}, head=np.array([[1, 2], [3, 4]], np.float32))
    np.testing.assert_array_equal(g, [3, 4, 1])  # as MXNet 1.9.1
    out = run("scatter_nd", [data.astype(np.int32), idx], {"shape": (2, 2)})[0]
    assert out.dtype == np.int32


@pytest.mark.parametrize("dshape,idx,shape,match", [
    ((3,), [[1, 1, 5], [0, 1, 0]], (2, 2), "out of range"),
    ((2,), [[1, 1, 0], [0, 1, 0]], (2, 2), r"data must have shape \(3,\)"),
])
def test_scatter_nd_errors(dshape, idx, shape, match):
    check_op_error("scatter_nd", [rand(*dshape), np.array(idx, np.float32)], {"shape": shape}, match=match)


# ------------------------------------------------------------------ one_hot
def test_one_hot_values_match_mxnet():
    idx = np.array([1, 0, 2, -1, 3, 2.7, -0.5], np.float32)
    expected = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 0, 1], [1, 0, 0]], np.float32)
    check_op("one_hot", [idx], lambda i: expected, {"depth": 3}, grad=False)
    idx = np.array([1, 0, 2], np.float32)
    check_op("one_hot", [idx], lambda i: np.array([[1, 8, 1], [8, 1, 1], [1, 1, 8]], np.int32),
             {"depth": 3, "dtype": "int32", "on_value": 8, "off_value": 1}, grad=False)
    check_op("one_hot", [idx], lambda i: np.eye(3, dtype=np.int32)[[1, 0, 2]] * 2,
             {"depth": 3, "dtype": "int32", "on_value": 2.5}, grad=False)


@pytest.mark.parametrize("dtype", ["float16", "float64", "int8", "uint8", "int64"])
def test_one_hot_dtypes(dtype):
    idx = np.array([[1, 0], [3, 2]], np.int64)
    check_op("one_hot", [idx], lambda i: np.eye(4, dtype=dtype)[i], {"depth": 4, "dtype": dtype}, grad=False)


def test_one_hot_zero_gradient_and_errors():
    np.testing.assert_array_equal(grad_of("one_hot", [np.array([1, 2], np.float32)], {"depth": 3}), [0, 0])
    check_op_error("one_hot", [np.array([1], np.float32)], {"depth": -1}, match="depth must be >= 0")
    assert get("one_hot").batch_rule.axis == 0


# ------------------------------------------------------------------ reverse / diag
@pytest.mark.parametrize("axis", [(0,), (0, 2), (-1,), (0, 0), (), (1, 1, 1)])
def test_reverse(axis):
    x = rand(2, 3, 4)
    odd = tuple(d % 3 for d in set(axis) if axis.count(d) % 2)
    check_op("reverse", [x], lambda x: np.flip(x, odd) if odd else x, {"axis": axis})
    check_op("flip", [x], lambda x: np.flip(x, odd) if odd else x, {"axis": axis}, grad=False)


def test_reverse_errors():
    check_op_error("reverse", [rand(2, 3, 4)], {"axis": (3,)}, match="out of range")


@pytest.mark.parametrize("k", [0, 1, -2, 5])
def test_diag_vector(k):
    check_op("diag", [rand(3)], lambda v: np.diag(v, k), {"k": k})


@pytest.mark.parametrize("shape,attrs", [((3, 4), dict(k=0)), ((3, 4), dict(k=1)), ((3, 4), dict(k=-1)),
                                         ((3, 4), dict(k=4)), ((3, 4), dict(k=-3)), ((2, 3, 4), {}),
                                         ((2, 3, 4), dict(k=1, axis1=0, axis2=2)), ((2, 3, 4), dict(k=-1, axis1=2, axis2=0)),
                                         ((2, 3, 4), dict(axis1=-1, axis2=-2)), ((2, 3, 4), dict(k=-4, axis1=2, axis2=0))])
def test_diag_matrix(shape, attrs):
    k, a1, a2 = attrs.get("k", 0), attrs.get("axis1", 0), attrs.get("axis2", 1)
    check_op("diag", [rand(*shape)], lambda x: np.diagonal(x, k, a1, a2), attrs)


@pytest.mark.parametrize("shape,attrs,match", [
    ((3, 4), dict(k=-4), "does not exist"), ((2, 3, 4), dict(k=3, axis1=2, axis2=0), "does not exist"),
    ((2, 3, 4), dict(axis1=1, axis2=1), "different axes"), ((2, 3, 4), dict(axis1=0, axis2=3), "out of range"),
])
def test_diag_errors(shape, attrs, match):
    check_op_error("diag", [rand(*shape)], attrs, match=match)
    op = get("diag")
    with pytest.raises(mx.MXNetError, match="at least 1 axis"):  # nd.array makes no 0-d arrays
        op.impl(torch.tensor(1.0), a=op.parse_attrs({}))


def test_no_batch_rules_for_attr_dependent_ops():
    for name in ("slice", "slice_axis", "slice_like", "take", "pick", "gather_nd", "scatter_nd", "reverse", "diag"):
        assert get(name).batch_rule is None
    assert get("crop") is get("slice") and get("flip") is get("reverse")
