"""``LazyArray``: the value of a recorded call that has not run yet (or a small constant).

A lazy array knows its shape, dtype and context (inferred when the call was recorded) and
which call produces it (``_node``, with its output number ``_index``). When the call has run,
its outputs live in batched buffers (one tensor for the whole group, along the group's batch
axis) and the lazy array is a row range of one of them; ``_tensor`` is then a view. Before
that, anything that needs the data (``asnumpy``, ``asscalar``, ``float()``, ``backward``, an
operation the scope does not record) reads ``_tensor``, which makes the scope run everything
pending first ("forcing").

Small arrays built from Python data inside a scope (``nd.array([word_id])``) are *constants*:
their value is kept as a NumPy array and a group of them becomes one tensor when a batched
call needs them, instead of one tiny tensor each.
"""
from __future__ import annotations

import numpy as np
import torch

from .. import _dtype
from ..ndarray.ndarray import NDArray
from ..numpy._array import ndarray as _np_ndarray

_TENSOR_SLOT = NDArray._tensor  # the slot descriptor the property below shadows


class LazyArray(NDArray):
    """An NDArray whose value a fold scope computes later, batched with similar calls."""

    __slots__ = ("_node", "_index", "_meta", "_scope", "_cid", "_const")
    _out_cls = NDArray  # results computed from a lazy value's data are plain NDArrays

    @property
    def _tensor(self):
        try:
            return _TENSOR_SLOT.__get__(self)
        except AttributeError:
            pass
        if self._const is not None:
            t = torch.from_numpy(self._const.copy()).to(self._ctx.torch_device)  # _const may be shared
        else:
            node = self._node
            if node.bufs is None:
                self._scope.force(self)
            t = node.view(self._index)
        _TENSOR_SLOT.__set__(self, t)
        return t

    @_tensor.setter
    def _tensor(self, value):
        _TENSOR_SLOT.__set__(self, value)

    def _ready(self) -> bool:
        return self._node is None or self._node.bufs is not None

    @property
    def shape(self) -> tuple[int, ...]:
        return self._meta[0]

    @property
    def dtype(self):
        return _dtype.from_torch(self._meta[1])

    @property
    def size(self) -> int:
        return int(np.prod(self._meta[0], dtype=np.int64))

    @property
    def ndim(self) -> int:
        return len(self._meta[0])

    def __repr__(self) -> str:
        if not self._ready():
            return f"<LazyArray {'x'.join(map(str, self._meta[0]))} @{self._ctx} (pending)>"
        return NDArray.__repr__(self)

    def reshape(self, *shape, **kwargs):
        """Recorded like the ``Reshape`` operator (the result is a new array, not a view)."""
        from .. import ndarray as nd

        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        if shape:
            kwargs["shape"] = shape
        return nd.reshape(self, **kwargs)

    def __getitem__(self, key):
        return self._scope.record_getitem(self, key)


class LazyNpArray(LazyArray, _np_ndarray):
    """A lazy value in NumPy mode: an ``mx.np.ndarray`` (NumPy semantics) computed later."""

    __slots__ = ()
    _out_cls = _np_ndarray


LAZY_CLASSES = (LazyArray, LazyNpArray)
"""Both lazy classes (``x.__class__ in LAZY_CLASSES`` is the fast test on the recording path)."""

_new = object.__new__
_TORCH_DTYPES: dict = {}


def new_lazy(scope, node, index: int, meta, ctx, cls=LazyArray) -> LazyArray:
    """The lazy output ``index`` of recorded call ``node``; ``meta`` is its (shape, torch dtype)."""
    x = _new(cls)
    x._scope, x._node, x._index, x._meta, x._ctx = scope, node, index, meta, ctx
    x._const = None
    x._cid = id(x)  # what makes two inputs identical for reuse: the array itself (alive while recorded)
    return x


def constant_identity(value: np.ndarray) -> tuple:
    """``(meta, identity)`` of a constant's value: its (shape, torch dtype), and what makes two
    constants identical inputs (equal dtype, shape and bytes)."""
    dtype_t = _TORCH_DTYPES.get(value.dtype.char)
    if dtype_t is None:
        dtype_t = _TORCH_DTYPES[value.dtype.char] = _dtype.to_torch(value.dtype)
    return (value.shape, dtype_t), (value.dtype.char, value.shape, value.tobytes())


def new_constant(scope, value: np.ndarray, ctx, identity: tuple | None = None) -> LazyArray:
    """A small constant (from ``nd.array`` on Python data inside a scope); equal values are identical inputs.

    ``identity`` is :func:`constant_identity` of ``value`` when already known (a cached constant);
    ``value`` is never written to."""
    x = _new(LazyArray)
    x._scope, x._node, x._index = scope, None, 0
    x._meta, x._cid = identity or constant_identity(value)
    x._ctx, x._const = ctx, value
    return x
