"""``mx.npx``: each function against a NumPy/SciPy reference (values, dtypes, shapes, tracing, gradients),
``npx.reshape``'s codes against MXNet's documented results, save/load, the ``_npx_*`` names, and a
symbol file exported by real MXNet 1.9.1 in NumPy mode (tests/golden/make_npx_golden.py)."""
import os

import numpy as onp
import pytest
import scipy.special

import gluonic as mx
from gluonic import autograd, npx
from gluonic import numpy as np
from gluonic.numpy_extension import image as npx_image  # also npx.image
from gluonic.numpy_extension import random as npx_random  # also npx.random
from gluonic.ops import registry
from tests.numpy.np_harness import check_np, check_np_error

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "npx")
rng = onp.random.RandomState(0)


def f32(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(onp.float32)


def ref_softmax(x, axis=-1, temperature=1.0):
    e = onp.exp((x - x.max(axis=axis, keepdims=True)) / temperature)
    return e / e.sum(axis=axis, keepdims=True)


@pytest.fixture(autouse=True)
def np_mode():
    npx.set_np()
    yield
    npx.reset_np()


# ------------------------------------------------------------------------------ switches
def test_set_np_reset_np():
    assert npx.is_np_array() and npx.is_np_shape()
    npx.reset_np()
    assert not npx.is_np_array() and not npx.is_np_shape()
    npx.set_np(shape=True, array=False)
    assert npx.is_np_shape() and not npx.is_np_array()


# ------------------------------------------------------------------------------ activations
def test_relu_sigmoid():
    x = f32(3, 4)
    check_np(npx.relu, lambda a: onp.maximum(a, 0), [x], grad=True)
    check_np(npx.sigmoid, lambda a: 1 / (1 + onp.exp(-a)), [x], grad=True)
    check_np(npx.relu, lambda a: onp.maximum(a, 0), [onp.array([-2, 0, 3], dtype=onp.int32)])
    check_np(npx.relu, lambda a: onp.maximum(a, 0), [onp.array(-1.5, dtype=onp.float32)])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_log_softmax(axis):
    x = f32(3, 4)
    check_np(npx.softmax, lambda a, axis: ref_softmax(a, axis), [x], axis=axis, grad=True)
    check_np(npx.log_softmax, lambda a, axis: onp.log(ref_softmax(a, axis)), [x], axis=axis, grad=True, atol=1e-5)


def test_softmax_zero_d():
    x = onp.array(0.7, dtype=onp.float32)
    check_np(npx.softmax, lambda a: onp.array(1.0, dtype=onp.float32), [x], symbolic=False, grad=True)
    check_np(npx.log_softmax, lambda a: onp.array(0.0, dtype=onp.float32), [x], symbolic=False, grad=True)


def test_softmax_temperature_dtype_length():
    x = f32(2, 5)
    check_np(npx.softmax, lambda a, temperature: ref_softmax(a, -1, 2.0), [x], temperature=2.0)
    check_np(npx.softmax, lambda a, dtype: ref_softmax(a.astype(onp.float64)), [x], dtype="float64")
    length = onp.array([2, 5], dtype=onp.int32)

    def ref(a, n, use_length):
        out = onp.zeros_like(a)
        for i, k in enumerate(n):
            out[i, :k] = ref_softmax(a[i, :k])
        return out

    check_np(lambda a, n, **kw: npx.softmax(a, n, **kw), ref, [x, length], use_length=True, grad=[0])


@pytest.mark.parametrize("act_type, ref", [
    ("relu", lambda a: onp.maximum(a, 0)),
    ("sigmoid", lambda a: 1 / (1 + onp.exp(-a))),
    ("tanh", onp.tanh),
    ("softrelu", lambda a: onp.log1p(onp.exp(a))),
    ("softsign", lambda a: a / (1 + onp.abs(a))),
])
def test_activation(act_type, ref):
    check_np(npx.activation, lambda a, act_type: ref(a), [f32(2, 3)], act_type=act_type, grad=True)


def test_leaky_relu():
    x = f32(2, 3)
    check_np(npx.leaky_relu, lambda a, slope: onp.where(a > 0, a, slope * a), [x], slope=0.1, grad=True)
    check_np(npx.leaky_relu, lambda a, act_type: onp.where(a > 0, a, onp.expm1(a) * 0.25), [x], act_type="elu")
    check_np(npx.leaky_relu, lambda a, act_type: a * 0.5 * (1 + scipy.special.erf(a / onp.float32(onp.sqrt(2)))),
             [x], act_type="gelu", atol=1e-5)
    g = onp.array([0.1, 0.2, 0.3], dtype=onp.float32)
    check_np(npx.leaky_relu, lambda a, b, act_type: onp.where(a > 0, a, a * b), [f32(2, 3), g], act_type="prelu",
             grad=True)


# ------------------------------------------------------------------------------ layers
@pytest.mark.parametrize("flatten", [True, False])
def test_fully_connected(flatten):
    x, w, b = f32(2, 3, 4), f32(5, 12 if flatten else 4), f32(5)

    def ref(x, w, b, **kw):
        return (x.reshape(2, -1) if flatten else x) @ w.T + b

    check_np(npx.fully_connected, ref, [x, w, b], num_hidden=5, flatten=flatten, grad=True, atol=1e-5)
    check_np(npx.fully_connected, lambda x, w, **kw: ref(x, w, 0), [x, w], num_hidden=5, no_bias=True,
             flatten=flatten, atol=1e-5)


def ref_conv2d(x, w, b, stride=1, pad=0):
    x = onp.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = onp.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return onp.einsum("nchwij,fcij->nfhw", win, w) + b[None, :, None, None]


def test_convolution():
    x, w, b = f32(2, 3, 6, 5), f32(4, 3, 3, 3), f32(4)
    check_np(npx.convolution, lambda x, w, b, **kw: ref_conv2d(x, w, b), [x, w, b], kernel=(3, 3), num_filter=4,
             atol=1e-5)
    check_np(npx.convolution, lambda x, w, b, **kw: ref_conv2d(x, w, b, stride=2, pad=1), [x, w, b], kernel=(3, 3),
             stride=(2, 2), pad=(1, 1), num_filter=4, atol=1e-5)
    small = [f32(1, 1, 4, 4), f32(2, 1, 2, 2), f32(2)]
    check_np(npx.convolution, lambda x, w, b, **kw: ref_conv2d(x, w, b), small, kernel=(2, 2), num_filter=2,
             grad=True)


def test_deconvolution():
    x, w = f32(1, 2, 3, 3), f32(2, 3, 2, 2)

    def ref(x, w, **kw):  # each input pixel scatters a weighted kernel (stride 1, no padding)
        out = onp.zeros((1, 3, 4, 4), dtype=onp.float32)
        for i in range(3):
            for j in range(3):
                out[0, :, i:i + 2, j:j + 2] += onp.einsum("c,cfij->fij", x[0, :, i, j], w)
        return out

    check_np(npx.deconvolution, ref, [x, w], kernel=(2, 2), num_filter=3, grad=True, atol=1e-5)


def test_pooling():
    x = f32(2, 3, 4, 4)
    blocks = x.reshape(2, 3, 2, 2, 2, 2)
    check_np(npx.pooling, lambda a, **kw: blocks.max(axis=(3, 5)), [x], kernel=(2, 2), stride=(2, 2), grad=True)
    check_np(npx.pooling, lambda a, **kw: blocks.mean(axis=(3, 5)), [x], kernel=(2, 2), stride=(2, 2),
             pool_type="avg")
    check_np(npx.pooling, lambda a, **kw: a.mean(axis=(2, 3), keepdims=True), [x], global_pool=True,
             pool_type="avg")
    win = onp.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(2, 3))  # MXNet's default stride is 1
    check_np(npx.pooling, lambda a, **kw: win.max(axis=(4, 5)), [x], kernel=(2, 2))


def test_batch_norm_inference_and_training():
    x, g, b = f32(4, 3, 2), f32(3, low=0.5, high=1.5), f32(3)
    mean, var = f32(3), f32(3, low=0.5, high=1.5)

    def ref(x, g, b, m, v, fix_gamma, use_global_stats=False):
        s = (slice(None), None)
        return (x - m[s]) / onp.sqrt(v[s] + 1e-3) * g[s] + b[s]

    check_np(npx.batch_norm, ref, [x, g, b, mean, var], fix_gamma=False, atol=1e-5)
    # gradients are taken under autograd.record (training mode): use_global_stats keeps the moving statistics
    check_np(npx.batch_norm, ref, [x, g, b, mean, var], fix_gamma=False, use_global_stats=True, grad=[0, 1, 2],
             atol=1e-5)
    # training mode: batch statistics, moving statistics updated in place
    mm, mv = np.array(mean), np.array(var)
    with autograd.record():
        y = npx.batch_norm(np.array(x), np.array(g), np.array(b), mm, mv, fix_gamma=False, momentum=0.9)
    bm, bv = x.mean(axis=(0, 2)), x.var(axis=(0, 2))
    want = (x - bm[:, None]) / onp.sqrt(bv[:, None] + 1e-3) * g[:, None] + b[:, None]
    onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-4, atol=1e-5)
    onp.testing.assert_allclose(mm.asnumpy(), 0.9 * mean + 0.1 * bm, rtol=1e-5, atol=1e-6)
    onp.testing.assert_allclose(mv.asnumpy(), 0.9 * var + 0.1 * bv, rtol=1e-4, atol=1e-6)


def test_layer_norm():
    x, g, b = f32(3, 4), f32(4), f32(4)

    def ref(x, g, b, axis=-1):
        m, v = x.mean(axis=axis, keepdims=True), x.var(axis=axis, keepdims=True)
        return (x - m) / onp.sqrt(v + 1e-5) * g + b

    check_np(npx.layer_norm, ref, [x, g, b], grad=True, atol=1e-5)
    check_np(npx.layer_norm, lambda x, g, b, axis: ref(x, g[:, None], b[:, None], 0), [x, f32(3), f32(3)], axis=0,
             atol=1e-5)


def test_dropout():
    x = onp.ones((50, 40), dtype=onp.float32)
    check_np(npx.dropout, lambda a, p: a, [x], p=0.3)  # predict mode: identity
    with autograd.record():
        y = npx.dropout(np.array(x), p=0.5).asnumpy()
    assert set(onp.unique(y)) <= {0.0, 2.0} and 0.4 < (y == 0).mean() < 0.6
    y = npx.dropout(np.array(x), p=0.5, mode="always").asnumpy()
    assert 0.4 < (y == 0).mean() < 0.6


def test_embedding():
    idx, w = onp.array([[0, 2], [1, 1]], dtype=onp.int32), f32(3, 4)
    check_np(npx.embedding, lambda i, w, **kw: w[i], [idx, w], input_dim=3, output_dim=4, grad=[1])
    check_np(npx.embedding, lambda i, w: w[i.astype(int)], [idx.astype(onp.float32), w],  # dims from weight
             symbolic=False)


def test_sequence_mask():
    x, n = f32(4, 2, 3), onp.array([1, 3], dtype=onp.float32)

    def ref(x, n, use_sequence_length, value):
        out = x.copy()
        for b, k in enumerate(n.astype(int)):
            out[k:, b] = value
        return out

    check_np(npx.sequence_mask, ref, [x, n], use_sequence_length=True, value=-1.0, grad=[0])
    check_np(npx.sequence_mask, lambda x: x, [x])


def test_rnn_tanh():
    T, N, K, H = 3, 2, 2, 3
    x, h0 = f32(T, N, K), f32(1, N, H)
    params = f32(H * K + H * H + 2 * H)

    def ref(x, p, h, **kw):
        wi, wh = p[:H * K].reshape(H, K), p[H * K:H * K + H * H].reshape(H, H)
        bi, bh = p[H * K + H * H:H * K + H * H + H], p[-H:]
        h, outs = h[0], []
        for t in range(T):
            h = onp.tanh(x[t] @ wi.T + bi + h @ wh.T + bh)
            outs.append(h)
        return onp.stack(outs)

    check_np(npx.rnn, ref, [x, params, h0], state_size=H, num_layers=1, mode="rnn_tanh", grad=True, atol=1e-5)
    out = npx.rnn(np.array(x), np.array(params), np.array(h0), state_size=H, num_layers=1, mode="rnn_tanh",
                  state_outputs=True)
    assert isinstance(out, list) and len(out) == 2 and out[1].shape == (1, N, H)
    onp.testing.assert_allclose(out[1].asnumpy()[0], out[0].asnumpy()[-1])


# ------------------------------------------------------------------------------ npx.reshape
@pytest.mark.parametrize("src, codes, reverse, want", [
    # MXNet 1.9's documented examples
    ((2, 3, 8), (-2, -2, 2, -1), False, (2, 3, 2, 4)),
    ((8, 3, 3, 3, 4, 4), (-6, 2, -1, -4), False, (2, 4, 3, 3, 3, 4, 4)),
    ((8, 3, 3, 3, 4, 4), (-5, -4), False, (24, 3, 3, 4, 4)),
    ((8, 1, 1, 1, 3), (-2, -3, -3, -3, -2), False, (8, 3)),
    ((8, 3, 3, 3, 3, 8), (-4, -5), True, (8, 3, 3, 3, 24)),
    ((8, 3, 2, 4, 8), (-4, -1, 2, -6), True, (8, 3, 2, 4, 4, 2)),
    # checked against MXNet 1.9.1
    ((2, 3, 4), -1, False, (24,)),
    ((2, 3, 4), (-2, -1), True, (3, 8)),
    ((2, 3, 4), (-1, -2), True, (6, 4)),
    ((2, 3, 4), (-4, -1), False, (2, 3, 4, 1)),
    ((2, 3, 4), (-2, -4, 1, 1), False, (2, 3, 4, 1, 1)),
    ((2, 3, 4), (-2, 3, -1, 1), False, (2, 3, 4, 1)),
    ((2, 3, 4), (-5, -6, 2, 2), False, (6, 2, 2)),
    ((2, 3, 4), (-6, -1, 2, -4), False, (1, 2, 3, 4)),
    ((2, 0, 4), (-2, -1), False, (2, 0)),
    ((0, 4), (-6, -1, 3, -2), False, (0, 3, 4)),
    ((1, 1), (-3, -3), False, ()),
    ((), (-1,), False, (1,)),
])
def test_npx_reshape_codes(src, codes, reverse, want):
    x = onp.arange(int(onp.prod(src)), dtype=onp.float32).reshape(src)
    check_np(npx.reshape, lambda a, codes, reverse: a.reshape(want), [x, codes], reverse=reverse,
             grad=0 < x.size <= 30)


@pytest.mark.parametrize("src, codes, match", [
    ((2, 3, 4), (0, -1), "cannot be inferred"),
    ((2, 3, 4), (-3, -1), "size 1"),
    ((2, 3, 4), (-2, -2, -2, -2), "no input dimension left"),
    ((2, 3, 4), (-6, 2, 3, -2), "does not split"),
    ((2, 3, 4), (-6, -1, -1, -2), "only one dimension"),
    ((2, 3, 4), (-1, -1), "only one dimension"),
    ((2, 3, 4), (-7,), "not a code"),
    ((2, 3, 4), (5, -1), "cannot be inferred"),
    ((2, 3, 4), (3, -4), "element count"),
    ((2, 3, 4), (1, -4), "element count"),
    ((2, 3, 4), (-2, 3, -5), "two input dimensions"),
])
def test_npx_reshape_errors(src, codes, match):
    check_np_error(npx.reshape, [onp.ones(src, dtype=onp.float32), codes], match=match)


# ------------------------------------------------------------------------------ array operators
def test_shape_ops():
    x = f32(2, 3, 4)
    check_np(npx.reshape_like, lambda a, b: a.reshape(b.shape), [x, f32(4, 6)], grad=[0])
    check_np(npx.reshape_like, lambda a, b, **kw: a.reshape(6, 4), [x, f32(6, 5)], lhs_begin=0, lhs_end=2,
             rhs_begin=0, rhs_end=1)
    check_np(npx.batch_flatten, lambda a: a.reshape(2, -1), [x], grad=True)
    check_np(npx.batch_flatten, lambda a: a.reshape(3, 1), [f32(3)])
    check_np(npx.shape_array, lambda a: onp.array(a.shape, dtype=onp.int64), [x])
    check_np(npx.shape_array, lambda a: onp.zeros((0,), dtype=onp.int64), [onp.array(1.0, dtype=onp.float32)])


def test_batch_dot():
    a, b = f32(2, 3, 4), f32(2, 4, 5)
    check_np(npx.batch_dot, onp.matmul, [a, b], grad=True, atol=1e-5)
    check_np(npx.batch_dot, lambda a, b, **kw: a.transpose(0, 2, 1) @ b.transpose(0, 2, 1), [f32(2, 4, 3), f32(2, 5, 4)],
             transpose_a=True, transpose_b=True, atol=1e-5)


def test_one_hot():
    idx = onp.array([[0, 2], [1, 5]], dtype=onp.int32)
    check_np(npx.one_hot, lambda i, depth: onp.eye(4, dtype=onp.float32)[onp.minimum(i, 3)][..., :3], [idx],
             depth=3)  # out-of-range indices: all-zero rows
    check_np(npx.one_hot, lambda i, depth, on_value, off_value, dtype: onp.where(onp.eye(3)[i] > 0, 5, -1).astype(
        onp.int32), [idx[:, :1]], depth=3, on_value=5, off_value=-1, dtype="int32")
    check_np(npx.one_hot, lambda i, depth: onp.eye(4, dtype=onp.float32)[i], [onp.array(2, dtype=onp.int32)], depth=4)


def test_pick():
    x, i = f32(3, 4), onp.array([0, 3, 1], dtype=onp.int32)
    check_np(npx.pick, lambda a, i: a[onp.arange(3), i], [x, i], grad=[0])
    check_np(npx.pick, lambda a, i, axis, keepdims: a[i, onp.arange(4)][None], [x, onp.array([2, 0, 1, 2])], axis=0,
             keepdims=True)
    check_np(npx.pick, lambda a, i, mode: a[onp.arange(3), i % 4], [x, onp.array([5, -1, 4])], mode="wrap")
    check_np(npx.pick, lambda a, i: a[onp.arange(3), onp.clip(i, 0, 3)], [x, onp.array([5, -1, 4])])


def test_topk():
    x = onp.array([[3.0, 1.0, 4.0, 1.5], [9.0, 2.0, 6.0, 5.0]], dtype=onp.float32)
    order = onp.argsort(-x, axis=-1, kind="stable")
    check_np(npx.topk, lambda a, k: order[:, :2].astype(onp.float32), [x], k=2)
    check_np(npx.topk, lambda a, k, ret_typ: onp.take_along_axis(a, order[:, :2], -1), [x], k=2, ret_typ="value",
             grad=True)
    check_np(npx.topk, lambda a, k, ret_typ, dtype: [onp.take_along_axis(a, order[:, :3], -1),
                                                     order[:, :3].astype(onp.int64)],
             [x], k=3, ret_typ="both", dtype="int64")
    check_np(npx.topk, lambda a, axis, k, ret_typ, is_ascend: onp.sort(a, axis=0)[:1], [x], axis=0, k=1,
             ret_typ="value", is_ascend=True)
    mask = onp.zeros_like(x)
    onp.put_along_axis(mask, order[:, :1], 1.0, -1)
    check_np(npx.topk, lambda a, ret_typ: mask, [x], ret_typ="mask")
    flat = onp.argsort(-x.ravel(), kind="stable")[:3].astype(onp.float32)
    check_np(npx.topk, lambda a, axis, k: flat, [x], axis=None, k=3)


def test_gather_nd_slice():
    x = f32(3, 4, 2)
    idx = onp.array([[0, 2, 1], [3, 0, 0]], dtype=onp.int32)
    check_np(npx.gather_nd, lambda a, i: a[i[0], i[1]], [x, idx], grad=[0])
    check_np(npx.gather_nd, lambda a, i: a[i[0]], [x, idx[:1]])
    check_np(npx.slice, lambda a, begin, end: a[0:2, 1:4], [x], begin=(0, 1), end=(2, 4), grad=True)
    check_np(npx.slice, lambda a, begin, end, step: a[:, 3::-2], [x], begin=(None, 3), end=(None, None),
             step=(1, -2))


def test_arange_like():
    x = f32(2, 3)
    check_np(npx.arange_like, lambda a: onp.arange(6, dtype=onp.float32).reshape(2, 3), [x])
    check_np(npx.arange_like, lambda a, start, step, axis: onp.array([1.0, 3.0, 5.0], dtype=onp.float32), [x],
             start=1.0, step=2.0, axis=-1)
    check_np(npx.arange_like, lambda a, repeat: (onp.arange(6) // 2).astype(onp.float32).reshape(2, 3), [x],
             repeat=2)
    xi = onp.zeros((2, 3), dtype=onp.int32)  # integer dtype: start/step truncated, as in MXNet
    check_np(npx.arange_like, lambda a, start, step: onp.arange(6, dtype=onp.int32).reshape(2, 3), [xi], start=0.5,
             step=1.5)


def test_nonzero():
    x = onp.array([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]], dtype=onp.float32)
    check_np(npx.nonzero, lambda a: onp.stack(onp.nonzero(a), axis=-1), [x], symbolic=False)
    check_np(npx.nonzero, lambda a: onp.stack(onp.nonzero(a), axis=-1), [x > 0], symbolic=False)
    check_np(npx.nonzero, lambda a: onp.zeros((1, 1), dtype=onp.int64), [onp.array(5.0, dtype=onp.float32)],
             symbolic=False)
    check_np(npx.nonzero, lambda a: onp.zeros((0, 1), dtype=onp.int64), [onp.array(0.0, dtype=onp.float32)],
             symbolic=False)


def test_cast_and_math():
    x = onp.array([[1.7, -1.7, 0.0]], dtype=onp.float32)
    check_np(npx.cast, lambda a, dtype: a.astype(onp.int32), [x], dtype="int32")
    check_np(npx.cast, lambda a, dtype: a.astype(onp.float64), [x], dtype=onp.float64, grad=True)
    check_np(npx.cast, lambda a, dtype: a.astype(bool), [x], dtype="bool")
    y = f32(2, 3, low=-2, high=2)

    def smooth(a, scalar=1.0):
        s2 = scalar ** 2
        return onp.where(onp.abs(a) < 1 / s2, 0.5 * (scalar * a) ** 2, onp.abs(a) - 0.5 / s2).astype(a.dtype)

    check_np(npx.smooth_l1, smooth, [y], grad=True)
    check_np(npx.smooth_l1, smooth, [y], scalar=2.0)
    check_np(npx.erf, scipy.special.erf, [y], grad=True)
    check_np(npx.erfinv, scipy.special.erfinv, [f32(2, 3, low=-0.9, high=0.9)], grad=True, atol=1e-5)
    pos = f32(2, 3, low=0.5, high=3)
    check_np(npx.gamma, scipy.special.gamma, [pos], grad=True)
    check_np(npx.gammaln, scipy.special.gammaln, [pos], grad=True, atol=1e-5)


def test_constraint_check():
    ok = onp.array([True, True])
    check_np(npx.constraint_check, lambda a, msg: onp.array(True), [ok], msg="positive")
    check_np_error(npx.constraint_check, [onp.array([True, False])], match="scale must be positive", error=ValueError,
                   msg="scale must be positive")


def test_errors():
    x = onp.ones((1, 1, 3, 3), dtype=onp.float32)
    check_np_error(npx.activation, [x], match="act_type")
    check_np_error(npx.convolution, [x, x], match="num_filter", kernel=(2, 2))
    check_np_error(npx.reshape, [x, "a"], match="newshape", error=TypeError)
    check_np_error(npx.topk, [x], match="ret_typ", ret_typ="foo")
    check_np_error(npx.fully_connected, [x, onp.ones((2, 4), dtype=onp.float32)], match="weight", num_hidden=2)


def test_out_argument():
    x, out = np.array(f32(2, 3)), np.array(onp.zeros((2, 3), dtype=onp.float32))
    r = npx.relu(x, out=out)
    assert r is out
    onp.testing.assert_allclose(out.asnumpy(), onp.maximum(x.asnumpy(), 0))


# ------------------------------------------------------------------------------ npx.image
def test_image_ops():
    img = rng.randint(0, 256, size=(4, 6, 3)).astype(onp.uint8)
    check_np(npx_image.to_tensor, lambda a: (a.transpose(2, 0, 1) / 255).astype(onp.float32), [img])
    t = f32(3, 2, 2)
    mean, std = (0.1, 0.2, 0.3), (1.0, 2.0, 4.0)
    check_np(npx_image.normalize, lambda a, mean, std: ((a - onp.array(mean)[:, None, None]) /
                                                        onp.array(std)[:, None, None]).astype(onp.float32),
             [t], mean=mean, std=std)
    check_np(npx_image.flip_left_right, lambda a: a[:, ::-1], [img])
    check_np(npx_image.flip_top_bottom, lambda a: a[::-1], [img])
    check_np(npx_image.crop, lambda a, x, y, width, height: a[1:3, 2:5], [img], x=2, y=1, width=3, height=2)
    assert npx_image.resize(np.array(img), size=(3, 2)).shape == (2, 3, 3)


# ------------------------------------------------------------------------------ npx.random
def test_random_samplers():
    npx_random.seed(5)
    b = npx_random.bernoulli(0.3, size=(4000,))
    assert isinstance(b, np.ndarray) and b.dtype == onp.float32 and b.shape == (4000,)
    assert set(onp.unique(b.asnumpy())) <= {0.0, 1.0} and abs(b.asnumpy().mean() - 0.3) < 0.05
    sure = npx_random.bernoulli(logit=np.array(onp.array([-100.0, 100.0], dtype=onp.float32)), dtype="bool")
    assert sure.dtype == onp.bool_ and sure.asnumpy().tolist() == [False, True]
    with pytest.raises(ValueError):
        npx_random.bernoulli(0.5, logit=0.0)
    n = npx_random.normal_n(np.array(onp.zeros(3, dtype=onp.float32)), 2.0, batch_shape=(2000,))
    assert n.shape == (2000, 3) and abs(float(n.asnumpy().std()) - 2.0) < 0.1
    u = npx_random.uniform_n(1.0, np.array(onp.array([2.0, 3.0], dtype=onp.float32)), batch_shape=(1000,))
    assert u.shape == (1000, 2) and (u.asnumpy()[:, 1] >= 1).all() and (u.asnumpy()[:, 1] < 3).all()
    npx_random.seed(5)
    onp.testing.assert_array_equal(npx_random.bernoulli(0.3, size=(4000,)).asnumpy(), b.asnumpy())


# ------------------------------------------------------------------------------ save / load
def test_save_load_round_trip(tmp_path):
    arrays = {"w": f32(2, 3), "s": onp.array(2.5, dtype=onp.float64), "i": onp.array([[1, -2]], dtype=onp.int32)}
    path = str(tmp_path / "a.npx")
    npx.save(path, {k: np.array(v) for k, v in arrays.items()})
    back = npx.load(path)
    assert set(back) == set(arrays)
    for k, v in arrays.items():
        assert isinstance(back[k], np.ndarray) and back[k].dtype == v.dtype and back[k].shape == v.shape
        onp.testing.assert_array_equal(back[k].asnumpy(), v)
    npx.save(path, np.array(arrays["w"]))
    (only,) = npx.load(path)
    onp.testing.assert_array_equal(only.asnumpy(), arrays["w"])
    with pytest.raises(TypeError):
        npx.save(path, [np.array(arrays["w"]), 3])


def test_load_mxnet_files_and_write_identical_bytes(tmp_path):
    back = npx.load(os.path.join(GOLDEN, "arrays_dict.npx"))
    assert back["s"].shape == () and back["s"].dtype == onp.float64 and float(back["s"]) == 2.5
    assert back["e"].shape == (0, 3) and back["i"].dtype == onp.int32
    onp.testing.assert_array_equal(back["w"].asnumpy(), onp.arange(6, dtype=onp.float32).reshape(2, 3))
    lst = npx.load(os.path.join(GOLDEN, "arrays_list.npx"))
    assert [a.shape for a in lst] == [(2, 3), (), (1, 2)]
    for name, data in [("arrays_dict.npx", back), ("arrays_list.npx", lst)]:
        path = str(tmp_path / name)
        npx.save(path, data)
        with open(path, "rb") as mine, open(os.path.join(GOLDEN, name), "rb") as theirs:
            assert mine.read() == theirs.read(), name


# ------------------------------------------------------------------------------ _npx_* names and MXNet's files
def test_npx_op_names_registered():
    from gluonic.ops.npx_aliases import _ALIASES

    for legacy, alias in _ALIASES.items():
        assert registry.get(alias) is registry.get(legacy), alias
    for name in ("_npx_reshape", "_npx_nonzero", "_npx_constraint_check", "_npx_arange_like"):
        assert registry.find(name) is not None


def test_symbol_block_imports_mxnet_np_model():
    prefix = os.path.join(GOLDEN, "net")
    net = mx.gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    x = np.array(onp.load(os.path.join(GOLDEN, "input.npy")))
    want = onp.load(os.path.join(GOLDEN, "output.npy"))
    for hybrid in (False, True):
        if hybrid:
            net.hybridize()
        y = net(x)
        assert isinstance(y, np.ndarray) and y.shape == want.shape
        onp.testing.assert_allclose(y.asnumpy(), want, rtol=1e-4, atol=1e-5)


def test_hybridized_block_with_npx_ops_matches_eager():
    class Net(mx.gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.w = self.params.get("w", shape=(4, 6), init=mx.init.Uniform(0.5))

        def hybrid_forward(self, F, x, w):
            y = F.npx.fully_connected(x, w, num_hidden=4, no_bias=True)
            y = F.npx.reshape(F.npx.relu(y), (-2, -6, 2, 2))
            return F.npx.softmax(y, axis=-1)

    net = Net()
    net.initialize()
    x = np.array(f32(3, 6))
    eager = net(x).asnumpy()
    net.hybridize()
    y = net(x)
    assert isinstance(y, np.ndarray) and y.shape == (3, 2, 2)
    onp.testing.assert_allclose(y.asnumpy(), eager, rtol=1e-6)
