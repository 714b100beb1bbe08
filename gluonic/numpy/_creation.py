"""Array creation: ``array``, ``zeros``, ``ones``, ``full``, ``empty``, ``arange``, ``linspace``, ``eye``, ... ."""
from __future__ import annotations

from ._core import as_array

__all__ = ["array", "asarray"]


def array(object, dtype=None, ctx=None, copy=True):  # noqa: A002 - NumPy's parameter name
    """An ``mx.np.ndarray`` from an array-like (a copy).

    Lists and Python scalars become float32 unless ``dtype`` is given (MXNet's default);
    NumPy and mx arrays keep their dtype.

    Shapes: whatever ``object`` has. Example: ``np.array([[1, 2], [3, 4]]).shape`` is (2, 2).
    """
    from ..ndarray.ndarray import NDArray

    if isinstance(object, NDArray):
        x = object.astype(dtype) if dtype is not None else object.copy()
        return as_array(x.as_in_context(ctx) if ctx is not None else x)
    return as_array(object, dtype=dtype, ctx=ctx)


def asarray(a, dtype=None, ctx=None):
    """Like :func:`array` but without a copy when ``a`` already is an mx array of that dtype."""
    return as_array(a, dtype=dtype, ctx=ctx)
