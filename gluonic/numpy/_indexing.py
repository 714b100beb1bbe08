"""NumPy indexing on np-mode symbols: what ``x[key]`` records while a hybridized block is traced.

The rank of a symbol is not known while tracing, so the key is turned into operators that
need none: the items before ``...`` address leading axes; the items after it address the
trailing axes, which are moved to the front (``_np_moveaxis`` with negative axes), indexed
the same way, and moved back. Over leading axes:

- slices → one ``_npi_slice`` (``begin``/``end``/``step``, ``None`` for defaults; negative steps work);
- integers → ``slice_axis`` (which rejects an out-of-range index) then one ``_np_squeeze``;
- one integer array: a symbol → ``_npi_take``; a constant list/array → ``slice_axis`` pieces
  joined with ``_npi_concatenate``/``_npi_stack`` (constants cannot be graph inputs);
- a boolean mask symbol (the result of a comparison) → ``_npi_boolean_mask`` (data-dependent shape);
- ``None`` (``np.newaxis``) → ``_npi_expand_dims`` at its place in the result.

Not supported while tracing (clear errors): several array indices in one key (NumPy's
broadcast "fancy" indexing), constant boolean masks of 2+ dimensions, ``None`` after a
symbolic index array. Eager ``mx.np.ndarray`` indexing supports all of NumPy's forms.

>>> import gluonic as mx
>>> from gluonic.symbol.numpy import as_np_symbol
>>> x = as_np_symbol(mx.sym.var("x"))
>>> y = x[1, :, None, ::-1]
"""
from __future__ import annotations

import numbers

import numpy as onp

from ..base import GluonicIndexError, GluonicTypeError
from ..ndarray.ndarray import NDArray
from ._core import call, is_symbol

__all__ = ["symbol_getitem"]

# Ops whose results are boolean arrays: a symbolic index made by them is a mask, not positions.
_BOOL_OPS = frozenset("_npi_equal _npi_not_equal _npi_less _npi_less_equal _npi_greater _npi_greater_equal "
                      "_npi_equal_scalar _npi_not_equal_scalar _npi_less_scalar _npi_less_equal_scalar "
                      "_npi_greater_scalar _npi_greater_equal_scalar _npi_logical_not _npi_logical_and "
                      "_npi_logical_or _npi_logical_xor _npi_isnan _npi_isinf _npi_isfinite _npi_isposinf "
                      "_npi_isneginf".split())


def _is_int(k) -> bool:
    return isinstance(k, (numbers.Integral, onp.integer)) and not isinstance(k, (bool, onp.bool_))


class _Array:
    """An array index: a symbol (``sym``, with ``mask`` telling a boolean mask) or constant positions."""

    def __init__(self, sym=None, positions=None, mask=False):
        self.sym, self.positions, self.mask = sym, positions, mask

    def ndim(self) -> int | None:
        """Axes this index contributes to the result (None: unknown while tracing)."""
        return None if self.sym is not None else self.positions.ndim


def _classify(k, key):
    """One key item as int / slice / None / Ellipsis / _Array."""
    if k is None or k is Ellipsis or isinstance(k, slice):
        return k
    if isinstance(k, (bool, onp.bool_)):
        raise GluonicIndexError(f"Boolean scalar indices are not supported while tracing. Received: key {key!r}")
    if _is_int(k):
        return int(k)
    if is_symbol(k):
        node = k._outputs[0][0]
        name = getattr(node.op, "name", None)
        return _Array(sym=k, mask=name in _BOOL_OPS)
    if isinstance(k, NDArray):
        k = k.asnumpy()
    if isinstance(k, (list, tuple, range, onp.ndarray)):
        arr = onp.asarray(k)
        if arr.dtype == onp.bool_:
            if arr.ndim != 1:
                raise GluonicIndexError("A constant boolean mask of 2 or more dimensions is not supported while "
                                        f"tracing; use a mask computed in the block. Received: shape {arr.shape}")
            arr = onp.flatnonzero(arr)
        elif arr.size == 0:
            arr = arr.astype(onp.int64)
        if arr.dtype.kind not in "iu":
            raise GluonicIndexError(f"arrays used as indices must be of integer or boolean type. "
                                    f"Received: dtype {arr.dtype}")
        if arr.ndim == 0:
            return int(arr)
        if arr.size == 0:
            raise GluonicIndexError("An empty index array is not supported while tracing. Received: []")
        return _Array(positions=arr.astype(onp.int64))
    raise GluonicTypeError(f"Unsupported index type {type(k).__name__} for a symbol. Received: key {key!r}")


def _take_axis(x, axis: int, i: int):
    """``x`` restricted to index ``i`` of ``axis`` (kept as a size-1 axis); errors when out of range."""
    return call("slice_axis", [x], axis=axis, begin=i, end="None" if i == -1 else i + 1)


def _gather_constant(x, axis: int, positions: onp.ndarray):
    """``x`` indexed along ``axis`` by a constant integer array (its dims replace ``axis``)."""
    if positions.ndim == 1:
        pieces = [_take_axis(x, axis, int(i)) for i in positions]
        return pieces[0] if len(pieces) == 1 else call("_npi_concatenate", pieces, num_args=len(pieces), axis=axis)
    rows = [_gather_constant(x, axis, p) for p in positions]
    return call("_npi_stack", rows, axis=axis, num_args=len(rows))


def _index_leading(x, items):
    """Apply ``items`` (no Ellipsis) to the leading axes of ``x``; returns (result, result dims or None)."""
    consuming = [k for k in items if k is not None]
    arrays = [k for k in consuming if isinstance(k, _Array)]
    if len(arrays) > 1:
        raise GluonicIndexError("Indexing with more than one array at once is not supported while tracing; "
                                "index one axis at a time")
    # 1. slices over the leading axes (ints and arrays are taken whole here)
    bounds = [(k.start, k.stop, k.step) if isinstance(k, slice) else (None, None, None) for k in consuming]
    if any(b != (None, None, None) for b in bounds):
        begin, end, step = (tuple(b[i] for b in bounds) for i in range(3))
        x = call("_npi_slice", [x], begin=begin, end=end, step=step)
    # 2. integers: one size-1 slice each, then squeeze them out together
    ints = [pos for pos, k in enumerate(consuming) if isinstance(k, int)]
    for pos in ints:
        x = _take_axis(x, pos, consuming[pos])
    if ints:
        x = call("_np_squeeze", [x], axis=tuple(ints))
    # 3. the array index, at its axis once the integer axes are gone
    if arrays:
        arr = arrays[0]
        pos = consuming.index(arr)
        axis = pos - sum(1 for p in ints if p < pos)
        if arr.sym is not None and arr.mask:
            x = call("_npi_boolean_mask", [x, arr.sym], axis=axis)
        elif arr.sym is not None:
            x = call("_npi_take", [x, arr.sym], axis=axis, mode="raise")
        else:
            x = _gather_constant(x, axis, arr.positions)
    # 4. new axes, at their places in the result
    out_pos, new_axes, known = 0, [], True
    for k in items:
        if k is None:
            if not known:
                raise GluonicIndexError("None (np.newaxis) after an index array symbol is not supported while "
                                        "tracing (its rank is unknown)")
            new_axes.append(out_pos)
            out_pos += 1
        elif isinstance(k, slice):
            out_pos += 1
        elif isinstance(k, _Array):
            nd = 1 if k.mask else k.ndim()
            if nd is None:
                known = False
            else:
                out_pos += nd
    for ax in new_axes:
        x = call("_npi_expand_dims", [x], axis=ax)
    return x, (out_pos if known else None)


def symbol_getitem(sym, key):
    """NumPy's ``sym[key]`` recorded as graph nodes (see the module docstring).

    ``key``: ints, slices (any step), ``None``, ``...``, and at most one integer array
    (a symbol, a list or a NumPy/np array) or boolean mask symbol.
    """
    items = key if isinstance(key, tuple) else (key,)
    items = [_classify(k, key) for k in items]
    ell = [i for i, k in enumerate(items) if k is Ellipsis]
    if len(ell) > 1:
        raise GluonicIndexError(f"an index can only have a single ellipsis ('...'). Received: key {key!r}")
    head, tail = (items[:ell[0]], items[ell[0] + 1:]) if ell else (items, [])
    x = sym
    if tail and any(k is not None and k != slice(None) for k in tail) or any(k is None for k in tail):
        m = sum(1 for k in tail if k is not None)
        if m:
            x = call("_np_moveaxis", [x], source=tuple(range(-m, 0)), destination=tuple(range(m)))
        x, r = _index_leading(x, tail)
        if r is None:
            raise GluonicIndexError("An index array symbol after '...' is not supported while tracing. "
                                    f"Received: key {key!r}")
        if r:
            x = call("_np_moveaxis", [x], source=tuple(range(r)), destination=tuple(range(-r, 0)))
    if any(k is not None and k != slice(None) for k in head) or any(k is None for k in head):
        x, _ = _index_leading(x, head)
    return x
