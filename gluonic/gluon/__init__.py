"""``mx.gluon``: the imperative/hybrid neural-network API."""
from . import contrib, data, loss, model_zoo, nn, parameter, rnn, utils
from .block import Block, HybridBlock
from .parameter import Constant, DeferredInitializationError, Parameter, ParameterDict
from .symbol_block import SymbolBlock
from .trainer import Trainer

__all__ = ["Block", "HybridBlock", "SymbolBlock", "Trainer", "Parameter", "ParameterDict", "Constant", "DeferredInitializationError",
           "nn", "parameter", "utils", "loss", "contrib", "data", "rnn", "model_zoo"]
