"""MXNet's hand-written ``sym`` functions: creation (``zeros``, ``arange``, ...) and the
scalar-or-symbol math helpers (``maximum``, ``power``, ...)."""
from __future__ import annotations

from ..base import GluonicTypeError, numeric_types
from ..ops import registry
from ._compose import compose
from .symbol import Symbol

__all__ = ["zeros", "ones", "full", "arange", "linspace", "eye", "maximum", "minimum", "power", "pow", "hypot"]


def _op(op_name: str, inputs: list, **attrs) -> Symbol:
    node_name = attrs.pop("name", None)
    return compose(registry.get(op_name), inputs, {k: v for k, v in attrs.items() if v is not None}, node_name)


def zeros(shape, dtype=None, **kwargs) -> Symbol:
    """A symbol of zeros of ``shape`` (float32 unless ``dtype``)."""
    return _op("_zeros", [], shape=shape, dtype=dtype or "float32", **kwargs)


def ones(shape, dtype=None, **kwargs) -> Symbol:
    """A symbol of ones of ``shape``."""
    return _op("_ones", [], shape=shape, dtype=dtype or "float32", **kwargs)


def full(shape, val, dtype=None, **kwargs) -> Symbol:
    """A symbol of ``shape`` filled with ``val``."""
    return _op("_full", [], shape=shape, value=val, dtype=dtype or "float32", **kwargs)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None) -> Symbol:
    """Evenly spaced values in [start, stop) (MXNet's ``sym.arange``)."""
    return _op("_arange", [], start=start, stop=stop, step=step, repeat=repeat, dtype=dtype or "float32", name=name)


def linspace(start, stop, num, endpoint=True, name=None, dtype=None) -> Symbol:
    """``num`` evenly spaced values from start to stop."""
    return _op("_linspace", [], start=start, stop=stop, num=num, endpoint=endpoint, dtype=dtype or "float32",
               name=name)


def eye(N, M=0, k=0, dtype=None, **kwargs) -> Symbol:  # noqa: N803 (MXNet's names)
    """A 2-D symbol with ones on the k-th diagonal."""
    return _op("_eye", [], N=N, M=M, k=k, dtype=dtype or "float32", **kwargs)


def _binary(name: str, lhs, rhs, array_op: str, scalar_op: str, rscalar_op: str | None = None):
    if isinstance(lhs, Symbol) and isinstance(rhs, Symbol):
        return _op(array_op, [lhs, rhs])
    if isinstance(lhs, Symbol) and isinstance(rhs, numeric_types):
        return _op(scalar_op, [lhs], scalar=float(rhs))
    if isinstance(rhs, Symbol) and isinstance(lhs, numeric_types):
        return _op(rscalar_op or scalar_op, [rhs], scalar=float(lhs))
    raise GluonicTypeError(f"sym.{name} takes Symbols or numbers. Received: {type(lhs).__name__}, "
                           f"{type(rhs).__name__}")


def maximum(left, right) -> Symbol:
    return _binary("maximum", left, right, "_maximum", "_maximum_scalar")


def minimum(left, right) -> Symbol:
    return _binary("minimum", left, right, "_minimum", "_minimum_scalar")


def power(base, exp) -> Symbol:
    return _binary("power", base, exp, "_power", "_power_scalar", "_rpower_scalar")


pow = power  # noqa: A001 (MXNet's name)


def hypot(left, right) -> Symbol:
    return _binary("hypot", left, right, "_hypot", "_hypot_scalar")
