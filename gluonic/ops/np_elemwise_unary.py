"""Element-wise unary operators of MXNet's NumPy interface, plus ``where``, ``clip``, ``around``,
``nan_to_num`` and ``isclose``.

Dtypes follow NumPy with MXNet's float32 default: functions with float results (``sqrt``,
``exp``, ``sin``, ``rint``, ``fabs``, …) give float32 for integer and bool arrays (NumPy:
float64, or float16 for bool/int8; MXNet 1.9 keeps the integer dtype and returns truncated
values); ``floor``/``ceil``/``trunc``/``fix``/``absolute``/``square``/``sign`` keep integer
dtypes; predicates (``isnan``, ``signbit``, ``logical_not``) give bool arrays.
"""
from __future__ import annotations

import math

import torch

from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs
from .np_elemwise import as_tensor
from .registry import BatchRule, register

_ELEMWISE = BatchRule(axis=0)


def _dt_name(dt: torch.dtype) -> str:
    return str(dt).replace("torch.", "")


def _as_float(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype.is_floating_point else x.to(torch.float32)


def _no_bool(name: str, x: torch.Tensor) -> None:
    if x.dtype == torch.bool:
        raise GluonicTypeError(f"Operator _npi_{name}: bool arrays are not supported (NumPy's rule); use "
                               f"np.logical_not or ~ for masks. Received: bool")


def _cbrt(x):
    x = _as_float(x)
    return torch.sign(x) * torch.abs(x).pow(1.0 / 3.0)


def _reciprocal(x):
    if x.dtype.is_floating_point:
        return torch.reciprocal(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int8)
    zero = x == 0
    return torch.where(zero, torch.zeros((), dtype=x.dtype, device=x.device),
                       torch.div(1, torch.where(zero, 1, x), rounding_mode="trunc").to(x.dtype))


def _square(x):
    if x.dtype == torch.bool:
        x = x.to(torch.int8)
    return x * x


def _negative(x):
    _no_bool("negative", x)
    return torch.neg(x)


def _positive(x):
    _no_bool("positive", x)
    return x.clone()


def _absolute(x):
    return x.clone() if x.dtype == torch.bool else torch.abs(x)


def _sign(x):
    _no_bool("sign", x)
    if x.dtype.is_floating_point:
        return torch.where(torch.isnan(x), x, torch.sign(x))  # torch gives 0 for NaN; NumPy NaN
    return torch.sign(x)


def _keep_int(fn):
    """floor/ceil/trunc: integer and bool arrays come back unchanged (NumPy 2)."""

    def kernel(x):
        return fn(x) if x.dtype.is_floating_point else x.clone()

    return kernel


def _float_fn(fn):
    def kernel(x):
        return fn(_as_float(x))

    return kernel


def _invert(x):
    if x.dtype.is_floating_point and x.device.type != "meta":  # shape inference seeds float32 (see np_elemwise)
        raise GluonicTypeError(f"Operator _npi_bitwise_not: the input must be an integer or bool array (NumPy's "
                               f"rule). Received: {_dt_name(x.dtype)}")
    return torch.bitwise_not(x)


def _predicate(fn):
    def kernel(x):
        if not x.dtype.is_floating_point:
            return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
        return fn(x)

    return kernel


_UNARY = {
    # name: (kernel, aliases)
    "negative": (_negative, ()),
    "positive": (_positive, ()),
    "absolute": (_absolute, ("_npi_abs",)),
    "fabs": (_float_fn(torch.abs), ()),
    "sign": (_sign, ()),
    "reciprocal": (_reciprocal, ()),
    "square": (_square, ()),
    "sqrt": (_float_fn(torch.sqrt), ()),
    "cbrt": (_cbrt, ()),
    "exp": (_float_fn(torch.exp), ()),
    "exp2": (_float_fn(torch.exp2), ()),
    "expm1": (_float_fn(torch.expm1), ()),
    "log": (_float_fn(torch.log), ()),
    "log2": (_float_fn(torch.log2), ()),
    "log10": (_float_fn(torch.log10), ()),
    "log1p": (_float_fn(torch.log1p), ()),
    "sin": (_float_fn(torch.sin), ()),
    "cos": (_float_fn(torch.cos), ()),
    "tan": (_float_fn(torch.tan), ()),
    "arcsin": (_float_fn(torch.asin), ()),
    "arccos": (_float_fn(torch.acos), ()),
    "arctan": (_float_fn(torch.atan), ()),
    "sinh": (_float_fn(torch.sinh), ()),
    "cosh": (_float_fn(torch.cosh), ()),
    "tanh": (_float_fn(torch.tanh), ()),
    "arcsinh": (_float_fn(torch.asinh), ()),
    "arccosh": (_float_fn(torch.acosh), ()),
    "arctanh": (_float_fn(torch.atanh), ()),
    "degrees": (_float_fn(torch.rad2deg), ()),
    "radians": (_float_fn(torch.deg2rad), ()),
    "rint": (_float_fn(torch.round), ()),
    "fix": (_keep_int(torch.trunc), ()),
    "floor": (_keep_int(torch.floor), ()),
    "ceil": (_keep_int(torch.ceil), ()),
    "trunc": (_keep_int(torch.trunc), ()),
    "bitwise_not": (_invert, ()),
    "logical_not": (torch.logical_not, ()),
    "isnan": (_predicate(torch.isnan), ()),
    "isinf": (_predicate(torch.isinf), ()),
    "isfinite": (lambda x: torch.isfinite(x), ()),
    "isposinf": (_predicate(torch.isposinf), ()),
    "isneginf": (_predicate(torch.isneginf), ()),
    "signbit": (torch.signbit, ()),
}


def _define(name: str, kernel, aliases) -> None:
    def unary(x):
        return kernel(x)

    unary.__name__ = f"np_{name}"
    unary.__doc__ = f"``np.{name}`` element-wise. Shapes: ``x`` (…) → (…)."
    register(f"_npi_{name}", aliases=aliases, batch=_ELEMWISE)(unary)


for _name, (_kernel, _aliases) in _UNARY.items():
    _define(_name, _kernel, _aliases)


# ------------------------------------------------------------------------------ around
class AroundAttrs(Attrs):
    decimals: int = 0


@register("_npi_around", attrs=AroundAttrs, batch=_ELEMWISE)
def np_around(x, *, a: AroundAttrs):
    """``np.around(x, decimals)``: round half to even at ``decimals`` places (negative: left of the point).

    Integer arrays stay integer (rounded to tens, hundreds… for negative ``decimals``).
    """
    d = a.decimals
    if x.dtype.is_floating_point:
        return torch.round(x, decimals=d) if d else torch.round(x)
    if x.dtype == torch.bool:
        return x.to(torch.float32)
    if d >= 0:
        return x.clone()
    f = 10.0 ** (-d)
    return (torch.round(x.to(torch.float64) / f) * f).to(x.dtype)


# ------------------------------------------------------------------------------ clip
class NpClipAttrs(Attrs):
    a_min: float
    a_max: float


def _integral(v: float) -> bool:
    return math.isinf(v) or float(v).is_integer()


@register("_npi_clip", attrs=NpClipAttrs, batch=_ELEMWISE)
def np_clip(data, *, a: NpClipAttrs):
    """``np.clip(data, a_min, a_max)`` (an infinite bound does not clip).

    Integer arrays stay integer for integral bounds and become float32 otherwise (NumPy would
    give float64; MXNet 1.9 truncates the bounds). The gradient passes where
    ``a_min <= data <= a_max`` (MXNet's convention at the bounds).
    """
    lo = None if a.a_min == -math.inf else a.a_min
    hi = None if a.a_max == math.inf else a.a_max
    if not data.dtype.is_floating_point:
        if not (_integral(a.a_min) and _integral(a.a_max)):
            data = data.to(torch.float32)
        else:
            if data.dtype == torch.bool:
                data = data.to(torch.int64)
            lo = None if lo is None else int(lo)
            hi = None if hi is None else int(hi)
    if lo is None and hi is None:
        return data.clone()
    return torch.clamp(data, lo, hi)


# ------------------------------------------------------------------------------ where
def _cond(c: torch.Tensor) -> torch.Tensor:
    return c if c.dtype == torch.bool else c != 0


def _weak(v: float):
    return int(v) if _integral(v) and not math.isinf(v) else v


def _where(cond, x, y):
    x, y = as_tensor(x, cond), as_tensor(y, cond)
    dt = torch.result_type(x, y)
    return torch.where(_cond(cond), x.to(dt), y.to(dt))


@register("_npi_where", batch=_ELEMWISE)
def np_where(condition, x, y):
    """``np.where(condition, x, y)``: ``x`` where ``condition`` is nonzero, else ``y``; all three broadcast.

    The result has the promoted dtype of ``x`` and ``y``.
    """
    return _where(condition, x, y)


class WhereScalarAttrs(Attrs):
    scalar: float = 0.0


@register("_npi_where_lscalar", attrs=WhereScalarAttrs, batch=_ELEMWISE)
def np_where_lscalar(condition, x, *, a: WhereScalarAttrs):
    """``np.where(condition, scalar, x)`` (MXNet's naming: the scalar is the left choice, the array input
    is the right one). An integral scalar keeps the array's dtype."""
    return _where(condition, _weak(a.scalar), x)


@register("_npi_where_rscalar", attrs=WhereScalarAttrs, batch=_ELEMWISE)
def np_where_rscalar(condition, y, *, a: WhereScalarAttrs):
    """``np.where(condition, y, scalar)``: the array input is the left choice, the scalar the right one."""
    return _where(condition, y, _weak(a.scalar))


class WhereScalar2Attrs(Attrs):
    x: float = 0.0
    y: float = 0.0


@register("_npi_where_scalar2", attrs=WhereScalar2Attrs, batch=_ELEMWISE)
def np_where_scalar2(condition, *, a: WhereScalar2Attrs):
    """``np.where(condition, x, y)`` for two scalars: a float32 array of ``condition``'s shape (MXNet's rule)."""
    x = torch.tensor(a.x, dtype=torch.float32, device=condition.device)
    y = torch.tensor(a.y, dtype=torch.float32, device=condition.device)
    return torch.where(_cond(condition), x, y)


# ------------------------------------------------------------------------------ nan_to_num
class NanToNumAttrs(Attrs):
    copy: bool = True
    nan: float = 0.0
    posinf: float | None = None
    neginf: float | None = None


@register("_npi_nan_to_num", attrs=NanToNumAttrs, batch=_ELEMWISE)
def np_nan_to_num(data, *, a: NanToNumAttrs):
    """``np.nan_to_num``: NaN → ``nan``, +inf → ``posinf`` (default: the dtype's max), -inf → ``neginf``.

    Integer arrays come back unchanged. The gradient passes where ``data`` is finite.
    """
    if not data.dtype.is_floating_point:
        return data.clone()
    return torch.nan_to_num(data, nan=a.nan, posinf=a.posinf, neginf=a.neginf)


# ------------------------------------------------------------------------------ isclose
class IsCloseAttrs(Attrs):
    rtol: float = 1e-05
    atol: float = 1e-08
    equal_nan: bool = False


@register("_npi_isclose", attrs=IsCloseAttrs, batch=_ELEMWISE, differentiable=False)
def np_isclose(a_, b, *, a: IsCloseAttrs):
    """``np.isclose(a, b)``: ``|a - b| <= atol + rtol * |b|`` element-wise (bool); infinities must match."""
    dt = torch.result_type(a_, b)
    if not dt.is_floating_point:
        dt = torch.float64
    if a.rtol < 0 or a.atol < 0:
        raise GluonicValueError(f"Operator _npi_isclose: rtol and atol must be non-negative. Received: rtol={a.rtol}, "
                                f"atol={a.atol}")
    return torch.isclose(a_.to(dt), b.to(dt), rtol=a.rtol, atol=a.atol, equal_nan=a.equal_nan)
