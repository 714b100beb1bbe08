"""``gluonic.compile``: Symbol graphs compiled to Python over torch calls (what hybridize runs)."""
from .codegen import CompiledGraph, compile_symbol

__all__ = ["CompiledGraph", "compile_symbol"]
