"""``mx.executor``: MXNet's module name for the symbolic :class:`Executor`."""
from .symbol.executor import Executor

__all__ = ["Executor"]
