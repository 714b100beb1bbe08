"""Operator definitions. Importing this package registers every op family."""
# op families (each module registers its ops on import)
from . import (  # noqa: F401,E402  # noqa: F401,E402  # noqa: F401,E402
    activation,
    arith,  # noqa: F401,E402
    conv,  # noqa: F401,E402
    creation,
    dense,  # noqa: F401,E402
    dropout,
    elemwise_misc,
    indexing,
    join,
    norm,  # noqa: F401,E402
    pool,  # noqa: F401,E402
    random,  # noqa: F401,E402
    reduce,  # noqa: F401,E402
    registry,
    sequence,  # noqa: F401,E402
    shape,
    softmax,
    sort,  # noqa: F401,E402
    unary,
)
from .attrs import Attrs, DType, Floats, Shape
from .registry import BatchRule, Op, register

from . import loss_ops  # noqa: F401,E402  (CTCLoss)
from . import param_shapes  # noqa: F401,E402  (after the families: attaches backward shape rules)

__all__ = ["Attrs", "DType", "Floats", "Shape", "BatchRule", "Op", "register", "registry"]
