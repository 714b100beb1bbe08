"""Sorting and searching of MXNet's NumPy interface: ``_npi_sort``/``_npi_argsort`` (aliases of the
legacy ``sort``/``argsort``, which MXNet's np symbols record), ``_npi_unique``, ``_npi_nonzero``
``_npi_bincount``, and the gluonic-only ``_npi_searchsorted``.

``unique``, ``nonzero`` and ``bincount`` have data-dependent output shapes: they run eagerly
(and inside compiled graphs, which run the same torch code), but symbolic shape inference
cannot know their shapes and says so.
"""
from __future__ import annotations

from typing import Literal

import torch

from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs
from .np_reduce import np_axis, np_label
from .registry import add_aliases, register

__all__ = ["NpUniqueAttrs", "NpBincountAttrs", "NpSearchsortedAttrs"]

add_aliases("sort", "_npi_sort")
add_aliases("argsort", "_npi_argsort")


def _data_dependent(name: str):
    def rule(shapes, dtypes, attrs):
        raise GluonicValueError(
            f"{np_label(name)}: the output shape depends on the input's values, so symbolic shape inference "
            f"cannot give it (the op runs eagerly and in compiled graphs). Received: input shapes {list(shapes)}")

    return rule


class NpUniqueAttrs(Attrs):
    return_index: bool = False
    return_inverse: bool = False
    return_counts: bool = False
    axis: int | None = None


def _unique_outputs(a: NpUniqueAttrs) -> int:
    return 1 + a.return_index + a.return_inverse + a.return_counts


@register("_npi_unique", attrs=NpUniqueAttrs, num_outputs=_unique_outputs,
          output_names=("output", "indices", "inverse", "counts"), shape_rule=_data_dependent("_npi_unique"),
          differentiable=False)
def np_unique(data, *, a: NpUniqueAttrs):
    """The sorted unique elements (``axis=None``: of the flattened array; else unique slices along ``axis``).

    Outputs, in order: the unique values; with ``return_index`` the (int64) index of each one's first
    occurrence; with ``return_inverse`` the indices that rebuild the input (the input's shape when
    ``axis=None``, as in NumPy 2; MXNet: flat); with ``return_counts`` the counts. The output
    shape depends on the data (no symbolic shape inference). NaNs count as one value (NumPy 2's
    ``equal_nan=True``) when ``axis=None``.

    >>> [o.asnumpy().tolist() for o in mx.nd._internal._npi_unique(mx.nd.array([3, 1, 3]), return_counts=True)]
    [[1.0, 3.0], [1, 2]]
    """
    if a.axis is None:
        x, ax = data.reshape(-1), 0
        values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True, return_counts=True)
        if values.dtype.is_floating_point:  # torch keeps every NaN apart (sorted last); NumPy 2 merges them
            k = int(torch.isnan(values).sum())
            if k > 1:
                m = values.shape[0] - k + 1
                values, inverse = values[:m], inverse.clamp(max=m - 1)
                counts = torch.cat([counts[:m - 1], counts[m - 1:].sum(0, keepdim=True)])
    else:
        ax = np_axis("_npi_unique", a.axis, data.dim(), data.shape)
        x = data
        values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True, return_counts=True, dim=ax)
    outs = [values]
    if a.return_index:
        n = x.shape[ax]
        first = torch.full((values.shape[ax],), n, dtype=torch.int64, device=x.device)
        outs.append(first.scatter_reduce(0, inverse, torch.arange(n, device=x.device), "amin"))
    if a.return_inverse:
        outs.append(inverse.reshape(data.shape) if a.axis is None else inverse)
    if a.return_counts:
        outs.append(counts)
    return outs[0] if len(outs) == 1 else tuple(outs)


@register("_npi_nonzero", shape_rule=_data_dependent("_npi_nonzero"),
          differentiable=False)
def np_nonzero(x):
    """The indices of the nonzero elements as an int64 array of shape (count, ndim) (NumPy's ``argwhere``).

    ``np.nonzero`` returns its columns. The output shape depends on the data (eager only).

    >>> mx.nd._internal._npi_nonzero(mx.nd.array([[0, 2], [3, 0]])).asnumpy().tolist()
    [[0, 1], [1, 0]]
    """
    return torch.nonzero(x)


class NpBincountAttrs(Attrs):
    minlength: int = 0
    has_weights: bool = False


@register("_npi_bincount", attrs=NpBincountAttrs, shape_rule=_data_dependent("_npi_bincount"),
          differentiable=False)
def np_bincount(data, weights=None, *, a: NpBincountAttrs):
    """Occurrences of each value ``0..max(data)`` in the 1-d non-negative integer ``data`` (eager only).

    Shapes: (n,) → (max(max(data) + 1, minlength),). Without weights the counts are int64; with
    ``weights`` (n,) the sums of the weights, in the weights' float dtype (float32 for integer
    weights; NumPy always gives float64).

    >>> mx.nd._internal._npi_bincount(mx.nd.array([0, 1, 1, 3], dtype='int64')).asnumpy().tolist()
    [1, 2, 0, 1]
    """
    name = np_label("_npi_bincount")
    if data.dim() != 1:
        raise GluonicValueError(f"{name}: the input must be 1-d. Received: shape {tuple(data.shape)}")
    if data.dtype.is_floating_point or data.dtype.is_complex:
        raise GluonicTypeError(f"{name}: the input must hold integers (NumPy cannot cast it safely to int64). "
                               f"Received: dtype {str(data.dtype).replace('torch.', '')}")
    if a.minlength < 0:
        raise GluonicValueError(f"{name}: minlength must be non-negative. Received: minlength={a.minlength}")
    x = data.to(torch.int64)
    if x.numel() and int(x.min()) < 0:
        raise GluonicValueError(f"{name}: the input must be non-negative. Received: minimum {int(x.min())}")
    if weights is None or not a.has_weights:
        return torch.bincount(x, minlength=a.minlength)
    if weights.shape != data.shape:
        raise GluonicValueError(f"{name}: weights must have the input's shape {tuple(data.shape)}. Received: "
                                f"weights shape {tuple(weights.shape)}")
    dt = weights.dtype if weights.dtype.is_floating_point else torch.float32
    acc = torch.float64 if dt == torch.float64 else torch.float32
    return torch.bincount(x, weights.to(acc), minlength=a.minlength).to(dt)


class NpSearchsortedAttrs(Attrs):
    side: Literal["left", "right"] = "left"


@register("_npi_searchsorted", attrs=NpSearchsortedAttrs, differentiable=False)
def np_searchsorted(a_sorted, v, sorter=None, *, a: NpSearchsortedAttrs):
    """Indices (int64, ``v``'s shape) where ``v``'s elements would be inserted to keep ``a_sorted`` sorted.

    ``side='left'``: the first suitable index, ``'right'``: the last. ``sorter`` (int) sorts
    an unsorted ``a_sorted``. A gluonic-only op (MXNet 1.9 falls back to NumPy).

    >>> mx.nd._internal._npi_searchsorted(mx.nd.array([1, 2, 3]), mx.nd.array([2.5, 2])).asnumpy().tolist()
    [2, 1]
    """
    if a_sorted.dim() != 1:
        raise GluonicValueError(f"{np_label('_npi_searchsorted')}: the sorted array must be 1-d. Received: shape "
                                f"{tuple(a_sorted.shape)}")
    dt = torch.promote_types(a_sorted.dtype, v.dtype)
    if dt == torch.bool:
        dt = torch.uint8
    order = None if sorter is None else sorter.to(torch.int64)
    out = torch.searchsorted(a_sorted.to(dt), v.to(dt).reshape(-1), right=a.side == "right", sorter=order)
    return out.reshape(v.shape)
