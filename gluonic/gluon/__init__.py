"""``mx.gluon``: the imperative/hybrid neural-network API."""
from . import contrib, loss, nn, parameter, utils
from .block import Block, HybridBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict

__all__ = ["Block", "HybridBlock", "Parameter", "ParameterDict", "Constant", "DeferredInitializationError",
           "nn", "parameter", "utils", "loss", "contrib"]
