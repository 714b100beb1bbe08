"""The plumbing every ``mx.np`` function shares: calling a registry op on np arrays or np symbols.

``call(op_name, inputs, **attrs)`` is the one entry point: on ``mx.np.ndarray`` inputs the
op runs eagerly and returns ``mx.np.ndarray``; on ``_Symbol`` inputs (a hybridized block
being traced) it records a graph node. Python scalars, lists and NumPy arrays given as
array inputs are converted with :func:`as_array` first.
"""
from __future__ import annotations

import numbers

import numpy as onp
import torch

from .. import _dtype
from .._state import fold_scope, tracing_graph
from ..base import GluonicTypeError
from ..context import Context, as_context, current_context
from ..ndarray.ndarray import NDArray, _any_lazy, _op, _wrap_as, run_wrapped

_NDARRAY: list = []


def ndarray_class():
    if not _NDARRAY:
        from ._array import ndarray

        _NDARRAY.append(ndarray)
    return _NDARRAY[0]


def is_symbol(x) -> bool:
    return getattr(x, "_is_symbol", False)


_PARSED: dict = {}


def _parse(o, attrs: dict):
    """``o.parse_attrs(attrs)``, memoized for hashable attribute values (the common case)."""
    try:
        key = (o.name, *attrs.items())
        parsed = _PARSED.get(key)
    except TypeError:  # unhashable values (lists): parse every time
        return o.parse_attrs(attrs)
    if parsed is None:
        parsed = o.parse_attrs(attrs)
        if len(_PARSED) < 4096:
            _PARSED[key] = parsed
    return parsed


def call(op_name: str, inputs, ctx: Context | None = None, out=None, **attrs):
    """Run registry op ``op_name`` on ``inputs`` with ``attrs``; np arrays in, np arrays out.

    ``inputs`` may hold None for absent optional inputs. ``ctx`` places the result of an
    op without array inputs (creation ops). ``out`` (an np array) receives the result.
    """
    o = _op(op_name)
    cls = _NDARRAY[0] if _NDARRAY else ndarray_class()
    if fold_scope[0] is not None and out is None and _any_lazy(inputs):  # inside fold.batching(): recorded
        arrays = [x if x is None or isinstance(x, NDArray) else as_array(x, ctx=ctx) for x in inputs]
        return fold_scope[0].record_op(o, arrays, _parse(o, attrs) if (attrs or o.attrs is not None) else None)
    tensors = []
    for x in inputs:
        if x.__class__ is cls:  # the hot path: np arrays
            tensors.append(x._tensor)
            if ctx is None:
                ctx = x._ctx
        elif x is None:
            tensors.append(None)
        elif getattr(x, "_is_symbol", False):
            return _compose(o, inputs, attrs)
        else:
            if not isinstance(x, NDArray):
                if any(is_symbol(y) for y in inputs if y is not None):
                    return _compose(o, inputs, attrs)
                x = as_array(x, ctx=ctx)
            tensors.append(x._tensor)
            if ctx is None:
                ctx = x._ctx
    if ctx is None:
        if tracing_graph.get() and _no_arrays(inputs):
            return _compose(o, inputs, attrs)
        ctx = current_context()
    elif ctx.__class__ is not Context:
        ctx = as_context(ctx)
    parsed = _parse(o, attrs) if (attrs or o.attrs is not None) else None
    return run_wrapped(o, tensors, ctx, parsed, out, cls)


def _no_arrays(inputs) -> bool:
    return all(x is None or is_scalar(x) for x in inputs)


def _compose(o, inputs, attrs):
    """A graph node (np-mode symbol) for ``o``: an op on symbols, or a creation op while a block is traced."""
    from ..symbol._compose import compose
    from ..symbol.numpy import as_np_symbol

    syms = [x if x is None or is_symbol(x) else _constant_symbol(x) for x in inputs]
    syms = [s if s is None else as_np_symbol(s) for s in syms]
    return as_np_symbol(compose(o, syms, _attr_strings(attrs)))


def _attr_strings(attrs: dict) -> dict:
    return {k: v for k, v in attrs.items() if v is not None or k in ("axis", "dtype")}


def _constant_symbol(x):
    raise GluonicTypeError(
        "While tracing a hybridized block, np functions take Symbols (the block's inputs and parameters) "
        f"or Python scalars; arrays created outside the block cannot be captured. Received: {type(x).__name__}")


def default_float():
    """The float dtype lists and Python floats become (float32, as in MXNet's np)."""
    return onp.float32


def as_array(x, dtype=None, ctx: Context | None = None):
    """``x`` as an ``mx.np.ndarray`` (no copy when it already is one of the right dtype).

    Python lists/scalars become float32 unless ``dtype`` says otherwise (MXNet's np
    default); NumPy arrays keep their dtype (float64 included, as in MXNet).
    """
    cls = ndarray_class()
    if isinstance(x, NDArray):
        if dtype is not None and _dtype.np_dtype(dtype) != _dtype.np_dtype(x._tensor.dtype):
            x = x.astype(dtype)
        if x.__class__ is not cls:
            x = _wrap_as(cls, x._tensor, x._ctx)
        return x
    ctx = as_context(ctx) if ctx is not None else current_context()
    if isinstance(x, onp.ndarray) or isinstance(x, onp.generic):
        a = onp.asarray(x)
        if a.dtype == object or a.dtype.names:
            raise GluonicTypeError(f"Cannot build an mx.np.ndarray from NumPy dtype {a.dtype}")
        target = dtype if dtype is not None else a.dtype
    elif isinstance(x, torch.Tensor):
        return _wrap_as(cls, x.detach().to(ctx.torch_device, _dtype.to_torch(dtype) if dtype else x.dtype), ctx)
    else:
        try:
            a = onp.asarray(x)
        except (ValueError, TypeError) as e:
            raise GluonicTypeError(f"Cannot convert to an mx.np.ndarray: {e}. Received: {type(x).__name__}") from None
        if a.dtype == object or a.dtype.kind in "USV":
            raise GluonicTypeError(f"Cannot convert to an mx.np.ndarray (ragged or non-numeric data). Received: "
                                   f"{x!r:.80}")
        target = dtype if dtype is not None else default_float()
    target = _dtype.to_torch(target)
    t = torch.from_numpy(onp.array(a, order="C", copy=True))
    return _wrap_as(cls, t.to(device=ctx.torch_device, dtype=target), ctx)


def is_scalar(x) -> bool:
    """A Python/NumPy number (bool included), i.e. what MXNet's ``*_scalar`` ops take."""
    return isinstance(x, (numbers.Number, onp.generic)) and not isinstance(x, onp.ndarray)


def dtype_name(dtype) -> str:
    """The attribute string MXNet uses for a dtype (``'float32'``, ``'bfloat16'``)."""
    return _dtype.name(_dtype.to_torch(dtype))  # None is float32, as in to_torch
