"""Shape operators: ``Reshape`` (MXNet's special codes), ``reshape_like``, ``transpose``,
``SwapAxis``, ``expand_dims``, ``squeeze``, ``Flatten``, the ``broadcast_*`` family,
``shape_array``/``size_array`` and ``depth_to_space``/``space_to_depth``.

Memory: like torch, these implementations return views of their input where the layout
allows (``Reshape``, ``transpose``, ``expand_dims``, ``broadcast_to`` …). MXNet's ops
return new arrays; ``NDArray.reshape`` (a view in MXNet too) relies on ``Reshape``.

Where gluonic differs from MXNet 1.9 (which gives silently wrong shapes or crashes):

- ``Reshape`` checks that the element count is unchanged (MXNet 1.9 returns e.g. shape
  ``(5, 4)`` for 24 elements and ``shape=(5, -1)``), and a ``-1`` after ``-2`` or ``-4``
  infers the right dimension (MXNet writes the inferred size at the wrong position).
- ``transpose`` and ``broadcast_axis`` accept negative axes.
- ``broadcast_axis`` accepts an axis whose size already equals the target size.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence

import torch

from ..base import GluonicIndexError, GluonicValueError
from .attrs import Attrs, Shape
from .reduce import zero_grad_output
from .registry import BatchRule, register

__all__ = ["infer_reshape", "infer_legacy_reshape", "normalize_axis", "check_axes", "zero_grad_for"]

_PER_SAMPLE = BatchRule(axis=0)


# ------------------------------------------------------------------------------- helpers
def normalize_axis(op: str, axis: int, ndim: int, attr: str = "axis", *, extra: int = 0, shape=None) -> int:
    """``axis`` as an index in ``[0, ndim + extra)``; negative values count from the end.

    ``extra=1`` is for ops that insert an axis (``expand_dims``, ``stack``).
    """
    n = ndim + extra
    if not -n <= axis < n:
        where = f"an input of shape {tuple(shape)}" if shape is not None else f"a {ndim}-d input"
        valid = f"from {-n} to {n - 1}" if n else "none"
        raise GluonicIndexError(
            f"Operator {op}: {attr}={axis} is out of range for {where} (valid: {valid}). "
            f"Received: {attr}={axis}"
        )
    return axis % n


def check_axes(op: str, axes: Sequence[int], shape: Sequence[int], attr: str = "axis") -> list[int]:
    """Distinct, non-negative axes of ``shape`` (negative values count from the end)."""
    dims = [normalize_axis(op, ax, len(shape), attr, shape=shape) for ax in axes]
    if len(set(dims)) != len(dims):
        raise GluonicValueError(
            f"Operator {op}: {attr} names an axis twice. Received: {attr}={tuple(axes)} for shape {tuple(shape)}"
        )
    return dims


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def zero_grad_for(out: torch.Tensor, *sources: torch.Tensor) -> torch.Tensor:
    """Give ``sources`` (inputs that only select or shape: indices, ``*_like`` templates) MXNet's
    zero gradient when ``out`` is otherwise outside the recorded graph."""
    if out.requires_grad or not torch.is_grad_enabled():
        return out
    for src in sources:
        if src.requires_grad:
            return zero_grad_output(out, src)
    return out


def _prod(dims) -> int | None:
    """Product of ``dims``; None when one is unknown (None)."""
    if any(d is None for d in dims):
        return None
    return math.prod(dims)


# ------------------------------------------------------------------------------- Reshape
def infer_reshape(src: Sequence[int | None], shape: Sequence[int], reverse: bool = False,
                  op: str = "Reshape") -> tuple[int | None, ...]:
    """The output shape of MXNet's ``Reshape`` for input shape ``src`` and codes ``shape``.

    Codes (read left to right, or right to left with ``reverse=True``):

    - ``d > 0``: a dimension of size ``d`` (consumes one input dimension);
    - ``0``: copy the next input dimension;
    - ``-1``: infer this dimension from the remaining size (at most one; consumes one);
    - ``-2``: copy all remaining input dimensions;
    - ``-3``: merge the next two input dimensions into one;
    - ``-4, d1, d2``: split the next input dimension into ``d1 * d2`` (one may be -1).

    ``None`` in ``src`` marks an unknown dimension (symbolic shape inference); results
    that depend on it are None, except that unknown dimensions copied unchanged (by 0
    or -2) cancel out: ``(None, 3, 4)`` with ``(0, -1)`` gives ``(None, 12)``.

    Raises
    ------
    GluonicValueError
        For an invalid code or when the element count would change; the message names
        the op, the input shape and the target.

    Example
    -------
    >>> infer_reshape((2, 3, 4), (-4, 1, 2, -2))
    (1, 2, 3, 4)
    >>> infer_reshape((10, 5, 4), (-1, 0), reverse=True)
    (50, 4)
    """
    src, codes = tuple(src), tuple(int(c) for c in shape)

    def fail(why: str):
        rev = ", reverse=True" if reverse else ""
        raise GluonicValueError(
            f"Operator {op}: cannot reshape an array of shape {src} with shape={codes}{rev}: {why}. "
            f"Received: data shape {src}, shape={codes}, reverse={reverse}"
        )

    if not codes:
        fail("the target shape is empty")
    dims = src[::-1] if reverse else src
    spec = codes[::-1] if reverse else codes
    out: list[int | None] = []
    copied = 0  # unknown input dims copied unchanged (they cancel in the element count)
    j = 0  # next input dimension
    infer_at = None
    i = 0
    while i < len(spec):
        c = spec[i]
        if c > 0:
            out.append(c)
            j += 1
        elif c == 0:
            if j >= len(dims):
                fail(f"code 0 copies input dimension {j}, but the input has only {len(dims)} dimensions")
            out.append(dims[j])
            copied += dims[j] is None
            j += 1
        elif c == -1:
            if infer_at is not None:
                fail("only one dimension can be -1 (inferred)")
            infer_at = len(out)
            out.append(1)
            j += 1
        elif c == -2:
            out.extend(dims[j:])
            copied += sum(d is None for d in dims[j:])
            j = len(dims)
        elif c == -3:
            if j + 1 >= len(dims):
                fail(f"code -3 merges input dimensions {j} and {j + 1}, but the input has only {len(dims)} dimensions")
            out.append(_prod(dims[j:j + 2]))
            j += 2
        elif c == -4:
            if i + 2 >= len(spec):
                fail("code -4 must be followed by the two sizes of the split")
            if j >= len(dims):
                fail(f"code -4 splits input dimension {j}, but the input has only {len(dims)} dimensions")
            d0, d1, d2 = dims[j], spec[i + 1], spec[i + 2]
            j += 1
            i += 2
            if (d1 == -1 and d2 == -1) or d1 < -1 or d2 < -1 or d1 == 0 or d2 == 0:
                fail(f"the sizes after -4 must be positive (one of them may be -1). Received: {d1}, {d2}")
            if d0 is None:
                d1, d2 = (None if d1 == -1 else d1), (None if d2 == -1 else d2)
            else:
                if d1 == -1:
                    d1 = d0 // d2
                if d2 == -1:
                    d2 = d0 // d1
                if d1 * d2 != d0:
                    fail(f"split sizes {spec[i - 1]}, {spec[i]} do not divide input dimension {d0}")
            out += [d1, d2]
        else:
            fail(f"{c} is not a valid code (sizes are > 0; special codes are 0, -1, -2, -3, -4)")
        i += 1
    cancels = sum(d is None for d in src) == copied == sum(d is None for d in out)
    total = _prod([d for d in src if d is not None]) if cancels else None
    if infer_at is not None:
        known = _prod([d for d in out if d is not None]) if cancels else None
        if total is None or known is None:
            out[infer_at] = None
        elif known == 0 or total % known:
            fail(f"the {total} elements cannot be arranged with the other dimensions {tuple(out)} "
                 f"(-1 shown as 1)")
        else:
            out[infer_at] = total // known
    size = _prod([d for d in out if d is not None]) if cancels else None
    if total is not None and size is not None and size != total:
        fail(f"the target has {size} elements, the input {total}")
    return tuple(out[::-1] if reverse else out)


def infer_legacy_reshape(src: Sequence[int], target_shape: Sequence[int], keep_highest: bool = False,
                         op: str = "Reshape") -> tuple[int, ...]:
    """The output shape of the deprecated ``target_shape`` form of ``Reshape``.

    One 0 in ``target_shape`` is inferred; ``keep_highest`` keeps the input's first
    dimension in place of the first target dimension.
    """
    src, out = tuple(src), list(target_shape)
    if keep_highest:
        out[0] = src[0]
    start = 1 if keep_highest else 0
    zeros = [k for k in range(start, len(out)) if out[k] == 0]
    bad = len(zeros) > 1 or any(d < 0 for d in out)
    if zeros and not bad:
        rest = math.prod(out[:zeros[0]] + out[zeros[0] + 1:])
        out[zeros[0]] = math.prod(src) // rest if rest else 0
    if bad or math.prod(out) != math.prod(src):
        raise GluonicValueError(
            f"Operator {op}: cannot reshape an array of shape {src} to target_shape={tuple(target_shape)} "
            f"(at most one 0, which is inferred; no negative sizes; the element count must not change). "
            f"Received: data shape {src}, target_shape={tuple(target_shape)}, keep_highest={keep_highest}"
        )
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _is_plain(shape: tuple[int, ...]) -> bool:
    """Whether ``shape`` uses no special code but a single -1."""
    return all(d > 0 or d == -1 for d in shape) and shape.count(-1) <= 1


class ReshapeAttrs(Attrs):
    shape: Shape = ()
    reverse: bool = False
    target_shape: Shape = ()
    keep_highest: bool = False


@register("Reshape", attrs=ReshapeAttrs, aliases=("reshape",))
def reshape(data, *, a: ReshapeAttrs):
    """Reshape ``data`` using MXNet's special codes (see :func:`infer_reshape`).

    Shapes: ``data`` (…) → the shape computed from ``shape`` (same number of elements).

    Example: ``reshape(ones((2, 3, 4)), shape=(-3, -2))`` has shape ``(6, 4)``;
    ``reshape(ones((10, 5, 4)), shape=(-1, 0), reverse=True)`` has shape ``(50, 4)``.
    """
    if a.shape and not a.reverse and _is_plain(a.shape):
        try:  # positive sizes and one -1 mean the same in torch: skip the code interpreter
            return data.reshape(a.shape)
        except RuntimeError:
            pass  # infer_reshape below raises MXNet-style errors
    src = _shape(data)
    if a.shape:
        return data.reshape(infer_reshape(src, a.shape, a.reverse))
    if a.target_shape:
        return data.reshape(infer_legacy_reshape(src, a.target_shape, a.keep_highest))
    raise GluonicValueError(f"Operator Reshape: the target shape is required. Received: data shape {src}, shape=()")


class ReshapeLikeAttrs(Attrs):
    lhs_begin: int | None = None
    lhs_end: int | None = None
    rhs_begin: int | None = None
    rhs_end: int | None = None


def _dim_range(begin: int | None, end: int | None, ndim: int, side: str) -> tuple[int, int]:
    b = 0 if begin is None else begin
    e = ndim if end is None else end
    b, e = (b + ndim if b < 0 else b), (e + ndim if e < 0 else e)
    if not 0 <= b < e <= ndim:
        raise GluonicValueError(
            f"Operator reshape_like: {side}_begin/{side}_end must select a non-empty range of the {ndim} "
            f"dimensions of {side}. Received: {side}_begin={begin}, {side}_end={end}"
        )
    return b, e


@register("reshape_like", attrs=ReshapeLikeAttrs, aliases=("_npx_reshape_like",))
def reshape_like(lhs, rhs, *, a: ReshapeLikeAttrs):
    """Reshape ``lhs`` so that dims ``[lhs_begin, lhs_end)`` become ``rhs``'s dims ``[rhs_begin, rhs_end)``.

    Shapes: ``lhs`` (30, 7), ``rhs`` (15, 2, 4) with ``lhs_end=1, rhs_end=2`` → (15, 2, 7).
    By default the whole of ``lhs`` takes ``rhs``'s shape. ``rhs`` gets no gradient.
    """
    ls, rs = _shape(lhs), _shape(rhs)
    lb, le = _dim_range(a.lhs_begin, a.lhs_end, len(ls), "lhs")
    rb, re = _dim_range(a.rhs_begin, a.rhs_end, len(rs), "rhs")
    target = ls[:lb] + rs[rb:re] + ls[le:]
    if math.prod(target) != math.prod(ls):
        raise GluonicValueError(
            f"Operator reshape_like: cannot reshape lhs of shape {ls} to {target}: the sizes differ. "
            f"Received: lhs {ls}, rhs {rs}, {dataclasses.asdict(a)}"
        )
    return zero_grad_for(lhs.reshape(target), rhs)


# ------------------------------------------------------------------------------- axes
class TransposeAttrs(Attrs):
    axes: Shape = ()


@register("transpose", attrs=TransposeAttrs)
def transpose(data, *, a: TransposeAttrs):
    """Permute the axes of ``data``; ``axes=()`` reverses them.

    Shapes: ``data`` (2, 3, 4) with ``axes=(1, 0, 2)`` → (3, 2, 4).
    """
    if not a.axes:
        return data.permute(tuple(range(data.dim() - 1, -1, -1)))
    if len(a.axes) != data.dim():
        raise GluonicValueError(
            f"Operator transpose: axes must list every axis of the {data.dim()}-d input once. "
            f"Received: axes={a.axes}, data shape {_shape(data)}"
        )
    return data.permute(check_axes("transpose", a.axes, _shape(data), "axes"))


class SwapAxisAttrs(Attrs):
    dim1: int = 0
    dim2: int = 0


@register("SwapAxis", attrs=SwapAxisAttrs, aliases=("swapaxes",))
def swap_axis(data, *, a: SwapAxisAttrs):
    """Interchange axes ``dim1`` and ``dim2``.

    Shapes: ``data`` (2, 3, 4) with ``dim1=0, dim2=2`` → (4, 3, 2).
    """
    shape = _shape(data)
    d1 = normalize_axis("SwapAxis", a.dim1, data.dim(), "dim1", shape=shape)
    d2 = normalize_axis("SwapAxis", a.dim2, data.dim(), "dim2", shape=shape)
    return data.transpose(d1, d2)


class ExpandDimsAttrs(Attrs):
    axis: int


@register("expand_dims", attrs=ExpandDimsAttrs)
def expand_dims(data, *, a: ExpandDimsAttrs):
    """Insert an axis of size 1 at position ``axis`` (in ``[-ndim-1, ndim]``).

    Shapes: ``data`` (2, 3) with ``axis=1`` → (2, 1, 3).
    """
    return data.unsqueeze(normalize_axis("expand_dims", a.axis, data.dim(), extra=1, shape=_shape(data)))


class SqueezeAttrs(Attrs):
    axis: Shape | None = None


@register("squeeze", attrs=SqueezeAttrs)
def squeeze(data, *, a: SqueezeAttrs):
    """Remove axes of size 1 (all of them, or those in ``axis``).

    As in MXNet the result is never 0-d: squeezing (1, 1) gives (1,).
    Shapes: ``data`` (1, 3, 1) → (3,); with ``axis=(0,)`` → (3, 1).
    """
    shape = _shape(data)
    if a.axis is None:
        dims = [d for d, n in enumerate(shape) if n == 1]
    else:
        dims = check_axes("squeeze", a.axis, shape)
        for d in dims:
            if shape[d] != 1:
                raise GluonicValueError(
                    f"Operator squeeze: axis {d} has size {shape[d]}, not 1, so it cannot be squeezed. "
                    f"Received: axis={a.axis}, data shape {shape}"
                )
    out = tuple(n for d, n in enumerate(shape) if d not in dims)
    if not out and shape:
        out = (1,)
    return data.reshape(out)


@register("Flatten", aliases=("flatten", "_npx_batch_flatten"), batch=_PER_SAMPLE)
def flatten(data):
    """Collapse all axes but the first: (N, d1, d2, …) → (N, d1*d2*…); (N,) → (N, 1).

    Example: ``flatten(ones((2, 3, 4)))`` has shape ``(2, 12)``.
    """
    n = data.shape[0] if data.dim() else 1
    rest = math.prod(data.shape[1:]) if data.dim() else 1
    return data.reshape(n, rest)


# ------------------------------------------------------------------------------- broadcast
class BroadcastToAttrs(Attrs):
    shape: Shape = ()


def _broadcast(op: str, data: torch.Tensor, target: Sequence[int], detail: str) -> torch.Tensor:
    src = _shape(data)
    for s, t in zip(src, target):
        if s != t and s != 1:
            raise GluonicValueError(
                f"Operator {op}: cannot broadcast an array of shape {src} to {tuple(target)}: only axes of "
                f"size 1 can grow. Received: data shape {src}, {detail}"
            )
    return data.expand(tuple(target))


@register("broadcast_to", attrs=BroadcastToAttrs)
def broadcast_to(data, *, a: BroadcastToAttrs):
    """Broadcast ``data`` (axes of size 1) to ``shape``; a 0 in ``shape`` keeps that axis.

    Shapes: ``data`` (1, 3, 1) with ``shape=(2, 0, 4)`` → (2, 3, 4).
    """
    src = _shape(data)
    if len(a.shape) != len(src):
        raise GluonicValueError(
            f"Operator broadcast_to: shape must have one entry per axis of the input ({len(src)}). "
            f"Received: data shape {src}, shape={a.shape}"
        )
    target = [s if t == 0 else t for s, t in zip(src, a.shape)]
    return _broadcast("broadcast_to", data, target, f"shape={a.shape}")


class BroadcastAxisAttrs(Attrs):
    axis: Shape = ()
    size: Shape = ()


@register("broadcast_axis", attrs=BroadcastAxisAttrs, aliases=("broadcast_axes",))
def broadcast_axis(data, *, a: BroadcastAxisAttrs):
    """Broadcast axes ``axis`` (each of size 1) to the sizes ``size``.

    Shapes: ``data`` (1, 3, 1) with ``axis=(0, 2), size=(2, 5)`` → (2, 3, 5).
    """
    if len(a.axis) != len(a.size):
        raise GluonicValueError(
            f"Operator broadcast_axis: axis and size must have the same length. Received: axis={a.axis}, size={a.size}"
        )
    target = list(_shape(data))
    for d, n in zip(check_axes("broadcast_axis", a.axis, target), a.size):
        target[d] = n
    return _broadcast("broadcast_axis", data, target, f"axis={a.axis}, size={a.size}")


class BroadcastLikeAttrs(Attrs):
    lhs_axes: Shape | None = None
    rhs_axes: Shape | None = None


@register("broadcast_like", attrs=BroadcastLikeAttrs)
def broadcast_like(lhs, rhs, *, a: BroadcastLikeAttrs):
    """Broadcast ``lhs`` to the shape of ``rhs`` (or axes ``lhs_axes`` to ``rhs``'s ``rhs_axes``).

    Shapes: ``lhs`` (1, 3, 1), ``rhs`` (2, 3, 4) → (2, 3, 4); with ``lhs_axes=(0, 2),
    rhs_axes=(0, 1)`` and ``rhs`` (5, 6) → (5, 3, 6). ``rhs`` gets no gradient.
    """
    ls, rs = _shape(lhs), _shape(rhs)
    if a.lhs_axes is None and a.rhs_axes is None:
        if len(ls) != len(rs):
            raise GluonicValueError(
                f"Operator broadcast_like: lhs and rhs must have the same number of axes. Received: lhs {ls}, rhs {rs}"
            )
        return zero_grad_for(_broadcast("broadcast_like", lhs, rs, f"rhs shape {rs}"), rhs)
    if a.lhs_axes is None or a.rhs_axes is None or len(a.lhs_axes) != len(a.rhs_axes):
        raise GluonicValueError(
            "Operator broadcast_like: lhs_axes and rhs_axes must be given together, with the same length. "
            f"Received: lhs_axes={a.lhs_axes}, rhs_axes={a.rhs_axes}"
        )
    target = list(ls)
    lax = check_axes("broadcast_like", a.lhs_axes, ls, "lhs_axes")
    rax = [normalize_axis("broadcast_like", d, len(rs), "rhs_axes", shape=rs) for d in a.rhs_axes]
    for dl, dr in zip(lax, rax):
        target[dl] = rs[dr]
    detail = f"rhs shape {rs}, lhs_axes={a.lhs_axes}, rhs_axes={a.rhs_axes}"
    return zero_grad_for(_broadcast("broadcast_like", lhs, target, detail), rhs)


# ------------------------------------------------------------------------------- shape as data
@register("shape_array", aliases=("_npx_shape_array",), differentiable=False)
def shape_array(data):
    """The shape of ``data`` as a 1-d int64 array.

    Example: ``shape_array(ones((2, 3)))`` is ``[2, 3]``.
    """
    return torch.tensor(_shape(data), dtype=torch.int64, device=data.device)


@register("size_array", differentiable=False)
def size_array(data):
    """The number of elements of ``data`` as an int64 array of shape (1,).

    Example: ``size_array(ones((2, 3)))`` is ``[6]``.
    """
    return torch.tensor([data.numel()], dtype=torch.int64, device=data.device)


# ------------------------------------------------------------------------------- blocks
class BlockSizeAttrs(Attrs):
    block_size: int


def _check_blocks(op: str, data: torch.Tensor, b: int, divisible: dict[int, int]) -> None:
    if b < 1:
        raise GluonicValueError(f"Operator {op}: block_size must be a positive integer. Received: block_size={b}")
    if data.dim() != 4:
        raise GluonicValueError(f"Operator {op}: the input must be 4-d (N, C, H, W). Received: data shape {_shape(data)}")
    for axis, k in divisible.items():
        if data.shape[axis] % k:
            raise GluonicValueError(
                f"Operator {op}: axis {axis} (size {data.shape[axis]}) must be a multiple of {k}. "
                f"Received: data shape {_shape(data)}, block_size={b}"
            )


@register("depth_to_space", attrs=BlockSizeAttrs, batch=_PER_SAMPLE)
def depth_to_space(data, *, a: BlockSizeAttrs):
    """Move blocks of channels into spatial blocks (DCR order, as MXNet and ONNX's default).

    Shapes: (N, C, H, W) → (N, C / b², H·b, W·b) with ``b = block_size``.

    Example: ``depth_to_space(ones((1, 8, 2, 3)), 2)`` has shape ``(1, 2, 4, 6)``.
    """
    b = a.block_size
    _check_blocks("depth_to_space", data, b, {1: b * b})
    n, c, h, w = data.shape
    x = data.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2)
    return x.reshape(n, c // (b * b), h * b, w * b)


@register("space_to_depth", attrs=BlockSizeAttrs, batch=_PER_SAMPLE)
def space_to_depth(data, *, a: BlockSizeAttrs):
    """Move spatial blocks into channels (the inverse of ``depth_to_space``).

    Shapes: (N, C, H, W) → (N, C·b², H / b, W / b) with ``b = block_size``.

    Example: ``space_to_depth(ones((1, 2, 4, 6)), 2)`` has shape ``(1, 8, 2, 3)``.
    """
    b = a.block_size
    _check_blocks("space_to_depth", data, b, {2: b, 3: b})
    n, c, h, w = data.shape
    x = data.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)
