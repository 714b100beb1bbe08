"""Miscellaneous elementwise operators: clip, where, Cast, copies, gradient control, ``*_like``.

Shapes: every op maps ``data`` (…) to the same shape (``where``: see its docstring).
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs, DType
from .registry import BatchRule, register
from .unary import reject_bool, to_int, with_zero_grad, zero_grad_function

_ELEMWISE = BatchRule(axis=0)


# ---------------------------------------------------------------------------------- clip
class ClipAttrs(Attrs):
    a_min: float
    a_max: float


def _int_bound(v: float, dtype: torch.dtype) -> int:
    info = torch.iinfo(dtype)
    if v <= info.min:
        return info.min
    if v >= info.max:
        return info.max
    return int(v)  # truncation, as MXNet's cast of the bound


@register("clip", attrs=ClipAttrs, batch=_ELEMWISE)
def clip(data, *, a: ClipAttrs):
    """Clip (limit) the values of ``data`` to ``[a_min, a_max]``.

    The gradient passes where ``a_min <= x <= a_max`` (bounds included) and is 0 outside,
    as in MXNet. On integer arrays the bounds are truncated toward zero. NaN stays NaN.
    When ``a_min > a_max``, MXNet's rule applies: ``x > a_max`` gives ``a_max``, else
    ``x < a_min`` gives ``a_min``.

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``clip([0, 1, 2, 3, 9], 1, 8) = [1, 1, 2, 3, 8]``
    """
    reject_bool("clip", data)
    lo, hi = a.a_min, a.a_max
    if not data.dtype.is_floating_point:
        if math.isnan(lo) or math.isnan(hi):
            raise GluonicValueError(f"Operator clip: bounds must be numbers for integer arrays. Received: a_min={lo}, a_max={hi}")
        lo, hi = _int_bound(lo, data.dtype), _int_bound(hi, data.dtype)
    if lo > hi:
        return torch.where(data > hi, hi, torch.where(data < lo, lo, data))
    return torch.clamp(data, lo, hi)


# --------------------------------------------------------------------------------- where
@register("where", batch=_ELEMWISE)
def where(condition, x, y):
    """Elements of ``x`` where ``condition`` is nonzero, else of ``y``.

    ``x`` and ``y`` must have the same shape and dtype. ``condition`` (any dtype, bool
    included; NaN counts as true) has the same shape as ``x``, or is 1-D of length
    ``x.shape[0]`` and then selects whole rows. The condition gets a zero gradient.

    Shapes: ``condition`` (…) or (N,), ``x`` (N, …), ``y`` (N, …) → (N, …).

    Example: ``where([[0, 1], [-1, 0]], [[1, 2], [3, 4]], [[5, 6], [7, 8]]) = [[5, 2], [3, 8]]``
    """
    if x.shape != y.shape:
        raise GluonicValueError(
            f"Operator where: x and y must have the same shape. Received: x{tuple(x.shape)}, y{tuple(y.shape)}"
        )
    if x.dtype != y.dtype:
        raise GluonicTypeError(
            "Operator where: x and y must have the same dtype; cast one with astype. "
            f"Received: x {str(x.dtype)[6:]}, y {str(y.dtype)[6:]}"
        )
    mask = condition if condition.dtype == torch.bool else condition != 0
    if condition.shape != x.shape:
        if condition.dim() != 1 or x.dim() < 1 or condition.shape[0] != x.shape[0]:
            raise GluonicValueError(
                "Operator where: condition must have the shape of x, or be 1-D with x.shape[0] elements. "
                f"Received: condition{tuple(condition.shape)}, x{tuple(x.shape)}"
            )
        mask = mask.reshape((-1,) + (1,) * (x.dim() - 1))
    return torch.where(mask, x, y)


# ---------------------------------------------------------------------------------- Cast
class CastAttrs(Attrs):
    dtype: DType


@register("Cast", attrs=CastAttrs, aliases=("cast",), batch=_ELEMWISE)
def cast(data, *, a: CastAttrs):
    """Cast ``data`` to ``dtype`` (always a new array).

    Floats become integers by truncation toward zero; out-of-range values wrap like C
    casts (``-1 -> 255`` for uint8); nonzero becomes True for bool. The gradient
    is cast back to the input's dtype.

    Shapes: ``data`` (…) → the same shape, dtype ``dtype``.

    Example: ``cast([0.9, 1.3, -1], dtype='int32') = [0, 1, -1]``
    """
    dtype = _dtype.to_torch(a.dtype)
    if data.dtype.is_floating_point and not dtype.is_floating_point and dtype != torch.bool:
        return to_int(data, dtype)
    return data.to(dtype, copy=True)


# ------------------------------------------------------------------- copies and gradients
@register("_copy", aliases=("identity",), batch=_ELEMWISE)
def copy(data):
    """A copy of ``data`` (gradient: identity).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``identity([1, 2]) = [1, 2]``
    """
    return data.clone()


@register("_copyto", batch=_ELEMWISE)
def copyto(data):
    """A copy of ``data``; with ``out=`` given, the copy lands in ``out`` (on its context).

    Shapes: ``data`` (…) → the same shape and dtype.
    """
    return data.clone()


_BLOCK = zero_grad_function(torch.clone, "_BlockGrad")


@register("BlockGrad", aliases=("stop_gradient",), batch=_ELEMWISE)
def block_grad(data):
    """A copy of ``data`` through which no gradient flows (the input's gradient is 0).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``stop_gradient(3 * b) + a`` differentiates to 1 for ``a`` and 0 for ``b``.
    """
    return with_zero_grad(_BLOCK, torch.clone, data)


_ZEROS = zero_grad_function(torch.zeros_like, "_ZerosLike")
_ONES = zero_grad_function(torch.ones_like, "_OnesLike")


@register("zeros_like", batch=_ELEMWISE)
def zeros_like(data):
    """An array of zeros with the shape and dtype of ``data`` (zero gradient).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``zeros_like([[1, 1, 1]]) = [[0, 0, 0]]``
    """
    return with_zero_grad(_ZEROS, torch.zeros_like, data)


@register("ones_like", batch=_ELEMWISE)
def ones_like(data):
    """An array of ones with the shape and dtype of ``data`` (zero gradient).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``ones_like([[0, 0, 0]]) = [[1, 1, 1]]``
    """
    return with_zero_grad(_ONES, torch.ones_like, data)


# ------------------------------------------------------------------------------ losses
class _LossGrad(torch.autograd.Function):
    """Identity forward; backward ignores the incoming gradient and returns a constant."""

    @staticmethod
    def forward(ctx, x, scale: float, normalization: str, valid_thresh: float):
        ctx.scale, ctx.normalization, ctx.valid_thresh = scale, normalization, valid_thresh
        if normalization == "valid":
            ctx.save_for_backward(x)
        ctx.batch = x.shape[0] if x.dim() > 0 else 1
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        grad = torch.full_like(g, ctx.scale)
        if ctx.normalization == "batch":
            grad = grad / max(ctx.batch, 1)
        elif ctx.normalization == "valid":
            (x,) = ctx.saved_tensors
            grad = grad / (x > ctx.valid_thresh).sum().clamp(min=1).to(g.dtype)
        return grad, None, None, None


def _loss(data, scale: float, normalization: str, valid_thresh: float):
    if data.requires_grad and torch.is_grad_enabled():
        return _LossGrad.apply(data, scale, normalization, valid_thresh)
    return data.clone()


@register("make_loss", batch=_ELEMWISE)
def make_loss(data):
    """Mark ``data`` as a loss: forward is the identity, backward sends ones to ``data``.

    The gradient arriving from above is ignored (``data`` is a terminal loss).

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``make_loss(cross_entropy)`` as the head of a symbolic training graph.
    """
    return _loss(data, 1.0, "null", 0.0)


class MakeLossAttrs(Attrs):
    grad_scale: float = 1.0
    valid_thresh: float = 0.0
    normalization: Literal["null", "batch", "valid"] = "null"


@register("MakeLoss", attrs=MakeLossAttrs)
def make_loss_legacy(data, *, a: MakeLossAttrs):
    """Mark ``data`` as a loss (legacy form with gradient scaling).

    Forward is the identity. Backward ignores the gradient from above and sends
    ``grad_scale`` to every element, divided by ``data.shape[0]`` for
    ``normalization='batch'``, or by the number of elements ``> valid_thresh``
    (at least 1) for ``normalization='valid'``. Floating-point inputs only.

    Shapes: ``data`` (…) → the same shape and dtype.

    Example: ``MakeLoss(x, grad_scale=2.0)`` gives ``x.grad`` filled with 2.
    """
    if not data.dtype.is_floating_point:
        raise GluonicTypeError(
            f"Operator MakeLoss: the loss must be floating point. Received: data of dtype {str(data.dtype)[6:]}"
        )
    return _loss(data, a.grad_scale, a.normalization, a.valid_thresh)
