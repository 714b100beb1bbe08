"""``mx.nd``: imperative NDArray API. Operator functions are generated from the registry."""
from .. import ops as _ops  # registers every op family
from . import _namespace
from .ndarray import NDArray, array, from_torch, waitall

globals().update(_namespace.functions("top"))

from . import _internal, contrib, image, linalg, op, random  # noqa: E402

__all__ = ["NDArray", "array", "from_torch", "waitall", "op", "random", "linalg", "contrib", "image", "_internal"]
