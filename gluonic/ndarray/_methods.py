"""Method forms of operators on NDArray (``x.sum(axis=1)``, ``x.clip(0, 1)``), as MXNet 1.9 has them.

Each method forwards ``self`` as the first input of the generated ``nd`` function, so
methods and functions share one implementation and one argument convention.
"""
from __future__ import annotations

from collections.abc import Callable

from ._namespace import functions
from .ndarray import NDArray

# The operator methods of MXNet 1.9.1's NDArray (observed with dir(mx.nd.NDArray)).
OP_METHODS = (
    "abs arccos arccosh arcsin arcsinh arctan arctanh argmax argmax_channel argmin argsort broadcast_axes "
    "broadcast_like broadcast_to cbrt ceil clip cos cosh degrees depth_to_space diag exp expand_dims expm1 fix "
    "flatten flip floor log log10 log1p log2 log_softmax max mean min nanprod nansum norm one_hot pad pick prod "
    "radians rcbrt reciprocal relu repeat reshape_like rint round rsqrt shape_array sigmoid sign sin sinh "
    "size_array slice slice_axis slice_like softmax softmin sort space_to_depth split sqrt square squeeze sum "
    "swapaxes take tan tanh tile topk transpose trunc"
).split()


def _method(fn: Callable, name: str) -> Callable:
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"NDArray.{name}"
    method.__doc__ = f"Method form of :func:`gluonic.nd.{name}` with this array as the first input.\n\n" + (
        fn.__doc__ or ""
    )
    return method


def attach_methods() -> list[str]:
    """Add the operator methods to NDArray; returns the names whose operator is not registered."""
    top = functions("top")
    missing = []
    for name in OP_METHODS:
        fn = top.get(name)
        if fn is None:
            missing.append(name)
        elif name not in NDArray.__dict__:
            setattr(NDArray, name, _method(fn, name))
    return missing
