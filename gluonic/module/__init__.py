"""``mx.mod`` / ``mx.module``: MXNet 1.9's legacy symbolic training API.

``Module`` binds a Symbol to executors and trains it with ``fit`` (or step by step with
``forward``/``backward``/``update``); ``BaseModule`` holds the loops (``fit``, ``score``,
``predict``) written against the module protocol. ``BucketingModule``,
``SequentialModule`` and ``PythonModule`` are not provided.

>>> import gluonic as mx
>>> from gluonic import module
>>> net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=4, name='fc'), name='softmax')
>>> mod = module.Module(net)
>>> mod.bind(data_shapes=[('data', (2, 3))], label_shapes=[('softmax_label', (2,))])
>>> mod.init_params()
>>> mod.output_shapes
[('softmax_output', (2, 4))]
"""
from .base_module import BaseModule, BatchEndParam, ModuleStateError
from .module import Module, ModuleParamError

__all__ = ["BaseModule", "BatchEndParam", "Module", "ModuleParamError", "ModuleStateError"]
