"""Tests of Pooling and UpSampling (gluonic/ops/pool.py) against window-by-window NumPy
references and values from MXNet 1.9.1."""
from __future__ import annotations

import inspect
import itertools
import math

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, dtype=np.float64):
    return RNG.uniform(-1.0, 1.0, size=shape).astype(dtype)


# ------------------------------------------------------------------ NumPy reference
def out_size(n, k, s, p, convention):
    if convention == "valid":
        return (n + 2 * p - k) // s + 1
    if convention == "full":
        return math.ceil((n + 2 * p - k) / s) + 1
    return math.ceil(n / s)


def np_pool(x, kernel, stride=None, pad=None, pool_type="max", convention="valid", count_include_pad=True,
            p_value=None):
    """MXNet's pooling, one window at a time (channels first)."""
    nsp = x.ndim - 2
    stride = stride or (1,) * nsp
    pad = pad or (0,) * nsp
    sizes = x.shape[2:]
    outs = [out_size(n, k, s, p, convention) for n, k, s, p in zip(sizes, kernel, stride, pad)]
    y = np.zeros(x.shape[:2] + tuple(outs))
    x64 = x.astype(np.float64)
    for idx in itertools.product(*[range(o) for o in outs]):
        starts = [j * s - p for j, s, p in zip(idx, stride, pad)]
        lo = [max(st, 0) for st in starts]
        hi = [min(st + k, n) for st, k, n in zip(starts, kernel, sizes)]
        win = x64[(slice(None), slice(None)) + tuple(slice(a, max(a, b)) for a, b in zip(lo, hi))]
        win = win.reshape(win.shape[:2] + (-1,))
        empty = win.shape[-1] == 0
        if pool_type == "max":
            v = np.full(win.shape[:2], np.finfo(x.dtype).min) if empty else win.max(-1)
        elif pool_type == "sum":
            v = win.sum(-1)
        elif pool_type == "lp":
            s = (win ** p_value).sum(-1)
            v = np.sign(s) * np.abs(s) ** (1.0 / p_value)
        else:
            if count_include_pad:
                count = np.prod([min(st + k, n + p) - st for st, k, n, p in zip(starts, kernel, sizes, pad)])
            else:
                count = np.prod([b - a for a, b in zip(lo, hi)])
            v = win.sum(-1) / max(count, 1)
        y[(slice(None), slice(None)) + idx] = v
    return y.astype(x.dtype)


# ------------------------------------------------------------------ registration
def test_signature_and_aliases():
    params = ["data", "kernel", "pool_type", "global_pool", "cudnn_off", "pooling_convention", "stride", "pad",
              "p_value", "count_include_pad", "layout"]
    assert list(inspect.signature(mx.nd.Pooling).parameters)[:len(params)] == params
    assert get("pooling") is get("Pooling")
    assert get("Pooling").batch_rule.axis == 0


# ------------------------------------------------------------------ output sizes and values from MXNet
# (n, kernel, stride, pad) -> MXNet 1.9.1 output width for 'valid' and 'full'
MXNET_SIZES = [
    (5, 3, 2, 0, 2, 2), (5, 2, 2, 0, 2, 3), (5, 3, 2, 1, 3, 3), (5, 3, 3, 1, 2, 3), (5, 4, 3, 1, 2, 2),
    (6, 3, 2, 0, 2, 3), (6, 2, 2, 0, 3, 3), (6, 3, 2, 1, 3, 4), (6, 3, 3, 1, 2, 3), (6, 4, 3, 1, 2, 3),
    (7, 3, 2, 0, 3, 3), (7, 2, 2, 0, 3, 4), (7, 3, 2, 1, 4, 4), (7, 3, 3, 1, 3, 3), (7, 4, 3, 1, 2, 3),
    (8, 3, 2, 0, 3, 4), (8, 2, 2, 0, 4, 4), (8, 3, 2, 1, 4, 5), (8, 3, 3, 1, 3, 4), (8, 4, 3, 1, 3, 3),
]


@pytest.mark.parametrize("n,k,s,p,valid,full", MXNET_SIZES)
def test_output_sizes_match_mxnet(n, k, s, p, valid, full):
    x = rand(1, 1, n)
    for convention, expected in (("valid", valid), ("full", full)):
        y = run("Pooling", [x], dict(kernel=(k,), stride=(s,), pad=(p,), pooling_convention=convention))[0]
        assert y.shape == (1, 1, expected), (convention, y.shape)


def test_full_convention_values_match_mxnet():
    # x = 1..8, kernel 3, stride 3, pad 1, 'full': the last window lies wholly in the padding (torch's
    # ceil_mode drops it; MXNet keeps it). Expected values are MXNet 1.9.1's (float32).
    x = np.arange(1, 9, dtype=np.float32).reshape(1, 1, 8)
    attrs = dict(kernel=(3,), stride=(3,), pad=(1,), pooling_convention="full")
    lowest = np.finfo(np.float32).min
    expected = {
        ("avg", True): [1, 4, 7, 0], ("avg", False): [1.5, 4, 7, 0], ("sum", True): [3, 12, 21, 0],
        ("max", True): [2, 5, 8, lowest],
    }
    for (kind, cip), want in expected.items():
        y = run("Pooling", [x], dict(attrs, pool_type=kind, count_include_pad=cip))[0].asnumpy()
        np.testing.assert_allclose(y.ravel(), want, rtol=1e-6, err_msg=kind)
    neg = -x
    y = run("Pooling", [neg], dict(attrs, pool_type="max"))[0].asnumpy()
    np.testing.assert_allclose(y.ravel(), [-1, -3, -6, lowest])
    for p, want in ((1, [-3, -12, -21, 0]), (2, [2.236068, 7.071068, 12.206555, 0]),
                    (3, [-2.0800838, -6.0, -10.2312765, 0])):
        y = run("Pooling", [neg], dict(attrs, pool_type="lp", p_value=p))[0].asnumpy()
        np.testing.assert_allclose(y.ravel(), want, rtol=1e-6, err_msg=f"lp p={p}")


def test_large_pad_values_match_mxnet():
    # pad 2 > kernel/2 (torch refuses it natively); MXNet 1.9.1 values
    x = np.arange(1, 9, dtype=np.float32).reshape(1, 1, 8)
    attrs = dict(kernel=(3,), stride=(1,), pad=(2,))
    y = run("Pooling", [x], dict(attrs, pool_type="max"))[0].asnumpy().ravel()
    np.testing.assert_allclose(y, [1, 2, 3, 4, 5, 6, 7, 8, 8, 8])
    y = run("Pooling", [x], dict(attrs, pool_type="avg"))[0].asnumpy().ravel()
    np.testing.assert_allclose(y, [1 / 3, 1, 2, 3, 4, 5, 6, 7, 5, 8 / 3], rtol=1e-6)
    y = run("Pooling", [x], dict(attrs, pool_type="avg", count_include_pad=False))[0].asnumpy().ravel()
    np.testing.assert_allclose(y, [1, 1.5, 2, 3, 4, 5, 6, 7, 7.5, 8], rtol=1e-6)


# ------------------------------------------------------------------ against the NumPy reference
POOL_CASES = [
    # sizes, kernel, stride, pad
    ((7,), (3,), (2,), (1,)),
    ((8,), (2,), (3,), (0,)),
    ((6,), (4,), (3,), (2,)),
    ((5, 7), (2, 3), (2, 2), (1, 0)),
    ((6, 5), (3, 3), (3, 1), (1, 1)),
    ((4, 5, 5), (2, 3, 2), (2, 2, 1), (0, 1, 1)),
]


@pytest.mark.parametrize("convention", ["valid", "full", "same"])
@pytest.mark.parametrize("pool_type", ["max", "avg", "sum", "lp"])
@pytest.mark.parametrize("sizes,kernel,stride,pad", POOL_CASES)
def test_pooling(sizes, kernel, stride, pad, pool_type, convention):
    if convention == "same":
        pad = (0,) * len(pad)
    x = rand(2, 2, *sizes)
    attrs = dict(kernel=kernel, stride=stride, pad=pad, pool_type=pool_type, pooling_convention=convention)
    p_value = 2 if pool_type == "lp" else None
    if p_value:
        attrs["p_value"] = p_value
        x = np.abs(x) + 0.1  # keep sqrt away from 0 for the numeric gradient
    grad = len(sizes) < 3 and pool_type != "max" or len(sizes) == 1
    check_op("Pooling", [x], lambda x: np_pool(x, kernel, stride, pad, pool_type, convention, True, p_value), attrs,
             rtol=1e-10, atol=1e-12, grad=grad)


@pytest.mark.parametrize("convention", ["valid", "full"])
@pytest.mark.parametrize("sizes,kernel,stride,pad", POOL_CASES)
def test_avg_pooling_exclude_pad(sizes, kernel, stride, pad, convention):
    x = rand(1, 2, *sizes)
    attrs = dict(kernel=kernel, stride=stride, pad=pad, pool_type="avg", pooling_convention=convention,
                 count_include_pad=False)
    check_op("Pooling", [x], lambda x: np_pool(x, kernel, stride, pad, "avg", convention, False), attrs,
             rtol=1e-10, atol=1e-12, grad=len(sizes) < 3)


@pytest.mark.parametrize("p_value", [1, 3, 4])
def test_lp_pooling_signs(p_value):
    x = rand(1, 2, 5, 6)
    check_op("Pooling", [x], lambda x: np_pool(x, (2, 2), (2, 2), (0, 0), "lp", "full", p_value=p_value),
             dict(kernel=(2, 2), stride=(2, 2), pool_type="lp", p_value=p_value, pooling_convention="full"),
             rtol=1e-10, atol=1e-12, grad=False)


@pytest.mark.parametrize("pool_type", ["max", "avg", "sum", "lp"])
@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 5), (1, 2, 3, 4, 3)])
def test_global_pooling(shape, pool_type):
    x = rand(*shape)
    nsp = len(shape) - 2
    attrs = dict(kernel=(2,) * nsp, pad=(1,) * nsp, global_pool=True, pool_type=pool_type)  # kernel/pad ignored
    if pool_type == "lp":
        attrs["p_value"] = 2
    check_op("Pooling", [x], lambda x: np_pool(x, shape[2:], pool_type=pool_type, p_value=attrs.get("p_value")),
             attrs, rtol=1e-10, atol=1e-12)
    assert run("Pooling", [x], dict(global_pool=True, pool_type=pool_type, p_value=2))[0].shape == shape[:2] + (1,) * nsp


@pytest.mark.parametrize("layout,shape,kernel", [("NWC", (2, 7, 3), (3,)), ("NHWC", (2, 5, 6, 3), (2, 2)),
                                                 ("NDHWC", (1, 4, 5, 4, 2), (2, 3, 2))])
@pytest.mark.parametrize("pool_type", ["max", "avg"])
def test_pooling_channels_last(layout, shape, kernel, pool_type):
    x = rand(*shape)
    nsp = len(kernel)
    stride, pad = (2,) * nsp, (1,) * nsp

    def ref(x):
        return np.moveaxis(np_pool(np.moveaxis(x, -1, 1), kernel, stride, pad, pool_type, "full"), 1, -1)

    check_op("Pooling", [x], ref, dict(kernel=kernel, stride=stride, pad=pad, pool_type=pool_type, layout=layout,
                                       pooling_convention="full"), rtol=1e-10, atol=1e-12,
             grad=nsp < 3 and pool_type == "avg")  # max: empty windows give the lowest float
    g = run("Pooling", [x], dict(global_pool=True, pool_type=pool_type, layout=layout))[0]
    assert g.shape == (shape[0],) + (1,) * nsp + (shape[-1],)


@pytest.mark.parametrize("dtype,tol", [(np.float32, 1e-6), (np.float16, 1e-3)])
def test_pooling_dtypes(dtype, tol):
    x = rand(2, 2, 5, 5, dtype=dtype)
    for kind in ("max", "avg", "sum"):
        check_op("Pooling", [x], lambda x, kind=kind: np_pool(x, (3, 3), (2, 2), (1, 1), kind, "full"),
                 dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type=kind, pooling_convention="full"),
                 rtol=tol, atol=tol, grad=False)


def test_pooling_errors():
    x = rand(1, 1, 5, 6)
    check_op_error("Pooling", [x], dict(kernel=(7, 2)), match="kernel size 7 exceeds the padded input size 5")
    check_op_error("Pooling", [x], dict(kernel=(2,)), match="needs 3-D data")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), layout="NCW"), match="layout NCW does not fit 2 spatial")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), layout="NHCW"), match="layout")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), pool_type="lp"), match="p_value")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), pooling_convention="same", pad=(1, 1)), match="pad must be 0")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), stride=(0, 1)), match="must be >= 1")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), stride=(1,)), match="one entry per spatial axis")
    check_op_error("Pooling", [x], {}, match="needs 2-D data|global_pool")
    check_op_error("Pooling", [rand(3, 4)], dict(kernel=(2,)), match="3-D, 4-D or 5-D")
    check_op_error("Pooling", [x], dict(kernel=(2, 2), pool_type="median"), match="pool_type")


def test_pooling_v1_matches_mxnet():
    # Pooling_v1 divides 'avg' by the whole kernel area (MXNet 1.9.1 values)
    assert list(inspect.signature(mx.nd.Pooling_v1).parameters)[:7] == [
        "data", "kernel", "pool_type", "global_pool", "pooling_convention", "stride", "pad"]
    x = np.arange(1, 37, dtype=np.float32).reshape(1, 1, 6, 6)
    attrs = dict(kernel=(3, 3), stride=(2, 2), pooling_convention="full")
    y = run("Pooling_v1", [x], dict(attrs, pool_type="avg"))[0].asnumpy()[0, 0]
    np.testing.assert_allclose(y, [[8, 10, 7.6666665], [20, 22, 15.666667], [19.333334, 20.666666, 14.444445]],
                               rtol=1e-6)
    xs = rand(1, 2, 5, 6)
    check_op("Pooling_v1", [xs], lambda x: np_pool(x, (3, 3), (2, 2), (1, 1), "max", "full"),
             dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pooling_convention="full"), rtol=1e-12, grad=False)
    check_op("Pooling_v1", [xs], lambda x: x.mean(axis=(2, 3), keepdims=True), dict(global_pool=True, pool_type="avg"))


# ------------------------------------------------------------------ UpSampling
def np_nearest(x, s):
    return x.repeat(s, axis=2).repeat(s, axis=3)


def test_upsampling_nearest():
    x = rand(2, 3, 2, 3)
    check_op("UpSampling", [x], lambda x: np_nearest(x, 2), dict(scale=2, sample_type="nearest"))
    check_op("UpSampling", [x], lambda x: np_nearest(x, 3), dict(scale=3, sample_type="nearest", num_args=1),
             grad=False)


def test_upsampling_nearest_multi_input():
    # MXNet 1.9.1: each input is scaled to the first input's size times scale
    a, b, c = rand(1, 2, 2, 2), rand(1, 1, 4, 4), rand(1, 2, 1, 1)
    check_op("UpSampling", [a, b, c],
             lambda a, b, c: np.concatenate([np_nearest(a, 2), b, np_nearest(c, 4)], axis=1),
             dict(scale=2, sample_type="nearest"))
    check_op("UpSampling", [a, c], lambda a, c: np_nearest(a, 2) + np_nearest(c, 4),
             dict(scale=2, sample_type="nearest", multi_input_mode="sum"))
    out = mx.nd.UpSampling(mx.nd.array(a), mx.nd.array(c), scale=2, sample_type="nearest")
    assert out.shape == (1, 4, 4, 4)


def np_bilinear(x, w, s):
    from .test_conv import np_deconv

    return np_deconv(x, w, stride=(s, s), pad=(math.ceil((s - 1) / 2),) * 2, dilate=(1, 1), adj=(0, 0),
                     groups=x.shape[1])


@pytest.mark.parametrize("scale", [2, 3])
def test_upsampling_bilinear(scale):
    k = 2 * scale - scale % 2
    x, w = rand(1, 2, 3, 2), rand(2, 1, k, k)
    check_op("UpSampling", [x, w], lambda x, w: np_bilinear(x, w, scale),
             dict(scale=scale, sample_type="bilinear", num_filter=2), rtol=1e-10, atol=1e-12)
    assert run("UpSampling", [x, w], dict(scale=scale, sample_type="bilinear", num_filter=2))[0].shape == (
        1, 2, 3 * scale, 2 * scale)


def test_upsampling_bilinear_mxnet_doc_example():
    out = mx.nd.UpSampling(mx.nd.ones((1, 1, 3, 3)), mx.nd.ones((1, 1, 4, 4)), scale=2, sample_type="bilinear",
                           num_filter=1)
    edge = [1, 2, 2, 2, 2, 1]
    expected = np.array([edge] + [[2, 4, 4, 4, 4, 2]] * 4 + [edge], np.float32)
    np.testing.assert_array_equal(out.asnumpy()[0, 0], expected)


def test_upsampling_errors():
    x = rand(1, 2, 2, 2)
    check_op_error("UpSampling", [x], dict(scale=2), match="sample_type")
    check_op_error("UpSampling", [x, rand(1, 3, 2, 2)], dict(scale=2, sample_type="nearest", multi_input_mode="sum"),
                   match="same number of channels")
    check_op_error("UpSampling", [x, rand(1, 1, 3, 3)], dict(scale=2, sample_type="nearest"),
                   match="whole factor")
    check_op_error("UpSampling", [rand(1, 2, 4)], dict(scale=2, sample_type="nearest"), match="4-D")
    check_op_error("UpSampling", [x], dict(scale=2, sample_type="nearest", num_args=2), match="num_args=2")
    check_op_error("UpSampling", [x], dict(scale=2, sample_type="bilinear", num_filter=2), match="two inputs")
    check_op_error("UpSampling", [x, rand(2, 1, 3, 3)], dict(scale=2, sample_type="bilinear", num_filter=2),
                   match=r"weight of shape \(2, 1, 4, 4\)")
    check_op_error("UpSampling", [x, rand(2, 1, 4, 4)], dict(scale=2, sample_type="bilinear"),
                   match="num_filter=2")
