"""Shape manipulation for ``mx.np``: reshape, transpose, squeeze, flip, roll, tile, broadcast, ….

Each function follows NumPy's signature, checks its arguments, and runs a registry op with
MXNet's ``_np*`` name through :func:`._core.call`, so it works eagerly and on np symbols
(inside a hybridized block). Joining, splitting, padding and selection functions are in
:mod:`._shape_join`. Results are new arrays (never views), as in MXNet.

>>> from gluonic import np
>>> np.reshape(np.arange(6), (2, -1)).T.shape
(3, 2)
"""
from __future__ import annotations

import numbers

import numpy as onp

from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..ndarray.ndarray import NDArray
from . import _core

__all__ = ["reshape", "ravel", "transpose", "swapaxes", "moveaxis", "rollaxis", "expand_dims", "squeeze",
           "shape", "size", "ndim", "flip", "fliplr", "flipud", "roll", "rot90", "broadcast_to",
           "broadcast_arrays", "atleast_1d", "atleast_2d", "atleast_3d", "tile", "repeat", "resize"]


def run(fname: str, op_name: str, inputs, out=None, **attrs):
    """``_core.call`` with the op's errors re-labelled by the np function the user called."""
    try:
        return _core.call(op_name, inputs, out=out, **attrs)
    except MXNetError as e:
        msg = str(e)
        if msg.startswith("Operator "):
            msg = f"np.{fname} ({msg[len('Operator '):]}"
            msg = msg.replace(":", "):", 1)
            raise type(e)(msg) from None
        raise


def as_input(x):
    """``x`` itself when it is an array or symbol, otherwise an ``mx.np.ndarray`` (lists → float32)."""
    if _core.is_symbol(x) or isinstance(x, NDArray):
        return x
    return _core.as_array(x)


def ndim_of(x) -> int | None:
    """The number of axes of an eager array (None for a symbol, whose shape is not known while tracing)."""
    return None if _core.is_symbol(x) else x.ndim


def int_tuple(fname: str, what: str, value) -> tuple[int, ...]:
    """An int or a sequence of ints as a tuple (``what`` names the argument in errors)."""
    if isinstance(value, (numbers.Integral, onp.integer)) and not isinstance(value, bool):
        return (int(value),)
    if isinstance(value, NDArray):
        value = value.asnumpy().tolist()
        value = [value] if not isinstance(value, list) else value
        value = [int(v) if float(v).is_integer() else v for v in value]  # MXNet's np arrays default to float32
    try:
        items = tuple(value)
    except TypeError:
        items = None
    if items is None or not all(isinstance(v, (numbers.Integral, onp.integer)) and not isinstance(v, bool)
                                for v in items):
        raise GluonicTypeError(f"np.{fname}: {what} must be an integer or a sequence of integers. "
                               f"Received: {what}={value!r}")
    return tuple(int(v) for v in items)


def _norm_axis(fname: str, axis: int, ndim: int | None, extra: int = 0) -> int:
    """``axis`` made non-negative when the rank is known (symbols keep negative axes for the op)."""
    if ndim is None:
        return axis
    n = ndim + extra
    if not -n <= axis < n:
        from ..base import GluonicIndexError

        raise GluonicIndexError(f"np.{fname}: axis {axis} is out of bounds for array of dimension {n}. "
                                f"Received: axis={axis}")
    return axis % n


# ------------------------------------------------------------------------------- reshape
def reshape(a, newshape, order: str = "C", out=None):
    """``a`` with shape ``newshape`` (one entry may be -1: inferred); same data, new array.

    ``order='F'`` reads/writes column-major. Shapes: (2, 3) with (3, -1) → (3, 2).

    >>> np.reshape(np.arange(6), (3, -1)).shape
    (3, 2)
    """
    if order not in ("C", "F", "A"):
        raise GluonicValueError(f"np.reshape: order must be one of 'C', 'F', 'A'. Received: order={order!r}")
    return run("reshape", "_np_reshape", [as_input(a)], out=out, newshape=int_tuple("reshape", "newshape", newshape),
               order="C" if order == "A" else order)


def ravel(x, order: str = "C"):
    """The elements of ``x`` as a 1-D array. Shapes: (2, 3) → (6,)."""
    return reshape(x, (-1,), order=order)


def resize(a, new_shape):
    """A new array of ``new_shape`` filled by repeating ``a``'s flattened data. Shapes: (2, 3), (3, 3) → (3, 3)."""
    return run("resize", "_npi_resize_fallback", [as_input(a)], new_shape=int_tuple("resize", "new_shape", new_shape))


def shape(a) -> tuple[int, ...]:
    """The shape of ``a`` (an array, list or scalar)."""
    if _core.is_symbol(a):
        raise GluonicTypeError("np.shape: the shape of a symbol is not known while a block is being traced. "
                               "Received: a Symbol")
    return tuple(a.shape) if isinstance(a, NDArray) else onp.shape(a)


def size(a, axis: int | None = None) -> int:
    """The number of elements of ``a`` (along ``axis`` when given)."""
    s = shape(a)
    if axis is None:
        return int(onp.prod(s, dtype=onp.int64))
    return s[_norm_axis("size", axis, len(s))]


def ndim(a) -> int:
    """The number of axes of ``a``."""
    return len(shape(a))


# ------------------------------------------------------------------------------- axes
def transpose(a, axes=None):
    """``a`` with its axes permuted (``axes=None``: reversed). Shapes: (2, 3, 4), (1, 0, 2) → (3, 2, 4)."""
    a = as_input(a)
    if axes is not None:
        axes = int_tuple("transpose", "axes", axes)
        nd = ndim_of(a)
        if nd is not None and (len(axes) != nd or sorted(x % nd if -nd <= x < nd else x for x in axes)
                               != list(range(nd))):
            raise GluonicValueError(f"np.transpose: axes must be a permutation of the {nd} axes of the array. "
                                    f"Received: axes={axes} for shape {a.shape}")
    return run("transpose", "_np_transpose", [a], axes=axes)


def swapaxes(a, axis1: int, axis2: int):
    """``a`` with axes ``axis1`` and ``axis2`` interchanged. Shapes: (2, 3, 4), 0, 2 → (4, 3, 2)."""
    return run("swapaxes", "_npi_swapaxes", [as_input(a)], dim1=int(axis1), dim2=int(axis2))


def moveaxis(a, source, destination):
    """``a`` with axes ``source`` moved to ``destination``. Shapes: (2, 3, 4), 0, -1 → (3, 4, 2)."""
    return run("moveaxis", "_np_moveaxis", [as_input(a)], source=int_tuple("moveaxis", "source", source),
               destination=int_tuple("moveaxis", "destination", destination))


def rollaxis(a, axis: int, start: int = 0):
    """``a`` with ``axis`` rolled back to sit before position ``start``. Shapes: (2, 3, 4), 2 → (4, 2, 3)."""
    a = as_input(a)
    nd = ndim_of(a)
    if nd is None:
        if axis < 0 or start < 0:
            raise GluonicValueError("np.rollaxis: negative axis/start need the rank of the array, unknown while "
                                    f"tracing; use np.moveaxis. Received: axis={axis}, start={start}")
    else:
        axis = _norm_axis("rollaxis", axis, nd)
        if not -nd <= start <= nd:
            raise GluonicValueError(f"np.rollaxis: start must be in [{-nd}, {nd}]. Received: start={start}")
        start = start + nd if start < 0 else start
    if start > axis:
        start -= 1
    if start == axis:
        return moveaxis(a, axis, axis)
    return moveaxis(a, axis, start)


def expand_dims(a, axis):
    """``a`` with a size-1 axis inserted at ``axis`` (an int or a tuple). Shapes: (2, 3), 1 → (2, 1, 3)."""
    a = as_input(a)
    axes = int_tuple("expand_dims", "axis", axis)
    nd = ndim_of(a)
    if nd is not None:
        norm = [_norm_axis("expand_dims", ax, nd, extra=len(axes)) for ax in axes]
        if len(set(norm)) != len(norm):
            raise GluonicValueError(f"np.expand_dims: repeated axis. Received: axis={axis}")
        order = sorted(norm)
    else:  # unknown rank: positive axes from the front, then negative ones from the back
        order = sorted(x for x in axes if x >= 0) + sorted((x for x in axes if x < 0), reverse=True)
    for ax in order:
        a = run("expand_dims", "_npi_expand_dims", [a], axis=ax)
    return a


def squeeze(a, axis=None, out=None):
    """``a`` without its size-1 axes (all, or those in ``axis``). Shapes: (1, 3, 1) → (3,)."""
    axis = None if axis is None else int_tuple("squeeze", "axis", axis)
    return run("squeeze", "_np_squeeze", [as_input(a)], out=out, axis=axis)


# ------------------------------------------------------------------------------- flip / roll / rot90
def flip(m, axis=None, out=None):
    """``m`` with the order of elements reversed along ``axis`` (None: all axes). Shapes unchanged."""
    axis = None if axis is None else int_tuple("flip", "axis", axis)
    return run("flip", "_npi_flip", [as_input(m)], out=out, axis=axis)


def fliplr(m):
    """``m`` flipped left-right (axis 1; needs at least 2 axes)."""
    m = as_input(m)
    if ndim_of(m) is not None and m.ndim < 2:
        raise GluonicValueError(f"np.fliplr: input must be at least 2-d. Received: shape {m.shape}")
    return flip(m, 1)


def flipud(m):
    """``m`` flipped up-down (axis 0; needs at least 1 axis)."""
    m = as_input(m)
    if ndim_of(m) is not None and m.ndim < 1:
        raise GluonicValueError("np.flipud: input must be at least 1-d. Received: shape ()")
    return flip(m, 0)


def roll(a, shift, axis=None):
    """``a`` with elements shifted by ``shift`` along ``axis`` (None: the flattened array), wrapping around."""
    return run("roll", "_np_roll", [as_input(a)], shift=int_tuple("roll", "shift", shift),
               axis=None if axis is None else int_tuple("roll", "axis", axis))


def rot90(m, k: int = 1, axes=(0, 1)):
    """``m`` rotated by 90 degrees ``k`` times in the plane of ``axes``. Shapes: (2, 3) → (3, 2)."""
    axes = int_tuple("rot90", "axes", axes)
    if len(axes) != 2:
        raise GluonicValueError(f"np.rot90: axes must hold 2 axes. Received: axes={axes}")
    return run("rot90", "_npi_rot90", [as_input(m)], k=int(k), axes=axes)


# ------------------------------------------------------------------------------- broadcast / atleast
def broadcast_to(array, shape):
    """``array`` broadcast to ``shape`` (NumPy rules). Shapes: (3, 1) → (2, 3, 4)."""
    return run("broadcast_to", "_npi_broadcast_to", [as_input(array)],
               shape=int_tuple("broadcast_to", "shape", shape))


def broadcast_arrays(*args):
    """The arrays broadcast against each other (a list, as in MXNet). Eager arrays only."""
    arrays = [as_input(x) for x in args]
    if any(_core.is_symbol(x) for x in arrays):
        raise GluonicTypeError("np.broadcast_arrays needs the shapes of its inputs, unknown while a block is being "
                               "traced; use np.broadcast_to with a known shape. Received: a Symbol")
    try:
        target = onp.broadcast_shapes(*[x.shape for x in arrays])
    except ValueError:
        raise GluonicValueError(f"np.broadcast_arrays: shape mismatch: objects cannot be broadcast to a single "
                                f"shape. Received: shapes {[x.shape for x in arrays]}") from None
    return [x if x.shape == target else broadcast_to(x, target) for x in arrays]


def _atleast(n: int, arys):
    name = f"atleast_{n}d"
    if not arys:
        raise GluonicValueError(f"np.{name}: needs at least one array. Received: no arguments")
    res = run(name, f"_np_atleast_{n}d", [as_input(x) for x in arys], num_args=len(arys))
    if len(arys) == 1:
        return res
    return list(res) if not _core.is_symbol(res) else [res[i] for i in range(len(arys))]


def atleast_1d(*arys):
    """Each input with at least 1 axis (one array, or a list for several). Shapes: () → (1,)."""
    return _atleast(1, arys)


def atleast_2d(*arys):
    """Each input with at least 2 axes. Shapes: () → (1, 1); (N,) → (1, N)."""
    return _atleast(2, arys)


def atleast_3d(*arys):
    """Each input with at least 3 axes. Shapes: (N,) → (1, N, 1); (M, N) → (M, N, 1)."""
    return _atleast(3, arys)


# ------------------------------------------------------------------------------- tile / repeat
def tile(A, reps):
    """``A`` repeated ``reps`` times per axis (NumPy's rules for unequal lengths). Shapes: (2, 3), 2 → (2, 6)."""
    return run("tile", "_npi_tile", [as_input(A)], reps=int_tuple("tile", "reps", reps))


def repeat(a, repeats, axis=None):
    """Each element of ``a`` repeated ``repeats`` (an int) times along ``axis`` (None: flattened).

    Shapes: (2, 3), 2, axis 1 → (2, 6).
    """
    if isinstance(repeats, (list, tuple, onp.ndarray, NDArray)) and onp.size(
            repeats.asnumpy() if isinstance(repeats, NDArray) else repeats) == 1:
        repeats = int(onp.asarray(repeats.asnumpy() if isinstance(repeats, NDArray) else repeats).reshape(()))
    if not isinstance(repeats, (numbers.Integral, onp.integer)) or isinstance(repeats, bool):
        raise GluonicTypeError(f"np.repeat: repeats must be one integer (as in MXNet). Received: {repeats!r}")
    return run("repeat", "_np_repeat", [as_input(a)], repeats=int(repeats), axis=axis)


# The joining/splitting/selection half (it uses the helpers above).
from ._shape_join import *  # noqa: E402, F403, I001
from ._shape_join import __all__ as _join_all  # noqa: E402

__all__ += _join_all
