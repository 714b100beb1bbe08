"""Sorting, searching and counting of ``mx.np``: sort, argsort, unique, nonzero, argwhere, flatnonzero,
searchsorted, bincount, diff, ediff1d (NumPy signatures over the ops of :mod:`gluonic.ops.np_sort`
and :mod:`gluonic.ops.np_stats`).

``unique``, ``nonzero``, ``argwhere``, ``flatnonzero`` and ``bincount`` have output shapes that
depend on the values: use them eagerly (``nonzero`` refuses symbols; the others trace, but
shape inference cannot see through them).

>>> from gluonic import np
>>> np.sort(np.array([3, 1, 2]))
array([1., 2., 3.])
>>> np.unique(np.array([3, 1, 3]), return_counts=True)
(array([1., 3.]), array([1, 2], dtype=int64))
"""
from __future__ import annotations

import numbers

import numpy as onp

from ..base import GluonicTypeError, GluonicValueError, NotImplementedForSymbol
from ..ndarray.ndarray import NDArray
from . import _core

__all__ = ["sort", "argsort", "unique", "nonzero", "argwhere", "flatnonzero", "searchsorted", "bincount", "diff",
           "ediff1d"]


def _input(x):
    if _core.is_symbol(x) or isinstance(x, NDArray):
        return x
    return _core.as_array(x)


def _int(fname: str, what: str, v, allow_none: bool = True):
    if v is None and allow_none:
        return None
    if isinstance(v, (numbers.Integral, onp.integer)) and not isinstance(v, bool):
        return int(v)
    raise GluonicTypeError(f"np.{fname}: {what} must be an integer{' or None' if allow_none else ''}. "
                           f"Received: {what}={v!r}")


def _no_order(fname: str, order) -> None:
    if order is not None:
        raise GluonicValueError(f"np.{fname}: order (for structured arrays) is not supported. Received: "
                                f"order={order!r}")


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """A sorted copy along ``axis`` (None: of the flattened array). Sorting is always stable.

    The gradient goes to the element each output came from.

    >>> mx.np.sort(mx.np.array([[3, 1], [0, 5]]), axis=0)
    array([[0., 1.],
           [3., 5.]])
    """
    _no_order("sort", order)
    return _core.call("sort", [_input(a)], axis=_int("sort", "axis", axis), is_ascend=True)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The (int64) indices that sort ``a`` along ``axis`` (None: the flattened array); ties keep their order.

    >>> mx.np.argsort(mx.np.array([3, 1, 2]))
    array([1, 2, 0], dtype=int64)
    """
    _no_order("argsort", order)
    return _core.call("argsort", [_input(a)], axis=_int("argsort", "axis", axis), is_ascend=True, dtype="int64")


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True):
    """The sorted unique elements (or unique slices along ``axis``); data-dependent shape, eager only.

    With ``return_index``/``return_inverse``/``return_counts`` returns a tuple adding the int64
    first-occurrence indices, the indices rebuilding ``ar`` (``ar``'s shape for ``axis=None``,
    as NumPy 2), and the counts. NaNs count as one value (NumPy 2's ``equal_nan=True``) when ``axis=None``.

    >>> mx.np.unique(mx.np.array([[1, 2], [2, 3]]), return_inverse=True)
    (array([1., 2., 3.]), array([[0, 1],
           [1, 2]], dtype=int64))
    """
    if not equal_nan:
        raise GluonicValueError("np.unique: equal_nan=False is not supported. Received: equal_nan=False")
    out = _core.call("_npi_unique", [_input(ar)], return_index=bool(return_index),
                     return_inverse=bool(return_inverse), return_counts=bool(return_counts),
                     axis=_int("unique", "axis", axis))
    return tuple(out) if isinstance(out, (list, tuple)) else out


def nonzero(a):
    """The indices of the nonzero elements, one int64 array per axis (data-dependent shapes, eager only).

    A 0-d input is an error, as in NumPy 2 (MXNet treats it as shape (1,)).

    >>> mx.np.nonzero(mx.np.array([[0, 2], [3, 0]]))
    (array([0, 1], dtype=int64), array([1, 0], dtype=int64))
    """
    if _core.is_symbol(a):
        raise NotImplementedForSymbol(nonzero, "_npi_nonzero")
    a = _input(a)
    if a.ndim == 0:
        raise GluonicValueError("np.nonzero: calling nonzero on a 0-d array is not allowed; use "
                                "np.atleast_1d(x).nonzero(). Received: shape ()")
    rows = _core.call("_npi_nonzero", [a])
    return tuple(_core.as_array(rows._tensor[:, i].contiguous()) for i in range(a.ndim))


def argwhere(a):
    """The indices of the nonzero elements as an int64 array of shape (count, ndim) (data-dependent, eager).

    >>> mx.np.argwhere(mx.np.array([[0, 2], [3, 0]]))
    array([[0, 1],
           [1, 0]], dtype=int64)
    """
    return _core.call("_npi_nonzero", [_input(a)])


def flatnonzero(a):
    """The indices of the nonzero elements of the flattened array, int64 (data-dependent, eager).

    >>> mx.np.flatnonzero(mx.np.array([[0, 2], [3, 0]]))
    array([1, 2], dtype=int64)
    """
    flat = _core.call("_npx_reshape", [_input(a)], newshape=(-1,))
    return _core.call("_npx_reshape", [_core.call("_npi_nonzero", [flat])], newshape=(-1,))


def searchsorted(a, v, side="left", sorter=None):
    """Indices (int64, ``v``'s shape) where ``v`` would be inserted into the sorted 1-d ``a``.

    >>> mx.np.searchsorted(mx.np.array([1, 2, 3]), mx.np.array([2.5, 2]))
    array([2, 1], dtype=int64)
    """
    if side not in ("left", "right"):
        raise GluonicValueError(f"np.searchsorted: side must be 'left' or 'right'. Received: side={side!r}")
    inputs = [_input(a), _input(v)] + ([_input(sorter)] if sorter is not None else [])
    return _core.call("_npi_searchsorted", inputs, side=side)


def bincount(x, weights=None, minlength=0):
    """Counts of each value 0..max(x) in the 1-d non-negative integer ``x`` (data-dependent, eager).

    With ``weights``, sums of weights (in the weights' float dtype; NumPy: float64).

    >>> mx.np.bincount(mx.np.array([0, 1, 1, 3], dtype='int64'))
    array([1, 2, 0, 1], dtype=int64)
    """
    inputs = [_input(x)] + ([_input(weights)] if weights is not None else [])
    return _core.call("_npi_bincount", inputs, minlength=_int("bincount", "minlength", minlength, False),
                      has_weights=weights is not None)


def _edge(value, a, axis: int):
    """``prepend``/``append`` of :func:`diff` as an array joining ``a`` along ``axis`` (eager ``a``).

    Python scalars take ``a``'s dtype; a 0-d value is broadcast to ``a``'s shape with ``axis`` of size 1.
    """
    v = _core.as_array(value, dtype=a.dtype if _core.is_scalar(value) else None)
    if v.ndim == 0:
        shape = list(a.shape)
        shape[axis] = 1
        v = _core.as_array(v._tensor.reshape([1] * len(shape)).expand(shape).contiguous())
    return v


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """The ``n``-th discrete difference along ``axis`` (``prepend``/``append`` values are joined first).

    Bool inputs give ``a[i+1] != a[i]``, as in NumPy.

    >>> mx.np.diff(mx.np.array([1, 4, 9, 16]))
    array([3., 5., 7.])
    """
    a = _input(a)
    n = _int("diff", "n", n, False)
    axis = _int("diff", "axis", axis, False)
    if prepend is not None or append is not None:
        if _core.is_symbol(a):
            parts = [p for p in (prepend, a, append) if p is not None]
            if not all(_core.is_symbol(p) for p in parts):
                raise NotImplementedForSymbol(diff, "_npi_diff")
        else:
            if a.ndim == 0:
                raise GluonicValueError("np.diff: diff requires an input that is at least 1-d. Received: shape ()")
            ax = axis % a.ndim if -a.ndim <= axis < a.ndim else axis
            parts = ([_edge(prepend, a, ax)] if prepend is not None else []) + [a] + (
                [_edge(append, a, ax)] if append is not None else [])
            dt = onp.result_type(*[p.dtype for p in parts])
            parts = [p if p.dtype == dt else p.astype(dt) for p in parts]
        a = _core.call("Concat", parts, dim=axis, num_args=len(parts))
    return _core.call("_npi_diff", [a], n=n, axis=axis)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences between consecutive elements of the flattened ``ary``, with ``to_begin``/``to_end`` added.

    >>> mx.np.ediff1d(mx.np.array([1, 2, 4]), to_begin=-9)
    array([-9.,  1.,  2.])
    """
    inputs = [_input(ary)]
    attrs = {"to_begin_arr_given": False, "to_end_arr_given": False}
    for key, value in (("to_begin", to_begin), ("to_end", to_end)):
        if value is None:
            continue
        if _core.is_scalar(value):
            attrs[f"{key}_scalar"] = float(value)
        else:
            inputs.append(_input(value))
            attrs[f"{key}_arr_given"] = True
    return _core.call("_npi_ediff1d", inputs, **attrs)
