"""Binary arithmetic and comparison operators, with MXNet 1.9's dtype rules.

- ``broadcast_*`` ops broadcast NumPy-style; ``elemwise_*`` require equal shapes.
- ``_*_scalar`` ops (what ``x + 1`` runs) keep the array's dtype: the scalar is first
  cast to that dtype (``int32 + 1.5`` adds 1), integer division truncates, ``%`` takes
  the sign of the divisor, and integer powers with negative exponents give 0 or ±1
  like C integer arithmetic.
- Comparisons and logical ops return 0/1 in the input's dtype, not booleans.
"""
from __future__ import annotations

import torch

from ..base import GluonicValueError
from .attrs import Attrs
from .registry import BatchRule, register

_ELEMWISE = BatchRule(axis=0)


class ScalarAttrs(Attrs):
    scalar: float = 1.0
    is_int: bool = True


def _cast_scalar(x: torch.Tensor, s: float):
    """The scalar as MXNet sees it: converted to the array's dtype."""
    if x.dtype.is_floating_point:
        return float(s)
    if x.dtype == torch.bool:
        return bool(s)
    return int(s)


def _int_pow(base: torch.Tensor, exp: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return torch.pow(base.double(), exp.double()).trunc().to(dtype)


def _div(lhs: torch.Tensor, rhs):
    if lhs.dtype.is_floating_point or (isinstance(rhs, torch.Tensor) and rhs.dtype.is_floating_point):
        return torch.div(lhs, rhs)
    return torch.div(lhs, rhs, rounding_mode="trunc")


def _pow(lhs: torch.Tensor, rhs):
    if lhs.dtype.is_floating_point or lhs.dtype == torch.bool:
        return torch.pow(lhs, rhs)
    r = rhs if isinstance(rhs, torch.Tensor) else torch.tensor(rhs, device=lhs.device)
    return _int_pow(lhs, r, torch.promote_types(lhs.dtype, r.dtype))


def _same_dtype(fn):
    def compare(lhs, rhs):
        return fn(lhs, rhs).to(lhs.dtype)

    return compare


_BINARY = {
    "add": (torch.add, ("elemwise_add", "_add", "_plus", "_Plus")),
    "sub": (torch.sub, ("elemwise_sub", "_sub", "_minus", "_Minus")),
    "mul": (torch.mul, ("elemwise_mul", "_mul", "_Mul")),
    "div": (_div, ("elemwise_div", "_div", "_Div")),
    "mod": (torch.remainder, ("_mod", "_Mod")),
    "power": (_pow, ("_power", "_Power")),
    "maximum": (torch.maximum, ("_maximum", "_Maximum")),
    "minimum": (torch.minimum, ("_minimum", "_Minimum")),
    "hypot": (torch.hypot, ("_hypot", "_Hypot")),
    "equal": (_same_dtype(torch.eq), ("_equal",)),
    "not_equal": (_same_dtype(torch.ne), ("_not_equal",)),
    "greater": (_same_dtype(torch.gt), ("_greater",)),
    "greater_equal": (_same_dtype(torch.ge), ("_greater_equal",)),
    "lesser": (_same_dtype(torch.lt), ("_lesser",)),
    "lesser_equal": (_same_dtype(torch.le), ("_lesser_equal",)),
    "logical_and": (_same_dtype(torch.logical_and), ("_logical_and",)),
    "logical_or": (_same_dtype(torch.logical_or), ("_logical_or",)),
    "logical_xor": (_same_dtype(torch.logical_xor), ("_logical_xor",)),
}


def _def_broadcast(suffix, fn):
    def impl(lhs, rhs):
        return fn(lhs, rhs)

    impl.__doc__ = (
        f"Elementwise ``{suffix}`` of two arrays with NumPy-style broadcasting.\n\n"
        "Shapes: ``lhs`` (…), ``rhs`` (…) broadcastable → broadcast shape."
    )
    register(f"broadcast_{suffix}", batch=_ELEMWISE)(impl)


def _def_elemwise(suffix, fn, names):
    def impl(lhs, rhs):
        if lhs.shape != rhs.shape:
            raise GluonicValueError(
                f"Operator {names[0]}: both inputs must have the same shape (use broadcast_{suffix} "
                f"to broadcast). Received: lhs{tuple(lhs.shape)}, rhs{tuple(rhs.shape)}"
            )
        return fn(lhs, rhs)

    impl.__doc__ = f"Elementwise ``{suffix}`` of two arrays of the same shape."
    register(names[0], aliases=names[1:], batch=_ELEMWISE)(impl)


for _suffix, (_fn, _names) in _BINARY.items():
    _def_broadcast(_suffix, _fn)
    _def_elemwise(_suffix, _fn, _names)


_SCALAR = {
    "_plus_scalar": (lambda x, s: x + s, ("_PlusScalar",)),
    "_minus_scalar": (lambda x, s: x - s, ("_MinusScalar",)),
    "_rminus_scalar": (lambda x, s: s - x, ("_RMinusScalar",)),
    "_mul_scalar": (lambda x, s: x * s, ("_MulScalar",)),
    "_div_scalar": (lambda x, s: _div(x, s), ("_DivScalar",)),
    "_rdiv_scalar": (lambda x, s: _div(torch.full_like(x, s), x), ("_RDivScalar",)),
    "_mod_scalar": (lambda x, s: torch.remainder(x, s), ("_ModScalar",)),
    "_rmod_scalar": (lambda x, s: torch.remainder(torch.full_like(x, s), x), ("_RModScalar",)),
    "_power_scalar": (lambda x, s: _pow(x, s), ("_PowerScalar",)),
    "_rpower_scalar": (lambda x, s: _pow(torch.full_like(x, s), x), ("_RPowerScalar",)),
    "_maximum_scalar": (lambda x, s: torch.clamp(x, min=s), ("_MaximumScalar",)),
    "_minimum_scalar": (lambda x, s: torch.clamp(x, max=s), ("_MinimumScalar",)),
    "_hypot_scalar": (lambda x, s: torch.hypot(x, torch.full_like(x, s)), ("_HypotScalar",)),
    "_equal_scalar": (lambda x, s: (x == s).to(x.dtype), ("_EqualScalar",)),
    "_not_equal_scalar": (lambda x, s: (x != s).to(x.dtype), ("_NotEqualScalar",)),
    "_greater_scalar": (lambda x, s: (x > s).to(x.dtype), ("_GreaterScalar",)),
    "_greater_equal_scalar": (lambda x, s: (x >= s).to(x.dtype), ("_GreaterEqualScalar",)),
    "_lesser_scalar": (lambda x, s: (x < s).to(x.dtype), ("_LesserScalar",)),
    "_lesser_equal_scalar": (lambda x, s: (x <= s).to(x.dtype), ("_LesserEqualScalar",)),
    "_logical_and_scalar": (lambda x, s: torch.logical_and(x, torch.tensor(s)).to(x.dtype), ()),
    "_logical_or_scalar": (lambda x, s: torch.logical_or(x, torch.tensor(s)).to(x.dtype), ()),
    "_logical_xor_scalar": (lambda x, s: torch.logical_xor(x, torch.tensor(s)).to(x.dtype), ()),
}


def _def_scalar(name, fn, aliases):
    def impl(data, *, a: ScalarAttrs):
        return fn(data, _cast_scalar(data, a.scalar))

    impl.__doc__ = f"``{name}``: elementwise operation of an array with a scalar, keeping the array's dtype."
    register(name, attrs=ScalarAttrs, aliases=aliases, batch=_ELEMWISE)(impl)


for _name, (_fn, _aliases) in _SCALAR.items():
    _def_scalar(_name, _fn, _aliases)
