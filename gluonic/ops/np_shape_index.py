"""MXNet's NumPy selection operators: ``_npi_take``, ``_npi_boolean_mask``, ``_npi_delete``,
``_npi_insert_scalar``/``_npi_insert_slice``/``_npi_insert_tensor``, ``_npi_resize_fallback``,
the functional assignments ``_npi_slice_assign(_scalar)`` and ``_npi_boolean_mask_assign_{scalar,tensor}``
(``x[key] = v`` as a new array), and gluonic's ``_npi_take_along_axis`` (MXNet runs NumPy itself there, no operator).

Output shapes of ``_npi_boolean_mask`` and of ``_npi_delete``/``_npi_insert_tensor`` with an
index array depend on the data: they run eagerly (and in compiled graphs) but their shapes
cannot be inferred ahead of time.

Float index arrays (``np.array([0, 2])`` is float32 in MXNet's np) are truncated toward zero, as
MXNet does. Where gluonic differs from MXNet 1.9: ``_npi_take`` with ``mode='raise'`` checks
indices; ``_npi_insert_*`` broadcast ``values`` as NumPy does.
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from ..base import GluonicIndexError, GluonicValueError
from .attrs import Attrs, Shape
from .registry import register
from .shape import normalize_axis, zero_grad_for

__all__: list[str] = []


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _checkable(t: torch.Tensor) -> bool:
    return t.device.type != "meta" and not torch.compiler.is_compiling()


# ------------------------------------------------------------------------------- take
class NpTakeAttrs(Attrs):
    axis: int = 0
    mode: Literal["clip", "raise", "wrap"] = "clip"


@register("_npi_take", attrs=NpTakeAttrs)
def npi_take(data, indices, *, a: NpTakeAttrs):
    """Elements of ``a`` at integer ``indices`` along ``axis``; ``mode`` handles out-of-range
    indices: ``raise`` (negative indices count from the end), ``wrap``, ``clip``.

    Shapes: ``a`` (3, 4), ``indices`` (2, 5), axis 1 → (3, 2, 5).
    """
    s = _shape(data)
    if indices.dtype == torch.bool:
        raise GluonicIndexError(f"Operator _npi_take: indices must be integers. Received: dtype {indices.dtype}")
    ax = normalize_axis("_npi_take", a.axis, len(s), shape=s)
    n = s[ax]
    idx = indices.to(torch.int64)
    if a.mode == "wrap":
        idx = idx.remainder(n) if n else idx
    elif a.mode == "clip":
        idx = idx.clamp(0, max(n - 1, 0))
    else:
        if _checkable(idx) and idx.numel() and bool(((idx < -n) | (idx >= n)).any()):
            raise GluonicIndexError(f"Operator _npi_take: index out of bounds for axis {ax} with size {n}. "
                                    f"Received: indices {idx.reshape(-1)[:10].tolist()} (mode='raise')")
        idx = torch.where(idx < 0, idx + n, idx)
    out = data.index_select(ax, idx.reshape(-1)).reshape(s[:ax] + _shape(indices) + s[ax + 1:])
    return zero_grad_for(out, indices)


npi_take.op.inputs = ("a", "indices")


class TakeAlongAxisAttrs(Attrs):
    axis: int | None = None


@register("_npi_take_along_axis", attrs=TakeAlongAxisAttrs)
def npi_take_along_axis(arr, indices, *, a: TakeAlongAxisAttrs):
    """NumPy's ``take_along_axis``: pick ``arr`` values at ``indices`` along ``axis`` (broadcasting the rest).

    Shapes: ``arr`` (2, 3), ``indices`` (2, 1), axis 1 → (2, 1). axis None: both flattened.
    """
    if indices.dtype == torch.bool:
        raise GluonicIndexError(f"Operator _npi_take_along_axis: indices must be integers. "
                                f"Received: dtype {indices.dtype}")
    idx = indices.to(torch.int64)
    if a.axis is None:
        flat = arr.reshape(-1)
        n = flat.shape[0]
        return zero_grad_for(flat.take_along_dim(torch.where(idx < 0, idx + n, idx).reshape(-1)), indices)
    s = _shape(arr)
    ax = normalize_axis("_npi_take_along_axis", a.axis, len(s), shape=s)
    if idx.dim() != arr.dim():
        raise GluonicValueError(f"Operator _npi_take_along_axis: indices and arr must have the same number of "
                                f"dimensions. Received: arr {s}, indices {_shape(indices)}")
    n = s[ax]
    if _checkable(idx) and idx.numel() and bool(((idx < -n) | (idx >= n)).any()):
        raise GluonicIndexError(f"Operator _npi_take_along_axis: index out of bounds for axis {ax} with size {n}. "
                                f"Received: indices of shape {_shape(indices)}")
    return zero_grad_for(arr.take_along_dim(torch.where(idx < 0, idx + n, idx), ax), indices)


# ------------------------------------------------------------------------------- boolean mask
class BooleanMaskAttrs(Attrs):
    axis: int = 0


@register("_npi_boolean_mask", attrs=BooleanMaskAttrs)
def npi_boolean_mask(data, index, *, a: BooleanMaskAttrs):
    """The entries of ``data`` where the boolean ``index`` is true, ``index`` covering axes from ``axis`` on.

    Shapes: ``data`` (3, 4), ``index`` (3,) with k true → (k, 4). Data-dependent output shape.
    """
    s = _shape(data)
    ax = normalize_axis("_npi_boolean_mask", a.axis, len(s), shape=s)
    ms = _shape(index)
    if s[ax:ax + len(ms)] != ms:
        raise GluonicIndexError(f"Operator _npi_boolean_mask: boolean index of shape {ms} does not match the "
                                f"array's axes from {ax}. Received: data {s}, index {ms}")
    return data[(slice(None),) * ax + (index.to(torch.bool),)]


# ------------------------------------------------------------------------------- delete / insert
class DeleteAttrs(Attrs):
    start: int | None = None
    stop: int | None = None
    step: int | None = None
    int_ind: int | None = None
    axis: int | None = None


def _flat_or_axis(op: str, arr: torch.Tensor, axis):
    if axis is None:
        return arr.reshape(-1), 0
    s = _shape(arr)
    return arr, normalize_axis(op, axis, len(s), shape=s)


def _positions(op: str, a, obj, n: int) -> torch.Tensor | list[int]:
    """Indices selected by the slice/int/array form of ``obj`` (negative ones resolved)."""
    if a.int_ind is not None:
        i = a.int_ind
        if not -n <= i < n:
            raise GluonicIndexError(f"Operator {op}: index {i} is out of bounds for axis with size {n}. "
                                    f"Received: obj={i}")
        return [i % n]
    if obj is None:
        return list(range(*slice(a.start, a.stop, a.step).indices(n)))
    if obj.dtype == torch.bool:
        if obj.dim() != 1 or obj.shape[0] != n:
            raise GluonicValueError(f"Operator {op}: a boolean obj must be 1-D of length {n}. "
                                    f"Received: shape {_shape(obj)}")
        return obj.nonzero().reshape(-1)
    if obj.dtype.is_floating_point:
        raise GluonicIndexError(f"Operator {op}: index arrays must be integers. Received: dtype {obj.dtype}")
    idx = obj.reshape(-1).to(torch.int64)
    if _checkable(idx) and idx.numel() and bool(((idx < -n) | (idx >= n)).any()):
        raise GluonicIndexError(f"Operator {op}: index out of bounds for axis with size {n}. "
                                f"Received: obj {idx[:10].tolist()}")
    return torch.where(idx < 0, idx + n, idx)


@register("_npi_delete", attrs=DeleteAttrs)
def npi_delete(arr, obj=None, *, a: DeleteAttrs):
    """``arr`` without the entries at ``obj`` (an index array, or the ``start:stop:step``/``int_ind`` attrs)
    along ``axis`` (None: the flattened array). Shapes: (3, 4), ``int_ind=1``, axis 1 → (3, 3).
    """
    data, ax = _flat_or_axis("_npi_delete", arr, a.axis)
    n = data.shape[ax]
    pos = _positions("_npi_delete", a, obj, n)
    if isinstance(pos, list):
        drop = set(pos)
        keep = torch.tensor([i for i in range(n) if i not in drop], dtype=torch.int64, device=arr.device)
    else:
        mask = torch.ones(n, dtype=torch.bool, device=arr.device)
        mask[pos] = False
        keep = mask.nonzero().reshape(-1)
    out = data.index_select(ax, keep)
    return zero_grad_for(out, obj) if obj is not None else out


class InsertAttrs(Attrs):
    val: float | None = None
    start: int | None = None
    stop: int | None = None
    step: int | None = None
    int_ind: int | None = None
    axis: int | None = None


def _insert(op: str, arr, values, obj, a: InsertAttrs):
    data, ax = _flat_or_axis(op, arr, a.axis)
    s = list(data.shape)
    n = s[ax]
    if values is None:
        if a.val is None:
            raise GluonicValueError(f"Operator {op}: give values as an input or the val attribute. Received: neither")
        values = torch.tensor(a.val, dtype=data.dtype, device=data.device)
    values = values.to(data.dtype)
    if a.int_ind is not None or (obj is not None and obj.dim() == 0):
        i = a.int_ind if a.int_ind is not None else obj  # a single index: insert a block before it
        if isinstance(i, torch.Tensor):
            i = int(i)  # data-dependent position: eager only
        if not -n <= i <= n:
            raise GluonicIndexError(f"Operator {op}: index {i} is out of bounds for axis {ax} with size {n}. "
                                    f"Received: obj={i}")
        i = i + n if i < 0 else i
        v = values.reshape((1,) * max(len(s) - values.dim(), 0) + _shape(values))
        v = torch.movedim(v, 0, ax) if v.dim() else v
        block = list(s)
        block[ax] = v.shape[ax] if v.dim() > ax else 1
        try:
            v = v.expand(block)
        except RuntimeError:
            raise GluonicValueError(f"Operator {op}: values of shape {_shape(values)} cannot be broadcast to "
                                    f"{tuple(block)}. Received: arr {tuple(s)}") from None
        return torch.cat([data.narrow(ax, 0, i), v, data.narrow(ax, i, n - i)], ax)
    if obj is None:  # a slice: static positions, computed in Python (shape inference works)
        pos = list(range(*slice(a.start, a.stop, a.step).indices(n)))
        k = len(pos)
        order = sorted(range(k), key=lambda j: pos[j])
        new = [pos[j] + r for r, j in enumerate(order)]
        taken = set(new)
        old = [i for i in range(n + k) if i not in taken]
        dev = data.device
        order_t, new_t, old_t = (torch.tensor(v, dtype=torch.int64, device=dev) for v in (order, new, old))
    else:
        if obj.dtype.is_floating_point or obj.dtype == torch.bool:
            raise GluonicIndexError(f"Operator {op}: index arrays must be integers. Received: dtype {obj.dtype}")
        pos_t = obj.reshape(-1).to(torch.int64)
        if _checkable(pos_t) and pos_t.numel() and bool(((pos_t < -n) | (pos_t > n)).any()):
            raise GluonicIndexError(f"Operator {op}: index out of bounds for axis {ax} with size {n}. "
                                    f"Received: obj {pos_t[:10].tolist()}")
        pos_t = torch.where(pos_t < 0, pos_t + n, pos_t)
        k = pos_t.shape[0]
        order_t = torch.argsort(pos_t, stable=True)
        new_t = pos_t[order_t] + torch.arange(k, device=data.device)
        is_new = torch.zeros(n + k, dtype=torch.bool, device=data.device)
        is_new[new_t] = True
        old_t = (~is_new).nonzero().reshape(-1)  # data-dependent: eager only
    block = list(s)
    block[ax] = k
    try:
        v = values.expand(block)
    except RuntimeError:
        raise GluonicValueError(f"Operator {op}: values of shape {_shape(values)} cannot be broadcast to "
                                f"{tuple(block)}. Received: arr {tuple(s)}") from None
    out_shape = list(s)
    out_shape[ax] = n + k
    out = data.new_zeros(out_shape)
    return out.index_copy(ax, new_t, v.index_select(ax, order_t)).index_copy(ax, old_t, data)


@register("_npi_insert_scalar", attrs=InsertAttrs)
def npi_insert_scalar(arr, values=None, *, a: InsertAttrs):
    """Insert ``values`` (or the scalar ``val``) before index ``int_ind`` along ``axis`` (None: flattened).

    Shapes: (2, 3), ``int_ind=1``, axis 1, values () → (2, 4).
    """
    return _insert("_npi_insert_scalar", arr, values, None, a)


@register("_npi_insert_slice", attrs=InsertAttrs)
def npi_insert_slice(arr, values=None, *, a: InsertAttrs):
    """Insert ``values`` before each index of ``range(start, stop, step)`` along ``axis``."""
    return _insert("_npi_insert_slice", arr, values, None, a)


@register("_npi_insert_tensor", attrs=InsertAttrs)
def npi_insert_tensor(arr, values=None, obj=None, *, a: InsertAttrs):
    """Insert ``values`` before each index in the integer array ``obj`` along ``axis``.

    With the ``val`` attribute, MXNet passes only (arr, obj): the second input is then ``obj``.
    """
    if obj is None:
        values, obj = None, values
    out = _insert("_npi_insert_tensor", arr, values, obj, a)
    return zero_grad_for(out, obj)


# ------------------------------------------------------------------------------- resize
class ResizeAttrs(Attrs):
    new_shape: Shape


@register("_npi_resize_fallback", attrs=ResizeAttrs)
def npi_resize(a_, *, a: ResizeAttrs):
    """NumPy's ``resize``: the flattened data repeated cyclically to fill ``new_shape``.

    Shapes: (2, 3) with ``new_shape=(3, 3)`` → (3, 3) (the first row comes back).
    """
    if any(d < 0 for d in a.new_shape):
        raise GluonicValueError(f"Operator _npi_resize_fallback: all elements of new_shape must be non-negative. "
                                f"Received: new_shape={a.new_shape}")
    size = math.prod(a.new_shape)
    flat = a_.reshape(-1)
    if size == 0 or flat.shape[0] == 0:
        return a_.new_zeros(a.new_shape)
    reps = -(-size // flat.shape[0])
    return flat.repeat(reps)[:size].reshape(a.new_shape)


npi_resize.op.inputs = ("a",)



# ------------------------------------------------------------------------------- functional assignment
class MaskAssignScalarAttrs(Attrs):
    value: float
    start_axis: int


class MaskAssignTensorAttrs(Attrs):
    start_axis: int


def _mask_key(op: str, data, mask, start_axis: int):
    s, ms = _shape(data), _shape(mask)
    ax = normalize_axis(op, start_axis, len(s), "start_axis", shape=s)
    if s[ax:ax + len(ms)] != ms:
        raise GluonicIndexError(f"Operator {op}: boolean mask of shape {ms} does not match the array's axes from "
                                f"{ax}. Received: data {s}, mask {ms}")
    return (slice(None),) * ax + (mask.to(torch.bool),)


@register("_npi_boolean_mask_assign_scalar", attrs=MaskAssignScalarAttrs)
def npi_boolean_mask_assign_scalar(data, mask, *, a: MaskAssignScalarAttrs):
    """``data`` with the entries where ``mask`` is true set to ``value`` (a new array; ``x[mask] = v``)."""
    out = data.clone()
    out[_mask_key("_npi_boolean_mask_assign_scalar", data, mask, a.start_axis)] = a.value
    return zero_grad_for(out, mask)


@register("_npi_boolean_mask_assign_tensor", attrs=MaskAssignTensorAttrs)
def npi_boolean_mask_assign_tensor(data, mask, value, *, a: MaskAssignTensorAttrs):
    """``data`` with the entries where ``mask`` is true set from ``value`` (broadcast as in NumPy)."""
    out = data.clone()
    out[_mask_key("_npi_boolean_mask_assign_tensor", data, mask, a.start_axis)] = value.to(data.dtype)
    return zero_grad_for(out, mask)


class SliceAssignAttrs(Attrs):
    begin: Shape
    end: Shape
    step: Shape = ()


class SliceAssignScalarAttrs(Attrs):
    scalar: float = 0.0
    begin: Shape = ()
    end: Shape = ()
    step: Shape = ()


def _slice_assign(op: str, data, value, a):
    """``data`` with ``data[begin:end:step] = value`` (negative steps included), as a new array."""
    s = _shape(data)
    step = a.step or (None,) * len(a.begin)
    if not len(a.begin) == len(a.end) == len(step) or len(a.begin) > len(s):
        raise GluonicValueError(f"Operator {op}: begin, end and step must have one entry per leading axis. "
                                f"Received: begin={a.begin}, end={a.end}, step={a.step}, data shape {s}")
    key, flips = [], []
    for ax, (b, e, st) in enumerate(zip(a.begin, a.end, step)):
        if st == 0:
            raise GluonicValueError(f"Operator {op}: step cannot be 0. Received: step={a.step}")
        start, stop, st = slice(b, e, st).indices(s[ax])
        if st > 0:
            key.append(slice(start, stop, st))
        else:  # walk the flipped axis forwards
            flips.append(ax)
            n = s[ax]
            key.append(slice(n - 1 - start, n - 1 - stop, -st))
    out = data.flip(flips) if flips else data.clone()
    out[tuple(key)] = value
    return out.flip(flips) if flips else out


@register("_npi_slice_assign", attrs=SliceAssignAttrs)
def npi_slice_assign(lhs, rhs, *, a: SliceAssignAttrs):
    """``lhs`` with the region ``begin:end:step`` replaced by ``rhs`` (broadcast). Shapes: ``lhs``'s."""
    return _slice_assign("_npi_slice_assign", lhs, rhs.to(lhs.dtype), a)


@register("_npi_slice_assign_scalar", attrs=SliceAssignScalarAttrs)
def npi_slice_assign_scalar(data, *, a: SliceAssignScalarAttrs):
    """``data`` with the region ``begin:end:step`` set to ``scalar``. Shapes: ``data``'s."""
    return _slice_assign("_npi_slice_assign_scalar", data, a.scalar, a)
