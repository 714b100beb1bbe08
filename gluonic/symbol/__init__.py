"""``mx.sym``: symbolic graphs built from the same op registry as ``mx.nd``."""
from ..ndarray import _namespace as _nd_namespace
from ..ops.signature import make_function as _make_function
from . import evaluate
from ._compose import symbol_invoke as _symbol_invoke
from .serialize import fromjson, load, load_json
from .symbol import Group, Symbol, Variable, var

_nd_namespace.set_symbol_invoke(_symbol_invoke)


_FUNCTIONS = _nd_namespace.build(
    "gluonic.symbol", lambda op, name, module: _make_function(op, name, _symbol_invoke, module))
globals().update(_FUNCTIONS["top"])


def _attach_methods() -> None:
    """Symbol has the same operator methods as NDArray (``x.sum()``, ``x.clip(0, 1)``)."""
    from ..ndarray._methods import OP_METHODS

    for method_name in OP_METHODS:
        fn = _FUNCTIONS["top"].get(method_name)
        if fn is not None and method_name not in Symbol.__dict__:
            def method(self, *args, _fn=fn, **kwargs):
                return _fn(self, *args, **kwargs)

            method.__name__ = method_name
            method.__doc__ = f"Method form of ``sym.{method_name}`` with this symbol as the first input."
            setattr(Symbol, method_name, method)


_attach_methods()

from .creation import *  # noqa: E402,F403  (hand-written functions take precedence)
from .creation import __all__ as _creation_all  # noqa: E402


class _Namespace:
    def __init__(self, functions: dict):
        self.__dict__.update(functions)


_internal = _Namespace(_FUNCTIONS["_internal"])
contrib = _Namespace(_FUNCTIONS["contrib"])
linalg = _Namespace(_FUNCTIONS["linalg"])
random = _Namespace(_FUNCTIONS["random"])
image = _Namespace(_FUNCTIONS["image"])

__all__ = ["Symbol", "var", "Variable", "Group", "load", "load_json", "fromjson", "evaluate", *_creation_all]
