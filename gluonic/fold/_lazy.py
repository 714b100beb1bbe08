"""``LazyArray``: the value of a recorded call that has not run yet.

A lazy array knows its shape, dtype and context (inferred when the call was recorded) and
which pending call produces it. Anything that needs the data (``asnumpy``, ``asscalar``,
``float()``, ``backward``, an operation the scope does not record) reads ``_tensor``, which
makes the scope run everything pending first ("forcing").
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from ..ndarray.ndarray import NDArray

_TENSOR_SLOT = NDArray._tensor  # the slot descriptor the property below shadows


class LazyArray(NDArray):
    """An NDArray whose value a fold scope computes later, batched with similar calls."""

    __slots__ = ("_node", "_index", "_shape", "_dtype_t", "_scope")
    _out_cls = NDArray  # results computed from a lazy value's data are plain NDArrays

    @property
    def _tensor(self):
        try:
            return _TENSOR_SLOT.__get__(self)
        except AttributeError:
            self._scope.force(self)
            return _TENSOR_SLOT.__get__(self)

    @_tensor.setter
    def _tensor(self, value):
        _TENSOR_SLOT.__set__(self, value)

    def _ready(self) -> bool:
        return self._node is None  # the call that computes it clears the link when it ran

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def dtype(self):
        return _dtype.from_torch(self._dtype_t)

    @property
    def size(self) -> int:
        return int(np.prod(self._shape, dtype=np.int64))

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def __repr__(self) -> str:
        if not self._ready():
            return f"<LazyArray {'x'.join(map(str, self._shape))} @{self._ctx} (pending)>"
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


def new_lazy(scope, node, index: int, shape, dtype_t, ctx) -> LazyArray:
    x = object.__new__(LazyArray)
    x._scope, x._node, x._index = scope, node, index
    x._shape, x._dtype_t, x._ctx = tuple(shape), dtype_t, ctx
    return x
