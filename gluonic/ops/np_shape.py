"""MXNet's NumPy shape operators: ``_np_reshape``, ``_np_transpose``, ``_npi_swapaxes``,
``_np_moveaxis``, ``_npi_expand_dims``, ``_np_squeeze``, ``_npi_flip``, ``_np_roll``,
``_npi_rot90``, ``_npi_broadcast_to``, ``_np_atleast_{1,2,3}d``, ``_npi_tile``,
``_np_repeat``, ``_npi_slice`` (an alias of ``slice``).

NumPy semantics throughout (one inferred ``-1`` in a reshape, ``axes=None`` reverses,
squeezing an axis that is not of size 1 is an error). The joining/splitting, padding,
take/delete/insert operators are in :mod:`np_shape_join` and :mod:`np_shape_index`.

Where gluonic differs from MXNet 1.9: ``_np_reshape`` also implements ``order='F'``
(MXNet accepts only 'C'); ``_np_repeat`` accepts negative axes.
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from ..base import GluonicValueError
from . import np_shape_index, np_shape_join  # noqa: F401  (registers the other np shape families)
from .attrs import Attrs, Shape
from .registry import add_aliases, register
from .shape import normalize_axis

__all__ = ["np_reshape_shape", "np_axes"]

add_aliases("slice", "_npi_slice")


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def np_axes(op: str, axes, ndim: int, shape=None, attr: str = "axis") -> list[int]:
    """``axes`` (an int or a sequence) as distinct non-negative axes; errors name ``op``."""
    axes = [axes] if isinstance(axes, int) else list(axes)
    out = [normalize_axis(op, ax, ndim, attr, shape=shape) for ax in axes]
    if len(set(out)) != len(out):
        raise GluonicValueError(f"Operator {op}: repeated axis. Received: {attr}={tuple(axes)}")
    return out


# ------------------------------------------------------------------------------- reshape
def np_reshape_shape(op: str, src: tuple[int, ...], newshape: tuple[int, ...]) -> tuple[int, ...]:
    """NumPy's reshape target for ``src``: at most one ``-1``, inferred; sizes must match."""
    size = math.prod(src)
    detail = f"cannot reshape array of shape {src} (size {size}) into shape {tuple(newshape)}"
    unknown = [i for i, d in enumerate(newshape) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in newshape):
        raise GluonicValueError(f"Operator {op}: a new shape takes non-negative sizes and at most one -1. "
                                f"Received: newshape={tuple(newshape)}")
    known = math.prod(d for d in newshape if d != -1)
    if unknown:
        if known == 0 or size % known:
            raise GluonicValueError(f"Operator {op}: {detail}. Received: newshape={tuple(newshape)}")
        newshape = tuple(size // known if d == -1 else d for d in newshape)
    elif known != size:
        raise GluonicValueError(f"Operator {op}: {detail}. Received: newshape={tuple(newshape)}")
    return tuple(newshape)


def _reshape(op: str, data: torch.Tensor, newshape, order: str) -> torch.Tensor:
    target = np_reshape_shape(op, _shape(data), newshape)
    if order == "F":  # column-major: reverse the axes, reshape C-style, reverse back
        rev = data.permute(*reversed(range(data.dim())))
        out = rev.reshape(target[::-1])
        return out.permute(*reversed(range(out.dim())))
    return data.reshape(target)


class NpReshapeAttrs(Attrs):
    newshape: Shape
    order: Literal["C", "F", "A"] = "C"


@register("_np_reshape", attrs=NpReshapeAttrs)
def np_reshape(a_, *, a: NpReshapeAttrs):
    """NumPy reshape: ``newshape`` may hold one ``-1`` (inferred); ``order='F'`` reads column-major.

    Shapes: (2, 3, 4) with ``newshape=(4, -1)`` → (4, 6).
    """
    return _reshape("_np_reshape", a_, a.newshape, a.order)


np_reshape.op.inputs = ("a",)


class NpiReshapeAttrs(Attrs):
    newshape: Shape
    reverse: bool = False
    order: Literal["C", "F", "A"] = "C"


@register("_npi_reshape", attrs=NpiReshapeAttrs)
def npi_reshape(a_, *, a: NpiReshapeAttrs):
    """NumPy reshape as MXNet's front end records it (``newshape`` with one ``-1`` at most).

    Shapes: (2, 3) with ``newshape=(-1,)`` → (6,).
    """
    return _reshape("_npi_reshape", a_, a.newshape, a.order)


npi_reshape.op.inputs = ("a",)


# ------------------------------------------------------------------------------- axes permutations
class NpTransposeAttrs(Attrs):
    axes: Shape | None = None


@register("_np_transpose", attrs=NpTransposeAttrs)
def np_transpose(a_, *, a: NpTransposeAttrs):
    """Permute axes (``axes=None`` or ``()``: reverse them). Shapes: (2, 3, 4), axes (1, 0, 2) → (3, 2, 4)."""
    nd = a_.dim()
    if not a.axes:
        return a_.permute(tuple(reversed(range(nd))))
    if len(a.axes) != nd:
        raise GluonicValueError(f"Operator _np_transpose: axes don't match array: {nd} axes needed. "
                                f"Received: axes={a.axes} for shape {_shape(a_)}")
    return a_.permute(*np_axes("_np_transpose", a.axes, nd, _shape(a_), "axes"))


np_transpose.op.inputs = ("a",)


class NpSwapAxesAttrs(Attrs):
    dim1: int = 0
    dim2: int = 0


@register("_npi_swapaxes", attrs=NpSwapAxesAttrs)
def npi_swapaxes(data, *, a: NpSwapAxesAttrs):
    """Interchange axes ``dim1`` and ``dim2``. Shapes: (2, 3, 4), dims (0, 2) → (4, 3, 2)."""
    s = _shape(data)
    d1 = normalize_axis("_npi_swapaxes", a.dim1, len(s), "axis1", shape=s)
    d2 = normalize_axis("_npi_swapaxes", a.dim2, len(s), "axis2", shape=s)
    return data.transpose(d1, d2)


class NpMoveAxisAttrs(Attrs):
    source: Shape
    destination: Shape


@register("_np_moveaxis", attrs=NpMoveAxisAttrs)
def np_moveaxis(a_, *, a: NpMoveAxisAttrs):
    """Move axes ``source`` to positions ``destination``. Shapes: (2, 3, 4), 0 → -1 gives (3, 4, 2)."""
    s = _shape(a_)
    if len(a.source) != len(a.destination):
        raise GluonicValueError("Operator _np_moveaxis: source and destination must have the same number of "
                                f"elements. Received: source={a.source}, destination={a.destination}")
    src = np_axes("_np_moveaxis", a.source, len(s), s, "source")
    dst = np_axes("_np_moveaxis", a.destination, len(s), s, "destination")
    return torch.movedim(a_, src, dst)


np_moveaxis.op.inputs = ("a",)


class NpExpandDimsAttrs(Attrs):
    axis: int


@register("_npi_expand_dims", attrs=NpExpandDimsAttrs)
def npi_expand_dims(data, *, a: NpExpandDimsAttrs):
    """Insert a size-1 axis at ``axis`` (in ``[-ndim-1, ndim]``). Shapes: (2, 3), axis 1 → (2, 1, 3)."""
    s = _shape(data)
    return data.unsqueeze(normalize_axis("_npi_expand_dims", a.axis, len(s), extra=1, shape=s))


class NpSqueezeAttrs(Attrs):
    axis: Shape | None = None


@register("_np_squeeze", attrs=NpSqueezeAttrs)
def np_squeeze(a_, *, a: NpSqueezeAttrs):
    """Remove size-1 axes (all, or those in ``axis``, which must have size 1). Shapes: (1, 3, 1) → (3,)."""
    s = _shape(a_)
    if a.axis is None:
        axes = [i for i, d in enumerate(s) if d == 1]
    else:
        axes = np_axes("_np_squeeze", a.axis, len(s), s)
        bad = [ax for ax in axes if s[ax] != 1]
        if bad:
            raise GluonicValueError(f"Operator _np_squeeze: cannot select an axis to squeeze out which has size "
                                    f"not equal to one. Received: axis={a.axis} for shape {s}")
    return a_.reshape(tuple(d for i, d in enumerate(s) if i not in axes))


np_squeeze.op.inputs = ("a",)


# ------------------------------------------------------------------------------- flip / roll / rot90
class NpFlipAttrs(Attrs):
    axis: Shape | None = None


@register("_npi_flip", attrs=NpFlipAttrs)
def npi_flip(data, *, a: NpFlipAttrs):
    """Reverse the order of elements along ``axis`` (None: every axis). Shapes unchanged."""
    s = _shape(data)
    axes = list(range(len(s))) if a.axis is None else np_axes("_npi_flip", a.axis, len(s), s)
    return data.flip(axes) if axes else data.view_as(data)


class NpRollAttrs(Attrs):
    shift: Shape | None = None
    axis: Shape | None = None


@register("_np_roll", attrs=NpRollAttrs)
def np_roll(data, *, a: NpRollAttrs):
    """Roll elements by ``shift`` along ``axis`` (None: the flattened array). Shapes unchanged."""
    s = _shape(data)
    if a.shift is None:
        raise GluonicValueError("Operator _np_roll: shift is required. Received: shift=None")
    if a.axis is None:
        if len(a.shift) != 1:
            raise GluonicValueError(f"Operator _np_roll: without axis, shift must be one integer. "
                                    f"Received: shift={a.shift}")
        return data.reshape(-1).roll(a.shift[0]).reshape(s)
    axes = [normalize_axis("_np_roll", ax, len(s), shape=s) for ax in a.axis]
    shift = a.shift
    if len(shift) == 1:
        shift = shift * len(axes)
    elif len(axes) == 1:
        axes = axes * len(shift)
    if len(shift) != len(axes):
        raise GluonicValueError(f"Operator _np_roll: shift and axis must have the same length. "
                                f"Received: shift={a.shift}, axis={a.axis}")
    return data.roll(tuple(shift), tuple(axes)) if data.numel() else data.view_as(data)


class NpRot90Attrs(Attrs):
    k: int = 1
    axes: Shape | None = None


@register("_npi_rot90", attrs=NpRot90Attrs)
def npi_rot90(data, *, a: NpRot90Attrs):
    """Rotate by 90 degrees ``k`` times in the plane ``axes`` (default (0, 1)), from the first toward the second.

    Shapes: (2, 3) → (3, 2) for odd ``k``.
    """
    s = _shape(data)
    axes = a.axes if a.axes is not None else (0, 1)
    if len(axes) != 2 or len(s) < 2:
        raise GluonicValueError(f"Operator _npi_rot90: needs two distinct axes of an array with at least 2 axes. "
                                f"Received: axes={axes} for shape {s}")
    ax = np_axes("_npi_rot90", axes, len(s), s, "axes")
    return torch.rot90(data, a.k, ax)


# ------------------------------------------------------------------------------- broadcast / atleast
class NpBroadcastToAttrs(Attrs):
    shape: Shape = ()


@register("_npi_broadcast_to", attrs=NpBroadcastToAttrs)
def npi_broadcast_to(array, *, a: NpBroadcastToAttrs):
    """Broadcast ``array`` to ``shape`` (NumPy rules: trailing dims equal or 1). Shapes: (3, 1) → (2, 3, 4)."""
    s = _shape(array)
    ok = len(s) <= len(a.shape) and all(d in (1, t) for d, t in zip(reversed(s), reversed(a.shape)))
    if not ok or any(d < 0 for d in a.shape):
        raise GluonicValueError(f"Operator _npi_broadcast_to: operands could not be broadcast together with "
                                f"remapped shapes. Received: array of shape {s}, shape={a.shape}")
    return array.expand(a.shape)


npi_broadcast_to.op.inputs = ("array",)


class AtLeastAttrs(Attrs):
    num_args: int


def _atleast(n: int):
    fn = {1: torch.atleast_1d, 2: torch.atleast_2d, 3: torch.atleast_3d}[n]

    def impl(*arys, a: AtLeastAttrs):
        outs = tuple(fn(x) for x in arys)  # atleast_3d: (N,) → (1, N, 1), (M, N) → (M, N, 1), as NumPy
        return outs if len(outs) != 1 else outs[0]

    impl.__name__ = f"np_atleast_{n}d"
    impl.__doc__ = f"Each input viewed with at least {n} axes (NumPy's ``atleast_{n}d``); one output per input."
    return register(f"_np_atleast_{n}d", attrs=AtLeastAttrs, num_args="num_args",
                    num_outputs=lambda a: a.num_args)(impl)


for _n in (1, 2, 3):
    _atleast(_n)


# ------------------------------------------------------------------------------- tile / repeat
class NpTileAttrs(Attrs):
    reps: Shape


@register("_npi_tile", attrs=NpTileAttrs)
def npi_tile(data, *, a: NpTileAttrs):
    """NumPy tile: repeat the whole array ``reps`` times per axis. Shapes: (2, 3), reps (2,) → (2, 6)."""
    if any(r < 0 for r in a.reps):
        raise GluonicValueError(f"Operator _npi_tile: reps must be non-negative. Received: reps={a.reps}")
    if not a.reps:
        return data.view_as(data)
    return torch.tile(data, a.reps)


class NpRepeatAttrs(Attrs):
    repeats: int
    axis: int | None = None


@register("_np_repeat", attrs=NpRepeatAttrs)
def np_repeat(data, *, a: NpRepeatAttrs):
    """Repeat each element ``repeats`` times along ``axis`` (None: of the flattened array).

    Shapes: (2, 3), repeats 2, axis 1 → (2, 6); axis None → (12,).
    """
    if a.repeats < 0:
        raise GluonicValueError(f"Operator _np_repeat: repeats must be non-negative. Received: repeats={a.repeats}")
    if a.axis is None:
        return data.reshape(-1).repeat_interleave(a.repeats)
    s = _shape(data)
    return data.repeat_interleave(a.repeats, dim=normalize_axis("_np_repeat", a.axis, len(s), shape=s))
