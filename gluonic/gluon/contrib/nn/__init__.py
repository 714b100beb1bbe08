"""``gluon.contrib.nn``: extra layers (Concurrent, Identity, PixelShuffle, ...)."""
from .basic_layers import *  # noqa: F401,F403
from .basic_layers import __all__

__all__ = list(__all__)
