"""Tests of Convolution and Deconvolution (gluonic/ops/conv.py) against loop-based NumPy
references and values from MXNet 1.9.1."""
from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.conv import DeconvolutionAttrs
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, dtype=np.float64):
    return RNG.uniform(-1.0, 1.0, size=shape).astype(dtype)


# ------------------------------------------------------------------ NumPy references
def np_conv(x, w, b=None, *, stride, pad, dilate, groups=1):
    """Cross-correlation, channels first: one einsum per kernel offset and group."""
    nsp = x.ndim - 2
    xp = np.pad(x.astype(np.float64), [(0, 0), (0, 0)] + [(p, p) for p in pad])
    kernel = w.shape[2:]
    outs = [(xp.shape[2 + i] - dilate[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(nsp)]
    cout, cg = w.shape[0], w.shape[1]
    og = cout // groups
    y = np.zeros((x.shape[0], cout, *outs))
    for kidx in itertools.product(*[range(k) for k in kernel]):
        sl = tuple(slice(k * d, k * d + s * (o - 1) + 1, s) for k, d, s, o in zip(kidx, dilate, stride, outs))
        patch = xp[(slice(None), slice(None)) + sl]
        for g in range(groups):
            wk = w[(slice(g * og, (g + 1) * og), slice(None)) + kidx]
            y[:, g * og:(g + 1) * og] += np.einsum("nc...,oc->no...", patch[:, g * cg:(g + 1) * cg], wk)
    if b is not None:
        y += b.reshape((1, -1) + (1,) * nsp)
    return y.astype(x.dtype)


def np_deconv(x, w, b=None, *, stride, pad, dilate, adj, groups=1):
    """Transposed convolution by scattering every input element times the kernel, then cropping."""
    nsp = x.ndim - 2
    kernel = w.shape[2:]
    sizes = x.shape[2:]
    full = [(n - 1) * s + d * (k - 1) + 1 + a for n, s, d, k, a in zip(sizes, stride, dilate, kernel, adj)]
    C, og = w.shape[0], w.shape[1]
    cg = C // groups
    y = np.zeros((x.shape[0], og * groups, *full))
    for kidx in itertools.product(*[range(k) for k in kernel]):
        sl = tuple(slice(k * d, k * d + s * (n - 1) + 1, s) for k, d, s, n in zip(kidx, dilate, stride, sizes))
        for g in range(groups):
            wk = w[(slice(g * cg, (g + 1) * cg), slice(None)) + kidx]
            y[(slice(None), slice(g * og, (g + 1) * og)) + sl] += np.einsum(
                "nc...,co->no...", x[:, g * cg:(g + 1) * cg].astype(np.float64), wk)
    crop = tuple(slice(p, f - p) for p, f in zip(pad, full))
    y = y[(slice(None), slice(None)) + crop]
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * nsp)
    return y.astype(x.dtype)


def to_last(a):
    return np.moveaxis(a, 1, -1)


def to_first(a):
    return np.moveaxis(a, -1, 1)


# ------------------------------------------------------------------ registration
def test_signatures_defaults_and_aliases():
    conv = ["data", "weight", "bias", "kernel", "stride", "dilate", "pad", "num_filter", "num_group", "workspace",
            "no_bias", "cudnn_tune", "cudnn_off", "layout"]
    assert list(inspect.signature(mx.nd.Convolution).parameters)[:len(conv)] == conv
    deconv = ["data", "weight", "bias", "kernel", "stride", "dilate", "pad", "adj", "target_shape", "num_filter",
              "num_group", "workspace", "no_bias", "cudnn_tune", "cudnn_off", "layout"]
    assert list(inspect.signature(mx.nd.Deconvolution).parameters)[:len(deconv)] == deconv
    assert DeconvolutionAttrs.parse("Deconvolution", {"kernel": "(3, 3)", "num_filter": "2"}).no_bias is True
    assert get("convolution") is get("Convolution") and get("deconvolution") is get("Deconvolution")
    assert get("Convolution_v1") is get("Convolution")
    assert get("Convolution").batch_rule.unbatched == (1, 2)


# ------------------------------------------------------------------ Convolution
CONV_CASES = [
    # sizes, kernel, stride, pad, dilate, groups, cin, cout, no_bias
    ((7,), (3,), (1,), (0,), (1,), 1, 2, 3, False),
    ((8,), (3,), (2,), (1,), (2,), 2, 4, 2, False),
    ((6,), (2,), (3,), (2,), (1,), 1, 1, 2, True),
    ((5, 6), (3, 3), (1, 1), (1, 1), (1, 1), 1, 2, 3, False),
    ((6, 5), (3, 2), (2, 1), (0, 1), (1, 2), 2, 2, 4, False),
    ((7, 7), (2, 3), (3, 2), (2, 0), (2, 1), 3, 3, 3, True),
    ((4, 4, 5), (2, 3, 2), (1, 2, 1), (1, 0, 1), (1, 1, 2), 1, 2, 2, False),
    ((5, 4, 4), (3, 1, 2), (2, 1, 2), (0, 1, 1), (1, 2, 1), 2, 2, 2, True),
]


@pytest.mark.parametrize("sizes,kernel,stride,pad,dilate,groups,cin,cout,no_bias", CONV_CASES)
def test_convolution(sizes, kernel, stride, pad, dilate, groups, cin, cout, no_bias):
    x, w = rand(2, cin, *sizes), rand(cout, cin // groups, *kernel)
    b = None if no_bias else rand(cout)
    attrs = dict(kernel=kernel, stride=stride, pad=pad, dilate=dilate, num_filter=cout, num_group=groups, no_bias=no_bias)
    check_op("Convolution", [x, w, b],
             lambda x, w, b: np_conv(x, w, b, stride=stride, pad=pad, dilate=dilate, groups=groups), attrs,
             rtol=1e-10, atol=1e-10)


def test_convolution_default_attrs_and_depthwise():
    x, w, b = rand(1, 3, 6, 6), rand(3, 1, 3, 3), rand(3)
    check_op("Convolution", [x, w, b], lambda x, w, b: np_conv(x, w, b, stride=(1, 1), pad=(0, 0), dilate=(1, 1),
                                                                groups=3),
             {"kernel": (3, 3), "num_filter": 3, "num_group": 3}, grad=False)


@pytest.mark.parametrize("layout,sizes,kernel", [("NWC", (6,), (3,)), ("NHWC", (5, 6), (3, 2)),
                                                 ("NDHWC", (4, 5, 4), (2, 3, 2))])
def test_convolution_channels_last(layout, sizes, kernel):
    nsp = len(sizes)
    x = rand(2, *sizes, 4)
    w = rand(6, *kernel, 2)  # (num_filter, *kernel, C/num_group), as MXNet's channels-last weight
    b = rand(6)
    stride, pad, dilate = (2,) * nsp, (1,) * nsp, (1,) * nsp

    def ref(x, w, b):
        return to_last(np_conv(to_first(x), to_first(w), b, stride=stride, pad=pad, dilate=dilate, groups=2))

    check_op("Convolution", [x, w, b], ref, dict(kernel=kernel, stride=stride, pad=pad, num_filter=6, num_group=2,
                                                 layout=layout), rtol=1e-10, atol=1e-10, grad=nsp < 3)


@pytest.mark.parametrize("dtype,tol", [(np.float32, 1e-5), (np.float16, 2e-2)])
def test_convolution_dtypes(dtype, tol):
    x, w, b = rand(2, 2, 5, 5, dtype=dtype), rand(3, 2, 3, 3, dtype=dtype), rand(3, dtype=dtype)
    check_op("Convolution", [x, w, b], lambda x, w, b: np_conv(x, w, b, stride=(1, 1), pad=(1, 1), dilate=(1, 1)),
             {"kernel": (3, 3), "pad": (1, 1), "num_filter": 3}, rtol=tol, atol=tol, grad=False)


def test_convolution_bfloat16():
    x, w = rand(1, 2, 5, 5, dtype=np.float32), rand(3, 2, 3, 3, dtype=np.float32)
    out = mx.nd.Convolution(mx.nd.array(x).astype("bfloat16"), mx.nd.array(w).astype("bfloat16"), kernel=(3, 3),
                            num_filter=3, no_bias=True)
    assert str(out._tensor.dtype) == "torch.bfloat16"
    ref = np_conv(x, w, stride=(1, 1), pad=(0, 0), dilate=(1, 1))
    np.testing.assert_allclose(out.astype("float32").asnumpy(), ref, rtol=5e-2, atol=5e-2)


def test_convolution_errors():
    x = rand(1, 2, 5, 5)
    attrs = {"kernel": (3, 3), "num_filter": 3, "no_bias": True}
    check_op_error("Convolution", [x, rand(3, 2, 2, 3)], attrs,
                   match=r"expected weight of shape \(3, 2, 3, 3\).*Received: weight\(3, 2, 2, 3\)")
    check_op_error("Convolution", [x, rand(4, 2, 3, 3)], attrs, match="expected weight of shape")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, num_group=2, num_filter=4),
                   match="expected weight of shape")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, num_group=2), match="multiple of num_group")
    check_op_error("Convolution", [x, rand(3, 2, 7, 7)], dict(attrs, kernel=(7, 7)),
                   match="kernel size 7 exceeds the padded input size 5")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, dilate=(3, 3)), match="kernel size 7 exceeds")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, layout="NCW"), match="layout NCW does not fit")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, layout="NCHWX"), match="layout")
    check_op_error("Convolution", [x, rand(3, 2, 3)], dict(attrs, kernel=(3,)), match="needs 3-D data")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, stride=(2,)), match="one entry per spatial")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, stride=(0, 1)), match="must be >= 1")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3)], dict(attrs, no_bias=False), match="requires a bias")
    check_op_error("Convolution", [x, rand(3, 2, 3, 3), rand(2)], dict(attrs, no_bias=False),
                   match=r"bias of shape \(3,\)")


# ------------------------------------------------------------------ Deconvolution
DECONV_CASES = [
    # sizes, kernel, stride, pad, dilate, adj, groups, cin, cout, no_bias
    ((4,), (3,), (2,), (1,), (1,), (1,), 1, 2, 3, False),
    ((3,), (2,), (3,), (0,), (2,), (2,), 2, 2, 4, True),
    ((5,), (3,), (1,), (1,), (1,), (0,), 1, 1, 1, True),
    ((3, 4), (3, 3), (2, 2), (1, 1), (1, 1), (1, 0), 1, 2, 3, False),
    ((3, 3), (4, 2), (2, 3), (1, 0), (1, 2), (0, 2), 2, 4, 2, False),
    ((2, 3, 2), (2, 3, 2), (2, 1, 2), (0, 1, 1), (1, 1, 2), (1, 0, 0), 1, 2, 2, False),
]


@pytest.mark.parametrize("sizes,kernel,stride,pad,dilate,adj,groups,cin,cout,no_bias", DECONV_CASES)
def test_deconvolution(sizes, kernel, stride, pad, dilate, adj, groups, cin, cout, no_bias):
    x, w = rand(2, cin, *sizes), rand(cin, cout // groups, *kernel)
    b = None if no_bias else rand(cout)
    attrs = dict(kernel=kernel, stride=stride, pad=pad, dilate=dilate, adj=adj, num_filter=cout, num_group=groups,
                 no_bias=no_bias)
    check_op("Deconvolution", [x, w, b],
             lambda x, w, b: np_deconv(x, w, b, stride=stride, pad=pad, dilate=dilate, adj=adj, groups=groups), attrs,
             rtol=1e-10, atol=1e-10)


def test_deconvolution_dilated_matches_mxnet():
    # MXNet 1.9.1 (float32, oneDNN): x=[0,1,0], w=[1,2,3], dilate 2, stride 2 -> [0,0,1,0,2,0,3,0,0]
    out = run("Deconvolution", [np.array([[[0, 1, 0]]], np.float32), np.array([[[1, 2, 3]]], np.float32)],
              {"kernel": (3,), "dilate": (2,), "stride": (2,), "num_filter": 1})[0]
    np.testing.assert_array_equal(out.asnumpy(), [[[0, 0, 1, 0, 2, 0, 3, 0, 0]]])


@pytest.mark.parametrize("kernel,stride", [((3,), (2,)), ((4,), (2,)), ((3,), (3,)), ((5,), (3,)), ((2,), (2,))])
def test_deconvolution_target_shape(kernel, stride):
    # MXNet 1.9.1: output = full output cropped by ceil(total/2) on the left, total = full - target
    x, w = rand(1, 2, 5), rand(2, 3, *kernel)
    full = np_deconv(x, w, stride=stride, pad=(0,), dilate=(1,), adj=(0,))
    F = full.shape[-1]
    offsets = {7: 4, 6: 3, 5: 3, 4: 2, 3: 2, 2: 1, 1: 1, 0: 0}  # total -> left crop, measured in MXNet
    for t in range(F - 7, F + 1):
        out = run("Deconvolution", [x, w], dict(kernel=kernel, stride=stride, target_shape=(t,), num_filter=3,
                                                pad=(5,), adj=(1,)))[0].asnumpy()
        o = offsets[F - t]
        np.testing.assert_allclose(out, full[..., o:o + t], rtol=1e-12, err_msg=f"target {t}")


def test_deconvolution_target_shape_stride1_odd_and_2d():
    # MXNet rejects an odd total with stride 1 (adj would be 1); gluonic crops instead
    x, w = rand(1, 2, 5, 4), rand(2, 3, 3, 3)
    full = np_deconv(x, w, stride=(1, 1), pad=(0, 0), dilate=(1, 1), adj=(0, 0))  # (7, 6)
    attrs = dict(kernel=(3, 3), target_shape=(4, 5), num_filter=3)
    check_op("Deconvolution", [x, w], lambda x, w: full[:, :, 2:6, 1:6], attrs, rtol=1e-12, atol=1e-12)
    # a 0 entry leaves that axis to pad/adj
    out = run("Deconvolution", [x, w], dict(kernel=(3, 3), target_shape=(5, 0), pad=(0, 1), num_filter=3))[0]
    np.testing.assert_allclose(out.asnumpy(), full[:, :, 1:6, 1:5], rtol=1e-12)


@pytest.mark.parametrize("layout,sizes,kernel", [("NWC", (4,), (3,)), ("NHWC", (3, 4), (3, 2)),
                                                 ("NDHWC", (2, 3, 2), (2, 2, 3))])
def test_deconvolution_channels_last(layout, sizes, kernel):
    nsp = len(sizes)
    x = rand(2, *sizes, 4)
    w = rand(4, *kernel, 3)  # (C, *kernel, num_filter/num_group), as MXNet's channels-last weight
    stride, pad, adj = (2,) * nsp, (1,) * nsp, (1,) * nsp

    def ref(x, w):
        return to_last(np_deconv(to_first(x), to_first(w), stride=stride, pad=pad, dilate=(1,) * nsp, adj=adj,
                                 groups=2))

    check_op("Deconvolution", [x, w], ref, dict(kernel=kernel, stride=stride, pad=pad, adj=adj, num_filter=6,
                                                num_group=2, layout=layout), rtol=1e-10, atol=1e-10, grad=nsp < 3)


def test_deconvolution_errors():
    x = rand(1, 2, 5, 5)
    attrs = {"kernel": (3, 3), "num_filter": 3}
    check_op_error("Deconvolution", [x, rand(2, 4, 3, 3)], attrs,
                   match=r"expected weight of shape \(2, 3, 3, 3\).*Received: weight\(2, 4, 3, 3\)")
    check_op_error("Deconvolution", [x, rand(2, 3, 3, 3), rand(3)], attrs, match="no_bias=True")
    check_op_error("Deconvolution", [x, rand(2, 3, 3, 3)], dict(attrs, no_bias=False), match="requires a bias")
    check_op_error("Deconvolution", [x, rand(2, 3, 3, 3)], dict(attrs, stride=(2, 2), target_shape=(12, 12)),
                   match="larger than the largest reachable output size 11")
    check_op_error("Deconvolution", [x, rand(2, 3, 3, 3)], dict(attrs, stride=(2, 2), adj=(2, 2)),
                   match="adj must be smaller than stride")
    check_op_error("Deconvolution", [x, rand(2, 3, 1, 1)], dict(attrs, kernel=(1, 1), pad=(3, 3)),
                   match="leaves no output")
    check_op_error("Deconvolution", [x, rand(2, 3, 3, 3)], dict(attrs, layout="NHWC", kernel=(3,)),
                   match="layout NHWC does not fit 1 spatial axes")
