"""Tests of sort, argsort and topk (gluonic/ops/sort.py) against NumPy, with MXNet 1.9's conventions."""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(1)
X = RNG.permutation(24).reshape(2, 3, 4).astype(np.float32) / 7 - 1  # distinct values
TIES = np.array([[1, 3, 3, 2, 3, 1], [0, 0, 5, 5, 1, 0]], dtype=np.float32)


def stable_order(x, axis, ascending):
    """Stable argsort of ``x`` along ``axis`` (ties keep input order in both directions)."""
    if axis is None:
        x, axis = x.reshape(-1), 0
    key = x if ascending else -x.astype(np.float64)
    return np.argsort(key, axis=axis, kind="stable"), x, axis


def np_sort(axis=-1, is_ascend=True):
    def ref(x):
        idx, flat, ax = stable_order(x, axis, is_ascend)
        return np.take_along_axis(flat, idx, ax)

    return ref


def np_argsort(axis=-1, is_ascend=True, dtype=np.float32):
    def ref(x):
        return stable_order(x, axis, is_ascend)[0].astype(dtype)

    return ref


def np_topk(axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype=np.float32):
    def ref(x):
        idx, flat, ax = stable_order(x, axis, is_ascend)
        kk = flat.shape[ax] if k <= 0 else k
        idx = np.take(idx, np.arange(kk), axis=ax)
        values = np.take_along_axis(flat, idx, ax)
        if ret_typ == "value":
            return values
        if ret_typ == "both":
            return values, idx.astype(dtype)
        if ret_typ == "mask":
            mask = np.zeros_like(flat)
            np.put_along_axis(mask, idx, 1, ax)
            return mask.reshape(x.shape)
        return idx.astype(dtype)

    return ref


# ----------------------------------------------------------------------------- sort
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("is_ascend", [True, False])
def test_sort(axis, is_ascend):
    check_op("sort", [X], np_sort(axis, is_ascend), {"axis": axis, "is_ascend": is_ascend})


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("is_ascend", [True, False])
def test_argsort(axis, is_ascend):
    check_op("argsort", [X], np_argsort(axis, is_ascend), {"axis": axis, "is_ascend": is_ascend})


@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int8, np.uint8, np.int32, np.int64, np.bool_])
def test_sort_dtypes(dtype):
    x = (np.abs(X) * 10).astype(dtype)
    check_op("sort", [x], np_sort(1, True), {"axis": 1}, grad=False)
    check_op("argsort", [x], np_argsort(-1, True), {}, grad=False)
    if dtype not in (np.uint8, np.bool_):  # the reference negates for descending order
        check_op("sort", [x], np_sort(-1, False), {"is_ascend": False}, grad=False)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "uint8"])
def test_index_dtype(dtype):
    check_op("argsort", [X], np_argsort(-1, True, dtype), {"dtype": dtype}, grad=False)
    check_op("topk", [X], np_topk(1, 2, "both", dtype=dtype), {"axis": 1, "k": 2, "ret_typ": "both", "dtype": dtype},
             grad=False)


def test_ties_are_stable_and_match_mxnet():
    # values from MXNet 1.9.1 (short rows, where its order among ties is the stable one)
    x = mx.nd.array(TIES[:1])
    assert mx.nd.argsort(x).asnumpy().tolist() == [[0, 5, 3, 1, 2, 4]]
    assert mx.nd.argsort(x, is_ascend=False).asnumpy().tolist() == [[1, 2, 4, 3, 0, 5]]
    assert mx.nd.topk(x, k=3).asnumpy().tolist() == [[1, 2, 4]]
    assert mx.nd.topk(x, k=3, is_ascend=True).asnumpy().tolist() == [[0, 5, 3]]
    assert mx.nd.topk(x).asnumpy().tolist() == [[1]]
    big = np.random.RandomState(0).randint(0, 3, size=(3, 200)).astype(np.float32)
    for is_ascend in (True, False):
        check_op("argsort", [big], np_argsort(-1, is_ascend), {"is_ascend": is_ascend}, grad=False)
        check_op("topk", [big], np_topk(-1, 50, is_ascend=is_ascend), {"k": 50, "is_ascend": is_ascend}, grad=False)


def test_sort_nan_is_largest():
    x = mx.nd.array([3, np.nan, 1, -np.inf])
    np.testing.assert_array_equal(mx.nd.sort(x).asnumpy(), [-np.inf, 1, 3, np.nan])
    np.testing.assert_array_equal(mx.nd.sort(x, is_ascend=False).asnumpy(), [np.nan, 3, 1, -np.inf])


# ----------------------------------------------------------------------------- topk
@pytest.mark.parametrize("ret_typ", ["indices", "value", "both", "mask"])
@pytest.mark.parametrize("axis,k", [(-1, 1), (-1, 3), (1, 2), (0, 2), (None, 5), (1, 0), (2, -1), (None, 0)])
@pytest.mark.parametrize("is_ascend", [False, True])
def test_topk(ret_typ, axis, k, is_ascend):
    attrs = {"axis": axis, "k": k, "ret_typ": ret_typ, "is_ascend": is_ascend}
    check_op("topk", [X], np_topk(axis, k, ret_typ, is_ascend), attrs, grad=ret_typ in ("value", "both"))


def test_topk_positional_attrs_and_outputs():
    x = mx.nd.array(X)
    v = mx.nd.topk(x, -1, 2, "value")
    np.testing.assert_allclose(v.asnumpy(), -np.sort(-X, axis=-1)[..., :2])
    both = mx.nd.topk(x, ret_typ="both", k=2)
    assert isinstance(both, list) and len(both) == 2
    op = get("topk")
    assert op.count_outputs(op.parse_attrs({"ret_typ": "both"})) == 2
    assert op.count_outputs(op.parse_attrs({})) == 1


@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.uint8, np.float64, np.float16])
def test_topk_value_and_mask_keep_input_dtype(dtype):
    x = (np.abs(X) * 10).astype(dtype)
    # distinct values after the cast are not guaranteed: the stable reference handles ties
    check_op("topk", [x], np_topk(-1, 2, "both"), {"k": 2, "ret_typ": "both"}, grad=False)
    check_op("topk", [x], np_topk(1, 2, "mask"), {"axis": 1, "k": 2, "ret_typ": "mask", "dtype": "int32"},
             grad=False)


def test_topk_errors():
    check_op_error("topk", [X], {"k": 5}, match=r"Operator topk: k=5 is larger than the size 4 .*\(2, 3, 4\)")
    check_op_error("topk", [X], {"axis": 3}, match=r"Operator topk: axis 3 is out of range .*\(2, 3, 4\)")
    check_op_error("topk", [X], {"axis": -4}, match=r"Operator topk: axis -4 is out of range .*\(2, 3, 4\)")
    check_op_error("topk", [X], {"ret_typ": "values"}, match=r"Operator topk: invalid value for argument 'ret_typ'")
    check_op_error("topk", [X], {"dtype": "int8"}, match=r"Operator topk: invalid value for argument 'dtype'")
    check_op_error("topk", [np.zeros((2, 0, 3), np.float32)], {"axis": 1}, match=r"k=1 is larger than the size 0")


def test_sort_errors():
    for op in ("sort", "argsort"):
        check_op_error(op, [X], {"axis": 3}, match=rf"Operator {op}: axis 3 is out of range .*\(2, 3, 4\)")
        check_op_error(op, [X], {"axis": -4}, match=rf"Operator {op}: axis -4 is out of range .*\(2, 3, 4\)")
    check_op_error("argsort", [X], {"dtype": "int8"}, match=r"Operator argsort: invalid value for argument 'dtype'")


def test_zero_size():
    z = np.zeros((2, 0, 3), np.float32)
    for axis in (None, 1, 2):
        assert run("sort", [z], {"axis": axis})[0].shape == ((0,) if axis is None else (2, 0, 3))
        assert run("argsort", [z], {"axis": axis})[0].shape == ((0,) if axis is None else (2, 0, 3))
    assert run("topk", [z], {"axis": 2})[0].shape == (2, 0, 1)


# ------------------------------------------------------------------------ gradients
def test_sort_gradient_goes_to_the_source_element():
    # MXNet 1.9.1's sort backward fails ("Invalid Parameter format for axis"); these are
    # the gradients it gives with an explicit axis.
    x = mx.nd.array([[1, 3, 0, 2]], dtype="float64")
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.sort(x, axis=1)
    y.backward(mx.nd.array([[1, 2, 3, 4]], dtype="float64"))
    np.testing.assert_array_equal(x.grad.asnumpy(), [[2, 4, 1, 3]])
    with mx.autograd.record():
        y = mx.nd.sort(x)
    y.backward(mx.nd.array([[1, 2, 3, 4]], dtype="float64"))
    np.testing.assert_array_equal(x.grad.asnumpy(), [[2, 4, 1, 3]])


def test_topk_value_gradient_at_ties():
    x = mx.nd.array([[1, 3, 3, 2]], dtype="float64")
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.topk(x, k=2, ret_typ="value")
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 1, 1, 0]])  # MXNet 1.9.1


@pytest.mark.parametrize("attrs", [{}, {"ret_typ": "mask", "k": 2}, {"ret_typ": "indices", "axis": None}])
def test_index_outputs_have_zero_gradient(attrs):
    x = mx.nd.array(X)
    x.attach_grad()
    for op in ("argsort", "topk"):
        with mx.autograd.record():
            y = getattr(mx.nd, op)(x, **(attrs if op == "topk" else {}))
        y.backward()
        np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros_like(X))


def test_topk_both_backward_through_values_times_indices():
    # MXNet 1.9.1: [[0, 1, 2]] (the indices act as constants)
    x = mx.nd.array([[1, 3, 2]])
    x.attach_grad()
    with mx.autograd.record():
        v, i = mx.nd.topk(x, ret_typ="both", k=2)
        z = v * i
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 1, 2]])
    with mx.autograd.record():
        v, i = mx.nd.topk(x, ret_typ="both", k=2)
    mx.autograd.backward([v, i])
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 1, 1]])
