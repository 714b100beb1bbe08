"""Operator definitions. Importing this package registers every op family."""
from . import registry
from .attrs import Attrs, DType, Floats, Shape
from .registry import BatchRule, Op, register

# isort: off
# The op families: each module registers its ops on import.
from . import arith, unary, elemwise_misc, creation, reduce, sort  # noqa: E402,F401
from . import shape, indexing, join  # noqa: E402,F401
from . import dense, conv, pool, activation, softmax, dropout, norm, sequence  # noqa: E402,F401
from . import random, loss_ops  # noqa: E402,F401
from . import image  # noqa: E402,F401
from . import rnn  # noqa: E402,F401
from . import linalg, contrib_resize, spatial  # noqa: E402,F401
# MXNet's NumPy interface (_np_*/_npi_* ops; _npx_* aliases of the ops above).
from . import np_elemwise, np_reduce, np_creation, np_shape, np_linalg, np_random, npx_aliases  # noqa: E402,F401

# Last: attaches backward shape rules to ops registered above.
from . import param_shapes  # noqa: E402,F401
# isort: on

__all__ = ["Attrs", "DType", "Floats", "Shape", "BatchRule", "Op", "register", "registry"]
