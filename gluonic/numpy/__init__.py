"""``mx.np``: MXNet's NumPy-compatible interface (``from mxnet import np, npx; npx.set_np()``).

Arrays are :class:`ndarray` (NumPy semantics on torch kernels, autograd included); the
functions follow NumPy's signatures and run registry operators with MXNet's ``_np*``
names, so the same code runs eagerly, traced inside a hybridized block, and exported.
See ``docs/numpy.md`` for the supported surface and the differences from NumPy.

>>> from gluonic import np
>>> np.ones((2, 3)).sum(axis=0)
array([2., 2., 2.])
"""
from . import _core, _creation, _dtypes, _io, _math, _products, _reduce, _shape, linalg, random  # noqa: F401
from ._array import ndarray
from ._creation import *  # noqa: F403
from ._dtypes import *  # noqa: F403
from ._io import *  # noqa: F403
from ._math import *  # noqa: F403
from ._products import *  # noqa: F403
from ._reduce import *  # noqa: F403
from ._shape import *  # noqa: F403

__all__ = ["ndarray", "linalg", "random"] + (_creation.__all__ + _dtypes.__all__ + _io.__all__ + _math.__all__
                                             + _products.__all__ + _reduce.__all__ + _shape.__all__)
