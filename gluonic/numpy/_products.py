"""Products: ``dot``, ``vdot``, ``inner``, ``outer``, ``matmul`` (the ``@`` operator), ``tensordot``,
``einsum``, ``kron``, ``cross``.

NumPy's rules on MXNet's operators (``_np_dot``, ``_npi_matmul``, ``_npi_tensordot[_int_axes]``,
``_npi_einsum``). Integer arrays give integer results (as NumPy; MXNet 1.9 rejects them);
mixed dtypes promote (int with float32 gives float32, as in MXNet). Mismatched shapes raise
``GluonicValueError`` naming the function and both shapes.

>>> from gluonic import np
>>> np.dot(np.ones((2, 3)), np.ones(3))
array([3., 3.])
"""
from __future__ import annotations

import numbers

import numpy as onp

from ..base import GluonicTypeError, GluonicValueError
from ..ops import registry
from ._core import as_array, call, is_scalar, is_symbol

__all__ = ["dot", "vdot", "inner", "outer", "matmul", "tensordot", "einsum", "kron", "cross"]


def _ndim(x):
    """``x.ndim`` for arrays, None for symbols (their shapes are unknown while tracing) and scalars."""
    return None if is_symbol(x) else getattr(x, "ndim", None)


def _operand(x, other):
    """A Python scalar as a 0-d array of NumPy's weak-scalar dtype next to ``other`` (eager only)."""
    if not is_scalar(x):
        return x
    dt = None if is_symbol(other) or not hasattr(other, "dtype") else onp.dtype(other.dtype)  # arrays only
    if isinstance(x, (bool, onp.bool_)):
        target = dt if dt is not None else onp.bool_
    elif isinstance(x, numbers.Integral):
        target = dt if dt is not None and dt != onp.bool_ else onp.int64
    else:
        target = dt if dt is not None and dt.kind == "f" else onp.float32
    return as_array(onp.asarray(x), dtype=target)


def _scalar_product(fname, a, b):
    """``a * b`` where one side is a Python scalar and the other a symbol (tracing)."""
    arr, s = (a, b) if is_scalar(b) else (b, a)
    if registry.find("_npi_multiply_scalar") is None:
        raise GluonicTypeError(f"np.{fname}: a Python scalar operand is not supported while tracing. Received: {s!r}")
    return call("_npi_multiply_scalar", [arr], scalar=float(s), is_int=isinstance(s, numbers.Integral))


def _flat(x):
    """``x`` flattened to 1-d (``_np_reshape`` when registered, else the legacy ``Reshape``)."""
    if _ndim(x) == 1:
        return x
    if registry.find("_np_reshape") is not None:
        return call("_np_reshape", [x], newshape=(-1,), order="C")
    return call("Reshape", [x], shape=(-1,))


def dot(a, b, out=None):
    """Dot product, NumPy's rules: 0-d operands multiply; 1-d·1-d gives a 0-d inner product; 2-d·2-d the
    matrix product; N-d·1-d sums over the last axis; N-d·M-d sums ``a``'s last axis with ``b``'s
    second-to-last. Integer inputs stay integer.

    Shapes: (2, 3)·(3, 4) -> (2, 4); (2, 3, 4)·(5, 4, 6) -> (2, 3, 5, 6).
    Example: ``np.dot(np.array([1., 2.]), np.array([3., 4.]))`` is ``array(11.)``.
    """
    if is_scalar(a) or is_scalar(b):
        if is_symbol(a) or is_symbol(b):
            return _scalar_product("dot", a, b)
        a, b = _operand(a, b), _operand(b, a)
    return call("_np_dot", [a, b], out=out)


def vdot(a, b):
    """The dot product of the flattened inputs (real arrays: ``sum(a.ravel() * b.ravel())``), a 0-d array.

    Example: ``np.vdot(np.ones((2, 2)), np.ones(4))`` is ``array(4.)``.
    """
    return call("_npi_tensordot_int_axes", [_flat(a), _flat(b)], axes=1)


def inner(a, b):
    """Inner product over the last axes (``tensordot(a, b, (-1, -1))``); a 0-d operand multiplies.

    Shapes: (2, 3), (4, 3) -> (2, 4); (3,), (3,) -> ().
    """
    if is_scalar(a) or is_scalar(b) or _ndim(a) == 0 or _ndim(b) == 0:
        return dot(a, b)
    return call("_npi_tensordot", [a, b], a_axes_summed=(-1,), b_axes_summed=(-1,))


def outer(a, b, out=None):
    """Outer product of the flattened inputs: ``out[i, j] = a.ravel()[i] * b.ravel()[j]``.

    Shapes: (m,), (n,) -> (m, n); (2, 2), (3,) -> (4, 3).
    """
    return call("_npi_tensordot_int_axes", [_flat(a), _flat(b)], out=out, axes=0)


def matmul(a, b, out=None):
    """Matrix product (the ``@`` operator), NumPy's rules: stacks of matrices over the last two axes,
    batch axes broadcast; a 1-d ``a`` is a row vector, a 1-d ``b`` a column vector (the added axis is
    removed). 0-d operands are an error, as in NumPy.

    Shapes: (5, 2, 3) @ (3, 4) -> (5, 2, 4); (3,) @ (3,) -> ().
    Example: ``(np.ones((2, 3)) @ np.ones(3)).shape`` is (2,).
    """
    if is_scalar(a) or is_scalar(b):
        raise GluonicValueError("np.matmul: Input operand does not have enough dimensions (a scalar was given; use "
                                f"np.multiply). Received: {type(a).__name__} and {type(b).__name__}")
    return call("_npi_matmul", [a, b], out=out)


def _axis_list(ax) -> tuple[int, ...]:
    if isinstance(ax, numbers.Integral):
        return (int(ax),)
    return tuple(int(i) for i in ax)


def tensordot(a, b, axes=2):
    """Sum products over the given axes: ``axes=n`` pairs ``a``'s last n axes with ``b``'s first n;
    ``axes=(a_axes, b_axes)`` pairs them explicitly (ints or sequences). Result: ``a``'s free axes then ``b``'s.

    Shapes: (3, 4, 5)·(4, 5, 2) with axes=2 -> (3, 2); (2, 3)·(3, 2) with axes=([0], [1]) -> (3, 3).
    """
    if isinstance(axes, numbers.Integral):
        return call("_npi_tensordot_int_axes", [a, b], axes=int(axes))
    try:
        a_axes, b_axes = axes
        a_axes, b_axes = _axis_list(a_axes), _axis_list(b_axes)
    except (TypeError, ValueError):
        raise GluonicTypeError(f"np.tensordot: axes must be an int or a pair of axis sequences. Received: {axes!r}") \
            from None
    return call("_npi_tensordot", [a, b], a_axes_summed=a_axes, b_axes_summed=b_axes)


def einsum(*operands, out=None, optimize=False, **kwargs):
    """Einstein summation: ``np.einsum('ij,jk->ik', a, b)``; implicit output (labels seen once, sorted),
    ``...`` broadcasting. ``optimize`` (bool or NumPy's 'greedy'/'optimal') is recorded but torch
    chooses the contraction order.

    Example: ``np.einsum('ii', np.eye(3))`` is ``array(3.)``; ``np.einsum('i,j->ij', x, y)`` an outer product.
    """
    if kwargs:
        raise GluonicTypeError(f"np.einsum: unexpected keyword arguments. Received: {sorted(kwargs)}")
    if not operands or not isinstance(operands[0], str):
        raise GluonicTypeError("np.einsum: the first argument must be the subscripts string (the sublist form is not "
                               f"supported). Received: {type(operands[0]).__name__ if operands else 'nothing'}")
    subscripts, arrays = operands[0], list(operands[1:])
    opt = optimize not in (False, None, 0, "none")
    return call("_npi_einsum", arrays, out=out, num_args=len(arrays), subscripts=subscripts, optimize=int(opt))


def kron(a, b):
    """Kronecker product: blocks ``a[i, j] * b``.

    Shapes: (2, 2), (3, 3) -> (6, 6); (2,), (3,) -> (6,).
    """
    return call("_npi_kron", [a, b])


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (2-vectors have z = 0; two 2-vectors give the z component), broadcasting
    the other axes. ``axis`` overrides ``axisa``/``axisb``/``axisc``.

    Shapes: (n, 3), (3,) -> (n, 3). Example: ``np.cross(np.array([1., 0, 0]), np.array([0., 1, 0]))`` is
    ``array([0., 0., 1.])``.
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    return call("_npi_cross", [a, b], axisa=axisa, axisb=axisb, axisc=axisc)

