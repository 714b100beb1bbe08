"""Tests of the reduction ops (gluonic/ops/reduce.py) against NumPy, with MXNet 1.9's conventions."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.ops.infer import infer
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)
X = RNG.uniform(0.5, 1.5, size=(2, 3, 4)).astype(np.float32) * np.where(RNG.rand(2, 3, 4) > 0.3, 1, -1).astype(np.float32)

AXES = [None, (), 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)]


def mx_dims(ndim, axis, exclude=False):
    """Axes MXNet reduces over (written independently of gluonic's helper)."""
    if axis is None or axis == ():
        return tuple(range(ndim))
    axes = tuple(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))
    return tuple(d for d in range(ndim) if d not in axes) if exclude else tuple(sorted(axes))


def _int_mean(x, axis, keepdims):
    total = np.sum(x.astype(np.int64), axis=axis, keepdims=keepdims)
    n = int(np.prod([x.shape[d] for d in axis]))
    return np.trunc(total / n).astype(np.int64) if n else np.zeros_like(total)


NP_FUNCS = {
    "sum": np.sum,
    "mean": np.mean,
    "prod": np.prod,
    "max": np.max,
    "min": np.min,
    "nansum": np.nansum,
    "nanprod": np.nanprod,
}


def reference(op, axis=None, keepdims=False, exclude=False):
    def ref(x):
        dims = mx_dims(x.ndim, axis, exclude)
        if op == "mean" and not np.issubdtype(x.dtype, np.floating) and x.dtype != np.bool_ and dims:
            out = _int_mean(x, dims, keepdims)
        elif op == "mean" and x.dtype == np.bool_ and dims:
            out = np.any(x, axis=dims, keepdims=keepdims)
        else:
            out = NP_FUNCS[op](x, axis=dims, keepdims=keepdims)
        out = np.asarray(out).astype(x.dtype)
        return out.reshape(1) if out.ndim == 0 else out

    return ref


# ------------------------------------------------------------------ forward + gradient
@pytest.mark.parametrize("op", list(NP_FUNCS))
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("exclude", [False, True])
def test_reduce_float(op, axis, keepdims, exclude):
    x = X.copy()
    if op.startswith("nan"):
        x[0, 1, 2] = x[1, 2, 0] = np.nan
    attrs = {"axis": axis, "keepdims": keepdims, "exclude": exclude}
    check_op(op, [x], reference(op, axis, keepdims, exclude), attrs, rtol=1e-5, grad=(axis in (None, 1, (0, 2))))


def test_sum_aliases_and_positional_attrs():
    x = X
    for name in ("sum", "sum_axis"):
        np.testing.assert_allclose(getattr(mx.nd, name)(mx.nd.array(x), 1, True).asnumpy(), x.sum(1, keepdims=True),
                                   rtol=1e-6)
    assert get("max_axis") is get("max") and get("min_axis") is get("min") and get("sum_axis") is get("sum")
    np.testing.assert_allclose(mx.nd.max_axis(mx.nd.array(x), axis=-1).asnumpy(), x.max(-1))
    np.testing.assert_allclose(mx.nd.min_axis(mx.nd.array(x), 0, False, True).asnumpy(), x.min((1, 2)))


def test_full_reduction_shape_is_1():
    x = mx.nd.array(X)
    assert mx.nd.sum(x).shape == (1,)
    assert mx.nd.sum(x, axis=()).shape == (1,)
    assert mx.nd.sum(x, axis=(), exclude=True).shape == (1,)  # MXNet: exclude of nothing reduces all
    assert mx.nd.mean(x, keepdims=True).shape == (1, 1, 1)
    assert mx.nd.sum(x, axis=(0, 1, 2), exclude=True).shape == (2, 3, 4)  # nothing left to reduce
    assert mx.nd.max(mx.nd.array(np.array(3.0, dtype=np.float32))).shape == (1,)


# -------------------------------------------------------------------------------- dtypes
INT_DATA = (np.arange(24).reshape(2, 3, 4) * 10)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64, np.float16, np.float64])
@pytest.mark.parametrize("op", list(NP_FUNCS))
def test_reduce_dtypes(op, dtype):
    x = INT_DATA.astype(dtype)
    if dtype == np.float16 and "prod" in op:  # overflows to inf, as in MXNet
        x = (x / 100).astype(dtype)
    rtol = 2e-3 if dtype == np.float16 else 1e-6
    check_op(op, [x], reference(op, 1), {"axis": 1}, rtol=rtol, grad=False)
    check_op(op, [x], reference(op, (0, 2)), {"axis": (0, 2)}, rtol=rtol, grad=False)


def test_int8_wraps_like_mxnet():
    x = mx.nd.array(INT_DATA.astype(np.int8), dtype="int8")
    # values from MXNet 1.9.1
    assert mx.nd.sum(x, axis=1).asnumpy().ravel().tolist() == [120, -106, -76, -46, -32, -2, 28, 58]
    assert mx.nd.prod(x, axis=1).asnumpy().ravel().tolist() == [0, -56, -64, 88, 0, -24, 64, 120]


def test_int_mean_truncates_without_overflow():
    assert mx.nd.mean(mx.nd.array([-1, -2], dtype="int32")).asnumpy().tolist() == [-1]  # MXNet: -1
    # MXNet accumulates in int8 and gives -35 here; gluonic gives the true truncated mean.
    assert mx.nd.mean(mx.nd.array([10, 50, 90], dtype="int8")).asnumpy().tolist() == [50]


@pytest.mark.parametrize("op", list(NP_FUNCS))
def test_reduce_bool(op):
    b = np.array([[0, 1, 1], [1, 1, 1], [0, 0, 0]], dtype=bool)
    check_op(op, [b], reference(op, 1), {"axis": 1}, grad=False)
    expected = {"sum": [1, 1, 0], "mean": [1, 1, 0], "prod": [0, 1, 0], "max": [1, 1, 0], "min": [0, 1, 0],
                "nansum": [1, 1, 0], "nanprod": [0, 1, 0]}[op]  # MXNet 1.9.1
    assert run(op, [b], {"axis": 1})[0].asnumpy().astype(int).tolist() == expected


@pytest.mark.parametrize("op", ["sum", "mean", "max", "prod"])
def test_reduce_bfloat16(op):
    x = mx.nd.array(X, dtype="bfloat16")
    out = getattr(mx.nd, op)(x, axis=1)
    assert out._tensor.dtype == torch.bfloat16
    np.testing.assert_allclose(out._tensor.float().cpu().numpy(), reference(op, 1)(X), rtol=2e-2, atol=1e-2)


# --------------------------------------------------------------------------- zero size
def test_zero_size_axes():
    z = np.zeros((2, 0, 3), dtype=np.float32)
    for op, fill in [("sum", 0.0), ("prod", 1.0), ("nansum", 0.0), ("nanprod", 1.0), ("mean", np.nan)]:
        out = run(op, [z], {"axis": 1})[0].asnumpy()
        assert out.shape == (2, 3)
        np.testing.assert_array_equal(out, np.full((2, 3), fill, np.float32))
        assert run(op, [z], {"axis": 2})[0].shape == (2, 0)
    assert run("sum", [z])[0].asnumpy().tolist() == [0.0]
    assert run("max", [z], {"axis": 2})[0].shape == (2, 0)
    for op in ("max", "min"):
        check_op_error(op, [z], {"axis": 1}, match=rf"Operator {op}: .*axis 1, which has size 0.*\(2, 0, 3\)")
        check_op_error(op, [z], {}, match=rf"Operator {op}: .*size 0")


# ---------------------------------------------------------------------- special gradients
def _grad(fn, x, **kw):
    a = mx.nd.array(np.asarray(x, dtype=np.float64), dtype="float64")
    a.attach_grad()
    with mx.autograd.record():
        y = fn(a, **kw)
    y.backward()
    return y.asnumpy(), a.grad.asnumpy()


def test_max_min_gradient_goes_to_every_tie():
    # MXNet 1.9.1: every element equal to the extremum receives the full head gradient
    _, g = _grad(mx.nd.max, [[1, 3, 3], [2, 2, 2]], axis=1)
    np.testing.assert_array_equal(g, [[0, 1, 1], [1, 1, 1]])
    _, g = _grad(mx.nd.min, [[1, 1, 3], [2, 2, 2]], axis=1)
    np.testing.assert_array_equal(g, [[1, 1, 0], [1, 1, 1]])
    _, g = _grad(mx.nd.max, [[1, 3, 3], [2, 2, 3]])
    np.testing.assert_array_equal(g, [[0, 1, 1], [0, 0, 1]])
    _, g = _grad(mx.nd.max, [[1, 3, 3], [2, 2, 3]], axis=0, keepdims=True)
    np.testing.assert_array_equal(g, [[0, 1, 1], [1, 0, 1]])
    _, g = _grad(mx.nd.min, [[1, 3, 1], [1, 2, 3]], axis=1, exclude=True)
    np.testing.assert_array_equal(g, [[1, 0, 1], [1, 1, 0]])


def test_max_nan_propagates_with_zero_gradient():
    y, g = _grad(mx.nd.max, [[np.nan, 2, 3], [0, 1, 3]], axis=1)
    assert np.isnan(y[0]) and y[1] == 3
    np.testing.assert_array_equal(g, [[0, 0, 0], [0, 0, 1]])


def test_prod_gradient_with_zeros_is_exact():
    x = np.array([[0, 2, 3], [0, 0, 3], [1, 2, 3]], dtype=np.float64)
    check_op("prod", [x], reference("prod", 1), {"axis": 1})
    _, g = _grad(mx.nd.prod, x, axis=1)
    np.testing.assert_array_equal(g, [[6, 0, 0], [0, 0, 0], [6, 3, 2]])  # MXNet gives NaN here
    _, g = _grad(mx.nd.nanprod, [[np.nan, 2, 3], [0, np.nan, 3]], axis=1)
    np.testing.assert_array_equal(g, [[0, 3, 2], [3, 0, 0]])
    _, g = _grad(mx.nd.nansum, [[np.nan, 2, 3], [0, np.nan, 3]], axis=1)
    np.testing.assert_array_equal(g, [[0, 1, 1], [1, 0, 1]])


def test_mean_gradient():
    _, g = _grad(mx.nd.mean, np.ones((2, 3)), axis=1)
    np.testing.assert_allclose(g, np.full((2, 3), 1 / 3))


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("op", list(NP_FUNCS) + ["norm"])
def test_reduce_axis_errors(op):
    x = X
    check_op_error(op, [x], {"axis": 3}, match=rf"Operator {op}: axis 3 is out of range .*\(2, 3, 4\)")
    check_op_error(op, [x], {"axis": (0, -4)}, match=rf"Operator {op}: axis -4 is out of range .*\(2, 3, 4\)")
    check_op_error(op, [x], {"axis": (0, -3)}, match=rf"Operator {op}: .*distinct.*\(0, -3\)")
    with pytest.raises(ValueError, match=f"Operator {op}"):  # gluonic errors are also ValueErrors
        run(op, [x], {"axis": 5})


def test_reduce_shape_inference_errors_name_the_op():
    with pytest.raises(mx.MXNetError, match=r"Operator sum: axis 3 .*\(2, 3\)"):
        infer(get("sum"), [(2, 3)], [np.float32], get("sum").parse_attrs({"axis": 3}))


# --------------------------------------------------------------------------------- norm
def np_norm(ord=2, axis=None, keepdims=False, dtype=None):
    def ref(x):
        dims = mx_dims(x.ndim, axis)
        xf = x.astype(np.float64)
        out = np.sqrt(np.sum(xf * xf, axis=dims, keepdims=keepdims)) if ord == 2 else np.sum(
            np.abs(xf), axis=dims, keepdims=keepdims)
        out = np.asarray(out).astype(dtype or x.dtype)
        return out.reshape(1) if out.ndim == 0 else out

    return ref


@pytest.mark.parametrize("ord", [1, 2])
@pytest.mark.parametrize("axis", [None, (), 0, -1, (1, 2), (-1, 0), (0, 1, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm(ord, axis, keepdims):
    attrs = {"ord": ord, "axis": axis, "keepdims": keepdims}
    check_op("norm", [X], np_norm(ord, axis, keepdims), attrs, grad=axis in (None, -1, (1, 2)))


def test_norm_positional_attrs_and_doc_example():
    x = mx.nd.array([[[1, 2], [3, 4]], [[2, 2], [5, 6]]])
    np.testing.assert_allclose(mx.nd.norm(x, 2, 1).asnumpy(), [[3.1622777, 4.472136], [5.3851647, 6.3245554]],
                               rtol=1e-6)
    np.testing.assert_allclose(mx.nd.norm(x, ord=1, axis=1).asnumpy(), [[4, 6], [7, 8]])


@pytest.mark.parametrize("in_dtype,out_dtype", [
    (np.float32, "float64"), (np.float32, "float16"), (np.float32, "int32"), (np.float16, None),
    (np.float16, "float32"), (np.float64, None), (np.int32, None), (np.int32, "float32"), (np.int8, "int64"),
])
def test_norm_dtypes(in_dtype, out_dtype):
    x = (X * 10).astype(in_dtype)
    rtol = 2e-3 if np.float16 in (in_dtype, np.dtype(out_dtype or in_dtype).type) else 1e-6
    check_op("norm", [x], np_norm(2, 1, dtype=out_dtype), {"axis": 1, "out_dtype": out_dtype}, rtol=rtol, atol=1e-3,
             grad=False)


def test_norm_of_ints_is_the_true_norm():
    # MXNet 1.9.1 returns 9 here; sqrt(25 + 49 + 81) = 12.45
    assert mx.nd.norm(mx.nd.array([[5, 7, 9]], dtype="int32"), axis=1).asnumpy().tolist() == [12]


def test_norm_gradient_at_zero_is_zero():
    y, g = _grad(mx.nd.norm, [[0, 0, 0], [1, 2, 2]], axis=1)
    np.testing.assert_allclose(y, [0, 3])
    np.testing.assert_allclose(g, [[0, 0, 0], [1 / 3, 2 / 3, 2 / 3]])  # MXNet: NaN for the zero row
    _, g = _grad(mx.nd.norm, [[0, 0, 0], [1, -2, 2]], axis=1, ord=1)
    np.testing.assert_array_equal(g, [[0, 0, 0], [1, -1, 1]])


def test_norm_errors():
    check_op_error("norm", [X], {"ord": 3}, match=r"Operator norm: only ord=1 and ord=2.*Received: ord=3")
    check_op_error("norm", [X], {"out_dtype": "bool"}, match=r"Operator norm: invalid value for argument 'out_dtype'")


def test_norm_zero_size():
    z = np.zeros((2, 0, 3), dtype=np.float32)
    np.testing.assert_array_equal(run("norm", [z], {"axis": 1})[0].asnumpy(), np.zeros((2, 3)))


# ------------------------------------------------------------------------ argmax / argmin
def np_arg(fn, axis=None, keepdims=False):
    def ref(x):
        if axis is None:
            out = np.asarray(fn(x.reshape(-1))).reshape((1,) * x.ndim if keepdims else (1,))
        else:
            out = fn(x, axis=axis, keepdims=keepdims)
        return np.asarray(out).astype(np.float32 if x.dtype == np.bool_ else x.dtype)

    return ref


@pytest.mark.parametrize("op,fn", [("argmax", np.argmax), ("argmin", np.argmin)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_arg_reduce(op, fn, axis, keepdims):
    check_op(op, [X], np_arg(fn, axis, keepdims), {"axis": axis, "keepdims": keepdims}, grad=False)


@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int8, np.uint8, np.int32, np.int64, np.bool_])
def test_arg_reduce_output_dtype_is_input_dtype(dtype):
    x = (X * 10).astype(dtype)
    check_op("argmax", [x], np_arg(np.argmax, 1), {"axis": 1}, grad=False)
    check_op("argmin", [x], np_arg(np.argmin, -1), {"axis": -1}, grad=False)
    check_op("argmax_channel", [x], np_arg(np.argmax, 1), grad=False)


def test_arg_reduce_ties_and_nan():
    x = mx.nd.array([[1, 3, 3, 2, 3, 1]])
    assert mx.nd.argmax(x, axis=1).asnumpy().tolist() == [1.0]  # first maximum, as MXNet
    assert mx.nd.argmin(x, axis=1).asnumpy().tolist() == [0.0]
    assert mx.nd.argmax(x).asnumpy().tolist() == [1.0]
    nan = mx.nd.array([[1, np.nan, 3, np.nan]])
    assert mx.nd.argmax(nan, axis=1).asnumpy().tolist() == [1.0]  # MXNet 1.9.1: 1 for both
    assert mx.nd.argmin(nan, axis=1).asnumpy().tolist() == [1.0]


def test_argmax_channel():
    x = RNG.rand(2, 3, 4, 5).astype(np.float32)
    check_op("argmax_channel", [x], lambda a: a.argmax(1).astype(np.float32), grad=False)
    check_op("argmax_channel", [x[:, :, 0, 0]], lambda a: a.argmax(1).astype(np.float32), grad=False)
    assert get("argmax_channel").batch_rule is not None and get("argmax_channel").batch_rule.axis == 0
    check_op_error("argmax_channel", [np.array([1.0, 2.0], np.float32)], match=r"at least 2 dimensions.*\(2,\)")


def test_arg_reduce_errors():
    check_op_error("argmax", [X], {"axis": 3}, match=r"Operator argmax: axis 3 is out of range .*\(2, 3, 4\)")
    check_op_error("argmin", [X], {"axis": -4}, match=r"Operator argmin: axis -4 is out of range .*\(2, 3, 4\)")
    z = np.zeros((2, 0, 3), np.float32)
    check_op_error("argmax", [z], {"axis": 1}, match=r"Operator argmax: .*axis 1, which has size 0")
    check_op_error("argmin", [z], {}, match=r"Operator argmin: cannot search an empty array")
    assert run("argmax", [z], {"axis": 2})[0].shape == (2, 0)


@pytest.mark.parametrize("op", ["argmax", "argmin", "argmax_channel"])
def test_index_outputs_have_zero_gradient(op):
    # MXNet 1.9.1: backward through an index output writes zeros (argmax_channel: an error there)
    x = mx.nd.array(X)
    x.attach_grad()
    with mx.autograd.record():
        y = getattr(mx.nd, op)(x)
        z = y * mx.nd.sum(x)
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.zeros_like(X))
    z.backward()  # the index is a constant factor
    idx = y.asnumpy()
    np.testing.assert_allclose(x.grad.asnumpy(), np.full_like(X, idx.sum()), rtol=1e-6)
