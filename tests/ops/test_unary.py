"""Elementwise unary math (ops/unary.py) and misc elementwise ops (ops/elemwise_misc.py).

Expected values marked "MXNet 1.9.1" were read from the real library.
"""
import numpy as np
import pytest
import scipy.special as sp

import gluonic as mx
from gluonic.ops import registry
from gluonic.ops.registry import BatchRule

from .harness import check_op, check_op_error, run

nd = mx.nd
RNG = np.random.RandomState(0)


def _u(lo, hi, shape=(2, 3)):
    return RNG.uniform(lo, hi, size=shape).astype(np.float32)


def _away_from_zero(lo=0.3, hi=2.0, shape=(2, 3)):
    return (_u(lo, hi, shape) * np.where(RNG.rand(*shape) < 0.5, -1, 1)).astype(np.float32)


# Values that are not within 1e-3 of an integer or a half: rounding ops are locally constant there.
_ROUND_X = np.array([[-2.7, -1.2, -0.3], [0.2, 1.6, 2.9]], np.float32)


def _mx_round(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def _mx_rint(x):
    f, c = np.floor(x), np.ceil(x)
    return np.where(x - f <= c - x, f, c)


# name: (NumPy reference, input generator)
FLOAT_CASES = {
    "abs": (np.abs, _away_from_zero),
    "sign": (np.sign, _away_from_zero),
    "round": (_mx_round, lambda: _ROUND_X),
    "rint": (_mx_rint, lambda: _ROUND_X),
    "floor": (np.floor, lambda: _ROUND_X),
    "ceil": (np.ceil, lambda: _ROUND_X),
    "trunc": (np.trunc, lambda: _ROUND_X),
    "fix": (np.fix, lambda: _ROUND_X),
    "exp": (np.exp, lambda: _u(-2, 2)),
    "log": (np.log, lambda: _u(0.5, 3)),
    "log10": (np.log10, lambda: _u(0.5, 3)),
    "log2": (np.log2, lambda: _u(0.5, 3)),
    "log1p": (np.log1p, lambda: _u(-0.5, 2)),
    "expm1": (np.expm1, lambda: _u(-2, 2)),
    "sqrt": (np.sqrt, lambda: _u(0.5, 3)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), lambda: _u(0.5, 3)),
    "cbrt": (np.cbrt, _away_from_zero),
    "rcbrt": (lambda x: 1 / np.cbrt(x), _away_from_zero),
    "square": (np.square, lambda: _u(-2, 2)),
    "reciprocal": (np.reciprocal, _away_from_zero),
    "negative": (np.negative, lambda: _u(-2, 2)),
    "sin": (np.sin, lambda: _u(-3, 3)),
    "cos": (np.cos, lambda: _u(-3, 3)),
    "tan": (np.tan, lambda: _u(-1.2, 1.2)),
    "arcsin": (np.arcsin, lambda: _u(-0.9, 0.9)),
    "arccos": (np.arccos, lambda: _u(-0.9, 0.9)),
    "arctan": (np.arctan, lambda: _u(-3, 3)),
    "sinh": (np.sinh, lambda: _u(-2, 2)),
    "cosh": (np.cosh, lambda: _u(-2, 2)),
    "tanh": (np.tanh, lambda: _u(-2, 2)),
    "arcsinh": (np.arcsinh, lambda: _u(-2, 2)),
    "arccosh": (np.arccosh, lambda: _u(1.2, 3)),
    "arctanh": (np.arctanh, lambda: _u(-0.9, 0.9)),
    "degrees": (np.degrees, lambda: _u(-3, 3)),
    "radians": (np.radians, lambda: _u(-180, 180)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda: _u(-3, 3)),
    "relu": (lambda x: np.maximum(x, 0), _away_from_zero),
    "softsign": (lambda x: x / (1 + np.abs(x)), lambda: _u(-3, 3)),
    "erf": (sp.erf, lambda: _u(-2, 2)),
    "erfinv": (sp.erfinv, lambda: _u(-0.9, 0.9)),
    "gamma": (sp.gamma, lambda: np.array([[-2.5, -1.3, -0.4], [0.7, 1.5, 3.2]], np.float32)),
    "gammaln": (sp.gammaln, lambda: np.array([[-2.5, -1.3, -0.4], [0.7, 1.5, 3.2]], np.float32)),
    "logical_not": (lambda x: (x == 0).astype(x.dtype), lambda: np.array([[0, 1.5, -2], [0, 0, 3]], np.float32)),
}


@pytest.mark.parametrize("name", sorted(FLOAT_CASES))
def test_float32_forward_and_gradient(name):
    ref, make = FLOAT_CASES[name]
    x = make()
    grad = name != "logical_not"  # its zeros make finite differences jump; see test_gradients_at_kinks
    check_op(name, [x], lambda a: ref(a.astype(np.float64)).astype(np.float32), rtol=2e-5, atol=1e-5,
             grad=grad, grad_rtol=1e-4, grad_atol=1e-5)


@pytest.mark.parametrize("name", ["exp", "sqrt", "sigmoid", "round", "abs", "gamma", "cbrt", "erfinv", "tanh"])
@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_float_dtypes_are_kept(name, dtype):
    ref, make = FLOAT_CASES[name]
    x = make().astype(dtype)
    tol = 2e-3 if dtype == np.float16 else 1e-12
    check_op(name, [x], lambda a: ref(a.astype(np.float64)).astype(dtype), rtol=tol, atol=tol, grad=False)


@pytest.mark.parametrize("name", ["exp", "log", "sigmoid", "gamma", "cbrt", "rint", "relu", "logical_not"])
def test_bfloat16_is_kept(name):
    ref, make = FLOAT_CASES[name]
    x = make()
    y = getattr(nd, name)(nd.array(x, dtype="bfloat16"))
    assert y.dtype == mx.nd.array([1], dtype="bfloat16").dtype
    np.testing.assert_allclose(y.asnumpy(), ref(x.astype(np.float64)), rtol=2e-2, atol=2e-2)


# ---------------------------------------------------------------------------- integers
_TRANSCENDENTAL = ["exp", "log", "log10", "log2", "log1p", "expm1", "sqrt", "rsqrt", "cbrt", "rcbrt",
                   "reciprocal", "sin", "cos", "tan", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
                   "degrees", "radians", "sigmoid", "softsign", "erf", "gamma", "gammaln"]


@pytest.mark.parametrize("name", _TRANSCENDENTAL)
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_inputs_truncate_in_their_dtype(name, dtype):
    ref = FLOAT_CASES[name][0]
    x = np.array([1, 2, 3, 5, 8], dtype=dtype)
    check_op(name, [x], lambda a: np.trunc(ref(a.astype(np.float64))).astype(dtype), atol=0)


def test_integer_values_match_mxnet():
    x = np.array([0, 1, 2, 3], np.int32)
    # MXNet 1.9.1
    assert run("exp", [x])[0].asnumpy().tolist() == [1, 2, 7, 20]
    assert run("tan", [x])[0].asnumpy().tolist() == [0, 1, -2, 0]
    assert run("degrees", [x])[0].asnumpy().tolist() == [0, 57, 114, 171]
    assert run("reciprocal", [np.array([-2, 2, -1], np.int32)])[0].asnumpy().tolist() == [0, 0, -1]
    assert run("degrees", [x.astype(np.int8)])[0].asnumpy().tolist() == [0, 57, 114, -85]
    assert run("cbrt", [np.array([27, 64, 125, 1000, -8], np.int32)])[0].asnumpy().tolist() == [3, 4, 5, 10, -2]
    assert run("log", [np.array([1, 3], np.int32)])[0].asnumpy().tolist() == [0, 1]
    assert run("gamma", [np.array([6, 10], np.int32)])[0].asnumpy().tolist() == [120, 362880]
    assert run("gamma", [np.array([6, 10], np.uint8)])[0].asnumpy().tolist() == [120, 128]
    assert run("exp", [np.array([22, 30], np.uint8)])[0].asnumpy().tolist() == [0, 0]  # out of range, as x86 MXNet
    assert run("exp", [np.array([22, 30], np.int32)])[0].asnumpy().tolist() == [-2 ** 31] * 2


@pytest.mark.parametrize("name,ref", [
    ("abs", np.abs), ("sign", np.sign), ("square", np.square), ("negative", np.negative),
    ("relu", lambda a: np.maximum(a, 0)), ("round", np.copy), ("rint", np.copy), ("floor", np.copy),
    ("ceil", np.copy), ("trunc", np.copy), ("fix", np.copy), ("logical_not", lambda a: (a == 0).astype(a.dtype)),
])
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64])
def test_exact_integer_ops(name, ref, dtype):
    x = np.array([0, 1, 5, 7, 100], dtype=dtype)
    if np.issubdtype(dtype, np.signedinteger):
        x = np.array([-100, -7, 0, 5, 100], dtype=dtype)
    check_op(name, [x], ref, atol=0)


def test_uint8_wraps_like_mxnet():
    assert run("negative", [np.array([0, 1, 2], np.uint8)])[0].asnumpy().tolist() == [0, 255, 254]
    assert run("square", [np.array([16, 3], np.uint8)])[0].asnumpy().tolist() == [0, 9]


@pytest.mark.parametrize("name", ["exp", "abs", "round", "sigmoid", "relu", "negative", "clip", "hard_sigmoid"])
def test_bool_input_is_rejected(name):
    attrs = {"a_min": 0, "a_max": 1} if name == "clip" else {}
    check_op_error(name, [np.array([True, False])], attrs, match="bool")


# ------------------------------------------------------------------- MXNet edge cases
def test_round_halves_away_from_zero_and_rint_halves_down():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -0.49999997], np.float32)
    # MXNet 1.9.1
    np.testing.assert_array_equal(run("round", [x])[0].asnumpy(), [-3, -2, -1, 1, 2, 3, 0, 0])
    np.testing.assert_array_equal(run("rint", [x])[0].asnumpy(), [-3, -2, -1, 0, 1, 2, 0, 0])
    np.testing.assert_array_equal(run("fix", [x[:6]])[0].asnumpy(), [-2, -1, 0, 0, 1, 2])


def test_special_values():
    g = run("gamma", [np.array([-1, -2, 0, 5, 0.5], np.float64)])[0].asnumpy()
    assert np.isnan(g[0]) and np.isnan(g[1]) and g[2] == np.inf
    np.testing.assert_allclose(g[3:], [24, np.sqrt(np.pi)], rtol=1e-13)
    assert run("gammaln", [np.array([-1.0, 0.0], np.float32)])[0].asnumpy().tolist() == [np.inf, np.inf]
    assert run("sign", [np.array([np.nan, -0.0, 3], np.float32)])[0].asnumpy().tolist() == [0, 0, 1]
    assert run("cbrt", [np.array([-64.0, 0.0, 27.0], np.float64)])[0].asnumpy().tolist() == [-4, 0, 3]
    assert run("rcbrt", [np.array([-0.0, 0.0], np.float32)])[0].asnumpy().tolist() == [-np.inf, np.inf]
    assert run("gamma", [np.array([-0.0, np.inf], np.float32)])[0].asnumpy().tolist() == [-np.inf, np.inf]
    assert run("gamma", [np.arange(1.0, 20.0)])[0].asnumpy().tolist() == sp.gamma(np.arange(1.0, 20.0)).tolist()
    assert run("erfinv", [np.array([1.0, -1.0], np.float32)])[0].asnumpy().tolist() == [np.inf, -np.inf]
    assert run("logical_not", [np.array([np.nan, 0, -0.0, 2], np.float32)])[0].asnumpy().tolist() == [0, 1, 1, 0]


def _grad(name, x, *args, **kwargs):
    a = nd.array(x, dtype=x.dtype)
    a.attach_grad()
    with mx.autograd.record():
        y = getattr(nd, name)(a, *args, **kwargs)
    y.backward()
    return a.grad.asnumpy()


def test_gradients_at_kinks_follow_mxnet():
    z = np.array([0.0, 1.0], np.float64)
    assert _grad("abs", z).tolist() == [0, 1]
    assert _grad("relu", z).tolist() == [0, 1]
    assert _grad("sign", z).tolist() == [0, 0]
    assert _grad("sqrt", z)[0] == np.inf
    assert _grad("cbrt", z).tolist() == [np.inf, pytest.approx(1 / 3)]
    assert _grad("rcbrt", z)[0] == -np.inf
    assert _grad("rsqrt", z)[0] == -np.inf
    x = np.array([-2.5, -1.5, 0.0, 2.5, 3.0], np.float64)
    # MXNet 1.9.1: hard_sigmoid's gradient is alpha strictly inside (0, 1)
    np.testing.assert_allclose(_grad("hard_sigmoid", x), [0, 0.2, 0.2, 0, 0])
    np.testing.assert_allclose(_grad("round", x), 0)
    np.testing.assert_allclose(_grad("logical_not", x), 0)


def test_cbrt_second_derivative():
    a = nd.array([2.0, -3.0], dtype="float64")
    a.attach_grad()
    with mx.autograd.record():
        (g,) = mx.autograd.grad(nd.cbrt(a), [a], create_graph=True)
    g.backward()
    x = np.array([2.0, -3.0])
    np.testing.assert_allclose(a.grad.asnumpy(), -2 / 9 * np.cbrt(x) ** -5, rtol=1e-10)


def test_hard_sigmoid_attrs():
    x = _u(-4, 4)
    ref = lambda a, al, be: np.clip(al * a + be, 0, 1).astype(np.float32)  # noqa: E731
    check_op("hard_sigmoid", [np.array([-3, 0, 1, 3], np.float32)], lambda a: ref(a, 0.2, 0.5), grad=False)
    check_op("hard_sigmoid", [x], lambda a: ref(a, 0.3, 0.1), {"alpha": 0.3, "beta": 0.1}, grad=False)
    y = nd.hard_sigmoid(nd.array([-3, 0, 1, 3]), 0.5, 0.1)  # attrs positionally, MXNet order
    np.testing.assert_allclose(y.asnumpy(), [0, 0.1, 0.6, 1], rtol=1e-6)
    check_op("hard_sigmoid", [np.array([-1.0, 0.4, 0.9], np.float32)], lambda a: ref(a, 0.5, 0.4),
             {"alpha": 0.5, "beta": 0.4})
    assert nd.hard_sigmoid(nd.array([np.nan])).asnumpy()[0] != nd.hard_sigmoid(nd.array([np.nan])).asnumpy()[0]


def test_logical_not_bool():
    y = nd.logical_not(nd.array([True, False], dtype="bool"))
    assert y.dtype == np.bool_ and y.asnumpy().tolist() == [False, True]


# -------------------------------------------------------------------------------- clip
def test_clip():
    x = _u(-3, 3)
    check_op("clip", [x], lambda a: np.clip(a, -1, 1.5), {"a_min": -1, "a_max": 1.5}, grad=False)
    xg = np.array([-2.0, -0.5, 0.3, 0.9, 2.0], np.float32)
    check_op("clip", [xg], lambda a: np.clip(a, -1, 1), {"a_min": -1, "a_max": 1})
    np.testing.assert_array_equal(nd.clip(nd.array(x), -1, 1.5).asnumpy(), np.clip(x, -1, 1.5))


def test_clip_gradient_includes_bounds():
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0], np.float64)
    assert _grad("clip", x, -1.0, 1.0).tolist() == [0, 1, 1, 1, 0]  # MXNet 1.9.1
    assert _grad("clip", np.array([-1.0, 0.0, 1.0]), 0.0, 0.0).tolist() == [0, 1, 0]


def test_clip_integers_nan_and_reversed_bounds():
    xi = np.arange(6, dtype=np.int32)
    # MXNet 1.9.1
    check_op("clip", [xi], lambda a: np.array([1, 1, 2, 3, 3, 3], np.int32), {"a_min": 1.5, "a_max": 3.5})
    check_op("clip", [np.array([0, 1, 5], np.uint8)], lambda a: np.array([0, 1, 3], np.uint8),
             {"a_min": -1, "a_max": 3})
    check_op("clip", [xi.astype(np.float32)], lambda a: np.array([3, 3, 1, 1, 1, 1], np.float32),
             {"a_min": 3, "a_max": 1}, grad=False)
    y = nd.clip(nd.array([np.nan, 1]), 0, 0.5).asnumpy()
    assert np.isnan(y[0]) and y[1] == 0.5
    check_op("clip", [np.array([-5, 5], np.float32)], lambda a: np.array([-np.inf, 3], np.float32).clip(-5, 3),
             {"a_min": float("-inf"), "a_max": 3}, grad=False)


def test_clip_errors():
    check_op_error("clip", [_u(0, 1)], {"a_min": 1}, match="a_max")
    check_op_error("clip", [_u(0, 1)], {"a_min": "x", "a_max": 1}, match="a_min")


# ------------------------------------------------------------------------------- where
def _np_where(c, x, y):
    c = c.reshape(c.shape + (1,) * (x.ndim - c.ndim)) if c.ndim != x.ndim else c
    return np.where(c != 0, x, y)


def test_where():
    x, y = _u(-1, 1), _u(-1, 1)
    cond = np.array([[1, 0, -1], [0, 2.5, 0]], np.float32)
    check_op("where", [cond, x, y], _np_where, grad=[1, 2])
    check_op("where", [np.array([1, 0], np.float32), x, y], _np_where, grad=[1, 2])
    check_op("where", [np.array([1, 0], np.int32), x, y], _np_where, grad=[1, 2])
    check_op("where", [cond.astype(np.int32), x.astype(np.int64), y.astype(np.int64)], _np_where)
    check_op("where", [cond != 0, x, y], _np_where, grad=[1, 2])
    nan_cond = np.array([np.nan, 0], np.float32)
    check_op("where", [nan_cond, x, y], _np_where, grad=False)  # NaN is nonzero: true


def test_where_condition_gets_zero_gradient():
    c, x, y = (nd.array(a) for a in ([1.0, 0.0], [1.0, 2.0], [3.0, 4.0]))
    for a in (c, x, y):
        a.attach_grad()
    with mx.autograd.record():
        out = nd.where(c, x, y)
    out.backward(nd.array([5.0, 6.0]))
    assert c.grad.asnumpy().tolist() == [0, 0]
    assert x.grad.asnumpy().tolist() == [5, 0] and y.grad.asnumpy().tolist() == [0, 6]


def test_where_errors():
    x = _u(0, 1, (3, 2))
    check_op_error("where", [np.ones(2, np.float32), x, x], match="condition")
    check_op_error("where", [np.ones((1, 2), np.float32), x, x], match="condition")
    check_op_error("where", [np.ones((3, 2), np.float32), x, x[:2]], match="same shape")
    check_op_error("where", [np.ones((3, 2), np.float32), x, x.astype(np.float64)], match="dtype")


# -------------------------------------------------------------------------------- Cast
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint8", "int32", "int64", "bool"])
def test_cast(dtype):
    x = np.array([-1.7, 0.0, 0.5, 2.5, 300.2], np.float32)
    expected = {  # MXNet 1.9.1
        "int32": [-1, 0, 0, 2, 300], "int64": [-1, 0, 0, 2, 300], "int8": [-1, 0, 0, 2, 44],
        "uint8": [255, 0, 0, 2, 44], "bool": [True, False, True, True, True],
    }
    ref = (lambda a: np.array(expected[dtype], dtype)) if dtype in expected else (lambda a: a.astype(dtype))
    check_op("Cast", [x], ref, {"dtype": dtype}, grad=False)
    big = np.array([1e10, -1e10, 3e9], np.float32)
    if dtype in ("uint8", "int8", "int32"):  # MXNet 1.9.1 on x86: out of int32 range gives -2**31
        check_op("Cast", [big], lambda a: np.full(3, -2 ** 31, np.int64).astype(dtype), {"dtype": dtype})
    assert nd.cast(nd.array(x), dtype).dtype == np.dtype(dtype).type


def test_cast_bfloat16_gradient_and_copy():
    y = nd.Cast(nd.array([1.5, -2.25]), dtype="bfloat16")
    assert y.asnumpy().tolist() == [1.5, -2.25]
    check_op("Cast", [_u(-1, 1)], lambda a: a.astype(np.float64), {"dtype": "float64"})
    x = nd.array([1.0, 2.0])
    same = nd.Cast(x, dtype="float32")
    same[:] = 0
    assert x.asnumpy().tolist() == [1, 2]  # a new array even when the dtype is unchanged
    assert nd.cast(x, np.int32).dtype == np.int32  # positional attr, NumPy dtype


def test_cast_errors():
    check_op_error("Cast", [_u(0, 1)], {"dtype": "foo"}, match="dtype")
    check_op_error("Cast", [_u(0, 1)], {}, match="dtype")


# ------------------------------------------------------------------- copies, gradients
@pytest.mark.parametrize("name", ["identity", "_copy", "_copyto"])
def test_copies(name):
    check_op(name, [_u(-1, 1)], lambda a: a)
    check_op(name, [np.array([True, False])], lambda a: a)
    x = nd.array([1.0, 2.0])
    y = run(name, [x.asnumpy()])[0]
    y[:] = 5
    assert x.asnumpy().tolist() == [1, 2]


def test_copyto_out():
    out = nd.zeros((2,))
    nd._internal._copyto(nd.array([3.0, 4.0]), out=out)
    assert out.asnumpy().tolist() == [3, 4]


@pytest.mark.parametrize("name", ["BlockGrad", "stop_gradient"])
def test_block_grad(name):
    check_op(name, [_u(-1, 1)], lambda a: a, grad=False)  # finite differences see the identity, not the block
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = getattr(nd, name)(3 * x) + x * x
    y.backward()
    assert x.grad.asnumpy().tolist() == [2, 4]
    check_op(name, [np.array([1, 2], np.int32)], lambda a: a)


def test_block_grad_writes_zero_gradient():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        y = nd.BlockGrad(x)
    y.backward()  # MXNet 1.9.1: allowed, gradient 0
    assert x.grad.asnumpy().tolist() == [0, 0]


@pytest.mark.parametrize("name,value", [("zeros_like", 0), ("ones_like", 1)])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.uint8, np.bool_])
def test_zeros_ones_like(name, value, dtype):
    x = np.array([[1, 0, 3]], dtype=dtype)
    check_op(name, [x], lambda a: np.full_like(a, value))
    if dtype == np.float32:
        assert _grad(name, x.astype(np.float64)).tolist() == [[0, 0, 0]]


def _loss_grad(name, x, head, **attrs):
    a = nd.array(x)
    a.attach_grad()
    with mx.autograd.record():
        y = getattr(nd, name)(a, **attrs)
    y.backward(nd.array(head))
    return a.grad.asnumpy()


def test_make_loss():
    x = np.array([[0.5, -1.0, 2.0], [0.0, 3.0, 0.05]], np.float32)
    head = np.full_like(x, 3.0)  # ignored: MXNet 1.9.1
    check_op("make_loss", [x], lambda a: a, grad=False)
    check_op("MakeLoss", [x], lambda a: a, grad=False)
    assert (_loss_grad("make_loss", x, head) == 1).all()
    assert (_loss_grad("MakeLoss", x, head) == 1).all()
    assert (_loss_grad("MakeLoss", x, head, grad_scale=2.0) == 2).all()
    np.testing.assert_allclose(_loss_grad("MakeLoss", x, head, normalization="batch"), 0.5)
    np.testing.assert_allclose(_loss_grad("MakeLoss", x, head, normalization="valid"), 0.25)
    np.testing.assert_allclose(_loss_grad("MakeLoss", x, head, normalization="valid", valid_thresh=0.05), 1 / 3)
    np.testing.assert_allclose(_loss_grad("MakeLoss", x, head, normalization="valid", valid_thresh=10), 1)
    assert nd.make_loss(nd.array([1, 2], dtype="int32")).dtype == np.int32


def test_make_loss_chain_ignores_upstream_gradient():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with mx.autograd.record():
        z = nd.MakeLoss(x * 2) * 5
    z.backward()
    assert x.grad.asnumpy().tolist() == [2, 2]  # MXNet 1.9.1


def test_make_loss_errors():
    check_op_error("MakeLoss", [np.array([1, 2], np.int32)], match="floating")
    check_op_error("MakeLoss", [_u(0, 1)], {"normalization": "mean"}, match="normalization")


# ----------------------------------------------------------------------- registration
ELEMWISE = [*FLOAT_CASES, "hard_sigmoid", "clip", "where", "Cast", "_copy", "_copyto", "BlockGrad",
            "zeros_like", "ones_like", "make_loss"]


def test_registration_aliases_and_batch_rules():
    for name in ELEMWISE:
        assert registry.get(name).batch_rule == BatchRule(axis=0), name
    assert registry.get("cast") is registry.get("Cast")
    assert registry.get("identity") is registry.get("_copy")
    assert registry.get("stop_gradient") is registry.get("BlockGrad")
    assert registry.get("make_loss") is not registry.get("MakeLoss")
    assert nd._internal._copy is not None and nd.identity is not None
    import inspect
    assert list(inspect.signature(nd.clip).parameters)[:3] == ["data", "a_min", "a_max"]
    assert list(inspect.signature(nd.MakeLoss).parameters)[:4] == ["data", "grad_scale", "valid_thresh", "normalization"]
    assert list(inspect.signature(nd.where).parameters)[:3] == ["condition", "x", "y"]
