"""Non-convolutional ``gluon.nn`` layers: names, shapes, reprs, modes, gradients, and equality
with real MXNet 1.9.1 (golden files written by ``tests/golden/make_golden_nn_basic.py``)."""
import os
import sys
import warnings

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, gluon
from gluonic import ndarray as nd
from gluonic import symbol as sym
from gluonic.gluon import nn
from gluonic.test_utils import assert_almost_equal, check_numeric_gradient

GOLDEN = os.path.join(os.path.dirname(__file__), os.pardir, "golden", "nn_basic")
sys.path.insert(0, GOLDEN)
from nn_basic_cases import CASES, GAMMA_OVERWRITTEN, NO_GRAD, NO_INPUT_GRAD, build  # noqa: E402


def _fresh():
    return mx.name.NameManager()


def _randn(*shape, seed=0):
    return nd.array(np.random.RandomState(seed).normal(size=shape))


# --------------------------------------------------------------------------- golden: real MXNet outputs
@pytest.fixture(scope="module")
def golden():
    return nd.load(os.path.join(GOLDEN, "data.nd"))


@pytest.mark.parametrize("case,expr,spec,mode", CASES, ids=[c[0] for c in CASES])
def test_matches_mxnet(golden, case, expr, spec, mode):
    layer = build(expr, nn, gluon.contrib.nn)
    layer.initialize()
    params_file = os.path.join(GOLDEN, f"{case}.params")
    if os.path.exists(params_file):
        layer.load_parameters(params_file)
    x = golden[f"{case}:x"].copy()
    if f"{case}:dx" in golden:
        x.attach_grad()
    with autograd.record(train_mode=mode == "train"):
        y = layer(x)
    y.backward(golden[f"{case}:head"])
    assert_almost_equal(y, golden[f"{case}:y"], rtol=1e-5, atol=1e-5, names=("gluonic", "mxnet"))
    params = layer._collect_params_with_prefix()
    expected_grads = {k.split(":", 2)[2] for k in golden if k.startswith(f"{case}:grad:")}
    assert expected_grads == {k for k, p in params.items() if p.grad_req != "null"}
    if case in NO_GRAD:
        return
    if f"{case}:dx" in golden and case not in NO_INPUT_GRAD:
        assert_almost_equal(x.grad, golden[f"{case}:dx"], rtol=1e-4, atol=1e-5, names=("gluonic dx", "mxnet dx"))
    for name, p in params.items():
        if name in expected_grads:
            assert_almost_equal(p.grad(), golden[f"{case}:grad:{name}"], rtol=1e-4, atol=1e-5,
                                names=(f"gluonic grad {name}", f"mxnet grad {name}"))
        if case in GAMMA_OVERWRITTEN and name == "gamma":
            continue
        assert_almost_equal(p.data(), golden[f"{case}:after:{name}"], rtol=1e-5, atol=1e-6,
                            names=(f"gluonic {name} after", f"mxnet {name} after"))


# --------------------------------------------------------------------------- names, shapes, reprs (vs MXNet)
def _param_table(layer):
    return {k: (v.shape, v.grad_req, v.differentiable) for k, v in layer.collect_params().items()}


def test_batchnorm_params_like_mxnet():
    with _fresh():
        bn = nn.BatchNorm()
        fixed = nn.BatchNorm(axis=-1, in_channels=3, scale=False, center=False)
    assert _param_table(bn) == {
        "batchnorm0_gamma": ((0,), "write", True), "batchnorm0_beta": ((0,), "write", True),
        "batchnorm0_running_mean": ((0,), "null", False), "batchnorm0_running_var": ((0,), "null", False)}
    assert _param_table(fixed) == {
        "batchnorm1_gamma": ((3,), "null", False), "batchnorm1_beta": ((3,), "null", False),
        "batchnorm1_running_mean": ((3,), "null", False), "batchnorm1_running_var": ((3,), "null", False)}
    assert repr(bn) == ("BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, "
                        "in_channels=None)")
    assert repr(fixed) == ("BatchNorm(axis=-1, eps=1e-05, momentum=0.9, fix_gamma=True, use_global_stats=False, "
                           "in_channels=3)")
    bn.initialize()
    bn(nd.ones((2, 5, 3)))
    assert bn.gamma.shape == (5,) and "in_channels=5)" in repr(bn)


def test_other_norm_params_and_reprs_like_mxnet():
    with _fresh():
        ln, ln4 = nn.LayerNorm(), nn.LayerNorm(in_channels=4)
        inorm, gn = nn.InstanceNorm(), nn.GroupNorm(2)
        sbn = nn.SyncBatchNorm(num_devices=1)
        bnr = nn.BatchNormReLU()
    assert repr(ln) == "LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=0)"
    assert repr(ln4) == "LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=4)"
    assert repr(inorm) == "InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, in_channels=0)"
    assert repr(gn) == "GroupNorm(eps=1e-05, num_groups=2, center=True, scale=True)"
    assert repr(sbn) == ("SyncBatchNorm(eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, ndev=1, "
                         "key='syncbatchnorm0_', in_channels=None)")
    assert repr(bnr).startswith("BatchNormReLU(axis=1, eps=1e-05")
    assert _param_table(ln4) == {"layernorm1_gamma": ((4,), "write", True), "layernorm1_beta": ((4,), "write", True)}
    # MXNet: InstanceNorm's gamma is not trained by default (scale=False) but stays differentiable
    assert _param_table(inorm) == {"instancenorm0_gamma": ((0,), "null", True),
                                   "instancenorm0_beta": ((0,), "write", True)}
    assert _param_table(gn) == {"groupnorm0_gamma": ((2,), "write", True), "groupnorm0_beta": ((2,), "write", True)}
    assert list(_param_table(sbn)) == ["syncbatchnorm0_gamma", "syncbatchnorm0_beta", "syncbatchnorm0_running_mean",
                                       "syncbatchnorm0_running_var"]


def test_simple_layer_reprs_like_mxnet():
    with _fresh():
        assert repr(nn.Dropout(0.3)) == "Dropout(p = 0.3, axes=())"
        assert repr(nn.Dropout(0.5, axes=(1,))) == "Dropout(p = 0.5, axes=(1,))"
        emb = nn.Embedding(10, 4)
        assert repr(emb) == "Embedding(10 -> 4, float32)"
        assert _param_table(emb) == {"embedding0_weight": ((10, 4), "write", True)}
        assert repr(nn.Flatten()) == "Flatten"
        assert repr(nn.Lambda("tanh")) == "Lambda(tanh)"
        assert repr(nn.Lambda(lambda x: x)) == "Lambda(<lambda>)"
        assert repr(nn.HybridLambda("tanh")) == "HybridLambda(tanh)"
        assert repr(nn.HybridLambda(lambda F, x: x)) == "HybridLambda(<lambda>)"
        assert repr(nn.Identity()) == "Identity(\n\n)"
        pad = nn.ReflectionPad2D(2)
        assert repr(pad) == "ReflectionPad2D(\n\n)" and pad.name == "reflectionpad2d0"


def test_syncbatchnorm_warns_without_num_devices():
    with pytest.warns(UserWarning, match="num_devices"):
        sbn = nn.SyncBatchNorm()
    assert sbn._kwargs["ndev"] >= 1


# --------------------------------------------------------------------------- BatchNorm modes
def _bn_reference(x, gamma, beta, mean, var, eps, axis):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: v.reshape(shape)  # noqa: E731
    return (x - r(mean)) / np.sqrt(r(var) + eps) * r(gamma) + r(beta)


@pytest.mark.parametrize("axis", [1, -1])
def test_batchnorm_train_updates_running_stats_and_predict_uses_them(axis):
    bn = nn.BatchNorm(axis=axis, momentum=0.8, epsilon=1e-3)
    bn.initialize()
    x = _randn(4, 3, 5, seed=1) * 2 + 1
    xn = x.asnumpy().astype(np.float64)
    red = tuple(i for i in range(3) if i != axis % 3)
    with autograd.record():
        y = bn(x)
    mean, var = xn.mean(axis=red), xn.var(axis=red)
    assert_almost_equal(y, _bn_reference(xn, np.ones_like(mean), np.zeros_like(mean), mean, var, 1e-3, axis % 3),
                        rtol=1e-4, atol=1e-5)
    assert_almost_equal(bn.running_mean.data(), 0.2 * mean, rtol=1e-5, atol=1e-6)
    assert_almost_equal(bn.running_var.data(), 0.8 + 0.2 * var, rtol=1e-5, atol=1e-6)
    # predict mode: running statistics normalize, and are not changed
    rm, rv = bn.running_mean.data().asnumpy(), bn.running_var.data().asnumpy()
    y2 = bn(x)
    ones, zeros = np.ones_like(rm), np.zeros_like(rm)
    assert_almost_equal(y2, _bn_reference(xn, ones, zeros, rm, rv, 1e-3, axis % 3), rtol=1e-4, atol=1e-5)
    assert_almost_equal(bn.running_mean.data(), rm)
    with autograd.record(train_mode=False):
        bn(x)
    assert_almost_equal(bn.running_var.data(), rv)


def test_batchnorm_use_global_stats_never_updates():
    bn = nn.BatchNorm(use_global_stats=True, in_channels=2)
    bn.initialize()
    x = _randn(3, 2)
    with autograd.record():
        y = bn(x)
    assert_almost_equal(y, x.asnumpy() / np.sqrt(1 + 1e-5), rtol=1e-5)
    assert bn.running_mean.data().asnumpy().tolist() == [0.0, 0.0]


def test_batchnorm_fixed_gamma_beta_get_no_gradient():
    bn = nn.BatchNorm(center=False, scale=False, in_channels=3)
    bn.initialize()
    x = _randn(4, 3)
    x.attach_grad()
    with autograd.record():
        y = bn(x)
    y.backward()
    assert bn.gamma.grad_req == "null" and bn.beta.grad_req == "null"
    with pytest.raises(mx.MXNetError):
        bn.gamma.grad()


def test_batchnorm_cast_float16_keeps_float32_params():
    bn = nn.BatchNorm(in_channels=2)
    bn.initialize()
    bn.cast("float16")
    assert np.dtype(bn.gamma.dtype) == np.float32 and bn.gamma.data().dtype == np.float32
    bn.cast("float64")
    assert bn.gamma.data().dtype == np.float64


def test_batchnorm_numeric_gradient():
    bn = nn.BatchNorm(in_channels=3)
    bn.initialize()

    def f(x, gamma, beta):
        return bn.hybrid_forward(nd, x, gamma, beta, bn.running_mean.data(), bn.running_var.data())

    x = np.random.RandomState(2).normal(size=(4, 3, 2))
    gamma = np.array([0.5, 1.0, 1.5])
    beta = np.array([0.1, -0.2, 0.3])
    check_numeric_gradient(f, [x, gamma, beta], rtol=1e-2, atol=1e-3)


def test_batchnorm_predict_mode_input_gradient_is_exact():
    """Predict mode is an affine map per channel; MXNet 1.9.1 gets this gradient wrong (see NO_INPUT_GRAD)."""
    bn = nn.BatchNorm(in_channels=3)
    bn.initialize()
    bn.gamma.set_data(nd.array([0.5, 1.0, 2.0]))
    bn.running_var.set_data(nd.array([1.0, 4.0, 0.25]))
    x = _randn(4, 3, 2)
    x.attach_grad()
    with autograd.record(train_mode=False):
        y = bn(x)
    y.backward()
    scale = np.array([0.5, 1.0, 2.0]) / np.sqrt(np.array([1.0, 4.0, 0.25]) + 1e-5)
    assert_almost_equal(x.grad, np.broadcast_to(scale[:, None], (4, 3, 2)), rtol=1e-5)
    check_numeric_gradient(lambda a: bn(a), [x.asnumpy()], use_forward_train=False, rtol=1e-2, atol=1e-3)


# --------------------------------------------------------------------------- Dropout modes
def test_dropout_train_and_predict():
    drop = nn.Dropout(0.25)
    x = nd.ones((200, 50))
    assert (drop(x).asnumpy() == 1).all()  # predict: identity
    with autograd.record():
        y = drop(x).asnumpy()
    assert set(np.unique(y).tolist()) <= {0.0, float(np.float32(1 / 0.75))}
    assert abs((y == 0).mean() - 0.25) < 0.02


def test_dropout_axes_share_mask():
    drop = nn.Dropout(0.5, axes=(1,))
    with autograd.train_mode():
        y = drop(nd.ones((6, 7, 4))).asnumpy()
    assert (y == y[:, :1, :]).all()


def test_dropout_rate_zero_is_identity_and_bad_rate_raises():
    with autograd.record():
        y = nn.Dropout(0.0)(nd.array([1.0, 2.0]))
    assert y.asnumpy().tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="rate"):
        nn.Dropout(1.5)


# --------------------------------------------------------------------------- other norms: formula + gradient
def test_layernorm_instancenorm_groupnorm_formulas():
    x = np.random.RandomState(3).normal(size=(2, 4, 3))
    ln = nn.LayerNorm(axis=1)
    inorm = nn.InstanceNorm(scale=True)
    gn = nn.GroupNorm(num_groups=2)
    for b in (ln, inorm, gn):
        b.initialize()
    norm = lambda v, ax: (v - v.mean(axis=ax, keepdims=True)) / np.sqrt(v.var(axis=ax, keepdims=True) + 1e-5)  # noqa
    assert_almost_equal(ln(nd.array(x)), norm(x, 1), rtol=1e-4, atol=1e-5)
    assert_almost_equal(inorm(nd.array(x)), norm(x, 2), rtol=1e-4, atol=1e-5)
    assert_almost_equal(gn(nd.array(x)), norm(x.reshape(2, 2, 6), 2).reshape(x.shape), rtol=1e-4, atol=1e-5)
    assert ln.gamma.shape == (4,) and inorm.gamma.shape == (4,) and gn.gamma.shape == (2,)


def test_instancenorm_other_axis():
    x = np.random.RandomState(4).normal(size=(2, 3, 5))
    inorm = nn.InstanceNorm(axis=2)
    inorm.initialize()
    y = inorm(nd.array(x))
    ref = np.swapaxes(x, 1, 2)
    ref = (ref - ref.mean(axis=2, keepdims=True)) / np.sqrt(ref.var(axis=2, keepdims=True) + 1e-5)
    assert inorm.gamma.shape == (5,)
    assert_almost_equal(y, np.swapaxes(ref, 1, 2), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("make", [lambda: nn.LayerNorm(in_channels=3), lambda: nn.InstanceNorm(in_channels=2),
                                  lambda: nn.GroupNorm(num_groups=1)], ids=["layer", "instance", "group"])
def test_norm_numeric_gradients(make):
    layer = make()
    layer.initialize()
    x = np.random.RandomState(5).normal(size=(2, 2, 3))
    c = layer.gamma.shape[0]
    check_numeric_gradient(lambda x, g, b: layer.hybrid_forward(nd, x, g, b),
                           [x, np.linspace(0.5, 1.5, c), np.linspace(-0.3, 0.3, c)], rtol=1e-2, atol=1e-3)


def test_groupnorm_bad_groups():
    gn = nn.GroupNorm(num_groups=3)
    gn.initialize()
    with pytest.raises(ValueError, match="divisible"):
        gn(nd.ones((1, 4, 2)))
    with pytest.raises(ValueError, match="num_groups"):
        nn.GroupNorm(num_groups=0)


# --------------------------------------------------------------------------- simple layers
def test_embedding_lookup_and_gradient():
    emb = nn.Embedding(5, 2)
    emb.initialize(mx.init.Constant(0.0))
    emb.weight.set_data(nd.arange(10).reshape((5, 2)))
    idx = nd.array([[0, 4], [4, 1]])
    with autograd.record():
        y = emb(idx)
    y.backward()
    assert y.shape == (2, 2, 2) and y.asnumpy()[0, 1].tolist() == [8.0, 9.0]
    assert emb.weight.grad().asnumpy()[:, 0].tolist() == [1.0, 1.0, 0.0, 0.0, 2.0]


def test_embedding_sparse_grad_flag():
    emb = nn.Embedding(4, 3, sparse_grad=True)
    assert emb.weight._grad_stype == "row_sparse"
    emb.initialize()
    assert emb(nd.array([1, 2])).shape == (2, 3)


def test_flatten_lambda_identity_pad():
    x = _randn(2, 3, 4)
    assert nn.Flatten()(x).shape == (2, 12)
    assert_almost_equal(nn.Lambda("tanh")(x), np.tanh(x.asnumpy()), rtol=1e-6)
    assert_almost_equal(nn.Lambda(lambda a, b: a + b)(x, x), 2 * x.asnumpy())
    assert_almost_equal(nn.HybridLambda(lambda F, a: F.relu(a) * 2)(x), 2 * np.maximum(x.asnumpy(), 0))
    assert_almost_equal(nn.HybridLambda("sigmoid")(x), 1 / (1 + np.exp(-x.asnumpy())), rtol=1e-5)
    assert nn.Identity()(x) is x
    img = _randn(1, 2, 3, 4)
    ref = np.pad(img.asnumpy(), ((0, 0), (0, 0), (1, 1), (1, 1)), mode="reflect")
    assert_almost_equal(nn.ReflectionPad2D(1)(img), ref)
    ref = np.pad(img.asnumpy(), ((0, 0), (0, 0), (2, 0), (1, 2)), mode="reflect")
    assert_almost_equal(nn.ReflectionPad2D((0, 0, 0, 0, 2, 0, 1, 2))(img), ref)
    assert_almost_equal(nn.ReflectionPad2D()(img), img.asnumpy())


def test_lambda_errors():
    with pytest.raises(ValueError, match="not found"):
        nn.Lambda("no_such_function")
    with pytest.raises(ValueError, match="not found"):
        nn.HybridLambda("no_such_function")
    with pytest.raises(ValueError, match="Unrecognized"):
        nn.Lambda(3)
    with pytest.raises(ValueError, match="padding"):
        nn.ReflectionPad2D((1, 2))


def test_pad_and_flatten_numeric_gradient():
    x = np.random.RandomState(6).normal(size=(1, 1, 3, 3))
    check_numeric_gradient(lambda a: nn.ReflectionPad2D(1)(a), [x], rtol=1e-2, atol=1e-3)
    check_numeric_gradient(lambda a: nn.Flatten()(a), [x], rtol=1e-2, atol=1e-3)


# --------------------------------------------------------------------------- symbols and containers
def test_layers_trace_with_symbols():
    """hybrid_forward only uses F ops: every layer builds a graph from a Symbol input."""
    with _fresh():
        layers = [nn.Dropout(0.5), nn.BatchNorm(), nn.BatchNormReLU(), nn.SyncBatchNorm(num_devices=1),
                  nn.LayerNorm(), nn.InstanceNorm(axis=2), nn.GroupNorm(), nn.Embedding(3, 2), nn.Flatten(),
                  nn.HybridLambda("tanh"), nn.ReflectionPad2D(1)]
        for layer in layers:
            out = layer(sym.var("data"))
            assert isinstance(out, sym.Symbol)
        assert layers[1](sym.var("data")).list_auxiliary_states() == ["batchnorm0_running_mean",
                                                                      "batchnorm0_running_var"]


def test_save_load_roundtrip_in_container(tmp_path):
    def make():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4), nn.BatchNorm(), nn.Dropout(0.5), nn.LayerNorm(), nn.Embedding(3, 2))
        return net

    net = make()
    net.initialize()
    x = _randn(2, 3)
    with autograd.record():
        net(x)  # changes running statistics
    f = str(tmp_path / "net.params")
    net.save_parameters(f)
    net2 = make()
    net2.load_parameters(f)
    assert_almost_equal(net2(x), net(x))
    assert_almost_equal(net2[1].running_var.data(), net[1].running_var.data())


def test_gluon_contrib_names_available_in_nn():
    assert issubclass(nn.SyncBatchNorm, nn.BatchNorm)
    assert issubclass(nn.Identity, gluon.HybridBlock)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.SyncBatchNorm(num_devices=2)
