"""Element-wise math of ``mx.np``: arithmetic, comparisons, logic, bitwise, unary ufuncs, ``where``,
``clip``, ``around``, ``nan_to_num`` and the ``isclose`` family.

Each function dispatches once on its operands: two arrays run ``_npi_<f>`` (NumPy broadcasting),
an array and a Python scalar run ``_npi_<f>_scalar`` (or the reflected ``_npi_r<f>_scalar``),
two scalars run the array op on 0-d arrays (int → int64, float → float32, bool → bool). Symbols
(inside a hybridized block) record the same ops. The dtype rules are NumPy's with MXNet's
float32 default; see ``gluonic/ops/np_elemwise.py`` for the details and ``docs/numpy.md`` for the
differences from NumPy and from MXNet 1.9.

>>> from gluonic import np
>>> x = np.array([[1., 2.], [3., 4.]])
>>> np.add(x, np.array([10., 20.]))
array([[11., 22.],
       [13., 24.]])
>>> 2 ** np.array([1, 2, 3], dtype='int32')
array([2, 4, 8], dtype=int32)
"""
from __future__ import annotations

import numbers

import numpy as onp
import torch

from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray
from ..ops.np_elemwise import MIRRORED
from . import _core
from ._array import ndarray as _ndarray
from ._core import call, is_scalar, is_symbol

_UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None, "subok": True}


def _check_kwargs(name: str, kwargs: dict) -> None:
    for k, v in kwargs.items():
        if k not in _UFUNC_DEFAULTS or (v is not _UFUNC_DEFAULTS[k] and v != _UFUNC_DEFAULTS[k]):
            raise GluonicTypeError(f"np.{name}: unsupported argument {k}={v!r} (only out= is supported besides the "
                                   f"operands). Received: {sorted(kwargs)}")


def _scalar_array(s):
    """A Python/NumPy scalar as a 0-d array: bool → bool, integer → int64, float → float32."""
    if isinstance(s, (bool, onp.bool_)):
        dtype = onp.bool_
    elif isinstance(s, (numbers.Integral, onp.integer)):
        dtype = onp.int64
    else:
        dtype = None
    return _core.as_array(s, dtype=dtype)


def _scalar_attrs(s) -> dict:
    t = type(s)
    if t is float:
        return {"scalar": s, "is_int": False}
    if t is int or t is bool:
        return {"scalar": float(s), "is_int": True}
    if isinstance(s, (complex, onp.complexfloating)):
        raise GluonicTypeError(f"complex numbers are not supported. Received: {s!r}")
    return {"scalar": float(s), "is_int": isinstance(s, (numbers.Integral, onp.integer, onp.bool_))}


def _check_broadcast(name: str, x1, x2) -> None:
    s1, s2 = x1.shape, x2.shape  # not ._tensor: a lazy (folded) operand knows its shape without running
    if s1 != s2:
        try:
            torch.broadcast_shapes(s1, s2)
        except RuntimeError:
            raise GluonicValueError(f"np.{name}: operands could not be broadcast together. Received: shapes "
                                    f"{tuple(s1)} and {tuple(s2)}") from None


def binary(name: str, suffix: str, commutative: bool, x1, x2, out=None):
    """Run binary function ``name`` (registry ops ``_npi_<suffix>*``) on two operands (arrays or scalars)."""
    if x1 is None or x2 is None:
        raise GluonicTypeError(f"np.{name}: operands must be arrays or numbers. Received: "
                               f"{type(x1).__name__}, {type(x2).__name__}")
    t1, t2 = type(x1), type(x2)
    s1 = t1 is float or t1 is int or (t1 is not _ndarray and is_scalar(x1))
    s2 = t2 is float or t2 is int or (t2 is not _ndarray and is_scalar(x2))
    if s2 and not s1:
        return call(f"_npi_{suffix}_scalar", [x1], out=out, **_scalar_attrs(x2))
    if s1 and not s2:
        if commutative:
            op = f"_npi_{suffix}_scalar"
        elif suffix in MIRRORED:
            op = f"_npi_{MIRRORED[suffix]}_scalar"
        else:
            op = f"_npi_r{suffix}_scalar"
        return call(op, [x2], out=out, **_scalar_attrs(x1))
    if s1:
        x1, x2 = _scalar_array(x1), _scalar_array(x2)
    elif isinstance(x1, NDArray) and isinstance(x2, NDArray):
        _check_broadcast(name, x1, x2)
    return call(f"_npi_{suffix}", [x1, x2], out=out)


_INT_EXAMPLE = ", dtype='int32'"


def _example_args(name: str) -> str:
    if name in ("lcm", "gcd", "bitwise_and", "bitwise_or", "bitwise_xor"):
        return f"np.array([[6, 4]]{_INT_EXAMPLE}), np.array([[3], [5]]{_INT_EXAMPLE})"
    return "np.array([[1., 2.]]), np.array([[3.], [4.]])"


def _make_binary(name: str, suffix: str, commutative: bool, summary: str):
    def fn(x1, x2, out=None, **kwargs):
        if kwargs:
            _check_kwargs(name, kwargs)
        return binary(name, suffix, commutative, x1, x2, out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"{summary}\n\nShapes: ``x1``, ``x2`` broadcastable arrays or Python scalars → the broadcast "
                  f"shape. ``out``: optional array receiving the result.\n\n>>> from gluonic import np\n"
                  f">>> np.{name}({_example_args(name)}).shape\n(2, 2)")
    return fn


def _make_unary(name: str, suffix: str, summary: str):
    op = f"_npi_{suffix}"

    def fn(x, out=None, **kwargs):
        if kwargs:
            _check_kwargs(name, kwargs)
        return call(op, [x], out=out)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"{summary}\n\nShapes: ``x`` (…) → (…). ``out``: optional array receiving the result.\n\n"
                  f">>> from gluonic import np\n>>> np.{name}(np.array([1, 2]{_INT_EXAMPLE if suffix == 'bitwise_not' else ''})).shape\n(2,)")
    return fn


# ------------------------------------------------------------------------------ binary functions
add = _make_binary("add", "add", True, "Sum, element-wise (``x1 + x2``).")
subtract = _make_binary("subtract", "subtract", False, "Difference, element-wise (``x1 - x2``).")
multiply = _make_binary("multiply", "multiply", True, "Product, element-wise (``x1 * x2``).")
true_divide = _make_binary("true_divide", "true_divide", False,
                           "True division (``x1 / x2``); integer inputs give float32.")
divide = _make_binary("divide", "true_divide", False, "True division (``x1 / x2``); integer inputs give float32.")
floor_divide = _make_binary("floor_divide", "floor_divide", False,
                            "Floor division (``x1 // x2``); integer division by 0 gives 0.")
mod = _make_binary("mod", "mod", False, "Remainder with the sign of the divisor (``x1 % x2``, Python's rule).")
remainder = _make_binary("remainder", "mod", False,
                         "Remainder with the sign of the divisor (``x1 % x2``, Python's rule).")
fmod = _make_binary("fmod", "fmod", False, "Remainder with the sign of the dividend (C's ``fmod``).")
power = _make_binary("power", "power", False, "``x1 ** x2`` element-wise.")
float_power = _make_binary("float_power", "float_power", False,
                           "``x1 ** x2`` computed and returned in float64 (NumPy's rule).")
maximum = _make_binary("maximum", "maximum", True,
                       "Element-wise maximum, NaN-propagating; at ties the gradient goes to ``x1``.")
minimum = _make_binary("minimum", "minimum", True,
                       "Element-wise minimum, NaN-propagating; at ties the gradient goes to ``x1``.")
fmax = _make_binary("fmax", "fmax", True, "Element-wise maximum ignoring NaN.")
fmin = _make_binary("fmin", "fmin", True, "Element-wise minimum ignoring NaN.")
hypot = _make_binary("hypot", "hypot", True, "``sqrt(x1**2 + x2**2)`` element-wise.")
arctan2 = _make_binary("arctan2", "arctan2", False, "Quadrant-aware ``arctan(x1 / x2)`` element-wise.")
copysign = _make_binary("copysign", "copysign", False, "``x1`` with the sign of ``x2``.")
ldexp = _make_binary("ldexp", "ldexp", False, "``x1 * 2**x2`` element-wise.")
lcm = _make_binary("lcm", "lcm", True, "Lowest common multiple of integer arrays.")
gcd = _make_binary("gcd", "gcd", True, "Greatest common divisor of integer arrays.")
heaviside = _make_binary("heaviside", "heaviside", False,
                         "Heaviside step: 0 for ``x1 < 0``, ``x2`` at 0, 1 for ``x1 > 0``.")
bitwise_and = _make_binary("bitwise_and", "bitwise_and", True, "Bitwise AND of integer/bool arrays (``x1 & x2``).")
bitwise_or = _make_binary("bitwise_or", "bitwise_or", True, "Bitwise OR of integer/bool arrays (``x1 | x2``).")
bitwise_xor = _make_binary("bitwise_xor", "bitwise_xor", True, "Bitwise XOR of integer/bool arrays (``x1 ^ x2``).")
logical_and = _make_binary("logical_and", "logical_and", True, "Truth value of ``x1 AND x2`` (bool array).")
logical_or = _make_binary("logical_or", "logical_or", True, "Truth value of ``x1 OR x2`` (bool array).")
logical_xor = _make_binary("logical_xor", "logical_xor", True, "Truth value of ``x1 XOR x2`` (bool array).")
equal = _make_binary("equal", "equal", True, "``x1 == x2`` element-wise (bool array).")
not_equal = _make_binary("not_equal", "not_equal", True, "``x1 != x2`` element-wise (bool array).")
less = _make_binary("less", "less", False, "``x1 < x2`` element-wise (bool array).")
less_equal = _make_binary("less_equal", "less_equal", False, "``x1 <= x2`` element-wise (bool array).")
greater = _make_binary("greater", "greater", False, "``x1 > x2`` element-wise (bool array).")
greater_equal = _make_binary("greater_equal", "greater_equal", False, "``x1 >= x2`` element-wise (bool array).")

# ------------------------------------------------------------------------------ unary functions
negative = _make_unary("negative", "negative", "Numerical negative (``-x``); bool arrays are an error, as in NumPy.")
positive = _make_unary("positive", "positive", "A copy of ``x`` (``+x``).")
absolute = _make_unary("absolute", "absolute", "Absolute value; integer arrays stay integer.")
abs = _make_unary("abs", "absolute", "Absolute value; integer arrays stay integer.")
fabs = _make_unary("fabs", "fabs", "Absolute value as a float array.")
sign = _make_unary("sign", "sign", "-1, 0 or 1 by sign (NaN stays NaN).")
reciprocal = _make_unary("reciprocal", "reciprocal",
                         "``1 / x``; integer arrays use integer division (0 for |x| > 1, as NumPy).")
square = _make_unary("square", "square", "``x * x``.")
sqrt = _make_unary("sqrt", "sqrt", "Non-negative square root.")
cbrt = _make_unary("cbrt", "cbrt", "Cube root.")
exp = _make_unary("exp", "exp", "``e ** x``.")
exp2 = _make_unary("exp2", "exp2", "``2 ** x``.")
expm1 = _make_unary("expm1", "expm1", "``exp(x) - 1``, accurate near 0.")
log = _make_unary("log", "log", "Natural logarithm.")
log2 = _make_unary("log2", "log2", "Base-2 logarithm.")
log10 = _make_unary("log10", "log10", "Base-10 logarithm.")
log1p = _make_unary("log1p", "log1p", "``log(1 + x)``, accurate near 0.")
sin = _make_unary("sin", "sin", "Sine (radians).")
cos = _make_unary("cos", "cos", "Cosine (radians).")
tan = _make_unary("tan", "tan", "Tangent (radians).")
arcsin = _make_unary("arcsin", "arcsin", "Inverse sine.")
arccos = _make_unary("arccos", "arccos", "Inverse cosine.")
arctan = _make_unary("arctan", "arctan", "Inverse tangent.")
sinh = _make_unary("sinh", "sinh", "Hyperbolic sine.")
cosh = _make_unary("cosh", "cosh", "Hyperbolic cosine.")
tanh = _make_unary("tanh", "tanh", "Hyperbolic tangent.")
arcsinh = _make_unary("arcsinh", "arcsinh", "Inverse hyperbolic sine.")
arccosh = _make_unary("arccosh", "arccosh", "Inverse hyperbolic cosine.")
arctanh = _make_unary("arctanh", "arctanh", "Inverse hyperbolic tangent.")
degrees = _make_unary("degrees", "degrees", "Radians to degrees.")
rad2deg = _make_unary("rad2deg", "degrees", "Radians to degrees.")
radians = _make_unary("radians", "radians", "Degrees to radians.")
deg2rad = _make_unary("deg2rad", "radians", "Degrees to radians.")
rint = _make_unary("rint", "rint", "Round to the nearest integer, halves to even (float result).")
fix = _make_unary("fix", "fix", "Round toward zero.")
floor = _make_unary("floor", "floor", "Round toward -inf; integer arrays are returned unchanged.")
ceil = _make_unary("ceil", "ceil", "Round toward +inf; integer arrays are returned unchanged.")
trunc = _make_unary("trunc", "trunc", "Round toward zero; integer arrays are returned unchanged.")
bitwise_not = _make_unary("bitwise_not", "bitwise_not",
                          "Bitwise NOT of an integer/bool array (``~x``; logical NOT for bool).")
invert = _make_unary("invert", "bitwise_not", "Bitwise NOT of an integer/bool array (``~x``; logical NOT for bool).")
logical_not = _make_unary("logical_not", "logical_not", "Truth value of NOT ``x`` (bool array).")
isnan = _make_unary("isnan", "isnan", "Whether each element is NaN (bool array).")
isinf = _make_unary("isinf", "isinf", "Whether each element is +inf or -inf (bool array).")
isfinite = _make_unary("isfinite", "isfinite", "Whether each element is finite (bool array).")
isposinf = _make_unary("isposinf", "isposinf", "Whether each element is +inf (bool array).")
isneginf = _make_unary("isneginf", "isneginf", "Whether each element is -inf (bool array).")
signbit = _make_unary("signbit", "signbit", "Whether the sign bit is set (bool array; true for -0.0).")


def around(x, decimals=0, out=None, **kwargs):
    """Round half to even to ``decimals`` places (negative: tens, hundreds, …).

    Shapes: ``x`` (…) → (…); integer arrays stay integer.

    >>> np.around(np.array([0.5, 1.5, 2.567]), 1)
    array([0.5, 1.5, 2.6])
    """
    if kwargs:
        _check_kwargs("around", kwargs)
    if decimals is None:  # round(x, None)
        decimals = 0
    if not isinstance(decimals, (numbers.Integral, onp.integer)):
        raise GluonicTypeError(f"np.around: decimals must be an integer. Received: {decimals!r}")
    return call("_npi_around", [x], out=out, decimals=int(decimals))


round = around  # noqa: A001 - NumPy's name
round_ = around


def clip(a, a_min, a_max, out=None, **kwargs):
    """Limit the values of ``a`` to ``[a_min, a_max]`` (either bound may be None; arrays broadcast).

    Shapes: ``a`` (…) → (…) (or the broadcast shape with array bounds). The gradient passes where
    ``a_min <= a <= a_max``.

    >>> np.clip(np.array([-1., 0.5, 2.]), 0, 1)
    array([0. , 0.5, 1. ])
    """
    if kwargs:
        _check_kwargs("clip", kwargs)
    if a_min is None and a_max is None:
        raise GluonicValueError("np.clip: at least one of a_min and a_max must be given. Received: None, None")
    if (a_min is None or is_scalar(a_min)) and (a_max is None or is_scalar(a_max)):
        return call("_npi_clip", [a], out=out, a_min=float("-inf") if a_min is None else float(a_min),
                    a_max=float("inf") if a_max is None else float(a_max))
    r = a
    if a_min is not None:
        r = binary("clip", "maximum", True, r, a_min)
    if a_max is not None:
        r = binary("clip", "minimum", True, r, a_max)
    if out is not None:
        out._assign(r._tensor)
        return out
    return r


def where(condition, x=None, y=None):
    """Elements of ``x`` where ``condition`` is true (nonzero), else of ``y``; all three broadcast.

    ``where(condition)`` alone is ``nonzero(condition)``. Shapes: broadcast of the three. The result
    dtype is the promotion of ``x`` and ``y`` (two Python scalars give float32, as in MXNet).

    >>> np.where(np.array([True, False]), np.array([1., 2.]), 0)
    array([1., 0.])
    """
    if x is None and y is None:
        from .. import numpy as _np

        return _np.nonzero(condition)
    if x is None or y is None:
        raise GluonicValueError("np.where: give both x and y, or neither. Received: "
                                f"x={type(x).__name__}, y={type(y).__name__}")
    if is_scalar(condition):
        chosen = x if condition else y
        return chosen if isinstance(chosen, NDArray) or is_symbol(chosen) else _core.as_array(chosen)
    sx, sy = is_scalar(x), is_scalar(y)
    if sx and sy:
        return call("_npi_where_scalar2", [condition], x=float(x), y=float(y))
    if sy:
        return call("_npi_where_rscalar", [condition, x], scalar=float(y))
    if sx:
        return call("_npi_where_lscalar", [condition, y], scalar=float(x))
    return call("_npi_where", [condition, x, y])


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None, **kwargs):
    """Replace NaN by ``nan``, +inf by ``posinf`` and -inf by ``neginf`` (default: the dtype's extremes).

    Shapes: ``x`` (…) → (…). ``copy=False`` writes the result into ``x``. Integer arrays are unchanged.

    >>> np.nan_to_num(np.array([np.nan, 1.0]))
    array([0., 1.])
    """
    if kwargs:
        _check_kwargs("nan_to_num", kwargs)
    out = x if (not copy and isinstance(x, NDArray)) else None
    return call("_npi_nan_to_num", [x], out=out, copy=bool(copy), nan=float(nan),
                posinf=None if posinf is None else float(posinf), neginf=None if neginf is None else float(neginf))


def _array_operand(v):
    return _scalar_array(v) if is_scalar(v) else v


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``|a - b| <= atol + rtol * |b|`` element-wise (bool array; infinities must be equal).

    >>> np.isclose(np.array([1.0, 2.0]), np.array([1.0, 2.1]))
    array([ True, False])
    """
    return call("_npi_isclose", [_array_operand(a), _array_operand(b)], rtol=float(rtol), atol=float(atol),
                equal_nan=bool(equal_nan))


def _eager(name: str, *xs) -> None:
    if any(is_symbol(x) for x in xs):
        raise GluonicTypeError(f"np.{name} returns a Python bool and cannot run on symbols inside a hybridized "
                               "block; use np.isclose/np.equal with .all() there. Received: a Symbol")


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """Whether all elements of ``a`` and ``b`` are close (see :func:`isclose`); a Python bool.

    >>> np.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
    True
    """
    _eager("allclose", a, b)
    return bool(isclose(a, b, rtol, atol, equal_nan)._tensor.all())


def array_equal(a1, a2, equal_nan=False) -> bool:
    """Whether ``a1`` and ``a2`` have the same shape and elements; a Python bool.

    >>> np.array_equal(np.array([1, 2]), np.array([1, 2]))
    True
    """
    _eager("array_equal", a1, a2)
    a1, a2 = _core.as_array(_array_operand(a1)), _core.as_array(_array_operand(a2))
    if a1.shape != a2.shape:
        return False
    t1, t2 = a1._tensor, a2._tensor
    same = t1 == t2
    if equal_nan and t1.dtype.is_floating_point and t2.dtype.is_floating_point:
        same = same | (torch.isnan(t1) & torch.isnan(t2))
    return bool(same.all())


def array_equiv(a1, a2) -> bool:
    """Whether ``a1`` and ``a2`` are equal after broadcasting; a Python bool (False if they cannot broadcast).

    >>> np.array_equiv(np.array([1, 2]), np.array([[1, 2], [1, 2]]))
    True
    """
    _eager("array_equiv", a1, a2)
    a1, a2 = _core.as_array(_array_operand(a1)), _core.as_array(_array_operand(a2))
    try:
        torch.broadcast_shapes(a1._tensor.shape, a2._tensor.shape)
    except RuntimeError:
        return False
    return bool((a1._tensor == a2._tensor).all())


__all__ = [
    "add", "subtract", "multiply", "true_divide", "divide", "floor_divide", "mod", "remainder", "fmod",
    "power", "float_power", "maximum", "minimum", "fmax", "fmin", "hypot", "arctan2", "copysign", "ldexp",
    "lcm", "gcd", "heaviside", "bitwise_and", "bitwise_or", "bitwise_xor", "logical_and", "logical_or",
    "logical_xor", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "negative",
    "positive", "absolute", "abs", "fabs", "sign", "reciprocal", "square", "sqrt", "cbrt", "exp", "exp2",
    "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "degrees", "rad2deg", "radians", "deg2rad", "rint",
    "fix", "floor", "ceil", "trunc", "bitwise_not", "invert", "logical_not", "isnan", "isinf", "isfinite",
    "isposinf", "isneginf", "signbit", "around", "round", "round_", "clip", "where", "nan_to_num", "isclose",
    "allclose", "array_equal", "array_equiv",
]
