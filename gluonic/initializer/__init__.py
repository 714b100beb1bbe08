"""``mx.init``: weight initializers (MXNet 1.9's ``mxnet.initializer``).

An initializer is called as ``init(desc, arr)``: it fills the NDArray ``arr`` in place,
choosing what to write from the parameter's name ``desc`` (an :class:`InitDesc`):

====================================  =========================================
name ends with                        filled by
====================================  =========================================
``weight``                            ``_init_weight`` (what the initializer is for)
``bias``, ``beta``, ``min``           zeros
``gamma``, ``max``                    ones
``weight_quantize``/``bias_quantize`` random int8 / zeros
``moving_mean``, ``running_mean``,    zeros (gluonic addition: MXNet raised here
``moving_inv_var``, ``moving_avg``    and relied on per-parameter ``__init__``)
``moving_var``, ``running_var``       ones (gluonic addition, likewise)
====================================  =========================================

``desc.attrs['__init__']`` (a parameter's own initializer: an instance, a registered
name or a ``dumps()`` JSON string) takes precedence over the name. Any other name raises
"Unknown initialization pattern".

Random initializers draw from the generator of ``arr``'s context
(:func:`gluonic.random.generator`), with the same stream as ``nd.random.uniform`` /
``nd.random.normal``, so ``mx.random.seed`` makes them reproducible. float16/bfloat16
arrays receive float32 draws rounded; integer arrays are refused (MXNet refused too).

Example
-------
>>> import gluonic as mx
>>> w = mx.nd.zeros((2, 3))
>>> mx.init.Xavier()(mx.init.InitDesc('fc_weight'), w)
>>> float(abs(w).max().asscalar()) <= (3 / 2.5) ** 0.5
True
>>> mx.init.create('normal', sigma=0.5).dumps()
'["normal", {"sigma": 0.5}]'
"""
from ._base import InitDesc, Initializer, alias, create, register
from ._basic import Bilinear, Constant, LSTMBias, MSRAPrelu, Normal, One, Orthogonal, Uniform, Xavier, Zero
from ._composite import FusedRNN, Load, Mixed

__all__ = [
    "InitDesc",
    "Initializer",
    "register",
    "alias",
    "create",
    "Zero",
    "One",
    "Constant",
    "Uniform",
    "Normal",
    "Orthogonal",
    "Xavier",
    "MSRAPrelu",
    "Bilinear",
    "LSTMBias",
    "FusedRNN",
    "Mixed",
    "Load",
]
