"""``_Symbol``: the symbol a hybridized block sees in NumPy mode (MXNet: ``mx.sym.np._Symbol``).

Its operators and methods are the ``mx.np`` functions, which record graph nodes when
given symbols, so NumPy-style code traces into the same graph the eager run executes.
"""
from __future__ import annotations

import contextlib
import contextvars

from ..base import GluonicTypeError
from .symbol import Symbol

_TRACE_SHAPES: contextvars.ContextVar[dict | None] = contextvars.ContextVar("gluonic_trace_shapes", default=None)


@contextlib.contextmanager
def tracing_shapes(shapes: dict):
    """While a block is traced: the shapes of its input variables (so ``x.shape`` works on symbols)."""
    token = _TRACE_SHAPES.set(shapes)
    try:
        yield
    finally:
        _TRACE_SHAPES.reset(token)


def _np():
    from .. import numpy

    return numpy


def _forward(name: str, reflected: bool = False):
    def method(self, *args, **kwargs):
        f = getattr(_np(), name)
        if reflected:
            return f(args[0], self)
        return f(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    return method


class _Symbol(Symbol):
    """A Symbol with NumPy semantics for its operators (``x + 1`` is ``_npi_add_scalar``)."""

    __add__ = _forward("add")
    __radd__ = _forward("add", True)
    __sub__ = _forward("subtract")
    __rsub__ = _forward("subtract", True)
    __mul__ = _forward("multiply")
    __rmul__ = _forward("multiply", True)
    __truediv__ = _forward("true_divide")
    __rtruediv__ = _forward("true_divide", True)
    __floordiv__ = _forward("floor_divide")
    __rfloordiv__ = _forward("floor_divide", True)
    __mod__ = _forward("mod")
    __rmod__ = _forward("mod", True)
    __pow__ = _forward("power")
    __rpow__ = _forward("power", True)
    __matmul__ = _forward("matmul")
    __eq__ = _forward("equal")
    __ne__ = _forward("not_equal")
    __lt__ = _forward("less")
    __le__ = _forward("less_equal")
    __gt__ = _forward("greater")
    __ge__ = _forward("greater_equal")
    __hash__ = Symbol.__hash__
    __neg__ = _forward("negative")
    __abs__ = _forward("absolute")
    __pos__ = _forward("positive")
    __invert__ = _forward("invert")
    __and__ = _forward("bitwise_and")
    __rand__ = _forward("bitwise_and", True)
    __or__ = _forward("bitwise_or")
    __ror__ = _forward("bitwise_or", True)
    __xor__ = _forward("bitwise_xor")
    __rxor__ = _forward("bitwise_xor", True)

    for _name in ("sum mean std var max min prod argmax argmin cumsum any all sort argsort clip round dot take "
                  "repeat tile flip nonzero diagonal trace copy ravel squeeze expand_dims swapaxes "
                  "broadcast_to").split():
        locals()[_name] = _forward(_name)
    del _name

    def reshape(self, *shape, **kwargs):  # noqa: F811 - NumPy's varargs form
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        return _np().reshape(self, shape, **kwargs)

    def transpose(self, *axes):  # noqa: F811
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (list, tuple))):
            axes = axes[0]
        return _np().transpose(self, axes or None)

    @property
    def T(self):
        return self.transpose()

    @property
    def shape(self) -> tuple:
        """The shape, inferred from the traced block's input shapes (MXNet 2 code reads ``x.shape`` in forward)."""
        known = _TRACE_SHAPES.get()
        args = set(self.list_arguments())
        _, outs, _, _ = self._infer_shape((), {k: v for k, v in (known or {}).items() if k in args})
        shape = outs[0] if len(outs) == 1 else None
        if shape is None or any(d <= 0 for d in shape):
            if not known:
                raise GluonicTypeError(f"The shape of symbol {self.name!r} is unknown outside of a hybridized "
                                       "block's call (symbols carry no data)")
            raise GluonicTypeError(f"The shape of symbol {self.name!r} cannot be inferred from the block's input "
                                   f"shapes {known}")
        return tuple(shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    def astype(self, dtype, copy=True):
        from ..numpy._core import call, dtype_name

        return call("Cast", [self], dtype=dtype_name(dtype))

    def flatten(self, order="C"):
        return _np().reshape(self, (-1,))

    ravel = flatten

    def as_nd_ndarray(self) -> Symbol:
        return Symbol(list(self._outputs))

    def as_np_ndarray(self) -> _Symbol:
        return self

    def __getitem__(self, key):
        if len(self._outputs) > 1 or isinstance(key, str):
            return Symbol.__getitem__(self, key)
        from ..numpy._indexing import symbol_getitem

        return symbol_getitem(self, key)

    def __bool__(self):
        raise GluonicTypeError("A symbol has no truth value while a block is being traced; Python control flow on "
                               "array values needs an un-hybridized block")


def as_np_symbol(sym: Symbol) -> _Symbol:
    """The same graph outputs as an np-mode symbol."""
    return sym if isinstance(sym, _Symbol) else _Symbol(list(sym._outputs))
