"""Contributed layers: ``Concurrent``, ``HybridConcurrent``, ``PixelShuffle1D/2D/3D``; ``Identity`` and
``SyncBatchNorm`` are ``gluon.nn``'s, re-exported under their MXNet 1.9 home.

MXNet's ``SparseEmbedding`` (row-sparse gradients) is not provided.
"""
from __future__ import annotations

from .... import ndarray as nd
from ....base import GluonicValueError
from ...block import HybridBlock
from ...nn import HybridSequential, Identity, Sequential, SyncBatchNorm

__all__ = ["Concurrent", "HybridConcurrent", "Identity", "SyncBatchNorm", "PixelShuffle1D", "PixelShuffle2D",
           "PixelShuffle3D"]


class Concurrent(Sequential):
    """Run every child on the same input and concatenate their outputs along ``axis``.

    Children are added with ``add`` as in ``Sequential``; each must return one NDArray,
    all of the same shape except on ``axis``.

    >>> net = mx.gluon.contrib.nn.Concurrent(axis=1)
    >>> net.add(mx.gluon.nn.Dense(2), mx.gluon.contrib.nn.Identity())
    >>> net.initialize()
    >>> net(mx.nd.ones((4, 3))).shape
    (4, 5)
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        return nd.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class HybridConcurrent(HybridSequential):
    """The hybridizable ``Concurrent``: children must be HybridBlocks.

    >>> net = mx.gluon.contrib.nn.HybridConcurrent(axis=1)
    >>> net.add(mx.gluon.nn.Dense(2), mx.gluon.nn.Dense(3))
    >>> net.initialize()
    >>> net(mx.nd.ones((4, 3))).shape
    (4, 5)
    """

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def hybrid_forward(self, F, x):
        return F.concat(*[block(x) for block in self._children.values()], dim=self.axis)


def _factors(layer: str, factor, n: int) -> tuple[int, ...]:
    try:
        out = (int(factor),) * n
    except TypeError:
        out = tuple(int(f) for f in factor)
    if len(out) != n or any(f < 1 for f in out):
        raise GluonicValueError(f"{layer}: factor must be a positive int or {n} positive ints. Received: {factor!r}")
    return out


class PixelShuffle1D(HybridBlock):
    """Move channels to the W axis: (N, f*C, W) → (N, C, W*f) (sub-pixel upsampling).

    Output element ``[n, c, w*f + i]`` is input element ``[n, c*f + i, w]``.

    >>> mx.gluon.contrib.nn.PixelShuffle1D(2)(mx.nd.arange(4).reshape((1, 2, 2))).asnumpy().tolist()
    [[[0.0, 2.0, 1.0, 3.0]]]
    """

    def __init__(self, factor):
        super().__init__()
        self._factor = _factors("PixelShuffle1D", factor, 1)[0]

    def hybrid_forward(self, F, x):
        f = self._factor
        x = F.reshape(x, (0, -4, -1, f, 0))  # (N, C, f, W)
        x = F.transpose(x, (0, 1, 3, 2))  # (N, C, W, f)
        return F.reshape(x, (0, 0, -3))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._factor})"


class PixelShuffle2D(HybridBlock):
    """Move channels to the H and W axes: (N, f1*f2*C, H, W) → (N, C, H*f1, W*f2).

    ``factor`` is an int or a pair ``(f1, f2)``. Output element ``[n, c, h*f1 + i, w*f2 + j]``
    is input element ``[n, (c*f1 + i)*f2 + j, h, w]``.

    >>> mx.gluon.contrib.nn.PixelShuffle2D((2, 3))(mx.nd.ones((1, 12, 3, 5))).shape
    (1, 2, 6, 15)
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors("PixelShuffle2D", factor, 2)

    def hybrid_forward(self, F, x):
        f1, f2 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2, 0, 0))  # (N, C, f1*f2, H, W)
        x = F.reshape(x, (0, 0, -4, f1, f2, 0, 0))  # (N, C, f1, f2, H, W)
        x = F.transpose(x, (0, 1, 4, 2, 5, 3))  # (N, C, H, f1, W, f2)
        return F.reshape(x, (0, 0, -3, -3))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._factors})"


class PixelShuffle3D(HybridBlock):
    """Move channels to the D, H and W axes: (N, f1*f2*f3*C, D, H, W) → (N, C, D*f1, H*f2, W*f3).

    ``factor`` is an int or a triple. Output element ``[n, c, d*f1 + i, h*f2 + j, w*f3 + k]``
    is input element ``[n, ((c*f1 + i)*f2 + j)*f3 + k, d, h, w]``.

    >>> mx.gluon.contrib.nn.PixelShuffle3D((1, 2, 3))(mx.nd.ones((1, 12, 2, 2, 2))).shape
    (1, 2, 2, 4, 6)
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors("PixelShuffle3D", factor, 3)

    def hybrid_forward(self, F, x):
        f1, f2, f3 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2 * f3, 0, 0, 0))  # (N, C, f1*f2*f3, D, H, W)
        x = F.reshape(x, (0, 0, -4, f1, f2 * f3, 0, 0, 0))  # (N, C, f1, f2*f3, D, H, W)
        x = F.reshape(x, (0, 0, 0, -4, f2, f3, 0, 0, 0))  # (N, C, f1, f2, f3, D, H, W)
        x = F.transpose(x, (0, 1, 5, 2, 6, 3, 7, 4))  # (N, C, D, f1, H, f2, W, f3)
        return F.reshape(x, (0, 0, -3, -3, -3))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._factors})"
