"""Array creation: ``array``, ``zeros``, ``ones``, ``full``, ``empty``, ``arange``, ``linspace``, ``eye``, ... .

Defaults follow MXNet's np: float32 for ``zeros/ones/full/empty/arange/linspace/logspace/eye/
identity/tri`` and for lists/Python scalars, int32 for ``indices``; NumPy arrays keep their dtype.
Every function takes ``ctx=`` (MXNet) or its synonym ``device=`` for placement.
The functions taking an array (``*_like``, ``copy``, ``tril``, ``diag``, ``trace``, ...) also record
graph nodes on the symbols of a hybridized block being traced.
"""
from __future__ import annotations

import numbers
import operator

import numpy as onp

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from ..context import as_context, current_context
from ._core import as_array, call, is_symbol

__all__ = ["array", "asarray", "ascontiguousarray", "copy", "zeros", "ones", "full", "empty", "zeros_like",
           "ones_like", "full_like", "empty_like", "arange", "linspace", "logspace", "geomspace", "eye", "identity",
           "tri", "tril", "triu", "diag", "diagflat", "diagonal", "trace", "indices", "meshgrid", "fromfunction"]


# ----------------------------------------------------------------------------- helpers
def _ctx(ctx, device):
    """``ctx`` or its synonym ``device`` (a Context, ``'cpu(0)'``, ...), or None."""
    if ctx is not None and device is not None and as_context(ctx) != as_context(device):
        raise GluonicValueError(f"give ctx= or device=, not both. Received: ctx={ctx}, device={device}")
    c = ctx if ctx is not None else device
    return None if c is None else as_context(c)


def _dtype_name(dtype, default: str | None = "float32") -> str | None:
    if dtype is None:
        return default
    return _dtype.name(dtype)


def _int(fn: str, name: str, v) -> int:
    try:
        return operator.index(v)
    except TypeError:
        raise GluonicTypeError(f"np.{fn}: {name} must be an integer. Received: {name}={v!r}") from None


def _shape(fn: str, shape) -> tuple[int, ...]:
    """``shape`` (an int or a sequence of ints) as a tuple of non-negative ints, or an error naming ``fn``."""
    dims = (shape,) if isinstance(shape, (numbers.Integral, onp.integer)) else shape
    try:
        dims = tuple(operator.index(d) for d in dims)
    except TypeError:
        raise GluonicTypeError(f"np.{fn}: shape must be an int or a sequence of ints. Received: shape={shape!r}") from None
    if any(d < 0 for d in dims):
        raise GluonicValueError(f"np.{fn}: negative dimensions are not allowed. Received: shape={dims}")
    return dims


def _order(fn: str, order: str) -> None:
    if order not in ("C", "K", "A"):
        raise GluonicValueError(f"np.{fn}: only C (row-major) order is supported. Received: order={order!r}")


def _create(op: str, ctx, out=None, **attrs):
    """Run a creation op (no inputs) on ``ctx`` (None: the current context)."""
    c = ctx if ctx is not None else current_context()
    with c:
        return call(op, [], ctx=c, out=out, **attrs)


def _array_arg(x):
    return x if is_symbol(x) else as_array(x)


# ----------------------------------------------------------------------------- from data
def array(object, dtype=None, ctx=None, copy=True, device=None):  # noqa: A002 - NumPy's parameter name
    """An ``mx.np.ndarray`` from an array-like (a copy).

    Lists and Python scalars become float32 unless ``dtype`` is given (MXNet's default, bools
    included); NumPy and mx arrays keep their dtype.

    Shapes: whatever ``object`` has. Example: ``np.array([[1, 2], [3, 4]]).shape`` is (2, 2).
    """
    from ..ndarray.ndarray import NDArray

    ctx = _ctx(ctx, device)
    if isinstance(object, NDArray):
        x = object.astype(dtype) if dtype is not None else object.copy()
        return as_array(x.as_in_context(ctx) if ctx is not None else x)
    return as_array(object, dtype=dtype, ctx=ctx)


def asarray(a, dtype=None, ctx=None, device=None):
    """Like :func:`array` but without a copy when ``a`` already is an mx array of that dtype (and context)."""
    ctx = _ctx(ctx, device)
    from ..ndarray.ndarray import NDArray

    if isinstance(a, NDArray) and ctx is not None and a.context != ctx:
        a = a.as_in_context(ctx)
    return as_array(a, dtype=dtype, ctx=ctx)


def ascontiguousarray(a, dtype=None, ctx=None, device=None):
    """:func:`asarray` with at least one dimension (a 0-d input becomes shape (1,), as in NumPy).

    Example: ``np.ascontiguousarray(3.0).shape`` is (1,).
    """
    x = asarray(a, dtype=dtype, ctx=ctx, device=device)
    return call("Reshape", [x], shape=(1,)) if x.ndim == 0 else x


def copy(a, out=None):
    """A copy of ``a`` (op ``_np_copy``); differentiable.

    Shapes: same as ``a``. Example: ``np.copy(x)``; the method ``x.copy()`` is the same.
    """
    return call("_np_copy", [_array_arg(a)], out=out)


# ----------------------------------------------------------------------------- filled arrays
def zeros(shape, dtype=None, order="C", ctx=None, device=None):
    """An array of zeros, float32 unless ``dtype`` is given (op ``_npi_zeros``).

    Shapes: → ``shape`` (an int or a tuple; () gives a 0-d array). Example: ``np.zeros((2, 3))``.
    """
    _order("zeros", order)
    return _create("_npi_zeros", _ctx(ctx, device), shape=_shape("zeros", shape), dtype=_dtype_name(dtype))


def ones(shape, dtype=None, order="C", ctx=None, device=None):
    """An array of ones, float32 unless ``dtype`` is given (op ``_npi_ones``).

    Shapes: → ``shape``. Example: ``np.ones(3, dtype='int32')`` is ``array([1, 1, 1], dtype=int32)``.
    """
    _order("ones", order)
    return _create("_npi_ones", _ctx(ctx, device), shape=_shape("ones", shape), dtype=_dtype_name(dtype))


def empty(shape, dtype=None, order="C", ctx=None, device=None):
    """An array of ``shape`` whose values are unspecified (here: zeros), float32 unless ``dtype`` is given.

    Shapes: → ``shape``. Example: ``np.empty((2, 2)).shape`` is (2, 2).
    """
    _order("empty", order)
    return _create("_npi_zeros", _ctx(ctx, device), shape=_shape("empty", shape), dtype=_dtype_name(dtype))


def full(shape, fill_value, dtype=None, order="C", ctx=None, out=None, device=None):
    """An array of ``shape`` filled with ``fill_value`` (op ``_npi_full``).

    The dtype is float32 unless given (MXNet), bool for a bool ``fill_value``; the value is
    converted like an element of the dtype (2.5 → 2 for int32). An array ``fill_value`` is
    broadcast to ``shape`` (keeping its dtype unless ``dtype`` is given).

    Shapes: → ``shape``. Example: ``np.full((2,), 3)`` is ``array([3., 3.])``.
    """
    _order("full", order)
    shape = _shape("full", shape)
    ctx = _ctx(ctx, device)
    if not isinstance(fill_value, (numbers.Number, onp.generic)) or isinstance(fill_value, onp.ndarray):
        v = as_array(fill_value, dtype=dtype, ctx=ctx)
        try:
            ok = onp.broadcast_shapes(v.shape, shape) == shape
        except ValueError:
            ok = False
        if not ok:
            raise GluonicValueError(f"np.full: fill_value of shape {v.shape} cannot be broadcast to {shape}. "
                                    f"Received: shape={shape}")
        v = call("Reshape", [v], shape=(1,) * (len(shape) - v.ndim) + v.shape) if v.ndim < len(shape) else v
        if 0 in shape:
            res = _create("_npi_zeros", ctx or v.context, shape=shape, dtype=_dtype_name(v.dtype))
        else:
            res = call("broadcast_to", [v], shape=shape)
        return res if out is None else call("_np_copy", [res], out=out)
    if isinstance(fill_value, (bool, onp.bool_)):
        fill_value = int(fill_value)
        dtype = "bool" if dtype is None else dtype
    return _create("_npi_full", ctx, out=out, shape=shape, dtype=_dtype_name(dtype), value=float(fill_value))


def _like(fn: str, a, fill_value, dtype, order, ctx, out):
    _order(fn, order)
    if isinstance(fill_value, (bool, onp.bool_)):
        fill_value = int(fill_value)
    if not isinstance(fill_value, (numbers.Number, onp.generic)):
        raise GluonicTypeError(f"np.{fn}: fill_value must be a scalar. Received: {type(fill_value).__name__}")
    res = call("_npi_full_like", [_array_arg(a)], out=out, fill_value=float(fill_value),
               dtype=_dtype_name(dtype, None))
    return res if ctx is None or is_symbol(res) or res.context == ctx else res.as_in_context(ctx)


def zeros_like(a, dtype=None, order="C", ctx=None, out=None, device=None):
    """Zeros with the shape and dtype (unless given) of ``a`` (op ``_npi_full_like``); zero gradient.

    Shapes: same as ``a``. Example: ``np.zeros_like(np.ones((2, 3)))``.
    """
    return _like("zeros_like", a, 0, dtype, order, _ctx(ctx, device), out)


def ones_like(a, dtype=None, order="C", ctx=None, out=None, device=None):
    """Ones with the shape and dtype (unless given) of ``a`` (op ``_npi_full_like``); zero gradient.

    Shapes: same as ``a``. Example: ``np.ones_like(np.zeros(3, dtype='int32'))`` is int32.
    """
    return _like("ones_like", a, 1, dtype, order, _ctx(ctx, device), out)


def full_like(a, fill_value, dtype=None, order="C", ctx=None, out=None, device=None):
    """``fill_value`` with the shape and dtype (unless given) of ``a``; 2.7 becomes 2 in an int array.

    Shapes: same as ``a``. Example: ``np.full_like(np.zeros(2), 7)`` is ``array([7., 7.])``.
    """
    return _like("full_like", a, fill_value, dtype, order, _ctx(ctx, device), out)


def empty_like(prototype, dtype=None, order="C", subok=False, shape=None, ctx=None, device=None):
    """An array like ``prototype`` with unspecified values (here: zeros); ``shape`` overrides its shape.

    Shapes: same as ``prototype`` (or ``shape``). Example: ``np.empty_like(x).shape == x.shape``.
    """
    if shape is not None:
        p = _array_arg(prototype)
        return empty(shape, dtype=p.dtype if dtype is None else dtype, ctx=_ctx(ctx, device) or p.context)
    return _like("empty_like", prototype, 0, dtype, order, _ctx(ctx, device), None)


# ----------------------------------------------------------------------------- ranges
def arange(start, stop=None, step=1, dtype=None, ctx=None, device=None):
    """Evenly spaced values in ``[start, stop)`` (``[0, start)`` without ``stop``), float32 unless ``dtype`` is given.

    The length is ``ceil((stop - start) / step)`` (0 when the range is empty); values are
    computed in float64 and cast. Op ``_npi_arange``.

    Shapes: → (length,). Example: ``np.arange(5, 0, -1.5)`` is ``array([5., 3.5, 2., 0.5])``.
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if not isinstance(v, (numbers.Real, onp.generic)) or isinstance(v, onp.ndarray):
            raise GluonicTypeError(f"np.arange: {name} must be a real number. Received: {name}={v!r}")
    if step == 0:
        raise GluonicValueError("np.arange: step must not be 0. Received: step=0")
    dt = _dtype_name(dtype)
    if dt == "bool":
        raise GluonicValueError("np.arange: dtype bool is not supported. Received: dtype=bool")
    return _create("_npi_arange", _ctx(ctx, device), start=float(start), stop=float(stop), step=float(step), dtype=dt)


def _space_args(fn: str, start, stop, num, axis):
    for name, v in (("start", start), ("stop", stop)):
        if not isinstance(v, (numbers.Real, onp.generic)) or isinstance(v, onp.ndarray):
            raise GluonicTypeError(f"np.{fn}: {name} must be a real number (array-valued start/stop are not "
                                   f"supported). Received: {name}={v!r}")
    num = _int(fn, "num", num)
    if num < 0:
        raise GluonicValueError(f"np.{fn}: number of samples must be non-negative. Received: num={num}")
    if axis not in (0, -1):
        raise GluonicValueError(f"np.{fn}: the result is 1-D, so axis must be 0 or -1. Received: axis={axis}")
    return float(start), float(stop), num


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, ctx=None, device=None):
    """``num`` evenly spaced values from ``start`` to ``stop`` (included when ``endpoint``), float32 by default.

    With ``retstep`` returns ``(samples, step)``; the step is NaN when it is undefined
    (``num`` 0, or 1 with ``endpoint``), as in NumPy. Op ``_npi_linspace``.

    Shapes: → (num,). Example: ``np.linspace(0, 1, 5)`` is ``array([0., 0.25, 0.5, 0.75, 1.])``.
    """
    start, stop, num = _space_args("linspace", start, stop, num, axis)
    res = _create("_npi_linspace", _ctx(ctx, device), start=start, stop=stop, num=num, endpoint=bool(endpoint),
                  dtype=_dtype_name(dtype))
    if retstep:
        div = num - 1 if endpoint else num
        return res, ((stop - start) / div if div > 0 else float("nan"))
    return res


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None, device=None):
    """``base ** linspace(start, stop, num, endpoint)``, float32 by default (op ``_npi_logspace``).

    Shapes: → (num,). Example: ``np.logspace(0, 2, 3)`` is ``array([1., 10., 100.])``.
    """
    start, stop, num = _space_args("logspace", start, stop, num, axis)
    return _create("_npi_logspace", _ctx(ctx, device), start=start, stop=stop, num=num, endpoint=bool(endpoint),
                   base=float(base), dtype=_dtype_name(dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0, ctx=None, device=None):
    """Values spaced evenly on a log scale from ``start`` to ``stop`` (a geometric progression), float32 by default.

    Not in MXNet 1.9; computed by NumPy in float64 (exact endpoints), then cast. ``start``
    and ``stop`` must be non-zero and of the same sign (complex results are not supported).

    Shapes: → (num,). Example: ``np.geomspace(1, 1000, 4)`` is ``array([1., 10., 100., 1000.])``.
    """
    start, stop, num = _space_args("geomspace", start, stop, num, axis)
    if start == 0 or stop == 0 or (start < 0) != (stop < 0):
        raise GluonicValueError(f"np.geomspace: start and stop must be non-zero and of the same sign. Received: "
                                f"start={start}, stop={stop}")
    values = onp.geomspace(start, stop, num, endpoint=endpoint)
    return array(values, dtype=_dtype_name(dtype), ctx=_ctx(ctx, device))


# ----------------------------------------------------------------------------- matrices
def eye(N, M=None, k=0, dtype=None, order="C", ctx=None, device=None):  # noqa: N803 - NumPy's names
    """An (N, M) array with ones on diagonal ``k`` (> 0 above, < 0 below the main one), float32 by default.

    Shapes: → (N, M), M defaulting to N. Example: ``np.eye(2, 3, k=1)`` is ``[[0, 1, 0], [0, 0, 1]]``.
    """
    _order("eye", order)
    n, m, k = _int("eye", "N", N), None if M is None else _int("eye", "M", M), _int("eye", "k", k)
    if n < 0 or (m is not None and m < 0):
        raise GluonicValueError(f"np.eye: N and M must be non-negative. Received: N={n}, M={m}")
    return _create("_npi_eye", _ctx(ctx, device), N=n, M=m, k=k, dtype=_dtype_name(dtype))


def identity(n, dtype=None, ctx=None, device=None):
    """The (n, n) identity matrix, float32 by default (op ``_npi_identity``).

    Shapes: → (n, n). Example: ``np.identity(2)`` is ``[[1., 0.], [0., 1.]]``.
    """
    n = _int("identity", "n", n)
    if n < 0:
        raise GluonicValueError(f"np.identity: n must be non-negative. Received: n={n}")
    return _create("_npi_identity", _ctx(ctx, device), shape=(n, n), dtype=_dtype_name(dtype))


def tri(N, M=None, k=0, dtype=None, ctx=None, device=None):  # noqa: N803
    """An (N, M) array with ones at and below diagonal ``k``, float32 by default (op ``_npi_tri``).

    Shapes: → (N, M). Example: ``np.tri(2)`` is ``[[1., 0.], [1., 1.]]``.
    """
    n, m, k = _int("tri", "N", N), None if M is None else _int("tri", "M", M), _int("tri", "k", k)
    if n < 0 or (m is not None and m < 0):
        raise GluonicValueError(f"np.tri: N and M must be non-negative. Received: N={n}, M={m}")
    return _create("_npi_tri", _ctx(ctx, device), N=n, M=m, k=k, dtype=_dtype_name(dtype))


def _ndim_at_least(fn: str, x, n: int):
    if not is_symbol(x) and x.ndim < n:
        raise GluonicValueError(f"np.{fn}: input must have at least {n} dimension{'s' if n > 1 else ''}. "
                                f"Received: shape={x.shape}")


def tril(m, k=0):
    """The lower triangle of ``m`` (at and below diagonal ``k``) over its last two axes; zeros elsewhere.

    A 1-D input is first repeated into a square matrix, as in NumPy. Differentiable.

    Shapes: (..., N, M) → (..., N, M); (N,) → (N, N). Example: ``np.tril(np.ones((2, 2)))`` is ``[[1, 0], [1, 1]]``.
    """
    x = _array_arg(m)
    _ndim_at_least("tril", x, 1)
    return call("_npi_tril", [x], k=_int("tril", "k", k))


def triu(m, k=0):
    """The upper triangle of ``m`` (at and above diagonal ``k``) over its last two axes; zeros elsewhere.

    Shapes: (..., N, M) → (..., N, M); (N,) → (N, N). Example: ``np.triu(np.ones((2, 2)))`` is ``[[1, 1], [0, 1]]``.
    """
    x = _array_arg(m)
    _ndim_at_least("triu", x, 1)
    return call("_npi_triu", [x], k=_int("triu", "k", k))


def diag(v, k=0):
    """1-D ``v``: a square matrix with ``v`` on diagonal ``k``; 2-D ``v``: its diagonal ``k`` (op ``_np_diag``).

    Shapes: (n,) → (n + |k|, n + |k|); (n, m) → (diagonal length,). Example: ``np.diag(np.array([1, 2]))``.
    """
    x = _array_arg(v)
    if not is_symbol(x) and x.ndim not in (1, 2):
        raise GluonicValueError(f"np.diag: input must be 1-D or 2-D. Received: shape={x.shape}")
    return call("_np_diag", [x], k=_int("diag", "k", k))


def diagflat(v, k=0):
    """A square matrix with the flattened ``v`` on diagonal ``k`` (op ``_np_diagflat``).

    Shapes: size n → (n + |k|, n + |k|). Example: ``np.diagflat(np.array([[1, 2]]))`` is ``[[1, 0], [0, 2]]``.
    """
    return call("_np_diagflat", [_array_arg(v)], k=_int("diagflat", "k", k))


def _diag_axes(fn: str, x, axis1, axis2):
    axis1, axis2 = _int(fn, "axis1", axis1), _int(fn, "axis2", axis2)
    if not is_symbol(x):
        _ndim_at_least(fn, x, 2)
        nd = x.ndim
        if not (-nd <= axis1 < nd and -nd <= axis2 < nd):
            raise GluonicValueError(f"np.{fn}: axis out of bounds for a {nd}-D array. Received: axis1={axis1}, "
                                    f"axis2={axis2}")
        if axis1 % nd == axis2 % nd:
            raise GluonicValueError(f"np.{fn}: axis1 and axis2 cannot be the same. Received: axis1={axis1}, "
                                    f"axis2={axis2}")
    return axis1, axis2


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal ``offset`` of the 2-D planes on ``axis1``/``axis2``, as the last axis (op ``_np_diagonal``).

    Shapes: (2, 3, 4) with axis1=1, axis2=2 → (2, 3). Example: ``np.diagonal(np.eye(2))`` is ``array([1., 1.])``.
    """
    x = _array_arg(a)
    axis1, axis2 = _diag_axes("diagonal", x, axis1, axis2)
    return call("_np_diagonal", [x], offset=_int("diagonal", "offset", offset), axis1=axis1, axis2=axis2)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sums along the diagonal ``offset`` of the planes on ``axis1``/``axis2`` (op ``_np_trace``).

    The result keeps ``a``'s dtype (MXNet; NumPy widens integers to int64) unless ``dtype`` is given.

    Shapes: (n, m) → (); (2, 3, 4) with axis1=1, axis2=2 → (2,). Example: ``np.trace(np.eye(3))`` is ``array(3.)``.
    """
    x = _array_arg(a)
    axis1, axis2 = _diag_axes("trace", x, axis1, axis2)
    offset = _int("trace", "offset", offset)
    if dtype is None:
        return call("_np_trace", [x], out=out, offset=offset, axis1=axis1, axis2=axis2)
    res = call("_np_trace", [x], offset=offset, axis1=axis1, axis2=axis2)
    return call("Cast", [res], out=out, dtype=_dtype_name(dtype))


# ----------------------------------------------------------------------------- grids
def indices(dimensions, dtype=None, ctx=None, sparse=False, device=None):
    """The index grid of ``dimensions``: ``out[i]`` holds each element's i-th coordinate; int32 by default (MXNet).

    Shapes: → (len(dimensions), *dimensions). Example: ``np.indices((2, 3)).shape`` is (2, 2, 3).
    """
    if sparse:
        raise GluonicValueError("np.indices: sparse=True is not supported. Received: sparse=True")
    if not isinstance(dimensions, (tuple, list)):
        raise GluonicTypeError(f"np.indices: dimensions must be a sequence of ints. Received: {dimensions!r}")
    return _create("_npi_indices", _ctx(ctx, device), dimensions=_shape("indices", dimensions),
                   dtype=_dtype_name(dtype, "int32"))


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):  # noqa: A002 - NumPy's parameter name
    """Coordinate arrays from coordinate vectors (inputs are flattened), as in NumPy.

    ``indexing='xy'`` (Cartesian, default) swaps the first two output axes; ``'ij'`` is matrix
    indexing. ``sparse=True`` returns the reshaped vectors without broadcasting them. Works on
    the symbols of a traced block too (built from ``Reshape`` and ``broadcast_like``).

    Shapes: inputs of sizes (M, N) → two (N, M) arrays ('xy') or (M, N) arrays ('ij').
    Example: ``X, Y = np.meshgrid(np.arange(3), np.arange(2))``; ``X.shape`` is (2, 3).
    """
    if indexing not in ("xy", "ij"):
        raise GluonicValueError(f"np.meshgrid: indexing must be 'xy' or 'ij'. Received: indexing={indexing!r}")
    arrays = [_array_arg(x) for x in xi]
    n = len(arrays)
    axes = list(range(n))
    if indexing == "xy" and n > 1:
        axes[0], axes[1] = 1, 0  # x varies along axis 1, y along axis 0
    eager = not any(is_symbol(x) for x in arrays)
    if eager and not sparse and any(x.size == 0 for x in arrays):
        full_shape = [1] * n  # an empty grid: only shapes and dtypes matter
        for x, ax in zip(arrays, axes):
            full_shape[ax] = x.size
        return [zeros(tuple(full_shape), dtype=x.dtype, ctx=x.context) for x in arrays]
    grids = [zeros(tuple(0 if d == ax else 1 for d in range(n)), dtype=x.dtype, ctx=x.context)
             if eager and x.size == 0 else call("Reshape", [x], shape=tuple(-1 if d == ax else 1 for d in range(n)))
             for x, ax in zip(arrays, axes)]
    if sparse or n == 1:
        return grids
    outs = []
    for i, g in enumerate(grids):
        for j, other in enumerate(grids):
            if j != i:
                g = call("broadcast_like", [g, other], lhs_axes=(axes[j],), rhs_axes=(axes[j],))
        outs.append(g)
    return outs


def fromfunction(function, shape, *, dtype=None, ctx=None, device=None, **kwargs):
    """``function(*coordinates)`` where each coordinate array has ``shape`` (float32 by default).

    Example: ``np.fromfunction(lambda i, j: i + j, (2, 2))`` is ``[[0., 1.], [1., 2.]]``.
    """
    shape = _shape("fromfunction", shape)
    ctx = _ctx(ctx, device)
    coords = onp.indices(shape)
    return function(*[array(c, dtype=_dtype_name(dtype), ctx=ctx) for c in coords], **kwargs)
