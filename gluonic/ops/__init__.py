"""Operator definitions. Importing this package registers every op family."""
from . import registry
from .attrs import Attrs, DType, Floats, Shape
from .registry import BatchRule, Op, register

# op families (each module registers its ops on import)
from . import arith  # noqa: F401,E402
from . import reduce  # noqa: F401,E402
from . import sort  # noqa: F401,E402
from . import norm  # noqa: F401,E402
from . import sequence  # noqa: F401,E402
from . import dense  # noqa: F401,E402
from . import conv  # noqa: F401,E402
from . import pool  # noqa: F401,E402
from . import creation, elemwise_misc, unary  # noqa: F401,E402
from . import random  # noqa: F401,E402
from . import activation, dropout, softmax  # noqa: F401,E402
from . import shape, indexing, join  # noqa: F401,E402

__all__ = ["Attrs", "DType", "Floats", "Shape", "BatchRule", "Op", "register", "registry"]
