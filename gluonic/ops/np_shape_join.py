"""MXNet's NumPy joining, splitting and padding operators: ``_npi_concatenate``, ``_npi_stack``,
``_npi_vstack``, ``_npi_hstack``, ``_npi_dstack``, ``_npi_column_stack``, ``_npi_split``
(alias ``_split_v2``, which MXNet's np front end records), ``_npi_hsplit``, ``_npi_dsplit``,
``_npi_pad``.

Where gluonic differs from MXNet 1.9: inputs of different dtypes are promoted as in NumPy
(MXNet raises "Type inconsistent"); ``_npi_pad`` accepts any ``pad_width`` form NumPy does
and pads wider than the axis in ``reflect``/``symmetric`` modes.
"""
from __future__ import annotations

import ast
import dataclasses
from collections.abc import Sequence
from typing import Literal

import numpy as onp
import torch

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .registry import register
from .shape import normalize_axis

__all__ = ["parse_pad_width"]


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _shapes(data: Sequence[torch.Tensor]) -> str:
    return ", ".join(str(_shape(x)) for x in data)


def _common(op: str, data: Sequence[torch.Tensor], num_args: int) -> list[torch.Tensor]:
    """The inputs in their common (NumPy-promoted) dtype, after checking the count."""
    if not data:
        raise GluonicValueError(f"Operator {op}: need at least one array to join. Received: no inputs")
    if num_args != len(data):
        raise GluonicValueError(f"Operator {op}: num_args={num_args} but {len(data)} inputs were given. "
                                f"Received: num_args={num_args}")
    dtype = data[0].dtype
    for x in data[1:]:
        dtype = torch.promote_types(dtype, x.dtype)
    return [x if x.dtype == dtype else x.to(dtype) for x in data]


def _cat(op: str, data: Sequence[torch.Tensor], axis: int) -> torch.Tensor:
    nd = data[0].dim()
    if nd == 0:
        raise GluonicValueError(f"Operator {op}: zero-dimensional arrays cannot be concatenated. "
                                f"Received: shapes {_shapes(data)}")
    ax = normalize_axis(op, axis, nd, shape=_shape(data[0]))
    for x in data:
        if x.dim() != nd or any(d != e for i, (d, e) in enumerate(zip(_shape(x), _shape(data[0]))) if i != ax):
            raise GluonicValueError(f"Operator {op}: all input array dimensions except for the concatenation axis "
                                    f"must match exactly. Received: shapes {_shapes(data)}, axis={axis}")
    return torch.cat(list(data), ax)


# ------------------------------------------------------------------------------- concatenate / stack
class NpConcatAttrs(Attrs):
    num_args: int
    axis: int | None = 0


@register("_npi_concatenate", attrs=NpConcatAttrs, num_args="num_args")
def npi_concatenate(*data, a: NpConcatAttrs):
    """Join arrays along an existing ``axis`` (None: flatten them first). Shapes: (2, 3) + (1, 3) → (3, 3)."""
    data = _common("_npi_concatenate", data, a.num_args)
    if a.axis is None:
        return torch.cat([x.reshape(-1) for x in data])
    return _cat("_npi_concatenate", data, a.axis)


class NpStackAttrs(Attrs):
    axis: int = 0
    num_args: int = dataclasses.field(kw_only=True)  # required, after axis as in MXNet


@register("_npi_stack", attrs=NpStackAttrs, num_args="num_args")
def npi_stack(*data, a: NpStackAttrs):
    """Join same-shape arrays along a new ``axis``. Shapes: 2 × (2, 3), axis 1 → (2, 2, 3)."""
    data = _common("_npi_stack", data, a.num_args)
    if any(_shape(x) != _shape(data[0]) for x in data):
        raise GluonicValueError(f"Operator _npi_stack: all input arrays must have the same shape. "
                                f"Received: shapes {_shapes(data)}")
    s = _shape(data[0])
    return torch.stack(data, normalize_axis("_npi_stack", a.axis, len(s), extra=1, shape=s))


class NumArgsAttrs(Attrs):
    num_args: int


@register("_npi_vstack", attrs=NumArgsAttrs, num_args="num_args", aliases=("_npi_row_stack",))
def npi_vstack(*data, a: NumArgsAttrs):
    """Stack rows: 1-D inputs (N,) become (1, N), then join on axis 0. Shapes: (3,) + (3,) → (2, 3)."""
    data = _common("_npi_vstack", data, a.num_args)
    return _cat("_npi_vstack", [torch.atleast_2d(x) for x in data], 0)


@register("_npi_hstack", attrs=NumArgsAttrs, num_args="num_args")
def npi_hstack(*data, a: NumArgsAttrs):
    """Join along axis 1 (axis 0 for 1-D inputs). Shapes: (2, 1) + (2, 3) → (2, 4); (2,) + (3,) → (5,)."""
    data = [torch.atleast_1d(x) for x in _common("_npi_hstack", data, a.num_args)]
    return _cat("_npi_hstack", data, 0 if data[0].dim() == 1 else 1)


@register("_npi_dstack", attrs=NumArgsAttrs, num_args="num_args")
def npi_dstack(*data, a: NumArgsAttrs):
    """Join along axis 2 after viewing inputs as at least 3-D. Shapes: (2, 3) + (2, 3) → (2, 3, 2)."""
    data = _common("_npi_dstack", data, a.num_args)
    return _cat("_npi_dstack", [torch.atleast_3d(x) for x in data], 2)


@register("_npi_column_stack", attrs=NumArgsAttrs, num_args="num_args")
def npi_column_stack(*data, a: NumArgsAttrs):
    """1-D inputs become columns (N, 1); then join along axis 1. Shapes: (3,) + (3, 2) → (3, 3)."""
    data = _common("_npi_column_stack", data, a.num_args)
    cols = [x.reshape(-1, 1) if x.dim() < 2 else x for x in data]
    return _cat("_npi_column_stack", cols, 1)


# ------------------------------------------------------------------------------- split
class NpSplitAttrs(Attrs):
    indices: Shape
    axis: int = 1
    squeeze_axis: bool = False
    sections: int = 0


def _split_count(a: NpSplitAttrs) -> int:
    return a.sections if a.sections > 0 else len(a.indices)


def _split(op: str, data: torch.Tensor, a: NpSplitAttrs, axis: int):
    s = _shape(data)
    ax = normalize_axis(op, axis, len(s), shape=s)
    if a.sections > 0:
        parts = torch.tensor_split(data, a.sections, dim=ax)
    else:
        if not a.indices:
            raise GluonicValueError(f"Operator {op}: give sections > 0 or indices. Received: indices=(), sections=0")
        # MXNet's indices start with the first part's start (0): (0, 2, 5) splits at 2 and 5.
        parts = torch.tensor_split(data, list(a.indices[1:]), dim=ax) if len(a.indices) > 1 else (data,)
    if a.squeeze_axis:
        parts = tuple(p.squeeze(ax) for p in parts)
    return tuple(parts) if len(parts) != 1 else parts[0]


@register("_npi_split", attrs=NpSplitAttrs, aliases=("_split_v2",), num_outputs=_split_count)
def npi_split(data, *, a: NpSplitAttrs):
    """Split along ``axis`` into ``sections`` nearly equal parts, or at ``indices`` (MXNet form: (0, i1, i2…)).

    Shapes: (6, 2) with sections 3 → 3 × (2, 2); indices (0, 1, 4) → (1, 2), (3, 2), (2, 2).
    """
    return _split("_npi_split", data, a, a.axis)


@register("_npi_hsplit", attrs=NpSplitAttrs, num_outputs=_split_count)
def npi_hsplit(data, *, a: NpSplitAttrs):
    """``_npi_split`` along axis 1 (axis 0 for 1-D input)."""
    if data.dim() == 0:
        raise GluonicValueError("Operator _npi_hsplit: hsplit only works on arrays of 1 or more dimensions. "
                                "Received: shape ()")
    return _split("_npi_hsplit", data, a, 0 if data.dim() == 1 else a.axis)


@register("_npi_dsplit", attrs=NpSplitAttrs, num_outputs=_split_count)
def npi_dsplit(data, *, a: NpSplitAttrs):
    """``_npi_split`` along axis 2 (needs at least 3 axes)."""
    if data.dim() < 3:
        raise GluonicValueError("Operator _npi_dsplit: dsplit only works on arrays of 3 or more dimensions. "
                                f"Received: shape {_shape(data)}")
    return _split("_npi_dsplit", data, a, 2)


# ------------------------------------------------------------------------------- pad
def parse_pad_width(op: str, pad_width, ndim: int) -> list[tuple[int, int]]:
    """NumPy's ``pad_width`` forms (n, (n,), (b, a), ((b0, a0), …)) as one (before, after) pair per axis."""
    raw = pad_width
    try:
        if isinstance(pad_width, str):
            pad_width = ast.literal_eval(pad_width)
        arr = onp.asarray(pad_width)
        if arr.dtype.kind not in "iu" or arr.ndim > 2:
            raise ValueError
        pairs = onp.broadcast_to(arr, (ndim, 2))
    except (ValueError, SyntaxError, TypeError):
        raise GluonicValueError(f"Operator {op}: pad_width must give integer (before, after) pairs for each of the "
                                f"{ndim} axes. Received: pad_width={raw!r}") from None
    if (pairs < 0).any():
        raise GluonicValueError(f"Operator {op}: pad_width cannot be negative. Received: pad_width={raw!r}")
    return [(int(b), int(e)) for b, e in pairs]


class NpPadAttrs(Attrs):
    pad_width: str
    mode: Literal["constant", "edge", "maximum", "minimum", "reflect", "symmetric"] = "constant"
    constant_value: float = 0.0
    reflect_type: str = "even"


def _source_index(n: int, before: int, after: int, mode: str, device) -> torch.Tensor:
    """For each padded position along an axis, the source position (edge/reflect/symmetric)."""
    i = torch.arange(-before, n + after, device=device)
    if mode == "edge":
        return i.clamp(0, n - 1)
    if mode == "reflect":
        if n == 1:
            return torch.zeros_like(i)
        period = 2 * (n - 1)
        j = i.remainder(period)
        return torch.where(j >= n, period - j, j)
    period = 2 * n  # symmetric
    j = i.remainder(period)
    return torch.where(j >= n, period - 1 - j, j)


@register("_npi_pad", attrs=NpPadAttrs)
def npi_pad(data, *, a: NpPadAttrs):
    """Pad each axis by (before, after) elements (``pad_width``) in NumPy's ``mode``.

    Modes: ``constant`` (``constant_value``), ``edge``, ``reflect``, ``symmetric``, ``maximum``, ``minimum``.
    Shapes: (2, 3) with ``pad_width=((1, 1), (0, 2))`` → (4, 5).
    """
    s = _shape(data)
    pw = parse_pad_width("_npi_pad", a.pad_width, len(s))
    if a.reflect_type != "even":
        raise GluonicValueError(f"Operator _npi_pad: only reflect_type='even' is supported. "
                                f"Received: reflect_type={a.reflect_type!r}")
    if a.mode == "constant":
        flat = [v for b, e in reversed(pw) for v in (b, e)]
        value = a.constant_value
        if not data.dtype.is_floating_point:
            value = int(value) if data.dtype != torch.bool else bool(value)
        return torch.nn.functional.pad(data, flat, value=value) if flat else data.view_as(data)
    out = data
    for ax, (b, e) in enumerate(pw):
        if not b and not e:
            continue
        n = s[ax]
        if n == 0:
            raise GluonicValueError(f"Operator _npi_pad: can't extend empty axis {ax} using mode {a.mode!r}. "
                                    f"Received: shape {s}")
        if a.mode in ("maximum", "minimum"):
            stat = out.amax(ax, keepdim=True) if a.mode == "maximum" else out.amin(ax, keepdim=True)
            out = torch.cat([stat.expand(*out.shape[:ax], b, *out.shape[ax + 1:]), out,
                             stat.expand(*out.shape[:ax], e, *out.shape[ax + 1:])], ax)
        else:
            out = out.index_select(ax, _source_index(n, b, e, a.mode, data.device))
    return out
