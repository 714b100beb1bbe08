"""Statistics and differences of MXNet's NumPy interface: ``_npi_average``, ``_npi_percentile``
(also behind ``np.quantile`` and ``np.median``), ``_npi_diff``, ``_npi_ediff1d`` (MXNet 1.9's names
and attributes). Integer inputs give float32 results where NumPy gives float64 (MXNet's default
float; MXNet 1.9's ``average`` truncates them to the integer dtype instead).
"""
from __future__ import annotations

from typing import Literal

import torch

from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs, Shape
from .np_reduce import float_dtype, np_axes, np_axis, np_label, rsum
from .registry import register

__all__ = ["NpAverageAttrs", "NpPercentileAttrs", "NpDiffAttrs", "NpEdiff1dAttrs"]


class NpAverageAttrs(Attrs):
    axis: Shape | None = None
    returned: bool = False
    weighted: bool = True


def _average_outputs(a: NpAverageAttrs) -> int:
    return 2 if a.returned else 1


def _weights_for(x: torch.Tensor, w: torch.Tensor, a: NpAverageAttrs) -> torch.Tensor:
    """``w`` broadcastable against ``x``: the same shape, or 1-d along the single ``axis`` (NumPy's rules)."""
    if w.shape == x.shape:
        return w
    name = np_label("_npi_average")
    received = f"Received: a shape {tuple(x.shape)}, weights shape {tuple(w.shape)}, axis={a.axis}"
    if a.axis is None or len(a.axis) != 1:
        raise GluonicValueError(f"{name}: axis must be one int when the shapes of a and weights differ. {received}")
    if w.dim() != 1:
        raise GluonicValueError(f"{name}: 1-d weights expected when the shapes of a and weights differ. {received}")
    ax = np_axis("_npi_average", a.axis[0], x.dim(), x.shape)
    if w.shape[0] != x.shape[ax]:
        raise GluonicValueError(f"{name}: the length of weights is not that of the axis. {received}")
    shape = [1] * x.dim()
    shape[ax] = w.shape[0]
    return w.reshape(shape)


@register("_npi_average", attrs=NpAverageAttrs, num_outputs=_average_outputs, output_names=("output", "sum_of_weights"))
def np_average(data, weights=None, *, a: NpAverageAttrs):
    """Weighted average over ``axis``: ``sum(a * w) / sum(w)`` (plain mean when ``weighted=False``).

    Shapes: ``data`` (d0, …) → the shape without the reduced axes; ``weights`` has ``data``'s
    shape, or is 1-d along the one ``axis``. With ``returned`` a second output holds the sum of
    the weights (the element count when unweighted), broadcast to the result's shape. Weights
    summing to zero give inf/NaN (NumPy raises ZeroDivisionError).

    >>> mx.nd._internal._npi_average(mx.nd.array([[1, 2], [3, 4]]), mx.nd.array([1, 3]), axis=1).asnumpy().tolist()
    [1.75, 3.75]
    """
    dims = np_axes("_npi_average", data.shape, a.axis)
    if weights is None or not a.weighted:
        dt = float_dtype(data, None)
        x = data.to(torch.float32 if dt in (torch.float16, torch.bfloat16) else dt)
        count = 1
        for d in dims:
            count *= x.shape[d]
        avg = (rsum(x, dims, False) / count).to(dt)
        scl = torch.full(avg.shape, count, dtype=dt, device=x.device)
    else:
        dt = torch.promote_types(data.dtype, weights.dtype)
        dt = dt if dt.is_floating_point else torch.float32
        w = _weights_for(data, weights, a).to(dt)
        scl = rsum(w.expand(data.shape), dims, False)
        avg = rsum(data.to(dt) * w, dims, False) / scl
    return (avg, scl) if a.returned else avg


class NpPercentileAttrs(Attrs):
    axis: Shape | None = None
    interpolation: Literal["higher", "linear", "lower", "midpoint", "nearest"] = "linear"
    keepdims: bool = False
    q_scalar: float | None = None


@register("_npi_percentile", attrs=NpPercentileAttrs)
def np_percentile(data, q=None, *, a: NpPercentileAttrs):
    """The ``q``-th percentiles (0..100) over ``axis`` with NumPy's ``interpolation`` methods.

    ``q`` is the input array ``q`` or the attribute ``q_scalar``. Shapes: ``q``'s shape followed
    by ``data``'s shape without the reduced axes (kept as size 1 with ``keepdims``). Float
    inputs keep their dtype; integer inputs give float32 (NumPy: float64). NaN propagates.

    >>> mx.nd._internal._npi_percentile(mx.nd.array([[1, 2, 3, 4]]), q_scalar=50, axis=1).asnumpy().tolist()
    [2.5]
    """
    name = np_label("_npi_percentile")
    if q is None:
        if a.q_scalar is None:
            raise GluonicValueError(f"{name}: give q as an input array or as q_scalar. Received: neither")
        if not 0 <= a.q_scalar <= 100:
            raise GluonicValueError(f"{name}: percentiles must be in the range [0, 100]. Received: q={a.q_scalar}")
    dims = np_axes("_npi_percentile", data.shape, a.axis)
    dt = float_dtype(data, None)
    x = data.to(torch.float64 if dt == torch.float64 else torch.float32)
    kept = [d for d in range(x.dim()) if d not in dims]
    kept_shape = [x.shape[d] for d in kept]
    n = 1
    for d in dims:
        n *= x.shape[d]
    if n == 0:
        raise GluonicValueError(f"{name}: cannot take percentiles over a zero-size axis. Received: shape "
                                f"{tuple(x.shape)}, axes {dims}")
    flat = x.permute(*kept, *dims).reshape(*kept_shape, n)
    qq = torch.tensor(a.q_scalar, dtype=x.dtype, device=x.device) if q is None else q.to(x.dtype)
    out = torch.quantile(flat, qq.reshape(-1) / 100, dim=-1, interpolation=a.interpolation)
    tail = [1 if d in dims else s for d, s in enumerate(x.shape)] if a.keepdims else kept_shape
    return out.reshape(tuple(qq.shape) + tuple(tail)).to(dt)


class NpDiffAttrs(Attrs):
    n: int = 1
    axis: int = -1


@register("_npi_diff", attrs=NpDiffAttrs)
def np_diff(data, *, a: NpDiffAttrs):
    """The ``n``-th discrete difference along ``axis``: ``out[i] = a[i+1] - a[i]``, applied ``n`` times.

    Shapes: the ``axis`` length shrinks by ``n`` (to 0 at most). Same dtype; bool inputs give
    ``a[i+1] != a[i]`` (NumPy; MXNet 1.9 subtracts in float32).

    >>> mx.nd._internal._npi_diff(mx.nd.array([1, 4, 9, 16]), n=2).asnumpy().tolist()
    [2.0, 2.0]
    """
    name = np_label("_npi_diff")
    if data.dim() == 0:
        raise GluonicValueError(f"{name}: diff requires an input that is at least 1-d. Received: shape ()")
    if a.n < 0:
        raise GluonicValueError(f"{name}: the order n must be non-negative. Received: n={a.n}")
    ax = np_axis("_npi_diff", a.axis, data.dim(), data.shape)
    if a.n == 0:
        return data.clone()
    return torch.diff(data, a.n, ax)


class NpEdiff1dAttrs(Attrs):
    to_begin_arr_given: bool = False
    to_end_arr_given: bool = False
    to_begin_scalar: float | None = None
    to_end_scalar: float | None = None


@register("_npi_ediff1d", attrs=NpEdiff1dAttrs)
def np_ediff1d(input1, input2=None, input3=None, *, a: NpEdiff1dAttrs):
    """Differences between consecutive elements of the flattened ``input1``, with values put before/after.

    The arrays given follow ``input1`` in order: ``to_begin`` (when ``to_begin_arr_given``) then
    ``to_end`` (when ``to_end_arr_given``); else ``to_begin_scalar``/``to_end_scalar``. Shapes:
    (size - 1 + len(to_begin) + len(to_end),), ``input1``'s dtype (the extra values are cast to it).

    >>> mx.nd._internal._npi_ediff1d(mx.nd.array([1, 2, 4]), to_end_scalar=9).asnumpy().tolist()
    [1.0, 2.0, 9.0]
    """
    if input1.dtype == torch.bool:
        raise GluonicTypeError(f"{np_label('_npi_ediff1d')}: bool input is not supported (NumPy: boolean "
                               "subtract). Received: dtype bool")
    x = input1.reshape(-1)
    parts = [x[1:] - x[:-1]]
    arrays = iter([t for t in (input2, input3) if t is not None])

    def extra(given: bool, scalar):
        if given:
            t = next(arrays, None)
            if t is None:
                raise GluonicValueError(f"{np_label('_npi_ediff1d')}: an array input is missing for the flags "
                                        f"given. Received: {a}")
            return t.reshape(-1).to(x.dtype)
        if scalar is not None:
            return torch.full((1,), scalar, dtype=x.dtype, device=x.device)
        return None

    begin = extra(a.to_begin_arr_given, a.to_begin_scalar)
    end = extra(a.to_end_arr_given, a.to_end_scalar)
    if begin is not None:
        parts.insert(0, begin)
    if end is not None:
        parts.append(end)
    return torch.cat(parts) if len(parts) > 1 else parts[0]
