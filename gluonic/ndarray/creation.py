"""MXNet's Python-level ``nd`` functions: array creation and scalar-or-array arithmetic.

These are plain functions with MXNet 1.9's exact signatures (``nd.zeros(shape, ctx=None,
dtype=None, stype=None, **kwargs)``, ``nd.full(shape, val, ...)``, ``nd.add(lhs, rhs)``,
…). They run the registered operators (``_zeros``, ``broadcast_add``, ``_plus_scalar``, …)
and override generated functions of the same name in ``gluonic.ndarray``.

Example
-------
>>> import gluonic as mx
>>> mx.nd.arange(2, 6, step=2, repeat=2, dtype='int32').asnumpy()
array([2, 2, 4, 4], dtype=int32)
>>> mx.nd.subtract(10, mx.nd.array([1, 2])).asnumpy()
array([9., 8.], dtype=float32)
"""
from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError, mx_real_t, numeric_types
from ..context import Context, as_context, current_context
from ..ops.creation import check_shape
from ._namespace import functions
from .ndarray import NDArray, _wrap

__all__ = [
    "zeros", "ones", "full", "empty", "arange", "linspace", "eye", "full_like",
    "add", "subtract", "multiply", "divide", "true_divide", "modulo", "power", "maximum", "minimum",
    "equal", "not_equal", "greater", "greater_equal", "lesser", "lesser_equal",
    "logical_and", "logical_or", "logical_xor", "concatenate", "moveaxis",
]


def _internal(name: str) -> Callable[..., Any]:
    return functions("_internal")[name]


def _top(name: str) -> Callable[..., Any]:
    fn = functions("top").get(name)
    if fn is None:
        raise GluonicValueError(f"Operator {name!r} is not registered in gluonic. Received: {name!r}")
    return fn


def _ctx(ctx) -> Context:
    return current_context() if ctx is None else as_context(ctx)


def _check_stype(stype) -> None:
    if stype not in (None, "default"):
        raise GluonicValueError(
            f"Sparse storage is not supported by gluonic; only 'default' (dense). Received: stype={stype!r}"
        )


# ------------------------------------------------------------------------------- creation
def zeros(shape, ctx: Context | None = None, dtype=None, stype: str | None = None, **kwargs) -> NDArray:
    """An array of zeros of ``shape`` (int or tuple) on ``ctx`` (default: current context).

    ``dtype`` defaults to float32. ``out=`` may be passed as a keyword.

    >>> mx.nd.zeros((2, 3), dtype='int32').shape
    (2, 3)
    """
    _check_stype(stype)
    return _internal("_zeros")(shape=shape, ctx=_ctx(ctx), dtype=mx_real_t if dtype is None else dtype, **kwargs)


def ones(shape, ctx: Context | None = None, dtype=None, **kwargs) -> NDArray:
    """An array of ones of ``shape`` on ``ctx``; ``dtype`` defaults to float32.

    >>> mx.nd.ones(2).asnumpy()
    array([1., 1.], dtype=float32)
    """
    return _internal("_ones")(shape=shape, ctx=_ctx(ctx), dtype=mx_real_t if dtype is None else dtype, **kwargs)


def full(shape, val, ctx: Context | None = None, dtype=mx_real_t, out: NDArray | None = None) -> NDArray:
    """An array of ``shape`` filled with ``val`` (converted to ``dtype``, default float32).

    With ``out`` given, fills ``out`` (keeping its dtype) and returns it.

    >>> mx.nd.full((2,), 7.9, dtype='int32').asnumpy()
    array([7, 7], dtype=int32)
    """
    if out is not None:
        out[:] = val
        return out
    return _internal("_full")(shape=shape, ctx=_ctx(ctx), dtype=mx_real_t if dtype is None else dtype, value=val)


def full_like(data: NDArray, fill_value, ctx: Context | None = None, dtype=None) -> NDArray:
    """An array shaped like ``data`` filled with ``fill_value`` (dtype and context default to ``data``'s).

    MXNet 1.9's ``nd`` had only ``zeros_like``/``ones_like``; this is NumPy's ``full_like``.

    >>> mx.nd.full_like(mx.nd.zeros((2,), dtype='int32'), 3).asnumpy()
    array([3, 3], dtype=int32)
    """
    return full(data.shape, fill_value, ctx=data.context if ctx is None else ctx,
                dtype=data.dtype if dtype is None else dtype)


def empty(shape, ctx: Context | None = None, dtype=None, stype: str | None = None) -> NDArray:
    """An array of ``shape`` whose entries are not initialized (fastest to create).

    >>> mx.nd.empty((2, 3)).shape
    (2, 3)
    """
    _check_stype(stype)
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    shape = check_shape("empty", tuple(int(d) for d in shape))
    c = _ctx(ctx)
    return _wrap(torch.empty(shape, dtype=_dtype.to_torch(mx_real_t if dtype is None else dtype), device=c.torch_device), c)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx: Context | None = None,
           dtype=mx_real_t) -> NDArray:
    """Evenly spaced values in ``[start, stop)`` (``[0, start)`` when ``stop`` is None).

    ``repeat`` repeats each value; ``infer_range`` is deprecated (a warning) and ignored.

    >>> mx.nd.arange(2, 6, step=1.5, repeat=2).asnumpy()
    array([2. , 2. , 3.5, 3.5, 5. , 5. ], dtype=float32)
    """
    if infer_range is not None:
        warnings.warn("`infer_range` argument has been deprecated", DeprecationWarning, stacklevel=2)
    return _internal("_arange")(start=start, stop=stop, step=step, repeat=repeat, infer_range=False,
                                dtype=dtype, ctx=_ctx(ctx))


def linspace(start, stop, num, endpoint=True, ctx: Context | None = None, dtype=mx_real_t) -> NDArray:
    """``num`` evenly spaced values from ``start`` to ``stop`` (excluded when ``endpoint=False``).

    >>> mx.nd.linspace(2.0, 3.0, 5).asnumpy()
    array([2.  , 2.25, 2.5 , 2.75, 3.  ], dtype=float32)
    """
    return _internal("_linspace")(start=start, stop=stop, num=num, endpoint=endpoint, dtype=dtype, ctx=_ctx(ctx))


def eye(N, M=0, k=0, ctx: Context | None = None, dtype=None, **kwargs) -> NDArray:
    """A 2-D (N, M or N) array with ones on diagonal ``k`` and zeros elsewhere.

    >>> mx.nd.eye(2, 3, 1).asnumpy()
    array([[0., 1., 0.],
           [0., 0., 1.]], dtype=float32)
    """
    return _internal("_eye")(N=N, M=M, k=k, ctx=_ctx(ctx), dtype=mx_real_t if dtype is None else dtype, **kwargs)


# ---------------------------------------------------------------- scalar-or-array arithmetic
def _is_array(x) -> bool:
    return isinstance(x, NDArray) or getattr(x, "_is_symbol", False)


def _ufunc(name: str, lhs, rhs, array_op: str, scalar_fn, lscalar_op: str, rscalar_op: str | None = None):
    """MXNet's dispatch: array∘array → ``array_op``; array∘scalar → ``lscalar_op``;
    scalar∘array → ``rscalar_op`` (or ``lscalar_op`` for commutative ops); scalar∘scalar → Python."""
    if isinstance(lhs, numeric_types):
        if isinstance(rhs, numeric_types):
            return scalar_fn(lhs, rhs)
        if _is_array(rhs):
            return _internal(rscalar_op or lscalar_op)(rhs, scalar=float(lhs))
    elif _is_array(lhs):
        if isinstance(rhs, numeric_types):
            return _internal(lscalar_op)(lhs, scalar=float(rhs))
        if _is_array(rhs):
            return _top(array_op)(lhs, rhs)
    raise GluonicTypeError(
        f"{name}: each operand must be an NDArray or a number. "
        f"Received: {type(lhs).__name__} and {type(rhs).__name__}"
    )


def add(lhs, rhs):
    """``lhs + rhs`` with broadcasting; either side may be a number."""
    return _ufunc("add", lhs, rhs, "broadcast_add", operator.add, "_plus_scalar")


def subtract(lhs, rhs):
    """``lhs - rhs`` with broadcasting; either side may be a number."""
    return _ufunc("subtract", lhs, rhs, "broadcast_sub", operator.sub, "_minus_scalar", "_rminus_scalar")


def multiply(lhs, rhs):
    """``lhs * rhs`` with broadcasting; either side may be a number."""
    return _ufunc("multiply", lhs, rhs, "broadcast_mul", operator.mul, "_mul_scalar")


def divide(lhs, rhs):
    """``lhs / rhs`` with broadcasting; either side may be a number."""
    return _ufunc("divide", lhs, rhs, "broadcast_div", operator.truediv, "_div_scalar", "_rdiv_scalar")


def true_divide(lhs, rhs):
    """Same as :func:`divide`."""
    return divide(lhs, rhs)


def modulo(lhs, rhs):
    """``lhs % rhs`` with broadcasting; either side may be a number."""
    return _ufunc("modulo", lhs, rhs, "broadcast_mod", operator.mod, "_mod_scalar", "_rmod_scalar")


def power(base, exp):
    """``base ** exp`` with broadcasting; either side may be a number."""
    return _ufunc("power", base, exp, "broadcast_power", operator.pow, "_power_scalar", "_rpower_scalar")


def maximum(lhs, rhs):
    """Elementwise maximum with broadcasting; either side may be a number."""
    return _ufunc("maximum", lhs, rhs, "broadcast_maximum", lambda x, y: x if x > y else y, "_maximum_scalar")


def minimum(lhs, rhs):
    """Elementwise minimum with broadcasting; either side may be a number."""
    return _ufunc("minimum", lhs, rhs, "broadcast_minimum", lambda x, y: x if x < y else y, "_minimum_scalar")


def equal(lhs, rhs):
    """1 where ``lhs == rhs`` else 0 (in the array's dtype), with broadcasting."""
    return _ufunc("equal", lhs, rhs, "broadcast_equal", lambda x, y: 1 if x == y else 0, "_equal_scalar")


def not_equal(lhs, rhs):
    """1 where ``lhs != rhs`` else 0, with broadcasting."""
    return _ufunc("not_equal", lhs, rhs, "broadcast_not_equal", lambda x, y: 1 if x != y else 0, "_not_equal_scalar")


def greater(lhs, rhs):
    """1 where ``lhs > rhs`` else 0, with broadcasting."""
    return _ufunc("greater", lhs, rhs, "broadcast_greater", lambda x, y: 1 if x > y else 0,
                  "_greater_scalar", "_lesser_scalar")


def greater_equal(lhs, rhs):
    """1 where ``lhs >= rhs`` else 0, with broadcasting."""
    return _ufunc("greater_equal", lhs, rhs, "broadcast_greater_equal", lambda x, y: 1 if x >= y else 0,
                  "_greater_equal_scalar", "_lesser_equal_scalar")


def lesser(lhs, rhs):
    """1 where ``lhs < rhs`` else 0, with broadcasting."""
    return _ufunc("lesser", lhs, rhs, "broadcast_lesser", lambda x, y: 1 if x < y else 0,
                  "_lesser_scalar", "_greater_scalar")


def lesser_equal(lhs, rhs):
    """1 where ``lhs <= rhs`` else 0, with broadcasting."""
    return _ufunc("lesser_equal", lhs, rhs, "broadcast_lesser_equal", lambda x, y: 1 if x <= y else 0,
                  "_lesser_equal_scalar", "_greater_equal_scalar")


def logical_and(lhs, rhs):
    """1 where both are nonzero else 0, with broadcasting."""
    return _ufunc("logical_and", lhs, rhs, "broadcast_logical_and", lambda x, y: 1 if x and y else 0,
                  "_logical_and_scalar")


def logical_or(lhs, rhs):
    """1 where either is nonzero else 0, with broadcasting."""
    return _ufunc("logical_or", lhs, rhs, "broadcast_logical_or", lambda x, y: 1 if x or y else 0,
                  "_logical_or_scalar")


def logical_xor(lhs, rhs):
    """1 where exactly one is nonzero else 0, with broadcasting."""
    return _ufunc("logical_xor", lhs, rhs, "broadcast_logical_xor", lambda x, y: 1 if bool(x) ^ bool(y) else 0,
                  "_logical_xor_scalar")


# ------------------------------------------------------------------------------ helpers
def concatenate(arrays, axis: int = 0, always_copy: bool = True) -> NDArray:
    """Deprecated MXNet helper: ``concat`` of a list of NDArrays along ``axis``.

    With ``always_copy=False`` a single array is returned as is.
    """
    if not isinstance(arrays, (list, tuple)) or not arrays or not all(isinstance(a, NDArray) for a in arrays):
        raise GluonicTypeError(f"concatenate: expected a non-empty list of NDArrays. Received: {arrays!r:.80}")
    if not always_copy and len(arrays) == 1:
        return arrays[0]
    return _top("concat")(*arrays, dim=axis)


def moveaxis(tensor: NDArray, source, destination) -> NDArray:
    """Move axes ``source`` to positions ``destination`` (ints or sequences), keeping the others' order.

    >>> mx.nd.moveaxis(mx.nd.zeros((3, 4, 5)), 0, -1).shape
    (4, 5, 3)
    """
    ndim = tensor.ndim
    src, dst = _axes("source", source, ndim), _axes("destination", destination, ndim)
    if len(src) != len(dst):
        raise GluonicValueError(
            f"moveaxis: source and destination must have the same number of elements. Received: {source}, {destination}"
        )
    order = [n for n in range(ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _top("transpose")(tensor, axes=tuple(order))


def _axes(what: str, axes, ndim: int) -> tuple[int, ...]:
    axes = (axes,) if isinstance(axes, (int, np.integer)) else tuple(axes)
    out = []
    for ax in axes:
        if not -ndim <= ax < ndim:
            raise GluonicValueError(f"moveaxis: {what} axis out of range for {ndim} dimensions. Received: {ax}")
        out.append(int(ax) % ndim)
    if len(set(out)) != len(out):
        raise GluonicValueError(f"moveaxis: repeated axis in {what}. Received: {axes}")
    return tuple(out)

