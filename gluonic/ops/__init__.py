"""Operator definitions. Importing this package registers every op family."""
from . import registry
from .attrs import Attrs, DType, Floats, Shape
from .registry import BatchRule, Op, register

# op families (each module registers its ops on import)
from . import arith  # noqa: F401,E402

__all__ = ["Attrs", "DType", "Floats", "Shape", "BatchRule", "Op", "register", "registry"]
