"""``mx.np.ndarray``: an NDArray with NumPy semantics (MXNet 1.6+'s NumPy interface).

The same torch-backed array as ``mx.nd.NDArray`` (a subclass: autograd, contexts,
``attach_grad``, ``asnumpy`` are shared), with NumPy's front-end rules: zero-dim results,
``x[i]`` and boolean masks as in NumPy, true division, type promotion, comparisons
returning bool arrays, NumPy-style ``reshape``/``sum``/``transpose`` signatures.

>>> from gluonic import np, npx
>>> x = np.array([[1, 2], [3, 4]])
>>> x.sum()
array(10.)
>>> x[x > 2]
array([3., 4.])
>>> (x.T / 2).shape
(2, 2)
"""
from __future__ import annotations

import numpy as onp
import torch

from .. import _dtype
from .._state import recording
from ..base import GluonicIndexError, GluonicValueError
from ..ndarray._index import read_index, write_index
from ..ndarray.ndarray import NDArray, _torch_index, _wrap_as

_MODULES: dict = {}


def _np():
    m = _MODULES.get("np")
    if m is None:
        from .. import numpy as m

        _MODULES["np"] = m
    return m


def _npx():
    from .. import numpy_extension

    return numpy_extension


def _fn(name: str):
    """A method that forwards to ``mx.np.<name>(self, ...)``."""

    def method(self, *args, **kwargs):
        return getattr(_np(), name)(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Method form of ``mx.np.{name}`` with this array as the first argument."
    return method


def _binary(name: str, reflected: bool = False):
    def method(self, other):
        if not isinstance(other, (NDArray, int, float, bool, onp.generic, onp.ndarray, list, tuple)):
            return NotImplemented
        f = getattr(_np(), name)
        return f(other, self) if reflected else f(self, other)

    method.__name__ = method.__qualname__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _inplace(name: str):
    def method(self, other):
        result = getattr(_np(), name)(self, other)
        if result.dtype != self.dtype:
            raise TypeError(f"Cannot cast ufunc '{name}' output from {result.dtype} to {self.dtype} in place "
                            "(NumPy's same_kind rule)")
        self._assign(result._tensor)
        return self

    method.__name__ = method.__qualname__ = f"__i{name}__"
    return method


class ndarray(NDArray):  # noqa: N801 - NumPy's (and MXNet's) class name
    """An n-dimensional array with NumPy semantics (MXNet: ``mx.np.ndarray``)."""

    __slots__ = ()

    def __init__(self, shape=None, dtype=None, ctx=None, buffer=None):
        raise TypeError("Create mx.np arrays with np.array, np.zeros, np.empty, ... (not the ndarray constructor)")

    # ------------------------------------------------------------------ conversion
    def as_nd_ndarray(self) -> NDArray:
        """The same data as a legacy ``mx.nd.NDArray`` (no copy)."""
        return _wrap_as(NDArray, self._tensor, self._ctx)

    def as_np_ndarray(self) -> ndarray:
        return self

    def item(self, *args):
        """The element as a Python scalar (``x.item()`` needs size 1; ``x.item(i)`` indexes the flat array)."""
        if args:
            return self.asnumpy().item(*args)
        if self.size != 1:
            raise GluonicValueError(f"can only convert an array of size 1 to a Python scalar. Received: shape "
                                    f"{self.shape}")
        return self.asnumpy().item()

    def tolist(self):
        return self.asnumpy().tolist()

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True) -> ndarray:
        """A copy cast to ``dtype`` (``copy=False`` returns self when already of that dtype)."""
        target = _dtype.to_torch(_np().float32 if dtype is None else dtype)
        if not copy and self._tensor.dtype == target:
            return self
        from ._core import call, dtype_name

        return call("Cast", [self], dtype=dtype_name(target))

    def copy(self, order="C") -> ndarray:
        return _np().copy(self)

    # ------------------------------------------------------------------ properties
    @property
    def dtype(self):
        """The dtype as a ``numpy.dtype`` (MXNet's np reports ``dtype('float32')``, not the scalar type)."""
        return _dtype.np_dtype(self._tensor.dtype)

    @property
    def T(self) -> ndarray:
        return self.transpose()

    @property
    def real(self):
        return self

    @property
    def itemsize(self) -> int:
        return self._tensor.element_size()

    @property
    def nbytes(self) -> int:
        return self._tensor.element_size() * self._tensor.numel()

    @property
    def strides(self):
        return tuple(s * self._tensor.element_size() for s in self._tensor.stride())

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, key) -> ndarray:
        """NumPy indexing: integers drop axes (down to 0-d), slices/``None``/``...`` give views,
        integer arrays and boolean masks select (copies)."""
        t = self._tensor
        key, flips = _positive_steps(_np_key(key), t.shape)
        idx = _torch_index(key, t.device)
        try:
            r = read_index(t, idx)
        except (IndexError, RuntimeError) as e:
            raise GluonicIndexError(f"index {key!r} is invalid for an array of shape {self.shape}: {e}") from None
        if flips:
            r = r.flip(flips)
        if r.requires_grad and not recording.get():
            r = r.detach()
        return _wrap_as(self._out_cls or self.__class__, r, self._ctx)  # a lazy (folded) array gives a plain one

    def __setitem__(self, key, value) -> None:
        t = self._tensor
        if isinstance(value, NDArray):
            v = value._tensor
        elif isinstance(value, (int, float, bool, onp.generic)):
            v = value
        else:
            v = torch.as_tensor(onp.asarray(value), dtype=t.dtype, device=t.device)
        key, flips = _positive_steps(_np_key(key), t.shape)
        idx = _torch_index(key, t.device)
        try:
            if flips:  # x[::-1] = v: write v flipped into the ascending view
                v = torch.as_tensor(v, dtype=t.dtype, device=t.device).expand_as(read_index(t, idx)).flip(flips)
            write_index(t, idx, v)
        except (IndexError, RuntimeError) as e:
            raise GluonicIndexError(f"cannot assign to index {key!r} of an array of shape {self.shape}: {e}. "
                                    f"Received: value of shape {getattr(value, 'shape', ())}") from None

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __bool__(self) -> bool:
        if self.size == 1:
            return bool(self._tensor.reshape(()).item())
        if self.size == 0:
            return False
        raise GluonicValueError("The truth value of an array with more than one element is ambiguous. "
                                f"Use a.any() or a.all(). Received: shape {self.shape}")

    def __index__(self) -> int:
        if self.size != 1 or self._tensor.dtype.is_floating_point:
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(self._tensor.reshape(()).item())

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    __hash__ = None  # NumPy arrays are unhashable

    def __repr__(self) -> str:
        a = self.asnumpy()
        text = repr(a)
        if a.dtype == onp.float32:  # float32 is the default dtype: MXNet prints it bare
            text = text.replace(", dtype=float32)", ")")
        elif a.dtype == onp.int64 and "dtype=" not in text:  # NumPy omits its default int; MXNet does not
            text = text[:-1] + ", dtype=int64)"
        if self._ctx.device_type != "cpu":
            text = text[:-1] + f", ctx={self._ctx})"
        return text

    def __str__(self) -> str:
        return str(self.asnumpy())

    def __format__(self, spec: str) -> str:
        if self.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    # ------------------------------------------------------------------ arithmetic (NumPy promotion)
    __add__ = _binary("add")
    __radd__ = _binary("add", True)
    __sub__ = _binary("subtract")
    __rsub__ = _binary("subtract", True)
    __mul__ = _binary("multiply")
    __rmul__ = _binary("multiply", True)
    __truediv__ = _binary("true_divide")
    __rtruediv__ = _binary("true_divide", True)
    __floordiv__ = _binary("floor_divide")
    __rfloordiv__ = _binary("floor_divide", True)
    __mod__ = _binary("mod")
    __rmod__ = _binary("mod", True)
    __pow__ = _binary("power")
    __rpow__ = _binary("power", True)
    __matmul__ = _binary("matmul")
    __rmatmul__ = _binary("matmul", True)
    __and__ = _binary("bitwise_and")
    __rand__ = _binary("bitwise_and", True)
    __or__ = _binary("bitwise_or")
    __ror__ = _binary("bitwise_or", True)
    __xor__ = _binary("bitwise_xor")
    __rxor__ = _binary("bitwise_xor", True)
    __eq__ = _binary("equal")
    __ne__ = _binary("not_equal")
    __lt__ = _binary("less")
    __le__ = _binary("less_equal")
    __gt__ = _binary("greater")
    __ge__ = _binary("greater_equal")
    __iadd__ = _inplace("add")
    __isub__ = _inplace("subtract")
    __imul__ = _inplace("multiply")
    __itruediv__ = _inplace("true_divide")
    __ifloordiv__ = _inplace("floor_divide")
    __imod__ = _inplace("mod")
    __ipow__ = _inplace("power")

    def __neg__(self):
        return _np().negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _np().absolute(self)

    def __invert__(self):
        return _np().invert(self)

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape, order="C") -> ndarray:
        """NumPy reshape: ``x.reshape(2, -1)`` or ``x.reshape((2, -1))``; one ``-1`` is inferred."""
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        return _np().reshape(self, shape, order=order)

    def transpose(self, *axes) -> ndarray:
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (list, tuple))):
            axes = axes[0]
        return _np().transpose(self, axes or None)

    def flatten(self, order="C") -> ndarray:
        return _np().reshape(self, (-1,)).copy()

    def ravel(self, order="C") -> ndarray:
        return _np().reshape(self, (-1,))

    def squeeze(self, axis=None) -> ndarray:
        return _np().squeeze(self, axis=axis)

    def expand_dims(self, axis) -> ndarray:
        return _np().expand_dims(self, axis)

    def swapaxes(self, axis1, axis2) -> ndarray:
        return _np().swapaxes(self, axis1, axis2)

    def broadcast_to(self, shape) -> ndarray:
        return _np().broadcast_to(self, shape)

    def as_in_context(self, context) -> ndarray:
        return NDArray.as_in_context(self, context)

    as_in_ctx = as_in_context

    def to_device(self, device) -> ndarray:
        return NDArray.as_in_context(self, device)

    # ------------------------------------------------------------------ reductions and friends (forwarded)
    sum = _fn("sum")
    mean = _fn("mean")
    std = _fn("std")
    var = _fn("var")
    max = _fn("max")
    min = _fn("min")
    prod = _fn("prod")
    argmax = _fn("argmax")
    argmin = _fn("argmin")
    cumsum = _fn("cumsum")
    any = _fn("any")
    all = _fn("all")
    sort = _fn("sort")
    argsort = _fn("argsort")
    clip = _fn("clip")
    round = _fn("round")
    dot = _fn("dot")
    take = _fn("take")
    repeat = _fn("repeat")
    tile = _fn("tile")
    flip = _fn("flip")
    nonzero = _fn("nonzero")
    diagonal = _fn("diagonal")
    trace = _fn("trace")

    def __round__(self, ndigits=0):
        return _np().round(self, ndigits)


def _np_key(key):
    """Python lists in an index mean integer (or boolean) arrays, as in NumPy."""
    if isinstance(key, tuple):
        return tuple(_np_key_item(k) for k in key)
    return _np_key_item(key)


def _np_key_item(k):
    if isinstance(k, bool):
        raise GluonicIndexError("Boolean scalar indices are not supported. Received: True/False")
    if isinstance(k, NDArray) and k._tensor.dtype.is_floating_point:
        raise GluonicIndexError(f"arrays used as indices must be of integer or boolean type. Received: {k.dtype}")
    return k


def _positive_steps(key, shape):
    """Rewrite negative-step slices (which torch lacks) as ascending slices plus flips of result axes.

    Returns ``(key, flip_axes)``; only basic keys (ints, slices, None, ...) are rewritten.
    """
    items = key if isinstance(key, tuple) else (key,)
    if not any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in items):
        return key, []
    if not all(k is None or k is Ellipsis or isinstance(k, (int, slice, onp.integer)) for k in items):
        raise GluonicIndexError("negative-step slices cannot be combined with array indices in one key. "
                                f"Received: {key!r}")
    consumed = sum(1 for k in items if k is not None and k is not Ellipsis)
    out, flips, axis, out_axis = [], [], 0, 0
    for k in items:
        if k is Ellipsis:
            skip = len(shape) - consumed
            axis, out_axis = axis + skip, out_axis + skip
        elif k is None:
            out_axis += 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0:
                if axis >= len(shape):
                    raise GluonicIndexError(f"too many indices for an array of shape {tuple(shape)}: {key!r}")
                picked = range(*k.indices(shape[axis]))
                k = slice(picked[-1], picked[0] + 1, -k.step) if len(picked) else slice(0, 0)
                flips.append(out_axis)
            axis, out_axis = axis + 1, out_axis + 1
        else:
            axis += 1
        out.append(k)
    return tuple(out), flips
