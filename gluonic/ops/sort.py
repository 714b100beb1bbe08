"""Sorting and search along an axis: ``sort``, ``argsort``, ``topk``.

Semantics follow MXNet 1.9 (``axis=None`` works on the flattened array; index outputs
default to float32 and can be float16/32/64, int32/64 or uint8 via ``dtype``).

Ties: gluonic sorts stably, so equal elements keep their input order (the lower index
first), in ascending and descending order alike. MXNet agrees on short rows but its order
among ties on long rows is unspecified (it differs between CPU and GPU). NaN sorts as the
largest value (MXNet's order with NaN is undefined). float16 and bool inputs, which MXNet
rejects, are supported.

Gradients: ``sort`` and the values of ``topk`` are differentiable (the gradient goes to
the element each output came from; MXNet 1.9 fails in ``sort``'s backward). Index and
mask outputs get MXNet's zero gradient.

Batching (fold): ``axis`` decides whether the batch axis 0 is sorted over, so these ops
declare no batch rule.
"""
from __future__ import annotations

from typing import Literal

import torch

from ..base import GluonicValueError
from .attrs import Attrs
from .reduce import normalize_axis, zero_grad_output
from .registry import register

__all__ = ["SortAttrs", "ArgsortAttrs", "TopKAttrs"]

IndexDType = Literal["float16", "float32", "float64", "int32", "int64", "uint8"]

_INDEX_DTYPES = {
    "float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
    "int32": torch.int32, "int64": torch.int64, "uint8": torch.uint8,
}


class SortAttrs(Attrs):
    axis: int | None = -1
    is_ascend: bool = True


class ArgsortAttrs(Attrs):
    axis: int | None = -1
    is_ascend: bool = True
    dtype: IndexDType = "float32"


class TopKAttrs(Attrs):
    axis: int | None = -1
    k: int = 1
    ret_typ: Literal["both", "indices", "mask", "value"] = "indices"
    is_ascend: bool = False
    dtype: IndexDType = "float32"


def _sorted(op: str, data: torch.Tensor, axis: int | None, ascending: bool):
    """``(values, int64 indices, axis)`` of a stable sort; ``axis=None`` flattens first."""
    x = data
    if axis is None:
        x, ax = data.reshape(-1), 0
    else:
        ax = normalize_axis(op, axis, tuple(data.shape))
    values, indices = torch.sort(x, dim=ax, descending=not ascending, stable=True)
    return values, indices, ax


@register("sort", attrs=SortAttrs, output_names=("output0",))
def sort(data, *, a: SortAttrs):
    """Sorted copy of ``data`` along ``axis`` (``axis=None``: the flattened array).

    Shapes: ``data`` (…) → same shape; (size,) for ``axis=None``. Same dtype.

    >>> mx.nd.sort(mx.nd.array([[3, 1, 2], [0, 5, 4]])).asnumpy().tolist()
    [[1.0, 2.0, 3.0], [0.0, 4.0, 5.0]]
    >>> mx.nd.sort(mx.nd.array([3, 1, 2]), is_ascend=False).asnumpy().tolist()
    [3.0, 2.0, 1.0]
    """
    return _sorted("sort", data, a.axis, a.is_ascend)[0]


@register("argsort", attrs=ArgsortAttrs)
def argsort(data, *, a: ArgsortAttrs):
    """Indices that sort ``data`` along ``axis`` (``axis=None``: into the flattened array).

    Shapes: ``data`` (…) → same shape; (size,) for ``axis=None``. Indices have dtype
    ``dtype`` (default float32). Ties keep their input order.

    >>> mx.nd.argsort(mx.nd.array([[3, 1, 2], [0, 5, 4]])).asnumpy().tolist()
    [[1.0, 2.0, 0.0], [0.0, 2.0, 1.0]]
    """
    indices = _sorted("argsort", data, a.axis, a.is_ascend)[1]
    return zero_grad_output(indices.to(_INDEX_DTYPES[a.dtype]), data)


def _topk_outputs(a: TopKAttrs) -> int:
    return 2 if a.ret_typ == "both" else 1


@register("topk", attrs=TopKAttrs, num_outputs=_topk_outputs, output_names=("output0", "output1"))
def topk(data, *, a: TopKAttrs):
    """The ``k`` largest (``is_ascend=True``: smallest) elements along ``axis``, in order.

    ``ret_typ``: ``'indices'`` (default) their indices, ``'value'`` their values, ``'both'``
    ``[values, indices]``, ``'mask'`` an array of ``data``'s shape and dtype with 1 where a
    selected element sits. ``k <= 0`` selects the whole axis; ``axis=None`` searches the
    flattened array. Indices have dtype ``dtype`` (default float32).

    Shapes: ``data`` (…, n, …) → (…, k, …); (k,) for ``axis=None``; the mask keeps
    ``data``'s shape.

    >>> x = mx.nd.array([[3, 1, 2], [0, 5, 4]])
    >>> mx.nd.topk(x, k=2).asnumpy().tolist()
    [[0.0, 2.0], [1.0, 2.0]]
    >>> mx.nd.topk(x, k=1, ret_typ='value', is_ascend=True).asnumpy().tolist()
    [[1.0], [0.0]]
    """
    x = data.reshape(-1) if a.axis is None else data
    ax = 0 if a.axis is None else normalize_axis("topk", a.axis, tuple(data.shape))
    n = x.shape[ax]
    k = n if a.k <= 0 else a.k
    if k > n:
        raise GluonicValueError(
            f"Operator topk: k={a.k} is larger than the size {n} of axis {a.axis} in an input of shape "
            f"{tuple(data.shape)}. Received: k={a.k}, axis={a.axis}, data shape {tuple(data.shape)}"
        )
    values, indices = torch.sort(x, dim=ax, descending=not a.is_ascend, stable=True)
    values, indices = values.narrow(ax, 0, k), indices.narrow(ax, 0, k)
    if a.ret_typ == "value":
        return values
    if a.ret_typ == "mask":
        mask = torch.zeros_like(x).scatter(ax, indices, torch.ones((), dtype=x.dtype, device=x.device).expand(indices.shape))
        return zero_grad_output(mask.reshape(data.shape), data)
    indices = zero_grad_output(indices.to(_INDEX_DTYPES[a.dtype]), data)
    return (values, indices) if a.ret_typ == "both" else indices
