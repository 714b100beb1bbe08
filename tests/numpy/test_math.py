"""``mx.np`` element-wise math against NumPy itself: values, dtypes, broadcasting, scalars, traced graphs,
gradients, ``out=``, errors.

gluonic's dtype rules are NumPy's with MXNet's float32 default; ``_ours`` maps NumPy's result dtype
to ours (a float result that no input array carries becomes the widest float input, else float32).
"""
from __future__ import annotations

import warnings

import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np
from gluonic.symbol.numpy import as_np_symbol
from tests.numpy.np_harness import check_np, check_np_error, check_np_grad

RNG = onp.random.RandomState(0)
DTYPES = ["float32", "float64", "float16", "int32", "int64", "bool"]


def _ours(np_dtype, arrays, name=""):
    """Our result dtype given NumPy's: float results not carried by an input array → float32 (or the widest float
    input: int ∘ float keeps the float operand's dtype, as in MXNet/torch)."""
    np_dtype = onp.dtype(np_dtype)
    if np_dtype == onp.int16:
        return onp.dtype(onp.int32)  # uint8 ∘ int8: MXNet has no int16
    if name == "float_power" or np_dtype.kind != "f":
        return np_dtype
    dts = [a.dtype for a in arrays if isinstance(a, onp.ndarray)]
    if np_dtype in dts:
        return np_dtype
    floats = [d for d in dts if d.kind == "f"]
    return max(floats, key=lambda d: d.itemsize) if floats else onp.dtype(onp.float32)


def _tol(dtype):
    return {"float16": 2e-3, "bfloat16": 1e-2}.get(onp.dtype(dtype).name, 1e-5)


def _numpy(name):
    def ref(*args, **kwargs):
        with warnings.catch_warnings(), onp.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return getattr(onp, name)(*args, **kwargs)

    ref.__name__ = name
    return ref


def _rand(shape, dtype, low=-3, high=3, nonzero=False):
    if dtype == "bool":
        return RNG.rand(*shape) > 0.5
    if onp.dtype(dtype).kind in "iu":
        a = RNG.randint(low, high + 1, size=shape).astype(dtype)
        if nonzero:
            a[a == 0] = 1
        return a
    a = RNG.uniform(low, high, size=shape).astype(dtype)
    if nonzero:
        a[onp.abs(a) < 0.2] = 0.5
    return a


def check(name, inputs, *, grad=False, dtype_for_tol=None, **kwargs):
    """check_np with NumPy as reference and our dtype rule."""
    ref = _numpy(name)
    want = ref(*inputs, **kwargs)
    tol = _tol(dtype_for_tol or onp.asarray(want).dtype)
    return check_np(name, ref, inputs, grad=grad, rtol=tol, atol=tol,
                    expect_dtype=_ours(onp.asarray(want).dtype, inputs, name), **kwargs)


# ------------------------------------------------------------------------------ binary functions
BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "mod", "remainder", "fmod",
          "power", "float_power", "maximum", "minimum", "fmax", "fmin", "hypot", "arctan2", "copysign", "heaviside",
          "ldexp", "lcm", "gcd", "bitwise_and", "bitwise_or", "bitwise_xor", "logical_and", "logical_or",
          "logical_xor", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
PAIRS = [("float32", "float32"), ("float64", "float32"), ("float16", "float32"), ("int32", "int64"),
         ("int32", "float32"), ("int64", "float16"), ("bool", "bool"), ("bool", "int32"), ("float64", "int32"),
         ("int32", "int32"), ("uint8", "int8"), ("int8", "float16")]
_INT_ONLY = {"lcm", "gcd"}
_INT_OR_BOOL = {"bitwise_and", "bitwise_or", "bitwise_xor"}


def _numpy_rejects(name, d1, d2):
    kinds = {onp.dtype(d1).kind, onp.dtype(d2).kind}
    if name in _INT_ONLY:
        return not kinds <= {"i", "u"}
    if name in _INT_OR_BOOL:
        return "f" in kinds
    if name == "subtract":
        return d1 == d2 == "bool"
    if name == "ldexp":
        return onp.dtype(d2).kind == "f"
    return False


def _operands(name, d1, d2, s1=(2, 3), s2=(3,)):
    a = _rand(s1, d1)
    b = _rand(s2, d2, nonzero=name in ("floor_divide", "mod", "remainder", "fmod", "divide", "true_divide"))
    if name in ("power", "float_power"):
        a = _rand(s1, d1, 0, 3) if onp.dtype(d1).kind == "f" else a
        b = _rand(s2, d2, 0, 3)
        if onp.dtype(d1).kind == "f":
            a = onp.abs(a) + onp.array(0.5, d1)
    if name == "ldexp" and d2 != "bool":
        b = _rand(s2, d2, -3, 3)
    return a, b


@pytest.mark.parametrize("name", BINARY)
def test_binary_dtypes_broadcast(name):
    for d1, d2 in PAIRS:
        _check_binary_pair(name, d1, d2)


def _check_binary_pair(name, d1, d2):
    a, b = _operands(name, d1, d2)
    if name == "ldexp" and onp.dtype(d2).kind == "f":  # NumPy needs integer exponents; we accept floats (MXNet)
        check_np(name, lambda x, e: x * onp.exp2(e.astype("float64")), [a, b], check_dtype=False, rtol=2e-3)
        return
    if _numpy_rejects(name, d1, d2):
        check_np_error(name, [a, b], error=(mx.MXNetError, TypeError))
        return
    check(name, [a, b], dtype_for_tol="float16" if "float16" in (d1, d2) else None)


@pytest.mark.parametrize("name", BINARY)
def test_binary_reversed_broadcast_and_integer_zero_divisor(name):
    kind = "int32" if name in _INT_ONLY | _INT_OR_BOOL else "float32"
    a = _rand((4, 1), kind)
    b = _rand((1, 3), kind)
    if name in ("floor_divide", "mod", "remainder", "fmod") or name in _INT_ONLY:
        a, b = RNG.randint(-5, 6, (4, 1)).astype("int64"), onp.array([[0, 3, -2]], dtype="int64")
    if name in ("power", "float_power"):
        a = onp.abs(a) + 0.5
    if name == "ldexp":
        b = b.astype("int32") if b.dtype.kind == "f" else b
    check(name, [a, b])


@pytest.mark.parametrize("name", [n for n in BINARY if n not in _INT_ONLY | _INT_OR_BOOL])
def test_binary_gradients(name):
    if name in ("floor_divide", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
                "logical_and", "logical_or", "logical_xor", "heaviside"):
        pytest.skip("piecewise constant")
    a = RNG.uniform(0.6, 2.0, (2, 3))
    b = RNG.uniform(0.6, 2.0, (3,)) * onp.array([1, -1, 1])
    if name in ("power", "float_power"):
        b = onp.abs(b)
    if name in ("mod", "remainder", "fmod"):
        a = RNG.uniform(2.1, 2.9, (2, 3))
        b = onp.array([1.3, -1.7, 0.9])
    if name == "ldexp":
        check_np_grad(name, [a, onp.array([1, -2, 0], dtype="int32")], [0])
        return
    check(name, [a, b], grad=True)


# ------------------------------------------------------------------------------ Python scalars
SCALARS = [-3, 2.5, True, 0]


@pytest.mark.parametrize("name", BINARY)
def test_array_with_python_scalar(name):
    for dtype in ["float32", "float16", "float64", "int32", "int64", "bool"]:
        _check_with_scalars(name, dtype)


def _check_with_scalars(name, dtype):
    a = _rand((2, 3), dtype, nonzero=True)
    for s in SCALARS:
        for args in ([a, s], [s, a]):
            if isinstance(s, bool) and dtype == "bool" and name not in ("logical_and", "logical_or", "logical_xor",
                                                                         *_INT_OR_BOOL):
                continue  # bool scalars are weak ints here: b + True is int64 (NumPy: bool)
            if name in _INT_OR_BOOL and dtype == "bool" and s == 0 and not isinstance(s, bool):
                continue  # mask & 0 stays bool here (an attribute cannot tell 0 from False); NumPy: int64
            if name == "power" and args[0] is s and a.dtype.kind == "i" and (a < 0).any():
                continue  # negative integer exponents in an array: no data-dependent error here
            if name == "ldexp" and (isinstance(s, bool) or a.dtype.kind == "b"
                                    or (args[1] is s and isinstance(s, float)) or (args[0] is s and dtype[0] == "f")):
                continue  # float exponents are accepted (MXNet), NumPy refuses them
            if name in _INT_ONLY and dtype == "bool":
                continue  # we refuse bool arrays; NumPy accepts them with a Python int only
            with warnings.catch_warnings(), onp.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    want = getattr(onp, name)(*args)
                except (TypeError, ValueError):
                    check_np_error(name, args, error=(mx.MXNetError, TypeError, ValueError))
                    continue
            if s == 0 and name in ("floor_divide", "mod", "remainder", "fmod", "divide", "true_divide") \
                    and args[1] is s:
                if dtype in ("int32", "int64"):
                    pass  # integer x // 0 == 0 in both
                else:
                    continue  # bool // 0: NumPy casts through int8
            if name == "power" and args[1] is s and isinstance(s, int) and s < 0 and a.dtype.kind in "iub":
                continue
            if name in ("float_power", "ldexp") and a.dtype.kind == "b":
                continue
            if name == "ldexp" and args[0] is s:
                continue  # NumPy's int scalar mantissa gives float64 of the *scalar*; ours follows x1 → float32
            want = onp.asarray(want)
            tol = _tol("float16" if dtype == "float16" else want.dtype)
            check_np(name, _numpy(name), args, rtol=tol, atol=tol, expect_dtype=_ours(want.dtype, args, name),
                     symbolic=dtype in ("float32", "int32"))


@pytest.mark.parametrize("name", ["add", "true_divide", "power", "equal", "less", "maximum", "arctan2", "mod"])
def test_two_scalars_give_zero_dim_arrays(name):
    for x1, x2 in [(3, 2), (3.5, 2), (True, False)]:
        got = getattr(np, name)(x1, x2)
        want = onp.asarray(_numpy(name)(x1, x2))
        assert isinstance(got, np.ndarray) and got.shape == ()
        expected = onp.dtype("float32") if want.dtype.kind == "f" else want.dtype
        assert got.dtype == expected or (name == "power" and x1 is True), (got.dtype, want.dtype)
        onp.testing.assert_allclose(got.asnumpy().astype(float), want.astype(float), rtol=1e-3)


# ------------------------------------------------------------------------------ unary functions
UNARY = ["negative", "positive", "absolute", "abs", "fabs", "sign", "reciprocal", "square", "sqrt", "cbrt", "exp",
         "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh",
         "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "degrees", "radians", "deg2rad", "rad2deg", "rint", "fix",
         "floor", "ceil", "trunc", "bitwise_not", "invert", "logical_not", "isnan", "isinf", "isfinite", "isposinf",
         "isneginf", "signbit"]
_DOMAIN = {"sqrt": (0, 4), "log": (0.1, 4), "log2": (0.1, 4), "log10": (0.1, 4), "log1p": (-0.9, 3),
           "arcsin": (-0.99, 0.99), "arccos": (-0.99, 0.99), "arctanh": (-0.9, 0.9), "arccosh": (1.1, 4),
           "reciprocal": (0.3, 3)}


def _unary_input(name, dtype, shape=(2, 3)):
    lo, hi = _DOMAIN.get(name, (-3, 3))
    if dtype == "bool":
        return RNG.rand(*shape) > 0.5
    if onp.dtype(dtype).kind == "i":
        a = RNG.randint(max(int(lo), 1 if name in ("arccosh", "reciprocal") else int(lo)), int(hi) + 1, size=shape)
        return a.astype(dtype)
    a = RNG.uniform(lo, hi, size=shape).astype(dtype)
    if name in ("rint", "fix", "floor", "ceil", "trunc"):
        a.flat[:3] = [0.5, -2.5, 1.5]
    if name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "sign", "absolute", "exp", "sqrt"):
        a.flat[:4] = [onp.nan, onp.inf, -onp.inf, -0.0]
    return a


@pytest.mark.parametrize("name", UNARY)
def test_unary_dtypes(name):
    for dtype in DTYPES:
        _check_unary(name, dtype)


def _check_unary(name, dtype):
    a = _unary_input(name, dtype)
    try:
        with warnings.catch_warnings(), onp.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            want = getattr(onp, name)(a)
    except TypeError:
        check_np_error(name, [a], error=(mx.MXNetError, TypeError))
        return
    if name == "reciprocal" and dtype == "bool":
        return  # NumPy's int8 reciprocal of False is undefined
    tol = _tol("float16" if dtype == "float16" else want.dtype)
    check_np(name, _numpy(name), [a], rtol=tol, atol=tol, expect_dtype=_ours(want.dtype, [a], name))


@pytest.mark.parametrize("name", [n for n in UNARY if n not in (
    "bitwise_not", "invert", "logical_not", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit",
    "rint", "fix", "floor", "ceil", "trunc", "sign")])
def test_unary_gradients(name):
    lo, hi = _DOMAIN.get(name, (-2, 2))
    a = RNG.uniform(lo, hi, size=(2, 3))
    if name in ("absolute", "abs", "fabs", "cbrt"):
        a[onp.abs(a) < 0.2] = 0.7
    check(name, [a], grad=True)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "equal", "sqrt", "exp", "negative", "isnan", "floor"])
def test_zero_dim_and_empty(name):
    fn_arity = 2 if name in BINARY else 1
    for shape in [(), (0,), (2, 0, 3)]:
        args = [RNG.uniform(0.5, 2, size=shape).astype("float32") for _ in range(fn_arity)]
        check(name, args)
    if fn_arity == 2:
        check(name, [onp.zeros((0, 3), "float32"), onp.ones((3,), "float32")])
        check(name, [onp.ones((), "float32"), onp.ones((2, 3), "float32")])


# ------------------------------------------------------------------------------ operators on arrays and symbols
OPERATORS = [
    ("x + y", lambda x, y: x + y), ("x - y", lambda x, y: x - y), ("x * y", lambda x, y: x * y),
    ("x / y", lambda x, y: x / y), ("x // y", lambda x, y: x // y), ("x % y", lambda x, y: x % y),
    ("x ** y", lambda x, y: abs(x) ** y), ("x == y", lambda x, y: x == y), ("x != y", lambda x, y: x != y),
    ("x < y", lambda x, y: x < y), ("x <= y", lambda x, y: x <= y), ("x > y", lambda x, y: x > y),
    ("x >= y", lambda x, y: x >= y), ("2 - x", lambda x, y: 2 - x), ("2 / x", lambda x, y: 2 / x),
    ("2 ** x", lambda x, y: 2 ** x), ("x == 1", lambda x, y: x == 1), ("1 < x", lambda x, y: 1 < x),
    ("3 % x", lambda x, y: 3 % x), ("7 // x", lambda x, y: 7 // x), ("-x", lambda x, y: -x),
    ("abs(x)", lambda x, y: abs(x)), ("x * 2.5 + 1", lambda x, y: x * 2.5 + 1), ("0.5 ** x", lambda x, y: 0.5 ** x),
]


_SMOOTH = {"x + y", "x - y", "x * y", "x / y", "x ** y", "2 - x", "2 / x", "2 ** x", "-x", "abs(x)", "x * 2.5 + 1",
           "0.5 ** x"}


@pytest.mark.parametrize("label,fn", OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operators_eager_and_traced(label, fn):
    x = _rand((2, 3), "float32", 0.5, 3)
    y = _rand((3,), "float32", 0.5, 3)
    check_np(fn, fn, [x, y], grad=label in _SMOOTH)


INT_OPERATORS = [("x & y", lambda x, y: x & y), ("x | y", lambda x, y: x | y), ("x ^ y", lambda x, y: x ^ y),
                 ("~x", lambda x, y: ~x), ("x & 3", lambda x, y: x & 3), ("5 | x", lambda x, y: 5 | x),
                 ("x // 2", lambda x, y: x // 2), ("x / 2", lambda x, y: x / 2), ("-x", lambda x, y: -x)]


@pytest.mark.parametrize("label,fn", INT_OPERATORS, ids=[o[0] for o in INT_OPERATORS])
def test_integer_and_mask_operators_eager_and_traced(label, fn):
    x, y = _rand((2, 3), "int32"), _rand((3,), "int64")
    want = fn(x, y)
    check_np(fn, fn, [x, y], expect_dtype=_ours(want.dtype, [x, y]))
    if label not in ("x // 2", "x / 2", "-x"):
        m, n = RNG.rand(2, 3) > 0.5, RNG.rand(3) > 0.5
        check_np(fn, fn, [m, n], check_dtype=label not in ("x & 3", "5 | x"))


def test_inplace_operators():
    x = np.array(onp.arange(6, dtype="float32").reshape(2, 3))
    ident = id(x)
    x += 1
    x *= np.array([1., 2., 3.])
    x -= 0.5
    x /= 2
    assert id(x) == ident
    ref = ((onp.arange(6, dtype="float32").reshape(2, 3) + 1) * [1, 2, 3] - 0.5) / 2
    onp.testing.assert_allclose(x.asnumpy(), ref)
    i = np.array(onp.arange(3, dtype="int32"))
    with pytest.raises(TypeError):
        i /= 2  # float result into an int array (NumPy's same_kind rule)


# ------------------------------------------------------------------------------ out=
@pytest.mark.parametrize("name,args", [("add", 2), ("maximum", 2), ("exp", 1), ("sqrt", 1), ("less", 2)])
def test_out_argument(name, args):
    a = [RNG.uniform(0.5, 2, (2, 3)).astype("float32") for _ in range(args)]
    want = getattr(onp, name)(*a)
    out = np.zeros((2, 3), dtype=want.dtype)
    got = getattr(np, name)(*[np.array(v) for v in a], out=out)
    assert got is out
    onp.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)
    x = np.array(a[0])
    getattr(np, name)(*([x] + [np.array(v) for v in a[1:]]), out=x) if want.dtype == onp.float32 else None
    if want.dtype == onp.float32:
        onp.testing.assert_allclose(x.asnumpy(), want, rtol=1e-6)
    with pytest.raises(mx.MXNetError, match="shape"):
        getattr(np, name)(*[np.array(v) for v in a], out=np.zeros((3,), dtype=want.dtype))


def test_out_with_scalar_operand():
    x = np.array([1., 2., 3.])
    out = np.zeros(3)
    assert np.multiply(2, x, out=out) is out
    onp.testing.assert_allclose(out.asnumpy(), [2, 4, 6])


# ------------------------------------------------------------------------------ where, clip, around, nan_to_num
@pytest.mark.parametrize("dx,dy", [("float32", "float32"), ("int32", "float64"), ("int64", "int32"),
                                   ("bool", "bool"), ("float16", "float32")])
def test_where_arrays(dx, dy):
    cond = RNG.rand(2, 1, 3) > 0.5
    x, y = _rand((4, 1), dx), _rand((3,), dy)
    want = onp.where(cond, x, y)
    check_np("where", onp.where, [cond, x, y], expect_dtype=_ours(want.dtype, [x, y]))
    check_np("where", onp.where, [_rand((2, 3), "float32"), _rand((2, 3), dx), _rand((3,), dy)],
             expect_dtype=_ours(want.dtype, [x, y]))


def test_where_scalars_and_gradient():
    cond = RNG.rand(2, 3) > 0.5
    x = _rand((2, 3), "float32")
    i = _rand((2, 3), "int32")
    check_np("where", onp.where, [cond, x, 2.5])
    check_np("where", onp.where, [cond, 0, x])
    check_np("where", onp.where, [cond, i, 7])
    check_np("where", onp.where, [cond, i, 2.5], expect_dtype="float32")
    check_np("where", onp.where, [cond, 1, 0], expect_dtype="float32")  # two scalars: float32 (MXNet)
    check_np("where", onp.where, [cond, x.astype("float64"), _rand((3,), "float64")], grad=[1, 2])
    check_np("where", onp.where, [cond, x.astype("float64"), -1.0], grad=[1])
    got = np.where(True, np.array([1., 2.]), np.array([3., 4.]))
    onp.testing.assert_array_equal(got.asnumpy(), [1, 2])


def test_where_single_argument_is_nonzero():
    if not hasattr(np, "nonzero"):
        pytest.skip("np.nonzero not available yet")
    got = np.where(np.array([0., 1., 0., 2.]))
    onp.testing.assert_array_equal(got[0].asnumpy(), [1, 3])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int32", "int64"])
def test_clip(dtype):
    a = _rand((3, 4), dtype, -5, 5)
    check_np("clip", onp.clip, [a, -2, 3])
    check_np("clip", onp.clip, [a, None, 1])
    check_np("clip", onp.clip, [a, 0, None])
    check_np("clip", onp.clip, [a, 3, -2])  # a_min > a_max: everything a_max, as NumPy
    want = onp.clip(a, -1.5, 2.5)
    check_np("clip", onp.clip, [a, -1.5, 2.5], expect_dtype=_ours(want.dtype, [a]))
    check_np("clip", onp.clip, [a, _rand((4,), dtype, -5, 0), _rand((3, 1), dtype, 0, 5)])
    got = np.array(a).clip(-2, 3)
    onp.testing.assert_allclose(got.asnumpy(), onp.clip(a, -2, 3))


def test_clip_gradient_passes_at_the_bounds_and_errors():
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.clip(x, -1, 1)
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [0, 1, 1, 1, 0])
    check_np("clip", onp.clip, [RNG.uniform(-2, 2, (2, 3)), -1, 1], grad=True)
    check_np_error("clip", [onp.ones(3, "float32"), None, None], match="a_min")


def test_maximum_minimum_gradient_ties_go_to_the_first_argument():
    for fn in (np.maximum, np.minimum):
        a = np.array([1.0, 2.0, 3.0], dtype="float64")
        b = np.array([1.0, 5.0, 0.0], dtype="float64")
        a.attach_grad()
        b.attach_grad()
        with autograd.record():
            y = fn(a, b)
        y.backward()
        big = fn is np.maximum
        onp.testing.assert_array_equal(a.grad.asnumpy(), [1, 0, 1] if big else [1, 1, 0])
        onp.testing.assert_array_equal(b.grad.asnumpy(), [0, 1, 0] if big else [0, 0, 1])
    x = np.array([-1.0, 0.0, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.maximum(x, 0) + np.minimum(x, 0) * 3
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [3, 4, 1])  # MXNet 1.9.1's values
    nan = np.maximum(np.array([onp.nan, 1.0]), np.array([0.0, onp.nan]))
    assert onp.isnan(nan.asnumpy()).all()


@pytest.mark.parametrize("fn", ["around", "round", "round_"])
def test_around(fn):
    a = onp.array([0.5, 1.5, 2.5, -0.5, 1.234, -2.675, 12.5, 150.0], dtype="float32")
    check_np(fn, onp.round, [a])
    check_np(fn, onp.round, [a], decimals=1)
    check_np(fn, onp.round, [a], decimals=-1)
    i = onp.array([15, 25, -35, 149, 7], dtype="int64")
    check_np(fn, onp.round, [i], decimals=-1)
    check_np(fn, onp.round, [i], decimals=2)
    check_np(fn, onp.round, [onp.array([0.123, -1.777, 3.14159])], decimals=2, grad=True)
    assert round(np.array(2.5)).item() == 2.0


def test_nan_to_num():
    a = onp.array([onp.nan, onp.inf, -onp.inf, 1.5, -2.0], dtype="float32")
    check_np("nan_to_num", onp.nan_to_num, [a])
    check_np("nan_to_num", onp.nan_to_num, [a.astype("float16")])
    check_np("nan_to_num", onp.nan_to_num, [a.astype("float64")], nan=-1.0, posinf=9.0, neginf=-9.0)
    check_np("nan_to_num", onp.nan_to_num, [onp.array([1, 2], "int32")])
    x = np.array(a)
    assert np.nan_to_num(x, copy=False) is x
    onp.testing.assert_allclose(x.asnumpy(), onp.nan_to_num(a))
    x = np.array(a.astype("float64"))
    x.attach_grad()
    with autograd.record():
        y = np.nan_to_num(x)
    y.backward()
    onp.testing.assert_array_equal(x.grad.asnumpy(), [0, 0, 0, 1, 1])


# ------------------------------------------------------------------------------ isclose family
def test_isclose_allclose():
    a = onp.array([1.0, onp.nan, onp.inf, 1e-9, 100.0], dtype="float64")
    b = onp.array([1.0 + 1e-6, onp.nan, onp.inf, 0.0, 100.1], dtype="float64")
    check_np("isclose", onp.isclose, [a, b])
    check_np("isclose", onp.isclose, [a, b], equal_nan=True)
    check_np("isclose", onp.isclose, [a, b], rtol=1e-2, atol=0.0)
    check_np("isclose", onp.isclose, [onp.array([1, 2], "int32"), onp.array([1, 3], "int64")])
    got = np.isclose(np.array([1.0, 2.0]), 1.0)
    onp.testing.assert_array_equal(got.asnumpy(), [True, False])
    for kw in ({}, {"equal_nan": True}, {"rtol": 1e-2}):
        assert np.allclose(np.array(a), np.array(b), **kw) is onp.allclose(a, b, **kw)
    assert np.allclose(np.ones((2, 3)), np.ones(3)) is True


def test_array_equal_equiv():
    a = onp.array([[1.0, onp.nan], [3.0, 4.0]])
    assert np.array_equal(np.array(a), np.array(a)) is False
    assert np.array_equal(np.array(a), np.array(a), equal_nan=True) is True
    assert np.array_equal(np.array([1, 2]), np.array([1, 2, 3])) is False
    assert np.array_equiv(np.array([1, 2]), np.array([[1, 2], [1, 2]])) is True
    assert np.array_equiv(np.array([1, 2]), np.array([[1, 2], [1, 3]])) is False
    assert np.array_equiv(np.array([1, 2]), np.array([1, 2, 3])) is False


# ------------------------------------------------------------------------------ errors
def test_incompatible_shapes_name_the_function_and_shapes():
    for name in ("add", "maximum", "equal", "arctan2", "logical_and"):
        check_np_error(name, [onp.ones((2, 3), "float32"), onp.ones((4,), "float32")],
                       match=rf"{name}.*\(2, 3\).*\(4,\)", error=mx.base.GluonicValueError)
    with pytest.raises(mx.MXNetError, match="broadcast"):
        np.ones((2, 3)) + np.ones((2,))


def test_type_errors_follow_numpy():
    f, i, b = onp.ones(3, "float32"), onp.ones(3, "int32"), onp.ones(3, "bool")
    check_np_error("bitwise_and", [f, f], match="integer or bool", error=TypeError)
    check_np_error("invert", [f], match="integer or bool", error=TypeError)
    check_np_error("lcm", [f, i], match="integer", error=TypeError)
    check_np_error("subtract", [b, b], match="boolean subtract", error=TypeError)
    check_np_error("negative", [b], match="bool", error=TypeError)
    check_np_error("power", [i, -1], match="negative integer powers", error=ValueError)
    check_np_error("around", [f], decimals=1.5, error=TypeError)
    check_np_error("add", [f, f], match="unsupported argument", error=TypeError, casting="unsafe")
    with pytest.raises(mx.MXNetError):
        np.add(np.ones(3), None)
    with pytest.raises(mx.MXNetError, match="Python bool"):
        sym = as_np_symbol(mx.sym.var("x"))
        np.allclose(sym, sym)


# ------------------------------------------------------------------------------ recorded op names (MXNet's)
OP_NAMES = [
    ("add", "aa", "_npi_add"), ("add", "as", "_npi_add_scalar"), ("add", "sa", "_npi_add_scalar"),
    ("subtract", "aa", "_npi_subtract"), ("subtract", "as", "_npi_subtract_scalar"),
    ("subtract", "sa", "_npi_rsubtract_scalar"), ("multiply", "aa", "_npi_multiply"),
    ("multiply", "as", "_npi_multiply_scalar"), ("multiply", "sa", "_npi_multiply_scalar"),
    ("true_divide", "aa", "_npi_true_divide"), ("true_divide", "as", "_npi_true_divide_scalar"),
    ("true_divide", "sa", "_npi_rtrue_divide_scalar"), ("floor_divide", "aa", "_npi_floor_divide"),
    ("floor_divide", "as", "_npi_floor_divide_scalar"), ("floor_divide", "sa", "_npi_rfloor_divide_scalar"),
    ("mod", "aa", "_npi_mod"), ("mod", "as", "_npi_mod_scalar"), ("mod", "sa", "_npi_rmod_scalar"),
    ("fmod", "aa", "_npi_fmod"), ("fmod", "as", "_npi_fmod_scalar"), ("fmod", "sa", "_npi_rfmod_scalar"),
    ("power", "aa", "_npi_power"), ("power", "as", "_npi_power_scalar"), ("power", "sa", "_npi_rpower_scalar"),
    ("float_power", "aa", "_npi_float_power"), ("float_power", "as", "_npi_float_power_scalar"),
    ("float_power", "sa", "_npi_rfloat_power_scalar"), ("maximum", "aa", "_npi_maximum"),
    ("maximum", "as", "_npi_maximum_scalar"), ("maximum", "sa", "_npi_maximum_scalar"),
    ("minimum", "aa", "_npi_minimum"), ("minimum", "as", "_npi_minimum_scalar"),
    ("minimum", "sa", "_npi_minimum_scalar"), ("fmax", "aa", "_npi_fmax"), ("fmax", "as", "_npi_fmax_scalar"),
    ("fmax", "sa", "_npi_fmax_scalar"), ("fmin", "aa", "_npi_fmin"), ("fmin", "as", "_npi_fmin_scalar"),
    ("fmin", "sa", "_npi_fmin_scalar"), ("hypot", "aa", "_npi_hypot"), ("hypot", "as", "_npi_hypot_scalar"),
    ("hypot", "sa", "_npi_hypot_scalar"), ("arctan2", "aa", "_npi_arctan2"),
    ("arctan2", "as", "_npi_arctan2_scalar"), ("arctan2", "sa", "_npi_rarctan2_scalar"),
    ("copysign", "aa", "_npi_copysign"), ("copysign", "as", "_npi_copysign_scalar"),
    ("copysign", "sa", "_npi_rcopysign_scalar"), ("heaviside", "aa", "_npi_heaviside"),
    ("heaviside", "as", "_npi_heaviside_scalar"), ("heaviside", "sa", "_npi_rheaviside_scalar"),
    ("ldexp", "aa", "_npi_ldexp"), ("ldexp", "as", "_npi_ldexp_scalar"), ("ldexp", "sa", "_npi_rldexp_scalar"),
    ("lcm", "aa", "_npi_lcm"), ("lcm", "as", "_npi_lcm_scalar"), ("lcm", "sa", "_npi_lcm_scalar"),
    ("gcd", "aa", "_npi_gcd"), ("gcd", "as", "_npi_gcd_scalar"), ("gcd", "sa", "_npi_gcd_scalar"),
    ("bitwise_and", "aa", "_npi_bitwise_and"), ("bitwise_and", "as", "_npi_bitwise_and_scalar"),
    ("bitwise_and", "sa", "_npi_bitwise_and_scalar"), ("bitwise_or", "aa", "_npi_bitwise_or"),
    ("bitwise_or", "as", "_npi_bitwise_or_scalar"), ("bitwise_or", "sa", "_npi_bitwise_or_scalar"),
    ("bitwise_xor", "aa", "_npi_bitwise_xor"), ("bitwise_xor", "as", "_npi_bitwise_xor_scalar"),
    ("bitwise_xor", "sa", "_npi_bitwise_xor_scalar"), ("logical_and", "aa", "_npi_logical_and"),
    ("logical_and", "as", "_npi_logical_and_scalar"), ("logical_and", "sa", "_npi_logical_and_scalar"),
    ("logical_or", "aa", "_npi_logical_or"), ("logical_or", "as", "_npi_logical_or_scalar"),
    ("logical_or", "sa", "_npi_logical_or_scalar"), ("logical_xor", "aa", "_npi_logical_xor"),
    ("logical_xor", "as", "_npi_logical_xor_scalar"), ("logical_xor", "sa", "_npi_logical_xor_scalar"),
    ("equal", "aa", "_npi_equal"), ("equal", "as", "_npi_equal_scalar"), ("equal", "sa", "_npi_equal_scalar"),
    ("not_equal", "aa", "_npi_not_equal"), ("not_equal", "as", "_npi_not_equal_scalar"),
    ("not_equal", "sa", "_npi_not_equal_scalar"), ("less", "aa", "_npi_less"), ("less", "as", "_npi_less_scalar"),
    ("less", "sa", "_npi_greater_scalar"), ("less_equal", "aa", "_npi_less_equal"),
    ("less_equal", "as", "_npi_less_equal_scalar"), ("less_equal", "sa", "_npi_greater_equal_scalar"),
    ("greater", "aa", "_npi_greater"), ("greater", "as", "_npi_greater_scalar"),
    ("greater", "sa", "_npi_less_scalar"), ("greater_equal", "aa", "_npi_greater_equal"),
    ("greater_equal", "as", "_npi_greater_equal_scalar"), ("greater_equal", "sa", "_npi_less_equal_scalar"),
    ("negative", "u", "_npi_negative"), ("positive", "u", "_npi_positive"), ("absolute", "u", "_npi_absolute"),
    ("fabs", "u", "_npi_fabs"), ("sign", "u", "_npi_sign"), ("reciprocal", "u", "_npi_reciprocal"),
    ("square", "u", "_npi_square"), ("sqrt", "u", "_npi_sqrt"), ("cbrt", "u", "_npi_cbrt"),
    ("exp", "u", "_npi_exp"), ("exp2", "u", "_npi_exp2"), ("expm1", "u", "_npi_expm1"), ("log", "u", "_npi_log"),
    ("log2", "u", "_npi_log2"), ("log10", "u", "_npi_log10"), ("log1p", "u", "_npi_log1p"),
    ("sin", "u", "_npi_sin"), ("cos", "u", "_npi_cos"), ("tan", "u", "_npi_tan"), ("arcsin", "u", "_npi_arcsin"),
    ("arccos", "u", "_npi_arccos"), ("arctan", "u", "_npi_arctan"), ("sinh", "u", "_npi_sinh"),
    ("cosh", "u", "_npi_cosh"), ("tanh", "u", "_npi_tanh"), ("arcsinh", "u", "_npi_arcsinh"),
    ("arccosh", "u", "_npi_arccosh"), ("arctanh", "u", "_npi_arctanh"), ("degrees", "u", "_npi_degrees"),
    ("radians", "u", "_npi_radians"), ("rint", "u", "_npi_rint"), ("fix", "u", "_npi_fix"),
    ("floor", "u", "_npi_floor"), ("ceil", "u", "_npi_ceil"), ("trunc", "u", "_npi_trunc"),
    ("bitwise_not", "u", "_npi_bitwise_not"), ("logical_not", "u", "_npi_logical_not"),
    ("isnan", "u", "_npi_isnan"), ("isinf", "u", "_npi_isinf"), ("isfinite", "u", "_npi_isfinite"),
    ("isposinf", "u", "_npi_isposinf"), ("isneginf", "u", "_npi_isneginf"), ("signbit", "u", "_npi_signbit"),
]


def _recorded(out):
    import json

    return [n["op"] for n in json.loads(out.tojson())["nodes"] if n["op"] != "null"]


@pytest.mark.parametrize("name,form,op", OP_NAMES)
def test_functions_record_mxnet_op_names(name, form, op):
    x, y = as_np_symbol(mx.sym.var("x")), as_np_symbol(mx.sym.var("y"))
    fn = getattr(np, name)
    out = {"aa": lambda: fn(x, y), "as": lambda: fn(x, 2), "sa": lambda: fn(2, x), "u": lambda: fn(x)}[form]()
    assert _recorded(out) == [op]


def test_other_functions_record_mxnet_op_names_and_attrs():
    import json

    x, c = as_np_symbol(mx.sym.var("x")), as_np_symbol(mx.sym.var("c"))
    cases = [(np.around(x, 2), "_npi_around", {"decimals": "2"}), (np.clip(x, 0, 1), "_npi_clip", None),
             (np.where(c, x, x), "_npi_where", None), (np.where(c, 1.5, x), "_npi_where_lscalar", {"scalar": "1.5"}),
             (np.where(c, x, 2), "_npi_where_rscalar", None), (np.where(c, 1, 0), "_npi_where_scalar2", None),
             (np.nan_to_num(x), "_npi_nan_to_num", None), (np.isclose(x, c), "_npi_isclose", None),
             (x * 2.5, "_npi_multiply_scalar", {"scalar": "2.5", "is_int": "False"}),
             (x == 1, "_npi_equal_scalar", {"scalar": "1.0", "is_int": "True"}), (x.clip(0, 1), "_npi_clip", None),
             (x.round(1), "_npi_around", None), (~x, "_npi_bitwise_not", None), (+x, "_npi_positive", None)]
    for out, op, attrs in cases:
        nodes = [n for n in json.loads(out.tojson())["nodes"] if n["op"] != "null"]
        assert [n["op"] for n in nodes] == [op]
        if attrs:
            assert {k: nodes[0]["attrs"][k] for k in attrs} == attrs


def test_graph_exported_by_mxnet_runs_with_its_values():
    """Nodes as MXNet 1.9.1 writes them for ``np.where(x > 0, 2.5, x)``, ``np.arctan2(2, x)``, ``x % -2``, …
    (values recorded from MXNet on x = [-1, 0.5, 2])."""
    import json

    from gluonic.compile import compile_symbol

    def node(op, attrs, src):
        return {"op": op, "name": f"n{len(nodes)}", "attrs": attrs, "inputs": [[s, 0, 0] for s in src]}

    nodes = [{"op": "null", "name": "data", "inputs": []}]
    specs = [("_npi_greater_scalar", {"is_int": "True", "scalar": "0.0"}, [0]),
             ("_npi_where_lscalar", {"scalar": "2.5"}, [1, 0]), ("_npi_where_rscalar", {"scalar": "2.5"}, [1, 0]),
             ("_npi_rarctan2_scalar", {"is_int": "False", "scalar": "2.0"}, [0]),
             ("_npi_ldexp_scalar", {"is_int": "True", "scalar": "2.0"}, [0]),
             ("_npi_subtract_scalar", {"is_int": "True", "scalar": "3.0"}, [0]),
             ("_npi_mod_scalar", {"is_int": "True", "scalar": "-2.0"}, [0]),
             ("_npi_rpower_scalar", {"is_int": "False", "scalar": "2.0"}, [0]),
             ("_npi_multiply_scalar", {"is_int": "False", "scalar": "1.26"}, [0]),
             ("_npi_around", {"decimals": "1"}, [9])]
    for op, attrs, src in specs:
        nodes.append(node(op, attrs, src))
    heads = [[i, 0, 0] for i in (2, 3, 4, 5, 6, 7, 8, 10)]
    graph = {"nodes": nodes, "arg_nodes": [0], "node_row_ptr": list(range(len(nodes) + 1)), "heads": heads,
             "attrs": {"is_np_shape": ["int", 1], "mxnet_version": ["int", 10901]}}
    sym = mx.sym.load_json(json.dumps(graph))
    import torch

    got = compile_symbol(sym, sym.list_inputs())(torch.tensor([-1.0, 0.5, 2.0]))
    mxnet = [[-1.0, 2.5, 2.5], [2.5, 0.5, 2.0], [2.0344438, 1.3258177, 0.7853982], [-4.0, 2.0, 8.0], [-4.0, -2.5, -1.0],
             [-1.0, -1.5, 0.0], [0.5, 1.4142135, 4.0], [-1.3, 0.6, 2.5]]
    for g, w in zip(got, mxnet):
        onp.testing.assert_allclose(g.numpy(), w, rtol=1e-6)
