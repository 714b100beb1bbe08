"""Sequence operators for padded batches: SequenceMask, SequenceLast, SequenceReverse.

Data is time-major by default, (T, B, …) with ``axis=0``; ``axis=1`` takes batch-major
(B, T, …). With ``use_sequence_length=True`` the ``sequence_length`` input (B,) gives each
sequence's length; it may be float (as MXNet stores it) or integer, and fractional lengths
are truncated like MXNet. Without it every sequence has the full length T.

Where MXNet reads out of bounds (a length of 0, negative or above T in ``SequenceLast``,
above T in ``SequenceReverse``), gluonic clamps the length into [1, T] (``SequenceLast``) or
[0, T] (``SequenceReverse``) instead.
"""
from __future__ import annotations

import torch

from ..base import GluonicValueError
from .attrs import Attrs
from .registry import register


class SequenceAttrs(Attrs):
    use_sequence_length: bool = False
    axis: int = 0


class SequenceMaskAttrs(Attrs):
    use_sequence_length: bool = False
    value: float = 0.0
    axis: int = 0


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _lengths(op: str, data: torch.Tensor, sequence_length, a, axes=(0, 1)) -> torch.Tensor | None:
    """Validated integer lengths (B,), or None when every sequence has the full length."""
    if a.axis not in axes:
        allowed = " or ".join(str(x) for x in axes)
        raise GluonicValueError(f"Operator {op}: axis must be {allowed} (the time axis). Received: axis={a.axis}")
    if data.ndim < 2:
        raise GluonicValueError(f"Operator {op}: data needs a time and a batch axis (at least 2 dimensions). "
                                f"Received: data{_shape(data)}")
    if not a.use_sequence_length:
        if sequence_length is not None:
            raise GluonicValueError(
                f"Operator {op}: sequence_length was given but use_sequence_length is False; pass "
                f"use_sequence_length=True to use it. Received: sequence_length{_shape(sequence_length)}"
            )
        return None
    if sequence_length is None:
        raise GluonicValueError(f"Operator {op}: use_sequence_length=True needs the sequence_length input. "
                                f"Received: data{_shape(data)} only")
    batch = data.shape[1 - a.axis]
    if _shape(sequence_length) != (batch,):
        raise GluonicValueError(
            f"Operator {op}: sequence_length must have shape ({batch},), one length per sequence (data's axis "
            f"{1 - a.axis}). Received: data{_shape(data)}, sequence_length{_shape(sequence_length)}"
        )
    return sequence_length.detach().to(torch.int64)  # truncates fractional lengths toward zero


def _steps(data: torch.Tensor, axis: int) -> torch.Tensor:
    """Time indices shaped (T, 1) for axis 0 or (1, T) for axis 1, to compare with lengths."""
    t = torch.arange(data.shape[axis], device=data.device)
    return t[:, None] if axis == 0 else t[None, :]


def _batch_vector(lengths: torch.Tensor, axis: int) -> torch.Tensor:
    return lengths[None, :] if axis == 0 else lengths[:, None]


def _spread(index: torch.Tensor, data: torch.Tensor) -> torch.Tensor:
    """Broadcast a (T, B) or (B, T) array over data's trailing axes."""
    return index.reshape(_shape(index) + (1,) * (data.ndim - 2))


@register("SequenceMask", attrs=SequenceMaskAttrs, aliases=("_npx_sequence_mask",))
def sequence_mask(data, sequence_length=None, *, a: SequenceMaskAttrs):
    """Set the steps of each sequence past its length to ``value``.

    Shapes: ``data`` (T, B, …) for ``axis=0`` or (B, T, …) for ``axis=1``;
    ``sequence_length`` (B,) → ``output`` like data (same dtype; ``value`` is cast to it).

    Example: ``nd.SequenceMask(x, lengths, use_sequence_length=True, value=-1e9)``.
    """
    lengths = _lengths("SequenceMask", data, sequence_length, a)
    if lengths is None:
        return data.clone()
    keep = _spread(_steps(data, a.axis) < _batch_vector(lengths, a.axis), data)
    fill = torch.tensor(a.value if data.dtype.is_floating_point else int(a.value)).to(data.dtype)
    return torch.where(keep, data, fill.to(data.device))


@register("SequenceLast", attrs=SequenceAttrs)
def sequence_last(data, sequence_length=None, *, a: SequenceAttrs):
    """The last valid step of each sequence.

    Shapes: ``data`` (T, B, …) for ``axis=0`` or (B, T, …) for ``axis=1``;
    ``sequence_length`` (B,) → ``output`` (B, …).

    Example: ``nd.SequenceLast(outputs, lengths, use_sequence_length=True)`` for RNN outputs (T, B, H).
    """
    lengths = _lengths("SequenceLast", data, sequence_length, a)
    steps = data.shape[a.axis]
    if lengths is None:
        return data.select(a.axis, steps - 1).clone()
    last = (lengths - 1).clamp(0, steps - 1)
    batch = torch.arange(data.shape[1 - a.axis], device=data.device)
    return data[last, batch] if a.axis == 0 else data[batch, last]


@register("SequenceReverse", attrs=SequenceAttrs)
def sequence_reverse(data, sequence_length=None, *, a: SequenceAttrs):
    """Reverse the first ``length`` steps of each sequence; the padding after them stays in place.

    Unlike MXNet (axis 0 only), ``axis=1`` (batch-major data) is supported.

    Shapes: ``data`` (T, B, …) for ``axis=0`` or (B, T, …) for ``axis=1``;
    ``sequence_length`` (B,) → ``output`` like data.

    Example: ``nd.SequenceReverse(x, lengths, use_sequence_length=True)``.
    """
    lengths = _lengths("SequenceReverse", data, sequence_length, a)
    if lengths is None:
        return data.flip(a.axis)
    steps = data.shape[a.axis]
    t = _steps(data, a.axis)
    n = _batch_vector(lengths.clamp(0, steps), a.axis)
    source = torch.where(t < n, n - 1 - t, t)
    return torch.gather(data, a.axis, _spread(source, data).expand(data.shape))
