"""``mx.optimizer``: MXNet 1.9's optimizers, with MXNet's exact update rules.

>>> import gluonic as mx
>>> opt = mx.optimizer.create('sgd', learning_rate=0.1)
>>> type(opt).__name__, opt.learning_rate
('SGD', 0.1)
"""
from . import contrib
from .adam import FTML, LAMB, Adam, Adamax, AdamW, Nadam
from .adaptive import AdaDelta, AdaGrad, Ftrl, RMSProp
from .misc import DCASGD, LBSGD, SGLD, Test
from .optimizer import Optimizer, Updater, create, get_updater, register
from .sgd import LARS, NAG, SGD, Signum, ccSGD

__all__ = [
    "AdaDelta", "AdaGrad", "Adam", "Adamax", "AdamW", "DCASGD", "FTML", "Ftrl", "LAMB", "LARS", "LBSGD",
    "NAG", "Nadam", "Optimizer", "RMSProp", "SGD", "SGLD", "Signum", "Test", "Updater", "ccSGD",
    "contrib", "create", "get_updater", "register",
]
