"""``mx.gluon``: the imperative/hybrid neural-network API."""
from . import nn, parameter
from .block import Block, HybridBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict

__all__ = ["Block", "HybridBlock", "Parameter", "ParameterDict", "Constant", "DeferredInitializationError",
           "nn", "parameter"]
