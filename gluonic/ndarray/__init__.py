"""``mx.nd``: imperative NDArray API. Operator functions are generated from the registry."""
from .. import ops as _ops  # noqa: F401  (registers every op family)
from . import _namespace
from .ndarray import NDArray, array, from_torch, waitall

# Generated operator functions (nd.FullyConnected, nd.sum, ...), then the Python-level
# functions that MXNet defines by hand (zeros, arange, add, ...), which take precedence.
globals().update(_namespace.functions("top"))

from . import _internal, contrib, image, linalg, op, random  # noqa: E402
from ._methods import attach_methods as _attach_methods  # noqa: E402
from .creation import *  # noqa: E402,F403
from .creation import __all__ as _creation_all  # noqa: E402
from .utils import load, load_frombuffer, save  # noqa: E402

_attach_methods()

__all__ = [
    "NDArray", "array", "from_torch", "waitall", "load", "load_frombuffer", "save",
    "op", "random", "linalg", "contrib", "image", "_internal", *_creation_all,
]
