"""Reductions of ``mx.np``: sum, mean, std, var, max, min, prod, argmax, cumsum, any, all, average,
percentile, … with NumPy's signatures (``axis`` None/int/tuple, negative axes, ``keepdims``,
``dtype``, ``out``, ``initial``), running the registry ops of :mod:`gluonic.ops.np_reduce` and
:mod:`gluonic.ops.np_stats`; sorting and searching are in :mod:`._sorting`.

Reductions over every axis give 0-d arrays. Where the result dtypes differ from NumPy (float32
instead of float64 for the mean of integers, as MXNet) or from MXNet (int64 sums of integers,
as NumPy), :mod:`gluonic.ops.np_reduce` lists them.

>>> from gluonic import np
>>> x = np.array([[1, 2, 3], [4, 5, 6]])
>>> x.sum(axis=0)
array([5., 7., 9.])
>>> np.mean(x, axis=(0, 1), keepdims=True).shape
(1, 1)
"""
from __future__ import annotations

import numbers

import numpy as onp

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray
from . import _core
from ._sorting import *  # noqa: F403
from ._sorting import __all__ as _sorting_all

__all__ = ["sum", "mean", "std", "var", "max", "min", "amax", "amin", "prod", "product", "argmax", "argmin",
           "cumsum", "cumprod", "any", "all", "sometrue", "alltrue", "average", "count_nonzero", "ptp", "median",
           "percentile", "quantile", "nansum", "nanprod", "nanmean", "nanmax", "nanmin"] + _sorting_all

_builtin_all, _builtin_any = all, any


def as_input(x):
    """``x`` when it is an array or a symbol, else an ``mx.np.ndarray`` (lists and scalars → float32)."""
    if _core.is_symbol(x) or isinstance(x, NDArray):
        return x
    return _core.as_array(x)


def axis_attr(fname: str, axis):
    """NumPy's ``axis`` (None, an int, or a sequence of ints) as the ops' ``axis`` attribute."""
    if axis is None:
        return None
    if isinstance(axis, (numbers.Integral, onp.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (tuple, list)) and _builtin_all(
            isinstance(v, (numbers.Integral, onp.integer)) and not isinstance(v, bool) for v in axis):
        return tuple(int(v) for v in axis)
    raise GluonicTypeError(f"np.{fname}: axis must be None, an integer or a tuple of integers. Received: "
                           f"axis={axis!r}")


def int_axis(fname: str, axis):
    """An ``axis`` that must be None or one int (argmax, cumsum, sort, …)."""
    if axis is None or (isinstance(axis, (numbers.Integral, onp.integer)) and not isinstance(axis, bool)):
        return None if axis is None else int(axis)
    raise GluonicTypeError(f"np.{fname}: axis must be None or an integer. Received: axis={axis!r}")


def dtype_attr(dtype):
    """A dtype as the name the ops' ``dtype`` attribute stores (``'bfloat16'`` included)."""
    if dtype is None:
        return None
    return _dtype.name(dtype)


def _reduce(fname, op, a, axis, dtype=None, out=None, keepdims=False, initial=None, **more):
    attrs = {"axis": axis_attr(fname, axis), "keepdims": bool(keepdims), **more}
    if dtype is not None:
        attrs["dtype"] = dtype_attr(dtype)
    if initial is not None:
        attrs["initial"] = float(initial)
    return _core.call(op, [as_input(a)], out=out, **attrs)


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):  # noqa: A001 - NumPy's name
    """Sum of elements over ``axis`` (None: all, giving a 0-d array; int or tuple; negative axes count from the end).

    Bool and integer inputs sum in int64 (NumPy); ``dtype`` chooses; ``initial`` is added.
    Shapes: the input's without the reduced axes (size 1 with ``keepdims``).

    >>> mx.np.sum(mx.np.array([[1, 2], [3, 4]]), axis=1)
    array([3., 7.])
    """
    return _reduce("sum", "_np_sum", a, axis, dtype, out, keepdims, initial)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """Product of elements over ``axis`` (as :func:`sum`; an empty product is 1).

    >>> mx.np.prod(mx.np.array([[1, 2], [3, 4]]), axis=0)
    array([3., 8.])
    """
    return _reduce("prod", "_np_prod", a, axis, dtype, out, keepdims, initial)


product = prod


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    """Arithmetic mean over ``axis`` (integer and bool inputs give float32, as in MXNet; NumPy: float64).

    >>> mx.np.mean(mx.np.array([[1, 2], [3, 5]]), axis=0)
    array([2. , 3.5])
    """
    return _reduce("mean", "_npi_mean", a, axis, dtype, out, keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Variance over ``axis``, ``sum((x - x.mean())**2) / (N - ddof)`` (integers give float32).

    >>> mx.np.var(mx.np.array([1, 2, 3, 4]))
    array(1.25)
    """
    return _reduce("var", "_npi_var", a, axis, dtype, out, keepdims, ddof=int(ddof))


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Standard deviation over ``axis`` (the square root of :func:`var`).

    >>> mx.np.std(mx.np.array([1, 3]))
    array(1.)
    """
    return _reduce("std", "_npi_std", a, axis, dtype, out, keepdims, ddof=int(ddof))


def max(a, axis=None, out=None, keepdims=False, initial=None):  # noqa: A001 - NumPy's name
    """Maximum over ``axis``; a zero-size axis is an error unless ``initial`` is given.

    The gradient goes in full to every element equal to the maximum (MXNet's rule for ties).

    >>> mx.np.max(mx.np.array([[1, 7], [3, 4]]), axis=0)
    array([3., 7.])
    """
    return _reduce("max", "_np_max", a, axis, None, out, keepdims, initial)


def min(a, axis=None, out=None, keepdims=False, initial=None):  # noqa: A001 - NumPy's name
    """Minimum over ``axis`` (as :func:`max`).

    >>> mx.np.min(mx.np.array([[1, 7], [3, 4]]), axis=1)
    array([1., 3.])
    """
    return _reduce("min", "_np_min", a, axis, None, out, keepdims, initial)


amax, amin = max, min


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """Sum over ``axis`` treating NaN as 0 (as :func:`sum`).

    >>> mx.np.nansum(mx.np.array([1, float('nan'), 2]))
    array(3.)
    """
    return _reduce("nansum", "_npi_nansum", a, axis, dtype, out, keepdims, initial)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None):
    """Product over ``axis`` treating NaN as 1 (as :func:`prod`)."""
    return _reduce("nanprod", "_npi_nanprod", a, axis, dtype, out, keepdims, initial)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    """Mean over ``axis`` ignoring NaN (an all-NaN slice gives NaN; dtypes as :func:`mean`).

    >>> mx.np.nanmean(mx.np.array([1, float('nan'), 2]))
    array(1.5)
    """
    return _reduce("nanmean", "_npi_nanmean", a, axis, dtype, out, keepdims)


def nanmax(a, axis=None, out=None, keepdims=False, initial=None):
    """Maximum over ``axis`` ignoring NaN (an all-NaN slice gives NaN).

    >>> mx.np.nanmax(mx.np.array([1, float('nan'), 2]))
    array(2.)
    """
    return _reduce("nanmax", "_npi_nanmax", a, axis, None, out, keepdims, initial)


def nanmin(a, axis=None, out=None, keepdims=False, initial=None):
    """Minimum over ``axis`` ignoring NaN (an all-NaN slice gives NaN)."""
    return _reduce("nanmin", "_npi_nanmin", a, axis, None, out, keepdims, initial)


def ptp(a, axis=None, out=None, keepdims=False):
    """Peak to peak, ``max - min`` over ``axis``.

    >>> mx.np.ptp(mx.np.array([[1, 7], [3, 4]]), axis=1)
    array([6., 1.])
    """
    return _reduce("ptp", "_npi_ptp", a, axis, None, out, keepdims)


def any(a, axis=None, out=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether any element over ``axis`` is nonzero (a bool array; False for an empty reduction).

    >>> mx.np.any(mx.np.array([[0, 1], [0, 0]]), axis=1)
    array([ True, False])
    """
    return _reduce("any", "_np_any", a, axis, None, out, keepdims)


def all(a, axis=None, out=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether every element over ``axis`` is nonzero (a bool array; True for an empty reduction).

    >>> mx.np.all(mx.np.array([[1, 1], [0, 1]]), axis=0)
    array([False,  True])
    """
    return _reduce("all", "_np_all", a, axis, None, out, keepdims)


sometrue, alltrue = any, all


def count_nonzero(a, axis=None, *, keepdims=False):
    """The number of nonzero elements over ``axis`` (int64).

    >>> mx.np.count_nonzero(mx.np.array([[0, 1], [2, 3]]), axis=0)
    array([1, 2], dtype=int64)
    """
    return _reduce("count_nonzero", "_npi_count_nonzero", a, axis, None, None, keepdims)


def _arg(fname, op, a, axis, out, keepdims):
    return _core.call(op, [as_input(a)], out=out, axis=int_axis(fname, axis), keepdims=bool(keepdims))


def argmax(a, axis=None, out=None, *, keepdims=False):
    """Index (int64) of the maximum along ``axis`` (None: into the flattened array, a 0-d result).

    Ties and NaN give the first index. An empty search is an error.

    >>> mx.np.argmax(mx.np.array([[1, 9, 3], [7, 2, 7]]), axis=1)
    array([1, 0], dtype=int64)
    """
    return _arg("argmax", "_npi_argmax", a, axis, out, keepdims)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """Index (int64) of the minimum along ``axis`` (as :func:`argmax`).

    >>> mx.np.argmin(mx.np.array([[1, 9, 3], [7, 2, 2]]), axis=1)
    array([0, 1], dtype=int64)
    """
    return _arg("argmin", "_npi_argmin", a, axis, out, keepdims)


def _cum(fname, op, a, axis, dtype, out):
    attrs = {"axis": int_axis(fname, axis)}
    if dtype is not None:
        attrs["dtype"] = dtype_attr(dtype)
    return _core.call(op, [as_input(a)], out=out, **attrs)


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along ``axis`` (None: of the flattened array). Bool and integers sum in int64.

    >>> mx.np.cumsum(mx.np.array([[1, 2], [3, 4]]), axis=0)
    array([[1., 2.],
           [4., 6.]])
    """
    return _cum("cumsum", "_np_cumsum", a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product along ``axis`` (None: of the flattened array).

    >>> mx.np.cumprod(mx.np.array([1, 2, 3]))
    array([1., 2., 6.])
    """
    return _cum("cumprod", "_npi_cumprod", a, axis, dtype, out)


def average(a, axis=None, weights=None, returned=False):
    """Weighted average over ``axis``: ``sum(a * weights) / sum(weights)`` (the mean without weights).

    ``weights`` has ``a``'s shape, or is 1-d along the one ``axis``. With ``returned``, returns
    ``(average, sum_of_weights)``. Integer inputs give float32 (NumPy: float64).

    >>> mx.np.average(mx.np.array([[1, 2], [3, 4]]), axis=1, weights=mx.np.array([1, 3]))
    array([1.75, 3.75])
    """
    attrs = {"axis": axis_attr("average", axis), "returned": bool(returned), "weighted": weights is not None}
    inputs = [as_input(a)] + ([as_input(weights)] if weights is not None else [])
    out = _core.call("_npi_average", inputs, **attrs)
    return tuple(out) if returned else out


def _percentile(fname, a, q, axis, out, method, keepdims, interpolation, scale):
    if interpolation is not None:
        method = interpolation
    if method not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise GluonicValueError(f"np.{fname}: method must be one of linear, lower, higher, midpoint, nearest. "
                                f"Received: method={method!r}")
    attrs = {"axis": axis_attr(fname, axis), "interpolation": method, "keepdims": bool(keepdims)}
    top = 100 / scale
    if _core.is_scalar(q):
        if not 0 <= float(q) <= top:
            raise GluonicValueError(f"np.{fname}: q must be in the range [0, {top:g}]. Received: q={q}")
        return _core.call("_npi_percentile", [as_input(a)], out=out, q_scalar=float(q) * scale, **attrs)
    if isinstance(q, NDArray) or _core.is_symbol(q):
        q = q if scale == 1 else _core.call("_mul_scalar", [q], scalar=float(scale))
    else:
        qs = onp.asarray(q, dtype=onp.float64)
        if qs.size and not (qs.min() >= 0 and qs.max() <= top):
            raise GluonicValueError(f"np.{fname}: q must be in the range [0, {top:g}]. Received: q={q}")
        q = _core.as_array(qs * scale)
    return _core.call("_npi_percentile", [as_input(a), q], out=out, **attrs)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
               interpolation=None):
    """The ``q``-th percentiles (0..100; a scalar or an array) over ``axis``.

    ``method`` (or the older ``interpolation``): linear, lower, higher, midpoint, nearest.
    Shapes: ``q``'s shape followed by the reduced shape. Integer inputs give float32.

    >>> mx.np.percentile(mx.np.array([[1, 2, 3, 4]]), 50, axis=1)
    array([2.5])
    """
    return _percentile("percentile", a, q, axis, out, method, keepdims, interpolation, 1)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
             interpolation=None):
    """The ``q``-th quantiles (0..1) over ``axis`` (:func:`percentile` of ``100 * q``).

    >>> mx.np.quantile(mx.np.array([1, 2, 3, 4]), 0.25)
    array(1.75)
    """
    return _percentile("quantile", a, q, axis, out, method, keepdims, interpolation, 100)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median over ``axis`` (the 50th percentile; MXNet 1.9 has no ``np.median``).

    >>> mx.np.median(mx.np.array([[1, 2], [3, 5]]), axis=0)
    array([2. , 3.5])
    """
    return _percentile("median", a, 50, axis, out, "linear", keepdims, None, 1)
