"""Elementwise unary math operators, with MXNet 1.9's semantics.

Shapes: ``data`` (…) → the same shape. Dtypes:

- floating inputs (float16/32/64, bfloat16) keep their dtype;
- integer inputs keep theirs too, as in MXNet: transcendental functions are evaluated
  in floating point and truncated toward zero (``exp`` of int32 ``[1, 3]`` is ``[2, 20]``),
  while ``abs``, ``sign``, ``negative``, ``square``, ``relu`` and the rounding functions
  are exact. Results outside the int32 range, NaN and inf have no integer value; like
  MXNet on x86 they become ``-2**31`` (0 in int8/uint8; ``log(0)`` on int32 gives
  ``-2147483648``), which other platforms may not reproduce;
- bool inputs are rejected with a clear error (MXNet rejects them too), except by
  ``logical_not``, which returns bool.

Gradients follow MXNet: ``abs``, ``sign``, ``relu`` have gradient 0 at 0; rounding
functions have gradient 0; ``sqrt``/``cbrt`` have an infinite gradient at 0.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ..base import GluonicTypeError
from .attrs import Attrs
from .registry import BatchRule, register

_ELEMWISE = BatchRule(axis=0)
_F64 = torch.float64


def reject_bool(name: str, x: torch.Tensor) -> None:
    """Raise the error MXNet users expect when a math op receives a bool array."""
    if x.dtype == torch.bool:
        raise GluonicTypeError(
            f"Operator {name}: bool input is not supported; cast it first, e.g. x.astype('float32'). "
            "Received: data of dtype bool"
        )


def zero_grad_function(fn: Callable[[torch.Tensor], torch.Tensor], name: str) -> type[torch.autograd.Function]:
    """A torch Function computing ``fn(x)`` whose gradient is zeros (not None).

    MXNet's non-differentiable ops (``BlockGrad``, ``zeros_like``, ``logical_not``) stay in
    the recorded graph and write zeros into their input's gradient; ``y.backward()`` on
    their output works. ``fn`` must keep the input's shape and dtype.
    """

    def forward(ctx, x):
        return fn(x)

    def backward(ctx, g):
        return torch.zeros_like(g)

    return type(name, (torch.autograd.Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def with_zero_grad(function: type[torch.autograd.Function], fn: Callable, x: torch.Tensor) -> torch.Tensor:
    """``fn(x)``, recorded through ``function`` (zero gradient) only when autograd needs it."""
    if x.requires_grad and torch.is_grad_enabled():
        return function.apply(x)
    return fn(x)


def to_int(y: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Floating results into an integer dtype the way MXNet's C casts do on x86: truncation,
    narrow types through int32 (out of range: ``-2**31``, whose low bits are 0 for int8/uint8)."""
    if dtype == torch.int64:
        return y.to(dtype)
    return y.to(torch.int32).to(dtype)


# --------------------------------------------------------------------- special functions
def _round_half_away(x: torch.Tensor) -> torch.Tensor:
    t = torch.trunc(x)
    return t + torch.sign(x) * (torch.abs(x - t) >= 0.5)  # x - trunc(x) is exact


def _rint_ties_down(x: torch.Tensor) -> torch.Tensor:
    f, c = torch.floor(x), torch.ceil(x)
    return torch.where(x - f <= c - x, f, c)


def _cbrt_value(x: torch.Tensor) -> torch.Tensor:
    xd = x.to(_F64)
    y = torch.copysign(torch.abs(xd).pow(1.0 / 3.0), xd)  # keeps -0.0: rcbrt(-0.0) = -inf
    y2 = y * y
    ok = (y2 > 0) & torch.isfinite(y2)
    y = y - torch.where(ok, (y2 * y - xd) / torch.where(ok, 3 * y2, 1.0), 0.0)  # one Newton step: 64 -> 4.0 exactly
    return y.to(x.dtype)


class _Cbrt(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = _cbrt_value(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g / (3 * y * y)


def _cbrt(x: torch.Tensor) -> torch.Tensor:
    if x.requires_grad and torch.is_grad_enabled():
        return _Cbrt.apply(x)
    return _cbrt_value(x)


_FACTORIALS = torch.tensor([float(math.factorial(n)) for n in range(171)], dtype=_F64)  # gamma(1..171)


def _gamma(x: torch.Tensor) -> torch.Tensor:
    """Gamma via ``exp(lgamma)`` in float64 with the sign restored.

    Exact at positive integers (``gamma(6) = 120``, so integer inputs truncate right),
    NaN at negative integers, ``±inf`` at ``±0``.
    """
    xd = x.to(_F64)
    fl = torch.floor(xd)
    y = torch.exp(torch.lgamma(xd))
    whole = (xd > 0) & (xd == fl) & (xd <= len(_FACTORIALS))
    exact = _FACTORIALS.to(xd.device)[torch.where(whole, xd, 1.0).long() - 1]
    y = y + torch.where(whole, exact - y, 0.0).detach()  # exact values at 1, 2, ...; gradient unchanged
    y = torch.where((xd < 0) & (torch.remainder(fl, 2) == 1), -y, y)
    y = torch.where((xd < 0) & (xd == fl), math.nan, y)
    y = torch.where(xd == 0, 1 / xd, y)
    return y.to(x.dtype)


# ----------------------------------------------------------------------------- the table
_ROUNDING = {"round", "rint", "floor", "ceil", "trunc", "fix"}

# name: (float function, exact integer function or None for "compute in float, truncate",
#        one-line summary, example)
_UNARY: dict[str, tuple] = {
    "abs": (torch.abs, torch.abs, "absolute value", "abs([-2, 0, 3]) = [2, 0, 3]"),
    "sign": (torch.sign, torch.sign, "sign (-1, 0 or 1; 0 for NaN, as MXNet)", "sign([-2, 0, 3]) = [-1, 0, 1]"),
    "round": (_round_half_away, torch.clone, "rounding to the nearest integer, halves away from zero",
              "round([-2.5, -1.5, 0.4, 1.5, 2.5]) = [-3, -2, 0, 2, 3]"),
    "rint": (_rint_ties_down, torch.clone,
             "rounding to the nearest integer; MXNet's rint sends halves down (toward -inf), not to even",
             "rint([-2.5, -1.5, 0.5, 1.5, 2.5]) = [-3, -2, 0, 1, 2]"),
    "floor": (torch.floor, torch.clone, "floor", "floor([-2.1, 1.9]) = [-3, 1]"),
    "ceil": (torch.ceil, torch.clone, "ceiling", "ceil([-2.1, 1.9]) = [-2, 2]"),
    "trunc": (torch.trunc, torch.clone, "truncation toward zero", "trunc([-2.1, 1.9]) = [-2, 1]"),
    "fix": (torch.trunc, torch.clone, "rounding toward zero", "fix([-2.1, -1.9, 1.9, 2.1]) = [-2, -1, 1, 2]"),
    "exp": (torch.exp, None, "exponential", "exp([0, 1]) = [1, 2.7182817]"),
    "log": (torch.log, None, "natural logarithm", "log([1, e]) = [0, 1]"),
    "log10": (torch.log10, None, "base-10 logarithm", "log10([1, 100]) = [0, 2]"),
    "log2": (torch.log2, None, "base-2 logarithm", "log2([1, 8]) = [0, 3]"),
    "log1p": (torch.log1p, None, "log(1 + x), accurate near 0", "log1p([0, 1e-8]) = [0, 1e-8]"),
    "expm1": (torch.expm1, None, "exp(x) - 1, accurate near 0", "expm1([0, 1e-8]) = [0, 1e-8]"),
    "sqrt": (torch.sqrt, None, "square root", "sqrt([4, 9]) = [2, 3]"),
    "rsqrt": (torch.rsqrt, None, "inverse square root 1/sqrt(x)", "rsqrt([4, 16]) = [0.5, 0.25]"),
    "cbrt": (_cbrt, None, "cube root (negative inputs allowed)", "cbrt([1, 8, -125]) = [1, 2, -5]"),
    "rcbrt": (lambda x: torch.reciprocal(_cbrt(x)), None, "inverse cube root 1/cbrt(x)",
              "rcbrt([1, 8, -125]) = [1, 0.5, -0.2]"),
    "square": (torch.square, torch.square, "square", "square([2, -3]) = [4, 9]"),
    "reciprocal": (torch.reciprocal, None, "reciprocal 1/x", "reciprocal([-2, 0.2]) = [-0.5, 5]"),
    "negative": (torch.neg, torch.neg, "negation", "negative([1, -2]) = [-1, 2]"),
    "sin": (torch.sin, None, "sine (radians)", "sin([0, pi/2]) = [0, 1]"),
    "cos": (torch.cos, None, "cosine (radians)", "cos([0, pi]) = [1, -1]"),
    "tan": (torch.tan, None, "tangent (radians)", "tan([0, pi/4]) = [0, 1]"),
    "arcsin": (torch.asin, None, "inverse sine, in [-pi/2, pi/2]", "arcsin([0, 1]) = [0, 1.5707964]"),
    "arccos": (torch.acos, None, "inverse cosine, in [0, pi]", "arccos([1, 0]) = [0, 1.5707964]"),
    "arctan": (torch.atan, None, "inverse tangent, in (-pi/2, pi/2)", "arctan([0, 1]) = [0, 0.7853982]"),
    "sinh": (torch.sinh, None, "hyperbolic sine", "sinh([0]) = [0]"),
    "cosh": (torch.cosh, None, "hyperbolic cosine", "cosh([0]) = [1]"),
    "tanh": (torch.tanh, None, "hyperbolic tangent", "tanh([0]) = [0]"),
    "arcsinh": (torch.asinh, None, "inverse hyperbolic sine", "arcsinh([0]) = [0]"),
    "arccosh": (torch.acosh, None, "inverse hyperbolic cosine", "arccosh([1]) = [0]"),
    "arctanh": (torch.atanh, None, "inverse hyperbolic tangent", "arctanh([0]) = [0]"),
    "degrees": (torch.rad2deg, None, "conversion from radians to degrees", "degrees([pi]) = [180]"),
    "radians": (torch.deg2rad, None, "conversion from degrees to radians", "radians([180]) = [3.1415927]"),
    "sigmoid": (torch.sigmoid, None, "logistic sigmoid 1 / (1 + exp(-x))", "sigmoid([0]) = [0.5]"),
    "relu": (torch.relu, torch.relu, "rectified linear unit max(x, 0)", "relu([-1, 0, 2]) = [0, 0, 2]"),
    "softsign": (torch.nn.functional.softsign, None, "softsign x / (1 + |x|)", "softsign([-1, 3]) = [-0.5, 0.75]"),
    "erf": (torch.erf, None, "Gauss error function", "erf([0, 1]) = [0, 0.8427008]"),
    "erfinv": (torch.erfinv, None, "inverse Gauss error function", "erfinv([0, 0.5, -1]) = [0, 0.4769363, -inf]"),
    "gamma": (_gamma, None, "gamma function (NaN at negative integers, inf at 0)", "gamma([1, 5, 0.5]) = [1, 24, 1.7724539]"),
    "gammaln": (torch.lgamma, None, "log of the absolute value of the gamma function", "gammaln([1, 5]) = [0, 3.1780539]"),
}


def _def_unary(name: str, fn, int_fn, summary: str, example: str) -> None:
    def impl(data):
        if data.dtype.is_floating_point:
            return fn(data)
        reject_bool(name, data)
        if int_fn is not None:
            return int_fn(data)
        return to_int(fn(data.to(_F64)), data.dtype)

    impl.__name__ = name
    impl.__doc__ = (
        f"Elementwise {summary}.\n\n"
        "Shapes: ``data`` (…) → the same shape and dtype (integer inputs: see the module notes).\n\n"
        f"Example: ``{example}``"
    )
    register(name, batch=_ELEMWISE)(impl)


for _name, (_fn, _int_fn, _summary, _example) in _UNARY.items():
    _def_unary(_name, _fn, _int_fn, _summary, _example)


# ------------------------------------------------------------------ ops with attributes
class HardSigmoidAttrs(Attrs):
    alpha: float = 0.2
    beta: float = 0.5


@register("hard_sigmoid", attrs=HardSigmoidAttrs, batch=_ELEMWISE)
def hard_sigmoid(data, *, a: HardSigmoidAttrs):
    """Elementwise hard sigmoid ``max(0, min(1, alpha * x + beta))``.

    The gradient is ``alpha`` strictly inside (0, 1) and 0 at and beyond the kinks (MXNet).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``hard_sigmoid([-3, 0, 1, 3]) = [0, 0.5, 0.7, 1]``
    """
    reject_bool("hard_sigmoid", data)
    x = data if data.dtype.is_floating_point else data.to(_F64)
    y = x * a.alpha + a.beta
    zero = torch.zeros((), dtype=x.dtype, device=x.device)
    out = torch.where(y <= 0, zero, torch.where(y >= 1, zero + 1, y))  # NaN passes through
    return out if data.dtype.is_floating_point else to_int(out, data.dtype)


def _is_zero(x: torch.Tensor) -> torch.Tensor:
    return (x == 0).to(x.dtype)


_NOT = zero_grad_function(_is_zero, "_LogicalNot")


@register("logical_not", batch=_ELEMWISE)
def logical_not(data):
    """Elementwise logical NOT: 1 where ``data`` is 0, else 0, in ``data``'s dtype (bool stays bool).

    Non-differentiable: the input's gradient is 0, as in MXNet.

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``logical_not([-2., 0., 1.]) = [0., 1., 0.]``
    """
    if data.dtype == torch.bool:
        return torch.logical_not(data)
    return with_zero_grad(_NOT, _is_zero, data)
