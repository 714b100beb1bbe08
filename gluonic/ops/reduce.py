"""Reductions over axes: ``sum mean prod max min nansum nanprod norm argmax argmin argmax_channel``.

Axis attributes follow MXNet 1.9:

- ``axis=None`` or ``axis=()`` reduces every axis; an int or a tuple names axes (negative
  values count from the end); repeated axes (``(0, -3)`` on 3-d data) are an error.
- ``exclude=True`` reduces every axis *except* those listed (with ``axis=None``/``()``
  it still reduces everything, as in MXNet).
- A reduction over every axis without ``keepdims`` gives shape ``(1,)``, never ``()``.
- The result keeps the input's dtype (``sum`` of int8 wraps around in int8; ``sum`` of
  bool is a logical "any", ``prod`` of bool a logical "all").

Where gluonic differs from MXNet (MXNet gives silently wrong results there):

- ``mean`` of integers accumulates in int64 before the truncating division; MXNet
  accumulates in the input dtype, so ``mean`` of int8 ``[10, 50, 90]`` is -35 there, 50 here.
- the gradient of ``prod``/``nanprod`` is exact where the input has zeros (MXNet: NaN).
- ``norm`` has gradient 0 at an all-zero input (MXNet: NaN); ``out_dtype`` works (MXNet
  1.9 fails with a type mismatch); integer inputs give the truncated true norm.
- ``max``/``min`` over a non-empty axis of an array that has another zero-size axis
  work (MXNet rejects every zero-size input).

The gradient of ``max``/``min`` goes in full to *every* element equal to the extremum
(MXNet's rule), not split between ties. Index outputs (``argmax``, ``argmin``,
``argmax_channel``) have MXNet's zero gradient: they can appear in a recorded
computation and ``backward`` through them writes zeros.

Batching (fold): these ops reduce or keep the batch axis 0 depending on their
attributes, so only ``argmax_channel`` (always axis 1) declares a batch rule.
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .registry import BatchRule, register

__all__ = ["ReduceAttrs", "NormAttrs", "ArgReduceAttrs", "reduce_axes", "normalize_axis", "zero_grad_output"]


class ReduceAttrs(Attrs):
    axis: Shape | None = None
    keepdims: bool = False
    exclude: bool = False


class NormAttrs(Attrs):
    ord: int = 2
    axis: Shape | None = None
    out_dtype: Literal["float16", "float32", "float64", "int32", "int64", "int8"] | None = None
    keepdims: bool = False


class ArgReduceAttrs(Attrs):
    axis: int | None = None
    keepdims: bool = False


# ------------------------------------------------------------------------------- helpers
def normalize_axis(op: str, axis: int, shape: tuple[int, ...], attr: str = "axis") -> int:
    """``axis`` as a non-negative index into ``shape``, or a clear error naming op, axis and shape."""
    ndim = len(shape)
    if not -ndim <= axis < ndim:
        valid = f"from {-ndim} to {ndim - 1}" if ndim else "none: the input is 0-d"
        raise GluonicValueError(
            f"Operator {op}: {attr} {axis} is out of range for an input of shape {tuple(shape)} "
            f"(valid axes: {valid}). Received: {attr}={axis}, data shape {tuple(shape)}"
        )
    return axis % ndim


def reduce_axes(op: str, shape: tuple[int, ...], axis: tuple[int, ...] | None, exclude: bool = False) -> tuple[int, ...]:
    """The sorted, non-negative axes an MXNet reduction with ``axis``/``exclude`` reduces over."""
    ndim = len(shape)
    if not axis:
        return tuple(range(ndim))
    dims = [normalize_axis(op, ax, shape) for ax in axis]
    if len(set(dims)) != len(dims):
        raise GluonicValueError(
            f"Operator {op}: reduction axes must be distinct, but {tuple(axis)} names an axis twice "
            f"for an input of shape {tuple(shape)}. Received: axis={tuple(axis)}"
        )
    if exclude:
        return tuple(d for d in range(ndim) if d not in dims)
    return tuple(sorted(dims))


def _finish(out: torch.Tensor) -> torch.Tensor:
    """MXNet never returns 0-d arrays from reductions: a full reduction has shape ``(1,)``."""
    return out.reshape(1) if out.dim() == 0 else out


def _check_nonempty(op: str, x: torch.Tensor, dims: tuple[int, ...], what: str) -> None:
    empty = [d for d in dims if x.shape[d] == 0]
    if empty:
        raise GluonicValueError(
            f"Operator {op}: cannot take the {what} over axis {empty[0]}, which has size 0. "
            f"Received: data shape {tuple(x.shape)}, axes {dims}"
        )


class _ZeroGradient(torch.autograd.Function):
    """Identity on a non-differentiable output; a zero gradient for the input it came from."""

    @staticmethod
    def forward(out, src):
        return out.view_as(out)

    @staticmethod
    def setup_context(ctx, inputs, output):
        src = inputs[1]
        ctx.src_shape, ctx.src_dtype, ctx.src_device = src.shape, src.dtype, src.device

    @staticmethod
    def backward(ctx, grad):
        return None, torch.zeros(ctx.src_shape, dtype=ctx.src_dtype, device=ctx.src_device)


def zero_grad_output(out: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
    """Attach an index-like ``out`` to the graph of ``src`` with gradient zero (MXNet's rule).

    Only when recording and ``src`` needs a gradient; integer outputs cannot carry one.
    """
    if torch.is_grad_enabled() and src.requires_grad and out.dtype.is_floating_point:
        return _ZeroGradient.apply(out, src)
    return out


class _Extremum(torch.autograd.Function):
    """``amax``/``amin`` whose gradient goes in full to every element equal to the result."""

    @staticmethod
    def forward(x, dims, keepdim, largest):
        return (torch.amax if largest else torch.amin)(x, dims, keepdim)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, dims, keepdim, _ = inputs
        ctx.save_for_backward(x, output)
        ctx.dims, ctx.keepdim = dims, keepdim

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if not ctx.keepdim:
            for d in ctx.dims:
                y, grad = y.unsqueeze(d), grad.unsqueeze(d)
        return (x == y).to(grad.dtype) * grad, None, None, None


# ---------------------------------------------------------------------------- reducers
def _sum(x, dims, keepdim):
    if not dims:
        return x.clone()
    out = torch.sum(x, dims, keepdim)
    return out if out.dtype == x.dtype else out.to(x.dtype)


def _mean(x, dims, keepdim):
    if not dims:
        return x.clone()
    if x.dtype.is_floating_point:
        return torch.mean(x, dims, keepdim)
    total = torch.sum(x, dims, keepdim)  # int64 accumulation for integer and bool inputs
    if x.dtype == torch.bool:
        return total.to(torch.bool)  # MXNet: a bool mean is a logical "any"
    count = math.prod(x.shape[d] for d in dims)
    if count == 0:
        return torch.zeros_like(total, dtype=x.dtype)
    return torch.div(total, count, rounding_mode="trunc").to(x.dtype)


def _prod(x, dims, keepdim):
    if not dims:
        return x.clone()
    out = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x  # accumulate halves in float32
    if len(dims) > 1:  # torch.prod reduces one axis: gather the reduced axes into one, last
        kept = [d for d in range(x.dim()) if d not in dims]
        out = out.permute(*kept, *dims).reshape(*(x.shape[d] for d in kept), -1)
        out = torch.prod(out, -1)
        if keepdim:
            out = out.reshape([1 if d in dims else n for d, n in enumerate(x.shape)])
    else:
        out = torch.prod(out, dims[0], keepdim)
    return out if out.dtype == x.dtype else out.to(x.dtype)


def _nansum(x, dims, keepdim):
    if x.dtype.is_floating_point:
        x = torch.where(torch.isnan(x), torch.zeros((), dtype=x.dtype, device=x.device), x)
    return _sum(x, dims, keepdim)


def _nanprod(x, dims, keepdim):
    if x.dtype.is_floating_point:
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype, device=x.device), x)
    return _prod(x, dims, keepdim)


def _extremum(op, largest):
    def reduce(x, dims, keepdim):
        if not dims:
            return x.clone()
        _check_nonempty(op, x, dims, "maximum" if largest else "minimum")
        if torch.is_grad_enabled() and x.requires_grad:
            return _Extremum.apply(x, dims, keepdim, largest)
        return (torch.amax if largest else torch.amin)(x, dims, keepdim)

    return reduce


def _keeps_axis0(a, shapes) -> bool:
    """Fold batches a reduction along axis 0 when axis 0 is not reduced (and stays axis 0)."""
    ndim = len(shapes[0])
    if ndim == 0:
        return False
    try:
        dims = reduce_axes("reduce", tuple(shapes[0]), a.axis, a.exclude)
    except Exception:  # noqa: BLE001 - an invalid axis: the op reports it when it runs
        return False
    return 0 not in dims


_KEEPS_AXIS0 = BatchRule(axis=0, when=_keeps_axis0)


def _def_reduce(name, reducer, aliases, doc):
    def impl(data, *, a: ReduceAttrs):
        dims = reduce_axes(name, tuple(data.shape), a.axis, a.exclude)
        return _finish(reducer(data, dims, a.keepdims))

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = doc
    register(name, attrs=ReduceAttrs, aliases=aliases, batch=_KEEPS_AXIS0)(impl)
    return impl


_SHAPES = """
    Shapes: ``data`` (d0, …, dn-1) → the input shape without the reduced axes (kept as size 1
    with ``keepdims``); ``(1,)`` when every axis is reduced. Attributes: ``axis`` (None, int or
    tuple), ``keepdims``, ``exclude`` (reduce every axis except ``axis``)."""

sum_ = _def_reduce("sum", _sum, ("sum_axis",), f"""Sum of array elements over the given axes.
{_SHAPES}

    >>> x = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    >>> mx.nd.sum(x, axis=1).asnumpy().tolist()
    [6.0, 15.0]
    >>> mx.nd.sum(x, axis=1, exclude=True, keepdims=True).asnumpy().tolist()
    [[5.0, 7.0, 9.0]]
    """)

mean = _def_reduce("mean", _mean, (), f"""Mean of array elements over the given axes.
{_SHAPES}

    Integer inputs give a truncated integer mean, accumulated in int64 (MXNet overflows in
    the input dtype). The mean over a zero-size axis is NaN (0 for integers).

    >>> mx.nd.mean(mx.nd.array([[1, 2], [3, 5]]), axis=0).asnumpy().tolist()
    [2.0, 3.5]
    """)

prod = _def_reduce("prod", _prod, (), f"""Product of array elements over the given axes.
{_SHAPES}

    The gradient is exact where inputs are zero (MXNet divides by the input and gives NaN).

    >>> mx.nd.prod(mx.nd.array([[1, 2], [3, 4]]), axis=1).asnumpy().tolist()
    [2.0, 12.0]
    """)

max_ = _def_reduce("max", _extremum("max", True), ("max_axis",), f"""Maximum of array elements over the given axes.
{_SHAPES}

    NaN propagates. The gradient flows in full to every element equal to the maximum.
    Reducing an axis of size 0 is an error.

    >>> mx.nd.max(mx.nd.array([[1, 7], [3, 4]]), axis=0).asnumpy().tolist()
    [3.0, 7.0]
    """)

min_ = _def_reduce("min", _extremum("min", False), ("min_axis",), f"""Minimum of array elements over the given axes.
{_SHAPES}

    NaN propagates. The gradient flows in full to every element equal to the minimum.
    Reducing an axis of size 0 is an error.

    >>> mx.nd.min(mx.nd.array([[1, 7], [3, 4]]), axis=1).asnumpy().tolist()
    [1.0, 3.0]
    """)

nansum = _def_reduce("nansum", _nansum, (), f"""Sum over the given axes, treating NaN as zero.
{_SHAPES}

    >>> mx.nd.nansum(mx.nd.array([[1, float('nan')], [3, 4]]), axis=1).asnumpy().tolist()
    [1.0, 7.0]
    """)

nanprod = _def_reduce("nanprod", _nanprod, (), f"""Product over the given axes, treating NaN as one.
{_SHAPES}

    >>> mx.nd.nanprod(mx.nd.array([[2, float('nan')], [3, 4]]), axis=1).asnumpy().tolist()
    [2.0, 12.0]
    """)


# ------------------------------------------------------------------------------- norm
_TORCH_DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "int32": torch.int32, "int64": torch.int64, "int8": torch.int8, "uint8": torch.uint8,
}


def _norm_compute_dtype(x_dtype: torch.dtype, out_dtype: torch.dtype) -> torch.dtype:
    if torch.float64 in (x_dtype, out_dtype) or x_dtype in (torch.int32, torch.int64):
        return torch.float64
    return torch.float32


@register("norm", attrs=NormAttrs)
def norm(data, *, a: NormAttrs):
    """The L1 (``ord=1``) or L2 (``ord=2``) norm over the given axes (default: all elements).

    Shapes: ``data`` (d0, …) → the input shape without the reduced ``axis`` (kept as size 1
    with ``keepdims``); ``(1,)`` when every axis is reduced. The result has dtype
    ``out_dtype`` (default: the input's). Half-precision inputs are accumulated in float32.
    The gradient of the L2 norm at an all-zero input is 0 (MXNet: NaN).

    >>> mx.nd.norm(mx.nd.array([[3, 4], [6, 8]]), axis=1).asnumpy().tolist()
    [5.0, 10.0]
    >>> mx.nd.norm(mx.nd.array([[3, -4], [6, 8]]), ord=1).asnumpy().tolist()
    [21.0]
    """
    if a.ord not in (1, 2):
        raise GluonicValueError(f"Operator norm: only ord=1 and ord=2 are supported. Received: ord={a.ord}")
    dims = reduce_axes("norm", tuple(data.shape), a.axis)
    out_dtype = _TORCH_DTYPES[a.out_dtype] if a.out_dtype else data.dtype
    x = data
    if x.dtype not in (torch.float32, torch.float64) or out_dtype == torch.float64:
        x = x.to(_norm_compute_dtype(x.dtype, out_dtype))
    out = torch.linalg.vector_norm(x, a.ord, dim=dims or None, keepdim=a.keepdims)
    return _finish(out if out.dtype == out_dtype else out.to(out_dtype))


# --------------------------------------------------------------------- argmax / argmin
def _arg_reduce(op: str, fn, data: torch.Tensor, axis: int | None, keepdims: bool) -> torch.Tensor:
    # MXNet returns indices in the input's dtype (float32 for float32 data); bool data,
    # which MXNet rejects, gives float32 indices here.
    out_dtype = torch.float32 if data.dtype == torch.bool else data.dtype
    x = data.to(torch.uint8) if data.dtype == torch.bool else data
    if axis is None:
        if x.numel() == 0:
            raise GluonicValueError(
                f"Operator {op}: cannot search an empty array. Received: data shape {tuple(x.shape)}"
            )
        idx = fn(x.reshape(-1)).reshape((1,) * x.dim() if keepdims and x.dim() else (1,))
    else:
        ax = normalize_axis(op, axis, tuple(x.shape))
        _check_nonempty(op, x, (ax,), "arg-" + ("maximum" if fn is torch.argmax else "minimum"))
        idx = _finish(fn(x, dim=ax, keepdim=keepdims))
    return zero_grad_output(idx.to(out_dtype), data)


@register("argmax", attrs=ArgReduceAttrs)
def argmax(data, *, a: ArgReduceAttrs):
    """Index of the maximum along ``axis`` (``axis=None``: index into the flattened array).

    Shapes: ``data`` (d0, …) → the shape without ``axis`` (size 1 with ``keepdims``);
    ``(1,)`` for ``axis=None``. Indices have the input's dtype, as in MXNet (float32 for
    float32 data). Ties give the first index; NaN counts as the maximum.

    >>> mx.nd.argmax(mx.nd.array([[1, 9, 3], [7, 2, 7]]), axis=1).asnumpy().tolist()
    [1.0, 0.0]
    """
    return _arg_reduce("argmax", torch.argmax, data, a.axis, a.keepdims)


@register("argmin", attrs=ArgReduceAttrs)
def argmin(data, *, a: ArgReduceAttrs):
    """Index of the minimum along ``axis`` (``axis=None``: index into the flattened array).

    Shapes and dtypes as :func:`argmax`. Ties give the first index; NaN counts as the minimum.

    >>> mx.nd.argmin(mx.nd.array([[1, 9, 3], [7, 2, 2]]), axis=1).asnumpy().tolist()
    [0.0, 1.0]
    """
    return _arg_reduce("argmin", torch.argmin, data, a.axis, a.keepdims)


@register("argmax_channel", batch=BatchRule(axis=0))
def argmax_channel(data):
    """Index of the maximum along axis 1 (the channel axis), in the input's dtype.

    Shapes: ``data`` (batch, channel, …) → (batch, …).

    >>> mx.nd.argmax_channel(mx.nd.array([[1, 9, 3], [7, 2, 7]])).asnumpy().tolist()
    [1.0, 0.0]
    """
    if data.dim() < 2:
        raise GluonicValueError(
            "Operator argmax_channel: the input needs at least 2 dimensions (batch, channel, ...). "
            f"Received: data shape {tuple(data.shape)}"
        )
    return _arg_reduce("argmax_channel", torch.argmax, data, 1, False)
