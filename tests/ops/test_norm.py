"""Tests of the normalization ops (gluonic/ops/norm.py) against NumPy references and MXNet 1.9.1 values."""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, low=-2.0, high=2.0, dtype=np.float32):
    return RNG.uniform(low, high, size=shape).astype(dtype)


def positive(*shape):
    return rand(*shape, low=0.5, high=1.5)


# ------------------------------------------------------------------ NumPy references
def np_batch_norm(x, gamma, beta, mm, mv, *, eps=1e-3, fix_gamma=True, axis=1, batch_stats, output_mean_var=False):
    axis %= x.ndim
    dims = tuple(d for d in range(x.ndim) if d != axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    x64 = x.astype(np.float64)
    if batch_stats:
        mean, var = x64.mean(axis=dims), x64.var(axis=dims)
    else:
        mean, var = mm.astype(np.float64), mv.astype(np.float64)
    g = np.ones_like(gamma) if fix_gamma else gamma
    out = (x64 - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * g.reshape(shape) + beta.reshape(shape)
    out = out.astype(x.dtype)
    if output_mean_var:
        return out, mean.astype(mm.dtype), (1 / np.sqrt(var + eps)).astype(mv.dtype)
    return out


def np_moments(x, dims, eps):
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=dims, keepdims=True)
    return mean, np.sqrt(x64.var(axis=dims, keepdims=True) + eps)


def np_layer_norm(x, gamma, beta, *, axis=-1, eps=1e-5, output_mean_var=False):
    axis %= x.ndim
    shape = [1] * x.ndim
    shape[axis] = -1
    mean, std = np_moments(x, (axis,), eps)
    out = ((x - mean) / std * gamma.reshape(shape) + beta.reshape(shape)).astype(x.dtype)
    return (out, mean.astype(x.dtype), std.astype(x.dtype)) if output_mean_var else out


def np_instance_norm(x, gamma, beta, *, eps=1e-3):
    mean, std = np_moments(x, tuple(range(2, x.ndim)), eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return ((x - mean) / std * gamma.reshape(shape) + beta.reshape(shape)).astype(x.dtype)


def np_group_norm(x, gamma, beta, *, num_groups=1, eps=1e-5, output_mean_var=False):
    xg = x.reshape(x.shape[0], num_groups, -1)
    mean, std = np_moments(xg, (2,), eps)
    out = ((xg - mean) / std * gamma[:, None] + beta[:, None]).reshape(x.shape).astype(x.dtype)
    if output_mean_var:
        return out, mean[..., 0].astype(x.dtype), std[..., 0].astype(x.dtype)
    return out


def np_l2_normalization(x, *, eps=1e-10, mode="instance"):
    dims = {"instance": tuple(range(1, x.ndim)), "channel": (1,), "spatial": tuple(range(2, x.ndim))}[mode]
    x64 = x.astype(np.float64)
    total = (x64 ** 2).sum(axis=dims, keepdims=True) if dims else x64 ** 2
    return (x64 / np.sqrt(total + eps)).astype(x.dtype)


def np_lrn(x, *, alpha=1e-4, beta=0.75, knorm=2.0, nsize):
    """Loop over channels: the window is the channels within (nsize - 1) // 2 of c."""
    half = (nsize - 1) // 2
    x64 = x.astype(np.float64)
    out = np.empty_like(x64)
    for c in range(x.shape[1]):
        window = x64[:, max(0, c - half):c + half + 1]
        out[:, c] = x64[:, c] / (knorm + alpha / nsize * (window ** 2).sum(axis=1)) ** beta
    return out.astype(x.dtype)


# ------------------------------------------------------------------ training-mode gradient check
def check_train_grad(op_name, inputs, attrs, idx, *, rtol=1e-4, atol=1e-6, eps=1e-6):
    """Autograd vs central differences with both sides in training mode (batch statistics).

    The harness's ``check_grad`` evaluates its finite differences in predict mode, which
    differs from the recorded (training-mode) forward for BatchNorm.
    """
    rng = np.random.RandomState(1)
    inputs64 = [a.astype(np.float64) for a in inputs]
    nd_inputs = [mx.nd.array(a, dtype=a.dtype) for a in inputs64]
    for i in idx:
        nd_inputs[i].attach_grad()
    fn = getattr(mx.nd, op_name)
    with mx.autograd.record():
        ys = fn(*nd_inputs, **attrs)
    ys = ys if isinstance(ys, list) else [ys]
    weights = [rng.uniform(0.5, 1.5, size=y.shape) for y in ys]
    mx.autograd.backward(ys, [mx.nd.array(w, dtype=np.float64) for w in weights])

    def objective():
        with mx.autograd.pause(train_mode=True):
            outs = run(op_name, inputs64, attrs)
        return sum(float((o.asnumpy() * w).sum()) for o, w in zip(outs, weights))

    for i in idx:
        numeric = np.zeros_like(inputs64[i])
        flat = inputs64[i].reshape(-1)
        for j in range(flat.size):
            saved = flat[j]
            flat[j] = saved + eps
            plus = objective()
            flat[j] = saved - eps
            minus = objective()
            flat[j] = saved
            numeric.reshape(-1)[j] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(nd_inputs[i].grad.asnumpy(), numeric, rtol=rtol, atol=atol,
                                   err_msg=f"{op_name}: training-mode gradient of input {i}")


def bn_inputs(shape, axis=1, dtype=np.float32, param_dtype=np.float32):
    c = shape[axis]
    return [rand(*shape, dtype=dtype), positive(c).astype(param_dtype), rand(c).astype(param_dtype),
            rand(c).astype(param_dtype), positive(c).astype(param_dtype)]


# ------------------------------------------------------------------ BatchNorm
@pytest.mark.parametrize("fix_gamma", [True, False])
@pytest.mark.parametrize("shape,axis", [((4, 3, 2), 1), ((2, 3, 2, 2), 1), ((3, 2, 4), -1), ((5, 3), 1), ((3, 4), 0)])
def test_batch_norm_training_forward(shape, axis, fix_gamma):
    inputs = bn_inputs(shape, axis)
    attrs = dict(axis=axis, fix_gamma=fix_gamma, eps=1e-3)
    with mx.autograd.train_mode():
        check_op("BatchNorm", inputs, lambda *a: np_batch_norm(*a, axis=axis, fix_gamma=fix_gamma, batch_stats=True),
                 attrs, grad=False)


@pytest.mark.parametrize("fix_gamma", [True, False])
@pytest.mark.parametrize("shape,axis", [((4, 3, 2), 1), ((3, 2, 4), -1)])
def test_batch_norm_training_gradient(shape, axis, fix_gamma):
    check_train_grad("BatchNorm", bn_inputs(shape, axis), dict(axis=axis, fix_gamma=fix_gamma), [0, 1, 2])


def test_batch_norm_training_gradient_through_mean_var():
    """gluonic differentiates the mean/var outputs (MXNet gives them no gradient)."""
    check_train_grad("BatchNorm", bn_inputs((2, 2, 2, 2)), dict(fix_gamma=False, output_mean_var=True), [0, 1, 2])


def test_batch_norm_inference_forward():
    inputs = bn_inputs((4, 3, 2))
    check_op("BatchNorm", inputs, lambda *a: np_batch_norm(*a, fix_gamma=False, batch_stats=False),
             dict(fix_gamma=False), grad=False)


@pytest.mark.parametrize("axis", [1, -1])
def test_batch_norm_use_global_stats(axis):
    """use_global_stats: moving statistics in training mode too, no update, ordinary gradients."""
    inputs = bn_inputs((3, 2, 4), axis)
    ref = lambda *a: np_batch_norm(*a, axis=axis, fix_gamma=False, batch_stats=False)  # noqa: E731
    attrs = dict(axis=axis, fix_gamma=False, use_global_stats=True)
    check_op("BatchNorm", inputs, ref, attrs, grad=[0, 1, 2])
    with mx.autograd.train_mode():
        check_op("BatchNorm", inputs, ref, attrs, grad=False)
    nd = [mx.nd.array(a) for a in inputs]
    with mx.autograd.record():
        mx.nd.BatchNorm(*nd, **attrs)
    np.testing.assert_array_equal(nd[3].asnumpy(), inputs[3])
    np.testing.assert_array_equal(nd[4].asnumpy(), inputs[4])


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("shape,axis", [((4, 3, 2), 1), ((2, 3, 2, 2), 1), ((3, 2, 4), -1)])
def test_batch_norm_output_mean_var(train, shape, axis):
    """The extra outputs are the mean and the inverse standard deviation (MXNet 1.9)."""
    inputs = bn_inputs(shape, axis)
    ref = lambda *a: np_batch_norm(*a, axis=axis, fix_gamma=False, batch_stats=train, output_mean_var=True)  # noqa: E731
    attrs = dict(axis=axis, fix_gamma=False, output_mean_var=True)
    with (mx.autograd.train_mode() if train else mx.autograd.predict_mode()):
        outs = check_op("BatchNorm", inputs, ref, attrs, grad=False)
    assert len(outs) == 3


@pytest.mark.parametrize("shape,axis", [((4, 3, 2), 1), ((2, 3, 4), -1), ((6, 2), 1)])
def test_batch_norm_moving_stats_update(shape, axis):
    """moving = moving * momentum + batch_stat * (1 - momentum), with the biased variance."""
    x, g, b, mm, mv = bn_inputs(shape, axis)
    nd = [mx.nd.array(a) for a in (x, g, b, mm, mv)]
    with mx.autograd.train_mode():
        mx.nd.BatchNorm(*nd, momentum=0.7, axis=axis)
    dims = tuple(d for d in range(x.ndim) if d != axis % x.ndim)
    x64 = x.astype(np.float64)
    np.testing.assert_allclose(nd[3].asnumpy(), mm * 0.7 + x64.mean(axis=dims) * 0.3, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(nd[4].asnumpy(), mv * 0.7 + x64.var(axis=dims) * 0.3, rtol=1e-5, atol=1e-6)
    # a second training-mode call updates again, from the new values
    with mx.autograd.record():
        mx.nd.BatchNorm(*nd, momentum=0.7, axis=axis)
    np.testing.assert_allclose(nd[3].asnumpy(), (mm * 0.7 + x64.mean(axis=dims) * 0.3) * 0.7 + x64.mean(axis=dims) * 0.3,
                               rtol=1e-5, atol=1e-6)


def test_batch_norm_predict_mode_leaves_moving_stats():
    inputs = bn_inputs((4, 3, 2))
    nd = [mx.nd.array(a) for a in inputs]
    mx.nd.BatchNorm(*nd)
    with mx.autograd.record(train_mode=False):
        mx.nd.BatchNorm(*nd)
    np.testing.assert_array_equal(nd[3].asnumpy(), inputs[3])
    np.testing.assert_array_equal(nd[4].asnumpy(), inputs[4])


def test_batch_norm_matches_mxnet_values():
    """Values printed by MXNet 1.9.1 (record + backward, CPU) for these inputs."""
    x = np.sin(np.arange(24, dtype=np.float64)).reshape(4, 3, 2).astype(np.float32)
    g = np.array([0.5, 1.0, 2.0], np.float32)
    b = np.array([0.1, -0.2, 0.3], np.float32)
    nd = [mx.nd.array(a) for a in (x, g, b, np.array([0.1, 0.2, 0.3], np.float32), np.array([1.0, 2.0, 3.0], np.float32))]
    with mx.autograd.record():
        out, mean, invstd = mx.nd.BatchNorm(*nd, momentum=0.8, fix_gamma=False, output_mean_var=True)
    np.testing.assert_allclose(nd[3].asnumpy(), [0.09253815561532974, 0.3060597777366638, 0.10589724779129028], rtol=1e-5)
    np.testing.assert_allclose(nd[4].asnumpy(), [0.8559308052062988, 1.6166589260101318, 2.4228715896606445], rtol=1e-5)
    np.testing.assert_allclose(out.asnumpy()[:, 0, 0],
                               [0.04083186760544777, -0.22288313508033752, -0.4655907452106476, -0.6679570078849792],
                               rtol=1e-5)
    np.testing.assert_allclose(mean.asnumpy(), [0.06269075721502304, 0.7302988171577454, -0.6705138683319092], rtol=1e-5)
    np.testing.assert_allclose(invstd.asnumpy(), [1.8876190185546875, 3.4442942142486572, 2.944272994995117], rtol=1e-5)

    x2 = np.cos(np.arange(24, dtype=np.float64)).reshape(2, 3, 4).astype(np.float32)
    nd = [mx.nd.array(x2), mx.nd.array(np.ones(4, np.float32)), mx.nd.array(np.zeros(4, np.float32)),
          mx.nd.array(np.zeros(4, np.float32)), mx.nd.array(np.ones(4, np.float32))]
    with mx.autograd.record():
        mx.nd.BatchNorm(*nd, axis=-1)
    np.testing.assert_allclose(nd[3].asnumpy(), [0.008252216503024101, -4.3526302761165425e-05,
                                                 -0.008299252018332481, -0.00892468262463808], rtol=1e-4, atol=1e-8)
    np.testing.assert_allclose(nd[4].asnumpy(), [0.9533882141113281, 0.9400287866592407,
                                                 0.9535409212112427, 0.9556542634963989], rtol=1e-5)

    nd = [mx.nd.array(a) for a in (x, g, b, np.array([0.1, 0.2, 0.3], np.float32), np.array([1.0, 2.0, 3.0], np.float32))]
    out = mx.nd.BatchNorm(*nd, fix_gamma=False)
    np.testing.assert_allclose(out.asnumpy()[0, :, 1], [0.4705502390861511, -0.24162405729293823, -1.1534383296966553],
                               rtol=1e-5)


def test_batch_norm_fix_gamma_zero_gradient():
    x, g, b, mm, mv = (mx.nd.array(a) for a in bn_inputs((4, 3, 2)))
    g.attach_grad()
    g.grad[:] = 5
    with mx.autograd.record():
        y = mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=True)
    y.backward()
    np.testing.assert_array_equal(g.grad.asnumpy(), np.zeros(3, np.float32))


def test_batch_norm_float16_data_float32_params():
    inputs = bn_inputs((4, 3, 2), dtype=np.float16)
    ref = lambda *a: np_batch_norm(*a, fix_gamma=False, batch_stats=True, output_mean_var=True)  # noqa: E731
    with mx.autograd.train_mode():
        outs = check_op("BatchNorm", inputs, ref, dict(fix_gamma=False, output_mean_var=True), rtol=2e-3, atol=2e-3,
                        grad=False)
    assert [o.dtype for o in outs] == [np.float16, np.float32, np.float32]


def test_batch_norm_float64():
    inputs = bn_inputs((4, 3, 2), dtype=np.float64, param_dtype=np.float64)
    check_op("BatchNorm", inputs, lambda *a: np_batch_norm(*a, fix_gamma=False, batch_stats=False),
             dict(fix_gamma=False), grad=False)


def test_batch_norm_is_not_batched_by_fold():
    assert get("BatchNorm").batch_rule is None
    assert get("batch_norm") is get("BatchNorm") is get("_npx_batch_norm")
    assert get("BatchNorm").aux_inputs == ("moving_mean", "moving_var")


def test_batch_norm_errors():
    x, g, b, mm, mv = bn_inputs((4, 3, 2))
    check_op_error("BatchNorm", [x, np.ones(4, np.float32), b, mm, mv], match=r"BatchNorm.*gamma.*\(3,\).*\(4, 3, 2\).*\(4,\)")
    check_op_error("BatchNorm", [x, g, b, mm, np.ones((3, 1), np.float32)], match=r"BatchNorm.*moving_var.*\(3, 1\)")
    check_op_error("BatchNorm", [x, g, b, mm, mv], dict(axis=3), match="BatchNorm.*axis 3")
    check_op_error("BatchNorm", [x.astype(np.int32), g, b, mm, mv], match="BatchNorm.*floating.*int32",
                   error=TypeError)


def test_batch_norm_positional_attrs():
    x, g, b, mm, mv = (mx.nd.array(a) for a in bn_inputs((4, 3, 2)))
    y1 = mx.nd.BatchNorm(x, g, b, mm, mv, 1e-3, 0.9, False)
    y2 = mx.nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
    np.testing.assert_array_equal(y1.asnumpy(), y2.asnumpy())


# ------------------------------------------------------------------ LayerNorm
@pytest.mark.parametrize("axis", [-1, 1, 0])
@pytest.mark.parametrize("output_mean_var", [False, True])
def test_layer_norm(axis, output_mean_var):
    x = rand(2, 3, 4)
    c = x.shape[axis]
    attrs = dict(axis=axis, output_mean_var=output_mean_var)
    check_op("LayerNorm", [x, positive(c), rand(c)],
             lambda *a: np_layer_norm(*a, axis=axis, output_mean_var=output_mean_var), attrs, rtol=1e-5, atol=1e-5)


def test_layer_norm_eps_and_dtypes():
    x = rand(3, 5)
    check_op("LayerNorm", [x, positive(5), rand(5)], lambda *a: np_layer_norm(*a, eps=0.5), dict(eps=0.5), grad=False)
    x64 = rand(3, 5, dtype=np.float64)
    check_op("LayerNorm", [x64, positive(5).astype(np.float64), rand(5).astype(np.float64)], np_layer_norm, grad=False)
    x16 = rand(3, 5, dtype=np.float16)
    for omv in (False, True):
        check_op("LayerNorm", [x16, positive(5).astype(np.float16), rand(5).astype(np.float16)],
                 lambda *a, omv=omv: np_layer_norm(*a, output_mean_var=omv), dict(output_mean_var=omv), rtol=5e-3, atol=5e-3,
                 grad=False)


def test_layer_norm_errors():
    x = rand(2, 3, 4)
    check_op_error("LayerNorm", [x, np.ones(3, np.float32), np.ones(4, np.float32)],
                   match=r"LayerNorm.*gamma.*\(4,\).*\(2, 3, 4\).*\(3,\)")
    check_op_error("LayerNorm", [x, np.ones(4, np.float32), np.ones(4, np.float32)], dict(axis=-4), match="axis -4")
    check_op_error("LayerNorm", [x.astype(np.int32), np.ones(4, np.int32), np.ones(4, np.int32)], match="floating",
                   error=TypeError)


# ------------------------------------------------------------------ InstanceNorm
@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 2, 3, 2)])
def test_instance_norm(shape):
    c = shape[1]
    check_op("InstanceNorm", [rand(*shape), positive(c), rand(c)], np_instance_norm, rtol=1e-5, atol=1e-5)
    check_op("InstanceNorm", [rand(*shape), positive(c), rand(c)], lambda *a: np_instance_norm(*a, eps=0.1),
             dict(eps=0.1), grad=False)


def test_instance_norm_float64():
    check_op("InstanceNorm", [rand(2, 3, 4, dtype=np.float64), positive(3).astype(np.float64),
                              rand(3).astype(np.float64)], np_instance_norm, grad=False)


def test_instance_norm_errors():
    check_op_error("InstanceNorm", [rand(2, 3), positive(3), rand(3)], match=r"InstanceNorm.*at least 3.*\(2, 3\)")
    check_op_error("InstanceNorm", [rand(2, 3, 4), positive(4), rand(3)], match=r"InstanceNorm.*gamma.*\(3,\).*\(4,\)")


# ------------------------------------------------------------------ GroupNorm
@pytest.mark.parametrize("shape,groups", [((2, 6, 2), 3), ((2, 4, 2, 2), 2), ((3, 4), 2), ((2, 3, 3), 1)])
@pytest.mark.parametrize("output_mean_var", [False, True])
def test_group_norm(shape, groups, output_mean_var):
    attrs = dict(num_groups=groups, output_mean_var=output_mean_var)
    check_op("GroupNorm", [rand(*shape), positive(groups), rand(groups)],
             lambda *a: np_group_norm(*a, num_groups=groups, output_mean_var=output_mean_var), attrs, rtol=1e-5,
             atol=1e-5)


def test_group_norm_matches_mxnet_values():
    """MXNet 1.9.1: gamma/beta per group; std = sqrt(var + eps)."""
    x = np.sin(np.arange(12, dtype=np.float64)).reshape(1, 4, 3).astype(np.float32)
    out, mean, std = run("GroupNorm", [x, np.array([1.0, 2.0], np.float32), np.array([0.0, 0.5], np.float32)],
                         dict(num_groups=2, output_mean_var=True))
    np.testing.assert_allclose(mean.asnumpy(), [[0.02936026267707348, 0.03917274996638298]], rtol=1e-5)
    np.testing.assert_allclose(std.asnumpy(), [[0.7120374441146851, 0.7006149888038635]], rtol=1e-5)
    np.testing.assert_allclose(out.asnumpy()[0, :, 0], [-0.041234154254198074, 0.15695767104625702,
                                                        -0.4094530940055847, 1.5646239519119263], rtol=1e-5)


def test_group_norm_errors():
    check_op_error("GroupNorm", [rand(2, 6, 2), positive(6), rand(6)], dict(num_groups=3),
                   match=r"GroupNorm.*gamma.*\(3,\).*group.*\(6,\)")
    check_op_error("GroupNorm", [rand(2, 6, 2), positive(4), rand(4)], dict(num_groups=4), match="divisible")


# ------------------------------------------------------------------ L2Normalization
@pytest.mark.parametrize("mode", ["instance", "channel", "spatial"])
@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 2, 2, 3)])
def test_l2_normalization(mode, shape):
    check_op("L2Normalization", [rand(*shape)], lambda x: np_l2_normalization(x, mode=mode), dict(mode=mode))
    check_op("L2Normalization", [rand(*shape)], lambda x: np_l2_normalization(x, mode=mode, eps=0.5),
             dict(mode=mode, eps=0.5), grad=False)


def test_l2_normalization_low_rank_and_dtypes():
    check_op("L2Normalization", [rand(3, 4)], np_l2_normalization)
    check_op("L2Normalization", [np.array([3.0, -2.0, 0.5], np.float32)], np_l2_normalization)  # MXNet: sign(x)
    check_op("L2Normalization", [rand(3, 4)], lambda x: np_l2_normalization(x, mode="channel"), dict(mode="channel"))
    check_op("L2Normalization", [rand(2, 3, 4, dtype=np.float16)], np_l2_normalization, rtol=2e-3, atol=2e-3,
             grad=False)
    check_op("L2Normalization", [rand(2, 3, 4, dtype=np.float64)], np_l2_normalization, grad=False)


def test_l2_normalization_errors():
    check_op_error("L2Normalization", [rand(2, 3)], dict(mode="spatial"), match=r"L2Normalization.*spatial.*\(2, 3\)")
    check_op_error("L2Normalization", [rand(2, 3)], dict(mode="pixel"), match="mode")
    check_op_error("L2Normalization", [np.ones((2, 3), np.int32)], match="floating", error=TypeError)


# ------------------------------------------------------------------ LRN
@pytest.mark.parametrize("nsize", [1, 3, 5, 2, 4])
def test_lrn(nsize):
    x = rand(2, 6, 2, 2) * 2
    attrs = dict(alpha=0.5, beta=0.75, knorm=2.0, nsize=nsize)
    check_op("LRN", [x], lambda a: np_lrn(a, alpha=0.5, beta=0.75, knorm=2.0, nsize=nsize), attrs, rtol=1e-5)


def test_lrn_defaults_and_ranks():
    check_op("LRN", [rand(2, 5, 3)], lambda a: np_lrn(a, nsize=3), dict(nsize=3), grad=False)
    check_op("LRN", [rand(2, 5)], lambda a: np_lrn(a, nsize=3), dict(nsize=3), grad=False)
    check_op("LRN", [rand(1, 4, 2, 2, dtype=np.float64)], lambda a: np_lrn(a, nsize=3), dict(nsize=3), grad=False)


def test_lrn_matches_mxnet_values():
    """MXNet 1.9.1 output for an even nsize (window of nsize - 1 channels, divisor nsize)."""
    x = (np.sin(np.arange(16, dtype=np.float64)) * 3).reshape(1, 4, 2, 2).astype(np.float32)
    y = mx.nd.LRN(mx.nd.array(x), 0.5, 0.75, 2.0, 4).asnumpy()
    np.testing.assert_allclose(y[0, :, 0, 1], [0.9218730926513672, -1.012892484664917,
                                               0.49116572737693787, 0.6558257937431335], rtol=1e-5)


def test_lrn_errors():
    check_op_error("LRN", [rand(2, 3, 2, 2)], match="required argument 'nsize'")
    check_op_error("LRN", [rand(2, 3, 2, 2)], dict(nsize=0), match="nsize must be at least 1")
    check_op_error("LRN", [np.ones((2, 3, 2, 2), np.int32)], dict(nsize=3), match="floating", error=TypeError)


def test_batch_rules():
    for name in ("LayerNorm", "InstanceNorm", "GroupNorm"):
        rule = get(name).batch_rule
        assert rule.axis == 0 and rule.unbatched == (1, 2), name
    assert get("L2Normalization").batch_rule.axis == 0
    assert get("LayerNorm").output_names == ("output", "mean", "std")
    assert get("BatchNorm").output_names == ("output", "mean", "var")
