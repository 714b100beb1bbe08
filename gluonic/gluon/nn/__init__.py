"""``gluon.nn``: neural-network layers (MXNet 1.9 names, arguments and parameter names).

As in MXNet, the block classes are here too (``nn.Block``, ``nn.HybridBlock``, ``nn.SymbolBlock``).
"""
from ..block import Block, HybridBlock
from ..symbol_block import SymbolBlock
from .activations import *  # noqa: F401,F403
from .activations import __all__ as _activations_all
from .basic_layers import *  # noqa: F401,F403
from .basic_layers import __all__ as _basic_all
from .conv_layers import *  # noqa: F401,F403
from .conv_layers import __all__ as _conv_all

__all__ = ["Block", "HybridBlock", "SymbolBlock"] + list(_basic_all) + list(_activations_all)
__all__ += _conv_all
