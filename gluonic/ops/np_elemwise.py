"""Element-wise binary operators of MXNet's NumPy interface (``_npi_add``, ``_npi_add_scalar``, …).

Every binary function has three ops, as in MXNet 1.9: ``_npi_<f>(lhs, rhs)`` for two arrays
(NumPy broadcasting), ``_npi_<f>_scalar(data, scalar, is_int)`` for array ∘ scalar and, when
the function is not commutative, ``_npi_r<f>_scalar`` for scalar ∘ array. Functions MXNet 1.9
lacks (``floor_divide``, ``fmod``, ``fmax``, ``gcd``, ``logical_and``, …) get ops named the way
MXNet 2.0 names them.

Dtypes follow NumPy, with MXNet's float32 default where NumPy would pick float64:
- two arrays: NumPy promotion, except that integer ∘ float gives the float operand's dtype
  (as MXNet and torch do; NumPy widens e.g. int32 ∘ float32 to float64), and uint8 ∘ int8 gives
  int32 (NumPy: int16, a dtype MXNet lacks);
- a Python scalar is "weak": it keeps the array's dtype, except that a non-integral scalar
  with an integer or bool array gives float32 and an integer scalar with a bool array int64
  (MXNet 1.9 instead truncates the scalar: ``int32_array * 2.5`` multiplies by 2);
- functions with float results (``true_divide``, ``arctan2``, ``hypot``, …) give float32 for
  integer/bool inputs (NumPy: float64); comparisons and logical functions give bool arrays;
- bool ∘ bool follows NumPy: ``add``/``multiply``/``maximum`` stay bool, ``subtract`` is an
  error, ``floor_divide``/``mod``/``power`` give int8;
- integer division or remainder by zero gives 0 (NumPy's value, without its warning).
"""
from __future__ import annotations

import torch

from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs
from .registry import BatchRule, register

_ELEMWISE = BatchRule(axis=0)


class NpScalarAttrs(Attrs):
    scalar: float = 1.0
    is_int: bool = True


def weak_scalar(a: NpScalarAttrs):
    """The scalar attribute as the Python number it was: int when ``is_int`` and integral, else float."""
    s = a.scalar
    if a.is_int and s == s and abs(s) != float("inf") and float(s).is_integer():
        return int(s)
    return s


def as_tensor(v, like: torch.Tensor) -> torch.Tensor:
    """``v`` (a tensor or a Python number) as a tensor; numbers become 0-d tensors that promote like
    Python scalars (int → int64, float → float32, which torch treats as weak against ``like``)."""
    if isinstance(v, torch.Tensor):
        return v
    return torch.tensor(v, device=like.device)


def _pair(lhs, rhs):
    """Both operands as tensors (one of them may arrive as a Python number)."""
    ref = lhs if isinstance(lhs, torch.Tensor) else rhs
    return as_tensor(lhs, ref), as_tensor(rhs, ref)


def _common(lhs, rhs):
    lhs, rhs = _pair(lhs, rhs)
    dt = torch.result_type(lhs, rhs)
    return lhs.to(dt), rhs.to(dt), dt


def _floatify(dt: torch.dtype) -> torch.dtype:
    return dt if dt.is_floating_point else torch.float32


def _float_common(lhs, rhs):
    lhs, rhs = _pair(lhs, rhs)
    dt = _floatify(torch.result_type(lhs, rhs))
    return lhs.to(dt), rhs.to(dt)


def _inferring(t: torch.Tensor) -> bool:
    """Shape inference runs ops on meta tensors of float32 when the real dtypes are unknown: dtype checks
    that refuse floats must not fire there (they fire on the real run)."""
    return t.device.type == "meta"


def _is_bool(v) -> bool:
    return v.dtype == torch.bool if isinstance(v, torch.Tensor) else isinstance(v, bool)


# ------------------------------------------------------------------------------ kernels
def _subtract(lhs, rhs):
    if _is_bool(lhs) and _is_bool(rhs):
        raise GluonicTypeError("Operator _npi_subtract: boolean subtract is not supported (NumPy's rule); use "
                               "np.logical_xor or the ^ operator. Received: two bool operands")
    if _is_bool(lhs) or _is_bool(rhs):
        lhs, rhs, _ = _common(lhs, rhs)  # torch refuses bool operands even when the other one is a number
    return lhs - rhs


def _int_safe(fn, bool_as=torch.int8):
    """An integer division-like kernel that gives 0 where the divisor is 0 (NumPy's value)."""

    def kernel(lhs, rhs):
        lhs, rhs, dt = _common(lhs, rhs)
        if dt == torch.bool:
            lhs, rhs, dt = lhs.to(bool_as), rhs.to(bool_as), bool_as
        if dt.is_floating_point:
            return fn(lhs, rhs)
        zero = rhs == 0
        return torch.where(zero, torch.zeros((), dtype=dt, device=lhs.device), fn(lhs, torch.where(zero, 1, rhs)))

    return kernel


def _power(lhs, rhs):
    if isinstance(lhs, torch.Tensor) and lhs.dtype.is_floating_point and not isinstance(rhs, torch.Tensor):
        return torch.pow(lhs, rhs)  # x ** 2: no scalar tensor
    lhs, rhs, dt = _common(lhs, rhs)
    if dt == torch.bool:
        lhs, rhs = lhs.to(torch.int8), rhs.to(torch.int8)
    return torch.pow(lhs, rhs)


def _float_power(lhs, rhs):
    lhs, rhs = _pair(lhs, rhs)
    return torch.pow(lhs.to(torch.float64), rhs.to(torch.float64))


def _max_min(greater: bool):
    """maximum/minimum with MXNet's gradient convention: at ties the whole gradient goes to ``lhs``.
    NaN propagates (NumPy)."""

    def kernel(lhs, rhs):
        if not isinstance(rhs, torch.Tensor) and lhs.dtype.is_floating_point and rhs == rhs:
            # np.maximum(x, 0): one clamp (NaN in x propagates; the gradient reaches x at ties)
            return torch.clamp(lhs, min=rhs) if greater else torch.clamp(lhs, max=rhs)
        lhs, rhs, dt = _common(lhs, rhs)
        pick_lhs = lhs >= rhs if greater else lhs <= rhs
        if dt.is_floating_point:
            pick_lhs = pick_lhs | torch.isnan(lhs)
        return torch.where(pick_lhs, lhs, rhs)

    return kernel


def _promoted(fn):
    def kernel(lhs, rhs):
        lhs, rhs, _ = _common(lhs, rhs)
        return fn(lhs, rhs)

    return kernel


def _float_valued(fn):
    def kernel(lhs, rhs):
        return fn(*_float_common(lhs, rhs))

    return kernel


def _heaviside(lhs, rhs):
    lhs, rhs = _float_common(lhs, rhs)
    step = torch.where(lhs == 0, rhs, (lhs > 0).to(lhs.dtype))
    return torch.where(torch.isnan(lhs), lhs, step)


def _ldexp(lhs, rhs):
    lhs, rhs = _pair(lhs, rhs)
    dt = _floatify(lhs.dtype)
    work = torch.float64 if dt == torch.float64 else torch.float32
    return (lhs.to(work) * torch.exp2(rhs.to(work))).to(dt)


def _integer_only(name: str, fn):
    def kernel(lhs, rhs):
        lhs, rhs = _pair(lhs, rhs)
        for dt in (lhs.dtype, rhs.dtype):
            if (dt.is_floating_point or dt == torch.bool) and not _inferring(lhs):
                raise GluonicTypeError(f"Operator _npi_{name}: inputs must be integer arrays (NumPy's rule). "
                                       f"Received: {str(dt).replace('torch.', '')}")
        lhs, rhs, _ = _common(lhs, rhs)
        return fn(lhs, rhs)

    return kernel


def _bitwise(name: str, fn):
    def kernel(lhs, rhs):
        lhs, rhs, dt = _common(lhs, rhs)
        if dt.is_floating_point and not _inferring(lhs):
            raise GluonicTypeError(f"Operator _npi_{name}: inputs must be integer or bool arrays (NumPy's rule). "
                                   f"Received: {str(dt).replace('torch.', '')}")
        return fn(lhs, rhs)

    return kernel


def _logical(fn):
    def kernel(lhs, rhs):
        return fn(*_pair(lhs, rhs))

    return kernel


def _compare(fn):
    def kernel(lhs, rhs):
        if not isinstance(lhs, torch.Tensor):
            lhs = as_tensor(lhs, rhs)
        return fn(lhs, rhs)

    return kernel


# name: (kernel, commutative, MXNet 1.9 has ops of this name, aliases of the array-array op)
_BINARY = {
    "add": (lambda lhs, rhs: lhs + rhs, True),
    "subtract": (_subtract, False),
    "multiply": (lambda lhs, rhs: lhs * rhs, True),
    "true_divide": (lambda lhs, rhs: lhs / rhs, False),
    "floor_divide": (_int_safe(lambda lhs, rhs: torch.div(lhs, rhs, rounding_mode="floor")), False),
    "mod": (_int_safe(torch.remainder), False),
    "fmod": (_int_safe(torch.fmod), False),
    "power": (_power, False),
    "float_power": (_float_power, False),
    "maximum": (_max_min(True), True),
    "minimum": (_max_min(False), True),
    "fmax": (_promoted(torch.fmax), True),
    "fmin": (_promoted(torch.fmin), True),
    "hypot": (_float_valued(torch.hypot), True),
    "arctan2": (_float_valued(torch.atan2), False),
    "copysign": (_float_valued(torch.copysign), False),
    "heaviside": (_heaviside, False),
    "ldexp": (_ldexp, False),
    "lcm": (_integer_only("lcm", torch.lcm), True),
    "gcd": (_integer_only("gcd", torch.gcd), True),
    "bitwise_and": (_bitwise("bitwise_and", torch.bitwise_and), True),
    "bitwise_or": (_bitwise("bitwise_or", torch.bitwise_or), True),
    "bitwise_xor": (_bitwise("bitwise_xor", torch.bitwise_xor), True),
    "logical_and": (_logical(torch.logical_and), True),
    "logical_or": (_logical(torch.logical_or), True),
    "logical_xor": (_logical(torch.logical_xor), True),
    "equal": (_compare(torch.eq), True),
    "not_equal": (_compare(torch.ne), True),
    "less": (_compare(torch.lt), False),
    "less_equal": (_compare(torch.le), False),
    "greater": (_compare(torch.gt), False),
    "greater_equal": (_compare(torch.ge), False),
}

#: Functions whose reflected scalar form is another function's plain one (``2 < x`` is ``x > 2``).
MIRRORED = {"less": "greater", "less_equal": "greater_equal", "greater": "less", "greater_equal": "less_equal"}
_BOOL_KEEPING = {"bitwise_and", "bitwise_or", "bitwise_xor", "logical_and", "logical_or", "logical_xor"}


def _scalar_of(name: str, data: torch.Tensor, a: NpScalarAttrs):
    s = weak_scalar(a)
    if name in _BOOL_KEEPING and data.dtype == torch.bool and isinstance(s, int) and s in (0, 1):
        return bool(s)  # mask & True stays a mask
    return s


def _check_int_power(data: torch.Tensor, s, name: str):
    if isinstance(s, int) and s < 0 and not data.dtype.is_floating_point:
        raise GluonicValueError(f"Operator {name}: integers to negative integer powers are not allowed (NumPy's "
                                f"rule); use a float exponent. Received: exponent {s} for a "
                                f"{str(data.dtype).replace('torch.', '')} array")


def _define(name: str, kernel, commutative: bool) -> None:
    def binary(lhs, rhs):
        r = kernel(lhs, rhs)
        # uint8 ∘ int8 promotes to int16, which MXNet (and gluonic) has not: widen to int32
        return r.to(torch.int32) if r.dtype == torch.int16 else r

    binary.__name__ = f"np_{name}"
    binary.__doc__ = (f"``np.{name}`` of two arrays with NumPy broadcasting and type promotion.\n\n"
                      "Shapes: ``lhs`` and ``rhs`` broadcastable → their broadcast shape.")
    register(f"_npi_{name}", batch=_ELEMWISE)(binary)

    def scalar(data, *, a: NpScalarAttrs):
        s = _scalar_of(name, data, a)
        if name == "power":
            _check_int_power(data, s, "_npi_power_scalar")
        return kernel(data, s)

    scalar.__name__ = f"np_{name}_scalar"
    scalar.__doc__ = f"``np.{name}(data, scalar)``; the scalar is weak (keeps the array's dtype where it fits)."
    register(f"_npi_{name}_scalar", attrs=NpScalarAttrs, batch=_ELEMWISE)(scalar)
    if commutative or name in MIRRORED:
        return

    def rscalar(data, *, a: NpScalarAttrs):
        return kernel(_scalar_of(name, data, a), data)

    rscalar.__name__ = f"np_r{name}_scalar"
    rscalar.__doc__ = f"``np.{name}(scalar, data)``: the reflected scalar form."
    register(f"_npi_r{name}_scalar", attrs=NpScalarAttrs, batch=_ELEMWISE)(rscalar)


for _name, (_kernel, _commutative) in _BINARY.items():
    _define(_name, _kernel, _commutative)


from . import np_elemwise_unary  # noqa: E402,F401  (unary functions, where, clip, around, isclose)
