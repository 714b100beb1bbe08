"""gluonic: the MXNet Gluon API on PyTorch's kernels (``import gluonic as mx``).

>>> import gluonic as mx
>>> (mx.nd.ones((2, 3)) * 2).sum().asscalar()
12.0
"""
from . import (
    autograd,
    base,
    callback,
    context,
    executor,
    gluon,
    image,
    initializer,
    io,
    kvstore,
    lr_scheduler,
    metric,
    model,
    module,
    name,
    ndarray,
    optimizer,
    random,
    recordio,
    runtime,
    symbol,
    test_utils,
    util,
    visualization,
)
from . import initializer as init
from . import kvstore as kv
from . import module as mod
from . import ndarray as nd
from . import numpy as np
from . import numpy_extension as npx
from . import symbol as sym
from . import visualization as viz
from .base import MXNetError
from .context import Context, cpu, cpu_pinned, current_context, gpu, num_gpus

ndarray.np = symbol.np = np  # F.np inside hybrid_forward: one set of functions, dispatching on inputs
ndarray.npx = symbol.npx = npx

__version__ = "0.1.0"


def __getattr__(name: str):
    """``mx.onnx`` is imported on first use (it needs the optional ``onnx`` package only when exporting)."""
    if name == "onnx":
        import importlib

        return importlib.import_module(".onnx", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "MXNetError",
    "Context",
    "cpu",
    "cpu_pinned",
    "gpu",
    "num_gpus",
    "current_context",
    "base",
    "context",
    "nd",
    "ndarray",
    "autograd",
    "random",
    "name",
    "symbol",
    "sym",
    "initializer",
    "init",
    "gluon",
    "metric",
    "io",
    "kvstore",
    "kv",
    "image",
    "recordio",
    "model",
    "executor",
    "callback",
    "module",
    "mod",
    "visualization",
    "viz",
    "optimizer",
    "lr_scheduler",
    "runtime",
    "util",
    "test_utils",
    "np",
    "npx",
    "__version__",
]
