"""Tests of the convolution and pooling layers of ``gluon.nn`` (expected values from MXNet 1.9.1)."""
import inspect
import itertools
import json
import os

import numpy as np
import pytest

import gluonic as mx
import gluonic.gluon.contrib  # noqa: F401  (gluon.contrib is not imported by gluon yet)
from gluonic.base import GluonicValueError
from gluonic.gluon import nn
from gluonic.gluon.contrib import nn as cnn
from gluonic.test_utils import check_numeric_gradient

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "nn_conv")
with open(os.path.join(GOLDEN, "manifest.json")) as _f:
    MANIFEST = json.load(_f)
CONV_CASES = sorted(k for k, v in MANIFEST.items() if "cnn." not in v["expr"])
_IO = {}


def io(key):
    if not _IO:
        _IO.update(mx.nd.load(os.path.join(GOLDEN, "io.nd")))
    return _IO[key]


def seq(container, *children):
    with container.name_scope():
        container.add(*children)
    return container


def build(expr):
    return eval(expr, {"nn": nn, "cnn": cnn, "seq": seq})


def check_golden(case):
    """Load MXNet's weights, run forward and backward, compare with MXNet's results."""
    spec = MANIFEST[case]
    layer = build(spec["expr"])
    layer.initialize()
    if spec["params"]:  # MXNet writes an empty list for no parameters (gluonic's load_parameters rejects it)
        layer.load_parameters(os.path.join(GOLDEN, f"{case}.params"))
    params = layer._collect_params_with_prefix()
    assert {k: list(p.shape) for k, p in params.items()} == spec["params"]
    x = io(f"{case}:x").copy()
    x.attach_grad()
    with mx.autograd.record():
        y = layer(x)
    y.backward(io(f"{case}:dy"))
    assert list(y.shape) == spec["out_shape"]
    np.testing.assert_allclose(y.asnumpy(), io(f"{case}:y").asnumpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(x.grad.asnumpy(), io(f"{case}:dx").asnumpy(), rtol=1e-5, atol=1e-5)
    for name, p in params.items():
        np.testing.assert_allclose(p.grad().asnumpy(), io(f"{case}:d.{name}").asnumpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=name)


def check_deferred_shapes(case):
    """Deferred initialization infers the parameter shapes MXNet inferred."""
    spec = MANIFEST[case]
    layer = build(spec["expr"])
    layer.initialize()
    y = layer(mx.nd.ones(tuple(spec["shape"])))
    assert list(y.shape) == spec["out_shape"]
    assert {k: list(p.shape) for k, p in layer._collect_params_with_prefix().items()} == spec["params"]


# --------------------------------------------------------------------------- golden (real MXNet)

@pytest.mark.parametrize("case", CONV_CASES)
def test_golden(case):
    check_golden(case)


@pytest.mark.parametrize("case", CONV_CASES)
def test_deferred_shapes_match_mxnet(case):
    check_deferred_shapes(case)


def test_golden_covers_every_layer():
    used = {MANIFEST[c]["expr"].split("(")[0].split(".")[-1] for c in CONV_CASES}
    assert used == set(nn.conv_layers.__all__)


# --------------------------------------------------------------------------- API surface

# inspect.signature of MXNet 1.9.1's classes
SIGNATURES = {
    "Conv1D": "(channels, kernel_size, strides=1, padding=0, dilation=1, groups=1, layout='NCW', activation=None, "
              "use_bias=True, weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs)",
    "Conv2D": "(channels, kernel_size, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, layout='NCHW', "
              "activation=None, use_bias=True, weight_initializer=None, bias_initializer='zeros', in_channels=0, "
              "**kwargs)",
    "Conv3D": "(channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), groups=1, "
              "layout='NCDHW', activation=None, use_bias=True, weight_initializer=None, bias_initializer='zeros', "
              "in_channels=0, **kwargs)",
    "Conv1DTranspose": "(channels, kernel_size, strides=1, padding=0, output_padding=0, dilation=1, groups=1, "
                       "layout='NCW', activation=None, use_bias=True, weight_initializer=None, "
                       "bias_initializer='zeros', in_channels=0, **kwargs)",
    "Conv2DTranspose": "(channels, kernel_size, strides=(1, 1), padding=(0, 0), output_padding=(0, 0), "
                       "dilation=(1, 1), groups=1, layout='NCHW', activation=None, use_bias=True, "
                       "weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs)",
    "Conv3DTranspose": "(channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0), output_padding=(0, 0, 0), "
                       "dilation=(1, 1, 1), groups=1, layout='NCDHW', activation=None, use_bias=True, "
                       "weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs)",
    "MaxPool1D": "(pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False, **kwargs)",
    "MaxPool2D": "(pool_size=(2, 2), strides=None, padding=0, layout='NCHW', ceil_mode=False, **kwargs)",
    "MaxPool3D": "(pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout='NCDHW', **kwargs)",
    "AvgPool1D": "(pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False, count_include_pad=True, "
                 "**kwargs)",
    "AvgPool2D": "(pool_size=(2, 2), strides=None, padding=0, ceil_mode=False, layout='NCHW', "
                 "count_include_pad=True, **kwargs)",
    "AvgPool3D": "(pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout='NCDHW', "
                 "count_include_pad=True, **kwargs)",
    "GlobalMaxPool1D": "(layout='NCW', **kwargs)",
    "GlobalMaxPool2D": "(layout='NCHW', **kwargs)",
    "GlobalMaxPool3D": "(layout='NCDHW', **kwargs)",
    "GlobalAvgPool1D": "(layout='NCW', **kwargs)",
    "GlobalAvgPool2D": "(layout='NCHW', **kwargs)",
    "GlobalAvgPool3D": "(layout='NCDHW', **kwargs)",
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_signature(name):
    assert str(inspect.signature(getattr(nn, name))) == SIGNATURES[name]


def test_exported_from_nn():
    for name in SIGNATURES:
        assert name in nn.__all__ and getattr(nn, name) is getattr(nn.conv_layers, name)


# (expression, MXNet 1.9.1's repr) — where MXNet's repr is right
REPRS = [
    ("nn.Conv2D(16, 3)", "Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1))"),
    ("nn.Conv2D(16, 3, in_channels=4, padding=1, dilation=2, groups=2, use_bias=False, activation='relu')",
     "Conv2D(2 -> 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(2, 2), groups=2, bias=False, "
     "Activation(relu))"),
    ("nn.Conv1D(8, 5, strides=2, in_channels=3)", "Conv1D(3 -> 8, kernel_size=(5,), stride=(2,))"),
    ("nn.Conv3D(16, 3, strides=(1, 2, 1))", "Conv3D(None -> 16, kernel_size=(3, 3, 3), stride=(1, 2, 1))"),
    ("nn.MaxPool2D()",
     "MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, "
     "layout=NCHW)"),
    ("nn.AvgPool3D(3, 1, 1, True, count_include_pad=False)",
     "AvgPool3D(size=(3, 3, 3), stride=(1, 1, 1), padding=(1, 1, 1), ceil_mode=True, global_pool=False, "
     "pool_type=avg, layout=NCDHW)"),
    ("nn.GlobalAvgPool2D()",
     "GlobalAvgPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), ceil_mode=True, global_pool=True, pool_type=avg, "
     "layout=NCHW)"),
    ("nn.MaxPool1D(layout='NWC')",
     "MaxPool1D(size=(2,), stride=(2,), padding=(0,), ceil_mode=False, global_pool=False, pool_type=max, layout=NWC)"),
    ("nn.GlobalMaxPool3D(layout='NDHWC')",
     "GlobalMaxPool3D(size=(1, 1, 1), stride=(1, 1, 1), padding=(0, 0, 0), ceil_mode=True, global_pool=True, "
     "pool_type=max, layout=NDHWC)"),
    # where gluonic does better than MXNet ("3 -> 16", "16 -> 8", "16 -> 0", no output_padding):
    ("nn.Conv2D(16, 3, layout='NHWC')", "Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1))"),
    ("nn.Conv2D(16, (3, 5), in_channels=4, layout='NHWC')", "Conv2D(4 -> 16, kernel_size=(3, 5), stride=(1, 1))"),
    ("nn.Conv2DTranspose(16, 3, in_channels=8, output_padding=1, strides=2)",
     "Conv2DTranspose(8 -> 16, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))"),
    ("nn.Conv2DTranspose(16, 3)", "Conv2DTranspose(None -> 16, kernel_size=(3, 3), stride=(1, 1))"),
]


@pytest.mark.parametrize("expr, expected", REPRS)
def test_repr(expr, expected):
    assert repr(build(expr)) == expected


def test_repr_after_deferred_init():
    conv = nn.Conv2D(4, 3, layout="NHWC")
    conv.initialize()
    conv(mx.nd.ones((1, 5, 5, 3)))
    assert repr(conv) == "Conv2D(3 -> 4, kernel_size=(3, 3), stride=(1, 1))"


def test_param_names_and_prefixes():
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(nn.Conv2D(4, 3), nn.MaxPool2D(), nn.Conv2DTranspose(2, 2, use_bias=False), nn.GlobalAvgPool2D())
    assert list(net.collect_params().keys()) == ["net_conv0_weight", "net_conv0_bias", "net_conv1_weight"]
    assert [b.name for b in net._children.values()] == ["net_conv0", "net_pool0", "net_conv1", "net_pool1"]
    conv = nn.Conv2D(4, 3, prefix="c_")
    assert list(conv.collect_params().keys()) == ["c_weight", "c_bias"]


# MXNet 1.9.1's parameter shapes before the first forward pass (0 = inferred later)
PARAM_SHAPES = [
    ("nn.Conv2D(16, 3)", {"weight": (16, 0, 3, 3), "bias": (16,)}),
    ("nn.Conv2D(16, 3, groups=2, in_channels=8, layout='NHWC')", {"weight": (16, 3, 3, 4), "bias": (16,)}),
    ("nn.Conv2D(16, (3, 5), layout='NHWC')", {"weight": (16, 3, 5, 0), "bias": (16,)}),
    ("nn.Conv1D(6, 3, groups=3, in_channels=9)", {"weight": (6, 3, 3), "bias": (6,)}),
    ("nn.Conv3D(4, (1, 2, 3), use_bias=False)", {"weight": (4, 0, 1, 2, 3)}),
    ("nn.Conv1DTranspose(16, 3, use_bias=False)", {"weight": (0, 16, 3)}),
    ("nn.Conv2DTranspose(16, 3, groups=2, in_channels=8)", {"weight": (8, 8, 3, 3), "bias": (16,)}),
    ("nn.Conv2DTranspose(16, 3, groups=2, in_channels=8, layout='NHWC')", {"weight": (8, 3, 3, 8), "bias": (16,)}),
    ("nn.Conv3DTranspose(4, 2, layout='NDHWC')", {"weight": (0, 2, 2, 2, 4), "bias": (4,)}),
]


@pytest.mark.parametrize("expr, shapes", PARAM_SHAPES)
def test_param_shapes_before_init(expr, shapes):
    params = build(expr)._collect_params_with_prefix()
    assert {k: p.shape for k, p in params.items()} == shapes


# --------------------------------------------------------------------------- deferred init, all layouts

_CL = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
_CF = {1: "NCW", 2: "NCHW", 3: "NCDHW"}


@pytest.mark.parametrize("nsp, transposed, last, groups", list(itertools.product([1, 2, 3], [False, True], [False, True],
                                                                            [1, 2])))
def test_deferred_init_all_layouts(nsp, transposed, last, groups):
    cls = getattr(nn, f"Conv{nsp}D" + ("Transpose" if transposed else ""))
    layout = _CL[nsp] if last else _CF[nsp]
    kernel = (3, 2, 1)[:nsp]
    layer = cls(4, kernel, groups=groups, layout=layout)
    layer.initialize()
    sizes = (5, 4, 3)[:nsp]
    shape = (2, *sizes, 6) if last else (2, 6, *sizes)
    x = mx.nd.array(np.random.RandomState(0).standard_normal(shape))
    y = layer(x)
    # reference: the same layer in channels-first layout with explicitly given channels
    ref = cls(4, kernel, groups=groups, layout=_CF[nsp], in_channels=6)
    ref.initialize()
    w = layer.weight.data().asnumpy()
    ref.weight.set_data(mx.nd.array(np.moveaxis(w, -1, 1) if last else w))
    ref.bias.set_data(layer.bias.data())
    y_ref = ref(mx.nd.array(np.moveaxis(x.asnumpy(), -1, 1) if last else x.asnumpy())).asnumpy()
    np.testing.assert_allclose(y.asnumpy(), np.moveaxis(y_ref, 1, -1) if last else y_ref, rtol=1e-5, atol=1e-5)
    per_group_out = 4 // groups
    if transposed:
        expected = (6, *kernel, per_group_out) if last else (6, per_group_out, *kernel)
    else:
        expected = (4, *kernel, 6 // groups) if last else (4, 6 // groups, *kernel)
    assert layer.weight.shape == expected


def test_conv1d_nwc_is_supported():
    # MXNet asserts layout == 'NCW' for the 1-D convolutions; gluonic computes NWC too
    conv = nn.Conv1D(3, 2, layout="NWC")
    conv.initialize()
    assert conv(mx.nd.ones((2, 5, 4))).shape == (2, 4, 3)
    assert conv.weight.shape == (3, 2, 4)


# --------------------------------------------------------------------------- numeric gradients

GRAD_CASES = [
    "nn.Conv1D(2, 3, strides=2, padding=1, in_channels=2)",
    "nn.Conv2D(4, 2, dilation=2, groups=2, in_channels=2, activation='tanh')",
    "nn.Conv2D(2, (2, 3), padding=(1, 0), layout='NHWC', in_channels=3)",
    "nn.Conv3D(2, 2, in_channels=1)",
    "nn.Conv1DTranspose(2, 3, strides=2, output_padding=1, in_channels=2)",
    "nn.Conv2DTranspose(2, 3, strides=2, padding=1, groups=2, in_channels=2)",
    "nn.Conv3DTranspose(1, 2, layout='NDHWC', in_channels=2)",
]
GRAD_SHAPES = [(1, 2, 5), (1, 2, 5, 5), (1, 4, 3, 3), (1, 1, 3, 3, 3), (1, 2, 3), (1, 2, 3, 3), (1, 2, 2, 2, 2)]


@pytest.mark.parametrize("expr, shape", list(zip(GRAD_CASES, GRAD_SHAPES)))
def test_conv_numeric_gradient(expr, shape):
    layer = build(expr)
    layer.initialize(mx.init.Uniform(1.0))
    layer.cast("float64")
    rng = np.random.RandomState(1)
    x = rng.standard_normal(shape)
    w = rng.uniform(-1, 1, layer.weight.shape)
    b = rng.uniform(-1, 1, layer.bias.shape)
    check_numeric_gradient(lambda x, w, b: layer.hybrid_forward(mx.nd, x, w, b), [x, w, b], dtype=np.float64,
                           rtol=1e-4, atol=1e-6)


POOL_GRAD_CASES = [
    ("nn.MaxPool1D(3, 2, 1, ceil_mode=True)", (1, 2, 6)),
    ("nn.MaxPool2D((2, 3), 1, (1, 0), layout='NHWC')", (1, 3, 4, 2)),
    ("nn.MaxPool3D(2, 1)", (1, 1, 3, 3, 2)),
    ("nn.AvgPool1D(3, 2, 1, ceil_mode=True, count_include_pad=False)", (1, 2, 6)),
    ("nn.AvgPool2D(3, 2, 1)", (1, 2, 5, 4)),
    ("nn.AvgPool3D(2, layout='NDHWC')", (1, 2, 4, 2, 2)),
    ("nn.GlobalMaxPool2D()", (2, 2, 3, 3)),
    ("nn.GlobalAvgPool1D(layout='NWC')", (2, 3, 2)),
]


@pytest.mark.parametrize("expr, shape", POOL_GRAD_CASES)
def test_pool_numeric_gradient(expr, shape):
    layer = build(expr)
    # distinct values keep max pooling differentiable under finite differences
    x = np.random.RandomState(2).permutation(np.prod(shape)).reshape(shape) / 7.0
    check_numeric_gradient(lambda x: layer(x), [x], dtype=np.float64, rtol=1e-4, atol=1e-6)


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("expr, match", [
    ("nn.Conv2D(4, 3, layout='NCW')", "layout must be 'NCHW' or 'NHWC'"),
    ("nn.Conv1D(4, 3, layout='NCHW')", "layout must be 'NCW' or 'NWC'"),
    ("nn.Conv3DTranspose(4, 3, layout='NHWC')", "layout must be 'NCDHW' or 'NDHWC'"),
    ("nn.Conv2D(4, (3, 3, 3))", "kernel_size must be an int or a tuple/list of 2 ints"),
    ("nn.Conv2D(4, 3, strides=(1, 2, 3))", "strides must be"),
    ("nn.Conv2DTranspose(4, 3, output_padding=(1,))", "output_padding must be"),
    ("nn.Conv2D(5, 3, groups=2)", "channels must be a positive multiple of groups"),
    ("nn.Conv2D(4, 3, groups=2, in_channels=3)", "in_channels must be 0"),
    ("nn.MaxPool2D(layout='NCDHW')", "layout must be 'NCHW' or 'NHWC'"),
    ("nn.AvgPool1D((2, 2))", "pool_size must be an int or a tuple/list of 1 ints"),
    ("nn.MaxPool2D(0)", "pool_size entry must be >= 1"),
    ("nn.GlobalAvgPool3D(layout='NHWC')", "layout must be 'NCDHW' or 'NDHWC'"),
])
def test_constructor_errors(expr, match):
    with pytest.raises(GluonicValueError, match=match):
        build(expr)


def test_forward_errors_name_the_problem():
    conv = nn.Conv2D(4, 3, in_channels=3)
    conv.initialize()
    with pytest.raises(mx.MXNetError, match="weight"):
        conv(mx.nd.ones((1, 2, 5, 5)))  # wrong number of channels
    with pytest.raises(mx.MXNetError, match="4-D data"):
        conv(mx.nd.ones((1, 3, 5)))
    pool = nn.MaxPool2D(3)
    with pytest.raises(mx.MXNetError, match="kernel size 3 exceeds"):
        pool(mx.nd.ones((1, 1, 2, 2)))


# --------------------------------------------------------------------------- symbols and misc

def test_symbolic_trace_matches_mxnet_names():
    conv = nn.Conv2D(4, 3, activation="relu", prefix="conv0_")
    out = conv(mx.sym.var("data"))
    assert out.list_arguments() == ["data", "conv0_weight", "conv0_bias"]
    assert out.name == "conv0_relu_fwd"
    up = nn.Conv2DTranspose(4, 3, use_bias=False, prefix="conv1_")
    out = up(mx.sym.var("data"))
    assert out.list_arguments() == ["data", "conv1_weight"]
    assert out.infer_shape(data=(1, 2, 5, 5)) == ([(1, 2, 5, 5), (2, 4, 3, 3)], [(1, 4, 7, 7)], [])
    pool = nn.MaxPool2D(prefix="pool0_")
    assert pool(mx.sym.var("data")).name == "pool0_fwd"


def test_kwargs_and_outpad_attributes():
    conv = nn.Conv2DTranspose(4, 3, strides=2, output_padding=1)
    assert conv.outpad == (1, 1)
    assert conv._kwargs == {"kernel": (3, 3), "stride": (2, 2), "dilate": (1, 1), "pad": (0, 0), "num_filter": 4,
                            "num_group": 1, "no_bias": False, "layout": "NCHW", "adj": (1, 1)}
    pool = nn.AvgPool2D(3, ceil_mode=True, count_include_pad=False)
    assert pool._kwargs == {"kernel": (3, 3), "stride": (3, 3), "pad": (0, 0), "global_pool": False,
                            "pool_type": "avg", "layout": "NCHW", "pooling_convention": "full",
                            "count_include_pad": False}


def test_lenet_forward():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(6, 5, activation="relu"), nn.MaxPool2D(2), nn.Conv2D(16, 5, activation="relu"),
                nn.AvgPool2D(2), nn.Dense(10))
    net.initialize(mx.init.Xavier())
    assert net(mx.nd.ones((2, 1, 28, 28))).shape == (2, 10)
    assert net[0].weight.shape == (6, 1, 5, 5) and net[2].weight.shape == (16, 6, 5, 5)
