"""``gluon.nn``: neural-network layers (MXNet 1.9 names, arguments and parameter names)."""
from .basic_layers import *  # noqa: F401,F403
from .basic_layers import __all__ as _basic_all

__all__ = list(_basic_all)
