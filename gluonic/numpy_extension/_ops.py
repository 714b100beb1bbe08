"""The ``npx`` functions: MXNet 1.9's NumPy-mode neural-network and array operators.

Grouped by module: :mod:`._nn` (activations, layers, normalization, RNN),
:mod:`._array_ops` (reshape codes, indexing, math extras) and :mod:`._io` (save/load);
``npx.image`` and ``npx.random`` are submodules.
"""
from __future__ import annotations

from . import _array_ops, _io, _nn
from ._array_ops import *  # noqa: F403
from ._io import *  # noqa: F403
from ._nn import *  # noqa: F403

__all__: list[str] = _nn.__all__ + _array_ops.__all__ + _io.__all__
