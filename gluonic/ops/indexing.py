"""Indexing operators: ``slice`` (``crop``), ``slice_axis``, ``slice_like``, ``take``, ``pick``,
``gather_nd``, ``scatter_nd``, ``one_hot``, ``reverse`` (``flip``) and ``diag``.

Index inputs may have any numeric dtype; float indices are truncated toward zero, as
in MXNet (``take([..], [1.7, -0.5])`` reads elements 1 and 0). Index inputs get a zero
gradient. Gradients of the gathering ops accumulate over repeated indices.

Where gluonic differs from MXNet 1.9:

- ``gather_nd``/``scatter_nd`` accept negative indices (counted from the end) and raise a
  clear error for indices out of range (MXNet's ``gather_nd`` gradient ignores negative
  indices; ``scatter_nd`` can corrupt memory).
- ``reverse`` accepts negative axes.
"""
from __future__ import annotations

from typing import Literal

import torch

from .. import _dtype
from ..base import GluonicIndexError, GluonicValueError
from .attrs import Attrs, DType, Shape
from .reduce import zero_grad_output
from .registry import BatchRule, register
from .shape import check_axes, normalize_axis, zero_grad_for

__all__ = ["SliceAttrs", "TakeAttrs", "PickAttrs", "OneHotAttrs"]


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _as_index(indices: torch.Tensor) -> torch.Tensor:
    """Integer positions from an index array of any dtype (floats truncate toward zero)."""
    return indices if indices.dtype == torch.int64 else indices.to(torch.int64)


def _checkable(t: torch.Tensor) -> bool:
    """Whether data-dependent checks can run (not during meta shape inference or compilation)."""
    return t.device.type != "meta" and not torch.compiler.is_compiling()


# ------------------------------------------------------------------------------- slice
class SliceAttrs(Attrs):
    begin: Shape
    end: Shape
    step: Shape = ()


def _slice_range(x: torch.Tensor, axis: int, start: int, stop: int, step: int) -> torch.Tensor:
    """``x`` indexed along ``axis`` with Python's ``start:stop:step`` (already normalized by ``slice.indices``)."""
    if step > 0:
        return x[(slice(None),) * axis + (slice(start, stop, step),)]
    n = x.shape[axis]
    flipped = x.flip(axis)
    return flipped[(slice(None),) * axis + (slice(n - 1 - start, n - 1 - stop, -step),)]


@register("slice", attrs=SliceAttrs, aliases=("crop", "_npx_slice"))
def slice_op(data, *, a: SliceAttrs):
    """Slice ``data`` like Python's ``data[b0:e0:s0, b1:e1:s1, ...]`` over the leading axes.

    ``None`` entries take the default; out-of-range bounds are clipped; negative steps
    walk backwards. Axes beyond ``len(begin)`` are kept whole.

    Shapes: ``data`` (2, 3, 4) with ``begin=(0, 1), end=(2, 3)`` → (2, 2, 4).
    """
    shape = _shape(data)
    step = a.step or (None,) * len(a.begin)
    detail = f"begin={a.begin}, end={a.end}, step={a.step}, data shape {shape}"
    if len(a.begin) != len(a.end) or len(step) != len(a.begin):
        raise GluonicValueError(f"Operator slice: begin, end and step must have the same length. Received: {detail}")
    if len(a.begin) > len(shape):
        raise GluonicValueError(f"Operator slice: more slice bounds than axes of the input. Received: {detail}")
    out = data
    for axis, (b, e, s) in enumerate(zip(a.begin, a.end, step)):
        if s == 0:
            raise GluonicValueError(f"Operator slice: step cannot be 0 (axis {axis}). Received: {detail}")
        start, stop, st = slice(b, e, s).indices(shape[axis])
        if (start, stop, st) != (0, shape[axis], 1):
            out = _slice_range(out, axis, start, stop, st)
    return out if out is not data else data.view_as(data)


class SliceAxisAttrs(Attrs):
    axis: int
    begin: int
    end: int | None


@register("slice_axis", attrs=SliceAxisAttrs)
def slice_axis(data, *, a: SliceAxisAttrs):
    """Elements ``begin`` to ``end`` (exclusive; ``None``: to the end) along ``axis``.

    Negative bounds count from the end. As in MXNet the range must be non-empty and
    inside the axis.

    Shapes: ``data`` (3, 4) with ``axis=1, begin=1, end=3`` → (3, 2).
    """
    shape = _shape(data)
    axis = normalize_axis("slice_axis", a.axis, len(shape), shape=shape)
    n = shape[axis]
    b = a.begin + n if a.begin < 0 else a.begin
    e = n if a.end is None else (a.end + n if a.end < 0 else a.end)
    if not 0 <= b < e <= n:
        raise GluonicValueError(
            f"Operator slice_axis: begin and end must select a non-empty range of axis {axis} (size {n}). "
            f"Received: axis={a.axis}, begin={a.begin}, end={a.end}, data shape {shape}"
        )
    return data.narrow(axis, b, e - b)


class SliceLikeAttrs(Attrs):
    axes: Shape = ()


@register("slice_like", attrs=SliceLikeAttrs)
def slice_like(data, shape_like, *, a: SliceLikeAttrs):
    """Slice ``data`` to the size of ``shape_like`` along ``axes`` (default: every axis), from the start.

    Shapes: ``data`` (2, 3, 4), ``shape_like`` (1, 2, 3) → (1, 2, 3). ``shape_like`` gets no gradient.
    """
    ds, ls = _shape(data), _shape(shape_like)
    if not a.axes:
        if len(ds) != len(ls):
            raise GluonicValueError(
                "Operator slice_like: without axes, data and shape_like must have the same number of axes. "
                f"Received: data {ds}, shape_like {ls}"
            )
        axes = range(len(ds))
    else:
        axes = check_axes("slice_like", a.axes, ds, "axes")
    out = data
    for d in axes:
        if d >= len(ls) or ls[d] > ds[d]:
            have = f"size {ls[d]}" if d < len(ls) else "no such axis"
            raise GluonicValueError(
                f"Operator slice_like: axis {d} of shape_like ({have}) must exist and be at most data's size "
                f"{ds[d]}. Received: data {ds}, shape_like {ls}, axes={a.axes}"
            )
        out = out.narrow(d, 0, ls[d])
    return zero_grad_for(out if out is not data else data.view_as(data), shape_like)


# ------------------------------------------------------------------------------- take / pick
class TakeAttrs(Attrs):
    axis: int = 0
    mode: Literal["clip", "raise", "wrap"] = "clip"


def _wrap_or_clip(op: str, idx: torch.Tensor, n: int, mode: str, detail) -> torch.Tensor:
    if mode == "wrap":
        return idx.remainder(n) if n else idx
    if mode == "clip":
        return idx.clamp(0, max(n - 1, 0))
    if _checkable(idx) and idx.numel() and bool(((idx < 0) | (idx >= n)).any()):
        raise GluonicIndexError(
            f"Operator {op}: indices out of range [0, {n}) with mode='raise'. Received: {detail()}"
        )
    return idx


@register("take", attrs=TakeAttrs)
def take(data, indices, *, a: TakeAttrs):
    """Elements of ``a`` at ``indices`` along ``axis``.

    ``mode``: ``clip`` (MXNet's default) clamps indices into range, ``wrap`` wraps them
    around, ``raise`` rejects indices outside ``[0, n)``.

    Shapes: ``a`` (A0, …, A_axis, …), ``indices`` (I…) → ``a.shape[:axis] + I + a.shape[axis+1:]``.

    Example: ``take([4., 5., 6.], [[0, 1], [2, 9]])`` is ``[[4, 5], [6, 6]]``.
    """
    shape = _shape(data)
    axis = normalize_axis("take", a.axis, len(shape), shape=shape)
    n = shape[axis]
    idx = _wrap_or_clip("take", _as_index(indices), n, a.mode,
                        lambda: f"a shape {shape}, indices {indices.tolist()}, axis={a.axis}")
    out = torch.index_select(data, axis, idx.reshape(-1))
    return zero_grad_for(out.reshape(shape[:axis] + _shape(indices) + shape[axis + 1:]), indices)


take.op.inputs = ("a", "indices")  # MXNet's input name 'a' is also the attribute keyword of impls


class PickAttrs(Attrs):
    axis: int | None = -1
    keepdims: bool = False
    mode: Literal["clip", "wrap"] = "clip"


@register("pick", attrs=PickAttrs, aliases=("choose_element_0index", "_npx_pick"))
def pick(data, index, *, a: PickAttrs):
    """One element of ``data`` along ``axis`` for each position of ``index``.

    ``index`` has ``data``'s shape without ``axis`` (or with size 1 there). ``mode``:
    ``clip`` (default) clamps out-of-range indices, ``wrap`` wraps them around.
    As in MXNet, ``axis=None`` is not supported and a 0-d result has shape (1,).

    Shapes: ``data`` (3, 4), ``index`` (3,), ``axis=1`` → (3,) (``keepdims``: (3, 1)).

    Example: ``pick([[1., 2.], [3., 4.], [5., 6.]], [0, 1, 0], axis=1)`` is ``[1, 4, 5]``.
    """
    shape, ishape = _shape(data), _shape(index)
    if a.axis is None:
        raise GluonicValueError(
            "Operator pick: axis=None is not supported (as in MXNet); name the axis to pick along. Received: axis=None"
        )
    axis = normalize_axis("pick", a.axis, len(shape), shape=shape)
    kept = shape[:axis] + (1,) + shape[axis + 1:]
    if ishape == kept:
        idx = _as_index(index)
    elif ishape == shape[:axis] + shape[axis + 1:]:
        idx = _as_index(index).unsqueeze(axis)
    else:
        raise GluonicValueError(
            f"Operator pick: index must have shape {shape[:axis] + shape[axis + 1:]} or {kept} for data of shape "
            f"{shape} and axis={a.axis}. Received: index shape {ishape}"
        )
    idx = _wrap_or_clip("pick", idx, shape[axis], a.mode, lambda: "")
    out = torch.gather(data, axis, idx)
    if not a.keepdims:
        out = out.squeeze(axis)
        if out.dim() == 0:
            out = out.reshape(1)
    return zero_grad_for(out, index)


# ------------------------------------------------------------------------------- gather / scatter
def _nd_positions(op: str, indices: torch.Tensor, sizes: tuple[int, ...], detail) -> tuple[torch.Tensor, ...]:
    """Per-axis integer index tensors from ``indices`` (M, Y…), checked against ``sizes`` (length M)."""
    idx = _as_index(indices)
    m = len(sizes)
    if _checkable(idx) and idx.numel():
        bound = torch.tensor(sizes, dtype=torch.int64, device=idx.device).reshape((m,) + (1,) * (idx.dim() - 1))
        if bool(((idx < -bound) | (idx >= bound)).any()):
            raise GluonicIndexError(
                f"Operator {op}: indices out of range for the leading axes of size {sizes} "
                f"(negative indices count from the end). Received: {detail()}"
            )
    return tuple(idx[k] for k in range(m))


def _check_nd_indices(op: str, indices: torch.Tensor, ndim: int, detail: str) -> int:
    ishape = _shape(indices)
    if len(ishape) < 2 or not 1 <= ishape[0] <= ndim:
        raise GluonicValueError(
            f"Operator {op}: indices must have shape (M, ...) with at least 2 axes and 1 <= M <= {ndim} "
            f"(the number of indexed axes). Received: {detail}"
        )
    return ishape[0]


@register("gather_nd", aliases=("_npx_gather_nd",))
def gather_nd(data, indices):
    """Gather slices of ``data`` at the N-d positions in ``indices``.

    ``output[y0, …, y_{K-1}, x_M, …] = data[indices[0, y…], …, indices[M-1, y…], x_M, …]``.
    Negative indices count from the end; out-of-range indices raise an error.

    Shapes: ``data`` (X0, …, X_{N-1}), ``indices`` (M, Y0, …, Y_{K-1}) → (Y0, …, Y_{K-1}, X_M, …, X_{N-1}).

    Example: ``gather_nd([[0., 1.], [2., 3.]], [[1, 0], [1, 1]])`` is ``[2, 1]``.
    """
    ds = _shape(data)
    detail = f"data shape {ds}, indices shape {_shape(indices)}"
    m = _check_nd_indices("gather_nd", indices, len(ds), detail)
    pos = _nd_positions("gather_nd", indices, ds[:m], lambda: detail)
    return zero_grad_for(data[pos], indices)


class ScatterNDAttrs(Attrs):
    shape: Shape


@register("scatter_nd", attrs=ScatterNDAttrs)
def scatter_nd(data, indices, *, a: ScatterNDAttrs):
    """An array of zeros of ``shape`` with ``data`` written at the N-d positions in ``indices``.

    The inverse of ``gather_nd``: ``output[indices[0, y…], …, indices[M-1, y…], x…] = data[y…, x…]``.
    Where indices repeat, one of the values is kept (unspecified which, as in MXNet).

    Shapes: ``data`` (Y0, …, Y_{K-1}, X_M, …), ``indices`` (M, Y0, …, Y_{K-1}) → ``shape``.

    Example: ``scatter_nd([2., 3.], [[1, 0], [1, 1]], shape=(2, 2))`` is ``[[0, 0], [2, 3]]``.
    """
    ds, ishape, shape = _shape(data), _shape(indices), tuple(a.shape)
    detail = f"data shape {ds}, indices shape {ishape}, shape={shape}"
    m = _check_nd_indices("scatter_nd", indices, len(shape), detail)
    if ds != ishape[1:] + shape[m:]:
        raise GluonicValueError(
            f"Operator scatter_nd: data must have shape {ishape[1:] + shape[m:]} (indices.shape[1:] + shape[M:]). "
            f"Received: {detail}"
        )
    pos = _nd_positions("scatter_nd", indices, shape[:m], lambda: detail)
    return zero_grad_for(data.new_zeros(shape).index_put(pos, data), indices)


# ------------------------------------------------------------------------------- one_hot
class OneHotAttrs(Attrs):
    depth: int
    on_value: float = 1.0
    off_value: float = 0.0
    dtype: DType = "float32"


def _fill(value: float, dtype: torch.dtype):
    if dtype.is_floating_point:
        return value
    if dtype == torch.bool:
        return bool(value)
    return int(value)


@register("one_hot", attrs=OneHotAttrs, aliases=("_npx_one_hot",), batch=BatchRule(axis=0),
          differentiable=False)
def one_hot(indices, *, a: OneHotAttrs):
    """One-hot encoding: ``on_value`` at each index along a new last axis of size ``depth``.

    Indices outside ``[0, depth)`` give a row of ``off_value``. ``indices`` gets a zero
    gradient.

    Shapes: ``indices`` (I…) → (I…, depth), dtype ``dtype`` (default float32).

    Example: ``one_hot([1, 0, 2], 3)`` is ``[[0, 1, 0], [1, 0, 0], [0, 0, 1]]``.
    """
    if a.depth < 0:
        raise GluonicValueError(f"Operator one_hot: depth must be >= 0. Received: depth={a.depth}")
    dt = _dtype.to_torch(a.dtype)
    hit = _as_index(indices).unsqueeze(-1) == torch.arange(a.depth, device=indices.device)
    out = torch.full(hit.shape, _fill(a.off_value, dt), dtype=dt, device=indices.device)
    return zero_grad_output(out.masked_fill(hit, _fill(a.on_value, dt)), indices)


# ------------------------------------------------------------------------------- reverse / diag
class ReverseAttrs(Attrs):
    axis: Shape


@register("reverse", attrs=ReverseAttrs, aliases=("flip",))
def reverse(data, *, a: ReverseAttrs):
    """Reverse the order of elements along each axis in ``axis`` (an axis named twice is reversed twice).

    Shapes: ``data`` (…) → the same shape.

    Example: ``reverse([[1., 2.], [3., 4.]], axis=1)`` is ``[[2, 1], [4, 3]]``.
    """
    shape = _shape(data)
    dims = [normalize_axis("reverse", ax, len(shape), shape=shape) for ax in a.axis]
    odd = sorted(d for d in set(dims) if dims.count(d) % 2)
    return data.flip(odd) if odd else data.view_as(data)


class DiagAttrs(Attrs):
    k: int = 0
    axis1: int = 0
    axis2: int = 1


@register("diag", attrs=DiagAttrs)
def diag(data, *, a: DiagAttrs):
    """The ``k``-th diagonal of ``data`` (N-d: of the planes ``axis1``×``axis2``), or a diagonal matrix.

    Shapes: a vector (n,) → the matrix (n+|k|, n+|k|) with the vector on diagonal ``k``;
    (…, A1, …, A2, …) → the other axes followed by the diagonal's length (as ``numpy.diagonal``).

    Example: ``diag([[1., 2.], [3., 4.]])`` is ``[1, 4]``; ``diag([1., 2.])`` is ``[[1, 0], [0, 2]]``.
    """
    shape = _shape(data)
    if data.dim() == 0:
        raise GluonicValueError("Operator diag: the input must have at least 1 axis. Received: data shape ()")
    if data.dim() == 1:
        return torch.diag(data, a.k)
    d1 = normalize_axis("diag", a.axis1, len(shape), "axis1", shape=shape)
    d2 = normalize_axis("diag", a.axis2, len(shape), "axis2", shape=shape)
    if d1 == d2:
        raise GluonicValueError(
            f"Operator diag: axis1 and axis2 must be different axes. Received: axis1={a.axis1}, axis2={a.axis2}"
        )
    if not -shape[d1] <= a.k <= shape[d2]:
        raise GluonicValueError(
            f"Operator diag: diagonal k={a.k} does not exist for planes of shape ({shape[d1]}, {shape[d2]}). "
            f"Received: data shape {shape}, k={a.k}, axis1={a.axis1}, axis2={a.axis2}"
        )
    return torch.diagonal(data, a.k, d1, d2)
