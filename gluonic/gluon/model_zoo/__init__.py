"""``mx.gluon.model_zoo``: predefined vision models and MXNet's pretrained weights.

:mod:`~gluonic.gluon.model_zoo.vision` builds the networks (``vision.get_model('resnet18_v1')``);
:mod:`~gluonic.gluon.model_zoo.model_store` finds and checks the pretrained files
(``~/.mxnet/models/<name>-<hash>.params``), which gluonic never downloads.
"""
from . import model_store, vision

__all__ = ["model_store", "vision"]
