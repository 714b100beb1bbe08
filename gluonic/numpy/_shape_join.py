"""Joining, splitting, padding and selection for ``mx.np``: concatenate, stack, split, pad, take, ….

Part of :mod:`._shape` (which re-exports these); same conventions: NumPy signatures,
registry ops with MXNet's names, eager or traced. ``split`` and friends return lists.

>>> from gluonic import np
>>> [p.shape for p in np.split(np.zeros((4, 2)), 2)]
[(2, 2), (2, 2)]
"""
from __future__ import annotations

import numbers

import numpy as onp

from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray
from . import _core
from ._shape import as_input, int_tuple, ndim_of, run

__all__ = ["concatenate", "append", "stack", "vstack", "row_stack", "hstack", "dstack", "column_stack", "split",
           "array_split", "hsplit", "vsplit", "dsplit", "take", "take_along_axis", "pad", "delete", "insert"]


def _seq(fname: str, arrays) -> list:
    if _core.is_symbol(arrays) or isinstance(arrays, NDArray):
        arrays = [arrays[i] for i in range(len(arrays))] if isinstance(arrays, NDArray) else [arrays]
    arrays = [as_input(x) for x in arrays]
    if not arrays:
        raise GluonicValueError(f"np.{fname}: need at least one array to join. Received: an empty sequence")
    return arrays


def _is_int(x) -> bool:
    return isinstance(x, (numbers.Integral, onp.integer)) and not isinstance(x, bool)


# ------------------------------------------------------------------------------- joining
def concatenate(seq, axis: int | None = 0, out=None):
    """Join arrays along an existing ``axis`` (None: flattened first). Shapes: (2, 3) + (1, 3) → (3, 3).

    Mixed dtypes are promoted as in NumPy.
    """
    arrays = _seq("concatenate", seq)
    return run("concatenate", "_npi_concatenate", arrays, out=out, num_args=len(arrays), axis=axis)


def append(arr, values, axis: int | None = None):
    """``values`` appended to ``arr`` along ``axis`` (None: both flattened). Shapes: (2, 3) + (1, 3), 0 → (3, 3)."""
    return concatenate([arr, values], axis=axis)


def stack(arrays, axis: int = 0, out=None):
    """Join same-shape arrays along a new ``axis``. Shapes: 2 × (2, 3), axis 1 → (2, 2, 3)."""
    arrays = _seq("stack", arrays)
    return run("stack", "_npi_stack", arrays, out=out, axis=int(axis), num_args=len(arrays))


def vstack(arrays, out=None):
    """Stack rows (1-D inputs become rows). Shapes: (3,) + (3,) → (2, 3)."""
    arrays = _seq("vstack", arrays)
    return run("vstack", "_npi_vstack", arrays, out=out, num_args=len(arrays))


row_stack = vstack


def hstack(arrays):
    """Join along axis 1 (axis 0 for 1-D inputs). Shapes: (2, 1) + (2, 3) → (2, 4)."""
    arrays = _seq("hstack", arrays)
    return run("hstack", "_npi_hstack", arrays, num_args=len(arrays))


def dstack(arrays):
    """Join along axis 2 (inputs viewed as at least 3-D). Shapes: (2, 3) + (2, 3) → (2, 3, 2)."""
    arrays = _seq("dstack", arrays)
    return run("dstack", "_npi_dstack", arrays, num_args=len(arrays))


def column_stack(tup):
    """Join 1-D arrays as columns (2-D ones as they are). Shapes: (3,) + (3,) → (3, 2)."""
    arrays = _seq("column_stack", tup)
    return run("column_stack", "_npi_column_stack", arrays, num_args=len(arrays))


# ------------------------------------------------------------------------------- splitting
def _split(fname: str, op: str, ary, indices_or_sections, axis: int, equal: bool):
    ary = as_input(ary)
    nd = ndim_of(ary)
    if _is_int(indices_or_sections):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise GluonicValueError(f"np.{fname}: number of sections must be larger than 0. "
                                    f"Received: {sections}")
        if nd is not None:
            ax = axis if op == "_npi_split" else (0 if op == "_npi_hsplit" and nd == 1 else axis)
            if not -nd <= ax < nd:
                from ..base import GluonicIndexError

                raise GluonicIndexError(f"np.{fname}: axis {axis} is out of bounds for array of dimension {nd}. "
                                        f"Received: shape {ary.shape}")
            n = ary.shape[ax]
            if equal and n % sections:
                raise GluonicValueError(f"np.{fname}: array split does not result in an equal division: an axis of "
                                        f"size {n} into {sections} sections. Received: shape {ary.shape}, "
                                        f"sections={sections}, axis={axis}")
        count, attrs = sections, {"indices": (), "sections": sections}
    else:
        idx = int_tuple(fname, "indices_or_sections", indices_or_sections)
        count, attrs = len(idx) + 1, {"indices": (0,) + idx, "sections": 0}
    res = run(fname, op, [ary], axis=axis, squeeze_axis=False, **attrs)
    if _core.is_symbol(res):
        return [res[i] for i in range(count)] if count > 1 else [res]
    return list(res) if isinstance(res, (list, tuple)) else [res]


def split(ary, indices_or_sections, axis: int = 0):
    """``ary`` split along ``axis`` into equal sections (an int) or at the given indices; a list.

    Shapes: (6, 2) into 3 → 3 × (2, 2); at [1, 4] → (1, 2), (3, 2), (2, 2).
    """
    return _split("split", "_npi_split", ary, indices_or_sections, axis, True)


def array_split(ary, indices_or_sections, axis: int = 0):
    """Like :func:`split`, but sections may differ in size by one (the first ones are larger)."""
    return _split("array_split", "_npi_split", ary, indices_or_sections, axis, False)


def hsplit(ary, indices_or_sections):
    """:func:`split` along axis 1 (axis 0 for 1-D input)."""
    return _split("hsplit", "_npi_hsplit", ary, indices_or_sections, 1, True)


def vsplit(ary, indices_or_sections):
    """:func:`split` along axis 0 (needs at least 2 axes)."""
    ary = as_input(ary)
    if ndim_of(ary) is not None and ary.ndim < 2:
        raise GluonicValueError(f"np.vsplit only works on arrays of 2 or more dimensions. Received: shape {ary.shape}")
    return _split("vsplit", "_npi_split", ary, indices_or_sections, 0, True)


def dsplit(ary, indices_or_sections):
    """:func:`split` along axis 2 (needs at least 3 axes)."""
    ary = as_input(ary)
    if ndim_of(ary) is not None and ary.ndim < 3:
        raise GluonicValueError(f"np.dsplit only works on arrays of 3 or more dimensions. Received: shape {ary.shape}")
    return _split("dsplit", "_npi_dsplit", ary, indices_or_sections, 2, True)


# ------------------------------------------------------------------------------- take / take_along_axis
def _indices(fname: str, indices):
    if _core.is_symbol(indices) or isinstance(indices, NDArray):
        return indices
    arr = onp.asarray(indices)
    if arr.dtype.kind not in "iu":
        raise GluonicTypeError(f"np.{fname}: indices must be integers. Received: dtype {arr.dtype}")
    return _core.as_array(arr.astype(onp.int64))


def take(a, indices, axis: int | None = None, mode: str = "raise", out=None):
    """Elements of ``a`` at ``indices`` along ``axis`` (None: of the flattened array).

    ``mode``: ``raise`` (default; negative indices count from the end), ``wrap``, ``clip``.
    Shapes: (3, 4), indices (2,), axis 1 → (3, 2).
    """
    if mode not in ("raise", "wrap", "clip"):
        raise GluonicValueError(f"np.take: mode must be 'raise', 'wrap' or 'clip'. Received: mode={mode!r}")
    a = as_input(a)
    if axis is None:
        a, axis = run("take", "_np_reshape", [a], newshape=(-1,)), 0
    if _core.is_symbol(a) and _is_int(indices):  # a constant index while tracing: slice it out
        i = int(indices)
        piece = run("take", "slice_axis", [a], axis=int(axis), begin=i, end="None" if i == -1 else i + 1)
        return run("take", "_np_squeeze", [piece], axis=(int(axis),))
    return run("take", "_npi_take", [a, _indices("take", indices)], out=out, axis=int(axis), mode=mode)


def take_along_axis(arr, indices, axis):
    """Values of ``arr`` at ``indices`` along ``axis``, matching 1-D slices (e.g. argsort results).

    Shapes: ``arr`` (2, 3), ``indices`` (2, 1), axis 1 → (2, 1).
    """
    return run("take_along_axis", "_npi_take_along_axis", [as_input(arr), _indices("take_along_axis", indices)],
               axis=axis)


# ------------------------------------------------------------------------------- pad
_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "maximum", "minimum")


def pad(x, pad_width=None, mode: str = "constant", **kwargs):
    """``x`` padded by ``pad_width`` ((before, after) per axis, or one pair/int for all) in NumPy's ``mode``.

    Modes: constant (``constant_values``, a scalar), edge, reflect, symmetric, maximum, minimum.
    Shapes: (2, 3) with ((1, 1), (0, 2)) → (4, 5).
    """
    if mode not in _PAD_MODES:
        raise GluonicValueError(f"np.pad: mode must be one of {list(_PAD_MODES)}. Received: mode={mode!r}")
    allowed = {"constant": {"constant_values"}, "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}}
    extra = set(kwargs) - allowed.get(mode, set())
    if extra:
        raise GluonicValueError(f"np.pad: unsupported keyword(s) for mode {mode!r}. Received: {sorted(extra)}")
    value = kwargs.get("constant_values", 0)
    if not isinstance(value, (numbers.Number, onp.generic)):
        raise GluonicValueError(f"np.pad: constant_values must be one scalar. Received: {value!r}")
    try:
        pw = onp.asarray(pad_width)
        if pw.dtype.kind not in "iu" or pw.ndim > 2:
            raise ValueError
    except ValueError:
        raise GluonicValueError(f"np.pad: pad_width must be ints or (before, after) pairs. "
                                f"Received: pad_width={pad_width!r}") from None
    x = as_input(x)
    nd = ndim_of(x)
    if nd is not None:
        try:
            pw = onp.broadcast_to(pw, (nd, 2))
        except ValueError:
            raise GluonicValueError(f"np.pad: pad_width does not fit an array of {nd} dimensions. "
                                    f"Received: pad_width={pad_width!r}") from None
    width = tuple(tuple(int(v) for v in p) for p in pw) if pw.ndim == 2 else tuple(int(v) for v in pw.reshape(-1))
    return run("pad", "_npi_pad", [x], pad_width=str(width), mode=mode, constant_value=float(value),
               reflect_type=kwargs.get("reflect_type", "even"))


# ------------------------------------------------------------------------------- delete / insert
def _obj_attrs(fname: str, obj) -> tuple[dict, object]:
    """The (attrs, index-array input) for NumPy's ``obj`` forms: int, slice, or index array."""
    if _is_int(obj):
        return {"int_ind": int(obj)}, None
    if isinstance(obj, slice):
        return {"start": obj.start, "stop": obj.stop, "step": obj.step}, None
    if _core.is_symbol(obj) or isinstance(obj, NDArray):
        return {}, obj
    arr = onp.asarray(obj)
    if arr.dtype.kind not in "iub" and arr.size:
        raise GluonicTypeError(f"np.{fname}: index arrays must be integers or booleans. Received: dtype {arr.dtype}")
    return {}, _core.as_array(arr if arr.dtype.kind == "b" else arr.astype(onp.int64))


def delete(arr, obj, axis: int | None = None):
    """``arr`` without the sub-arrays at ``obj`` (int, slice, int array or bool mask) along ``axis``
    (None: flattened). Shapes: (3, 4), 1, axis 1 → (3, 3).
    """
    attrs, index = _obj_attrs("delete", obj)
    return run("delete", "_npi_delete", [as_input(arr), index], axis=axis, **attrs)


def insert(arr, obj, values, axis: int | None = None):
    """``values`` inserted before index/indices ``obj`` along ``axis`` (None: flattened).

    Shapes: (2, 3), 1, 5, axis 1 → (2, 4).
    """
    attrs, index = _obj_attrs("insert", obj)
    arr = as_input(arr)
    if isinstance(values, (numbers.Number, onp.generic)) and not isinstance(values, onp.ndarray):
        attrs["val"], values = float(values), None
    elif not (_core.is_symbol(values) or isinstance(values, NDArray)):
        values = _core.as_array(onp.asarray(values), dtype=None if _core.is_symbol(arr) else arr.dtype)
    if index is not None:
        if isinstance(index, NDArray) and index.dtype == onp.bool_:
            raise GluonicTypeError("np.insert: obj must be integers, not a boolean mask. Received: dtype bool")
        if isinstance(index, NDArray) and index.ndim == 0:
            attrs["int_ind"], index = int(index.item()), None
    if index is None:
        op = "_npi_insert_scalar" if "int_ind" in attrs else "_npi_insert_slice"
        return run("insert", op, [arr, values], axis=axis, **attrs)
    return run("insert", "_npi_insert_tensor", [arr, values, index], axis=axis, **attrs)
