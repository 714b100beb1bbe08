"""Normalization operators: BatchNorm, LayerNorm, InstanceNorm, GroupNorm, L2Normalization, LRN.

MXNet 1.9 semantics, checked against MXNet 1.9.1:

- Variances are biased (divided by the count, not count - 1), and ``eps`` is added to the
  variance before the square root.
- ``BatchNorm`` in training mode (``autograd.record()`` or ``autograd.train_mode()``) and
  without ``use_global_stats`` normalizes with the batch statistics and updates its aux
  states in place: ``moving = moving * momentum + batch_stat * (1 - momentum)``, with the
  biased batch variance (as MXNet's CPU kernel). With ``output_mean_var`` its extra
  outputs are the mean and the *inverse* standard deviation ``1 / sqrt(var + eps)``.
- ``LayerNorm`` and ``GroupNorm`` with ``output_mean_var`` return the mean and the standard
  deviation ``sqrt(var + eps)``; ``GroupNorm``'s gamma and beta have one value per group.
- Half-precision data (float16, bfloat16) is normalized with float32 statistics.

gluonic differentiates the ``mean``/``var``/``std`` outputs; MXNet silently gives them
no gradient.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Literal

import torch
import torch.nn.functional as F

from .. import _dtype
from .._state import is_training
from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs
from .registry import BatchRule, register

_HALF = (torch.float16, torch.bfloat16)
_PER_SAMPLE = BatchRule(axis=0, unbatched=(1, 2))


def _three_if_mean_var(a) -> int:
    return 3 if a.output_mean_var else 1


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _check_floating(op: str, data: torch.Tensor) -> None:
    if not data.dtype.is_floating_point:
        raise GluonicTypeError(
            f"Operator {op}: data must be a floating-point array (float16, bfloat16, float32, float64). "
            f"Received: data{_shape(data)} {str(data.dtype).replace('torch.', '')}"
        )


def _check_ndim(op: str, data: torch.Tensor, least: int, why: str) -> None:
    if data.ndim < least:
        raise GluonicValueError(f"Operator {op}: {why} needs data with at least {least} dimensions. "
                                f"Received: data{_shape(data)}")


def _norm_axis(op: str, axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise GluonicValueError(f"Operator {op}: axis {axis} is out of range for data with {ndim} dimension(s). "
                                f"Received: axis={axis}")
    return axis % ndim


def _check_params(op: str, data: torch.Tensor, size: int, what: str, **params: torch.Tensor) -> None:
    """Every named parameter must be a vector of ``size`` elements (one per ``what``)."""
    for name, t in params.items():
        if _shape(t) != (size,):
            raise GluonicValueError(
                f"Operator {op}: {name} must have shape ({size},), one value per {what}. "
                f"Received: data{_shape(data)}, {name}{_shape(t)}"
            )


def _stat_dtype(data: torch.Tensor) -> torch.dtype:
    return torch.float32 if data.dtype in _HALF else data.dtype


def _moments(x: torch.Tensor, dims, eps: float):
    """Biased mean and ``sqrt(var + eps)`` over ``dims`` (kept), in float32 for half types."""
    var, mean = torch.var_mean(x.to(_stat_dtype(x)), dim=dims, correction=0, keepdim=True)
    return mean, torch.sqrt(var + eps)


def _at_axis(v: torch.Tensor, ndim: int, axis: int) -> torch.Tensor:
    """View a vector so that it broadcasts along ``axis`` of an ``ndim``-dimensional array."""
    return v.reshape((-1,) + (1,) * (ndim - axis - 1))


# --------------------------------------------------------------------------- BatchNorm
class BatchNormAttrs(Attrs):
    eps: float = 1e-3
    momentum: float = 0.9
    fix_gamma: bool = True
    use_global_stats: bool = False
    output_mean_var: bool = False
    axis: int = 1
    cudnn_off: bool = False
    min_calib_range: float | None = None
    max_calib_range: float | None = None


def _ones_like_with_zero_grad(gamma: torch.Tensor) -> torch.Tensor:
    """Ones in gamma's place; gamma still receives a (zero) gradient, as in MXNet."""
    if gamma.requires_grad:
        return torch.where(torch.ones_like(gamma, dtype=torch.bool), 1.0, gamma)
    return torch.ones_like(gamma)


def _batch_norm_shapes(shapes, dtypes, a: BatchNormAttrs):
    """BatchNorm's output shapes and dtypes: the checks of the kernel without running it (torch's meta
    decomposition of batch_norm costs ~15 ms per node, which made inference on big graphs slow)."""
    data, gamma, beta, mean, var = (None if s is None else torch.empty(tuple(s), dtype=_dtype.to_torch(d),
                                                                        device="meta")
                                    for s, d in zip(shapes, dtypes))
    _check_floating("BatchNorm", data)
    axis = _norm_axis("BatchNorm", a.axis, data.ndim)
    _check_params("BatchNorm", data, data.shape[axis], f"channel (data's axis {a.axis})", gamma=gamma,
                  beta=beta, moving_mean=mean, moving_var=var)
    out = [(tuple(data.shape), _dtype.from_torch(data.dtype))]
    if a.output_mean_var:
        out += [((data.shape[axis],), _dtype.from_torch(mean.dtype)), ((data.shape[axis],), _dtype.from_torch(var.dtype))]
    return out


@register("BatchNorm", attrs=BatchNormAttrs, aliases=("batch_norm", "_npx_batch_norm"),
          aux=("moving_mean", "moving_var"), num_outputs=_three_if_mean_var,
          output_names=("output", "mean", "var"), shape_rule=_batch_norm_shapes)
def batch_norm(data, gamma, beta, moving_mean, moving_var, *, a: BatchNormAttrs):
    """Batch normalization over every axis but the channel ``axis``.

    Training mode (and not ``use_global_stats``): ``out = (x - mean) / sqrt(var + eps) * gamma + beta``
    with the batch's mean and biased variance, and ``moving_mean``/``moving_var`` updated in
    place, ``moving = moving * momentum + batch_stat * (1 - momentum)``. Otherwise the moving
    statistics are used and nothing is updated. ``fix_gamma=True`` uses 1 for gamma (whose
    gradient is then 0).

    The update happens in the training-mode forward pass, as MXNet's cuDNN kernel does (its
    CPU kernel defers it to the backward pass, so there a training-mode forward without
    backward leaves the moving statistics unchanged). ``cudnn_off``, ``min_calib_range`` and
    ``max_calib_range`` are accepted and ignored.

    Shapes: ``data`` (d0, …, C at ``axis``, …); ``gamma``, ``beta``, ``moving_mean``,
    ``moving_var`` (C,) → ``output`` like data; with ``output_mean_var`` also ``mean`` (C,)
    and ``var`` (C,), which holds the inverse standard deviation ``1 / sqrt(var + eps)``.
    Half-precision data takes float32 parameters and statistics.

    Example: ``nd.BatchNorm(x, gamma, beta, mean, var, fix_gamma=False)`` for x of shape (N, C, H, W).
    """
    _check_floating("BatchNorm", data)
    axis = _norm_axis("BatchNorm", a.axis, data.ndim)
    shape = _shape(data)
    channels = shape[axis]
    _check_params("BatchNorm", data, channels, f"channel (data's axis {a.axis})", gamma=gamma, beta=beta,
                  moving_mean=moving_mean, moving_var=moving_var)
    if axis == 1:  # (N, C, …) as torch lays it out; no reshape keeps channels-last memory formats
        x = data
    else:
        x = data.reshape(math.prod(shape[:axis]), channels, math.prod(shape[axis + 1:]))
    pdt = _stat_dtype(data)
    g = (_ones_like_with_zero_grad(gamma) if a.fix_gamma else gamma).to(pdt)
    b = beta.to(pdt)
    if is_training() and not a.use_global_stats:
        out, mean, invstd = torch.native_batch_norm(x, g, b, None, None, True, 0.0, a.eps)
        if a.output_mean_var:  # differentiable statistics (native ones carry no gradient)
            var, mean = torch.var_mean(x.to(pdt), dim=[0, *range(2, x.ndim)], correction=0)
            invstd = torch.rsqrt(var + a.eps)
        with torch.no_grad():
            var = invstd.detach().double().pow(-2).sub(a.eps).clamp(min=0)
            moving_mean.mul_(a.momentum).add_(mean.detach().to(moving_mean.dtype), alpha=1 - a.momentum)
            moving_var.mul_(a.momentum).add_(var.to(moving_var.dtype), alpha=1 - a.momentum)
    else:
        mm, mv = moving_mean.detach().to(pdt), moving_var.detach().to(pdt)
        out = F.batch_norm(x, mm, mv, g, b, False, 0.0, a.eps)
        mean, invstd = mm, torch.rsqrt(mv + a.eps)
    out = out.reshape(shape)
    if not a.output_mean_var:
        return out
    return out, mean.to(moving_mean.dtype), invstd.to(moving_var.dtype)


# --------------------------------------------------------------------------- LayerNorm
class LayerNormAttrs(Attrs):
    axis: int = -1
    eps: float = 1e-5
    output_mean_var: bool = False


@register("LayerNorm", attrs=LayerNormAttrs, aliases=("_npx_layer_norm",), num_outputs=_three_if_mean_var,
          output_names=("output", "mean", "std"), batch=_PER_SAMPLE)
def layer_norm(data, gamma, beta, *, a: LayerNormAttrs):
    """Layer normalization along one ``axis``: ``(x - mean) / sqrt(var + eps) * gamma + beta``.

    Shapes: ``data`` (…, C at ``axis``, …); ``gamma``, ``beta`` (C,) → ``output`` like data;
    with ``output_mean_var`` also ``mean`` and ``std`` (``sqrt(var + eps)``), shaped like data
    with ``axis`` of size 1.

    Example: ``nd.LayerNorm(x, gamma, beta)`` normalizes each row of x (N, C) over its C values.
    """
    _check_floating("LayerNorm", data)
    axis = _norm_axis("LayerNorm", a.axis, data.ndim)
    channels = data.shape[axis]
    _check_params("LayerNorm", data, channels, f"element of data's axis {a.axis}", gamma=gamma, beta=beta)
    g, b = gamma.to(data.dtype), beta.to(data.dtype)
    if axis == data.ndim - 1 and not a.output_mean_var:
        return F.layer_norm(data, (channels,), g, b, a.eps)
    mean, std = _moments(data, (axis,), a.eps)
    out = ((data - mean) / std).to(data.dtype) * _at_axis(g, data.ndim, axis) + _at_axis(b, data.ndim, axis)
    if not a.output_mean_var:
        return out
    return out, mean.to(data.dtype), std.to(data.dtype)


# --------------------------------------------------------------------------- InstanceNorm
class InstanceNormAttrs(Attrs):
    eps: float = 1e-3


@register("InstanceNorm", attrs=InstanceNormAttrs, batch=_PER_SAMPLE)
def instance_norm(data, gamma, beta, *, a: InstanceNormAttrs):
    """Instance normalization: each (sample, channel) slice is normalized over its spatial axes.

    ``out = (x - mean) / sqrt(var + eps) * gamma[c] + beta[c]``. Unlike MXNet (float32 only),
    any floating dtype works.

    Shapes: ``data`` (N, C, d1, …) with at least one spatial axis; ``gamma``, ``beta`` (C,)
    → ``output`` like data.

    Example: ``nd.InstanceNorm(x, gamma, beta)`` for x of shape (N, C, H, W).
    """
    _check_floating("InstanceNorm", data)
    _check_ndim("InstanceNorm", data, 3, "instance normalization (N, C, spatial…)")
    channels = data.shape[1]
    _check_params("InstanceNorm", data, channels, "channel (data's axis 1)", gamma=gamma, beta=beta)
    return F.group_norm(data, channels, gamma.to(data.dtype), beta.to(data.dtype), a.eps)


# --------------------------------------------------------------------------- GroupNorm
class GroupNormAttrs(Attrs):
    num_groups: int = 1
    eps: float = 1e-5
    output_mean_var: bool = False


@register("GroupNorm", attrs=GroupNormAttrs, num_outputs=_three_if_mean_var,
          output_names=("output", "mean", "std"), batch=_PER_SAMPLE)
def group_norm(data, gamma, beta, *, a: GroupNormAttrs):
    """Group normalization: channels split into ``num_groups`` groups, each normalized per sample.

    As in MXNet 1.9, ``gamma`` and ``beta`` hold one value per *group*, not per channel.
    Unlike MXNet, data with no spatial axis (N, C) is accepted.

    Shapes: ``data`` (N, C, …) with C divisible by ``num_groups``; ``gamma``, ``beta``
    (num_groups,) → ``output`` like data; with ``output_mean_var`` also ``mean`` and ``std``
    (``sqrt(var + eps)``) of shape (N, num_groups).

    Example: ``nd.GroupNorm(x, gamma, beta, num_groups=4)`` for x (N, 32, H, W), gamma (4,).
    """
    _check_floating("GroupNorm", data)
    _check_ndim("GroupNorm", data, 2, "group normalization (N, C, …)")
    groups, channels = a.num_groups, data.shape[1]
    if groups < 1 or channels % groups:
        raise GluonicValueError(f"Operator GroupNorm: the number of channels (data's axis 1) must be divisible by "
                                f"num_groups. Received: data{_shape(data)}, num_groups={groups}")
    _check_params("GroupNorm", data, groups, "group (num_groups)", gamma=gamma, beta=beta)
    g, b = gamma.to(data.dtype), beta.to(data.dtype)
    if not a.output_mean_var:
        per = channels // groups
        return F.group_norm(data, groups, g.repeat_interleave(per), b.repeat_interleave(per), a.eps)
    x = data.reshape(data.shape[0], groups, -1)
    mean, std = _moments(x, (2,), a.eps)
    out = ((x - mean) / std).to(data.dtype) * g[:, None] + b[:, None]
    return out.reshape(data.shape), mean[..., 0].to(data.dtype), std[..., 0].to(data.dtype)


# --------------------------------------------------------------------------- L2Normalization
class L2NormalizationAttrs(Attrs):
    eps: float = 1e-10
    mode: Literal["channel", "instance", "spatial"] = "instance"


@register("L2Normalization", attrs=L2NormalizationAttrs, batch=BatchRule(axis=0))
def l2_normalization(data, *, a: L2NormalizationAttrs):
    """Divide by the L2 norm: ``out = x / sqrt(sum(x ** 2) + eps)``, the sum taken per ``mode``.

    ``instance``: over all axes but the first (each sample; 1-D data: each element alone);
    ``channel``: over axis 1 (each sample and position); ``spatial``: over axes 2… (each
    sample and channel). Unlike MXNet, ``channel`` mode also accepts 2-D data.

    Shapes: ``data`` (N, …) → ``output`` like data.

    Example: ``nd.L2Normalization(x)`` makes every row of x (N, D) unit length.
    """
    _check_floating("L2Normalization", data)
    if a.mode == "instance":
        dims = tuple(range(1, data.ndim))
    elif a.mode == "channel":
        _check_ndim("L2Normalization", data, 2, "mode='channel'")
        dims = (1,)
    else:
        _check_ndim("L2Normalization", data, 3, "mode='spatial'")
        dims = tuple(range(2, data.ndim))
    x = data.to(_stat_dtype(data))
    squares = x * x
    total = squares.sum(dim=dims, keepdim=True) if dims else squares
    return (x * torch.rsqrt(total + a.eps)).to(data.dtype)


# --------------------------------------------------------------------------- LRN
class LRNAttrs(Attrs):
    alpha: float = 1e-4
    beta: float = 0.75
    knorm: float = 2.0
    nsize: int = dataclasses.field(kw_only=True)  # required, listed last as in MXNet


@register("LRN", attrs=LRNAttrs, batch=BatchRule(axis=0))
def lrn(data, *, a: LRNAttrs):
    """Local response normalization across channels (axis 1).

    ``out[:, c] = x[:, c] / (knorm + alpha / nsize * sum(x[:, j] ** 2)) ** beta`` where ``j``
    runs over the channels within ``(nsize - 1) // 2`` of ``c`` (an even ``nsize`` thus sums
    ``nsize - 1`` channels, exactly as MXNet; the divisor stays ``nsize``). Unlike MXNet
    (4-D only), data of any rank ≥ 2 is accepted.

    Shapes: ``data`` (N, C, …) → ``output`` like data.

    Example: ``nd.LRN(x, nsize=5)`` for x of shape (N, C, H, W).
    """
    _check_floating("LRN", data)
    _check_ndim("LRN", data, 2, "local response normalization (N, C, …)")
    if a.nsize < 1:
        raise GluonicValueError(f"Operator LRN: nsize must be at least 1. Received: nsize={a.nsize}")
    half = (a.nsize - 1) // 2
    x = data.to(_stat_dtype(data))
    squares = (x * x).reshape(x.shape[0], 1, x.shape[1], -1)
    window = 2 * half + 1
    sums = F.avg_pool2d(squares, (window, 1), stride=1, padding=(half, 0), count_include_pad=True) * window
    scale = (sums.reshape(x.shape) * (a.alpha / a.nsize) + a.knorm).pow(-a.beta)
    return (x * scale).to(data.dtype)
