"""Joining, splitting, repeating and padding: ``Concat`` (``concat``), ``stack``,
``SliceChannel`` (``split``), ``tile``, ``repeat`` and ``Pad`` (``pad``).

Where gluonic differs from MXNet 1.9:

- ``tile`` accepts 0 repetitions (an empty result; MXNet fails), ``repeat`` with
  ``repeats=0`` keeps the other axes (MXNet returns shape ``(0,)``).
- ``Pad`` also works on integer arrays and rejects negative widths (MXNet crops
  silently).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal

import torch
import torch.nn.functional as F

from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs, Shape
from .registry import BatchRule, register
from .shape import normalize_axis

__all__ = ["ConcatAttrs", "StackAttrs", "SliceChannelAttrs", "PadAttrs"]


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _check_inputs(op: str, data: Sequence[torch.Tensor], num_args: int) -> None:
    """Same count as ``num_args``, at least one input, one dtype for all."""
    if not data:
        raise GluonicValueError(f"Operator {op}: at least one input is required. Received: no inputs")
    if num_args != len(data):
        raise GluonicValueError(
            f"Operator {op}: num_args={num_args} but {len(data)} inputs were given. Received: num_args={num_args}"
        )
    dtypes = {x.dtype for x in data}
    if len(dtypes) > 1:
        names = ", ".join(f"data[{i}] {str(x.dtype).replace('torch.', '')}" for i, x in enumerate(data))
        raise GluonicTypeError(f"Operator {op}: all inputs must have the same dtype. Received: {names}")


def _shapes(data: Sequence[torch.Tensor]) -> str:
    return ", ".join(f"data[{i}]{_shape(x)}" for i, x in enumerate(data))


# ------------------------------------------------------------------------------- concat / stack
class ConcatAttrs(Attrs):
    num_args: int
    dim: int = 1


@register("Concat", attrs=ConcatAttrs, aliases=("concat",), num_args="num_args",
          batch=BatchRule(axis=0, when=lambda a, shapes: len(shapes[0]) > 1 and a.dim % len(shapes[0]) != 0))
def concat(*data, a: ConcatAttrs):
    """Join arrays along axis ``dim`` (default 1); the other axes must match.

    Shapes: (2, 3) and (2, 5) with ``dim=1`` → (2, 8).

    Example: ``concat(ones((2, 1)), zeros((2, 2)), dim=1)`` has shape ``(2, 3)``.
    """
    _check_inputs("Concat", data, a.num_args)
    first = _shape(data[0])
    dim = normalize_axis("Concat", a.dim, len(first), "dim", shape=first)
    for x in data:
        s = _shape(x)
        if len(s) != len(first) or s[:dim] + s[dim + 1:] != first[:dim] + first[dim + 1:]:
            raise GluonicValueError(
                f"Operator Concat: inputs must have the same shape except on axis dim={a.dim}. "
                f"Received: {_shapes(data)}"
            )
    return torch.cat(data, dim)


class StackAttrs(Attrs):
    axis: int = 0
    num_args: int = dataclasses.field(kw_only=True)  # required, after axis as in MXNet


@register("stack", attrs=StackAttrs, num_args="num_args")
def stack(*data, a: StackAttrs):
    """Join arrays of one shape along a new axis ``axis``.

    Shapes: k arrays of shape (2, 3) with ``axis=1`` → (2, k, 3).

    Example: ``stack([1., 2.], [3., 4.])`` is ``[[1, 2], [3, 4]]``.
    """
    _check_inputs("stack", data, a.num_args)
    first = _shape(data[0])
    if any(_shape(x) != first for x in data):
        raise GluonicValueError(f"Operator stack: all inputs must have the same shape. Received: {_shapes(data)}")
    return torch.stack(data, normalize_axis("stack", a.axis, len(first), extra=1, shape=first))


# ------------------------------------------------------------------------------- split
class SliceChannelAttrs(Attrs):
    num_outputs: int
    axis: int = 1
    squeeze_axis: bool = False


@register("SliceChannel", attrs=SliceChannelAttrs, aliases=("split",), num_outputs=lambda a: a.num_outputs,
          output_names=("output0",))
def slice_channel(data, *, a: SliceChannelAttrs):
    """Split ``data`` into ``num_outputs`` equal parts along ``axis`` (default 1).

    With ``squeeze_axis=True`` (only when each part has size 1 on ``axis``) that axis is
    removed from the outputs. One output is returned as an array, several as a list.

    Shapes: (2, 6, 4) with ``num_outputs=3`` → 3 × (2, 2, 4).

    Example: ``split(ones((2, 6)), num_outputs=3)`` gives three arrays of shape ``(2, 2)``.
    """
    shape = _shape(data)
    axis = normalize_axis("SliceChannel", a.axis, len(shape), shape=shape)
    n, k = shape[axis], a.num_outputs
    detail = f"data shape {shape}, num_outputs={k}, axis={a.axis}, squeeze_axis={a.squeeze_axis}"
    if k < 1 or n % k:
        raise GluonicValueError(
            f"Operator SliceChannel: num_outputs must be positive and divide the size {n} of axis {axis}. "
            f"Received: {detail}"
        )
    if a.squeeze_axis and n != k:
        raise GluonicValueError(
            f"Operator SliceChannel: squeeze_axis=True needs num_outputs equal to the size {n} of axis {axis}. "
            f"Received: {detail}"
        )
    parts = torch.unbind(data, axis) if a.squeeze_axis else torch.split(data, n // k, axis)
    return parts[0] if k == 1 else tuple(parts)


# ------------------------------------------------------------------------------- tile / repeat
class TileAttrs(Attrs):
    reps: Shape


@register("tile", attrs=TileAttrs)
def tile(data, *, a: TileAttrs):
    """Repeat the whole array ``reps[i]`` times along each axis (NumPy's ``tile``).

    Shorter ``reps`` are padded with 1s on the left; longer ones add leading axes.

    Shapes: (2, 3) with ``reps=(2, 2)`` → (4, 6); with ``reps=(2,)`` → (2, 6).
    """
    if any(r < 0 for r in a.reps):
        raise GluonicValueError(f"Operator tile: reps must be >= 0. Received: reps={a.reps}")
    return data.tile(tuple(a.reps)) if a.reps else data.view_as(data)


class RepeatAttrs(Attrs):
    repeats: int
    axis: int | None = None


@register("repeat", attrs=RepeatAttrs)
def repeat(data, *, a: RepeatAttrs):
    """Repeat each element ``repeats`` times along ``axis`` (``None``: of the flattened array).

    Shapes: (2, 3) with ``repeats=2, axis=1`` → (2, 6); with ``axis=None`` → (12,).

    Example: ``repeat([[1., 2.]], repeats=2, axis=1)`` is ``[[1, 1, 2, 2]]``.
    """
    if a.repeats < 0:
        raise GluonicValueError(f"Operator repeat: repeats must be >= 0. Received: repeats={a.repeats}")
    if a.axis is None:
        return torch.repeat_interleave(data.reshape(-1), a.repeats)
    axis = normalize_axis("repeat", a.axis, data.dim(), shape=_shape(data))
    return torch.repeat_interleave(data, a.repeats, axis)


# ------------------------------------------------------------------------------- pad
class PadAttrs(Attrs):
    mode: Literal["constant", "edge", "reflect"]
    pad_width: Shape
    constant_value: float = 0.0


_TORCH_MODE = {"constant": "constant", "edge": "replicate", "reflect": "reflect"}


@register("Pad", attrs=PadAttrs, aliases=("pad",), batch=BatchRule(axis=0))
def pad(data, *, a: PadAttrs):
    """Pad a 4-d or 5-d array on its spatial axes (the first two axes cannot be padded).

    ``pad_width`` = (before_0, after_0, before_1, after_1, …) for every axis, as in MXNet.
    ``mode``: ``constant`` fills ``constant_value``; ``edge`` repeats the border values;
    ``reflect`` mirrors without repeating the border (widths must be below the axis size).

    Shapes: (N, C, H, W) with ``pad_width=(0, 0, 0, 0, 1, 1, 2, 2)`` → (N, C, H+2, W+4).
    """
    shape, pw = _shape(data), tuple(a.pad_width)
    detail = f"data shape {shape}, mode={a.mode!r}, pad_width={pw}"
    if len(shape) not in (4, 5):
        raise GluonicValueError(f"Operator Pad: the input must be 4-d or 5-d. Received: {detail}")
    if len(pw) != 2 * len(shape):
        raise GluonicValueError(
            f"Operator Pad: pad_width needs 2 entries per axis ({2 * len(shape)}). Received: {detail}"
        )
    if any(pw[:4]) or any(p < 0 for p in pw):
        raise GluonicValueError(
            "Operator Pad: widths must be >= 0, and 0 on the first two axes (batch and channel). "
            f"Received: {detail}"
        )
    if a.mode == "reflect" and any(max(pw[2 * d], pw[2 * d + 1]) >= shape[d] for d in range(2, len(shape))):
        raise GluonicValueError(f"Operator Pad: reflect padding must be smaller than the axis size. Received: {detail}")
    torch_pad = []
    for d in range(len(shape) - 1, 1, -1):
        torch_pad += [pw[2 * d], pw[2 * d + 1]]
    if a.mode == "constant":
        value = a.constant_value if data.dtype.is_floating_point else int(a.constant_value)
        return F.pad(data, torch_pad, mode="constant", value=value)
    return F.pad(data, torch_pad, mode=_TORCH_MODE[a.mode])


# ------------------------------------------------------------------------------- add_n
class AddNAttrs(Attrs):
    num_args: int


@register("add_n", attrs=AddNAttrs, aliases=("ElementWiseSum", "elemwise_sum"), num_args="num_args",
          batch=BatchRule(axis=0))
def add_n(*data, a: AddNAttrs):
    """Sum of any number of arrays of one shape and dtype (MXNet's ``add_n`` / ``ElementWiseSum``).

    Shapes: k arrays of shape (2, 3) → (2, 3).

    Example: ``add_n(ones((2,)), ones((2,)), ones((2,)))`` is ``[3, 3]``.
    """
    _check_inputs("add_n", data, a.num_args)
    first = _shape(data[0])
    if any(_shape(x) != first for x in data):
        raise GluonicValueError(f"Operator add_n: all inputs must have the same shape. Received: {_shapes(data)}")
    out = data[0]
    for x in data[1:]:
        out = out + x
    return out if len(data) > 1 else out.clone()
